//! The SensorThings MQTT extension, receive part (STA 1.1 §14.2): every newly stored
//! Observation, whichever way it arrived (HJ 212 over TCP or MQTT, SensorThings POST,
//! CreateObservations, MQTT create), is published as the entity a `GET` would return, on
//!
//! * `v1.1/Observations`
//! * `v1.1/Datastreams('<datastream>')/Observations`
//! * `v1.1/FeaturesOfInterest('<station>')/Observations`
//!
//! so a client subscribes to those topics on the deployment's broker. Notifications are QoS 0
//! and best effort, as the extension allows: when the broker cannot keep up they are dropped
//! (and counted), never the data. The same topics carry creates from publishers (§14.2.4); a
//! notification is told apart by its `@iot.selfLink`, which a create never carries.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::model::{self, Set};
use crate::domain::observation::Observation;
use crate::store::sta::ObsRow;
use crate::store::sta_native::NRow;

/// What was committed: a station's observations of one upload, or one Observation of a
/// partner network's Datastream.
#[derive(Debug)]
pub enum Notice {
    Registry { station_id: String, received_at: i64, observations: Vec<Observation> },
    Partner(NRow),
}

impl Notice {
    /// A station's observations (none for a partner Observation).
    pub fn observations(&self) -> &[Observation] {
        match self {
            Notice::Registry { observations, .. } => observations,
            Notice::Partner(_) => &[],
        }
    }
}

/// The topic filter a subscriber uses for every notification of one datastream.
pub fn datastream_topic(datastream_id: &str) -> String {
    format!("v1.1/Datastreams({})/Observations", model::quote_id(datastream_id))
}

/// Is this payload one of our own notifications (rather than an Observation to create)?
pub fn is_notification(payload: &[u8]) -> bool {
    const MARK: &[u8] = b"\"@iot.selfLink\"";
    payload.windows(MARK.len()).any(|w| w == MARK)
}

/// (topic, JSON payload) for every message announcing the notice's observations; `base` is the
/// service root for self links (`https://host/sta/v1.1`).
pub fn messages(base: &str, notice: &Arc<Notice>) -> Vec<(String, String)> {
    let (station_id, received_at, observations) = match notice.as_ref() {
        Notice::Registry { station_id, received_at, observations } => (station_id, *received_at, observations),
        Notice::Partner(row) => return partner_messages(base, row),
    };
    let mut out = Vec::with_capacity(observations.len() * 3);
    let foi_topic = format!("v1.1/FeaturesOfInterest({})/Observations", model::quote_id(station_id));
    for o in observations {
        let row = ObsRow {
            station_id: station_id.clone(),
            factor: o.factor.clone(),
            period: o.period.as_str().to_owned(),
            time_ms: o.time_ms,
            value: o.value.clone(),
            min: o.min.clone(),
            max: o.max.clone(),
            flag: o.flag.clone(),
            received_at,
        };
        let Some(key) = model::observation_key(&row) else { continue };
        let (id, ds) = (key.id(), key.ds.id());
        let mut raw = Vec::new();
        let mut entity = Map::new();
        let link = model::self_link(base, Set::Observations, &id);
        entity.insert("@iot.selfLink".into(), json!(link));
        entity.insert("@iot.id".into(), json!(id));
        entity.extend(model::observation_entity(&row, &mut raw));
        entity.insert("Datastream@iot.navigationLink".into(), json!(format!("{link}/Datastream")));
        entity.insert("FeatureOfInterest@iot.navigationLink".into(), json!(format!("{link}/FeatureOfInterest")));
        let Ok(payload) = super::json_text(&Value::Object(entity), &raw) else { continue };
        out.push(("v1.1/Observations".to_owned(), payload.clone()));
        out.push((datastream_topic(&ds), payload.clone()));
        out.push((foi_topic.clone(), payload));
    }
    out
}

/// The three messages of a partner Observation (numeric ids, unquoted in topics and links).
fn partner_messages(base: &str, row: &NRow) -> Vec<(String, String)> {
    let link = model::native_link(base, Set::Observations, row.id);
    let mut raw = Vec::new();
    let mut entity = Map::new();
    entity.insert("@iot.selfLink".into(), json!(link));
    entity.insert("@iot.id".into(), json!(row.id));
    entity.extend(row.props.clone());
    if let Some(text) = &row.result_number {
        entity.insert("result".into(), model::decimal_json(text, &mut raw));
    }
    entity.insert("Datastream@iot.navigationLink".into(), json!(format!("{link}/Datastream")));
    entity.insert("FeatureOfInterest@iot.navigationLink".into(), json!(format!("{link}/FeatureOfInterest")));
    let Ok(payload) = super::json_text(&Value::Object(entity), &raw) else { return vec![] };
    let mut out = vec![("v1.1/Observations".to_owned(), payload.clone())];
    if let Some(ds) = row.datastream {
        out.push((format!("v1.1/Datastreams({ds})/Observations"), payload.clone()));
    }
    if let Some(f) = row.feature {
        out.push((format!("v1.1/FeaturesOfInterest({f})/Observations"), payload));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::observation::Period;

    #[test]
    fn each_observation_goes_to_three_topics_as_the_entity() {
        let notice = Arc::new(Notice::Registry {
            station_id: "st1".into(),
            received_at: 1_768_442_400_000,
            observations: vec![Observation {
                factor: "a34004".into(),
                period: Period::Hour,
                time_ms: 1_768_438_800_000,
                value: "12345678901234.567".into(),
                min: None,
                max: None,
                flag: "N".into(),
            }],
        });
        let msgs = messages("http://h/sta/v1.1", &notice);
        let topics: Vec<&str> = msgs.iter().map(|m| m.0.as_str()).collect();
        assert_eq!(
            topics,
            [
                "v1.1/Observations",
                "v1.1/Datastreams('st1~a34004~hour')/Observations",
                "v1.1/FeaturesOfInterest('st1')/Observations"
            ]
        );
        let body = &msgs[0].1;
        assert!(body.contains(r#""result":12345678901234.567"#), "exact decimal spliced: {body}");
        let v: Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["@iot.id"], "st1~a34004~hour~1768438800000");
        assert_eq!(v["@iot.selfLink"], "http://h/sta/v1.1/Observations('st1~a34004~hour~1768438800000')");
        assert_eq!(v["phenomenonTime"], "2026-01-15T01:00:00Z/2026-01-15T02:00:00Z");
        assert!(is_notification(body.as_bytes()));
        assert!(!is_notification(br#"{"result": 1}"#));
    }
}
