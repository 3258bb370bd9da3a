//! Administrative-division codes: GB/T 2260 six-digit codes and the NBS statistical codes
//! (统计用区划代码) that extend them to 9 digits (township / 乡级) and 12 digits (village / 村级).
//!
//! This module checks *structure only* — it holds no table of existing divisions (obsolete codes
//! are legitimate in resident IDs and USCCs; look-ups against a region table belong to the caller).
//!
//! Layout (GB/T 2260-2007 §4): `PP CC DD` — province, prefecture (地级), county (县级);
//! NBS adds `TTT` (township) and `VVV` (village).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::normalise::normalise;

/// GB/T 2260 province-level codes (first two digits): 11–15, 21–23, 31–37, 41–46, 50–54,
/// 61–65, 71 (Taiwan), 81 (Hong Kong), 82 (Macao).
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
];

/// Whether two digits are a GB/T 2260 province-level code.
#[must_use]
pub fn is_province_prefix(prefix: &str) -> bool {
    PROVINCES.contains(&prefix)
}

/// Level of a division in the hierarchy, from the top down (so `Province < Village`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级, `PP0000`.
    Province,
    /// 地级, `PPCC00`.
    Prefecture,
    /// 县级, `PPCCDD`.
    County,
    /// 乡级 (NBS 9 digits).
    Township,
    /// 村级 (NBS 12 digits).
    Village,
}

impl RegionLevel {
    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Prefecture => "prefecture",
            Self::County => "county",
            Self::Township => "township",
            Self::Village => "village",
        }
    }

    /// Length of the significant prefix at this level.
    fn prefix_len(self) -> usize {
        match self {
            Self::Province => 2,
            Self::Prefecture => 4,
            Self::County => 6,
            Self::Township => 9,
            Self::Village => 12,
        }
    }
}

impl fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A structurally valid region code of 6, 9 or 12 ASCII digits.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode {
    code: String,
    level: RegionLevel,
}

fn region_err(found: &str, reason: &'static str) -> IdError {
    IdError::RegionCode { found: found.to_string(), reason }
}

/// Level of a 6-digit GB/T 2260 code, or why it is not one. `s` must be 6 ASCII digits.
fn six_digit_level(s: &str) -> Result<RegionLevel, IdError> {
    let (pp, cc, dd) =
        (s.get(0..2).unwrap_or_default(), s.get(2..4).unwrap_or_default(), s.get(4..6).unwrap_or_default());
    if !is_province_prefix(pp) {
        return Err(region_err(s, "first two digits are not a GB/T 2260 province-level code"));
    }
    // GB/T 2260-2007 §4: CC = 00 only for the province itself.
    match (cc, dd) {
        ("00", "00") => Ok(RegionLevel::Province),
        ("00", _) => Err(region_err(s, "county digits are set but prefecture digits are 00")),
        (_, "00") => Ok(RegionLevel::Prefecture),
        _ => Ok(RegionLevel::County),
    }
}

impl RegionCode {
    /// Parse a 6-, 9- or 12-digit code (after [`normalise`]).
    ///
    /// Rules: digits only; first two digits a province-level code; a 6-digit `PP00DD` with
    /// `DD ≠ 00` is rejected; a 9-digit code needs a prefecture- or county-level 6-digit part
    /// and a township part ≠ `000`; a 12-digit code needs a valid 9-digit part and a village
    /// part ≠ `000`.
    ///
    /// # Errors
    /// `length`, `charset` or `region_code`.
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let n = s.chars().count();
        if !matches!(n, 6 | 9 | 12) {
            return Err(IdError::Length { expected: "6, 9 or 12", found: n });
        }
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::Charset { position: i + 1, found: c, expected: "a digit 0-9" });
        }
        // All ASCII from here on: byte slicing is safe.
        let six = s.get(0..6).unwrap_or_default();
        let six_level = six_digit_level(six)?;
        let level = match n {
            6 => six_level,
            _ => {
                if six_level == RegionLevel::Province {
                    return Err(region_err(&s, "a township code needs a prefecture- or county-level 6-digit part"));
                }
                if s.get(6..9) == Some("000") {
                    return Err(region_err(&s, "township digits 7-9 are 000"));
                }
                if n == 12 {
                    if s.get(9..12) == Some("000") {
                        return Err(region_err(&s, "village digits 10-12 are 000"));
                    }
                    RegionLevel::Village
                } else {
                    RegionLevel::Township
                }
            }
        };
        Ok(Self { code: s, level })
    }

    /// The digits.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// Level: `PP0000` province, `PPCC00` prefecture, other 6-digit county, 9 digits township,
    /// 12 digits village.
    #[must_use]
    pub fn level(&self) -> RegionLevel {
        self.level
    }

    /// The digits that identify this division without the zero padding:
    /// `630000` → `63`, `632800` → `6328`, `632801` → `632801`, 9 and 12 digits unchanged.
    #[must_use]
    pub fn significant_prefix(&self) -> &str {
        self.code.get(..self.level.prefix_len()).unwrap_or(&self.code)
    }

    /// The structural parent: county → its prefecture `PPCC00`, prefecture → province
    /// `PP0000`, township → its 6-digit part, village → its 9-digit part; province → `None`.
    #[must_use]
    pub fn parent_code(&self) -> Option<RegionCode> {
        let c = &self.code;
        let (code, level) = match self.level {
            RegionLevel::Province => return None,
            RegionLevel::Prefecture => (format!("{}0000", c.get(..2)?), RegionLevel::Province),
            RegionLevel::County => (format!("{}00", c.get(..4)?), RegionLevel::Prefecture),
            RegionLevel::Township => {
                let six = c.get(..6)?;
                (six.to_string(), six_digit_level(six).ok()?)
            }
            RegionLevel::Village => (c.get(..9)?.to_string(), RegionLevel::Township),
        };
        Some(RegionCode { code, level })
    }

    /// Whether `other` lies in this division's subtree. A code contains itself.
    #[must_use]
    pub fn contains(&self, other: &RegionCode) -> bool {
        other.significant_prefix().starts_with(self.significant_prefix())
    }

    /// The province-level code `PP0000`.
    #[must_use]
    pub fn province(&self) -> RegionCode {
        let pp = self.code.get(..2).unwrap_or_default();
        RegionCode { code: format!("{pp}0000"), level: RegionLevel::Province }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({}, {})", self.code, self.level)
    }
}

