//! What the consumer page of a scanned code shows: the product, the farm of origin, the
//! timeline from farm to shop, certificates, the cold chain, and any recall.

use std::collections::{BTreeSet, HashMap};

use qy_kernel::{Error, Result};
use serde::Serialize;
use serde_json::Value;

use super::index::{canonical_id, gtin_of};
use super::Trace;
use crate::domain::{Cert, Lot, Party, Product, Recall, StoredEvent};
use crate::store::search::Reading;
use crate::store::{events, master, recalls, search};

#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub time: i64,
    /// farm, inspection, processing, packing, transport, receiving, shop, recall, other
    pub stage: &'static str,
    pub biz_step: String,
    pub disposition: String,
    pub place: Option<String>,
    pub certificate: Option<String>,
    pub event_id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConsumerView {
    pub id: String,
    pub gtin: Option<String>,
    pub lot: Option<String>,
    pub serial: Option<String>,
    pub product: Option<Product>,
    pub lot_record: Option<Lot>,
    pub producer: Option<Party>,
    pub origin: Option<Party>,
    pub steps: Vec<Step>,
    pub certs: Vec<Cert>,
    pub readings: Vec<Reading>,
    pub recalls: Vec<Recall>,
    /// Identifiers the timeline covers: the item, what it was made from, what carried it.
    pub related: Vec<String>,
}

fn bare(uri: &str) -> String {
    uri.rsplit_once('-')
        .filter(|_| uri.starts_with("https://ref.gs1.org/cbv/"))
        .map(|(_, w)| w)
        .unwrap_or(uri)
        .to_owned()
}

fn stage_of(e: &StoredEvent, step: &str, disposition: &str) -> &'static str {
    match (e.event_type.as_str(), step, disposition) {
        (_, _, "recalled") => "recall",
        ("TransformationEvent", _, _) => "processing",
        ("AggregationEvent", _, _) => "packing",
        (_, "commissioning", _) => "farm",
        (_, "inspecting" | "sampling", _) => "inspection",
        (_, "shipping" | "transporting" | "departing" | "arriving" | "loading" | "unloading", _) => "transport",
        (_, "receiving" | "accepting" | "storing" | "stocking", _) => "receiving",
        (_, "retail_selling", _) => "shop",
        _ => "other",
    }
}

/// The key qualifiers of a canonical GTIN-based Digital Link.
fn qualifier(id: &str, ai: &str) -> Option<String> {
    let parts: Vec<&str> = id.trim_start_matches("https://id.gs1.org/").split('/').collect();
    parts.chunks(2).find(|c| c.first() == Some(&ai)).and_then(|c| c.get(1)).map(|s| (*s).to_owned())
}

