//! Exact decimal numbers: an `i64` mantissa and a power-of-ten scale.
//!
//! Concentrations are written in decimal, and the AQI's ceiling turns any binary-float error
//! into an off-by-one (CO 24 h = 2.2 mg/m³ is exactly IAQI 55; `f64` gives 55.000…01 → 56). So
//! values are parsed from their text into `mantissa / 10^scale` and every comparison and
//! division below is done on integers (`i128`, which holds `i64::MAX · 10^18` with room to spare).

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::error::AqiError;

/// Most decimal places a [`Decimal`] keeps (after dropping trailing zeros).
pub const MAX_SCALE: u32 = 18;

/// `10^n` for `n` in `0..=MAX_SCALE`.
const fn pow10(n: u32) -> i128 {
    let mut p: i128 = 1;
    let mut i = 0;
    while i < n {
        p *= 10;
        i += 1;
    }
    p
}

const PARSE_HINT: &str = "expected a plain decimal like 12 or 0.35";

/// An exact decimal `mantissa × 10^−scale`, always normalised (no trailing zeros in the
/// fraction, zero has scale 0), so the derived `Eq`/`Hash` compare values. `Ord` compares values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i64,
    scale: u32,
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal { mantissa: 0, scale: 0 };

    /// `mantissa × 10^−scale`. Fails if `scale > MAX_SCALE`.
    pub fn new(mantissa: i64, scale: u32) -> Result<Decimal, AqiError> {
        if scale > MAX_SCALE {
            return Err(AqiError::InvalidNumber {
                input: format!("{mantissa}e-{scale}"),
                reason: "more than 18 decimal places",
            });
        }
        Ok(Self::normalised(mantissa, scale))
    }

    /// Test shorthand; `scale` must be ≤ `MAX_SCALE`.
    #[cfg(test)]
    pub(crate) const fn lit(mantissa: i64, scale: u32) -> Decimal {
        Decimal { mantissa, scale }
    }

    /// Compile-time literal for this crate's tables: plain non-negative decimal text, at most
    /// 18 significant digits and 18 places. Only ever evaluated in `const` items, so a bad
    /// literal is a build error, never a run-time panic.
    pub(crate) const fn dec(text: &str) -> Decimal {
        let b = text.as_bytes();
        let mut mantissa: i64 = 0;
        let mut scale: u32 = 0;
        let mut after_point = false;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'.' if !after_point => after_point = true,
                c @ b'0'..=b'9' => {
                    mantissa = mantissa * 10 + (c - b'0') as i64;
                    if after_point {
                        scale += 1;
                    }
                }
                _ => panic!("bad decimal literal"),
            }
            i += 1;
        }
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        assert!(scale <= MAX_SCALE, "too many decimal places");
        Decimal { mantissa, scale }
    }

    fn normalised(mut mantissa: i64, mut scale: u32) -> Decimal {
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10;
            scale -= 1;
        }
        if mantissa == 0 {
            scale = 0;
        }
        Decimal { mantissa, scale }
    }

    /// The integer mantissa (normalised).
    #[must_use]
    pub fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// The number of decimal places (normalised).
    #[must_use]
    pub fn scale(self) -> u32 {
        self.scale
    }

    /// True when below zero.
    #[must_use]
    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// Parse plain decimal text: optional sign, digits, optional `.` and digits (`12`, `0.35`,
    /// `-1`, `.5`, `7.`). Surrounding whitespace is ignored. No exponents, no thousands
    /// separators. Trailing fraction zeros are dropped before the 18-place limit applies.
    pub fn parse(text: &str) -> Result<Decimal, AqiError> {
        let bad = |reason: &'static str| AqiError::InvalidNumber { input: text.to_string(), reason };
        let s = text.trim();
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return Err(bad(PARSE_HINT));
        }
        if !int_part.bytes().chain(frac_part.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(bad(PARSE_HINT));
        }
        let frac = frac_part.trim_end_matches('0');
        let scale = u32::try_from(frac.len()).map_err(|_| bad("more than 18 decimal places"))?;
        if scale > MAX_SCALE {
            return Err(bad("more than 18 decimal places"));
        }
        let mut magnitude: i128 = 0;
        for b in int_part.trim_start_matches('0').bytes().chain(frac.bytes()) {
            magnitude = magnitude * 10 + i128::from(b - b'0');
            if magnitude > i128::from(i64::MAX) {
                return Err(bad("out of range (more than 18 significant digits)"));
            }
        }
        let signed = if negative { -magnitude } else { magnitude };
        let mantissa = i64::try_from(signed).map_err(|_| bad("out of range (more than 18 significant digits)"))?;
        Ok(Self::normalised(mantissa, scale))
    }

    /// Convenience at the edges only: the decimal that `f64`'s shortest round-trip text shows
    /// (`2.2_f64` → `2.2`, not the binary value 2.2000000000000001776…). Fails on NaN, infinities
    /// and values out of range. Nothing in this crate computes with floats.
    pub fn from_f64(value: f64) -> Result<Decimal, AqiError> {
        if !value.is_finite() {
            return Err(AqiError::InvalidNumber { input: value.to_string(), reason: "not a finite number" });
        }
        Decimal::parse(&value.to_string())
    }

    /// Round to `places` decimal places, half to even on the exact value (GB/T 8170-2008
    /// "四舍六入五成双": a discarded part above one half rounds up, below rounds down, exactly
    /// one half goes to the even neighbour).
    #[must_use]
    pub fn round_half_even(self, places: u32) -> Decimal {
        if self.scale <= places {
            return self;
        }
        let d = pow10(self.scale - places);
        let m = i128::from(self.mantissa);
        let mut q = m / d;
        let r = (m % d).abs() * 2;
        if r > d || (r == d && q % 2 != 0) {
            q += m.signum();
        }
        // |q| ≤ |m| / 10 + 1, so it always fits.
        Self::normalised(i64::try_from(q).unwrap_or(0), places)
    }

    /// `(mantissa, 10^scale)` as `i128`: the value is their quotient.
    pub(crate) fn ratio(self) -> (i128, i128) {
        (i128::from(self.mantissa), pow10(self.scale))
    }

    /// Compare with an integer.
    pub(crate) fn cmp_int(self, n: i64) -> Ordering {
        let (m, d) = self.ratio();
        m.cmp(&(i128::from(n) * d))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        let (a, da) = self.ratio();
        let (b, db) = other.ratio();
        // |a|, |b| < 2^63 and da, db ≤ 10^18 < 2^60: the products stay below 2^123.
        (a * db).cmp(&(b * da))
    }
}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl From<i64> for Decimal {
    fn from(v: i64) -> Self {
        Decimal { mantissa: v, scale: 0 }
    }
}

