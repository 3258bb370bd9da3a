//! Daily statistics from hourly values, the daily AQI per air station, and the prefecture
//! (city) AQI.
//!
//! Validity follows GB 3095-2012 §8.2: a daily mean needs at least 20 valid hourly values; an
//! 8-hour ozone average needs at least 6 valid hours; the daily maximum 8-hour average needs
//! at least 14 valid 8-hour averages. Only `N`-flagged values count. Days are Beijing days.
//!
//! City rule (HJ 633-2012 §5 / HJ 633-2026 §5): a prefecture's concentration of a pollutant is
//! the mean over its stations' valid values for that hour; the AQI is rated from those means.

use std::collections::BTreeMap;

use qy_aqi::{Decimal, Period as AqiPeriod, Pollutant, Standard};
use qy_kernel::Result;
use qy_storage::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;
/// Beijing days start at 16:00 UTC of the day before.
const BEIJING_OFFSET: i64 = 8 * HOUR;

/// Start (UTC ms) of the Beijing day containing `t`.
pub fn beijing_day(t: i64) -> i64 {
    (t + BEIJING_OFFSET).div_euclid(DAY) * DAY - BEIJING_OFFSET
}

/// Exact mean of decimal texts, as text with three decimals; `None` if any is not a number.
pub fn mean(values: &[&str]) -> Option<String> {
    crate::aqi::mean(values, 1)
}

/// 8-hour moving averages ending at each hour of the day that has ≥ 6 valid hours in its
/// window (GB 3095-2012 §8.2), as (end hour, mean text).
fn ozone_8h(hourly: &BTreeMap<i64, String>, day: i64) -> Vec<(i64, String)> {
    (0..24)
        .filter_map(|h| {
            let end = day + h * HOUR;
            let window: Vec<&str> = hourly.range(end - 7 * HOUR..=end).map(|(_, v)| v.as_str()).collect();
            (window.len() >= 6).then(|| mean(&window)).flatten().map(|m| (end, m))
        })
        .collect()
}

fn max_text(values: &[String]) -> Option<String> {
    values
        .iter()
        .filter_map(|v| v.parse::<f64>().ok().map(|f| (f, v)))
        .max_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal))
        .map(|(_, v)| v.clone())
}