impl Trace {
    /// The view of a Digital Link (`/01/{gtin}/10/{lot}` or `/21/{serial}`), any domain.
    pub async fn consumer_view(&self, link: &str) -> Result<ConsumerView> {
        // A mistyped code gets a reason, not "unknown product".
        if link.starts_with("http") {
            qy_gs1::DigitalLink::parse(link)
                .map_err(|e| Error::bad_request("trace.invalid_link", format!("{link}: {e}")))?;
        }
        let id = canonical_id(link);
        let Some(gtin) = gtin_of(&id) else {
            return Err(Error::bad_request("trace.not_a_product_link", format!("{link} is not a GTIN Digital Link")));
        };
        let lot = qualifier(&id, "10");
        let serial = qualifier(&id, "21");
        let product = master::product(&self.db, &gtin).await?;
        let lot_record = match &lot {
            Some(l) => master::lot(&self.db, &gtin, l).await?,
            None => None,
        };
        let producer = match &product {
            Some(p) => master::party(&self.db, &p.owner_uscc).await?,
            None => None,
        };
        let g = self.genealogy(&id).await?;
        // Containers that carried it: follow packing links down from the item only.
        let mut carried: BTreeSet<String> = BTreeSet::new();
        let mut frontier = vec![id.clone()];
        while let Some(x) = frontier.pop() {
            for l in g.downstream.iter().filter(|l| l.kind == "aggregation" && l.from == x) {
                if carried.insert(l.to.clone()) {
                    frontier.push(l.to.clone());
                }
            }
        }
        let mut related: Vec<String> = vec![id.clone()];
        related.extend(g.ancestors.iter().cloned());
        related.extend(carried);
        let seqs = search::seqs_naming(&self.db, &related).await?;
        if seqs.is_empty() && product.is_none() {
            return Err(Error::not_found("trace.unknown_product", format!("nothing is known about {id}")));
        }
        let evs = events::by_seqs(&self.db, &seqs).await?;
        let mut places: HashMap<String, Option<Party>> = HashMap::new();
        let mut steps = Vec::new();
        let mut cert_uris = BTreeSet::new();
        for e in &evs {
            let body: Value = serde_json::from_str(&e.body).unwrap_or(Value::Null);
            let read_point = body.pointer("/readPoint/id").and_then(Value::as_str).map(canonical_id);
            let place = match read_point {
                Some(rp) => {
                    if !places.contains_key(&rp) {
                        let p = self.party_at(&rp).await?;
                        places.insert(rp.clone(), p);
                    }
                    places.get(&rp).cloned().flatten().map(|p| p.name)
                }
                None => None,
            };
            let certificate = match body.get("certificationInfo") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Array(a)) => a.first().and_then(Value::as_str).map(str::to_owned),
                _ => None,
            };
            if let Some(c) = &certificate {
                cert_uris.insert(c.clone());
            }
            let step = bare(e.biz_step.as_deref().unwrap_or_default());
            let disposition = bare(e.disposition.as_deref().unwrap_or_default());
            steps.push(Step {
                time: e.event_time,
                stage: stage_of(e, &step, &disposition),
                biz_step: step,
                disposition,
                place,
                certificate: certificate.map(|c| self.config.cert_of(&c).map(|(_, code)| code).unwrap_or(c)),
                event_id: e.event_id.clone(),
            });
        }
        // The farm of origin: where the earliest commissioning happened.
        let origin = steps
            .iter()
            .zip(&evs)
            .find(|(s, _)| s.stage == "farm")
            .and_then(|(_, e)| serde_json::from_str::<Value>(&e.body).ok())
            .and_then(|b| b.pointer("/readPoint/id").and_then(Value::as_str).map(canonical_id))
            .and_then(|rp| places.get(&rp).cloned().flatten());
        let mut certs = match &producer {
            Some(p) => master::certs_for(&self.db, &p.uscc, Some(&gtin)).await?,
            None => Vec::new(),
        };
        for uri in &cert_uris {
            if let Some((kind, code)) = self.config.cert_of(uri) {
                if let Some(c) = master::cert(&self.db, &kind, &code).await? {
                    certs.push(c);
                }
            }
        }
        let readings = search::readings(&self.db, &seqs).await?;
        // Under recall when the item or anything it was made from is; a container recalled
        // for another lot's sake does not recall this one.
        let mut open = Vec::new();
        for r in std::iter::once(&id).chain(&g.ancestors) {
            for rc in recalls::open_for(&self.db, r).await? {
                if !open.iter().any(|o: &Recall| o.id == rc.id) {
                    open.push(rc);
                }
            }
        }
        Ok(ConsumerView {
            id,
            gtin: Some(gtin),
            lot,
            serial,
            product,
            lot_record,
            producer,
            origin,
            steps,
            certs,
            readings,
            recalls: open,
            related,
        })
    }

    /// The registered party at a read point or business location (GLN or party URI).
    async fn party_at(&self, place: &str) -> Result<Option<Party>> {
        if let Some(rest) = place.strip_prefix("https://id.gs1.org/414/") {
            return master::party_by_gln(&self.db, rest.split('/').next().unwrap_or(rest)).await;
        }
        match place.strip_prefix(&format!("{}party/", self.config.namespace)) {
            Some(uscc) => master::party(&self.db, uscc).await,
            None => Ok(None),
        }
    }
}
