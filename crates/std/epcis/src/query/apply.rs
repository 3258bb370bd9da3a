//! One parameter, with its values already split, applied to a [`Query`]. Shared by the URL and
//! the JSON-body parsers so both accept exactly the same language.

use jiff::Timestamp;

use super::{
    Action, Comparison, EpcPattern, ExtensionFilter, OrderBy, OrderDirection, Query, QueryParamError, SensorField,
    SensorFilter, TypedFilter, VocabValue,
};
use crate::vocab::{self, Vocabulary};

const EVENT_TYPES: [&str; 5] =
    ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];

type Parse<T> = fn(&str) -> Result<T, String>;

/// Applies parameter `name` with `values` (never split further here).
pub(crate) fn apply(q: &mut Query, name: &str, values: &[String]) -> Result<(), QueryParamError> {
    let err = |m: String| QueryParamError::new(name, m);
    match name {
        "eventType" => q.event_types = list(name, values, event_type)?,
        "GE_eventTime" => q.ge_event_time = Some(one(name, values, time)?),
        "LT_eventTime" => q.lt_event_time = Some(one(name, values, time)?),
        "GE_recordTime" => q.ge_record_time = Some(one(name, values, time)?),
        "LT_recordTime" => q.lt_record_time = Some(one(name, values, time)?),
        "EQ_action" => q.actions = list(name, values, action)?,
        "EQ_bizStep" => q.biz_steps = vocab_list(name, values, vocab::BIZ_STEP, "bizStep")?,
        "EQ_disposition" => q.dispositions = vocab_list(name, values, vocab::DISPOSITION, "disposition")?,
        "EQ_persistentDisposition_set" => {
            q.persistent_disposition_set = vocab_list(name, values, vocab::DISPOSITION, "disposition")?;
        }
        "EQ_persistentDisposition_unset" => {
            q.persistent_disposition_unset = vocab_list(name, values, vocab::DISPOSITION, "disposition")?;
        }
        "EQ_errorReason" => q.error_reasons = vocab_list(name, values, vocab::ERROR_REASON, "error reason")?,
        "EQ_readPoint" => q.read_points = list(name, values, identifier)?,
        "EQ_bizLocation" => q.biz_locations = list(name, values, identifier)?,
        "EQ_transformationID" => q.transformation_ids = list(name, values, text)?,
        "EQ_eventID" => q.event_ids = list(name, values, text)?,
        "MATCH_epc" => q.match_epc = list(name, values, EpcPattern::parse)?,
        "MATCH_parentID" => q.match_parent_id = list(name, values, EpcPattern::parse)?,
        "MATCH_inputEPC" => q.match_input_epc = list(name, values, EpcPattern::parse)?,
        "MATCH_outputEPC" => q.match_output_epc = list(name, values, EpcPattern::parse)?,
        "MATCH_anyEPC" => q.match_any_epc = list(name, values, EpcPattern::parse)?,
        "MATCH_epcClass" => q.match_epc_class = list(name, values, EpcPattern::parse)?,
        "MATCH_inputEPCClass" => q.match_input_epc_class = list(name, values, EpcPattern::parse)?,
        "MATCH_outputEPCClass" => q.match_output_epc_class = list(name, values, EpcPattern::parse)?,
        "MATCH_anyEPCClass" => q.match_any_epc_class = list(name, values, EpcPattern::parse)?,
        "EXISTS_errorDeclaration" => q.exists_error_declaration = exists(name, values)?,
        "EQ_type" => q.measurement_types = list(name, values, measurement_type)?,
        "orderBy" => q.order_by = Some(one(name, values, order_by)?),
        "orderDirection" => q.order_direction = Some(one(name, values, order_direction)?),
        "eventCountLimit" => q.event_count_limit = Some(one(name, values, count)?),
        "maxEventCount" => q.max_event_count = Some(one(name, values, count)?),
        "perPage" => q.per_page = Some(one(name, values, count)?),
        "nextPageToken" => q.next_page_token = Some(one(name, values, text)?),
        _ => return family(q, name, values).unwrap_or_else(|| Err(err(unsupported(name)))),
    }
    Ok(())
}

