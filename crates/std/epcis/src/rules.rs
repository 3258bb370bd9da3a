//! The rules of EPCIS 2.0 / CBV 2.0 that the GS1 JSON Schema does not express (research brief
//! §3.3): a repository must enforce them itself.

use jiff::Timestamp;
use serde_json::{Map, Value};

use crate::canon::parse_time;
use crate::context::Context;
use crate::ident;
use crate::problem::{push_token, Problem};
use crate::validate::ValidationOptions;

/// Fields whose values are URIs (identifiers or vocabulary), so a `prefix:` in them must resolve.
/// Extension values are free text and are not checked.
const URI_FIELDS: [&str; 27] = [
    "parentID",
    "epcList",
    "childEPCs",
    "inputEPCList",
    "outputEPCList",
    "epcClass",
    "bizStep",
    "disposition",
    "set",
    "unset",
    "id",
    "bizTransaction",
    "source",
    "destination",
    "certificationInfo",
    "transformationID",
    "deviceID",
    "deviceMetadata",
    "rawData",
    "dataProcessingMethod",
    "bizRules",
    "microorganism",
    "chemicalSubstance",
    "coordinateReferenceSystem",
    "uriValue",
    "reason",
    "correctiveEventIDs",
];

/// URI schemes that appear in EPCIS data; `scheme:rest` with one of these is an IRI, not a CURIE.
const URI_SCHEMES: [&str; 16] = [
    "http", "https", "urn", "geo", "ni", "mailto", "tel", "tag", "did", "data", "ftp", "file", "ldap", "ws", "wss",
    "uuid",
];

/// Checks one event; `base` is the event's JSON pointer within the validated value.
pub(crate) fn check_event(
    event: &Value,
    ctx: &Context,
    options: ValidationOptions,
    base: &str,
    out: &mut Vec<Problem>,
) {
    let Some(obj) = event.as_object() else { return };
    parent_id(obj, base, out);
    transaction_list(obj, base, out);
    if options.sensor_times {
        sensor_times(obj, base, out);
    }
    prefixes(event, ctx, base, &mut Vec::new(), out);
    identifiers(obj, base, out);
    class_level(obj, base, out);
}

fn str_field<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    obj.get(key).and_then(Value::as_str)
}

/// EPCIS 2.0: an AggregationEvent or AssociationEvent with action ADD or DELETE
/// must say which parent the children join or leave.
fn parent_id(obj: &Map<String, Value>, base: &str, out: &mut Vec<Problem>) {
    let kind = str_field(obj, "type").unwrap_or_default();
    let action = str_field(obj, "action").unwrap_or_default();
    if !matches!(kind, "AggregationEvent" | "AssociationEvent") || !matches!(action, "ADD" | "DELETE") {
        return;
    }
    if str_field(obj, "parentID").is_none_or(|p| p.trim().is_empty()) {
        out.push(Problem::at(
            push_token(base, "parentID"),
            format!("parentID is required for an {kind} with action {action}"),
        ));
    }
}

/// EPCIS 2.0: a TransactionEvent exists to link objects to business transactions.
fn transaction_list(obj: &Map<String, Value>, base: &str, out: &mut Vec<Problem>) {
    if str_field(obj, "type") != Some("TransactionEvent") {
        return;
    }
    if obj.get("bizTransactionList").and_then(Value::as_array).is_none_or(Vec::is_empty) {
        out.push(Problem::at(
            push_token(base, "bizTransactionList"),
            "a TransactionEvent needs a bizTransactionList with at least one bizTransaction",
        ));
    }
}

