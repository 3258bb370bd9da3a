//! The forms herders and cooperatives use, each turned into a correct EPCIS 2.0 event
//! (reference §1.4's mapping of the Qinghai chain) and captured like any partner's event,
//! so the forms' events hash, validate and query exactly as the API's do.

use qy_epcis::ValidationOptions;
use qy_kernel::{Error, Principal, Result};
use serde_json::{json, Value};

use super::capture::{Document, ErrorBehaviour};
use super::Trace;
use crate::domain::{perm, Animal, Cert, Lot, Party};
use crate::store::master;

/// What every form starts from: the party the user acts for.
pub struct Actor {
    pub account: String,
    pub party: Party,
}

/// A GTIN as its 14 digits with a valid check digit.
pub fn gtin14(gtin: &str) -> Result<String> {
    let g = gtin.trim();
    if !(g.len() == 8 || g.len() == 12 || g.len() == 13 || g.len() == 14) || !g.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::bad_request("trace.invalid_gtin", format!("{g:?} is not a GTIN (8, 12, 13 or 14 digits)")));
    }
    if !qy_gs1::has_valid_check_digit(g) {
        return Err(Error::bad_request("trace.invalid_gtin", format!("GTIN {g} has a wrong check digit")));
    }
    Ok(format!("{g:0>14}"))
}

/// A lot number GS1 can carry in AI 10: 1–20 characters of the GS1 character set 82.
pub fn lot_number(lot: &str) -> Result<String> {
    let l = lot.trim();
    let ok = !l.is_empty()
        && l.len() <= 20
        && l.chars().all(|c| c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c));
    if !ok {
        return Err(Error::bad_request(
            "trace.invalid_lot",
            format!("{l:?}: a lot number has 1–20 letters, digits or GS1 punctuation"),
        ));
    }
    Ok(l.to_owned())
}

/// The canonical Digital Link of a lot (class level).
pub fn lot_uri(gtin14: &str, lot: &str) -> String {
    format!("https://id.gs1.org/01/{gtin14}/10/{}", crate::config::percent_segment(lot))
}

/// A date `YYYY-MM-DD` that exists.
pub fn date(field: &'static str, s: &str) -> Result<String> {
    s.trim()
        .parse::<jiff::civil::Date>()
        .map(|d| d.to_string())
        .map_err(|_| Error::bad_request("trace.invalid_date", format!("{field}: {s:?} is not a date (YYYY-MM-DD)")))
}

/// An event time: the form's local date-time (Beijing time), or now.
fn event_time(trace: &Trace, at: Option<&str>) -> Result<String> {
    match at.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(super::beijing_rfc3339(trace.now())),
        Some(s) => {
            let dt: jiff::civil::DateTime = s
                .parse()
                .map_err(|_| Error::bad_request("trace.invalid_time", format!("{s:?} is not a date and time")))?;
            Ok(format!("{}+08:00", dt.strftime("%Y-%m-%dT%H:%M:%S")))
        }
    }
}

/// Temperature readings typed one per line as `HH:MM value` or `YYYY-MM-DDTHH:MM value`
/// (°C), for the cold chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub at: String,
    pub celsius: f64,
}

pub fn parse_readings(day: &str, text: &str) -> Result<Vec<Reading>> {
    let mut out = Vec::new();
    for (n, line) in text.lines().map(str::trim).enumerate().filter(|(_, l)| !l.is_empty()) {
        let bad = || {
            Error::bad_request(
                "trace.invalid_reading",
                format!("line {}: {line:?} is not \"HH:MM temperature\" (for example 08:00 -18.5)", n + 1),
            )
        };
        let mut parts = line.split_whitespace();
        let (Some(t), Some(v), None) = (parts.next(), parts.next(), parts.next()) else { return Err(bad()) };
        let celsius: f64 = v.replace(',', ".").parse().map_err(|_| bad())?;
        if !(-80.0..=80.0).contains(&celsius) {
            return Err(bad());
        }
        let at = if t.contains('T') { t.to_owned() } else { format!("{day}T{t}") };
        at.parse::<jiff::civil::DateTime>().map_err(|_| bad())?;
        out.push(Reading { at, celsius });
    }
    Ok(out)
}

