//! The EPCIS 2.0 query language (EPCIS 2.0 SimpleEventQuery and its REST binding): the
//! pure part — parameters parsed into a typed [`Query`] with canonical values, so the repository
//! compares like with like (full CBV URIs, constrained canonical Digital Links).
//!
//! Two inputs give the same `Query`: URL parameters of `GET /events` ([`parse_query_params`],
//! multiple values separated by `|`) and the `query` object of a named query
//! ([`parse_query_body`], values as JSON arrays, strings or numbers). A parameter this repository
//! does not support, or a malformed value, is a [`QueryParamError`] — the server answers
//! `QueryParameterException` rather than silently ignoring a filter (research brief §6.1).

mod apply;
mod body;
mod params;
mod pattern;

use jiff::Timestamp;

pub use body::{body_to_params, parse_query_body};
pub use params::parse_query_params;
pub use pattern::EpcPattern;

/// A parsed SimpleEventQuery. Empty lists and `None` mean "no restriction"; values inside one
/// list are alternatives (OR), different fields combine with AND.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// `eventType`: the five standard names or extension type URIs.
    pub event_types: Vec<String>,
    /// `GE_eventTime` (inclusive).
    pub ge_event_time: Option<Timestamp>,
    /// `LT_eventTime` (exclusive).
    pub lt_event_time: Option<Timestamp>,
    /// `GE_recordTime` (inclusive).
    pub ge_record_time: Option<Timestamp>,
    /// `LT_recordTime` (exclusive).
    pub lt_record_time: Option<Timestamp>,
    /// `EQ_action`.
    pub actions: Vec<Action>,
    /// `EQ_bizStep`.
    pub biz_steps: Vec<VocabValue>,
    /// `EQ_disposition`.
    pub dispositions: Vec<VocabValue>,
    /// `EQ_persistentDisposition_set`.
    pub persistent_disposition_set: Vec<VocabValue>,
    /// `EQ_persistentDisposition_unset`.
    pub persistent_disposition_unset: Vec<VocabValue>,
    /// `EQ_readPoint` (canonical Digital Link for GS1 locations).
    pub read_points: Vec<String>,
    /// `EQ_bizLocation` (canonical Digital Link for GS1 locations).
    pub biz_locations: Vec<String>,
    /// `EQ_transformationID`.
    pub transformation_ids: Vec<String>,
    /// `EQ_eventID`.
    pub event_ids: Vec<String>,
    /// `MATCH_epc`: `epcList` and `childEPCs`.
    pub match_epc: Vec<EpcPattern>,
    /// `MATCH_parentID`.
    pub match_parent_id: Vec<EpcPattern>,
    /// `MATCH_inputEPC`.
    pub match_input_epc: Vec<EpcPattern>,
    /// `MATCH_outputEPC`.
    pub match_output_epc: Vec<EpcPattern>,
    /// `MATCH_anyEPC`: any of the EPC lists or `parentID`.
    pub match_any_epc: Vec<EpcPattern>,
    /// `MATCH_epcClass`: `quantityList` and `childQuantityList`.
    pub match_epc_class: Vec<EpcPattern>,
    /// `MATCH_inputEPCClass`.
    pub match_input_epc_class: Vec<EpcPattern>,
    /// `MATCH_outputEPCClass`.
    pub match_output_epc_class: Vec<EpcPattern>,
    /// `MATCH_anyEPCClass`.
    pub match_any_epc_class: Vec<EpcPattern>,
    /// `EQ_bizTransaction_{type}`.
    pub biz_transactions: Vec<TypedFilter>,
    /// `EQ_source_{type}`.
    pub sources: Vec<TypedFilter>,
    /// `EQ_destination_{type}`.
    pub destinations: Vec<TypedFilter>,
    /// `EXISTS_errorDeclaration`: only events carrying an error declaration.
    pub exists_error_declaration: bool,
    /// `EQ_errorReason`.
    pub error_reasons: Vec<VocabValue>,
    /// `EQ|GT|GE|LT|LE_{value|minValue|maxValue|meanValue}_{UOM}`.
    pub sensor_filters: Vec<SensorFilter>,
    /// `EQ_type`: sensor measurement types as full URIs (`https://gs1.org/voc/Temperature`).
    pub measurement_types: Vec<String>,
    /// `EQ_{prefix:field}` and `EQ_ILMD_{prefix:field}`.
    pub extension_filters: Vec<ExtensionFilter>,
    /// `orderBy`.
    pub order_by: Option<OrderBy>,
    /// `orderDirection` (EPCIS default: descending).
    pub order_direction: Option<OrderDirection>,
    /// `eventCountLimit`: return at most this many events.
    pub event_count_limit: Option<u32>,
    /// `maxEventCount`: fail with QueryTooLargeException above this many events.
    pub max_event_count: Option<u32>,
    /// `perPage` (REST paging).
    pub per_page: Option<u32>,
    /// `nextPageToken` (REST paging), opaque to this crate.
    pub next_page_token: Option<String>,
}