/// Cross-parameter rules, checked once all parameters are in.
pub(crate) fn finish(q: Query) -> Result<Query, QueryParamError> {
    if q.event_count_limit.is_some() && q.max_event_count.is_some() {
        return Err(QueryParamError::new("maxEventCount", "eventCountLimit and maxEventCount cannot be used together"));
    }
    Ok(q)
}

/// Parameters whose name carries a value: `EQ_bizTransaction_{type}`, sensor filters, extension
/// fields. `None` when the name is not of any supported family.
fn family(q: &mut Query, name: &str, values: &[String]) -> Option<Result<(), QueryParamError>> {
    let err = |m: String| QueryParamError::new(name, m);
    let typed = [
        ("EQ_bizTransaction_", vocab::BIZ_TRANSACTION_TYPE),
        ("EQ_source_", vocab::SOURCE_DEST_TYPE),
        ("EQ_destination_", vocab::SOURCE_DEST_TYPE),
    ];
    for (i, (prefix, voc)) in typed.iter().enumerate() {
        if let Some(kind) = name.strip_prefix(prefix) {
            let result = typed_filter(name, kind, *voc, values).map(|f| match i {
                0 => q.biz_transactions.push(f),
                1 => q.sources.push(f),
                _ => q.destinations.push(f),
            });
            return Some(result);
        }
    }
    if let Some(parsed) = sensor_filter(name, values) {
        return Some(parsed.map(|f| q.sensor_filters.push(f)));
    }
    let (ilmd, field) = match name.strip_prefix("EQ_ILMD_") {
        Some(f) => (true, f),
        None => (false, name.strip_prefix("EQ_")?),
    };
    // `prefix:name`; other families with a colon (`EQ_readPoint_ex:x`, `EQ_INNER_…`) have an `_`
    // in front of the colon and stay unsupported.
    let (prefix, local) = field.split_once(':')?;
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    if local.is_empty() {
        return Some(Err(err(format!("'{field}' is not a prefix:name extension field"))));
    }
    let values = match list(name, values, text) {
        Ok(v) => v,
        Err(e) => return Some(Err(e)),
    };
    q.extension_filters.push(ExtensionFilter { ilmd, field: field.to_owned(), values });
    Some(Ok(()))
}

fn typed_filter(name: &str, kind: &str, voc: Vocabulary, values: &[String]) -> Result<TypedFilter, QueryParamError> {
    let type_uri = if voc.contains(kind) {
        voc.uri(kind)
    } else if kind.contains(':') {
        kind.to_owned()
    } else {
        return Err(QueryParamError::new(
            name,
            format!("'{kind}' is not a standard type (expected one of {}) nor a prefix:name", voc.words.join(", ")),
        ));
    };
    Ok(TypedFilter { type_uri, values: list(name, values, identifier)? })
}

/// `{EQ|GT|GE|LT|LE}_{value|minValue|maxValue|meanValue}_{UOM}`.
fn sensor_filter(name: &str, values: &[String]) -> Option<Result<SensorFilter, QueryParamError>> {
    let (op, rest) = name.split_once('_')?;
    let op = match op {
        "EQ" => Comparison::Eq,
        "GT" => Comparison::Gt,
        "GE" => Comparison::Ge,
        "LT" => Comparison::Lt,
        "LE" => Comparison::Le,
        _ => return None,
    };
    let (field, uom) = rest.split_once('_')?;
    let field = match field {
        "value" => SensorField::Value,
        "minValue" => SensorField::MinValue,
        "maxValue" => SensorField::MaxValue,
        "meanValue" => SensorField::MeanValue,
        _ => return None,
    };
    if !(2..=4).contains(&uom.len()) || !uom.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return Some(Err(QueryParamError::new(
            name,
            format!("'{uom}' is not a UN/ECE Rec 20 unit code (2–4 capitals or digits, e.g. CEL)"),
        )));
    }
    let parsed =
        if op == Comparison::Eq { list(name, values, number) } else { one(name, values, number).map(|v| vec![v]) };
    Some(parsed.map(|values| SensorFilter { op, field, uom: uom.to_owned(), values }))
}

fn unsupported(name: &str) -> String {
    format!("'{name}' is not a query parameter supported by this repository")
}

