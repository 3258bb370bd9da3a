//! Generated EPCIS documents for the capture benchmark: a steady stream of a Qinghai
//! packing line's events. Serial k is commissioned (ObjectEvent ADD) and shipped
//! (ObjectEvent OBSERVE, half of them with a cold-chain reading), so `MATCH_epc` on a
//! serial finds two events; every tenth shipment also names a purchase order.

use serde_json::{json, Value};

use crate::bench_kit::rng::Rng;

const GTINS: [&str; 5] = ["09521234000013", "09521234000020", "09521234000037", "09521234000044", "09521234000051"];
const GLNS: [&str; 5] = ["9521234000105", "9521234000112", "9521234000129", "9521234000136", "9521234000143"];

/// The Digital Link of serial `k`.
pub fn epc(k: u64) -> String {
    format!("https://id.gs1.org/01/{}/21/S{k}", GTINS[(k % GTINS.len() as u64) as usize])
}

/// Event `i` of the stream (2 per serial).
fn event(i: u64, rng: &mut Rng) -> Value {
    let k = i / 2;
    // One second apart from 2026-01-01T00:00:00+08:00: unique times, unique hashes.
    let t = jiff::Timestamp::from_second(1_767_196_800 + i as i64).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let time = format!("{}+08:00", jiff::tz::offset(8).to_datetime(t).strftime("%Y-%m-%dT%H:%M:%S"));
    let gln = GLNS[rng.below(GLNS.len())];
    if i.is_multiple_of(2) {
        json!({
            "type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
            "epcList": [epc(k)], "action": "ADD", "bizStep": "commissioning", "disposition": "active",
            "readPoint": {"id": format!("https://id.gs1.org/414/{gln}")},
            "ilmd": {"cbvmda:countryOfOrigin": "CN", "qh:line": format!("L{}", k % 7)},
        })
    } else {
        let mut e = json!({
            "type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
            "epcList": [epc(k)], "action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
            "readPoint": {"id": format!("https://id.gs1.org/414/{gln}")},
            "bizLocation": {"id": format!("https://id.gs1.org/414/{gln}")},
        });
        if k.is_multiple_of(2) {
            let v = -18.0 + (rng.below(40) as f64) / 10.0;
            e["sensorElementList"] =
                json!([{"sensorReport": [{"type": "Temperature", "value": v, "uom": "CEL", "time": time}]}]);
        }
        if k.is_multiple_of(10) {
            e["bizTransactionList"] =
                json!([{"type": "po", "bizTransaction": format!("urn:epcglobal:cbv:bt:9521234000105:{k}")}]);
        }
        e
    }
}

/// Document `n` of `size` events, from event `n * size`.
pub fn document(n: u64, size: u64, rng: &mut Rng) -> String {
    let events: Vec<Value> = (n * size..(n + 1) * size).map(|i| event(i, rng)).collect();
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
                     {"qh": "https://trace.qinghai.gov.cn/qh/voc/", "cbvmda": "urn:epcglobal:cbv:mda:"}],
        "type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2026-11-29T10:00:00+08:00",
        "epcisBody": {"eventList": events},
    })
    .to_string()
}

/// The events of a document, each as text (for the raw-insert baseline).
pub fn event_texts(doc: &str) -> Vec<String> {
    let v: Value = serde_json::from_str(doc).unwrap_or(Value::Null);
    v["epcisBody"]["eventList"].as_array().map(|a| a.iter().map(Value::to_string).collect()).unwrap_or_default()
}
