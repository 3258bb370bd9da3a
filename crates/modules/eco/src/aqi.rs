//! Hourly AQI per air station (HJ 633), from the stored hourly means.
//!
//! Only values flagged `N` (valid) count. The version of the standard follows the hour's
//! time (HJ 633-2026 from 2026-03-01). HJ 633-2012's hourly report rates PM on 24-hour moving
//! averages and uses the 8-hour ozone average; they are computed here from the last 24 (8)
//! hourly values when at least 20 (6) are valid — GB 3095-2012 §8.2 data-validity rules.

use qy_aqi::{Decimal, Period as AqiPeriod, Pollutant, Standard};
use qy_kernel::Result;
use qy_storage::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store;

const HOUR: i64 = 3_600_000;

/// AQI factor codes (HJ 212 Appendix B / HJ 524) and their 1-hour indicator.
const ONE_HOUR: [(&str, Pollutant); 6] = [
    ("a21026", Pollutant::So2_1h),
    ("a21004", Pollutant::No2_1h),
    ("a21005", Pollutant::Co_1h),
    ("a05024", Pollutant::O3_1h),
    ("a34002", Pollutant::Pm10_1h),
    ("a34004", Pollutant::Pm25_1h),
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StationAqi {
    pub station_id: String,
    /// Start of the hour, epoch ms UTC.
    pub time_ms: i64,
    pub standard: String,
    pub aqi: u32,
    /// 1 (优) … 6 (严重污染).
    pub level: u8,
    pub primary: Vec<String>,
    pub iaqi: std::collections::BTreeMap<String, u32>,
    /// HJ 633-2026 §5.3: with an indicator missing, an AQI ≤ 100 is not published.
    pub publishable: bool,
}

/// Mean of decimal texts, exactly (thousandths), as decimal text; `None` below `min_count`.
pub(crate) fn mean(values: &[&str], min_count: usize) -> Option<String> {
    if values.len() < min_count || values.is_empty() {
        return None;
    }
    let milli: Vec<i128> = values.iter().filter_map(|v| to_milli(v)).collect();
    if milli.len() != values.len() {
        return None;
    }
    let n = i128::try_from(milli.len()).ok()?;
    let sum: i128 = milli.iter().sum();
    // Half away from zero at the thousandth; qy-aqi applies the standard's own rounding.
    let m = (2 * sum + n) / (2 * n);
    Some(format!("{}.{:03}", m / 1000, (m % 1000).abs()))
}

fn to_milli(text: &str) -> Option<i128> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let frac: String = frac.chars().chain(std::iter::repeat('0')).take(3).collect();
    let neg = int.starts_with('-');
    let whole: i128 = int.trim_start_matches('-').parse().ok()?;
    let f: i128 = frac.parse().ok()?;
    let v = whole * 1000 + f;
    Some(if neg { -v } else { v })
}

/// Computes and stores the AQI of `station_id` for the hour starting at `time_ms`.
pub async fn update_hourly(db: &Db, station_id: &str, time_ms: i64) -> Result<Option<StationAqi>> {
    let codes: Vec<&str> = ONE_HOUR.iter().map(|(c, _)| *c).collect();
    let window = store::valid_hourly(db, station_id, &codes, time_ms - 23 * HOUR, time_ms + 1).await?;
    let now: Vec<_> = window.iter().filter(|(_, t, _)| *t == time_ms).collect();
    let mut inputs: Vec<(Pollutant, Decimal)> = ONE_HOUR
        .iter()
        .filter_map(|(code, p)| {
            now.iter().find(|(c, _, _)| c == code).and_then(|(_, _, v)| Decimal::parse(v).ok()).map(|d| (*p, d))
        })
        .collect();
    let standard = Standard::for_time(time_ms);
    if standard == Standard::Hj633_2012 {
        let avg = |code: &str, from: i64, min: usize| {
            let vals: Vec<&str> =
                window.iter().filter(|(c, t, _)| c == code && *t >= from).map(|(_, _, v)| v.as_str()).collect();
            mean(&vals, min).and_then(|m| Decimal::parse(&m).ok())
        };
        let extra = [
            (Pollutant::Pm10_24h, avg("a34002", time_ms - 23 * HOUR, 20)),
            (Pollutant::Pm25_24h, avg("a34004", time_ms - 23 * HOUR, 20)),
            (Pollutant::O3_8h, avg("a05024", time_ms - 7 * HOUR, 6)),
        ];
        inputs.extend(extra.into_iter().filter_map(|(p, d)| d.map(|d| (p, d))));
    }
    if inputs.is_empty() {
        return Ok(None);
    }
    let Ok(r) = qy_aqi::compute(standard, AqiPeriod::Hourly, &inputs) else { return Ok(None) };
    let result = StationAqi {
        station_id: station_id.to_owned(),
        time_ms,
        standard: standard.key().to_owned(),
        aqi: r.aqi,
        level: r.level,
        primary: r.primary,
        iaqi: r.iaqi,
        publishable: r.publish_aqi,
    };
    store::upsert_aqi(db, &result).await?;
    Ok(Some(result))
}

#[cfg(test)]
mod tests {
    #[test]
    fn means_are_exact_and_need_enough_values() {
        assert_eq!(super::mean(&["1", "2"], 2).as_deref(), Some("1.500"));
        assert_eq!(super::mean(&["0.427", "0.5"], 1).as_deref(), Some("0.464"));
        assert_eq!(super::mean(&["1"], 2), None);
        assert_eq!(super::mean(&["x"], 1), None);
    }
}
