//! Capture: every GS1 example accepted and queryable, hashes as eventIDs, deduplication,
//! rollback and proceed, broken documents rejected naming the field.

use qy_trace::service::capture::{Document, ErrorBehaviour};
use serde_json::{json, Value};

use crate::harness::{data, example_files, H};

#[tokio::test]
async fn every_example_document_is_accepted_and_its_events_are_queryable() {
    let h = H::new().await;
    let files = example_files();
    assert!(files.len() >= 20, "{files:?}");
    for f in &files {
        let text = data(f);
        let doc: Value = serde_json::from_str(&text).unwrap();
        let expected = qy_epcis::events(&doc).unwrap().len();
        let out = h.capture(&text, ErrorBehaviour::Rollback).await;
        assert!(out.errors.is_empty(), "{f}: {:?}", out.errors);
        assert_eq!(out.captured + out.duplicates, expected, "{f}");
        for id in &out.event_ids {
            let found = h.ids(&[("EQ_eventID", id)]).await;
            assert!(found.contains(id), "{f}: {id} not found by EQ_eventID");
        }
    }
}

#[tokio::test]
async fn events_without_an_id_get_their_hash_and_come_back_hashing_to_it() {
    let h = H::new().await;
    let text = data("local/qinghai-yak-chain.jsonld");
    let expected: Vec<String> = data("local/qinghai-yak-chain.hashes").lines().map(str::to_owned).collect();
    let out = h.capture(&text, ErrorBehaviour::Rollback).await;
    assert_eq!(out.event_ids, expected, "eventIDs are the CBV 2.0 hashes");
    // Returned events, minus what the repository added, hash to the same ID.
    let page =
        h.trace.query_params(&[("eventType".into(), "ObjectEvent|TransformationEvent".into())], "").await.unwrap();
    let doc = h
        .trace
        .query_document("SimpleEventQuery", None, &page.events, qy_trace::service::output::EpcFormat::AsCaptured)
        .await
        .unwrap();
    let ctx = qy_epcis::Context::from_document(&doc);
    for ev in doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().unwrap() {
        let mut bare = ev.clone();
        let id = bare["eventID"].as_str().unwrap().to_owned();
        bare.as_object_mut().unwrap().remove("eventID");
        bare.as_object_mut().unwrap().remove("recordTime");
        assert_eq!(qy_epcis::event_hash(&bare, &ctx), id);
        assert!(ev["recordTime"].as_str().unwrap().ends_with('Z'));
    }
}

#[tokio::test]
async fn recapturing_a_document_stores_nothing_twice() {
    let h = H::new().await;
    let text = data("examples/Example_9.6.1-ObjectEvent.jsonld");
    let first = h.capture(&text, ErrorBehaviour::Rollback).await;
    let again = h.capture(&text, ErrorBehaviour::Rollback).await;
    assert_eq!((first.captured, again.captured, again.duplicates), (2, 0, 2));
    assert_eq!(qy_trace::store::events::count(h.trace.db()).await.unwrap(), 2);
}

fn broken(mutate: impl Fn(&mut Value)) -> String {
    let mut doc: Value = serde_json::from_str(&data("examples/Example_9.6.1-ObjectEvent.jsonld")).unwrap();
    mutate(&mut doc["epcisBody"]["eventList"][1]);
    doc.to_string()
}

#[tokio::test]
async fn rollback_rejects_the_whole_document_and_proceed_keeps_the_valid_events() {
    let h = H::new().await;
    let text = broken(|e| {
        e.as_object_mut().unwrap().remove("eventTimeZoneOffset");
    });
    let out = h.capture(&text, ErrorBehaviour::Rollback).await;
    assert_eq!(out.captured, 0);
    assert!(!out.success());
    assert_eq!(out.errors[0]["eventIndex"], 1);
    assert!(out.errors.iter().any(|e| e.to_string().contains("eventTimeZoneOffset")), "{:?}", out.errors);
    let out = h.capture(&text, ErrorBehaviour::Proceed).await;
    assert_eq!(out.captured, 1, "the valid first event is kept");
    assert!(!out.success());
}

#[tokio::test]
async fn broken_events_are_rejected_with_the_field_named() {
    let h = H::new().await;
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation)> = vec![
        ("action", Box::new(|e| e["action"] = json!("FOO"))),
        ("eventTime", Box::new(|e| e["eventTime"] = json!("2005-04-04T02:33:31.116"))),
        ("bizStep", Box::new(|e| e["bizStep"] = json!("urn:epcglobal:cbv:bizstep:shipping"))),
        ("foo", Box::new(|e| e["foo"] = json!("bar"))),
        ("epcList", Box::new(|e| e["epcList"] = json!(["https://id.gs1.org/01/10614141073465/21/2017"]))),
    ];
    for (field, mutate) in cases {
        let out = h.capture(&broken(mutate), ErrorBehaviour::Rollback).await;
        assert_eq!(out.captured, 0, "{field}");
        assert!(out.errors.iter().any(|e| e.to_string().contains(field)), "{field}: {:?}", out.errors);
    }
}

#[tokio::test]
async fn a_single_event_is_captured_once_and_a_duplicate_is_a_conflict() {
    let h = H::new().await;
    let ev = json!({
        "type": "ObjectEvent", "eventTime": "2026-10-01T08:00:00+08:00", "eventTimeZoneOffset": "+08:00",
        "epcList": ["https://id.gs1.org/01/09521234000013/21/A1"], "action": "OBSERVE", "bizStep": "receiving"
    })
    .to_string();
    let id = h.trace.capture_one(&ev, "test").await.unwrap();
    assert!(id.starts_with("ni:///sha-256;") && id.ends_with("?ver=CBV2.0"));
    let e = h.trace.capture_one(&ev, "test").await.unwrap_err();
    assert_eq!(e.code, "trace.event_exists");
    let bad = h.trace.capture_one(r#"{"type": "ObjectEvent"}"#, "test").await.unwrap_err();
    assert_eq!(bad.code, "trace.invalid_event");
    let stored = qy_trace::store::events::by_event_id(h.trace.db(), &id).await.unwrap();
    assert_eq!(stored[0].body, ev, "stored byte for byte");
}

#[tokio::test]
async fn documents_that_are_not_epcis_are_refused_before_any_job() {
    for text in ["not json", "{}", r#"{"type": "EPCISDocument"}"#, r#"{"type":"EPCISDocument","epcisBody":{}}"#] {
        let e = Document::parse(text).err().unwrap();
        assert_eq!(e.code, "trace.malformed_document", "{text}");
    }
}

#[tokio::test]
async fn an_error_declaration_is_kept_beside_the_event_it_declares() {
    let h = H::new().await;
    let out = h
        .capture(
            &data("examples/WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld"),
            ErrorBehaviour::Rollback,
        )
        .await;
    assert!(out.errors.is_empty(), "{:?}", out.errors);
    let declared = h.ids(&[("EXISTS_errorDeclaration", "")]).await;
    assert_eq!(declared, vec!["urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8"]);
    let reason = h.ids(&[("EQ_errorReason", "incorrect_data")]).await;
    assert_eq!(reason, declared);
}
