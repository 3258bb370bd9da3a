//! Entry points of validation: schema first, then the rules the schema cannot express.

use serde_json::Value;

use crate::context::Context;
use crate::problem::{push_token, Problem};
use crate::{document, rules, schema};

/// Which optional rules run. Everything else (the schema, `parentID`, `bizTransactionList`,
/// declared prefixes, GS1 check digits, class-level `epcClass`) always runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ValidationOptions {
    /// Sensor `time` / `startTime` / `endTime` not later than `eventTime`, `startTime` not later
    /// than `endTime`. On by default: a reading reported before it was taken is a data error.
    /// The rule comes from a *draft* GS1 conformance row (M122), and five published GS1 documents
    /// break it (the four `*_all_possible_fields` examples and the hash vector
    /// `CertificationInfoAndSensorReportWithCRS`), so a gateway that must accept whatever GS1
    /// tools produce can switch it off.
    pub sensor_times: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        Self::STRICT
    }
}

impl ValidationOptions {
    /// All rules (the default).
    pub const STRICT: Self = Self { sensor_times: true };
    /// Only what the published GS1 examples themselves satisfy.
    pub const GS1_EXAMPLES: Self = Self { sensor_times: false };
}

/// Validates an EPCISDocument or EPCISQueryDocument: the GS1 JSON Schema, then the semantic rules
/// on every event, with the prefixes of the document's `@context`. Uses
/// [`ValidationOptions::STRICT`].
///
/// # Errors
/// Every problem found; pointers are from the document root.
pub fn validate_document(doc: &Value) -> Result<(), Vec<Problem>> {
    validate_document_with(doc, ValidationOptions::STRICT)
}

/// [`validate_document`] with a choice of optional rules.
///
/// # Errors
/// Every problem found; pointers are from the document root.
pub fn validate_document_with(doc: &Value, options: ValidationOptions) -> Result<(), Vec<Problem>> {
    // Without a document type every conditional branch of the GS1 schema applies at once and
    // buries the one real mistake under a dozen; say it alone.
    if !matches!(doc.get("type").and_then(Value::as_str), Some("EPCISDocument" | "EPCISQueryDocument")) {
        return finish(vec![Problem::at("/type".to_owned(), "'type' must be EPCISDocument or EPCISQueryDocument")]);
    }
    let mut problems = schema::check_document(doc);
    let ctx = Context::from_document(doc);
    if let Ok((Value::Array(list), base)) = document::locate(doc) {
        for (i, event) in list.iter().enumerate() {
            rules::check_event(event, &ctx, options, &push_token(base, &i.to_string()), &mut problems);
        }
    }
    finish(problems)
}

/// Validates a single event (the body of `POST /events`), reading prefixes from the event's own
/// `@context` if it has one. Pointers are relative to the event (`/eventTimeZoneOffset`).
///
/// # Errors
/// Every problem found.
pub fn validate_event(event: &Value) -> Result<(), Vec<Problem>> {
    validate_event_in(event, &Context::from_document(event), ValidationOptions::STRICT)
}

/// Validates one event with the prefixes of its enclosing document (e.g. when a capture job
/// checks events one by one to report per-event errors).
///
/// # Errors
/// Every problem found; pointers are relative to the event.
pub fn validate_event_in(event: &Value, context: &Context, options: ValidationOptions) -> Result<(), Vec<Problem>> {
    if event.get("type").and_then(Value::as_str).is_none_or(str::is_empty) {
        let message = "'type' is required: ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, \
                       AssociationEvent or an extension event type URI";
        return finish(vec![Problem::at("/type".to_owned(), message)]);
    }
    let mut problems = schema::check_event(event);
    rules::check_event(event, context, options, "", &mut problems);
    finish(problems)
}

/// Drops repeats (the schema reports some failures once per branch) and wraps the result.
fn finish(mut problems: Vec<Problem>) -> Result<(), Vec<Problem>> {
    let mut seen = std::collections::HashSet::new();
    problems.retain(|p| seen.insert((p.pointer.clone(), p.message.clone())));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}