impl From<u32> for Decimal {
    fn from(v: u32) -> Self {
        Decimal { mantissa: i64::from(v), scale: 0 }
    }
}

impl FromStr for Decimal {
    type Err = AqiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::parse(s)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let digits = self.mantissa.unsigned_abs().to_string();
        let scale = usize::try_from(self.scale).unwrap_or(0);
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded = format!("{digits:0>width$}", width = scale + 1);
        let (int, frac) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int}.{frac}")
    }
}

/// Serialised as a JSON string (`"0.35"`), which keeps the value exact.
impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts a string (exact) or a number (integers exactly; floats through [`Decimal::from_f64`]).
impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Decimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a decimal number or a string holding one")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Decimal, E> {
                Decimal::parse(v).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Decimal, E> {
                Ok(Decimal::from(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Decimal, E> {
                i64::try_from(v).map(Decimal::from).map_err(|_| E::custom("number out of range"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Decimal, E> {
                Decimal::from_f64(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(V)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn parses_plain_decimals_and_normalises() {
        assert_eq!(d("12"), Decimal::lit(12, 0));
        assert_eq!(d(" 0.350 "), Decimal::lit(35, 2));
        assert_eq!(d("-1.5"), Decimal::lit(-15, 1));
        assert_eq!(d("+7."), Decimal::lit(7, 0));
        assert_eq!(d(".5"), Decimal::lit(5, 1));
        assert_eq!(d("-0.000"), Decimal::ZERO);
        assert_eq!(d("000120.00"), Decimal::lit(120, 0));
        assert_eq!(d("0.00005"), Decimal::lit(5, 5));
        assert_eq!(d("9223372036854775807"), Decimal::lit(i64::MAX, 0));
        assert_eq!(d("0.100000000000000000000000"), Decimal::lit(1, 1));
    }

    #[test]
    fn rejects_other_text() {
        for bad in ["", " ", "-", ".", "1.2.3", "1e3", "1,5", "abc", "１２", "0x10", "--1", "1 2", "NaN"] {
            let e = Decimal::parse(bad).unwrap_err();
            assert_eq!(e.code(), "invalid_number", "{bad:?}");
        }
        assert!(Decimal::parse("9223372036854775808").is_err());
        assert!(Decimal::parse("0.0000000000000000001").is_err());
        assert!(Decimal::new(1, 19).is_err());
    }

    #[test]
    fn const_literals_normalise() {
        const A: Decimal = Decimal::dec("1.0");
        const B: Decimal = Decimal::dec("0.00005");
        const C: Decimal = Decimal::dec("7.5");
        assert_eq!((A, B, C), (d("1"), d("0.00005"), d("7.5")));
    }

    #[test]
    fn orders_by_value() {
        assert!(d("1.10") == d("1.1"));
        assert!(d("0.15") < d("0.5"));
        assert!(d("-2") < d("0.001"));
        assert_eq!(d("2").cmp_int(2), Ordering::Equal);
        assert_eq!(d("2.0000001").cmp_int(2), Ordering::Greater);
        assert!(Decimal::lit(i64::MAX, 0) > Decimal::lit(i64::MAX, 18));
    }

    #[test]
    fn displays_exactly() {
        for s in ["0", "12", "0.35", "-0.05", "0.00005", "-9223372036854775808", "1.000000000000000001"] {
            assert_eq!(Decimal::parse(s).map(|v| v.to_string()).unwrap_or_else(|_| s.to_string()), s);
        }
        assert_eq!(Decimal::lit(i64::MIN, 18).to_string(), "-9.223372036854775808");
    }

    #[test]
    fn rounds_half_even_per_gb_t_8170() {
        let r = |s: &str, p: u32| d(s).round_half_even(p).to_string();
        assert_eq!(r("60.5", 0), "60");
        assert_eq!(r("61.5", 0), "62");
        assert_eq!(r("60.50001", 0), "61");
        assert_eq!(r("60.49999", 0), "60");
        assert_eq!(r("2.25", 1), "2.2");
        assert_eq!(r("2.35", 1), "2.4");
        assert_eq!(r("2.2501", 1), "2.3");
        assert_eq!(r("-2.5", 0), "-2");
        assert_eq!(r("-3.5", 0), "-4");
        assert_eq!(r("7", 0), "7");
        assert_eq!(Decimal::lit(i64::MAX, 18).round_half_even(0).to_string(), "9");
    }

    #[test]
    fn f64_edge_uses_shortest_text() {
        assert_eq!(Decimal::from_f64(2.2).unwrap(), d("2.2"));
        assert_eq!(Decimal::from_f64(0.1 + 0.2).unwrap(), d("0.30000000000000004"));
        assert!(Decimal::from_f64(f64::NAN).is_err());
        assert!(Decimal::from_f64(1e30).is_err());
    }

    #[test]
    fn serde_round_trip() {
        let v: Decimal = serde_json::from_str("\"0.35\"").unwrap();
        assert_eq!(v, d("0.35"));
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"0.35\"");
        let n: Decimal = serde_json::from_str("2.2").unwrap();
        assert_eq!(n, d("2.2"));
        let i: Decimal = serde_json::from_str("120").unwrap();
        assert_eq!(i, d("120"));
    }
}
