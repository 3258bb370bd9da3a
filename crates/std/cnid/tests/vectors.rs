//! Every vector of `tests/data/identifiers.json` (a copy of the Qingyun shared test vectors),
//! asserted with its stated verdict.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qy_cnid::{
    check, elicence, resident_id, uscc, ElicenceId, IdError, Kind, RegistrationNo, ResidentId, Uscc, Warning,
};
use serde_json::{Map, Value};

const VECTORS: &str = include_str!("data/identifiers.json");

/// The keys this test knows; the file must have exactly these (plus `_about`).
const KEYS: [&str; 11] = [
    "uscc_valid",
    "uscc_invalid",
    "uscc_soft_warning",
    "uscc_normalise",
    "resident_id_valid",
    "resident_id_invalid",
    "resident_id_15_to_18",
    "resident_id_mask_first6_last4",
    "elicence_id_valid",
    "elicence_id_invalid",
    "registration_no_15_mod11_10_valid",
];

fn all() -> Map<String, Value> {
    serde_json::from_str(VECTORS).unwrap()
}

/// The non-empty array under `key`.
fn list(key: &str) -> Vec<Value> {
    let v = all()[key].as_array().unwrap().clone();
    assert!(!v.is_empty(), "{key} is empty");
    v
}

fn field<'a>(v: &'a Value, name: &str) -> &'a str {
    v[name].as_str().unwrap_or_else(|| panic!("missing {name} in {v}"))
}

/// Assert that `err` is the failure described by a vector's free-text `reason`.
fn assert_reason(err: &IdError, reason: &str, input: &str) {
    let shown = err.to_string();
    if let Some(rest) =
        reason.strip_prefix("check character: expected ").or_else(|| reason.strip_prefix("check digit: expected "))
    {
        let exp = rest.chars().next().unwrap();
        match err {
            IdError::CheckChar { expected, found } => {
                assert_eq!(*expected, exp, "{input}: {shown}");
                assert_eq!(Some(*found), input.chars().last(), "{input}");
            }
            other => panic!("{input}: expected a check-character error, got {other}"),
        }
        assert!(shown.starts_with(&format!("check character: expected {exp}, found ")), "{shown}");
    } else if let Some(rest) = reason.strip_prefix("character ") {
        assert!(reason.ends_with("not in the 31-character set"), "{reason}");
        let c = rest.chars().next().unwrap();
        assert!(matches!(err, IdError::Charset { found, .. } if *found == c), "{input}: {shown}");
        assert!(shown.contains("31-character set"), "{shown}");
    } else if let Some(n) = reason.strip_prefix("length ") {
        let n: usize = n.parse().unwrap();
        assert!(matches!(err, IdError::Length { found, expected: "18" } if *found == n), "{input}: {shown}");
    } else if let Some(head) = reason.strip_suffix(" is not a date") {
        let date = head.rsplit(' ').next().unwrap();
        assert_eq!(err.code(), "birth_date", "{input}: {shown}");
        assert!(shown.contains(date), "{shown} should name {date}");
    } else {
        panic!("vector reason not understood by this test: {reason}");
    }
}

#[test]
fn file_has_exactly_the_known_keys() {
    let mut keys: Vec<String> = all().keys().filter(|k| *k != "_about").cloned().collect();
    keys.sort();
    let mut known: Vec<String> = KEYS.iter().map(ToString::to_string).collect();
    known.sort();
    assert_eq!(keys, known, "a key was added or removed: extend this test");
}

#[test]
fn uscc_valid() {
    for v in list("uscc_valid") {
        let code = field(&v, "code");
        let u = Uscc::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(u.as_str(), code);
        assert_eq!(uscc::compute_check_char(&code[..17]), code.chars().last(), "{code}");
        // Real codes: no soft warnings, and the embedded GB 11714 code checks out too.
        assert_eq!(u.warnings(), Vec::<Warning>::new(), "{code}");
        assert!(Uscc::parse_strict(code).is_ok(), "{code}");
        assert_eq!(u.region_code(), &code[2..8]);
        assert_eq!(u.organisation_code(), &code[8..17]);
        let r = check(code);
        assert_eq!(r.kind, Kind::Uscc, "{code}");
        assert!(r.valid, "{code}: {:?}", r.reason);
        assert!(r.warnings.is_empty(), "{code}");
    }
}

#[test]
fn uscc_invalid() {
    for v in list("uscc_invalid") {
        let code = field(&v, "code");
        let reason = field(&v, "reason");
        let err = Uscc::parse(code).expect_err(code);
        assert_reason(&err, reason, code);
        let r = check(code);
        assert!(!r.valid, "{code}");
        assert!(r.reason.is_some(), "{code}");
    }
}

#[test]
fn uscc_soft_warning() {
    for v in list("uscc_soft_warning") {
        let code = field(&v, "code");
        let reason = field(&v, "reason");
        // "final check OK": it parses …
        let u = Uscc::parse(code).unwrap_or_else(|e| panic!("{code}: {e}"));
        // "… but embedded GB 11714 organisation code 71040638-0 has wrong check digit (expected X)"
        let org = reason.split("organisation code ").nth(1).and_then(|s| s.split(' ').next()).unwrap();
        let expected = reason.split("(expected ").nth(1).and_then(|s| s.chars().next()).unwrap();
        let found = org.chars().last().unwrap();
        assert_eq!(u.warnings(), vec![Warning::OrgCodeCheck { org_code: org.to_string(), expected, found }], "{code}");
        assert_eq!(Uscc::parse_strict(code).unwrap_err(), IdError::OrgCodeCheck { expected, found });
        let r = check(code);
        assert_eq!(r.kind, Kind::Uscc);
        assert!(r.valid);
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].contains(org), "{}", r.warnings[0]);
    }
}

