//! Chinese livestock ear tag numbers (畜禽标识编码).
//!
//! Under the 畜禽标识和养殖档案管理办法 every pig, head of cattle and sheep/goat carries an ear
//! tag with a 15-digit number: species code (1 pig, 2 cattle — yaks included, 3 sheep and
//! goats), the six-digit GB/T 2260 code of the issuing county, and an eight-digit serial. It is
//! not a GS1 key; in EPCIS we express it as an HTTPS URI under a domain the province controls.

use serde::{Deserialize, Serialize};

use crate::error::Gs1Error;
use crate::normalise::normalise;
use crate::region::{bad_province, has_province_prefix};

/// Species group encoded in the first digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Species {
    /// `1`: pig (猪).
    Pig,
    /// `2`: cattle (牛), including yak.
    Cattle,
    /// `3`: sheep and goats (羊).
    SheepGoat,
}

impl Species {
    /// The code digit.
    #[must_use]
    pub fn code(self) -> char {
        match self {
            Self::Pig => '1',
            Self::Cattle => '2',
            Self::SheepGoat => '3',
        }
    }

    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pig => "pig",
            Self::Cattle => "cattle",
            Self::SheepGoat => "sheep_goat",
        }
    }

    /// Chinese name as on the tag.
    #[must_use]
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::Pig => "猪",
            Self::Cattle => "牛",
            Self::SheepGoat => "羊",
        }
    }

    fn from_code(c: char) -> Option<Species> {
        match c {
            '1' => Some(Self::Pig),
            '2' => Some(Self::Cattle),
            '3' => Some(Self::SheepGoat),
            _ => None,
        }
    }
}

/// A parsed ear tag number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EarTag {
    /// Species group.
    pub species: Species,
    /// Six-digit county code (GB/T 2260) of the issuing county.
    pub county_code: String,
    /// Eight-digit serial within the county.
    pub serial: String,
}

impl EarTag {
    /// The 15-digit number.
    #[must_use]
    pub fn number(&self) -> String {
        format!("{}{}{}", self.species.code(), self.county_code, self.serial)
    }
}

impl std::fmt::Display for EarTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.number())
    }
}

/// Parse a 15-digit ear tag number. Full-width digits and spaces (tags are often printed in
/// groups, `2 632621 00012345`) are accepted.
///
/// ```
/// let tag = qy_gs1::parse_ear_tag("263262100012345").unwrap();
/// assert_eq!(tag.species, qy_gs1::Species::Cattle);
/// assert_eq!(tag.county_code, "632621");
/// ```
///
/// # Errors
/// Non-digit characters, a length other than 15, an unknown species digit, or a county code that
/// does not start with a province code.
pub fn parse_ear_tag(s: &str) -> Result<EarTag, Gs1Error> {
    let v: String = normalise(s).chars().filter(|c| *c != ' ').collect();
    crate::charset::check_digits(&v)?;
    if v.len() != 15 {
        return Err(Gs1Error::length("an ear tag number", "15 digits", v.len()));
    }
    let first = v.chars().next().unwrap_or('0');
    let species = Species::from_code(first).ok_or_else(|| {
        Gs1Error::syntax(format!("unknown species code {first:?}: 1 = pig, 2 = cattle (yak included), 3 = sheep/goat"))
    })?;
    let county_code = v[1..7].to_owned();
    if !has_province_prefix(&county_code) {
        return Err(bad_province(&county_code).in_field("county code"));
    }
    Ok(EarTag { species, county_code, serial: v[7..].to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects() {
        let tag = parse_ear_tag("2 632621 00012345");
        assert_eq!(
            tag,
            Ok(EarTag { species: Species::Cattle, county_code: "632621".into(), serial: "00012345".into() })
        );
        assert_eq!(tag.map(|t| t.number()).as_deref(), Ok("263262100012345"));
        let err = |s| parse_ear_tag(s).map_err(|e| e.to_string()).err().unwrap_or_default();
        assert_eq!(err("26326210001234"), "an ear tag number must be 15 digits, found 14");
        assert_eq!(err("2632621000123x5"), "non-digit character 'x' at position 14");
        assert_eq!(
            err("463262100012345"),
            "unknown species code '4': 1 = pig, 2 = cattle (yak included), 3 = sheep/goat"
        );
        assert!(err("299262100012345").starts_with("county code: 992621 does not begin"));
    }
}
