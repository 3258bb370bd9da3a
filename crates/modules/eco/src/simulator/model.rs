//! The deterministic value model: Beijing civil time, hash-based smooth noise, weather, and the
//! air and surface-water factor values of one station at one instant.

use std::f64::consts::TAU;

use serde::Serialize;

use super::stations::{county, SimKind, SimStation};

/// Beijing time is UTC+8 all year (no daylight saving).
pub(crate) const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;
const DAY_MS: i64 = 86_400_000;
const YEAR_DAYS: f64 = 365.2425;

// ---------------------------------------------------------------------------------------------
// Hashing and noise

/// SplitMix64 finaliser: a well-mixed 64-bit hash of `z`.
pub(crate) fn mix(z: u64) -> u64 {
    let mut z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn hash(a: u64, b: u64, c: u64) -> u64 {
    mix(mix(mix(a) ^ b) ^ c)
}

/// Uniform in `[0, 1)`.
fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Uniform in `[-1, 1)`.
fn signed(h: u64) -> f64 {
    unit(h) * 2.0 - 1.0
}

/// Smooth noise in `[-1, 1]`: random knots every `period` hours, cosine-interpolated.
fn smooth(seed: u64, key: u64, hours: f64, period: f64) -> f64 {
    let x = hours / period;
    let i = x.floor();
    let f = x - i;
    let k = i as i64;
    let a = signed(hash(seed, key, k as u64));
    let b = signed(hash(seed, key, (k + 1) as u64));
    let w = (1.0 - (f * std::f64::consts::PI).cos()) / 2.0;
    a + (b - a) * w
}

/// Per-second white noise: `1 ± amplitude`.
fn jitter(seed: u64, key: u64, at_ms: i64, amplitude: f64) -> f64 {
    1.0 + amplitude * signed(hash(seed, key, at_ms.div_euclid(1000) as u64))
}

/// Gaussian bump of the hour of day, 1 at `center`, width `sigma` hours (wraps at midnight).
fn bell(hour: f64, center: f64, sigma: f64) -> f64 {
    let d = (hour - center + 12.0).rem_euclid(24.0) - 12.0;
    (-(d / sigma).powi(2)).exp()
}

/// Gaussian bump of the day of year (wraps at new year).
fn season_bell(doy: f64, center: f64, sigma: f64) -> f64 {
    let d = (doy - center + YEAR_DAYS / 2.0).rem_euclid(YEAR_DAYS) - YEAR_DAYS / 2.0;
    (-(d / sigma).powi(2)).exp()
}

/// Annual cycle in `[-1, 1]`, 1 on day-of-year `peak`.
fn annual(doy: f64, peak: f64) -> f64 {
    (TAU * (doy - peak) / YEAR_DAYS).cos()
}

// ---------------------------------------------------------------------------------------------
// Beijing time

/// Beijing civil time of an instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Local {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// Days since 1 January, fractional (0 at midnight on 1 January).
    pub day_of_year: f64,
    /// Hours since midnight, fractional.
    pub hour_of_day: f64,
    /// Days since 1970-01-01 (Beijing dates).
    pub day_number: i64,
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m as u32, d as u32)
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Beijing civil time of `at_ms` (milliseconds since the Unix epoch).
pub(crate) fn local(at_ms: i64) -> Local {
    let ms = at_ms.saturating_add(BEIJING_OFFSET_MS);
    let day_number = ms.div_euclid(DAY_MS);
    let rem = ms.rem_euclid(DAY_MS);
    let (year, month, day) = civil_from_days(day_number);
    let jan1 = days_from_civil(year, 1, 1);
    let secs = rem / 1000;
    Local {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs / 60 % 60) as u32,
        second: (secs % 60) as u32,
        millis: (rem % 1000) as u32,
        day_of_year: (day_number - jan1) as f64 + rem as f64 / DAY_MS as f64,
        hour_of_day: rem as f64 / 3_600_000.0,
        day_number,
    }
}

/// Milliseconds since the Unix epoch of a Beijing (UTC+8) civil time; no calendar validation
/// (out-of-range fields roll over).
#[must_use]
pub fn beijing_ms(year: i32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> i64 {
    let days = days_from_civil(i64::from(year), month, day);
    days * DAY_MS + (i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)) * 1000 - BEIJING_OFFSET_MS
}

