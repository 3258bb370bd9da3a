//! Breakpoint tables and the individual air quality index (IAQI) of one indicator.
//!
//! HJ 633-2012 Table 1 / HJ 633-2026 Table 2. Every concentration breakpoint of both versions is
//! an integer (µg/m³; CO mg/m³), so a table is a list of `i64`; index `i` of a table belongs to
//! `IAQI_LEVELS[i]`. The bands are continuous (a band's lower bound is the previous band's upper
//! bound), so a value exactly on a breakpoint gets that breakpoint's IAQI from either side.

use crate::decimal::Decimal;
use crate::error::AqiError;
use crate::pollutant::Pollutant;
use crate::standard::Standard;

/// The IAQI of each breakpoint row.
pub const IAQI_LEVELS: [u32; 8] = [0, 50, 100, 150, 200, 300, 400, 500];

/// The highest IAQI; values above the top breakpoint are counted as this (see [`SubIndex::Capped`]).
pub const IAQI_MAX: u32 = 500;

const SO2_24H: &[i64] = &[0, 50, 150, 475, 800, 1600, 2100, 2620];
/// Ends at 800 (IAQI 200); above it the overflow rule applies.
const SO2_1H: &[i64] = &[0, 150, 500, 650, 800];
const NO2_24H: &[i64] = &[0, 40, 80, 180, 280, 565, 750, 940];
const NO2_1H: &[i64] = &[0, 100, 200, 700, 1200, 2340, 3090, 3840];
const CO_24H: &[i64] = &[0, 2, 4, 14, 24, 36, 48, 60];
const CO_1H: &[i64] = &[0, 5, 10, 35, 60, 90, 120, 150];
const O3_1H: &[i64] = &[0, 160, 200, 300, 400, 800, 1000, 1200];
/// Ends at 800 (IAQI 300); above it the overflow rule applies.
const O3_8H: &[i64] = &[0, 100, 160, 215, 265, 800];
const PM10_2012: &[i64] = &[0, 50, 150, 250, 350, 420, 500, 600];
/// HJ 633-2026: IAQI 100 at 120 (= GB 3095-2026 transitional daily limit), was 150.
const PM10_2026: &[i64] = &[0, 50, 120, 250, 350, 420, 500, 600];
const PM25_2012: &[i64] = &[0, 35, 75, 115, 150, 250, 350, 500];
/// HJ 633-2026: IAQI 100 at 60 (= GB 3095-2026 transitional daily limit), was 75.
const PM25_2026: &[i64] = &[0, 35, 60, 115, 150, 250, 350, 500];

/// The concentration breakpoints (row `i` ↔ [`IAQI_LEVELS`]`[i]`) of an indicator, or `None`
/// when the standard gives it no IAQI (HJ 633-2012: 1-h PM10/PM2.5 are published without a
/// sub-index). HJ 633-2026 rates 1-h PM values on its daily breakpoints.
#[must_use]
pub fn breakpoints(standard: Standard, pollutant: Pollutant) -> Option<&'static [i64]> {
    use Pollutant as P;
    let new = standard == Standard::Hj633_2026;
    Some(match pollutant {
        P::So2_24h => SO2_24H,
        P::So2_1h => SO2_1H,
        P::No2_24h => NO2_24H,
        P::No2_1h => NO2_1H,
        P::Co_24h => CO_24H,
        P::Co_1h => CO_1H,
        P::O3_1h => O3_1H,
        P::O3_8h => O3_8H,
        P::Pm10_24h if new => PM10_2026,
        P::Pm10_24h => PM10_2012,
        P::Pm25_24h if new => PM25_2026,
        P::Pm25_24h => PM25_2012,
        P::Pm10_1h if new => PM10_2026,
        P::Pm25_1h if new => PM25_2026,
        P::Pm10_1h | P::Pm25_1h => return None,
    })
}

/// What the standard says about one indicator's concentration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubIndex {
    /// Computed from the breakpoint table, rounded up.
    Value(u32),
    /// Set by a HJ 633-2026 overflow rule: SO2 1 h > 800 µg/m³ → 200; O3 8 h > 800 µg/m³ → 300.
    Fixed(u32),
    /// Above the top breakpoint, which neither standard defines; counted as 500 (this crate's
    /// decision, reported so callers can show "> 500").
    Capped,
    /// HJ 633-2012 overflow rule: no sub-index for this value; the standard reports the
    /// substance's IAQI from the named indicator instead (SO2 1 h > 800 → SO2 24 h; O3 8 h > 800
    /// → O3 1 h).
    Replaced(Pollutant),
    /// The standard defines no sub-index for this indicator (HJ 633-2012 1-h PM10/PM2.5).
    Undefined,
}

