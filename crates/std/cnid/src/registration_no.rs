//! Legacy 15-digit business registration number (工商注册号, before the USCC).
//!
//! GS 15-2006: 6-digit GB/T 2260 code of the registering authority (`100000` for national level)
//! + 8-digit sequence + 1 check digit, ISO 7064 MOD 11,10 (GB/T 17710-2008 hybrid system, M = 10).
//!
//! The shared research found genuine older numbers that fail the check, so [`RegistrationNo::parse`]
//! does **not** enforce it (it becomes a [`Warning`]); [`RegistrationNo::parse_strict`] does.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::normalise::normalise;
use crate::region_code::RegionCode;
use crate::uscc::NATIONAL_REGION;
use crate::warning::Warning;

/// ISO 7064 MOD 11,10 check digit over the first 14 digits.
///
/// GB/T 17710 hybrid system: `P = 10`; per digit `S = (P + d) mod 10`, `S = 10` if 0,
/// `P = 2·S mod 11`; check `c` makes `(P + c) mod 10 = 1`, i.e. `c = (11 − P) mod 10`.
/// Returns `None` unless `first14` is exactly 14 ASCII digits.
#[must_use]
pub fn compute_check_digit(first14: &str) -> Option<char> {
    if first14.len() != 14 || !first14.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut p = 10u32;
    for b in first14.bytes() {
        let mut s = (p + u32::from(b - b'0')) % 10;
        if s == 0 {
            s = 10;
        }
        p = (2 * s) % 11;
    }
    char::from_digit((11 - p) % 10, 10)
}

/// A 15-digit business registration number (digits checked; check digit see [`Self::warnings`]).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNo(String);

impl RegistrationNo {
    /// Parse after [`normalise`]; the MOD 11,10 check is *not* enforced.
    ///
    /// # Errors
    /// `length` (≠ 15), `charset` (non-digit).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let n = s.chars().count();
        if n != 15 {
            return Err(IdError::Length { expected: "15", found: n });
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::Charset { position: i + 1, found: c, expected: "a digit 0-9" });
        }
        Ok(Self(s))
    }

    /// Like [`Self::parse`] but rejects a wrong MOD 11,10 check digit.
    ///
    /// # Errors
    /// As [`Self::parse`], plus `check_char`.
    pub fn parse_strict(input: &str) -> Result<Self, IdError> {
        let r = Self::parse(input)?;
        match r.check_mismatch() {
            Some((expected, found)) => Err(IdError::CheckChar { expected, found }),
            None => Ok(r),
        }
    }

    /// The 15 digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Digits 1–6: region code of the registering authority (or `100000`).
    #[must_use]
    pub fn region_code(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }

    /// Whether the ISO 7064 MOD 11,10 check digit is right.
    #[must_use]
    pub fn check_digit_valid(&self) -> bool {
        self.check_mismatch().is_none()
    }

    fn check_mismatch(&self) -> Option<(char, char)> {
        let expected = compute_check_digit(self.0.get(..14)?)?;
        let found = self.0.chars().nth(14)?;
        (expected != found).then_some((expected, found))
    }

    /// Soft findings: wrong check digit; digits 1–6 not a GB/T 2260 code (nor `100000`).
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        let region = self.region_code();
        if region != NATIONAL_REGION {
            if let Err(e) = RegionCode::parse(region) {
                let reason = match e {
                    IdError::RegionCode { reason, .. } => reason.to_string(),
                    other => other.to_string(),
                };
                out.push(Warning::RegionCode { found: region.to_string(), reason });
            }
        }
        if let Some((expected, found)) = self.check_mismatch() {
            out.push(Warning::RegistrationNoCheck { expected, found });
        }
        out
    }
}

impl fmt::Display for RegistrationNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RegistrationNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegistrationNo({})", self.0)
    }
}

impl FromStr for RegistrationNo {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegistrationNo {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegistrationNo> for String {
    fn from(r: RegistrationNo) -> String {
        r.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn vectors_pass() {
        for v in ["110108012660422", "520000000005018"] {
            let r = RegistrationNo::parse_strict(v).unwrap();
            assert!(r.check_digit_valid());
            assert!(r.warnings().is_empty(), "{v}");
        }
        assert_eq!(compute_check_digit("11010801266042"), Some('2'));
        assert_eq!(compute_check_digit("52000000000501"), Some('8'));
    }

    #[test]
    fn wrong_check_is_a_warning_not_an_error() {
        let r = RegistrationNo::parse("110108012660423").unwrap();
        assert!(!r.check_digit_valid());
        assert_eq!(r.warnings(), vec![Warning::RegistrationNoCheck { expected: '2', found: '3' }]);
        assert_eq!(
            RegistrationNo::parse_strict("110108012660423").unwrap_err(),
            IdError::CheckChar { expected: '2', found: '3' }
        );
    }

    #[test]
    fn errors_and_region_warning() {
        assert_eq!(RegistrationNo::parse("11010801266042").unwrap_err().code(), "length");
        assert_eq!(RegistrationNo::parse("11010801266042A").unwrap_err().code(), "charset");
        assert_eq!(RegistrationNo::parse("11010801266042é").unwrap_err().code(), "charset");
        let first14 = "00000000000001";
        let r = RegistrationNo::parse(&format!("{first14}{}", compute_check_digit(first14).unwrap())).unwrap();
        assert_eq!(r.warnings().len(), 1);
        assert_eq!(r.warnings()[0].code(), "region_code");
        assert_eq!(r.region_code(), "000000");
    }

    #[test]
    fn compute_rejects_bad_input() {
        assert_eq!(compute_check_digit("1101080126604"), None);
        assert_eq!(compute_check_digit("1101080126604A"), None);
    }
}
