//! The one error type of this crate.
//!
//! Every variant has a stable snake_case [`IdError::code`] (for APIs, logs and tests) and a
//! human-readable English `Display` that names the expected and the found value. No variant ever
//! carries a whole resident identity number, so errors are safe to log.

use std::fmt;

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// Wrong number of characters (counted after normalisation).
    Length {
        /// What was expected, e.g. `"18"` or `"6, 9 or 12"`.
        expected: &'static str,
        /// Characters found.
        found: usize,
    },
    /// A character that is not allowed at this position.
    Charset {
        /// 1-based character position inside the (normalised) value or field.
        position: usize,
        /// The offending character.
        found: char,
        /// Description of the allowed set.
        expected: &'static str,
    },
    /// The check character does not match the one computed over the other characters.
    CheckChar {
        /// Computed check character.
        expected: char,
        /// Check character present in the value.
        found: char,
    },
    /// The birth-date part of a resident identity number is not a real calendar date in range.
    BirthDate {
        /// The date as written, `YYYY-MM-DD` (may be impossible, e.g. `1949-02-30`).
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A GB 11714 organisation code whose check digit is wrong.
    OrgCodeCheck {
        /// Computed check digit (`0-9` or `X`).
        expected: char,
        /// Check character present.
        found: char,
    },
    /// Digits that do not form a structurally valid GB/T 2260 / NBS region code.
    RegionCode {
        /// The code as given (normalised).
        found: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The overall layout is wrong (e-licence identifier root, number of fields …).
    Format {
        /// The expected layout.
        expected: &'static str,
        /// What was found instead.
        found: String,
    },
    /// One field of a composite identifier (e.g. the issuer USCC inside an e-licence ID) is invalid.
    Field {
        /// Field name, e.g. `"issuer"`.
        field: &'static str,
        /// The field's own error.
        error: Box<IdError>,
    },
}

impl IdError {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Length { .. } => "length",
            Self::Charset { .. } => "charset",
            Self::CheckChar { .. } => "check_char",
            Self::BirthDate { .. } => "birth_date",
            Self::OrgCodeCheck { .. } => "org_code_check",
            Self::RegionCode { .. } => "region_code",
            Self::Format { .. } => "format",
            Self::Field { .. } => "field",
        }
    }

    /// For [`IdError::Field`], the innermost error; otherwise `self`.
    #[must_use]
    pub fn innermost(&self) -> &IdError {
        match self {
            Self::Field { error, .. } => error.innermost(),
            other => other,
        }
    }

    /// Wrap this error as the error of a named field.
    pub(crate) fn in_field(self, field: &'static str) -> IdError {
        IdError::Field { field, error: Box::new(self) }
    }
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length { expected, found } => {
                write!(f, "length: expected {expected}, found {found}")
            }
            Self::Charset { position, found, expected } => {
                write!(f, "character {found:?} at position {position}: expected {expected}")
            }
            Self::CheckChar { expected, found } => {
                write!(f, "check character: expected {expected}, found {found}")
            }
            Self::BirthDate { found, reason } => {
                write!(f, "birth date: {reason}, found {found}")
            }
            Self::OrgCodeCheck { expected, found } => {
                write!(f, "organisation code (GB 11714) check digit: expected {expected}, found {found}")
            }
            Self::RegionCode { found, reason } => {
                write!(f, "region code: {reason}, found {found}")
            }
            Self::Format { expected, found } => {
                write!(f, "format: expected {expected}, found {found}")
            }
            Self::Field { field, error } => write!(f, "{field}: {error}"),
        }
    }
}

impl std::error::Error for IdError {
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
    fn codes_are_stable() {
        let e = IdError::CheckChar { expected: '6', found: '7' };
        assert_eq!(e.code(), "check_char");
        assert_eq!(e.to_string(), "check character: expected 6, found 7");
        let l = IdError::Length { expected: "18", found: 16 };
        assert_eq!(l.code(), "length");
        assert_eq!(l.to_string(), "length: expected 18, found 16");
    }

    #[test]
    fn field_wraps_and_unwraps() {
        let inner = IdError::CheckChar { expected: 'J', found: 'K' };
        let e = inner.clone().in_field("issuer");
        assert_eq!(e.code(), "field");
        assert_eq!(e.innermost(), &inner);
        assert_eq!(e.to_string(), "issuer: check character: expected J, found K");
        assert!(std::error::Error::source(&e).is_some());
    }

    #[test]
    fn charset_display_names_position_and_set() {
        let e = IdError::Charset { position: 18, found: 'I', expected: "one of the 31-character set" };
        assert_eq!(e.to_string(), "character 'I' at position 18: expected one of the 31-character set");
    }
}