/// A lot of `quantity` kilograms the actor produced; the quantity must be positive.
fn new_lot(a: &Actor, gtin: &str, lot: &str, quantity: f64, produced_on: &str) -> Result<Lot> {
    if !(quantity > 0.0 && quantity < 1.0e9) {
        return Err(Error::bad_request("trace.invalid_quantity", "quantity must be a positive number of kilograms"));
    }
    Ok(Lot {
        gtin: gtin.to_owned(),
        lot: lot.to_owned(),
        owner_uscc: a.party.uscc.clone(),
        origin_region: a.party.region_code.clone(),
        quantity: Some(quantity),
        uom: Some("KGM".into()),
        produced_on: produced_on.to_owned(),
    })
}

impl Trace {
    /// The party a user records for: the enterprise account's own, by its USCC.
    pub async fn actor(&self, p: &Principal) -> Result<Actor> {
        if !p.can(perm::RECORD) {
            return Err(Error::forbidden("trace.forbidden", "recording traceability events needs trace.record"));
        }
        let uscc = p.uscc.as_deref().ok_or_else(|| {
            Error::forbidden("trace.no_party", "this account does not speak for an enterprise or cooperative")
        })?;
        let party = master::party(&self.db, uscc).await?.ok_or_else(|| {
            Error::not_found("trace.no_party", format!("{uscc} is not registered as a producer; ask the regulator"))
        })?;
        Ok(Actor { account: p.account_id.clone(), party })
    }

    fn location(&self, party: &Party) -> Value {
        match &party.gln {
            Some(gln) => json!({"id": format!("https://id.gs1.org/414/{gln}")}),
            None => json!({"id": self.party_uri(&party.uscc)}),
        }
    }

    /// A party without a GLN is named by its USCC under the province's namespace.
    pub fn party_uri(&self, uscc: &str) -> String {
        format!("{}party/{uscc}", self.config.namespace)
    }

    fn context(&self) -> Value {
        json!([
            qy_epcis::STANDARD_CONTEXT_URL,
            {"qh": format!("{}voc/", self.config.namespace), "cbvmda": "urn:epcglobal:cbv:mda:"}
        ])
    }

    /// Captures events built by the forms; any problem is a bug in the form, reported as such.
    pub(crate) async fn capture_built(&self, events: Vec<Value>, actor: &str) -> Result<Vec<String>> {
        let created = jiff::Timestamp::from_millisecond(self.now()).map(|t| t.to_string()).unwrap_or_default();
        let text = json!({
            "@context": self.context(), "type": "EPCISDocument", "schemaVersion": "2.0",
            "creationDate": created, "epcisBody": {"eventList": events},
        })
        .to_string();
        let doc = Document::parse(&text)?;
        let outcome = self
            .capture_with(&doc, ErrorBehaviour::Rollback, &format!("form:{actor}"), ValidationOptions::STRICT)
            .await?;
        if let Some(e) = outcome.errors.first() {
            return Err(Error::internal(format!("a form built an invalid event: {e}")));
        }
        Ok(outcome.event_ids)
    }