/// All values parsed; at least one, none empty.
fn list<T>(name: &str, values: &[String], parse: Parse<T>) -> Result<Vec<T>, QueryParamError> {
    if values.is_empty() {
        return Err(QueryParamError::new(name, "needs at least one value"));
    }
    values
        .iter()
        .map(|v| {
            let v = v.trim();
            if v.is_empty() {
                return Err(QueryParamError::new(name, "has an empty value"));
            }
            parse(v).map_err(|m| QueryParamError::new(name, m))
        })
        .collect()
}

/// Exactly one value.
fn one<T>(name: &str, values: &[String], parse: Parse<T>) -> Result<T, QueryParamError> {
    match values {
        [v] => {
            list(name, std::slice::from_ref(v), parse)?.pop().ok_or_else(|| QueryParamError::new(name, "needs a value"))
        }
        [] => Err(QueryParamError::new(name, "needs a value")),
        _ => Err(QueryParamError::new(name, "takes a single value")),
    }
}

fn vocab_list(name: &str, values: &[String], voc: Vocabulary, what: &str) -> Result<Vec<VocabValue>, QueryParamError> {
    let parsed = list(name, values, text)?;
    parsed
        .into_iter()
        .map(|v| {
            let uri = voc.canonical(&v);
            let bare = voc.bare(&uri).map(str::to_owned);
            if bare.is_none() && !uri.contains(':') {
                return Err(QueryParamError::new(name, format!("'{v}' is neither a standard {what} nor a URI")));
            }
            Ok(VocabValue { uri, bare })
        })
        .collect()
}

fn text(v: &str) -> Result<String, String> {
    Ok(v.to_owned())
}

fn event_type(v: &str) -> Result<String, String> {
    if EVENT_TYPES.contains(&v) || v.contains(':') {
        Ok(v.to_owned())
    } else {
        Err(format!("'{v}' is not an event type (expected one of {} or an extension type URI)", EVENT_TYPES.join(", ")))
    }
}

fn time(v: &str) -> Result<Timestamp, String> {
    v.parse().map_err(|_| format!("'{v}' is not an RFC 3339 date-time with offset (e.g. 2024-10-16T00:00:00+08:00)"))
}

fn action(v: &str) -> Result<Action, String> {
    match v {
        "ADD" => Ok(Action::Add),
        "OBSERVE" => Ok(Action::Observe),
        "DELETE" => Ok(Action::Delete),
        _ => Err(format!("'{v}' is not ADD, OBSERVE or DELETE")),
    }
}

/// A location or transaction identifier: GS1 keys in constrained canonical Digital Link form (the
/// form the repository indexes), other URIs as given.
fn identifier(v: &str) -> Result<String, String> {
    Ok(qy_gs1::constrained_canonical(v).unwrap_or_else(|| v.to_owned()))
}

fn measurement_type(v: &str) -> Result<String, String> {
    let uri = vocab::MEASUREMENT_TYPE.canonical(v);
    if vocab::MEASUREMENT_TYPE.contains(v) || uri.contains(':') {
        Ok(uri)
    } else {
        Err(format!("'{v}' is neither a GS1 measurement type (e.g. Temperature) nor a URI"))
    }
}

fn order_by(v: &str) -> Result<OrderBy, String> {
    match v {
        "eventTime" => Ok(OrderBy::EventTime),
        "recordTime" => Ok(OrderBy::RecordTime),
        _ => Err(format!("'{v}': only eventTime and recordTime are supported")),
    }
}

fn order_direction(v: &str) -> Result<OrderDirection, String> {
    match v {
        "ASC" => Ok(OrderDirection::Asc),
        "DESC" => Ok(OrderDirection::Desc),
        _ => Err(format!("'{v}' is not ASC or DESC")),
    }
}

fn count(v: &str) -> Result<u32, String> {
    match v.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("'{v}' is not a positive integer")),
    }
}

fn number(v: &str) -> Result<f64, String> {
    v.parse::<f64>().ok().filter(|n| n.is_finite()).ok_or_else(|| format!("'{v}' is not a number"))
}

/// `EXISTS_errorDeclaration` carries no value (`?EXISTS_errorDeclaration` or `=`), or `true`.
fn exists(name: &str, values: &[String]) -> Result<bool, QueryParamError> {
    match values {
        [] => Ok(true),
        [v] if v.is_empty() || v == "true" => Ok(true),
        _ => Err(QueryParamError::new(name, "takes no value")),
    }
}
