//! How long a penalty is shown to the public, by the regime in force on the decision date.
//!
//! Source: reference §4.3 ("three regimes, effective-dated") and §7.2 rule 4. The national rules
//! changed twice, and a record is governed by the regime in force on the day the penalty was
//! decided, not on the day we look at it. The periods are therefore configuration
//! ([`PublicationPolicy`] deserialises from TOML/JSON) with the national values as [`Default`],
//! so a future change is a config edit plus a new regime, not a code change.

use jiff::civil::{date, Date};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::months::add_months;
use crate::severity::Severity;

/// The publication period of one severity under one regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityPeriod {
    /// The severity this period applies to.
    pub severity: Severity,
    /// Whether such penalties are published at all (false: 轻微失信 under the 2026 regime).
    pub published: bool,
    /// Months after the decision before the record may be repaired (taken down early).
    pub min_months: u32,
    /// Months after the decision when the record leaves the public view automatically.
    pub max_months: u32,
    /// Whether credit repair can end the publication early.
    pub repairable: bool,
}

/// One national regime, in force from `from` through `until` (both inclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regime {
    /// Stable id stored with each computed window, e.g. `"ndrc-order-58"`.
    pub id: String,
    /// The document's Chinese name, for display.
    pub title: String,
    /// First day in force.
    pub from: Date,
    /// Last day in force; `None` while it is the current regime.
    pub until: Option<Date>,
    /// One period per severity.
    pub periods: Vec<SeverityPeriod>,
}

impl Regime {
    /// The period for `severity`, if the regime defines one.
    pub fn period(&self, severity: Severity) -> Option<&SeverityPeriod> {
        self.periods.iter().find(|p| p.severity == severity)
    }

    /// Whether the regime is in force on `day`.
    pub fn covers(&self, day: Date) -> bool {
        self.from <= day && self.until.is_none_or(|u| day <= u)
    }
}

/// The publication window of one penalty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    /// Id of the regime that produced it (kept with the record for audit).
    pub regime: String,
    /// Whether the record is published at all.
    pub published: bool,
    /// Earliest day on which repair may end publication.
    pub min_end: Date,
    /// Day on which the record leaves the public view (national field CF_GSJZQ 公示截止期).
    pub max_end: Date,
    /// Whether repair can end publication before `max_end`.
    pub repairable: bool,
}

/// Whether a record with this window is in the public view on `on`.
///
/// A record leaves the public view *on* its `max_end` date: a 3-year period starting 2024-03-15
/// covers 2024-03-15 ..= 2027-03-14, like any "N years from" period. Repair and revocation are
/// separate facts the caller checks on top of this.
pub fn is_public(window: &Window, on: Date) -> bool {
    window.published && on < window.max_end
}

/// The effective-dated set of regimes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationPolicy {
    /// The regimes, in any order (they are checked and looked up by date).
    pub regimes: Vec<Regime>,
}

impl PublicationPolicy {
    /// Checks that the policy can answer every question: at least one regime; unique ids; each
    /// regime ends after it starts; consecutive regimes neither overlap nor leave a gap (a gap
    /// would leave decisions without rules); only the latest regime may be open-ended; each
    /// regime has exactly one period per severity with `min_months <= max_months`.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.regimes.is_empty() {
            return Err(RuleError::PolicyEmpty);
        }
        let mut sorted: Vec<&Regime> = self.regimes.iter().collect();
        sorted.sort_by_key(|r| r.from);
        for (i, r) in sorted.iter().enumerate() {
            if sorted[..i].iter().any(|o| o.id == r.id) {
                return Err(RuleError::RegimeDuplicateId(r.id.clone()));
            }
            if r.until.is_some_and(|u| u < r.from) {
                return Err(RuleError::RegimeInverted(r.id.clone()));
            }
            check_periods(r)?;
        }
        for pair in sorted.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            match a.until {
                Some(u) if u < b.from => {
                    // Adjacent means `b` starts the day after `a` ends.
                    if u.tomorrow().map_or(true, |next| next != b.from) {
                        return Err(RuleError::RegimeGap { before: a.id.clone(), after: b.id.clone() });
                    }
                }
                _ => return Err(RuleError::RegimeOverlap { first: a.id.clone(), second: b.id.clone() }),
            }
        }
        Ok(())
    }

    /// The regime governing a penalty decided on `decision`.
    ///
    /// Decisions before the first regime's start use the first regime: the 2019 notice (527号)
    /// was applied to the records already on 信用中国 when it took effect — there was no earlier
    /// national period to fall back on — so old decisions imported today are treated the same
    /// way. Returns `None` only for a date in a gap of an invalid policy, or an empty policy.
    pub fn regime_for(&self, decision: Date) -> Option<&Regime> {
        // Latest start wins, so even an unvalidated overlapping policy answers deterministically.
        let covering = self.regimes.iter().filter(|r| r.covers(decision)).max_by_key(|r| r.from);
        covering.or_else(|| {
            let first = self.regimes.iter().min_by_key(|r| r.from)?;
            (decision < first.from).then_some(first)
        })
    }

    /// The publication window of a penalty decided on `decision` with `severity`.
    /// Periods run from the decision date (§4.3, 2026 text: "自司法裁判或行政决定作出之日起").
    pub fn window(&self, decision: Date, severity: Severity) -> Result<Window, RuleError> {
        let regime = self.regime_for(decision).ok_or(RuleError::NoRegime(decision))?;
        let period = regime
            .period(severity)
            .ok_or_else(|| RuleError::RegimeSeverityMissing { regime: regime.id.clone(), severity })?;
        Ok(Window {
            regime: regime.id.clone(),
            published: period.published,
            min_end: add_months(decision, period.min_months)?,
            max_end: add_months(decision, period.max_months)?,
            repairable: period.repairable,
        })
    }
}

