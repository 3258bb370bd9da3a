//! China's air quality index (HJ 633-2012 and HJ 633-2026) and surface-water quality classes
//! (GB 3838-2002), computed in exact decimal arithmetic.
//!
//! | what | standard | module |
//! | ---- | -------- | ------ |
//! | [`Standard`], [`Standard::for_time`] — which AQI regulation applies when | HJ 633-2012 until 2026-02-28, HJ 633-2026 from 2026-03-01 (UTC+8) | [`standard`] |
//! | breakpoint tables, one indicator's [`iaqi`] | HJ 633-2012 Table 1 / HJ 633-2026 Table 2 | [`table`] |
//! | [`compute()`] the AQI, primary pollutant, category and colour | HJ 633 §4–6 | [`compute`](mod@compute), [`category`] |
//! | [`water::classify`] a section's class I–V / 劣V | GB 3838-2002 Table 1, single-factor method | [`water`] |
//!
//! Concentrations are [`Decimal`]s (integer mantissa + scale) parsed from their text; IAQIs are
//! exact fractions rounded up, so there are no float off-by-ones (CO 24 h = 2.2 mg/m³ is IAQI 55,
//! not 56). Nothing here does I/O or panics on any input. Errors are [`AqiError`] with a stable
//! [`AqiError::code`].
//!
//! ```
//! use qy_aqi::{compute_from_args, Period, Standard};
//!
//! let args = ["pm10_24h=150", "pm25_24h=75", "so2_24h=8"];
//! let old = compute_from_args("hj633-2012", "daily", &args).unwrap();
//! assert_eq!((old.aqi, old.category), (100, "良"));
//! assert_eq!(old.primary, ["pm10_24h", "pm25_24h"]);
//!
//! let new = compute_from_args("hj633-2026", "daily", &args).unwrap();
//! assert_eq!((new.aqi, new.category), (114, "轻度污染"));
//! assert_eq!(Standard::for_time(1_772_294_400_000), Standard::Hj633_2026);
//!
//! let w = qy_aqi::water::classify_from_args("lake", &["tp=0.12", "do=6.2"]).unwrap();
//! assert_eq!(w.class_label, "V");
//! ```

mod args;
pub mod category;
pub mod compute;
pub mod decimal;
pub mod error;
pub mod pollutant;
pub mod standard;
pub mod table;
pub mod water;

pub use category::{Category, Colour, CATEGORIES};
pub use compute::{compute, compute_from_args, indicators, AqiResult};
pub use decimal::Decimal;
pub use error::AqiError;
pub use pollutant::Pollutant;
pub use standard::{Period, Standard, HJ633_2026_IN_FORCE_MS};
pub use table::{breakpoints, iaqi, SubIndex};
pub use water::{classify, classify_from_args, WaterBody, WaterItem, WaterResult};
