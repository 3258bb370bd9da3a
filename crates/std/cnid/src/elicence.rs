//! E-licence identifier (电子证照标识), GB/T 36904-2018.
//!
//! Layout: `1.2.156.3005.2.{type}.{issuer}.{serial}.{version}.{check}` —
//!
//! | field | content |
//! | ----- | ------- |
//! | root  | OID `1.2.156.3005.2` |
//! | type  | 证照类型代码: USCC of the ministry defining the licence type (18) + 3-digit sequence = 21 |
//! | issuer| 颁发机构代码: the issuing agency's USCC (18) |
//! | serial| 流水号, issuer-defined (seen 9–32 characters; 1–64 of `0-9 A-Z` accepted) |
//! | version | 版本号, 3 digits |
//! | check | 校验位, ISO/IEC 7064 MOD 37,36 over `type ‖ issuer ‖ serial ‖ version` (no dots) |
//!
//! Order of checks: layout, each field's length/charset, the MOD 37,36 check, then the two
//! embedded USCCs. Character values are `0-9` → 0–9, `A-Z` → 10–35 (a widely copied vendor
//! utility maps `A` → 11 and gets the real identifiers wrong).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::normalise::normalise;
use crate::uscc::Uscc;

/// GB/T 36904-2018: root OID of every e-licence identifier.
pub const ROOT_OID: &str = "1.2.156.3005.2";

const LAYOUT: &str = "1.2.156.3005.2.{type}.{issuer}.{serial}.{version}.{check}";
const ALNUM: &str = "a digit 0-9 or an upper-case letter A-Z";
const MAX_SERIAL: usize = 64;

/// ISO/IEC 7064 MOD 37,36 character value.
fn value(c: char) -> Option<u32> {
    if c.is_ascii_digit() || c.is_ascii_uppercase() {
        c.to_digit(36)
    } else {
        None
    }
}

/// Compute the MOD 37,36 check character over the concatenated fields
/// `type ‖ issuer ‖ serial ‖ version` (no dots).
///
/// ISO/IEC 7064 hybrid system, M = 36: `P = 36`; for each character
/// `S = (P + value) mod 36`, `S = 36` if 0, `P = 2·S mod 37`; check value `(37 − P) mod 36`.
/// Returns `None` for empty input or a character outside `0-9 A-Z`.
#[must_use]
pub fn compute_check_char(payload: &str) -> Option<char> {
    if payload.is_empty() {
        return None;
    }
    let mut p = 36u32;
    for c in payload.chars() {
        let mut s = (p + value(c)?) % 36;
        if s == 0 {
            s = 36;
        }
        p = (2 * s) % 37;
    }
    char::from_digit((37 - p) % 36, 36).map(|c| c.to_ascii_uppercase())
}

/// A GB/T 36904 e-licence identifier with valid layout, check character and embedded USCCs.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ElicenceId {
    id: String,
    type_definer: Uscc,
    type_sequence: String,
    issuer: Uscc,
    serial: String,
    version: String,
    check: char,
}

/// Check a field's length and that every character is in `0-9 A-Z` (or digits only).
fn check_field(
    field: &'static str,
    s: &str,
    len_ok: impl Fn(usize) -> bool,
    len_desc: &'static str,
    digits_only: bool,
) -> Result<(), IdError> {
    let n = s.chars().count();
    if !len_ok(n) {
        return Err(IdError::Length { expected: len_desc, found: n }.in_field(field));
    }
    for (i, c) in s.chars().enumerate() {
        let ok = if digits_only { c.is_ascii_digit() } else { value(c).is_some() };
        if !ok {
            return Err(IdError::Charset {
                position: i + 1,
                found: c,
                expected: if digits_only { "a digit 0-9" } else { ALNUM },
            }
            .in_field(field));
        }
    }
    Ok(())
}

