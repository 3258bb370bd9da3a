//! The CBV 2.0 "EPCIS event hash ID" (CBV 2.0): a canonical pre-hash string per event,
//! SHA-256, wrapped as an RFC 6920 `ni:` URI.
//!
//! Layout of the pre-hash string, `name=value` pairs with no separators:
//! 1. `eventType=…`, then the standard fields in [`TOP_ORDER`]; list fields contribute their name
//!    once followed by their items (`epcListepc=…epc=…`), items sorted by code point.
//! 2. Then, sorted by code point as whole strings, everything else: `bizTransactionList`,
//!    `sourceList`, `destinationList` (each item `type=…` first), `ilmd`, and the user extensions
//!    written `{namespace}local=value`. This is where the reference generator puts them, and the
//!    golden vectors depend on it (e.g. `destinationList` sorts before `sourceList`).
//! 3. Extensions nested in `readPoint`, `bizLocation`, `sensorElement`, `sensorMetadata` and
//!    `sensorReport` follow that element's standard fields (the CBV 2.0 rule; 2.1 changed it).
//!
//! Left out: `recordTime` (set by the receiving repository), `eventID` (the hash is the ID),
//! `errorDeclaration` (a declared error must keep the ID of the event it corrects), comments,
//! and fields on the document's ignore-fields list ([`Context::ignore_fields`]).

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon;
use crate::context::Context;
use crate::vocab::{self, Vocabulary};

/// How one standard field's value is normalised before `canon::value`.
#[derive(Clone, Copy)]
enum Norm {
    /// Generic value normalisation only.
    Plain,
    /// UTC, millisecond timestamp.
    Time,
    /// Bare words of this vocabulary become its Web URIs first.
    Vocab(Vocabulary),
}

