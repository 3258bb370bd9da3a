//! Validation: every GS1 example, every hash vector and the yak chain are valid; the six broken
//! variants of Example 9.6.1 from the research brief (§3.3) and the semantic-rule violations are
//! rejected, each with a problem that names the offending field.
//!
//! The GS1 corpus is checked with [`ValidationOptions::GS1_EXAMPLES`] (sensor-time rule off)
//! because five published documents report sensor readings taken after their `eventTime`;
//! `gs1_documents_that_break_the_sensor_time_rule` pins exactly which.

mod common;

use common::{json, jsonld_files, TestResult};
use qy_epcis::{validate_document, validate_document_with, validate_event, Problem, ValidationOptions};
use serde_json::{json, Value};

fn expect_valid(rel: &str) -> TestResult {
    let doc = json(rel)?;
    validate_document_with(&doc, ValidationOptions::GS1_EXAMPLES)
        .map_err(|problems| format!("{rel}: {}", render(&problems)))
}

/// Strict validation differs from the GS1 corpus mode only in the sensor-time rule, and only
/// these five documents break it (their sensor times lie after `eventTime`, by 5 minutes in the
/// vector and by years in the "all possible fields" examples).
#[test]
fn gs1_documents_that_break_the_sensor_time_rule() -> TestResult {
    let mut files = jsonld_files("examples")?;
    files.extend(jsonld_files("hash-vectors")?);
    files.push("local/qinghai-yak-chain.jsonld".into());
    let mut breaking = Vec::new();
    for f in &files {
        if let Err(problems) = validate_document(&json(f)?) {
            if !problems.iter().all(|p| p.message.contains("later than")) {
                return Err(format!("{f}: {}", render(&problems)));
            }
            breaking.push(f.rsplit('/').next().unwrap_or_default().to_owned());
        }
    }
    breaking.sort();
    let expected = [
        "CertificationInfoAndSensorReportWithCRS.jsonld",
        "aggregation_event_all_possible_fields.jsonld",
        "object_event_all_possible_fields.jsonld",
        "transaction_event_all_possible_fields.jsonld",
        "transformation_event_all_possible_fields.jsonld",
    ];
    if breaking != expected {
        return Err(format!("{breaking:?}"));
    }
    Ok(())
}

fn render(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("\n  [{}] {p}", p.field)).collect()
}

#[test]
fn all_gs1_examples_are_valid() -> TestResult {
    let files = jsonld_files("examples")?;
    if files.len() != 20 {
        return Err(format!("expected the 20 GS1 examples, found {}", files.len()));
    }
    files.iter().try_for_each(|f| expect_valid(f))
}

#[test]
fn all_hash_vectors_are_valid() -> TestResult {
    jsonld_files("hash-vectors")?.iter().try_for_each(|f| expect_valid(f))
}

#[test]
fn yak_chain_is_valid() -> TestResult {
    expect_valid("local/qinghai-yak-chain.jsonld")
}

/// Example 9.6.1 with `mutate` applied to its first event must be rejected with a problem whose
/// field is `field` (and, when given, whose pointer is `pointer`).
fn rejected(mutate: impl FnOnce(&mut Value), field: &str, pointer: Option<&str>) -> TestResult {
    let mut doc = json("examples/Example_9.6.1-ObjectEvent.jsonld")?;
    let event = doc.pointer_mut("/epcisBody/eventList/0").ok_or("no first event")?;
    mutate(event);
    let problems = match validate_document(&doc) {
        Ok(()) => return Err(format!("mutation on '{field}' was accepted")),
        Err(p) => p,
    };
    let named = problems.iter().any(|p| p.field == field && pointer.is_none_or(|ptr| p.pointer == ptr));
    if named {
        Ok(())
    } else {
        Err(format!("no problem names '{field}':{}", render(&problems)))
    }
}

fn set(event: &mut Value, key: &str, value: Value) {
    if let Some(obj) = event.as_object_mut() {
        obj.insert(key.to_owned(), value);
    }
}

fn remove(event: &mut Value, key: &str) {
    if let Some(obj) = event.as_object_mut() {
        obj.remove(key);
    }
}

#[test]
fn missing_event_time_zone_offset_is_rejected() -> TestResult {
    let ptr = "/epcisBody/eventList/0/eventTimeZoneOffset";
    rejected(|e| remove(e, "eventTimeZoneOffset"), "eventTimeZoneOffset", Some(ptr))
}

#[test]
fn unknown_action_is_rejected() -> TestResult {
    rejected(|e| set(e, "action", json!("FOO")), "action", Some("/epcisBody/eventList/0/action"))
}

#[test]
fn event_time_without_offset_is_rejected() -> TestResult {
    rejected(|e| set(e, "eventTime", json!("2005-04-03T20:33:31.116")), "eventTime", None)
}

