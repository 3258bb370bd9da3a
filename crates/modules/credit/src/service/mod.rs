//! The credit service: every rule that needs the store. Handlers and the CLI call this.

pub mod cases;
mod check;
mod lists;
mod records;
mod report;
mod view;

use std::sync::Arc;

use qy_kernel::vault::PersonalDataVault;
use qy_kernel::{Clock, Error, Principal, Result};
use qy_storage::Db;
use qy_workcal::Date;

pub use check::Checker;
pub use lists::NewListEntry;
pub use records::{SubmitOutcome, Submitted};
pub use report::{IssuedReport, Verification};
pub use require as require_perm;
pub use view::{PublicView, SearchHit, StaffView};

use crate::policy::{beijing_date, Policy};

#[derive(Clone)]
pub struct Credit {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub vault: Arc<dyn PersonalDataVault>,
    pub policy: Arc<Policy>,
}

impl Credit {
    pub fn new(db: Db, clock: Arc<dyn Clock>, vault: Arc<dyn PersonalDataVault>, policy: Arc<Policy>) -> Self {
        Self { db, clock, vault, policy }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today in Beijing.
    pub fn today(&self) -> Date {
        beijing_date(self.now_ms())
    }

    /// Records the step in the subject's history.
    async fn event(&self, subject_id: &str, actor: &str, action: &str, target: &str, detail: &str) -> Result<()> {
        crate::store::events::record(&self.db, subject_id, self.now_ms(), actor, action, target, detail).await
    }
}

pub fn require(p: &Principal, permission: &str) -> Result<()> {
    if p.can(permission) {
        Ok(())
    } else {
        Err(Error::forbidden("credit.forbidden", format!("needs {permission}")).with_arg("permission", permission))
    }
}

/// Staff may act on what their own department entered; operators on everything.
pub(crate) fn same_department(p: &Principal, department_id: Option<&str>) -> Result<()> {
    if p.is_operator() || (p.department_id.is_some() && p.department_id.as_deref() == department_id) {
        Ok(())
    } else {
        Err(Error::forbidden("credit.other_department", "this belongs to another department"))
    }
}

pub(crate) fn parse_date(field: &str, s: &str) -> Result<Date> {
    s.trim().parse::<Date>().map_err(|_| {
        Error::bad_request("credit.invalid_date", format!("{field}: {s:?} is not a date (YYYY-MM-DD)"))
            .with_arg("field", field)
    })
}

pub(crate) fn non_empty(field: &str, s: &str) -> Result<String> {
    let t = s.trim();
    if t.is_empty() {
        Err(Error::bad_request("credit.field_required", format!("{field} is required")).with_arg("field", field))
    } else {
        Ok(t.to_owned())
    }
}

/// A measure of the catalogue is well formed: known kind, a trigger we evaluate, scenarios.
pub fn validate_measure(m: &crate::domain::MeasureDef) -> Result<()> {
    let bad = |code: &'static str, detail: String| Err(Error::bad_request(code, detail));
    if m.code.is_empty() || !m.code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return bad("credit.invalid_measure", format!("code {:?} must be lower-case letters, digits and _", m.code));
    }
    if m.kind != "reward" && m.kind != "punishment" {
        return bad("credit.invalid_measure", format!("kind {:?} must be reward or punishment", m.kind));
    }
    let trigger_ok = matches!(m.trigger.as_str(), "list:red" | "list:serious_dishonest" | "list:key_attention")
        || matches!(m.trigger.as_str(), "grade:A" | "grade:B" | "grade:C" | "grade:D");
    if !trigger_ok {
        return bad("credit.invalid_measure", format!("trigger {:?} is not list:<list> or grade:<A-D>", m.trigger));
    }
    if m.name.trim().is_empty() || m.basis.trim().is_empty() || m.scenarios.is_empty() {
        return bad("credit.invalid_measure", "name, basis and at least one scenario are required".into());
    }
    Ok(())
}
