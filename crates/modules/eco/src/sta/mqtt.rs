//! The SensorThings MQTT extension (STA 1.1 §14.2), create part: a client publishes an
//! Observation as JSON to `v1.1/Datastreams(<id>)/Observations` and it is stored exactly as a
//! `POST` would store it. The broker authenticates publishers (configure its ACL so that only
//! the systems allowed to write may publish there); the platform accepts what the broker lets
//! through, in every region. Datastreams of partner networks (numeric ids) take their
//! Observations the same way.

use std::collections::BTreeSet;
use std::sync::Arc;

use qy_kernel::{Error, Principal, PrincipalKind, RegionScope, Result};
use serde_json::Value;

use super::model::{DsKey, Set};
use super::Cx;
use crate::Ingest;

/// Topic filter (without the shared-subscription prefix).
pub const FILTER: &str = "v1.1/+/Observations";

/// The datastream id in `v1.1/Datastreams('…')/Observations` (quotes optional).
fn datastream_id(topic: &str) -> Option<&str> {
    let level = topic.strip_prefix("v1.1/")?.strip_suffix("/Observations")?;
    let inner = level.strip_prefix("Datastreams(")?.strip_suffix(')')?;
    Some(inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).unwrap_or(inner))
}

/// `v1.1/Datastreams('a~b~c')/Observations` or `v1.1/Datastreams(a~b~c)/Observations` → the key.
pub fn datastream_of(topic: &str) -> Option<DsKey> {
    DsKey::parse(datastream_id(topic)?)
}

/// Who an MQTT write acts as: the broker vouched for the publisher.
fn broker_principal() -> Principal {
    Principal {
        account_id: "mqtt".into(),
        username: "mqtt".into(),
        display_name: "MQTT broker".into(),
        kind: PrincipalKind::System,
        permissions: BTreeSet::from([super::write::OBSERVATIONS_WRITE.to_owned()]),
        scope: RegionScope::province(),
        department_id: None,
        uscc: None,
        token_scopes: None,
    }
}

/// Stores one observation published on `topic`; returns its id.
pub async fn create(
    ingest: &Arc<Ingest>,
    db: &qy_storage::Db,
    now: i64,
    topic: &str,
    payload: &[u8],
) -> Result<String> {
    let body: Value = serde_json::from_slice(payload)
        .map_err(|e| Error::bad_request("sta.invalid_entity", format!("the payload is not JSON: {e}")))?;
    let cx = Cx { db: db.clone(), now, base: String::new(), ingest: ingest.clone() };
    // A partner network's Datastream (numeric id).
    if let Some(ds) = datastream_id(topic).and_then(super::read::native_id) {
        let parent = Some((Set::Datastreams, ds, "Observations"));
        let (id, _) = super::native::create(&cx, &broker_principal(), Set::Observations, parent, &body).await?;
        return Ok(id.to_string());
    }
    let key = datastream_of(topic).ok_or_else(|| {
        Error::bad_request(
            "sta.unknown_datastream",
            format!("topic {topic:?} does not name a datastream of this service"),
        )
    })?;
    super::write::create(&cx, &broker_principal(), Some(key), None, &body).await.map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn topics_name_datastreams_with_or_without_quotes() {
        let id = "0190f7a2-6b3c-7d4e-8f90-a1b2c3d4e5f6~a34004~hour";
        let quoted = super::datastream_of(&format!("v1.1/Datastreams('{id}')/Observations"));
        let bare = super::datastream_of(&format!("v1.1/Datastreams({id})/Observations"));
        assert_eq!(quoted.map(|k| k.id()), Some(id.to_owned()));
        assert_eq!(bare.map(|k| k.id()), Some(id.to_owned()));
        assert!(super::datastream_of("v1.1/Things(1)/Observations").is_none());
    }
}