#[test]
fn unprefixed_extension_key_is_rejected() -> TestResult {
    rejected(|e| set(e, "foo", json!("bar")), "foo", Some("/epcisBody/eventList/0/foo"))
}

#[test]
fn urn_form_biz_step_is_rejected() -> TestResult {
    rejected(|e| set(e, "bizStep", json!("urn:epcglobal:cbv:bizstep:shipping")), "bizStep", None)
}

#[test]
fn lower_case_uom_is_rejected() -> TestResult {
    rejected(
        |e| {
            set(
                e,
                "quantityList",
                json!([{"epcClass": "urn:epc:class:lgtin:4012345.012345.998877", "quantity": 200, "uom": "kg"}]),
            )
        },
        "uom",
        Some("/epcisBody/eventList/0/quantityList/0/uom"),
    )
}

#[test]
fn aggregation_add_without_parent_is_rejected() -> TestResult {
    rejected(
        |e| {
            set(e, "type", json!("AggregationEvent"));
            set(e, "action", json!("ADD"));
            remove(e, "epcList");
            set(e, "childEPCs", json!(["urn:epc:id:sgtin:0614141.107346.2017"]));
        },
        "parentID",
        Some("/epcisBody/eventList/0/parentID"),
    )
}

#[test]
fn sensor_time_after_event_time_is_rejected() -> TestResult {
    rejected(
        |e| {
            set(
                e,
                "sensorElementList",
                json!([{"sensorMetadata": {"time": "2005-04-04T20:33:31.116-06:00"},
                        "sensorReport": [{"type": "Temperature", "value": 4.0, "uom": "CEL"}]}]),
            );
        },
        "time",
        Some("/epcisBody/eventList/0/sensorElementList/0/sensorMetadata/time"),
    )
}

#[test]
fn undeclared_prefix_is_rejected() -> TestResult {
    rejected(|e| set(e, "qh:breed", json!("Datong yak")), "qh:breed", Some("/epcisBody/eventList/0/qh:breed"))
}

#[test]
fn bad_gtin_check_digit_in_an_sgtin_is_rejected() -> TestResult {
    rejected(
        |e| set(e, "epcList", json!(["https://id.gs1.org/01/10614141073465/21/2017"])),
        "epcList",
        Some("/epcisBody/eventList/0/epcList/0"),
    )
}

#[test]
fn serialised_epc_class_is_rejected() -> TestResult {
    rejected(
        |e| {
            set(e, "quantityList", json!([{"epcClass": "https://id.gs1.org/01/10614141073464/21/2017", "quantity": 1}]))
        },
        "epcClass",
        Some("/epcisBody/eventList/0/quantityList/0/epcClass"),
    )
}

#[test]
fn transaction_event_without_biz_transactions_is_rejected() -> TestResult {
    rejected(
        |e| {
            set(e, "type", json!("TransactionEvent"));
            remove(e, "bizTransactionList");
        },
        "bizTransactionList",
        None,
    )
}

/// `POST /events`: one event with its own `@context`; pointers are relative to the event.
#[test]
fn single_event_validation_reports_event_relative_pointers() -> TestResult {
    let doc = json("local/qinghai-yak-chain.jsonld")?;
    let mut event = doc.pointer("/epcisBody/eventList/0").cloned().ok_or("no event")?;
    set(&mut event, "@context", doc["@context"].clone());
    validate_event(&event).map_err(|p| render(&p))?;
    set(&mut event, "eventTimeZoneOffset", json!("+8:00"));
    match validate_event(&event) {
        Ok(()) => Err("offset +8:00 accepted".into()),
        Err(p) if p.iter().any(|p| p.pointer == "/eventTimeZoneOffset") => Ok(()),
        Err(p) => Err(render(&p)),
    }
}

#[test]
fn query_documents_need_their_event_list() {
    let doc = json!({"@context": "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     "type": "EPCISQueryDocument", "schemaVersion": "2.0", "creationDate": "2024-01-01T00:00:00Z",
                     "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {}}}});
    assert!(validate_document(&doc).is_err());
}

#[test]
fn problems_print_pointer_and_message() {
    let doc = json!({"type": "EPCISDocument"});
    let problems = validate_document(&doc).err().unwrap_or_default();
    assert!(problems.iter().any(|p| p.field == "schemaVersion" && p.to_string().starts_with("/schemaVersion: ")));
}

#[test]
fn a_missing_type_is_reported_alone() {
    let doc = json!({"epcisBody": {"eventList": []}});
    let problems = validate_document(&doc).err().unwrap_or_default();
    assert_eq!(problems.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["type"]);
    let problems = validate_event(&json!({"action": "ADD"})).err().unwrap_or_default();
    assert_eq!(problems.iter().map(|p| p.pointer.as_str()).collect::<Vec<_>>(), ["/type"]);
}
