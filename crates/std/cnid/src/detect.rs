//! Guess what kind of identifier a string is and check it — backs `qingyun tools id check VALUE`.
//!
//! Guessing is by shape after normalisation:
//!
//! | shape | kind |
//! | ----- | ---- |
//! | contains `.` | e-licence identifier |
//! | 18 chars, 17 digits + digit/`X` | resident ID if it parses, else USCC if it parses, else whichever layout fits better (digits 7–10 a year 1800–2199 and 11–12 a month → resident ID) |
//! | 18 chars otherwise | USCC |
//! | 15 digits | first-generation resident ID if digits 7–12 are a real date `YYMMDD`, else registration number if MOD 11,10 passes, else whichever layout fits better (digits 9–10 a month → resident ID) |
//! | 9 chars or `XXXXXXXX-C` | organisation code if it passes GB 11714, else (9 digits) a township region code if structurally valid, else organisation code (invalid) |
//! | 6 or 12 digits | region code |
//!
//! Resident identity numbers never appear in a report in full: `normalised` is `None` and
//! `details` carry only the masked form, the region code, birth date and sex.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::elicence::ElicenceId;
use crate::error::IdError;
use crate::normalise::normalise;
use crate::orgcode::OrgCode;
use crate::region_code::RegionCode;
use crate::registration_no::RegistrationNo;
use crate::resident_id::{mask, ResidentId};
use crate::uscc::Uscc;

/// What the value was taken to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Unified social credit code (GB 32100).
    Uscc,
    /// 18-digit resident identity number (GB 11643).
    ResidentId,
    /// 15-digit first-generation resident identity number.
    #[serde(rename = "resident_id_15")]
    ResidentId15,
    /// E-licence identifier (GB/T 36904).
    ElicenceId,
    /// 15-digit business registration number.
    RegistrationNo,
    /// GB 11714 organisation code.
    OrganisationCode,
    /// GB/T 2260 / NBS region code.
    RegionCode,
    /// Not recognised.
    Unknown,
}

impl Kind {
    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uscc => "uscc",
            Self::ResidentId => "resident_id",
            Self::ResidentId15 => "resident_id_15",
            Self::ElicenceId => "elicence_id",
            Self::RegistrationNo => "registration_no",
            Self::OrganisationCode => "organisation_code",
            Self::RegionCode => "region_code",
            Self::Unknown => "unknown",
        }
    }
}

/// Result of [`check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// The kind the value was taken to be.
    pub kind: Kind,
    /// Whether it is valid as that kind (warnings do not make it invalid).
    pub valid: bool,
    /// [`IdError::code`] when invalid.
    pub error_code: Option<String>,
    /// English explanation when invalid, e.g. `check character: expected 6, found 7`.
    pub reason: Option<String>,
    /// Canonical form when valid (never for resident IDs).
    pub normalised: Option<String>,
    /// Parts of the identifier (resident IDs: masked form only, never the full number).
    pub details: BTreeMap<String, String>,
    /// Soft findings on a valid value.
    pub warnings: Vec<String>,
}

