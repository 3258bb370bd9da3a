//! Whether a published penalty may be repaired (信用修复) now.
//!
//! Source: reference §4.3 (2026 《信用修复管理办法》: minimum period reached, obligations fulfilled,
//! public 信用承诺 signed) and §7.2 rule 8 (not SpecialSerious). The function lists *every* unmet
//! condition, so the applicant sees all of them at once instead of one per attempt.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::publication::{is_public, Window};

/// One reason a repair application cannot be accepted today.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RepairBlocker {
    /// The record is not (or no longer) in the public view, so there is nothing to take down.
    NotPublished,
    /// The regime does not allow repair for this severity (特定严重失信).
    NotRepairable,
    /// The minimum publication period runs until `until` (the first day repair is possible).
    MinimumPeriodNotServed {
        /// The window's `min_end`.
        until: Date,
    },
    /// The penalty's obligations (fine paid, failure corrected …) are not evidenced.
    ObligationsNotFulfilled,
    /// No signed 信用承诺.
    CommitmentMissing,
}

impl RepairBlocker {
    /// Stable code, e.g. `"credit.repair_too_early"`.
    pub fn code(&self) -> &'static str {
        match self {
            RepairBlocker::NotPublished => "credit.repair_not_published",
            RepairBlocker::NotRepairable => "credit.repair_not_repairable",
            RepairBlocker::MinimumPeriodNotServed { .. } => "credit.repair_too_early",
            RepairBlocker::ObligationsNotFulfilled => "credit.repair_obligations_unfulfilled",
            RepairBlocker::CommitmentMissing => "credit.repair_commitment_missing",
        }
    }
}

/// Every unmet repair condition for a record with `window` on `today`; empty = eligible.
///
/// Eligible means: the record is public today, the regime allows repair, `today >= min_end`,
/// obligations fulfilled and the commitment signed. Listed in that order.
pub fn repair_blockers(
    window: &Window,
    today: Date,
    obligations_fulfilled: bool,
    commitment_signed: bool,
) -> Vec<RepairBlocker> {
    let mut out = Vec::new();
    if !is_public(window, today) {
        out.push(RepairBlocker::NotPublished);
    }
    if !window.repairable {
        out.push(RepairBlocker::NotRepairable);
    }
    if today < window.min_end {
        out.push(RepairBlocker::MinimumPeriodNotServed { until: window.min_end });
    }
    if !obligations_fulfilled {
        out.push(RepairBlocker::ObligationsNotFulfilled);
    }
    if !commitment_signed {
        out.push(RepairBlocker::CommitmentMissing);
    }
    out
}
