//! Property tests: computed check characters make valid codes, every single-character change
//! is caught, parsers never panic, and region-code structure is consistent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use qy_cnid::{
    check, elicence, orgcode, registration_no, resident_id, uscc, ElicenceId, OrgCode, RegionCode, RegionLevel,
    RegistrationNo, ResidentId, Uscc,
};

/// Replace the character at `idx` (ASCII strings only).
fn replace_at(s: &str, idx: usize, c: char) -> String {
    s.chars().enumerate().map(|(i, o)| if i == idx { c } else { o }).collect()
}

fn from_alphabet(alphabet: &'static str, len: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), len).prop_map(|v| v.into_iter().collect())
}

/// Replacement characters: the canonical sets plus characters that are always invalid. No
/// lower-case or full-width forms, which normalise back to the original.
const REPLACEMENTS: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-é中 .";

/// A 17-digit resident-ID body whose birth date is a real date.
fn resident_body() -> impl Strategy<Value = String> {
    (from_alphabet("0123456789", 6), 1900u16..=2100, 1u8..=12, 1u8..=28, from_alphabet("0123456789", 3))
        .prop_map(|(region, y, m, d, seq)| format!("{region}{y:04}{m:02}{d:02}{seq}"))
}

proptest! {
    #[test]
    fn uscc_check_char_round_trip(body in from_alphabet(uscc::ALPHABET, 17)) {
        let c = uscc::compute_check_char(&body).unwrap();
        let code = format!("{body}{c}");
        let u = Uscc::parse(&code).unwrap();
        prop_assert_eq!(u.as_str(), code.as_str());
    }

    #[test]
    fn uscc_single_change_is_invalid(
        body in from_alphabet(uscc::ALPHABET, 17),
        idx in 0usize..18,
        rep in proptest::sample::select(REPLACEMENTS.chars().collect::<Vec<_>>()),
    ) {
        let code = format!("{body}{}", uscc::compute_check_char(&body).unwrap());
        prop_assume!(code.chars().nth(idx) != Some(rep));
        let changed = replace_at(&code, idx, rep);
        prop_assert!(Uscc::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn resident_check_char_round_trip(body in resident_body()) {
        let c = resident_id::compute_check_char(&body).unwrap();
        let id = ResidentId::parse(&format!("{body}{c}")).unwrap();
        prop_assert_eq!(id.as_str(), format!("{body}{c}"));
        prop_assert_eq!(id.masked().chars().filter(|c| *c == '*').count(), 8);
    }

    #[test]
    fn resident_random_body_never_fails_on_check(body in from_alphabet("0123456789", 17)) {
        // Any 17 digits: with the computed check, only the date can be wrong.
        let c = resident_id::compute_check_char(&body).unwrap();
        if let Err(e) = ResidentId::parse(&format!("{body}{c}")) {
            prop_assert_eq!(e.code(), "birth_date");
        }
    }

    #[test]
    fn resident_single_change_is_invalid(
        body in resident_body(),
        idx in 0usize..18,
        rep in proptest::sample::select(REPLACEMENTS.chars().collect::<Vec<_>>()),
    ) {
        let id = format!("{body}{}", resident_id::compute_check_char(&body).unwrap());
        prop_assume!(id.chars().nth(idx) != Some(rep));
        let changed = replace_at(&id, idx, rep);
        prop_assert!(ResidentId::parse(&changed).is_err());
    }

    #[test]
    fn resident_upgrade_matches_parse(
        region in from_alphabet("0123456789", 6),
        yy in 0u8..=99, m in 1u8..=12, d in 1u8..=28,
        seq in from_alphabet("0123456789", 3),
    ) {
        let old = format!("{region}{yy:02}{m:02}{d:02}{seq}");
        let new = ResidentId::upgrade_15_to_18(&old).unwrap();
        prop_assert_eq!(&new.as_str()[..6], &old[..6]);
        prop_assert_eq!(&new.as_str()[6..8], "19");
        prop_assert_eq!(&new.as_str()[8..17], &old[6..]);
    }

    #[test]
    fn elicence_check_char_round_trip(
        definer in from_alphabet(uscc::ALPHABET, 17),
        seq in from_alphabet("0123456789", 3),
        issuer in from_alphabet(uscc::ALPHABET, 17),
        serial in proptest::string::string_regex("[0-9A-Z]{1,32}").unwrap(),
        version in from_alphabet("0123456789", 3),
        idx in 0usize..200,
        rep in proptest::sample::select(REPLACEMENTS.chars().collect::<Vec<_>>()),
    ) {
        let definer = format!("{definer}{}", uscc::compute_check_char(&definer).unwrap());
        let issuer = format!("{issuer}{}", uscc::compute_check_char(&issuer).unwrap());
        let type_code = format!("{definer}{seq}");
        let payload = format!("{type_code}{issuer}{serial}{version}");
        let c = elicence::compute_check_char(&payload).unwrap();
        let id = format!("{}.{type_code}.{issuer}.{serial}.{version}.{c}", elicence::ROOT_OID);
        let e = ElicenceId::parse(&id).unwrap();
        prop_assert_eq!(e.as_str(), id.as_str());
        prop_assert_eq!(
            ElicenceId::build(&type_code, &issuer, &serial, &version).unwrap(),
            e
        );
        // Change one character after the root OID (dots included: that breaks the layout).
        let root_len = elicence::ROOT_OID.len() + 1;
        let idx = root_len + idx % (id.len() - root_len);
        prop_assume!(id.chars().nth(idx) != Some(rep));
        let changed = replace_at(&id, idx, rep);
        prop_assert!(ElicenceId::parse(&changed).is_err(), "{} accepted", changed);
    }

    #[test]
    fn orgcode_digit_change_is_invalid(
        body in from_alphabet("0123456789", 8),
        idx in 0usize..9,
        rep in proptest::sample::select("0123456789X".chars().collect::<Vec<_>>()),
    ) {
        // GB 11714 MOD 11 catches every single substitution among digits (value differences
        // < 11); among letters a difference of 11 can slip through, which is the standard's.
        let code = OrgCode::from_body(&body).unwrap();
        prop_assert_eq!(Some(code.check_char()), orgcode::compute_check_char(&body));
        prop_assume!(code.as_str().chars().nth(idx) != Some(rep));
        prop_assume!(idx == 8 || rep != 'X');
        let changed = replace_at(code.as_str(), idx, rep);
        prop_assert!(OrgCode::parse(&changed).is_err());
    }

    #[test]
    fn registration_single_change_is_invalid(
        body in from_alphabet("0123456789", 14),
        idx in 0usize..15,
        rep in proptest::sample::select("0123456789".chars().collect::<Vec<_>>()),
    ) {
        let no = format!("{body}{}", registration_no::compute_check_digit(&body).unwrap());
        prop_assert!(RegistrationNo::parse_strict(&no).unwrap().check_digit_valid());
        prop_assume!(no.chars().nth(idx) != Some(rep));
        let changed = replace_at(&no, idx, rep);
        prop_assert!(RegistrationNo::parse_strict(&changed).is_err());
    }

    #[test]
    fn nothing_panics_on_arbitrary_strings(s in any::<String>()) {
        exercise(&s);
    }

    #[test]
    fn nothing_panics_on_near_misses(
        s in proptest::string::string_regex("[0-9A-Za-zé中\\.\\- ５Ｘ\u{3000}]{0,80}").unwrap()
    ) {
        exercise(&s);
    }

    #[test]
    fn nothing_panics_on_multibyte_at_every_length(
        n in 0usize..24, c in any::<char>(), pos in 0usize..24,
    ) {
        let base: String = "1".repeat(n);
        let s: String = base
            .chars()
            .enumerate()
            .map(|(i, o)| if i == pos { c } else { o })
            .collect();
        exercise(&s);
        exercise(&format!("1.2.156.3005.2.{s}.{s}.{s}.{s}.{s}"));
    }

    #[test]
    fn region_parent_chain_is_consistent(code in region_code()) {
        let rc = RegionCode::parse(&code).unwrap();
        prop_assert_eq!(rc.as_str(), code.as_str());
        prop_assert!(rc.contains(&rc));
        let mut cur = rc.clone();
        let mut steps = 0;
        while let Some(parent) = cur.parent_code() {
            prop_assert!(parent.level() < cur.level());
            prop_assert!(parent.contains(&cur));
            prop_assert!(parent.contains(&rc));
            prop_assert!(!cur.contains(&parent));
            // The parent is itself a parseable code.
            prop_assert_eq!(RegionCode::parse(parent.as_str()).unwrap(), parent.clone());
            cur = parent;
            steps += 1;
            prop_assert!(steps <= 4);
        }
        prop_assert_eq!(cur.level(), RegionLevel::Province);
        prop_assert_eq!(&cur, &rc.province());
        prop_assert!(rc
            .as_str()
            .starts_with(rc.significant_prefix()));
    }

    #[test]
    fn region_contains_iff_ancestor_or_self(a in region_code(), b in region_code()) {
        let (a, b) = (RegionCode::parse(&a).unwrap(), RegionCode::parse(&b).unwrap());
        let mut chain = vec![b.clone()];
        while let Some(p) = chain.last().and_then(RegionCode::parent_code) {
            chain.push(p);
        }
        prop_assert_eq!(a.contains(&b), chain.contains(&a));
    }
}

/// Valid region codes drawn from few provinces/prefectures so that pairs often overlap.
fn region_code() -> impl Strategy<Value = String> {
    let pp = proptest::sample::select(vec!["63", "11", "44"]);
    let cc = proptest::sample::select(vec!["00", "01", "28", "19"]);
    let dd = proptest::sample::select(vec!["00", "01", "22"]);
    let ttt = proptest::sample::select(vec!["", "001", "002"]);
    let vvv = proptest::sample::select(vec!["", "001", "101"]);
    (pp, cc, dd, ttt, vvv).prop_filter_map("structurally valid", |(pp, cc, dd, ttt, vvv)| {
        let dd = if cc == "00" { "00" } else { dd };
        let six = format!("{pp}{cc}{dd}");
        match (ttt, vvv) {
            ("", _) => Some(six),
            // A township needs a prefecture- or county-level six-digit part.
            _ if cc == "00" => None,
            (t, "") => Some(format!("{six}{t}")),
            (t, v) => Some(format!("{six}{t}{v}")),
        }
    })
}

/// Call every public entry point; the test fails if any panics.
fn exercise(s: &str) {
    let _ = qy_cnid::normalise(s);
    let _ = Uscc::parse(s).map(|u| (u.warnings(), u.region(), u.registration_authority()));
    let _ = Uscc::parse_strict(s);
    let _ = OrgCode::parse(s);
    let _ = OrgCode::from_body(s);
    let _ = ResidentId::parse(s).map(|id| (id.masked(), id.birth_date(), id.sex(), id.warnings()));
    let _ = ResidentId::upgrade_15_to_18(s);
    let _ = ElicenceId::parse(s);
    let _ = ElicenceId::build(s, s, s, s);
    let _ = RegistrationNo::parse(s).map(|r| r.warnings());
    let _ = RegionCode::parse(s).map(|r| (r.parent_code(), r.province(), r.level()));
    let _ = Uscc::build(s, s, s);
    let _ = uscc::compute_check_char(s);
    let _ = resident_id::compute_check_char(s);
    let _ = elicence::compute_check_char(s);
    let _ = orgcode::compute_check_char(s);
    let _ = registration_no::compute_check_digit(s);
    let r = check(s);
    let _ = serde_json::to_string(&r).unwrap();
}
