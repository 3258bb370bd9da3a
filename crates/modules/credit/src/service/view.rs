//! What the public and staff see of a subject, the credit evaluation, and name search.

use std::collections::HashMap;

use qy_credit_rules::{Evaluation, ScoreInput, ScoredPenalty, Severity};
use qy_kernel::{Error, Principal, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::{require, Credit};
use crate::domain::{
    mask_name, perm, Event, ListEntry, ListKind, Objection, Record, RecordKind, Repair, Subject, SubjectKind,
};
use crate::store::{cases, events, lists, records, subjects};
use qy_textsearch as search;

/// The public view of a legal entity (信用中国's one-stop query): basic information, licences,
/// penalties inside their publication period, list status and the evaluation.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicView {
    pub uscc: String,
    pub name: String,
    pub kind: SubjectKind,
    /// Masked (`王*国`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_rep: Option<String>,
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_on: Option<String>,
    pub former_names: Vec<String>,
    pub licences: Vec<PublicRecord>,
    pub penalties: Vec<PublicRecord>,
    /// Lists the subject is on today.
    pub lists: Vec<PublicListEntry>,
    #[schema(value_type = Object)]
    pub evaluation: Evaluation,
    /// The date (Beijing) this view was computed for.
    pub as_of: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicRecord {
    pub id: String,
    pub decision_no: String,
    pub decision_date: String,
    pub authority: String,
    pub authority_uscc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// Publication ends on this date (penalties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publish_until: Option<String>,
    /// A repair may be applied for from this date (penalties that can be repaired).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repairable_from: Option<String>,
    /// An objection to it is being examined.
    pub disputed: bool,
    /// The national 双公示 fields, with the legal representative masked.
    #[schema(value_type = Object)]
    pub fields: serde_json::Value,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicListEntry {
    pub list: ListKind,
    pub legal_basis: String,
    pub reason: String,
    pub authority: String,
    pub decided_on: String,
    pub valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
}

/// Everything staff with `credit.internal.read` see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffView {
    pub subject: Subject,
    pub records: Vec<Record>,
    pub lists: Vec<ListEntry>,
    pub repairs: Vec<Repair>,
    pub objections: Vec<Objection>,
    pub history: Vec<Event>,
    #[schema(value_type = Object)]
    pub evaluation: Evaluation,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub uscc: String,
    pub name: String,
    /// Set when the query matched a former name rather than the current one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched_former_name: Option<String>,
    pub region_code: String,
    /// 0–1000; an exact USCC or name is 1000.
    pub score: u32,
}

/// A bigram indexing more subjects than this is "common": it cannot narrow a search alone.
const COMMON_GRAM: i64 = 2_000;

fn masked_fields(r: &Record) -> serde_json::Value {
    let mut data = r.data.clone();
    if let Some(map) = data.as_object_mut() {
        for key in ["legal_rep"] {
            if let Some(serde_json::Value::String(s)) = map.get(key) {
                let masked = mask_name(s);
                map.insert(key.into(), serde_json::Value::String(masked));
            }
        }
        map.remove("person_id");
        map.remove("person_id_type");
    }
    crate::privacy::redact_json(&mut data);
    data
}

impl Credit {
    /// The evaluation of a subject from its records, lists and open objections.
    pub(crate) fn evaluate(&self, records: &[Record], entries: &[ListEntry], objections: &[Objection]) -> Evaluation {
        let today = self.today();
        let today_s = today.to_string();
        let disputed: Vec<&str> =
            objections.iter().filter(|o| o.status == "open").map(|o| o.record_id.as_str()).collect();
        let penalties = records
            .iter()
            .filter(|r| r.kind == RecordKind::Penalty && r.withdrawn_at.is_none() && r.published)
            .filter(|r| r.max_end.as_deref().is_some_and(|end| today_s.as_str() < end))
            .filter_map(|r| {
                Some(ScoredPenalty {
                    decision_no: r.decision_no.clone(),
                    severity: r.severity.as_deref()?.parse::<Severity>().ok()?,
                    decision_date: r.decision_date.parse().ok()?,
                    repaired: r.repaired_at.is_some(),
                    disputed: disputed.contains(&r.id.as_str()),
                })
            })
            .collect();
        let valid_licences = records
            .iter()
            .filter(|r| r.kind == RecordKind::Licence && r.withdrawn_at.is_none())
            .filter(|r| r.data.get("status").and_then(|s| s.as_str()).is_none_or(|s| s != "invalid" && s != "2"))
            .count() as u32;
        let on = |list: ListKind| entries.iter().any(|e| e.list == list && e.in_force(&today_s));
        let input = ScoreInput {
            today,
            penalties,
            valid_licences,
            on_serious_dishonest: on(ListKind::SeriousDishonest),
            on_key_attention: on(ListKind::KeyAttention),
            on_red_list: on(ListKind::Red),
        };
        self.policy.score.evaluate(&input)
    }

    /// The public view by USCC. Natural persons have none.
    pub async fn public_view(&self, uscc: &str) -> Result<PublicView> {
        let parsed = qy_cnid::Uscc::parse(uscc)
            .map_err(|e| Error::bad_request("credit.uscc_invalid", format!("{uscc}: {e}")))?;
        let subject = subjects::by_uscc(&self.db, parsed.as_str())
            .await?
            .filter(|s| s.kind != SubjectKind::NaturalPerson)
            .ok_or_else(|| Error::not_found("credit.subject_not_found", format!("no credit subject {uscc}")))?;
        let all = records::of_subject(&self.db, &subject.id).await?;
        let entries = lists::of_subject(&self.db, &subject.id).await?;
        let objections = cases::objections_of_subject(&self.db, &subject.id).await?;
        let evaluation = self.evaluate(&all, &entries, &objections);
        let today = self.today().to_string();
        let disputed: Vec<&str> =
            objections.iter().filter(|o| o.status == "open").map(|o| o.record_id.as_str()).collect();
        let public = |r: &Record| PublicRecord {
            id: r.id.clone(),
            decision_no: r.decision_no.clone(),
            decision_date: r.decision_date.clone(),
            authority: r.authority.clone(),
            authority_uscc: r.authority_uscc.clone(),
            severity: r.severity.clone(),
            publish_until: r.max_end.clone(),
            repairable_from: r.repairable.then(|| r.min_end.clone()).flatten(),
            disputed: disputed.contains(&r.id.as_str()),
            fields: masked_fields(r),
        };
        let visible = |kind: RecordKind| -> Vec<PublicRecord> {
            all.iter().filter(|r| r.kind == kind && r.is_public(&today)).map(public).collect()
        };
        Ok(PublicView {
            uscc: parsed.as_str().to_owned(),
            name: subject.name.clone(),
            kind: subject.kind,
            legal_rep: subject.legal_rep.as_deref().map(mask_name),
            region_code: subject.region_code.clone(),
            industry: subject.industry.clone(),
            registered_on: subject.registered_on.clone(),
            former_names: subject.former_names.clone(),
            licences: visible(RecordKind::Licence),
            penalties: visible(RecordKind::Penalty),
            lists: entries
                .iter()
                .filter(|e| e.in_force(&today))
                .map(|e| PublicListEntry {
                    list: e.list,
                    legal_basis: e.legal_basis.clone(),
                    reason: crate::privacy::redact(&e.reason),
                    authority: e.authority.clone(),
                    decided_on: e.decided_on.clone(),
                    valid_from: e.valid_from.clone(),
                    valid_to: e.valid_to.clone(),
                })
                .collect(),
            evaluation,
            as_of: today,
        })
    }

    /// The internal view of any subject, natural persons included (IDs masked).
    pub async fn staff_view(&self, by: &Principal, subject_id: &str) -> Result<StaffView> {
        require(by, perm::INTERNAL_READ)?;
        let mut subject = subjects::by_id(&self.db, subject_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.subject_not_found", "no such credit subject"))?;
        subject.legal_rep = subject.legal_rep.as_deref().map(mask_name);
        let records = records::of_subject(&self.db, subject_id).await?;
        let lists = lists::of_subject(&self.db, subject_id).await?;
        let objections = cases::objections_of_subject(&self.db, subject_id).await?;
        let evaluation = self.evaluate(&records, &lists, &objections);
        Ok(StaffView {
            subject,
            records,
            lists,
            repairs: cases::repairs_of_subject(&self.db, subject_id).await?,
            objections,
            history: events::of_subject(&self.db, subject_id).await?,
            evaluation,
        })
    }

    /// The natural person's full ID number, for staff who must see it. The caller audits
    /// the read with its reason.
    pub async fn reveal_person_id(&self, by: &Principal, subject_id: &str, reason: &str) -> Result<String> {
        require(by, perm::PERSONAL_DATA_READ)?;
        if reason.trim().chars().count() < 4 {
            return Err(Error::bad_request("credit.reason_required", "say why the full ID number is needed"));
        }
        let sealed = subjects::sealed_person_id(&self.db, subject_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.no_person_id", "this subject has no personal ID number"))?;
        let plain = self.vault.open(&sealed)?;
        self.event(subject_id, &by.account_id, "personal_data.read", subject_id, reason.trim()).await?;
        Ok(plain)
    }

    /// Public search by USCC (exact) or name (current or former, fuzzy). Natural persons are
    /// never found. Best first; at most `limit`.
    pub async fn search(&self, q: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let q = q.trim();
        if let Ok(u) = qy_cnid::Uscc::parse(q) {
            return Ok(subjects::by_uscc(&self.db, u.as_str())
                .await?
                .filter(|s| s.kind != SubjectKind::NaturalPerson)
                .map(|s| SearchHit {
                    uscc: u.as_str().to_owned(),
                    name: s.name,
                    matched_former_name: None,
                    region_code: s.region_code,
                    score: 1000,
                })
                .into_iter()
                .collect());
        }
        let query = search::normalise(q);
        if query.chars().count() < 2 {
            return Err(Error::bad_request("credit.query_too_short", "type at least two characters of a name"));
        }
        let plan = subjects::NAME_INDEX.plan(&self.db, &search::bigrams(&query), COMMON_GRAM).await?;
        // Score every candidate on its full names (current and former).
        let mut best: HashMap<String, (u32, Option<String>)> = HashMap::new();
        for (subject_id, name, current) in subjects::names_of_candidates(&self.db, &plan, 2 * COMMON_GRAM).await? {
            let score = search::score(&query, &search::normalise(&name));
            // A former name ranks just below the same match on a current name.
            let score = if current { score } else { score.saturating_sub(50) };
            let former = (!current).then_some(name);
            let entry = best.entry(subject_id).or_insert((0, None));
            if score > entry.0 {
                *entry = (score, former);
            }
        }
        let mut ranked: Vec<(&String, &(u32, Option<String>))> = best.iter().filter(|(_, (s, _))| *s > 0).collect();
        ranked.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then_with(|| a.0.cmp(b.0)));
        // Natural persons are filtered below, so fetch a few more than asked for.
        ranked.truncate(limit + 16);
        let found: Vec<String> = ranked.iter().map(|(id, _)| (*id).clone()).collect();
        let mut hits: Vec<SearchHit> = subjects::by_ids(&self.db, &found)
            .await?
            .into_iter()
            .filter(|s| s.kind != SubjectKind::NaturalPerson)
            .filter_map(|s| {
                let (score, former) = best.get(&s.id)?.clone();
                Some(SearchHit {
                    uscc: s.uscc.clone()?,
                    name: s.name,
                    matched_former_name: former,
                    region_code: s.region_code,
                    score,
                })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.name.cmp(&b.name)));
        hits.truncate(limit);
        Ok(hits)
    }
}
