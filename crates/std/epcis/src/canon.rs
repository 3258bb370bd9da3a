//! Value normalisation rules of the CBV 2.0 event hash (CBV 2.0, "EPCIS event hash ID"), one function per rule.
//!
//! The golden values come from the reference generator (`epcis-event-hash-generator`), which is
//! Python; where CBV leaves a detail open (how a number is printed, how a 4th decimal of a second
//! rounds) the rule follows that tool, because hashes are only useful if everybody gets the same one.

use jiff::{tz::TimeZone, Timestamp};

use crate::context::Context;
use crate::vocab::URN_VOCABULARIES;

/// A timestamp in UTC with exactly three decimals and `Z`: `2005-04-04T02:33:31.116Z`.
///
/// Fractions beyond microseconds are cut (the reference parser reads at most six digits), then the
/// microseconds are rounded to milliseconds half-to-even (Python `round(µs, -3)`), so `.1415` → `.142`
/// and `.1414` → `.141`. A value that does not parse is returned trimmed and unchanged, as in the
/// reference tool. A missing offset is read as UTC; the schema rejects such times anyway.
pub(crate) fn timestamp(raw: &str) -> String {
    let text = raw.trim();
    parse_time(text).map_or_else(|| text.to_owned(), format_utc_millis)
}

/// Parses an RFC 3339 date-time; an offset-less time is taken as UTC.
pub(crate) fn parse_time(text: &str) -> Option<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Some(ts);
    }
    let civil: jiff::civil::DateTime = text.parse().ok()?;
    TimeZone::UTC.to_timestamp(civil).ok()
}

fn format_utc_millis(ts: Timestamp) -> String {
    let (mut second, mut nanos) = (ts.as_second(), ts.subsec_nanosecond());
    if nanos < 0 {
        // Before 1970 jiff reports a negative fraction; count it from the previous whole second.
        second -= 1;
        nanos += 1_000_000_000;
    }
    let micros = nanos / 1000;
    let (mut millis, rem) = (micros / 1000, micros % 1000);
    if rem > 500 || (rem == 500 && millis % 2 == 1) {
        millis += 1;
    }
    if millis == 1000 {
        second += 1;
        millis = 0;
    }
    let Ok(whole) = Timestamp::from_second(second) else { return ts.to_string() };
    let dt = TimeZone::UTC.to_datetime(whole);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        dt.year(),
        dt.month(),
        dt.day(),
        dt.hour(),
        dt.minute(),
        dt.second(),
        millis
    )
}

/// A numeric string in the reference tool's form: `-16.0` → `-16`, `+5` → `5`, `0.50` → `0.5`,
/// `1e3` → `1000`, `0.00001` → `1e-05`. `None` when the text is not a number (it is then hashed
/// as text). Python's `float()` syntax is accepted, including `_` between digits.
pub(crate) fn number(text: &str) -> Option<String> {
    if !looks_numeric(text) {
        return None;
    }
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    let value: f64 = cleaned.parse().ok()?;
    value.is_finite().then(|| format_float(value))
}

/// Python float literal syntax: sign, digits with single `_` between digits, optional fraction,
/// optional exponent. `inf`/`nan` are deliberately not numbers here (they stay text).
fn looks_numeric(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let (int_digits, next) = digits(b, i);
    i = next;
    let mut frac_digits = 0;
    if b.get(i) == Some(&b'.') {
        (frac_digits, i) = digits(b, i + 1);
    }
    if int_digits == 0 && frac_digits == 0 {
        return false;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let (exp_digits, next) = digits(b, i);
        if exp_digits == 0 {
            return false;
        }
        i = next;
    }
    i == b.len()
}

/// Counts a run of ASCII digits starting at `i`, allowing single underscores between digits.
fn digits(b: &[u8], mut i: usize) -> (usize, usize) {
    let mut n = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            n += 1;
            i += 1;
        } else if b[i] == b'_' && n > 0 && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    (n, i)
}

