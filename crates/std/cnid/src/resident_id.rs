//! Citizen identity number (公民身份号码), GB 11643-1999.
//!
//! Layout (GB 11643-1999 §4): `AAAAAA YYYYMMDD SSS C` — 6-digit address code (GB/T 2260 code of
//! the place of household registration *at issue time*; old codes are normal, so it is not looked
//! up), 8-digit birth date, 3-digit sequence (odd = male, even = female), 1 check character
//! (ISO 7064 MOD 11-2, `0-9` or `X`).
//!
//! The number is personal sensitive information (GB/T 35273-2020): [`ResidentId`] has no
//! `Display` and no `Serialize`, its `Debug` prints only [`ResidentId::masked`], and no
//! [`IdError`] carries the whole number. Use [`ResidentId::as_str`] deliberately.

use std::fmt;
use std::str::FromStr;

use crate::error::IdError;
use crate::normalise::normalise;
use crate::region_code::{is_province_prefix, RegionCode};
use crate::warning::Warning;

/// GB 11643-1999 §5.2 / ISO 7064 MOD 11-2: `W_i = 2^(18−i) mod 11`, i = 1..17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// GB 11643-1999 §5.2: check character indexed by `Σ d_i·W_i mod 11`.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// Earliest accepted birth year. The standard's own example `440524188001010014` is born
/// 1880-01-01, so the floor cannot be 1900.
pub const MIN_BIRTH_YEAR: u16 = 1800;
/// Latest accepted birth year. "Not in the future" needs a clock: compare
/// [`ResidentId::birth_date`] with today in the caller.
pub const MAX_BIRTH_YEAR: u16 = 2100;

/// Prefixes accepted besides GB/T 2260 provinces without a warning: `83` (Taiwan residents'
/// residence permits, same checksum).
const EXTRA_PREFIXES: [&str; 1] = ["83"];

/// Compute the check character for the first 17 digits (GB 11643-1999 §5.2, ISO 7064 MOD 11-2).
/// Returns `None` unless `first17` is exactly 17 ASCII digits.
#[must_use]
pub fn compute_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17.bytes().zip(WEIGHTS).map(|(b, w)| u32::from(b - b'0') * w).sum();
    CHECK_CHARS.get(usize::try_from(sum % 11).ok()?).copied()
}

/// Sex from the sequence code (GB 11643-1999 §4.3: odd = male, even = female).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// Odd 17th digit.
    Male,
    /// Even 17th digit.
    Female,
}

impl Sex {
    /// `'M'` or `'F'`.
    #[must_use]
    pub fn letter(self) -> char {
        match self {
            Self::Male => 'M',
            Self::Female => 'F',
        }
    }
}

/// A calendar date of birth. Orders chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BirthDate {
    /// Year, `MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR`.
    pub year: u16,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

impl BirthDate {
    /// A checked date: Gregorian calendar, leap years included, year within
    /// [`MIN_BIRTH_YEAR`]..=[`MAX_BIRTH_YEAR`].
    #[must_use]
    pub fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if !(MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR).contains(&year) {
            return None;
        }
        // Gregorian leap years. (`is_multiple_of` would need Rust 1.87; the workspace's
        // rust-version is 1.85.)
        #[allow(clippy::manual_is_multiple_of)]
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days).contains(&day).then_some(Self { year, month, day })
    }
}

impl fmt::Display for BirthDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Parse `YYYYMMDD` (8 ASCII digits) into a checked date.
fn parse_date(yyyymmdd: &str) -> Result<BirthDate, IdError> {
    let num = |r: std::ops::Range<usize>| yyyymmdd.get(r).and_then(|s| s.parse::<u16>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(4..6), num(6..8)) else {
        return Err(IdError::BirthDate { found: yyyymmdd.to_string(), reason: "expected 8 digits YYYYMMDD" });
    };
    let found = format!("{y:04}-{m:02}-{d:02}");
    if !(MIN_BIRTH_YEAR..=MAX_BIRTH_YEAR).contains(&y) {
        return Err(IdError::BirthDate { found, reason: "expected a birth year from 1800 to 2100" });
    }
    let (m8, d8) = (u8::try_from(m).ok(), u8::try_from(d).ok());
    m8.zip(d8)
        .and_then(|(m, d)| BirthDate::new(y, m, d))
        .ok_or(IdError::BirthDate { found, reason: "expected a real calendar date" })
}

