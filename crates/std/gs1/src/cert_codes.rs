//! Layouts of Chinese agricultural certification codes that appear next to GS1 keys on labels.
//!
//! These are not GS1 identifiers and carry no check character, so only their layout can be
//! verified; whether a code was really issued must be looked up with the issuing body (绿色食品:
//! 中国绿色食品发展中心; 有机码: CNCA's 中国食品农产品认证信息系统). In EPCIS we keep the raw code in
//! an extension field and point `certificationInfo` at a page about the certificate.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Gs1Error;
use crate::normalise::normalise;
use crate::region::{bad_province, has_province_prefix};

/// Which certification code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertKind {
    /// 绿色食品: 企业信息码 `GF` + region (6) + year (2) + serial (4), issued since 2009-08-01;
    /// the older product number `LB-XX-XXXXXXXXXX` is accepted as legacy.
    GreenFood,
    /// 有机码 (organic certification mark code): 17 digits = certification body (3) + year (2) +
    /// random (12).
    Organic,
    /// 兽药追溯码 (veterinary drug trace code): 24 digits = date `YYYYMMDD` (8) + enterprise (5) +
    /// random (11).
    VeterinaryDrug,
    /// 农产品地理标志 registration number `AGI` + 5 digits.
    GeographicalIndication,
}

impl CertKind {
    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::GreenFood => "green_food",
            Self::Organic => "organic",
            Self::VeterinaryDrug => "veterinary_drug",
            Self::GeographicalIndication => "geographical_indication",
        }
    }

    /// Chinese name.
    #[must_use]
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::GreenFood => "绿色食品",
            Self::Organic => "有机码",
            Self::VeterinaryDrug => "兽药追溯码",
            Self::GeographicalIndication => "农产品地理标志",
        }
    }
}

/// A code whose layout checked out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertCode {
    /// Which certification.
    pub kind: CertKind,
    /// The code, normalised (trimmed, half-width, upper-case).
    pub code: String,
    /// Whether this is an older layout (green food `LB-…` product number).
    pub legacy: bool,
    /// Named parts, e.g. `region_code`, `year`, `serial`.
    pub parts: BTreeMap<String, String>,
}

/// Check the layout of a certification code.
///
/// ```
/// let c = qy_gs1::check_certificate_code(qy_gs1::CertKind::GreenFood, "GF630100230001").unwrap();
/// assert_eq!(c.parts["region_code"], "630100");
/// assert_eq!(c.parts["year"], "2023");
/// ```
///
/// # Errors
/// Wrong length, non-digits, wrong prefix, impossible date or unknown province.
pub fn check_certificate_code(kind: CertKind, code: &str) -> Result<CertCode, Gs1Error> {
    let code = normalise(code).to_ascii_uppercase();
    let (legacy, parts) = match kind {
        CertKind::GreenFood => green_food(&code)?,
        CertKind::Organic => (false, organic(&code)?),
        CertKind::VeterinaryDrug => (false, veterinary_drug(&code)?),
        CertKind::GeographicalIndication => (false, geographical_indication(&code)?),
    };
    let parts = parts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
    Ok(CertCode { kind, code, legacy, parts })
}

/// Guess the kind of a code from its shape, for the top-level checker: prefixes `GF`, `LB-` and
/// `AGI` are unambiguous, 24 digits is the veterinary drug code and 17 digits the organic code
/// (a GSIN is also 17 digits but is never written without its AI).
#[must_use]
pub fn detect_certificate(code: &str) -> Option<CertKind> {
    let c = normalise(code).to_ascii_uppercase();
    let digits = crate::charset::all_digits(&c);
    if (c.starts_with("GF") && c[2..].starts_with(|ch: char| ch.is_ascii_digit())) || c.starts_with("LB-") {
        Some(CertKind::GreenFood)
    } else if c.starts_with("AGI") {
        Some(CertKind::GeographicalIndication)
    } else if digits && c.len() == 24 {
        Some(CertKind::VeterinaryDrug)
    } else if digits && c.len() == 17 {
        Some(CertKind::Organic)
    } else {
        None
    }
}

