//! The GS1 EPCIS 2.0 JSON Schema, compiled once, and its errors turned into [`Problem`]s that name
//! the field.
//!
//! Compiling the 100 kB schema takes milliseconds, validating an event microseconds, so both
//! validators live in `LazyLock`s. Format validation is switched on: without it an `eventTime`
//! lacking its offset passes (the Python `jsonschema` pitfall noted in the research brief).

use std::sync::LazyLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{ValidationError, Validator};
use serde_json::Value;

use crate::problem::{push_token, Problem};

/// Validates whole EPCISDocument / EPCISQueryDocument values (the schema's own root).
static DOCUMENT: LazyLock<Result<Validator, String>> = LazyLock::new(|| compile(|schema| schema));

/// Validates one event against the schema's `EPCIS-Document-Event` definition, the same rules an
/// event gets inside a document's `eventList`, so pointers come out relative to the event.
static EVENT: LazyLock<Result<Validator, String>> = LazyLock::new(|| {
    compile(|mut schema| {
        if let Some(root) = schema.as_object_mut() {
            root.retain(|k, _| matches!(k.as_str(), "$schema" | "$id" | "definitions"));
            root.insert("allOf".into(), serde_json::json!([{"$ref": "#/definitions/EPCIS-Document-Event"}]));
        }
        schema
    })
});

fn compile(adapt: impl FnOnce(Value) -> Value) -> Result<Validator, String> {
    let schema: Value = serde_json::from_str(crate::EPCIS_JSON_SCHEMA).map_err(|e| e.to_string())?;
    jsonschema::draft7::options().should_validate_formats(true).build(&adapt(schema)).map_err(|e| e.to_string())
}

/// Schema problems of a document; pointers are from the document root.
pub(crate) fn check_document(doc: &Value) -> Vec<Problem> {
    check(&DOCUMENT, doc, "")
}

/// Schema problems of a single event; pointers are from the event (`/action`).
pub(crate) fn check_event(event: &Value) -> Vec<Problem> {
    check(&EVENT, event, "")
}

fn check(validator: &Result<Validator, String>, instance: &Value, base: &str) -> Vec<Problem> {
    match validator {
        // Valid events are the common case; `is_valid` stops at nothing and collects nothing.
        Ok(v) if v.is_valid(instance) => Vec::new(),
        Ok(v) => {
            let mut found = Vec::new();
            for error in v.iter_errors(instance) {
                describe(&error, base, &mut found);
            }
            // An `anyOf` over an object often fails because of one of its fields, which another
            // keyword already reported (e.g. `action: "FOO"` fails both the enum and the
            // action-dependent branches); keep the direct report only.
            let direct: Vec<String> =
                found.iter().filter(|f| !f.secondary).map(|f| f.problem.pointer.clone()).collect();
            found
                .into_iter()
                .filter(|f| !f.secondary || !direct.contains(&f.problem.pointer))
                .map(|f| f.problem)
                .collect()
        }
        Err(e) => vec![Problem::at(base.to_owned(), format!("internal error: the EPCIS schema did not compile: {e}"))],
    }
}

/// A problem, and whether it was derived from an `anyOf` over an enclosing object.
struct Found {
    problem: Problem,
    secondary: bool,
}

impl Found {
    fn direct(pointer: String, message: impl Into<String>) -> Self {
        Self { problem: Problem::at(pointer, message), secondary: false }
    }
}

/// Appends the problems one schema error stands for.
fn describe(error: &ValidationError<'_>, base: &str, out: &mut Vec<Found>) {
    let pointer = format!("{base}{}", error.instance_path.as_str());
    let value = &*error.instance;
    match &error.kind {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(Found::direct(push_token(&pointer, name), format!("'{name}' is required")));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                out.push(Found::direct(push_token(&pointer, name), format!("'{name}' is not allowed here")));
            }
        }
        ValidationErrorKind::PropertyNames { error } => {
            let name = error.instance.as_str().unwrap_or_default();
            out.push(Found::direct(
                push_token(&pointer, name),
                format!(
                    "'{name}' is not a field of this element; an extension field needs a namespace: write it as \
                     a CURIE such as 'ex:{name}' with the prefix declared in @context, or as a full URI"
                ),
            ));
        }
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            out.push(any_of(&pointer, value, context));
        }
        kind => out.push(Found::direct(pointer.clone(), message(&pointer, value, kind))),
    }
}

