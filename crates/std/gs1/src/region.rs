//! The one piece of GB/T 2260 this crate needs: which two-digit province codes exist.
//!
//! Ear tags and green-food codes embed an administrative division code. We only check its first
//! two digits, because the full code list changes every year and a stale list would reject real
//! tags; a wrong province, on the other hand, is always a typo.

/// Two-digit province-level codes of GB/T 2260 (incl. Taiwan 71, Hong Kong 81, Macao 82).
const PROVINCES: [&str; 34] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43", "44",
    "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
];

/// Whether a six-digit division code starts with an existing province code.
pub(crate) fn has_province_prefix(code: &str) -> bool {
    code.get(..2).is_some_and(|p| PROVINCES.contains(&p))
}

/// Error for a division code with an unknown province prefix.
pub(crate) fn bad_province(code: &str) -> crate::Gs1Error {
    crate::Gs1Error::syntax(format!("{code} does not begin with a GB/T 2260 province code (11-65, 71, 81, 82)"))
}
