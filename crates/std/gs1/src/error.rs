//! The one error type of this crate.
//!
//! Every variant has a stable snake_case [`Gs1Error::code`] for APIs and tests, and an English
//! `Display` that names what was expected and what was found, because the people reading these
//! messages are usually looking at a printed label and need to know *which* character is wrong.

use std::fmt;

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Gs1Error {
    /// Wrong number of characters. Displays as `"{what} must be {expected}, found {found}"`.
    Length {
        /// What was measured, e.g. `"GTIN"` or `"value"`.
        what: &'static str,
        /// What was expected, e.g. `"8, 12, 13 or 14 digits"`.
        expected: String,
        /// Characters found.
        found: usize,
    },
    /// A digit was required. Positions are 1-based within the value being checked.
    NonDigit {
        /// 1-based position.
        position: usize,
        /// The offending character.
        found: char,
    },
    /// A character outside the allowed character set.
    Charset {
        /// 1-based position.
        position: usize,
        /// The offending character.
        found: char,
        /// Name of the allowed set.
        allowed: &'static str,
    },
    /// The mod-10 check digit does not match.
    CheckDigit {
        /// Computed check digit.
        expected: u8,
        /// Check character present.
        found: char,
    },
    /// The GMN (AI 8013) check character pair does not match.
    CheckPair {
        /// Computed pair.
        expected: String,
        /// Pair present.
        found: String,
    },
    /// A date part that is not a real calendar date.
    Date {
        /// The date as written.
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Key qualifiers in a Digital Link path that are not allowed, repeated or out of order.
    Qualifier(String),
    /// Anything else about the overall layout (URI shape, URN scheme, missing parts …).
    Syntax(String),
    /// An error inside one named part of a composite identifier, e.g. `"21 (serial)"`.
    Field {
        /// The part, e.g. `"01 (GTIN)"` or `"county code"`.
        field: String,
        /// The part's own error.
        error: Box<Gs1Error>,
    },
}

impl Gs1Error {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::NonDigit { .. } => "non_digit",
            Self::Charset { .. } => "charset",
            Self::CheckDigit { .. } => "check_digit",
            Self::CheckPair { .. } => "check_pair",
            Self::Date { .. } => "date",
            Self::Qualifier(_) => "qualifier",
            Self::Syntax(_) => "syntax",
            Self::Field { .. } => "field",
        }
    }

    /// For [`Gs1Error::Field`], the innermost error; otherwise `self`.
    #[must_use]
    pub fn innermost(&self) -> &Gs1Error {
        match self {
            Self::Field { error, .. } => error.innermost(),
            other => other,
        }
    }

    /// Wrap this error as the error of a named part.
    pub(crate) fn in_field(self, field: impl Into<String>) -> Gs1Error {
        Gs1Error::Field { field: field.into(), error: Box::new(self) }
    }

    /// Shorthand for [`Gs1Error::Syntax`].
    pub(crate) fn syntax(message: impl Into<String>) -> Gs1Error {
        Gs1Error::Syntax(message.into())
    }

    /// Shorthand for [`Gs1Error::Length`].
    pub(crate) fn length(what: &'static str, expected: impl Into<String>, found: usize) -> Gs1Error {
        Gs1Error::Length { what, expected: expected.into(), found }
    }
}

impl fmt::Display for Gs1Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length { what, expected, found } => write!(f, "{what} must be {expected}, found {found}"),
            Self::NonDigit { position, found } => write!(f, "non-digit character {found:?} at position {position}"),
            Self::Charset { position, found, allowed } => {
                write!(f, "character {found:?} at position {position} is not in {allowed}")
            }
            Self::CheckDigit { expected, found } => write!(f, "check digit should be {expected}, found {found}"),
            Self::CheckPair { expected, found } => {
                write!(f, "check character pair should be {expected}, found {found}")
            }
            Self::Date { found, reason } => write!(f, "date {found}: {reason}"),
            Self::Qualifier(m) | Self::Syntax(m) => f.write_str(m),
            Self::Field { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

impl std::error::Error for Gs1Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Field { error, .. } => Some(error.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_expected_and_found() {
        assert_eq!(Gs1Error::CheckDigit { expected: 4, found: '5' }.to_string(), "check digit should be 4, found 5");
        assert_eq!(
            Gs1Error::length("GTIN", "8, 12, 13 or 14 digits", 11).to_string(),
            "GTIN must be 8, 12, 13 or 14 digits, found 11"
        );
        assert_eq!(Gs1Error::NonDigit { position: 3, found: 'x' }.to_string(), "non-digit character 'x' at position 3");
    }

    #[test]
    fn field_wraps_and_unwraps() {
        let inner = Gs1Error::CheckDigit { expected: 4, found: '5' };
        let e = inner.clone().in_field("01 (GTIN)");
        assert_eq!(e.code(), "field");
        assert_eq!(e.innermost(), &inner);
        assert_eq!(e.to_string(), "01 (GTIN): check digit should be 4, found 5");
        assert!(std::error::Error::source(&e).is_some());
    }
}
