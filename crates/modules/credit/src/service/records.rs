//! Entering 双公示 records: validation, the subject they are about, the publication window,
//! and idempotency on the decision document number.

use qy_credit_rules::{FieldError, Licence, Penalty, Severity, SubjectCategory};
use qy_kernel::{id, Error, ErrorKind, Principal, Result};
use qy_workcal::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{require, same_department, Credit};
use crate::domain::{perm, Record, RecordKind, SubjectKind};
use crate::store::records::{self as record_store, StoredRecord};
use crate::store::subjects::{self as subject_store, NewSubject};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmitOutcome {
    /// A new decision.
    Created,
    /// The same decision with the same content again: nothing changed.
    Unchanged,
    /// The same decision number with new content: stored as a new version.
    Corrected,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Submitted {
    pub outcome: SubmitOutcome,
    pub record: Record,
}

/// What both kinds of record share for storage.
struct Input {
    kind: RecordKind,
    subject_name: String,
    category: SubjectCategory,
    uscc: Option<String>,
    legal_rep: Option<String>,
    person_id: Option<String>,
    decision_no: String,
    decision_date: Date,
    authority: String,
    authority_uscc: String,
    severity: Option<Severity>,
    /// The record's fields as published (personal ID numbers removed).
    data: serde_json::Value,
}

/// The invalid record's field errors as one problem (`credit.invalid_record`), the first
/// error's field and code as arguments.
pub(crate) fn invalid(errors: &[FieldError]) -> Error {
    let detail = errors.iter().map(|e| format!("{}: {}", e.field, e.detail)).collect::<Vec<_>>().join("; ");
    let mut e = Error::bad_request("credit.invalid_record", detail);
    if let Some(first) = errors.first() {
        e = e.with_arg("field", first.field).with_arg("reason", first.code);
    }
    e
}

fn without_person_id<T: Serialize>(value: &T) -> serde_json::Value {
    let mut data = serde_json::to_value(value).unwrap_or(serde_json::Value::Null);
    if let Some(map) = data.as_object_mut() {
        map.remove("person_id");
    }
    data
}

impl Credit {
    /// A 行政处罚 decision from a form, an upload or a department's system.
    pub async fn submit_penalty(&self, by: &Principal, p: Penalty, batch: Option<&str>) -> Result<Submitted> {
        require(by, perm::RECORDS_WRITE)?;
        let errors = p.validate(self.today());
        if !errors.is_empty() {
            return Err(invalid(&errors));
        }
        let input = Input {
            kind: RecordKind::Penalty,
            subject_name: p.subject_name.trim().to_owned(),
            category: p.subject_category,
            uscc: p.uscc.clone(),
            legal_rep: p.legal_rep.clone(),
            person_id: p.person_id.clone(),
            decision_no: p.decision_no.trim().to_owned(),
            decision_date: p.decision_date,
            authority: p.authority.trim().to_owned(),
            authority_uscc: p.authority_uscc.trim().to_owned(),
            severity: Some(p.severity),
            data: without_person_id(&p),
        };
        self.store_record(by, input, batch).await
    }

    /// A 行政许可 decision.
    pub async fn submit_licence(&self, by: &Principal, l: Licence, batch: Option<&str>) -> Result<Submitted> {
        require(by, perm::RECORDS_WRITE)?;
        let errors = l.validate(self.today());
        if !errors.is_empty() {
            return Err(invalid(&errors));
        }
        let input = Input {
            kind: RecordKind::Licence,
            subject_name: l.subject_name.trim().to_owned(),
            category: l.subject_category,
            uscc: l.uscc.clone(),
            legal_rep: l.legal_rep.clone(),
            person_id: l.person_id.clone(),
            decision_no: l.decision_no.trim().to_owned(),
            decision_date: l.decision_date,
            authority: l.authority.trim().to_owned(),
            authority_uscc: l.authority_uscc.trim().to_owned(),
            severity: None,
            data: without_person_id(&l),
        };
        self.store_record(by, input, batch).await
    }

    async fn store_record(&self, by: &Principal, input: Input, batch: Option<&str>) -> Result<Submitted> {
        let subject_id = self.resolve_subject(&input).await?;
        let today = self.today();
        let now = self.now_ms();
        let data_hash = hex::encode(Sha256::digest(input.data.to_string().as_bytes()));
        let person_id_sealed = match &input.person_id {
            Some(pid) if input.uscc.is_none() => Some(self.vault.seal(pid.trim())?),
            _ => None,
        };
        let existing = record_store::by_decision(&self.db, input.kind, &input.decision_no).await?;
        if let Some((record, hash)) = &existing {
            same_department(by, record.department_id.as_deref())?;
            if *hash == data_hash && record.subject_id == subject_id {
                return Ok(Submitted { outcome: SubmitOutcome::Unchanged, record: record.clone() });
            }
        }
        let (regime, published, min_end, max_end, repairable) = match input.severity {
            Some(severity) => {
                let w = self.policy.publication.window(input.decision_date, severity).map_err(|e| {
                    Error::bad_request("credit.no_regime", e.to_string())
                        .with_arg("date", input.decision_date.to_string())
                })?;
                (
                    Some(w.regime.clone()),
                    w.published,
                    Some(w.min_end.to_string()),
                    Some(w.max_end.to_string()),
                    w.repairable,
                )
            }
            None => (None, true, None, None, false),
        };
        // Published (here: received) later than the duty allows? Counted in working days from
        // the decision; a decision older than the calendar's data cannot be judged late.
        let late = self
            .policy
            .calendar
            .add_working_days(input.decision_date, self.policy.publication_duty_days)
            .is_ok_and(|due| today > due);
        let (record_id, published_on, received_at) = match &existing {
            Some((r, _)) => (r.id.clone(), r.published_on.clone(), r.received_at),
            None => (id::new_id(), today.to_string(), now),
        };
        let record = Record {
            id: record_id,
            subject_id: subject_id.clone(),
            kind: input.kind,
            decision_no: input.decision_no.clone(),
            decision_date: input.decision_date.to_string(),
            severity: input.severity.map(|s| s.as_str().to_owned()),
            authority: input.authority.clone(),
            authority_uscc: input.authority_uscc.clone(),
            data: input.data,
            published_on,
            late_publication: match &existing {
                Some((r, _)) => r.late_publication,
                None => late,
            },
            regime,
            published,
            min_end,
            max_end,
            repairable,
            repaired_at: existing.as_ref().and_then(|(r, _)| r.repaired_at),
            withdrawn_at: None,
            withdrawn_reason: None,
            department_id: match &existing {
                Some((r, _)) => r.department_id.clone(),
                None => by.department_id.clone(),
            },
            received_at,
        };
        let stored = StoredRecord {
            record: record.clone(),
            data_hash,
            person_id_sealed,
            entered_by: by.account_id.clone(),
            batch_id: batch.map(str::to_owned),
        };
        let outcome = if existing.is_some() {
            record_store::correct(&self.db, &stored, now).await?;
            SubmitOutcome::Corrected
        } else {
            record_store::insert(&self.db, &stored).await?;
            SubmitOutcome::Created
        };
        let action = match outcome {
            SubmitOutcome::Corrected => format!("{}.corrected", input.kind.as_str()),
            _ => format!("{}.created", input.kind.as_str()),
        };
        self.event(&subject_id, &by.account_id, &action, &record.id, &input.decision_no).await?;
        Ok(Submitted { outcome, record })
    }

    /// The department withdraws its own decision from publication (revoked on review or in
    /// court, entered in error). The record stays internal, with the reason; a corrected
    /// submission of the same decision number republishes it.
    pub async fn withdraw_record(&self, by: &Principal, record_id: &str, reason: &str) -> Result<Record> {
        require(by, perm::RECORDS_WRITE)?;
        let reason = super::non_empty("reason", reason)?;
        let record = record_store::by_id(&self.db, record_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.record_not_found", "no such record"))?;
        same_department(by, record.department_id.as_deref())?;
        if record.withdrawn_at.is_some() {
            return Err(Error::conflict("credit.invalid_transition", "the record is already withdrawn"));
        }
        record_store::set_withdrawn(&self.db, record_id, self.now_ms(), &reason).await?;
        self.event(
            &record.subject_id,
            &by.account_id,
            &format!("{}.withdrawn", record.kind.as_str()),
            record_id,
            &reason,
        )
        .await?;
        record_store::by_id(&self.db, record_id).await?.ok_or_else(|| Error::internal("record vanished"))
    }

    /// The subject a record is about: by USCC for organisations, by the blind index of the ID
    /// number for natural persons; created on first sight.
    async fn resolve_subject(&self, input: &Input) -> Result<String> {
        let kind = match input.category {
            SubjectCategory::LegalEntity => SubjectKind::LegalEntity,
            SubjectCategory::IndividualBusiness => SubjectKind::IndividualBusiness,
            SubjectCategory::NaturalPerson => SubjectKind::NaturalPerson,
        };
        let mut new = NewSubject {
            id: id::new_id(),
            kind,
            name: input.subject_name.clone(),
            uscc: None,
            person_id_sealed: None,
            person_id_index: None,
            person_id_masked: None,
            legal_rep: input.legal_rep.clone().filter(|s| !s.trim().is_empty()),
            region_code: String::new(),
            industry: None,
            registered_on: None,
            former_names: Vec::new(),
        };
        let uscc = input.uscc.as_deref().map(str::trim).filter(|u| !u.is_empty() && kind != SubjectKind::NaturalPerson);
        if let Some(uscc) = uscc {
            let parsed = qy_cnid::Uscc::parse(uscc)
                .map_err(|e| Error::bad_request("credit.uscc_invalid", format!("{uscc}: {e}")))?;
            if let Some(s) = subject_store::by_uscc(&self.db, parsed.as_str()).await? {
                return Ok(s.id);
            }
            new.uscc = Some(parsed.as_str().to_owned());
            new.region_code = parsed.region_code().to_owned();
        } else {
            let pid = input.person_id.as_deref().map(str::trim).filter(|p| !p.is_empty()).ok_or_else(|| {
                Error::bad_request("credit.subject_unidentified", "a USCC or a natural person's ID number is required")
            })?;
            let index = self.vault.blind_index(pid)?;
            if let Some(s) = subject_store::by_person_index(&self.db, &index).await? {
                return Ok(s.id);
            }
            new.person_id_masked = Some(match qy_cnid::ResidentId::parse(pid) {
                Ok(r) => r.masked(),
                Err(_) => mask_other_id(pid),
            });
            new.region_code =
                pid.get(..6).filter(|p| p.bytes().all(|b| b.is_ascii_digit())).unwrap_or("630000").to_owned();
            new.person_id_sealed = Some(self.vault.seal(pid)?);
            new.person_id_index = Some(index);
        }
        match subject_store::insert(&self.db, &new, self.now_ms()).await {
            Ok(()) => Ok(new.id),
            // Created by a concurrent submission about the same subject: use that one.
            Err(e) if e.kind == ErrorKind::Conflict => {
                let found = match (&new.uscc, &new.person_id_index) {
                    (Some(u), _) => subject_store::by_uscc(&self.db, u).await?,
                    (None, Some(i)) => subject_store::by_person_index(&self.db, i).await?,
                    _ => None,
                };
                found.map(|s| s.id).ok_or(e)
            }
            Err(e) => Err(e),
        }
    }
}

/// Passports and other documents: keep the first 2 and last 2 characters.
fn mask_other_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 4 {
        return "*".repeat(chars.len());
    }
    let stars = "*".repeat(chars.len() - 4);
    format!("{}{}{}{}{}", chars[0], chars[1], stars, chars[chars.len() - 2], chars[chars.len() - 1])
}