// ---------------------------------------------------------------------------------------------
// Factors

/// A factor a simulated station reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SimFactor {
    /// HJ 212-2017 factor code.
    pub code: &'static str,
    /// Unit of the values sent.
    pub unit: &'static str,
    /// Decimal places sent.
    pub decimals: usize,
}

const fn f(code: &'static str, unit: &'static str, decimals: usize) -> SimFactor {
    SimFactor { code, unit, decimals }
}

/// Air station factors: SO2, NO2, CO, O3, PM10, PM2.5, temperature, humidity.
pub const AIR_FACTORS: [SimFactor; 8] = [
    f("a21026", "µg/m³", 0),
    f("a21004", "µg/m³", 0),
    f("a21005", "mg/m³", 3),
    f("a05024", "µg/m³", 0),
    f("a34002", "µg/m³", 0),
    f("a34004", "µg/m³", 0),
    f("a01001", "°C", 1),
    f("a01002", "%", 0),
];

/// Surface-water station factors: pH, DO, water temperature, COD_Mn, NH3-N, TP.
pub const WATER_FACTORS: [SimFactor; 6] = [
    f("w01001", "dimensionless", 2),
    f("w01009", "mg/L", 2),
    f("w01010", "°C", 1),
    f("w01019", "mg/L", 2),
    f("w21003", "mg/L", 3),
    f("w21011", "mg/L", 3),
];

