//! GS1 EPCIS 2.0 and CBV 2.0 for the traceability module, as pure functions over `serde_json`.
//!
//! * [`validate_document`] / [`validate_event`]: the GS1 JSON Schema (embedded, compiled once)
//!   plus the rules the schema cannot express (EPCIS 2.0, CBV 2.0): `parentID` for
//!   aggregations, sensor times, declared CURIE prefixes, GS1 check digits, class-level `epcClass`.
//!   Every [`Problem`] names the field.
//! * [`event_hash`]: the CBV 2.0 event hash ID (`ni:///sha-256;…?ver=CBV2.0`), reproducing the
//!   reference generator's golden vectors; [`Context`] holds a document's prefixes so the
//!   `@context` is read once per document, not per event.
//! * [`vocab`]: the CBV 2.0 vocabularies and their Web URIs.
//! * [`query`]: the EPCIS 2.0 query language (URL parameters and named-query bodies) parsed into a
//!   typed [`query::Query`]; evaluation belongs to the repository.
//!
//! ```
//! use qy_epcis::{event_hash, validate_document, Context};
//! use serde_json::json;
//!
//! let doc = json!({
//!     "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
//!     "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-10-20T09:00:00+08:00",
//!     "epcisBody": {"eventList": [{
//!         "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "holding", "disposition": "recalled",
//!         "eventTime": "2024-10-20T09:00:00+08:00", "eventTimeZoneOffset": "+08:00",
//!         "epcList": ["https://trace.example.org/qh/animal/263262100012345"]
//!     }]}
//! });
//! assert!(validate_document(&doc).is_ok());
//! let ctx = Context::from_document(&doc);
//! let id = event_hash(&doc["epcisBody"]["eventList"][0], &ctx);
//! assert!(id.starts_with("ni:///sha-256;"));
//! ```

mod canon;
mod context;
mod document;
mod hash;
mod ident;
mod problem;
pub mod query;
mod rules;
mod schema;
mod validate;
pub mod vocab;

pub use context::{Context, STANDARD_CONTEXT_URL, STANDARD_PREFIXES};
pub use document::{events, DOCUMENT_EVENTS, QUERY_DOCUMENT_EVENTS};
pub use hash::{document_hashes, event_hash, prehash};
pub use problem::Problem;
pub use validate::{validate_document, validate_document_with, validate_event, validate_event_in, ValidationOptions};

/// The GS1 EPCIS 2.0 JSON Schema (draft-07), as published in `gs1/EPCIS`.
pub const EPCIS_JSON_SCHEMA: &str = include_str!("../data/EPCIS-JSON-Schema.json");
/// The JSON Schema of EPCIS 2.0 query bodies (`POST /queries`), from `gs1/EPCIS` REST Bindings.
pub const QUERY_JSON_SCHEMA: &str = include_str!("../data/query-schema.json");
