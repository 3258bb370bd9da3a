//! EPCIS capture: validate (GS1 JSON Schema plus the rules it leaves out), hash, assign
//! eventIDs, deduplicate and store. A capture document is all-or-nothing (`rollback`, the
//! default) or keeps every valid event (`proceed`).

use std::collections::HashSet;

use qy_epcis::ValidationOptions;
use qy_kernel::{Error, Result};
use qy_storage::StoreResultExt;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::index::{self, Indexed};
use super::Trace;
use crate::domain::CaptureJob;
use crate::store::events::NewEvent;
use crate::store::{captures, events};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorBehaviour {
    Rollback,
    Proceed,
}

impl ErrorBehaviour {
    /// The `GS1-Capture-Error-Behaviour` header (`rollback` when absent).
    pub fn parse(header: Option<&str>) -> Result<Self> {
        match header.map(str::trim) {
            None | Some("") | Some("rollback") => Ok(Self::Rollback),
            Some("proceed") => Ok(Self::Proceed),
            Some(other) => Err(Error::bad_request(
                "trace.capture_behaviour",
                format!("GS1-Capture-Error-Behaviour must be rollback or proceed, not {other:?}"),
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rollback => "rollback",
            Self::Proceed => "proceed",
        }
    }
}

/// What a capture did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Outcome {
    pub captured: usize,
    pub duplicates: usize,
    /// One entry per problem: `{eventIndex, pointer, field, message}`.
    pub errors: Vec<Value>,
    pub event_ids: Vec<String>,
}

impl Outcome {
    pub fn success(&self) -> bool {
        self.errors.is_empty()
    }
}

#[derive(Deserialize)]
struct RawDoc<'a> {
    #[serde(borrow, rename = "epcisBody")]
    body: RawBody<'a>,
}

#[derive(Deserialize)]
struct RawBody<'a> {
    #[serde(borrow, rename = "eventList", default)]
    event_list: Option<Vec<&'a RawValue>>,
    #[serde(borrow, rename = "queryResults", default)]
    query_results: Option<RawResults<'a>>,
}

#[derive(Deserialize)]
struct RawResults<'a> {
    #[serde(borrow, rename = "resultsBody")]
    results_body: RawEvents<'a>,
}

#[derive(Deserialize)]
struct RawEvents<'a> {
    #[serde(borrow, rename = "eventList", default)]
    event_list: Vec<&'a RawValue>,
}

/// A parsed capture document: the tree to validate and the events' original text.
pub struct Document<'a> {
    pub tree: Value,
    pub raw_events: Vec<&'a str>,
}

impl<'a> Document<'a> {
    /// Parses an EPCISDocument or EPCISQueryDocument. Unparseable JSON and a body without
    /// an event list are refused here, before any job exists.
    pub fn parse(text: &'a str) -> Result<Self> {
        let tree: Value = serde_json::from_str(text)
            .map_err(|e| Error::bad_request("trace.malformed_document", format!("the body is not JSON: {e}")))?;
        match tree.get("type").and_then(Value::as_str) {
            Some("EPCISDocument") | Some("EPCISQueryDocument") => {}
            _ => {
                return Err(Error::bad_request(
                    "trace.malformed_document",
                    "type must be EPCISDocument or EPCISQueryDocument",
                ))
            }
        }
        let raw: RawDoc<'a> = serde_json::from_str(text)
            .map_err(|e| Error::bad_request("trace.malformed_document", format!("epcisBody has no event list: {e}")))?;
        let raw_events = match (raw.body.event_list, raw.body.query_results) {
            (Some(list), _) => list,
            (None, Some(r)) => r.results_body.event_list,
            (None, None) => {
                return Err(Error::bad_request(
                    "trace.malformed_document",
                    "epcisBody.eventList (or queryResults.resultsBody.eventList) is missing",
                ))
            }
        };
        Ok(Self { tree, raw_events: raw_events.into_iter().map(RawValue::get).collect() })
    }