impl SimKind {
    /// The factors a station of this kind reports, in packet order.
    #[must_use]
    pub fn factors(self) -> &'static [SimFactor] {
        match self {
            Self::Air => &AIR_FACTORS,
            Self::SurfaceWater => &WATER_FACTORS,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Station profile

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WaterBody {
    /// 湟水 and its Xining tributaries (南川河, 北川河).
    Huangshui,
    /// 黄河 main stem below the source region.
    YellowRiver,
    /// Pristine Three-Rivers-Source headwaters (通天河, 黄河源, 澜沧江, …).
    Source,
    /// 青海湖 and its inflows (alkaline).
    Lake,
    /// Other clean tributaries and inland rivers.
    Tributary,
}

#[derive(Debug, Clone, Copy)]
struct Profile {
    altitude: f64,
    /// 0 remote … 1 central Xining: traffic and heating emissions.
    urban: f64,
    /// 0 … 1 (Qaidam basin): exposure to spring dust events.
    dust: f64,
    /// Mean relative humidity, %.
    humidity: f64,
    water: WaterBody,
    /// On the 湟水 below Xining's wastewater outfalls.
    downstream: bool,
    /// Shared by stations of one prefecture: weather systems and dust events.
    region_seed: u64,
}

fn profile(s: &SimStation) -> Profile {
    let code = s.region_code.as_str();
    let pref = code.get(..4).unwrap_or("");
    let altitude = county(code).map_or(3000.0, |c| c.alt);
    let urban = match code {
        "630102" | "630103" | "630104" | "630105" => 1.0,
        "630202" | "630203" | "632801" => 0.6,
        "630106" => 0.55,
        "630121" | "630123" | "632802" => 0.45,
        "632701" => 0.25,
        "632621" => 0.15,
        _ => match pref {
            "6302" => 0.35,
            "6326" | "6327" => 0.1,
            _ => 0.3,
        },
    };
    let dust = match pref {
        "6328" => 1.0,
        "6325" => 0.45,
        "6301" | "6302" | "6322" => 0.3,
        "6326" | "6327" => match code {
            "632626" | "632724" | "632726" => 0.35,
            _ => 0.15,
        },
        _ => 0.2,
    };
    let humidity = match pref {
        "6328" => 32.0,
        "6326" | "6327" | "6323" => 58.0,
        _ => 52.0,
    };
    let name = s.name.as_str();
    let has = |keys: &[&str]| keys.iter().any(|k| name.contains(k));
    let water = if has(&["青海湖"]) {
        WaterBody::Lake
    } else if has(&["湟水", "南川河", "北川河"]) {
        WaterBody::Huangshui
    } else if has(&["黄河源", "通天河", "长江", "澜沧江", "玛可河", "巴塘河"]) {
        WaterBody::Source
    } else if has(&["黄河"]) {
        WaterBody::YellowRiver
    } else {
        WaterBody::Tributary
    };
    let downstream = water == WaterBody::Huangshui && (s.longitude > 101.85 || name.contains("南川河"));
    let region_seed = mix(pref.parse::<u64>().unwrap_or(0) ^ 0x5245_4749_4F4E);
    Profile { altitude, urban, dust, humidity, water, downstream, region_seed }
}

// ---------------------------------------------------------------------------------------------
// Weather

/// The weather at a station: drives the air-quality and water-temperature models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Weather {
    /// Air temperature, °C (altitude, latitude, season, diurnal cycle peaking ~16:00).
    pub temperature: f64,
    /// Relative humidity, %.
    pub humidity: f64,
    /// Heating-season weight 0–1: 1 in mid-January, 0 from mid-April to mid-October.
    pub heating: f64,
    /// Dust-event intensity 0–1 (spring afternoons, mostly in the Qaidam basin).
    pub dust: f64,
    /// Photochemistry weight 0–1, peaking at 15:00 Beijing time.
    pub sunshine: f64,
    /// Boundary-layer stagnation factor: about 1.3 at dawn, 0.7 in the afternoon.
    pub stagnation: f64,
}

/// The weather at `station` at `at_ms` (milliseconds since the Unix epoch); deterministic.
#[must_use]
pub fn weather(station: &SimStation, at_ms: i64) -> Weather {
    weather_at(station, &profile(station), &local(at_ms), at_ms)
}

fn weather_at(s: &SimStation, p: &Profile, t: &Local, at_ms: i64) -> Weather {
    let hours = at_ms as f64 / 3_600_000.0;
    let (h, doy) = (t.hour_of_day, t.day_of_year);
    let dry = p.dust >= 1.0;

    let mean = 6.0 - 0.005 * (p.altitude - 2260.0) + (36.6 - s.latitude);
    let amplitude = if dry { 13.0 } else { 12.0 };
    let diurnal = if dry { 7.5 } else { 6.5 };
    let temperature = mean - amplitude * annual(doy, 15.0)
        + diurnal * (TAU * (h - 16.0) / 24.0).cos()
        + 2.5 * smooth(p.region_seed, 1, hours, 48.0)
        + 0.8 * smooth(s.seed, 2, hours, 5.0);

    let heating = annual(doy, 15.0).max(0.0).powf(0.6);

    // Dust events: a per-prefecture daily draw, likelier in spring (Mar–May) and in the Qaidam.
    let spring = season_bell(doy, 100.0, 32.0);
    let chance = p.dust * (0.03 + 0.22 * spring);
    let day = t.day_number as u64;
    let dust = if unit(hash(p.region_seed, 0xD057, day)) < chance {
        // Off-season events are weaker (blowing dust rather than spring sandstorms).
        (0.5 + 0.5 * unit(hash(p.region_seed, 0xD058, day))) * (0.3 + 0.7 * spring) * bell(h, 15.5, 4.0)
    } else {
        0.0
    };

    let humidity = (p.humidity + 10.0 * annual(doy, 210.0) - 16.0 * (TAU * (h - 16.0) / 24.0).cos()
        + 8.0 * smooth(p.region_seed, 3, hours, 36.0)
        - 15.0 * dust)
        .clamp(5.0, 98.0);

    Weather {
        temperature,
        humidity,
        heating,
        dust,
        sunshine: bell(h, 15.0, 3.2),
        stagnation: 1.0 + 0.3 * (TAU * (h - 7.0) / 24.0).cos(),
    }
}

// ---------------------------------------------------------------------------------------------
// Values

/// Raw (unrounded) values in [`SimKind::factors`] order.
pub(crate) fn raw_values(s: &SimStation, at_ms: i64) -> Vec<f64> {
    let p = profile(s);
    let t = local(at_ms);
    let w = weather_at(s, &p, &t, at_ms);
    match s.kind {
        SimKind::Air => air(s, &p, &t, &w, at_ms).to_vec(),
        SimKind::SurfaceWater => water(s, &p, &t, &w, at_ms).to_vec(),
    }
}

fn air(s: &SimStation, p: &Profile, t: &Local, w: &Weather, at_ms: i64) -> [f64; 8] {
    let hours = at_ms as f64 / 3_600_000.0;
    let (h, doy) = (t.hour_of_day, t.day_of_year);
    let u = p.urban;
    let heat = w.heating;
    // Synoptic weather (shared by the prefecture) and local variation.
    let syn = (0.40 * smooth(p.region_seed, 21, hours, 60.0) + 0.15 * smooth(s.seed, 22, hours, 7.0)).exp();
    let rush = bell(h, 8.5, 1.3) + 0.9 * bell(h, 19.0, 1.8);

    // Particulates: heating-season combustion, stagnant nights, spring dust.
    let pm25_base = (8.0 + 17.0 * u) * (1.0 + 1.1 * heat * (0.4 + 0.6 * u)) * w.stagnation * syn;
    let fine_ratio = 0.42 + 0.15 * heat;
    let dust_pm10 = w.dust * 520.0 * p.dust.max(0.3);
    let spring_wind = 1.0 + 0.35 * season_bell(doy, 100.0, 32.0) * p.dust;
    let pm10 = ((pm25_base / fine_ratio) * spring_wind + dust_pm10) * jitter(s.seed, 23, at_ms, 0.05);
    let pm25 = ((pm25_base + 0.18 * dust_pm10) * jitter(s.seed, 24, at_ms, 0.05)).min(pm10);

    let so2 =
        ((2.5 + 7.5 * u) * (1.0 + 1.3 * heat) * w.stagnation.sqrt() * syn * jitter(s.seed, 25, at_ms, 0.08)).max(2.0);
    let no2 = ((4.0 + 28.0 * u)
        * (0.75 + 0.4 * heat)
        * (1.0 + 0.6 * u * rush)
        * w.stagnation
        * syn.sqrt()
        * jitter(s.seed, 26, at_ms, 0.06))
    .max(2.0);
    let co = ((0.22 + 0.40 * u)
        * (1.0 + 0.9 * heat)
        * (1.0 + 0.35 * u * rush)
        * w.stagnation.sqrt()
        * syn.sqrt()
        * jitter(s.seed, 27, at_ms, 0.04))
    .max(0.1);

    // Ozone: high plateau background peaking in late spring/early summer, afternoon
    // photochemistry, night-time titration by NO in towns.
    let o3_season = 0.5 + 0.5 * annual(doy, 155.0);
    let background = 45.0 + 40.0 * o3_season + 15.0 * (1.0 - u);
    let photo = (20.0 + 60.0 * o3_season) * w.sunshine;
    let titration = 1.0 - 0.45 * u * (1.0 - w.sunshine) - 0.1 * u * rush;
    let o3 = ((background * titration + photo)
        * (0.18 * smooth(p.region_seed, 28, hours, 48.0)).exp()
        * jitter(s.seed, 29, at_ms, 0.03))
    .max(2.0);

    [so2, no2, co, o3, pm10, pm25, w.temperature, w.humidity]
}

fn water(s: &SimStation, p: &Profile, t: &Local, w: &Weather, at_ms: i64) -> [f64; 6] {
    let hours = at_ms as f64 / 3_600_000.0;
    let (h, doy) = (t.hour_of_day, t.day_of_year);
    let flood = season_bell(doy, 205.0, 28.0); // summer flood, Jul–Aug
    let melt = season_bell(doy, 90.0, 18.0); // ice break-up, late Mar–Apr
    let low_flow = annual(doy, 20.0).max(0.0); // winter low flow, Dec–Feb
    let down = p.downstream;
    let noise = |key: u64, period: f64| smooth(s.seed, key, hours, period);

    // Water temperature: near 0 under winter ice (warmer below Xining's outfalls), summer peak
    // falling with altitude, lagging the air by ~2 weeks.
    let summer_peak = 19.0 - 0.0045 * (p.altitude - 2000.0);
    let winter = if down { 3.0 } else { 0.3 };
    let season = 0.5 - 0.5 * annual(doy, 30.0);
    let wt = (winter
        + (summer_peak - winter) * season
        + (0.4 + 0.6 * season) * (TAU * (h - 17.0) / 24.0).cos()
        + 0.05 * (w.temperature - 5.0).clamp(-10.0, 10.0)
        + 0.6 * noise(31, 36.0))
    .max(0.0);

    // Dissolved oxygen: saturation at temperature and altitude times a saturation fraction.
    let sat = (14.62 - 0.3898 * wt + 0.006969 * wt * wt - 0.000_058_97 * wt * wt * wt) * (-p.altitude / 8434.0).exp();
    let base_fraction = match p.water {
        WaterBody::Huangshui if down => 0.80 - 0.05 * low_flow,
        WaterBody::Huangshui => 0.92,
        WaterBody::Lake => 0.98,
        _ => 0.95,
    };
    let fraction = base_fraction + 0.06 * bell(h, 15.0, 3.5) - 0.05 * bell(h, 5.0, 3.0) + 0.03 * noise(32, 24.0);
    let dissolved_oxygen = sat * fraction;

    let ph_base = match p.water {
        WaterBody::Huangshui if down => 8.0,
        WaterBody::Huangshui | WaterBody::Tributary => 8.15,
        WaterBody::YellowRiver => 8.2,
        WaterBody::Source => 8.3,
        WaterBody::Lake => 8.6,
    };
    // pH: alkaline plateau waters; a per-station offset, summer dilution, afternoon photosynthesis.
    let ph = ph_base + 0.08 * signed(hash(s.seed, 37, 0)) - 0.12 * flood
        + 0.10 * bell(h, 15.0, 4.0)
        + 0.08 * noise(33, 30.0)
        + 0.01 * signed(hash(s.seed, 41, at_ms.div_euclid(1000) as u64));

    let (cod_base, nh3_base, tp_base, tp_flood) = match p.water {
        WaterBody::Huangshui if down => (3.8, 0.45, 0.085, 1.5),
        WaterBody::Huangshui => (2.4, 0.25, 0.06, 1.5),
        WaterBody::YellowRiver => (2.0, 0.12, 0.04, 3.0),
        WaterBody::Source => (1.6, 0.06, 0.03, 2.0),
        WaterBody::Lake => (2.2, 0.05, 0.015, 0.8),
        WaterBody::Tributary => (1.8, 0.08, 0.03, 1.5),
    };
    let cod_mn =
        cod_base * (1.0 + 0.6 * flood + 0.3 * melt) * (0.22 * noise(34, 40.0)).exp() * jitter(s.seed, 38, at_ms, 0.03);
    let nh3_low_flow = if down { 0.9 } else { 0.3 };
    let nh3 = nh3_base
        * (1.0 + nh3_low_flow * low_flow)
        * (1.0 - 0.25 * flood)
        * (0.3 * noise(35, 30.0)).exp()
        * jitter(s.seed, 39, at_ms, 0.03);
    let tp = tp_base
        * (1.0 + tp_flood * flood + 0.5 * melt)
        * (0.3 * noise(36, 30.0)).exp()
        * jitter(s.seed, 40, at_ms, 0.03);

    [ph, dissolved_oxygen, wt, cod_mn, nh3, tp]
}

/// The data flag of factor number `factor` at `at_ms`: `N`, except in ~1 % of a station's
/// 10-minute slots, where one factor (drawn per slot) is flagged maintenance `M`, fault `D`,
/// calibration `C` or logger↔instrument communication `B`.
pub(crate) fn data_flag(s: &SimStation, factor: usize, at_ms: i64) -> &'static str {
    let slot = at_ms.div_euclid(600_000) as u64;
    let u = unit(hash(s.seed, 0xF1A6, slot));
    if u >= 0.01 {
        return "N";
    }
    let n = s.kind.factors().len().max(1) as u64;
    let h = hash(s.seed, 0xF1A7, slot);
    if (h % n) as usize != factor {
        return "N";
    }
    match (h >> 32) % 20 {
        0..=6 => "M",
        7..=11 => "D",
        12..=16 => "C",
        _ => "B",
    }
}

/// `v` with `decimals` places, without a sign on zero.
pub(crate) fn decimal_text(v: f64, decimals: usize) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let text = format!("{v:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    }
}

/// The station's values at `at_ms` (milliseconds since the Unix epoch), in
/// [`SimKind::factors`] order: (factor code, decimal text, data flag). Deterministic in
/// `(station, at_ms)`.
#[must_use]
pub fn readings(station: &SimStation, at_ms: i64) -> Vec<(&'static str, String, &'static str)> {
    let values = raw_values(station, at_ms);
    station
        .kind
        .factors()
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (f, v))| (f.code, decimal_text(v, f.decimals), data_flag(station, i, at_ms)))
        .collect()
}
