//! Which key qualifiers may follow which primary key in a GS1 Digital Link path, and in what order.
//!
//! The order is fixed by the standard (GS1 Digital Link 1.2; the `dlpkey` attribute of the GS1
//! Syntax Dictionary) so that one identifier has exactly one canonical path: after a GTIN the
//! qualifiers come as `22` (consumer product variant), `10` (lot), `21` (serial) — any of them may
//! be left out but never reordered — or alternatively `235` alone. Resolvers reject other orders,
//! so we do too, naming the pair that is out of place.

use crate::ai::describe;
use crate::error::Gs1Error;
use crate::keys::KeyKind;

/// The qualifier chains allowed after `primary`; each chain is an ordered list and a path may use
/// any in-order subset of exactly one chain.
#[must_use]
pub fn qualifier_chains(primary: KeyKind) -> &'static [&'static [&'static str]] {
    match primary {
        KeyKind::Gtin => &[&["22", "10", "21"], &["235"]],
        KeyKind::Itip => &[&["22", "10", "21"]],
        KeyKind::Gln => &[&["254"], &["7040"]],
        KeyKind::Cpid => &[&["8011"]],
        KeyKind::Gsrn | KeyKind::Gsrnp => &[&["8019"]],
        KeyKind::Sscc
        | KeyKind::Grai
        | KeyKind::Giai
        | KeyKind::Gdti
        | KeyKind::Pgln
        | KeyKind::Gcn
        | KeyKind::Ginc
        | KeyKind::Gsin
        | KeyKind::Gmn => &[],
    }
}

/// Position of `ai` in the canonical order after `primary` (unknown qualifiers sort last).
#[must_use]
pub fn canonical_rank(primary: KeyKind, ai: &str) -> usize {
    let mut rank = 0;
    for chain in qualifier_chains(primary) {
        for q in *chain {
            if *q == ai {
                return rank;
            }
            rank += 1;
        }
    }
    usize::MAX
}

/// Human list of what may follow `primary`, e.g. `"22, 10, 21 or 235"`.
fn allowed(primary: KeyKind) -> String {
    let chains: Vec<String> = qualifier_chains(primary).iter().map(|c| c.join(", ")).collect();
    match chains.len() {
        0 => "none".to_owned(),
        _ => chains.join(" or "),
    }
}

/// Check the qualifier AIs (numeric, in path order) that follow `primary`.
///
/// # Errors
/// [`Gs1Error::Qualifier`] naming the first offending qualifier.
pub fn check_qualifiers(primary: KeyKind, qualifiers: &[&str]) -> Result<(), Gs1Error> {
    let p = format!("{} ({})", primary.ai(), primary.label());
    let chains = qualifier_chains(primary);
    for q in qualifiers {
        if let Some(other) = KeyKind::from_ai(q) {
            return Err(Gs1Error::Qualifier(format!(
                "{q} ({}) is a second primary key after {p}; a Digital Link has exactly one primary key",
                other.label()
            )));
        }
        if !chains.iter().any(|c| c.contains(q)) {
            return Err(Gs1Error::Qualifier(format!(
                "{} is not a key qualifier of {p} (allowed after {p}: {})",
                describe(q),
                allowed(primary)
            )));
        }
    }
    let Some(first) = qualifiers.first() else { return Ok(()) };
    let Some(chain) = chains.iter().find(|c| c.contains(first)) else { return Ok(()) };
    let mut last: Option<(usize, &str)> = None;
    for q in qualifiers {
        let Some(pos) = chain.iter().position(|c| c == q) else {
            return Err(Gs1Error::Qualifier(format!(
                "{} and {} cannot be combined after {p} (allowed: {})",
                describe(first),
                describe(q),
                allowed(primary)
            )));
        };
        if let Some((prev_pos, prev)) = last {
            if pos == prev_pos {
                return Err(Gs1Error::Qualifier(format!("key qualifier {} appears twice", describe(q))));
            }
            if pos < prev_pos {
                return Err(Gs1Error::Qualifier(format!(
                    "key qualifier {} must come before {}: after {p} the order is {}",
                    describe(q),
                    describe(prev),
                    chain.join(", ")
                )));
            }
        }
        last = Some((pos, q));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_order_subsets_pass() {
        for qs in [&[][..], &["21"], &["10", "21"], &["22", "21"], &["22", "10", "21"], &["235"]] {
            assert_eq!(check_qualifiers(KeyKind::Gtin, qs), Ok(()), "{qs:?}");
        }
        assert_eq!(check_qualifiers(KeyKind::Gln, &["254"]), Ok(()));
    }

    #[test]
    fn errors_name_the_problem() {
        let msg = |k, qs: &[&str]| check_qualifiers(k, qs).map_err(|e| e.to_string()).err().unwrap_or_default();
        assert_eq!(
            msg(KeyKind::Gtin, &["21", "10"]),
            "key qualifier 10 (lot) must come before 21 (serial): after 01 (GTIN) the order is 22, 10, 21"
        );
        assert_eq!(msg(KeyKind::Gtin, &["10", "10"]), "key qualifier 10 (lot) appears twice");
        assert_eq!(
            msg(KeyKind::Gtin, &["254"]),
            "254 (GLN extension) is not a key qualifier of 01 (GTIN) (allowed after 01 (GTIN): 22, 10, 21 or 235)"
        );
        assert_eq!(
            msg(KeyKind::Gtin, &["414"]),
            "414 (GLN) is a second primary key after 01 (GTIN); a Digital Link has exactly one primary key"
        );
        assert_eq!(
            msg(KeyKind::Gtin, &["10", "235"]),
            "10 (lot) and 235 (third-party serial) cannot be combined after 01 (GTIN) (allowed: 22, 10, 21 or 235)"
        );
        assert!(msg(KeyKind::Sscc, &["21"]).contains("allowed after 00 (SSCC): none"));
    }

    #[test]
    fn ranks() {
        assert!(canonical_rank(KeyKind::Gtin, "22") < canonical_rank(KeyKind::Gtin, "10"));
        assert!(canonical_rank(KeyKind::Gtin, "10") < canonical_rank(KeyKind::Gtin, "21"));
        assert_eq!(canonical_rank(KeyKind::Sscc, "21"), usize::MAX);
    }
}