/// An 18-character resident identity number with valid digits, check character and birth date.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parse after [`normalise`] (trim, full-width → half-width, `x` → `X`).
    ///
    /// Order of checks: length 18, charset (17 digits + digit or `X`), check character,
    /// birth date.
    ///
    /// # Errors
    /// `length`, `charset`, `check_char`, `birth_date`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let n = s.chars().count();
        if n != 18 {
            return Err(IdError::Length { expected: "18", found: n });
        }
        for (i, c) in s.chars().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(IdError::Charset {
                    position: i + 1,
                    found: c,
                    expected: if i == 17 { "a digit 0-9 or X" } else { "a digit 0-9" },
                });
            }
        }
        // All ASCII from here on: byte slicing is safe.
        let first17 = s.get(..17).unwrap_or_default();
        let found = s.chars().nth(17).unwrap_or_default();
        let expected = compute_check_char(first17).ok_or(IdError::Length { expected: "18", found: n })?;
        if expected != found {
            return Err(IdError::CheckChar { expected, found });
        }
        parse_date(s.get(6..14).unwrap_or_default())?;
        Ok(Self(s))
    }

    /// Convert a 15-digit first-generation number (GB 11643-1989 layout `AAAAAA YYMMDD SSS`)
    /// by inserting the century `19` after the address code and appending the MOD 11-2 check.
    ///
    /// # Errors
    /// `length` (≠ 15), `charset` (non-digit), `birth_date`.
    pub fn upgrade_15_to_18(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let n = s.chars().count();
        if n != 15 {
            return Err(IdError::Length { expected: "15", found: n });
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::Charset { position: i + 1, found: c, expected: "a digit 0-9" });
        }
        let first17 = format!("{}19{}", s.get(..6).unwrap_or_default(), s.get(6..).unwrap_or_default());
        parse_date(first17.get(6..14).unwrap_or_default())?;
        let check = compute_check_char(&first17).ok_or(IdError::Length { expected: "15", found: n })?;
        Self::parse(&format!("{first17}{check}"))
    }

    /// The full 18 characters. This is personal data: prefer [`ResidentId::masked`] for display.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 6 and last 4 characters kept, the 8 in between replaced by `*`
    /// (`110105********002X`).
    #[must_use]
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    /// The 6-digit address code as written (may be an obsolete GB/T 2260 code).
    #[must_use]
    pub fn region_code(&self) -> &str {
        self.0.get(..6).unwrap_or_default()
    }

    /// The address code as a [`RegionCode`], `None` if not structurally valid.
    #[must_use]
    pub fn region(&self) -> Option<RegionCode> {
        RegionCode::parse(self.region_code()).ok()
    }

    /// Date of birth (validated at parse time).
    #[must_use]
    pub fn birth_date(&self) -> BirthDate {
        parse_date(self.0.get(6..14).unwrap_or_default()).unwrap_or(BirthDate {
            year: MIN_BIRTH_YEAR,
            month: 1,
            day: 1,
        })
    }

    /// Sex from the 17th digit: odd = male, even = female.
    #[must_use]
    pub fn sex(&self) -> Sex {
        // ASCII digits have the parity of their value (b'0' = 48 is even).
        let d = self.0.as_bytes().get(16).copied().unwrap_or(b'0');
        if d % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// The check character (`0-9` or `X`).
    #[must_use]
    pub fn check_char(&self) -> char {
        self.0.chars().nth(17).unwrap_or_default()
    }

    /// Soft findings: the first two digits are not a province-level prefix (nor `83`).
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        let prefix = self.0.get(..2).unwrap_or_default();
        if is_province_prefix(prefix) || EXTRA_PREFIXES.contains(&prefix) {
            Vec::new()
        } else {
            vec![Warning::UnknownProvince { prefix: prefix.to_string() }]
        }
    }
}

