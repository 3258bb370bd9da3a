//! GS1 keys (GTIN, GLN, SSCC, GRAI, GIAI …) and the checker for bare codes and element strings.
//!
//! A bare code carries no AI, so only its length can tell what it is: 8, 12, 13 or 14 digits is
//! read as a GTIN and 18 as an SSCC. A 13-digit GLN is indistinguishable from a GTIN-13, and
//! GRAI, GIAI, GDTI … have variable lengths, so those need their AI as context: write them as an
//! element string in human-readable form, `(414)0614141073467` or `(8003)04012345555554987`,
//! optionally followed by qualifiers and attributes, `(01)…(10)LOT1(17)261231`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ai;
use crate::digital_link::DigitalLink;
use crate::error::Gs1Error;
use crate::normalise::normalise;
use crate::qualifiers::canonical_rank;
use crate::report::{Kind, Report};

/// A GS1 identification key that can be the primary key of a Digital Link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyKind {
    /// Global Trade Item Number, AI 01.
    Gtin,
    /// Global Location Number (physical location), AI 414.
    Gln,
    /// Serial Shipping Container Code, AI 00.
    Sscc,
    /// Global Returnable Asset Identifier, AI 8003.
    Grai,
    /// Global Individual Asset Identifier, AI 8004.
    Giai,
    /// Global Document Type Identifier, AI 253.
    Gdti,
    /// Party GLN, AI 417.
    Pgln,
    /// Global Service Relation Number (provider), AI 8018.
    Gsrn,
    /// Global Service Relation Number (recipient), AI 8017.
    Gsrnp,
    /// Global Coupon Number, AI 255.
    Gcn,
    /// Global Identification Number for Consignment, AI 401.
    Ginc,
    /// Global Shipment Identification Number, AI 402.
    Gsin,
    /// Individual Trade Item Piece, AI 8006.
    Itip,
    /// Global Model Number, AI 8013.
    Gmn,
    /// Component/Part Identifier, AI 8010.
    Cpid,
}

impl KeyKind {
    /// Every key kind.
    pub const ALL: [KeyKind; 15] = [
        Self::Gtin,
        Self::Gln,
        Self::Sscc,
        Self::Grai,
        Self::Giai,
        Self::Gdti,
        Self::Pgln,
        Self::Gsrn,
        Self::Gsrnp,
        Self::Gcn,
        Self::Ginc,
        Self::Gsin,
        Self::Itip,
        Self::Gmn,
        Self::Cpid,
    ];

    /// The numeric Application Identifier.
    #[must_use]
    pub fn ai(self) -> &'static str {
        match self {
            Self::Gtin => "01",
            Self::Gln => "414",
            Self::Sscc => "00",
            Self::Grai => "8003",
            Self::Giai => "8004",
            Self::Gdti => "253",
            Self::Pgln => "417",
            Self::Gsrn => "8018",
            Self::Gsrnp => "8017",
            Self::Gcn => "255",
            Self::Ginc => "401",
            Self::Gsin => "402",
            Self::Itip => "8006",
            Self::Gmn => "8013",
            Self::Cpid => "8010",
        }
    }

    /// The usual upper-case abbreviation, e.g. `"GTIN"`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Gtin => "GTIN",
            Self::Gln => "GLN",
            Self::Sscc => "SSCC",
            Self::Grai => "GRAI",
            Self::Giai => "GIAI",
            Self::Gdti => "GDTI",
            Self::Pgln => "PGLN",
            Self::Gsrn => "GSRN",
            Self::Gsrnp => "GSRNP",
            Self::Gcn => "GCN",
            Self::Ginc => "GINC",
            Self::Gsin => "GSIN",
            Self::Itip => "ITIP",
            Self::Gmn => "GMN",
            Self::Cpid => "CPID",
        }
    }

    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gtin => "gtin",
            Self::Gln => "gln",
            Self::Sscc => "sscc",
            Self::Grai => "grai",
            Self::Giai => "giai",
            Self::Gdti => "gdti",
            Self::Pgln => "pgln",
            Self::Gsrn => "gsrn",
            Self::Gsrnp => "gsrnp",
            Self::Gcn => "gcn",
            Self::Ginc => "ginc",
            Self::Gsin => "gsin",
            Self::Itip => "itip",
            Self::Gmn => "gmn",
            Self::Cpid => "cpid",
        }
    }

    /// The key whose AI is `ai` (numeric only; aliases are resolved by the Digital Link parser).
    #[must_use]
    pub fn from_ai(ai: &str) -> Option<KeyKind> {
        Self::ALL.into_iter().find(|k| k.ai() == ai)
    }

    /// Validate a (percent-decoded) key value: length, character set, check digit or check pair.
    ///
    /// # Errors
    /// The first problem found, e.g. `"check digit should be 4, found 5"`.
    pub fn validate(self, value: &str) -> Result<(), Gs1Error> {
        self.validate_with(value, true)
    }

    pub(crate) fn validate_with(self, value: &str, check_digits: bool) -> Result<(), Gs1Error> {
        match ai::lookup(self.ai()) {
            Some(a) => a.validate(value, check_digits),
            None => Err(Gs1Error::syntax(format!("no format known for AI {}", self.ai()))),
        }
    }
}

