//! The joint rewards and punishments port (联合奖惩). Any module that grants something —
//! a procurement bid, a subsidy, a fast-track service — asks what measures apply to a
//! subject before it decides. Implemented by the credit module; every call is recorded
//! there (who checked whom, for what, with what result) for the feedback statistics the
//! national practice requires.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::Result;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreditCheckRequest {
    /// The subject's unified social credit code.
    pub uscc: String,
    /// What the caller is about to decide, a code of the measure catalogue's scenarios,
    /// e.g. `government_procurement`, `subsidy`, `administrative_licensing`.
    pub scenario: String,
    /// Who asks: an account id, or a module name for system calls.
    pub checker: String,
    /// The caller's case or file reference, kept with the record of the check.
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeasureKind {
    /// 守信激励.
    Reward,
    /// 失信惩戒.
    Punishment,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Measure {
    /// Stable code from the measure catalogue, e.g. `restrict_procurement`.
    pub code: String,
    pub kind: MeasureKind,
    /// The measure as the catalogue names it (Chinese).
    pub name: String,
    /// The legal basis the catalogue cites.
    pub basis: String,
    /// What triggered it: `list:serious_dishonest`, `list:red`, `grade:D`, …
    pub trigger: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CreditCheckOutcome {
    /// Id of the recorded check; quote it when reporting how the measure was applied.
    pub check_id: String,
    pub subject_found: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject_name: Option<String>,
    /// Credit grade A–D when the subject is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    pub measures: Vec<Measure>,
}

#[async_trait]
pub trait CreditCheck: Send + Sync + 'static {
    async fn check(&self, request: &CreditCheckRequest) -> Result<CreditCheckOutcome>;
}