/// A sensor reading cannot be reported before it was taken: `time`, `startTime` and `endTime`
/// must not be later than `eventTime`, and `startTime` not later than `endTime` (draft GS1
/// conformance row M122).
fn sensor_times(obj: &Map<String, Value>, base: &str, out: &mut Vec<Problem>) {
    let Some(event_time) = str_field(obj, "eventTime").and_then(parse_time) else { return };
    let Some(elements) = obj.get("sensorElementList").and_then(Value::as_array) else { return };
    for (i, element) in elements.iter().enumerate() {
        let el_ptr = push_token(&push_token(base, "sensorElementList"), &i.to_string());
        if let Some(meta) = element.get("sensorMetadata").and_then(Value::as_object) {
            let meta_ptr = push_token(&el_ptr, "sensorMetadata");
            for key in ["time", "startTime", "endTime"] {
                not_after_event(meta, key, &meta_ptr, event_time, out);
            }
            let start = str_field(meta, "startTime").and_then(parse_time);
            let end = str_field(meta, "endTime").and_then(parse_time);
            if let (Some(s), Some(e)) = (start, end) {
                if s > e {
                    out.push(Problem::at(push_token(&meta_ptr, "startTime"), "startTime is later than endTime"));
                }
            }
        }
        let reports = element.get("sensorReport").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (j, report) in reports.iter().enumerate() {
            if let Some(r) = report.as_object() {
                let ptr = push_token(&push_token(&el_ptr, "sensorReport"), &j.to_string());
                not_after_event(r, "time", &ptr, event_time, out);
            }
        }
    }
}

fn not_after_event(obj: &Map<String, Value>, key: &str, ptr: &str, event_time: Timestamp, out: &mut Vec<Problem>) {
    let Some(raw) = str_field(obj, key) else { return };
    if parse_time(raw).is_some_and(|t| t > event_time) {
        out.push(Problem::at(push_token(ptr, key), format!("{key} {raw} is later than the eventTime")));
    }
}