impl CheckReport {
    fn new(kind: Kind) -> Self {
        Self {
            kind,
            valid: false,
            error_code: None,
            reason: None,
            normalised: None,
            details: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    fn failed(kind: Kind, e: &IdError) -> Self {
        let mut r = Self::new(kind);
        r.error_code = Some(e.code().to_string());
        r.reason = Some(e.to_string());
        r
    }

    fn ok(kind: Kind, normalised: Option<String>) -> Self {
        let mut r = Self::new(kind);
        r.valid = true;
        r.normalised = normalised;
        r
    }

    fn detail(&mut self, key: &str, value: impl Into<String>) {
        self.details.insert(key.to_string(), value.into());
    }
}

/// Guess the kind of `value` and check it. Never panics.
#[must_use]
pub fn check(value: &str) -> CheckReport {
    let s = normalise(value);
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    let all_digits = chars.iter().all(char::is_ascii_digit);
    if n == 0 {
        let mut r = CheckReport::new(Kind::Unknown);
        r.reason = Some("empty input".to_string());
        return r;
    }
    if s.contains('.') {
        return report_elicence(&s);
    }
    match n {
        18 => {
            let resident_shape = chars.iter().take(17).all(char::is_ascii_digit)
                && chars.get(17).is_some_and(|c| c.is_ascii_digit() || *c == 'X');
            if !resident_shape {
                return report_uscc(&s);
            }
            match (ResidentId::parse(&s), Uscc::parse(&s)) {
                (Ok(id), uscc) => {
                    let mut r = report_resident(&id);
                    if uscc.is_ok() {
                        r.warnings.push("also passes the USCC (GB 32100) check".to_string());
                    }
                    r
                }
                (Err(_), Ok(_)) => report_uscc(&s),
                (Err(e), Err(_)) if looks_like_date(s.get(6..12)) => {
                    let mut r = CheckReport::failed(Kind::ResidentId, &e);
                    r.detail("masked", mask(&s));
                    r
                }
                (Err(_), Err(_)) => report_uscc(&s),
            }
        }
        15 if all_digits => {
            let reg = RegistrationNo::parse_strict(&s);
            let century = format!("19{}", s.get(6..10).unwrap_or_default());
            match (ResidentId::upgrade_15_to_18(&s), reg) {
                (Ok(id), reg) => {
                    let mut r = report_resident_15(&s, &id);
                    if reg.is_ok() {
                        r.warnings.push("also passes the registration-number (MOD 11,10) check".to_string());
                    }
                    r
                }
                (Err(_), Ok(reg)) => report_registration(&reg),
                (Err(e), Err(_)) if looks_like_date(Some(&century)) => {
                    let mut r = CheckReport::failed(Kind::ResidentId15, &e);
                    r.detail("masked", mask(&s));
                    r
                }
                (Err(_), Err(e)) => CheckReport::failed(Kind::RegistrationNo, &e),
            }
        }
        15 => match RegistrationNo::parse_strict(&s) {
            Ok(reg) => report_registration(&reg),
            Err(e) => CheckReport::failed(Kind::RegistrationNo, &e),
        },
        9 | 10 => {
            let hyphenated = n == 10 && chars.get(8) == Some(&'-');
            if n == 10 && !hyphenated {
                return unknown(n);
            }
            match OrgCode::parse(&s) {
                Ok(org) => {
                    let mut r = report_org(&org);
                    if all_digits && RegionCode::parse(&s).is_ok() {
                        r.warnings.push("also a structurally valid 9-digit township region code".to_string());
                    }
                    r
                }
                Err(e) => match RegionCode::parse(&s) {
                    Ok(rc) if all_digits => report_region(&rc),
                    _ => CheckReport::failed(Kind::OrganisationCode, &e),
                },
            }
        }
        6 | 12 => match RegionCode::parse(&s) {
            Ok(rc) => report_region(&rc),
            Err(e) => CheckReport::failed(Kind::RegionCode, &e),
        },
        _ => unknown(n),
    }
}

fn unknown(n: usize) -> CheckReport {
    let mut r = CheckReport::new(Kind::Unknown);
    r.reason = Some(format!(
        "unrecognised identifier of {n} characters: expected 18 (USCC or resident ID), \
         15 (registration number or old resident ID), 9 (organisation code), \
         6/9/12 digits (region code) or an e-licence OID 1.2.156.3005.2.…"
    ));
    r
}

/// `YYMM`/`YYYYMM` prefix of a date: a year 1800–2199 (4 digits) and a month 01–12.
fn looks_like_date(yyyymm: Option<&str>) -> bool {
    let Some(d) = yyyymm else { return false };
    let (Some(y), Some(m)) =
        (d.get(0..4).and_then(|y| y.parse::<u16>().ok()), d.get(4..6).and_then(|m| m.parse::<u8>().ok()))
    else {
        return false;
    };
    (1800..2200).contains(&y) && (1..=12).contains(&m)
}

fn report_uscc(s: &str) -> CheckReport {
    match Uscc::parse(s) {
        Ok(u) => {
            let mut r = CheckReport::ok(Kind::Uscc, Some(u.as_str().to_string()));
            r.detail("registration_authority", u.authority_type_code());
            if let Some(name) = u.registration_authority().name_zh() {
                r.detail("registration_authority_name", name);
            }
            if let Some(name) = u.organisation_type() {
                r.detail("organisation_type", name);
            }
            r.detail("region_code", u.region_code());
            r.detail("organisation_code", u.organisation_code());
            r.detail("check_char", u.check_char().to_string());
            r.warnings = u.warnings().iter().map(ToString::to_string).collect();
            r
        }
        Err(e) => CheckReport::failed(Kind::Uscc, &e),
    }
}

fn resident_details(r: &mut CheckReport, id: &ResidentId) {
    r.detail("region_code", id.region_code());
    r.detail("birth_date", id.birth_date().to_string());
    r.detail("sex", id.sex().letter().to_string());
    r.warnings = id.warnings().iter().map(ToString::to_string).collect();
}

fn report_resident(id: &ResidentId) -> CheckReport {
    let mut r = CheckReport::ok(Kind::ResidentId, None);
    r.detail("masked", id.masked());
    resident_details(&mut r, id);
    r
}

fn report_resident_15(old: &str, id: &ResidentId) -> CheckReport {
    let mut r = CheckReport::ok(Kind::ResidentId15, None);
    r.detail("masked", mask(old));
    r.detail("upgraded_18_masked", id.masked());
    resident_details(&mut r, id);
    r
}

fn report_elicence(s: &str) -> CheckReport {
    match ElicenceId::parse(s) {
        Ok(e) => {
            let mut r = CheckReport::ok(Kind::ElicenceId, Some(e.as_str().to_string()));
            r.detail("type_code", e.type_code());
            r.detail("type_definer_uscc", e.type_definer().as_str());
            r.detail("issuer_uscc", e.issuer().as_str());
            r.detail("serial", e.serial());
            r.detail("version", e.version());
            r.detail("check_char", e.check_char().to_string());
            r
        }
        Err(e) => CheckReport::failed(Kind::ElicenceId, &e),
    }
}

fn report_registration(reg: &RegistrationNo) -> CheckReport {
    let mut r = CheckReport::ok(Kind::RegistrationNo, Some(reg.as_str().to_string()));
    r.detail("region_code", reg.region_code());
    r.warnings = reg.warnings().iter().map(ToString::to_string).collect();
    r
}

fn report_org(org: &OrgCode) -> CheckReport {
    let mut r = CheckReport::ok(Kind::OrganisationCode, Some(org.as_str().to_string()));
    r.detail("body", org.body());
    r.detail("check_char", org.check_char().to_string());
    r.detail("hyphenated", org.hyphenated());
    r
}

fn report_region(rc: &RegionCode) -> CheckReport {
    let mut r = CheckReport::ok(Kind::RegionCode, Some(rc.as_str().to_string()));
    r.detail("level", rc.level().as_str());
    r.detail("significant_prefix", rc.significant_prefix());
    r.detail("province", rc.province().as_str());
    if let Some(p) = rc.parent_code() {
        r.detail("parent_code", p.as_str());
    }
    r
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn uscc() {
        let r = check("914403001922038216");
        assert_eq!(r.kind, Kind::Uscc);
        assert!(r.valid);
        assert_eq!(r.details["region_code"], "440300");
        assert_eq!(r.details["organisation_code"], "192203821");
        assert_eq!(r.normalised.as_deref(), Some("914403001922038216"));
        let r = check("914403001922038217");
        assert_eq!(r.kind, Kind::Uscc);
        assert!(!r.valid);
        assert_eq!(r.reason.as_deref(), Some("check character: expected 6, found 7"));
        assert_eq!(r.error_code.as_deref(), Some("check_char"));
        let r = check("91630000710406380Q");
        assert!(r.valid);
        assert_eq!(r.warnings.len(), 1);
    }

    #[test]
    fn resident_never_shows_full_number() {
        let r = check("11010519491231002X");
        assert_eq!(r.kind, Kind::ResidentId);
        assert!(r.valid);
        assert_eq!(r.normalised, None);
        assert_eq!(r.details["masked"], "110105********002X");
        assert_eq!(r.details["birth_date"], "1949-12-31");
        assert_eq!(r.details["sex"], "F");
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains("11010519491231002X"));
        assert!(json.contains("\"kind\":\"resident_id\""));

        let r = check("110105194902300020");
        assert_eq!(r.kind, Kind::ResidentId);
        assert!(!r.valid);
        assert_eq!(r.error_code.as_deref(), Some("birth_date"));
        assert!(!format!("{r:?}").contains("110105194902300020"));

        let r = check("110105194912310021");
        assert_eq!(r.kind, Kind::ResidentId);
        assert_eq!(r.error_code.as_deref(), Some("check_char"));
    }

    #[test]
    fn resident_15_and_registration() {
        let r = check("110105491231002");
        assert_eq!(r.kind, Kind::ResidentId15);
        assert!(r.valid);
        assert_eq!(r.details["upgraded_18_masked"], "110105********002X");
        assert!(!serde_json::to_string(&r).unwrap().contains("110105491231002"));
        assert_eq!(serde_json::to_value(r.kind).unwrap(), serde_json::json!("resident_id_15"));

        let r = check("520000000005018");
        assert_eq!(r.kind, Kind::RegistrationNo);
        assert!(r.valid);

        let r = check("520000000005019");
        assert_eq!(r.kind, Kind::RegistrationNo);
        assert!(!r.valid);
        assert_eq!(r.error_code.as_deref(), Some("check_char"));

        // Passes MOD 11,10 by chance: a valid date wins, with a warning.
        assert_eq!(check("110105491231002").warnings.len(), 1);

        let r = check("110105490230003");
        assert_eq!(r.kind, Kind::ResidentId15);
        assert_eq!(r.error_code.as_deref(), Some("birth_date"));
    }

    #[test]
    fn elicence() {
        let r = check("1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.001.U");
        assert_eq!(r.kind, Kind::ElicenceId);
        assert!(r.valid);
        assert_eq!(r.details["issuer_uscc"], "11430000006122244L");
        let r = check("1.2.3");
        assert_eq!(r.kind, Kind::ElicenceId);
        assert_eq!(r.error_code.as_deref(), Some("format"));
    }

    #[test]
    fn org_and_region() {
        let r = check("71040638-X");
        assert_eq!(r.kind, Kind::OrganisationCode);
        assert!(r.valid);
        let r = check("71040638-0");
        assert_eq!(r.kind, Kind::OrganisationCode);
        assert_eq!(r.error_code.as_deref(), Some("org_code_check"));
        let r = check("632801");
        assert_eq!(r.kind, Kind::RegionCode);
        assert_eq!(r.details["level"], "county");
        assert_eq!(r.details["parent_code"], "632800");
        let r = check("632801001001");
        assert_eq!(r.details["level"], "village");
        // 632801001: a township; its GB 11714 check would be '1'... whichever wins, it is valid.
        let r = check("632801001");
        assert!(r.valid);
        assert!(matches!(r.kind, Kind::RegionCode | Kind::OrganisationCode));
        let r = check("639");
        assert_eq!(r.kind, Kind::Unknown);
    }

    #[test]
    fn unknown_and_empty() {
        assert_eq!(check("").kind, Kind::Unknown);
        assert_eq!(check("   ").reason.as_deref(), Some("empty input"));
        let r = check("hello");
        assert_eq!(r.kind, Kind::Unknown);
        assert!(r.reason.unwrap().contains("5 characters"));
        assert_eq!(check("中华人民共和国").kind, Kind::Unknown);
        // Multibyte input of USCC length: a charset error, no panic.
        let r = check("9144030019220382é6");
        assert_eq!(r.kind, Kind::Uscc);
        assert_eq!(r.error_code.as_deref(), Some("charset"));
    }

    #[test]
    fn serialises_snake_case() {
        let r = check("914403001922038216");
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["kind"], "uscc");
        assert_eq!(v["valid"], true);
        assert_eq!(Kind::OrganisationCode.as_str(), "organisation_code");
    }
}