    pub fn events(&self) -> &[Value] {
        let body = &self.tree["epcisBody"];
        let list = body.get("eventList").or_else(|| body.pointer("/queryResults/resultsBody/eventList"));
        list.and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// The event index a JSON pointer into the document points into, if any.
fn event_index_of(pointer: &str) -> Option<usize> {
    let rest = pointer
        .strip_prefix("/epcisBody/eventList/")
        .or_else(|| pointer.strip_prefix("/epcisBody/queryResults/resultsBody/eventList/"))?;
    rest.split('/').next()?.parse().ok()
}

fn context_hash(context: &str) -> String {
    hex::encode(Sha256::digest(context.as_bytes()))
}

/// An event ready to store, or why not.
pub(crate) fn prepare(ev: &Value, raw: &str, ctx: &qy_epcis::Context) -> NewEvent {
    let hash = qy_epcis::event_hash(ev, ctx);
    let given = ev.get("eventID").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
    let expand = |k: &str| ctx.expand(k).unwrap_or_else(|| k.to_owned());
    let ix: Indexed = index::index(ev, &expand);
    NewEvent {
        event_id: given.map(str::to_owned).unwrap_or_else(|| hash.clone()),
        id_assigned: given.is_none(),
        event_hash: hash,
        index: ix,
        body: raw.to_owned(),
    }
}

/// A document after validation and hashing, before the store: the problems found and the
/// events to store.
pub(crate) struct Checked {
    outcome: Outcome,
    events: Vec<NewEvent>,
    /// The document's `@context`, as JSON text.
    context: String,
}

/// Validates, hashes and indexes a document's events: all CPU, no store, so capture jobs run
/// it on the blocking pool while other jobs write.
pub(crate) fn check(doc: &Document<'_>, behaviour: ErrorBehaviour, options: ValidationOptions) -> Checked {
    let mut outcome = Outcome::default();
    let mut bad: HashSet<usize> = HashSet::new();
    if let Err(problems) = qy_epcis::validate_document_with(&doc.tree, options) {
        for p in problems {
            let at = event_index_of(&p.pointer);
            match at {
                Some(i) => {
                    bad.insert(i);
                }
                // A problem with the document itself rejects every event.
                None => bad.extend(0..doc.raw_events.len()),
            }
            outcome.errors.push(json!({
                "eventIndex": at, "pointer": p.pointer, "field": p.field, "message": p.message
            }));
        }
    }
    let context = doc.tree.get("@context").cloned().unwrap_or(Value::Null).to_string();
    if !outcome.errors.is_empty() && behaviour == ErrorBehaviour::Rollback {
        return Checked { outcome, events: Vec::new(), context };
    }
    let ctx = qy_epcis::Context::from_document(&doc.tree);
    let mut events: Vec<NewEvent> = Vec::with_capacity(doc.raw_events.len());
    let mut seen: HashSet<(String, bool)> = HashSet::new();
    for (i, (ev, raw)) in doc.events().iter().zip(&doc.raw_events).enumerate() {
        if bad.contains(&i) {
            continue;
        }
        let e = prepare(ev, raw, &ctx);
        if seen.insert((e.event_id.clone(), e.index.error_declared)) {
            events.push(e);
        } else {
            outcome.duplicates += 1;
        }
    }
    Checked { outcome, events, context }
}

impl Trace {
    /// Records a capture job and runs it in the background; the caller answers 202 with
    /// its URL. The document has been parsed already (`Document::parse`).
    pub async fn start_capture(&self, text: String, behaviour: ErrorBehaviour, actor: &str) -> Result<String> {
        let doc = Document::parse(&text)?;
        let count = doc.raw_events.len();
        if count > self.config.capture_limit {
            return Err(Error::new(
                qy_kernel::ErrorKind::PayloadTooLarge,
                "trace.capture_limit",
                format!("{count} events; this repository captures at most {} per document", self.config.capture_limit),
            ));
        }
        drop(doc);
        let id = qy_kernel::id::new_id();
        captures::create(&self.db, &id, behaviour.as_str(), count as i64, actor, self.now()).await?;
        let me = self.clone();
        let job = id.clone();
        tokio::spawn(async move {
            let checked = tokio::task::spawn_blocking(move || {
                Document::parse(&text).map(|doc| check(&doc, behaviour, ValidationOptions::GS1_EXAMPLES))
            })
            .await
            .unwrap_or_else(|e| Err(Error::internal(format!("capture check panicked: {e}"))));
            let outcome = match checked {
                Ok(c) => me.store_checked(c, &job).await,
                Err(e) => Err(e),
            };
            let (success, captured, duplicates, errors) = match outcome {
                Ok(o) => (o.success(), o.captured as i64, o.duplicates as i64, Value::Array(o.errors)),
                Err(e) => {
                    tracing::warn!(job = %job, error = %e, "capture job failed");
                    (false, 0, 0, json!([{"message": e.detail, "code": e.code}]))
                }
            };
            let _ = captures::finish(&me.db, &job, success, captured, duplicates, &errors, me.now()).await;
        });
        Ok(id)
    }

    pub async fn capture_job(&self, id: &str) -> Result<CaptureJob> {
        captures::get(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("trace.no_such_capture", format!("no capture job {id}")))
    }

    /// Validates, hashes and stores a parsed document's events (the job's work; tests and
    /// the demo call it directly).
    ///
    /// Sensor times later than the event time are accepted here: the rule is a draft GS1
    /// conformance row that GS1's own published examples break, and partners' tools produce
    /// such documents. The forms, which build their events themselves, are held to it.
    pub async fn capture(&self, doc: &Document<'_>, behaviour: ErrorBehaviour, capture_id: &str) -> Result<Outcome> {
        self.capture_with(doc, behaviour, capture_id, ValidationOptions::GS1_EXAMPLES).await
    }

    pub(crate) async fn capture_with(
        &self,
        doc: &Document<'_>,
        behaviour: ErrorBehaviour,
        capture_id: &str,
        options: ValidationOptions,
    ) -> Result<Outcome> {
        self.store_checked(check(doc, behaviour, options), capture_id).await
    }

    /// Stores what `check` let through: drops events stored already (counted as
    /// duplicates), then inserts the rest and the document's context in one transaction.
    pub(crate) async fn store_checked(&self, checked: Checked, capture_id: &str) -> Result<Outcome> {
        let Checked { mut outcome, mut events, context } = checked;
        if events.is_empty() {
            return Ok(outcome);
        }
        let keys: Vec<(String, bool)> = events.iter().map(|e| (e.event_id.clone(), e.index.error_declared)).collect();
        let existing = events::existing(&self.db, &keys).await?;
        let before = events.len();
        events.retain(|e| !existing.contains(&(e.event_id.clone(), e.index.error_declared)));
        outcome.duplicates += before - events.len();
        let hash = context_hash(&context);
        let mut tx = self.db.pool().begin().await.store()?;
        events::put_context(&mut tx, &hash, &context).await?;
        let inserted = events::insert(&mut tx, self.db.dialect(), &events, self.now(), capture_id, &hash).await?;
        tx.commit().await.store()?;
        outcome.duplicates += events.len() - inserted;
        outcome.captured = inserted;
        outcome.event_ids = events.into_iter().map(|e| e.event_id).collect();
        Ok(outcome)
    }

    /// `POST /epcis/events`: one event, synchronously. The event is validated inside a
    /// document carrying `context`; a duplicate eventID is a conflict.
    pub async fn capture_one(&self, event_text: &str, actor: &str) -> Result<String> {
        let ev: Value = serde_json::from_str(event_text)
            .map_err(|e| Error::bad_request("trace.malformed_event", format!("the body is not JSON: {e}")))?;
        let created = jiff::Timestamp::from_millisecond(self.now()).map(|t| t.to_string()).unwrap_or_default();
        // Without its own @context the event is stored byte for byte as sent.
        let doc_text = match ev.get("@context") {
            None => format!(
                r#"{{"@context":{},"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"{created}","epcisBody":{{"eventList":[{}]}}}}"#,
                json!(qy_epcis::STANDARD_CONTEXT_URL),
                event_text.trim()
            ),
            Some(context) => {
                let mut bare = ev.clone();
                if let Some(o) = bare.as_object_mut() {
                    o.remove("@context");
                }
                json!({
                    "@context": context, "type": "EPCISDocument", "schemaVersion": "2.0",
                    "creationDate": created, "epcisBody": {"eventList": [bare]},
                })
                .to_string()
            }
        };
        let doc = Document::parse(&doc_text)?;
        let probe = prepare(&doc.events()[0], doc.raw_events[0], &qy_epcis::Context::from_document(&doc.tree));
        if !events::existing(&self.db, &[(probe.event_id.clone(), probe.index.error_declared)]).await?.is_empty() {
            return Err(Error::conflict(
                "trace.event_exists",
                format!("an event with eventID {} is already captured", probe.event_id),
            ));
        }
        let outcome = self.capture(&doc, ErrorBehaviour::Rollback, &format!("single:{actor}")).await?;
        if let Some(first) = outcome.errors.first() {
            return Err(Error::bad_request(
                "trace.invalid_event",
                format!(
                    "{}: {}",
                    first["field"].as_str().unwrap_or_default(),
                    first["message"].as_str().unwrap_or_default()
                ),
            ));
        }
        if outcome.captured == 0 {
            return Err(Error::conflict(
                "trace.event_exists",
                format!("an event with eventID {} is already captured", probe.event_id),
            ));
        }
        Ok(probe.event_id)
    }
}