/// The shape of a standard field and how it is written.
#[derive(Clone, Copy)]
enum Shape {
    /// A value, or an array of values each written `name=value`.
    Scalar(Norm),
    /// `name` then one `item=value` per element.
    IdList(&'static str),
    /// `name` then `quantityElement` + epcClass/quantity/uom per element.
    QuantityList,
    PersistentDisposition,
    /// `readPoint` / `bizLocation`: `name` + `id=…` + nested extensions.
    Location,
    SensorElementList,
}

/// Standard top-level fields in pre-hash order (reference generator `PROP_ORDER`, which the golden
/// vectors follow; the README table of that project differs and is not what is hashed).
const TOP_ORDER: [(&str, Shape); 19] = [
    ("eventTime", Shape::Scalar(Norm::Time)),
    ("eventTimeZoneOffset", Shape::Scalar(Norm::Plain)),
    ("certificationInfo", Shape::Scalar(Norm::Plain)),
    ("parentID", Shape::Scalar(Norm::Plain)),
    ("epcList", Shape::IdList("epc")),
    ("inputEPCList", Shape::IdList("epc")),
    ("childEPCs", Shape::IdList("epc")),
    ("quantityList", Shape::QuantityList),
    ("childQuantityList", Shape::QuantityList),
    ("inputQuantityList", Shape::QuantityList),
    ("outputEPCList", Shape::IdList("epc")),
    ("outputQuantityList", Shape::QuantityList),
    ("action", Shape::Scalar(Norm::Plain)),
    ("transformationID", Shape::Scalar(Norm::Plain)),
    ("bizStep", Shape::Scalar(Norm::Vocab(vocab::BIZ_STEP))),
    ("disposition", Shape::Scalar(Norm::Vocab(vocab::DISPOSITION))),
    ("persistentDisposition", Shape::PersistentDisposition),
    ("readPoint", Shape::Location),
    ("bizLocation", Shape::Location),
];

/// `sensorElementList` comes last in the ordered part; kept apart because its shape is recursive.
const SENSOR_ELEMENT_LIST: &str = "sensorElementList";

const QUANTITY_ORDER: [(&str, Norm); 3] = [("epcClass", Norm::Plain), ("quantity", Norm::Plain), ("uom", Norm::Plain)];

const SENSOR_METADATA_ORDER: [(&str, Norm); 8] = [
    ("time", Norm::Time),
    ("startTime", Norm::Time),
    ("endTime", Norm::Time),
    ("deviceID", Norm::Plain),
    ("deviceMetadata", Norm::Plain),
    ("rawData", Norm::Plain),
    ("dataProcessingMethod", Norm::Plain),
    ("bizRules", Norm::Plain),
];

const SENSOR_REPORT_ORDER: [(&str, Norm); 23] = [
    ("type", Norm::Vocab(vocab::MEASUREMENT_TYPE)),
    ("exception", Norm::Vocab(vocab::SENSOR_ALERT_TYPE)),
    ("deviceID", Norm::Plain),
    ("deviceMetadata", Norm::Plain),
    ("rawData", Norm::Plain),
    ("dataProcessingMethod", Norm::Plain),
    ("time", Norm::Time),
    ("microorganism", Norm::Plain),
    ("chemicalSubstance", Norm::Plain),
    ("value", Norm::Plain),
    ("component", Norm::Vocab(vocab::COMPONENT)),
    ("stringValue", Norm::Plain),
    ("booleanValue", Norm::Plain),
    ("hexBinaryValue", Norm::Plain),
    ("uriValue", Norm::Plain),
    ("minValue", Norm::Plain),
    ("maxValue", Norm::Plain),
    ("meanValue", Norm::Plain),
    ("sDev", Norm::Plain),
    ("percRank", Norm::Plain),
    ("percValue", Norm::Plain),
    ("uom", Norm::Plain),
    ("coordinateReferenceSystem", Norm::Plain),
];

/// The typed lists written `type=…` + `<id field>=…` per item, in the sorted tail.
const TYPED_LISTS: [(&str, &str, Vocabulary); 3] = [
    ("bizTransactionList", "bizTransaction", vocab::BIZ_TRANSACTION_TYPE),
    ("sourceList", "source", vocab::SOURCE_DEST_TYPE),
    ("destinationList", "destination", vocab::SOURCE_DEST_TYPE),
];

/// Top-level fields that never enter the hash.
const SKIPPED: [&str; 5] = ["type", "eventID", "recordTime", "errorDeclaration", "@context"];

/// The event hash ID, `ni:///sha-256;<64 hex>?ver=CBV2.0`.
#[must_use]
pub fn event_hash(event: &Value, context: &Context) -> String {
    let digest = Sha256::digest(prehash(event, context).as_bytes());
    let mut out = String::with_capacity(86);
    out.push_str("ni:///sha-256;");
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out.push_str("?ver=CBV2.0");
    out
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The canonical pre-hash string of one event (for debugging and for comparing with the
/// reference tool's `-p` output).
#[must_use]
pub fn prehash(event: &Value, context: &Context) -> String {
    let Some(obj) = event.as_object() else { return String::new() };
    let w = Writer { ctx: context };
    let mut out = String::with_capacity(512);
    out.push_str("eventType=");
    out.push_str(obj.get("type").and_then(Value::as_str).unwrap_or_default());
    for (name, shape) in TOP_ORDER {
        if let Some(v) = obj.get(name) {
            w.field(&mut out, name, shape, v);
        }
    }
    if let Some(v) = obj.get(SENSOR_ELEMENT_LIST) {
        w.field(&mut out, SENSOR_ELEMENT_LIST, Shape::SensorElementList, v);
    }
    let mut tail = Vec::new();
    for (key, value) in obj {
        if is_ordered(key) || SKIPPED.contains(&key.as_str()) || is_comment(key) || context.is_ignored(key) {
            continue;
        }
        if let Some((_, id, voc)) = TYPED_LISTS.iter().find(|(list, _, _)| list == key) {
            tail.extend(w.typed_list(key, id, *voc, value));
        } else if key == "ilmd" {
            let mut s = String::from("ilmd");
            s.push_str(&w.extensions(value.as_object(), &[]));
            tail.push(s);
        } else {
            w.generic(&mut tail, key, value);
        }
    }
    tail.sort_unstable();
    tail.iter().for_each(|s| out.push_str(s));
    out
}

/// Hashes of every event of an EPCISDocument or EPCISQueryDocument, in document order.
///
/// # Errors
/// When the document has no event list (see [`crate::events`]).
pub fn document_hashes(doc: &Value) -> Result<Vec<String>, crate::Problem> {
    let ctx = Context::from_document(doc);
    Ok(crate::events(doc)?.iter().map(|e| event_hash(e, &ctx)).collect())
}

fn is_ordered(key: &str) -> bool {
    key == SENSOR_ELEMENT_LIST || TOP_ORDER.iter().any(|(name, _)| *name == key)
}

/// `rdfs:comment` / `comment` carry prose for people and are not part of the event's meaning.
fn is_comment(key: &str) -> bool {
    matches!(key, "comment" | "rdfs:comment" | "http://www.w3.org/2000/01/rdf-schema#comment")
}

struct Writer<'c> {
    ctx: &'c Context,
}

impl Writer<'_> {
    /// Normalised text of a scalar, or `None` for empty values (which the hash skips).
    fn norm(&self, norm: Norm, v: &Value) -> Option<String> {
        let text = canon::scalar_text(v)?;
        if text.is_empty() {
            return None;
        }
        Some(match norm {
            Norm::Time => canon::timestamp(&text),
            Norm::Plain => canon::value(&text, self.ctx),
            Norm::Vocab(voc) if voc.contains(&text) => voc.uri(&text),
            Norm::Vocab(_) => canon::value(&text, self.ctx),
        })
    }

    /// `name=value` for a scalar, or one such pair per array element, sorted.
    fn pairs(&self, name: &str, norm: Norm, v: &Value) -> String {
        let mut items: Vec<String> = match v {
            Value::Array(a) => a.iter().filter_map(|x| self.norm(norm, x)).collect(),
            other => self.norm(norm, other).into_iter().collect(),
        };
        items.sort_unstable();
        let mut out = String::new();
        for item in items {
            out.push_str(name);
            out.push('=');
            out.push_str(&item);
        }
        out
    }

    fn field(&self, out: &mut String, name: &str, shape: Shape, v: &Value) {
        let body = match shape {
            Shape::Scalar(norm) => {
                out.push_str(&self.pairs(name, norm, v));
                return;
            }
            Shape::IdList(item) => self.pairs(item, Norm::Plain, v),
            Shape::QuantityList => self.sorted_items(v, |e| self.element("quantityElement", e, &QUANTITY_ORDER)),
            Shape::PersistentDisposition => {
                let norm = Norm::Vocab(vocab::DISPOSITION);
                let get = |k: &str| v.get(k).map(|x| self.pairs(k, norm, x)).unwrap_or_default();
                get("set") + &get("unset")
            }
            Shape::Location => self.object_fields(v, &[("id", Norm::Plain)]),
            Shape::SensorElementList => self.sorted_items(v, |e| self.sensor_element(e)),
        };
        if !body.is_empty() {
            out.push_str(name);
            out.push_str(&body);
        }
    }

    /// Items of an array rendered by `render`, empty renderings dropped, sorted and concatenated.
    fn sorted_items(&self, v: &Value, render: impl Fn(&Value) -> String) -> String {
        let mut items: Vec<String> =
            v.as_array().map(|a| a.iter().map(render).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        items.sort_unstable();
        items.concat()
    }

    /// `name` + ordered standard fields + nested extensions, or empty if nothing is set.
    fn element(&self, name: &str, v: &Value, order: &[(&str, Norm)]) -> String {
        let body = self.object_fields(v, order);
        if body.is_empty() {
            body
        } else {
            format!("{name}{body}")
        }
    }

    /// The standard fields of an object in `order`, then its other keys as sorted extensions.
    fn object_fields(&self, v: &Value, order: &[(&str, Norm)]) -> String {
        let Some(obj) = v.as_object() else { return String::new() };
        let mut out = String::new();
        for (name, norm) in order {
            if let Some(x) = obj.get(*name) {
                out.push_str(&self.pairs(name, *norm, x));
            }
        }
        let standard: Vec<&str> = order.iter().map(|(n, _)| *n).collect();
        out.push_str(&self.extensions(Some(obj), &standard));
        out
    }

    fn sensor_element(&self, v: &Value) -> String {
        let Some(obj) = v.as_object() else { return String::new() };
        let mut body = String::new();
        if let Some(meta) = obj.get("sensorMetadata") {
            body.push_str(&self.element("sensorMetadata", meta, &SENSOR_METADATA_ORDER));
        }
        if let Some(reports) = obj.get("sensorReport") {
            let render = |r: &Value| self.element("sensorReport", r, &SENSOR_REPORT_ORDER);
            match reports {
                Value::Array(_) => body.push_str(&self.sorted_items(reports, render)),
                single => body.push_str(&render(single)),
            }
        }
        body.push_str(&self.extensions(Some(obj), &["sensorMetadata", "sensorReport"]));
        if body.is_empty() {
            body
        } else {
            format!("sensorElement{body}")
        }
    }

    /// `bizTransactionList` etc.: per item `type=<uri>` then `<id>=<value>`, items sorted; `None`
    /// for an empty list, which contributes nothing.
    fn typed_list(&self, name: &str, id: &str, voc: Vocabulary, v: &Value) -> Option<String> {
        let render = |item: &Value| {
            let Some(obj) = item.as_object() else { return String::new() };
            let mut s = String::new();
            if let Some(t) = obj.get("type") {
                s.push_str(&self.pairs("type", Norm::Vocab(voc), t));
            }
            if let Some(x) = obj.get(id) {
                s.push_str(&self.pairs(id, Norm::Plain, x));
            }
            s.push_str(&self.extensions(Some(obj), &["type", id]));
            s
        };
        let items = self.sorted_items(v, render);
        (!items.is_empty()).then(|| format!("{name}{items}"))
    }

    /// Keys of `obj` not in `standard`, written generically and sorted.
    fn extensions(&self, obj: Option<&Map<String, Value>>, standard: &[&str]) -> String {
        let Some(obj) = obj else { return String::new() };
        let mut items = Vec::new();
        for (k, x) in obj {
            if !standard.contains(&k.as_str()) && !is_comment(k) {
                self.generic(&mut items, k, x);
            }
        }
        items.sort_unstable();
        items.concat()
    }

    /// A user extension: `{ns}local=value`; an object contributes its name followed by its sorted
    /// children; an array repeats the name once per element (as XML would repeat the element).
    fn generic(&self, out: &mut Vec<String>, key: &str, v: &Value) {
        match v {
            Value::Array(items) => items.iter().for_each(|x| self.generic(out, key, x)),
            Value::Object(obj) => out.push(format!("{}{}", self.ext_name(key), self.extensions(Some(obj), &[]))),
            Value::Null => out.push(self.ext_name(key)),
            scalar => {
                let mut s = self.ext_name(key);
                if let Some(text) = canon::scalar_text(scalar).filter(|t| !t.is_empty()) {
                    s.push('=');
                    s.push_str(&canon::value(&text, self.ctx));
                }
                out.push(s);
            }
        }
    }

    /// `{namespace}local` for a CURIE with a declared prefix or an absolute IRI (split after its
    /// last `/`, `#` or, for URNs, `:`), so `cbvmda:lotNumber` and
    /// `urn:epcglobal:cbv:mda:lotNumber` hash alike; other keys are kept as written.
    fn ext_name(&self, key: &str) -> String {
        if let Some((ns, local)) = self.ctx.split_curie(key) {
            return format!("{{{ns}}}{local}");
        }
        let split = if key.contains("://") {
            key.rfind(['/', '#'])
        } else if key.starts_with("urn:") {
            key.rfind(':')
        } else {
            None
        };
        match split {
            Some(i) if i + 1 < key.len() => format!("{{{}}}{}", &key[..=i], &key[i + 1..]),
            _ => key.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn ctx() -> Context {
        Context::from_document(&json!({"@context": [{"ex": "https://ns.example.com/epcis/"}]}))
    }

    #[test]
    fn fields_in_order_without_separators() {
        let ev = json!({
            "type": "ObjectEvent", "action": "OBSERVE", "bizStep": "shipping",
            "eventTime": "2005-04-03T20:33:31.116-06:00", "eventTimeZoneOffset": "-06:00",
            "recordTime": "2005-04-03T20:33:31.116-06:00", "eventID": "urn:uuid:x"
        });
        assert_eq!(
            prehash(&ev, &ctx()),
            "eventType=ObjectEventeventTime=2005-04-04T02:33:31.116ZeventTimeZoneOffset=-06:00action=OBSERVE\
             bizStep=https://ref.gs1.org/cbv/BizStep-shipping"
        );
    }

    #[test]
    fn tail_is_sorted_with_type_first_in_typed_lists() {
        let ev = json!({
            "type": "ObjectEvent",
            "ex:userExt": "CD-34",
            "sourceList": [{"source": "https://s.example/1", "type": "owning_party"}],
            "destinationList": [{"type": "owning_party", "destination": "https://d.example/1"}],
            "ilmd": {"ex:b": "2", "ex:a": "1"}
        });
        assert_eq!(
            prehash(&ev, &ctx()),
            "eventType=ObjectEvent\
             destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://d.example/1\
             ilmd{https://ns.example.com/epcis/}a=1{https://ns.example.com/epcis/}b=2\
             sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://s.example/1\
             {https://ns.example.com/epcis/}userExt=CD-34"
        );
    }

    #[test]
    fn nested_extensions_follow_the_standard_fields() {
        let ev = json!({"type": "ObjectEvent", "readPoint": {"ex:z": " AB ", "id": "https://rp.example/1"}});
        assert_eq!(
            prehash(&ev, &ctx()),
            "eventType=ObjectEventreadPointid=https://rp.example/1{https://ns.example.com/epcis/}z=AB"
        );
    }

    #[test]
    fn iri_and_curie_extension_keys_hash_alike() {
        let a = json!({"type": "ObjectEvent", "cbvmda:lotNumber": "L1"});
        let b = json!({"type": "ObjectEvent", "urn:epcglobal:cbv:mda:lotNumber": "L1"});
        assert_eq!(event_hash(&a, &ctx()), event_hash(&b, &ctx()));
    }

    #[test]
    fn ignored_fields_and_comments_do_not_count() {
        let ctx = Context::from_document(&json!({
            "@context": [{"ex": "https://ns.example.com/epcis/"}], "ex:ignoreFields": ["ex:captureID"]
        }));
        let plain = json!({"type": "ObjectEvent", "action": "ADD"});
        let extra = json!({"type": "ObjectEvent", "action": "ADD", "ex:captureID": "1", "rdfs:comment": "hi",
                           "errorDeclaration": {"declarationTime": "2020-01-01T00:00:00Z"}});
        assert_eq!(event_hash(&plain, &ctx), event_hash(&extra, &ctx));
    }

    #[test]
    fn hash_has_the_ni_form() {
        let h = event_hash(&json!({"type": "ObjectEvent"}), &Context::standard());
        assert!(h.starts_with("ni:///sha-256;") && h.ends_with("?ver=CBV2.0") && h.len() == 14 + 64 + 11);
    }
}