    /// 登记: an animal with its ear tag (ObjectEvent ADD, commissioning, ILMD).
    pub async fn register_animal(
        &self,
        a: &Actor,
        ear_tag: &str,
        breed: &str,
        birth: &str,
        at: Option<&str>,
    ) -> Result<String> {
        let tag = qy_gs1::parse_ear_tag(ear_tag.trim())
            .map_err(|e| Error::bad_request("trace.invalid_ear_tag", e.to_string()))?;
        let birth = date("birth date", birth)?;
        let species = match tag.species {
            qy_gs1::Species::Pig => "pig",
            qy_gs1::Species::Cattle => "yak",
            qy_gs1::Species::SheepGoat => "sheep",
        };
        let animal = Animal {
            ear_tag: ear_tag.trim().to_owned(),
            species: species.to_owned(),
            breed: breed.trim().to_owned(),
            birth_date: birth.clone(),
            owner_uscc: a.party.uscc.clone(),
            region_code: tag.county_code.clone(),
        };
        if !master::insert_animal(&self.db, &animal, self.now()).await? {
            return Err(Error::conflict(
                "trace.animal_exists",
                format!("ear tag {} is already registered", animal.ear_tag),
            ));
        }
        let ev = json!({
            "type": "ObjectEvent", "eventTime": event_time(self, at)?, "eventTimeZoneOffset": "+08:00",
            "epcList": [self.config.animal_uri(&animal.ear_tag)], "action": "ADD",
            "bizStep": "commissioning", "disposition": "active", "readPoint": self.location(&a.party),
            "ilmd": {"cbvmda:countryOfOrigin": "CN", "qh:species": species, "qh:breed": animal.breed,
                     "qh:birthDate": birth, "qh:county": animal.region_code, "qh:holder": a.party.uscc},
        });
        Ok(self.capture_built(vec![ev], &a.account).await?.remove(0))
    }

    /// 采收登记: a harvest or production lot (ObjectEvent ADD, commissioning, quantity).
    pub async fn register_lot(
        &self,
        a: &Actor,
        gtin: &str,
        lot: &str,
        quantity: f64,
        produced_on: &str,
    ) -> Result<Lot> {
        let gtin = gtin14(gtin)?;
        let lot = lot_number(lot)?;
        let produced_on = date("production date", produced_on)?;
        let product = master::product(&self.db, &gtin).await?.ok_or_else(|| {
            Error::bad_request("trace.unknown_product", format!("GTIN {gtin} is not a registered product"))
        })?;
        let record = new_lot(a, &gtin, &lot, quantity, &produced_on)?;
        if !master::insert_lot(&self.db, &record, &a.account, self.now()).await? {
            return Err(Error::conflict("trace.lot_exists", format!("lot {lot} of {gtin} is already registered")));
        }
        let ev = json!({
            "type": "ObjectEvent", "eventTime": event_time(self, Some(&format!("{produced_on}T12:00")))?,
            "eventTimeZoneOffset": "+08:00",
            "quantityList": [{"epcClass": lot_uri(&gtin, &lot), "quantity": quantity, "uom": "KGM"}],
            "action": "ADD", "bizStep": "commissioning", "disposition": "active", "readPoint": self.location(&a.party),
            "ilmd": {"cbvmda:countryOfOrigin": "CN", "cbvmda:lotNumber": lot, "qh:category": product.category,
                     "qh:origin": a.party.region_code, "qh:producedOn": produced_on, "qh:holder": a.party.uscc},
        });
        self.capture_built(vec![ev], &a.account).await?;
        Ok(record)
    }

    /// 检疫: an inspection of an animal or a lot with its certificate (ObjectEvent OBSERVE,
    /// inspecting, conformant / non_conformant, certificationInfo).
    pub async fn inspect(
        &self,
        a: &Actor,
        target: &str,
        certificate: &str,
        passed: bool,
        issuer: &str,
        at: Option<&str>,
    ) -> Result<String> {
        let certificate = certificate.trim();
        if certificate.is_empty() || certificate.len() > 40 {
            return Err(Error::bad_request("trace.invalid_certificate", "the certificate number has 1–40 characters"));
        }
        let (what, key) = self.target(target)?;
        let cert = Cert {
            id: qy_kernel::id::new_id(),
            kind: "quarantine".into(),
            code: certificate.to_owned(),
            holder_uscc: a.party.uscc.clone(),
            gtin: None,
            issuer: issuer.trim().to_owned(),
            issued_on: self.today(),
            expires_on: None,
        };
        master::put_cert(&self.db, &cert, self.now()).await?;
        let mut ev = json!({
            "type": "ObjectEvent", "eventTime": event_time(self, at)?, "eventTimeZoneOffset": "+08:00",
            "action": "OBSERVE", "bizStep": "inspecting",
            "disposition": if passed { "conformant" } else { "non_conformant" },
            "readPoint": self.location(&a.party),
            "certificationInfo": self.config.cert_uri("quarantine", certificate),
        });
        ev[what] = key;
        Ok(self.capture_built(vec![ev], &a.account).await?.remove(0))
    }

