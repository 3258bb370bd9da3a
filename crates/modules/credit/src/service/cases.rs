//! Credit repair (信用修复) and objections (异议): applications from the subject, decided by
//! the department that entered the record within a deadline counted in working days.

use qy_credit_rules::{repair_blockers, Window};
use qy_kernel::{id, Error, Principal, PrincipalKind, Result};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{non_empty, require, same_department, Credit};
use crate::domain::{perm, Objection, Record, RecordKind, Repair};
use crate::store::{cases, records, subjects};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RepairApplication {
    /// How the penalty's obligations were fulfilled (fine paid on …, rectification report …).
    pub obligations: String,
    /// The signed credit commitment (信用承诺书) text.
    pub commitment: String,
    /// The applicant confirms the obligations are fulfilled.
    pub obligations_fulfilled: bool,
    /// The applicant signs the commitment.
    pub commitment_signed: bool,
}

impl Credit {
    async fn record(&self, record_id: &str) -> Result<Record> {
        records::by_id(&self.db, record_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.record_not_found", "no such record"))
    }

    /// Only the subject itself (an enterprise account with its USCC) or staff entering an
    /// application received at the counter may apply.
    async fn may_act_for_subject(&self, by: &Principal, record: &Record) -> Result<()> {
        if by.kind == PrincipalKind::Enterprise {
            let subject = subjects::by_id(&self.db, &record.subject_id).await?;
            if subject.and_then(|s| s.uscc).is_some_and(|u| by.uscc.as_deref() == Some(u.as_str())) {
                return Ok(());
            }
            return Err(Error::forbidden("credit.not_your_record", "the record is about another subject"));
        }
        require(by, perm::REPAIRS_REVIEW)
    }

    pub async fn apply_for_repair(&self, by: &Principal, record_id: &str, app: RepairApplication) -> Result<Repair> {
        let record = self.record(record_id).await?;
        self.may_act_for_subject(by, &record).await?;
        let obligations = non_empty("obligations", &app.obligations)?;
        let commitment = non_empty("commitment", &app.commitment)?;
        let today = self.today();
        if record.kind != RecordKind::Penalty {
            return Err(Error::bad_request("credit.not_a_penalty", "only penalties are repaired"));
        }
        if record.repaired_at.is_some() {
            return Err(Error::conflict("credit.already_repaired", "this penalty is already repaired"));
        }
        let open = cases::repairs_of_subject(&self.db, &record.subject_id)
            .await?
            .into_iter()
            .any(|r| r.record_id == record.id && matches!(r.status.as_str(), "submitted" | "accepted"));
        if open {
            return Err(Error::conflict("credit.repair_pending", "an application for this penalty is being decided"));
        }
        let window = Window {
            regime: record.regime.clone().unwrap_or_default(),
            published: record.published,
            min_end: record.min_end.as_deref().and_then(|d| d.parse().ok()).unwrap_or(today),
            max_end: record.max_end.as_deref().and_then(|d| d.parse().ok()).unwrap_or(today),
            repairable: record.repairable,
        };
        let blockers = repair_blockers(&window, today, app.obligations_fulfilled, app.commitment_signed);
        if let Some(first) = blockers.first() {
            let detail = blockers.iter().map(|b| b.code()).collect::<Vec<_>>().join(", ");
            let mut e = Error::bad_request("credit.repair_not_eligible", format!("not eligible: {detail}"))
                .with_arg("reason", first.code());
            if let qy_credit_rules::RepairBlocker::MinimumPeriodNotServed { until } = first {
                e = e.with_arg("until", until.to_string());
            }
            return Err(e);
        }
        let due = self.policy.calendar.deadline(today, self.policy.repair_decision_days);
        let repair = Repair {
            id: id::new_id(),
            record_id: record.id.clone(),
            subject_id: record.subject_id.clone(),
            status: "submitted".into(),
            applicant: by.account_id.clone(),
            obligations,
            commitment,
            submitted_at: self.now_ms(),
            submitted_on: today.to_string(),
            due_on: due.date.to_string(),
            due_provisional: due.provisional,
            decided_at: None,
            decision_reason: None,
        };
        cases::insert_repair(&self.db, &repair).await?;
        self.event(&record.subject_id, &by.account_id, "repair.submitted", &repair.id, &record.decision_no).await?;
        Ok(repair)
    }

    /// The department's decision: `accept` / `not_accept` a submitted application, then
    /// `approve` / `deny` an accepted one. Approval ends publication at once.
    pub async fn decide_repair(&self, by: &Principal, repair_id: &str, decision: &str, reason: &str) -> Result<Repair> {
        require(by, perm::REPAIRS_REVIEW)?;
        let repair = cases::repair_by_id(&self.db, repair_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.repair_not_found", "no such repair application"))?;
        let record = self.record(&repair.record_id).await?;
        same_department(by, record.department_id.as_deref())?;
        let (from, to) = match decision {
            "accept" => ("submitted", "accepted"),
            "not_accept" => ("submitted", "not_accepted"),
            "approve" => ("accepted", "approved"),
            "deny" => ("accepted", "denied"),
            other => {
                return Err(Error::bad_request("credit.invalid_decision", format!("unknown decision {other:?}"))
                    .with_arg("decision", other))
            }
        };
        let reason = reason.trim();
        if matches!(to, "not_accepted" | "denied") && reason.is_empty() {
            return Err(Error::bad_request("credit.reason_required", "a refusal needs its reason"));
        }
        if repair.status != from {
            return Err(Error::conflict("credit.invalid_transition", format!("the application is {}", repair.status))
                .with_arg("status", repair.status.clone()));
        }
        let now = self.now_ms();
        let reason = (!reason.is_empty()).then_some(reason);
        if !cases::decide_repair(&self.db, repair_id, from, to, &by.account_id, reason, now).await? {
            return Err(Error::conflict("credit.invalid_transition", "someone else decided first"));
        }
        if to == "approved" {
            records::set_repaired(&self.db, &record.id, now).await?;
        }
        self.event(&record.subject_id, &by.account_id, &format!("repair.{to}"), repair_id, reason.unwrap_or(""))
            .await?;
        cases::repair_by_id(&self.db, repair_id).await?.ok_or_else(|| Error::internal("repair vanished"))
    }

    /// The subject disputes a record (异议): the department must answer by the deadline.
    pub async fn raise_objection(&self, by: &Principal, record_id: &str, grounds: &str) -> Result<Objection> {
        let record = self.record(record_id).await?;
        self.may_act_for_subject(by, &record).await?;
        let grounds = non_empty("grounds", grounds)?;
        let open = cases::objections_of_subject(&self.db, &record.subject_id)
            .await?
            .into_iter()
            .any(|o| o.record_id == record.id && o.status == "open");
        if open {
            return Err(Error::conflict("credit.objection_pending", "an objection to this record is being examined"));
        }
        let today = self.today();
        let due = self.policy.calendar.deadline(today, self.policy.objection_answer_days);
        let objection = Objection {
            id: id::new_id(),
            record_id: record.id.clone(),
            subject_id: record.subject_id.clone(),
            status: "open".into(),
            grounds,
            raised_at: self.now_ms(),
            due_on: due.date.to_string(),
            due_provisional: due.provisional,
            answered_at: None,
            answer: None,
        };
        cases::insert_objection(&self.db, &objection, &by.account_id).await?;
        self.event(&record.subject_id, &by.account_id, "objection.raised", &objection.id, &record.decision_no).await?;
        Ok(objection)
    }

    /// The department answers: `upheld` withdraws the record from publication until it is
    /// corrected (a corrected submission of the same decision number republishes it);
    /// `rejected` keeps it, with the answer on file.
    pub async fn answer_objection(
        &self,
        by: &Principal,
        objection_id: &str,
        outcome: &str,
        answer: &str,
    ) -> Result<Objection> {
        require(by, perm::REPAIRS_REVIEW)?;
        let answer = non_empty("answer", answer)?;
        if outcome != "upheld" && outcome != "rejected" {
            return Err(Error::bad_request("credit.invalid_decision", format!("unknown outcome {outcome:?}"))
                .with_arg("decision", outcome));
        }
        let objection = cases::objection_by_id(&self.db, objection_id)
            .await?
            .ok_or_else(|| Error::not_found("credit.objection_not_found", "no such objection"))?;
        let record = self.record(&objection.record_id).await?;
        same_department(by, record.department_id.as_deref())?;
        let now = self.now_ms();
        if !cases::answer_objection(&self.db, objection_id, outcome, &by.account_id, &answer, now).await? {
            return Err(Error::conflict("credit.invalid_transition", "the objection is already answered"));
        }
        if outcome == "upheld" {
            records::set_withdrawn(&self.db, &record.id, now, "objection_upheld").await?;
        }
        self.event(&record.subject_id, &by.account_id, &format!("objection.{outcome}"), objection_id, &answer).await?;
        cases::objection_by_id(&self.db, objection_id).await?.ok_or_else(|| Error::internal("objection vanished"))
    }
}