/// Check a bare GS1 key (GTIN-8/12/13/14, SSCC) or an element string such as
/// `(414)0614141073467` or `(01)09521234000013(10)LOT1`.
#[must_use]
pub fn check(value: &str) -> Report {
    let v = normalise(value);
    if v.starts_with('(') {
        return check_element_string(&v);
    }
    let compact: String = v.chars().filter(|c| *c != ' ').collect();
    let n = compact.chars().count();
    let starts_with_digit = compact.starts_with(|c: char| c.is_ascii_digit());
    if n == 18 && starts_with_digit {
        bare_key(KeyKind::Sscc, compact)
    } else if n > 0 && n <= 14 && starts_with_digit {
        bare_key(KeyKind::Gtin, compact)
    } else if n == 0 {
        Report::invalid(Kind::Unknown, "empty value", BTreeMap::new())
    } else {
        Report::invalid(
            Kind::Unknown,
            format!(
                "not a GS1 key: a bare key must be a GTIN (8, 12, 13 or 14 digits) or an SSCC (18 digits), found {n} \
                 characters; write other keys with their AI, e.g. (414)… or (8003)…, or give a Digital Link URI or \
                 EPC URN"
            ),
            BTreeMap::new(),
        )
    }
}

fn bare_key(kind: KeyKind, value: String) -> Report {
    let mut details = key_details(kind, &value);
    if kind == KeyKind::Gtin && value.len() == 13 {
        // Only a bare code is ambiguous; in an element string or Digital Link the AI decides.
        details.insert("note".into(), "a GLN has the same 13-digit layout; write (414)… to check it as a GLN".into());
    }
    match kind.validate(&value) {
        Ok(()) => {
            details.insert("digital_link".into(), DigitalLink::new(kind.ai(), &value).canonical());
            Report::valid(Kind::Key(kind), value, details)
        }
        Err(e) => Report::invalid(Kind::Key(kind), e, details),
    }
}

/// Parts of a key worth showing, read as far as possible even from an invalid value.
pub(crate) fn key_details(kind: KeyKind, value: &str) -> BTreeMap<String, String> {
    let mut d = BTreeMap::new();
    d.insert("ai".to_owned(), kind.ai().to_owned());
    let digits = crate::charset::all_digits(value);
    match kind {
        KeyKind::Gtin if digits => {
            let n = value.len();
            if [8, 12, 13, 14].contains(&n) {
                d.insert("format".into(), format!("GTIN-{n}"));
                let gtin14 = format!("{value:0>14}");
                if n == 14 {
                    d.insert("indicator".into(), gtin14[..1].to_owned());
                }
                if n != 8 {
                    let prefix = &gtin14[1..4];
                    d.insert("gs1_prefix".into(), prefix.to_owned());
                    if let Some(note) = prefix_note(prefix) {
                        d.insert("gs1_prefix_note".into(), note.to_owned());
                    }
                }
                d.insert("gtin14".into(), gtin14);
            }
        }
        KeyKind::Sscc if digits && value.len() == 18 => {
            d.insert("extension_digit".into(), value[..1].to_owned());
        }
        _ => {}
    }
    d
}