    /// An animal ear tag or a lot Digital Link as the "what" of an event.
    fn target(&self, target: &str) -> Result<(&'static str, Value)> {
        let t = target.trim();
        if t.len() == 15 && t.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(("epcList", json!([self.config.animal_uri(t)])));
        }
        // An SSCC as printed under the barcode of a box or pallet label.
        if t.len() == 18 && t.bytes().all(|b| b.is_ascii_digit()) {
            if !qy_gs1::has_valid_check_digit(t) {
                return Err(Error::bad_request("trace.invalid_sscc", format!("SSCC {t} has a wrong check digit")));
            }
            return Ok(("epcList", json!([format!("https://id.gs1.org/00/{t}")])));
        }
        let canonical = super::index::canonical_id(t);
        if canonical.starts_with("https://id.gs1.org/01/") && canonical.contains("/10/") {
            return Ok(("quantityList", json!([{"epcClass": canonical}])));
        }
        if canonical.starts_with("https://id.gs1.org/00/") {
            return Ok(("epcList", json!([canonical])));
        }
        Err(Error::bad_request(
            "trace.invalid_target",
            format!("{t:?}: give a 15-digit ear tag, a lot's Digital Link or an SSCC"),
        ))
    }

    /// 屠宰 / 加工: animals or lots in, a new lot out (TransformationEvent; `killing` when
    /// the inputs are animals).
    pub async fn transform(
        &self,
        a: &Actor,
        inputs: &[String],
        gtin: &str,
        lot: &str,
        quantity: f64,
        at: Option<&str>,
    ) -> Result<Lot> {
        if inputs.is_empty() {
            return Err(Error::bad_request("trace.no_inputs", "name at least one animal or lot that went in"));
        }
        let mut input_epcs = Vec::new();
        let mut input_lots = Vec::new();
        let mut animals = 0;
        for i in inputs {
            match self.target(i)? {
                ("epcList", Value::Array(v)) => {
                    animals += 1;
                    input_epcs.extend(v)
                }
                (_, Value::Array(v)) => input_lots.extend(v),
                _ => {}
            }
        }
        let gtin = gtin14(gtin)?;
        let lot = lot_number(lot)?;
        if master::product(&self.db, &gtin).await?.is_none() {
            return Err(Error::bad_request(
                "trace.unknown_product",
                format!("GTIN {gtin} is not a registered product"),
            ));
        }
        let time = event_time(self, at)?;
        let record = new_lot(a, &gtin, &lot, quantity, time.get(..10).unwrap_or_default())?;
        if !master::insert_lot(&self.db, &record, &a.account, self.now()).await? {
            return Err(Error::conflict("trace.lot_exists", format!("lot {lot} of {gtin} is already registered")));
        }
        let mut ev = json!({
            "type": "TransformationEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
            "outputQuantityList": [{"epcClass": lot_uri(&gtin, &lot), "quantity": quantity, "uom": "KGM"}],
            "bizStep": if animals > 0 { "killing" } else { "commissioning" }, "disposition": "active",
            "readPoint": self.location(&a.party),
            "ilmd": {"cbvmda:countryOfOrigin": "CN", "cbvmda:lotNumber": lot, "qh:holder": a.party.uscc},
        });
        if !input_epcs.is_empty() {
            ev["inputEPCList"] = Value::Array(input_epcs);
        }
        if !input_lots.is_empty() {
            ev["inputQuantityList"] = Value::Array(input_lots);
        }
        self.capture_built(vec![ev], &a.account).await?;
        Ok(record)
    }

    /// 装箱: lots packed into a logistic unit (AggregationEvent ADD, packing, SSCC parent).
    pub async fn pack(&self, a: &Actor, sscc: &str, lots: &[String], at: Option<&str>) -> Result<String> {
        let parent = qy_gs1::constrained_canonical(&format!("https://id.gs1.org/00/{}", sscc.trim()))
            .filter(|c| c.starts_with("https://id.gs1.org/00/"))
            .ok_or_else(|| Error::bad_request("trace.invalid_sscc", format!("{sscc:?} is not an 18-digit SSCC")))?;
        let mut children = Vec::new();
        for l in lots {
            match self.target(l)? {
                ("quantityList", Value::Array(v)) => children.extend(v),
                _ => return Err(Error::bad_request("trace.invalid_target", format!("{l:?} is not a lot"))),
            }
        }
        if children.is_empty() {
            return Err(Error::bad_request("trace.no_inputs", "name at least one lot that was packed"));
        }
        let ev = json!({
            "type": "AggregationEvent", "eventTime": event_time(self, at)?, "eventTimeZoneOffset": "+08:00",
            "parentID": parent, "childQuantityList": children, "action": "ADD", "bizStep": "packing",
            "disposition": "in_progress", "readPoint": self.location(&a.party),
        });
        Ok(self.capture_built(vec![ev], &a.account).await?.remove(0))
    }

    /// 发运: a lot or container leaves for another party, with the cold chain's readings.
    pub async fn ship(
        &self,
        a: &Actor,
        what: &str,
        to_uscc: &str,
        readings: &[Reading],
        at: Option<&str>,
    ) -> Result<String> {
        let (key, value) = self.target(what)?;
        let to = master::party(&self.db, to_uscc.trim()).await?.ok_or_else(|| {
            Error::bad_request("trace.unknown_party", format!("{to_uscc:?} is not a registered party"))
        })?;
        let mut ev = json!({
            "type": "ObjectEvent", "eventTime": event_time(self, at)?, "eventTimeZoneOffset": "+08:00",
            "action": "OBSERVE", "bizStep": "shipping", "disposition": "in_transit",
            "readPoint": self.location(&a.party),
            "sourceList": [{"type": "owning_party", "source": self.party_uri(&a.party.uscc)},
                           {"type": "location", "source": self.location(&a.party)["id"]}],
            "destinationList": [{"type": "owning_party", "destination": self.party_uri(&to.uscc)},
                                {"type": "location", "destination": self.location(&to)["id"]}],
        });
        ev[key] = value;
        if !readings.is_empty() {
            let reports: Vec<Value> = readings
                .iter()
                .map(|r| {
                    let time = event_time(self, Some(&r.at)).unwrap_or_default();
                    json!({"type": "Temperature", "value": r.celsius, "uom": "CEL", "time": time})
                })
                .collect();
            ev["sensorElementList"] = json!([{"sensorReport": reports}]);
            // A reading after the event time would be rejected: ship at the last reading.
            if let Some(last) = readings.iter().map(|r| r.at.clone()).max() {
                let last = event_time(self, Some(&last))?;
                if last.as_str() > ev["eventTime"].as_str().unwrap_or_default() {
                    ev["eventTime"] = Value::String(last);
                }
            }
        }
        Ok(self.capture_built(vec![ev], &a.account).await?.remove(0))
    }

    /// 收货: a lot or container arrives.
    pub async fn receive(&self, a: &Actor, what: &str, at: Option<&str>) -> Result<String> {
        self.observe_here(a, what, "receiving", "in_progress", at).await
    }

    /// 零售: sold to consumers (retail_selling, retail_sold).
    pub async fn sell(&self, a: &Actor, what: &str, at: Option<&str>) -> Result<String> {
        self.observe_here(a, what, "retail_selling", "retail_sold", at).await
    }

    /// An observation of a lot or container at the actor's own site.
    async fn observe_here(
        &self,
        a: &Actor,
        what: &str,
        step: &str,
        disposition: &str,
        at: Option<&str>,
    ) -> Result<String> {
        let (key, value) = self.target(what)?;
        let mut ev = json!({
            "type": "ObjectEvent", "eventTime": event_time(self, at)?, "eventTimeZoneOffset": "+08:00",
            "action": "OBSERVE", "bizStep": step, "disposition": disposition,
            "readPoint": self.location(&a.party), "bizLocation": self.location(&a.party),
        });
        ev[key] = value;
        Ok(self.capture_built(vec![ev], &a.account).await?.remove(0))
    }
}