impl ElicenceId {
    /// Parse after [`normalise`] (trim, full-width → half-width, upper-case).
    ///
    /// # Errors
    /// `format` (root OID, number of fields), `field` (a field's length/charset, or an
    /// embedded USCC that does not parse), `check_char` (MOD 37,36).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let parts: Vec<&str> = s.split('.').collect();
        let root: Vec<&str> = ROOT_OID.split('.').collect();
        if parts.get(..root.len()) != Some(&root[..]) {
            return Err(IdError::Format {
                expected: "root OID 1.2.156.3005.2",
                found: parts.iter().take(root.len()).copied().collect::<Vec<_>>().join("."),
            });
        }
        let &[_, _, _, _, _, type_code, issuer, serial, version, check] = parts.as_slice() else {
            return Err(IdError::Format {
                expected: LAYOUT,
                found: format!("{} dot-separated parts instead of 10", parts.len()),
            });
        };
        check_field("type_code", type_code, |n| n == 21, "21", false)?;
        // The last 3 characters of the type code are a digit sequence.
        if let Some((i, c)) = type_code.chars().enumerate().skip(18).find(|(_, c)| !c.is_ascii_digit()) {
            return Err(IdError::Charset {
                position: i + 1,
                found: c,
                expected: "a digit 0-9 (type sequence, positions 19-21)",
            }
            .in_field("type_code"));
        }
        check_field("issuer", issuer, |n| n == 18, "18", false)?;
        check_field("serial", serial, |n| (1..=MAX_SERIAL).contains(&n), "1 to 64", false)?;
        check_field("version", version, |n| n == 3, "3", true)?;
        check_field("check", check, |n| n == 1, "1", false)?;
        // All fields are ASCII from here on.
        let found = check.chars().next().unwrap_or_default();
        let payload = format!("{type_code}{issuer}{serial}{version}");
        let expected = compute_check_char(&payload)
            .ok_or(IdError::Format { expected: LAYOUT, found: "empty fields".to_string() })?;
        if expected != found {
            return Err(IdError::CheckChar { expected, found });
        }
        let type_definer = Uscc::parse(type_code.get(..18).unwrap_or_default()).map_err(|e| e.in_field("type_code"))?;
        let issuer_uscc = Uscc::parse(issuer).map_err(|e| e.in_field("issuer"))?;
        Ok(Self {
            type_definer,
            type_sequence: type_code.get(18..).unwrap_or_default().to_string(),
            issuer: issuer_uscc,
            serial: serial.to_string(),
            version: version.to_string(),
            check: found,
            id: s,
        })
    }

    /// Assemble an identifier from its fields, computing the check character (for issuance and
    /// demo data). Fields are normalised first.
    ///
    /// # Errors
    /// As [`ElicenceId::parse`].
    pub fn build(type_code: &str, issuer: &str, serial: &str, version: &str) -> Result<Self, IdError> {
        let (t, i, s, v) = (normalise(type_code), normalise(issuer), normalise(serial), normalise(version));
        let check = compute_check_char(&format!("{t}{i}{s}{v}")).unwrap_or('?');
        Self::parse(&format!("{ROOT_OID}.{t}.{i}.{s}.{v}.{check}"))
    }

    /// The whole identifier.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.id
    }

    /// 证照类型代码, 21 characters (defining ministry's USCC + 3-digit sequence).
    #[must_use]
    pub fn type_code(&self) -> String {
        format!("{}{}", self.type_definer, self.type_sequence)
    }

    /// USCC of the ministry that defines the licence type.
    #[must_use]
    pub fn type_definer(&self) -> &Uscc {
        &self.type_definer
    }

    /// The 3-digit licence-type sequence within the defining ministry.
    #[must_use]
    pub fn type_sequence(&self) -> &str {
        &self.type_sequence
    }

    /// USCC of the issuing agency.
    #[must_use]
    pub fn issuer(&self) -> &Uscc {
        &self.issuer
    }

    /// 流水号 (issuer-defined).
    #[must_use]
    pub fn serial(&self) -> &str {
        &self.serial
    }

    /// 版本号, 3 digits.
    #[must_use]
    pub fn version(&self) -> &str {
        &self.version
    }

    /// 校验位.
    #[must_use]
    pub fn check_char(&self) -> char {
        self.check
    }
}

impl fmt::Display for ElicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl fmt::Debug for ElicenceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ElicenceId({})", self.id)
    }
}

