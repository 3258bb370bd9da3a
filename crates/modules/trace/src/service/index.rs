//! What the repository indexes of an event: the columns and side rows the query language
//! and genealogy search by. The event itself is stored as captured; this is derived.

use qy_epcis::vocab::{BIZ_STEP, BIZ_TRANSACTION_TYPE, DISPOSITION, ERROR_REASON, MEASUREMENT_TYPE, SOURCE_DEST_TYPE};
use serde_json::Value;

/// Identifier roles (`trace_epc.role`).
pub mod role {
    pub const EPC: &str = "e";
    pub const CHILD: &str = "c";
    pub const PARENT: &str = "p";
    pub const INPUT: &str = "i";
    pub const OUTPUT: &str = "o";
    pub const QUANTITY: &str = "q";
    pub const CHILD_QUANTITY: &str = "cq";
    pub const INPUT_QUANTITY: &str = "iq";
    pub const OUTPUT_QUANTITY: &str = "oq";
}

#[derive(Debug, Clone, PartialEq)]
pub struct EpcRow {
    pub role: &'static str,
    pub epc: String,
    pub gtin: Option<String>,
    pub quantity: Option<f64>,
    pub uom: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SensorRow {
    pub kind: String,
    pub uom: Option<String>,
    pub value: Option<f64>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub mean_value: Option<f64>,
    pub time: Option<i64>,
    pub device_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Indexed {
    pub event_type: String,
    pub action: Option<String>,
    pub biz_step: Option<String>,
    pub disposition: Option<String>,
    pub read_point: Option<String>,
    pub biz_location: Option<String>,
    pub transformation_id: Option<String>,
    pub event_time: i64,
    pub error_declared: bool,
    pub epcs: Vec<EpcRow>,
    pub attrs: Vec<(String, String)>,
    pub sensors: Vec<SensorRow>,
}

/// An identifier as the index keeps it: GS1 keys (URN or any Digital Link) as the
/// constrained canonical Digital Link on id.gs1.org, anything else unchanged.
pub fn canonical_id(uri: &str) -> String {
    let uri = uri.trim();
    qy_gs1::constrained_canonical(uri).unwrap_or_else(|| uri.to_owned())
}

/// The GTIN a canonical identifier belongs to (for GTIN-level patterns).
pub fn gtin_of(canonical: &str) -> Option<String> {
    let rest = canonical.strip_prefix("https://id.gs1.org/01/")?;
    let gtin = rest.get(..14)?;
    gtin.bytes().all(|b| b.is_ascii_digit()).then(|| gtin.to_owned())
}

/// RFC 3339 time with offset → epoch milliseconds.
pub fn time_ms(s: &str) -> Option<i64> {
    s.trim().parse::<jiff::Timestamp>().ok().map(|t| t.as_millisecond())
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Derives the index of a valid event. `expand` turns a CURIE key (`qh:breed`) into
/// `{namespace}local` using the document's context.
pub fn index(ev: &Value, expand: &dyn Fn(&str) -> String) -> Indexed {
    let mut ix = Indexed {
        event_type: str_of(ev, "type").unwrap_or_default().to_owned(),
        action: str_of(ev, "action").map(str::to_owned),
        biz_step: str_of(ev, "bizStep").map(|v| BIZ_STEP.canonical(v.trim())),
        disposition: str_of(ev, "disposition").map(|v| DISPOSITION.canonical(v.trim())),
        read_point: ev.get("readPoint").and_then(|r| str_of(r, "id")).map(canonical_id),
        biz_location: ev.get("bizLocation").and_then(|r| str_of(r, "id")).map(canonical_id),
        transformation_id: str_of(ev, "transformationID").map(str::to_owned),
        event_time: str_of(ev, "eventTime").and_then(time_ms).unwrap_or_default(),
        error_declared: ev.get("errorDeclaration").is_some(),
        ..Indexed::default()
    };
    for (key, r) in [
        ("epcList", role::EPC),
        ("childEPCs", role::CHILD),
        ("inputEPCList", role::INPUT),
        ("outputEPCList", role::OUTPUT),
    ] {
        for epc in ev.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
            push_epc(&mut ix, r, epc, None, None);
        }
    }
    if let Some(parent) = str_of(ev, "parentID") {
        push_epc(&mut ix, role::PARENT, parent, None, None);
    }
    for (key, r) in [
        ("quantityList", role::QUANTITY),
        ("childQuantityList", role::CHILD_QUANTITY),
        ("inputQuantityList", role::INPUT_QUANTITY),
        ("outputQuantityList", role::OUTPUT_QUANTITY),
    ] {
        for q in ev.get(key).and_then(Value::as_array).into_iter().flatten() {
            if let Some(class) = str_of(q, "epcClass") {
                let qty = q.get("quantity").and_then(Value::as_f64);
                push_epc(&mut ix, r, class, qty, str_of(q, "uom").map(str::to_owned));
            }
        }
    }
    index_attrs(ev, &mut ix, expand);
    index_sensors(ev, &mut ix);
    ix
}

fn push_epc(ix: &mut Indexed, role: &'static str, epc: &str, quantity: Option<f64>, uom: Option<String>) {
    let epc = canonical_id(epc);
    let gtin = gtin_of(&epc);
    ix.epcs.push(EpcRow { role, epc, gtin, quantity, uom });
}

/// Keys that are the standard's own, not extensions.
const STANDARD_KEYS: &[&str] = &[
    "type",
    "eventTime",
    "eventTimeZoneOffset",
    "recordTime",
    "eventID",
    "certificationInfo",
    "errorDeclaration",
    "parentID",
    "epcList",
    "childEPCs",
    "inputEPCList",
    "outputEPCList",
    "quantityList",
    "childQuantityList",
    "inputQuantityList",
    "outputQuantityList",
    "action",
    "transformationID",
    "bizStep",
    "disposition",
    "persistentDisposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
    "ilmd",
    "@context",
    "rdfs:comment",
    "comment",
];

fn index_attrs(ev: &Value, ix: &mut Indexed, expand: &dyn Fn(&str) -> String) {
    for tx in ev.get("bizTransactionList").and_then(Value::as_array).into_iter().flatten() {
        if let Some(value) = str_of(tx, "bizTransaction") {
            let kind = str_of(tx, "type").map(|t| BIZ_TRANSACTION_TYPE.canonical(t.trim())).unwrap_or_default();
            ix.attrs.push((format!("btx:{kind}"), canonical_id(value)));
        }
    }
    for (list, field, prefix) in [("sourceList", "source", "src"), ("destinationList", "destination", "dst")] {
        for s in ev.get(list).and_then(Value::as_array).into_iter().flatten() {
            if let (Some(kind), Some(value)) = (str_of(s, "type"), str_of(s, field)) {
                ix.attrs.push((format!("{prefix}:{}", SOURCE_DEST_TYPE.canonical(kind.trim())), canonical_id(value)));
            }
        }
    }
    if let Some(pd) = ev.get("persistentDisposition") {
        for (key, name) in [("set", "pd_set"), ("unset", "pd_unset")] {
            for d in pd.get(key).and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                ix.attrs.push((name.to_owned(), DISPOSITION.canonical(d.trim())));
            }
        }
    }
    if let Some(reason) = ev.get("errorDeclaration").and_then(|d| str_of(d, "reason")) {
        ix.attrs.push(("error_reason".to_owned(), ERROR_REASON.canonical(reason.trim())));
    }
    match ev.get("certificationInfo") {
        Some(Value::String(s)) => ix.attrs.push(("cert".to_owned(), s.trim().to_owned())),
        Some(Value::Array(a)) => {
            for s in a.iter().filter_map(Value::as_str) {
                ix.attrs.push(("cert".to_owned(), s.trim().to_owned()));
            }
        }
        _ => {}
    }
    if let Some(obj) = ev.as_object() {
        for (k, v) in obj.iter().filter(|(k, _)| !STANDARD_KEYS.contains(&k.as_str())) {
            if let Some(s) = scalar(v) {
                ix.attrs.push((format!("ext:{}", expand(k)), s));
            }
        }
    }
    if let Some(ilmd) = ev.get("ilmd").and_then(Value::as_object) {
        for (k, v) in ilmd {
            if let Some(s) = scalar(v) {
                ix.attrs.push((format!("ilmd:{}", expand(k)), s));
            }
        }
    }
}

/// Strings, numbers and booleans are searchable extension values; objects are not.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn index_sensors(ev: &Value, ix: &mut Indexed) {
    for element in ev.get("sensorElementList").and_then(Value::as_array).into_iter().flatten() {
        let meta = element.get("sensorMetadata");
        let meta_time = meta.and_then(|m| str_of(m, "time").or_else(|| str_of(m, "endTime"))).and_then(time_ms);
        let meta_device = meta.and_then(|m| str_of(m, "deviceID"));
        for r in element.get("sensorReport").and_then(Value::as_array).into_iter().flatten() {
            let num = |k: &str| r.get(k).and_then(Value::as_f64);
            ix.sensors.push(SensorRow {
                kind: str_of(r, "type").map(measurement_uri).unwrap_or_default(),
                uom: str_of(r, "uom").map(str::to_owned),
                value: num("value"),
                min_value: num("minValue"),
                max_value: num("maxValue"),
                mean_value: num("meanValue"),
                time: str_of(r, "time").and_then(time_ms).or(meta_time),
                device_id: str_of(r, "deviceID").or(meta_device).map(str::to_owned),
            });
        }
    }
}

/// GS1 Web Vocabulary measurement types: bare `Temperature` → `https://gs1.org/voc/Temperature`.
pub fn measurement_uri(value: &str) -> String {
    MEASUREMENT_TYPE.canonical(value.trim())
}
