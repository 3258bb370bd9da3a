//! The `CreditCheck` port: which measures of the catalogue apply to a subject in a scenario.
//! Every call is recorded, found or not, for the feedback statistics.

use async_trait::async_trait;
use qy_kernel::credit::{CreditCheck, CreditCheckOutcome, CreditCheckRequest, Measure, MeasureKind};
use qy_kernel::{id, Error, Result};

use super::Credit;
use crate::domain::{ListKind, SubjectKind};
use crate::store::checks::{self, CheckRow};
use crate::store::{cases, lists, records, subjects};

/// The port's implementation, handed to other modules by the composition root.
#[derive(Clone)]
pub struct Checker(pub Credit);

#[async_trait]
impl CreditCheck for Checker {
    async fn check(&self, request: &CreditCheckRequest) -> Result<CreditCheckOutcome> {
        self.0.check(request).await
    }
}

impl Credit {
    pub async fn check(&self, request: &CreditCheckRequest) -> Result<CreditCheckOutcome> {
        let scenario = request.scenario.trim();
        if scenario.is_empty() || scenario.len() > 64 {
            return Err(Error::bad_request("credit.invalid_scenario", "scenario must be a short code"));
        }
        let uscc = qy_cnid::Uscc::parse(&request.uscc)
            .map_err(|e| Error::bad_request("credit.uscc_invalid", format!("{}: {e}", request.uscc)))?;
        let subject =
            subjects::by_uscc(&self.db, uscc.as_str()).await?.filter(|s| s.kind != SubjectKind::NaturalPerson);
        let mut outcome = CreditCheckOutcome {
            check_id: id::new_id(),
            subject_found: subject.is_some(),
            subject_name: subject.as_ref().map(|s| s.name.clone()),
            grade: None,
            measures: Vec::new(),
        };
        if let Some(s) = &subject {
            let all = records::of_subject(&self.db, &s.id).await?;
            let entries = lists::of_subject(&self.db, &s.id).await?;
            let objections = cases::objections_of_subject(&self.db, &s.id).await?;
            let grade = self.evaluate(&all, &entries, &objections).grade.to_string();
            let today = self.today().to_string();
            let on = |list: ListKind| entries.iter().any(|e| e.list == list && e.in_force(&today));
            let serious = on(ListKind::SeriousDishonest);
            let triggered = |trigger: &str| match trigger.split_once(':') {
                Some(("list", "serious_dishonest")) => serious,
                Some(("list", "key_attention")) => on(ListKind::KeyAttention),
                // Red-list rewards never reach a subject that is also seriously dishonest.
                Some(("list", "red")) => on(ListKind::Red) && !serious,
                Some(("grade", g)) => g == grade,
                _ => false,
            };
            for m in checks::measures(&self.db).await? {
                let applies = m.scenarios.iter().any(|sc| sc == "*" || sc == scenario);
                if m.active && applies && triggered(&m.trigger) {
                    outcome.measures.push(Measure {
                        code: m.code,
                        kind: if m.kind == "reward" { MeasureKind::Reward } else { MeasureKind::Punishment },
                        name: m.name,
                        basis: m.basis,
                        trigger: m.trigger,
                    });
                }
            }
            outcome.grade = Some(grade);
        }
        checks::insert_check(
            &self.db,
            &CheckRow {
                id: outcome.check_id.clone(),
                at: self.now_ms(),
                checker: request.checker.clone(),
                scenario: scenario.to_owned(),
                reference: request.reference.clone(),
                uscc: uscc.as_str().to_owned(),
                subject_id: subject.map(|s| s.id),
                grade: outcome.grade.clone(),
                measures: outcome.measures.iter().map(|m| m.code.clone()).collect(),
            },
        )
        .await?;
        Ok(outcome)
    }
}
