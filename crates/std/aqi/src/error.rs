//! The one error type of this crate (AQI and water classes alike).
//!
//! Every variant has a stable snake_case [`AqiError::code`] (for APIs, logs and tests) and a
//! human-readable English `Display` that says what was expected and what was found, so a CLI can
//! print it as is.

use std::fmt;

/// Why a number, a key or a whole computation was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AqiError {
    /// Text that is not a plain decimal number, or one out of the supported range.
    InvalidNumber {
        /// The text as given.
        input: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A concentration (or water value) below zero.
    Negative {
        /// The pollutant or water-item key.
        key: &'static str,
        /// The value as a decimal string.
        value: String,
    },
    /// A key that names no pollutant / water item.
    UnknownKey {
        /// `"pollutant"` or `"water item"`.
        kind: &'static str,
        /// The key as given.
        found: String,
        /// The accepted keys, comma-separated.
        expected: String,
    },
    /// A command-line argument that is not `KEY=VALUE`.
    BadArgument {
        /// The argument as given.
        found: String,
    },
    /// An AQI standard name other than `hj633-2012` / `hj633-2026`.
    UnknownStandard {
        /// The name as given.
        found: String,
    },
    /// An averaging-period name other than `daily` / `hourly`.
    UnknownPeriod {
        /// The name as given.
        found: String,
    },
    /// A water-body name other than `river` / `lake`.
    UnknownWaterBody {
        /// The name as given.
        found: String,
    },
    /// The same key given twice.
    Duplicate {
        /// The repeated key.
        key: &'static str,
    },
    /// No value was given at all.
    NoInput,
    /// Values were given, but none of them yields a sub-index under this standard and period
    /// (e.g. only `pm25_1h` for HJ 633-2012 hourly, whose 1-h PM values have no IAQI).
    NoUsableIndicator {
        /// `"hj633-2012 hourly"` etc.
        context: String,
        /// The keys that were given, comma-separated.
        given: String,
    },
    /// Water values were given, but none counts towards the section's class (e.g. only total
    /// nitrogen or fecal coliform).
    NoEvaluatedItem {
        /// The keys that were given, comma-separated.
        given: String,
    },
}

impl AqiError {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidNumber { .. } => "invalid_number",
            Self::Negative { .. } => "negative",
            Self::UnknownKey { .. } => "unknown_key",
            Self::BadArgument { .. } => "bad_argument",
            Self::UnknownStandard { .. } => "unknown_standard",
            Self::UnknownPeriod { .. } => "unknown_period",
            Self::UnknownWaterBody { .. } => "unknown_water_body",
            Self::Duplicate { .. } => "duplicate",
            Self::NoInput => "no_input",
            Self::NoUsableIndicator { .. } => "no_usable_indicator",
            Self::NoEvaluatedItem { .. } => "no_evaluated_item",
        }
    }
}

impl fmt::Display for AqiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidNumber { input, reason } => write!(f, "invalid number {input:?}: {reason}"),
            Self::Negative { key, value } => write!(f, "{key}: value must not be negative, found {value}"),
            Self::UnknownKey { kind, found, expected } => {
                write!(f, "unknown {kind} key {found:?}: expected one of {expected}")
            }
            Self::BadArgument { found } => write!(f, "expected KEY=VALUE, found {found:?}"),
            Self::UnknownStandard { found } => {
                write!(f, "unknown AQI standard {found:?}: expected hj633-2012 or hj633-2026")
            }
            Self::UnknownPeriod { found } => write!(f, "unknown period {found:?}: expected daily or hourly"),
            Self::UnknownWaterBody { found } => write!(f, "unknown water body {found:?}: expected river or lake"),
            Self::Duplicate { key } => write!(f, "{key} given more than once"),
            Self::NoInput => write!(f, "no values given: pass at least one KEY=VALUE"),
            Self::NoUsableIndicator { context, given } => {
                write!(f, "none of the given indicators ({given}) has a sub-index under {context}")
            }
            Self::NoEvaluatedItem { given } => write!(
                f,
                "none of the given items ({given}) counts towards the water class \
                 (total nitrogen and fecal coliform are evaluated separately)"
            ),
        }
    }
}

impl std::error::Error for AqiError {}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_messages_are_stable() {
        let e = AqiError::InvalidNumber { input: "1,5".into(), reason: "expected a plain decimal like 12 or 0.35" };
        assert_eq!(e.code(), "invalid_number");
        assert_eq!(e.to_string(), "invalid number \"1,5\": expected a plain decimal like 12 or 0.35");
        let n = AqiError::Negative { key: "pm25_24h", value: "-3".into() };
        assert_eq!(n.code(), "negative");
        assert_eq!(n.to_string(), "pm25_24h: value must not be negative, found -3");
        assert_eq!(AqiError::NoInput.code(), "no_input");
        assert_eq!(AqiError::BadArgument { found: "pm25".into() }.to_string(), "expected KEY=VALUE, found \"pm25\"");
    }
}