/// Words for the errors that concern a single value.
fn message(pointer: &str, value: &Value, kind: &ValidationErrorKind) -> String {
    let shown = show(value);
    let field = crate::problem::field_of(pointer);
    match kind {
        ValidationErrorKind::Enum { options } => format!("{shown} is not one of {}", show_options(options)),
        ValidationErrorKind::Format { format } if format == "date-time" => {
            format!("{shown} is not an RFC 3339 date-time with a time-zone offset (e.g. 2024-10-20T09:00:00+08:00)")
        }
        ValidationErrorKind::Format { format } if format == "uri" => format!("{shown} is not an absolute URI"),
        ValidationErrorKind::Format { format } => format!("{shown} is not a valid {format}"),
        ValidationErrorKind::Pattern { .. } if field == "eventTimeZoneOffset" => {
            format!("{shown} is not a time-zone offset of the form +hh:mm or -hh:mm (e.g. +08:00)")
        }
        ValidationErrorKind::Pattern { .. } if field == "uom" => {
            format!("{shown} is not a UN/ECE Recommendation 20 unit code (2–3 capitals or digits, e.g. KGM)")
        }
        ValidationErrorKind::Pattern { pattern } => format!("{shown} does not match the pattern {pattern}"),
        ValidationErrorKind::Type { kind: TypeKind::Single(t) } => format!("{shown} must be of type {t}"),
        ValidationErrorKind::Type { kind: TypeKind::Multiple(set) } => {
            let names: Vec<String> = set.iter().map(|t| t.to_string()).collect();
            format!("{shown} must be of type {}", names.join(" or "))
        }
        ValidationErrorKind::MinItems { limit } => format!("needs at least {limit} item(s)"),
        ValidationErrorKind::MaxItems { limit } => format!("allows at most {limit} item(s)"),
        ValidationErrorKind::UniqueItems => "items must not repeat".to_owned(),
        ValidationErrorKind::Constant { expected_value } => format!("must be {expected_value}"),
        ValidationErrorKind::FalseSchema => "is not allowed here".to_owned(),
        other => format!("{shown} is invalid ({other:?})"),
    }
}

/// `anyOf` in the GS1 schema means either "a standard word or a URI" (vocabulary fields), "at
/// least one of these fields" (the what-dimension of an event), or "one of these shapes" for a
/// field deeper down; say which, at the field concerned.
fn any_of(pointer: &str, value: &Value, context: &[Vec<ValidationError<'static>>]) -> Found {
    let field = crate::problem::field_of(pointer);
    if let Some(text) = value.as_str() {
        return Found::direct(pointer.to_owned(), vocabulary_message(&field, text));
    }
    let mut required: Vec<String> = context
        .iter()
        .flatten()
        .filter_map(|e| match &e.kind {
            ValidationErrorKind::Required { property } => property.as_str().map(str::to_owned),
            _ => None,
        })
        .collect();
    required.dedup();
    if let Some(first) = required.first() {
        let names: Vec<String> = required.iter().map(|r| format!("'{r}'")).collect();
        return Found::direct(push_token(pointer, first), format!("one of {} is required", names.join(", ")));
    }
    // ObjectEvent / TransformationEvent: `ilmd` is forbidden (`not: {}`) unless action is ADD.
    let ilmd = context
        .iter()
        .flatten()
        .find(|e| matches!(e.kind, ValidationErrorKind::Not { .. }) && e.instance_path.as_str().ends_with("/ilmd"));
    if let Some(e) = ilmd {
        let at = e.instance_path.as_str().to_owned();
        return Found::direct(
            at,
            "ilmd is only allowed when action is ADD (lot data is fixed when the object is created)",
        );
    }
    let mut subs = Vec::new();
    for e in context.iter().flatten() {
        describe(e, "", &mut subs);
    }
    let mut reasons: Vec<String> = subs.iter().map(|f| f.problem.message.clone()).collect();
    reasons.dedup();
    let reasons = reasons.join("; ");
    let target =
        subs.first().map(|f| f.problem.pointer.clone()).filter(|p| subs.iter().all(|f| &f.problem.pointer == p));
    match target {
        Some(inner) if inner != pointer => Found {
            problem: Problem::at(inner, format!("matches none of the allowed forms: {reasons}")),
            secondary: true,
        },
        _ => Found::direct(pointer.to_owned(), format!("{} matches none of the allowed forms: {reasons}", show(value))),
    }
}

fn vocabulary_message(field: &str, text: &str) -> String {
    if text.starts_with("urn:epcglobal:cbv:") {
        let bare = text.rsplit(':').next().unwrap_or_default();
        return format!(
            "'{text}' is the CBV 1.x URN form, which EPCIS 2.0 JSON does not accept for {field}; write the bare \
             word '{bare}' or the Web URI"
        );
    }
    if text.starts_with("https://gs1.org/voc/") || text.starts_with("https://ns.gs1.org/cbv/") {
        return format!("'{text}' is not accepted for {field}; standard values are written as bare words");
    }
    format!("'{text}' is neither a standard {field} value nor an absolute URI")
}

/// A value for a message: strings quoted, other JSON compact and shortened.
fn show(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("'{s}'"),
        Value::Object(_) => return "this object".to_owned(),
        Value::Array(_) => return "this list".to_owned(),
        other => other.to_string(),
    };
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(80).collect::<String>())
    } else {
        text
    }
}

fn show_options(options: &Value) -> String {
    match options.as_array() {
        Some(items) if items.len() <= 8 => {
            items.iter().map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)).collect::<Vec<_>>().join(", ")
        }
        Some(items) => format!("the {} standard values", items.len()),
        None => options.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_name_the_type() {
        let found = check_event(&serde_json::json!({"type": "ObjectEvent", "action": "ADD", "epcList": "x"}));
        assert!(found.iter().any(|p| p.field == "epcList" && p.message.contains("must be of type array")), "{found:?}");
    }

    #[test]
    fn both_validators_compile() {
        assert!(DOCUMENT.is_ok(), "{:?}", DOCUMENT.as_ref().err());
        assert!(EVENT.is_ok(), "{:?}", EVENT.as_ref().err());
    }
}
