//! Recalls (召回): a regulator names lots; every lot, container and serial downstream of
//! them is computed through the genealogy, a recall event (`holding`, disposition
//! `recalled`) is recorded for them, the consumer pages show the banner from that moment,
//! and every holder found on their events is told through the bus.

use std::collections::BTreeSet;

use qy_kernel::{Error, Principal, Result};
use serde_json::{json, Value};

use super::index::canonical_id;
use super::Trace;
use crate::domain::{perm, Recall, RECALL_SUBJECT};
use crate::store::{master, recalls, search};

impl Trace {
    pub async fn recall(&self, by: &Principal, roots: &[String], reason: &str) -> Result<Recall> {
        if !by.can(perm::REGULATE) {
            return Err(Error::forbidden("trace.forbidden", "recalling lots needs trace.regulate"));
        }
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::bad_request("trace.recall_reason", "a recall needs its reason"));
        }
        let roots: Vec<String> = roots
            .iter()
            .map(|r| canonical_id(r))
            .filter(|r| !r.is_empty())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if roots.is_empty() {
            return Err(Error::bad_request("trace.recall_roots", "name at least one lot to recall"));
        }
        let mut affected: BTreeSet<String> = roots.iter().cloned().collect();
        for r in &roots {
            if search::seqs_naming(&self.db, std::slice::from_ref(r)).await?.is_empty() {
                return Err(Error::bad_request("trace.unknown_identifier", format!("no event names {r}")));
            }
            affected.extend(self.genealogy(r).await?.descendants);
        }
        let affected: Vec<String> = affected.into_iter().collect();
        let seqs = search::seqs_naming(&self.db, &affected).await?;
        let holders = search::places_and_parties(&self.db, &seqs).await?;
        let recall = Recall {
            id: qy_kernel::id::new_id(),
            reason: reason.to_owned(),
            roots,
            affected,
            holders,
            status: "open".into(),
            created_by: by.account_id.clone(),
            created_at: self.now(),
            closed_at: None,
        };
        recalls::insert(&self.db, &recall).await?;
        self.capture_built(vec![self.recall_event(&recall)], &by.account_id).await?;
        self.notify_holders(&recall).await;
        Ok(recall)
    }

    /// One ObjectEvent for every recalled identifier: lots as quantities, the rest as EPCs.
    fn recall_event(&self, r: &Recall) -> Value {
        let (classes, instances): (Vec<&String>, Vec<&String>) =
            r.affected.iter().partition(|e| e.starts_with("https://id.gs1.org/01/") && e.contains("/10/"));
        let time = super::beijing_rfc3339(self.now());
        let mut ev = json!({
            "type": "ObjectEvent", "eventTime": time, "eventTimeZoneOffset": "+08:00",
            "epcList": instances, "action": "OBSERVE", "bizStep": "holding", "disposition": "recalled",
            "persistentDisposition": {"set": ["recalled"]},
            "readPoint": {"id": format!("{}regulator", self.config.namespace)},
            "qh:recallID": r.id, "qh:recallReason": r.reason,
        });
        if !classes.is_empty() {
            ev["quantityList"] = classes.iter().map(|c| json!({"epcClass": c})).collect();
        }
        ev
    }

    /// One bus message per holder; a party's own page and systems pick it up. Delivery
    /// failure is logged, never undoes the recall.
    async fn notify_holders(&self, r: &Recall) {
        for holder in &r.holders {
            let party = match holder.strip_prefix("https://id.gs1.org/414/") {
                Some(gln) => master::party_by_gln(&self.db, gln.split('/').next().unwrap_or(gln)).await.ok().flatten(),
                None => match holder.strip_prefix(&format!("{}party/", self.config.namespace)) {
                    Some(uscc) => master::party(&self.db, uscc).await.ok().flatten(),
                    None => None,
                },
            };
            let payload = json!({
                "recall_id": r.id, "reason": r.reason, "holder": holder,
                "uscc": party.as_ref().map(|p| p.uscc.clone()), "name": party.as_ref().map(|p| p.name.clone()),
                "lots": r.affected,
            });
            if let Err(e) = self.bus.publish(RECALL_SUBJECT, payload).await {
                tracing::warn!(recall = %r.id, holder = %holder, error = %e, "recall notice not published");
            }
        }
    }

    pub async fn close_recall(&self, by: &Principal, id: &str) -> Result<()> {
        if !by.can(perm::REGULATE) {
            return Err(Error::forbidden("trace.forbidden", "closing recalls needs trace.regulate"));
        }
        if recalls::close(&self.db, id, self.now()).await? {
            Ok(())
        } else {
            Err(Error::not_found("trace.no_such_recall", format!("no open recall {id}")))
        }
    }

    pub async fn recall_by_id(&self, id: &str) -> Result<Recall> {
        recalls::get(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("trace.no_such_recall", format!("no recall {id}")))
    }
}