fn check_periods(r: &Regime) -> Result<(), RuleError> {
    for severity in Severity::ALL {
        let mut found = r.periods.iter().filter(|p| p.severity == severity);
        let period = found.next().ok_or_else(|| RuleError::RegimeSeverityMissing { regime: r.id.clone(), severity })?;
        if found.next().is_some() {
            return Err(RuleError::RegimeSeverityDuplicate { regime: r.id.clone(), severity });
        }
        if period.min_months > period.max_months {
            return Err(RuleError::PeriodInverted { regime: r.id.clone(), severity });
        }
    }
    Ok(())
}

fn period(severity: Severity, published: bool, min_months: u32, max_months: u32, repairable: bool) -> SeverityPeriod {
    SeverityPeriod { severity, published, min_months, max_months, repairable }
}

impl Default for PublicationPolicy {
    /// The three national regimes of reference §4.3.
    fn default() -> Self {
        use Severity::*;
        PublicationPolicy {
            regimes: vec![
                // 发改办财金〔2019〕527号: 一般 3 months–1 year, 严重 6 months–3 years, 特定严重
                // the full 3 years and not repairable. It had no 轻微 grade; we treat Minor as 一般
                // (our choice: the mildest grade the notice knew).
                Regime {
                    id: "ndrc-2019-527".into(),
                    title: "国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金〔2019〕527号）".into(),
                    from: date(2019, 7, 1),
                    until: Some(date(2023, 4, 30)),
                    periods: vec![
                        period(Minor, true, 3, 12, true),
                        period(General, true, 3, 12, true),
                        period(Serious, true, 6, 36, true),
                        period(SpecialSerious, true, 36, 36, false),
                    ],
                },
                // NDRC Order 58: one range, 3 months–3 years, for every penalty. Keeping 特定严重
                // unrepairable is our choice, carried over from 527号 (see README).
                Regime {
                    id: "ndrc-order-58".into(),
                    title: "失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）".into(),
                    from: date(2023, 5, 1),
                    until: Some(date(2026, 3, 31)),
                    periods: vec![
                        period(Minor, true, 3, 36, true),
                        period(General, true, 3, 36, true),
                        period(Serious, true, 3, 36, true),
                        period(SpecialSerious, true, 3, 36, false),
                    ],
                },
                // 《信用修复管理办法》 (NDRC, adopted 2025-11-19, in force 2026-04-01): 轻微 not
                // published in principle, 一般 3 months–1 year, 严重 1–3 years. 特定严重 kept at the
                // full 3 years, not repairable (our choice, see README).
                Regime {
                    id: "ndrc-2026-repair".into(),
                    title: "信用修复管理办法".into(),
                    from: date(2026, 4, 1),
                    until: None,
                    periods: vec![
                        period(Minor, false, 0, 0, true),
                        period(General, true, 3, 12, true),
                        period(Serious, true, 12, 36, true),
                        period(SpecialSerious, true, 36, 36, false),
                    ],
                },
            ],
        }
    }
}
