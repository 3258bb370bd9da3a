//! GB 11714-1997 organisation code (组织机构代码): 8 body characters + 1 check character.
//!
//! Also the 主体标识码 in positions 9–17 of every USCC (GB 32100-2015 §4.1).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::normalise::normalise;

/// GB 11714-1997 §5: weights for the 8 body characters.
const WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

const BODY_SET: &str = "a digit 0-9 or an upper-case letter A-Z";
const CHECK_SET: &str = "a digit 0-9 or X";

/// Value of a body character: GB 11714-1997 §5 uses the full 36-character mapping
/// `0-9` → 0–9, `A-Z` → 10–35 (different from the 31-character USCC table).
fn value(c: char) -> Option<u32> {
    c.to_digit(36).filter(|_| !c.is_ascii_lowercase())
}

/// Compute the GB 11714 check character for an 8-character body.
///
/// GB 11714-1997 §5: `C9 = 11 − (Σ value·weight mod 11)`; 10 → `X`, 11 → `0`.
/// Returns `None` unless `body` is exactly 8 characters of `0-9 A-Z`.
#[must_use]
pub fn compute_check_char(body: &str) -> Option<char> {
    if body.chars().count() != 8 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in body.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10)?,
    })
}

/// A GB 11714 organisation code, stored as 9 characters without the hyphen.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgCode(String);

impl OrgCode {
    /// Parse `XXXXXXXX-C` or `XXXXXXXXC` (after [`normalise`]).
    ///
    /// # Errors
    /// `length`, `charset`, or `org_code_check` when the check digit is wrong.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let chars: Vec<char> = s.chars().collect();
        // The printed form carries a hyphen before the check digit (GB 11714-1997 §4).
        let chars: Vec<char> = if chars.len() == 10 && chars[8] == '-' {
            chars[..8].iter().chain(&chars[9..]).copied().collect()
        } else {
            chars
        };
        if chars.len() != 9 {
            return Err(IdError::Length {
                expected: "9 (or 10 with a hyphen before the check digit)",
                found: chars.len(),
            });
        }
        check_chars(&chars)?;
        let body: String = chars[..8].iter().collect();
        let found = chars[8];
        let expected = compute_check_char(&body).ok_or(IdError::Charset { position: 1, found, expected: BODY_SET })?;
        if expected != found {
            return Err(IdError::OrgCodeCheck { expected, found });
        }
        Ok(Self(chars.iter().collect()))
    }

    /// Build a valid code from an 8-character body by appending the computed check digit.
    ///
    /// # Errors
    /// `length` or `charset` if the body is not 8 characters of `0-9 A-Z`.
    pub fn from_body(body: &str) -> Result<Self, IdError> {
        let chars: Vec<char> = body.chars().collect();
        if chars.len() != 8 {
            return Err(IdError::Length { expected: "8", found: chars.len() });
        }
        check_body(&chars)?;
        let check = compute_check_char(body).ok_or(IdError::Length { expected: "8", found: chars.len() })?;
        Ok(Self(format!("{body}{check}")))
    }

    /// The 9 characters, no hyphen.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 8 body characters.
    #[must_use]
    pub fn body(&self) -> &str {
        self.0.get(..8).unwrap_or_default()
    }

    /// The check character (`0-9` or `X`).
    #[must_use]
    pub fn check_char(&self) -> char {
        self.0.chars().nth(8).unwrap_or('0')
    }

    /// The printed form `XXXXXXXX-C`.
    #[must_use]
    pub fn hyphenated(&self) -> String {
        format!("{}-{}", self.body(), self.check_char())
    }
}

/// Validate 9 characters: body `0-9 A-Z`, check `0-9 X`.
fn check_chars(chars: &[char]) -> Result<(), IdError> {
    check_body(chars.get(..8).unwrap_or_default())?;
    if let Some(&c) = chars.get(8) {
        if !(c.is_ascii_digit() || c == 'X') {
            return Err(IdError::Charset { position: 9, found: c, expected: CHECK_SET });
        }
    }
    Ok(())
}

fn check_body(chars: &[char]) -> Result<(), IdError> {
    for (i, &c) in chars.iter().enumerate() {
        if value(c).is_none() {
            return Err(IdError::Charset { position: i + 1, found: c, expected: BODY_SET });
        }
    }
    Ok(())
}

impl fmt::Display for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for OrgCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgCode({})", self.0)
    }
}

impl FromStr for OrgCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for OrgCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<OrgCode> for String {
    fn from(c: OrgCode) -> String {
        c.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_from_reference() {
        // 19220382: Σ = 164, 164 mod 11 = 10, 11 − 10 = 1.
        assert_eq!(compute_check_char("19220382"), Some('1'));
        // 71040638: Σ = 144, 144 mod 11 = 1, 11 − 1 = 10 → X.
        assert_eq!(compute_check_char("71040638"), Some('X'));
    }

    #[test]
    fn eleven_maps_to_zero() {
        // Find a body whose sum is ≡ 0 mod 11 and check the 11 → '0' rule.
        // 00000000: Σ = 0 → 11 − 0 = 11 → '0'.
        assert_eq!(compute_check_char("00000000"), Some('0'));
    }

    #[test]
    fn letters_use_36_char_mapping() {
        // A = 10: 3·10 = 30, 30 mod 11 = 8, 11 − 8 = 3.
        assert_eq!(compute_check_char("A0000000"), Some('3'));
        assert_eq!(compute_check_char("a0000000"), None);
        assert_eq!(compute_check_char("A000000"), None);
        assert_eq!(compute_check_char("A00000é0"), None);
    }

    #[test]
    fn parse_accepts_hyphen_and_plain() {
        let a = OrgCode::parse("71040638-X").unwrap();
        let b = OrgCode::parse(" 71040638x ").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "71040638X");
        assert_eq!(a.hyphenated(), "71040638-X");
        assert_eq!(a.body(), "71040638");
        assert_eq!(a.check_char(), 'X');
    }

    #[test]
    fn parse_rejects_wrong_check() {
        let e = OrgCode::parse("71040638-0").unwrap_err();
        assert_eq!(e, IdError::OrgCodeCheck { expected: 'X', found: '0' });
        assert_eq!(e.code(), "org_code_check");
    }

    #[test]
    fn parse_rejects_bad_length_and_charset() {
        assert_eq!(OrgCode::parse("7104063").unwrap_err().code(), "length");
        assert_eq!(OrgCode::parse("71040638-XX").unwrap_err().code(), "length");
        assert_eq!(OrgCode::parse("71040638-").unwrap_err().code(), "charset");
        let e = OrgCode::parse("7104063é-X").unwrap_err();
        assert_eq!(e.code(), "charset");
        let e = OrgCode::parse("71040638A").unwrap_err();
        assert_eq!(e, IdError::Charset { position: 9, found: 'A', expected: CHECK_SET });
    }

    #[test]
    fn from_body_builds_valid() {
        let c = OrgCode::from_body("19220382").unwrap();
        assert_eq!(c.as_str(), "192203821");
        assert!(OrgCode::from_body("1922038").is_err());
        assert!(OrgCode::from_body("1922038-").is_err());
    }

    #[test]
    fn serde_round_trip() {
        let c = OrgCode::parse("192203821").unwrap();
        let j = serde_json::to_string(&c).unwrap();
        assert_eq!(j, "\"192203821\"");
        let back: OrgCode = serde_json::from_str(&j).unwrap();
        assert_eq!(back, c);
        assert!(serde_json::from_str::<OrgCode>("\"192203820\"").is_err());
    }
}