impl FromStr for ElicenceId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ElicenceId {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<ElicenceId> for String {
    fn from(e: ElicenceId) -> String {
        e.id
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const V1: &str = "1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U";
    const V2: &str = "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0";

    #[test]
    fn real_identifiers() {
        let e = ElicenceId::parse(V1).unwrap();
        assert_eq!(e.type_code(), "11100000000013338W011");
        assert_eq!(e.type_definer().as_str(), "11100000000013338W");
        assert_eq!(e.type_sequence(), "011");
        assert_eq!(e.issuer().as_str(), "11430000006122244L");
        assert_eq!(e.serial(), "20230000403");
        assert_eq!(e.version(), "001");
        assert_eq!(e.check_char(), 'U');
        assert_eq!(e.as_str(), V1);
        let e = ElicenceId::parse(V2).unwrap();
        assert_eq!(e.check_char(), '0');
    }

    #[test]
    fn check_computation() {
        assert_eq!(compute_check_char("11100000000013338W01111430000006122244L20230000403001"), Some('U'));
        assert_eq!(compute_check_char(""), None);
        assert_eq!(compute_check_char("ab"), None);
        assert_eq!(compute_check_char("A-"), None);
    }

    #[test]
    fn wrong_check() {
        let e =
            ElicenceId::parse("1.2.156.3005.2.11100000000013338W050.91610800064834709T.2023000001.001.X").unwrap_err();
        assert_eq!(e, IdError::CheckChar { expected: '2', found: 'X' });
    }

    #[test]
    fn layout_errors() {
        assert_eq!(ElicenceId::parse("1.2.156.3005.3.X").unwrap_err().code(), "format");
        assert_eq!(ElicenceId::parse("").unwrap_err().code(), "format");
        assert_eq!(
            ElicenceId::parse("1.2.156.3005.2.11100000000013338W011.11430000006122244L.001.U").unwrap_err().code(),
            "format"
        );
        let e =
            ElicenceId::parse("1.2.156.3005.2.11100000000013338W01.11430000006122244L.20230000403.001.U").unwrap_err();
        assert_eq!(e.code(), "field");
        assert!(e.to_string().starts_with("type_code: length"), "{e}");
        let e = ElicenceId::parse("1.2.156.3005.2.11100000000013338W011.11430000006122244L.2023-0000403.001.U")
            .unwrap_err();
        assert!(e.to_string().starts_with("serial: character '-'"), "{e}");
        let e =
            ElicenceId::parse("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.01A.U").unwrap_err();
        assert!(e.to_string().starts_with("version: character 'A'"), "{e}");
        let e =
            ElicenceId::parse("1.2.156.3005.2.11100000000013338W0A1.11430000006122244L.20230000403.001.U").unwrap_err();
        assert!(e.to_string().starts_with("type_code: character 'A' at position 20"), "{e}");
    }

    #[test]
    fn embedded_uscc_must_be_valid() {
        // Issuer with a wrong USCC check, but the e-licence check computed over it.
        let e = ElicenceId::build("11100000000013338W011", "11430000006122244M", "20230000403", "001").unwrap_err();
        assert_eq!(e.code(), "field");
        assert!(e.to_string().starts_with("issuer: check character"), "{e}");
        assert_eq!(e.innermost().code(), "check_char");
    }

    #[test]
    fn build_round_trips() {
        let e = ElicenceId::build("11100000000013338W011", "11430000006122244L", "20230000403", "001").unwrap();
        assert_eq!(e.as_str(), V1);
        let lower = ElicenceId::build("11100000000013338w011", "11430000006122244l", "abc", "001");
        assert!(lower.is_ok());
        assert_eq!(lower.unwrap().serial(), "ABC");
    }

    #[test]
    fn normalises_and_serialises() {
        let e = ElicenceId::parse(&format!("  {}  ", V1.to_ascii_lowercase())).unwrap();
        assert_eq!(e.as_str(), V1);
        let j = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<ElicenceId>(&j).unwrap(), e);
        assert_eq!(e.to_string(), V1);
    }
}