/// Every CURIE used as a key anywhere in the event, or as the value of a URI field, must use a
/// prefix declared in `@context` (or a standard prefix of the GS1 context); otherwise JSON-LD
/// consumers cannot expand it and the event hash writes it differently from the standard
/// (research brief §4.4 trap 3). The walk keeps the path as borrowed segments and builds a
/// pointer only for a problem, since almost every event has none.
fn prefixes<'a>(v: &'a Value, ctx: &Context, base: &str, path: &mut Vec<Seg<'a>>, out: &mut Vec<Problem>) {
    match v {
        Value::Object(obj) => {
            for (key, child) in obj {
                path.push(Seg::Key(key));
                if let Some(prefix) = undeclared_prefix(key, ctx) {
                    out.push(Problem::at(pointer(base, path), undeclared(prefix, key)));
                }
                if URI_FIELDS.contains(&key.as_str()) {
                    uri_values(child, ctx, base, path, out);
                }
                prefixes(child, ctx, base, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.push(Seg::Index(i));
                prefixes(item, ctx, base, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// One step of a JSON path.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

fn pointer(base: &str, path: &[Seg<'_>]) -> String {
    path.iter().fold(base.to_owned(), |acc, seg| match seg {
        Seg::Key(k) => push_token(&acc, k),
        Seg::Index(i) => push_token(&acc, &i.to_string()),
    })
}

fn uri_values<'a>(v: &'a Value, ctx: &Context, base: &str, path: &mut Vec<Seg<'a>>, out: &mut Vec<Problem>) {
    match v {
        Value::String(s) => {
            if let Some(prefix) = undeclared_prefix(s, ctx) {
                out.push(Problem::at(pointer(base, path), undeclared(prefix, s)));
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if let Value::String(_) = item {
                    path.push(Seg::Index(i));
                    uri_values(item, ctx, base, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

fn undeclared(prefix: &str, term: &str) -> String {
    format!("the prefix '{prefix}' of '{term}' is not declared in @context; add {{\"{prefix}\": \"<namespace URI>\"}}")
}

/// The prefix of `term` if it looks like a CURIE whose prefix is neither declared nor a URI scheme.
fn undeclared_prefix<'a>(term: &'a str, ctx: &Context) -> Option<&'a str> {
    let (prefix, rest) = term.split_once(':')?;
    if prefix.is_empty() || rest.starts_with("//") || ctx.namespace(prefix).is_some() {
        return None;
    }
    let is_name = prefix.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'));
    (is_name && !URI_SCHEMES.contains(&prefix.to_ascii_lowercase().as_str())).then_some(prefix)
}

/// GS1 keys in the what/where dimensions must be well-formed with correct check digits; a
/// mistyped GTIN would silently start a separate, unrecallable trace.
fn identifiers(obj: &Map<String, Value>, base: &str, out: &mut Vec<Problem>) {
    let mut check = |ptr: String, value: &Value| {
        if let Some(reason) = value.as_str().and_then(ident::instance_problem) {
            out.push(Problem::at(ptr, reason));
        }
    };
    for list in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] {
        if let Some(items) = obj.get(list).and_then(Value::as_array) {
            let list_ptr = push_token(base, list);
            for (i, item) in items.iter().enumerate() {
                check(push_token(&list_ptr, &i.to_string()), item);
            }
        }
    }
    if let Some(parent) = obj.get("parentID") {
        check(push_token(base, "parentID"), parent);
    }
    for loc in ["readPoint", "bizLocation"] {
        if let Some(id) = obj.get(loc).and_then(|l| l.get("id")) {
            check(push_token(&push_token(base, loc), "id"), id);
        }
    }
}

/// EPCIS 2.0: `epcClass` in a quantity element names a class (a GTIN, a GTIN + lot, a
/// pattern), never one serialised instance; otherwise the quantity is meaningless.
fn class_level(obj: &Map<String, Value>, base: &str, out: &mut Vec<Problem>) {
    for list in ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] {
        let Some(items) = obj.get(list).and_then(Value::as_array) else { continue };
        let list_ptr = push_token(base, list);
        for (i, item) in items.iter().enumerate() {
            let Some(class) = item.get("epcClass").and_then(Value::as_str) else { continue };
            if let Some(reason) = ident::class_problem(class) {
                out.push(Problem::at(push_token(&push_token(&list_ptr, &i.to_string()), "epcClass"), reason));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problems(ev: &Value) -> Vec<Problem> {
        let ctx = Context::from_document(&json!({"@context": [{"ex": "https://ex.example/"}]}));
        let mut out = Vec::new();
        check_event(ev, &ctx, ValidationOptions::STRICT, "", &mut out);
        out
    }

    #[test]
    fn aggregation_add_needs_parent() {
        let p = problems(&json!({"type": "AggregationEvent", "action": "ADD", "childEPCs": []}));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].field, "parentID");
        assert!(problems(&json!({"type": "AggregationEvent", "action": "OBSERVE"})).is_empty());
    }

    #[test]
    fn transaction_needs_biz_transactions() {
        let p = problems(&json!({"type": "TransactionEvent", "action": "ADD", "bizTransactionList": []}));
        assert_eq!(p[0].field, "bizTransactionList");
    }

    #[test]
    fn sensor_time_after_event_time_is_named() {
        let p = problems(&json!({
            "type": "ObjectEvent", "eventTime": "2024-10-16T20:00:00+08:00",
            "sensorElementList": [{"sensorMetadata": {"time": "2024-10-16T20:00:01+08:00"},
                                   "sensorReport": [{"type": "Temperature", "time": "2024-10-16T12:00:00Z"}]}]
        }));
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].pointer, "/sensorElementList/0/sensorMetadata/time");
        assert_eq!(p[0].field, "time");
    }

    #[test]
    fn undeclared_prefixes_in_keys_and_uri_values() {
        let p = problems(&json!({
            "type": "ObjectEvent", "ex:ok": "a:b", "foo:bar": "x", "cbvmda:lotNumber": "L1",
            "bizStep": "qh:grazing", "readPoint": {"id": "geo:36.6,101.7"}
        }));
        let fields: Vec<&str> = p.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["bizStep", "foo:bar"]);
    }
}
