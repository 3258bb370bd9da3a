//! GS1 identifier checks used by validation, on top of `qy-gs1`.
//!
//! A value counts as a GS1 identifier when `qy-gs1` can read its structure (an EPC URN, or a
//! Digital Link with a known primary key); anything else is a private URI, which CBV 2.0
//! allows (e.g. the livestock ear-tag URIs of the yak chain) and which is not checked here.

use qy_gs1::{constrained_canonical, DigitalLink, KeyKind};

/// Why an instance-level identifier (an EPC, a parent, a location) is not a valid GS1 key, or
/// `None` when it is valid or not a GS1 identifier at all.
pub(crate) fn instance_problem(uri: &str) -> Option<String> {
    let t = uri.trim();
    if has_prefix(t, "urn:epc:") {
        // Class URNs occur in epcList in the wild (the reference vector `epclist_normalisation`
        // has an LGTIN); EPCIS does not forbid them there, so only their syntax is checked.
        if has_prefix(t, "urn:epc:class:") || has_prefix(t, "urn:epc:idpat:") {
            return constrained_canonical(t).is_none().then(|| format!("'{t}' is not a valid EPC class URN"));
        }
        return qy_gs1::urn_to_digital_link(t).err().map(|e| format!("'{t}' is not a valid EPC URN: {e}"));
    }
    digital_link_problem(t)
}

/// Why an `epcClass` is not a class-level identifier, or `None`. Class level means a GTIN with at
/// most a lot (`urn:epc:class:lgtin`, `urn:epc:idpat:…`, a Digital Link with 01 and optionally
/// 10), or a key whose class form has no serial (GRAI, GDTI, GCN, CPID, ITIP without 21).
pub(crate) fn class_problem(uri: &str) -> Option<String> {
    let t = uri.trim();
    if has_prefix(t, "urn:epc:id:") {
        return Some(format!(
            "'{t}' identifies one instance; epcClass needs a class such as urn:epc:class:lgtin:… or \
             urn:epc:idpat:sgtin:…"
        ));
    }
    if has_prefix(t, "urn:epc:") {
        return constrained_canonical(t).is_none().then(|| format!("'{t}' is not a valid EPC class or pattern URN"));
    }
    if let Some(reason) = digital_link_problem(t) {
        return Some(reason);
    }
    let link = DigitalLink::parse(t).ok()?;
    let serialised = match link.key_kind() {
        Some(KeyKind::Gtin) => link.qualifier("21").or(link.qualifier("235")).is_some(),
        Some(KeyKind::Itip) => link.qualifier("21").is_some(),
        Some(KeyKind::Sscc | KeyKind::Gln | KeyKind::Pgln | KeyKind::Giai | KeyKind::Gsrn | KeyKind::Gsrnp) => true,
        _ => false,
    };
    serialised.then(|| {
        format!("'{t}' identifies one instance; epcClass needs a class (a GTIN, optionally with a lot: /01/…/10/…)")
    })
}

/// For a Digital Link whose structure `qy-gs1` recognises, or any URI on GS1's own resolver
/// domain: the full check (check digits included) failing, with the reason. `None` for valid
/// links and for other URIs (a brand's own pages need not be Digital Links).
fn digital_link_problem(t: &str) -> Option<String> {
    if !(has_prefix(t, "https://") || has_prefix(t, "http://")) {
        return None;
    }
    let on_gs1_domain = has_prefix(t, "https://id.gs1.org/") || has_prefix(t, "http://id.gs1.org/");
    if !on_gs1_domain && constrained_canonical(t).is_none() {
        return None;
    }
    DigitalLink::parse(t).err().map(|e| format!("'{t}' is not a valid GS1 Digital Link: {e}"))
}

fn has_prefix(t: &str, p: &str) -> bool {
    t.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digits_of_digital_links_are_verified() {
        assert_eq!(instance_problem("https://id.gs1.org/01/10614141073464/21/2017"), None);
        let bad = instance_problem("https://id.gs1.org/01/10614141073465/21/2017");
        assert!(bad.is_some_and(|m| m.contains("10614141073465")));
        assert!(instance_problem("https://id.gs1.org/414/952123400010").is_some());
        assert_eq!(instance_problem("https://example.com/news/2024/01/15"), None);
    }

    #[test]
    fn urns_and_private_uris() {
        assert_eq!(instance_problem("urn:epc:id:sgtin:0614141.107346.2017"), None);
        assert!(instance_problem("urn:epc:id:sgtin:0614141.107346").is_some());
        assert_eq!(instance_problem("https://trace.example.org/qh/animal/263262100012345"), None);
        assert_eq!(instance_problem("geo:36.6,101.7"), None);
    }

    #[test]
    fn epc_class_must_be_class_level() {
        assert_eq!(class_problem("urn:epc:class:lgtin:4012345.012345.Lot987"), None);
        assert_eq!(class_problem("urn:epc:idpat:sgtin:4012345.012345.*"), None);
        assert_eq!(class_problem("https://id.gs1.org/01/09521234000013/10/YK20241015A"), None);
        assert!(class_problem("urn:epc:id:sgtin:0614141.107346.2017").is_some());
        assert!(class_problem("https://id.gs1.org/01/10614141073464/21/2017").is_some());
        assert!(class_problem("https://id.gs1.org/00/106141412345678908").is_some());
    }
}