impl FromStr for RegionCode {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> String {
        c.code
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn levels_and_prefixes() {
        let cases = [
            ("630000", RegionLevel::Province, "63"),
            ("632800", RegionLevel::Prefecture, "6328"),
            ("632801", RegionLevel::County, "632801"),
            ("632801001", RegionLevel::Township, "632801001"),
            ("632801001001", RegionLevel::Village, "632801001001"),
        ];
        for (code, level, prefix) in cases {
            let r = rc(code);
            assert_eq!(r.level(), level, "{code}");
            assert_eq!(r.significant_prefix(), prefix, "{code}");
            assert_eq!(r.as_str(), code);
        }
    }

    #[test]
    fn parents() {
        assert_eq!(rc("632801001001").parent_code(), Some(rc("632801001")));
        assert_eq!(rc("632801001").parent_code(), Some(rc("632801")));
        assert_eq!(rc("632801").parent_code(), Some(rc("632800")));
        assert_eq!(rc("632800").parent_code(), Some(rc("630000")));
        assert_eq!(rc("630000").parent_code(), None);
        // 东莞 has no county level: NBS townships hang off the prefecture code.
        assert_eq!(rc("441900003").parent_code(), Some(rc("441900")));
        assert_eq!(rc("441900003").parent_code().unwrap().level(), RegionLevel::Prefecture);
    }

    #[test]
    fn containment() {
        let qh = rc("630000");
        let hx = rc("632800");
        let golmud = rc("632801");
        let xining = rc("630100");
        let village = rc("632801001001");
        assert!(qh.contains(&qh));
        assert!(qh.contains(&golmud));
        assert!(hx.contains(&golmud));
        assert!(hx.contains(&village));
        assert!(golmud.contains(&village));
        assert!(!golmud.contains(&hx));
        assert!(!xining.contains(&golmud));
        assert!(!qh.contains(&rc("110105")));
        assert!(rc("441900").contains(&rc("441900003")));
        assert_eq!(village.province(), qh);
    }

    #[test]
    fn municipalities_follow_the_general_structure() {
        let bj = rc("110000");
        assert_eq!(bj.level(), RegionLevel::Province);
        assert_eq!(rc("110105").parent_code(), Some(rc("110100")));
        assert!(bj.contains(&rc("110105")));
    }

    #[test]
    fn rejects() {
        assert_eq!(RegionCode::parse("63280").unwrap_err().code(), "length");
        assert_eq!(RegionCode::parse("6328010").unwrap_err().code(), "length");
        assert_eq!(RegionCode::parse("63280A").unwrap_err().code(), "charset");
        assert_eq!(RegionCode::parse("63280é").unwrap_err().code(), "charset");
        assert_eq!(RegionCode::parse("000000").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("100000").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("630001").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("630000001").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("632801000").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("632801001000").unwrap_err().code(), "region_code");
        assert_eq!(RegionCode::parse("632801000001").unwrap_err().code(), "region_code");
    }

    #[test]
    fn normalises_input() {
        assert_eq!(rc(" ６３２８０１ ").as_str(), "632801");
    }

    #[test]
    fn serde_round_trip() {
        let r = rc("632801001");
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(j, "\"632801001\"");
        assert_eq!(serde_json::from_str::<RegionCode>(&j).unwrap(), r);
        assert!(serde_json::from_str::<RegionCode>("\"639\"").is_err());
        assert_eq!(serde_json::to_string(&RegionLevel::Township).unwrap(), "\"township\"");
    }
}