type Parts = Vec<(&'static str, String)>;

/// Digits of `body`, with error positions counted in the whole code (`offset` = prefix length).
fn digits_at(body: &str, offset: usize) -> Result<(), Gs1Error> {
    crate::charset::check_digits(body).map_err(|e| match e {
        Gs1Error::NonDigit { position, found } => Gs1Error::NonDigit { position: position + offset, found },
        other => other,
    })
}

fn green_food(code: &str) -> Result<(bool, Parts), Gs1Error> {
    if let Some(body) = code.strip_prefix("GF") {
        digits_at(body, 2)?;
        if body.len() != 12 {
            return Err(Gs1Error::length(
                "a green food enterprise code (企业信息码)",
                "GF followed by 12 digits (region 6, year 2, serial 4)",
                body.len(),
            ));
        }
        let region = &body[..6];
        if !has_province_prefix(region) {
            return Err(bad_province(region).in_field("region code"));
        }
        let parts = vec![
            ("region_code", region.to_owned()),
            ("year", format!("20{}", &body[6..8])),
            ("serial", body[8..].to_owned()),
        ];
        return Ok((false, parts));
    }
    if let Some(body) = code.strip_prefix("LB-") {
        return legacy_green_food(body).map(|p| (true, p));
    }
    Err(Gs1Error::syntax(
        "a green food code starts with GF (企业信息码, since 2009-08-01) or LB- (older product number)",
    ))
}

/// `LB-XX-XXXXXXXXXX`: two digits, ten digits. Older labels end in the grade `A` or `AA`
/// (A级/AA级 green food); that suffix is from memory of printed labels, not from a standard text,
/// so it is accepted but not required.
fn legacy_green_food(body: &str) -> Result<Parts, Gs1Error> {
    let layout = || {
        Gs1Error::syntax(format!(
            "legacy green food product number must be LB-XX-XXXXXXXXXX (2 digits, 10 digits, optional grade A or AA), \
             found LB-{body}"
        ))
    };
    let (category, rest) = body.split_once('-').ok_or_else(layout)?;
    let (number, grade) = match rest.strip_suffix("AA") {
        Some(n) => (n, "AA"),
        None => rest.strip_suffix('A').map_or((rest, ""), |n| (n, "A")),
    };
    if category.len() != 2 || number.len() != 10 {
        return Err(layout());
    }
    digits_at(category, 3)?;
    digits_at(number, 6)?;
    let mut parts = vec![("category", category.to_owned()), ("number", number.to_owned())];
    if !grade.is_empty() {
        parts.push(("grade", grade.to_owned()));
    }
    Ok(parts)
}

fn fixed_digits(code: &str, what: &'static str, len: usize) -> Result<(), Gs1Error> {
    crate::charset::check_digits(code)?;
    if code.len() != len {
        return Err(Gs1Error::length(what, format!("{len} digits"), code.len()));
    }
    Ok(())
}

fn organic(code: &str) -> Result<Parts, Gs1Error> {
    fixed_digits(code, "an organic code (有机码)", 17)?;
    Ok(vec![
        ("certification_body", code[..3].to_owned()),
        ("year", format!("20{}", &code[3..5])),
        ("serial", code[5..].to_owned()),
    ])
}

fn veterinary_drug(code: &str) -> Result<Parts, Gs1Error> {
    fixed_digits(code, "a veterinary drug trace code (兽药追溯码)", 24)?;
    let (y, m, d) = (&code[..4], &code[4..6], &code[6..8]);
    let num = |s: &str| s.parse::<u32>().unwrap_or(0);
    let date = format!("{y}-{m}-{d}");
    let bad = |reason| Err(Gs1Error::Date { found: date.clone(), reason });
    if !(1900..=2099).contains(&num(y)) {
        return bad("year must be 1900-2099");
    }
    if !(1..=12).contains(&num(m)) {
        return bad("month must be 01-12");
    }
    if num(d) == 0 || num(d) > crate::ai::days_in_month(num(y), num(m)) {
        return bad("no such day in that month");
    }
    Ok(vec![("date", date.clone()), ("enterprise", code[8..13].to_owned()), ("serial", code[13..].to_owned())])
}

/// `AGI` + 5 digits, e.g. `AGI01234`.
// MARA 农产品地理标志 registration number format (登记证书编号), taken from published
// registrations; not verified against a normative text.
fn geographical_indication(code: &str) -> Result<Parts, Gs1Error> {
    let body = code.strip_prefix("AGI").ok_or_else(|| {
        Gs1Error::syntax("a geographical indication registration number starts with AGI (e.g. AGI01234)")
    })?;
    digits_at(body, 3)?;
    if body.len() != 5 {
        return Err(Gs1Error::length(
            "a geographical indication registration number",
            "AGI followed by 5 digits",
            body.len(),
        ));
    }
    Ok(vec![("number", body.to_owned())])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: CertKind, code: &str) -> String {
        check_certificate_code(kind, code).map_err(|e| e.to_string()).err().unwrap_or_default()
    }

    #[test]
    fn green_food_codes() {
        let c = check_certificate_code(CertKind::GreenFood, " gf630100230001 ");
        assert_eq!(c.as_ref().map(|c| (c.code.as_str(), c.legacy)), Ok(("GF630100230001", false)));
        let l = check_certificate_code(CertKind::GreenFood, "LB-45-0801010123A");
        assert_eq!(l.as_ref().map(|c| c.legacy), Ok(true));
        assert_eq!(l.map(|c| c.parts.get("grade").cloned()), Ok(Some("A".into())));
        assert_eq!(check_certificate_code(CertKind::GreenFood, "LB-45-0801010123").map(|c| c.legacy), Ok(true));
        assert_eq!(err(CertKind::GreenFood, "GF63010023000"), "a green food enterprise code (企业信息码) must be GF followed by 12 digits (region 6, year 2, serial 4), found 11");
        assert_eq!(err(CertKind::GreenFood, "GF6301x0230001"), "non-digit character 'X' at position 7");
        assert!(err(CertKind::GreenFood, "LB-4-50801010123").starts_with("legacy green food"));
        assert!(err(CertKind::GreenFood, "XX630100230001").starts_with("a green food code starts with GF"));
    }

    #[test]
    fn other_codes() {
        assert_eq!(
            check_certificate_code(CertKind::Organic, "12423123456789012").map(|c| c.parts["year"].clone()),
            Ok("2023".into())
        );
        assert_eq!(err(CertKind::Organic, "1242312345678901"), "an organic code (有机码) must be 17 digits, found 16");
        assert_eq!(
            check_certificate_code(CertKind::VeterinaryDrug, "202402291234512345678901")
                .map(|c| c.parts["date"].clone()),
            Ok("2024-02-29".into())
        );
        assert_eq!(
            err(CertKind::VeterinaryDrug, "202302291234512345678901"),
            "date 2023-02-29: no such day in that month"
        );
        assert_eq!(err(CertKind::VeterinaryDrug, "202313011234512345678901"), "date 2023-13-01: month must be 01-12");
        assert_eq!(
            check_certificate_code(CertKind::GeographicalIndication, "agi01234").map(|c| c.code),
            Ok("AGI01234".into())
        );
        assert_eq!(
            err(CertKind::GeographicalIndication, "AGI0123"),
            "a geographical indication registration number must be AGI followed by 5 digits, found 4"
        );
    }

    #[test]
    fn detection() {
        assert_eq!(detect_certificate("GF630100230001"), Some(CertKind::GreenFood));
        assert_eq!(detect_certificate("LB-45-0801010123A"), Some(CertKind::GreenFood));
        assert_eq!(detect_certificate("AGI01234"), Some(CertKind::GeographicalIndication));
        assert_eq!(detect_certificate("202402291234512345678901"), Some(CertKind::VeterinaryDrug));
        assert_eq!(detect_certificate("12423123456789012"), Some(CertKind::Organic));
        assert_eq!(detect_certificate("GFX"), None);
        assert_eq!(detect_certificate("09521234000013"), None);
    }
}
