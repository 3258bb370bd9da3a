//! Guess what an arbitrary string is and check it — backs `qingyun tools gs1 check VALUE`.
//!
//! | shape | taken as |
//! | ----- | -------- |
//! | `http://…`, `https://…` | GS1 Digital Link |
//! | `urn:epc:…` | EPC URN |
//! | 15 characters starting with a digit | livestock ear tag (15 is no GS1 key length) |
//! | `GF…`, `LB-…`, `AGI…`, 17 or 24 digits | certification code |
//! | anything else | bare GS1 key or element string ([`crate::keys::check`]) |

use std::collections::BTreeMap;

use crate::ai::describe;
use crate::cert_codes::{check_certificate_code, detect_certificate};
use crate::digital_link::DigitalLink;
use crate::ear_tag::parse_ear_tag;
use crate::epc_urn::urn_to_link;
use crate::error::Gs1Error;
use crate::keys::key_details;
use crate::normalise::normalise;
use crate::report::{Kind, Report};

/// Check a bare code, element string, Digital Link URI, EPC URN, ear tag or certification code,
/// and say what it is.
///
/// ```
/// let r = qy_gs1::check("https://id.gs1.org/01/10614141073465");
/// assert!(!r.valid);
/// assert_eq!(r.reason.as_deref(), Some("01 (GTIN): check digit should be 4, found 5"));
/// ```
#[must_use]
pub fn check(value: &str) -> Report {
    let v = normalise(value);
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        return link_report(Kind::DigitalLink, DigitalLink::parse(&v), None);
    }
    if lower.starts_with("urn:epc:") {
        let link = urn_to_link(&v).and_then(|l| l.validate().map(|()| l));
        return link_report(Kind::EpcUrn, link, Some(&v));
    }
    let compact: String = v.chars().filter(|c| *c != ' ').collect();
    if compact.chars().count() == 15 && compact.starts_with(|c: char| c.is_ascii_digit()) {
        return ear_tag_report(&compact);
    }
    if let Some(kind) = detect_certificate(&v) {
        return match check_certificate_code(kind, &v) {
            Ok(c) => {
                let mut details: BTreeMap<String, String> = c.parts.clone();
                details.insert("name_zh".into(), kind.name_zh().into());
                if c.legacy {
                    details.insert("legacy".into(), "true".into());
                }
                Report::valid(Kind::Certificate(kind), c.code, details)
            }
            Err(e) => Report::invalid(Kind::Certificate(kind), e, BTreeMap::new()),
        };
    }
    crate::keys::check(&v)
}

fn link_report(kind: Kind, link: Result<DigitalLink, Gs1Error>, urn: Option<&str>) -> Report {
    let link = match link {
        Ok(l) => l,
        Err(e) => return Report::invalid(kind, e, BTreeMap::new()),
    };
    let mut d = BTreeMap::new();
    if let Some(k) = link.key_kind() {
        d = key_details(k, &link.primary.1);
        d.insert("primary_key".into(), format!("{} ({})", k.ai(), k.label()));
    }
    d.insert("key".into(), link.primary.1.clone());
    for (a, v) in &link.qualifiers {
        d.insert(format!("qualifier {}", describe(a)), v.clone());
    }
    for (a, v) in &link.attributes {
        d.insert(format!("attribute {}", describe(a)), v.clone());
    }
    d.insert("constrained_canonical".into(), link.constrained().canonical());
    match urn {
        Some(u) => {
            d.insert("urn".into(), u.to_owned());
        }
        None => {
            d.insert("uri".into(), link.to_uri());
        }
    }
    Report::valid(kind, link.canonical(), d)
}

fn ear_tag_report(v: &str) -> Report {
    match parse_ear_tag(v) {
        Ok(tag) => {
            let d = crate::report::details([
                ("species", tag.species.as_str().to_owned()),
                ("species_zh", tag.species.name_zh().to_owned()),
                ("county_code", tag.county_code.clone()),
                ("province_code", tag.county_code[..2].to_owned()),
                ("serial", tag.serial.clone()),
                ("note", "not a GS1 key; in EPCIS use an HTTPS URI under the province's domain".to_owned()),
            ]);
            Report::valid(Kind::EarTag, tag.number(), d)
        }
        Err(e) => Report::invalid(Kind::EarTag, e, BTreeMap::new()),
    }
}
