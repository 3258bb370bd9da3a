//! Events as the repository returns them: the captured JSON plus `recordTime` and any
//! `eventID` the repository assigned, identifiers in the form the client asked for
//! (`GS1-EPC-Format`), inside an EPCISQueryDocument whose `@context` declares every prefix
//! the events use.

use std::collections::HashMap;

use qy_kernel::{Error, Result};
use serde_json::{json, Map, Value};

use crate::domain::StoredEvent;

/// `GS1-EPC-Format` values this repository honours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpcFormat {
    /// GS1 keys written as EPC URNs are returned as Digital Link (the standard's default).
    DigitalLink,
    /// Identifiers exactly as captured.
    AsCaptured,
}

impl EpcFormat {
    pub fn parse(header: Option<&str>) -> Result<Self> {
        match header.map(str::trim) {
            None | Some("") | Some("Always_GS1_Digital_Link") | Some("No_Preference") => Ok(Self::DigitalLink),
            Some("Never_Translates") => Ok(Self::AsCaptured),
            // Digital Link → URN needs each company prefix's length, which this repository
            // does not hold (see the reference, §1.5).
            Some(other) => Err(Error::new(
                qy_kernel::ErrorKind::BadRequest,
                "trace.epc_format",
                format!("GS1-EPC-Format {other:?} is not supported: use Always_GS1_Digital_Link or Never_Translates"),
            )),
        }
    }
    pub fn header(self) -> &'static str {
        match self {
            Self::DigitalLink => "Always_GS1_Digital_Link",
            Self::AsCaptured => "Never_Translates",
        }
    }
}

fn rfc3339(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| format!("{t:.3}")).unwrap_or_default()
}

/// The event as JSON for a response.
pub fn event_json(e: &StoredEvent, format: EpcFormat) -> Value {
    let mut v: Value = serde_json::from_str(&e.body).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("recordTime".into(), Value::String(rfc3339(e.record_time)));
        if e.id_assigned {
            o.insert("eventID".into(), Value::String(e.event_id.clone()));
        }
        if format == EpcFormat::DigitalLink {
            translate_event(o);
        }
    }
    v
}

fn to_dl(s: &str) -> Option<String> {
    s.starts_with("urn:epc:").then(|| qy_gs1::urn_to_digital_link(s).ok()).flatten()
}

fn translate_str(v: &mut Value) {
    if let Some(dl) = v.as_str().and_then(to_dl) {
        *v = Value::String(dl);
    }
}

/// URN identifiers in the standard identifier fields become Digital Link.
fn translate_event(o: &mut Map<String, Value>) {
    for key in ["epcList", "childEPCs", "inputEPCList", "outputEPCList"] {
        if let Some(Value::Array(a)) = o.get_mut(key) {
            a.iter_mut().for_each(translate_str);
        }
    }
    if let Some(p) = o.get_mut("parentID") {
        translate_str(p);
    }
    for key in ["quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList"] {
        if let Some(Value::Array(a)) = o.get_mut(key) {
            for q in a.iter_mut() {
                if let Some(c) = q.get_mut("epcClass") {
                    translate_str(c);
                }
            }
        }
    }
    for key in ["readPoint", "bizLocation"] {
        if let Some(id) = o.get_mut(key).and_then(|r| r.get_mut("id")) {
            translate_str(id);
        }
    }
    for (list, field) in [("sourceList", "source"), ("destinationList", "destination")] {
        if let Some(Value::Array(a)) = o.get_mut(list) {
            for s in a.iter_mut() {
                if let Some(v) = s.get_mut(field) {
                    translate_str(v);
                }
            }
        }
    }
}

/// The `@context` for a set of events: the standard context plus every prefix their
/// documents declared (the first declaration of a prefix wins).
pub fn merged_context(events: &[StoredEvent], contexts: &HashMap<String, String>) -> Value {
    let mut prefixes = Map::new();
    for e in events {
        let Some(ctx) = contexts.get(&e.context_hash).and_then(|c| serde_json::from_str::<Value>(c).ok()) else {
            continue;
        };
        let objects: Vec<&Value> = match &ctx {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for (k, v) in objects.into_iter().filter_map(Value::as_object).flatten() {
            prefixes.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
    if prefixes.is_empty() {
        json!([qy_epcis::STANDARD_CONTEXT_URL])
    } else {
        json!([qy_epcis::STANDARD_CONTEXT_URL, Value::Object(prefixes)])
    }
}

/// An EPCISQueryDocument with `events` as the results of `query_name`.
pub fn query_document(
    query_name: &str,
    subscription: Option<&str>,
    events: &[StoredEvent],
    contexts: &HashMap<String, String>,
    format: EpcFormat,
    now_ms: i64,
) -> Value {
    let list: Vec<Value> = events.iter().map(|e| event_json(e, format)).collect();
    let mut results = json!({"queryName": query_name, "resultsBody": {"eventList": list}});
    if let Some(s) = subscription {
        results["subscriptionID"] = Value::String(s.to_owned());
    }
    json!({
        "@context": merged_context(events, contexts),
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": rfc3339(now_ms),
        "epcisBody": {"queryResults": results},
    })
}