/// What a GS1 prefix (first three digits of the GTIN-13 form) says about the number.
fn prefix_note(prefix: &str) -> Option<&'static str> {
    let p: u16 = prefix.parse().ok()?;
    Some(match p {
        690..=699 => "GS1 China (中国物品编码中心)",
        952 => "GS1 demonstration prefix: an example number, not a real company",
        977 => "ISSN (serial publications)",
        978 | 979 => "ISBN (books)",
        20..=29 | 40..=49 | 200..=299 => "restricted circulation: an in-store or internal number, not globally unique",
        _ => return None,
    })
}

/// Parse `(AI)value(AI)value…` into pairs.
fn parse_element_string(v: &str) -> Result<Vec<(String, String)>, Gs1Error> {
    let mut pairs = Vec::new();
    let mut rest = v;
    while !rest.is_empty() {
        let Some(after_open) = rest.strip_prefix('(') else {
            return Err(Gs1Error::syntax(format!("element string: expected '(' before {rest:?}")));
        };
        let Some((ai, after)) = after_open.split_once(')') else {
            return Err(Gs1Error::syntax("element string: '(' without a closing ')'"));
        };
        if !(2..=4).contains(&ai.len()) || !crate::charset::all_digits(ai) {
            return Err(Gs1Error::syntax(format!("element string: ({ai}) is not an AI (2 to 4 digits)")));
        }
        let end = after.find('(').unwrap_or(after.len());
        let (value, next) = after.split_at(end);
        if value.is_empty() {
            return Err(Gs1Error::syntax(format!("element string: AI ({ai}) has no value")));
        }
        pairs.push((ai.to_owned(), value.to_owned()));
        rest = next;
    }
    Ok(pairs)
}

fn check_element_string(v: &str) -> Report {
    let pairs = match parse_element_string(v) {
        Ok(p) => p,
        Err(e) => return Report::invalid(Kind::Unknown, e, BTreeMap::new()),
    };
    let Some(((ai0, val0), rest)) = pairs.split_first() else {
        return Report::invalid(Kind::Unknown, "empty element string", BTreeMap::new());
    };
    let Some(kind) = KeyKind::from_ai(ai0) else {
        return Report::invalid(
            Kind::Unknown,
            format!("element string must start with a GS1 key AI such as (01), (414) or (8003), found ({ai0})"),
            BTreeMap::new(),
        );
    };
    let mut link = DigitalLink::new(ai0, val0);
    for (a, val) in rest {
        if canonical_rank(kind, a) != usize::MAX || KeyKind::from_ai(a).is_some() {
            link.qualifiers.push((a.clone(), val.clone()));
        } else {
            link.attributes.push((a.clone(), val.clone()));
        }
    }
    // Element strings may list AIs in any order; a Digital Link may not, so sort before checking.
    link.qualifiers.sort_by_key(|(a, _)| canonical_rank(kind, a));
    let mut details = key_details(kind, val0);
    let normalised: String = pairs.iter().map(|(a, val)| format!("({a}){val}")).collect();
    details.insert("element_string".into(), normalised.clone());
    match link.validate() {
        Ok(()) => {
            details.insert("digital_link".into(), link.to_uri());
            Report::valid(Kind::Key(kind), normalised, details)
        }
        Err(e) => Report::invalid(Kind::Key(kind), e, details),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ai_round_trip() {
        for k in KeyKind::ALL {
            assert_eq!(KeyKind::from_ai(k.ai()), Some(k));
            assert!(ai::lookup(k.ai()).is_some(), "{k:?}");
        }
    }

    #[test]
    fn prefix_notes() {
        assert_eq!(prefix_note("952").map(|s| s.starts_with("GS1 demonstration")), Some(true));
        assert_eq!(prefix_note("693").map(|s| s.starts_with("GS1 China")), Some(true));
        assert_eq!(prefix_note("400"), None);
    }
}