#[test]
fn uscc_normalise() {
    for v in list("uscc_normalise") {
        let input = field(&v, "input");
        let normalised = field(&v, "normalised");
        assert_eq!(qy_cnid::normalise(input), normalised);
        let valid = v["valid"].as_bool().unwrap();
        match Uscc::parse(input) {
            Ok(u) => {
                assert!(valid, "{input:?} parsed but the vector says invalid");
                assert_eq!(u.as_str(), normalised);
                let r = check(input);
                assert_eq!(r.normalised.as_deref(), Some(normalised));
            }
            Err(e) => assert!(!valid, "{input:?}: {e}"),
        }
    }
}

#[test]
fn resident_id_valid() {
    for v in list("resident_id_valid") {
        let id_str = field(&v, "id");
        let id = ResidentId::parse(id_str).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(id.as_str(), id_str);
        assert_eq!(id.sex().letter().to_string(), field(&v, "sex"));
        assert_eq!(id.birth_date().to_string(), field(&v, "birth"));
        assert_eq!(resident_id::compute_check_char(&id_str[..17]), id_str.chars().last());
        let lower = id_str.to_ascii_lowercase();
        assert_eq!(ResidentId::parse(&lower).unwrap(), id);
        let r = check(id_str);
        assert_eq!(r.kind, Kind::ResidentId);
        assert!(r.valid);
        assert_eq!(r.details["birth_date"], field(&v, "birth"));
        assert_eq!(r.details["sex"], field(&v, "sex"));
        let json = serde_json::to_string(&r).unwrap();
        assert!(!json.contains(id_str), "report leaks the full number");
    }
}

#[test]
fn resident_id_invalid() {
    for v in list("resident_id_invalid") {
        let id = field(&v, "id");
        let reason = field(&v, "reason");
        let err = ResidentId::parse(id).expect_err(id);
        assert_reason(&err, reason, id);
        if reason.starts_with("checksum OK") {
            assert_eq!(resident_id::compute_check_char(&id[..17]), id.chars().last());
        }
        let r = check(id);
        assert_eq!(r.kind, Kind::ResidentId, "{id}");
        assert!(!r.valid);
        assert_eq!(r.error_code.as_deref(), Some(err.code()));
        assert!(!format!("{r:?}").contains(id), "report leaks the full number");
    }
}

#[test]
fn resident_id_15_to_18() {
    for v in list("resident_id_15_to_18") {
        let old = field(&v, "old");
        let new = field(&v, "new");
        assert_eq!(ResidentId::upgrade_15_to_18(old).unwrap().as_str(), new);
        let r = check(old);
        assert_eq!(r.kind, Kind::ResidentId15);
        assert!(r.valid);
        assert_eq!(r.details["upgraded_18_masked"], ResidentId::parse(new).unwrap().masked());
    }
}

#[test]
fn resident_id_mask_first6_last4() {
    for v in list("resident_id_mask_first6_last4") {
        let id_str = field(&v, "id");
        let masked = field(&v, "masked");
        let id = ResidentId::parse(id_str).unwrap();
        assert_eq!(id.masked(), masked);
        let dbg = format!("{id:?}");
        assert!(dbg.contains(masked), "{dbg}");
        assert!(!dbg.contains(id_str), "Debug leaks the full number");
        assert_eq!(check(id_str).details["masked"], masked);
    }
}

#[test]
fn elicence_id_valid() {
    for v in list("elicence_id_valid") {
        let id = field(&v, "id");
        let e = ElicenceId::parse(id).unwrap_or_else(|err| panic!("{id}: {err}"));
        assert_eq!(e.as_str(), id);
        let rebuilt = format!(
            "{}.{}.{}.{}.{}.{}",
            elicence::ROOT_OID,
            e.type_code(),
            e.issuer(),
            e.serial(),
            e.version(),
            e.check_char()
        );
        assert_eq!(rebuilt, id);
        let payload = format!("{}{}{}{}", e.type_code(), e.issuer(), e.serial(), e.version());
        assert_eq!(elicence::compute_check_char(&payload), Some(e.check_char()));
        let built = ElicenceId::build(&e.type_code(), e.issuer().as_str(), e.serial(), e.version()).unwrap();
        assert_eq!(built, e);
        let r = check(id);
        assert_eq!(r.kind, Kind::ElicenceId);
        assert!(r.valid, "{:?}", r.reason);
    }
}

#[test]
fn elicence_id_invalid() {
    for v in list("elicence_id_invalid") {
        let id = field(&v, "id");
        let reason = field(&v, "reason");
        let err = ElicenceId::parse(id).expect_err(id);
        assert_reason(&err, reason, id);
        let r = check(id);
        assert_eq!(r.kind, Kind::ElicenceId);
        assert!(!r.valid);
        assert_eq!(r.error_code.as_deref(), Some("check_char"));
    }
}

#[test]
fn registration_no_15_mod11_10_valid() {
    for v in list("registration_no_15_mod11_10_valid") {
        let no = v.as_str().unwrap();
        let r = RegistrationNo::parse_strict(no).unwrap_or_else(|e| panic!("{no}: {e}"));
        assert!(r.check_digit_valid());
        assert!(r.warnings().is_empty(), "{no}");
        let rep = check(no);
        assert_eq!(rep.kind, Kind::RegistrationNo, "{no}");
        assert!(rep.valid);
    }
}