impl SubIndex {
    /// The number counted into the AQI, if any.
    #[must_use]
    pub fn value(self) -> Option<u32> {
        match self {
            SubIndex::Value(v) | SubIndex::Fixed(v) => Some(v),
            SubIndex::Capped => Some(IAQI_MAX),
            SubIndex::Replaced(_) | SubIndex::Undefined => None,
        }
    }
}

/// The concentration the standard computes with: HJ 633-2026 §4.2.2 first rounds per GB/T 8170
/// (half to even) — CO to 0.1 mg/m³, all others to 1 µg/m³. HJ 633-2012 uses the value as given.
#[must_use]
pub fn effective_concentration(standard: Standard, pollutant: Pollutant, c: Decimal) -> Decimal {
    match standard {
        Standard::Hj633_2012 => c,
        Standard::Hj633_2026 => match pollutant {
            Pollutant::Co_1h | Pollutant::Co_24h => c.round_half_even(1),
            _ => c.round_half_even(0),
        },
    }
}

/// The IAQI of one indicator under a standard:
/// `IAQI = (IAQI_Hi − IAQI_Lo)/(BP_Hi − BP_Lo) × (C − BP_Lo) + IAQI_Lo`, computed as an exact
/// fraction and rounded up (HJ 633-2012 §6.2, HJ 633-2026 §4.2.6), after the 2026 input rounding
/// of [`effective_concentration`]. Negative concentrations are an error.
pub fn iaqi(standard: Standard, pollutant: Pollutant, c: Decimal) -> Result<SubIndex, AqiError> {
    if c.is_negative() {
        return Err(AqiError::Negative { key: pollutant.key(), value: c.to_string() });
    }
    let Some(bp) = breakpoints(standard, pollutant) else {
        return Ok(SubIndex::Undefined);
    };
    let c = effective_concentration(standard, pollutant, c);
    if let Some(v) = interpolate(bp, c) {
        return Ok(SubIndex::Value(v));
    }
    Ok(match (standard, pollutant) {
        (Standard::Hj633_2012, Pollutant::So2_1h) => SubIndex::Replaced(Pollutant::So2_24h),
        (Standard::Hj633_2012, Pollutant::O3_8h) => SubIndex::Replaced(Pollutant::O3_1h),
        (Standard::Hj633_2026, Pollutant::So2_1h) => SubIndex::Fixed(200),
        (Standard::Hj633_2026, Pollutant::O3_8h) => SubIndex::Fixed(300),
        _ => SubIndex::Capped,
    })
}

/// Exact interpolation and ceiling; `None` above the top breakpoint. `c` must be ≥ 0.
fn interpolate(bp: &[i64], c: Decimal) -> Option<u32> {
    // First band whose upper bound is ≥ c: a value on a breakpoint stays in the lower band.
    let hi = (1..bp.len()).find(|&i| c.cmp_int(bp[i]).is_le())?;
    let (bp_lo, bp_hi) = (i128::from(bp[hi - 1]), i128::from(bp[hi]));
    let (i_lo, i_hi) = (i128::from(IAQI_LEVELS[hi - 1]), i128::from(IAQI_LEVELS[hi]));
    // c = m / d, with bp_lo·d ≤ m ≤ bp_hi·d ≤ 3840·10^18: no overflow anywhere below.
    let (m, d) = c.ratio();
    let num = (i_hi - i_lo) * (m - bp_lo * d);
    let den = (bp_hi - bp_lo) * d;
    let up = (num + den - 1) / den; // ceiling; num ≥ 0, den > 0
    u32::try_from(i_lo + up).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn v(standard: Standard, p: Pollutant, c: &str) -> SubIndex {
        iaqi(standard, p, Decimal::parse(c).unwrap()).unwrap()
    }

    #[test]
    fn tables_are_strictly_increasing_from_zero() {
        for s in Standard::ALL {
            for p in Pollutant::ALL {
                if let Some(bp) = breakpoints(s, p) {
                    assert_eq!(bp[0], 0);
                    assert!(bp.windows(2).all(|w| w[0] < w[1]), "{s} {p}");
                    assert!(bp.len() <= IAQI_LEVELS.len());
                }
            }
        }
    }

    #[test]
    fn float_trap_co_2_2_is_exactly_55() {
        for s in Standard::ALL {
            assert_eq!(v(s, Pollutant::Co_24h, "2.2"), SubIndex::Value(55));
        }
    }

    #[test]
    fn zero_is_zero() {
        assert_eq!(v(Standard::Hj633_2026, Pollutant::Pm25_24h, "0"), SubIndex::Value(0));
    }
}
