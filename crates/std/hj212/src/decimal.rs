//! Exact decimal numbers as written in the CP area (HJ 212-2017 §6.3.3, Table 4 type `N`).
//!
//! `N14.2` means up to 14 integer and 2 decimal digits, signed, with a point, at most 18
//! characters. Real stations send more decimals than their declared type (`0.09055002`), so the
//! parser accepts any number of digits that fits an `i64` mantissa. Values are never turned into
//! `f64` behind the caller's back: AQI and water-class evaluation need exact arithmetic.

use std::fmt;

use serde::{Serialize, Serializer};

/// An exact decimal: `mantissa × 10^(−scale)`, e.g. `0.427` = `(427, 3)`.
///
/// Equality is structural (`1.0` ≠ `1.00`); compare [`Decimal::normalized`] values for numeric
/// equality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Decimal {
    mantissa: i64,
    scale: u32,
}

impl Decimal {
    /// Largest supported scale (an `i64` holds 18 full decimal digits).
    pub const MAX_SCALE: u32 = 18;

    /// Build from parts; `None` if `scale` exceeds [`Decimal::MAX_SCALE`].
    #[must_use]
    pub fn new(mantissa: i64, scale: u32) -> Option<Self> {
        (scale <= Self::MAX_SCALE).then_some(Self { mantissa, scale })
    }

    /// Parse `[+-]digits[.digits]` (also `.5` and `5.`). No exponent, no spaces, no thousands
    /// separators. `None` if malformed or if the digits do not fit an `i64` mantissa.
    ///
    /// ```
    /// use qy_hj212::Decimal;
    /// assert_eq!(Decimal::parse("0.427").map(Decimal::parts), Some((427, 3)));
    /// assert_eq!(Decimal::parse("-12.50").map(Decimal::parts), Some((-1250, 2)));
    /// assert_eq!(Decimal::parse("1e3"), None);
    /// ```
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        let (negative, body) = match text.as_bytes().first() {
            Some(b'-') => (true, text.get(1..)?),
            Some(b'+') => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, f),
            None => (body, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let scale = u32::try_from(frac_part.len()).ok()?;
        if scale > Self::MAX_SCALE {
            return None;
        }
        let mut m: i64 = 0;
        for b in int_part.bytes().chain(frac_part.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            let digit = i64::from(b - b'0');
            // Accumulate negatively so that i64::MIN is representable.
            m = m.checked_mul(10)?.checked_sub(digit)?;
        }
        let mantissa = if negative { m } else { m.checked_neg()? };
        Some(Self { mantissa, scale })
    }

    /// The mantissa (`427` for `0.427`).
    #[must_use]
    pub fn mantissa(self) -> i64 {
        self.mantissa
    }

    /// Digits after the point (`3` for `0.427`).
    #[must_use]
    pub fn scale(self) -> u32 {
        self.scale
    }

    /// `(mantissa, scale)`.
    #[must_use]
    pub fn parts(self) -> (i64, u32) {
        (self.mantissa, self.scale)
    }

    /// The same value without trailing fractional zeros (`13.10` → `13.1`, `0.000` → `0`).
    #[must_use]
    pub fn normalized(self) -> Self {
        let mut d = self;
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.scale -= 1;
        }
        d
    }

    /// Nearest `f64` (lossy; for display and statistics only, never for limits or AQI).
    #[must_use]
    #[allow(clippy::cast_precision_loss)]
    pub fn to_f64(self) -> f64 {
        // Lossy by design; the exact value stays available via `parts`.
        let mut v = self.mantissa as f64;
        for _ in 0..self.scale {
            v /= 10.0;
        }
        v
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        let sign = if self.mantissa < 0 { "-" } else { "" };
        let scale = usize::try_from(self.scale).unwrap_or(0);
        if scale == 0 {
            return write!(f, "{sign}{digits}");
        }
        let padded =
            if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale + 1 - digits.len())) } else { digits };
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{int_part}.{frac_part}")
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_forms() {
        let p = |s: &str| Decimal::parse(s).map(Decimal::parts);
        assert_eq!(p("92"), Some((92, 0)));
        assert_eq!(p("0.09055002"), Some((9_055_002, 8)));
        assert_eq!(p("+3"), Some((3, 0)));
        assert_eq!(p(".5"), Some((5, 1)));
        assert_eq!(p("5."), Some((5, 0)));
        assert_eq!(p("-0.000"), Some((0, 3)));
        assert_eq!(p("-9223372036854775808"), Some((i64::MIN, 0)));
        assert_eq!(p("9223372036854775808"), None);
        for bad in ["", "-", ".", "+.", "1.2.3", "1,5", " 1", "1 ", "NaN", "1e3", "١"] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        for s in ["0", "92", "0.427", "-1.05", "13.10", "0.000", "-0.5", "123456789.123456789"] {
            assert_eq!(Decimal::parse(s).map(|d| d.to_string()).as_deref(), Some(s));
        }
        assert_eq!(Decimal::parse("-0").map(|d| d.to_string()).as_deref(), Some("0"));
        assert_eq!(Decimal::parse(".5").map(|d| d.to_string()).as_deref(), Some("0.5"));
        assert_eq!(Decimal::new(i64::MIN, 18).map(|d| d.to_string()).as_deref(), Some("-9.223372036854775808"));
    }

    #[test]
    fn normalized_and_f64() {
        let d = Decimal::parse("13.10").unwrap();
        assert_eq!(d.normalized().parts(), (131, 1));
        assert!((d.to_f64() - 13.1).abs() < 1e-12);
        assert_eq!(Decimal::new(1, 19), None);
    }
}