/// Python's `str()` of a float after integral values were turned into `int`: integral values are
/// printed in full (the exact value of the double), others as the shortest round-trip repr, which
/// switches to exponent form below 1e-4.
pub(crate) fn format_float(value: f64) -> String {
    if value.fract() == 0.0 {
        return exact_integer(value);
    }
    if value.abs() < 1e-4 {
        let sci = format!("{value:e}");
        let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
        let (sign, digits) = exp.strip_prefix('-').map_or(("+", exp), |d| ("-", d));
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    format!("{value}")
}

/// The exact decimal expansion of an integral double (`1e20` → `100000000000000000000`,
/// `12345678901234567890` → `12345678901234567168`, as Python's `int(float)` prints it).
fn exact_integer(value: f64) -> String {
    if value.abs() < 9.0e15 {
        // Exactly representable and within i64; covers every realistic quantity.
        #[allow(clippy::cast_possible_truncation)]
        return format!("{}", value as i64);
    }
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32 - 1075;
    let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    // value = mantissa · 2^exponent with exponent ≥ 0 here (|value| ≥ 2^53 > 9e15).
    let mut limbs: Vec<u32> = vec![(mantissa % 1_000_000_000) as u32, (mantissa / 1_000_000_000) as u32];
    for _ in 0..exponent.max(0) {
        let mut carry = 0u64;
        for limb in &mut limbs {
            let v = u64::from(*limb) * 2 + carry;
            *limb = (v % 1_000_000_000) as u32;
            carry = v / 1_000_000_000;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    while limbs.len() > 1 && limbs.last() == Some(&0) {
        limbs.pop();
    }
    let mut out = String::from(if value < 0.0 { "-" } else { "" });
    let mut iter = limbs.iter().rev();
    if let Some(first) = iter.next() {
        out.push_str(&first.to_string());
    }
    for limb in iter {
        out.push_str(&format!("{limb:09}"));
    }
    out
}

/// A JSON scalar as hash text: strings trimmed, numbers via [`number`], booleans `true`/`false`.
///
/// Booleans: the reference tool prints Python's `True`; XML EPCIS carries `true`, and an event must
/// hash alike in both syntaxes (a stated goal of the algorithm), so the lexical XML form is used. No golden vector
/// contains a boolean.
pub(crate) fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.trim().to_owned()),
        serde_json::Value::Number(n) => {
            let text = n.to_string();
            Some(number(&text).unwrap_or(text))
        }
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The generic normalisation every hashed value goes through (after any field-specific vocabulary
/// expansion): CURIE expansion with the document's prefixes, CBV 1.x URNs → Web URIs, numbers,
/// and GS1 identifiers → constrained canonical Digital Link.
pub(crate) fn value(text: &str, ctx: &Context) -> String {
    let expanded = ctx.expand(text);
    let text = expanded.as_deref().unwrap_or(text);
    if let Some(uri) = cbv_urn_to_uri(text) {
        return uri;
    }
    if let Some(n) = number(text) {
        return n;
    }
    if is_gs1_candidate(text) {
        if let Some(dl) = qy_gs1::constrained_canonical(text) {
            return dl;
        }
    }
    text.to_owned()
}

/// `urn:epcglobal:cbv:bizstep:shipping` → `https://ref.gs1.org/cbv/BizStep-shipping` (and disp,
/// btt, sdt, er). Other CBV URNs such as `urn:epcglobal:cbv:bt:…` identify documents and stay.
pub(crate) fn cbv_urn_to_uri(text: &str) -> Option<String> {
    if !text.starts_with("urn:epcglobal:cbv:") {
        return None;
    }
    URN_VOCABULARIES.iter().find_map(|v| Some(v.uri(text.strip_prefix(v.urn_prefix?)?)))
}

/// Cheap pre-filter: only EPC URNs and web URIs can be GS1 identifiers, so other values skip the
/// Digital Link parser (most hashed values are timestamps, words and numbers).
fn is_gs1_candidate(text: &str) -> bool {
    let starts = |p: &str| text.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p));
    starts("urn:epc:") || starts("https://") || starts("http://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_go_to_utc_with_three_rounded_decimals() {
        assert_eq!(timestamp("2005-04-03T20:33:31.116000-06:00"), "2005-04-04T02:33:31.116Z");
        assert_eq!(timestamp("2019-10-21T14:45:00Z"), "2019-10-21T14:45:00.000Z");
        assert_eq!(timestamp("2023-02-02T11:04:03.1415Z"), "2023-02-02T11:04:03.142Z");
        assert_eq!(timestamp("2023-02-02T11:04:03.1414Z"), "2023-02-02T11:04:03.141Z");
        assert_eq!(timestamp("2023-02-12T11:04:03.1007Z"), "2023-02-12T11:04:03.101Z");
        assert_eq!(timestamp("2023-02-12T11:04:03.1425Z"), "2023-02-12T11:04:03.142Z");
        assert_eq!(timestamp("2023-02-12T11:04:03.14251Z"), "2023-02-12T11:04:03.143Z");
        assert_eq!(timestamp("2023-12-31T23:59:59.9996Z"), "2024-01-01T00:00:00.000Z");
        assert_eq!(timestamp("2023-03-27T11:30:00.0Z"), "2023-03-27T11:30:00.000Z");
        assert_eq!(timestamp("2022-05-03T10:00:00+08:00"), "2022-05-03T02:00:00.000Z");
        assert_eq!(timestamp(" not a time "), "not a time");
    }

    #[test]
    fn numbers_lose_trailing_zeros_and_plus() {
        assert_eq!(number("-16.0").as_deref(), Some("-16"));
        assert_eq!(number("+5").as_deref(), Some("5"));
        assert_eq!(number("0.50").as_deref(), Some("0.5"));
        assert_eq!(number("182.5").as_deref(), Some("182.5"));
        assert_eq!(number("1e3").as_deref(), Some("1000"));
        assert_eq!(number("0.00001").as_deref(), Some("1e-05"));
        assert_eq!(number("0.000012345").as_deref(), Some("1.2345e-05"));
        assert_eq!(number("1_000").as_deref(), Some("1000"));
        assert_eq!(number("-0").as_deref(), Some("0"));
        assert_eq!(number("12345678901234567890").as_deref(), Some("12345678901234567168"));
        assert_eq!(number("1e20").as_deref(), Some("100000000000000000000"));
        assert_eq!(number("23.319941").as_deref(), Some("23.319941"));
        assert_eq!(number("nan"), None);
        assert_eq!(number("+01:00"), None);
        assert_eq!(number("1_"), None);
        assert_eq!(number("."), None);
        assert_eq!(number("AB-12"), None);
    }

    #[test]
    fn cbv_urns_become_web_uris() {
        assert_eq!(
            cbv_urn_to_uri("urn:epcglobal:cbv:bizstep:shipping").as_deref(),
            Some("https://ref.gs1.org/cbv/BizStep-shipping")
        );
        assert_eq!(cbv_urn_to_uri("urn:epcglobal:cbv:bt:0614141073467:1152"), None);
    }
}
