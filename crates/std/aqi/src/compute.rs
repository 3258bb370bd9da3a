//! The AQI of a set of concentrations: indicator sets, overflow rules, primary pollutant.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::args::parse_pairs;
use crate::category::{Category, Colour};
use crate::decimal::Decimal;
use crate::error::AqiError;
use crate::pollutant::Pollutant;
use crate::standard::{Period, Standard};
use crate::table::{self, SubIndex};

use Pollutant as P;

/// HJ 633-2012 daily report: 24-h means of SO2, NO2, CO, PM10, PM2.5 + O3 daily max 1-h +
/// O3 daily max 8-h (7 indicators).
const DAILY_2012: &[Pollutant] = &[P::So2_24h, P::No2_24h, P::Co_24h, P::O3_1h, P::O3_8h, P::Pm10_24h, P::Pm25_24h];
/// HJ 633-2012 real-time report: 1-h SO2, NO2, CO, O3 + O3 8-h moving average + PM10/PM2.5 24-h
/// moving averages (the 1-h PM values are published without a sub-index).
const HOURLY_2012: &[Pollutant] = &[P::So2_1h, P::No2_1h, P::Co_1h, P::O3_1h, P::O3_8h, P::Pm10_24h, P::Pm25_24h];
/// HJ 633-2026 daily report: daily means of SO2, NO2, CO, PM10, PM2.5 + O3 daily max 8-h (6).
const DAILY_2026: &[Pollutant] = &[P::So2_24h, P::No2_24h, P::Co_24h, P::O3_8h, P::Pm10_24h, P::Pm25_24h];
/// HJ 633-2026 real-time report: 1-h means of the six (PM on the daily breakpoints).
const HOURLY_2026: &[Pollutant] = &[P::So2_1h, P::No2_1h, P::Co_1h, P::O3_1h, P::Pm10_1h, P::Pm25_1h];

/// The indicators that get a sub-index in this standard's report for this period.
#[must_use]
pub fn indicators(standard: Standard, period: Period) -> &'static [Pollutant] {
    match (standard, period) {
        (Standard::Hj633_2012, Period::Daily) => DAILY_2012,
        (Standard::Hj633_2012, Period::Hourly) => HOURLY_2012,
        (Standard::Hj633_2026, Period::Daily) => DAILY_2026,
        (Standard::Hj633_2026, Period::Hourly) => HOURLY_2026,
    }
}

/// The outcome of [`compute`]; serialises to one JSON object (the `qingyun tools aqi` output).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AqiResult {
    /// The AQI: the largest IAQI.
    pub aqi: u32,
    /// IAQI per indicator key (only indicators that got one).
    pub iaqi: BTreeMap<String, u32>,
    /// Primary pollutant(s) 首要污染物 — the indicator keys with the largest IAQI, all of them on
    /// a tie; empty when AQI ≤ 50.
    pub primary: Vec<String>,
    /// 1–6.
    pub level: u8,
    /// `优`, `良`, `轻度污染`, `中度污染`, `重度污染`, `严重污染`.
    pub category: &'static str,
    /// `Excellent` … `Severely polluted`.
    pub category_en: &'static str,
    /// The level's colour.
    pub colour: Colour,
    /// The standard used.
    pub standard: Standard,
    /// The report period used.
    pub period: Period,
    /// The concentration each IAQI was computed from (after HJ 633-2026 §4.2.2 rounding).
    pub concentrations: BTreeMap<String, Decimal>,
    /// HJ 633-2012 超标污染物: indicators with IAQI > 100. Always empty under HJ 633-2026, which
    /// dropped the definition.
    pub exceeding: Vec<String>,
    /// Indicators of this standard and period that were not given (or that an overflow rule
    /// needed and that was not given).
    pub missing: Vec<Pollutant>,
    /// Inputs that this standard and period do not use.
    pub ignored: Vec<Pollutant>,
    /// Indicators above their top breakpoint, counted as IAQI 500 (the standards leave this
    /// undefined; show "> 500" if you like).
    pub beyond_range: Vec<Pollutant>,
    /// Whether the AQI may be published. HJ 633-2026 §5.3: with an indicator missing, publish the
    /// AQI only if it is > 100, otherwise only the individual values (AQI shown as `NA`).
    /// HJ 633-2012 has no such rule: always true.
    pub publish_aqi: bool,
    /// Human-readable notes on the rules that were applied (overflow, capping, publication).
    pub notes: Vec<String>,
}