/// Keep the first 6 and last 4 characters, replace the rest by `*`. Strings of 10 characters
/// or fewer (or non-ASCII) are masked completely.
pub(crate) fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n <= 10 {
        return "*".repeat(n);
    }
    chars.iter().enumerate().map(|(i, &c)| if i < 6 || i >= n - 4 { c } else { '*' }).collect()
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ResidentId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_two_mod_11() {
        for (i, w) in WEIGHTS.iter().enumerate() {
            let exp = u32::try_from(17 - i).unwrap();
            assert_eq!(2u32.pow(exp) % 11, *w);
        }
    }

    #[test]
    fn standard_examples() {
        // Σ = 195, 195 mod 11 = 8 → '4'.
        assert_eq!(compute_check_char("44052418800101001"), Some('4'));
        let id = ResidentId::parse("440524188001010014").unwrap();
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_date().to_string(), "1880-01-01");
        assert_eq!(id.region_code(), "440524");
        assert_eq!(id.check_char(), '4');
        let id = ResidentId::parse("11010519491231002x").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.sex().letter(), 'F');
        assert_eq!(id.region().unwrap().as_str(), "110105");
        assert!(id.warnings().is_empty());
    }

    #[test]
    fn synthetic_xining() {
        let id = ResidentId::parse("630102199003071231").unwrap();
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.birth_date(), BirthDate { year: 1990, month: 3, day: 7 });
    }

    #[test]
    fn errors() {
        assert_eq!(
            ResidentId::parse("110105194912310021").unwrap_err(),
            IdError::CheckChar { expected: 'X', found: '1' }
        );
        let e = ResidentId::parse("110105194902300020").unwrap_err();
        assert_eq!(e.code(), "birth_date");
        assert!(e.to_string().contains("1949-02-30"), "{e}");
        assert_eq!(ResidentId::parse("11010519491231002").unwrap_err().code(), "length");
        assert_eq!(
            ResidentId::parse("1101051949123100X2").unwrap_err(),
            IdError::Charset { position: 17, found: 'X', expected: "a digit 0-9" }
        );
        assert_eq!(ResidentId::parse("11010519491231002é").unwrap_err().code(), "charset");
    }

    #[test]
    fn leap_years() {
        assert!(BirthDate::new(2000, 2, 29).is_some());
        assert!(BirthDate::new(1900, 2, 29).is_none());
        assert!(BirthDate::new(2004, 2, 29).is_some());
        assert!(BirthDate::new(2003, 2, 29).is_none());
        assert!(BirthDate::new(2003, 4, 31).is_none());
        assert!(BirthDate::new(2003, 13, 1).is_none());
        assert!(BirthDate::new(2003, 0, 1).is_none());
        assert!(BirthDate::new(2003, 1, 0).is_none());
        assert!(BirthDate::new(1799, 1, 1).is_none());
        assert!(BirthDate::new(2101, 1, 1).is_none());
        assert!(BirthDate::new(2100, 12, 31).is_some());
    }

    #[test]
    fn year_out_of_range_is_a_birth_date_error() {
        let first17 = "63010217990101123";
        let id = format!("{first17}{}", compute_check_char(first17).unwrap());
        let e = ResidentId::parse(&id).unwrap_err();
        assert_eq!(e.code(), "birth_date");
    }

    #[test]
    fn upgrade() {
        let id = ResidentId::upgrade_15_to_18("110105491231002").unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(ResidentId::upgrade_15_to_18("11010549123100").unwrap_err().code(), "length");
        assert_eq!(ResidentId::upgrade_15_to_18("11010549123100A").unwrap_err().code(), "charset");
        assert_eq!(ResidentId::upgrade_15_to_18("110105490230002").unwrap_err().code(), "birth_date");
    }

    #[test]
    fn mask_and_debug_hide_the_number() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(id.masked(), "110105********002X");
        let dbg = format!("{id:?}");
        assert_eq!(dbg, "ResidentId(110105********002X)");
        assert!(!dbg.contains("19491231"));
        assert_eq!(mask("110105491231002"), "110105*****1002");
        assert_eq!(mask("12345"), "*****");
    }

    #[test]
    fn unknown_province_warns() {
        let first17 = "99010219900307123";
        let id = ResidentId::parse(&format!("{first17}{}", compute_check_char(first17).unwrap())).unwrap();
        assert_eq!(id.warnings().len(), 1);
        assert_eq!(id.warnings()[0].code(), "unknown_province");
        assert!(id.region().is_none());
    }

    #[test]
    fn compute_rejects_bad_input() {
        assert_eq!(compute_check_char("1101051949123100"), None);
        assert_eq!(compute_check_char("1101051949123100A"), None);
        assert_eq!(compute_check_char("110105194912310é"), None);
    }
}