/// Recomputes the daily statistics of one station and Beijing day from its hourly values.
pub async fn update_station_day(db: &Db, station_id: &str, day: i64) -> Result<usize> {
    let rows = store::hourly_of_station(db, station_id, day - 7 * HOUR, day + DAY).await?;
    let mut by_factor: BTreeMap<&str, BTreeMap<i64, String>> = BTreeMap::new();
    for (factor, t, v) in &rows {
        by_factor.entry(factor.as_str()).or_default().insert(*t, v.clone());
    }
    let mut stored = 0;
    for (factor, hourly) in &by_factor {
        let today: Vec<&str> = hourly.range(day..day + DAY).map(|(_, v)| v.as_str()).collect();
        if today.len() >= 20 {
            if let Some(m) = mean(&today) {
                store::upsert_daily(db, station_id, factor, day, "mean", &m, today.len()).await?;
                stored += 1;
            }
        }
        if *factor == "a05024" {
            let today_owned: Vec<String> = today.iter().map(|s| (*s).to_owned()).collect();
            if let Some(max) = max_text(&today_owned) {
                store::upsert_daily(db, station_id, factor, day, "max_1h", &max, today.len()).await?;
            }
            let avgs = ozone_8h(hourly, day);
            if avgs.len() >= 14 {
                let values: Vec<String> = avgs.into_iter().map(|(_, v)| v).collect();
                if let Some(max) = max_text(&values) {
                    store::upsert_daily(db, station_id, factor, day, "max_8h", &max, values.len()).await?;
                }
            }
        }
    }
    Ok(stored)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CityAqi {
    /// Prefecture code, e.g. 630100.
    pub region_code: String,
    pub time_ms: i64,
    pub standard: String,
    pub aqi: u32,
    pub level: u8,
    pub primary: Vec<String>,
    /// Stations that contributed.
    pub stations: u32,
}

/// The daily AQI of an air station from its daily statistics (24-hour means, ozone maxima).
pub async fn update_station_daily_aqi(db: &Db, station_id: &str, day: i64) -> Result<Option<crate::aqi::StationAqi>> {
    let stats = store::daily_of_station(db, station_id, day).await?;
    let get = |factor: &str, statistic: &str| {
        stats.iter().find(|(f, s, _)| f == factor && s == statistic).and_then(|(_, _, v)| Decimal::parse(v).ok())
    };
    let candidates = [
        (Pollutant::So2_24h, get("a21026", "mean")),
        (Pollutant::No2_24h, get("a21004", "mean")),
        (Pollutant::Co_24h, get("a21005", "mean")),
        (Pollutant::Pm10_24h, get("a34002", "mean")),
        (Pollutant::Pm25_24h, get("a34004", "mean")),
        (Pollutant::O3_8h, get("a05024", "max_8h")),
        (Pollutant::O3_1h, get("a05024", "max_1h")),
    ];
    let inputs: Vec<(Pollutant, Decimal)> = candidates.into_iter().filter_map(|(p, d)| d.map(|d| (p, d))).collect();
    if inputs.is_empty() {
        return Ok(None);
    }
    let standard = Standard::for_time(day);
    let Ok(r) = qy_aqi::compute(standard, AqiPeriod::Daily, &inputs) else { return Ok(None) };
    let result = crate::aqi::StationAqi {
        station_id: station_id.to_owned(),
        time_ms: day,
        standard: standard.key().to_owned(),
        aqi: r.aqi,
        level: r.level,
        primary: r.primary,
        iaqi: r.iaqi,
        publishable: r.publish_aqi,
    };
    store::upsert_aqi_period(db, &result, "day").await?;
    Ok(Some(result))
}

/// The hourly AQI of the prefecture containing `region_code`, from its stations' valid hourly
/// values at `time_ms`.
pub async fn update_city_hour(db: &Db, region_code: &str, time_ms: i64) -> Result<Option<CityAqi>> {
    let Some(prefecture) = prefecture_of(region_code) else { return Ok(None) };
    let like = format!("{}%", &prefecture[..4]);
    let rows = store::air_hourly_in_region(db, &like, time_ms).await?;
    let mut by_factor: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut stations = std::collections::BTreeSet::new();
    for (station, factor, value) in &rows {
        by_factor.entry(factor.as_str()).or_default().push(value.as_str());
        stations.insert(station.as_str());
    }
    let map = [
        ("a21026", Pollutant::So2_1h),
        ("a21004", Pollutant::No2_1h),
        ("a21005", Pollutant::Co_1h),
        ("a05024", Pollutant::O3_1h),
        ("a34002", Pollutant::Pm10_1h),
        ("a34004", Pollutant::Pm25_1h),
    ];
    let inputs: Vec<(Pollutant, Decimal)> = map
        .iter()
        .filter_map(|(code, p)| {
            by_factor.get(code).and_then(|v| mean(v)).and_then(|m| Decimal::parse(&m).ok()).map(|d| (*p, d))
        })
        .collect();
    if inputs.is_empty() {
        return Ok(None);
    }
    let standard = Standard::for_time(time_ms);
    let Ok(r) = qy_aqi::compute(standard, AqiPeriod::Hourly, &inputs) else { return Ok(None) };
    let city = CityAqi {
        region_code: prefecture,
        time_ms,
        standard: standard.key().to_owned(),
        aqi: r.aqi,
        level: r.level,
        primary: r.primary,
        stations: u32::try_from(stations.len()).unwrap_or(u32::MAX),
    };
    store::upsert_city_aqi(db, &city, "hour").await?;
    Ok(Some(city))
}

/// Minute values needed for an hourly mean: GB 3095-2012 §8.2 requires at least 45 minutes of
/// sampling in the hour.
pub const MIN_MINUTES_PER_HOUR: usize = 45;

/// Derives the hourly means of the hour starting at `hour_ms` from a station's valid minute
/// values, for the factors it sent no hourly value of its own. Returns how many were stored.
pub async fn update_hour_from_minutes(db: &Db, station_id: &str, hour_ms: i64, now: i64) -> Result<usize> {
    let minutes = store::valid_minutes(db, station_id, hour_ms, hour_ms + HOUR).await?;
    let own = store::own_hour_factors(db, station_id, hour_ms).await?;
    let mut by_factor: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (factor, value) in &minutes {
        if !own.iter().any(|o| o == factor) {
            by_factor.entry(factor.as_str()).or_default().push(value.as_str());
        }
    }
    let means: Vec<(String, String, usize)> = by_factor
        .into_iter()
        .filter(|(_, v)| v.len() >= MIN_MINUTES_PER_HOUR)
        .filter_map(|(f, v)| mean(&v).map(|m| (f.to_owned(), m, v.len())))
        .collect();
    if !means.is_empty() {
        store::upsert_derived_hour(db, station_id, hour_ms, &means, now).await?;
    }
    Ok(means.len())
}

/// `632801` → `632800`; `630102001` → `630100`. `None` for codes outside a prefecture.
pub fn prefecture_of(code: &str) -> Option<String> {
    let p = code.get(..4)?;
    (p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) && !p.ends_with("00")).then(|| format!("{p}00"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_days_start_at_16_utc() {
        // 2026-01-15 00:30 Beijing = 2026-01-14 16:30 UTC; its day starts 2026-01-14 16:00 UTC.
        let t = 1_768_408_200_000;
        assert_eq!(beijing_day(t), 1_768_406_400_000);
        assert_eq!(beijing_day(1_768_406_400_000), 1_768_406_400_000);
    }

    #[test]
    fn ozone_8h_needs_six_valid_hours() {
        let day = 0;
        let mut h = BTreeMap::new();
        for i in 0..5 {
            h.insert(i * HOUR, "100".to_owned());
        }
        assert!(ozone_8h(&h, day).is_empty());
        h.insert(5 * HOUR, "160".to_owned());
        let avgs = ozone_8h(&h, day);
        assert_eq!(avgs.first().map(|(t, v)| (*t, v.as_str())), Some((5 * HOUR, "110.000")));
    }

    #[test]
    fn prefectures_of_counties_and_villages() {
        assert_eq!(prefecture_of("632801").as_deref(), Some("632800"));
        assert_eq!(prefecture_of("630102001001").as_deref(), Some("630100"));
        assert_eq!(prefecture_of("630000"), None);
    }
}