/// Compute the AQI from whatever concentrations are given (µg/m³; CO mg/m³).
///
/// Indicators not used by `standard` + `period` are returned in `ignored`; indicators of the set
/// that are absent are listed in `missing` and the AQI is the maximum over the others. Errors: no
/// input, a key given twice, a negative value, or nothing usable.
pub fn compute(standard: Standard, period: Period, inputs: &[(Pollutant, Decimal)]) -> Result<AqiResult, AqiError> {
    if inputs.is_empty() {
        return Err(AqiError::NoInput);
    }
    let mut given = BTreeMap::new();
    for &(p, c) in inputs {
        if c.is_negative() {
            return Err(AqiError::Negative { key: p.key(), value: c.to_string() });
        }
        if given.insert(p, c).is_some() {
            return Err(AqiError::Duplicate { key: p.key() });
        }
    }

    let set = indicators(standard, period);
    let mut acc = Accumulator::default();
    for &p in set {
        let Some(&c) = given.get(&p) else {
            acc.missing.insert(p);
            continue;
        };
        let sub = table::iaqi(standard, p, c)?;
        acc.record(standard, p, c, sub);
        if let SubIndex::Replaced(q) = sub {
            // HJ 633-2012: SO2 1 h > 800 → SO2 24 h (not itself in the real-time set);
            // O3 8 h > 800 → O3 1 h (always in the set, computed in its own turn).
            match given.get(&q) {
                None => {
                    acc.missing.insert(q);
                    acc.notes.push(format!("{q} not given: no {} sub-index", p.substance()));
                }
                Some(_) if set.contains(&q) => {}
                Some(&cq) => acc.record(standard, q, cq, table::iaqi(standard, q, cq)?),
            }
        }
    }

    let Some(aqi) = acc.iaqi.values().copied().max() else {
        return Err(AqiError::NoUsableIndicator {
            context: format!("{standard} {period}"),
            given: given.keys().map(|p| p.key()).collect::<Vec<_>>().join(", "),
        });
    };
    let keys_where = |f: &dyn Fn(u32) -> bool| -> Vec<String> {
        acc.iaqi.iter().filter(|(_, &v)| f(v)).map(|(p, _)| p.key().to_string()).collect()
    };
    let primary = if aqi > 50 { keys_where(&|v| v == aqi) } else { Vec::new() };
    let exceeding = match standard {
        Standard::Hj633_2012 => keys_where(&|v| v > 100),
        Standard::Hj633_2026 => Vec::new(),
    };
    let publish_aqi = match standard {
        Standard::Hj633_2012 => true,
        Standard::Hj633_2026 => acc.missing.is_empty() || aqi > 100,
    };
    if !publish_aqi {
        acc.notes.push(format!(
            "HJ 633-2026 §5.3: {} missing and AQI ≤ 100: publish the individual values only, AQI as NA",
            acc.missing.iter().map(|p| p.key()).collect::<Vec<_>>().join(", ")
        ));
    }
    let cat = Category::for_aqi(aqi);
    Ok(AqiResult {
        aqi,
        iaqi: acc.iaqi.iter().map(|(p, v)| (p.key().to_string(), *v)).collect(),
        primary,
        level: cat.level,
        category: cat.category,
        category_en: cat.category_en,
        colour: cat.colour,
        standard,
        period,
        concentrations: acc.used.iter().map(|(p, c)| (p.key().to_string(), *c)).collect(),
        exceeding,
        missing: acc.missing.into_iter().collect(),
        ignored: given.keys().filter(|p| !acc.used.contains_key(p) && !acc.seen.contains(p)).copied().collect(),
        beyond_range: acc.beyond_range,
        publish_aqi,
        notes: acc.notes,
    })
}

#[derive(Default)]
struct Accumulator {
    iaqi: BTreeMap<Pollutant, u32>,
    /// Indicators that got an IAQI, with the concentration used.
    used: BTreeMap<Pollutant, Decimal>,
    /// Indicators looked at but replaced by an overflow rule (not "ignored").
    seen: BTreeSet<Pollutant>,
    missing: BTreeSet<Pollutant>,
    beyond_range: Vec<Pollutant>,
    notes: Vec<String>,
}

impl Accumulator {
    fn record(&mut self, standard: Standard, p: Pollutant, c: Decimal, sub: SubIndex) {
        self.seen.insert(p);
        let unit = p.unit();
        let top = table::breakpoints(standard, p).and_then(|b| b.last().copied()).unwrap_or_default();
        let above = format!("{p} {c} {unit} is above {top} {unit}, the top of its table");
        match sub {
            SubIndex::Value(_) => {}
            SubIndex::Fixed(v) => self.notes.push(format!("{above}: IAQI counted as {v} ({standard})")),
            SubIndex::Capped => {
                self.beyond_range.push(p);
                self.notes.push(format!("{above}, which {standard} leaves undefined: IAQI counted as 500"));
            }
            SubIndex::Replaced(q) => {
                self.notes.push(format!("{above}: no sub-index, {} reported from {q} ({standard})", p.substance()))
            }
            SubIndex::Undefined => self.notes.push(format!("{p} has no sub-index under {standard}")),
        }
        if let Some(v) = sub.value() {
            self.iaqi.insert(p, v);
            self.used.insert(p, table::effective_concentration(standard, p, c));
        }
    }
}

/// Parse the `qingyun tools aqi` arguments (`--standard` value, `--period` value, `KEY=VALUE`…)
/// and [`compute`].
pub fn compute_from_args<S: AsRef<str>>(standard: &str, period: &str, args: &[S]) -> Result<AqiResult, AqiError> {
    let standard = Standard::parse(standard)?;
    let period = Period::parse(period)?;
    let inputs = parse_pairs(args, Pollutant::parse_key)?;
    compute(standard, period, &inputs)
}
