//! The one error type of this crate.
//!
//! Record validation does not use it: a record can have many problems at once, so
//! [`crate::FieldError`]s are collected instead. `RuleError` is for single-value parsing (a
//! severity, a category, an amount) and for configuration that cannot be used (a publication
//! policy or score model that contradicts itself).
//!
//! Every variant has a stable [`RuleError::code`] (for APIs, logs, translations and tests) and an
//! English `Display`.

use std::fmt;

use jiff::civil::Date;

use crate::severity::Severity;

/// Why a value or a configuration was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuleError {
    /// Not one of the accepted spellings of a [`Severity`].
    UnknownSeverity(String),
    /// Not one of the 14 penalty categories of 行政处罚法 (2021) art. 9.
    UnknownPenaltyCategory(String),
    /// Not one of 法人及非法人组织 / 自然人 / 个体工商户.
    UnknownSubjectCategory(String),
    /// Not one of 普通 / 特许 / 认可 / 核准 / 登记 / 其他.
    UnknownLicenceKind(String),
    /// Not `1` (有效) or `2` (无效).
    UnknownLicenceStatus(String),
    /// An amount string that is not a plain non-negative decimal number.
    AmountMalformed(String),
    /// A negative amount; 双公示 amounts are never negative.
    AmountNegative(String),
    /// More than 6 significant decimals (finer than 1 分 when the unit is 万元).
    AmountTooPrecise(String),
    /// The amount does not fit an `i64` number of 分.
    AmountOverflow(String),
    /// A publication policy without any regime.
    PolicyEmpty,
    /// Two regimes share an id.
    RegimeDuplicateId(String),
    /// A regime that ends before it starts.
    RegimeInverted(String),
    /// Two regimes are both in force on some day.
    RegimeOverlap {
        /// The earlier regime.
        first: String,
        /// The later regime.
        second: String,
    },
    /// Days between two regimes that no regime governs.
    RegimeGap {
        /// The regime before the gap.
        before: String,
        /// The regime after the gap.
        after: String,
    },
    /// A regime has no period for some severity.
    RegimeSeverityMissing {
        /// The regime.
        regime: String,
        /// The severity without a period.
        severity: Severity,
    },
    /// A regime lists a severity twice.
    RegimeSeverityDuplicate {
        /// The regime.
        regime: String,
        /// The repeated severity.
        severity: Severity,
    },
    /// A period whose minimum exceeds its maximum.
    PeriodInverted {
        /// The regime.
        regime: String,
        /// The severity of the period.
        severity: Severity,
    },
    /// No regime governs this decision date (only possible with an unvalidated policy).
    NoRegime(Date),
    /// Date arithmetic left jiff's supported range (years −9999..=9999).
    DateOutOfRange,
    /// A score model that cannot be applied meaningfully.
    ScoreModelInvalid(String),
}

impl RuleError {
    /// Stable machine-readable code, e.g. `"credit.policy_overlap"`.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::UnknownSeverity(_) => "credit.unknown_severity",
            RuleError::UnknownPenaltyCategory(_) => "credit.unknown_penalty_category",
            RuleError::UnknownSubjectCategory(_) => "credit.unknown_subject_category",
            RuleError::UnknownLicenceKind(_) => "credit.unknown_licence_kind",
            RuleError::UnknownLicenceStatus(_) => "credit.unknown_licence_status",
            RuleError::AmountMalformed(_) => "credit.amount_malformed",
            RuleError::AmountNegative(_) => "credit.amount_negative",
            RuleError::AmountTooPrecise(_) => "credit.amount_too_precise",
            RuleError::AmountOverflow(_) => "credit.amount_overflow",
            RuleError::PolicyEmpty => "credit.policy_empty",
            RuleError::RegimeDuplicateId(_) => "credit.policy_duplicate_id",
            RuleError::RegimeInverted(_) => "credit.policy_regime_inverted",
            RuleError::RegimeOverlap { .. } => "credit.policy_overlap",
            RuleError::RegimeGap { .. } => "credit.policy_gap",
            RuleError::RegimeSeverityMissing { .. } => "credit.policy_severity_missing",
            RuleError::RegimeSeverityDuplicate { .. } => "credit.policy_severity_duplicate",
            RuleError::PeriodInverted { .. } => "credit.policy_period_inverted",
            RuleError::NoRegime(_) => "credit.no_regime",
            RuleError::DateOutOfRange => "credit.date_out_of_range",
            RuleError::ScoreModelInvalid(_) => "credit.score_model_invalid",
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleError::UnknownSeverity(s) => write!(
                f,
                "unknown severity {s:?}; expected minor, general, serious, special_serious or 轻微, 一般, 严重, 特定严重"
            ),
            RuleError::UnknownPenaltyCategory(s) => write!(
                f,
                "unknown penalty category {s:?}; expected one of the 14 categories of 行政处罚法 art. 9"
            ),
            RuleError::UnknownSubjectCategory(s) => write!(
                f,
                "unknown subject category {s:?}; expected 法人及非法人组织, 自然人 or 个体工商户"
            ),
            RuleError::UnknownLicenceKind(s) => write!(
                f,
                "unknown licence kind {s:?}; expected 普通, 特许, 认可, 核准, 登记 or 其他"
            ),
            RuleError::UnknownLicenceStatus(s) => {
                write!(f, "unknown licence status {s:?}; expected 1 (有效) or 2 (无效)")
            }
            RuleError::AmountMalformed(s) => {
                write!(f, "amount {s:?} is not a plain decimal number")
            }
            RuleError::AmountNegative(s) => write!(f, "amount {s:?} is negative"),
            RuleError::AmountTooPrecise(s) => {
                write!(f, "amount {s:?} has more than 6 decimals (finer than 1 fen)")
            }
            RuleError::AmountOverflow(s) => write!(f, "amount {s:?} is too large"),
            RuleError::PolicyEmpty => write!(f, "the publication policy has no regime"),
            RuleError::RegimeDuplicateId(id) => write!(f, "regime id {id:?} is used twice"),
            RuleError::RegimeInverted(id) => write!(f, "regime {id:?} ends before it starts"),
            RuleError::RegimeOverlap { first, second } => {
                write!(f, "regimes {first:?} and {second:?} overlap")
            }
            RuleError::RegimeGap { before, after } => write!(
                f,
                "no regime governs the days between {before:?} and {after:?}"
            ),
            RuleError::RegimeSeverityMissing { regime, severity } => write!(
                f,
                "regime {regime:?} has no period for severity {}",
                severity.as_str()
            ),
            RuleError::RegimeSeverityDuplicate { regime, severity } => write!(
                f,
                "regime {regime:?} lists severity {} twice",
                severity.as_str()
            ),
            RuleError::PeriodInverted { regime, severity } => write!(
                f,
                "regime {regime:?}: the minimum period for {} exceeds the maximum",
                severity.as_str()
            ),
            RuleError::NoRegime(d) => write!(f, "no publication regime governs decisions of {d}"),
            RuleError::DateOutOfRange => write!(f, "date arithmetic left the supported range"),
            RuleError::ScoreModelInvalid(why) => write!(f, "invalid score model: {why}"),
        }
    }
}

impl std::error::Error for RuleError {}