/// `EQ_action` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Add,
    Observe,
    Delete,
}

impl Action {
    /// The JSON spelling: `ADD`, `OBSERVE`, `DELETE`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "ADD",
            Self::Observe => "OBSERVE",
            Self::Delete => "DELETE",
        }
    }
}

/// A vocabulary value in canonical form, with the bare word when it is a standard one (for
/// display and for matching documents stored with bare words).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VocabValue {
    /// Full URI, e.g. `https://ref.gs1.org/cbv/BizStep-receiving`, or a custom URI as given.
    pub uri: String,
    /// `receiving` for standard values.
    pub bare: Option<String>,
}

/// `EQ_bizTransaction_{type}` / `EQ_source_{type}` / `EQ_destination_{type}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypedFilter {
    /// The type as a full URI (`https://ref.gs1.org/cbv/BTT-po`), or a custom type as given.
    pub type_uri: String,
    /// Accepted identifiers (canonical Digital Link for GS1 keys).
    pub values: Vec<String>,
}

/// A sensor value filter such as `GT_maxValue_CEL=-15`.
#[derive(Debug, Clone, PartialEq)]
pub struct SensorFilter {
    pub op: Comparison,
    pub field: SensorField,
    /// UN/ECE Rec 20 unit code.
    pub uom: String,
    /// One value, or several alternatives for `EQ_`.
    pub values: Vec<f64>,
}

/// Which `sensorReport` number a [`SensorFilter`] compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SensorField {
    Value,
    MinValue,
    MaxValue,
    MeanValue,
}

impl SensorField {
    /// The JSON field name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Value => "value",
            Self::MinValue => "minValue",
            Self::MaxValue => "maxValue",
            Self::MeanValue => "meanValue",
        }
    }
}

/// The comparison of a parameter prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Comparison {
    /// Whether `actual` satisfies the comparison against `wanted`.
    #[must_use]
    pub fn holds(self, actual: f64, wanted: f64) -> bool {
        match self {
            Self::Eq => actual == wanted,
            Self::Gt => actual > wanted,
            Self::Ge => actual >= wanted,
            Self::Lt => actual < wanted,
            Self::Le => actual <= wanted,
        }
    }
}

/// `EQ_{prefix:field}` on a top-level extension field, or `EQ_ILMD_{prefix:field}` on an ILMD
/// field; string equality with any of `values`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtensionFilter {
    pub ilmd: bool,
    /// The field as written in the parameter (`qh:breed`).
    pub field: String,
    pub values: Vec<String>,
}

/// `orderBy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderBy {
    EventTime,
    RecordTime,
}

/// `orderDirection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrderDirection {
    Asc,
    Desc,
}

/// A query parameter the repository cannot honour; maps to `QueryParameterException`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryParamError {
    /// The parameter name as given.
    pub parameter: String,
    /// What is wrong and what would be accepted.
    pub message: String,
}

impl QueryParamError {
    pub(crate) fn new(parameter: &str, message: impl Into<String>) -> Self {
        Self { parameter: parameter.to_owned(), message: message.into() }
    }
}

impl std::fmt::Display for QueryParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.parameter, self.message)
    }
}

impl std::error::Error for QueryParamError {}
