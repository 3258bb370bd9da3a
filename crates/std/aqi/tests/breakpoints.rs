//! Hand-checked breakpoint values, the overflow rules of each version, indicator sets, version
//! selection, and the differences between the HJ 633-2012 and HJ 633-2026 tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qy_aqi::table::{IAQI_LEVELS, IAQI_MAX};
use qy_aqi::{
    breakpoints, compute, compute_from_args, iaqi, indicators, Decimal, Period, Pollutant as P, Standard, SubIndex,
    HJ633_2026_IN_FORCE_MS,
};

const OLD: Standard = Standard::Hj633_2012;
const NEW: Standard = Standard::Hj633_2026;

fn d(s: &str) -> Decimal {
    Decimal::parse(s).unwrap()
}

fn sub(standard: Standard, p: P, c: &str) -> SubIndex {
    iaqi(standard, p, d(c)).unwrap()
}

fn val(standard: Standard, p: P, c: &str) -> u32 {
    match sub(standard, p, c) {
        SubIndex::Value(v) => v,
        other => panic!("{standard} {p} {c}: expected a table value, got {other:?}"),
    }
}

#[test]
fn every_breakpoint_gets_its_own_iaqi_in_both_versions() {
    for s in Standard::ALL {
        for p in P::ALL {
            let Some(bp) = breakpoints(s, p) else { continue };
            for (i, &b) in bp.iter().enumerate() {
                assert_eq!(val(s, p, &b.to_string()), IAQI_LEVELS[i], "{s} {p} at {b}");
            }
        }
    }
}

#[test]
fn just_above_a_breakpoint_is_the_next_band() {
    // Smallest step that survives each version's input handling: 2012 takes the value as given,
    // 2026 first rounds to 1 µg/m³ (CO: 0.1 mg/m³).
    for s in Standard::ALL {
        for p in P::ALL {
            let Some(bp) = breakpoints(s, p) else { continue };
            let step = match (s, p) {
                (OLD, _) => "0.001",
                (NEW, P::Co_1h | P::Co_24h) => "0.1",
                (NEW, _) => "1",
            };
            for (i, &b) in bp.iter().enumerate().take(bp.len() - 1) {
                let c = Decimal::from(b).to_string();
                let above = add(&c, step).to_string();
                let v = val(s, p, &above);
                assert!(v > IAQI_LEVELS[i] && v <= IAQI_LEVELS[i + 1], "{s} {p} at {above}: {v}");
            }
        }
    }
}

fn add(a: &str, b: &str) -> Decimal {
    let (a, b) = (d(a), d(b));
    let scale = a.scale().max(b.scale());
    let widen = |x: Decimal| x.mantissa() * 10_i64.pow(scale - x.scale());
    Decimal::new(widen(a) + widen(b), scale).unwrap()
}

#[test]
fn hand_checked_values_2012() {
    assert_eq!(val(OLD, P::So2_24h, "50.001"), 51);
    // 100 + 50/325 × 0.5 = 100.077 → 101
    assert_eq!(val(OLD, P::So2_24h, "150.5"), 101);
    assert_eq!(val(OLD, P::So2_24h, "2620"), 500);
    assert_eq!(val(OLD, P::Pm25_24h, "75"), 100);
    assert_eq!(val(OLD, P::Pm25_24h, "75.001"), 101);
    assert_eq!(val(OLD, P::Pm25_24h, "115"), 150);
    assert_eq!(val(OLD, P::Pm10_24h, "120"), 85);
    assert_eq!(val(OLD, P::No2_1h, "150"), 75);
    // 50 + 50/5 × 0.05 = 50.5 → 51 (no input rounding in 2012)
    assert_eq!(val(OLD, P::Co_1h, "5.05"), 51);
    assert_eq!(val(OLD, P::O3_1h, "900"), 350);
    assert_eq!(val(OLD, P::O3_8h, "800"), 300);
    assert_eq!(val(OLD, P::So2_1h, "800"), 200);
}

#[test]
fn hand_checked_values_2026_with_gb_t_8170_input_rounding() {
    assert_eq!(val(NEW, P::Pm10_24h, "120"), 100);
    assert_eq!(val(NEW, P::Pm10_24h, "150"), 112);
    assert_eq!(val(NEW, P::Pm25_24h, "60"), 100);
    // 60.4 and 60.5 round (half to even) to 60; 60.51 to 61; 61.5 to 62.
    assert_eq!(val(NEW, P::Pm25_24h, "60.4"), 100);
    assert_eq!(val(NEW, P::Pm25_24h, "60.5"), 100);
    assert_eq!(val(NEW, P::Pm25_24h, "60.51"), 101);
    assert_eq!(val(NEW, P::Pm25_24h, "61.5"), 102);
    // CO to 0.1 mg/m³: 5.05 → 5.0 (even) → 50; 5.15 → 5.2 → 52.
    assert_eq!(val(NEW, P::Co_1h, "5.05"), 50);
    assert_eq!(val(NEW, P::Co_1h, "5.15"), 52);
    // 1-h PM on the daily breakpoints.
    assert_eq!(val(NEW, P::Pm25_1h, "80"), 119);
    assert_eq!(val(NEW, P::Pm10_1h, "120"), 100);
}

#[test]
fn so2_1h_overflow_rules() {
    assert_eq!(sub(OLD, P::So2_1h, "800.001"), SubIndex::Replaced(P::So2_24h));
    assert_eq!(sub(NEW, P::So2_1h, "801"), SubIndex::Fixed(200));
    assert_eq!(sub(NEW, P::So2_1h, "5000"), SubIndex::Fixed(200));
    // 800.5 rounds to 800 first: still inside the table.
    assert_eq!(sub(NEW, P::So2_1h, "800.5"), SubIndex::Value(200));

    // 2012 real-time: SO2 reported from the 24-h value (75 = 50 + 50/100 × 50).
    let r = compute_from_args("hj633-2012", "hourly", &["so2_1h=900", "so2_24h=100", "no2_1h=100"]).unwrap();
    assert_eq!(r.iaqi.get("so2_24h"), Some(&75));
    assert!(!r.iaqi.contains_key("so2_1h"));
    assert_eq!(r.aqi, 75);
    assert_eq!(r.primary, ["so2_24h"]);
    assert!(r.ignored.is_empty());
    assert!(r.notes.iter().any(|n| n.contains("so2_1h 900") && n.contains("reported from so2_24h")));

    // ... and without a 24-h value there is no SO2 sub-index at all.
    let r = compute_from_args("hj633-2012", "hourly", &["so2_1h=900", "no2_1h=100"]).unwrap();
    assert_eq!((r.aqi, r.iaqi.len()), (50, 1));
    assert!(r.missing.contains(&P::So2_24h));
    let e = compute_from_args("hj633-2012", "hourly", &["so2_1h=900"]).unwrap_err();
    assert_eq!(e.code(), "no_usable_indicator");

    // Below 800 the 24-h value is not part of the 2012 real-time set.
    let r = compute_from_args("hj633-2012", "hourly", &["so2_1h=500", "so2_24h=100"]).unwrap();
    assert_eq!(r.iaqi.get("so2_1h"), Some(&100));
    assert_eq!(r.ignored, [P::So2_24h]);

    // 2026: counted as 200.
    let r = compute_from_args("hj633-2026", "hourly", &["so2_1h=900", "so2_24h=100"]).unwrap();
    assert_eq!(r.iaqi.get("so2_1h"), Some(&200));
    assert_eq!((r.aqi, r.category), (200, "中度污染"));
    assert_eq!(r.ignored, [P::So2_24h]);
}

#[test]
fn o3_8h_overflow_rules() {
    assert_eq!(sub(OLD, P::O3_8h, "800.001"), SubIndex::Replaced(P::O3_1h));
    assert_eq!(sub(NEW, P::O3_8h, "801"), SubIndex::Fixed(300));
    assert_eq!(sub(NEW, P::O3_8h, "800.5"), SubIndex::Value(300));

    // 2012: O3 IAQI from the 1-h value (300 + 100/200 × 100 = 350).
    let r = compute_from_args("hj633-2012", "daily", &["o3_8h=850", "o3_1h=900"]).unwrap();
    assert_eq!(r.iaqi.get("o3_1h"), Some(&350));
    assert!(!r.iaqi.contains_key("o3_8h"));
    assert_eq!((r.aqi, r.level, r.category), (350, 6, "严重污染"));
    assert!(r.ignored.is_empty());

    // Without the 1-h value, 2012 has no O3 sub-index.
    let r = compute_from_args("hj633-2012", "daily", &["o3_8h=850", "pm25_24h=80"]).unwrap();
    assert_eq!(r.iaqi.keys().collect::<Vec<_>>(), ["pm25_24h"]);
    assert!(r.missing.contains(&P::O3_1h));
    assert!(r.notes.iter().any(|n| n == "o3_1h not given: no O3 sub-index"));
    assert!(r.ignored.is_empty());

    // 2026: counted as 300; the daily report has no O3 1-h indicator.
    let r = compute_from_args("hj633-2026", "daily", &["o3_8h=850", "o3_1h=900"]).unwrap();
    assert_eq!(r.iaqi.get("o3_8h"), Some(&300));
    assert_eq!((r.aqi, r.level, r.category), (300, 5, "重度污染"));
    assert_eq!(r.ignored, [P::O3_1h]);
}

#[test]
fn above_the_top_breakpoint_is_capped_and_reported() {
    for s in Standard::ALL {
        assert_eq!(sub(s, P::Pm25_24h, "501"), SubIndex::Capped);
        assert_eq!(sub(s, P::Co_24h, "60.5"), SubIndex::Capped);
        assert_eq!(SubIndex::Capped.value(), Some(IAQI_MAX));
        let r = compute(s, Period::Daily, &[(P::Pm25_24h, d("9999"))]).unwrap();
        assert_eq!((r.aqi, r.level), (500, 6));
        assert_eq!(r.beyond_range, [P::Pm25_24h]);
    }
    // 2026 rounds first: 500.4 → 500 is still on the table.
    assert_eq!(sub(NEW, P::Pm25_24h, "500.4"), SubIndex::Value(500));
    assert_eq!(sub(OLD, P::Pm25_24h, "500.4"), SubIndex::Capped);
}

#[test]
fn indicator_sets_per_version_and_period() {
    assert_eq!(
        indicators(OLD, Period::Daily),
        [P::So2_24h, P::No2_24h, P::Co_24h, P::O3_1h, P::O3_8h, P::Pm10_24h, P::Pm25_24h]
    );
    assert_eq!(
        indicators(OLD, Period::Hourly),
        [P::So2_1h, P::No2_1h, P::Co_1h, P::O3_1h, P::O3_8h, P::Pm10_24h, P::Pm25_24h]
    );
    assert_eq!(indicators(NEW, Period::Daily), [P::So2_24h, P::No2_24h, P::Co_24h, P::O3_8h, P::Pm10_24h, P::Pm25_24h]);
    assert_eq!(indicators(NEW, Period::Hourly), [P::So2_1h, P::No2_1h, P::Co_1h, P::O3_1h, P::Pm10_1h, P::Pm25_1h]);

    // 2012 real-time: 1-h PM has no sub-index, the 24-h moving average is rated.
    assert_eq!(sub(OLD, P::Pm25_1h, "80"), SubIndex::Undefined);
    let r = compute_from_args("hj633-2012", "hourly", &["pm25_1h=300", "pm25_24h=80"]).unwrap();
    assert_eq!(r.aqi, 107);
    assert_eq!(r.ignored, [P::Pm25_1h]);
    let e = compute_from_args("hj633-2012", "hourly", &["pm25_1h=300"]).unwrap_err();
    assert_eq!(e.code(), "no_usable_indicator");
    assert_eq!(e.to_string(), "none of the given indicators (pm25_1h) has a sub-index under hj633-2012 hourly");

    // 2026 real-time: 1-h PM rated on the daily table, 24-h values and O3 8-h ignored.
    let r = compute_from_args("hj633-2026", "hourly", &["pm25_1h=80", "pm25_24h=300", "o3_8h=400"]).unwrap();
    assert_eq!(r.aqi, 119);
    assert_eq!(r.ignored, [P::O3_8h, P::Pm25_24h]);
}

#[test]
fn tables_differ_only_in_pm_at_iaqi_100() {
    for p in P::ALL {
        let (a, b) = (breakpoints(OLD, p), breakpoints(NEW, p));
        match p {
            P::Pm10_24h => {
                assert_eq!(a.unwrap()[2], 150);
                assert_eq!(b.unwrap()[2], 120);
            }
            P::Pm25_24h => {
                assert_eq!(a.unwrap()[2], 75);
                assert_eq!(b.unwrap()[2], 60);
            }
            P::Pm10_1h | P::Pm25_1h => {
                assert!(a.is_none());
                assert!(b.is_some());
            }
            _ => assert_eq!(a, b, "{p}"),
        }
        if matches!(p, P::Pm10_24h | P::Pm25_24h) {
            let (a, b) = (a.unwrap(), b.unwrap());
            let same: Vec<usize> = (0..a.len()).filter(|&i| a[i] == b[i]).collect();
            assert_eq!(same, [0, 1, 3, 4, 5, 6, 7], "{p}");
        }
    }
}

#[test]
fn version_follows_the_data_timestamp_at_shanghai_midnight() {
    // 2026-03-01T00:00:00+08:00 = 2026-02-28T16:00:00Z
    assert_eq!(HJ633_2026_IN_FORCE_MS, 1_772_294_400_000);
    assert_eq!(Standard::for_time(HJ633_2026_IN_FORCE_MS), NEW);
    assert_eq!(Standard::for_time(HJ633_2026_IN_FORCE_MS - 1), OLD);
    // 2026-02-28T23:59:59.999+08:00 is still 2012; 2026-03-01T00:00:00Z (08:00 in Xining) is 2026.
    assert_eq!(Standard::for_time(1_772_294_399_999), OLD);
    assert_eq!(Standard::for_time(1_772_323_200_000), NEW);
    // 2026-02-28T23:00:00Z is already 2026-03-01 07:00 in China.
    assert_eq!(Standard::for_time(1_772_319_600_000), NEW);
    assert_eq!(Standard::for_time(i64::MIN), OLD);
    assert_eq!(Standard::for_time(i64::MAX), NEW);
    assert_eq!(Standard::for_time(0), OLD);
}

#[test]
fn publication_rule_of_2026_with_missing_indicators() {
    // 2026 §5.3: incomplete and AQI ≤ 100 → AQI not published.
    let r = compute_from_args("hj633-2026", "daily", &["pm25_24h=50"]).unwrap();
    assert_eq!(r.aqi, 80);
    assert!(!r.publish_aqi);
    assert_eq!(r.missing, [P::So2_24h, P::No2_24h, P::Co_24h, P::O3_8h, P::Pm10_24h]);
    let r = compute_from_args("hj633-2026", "daily", &["pm25_24h=80"]).unwrap();
    assert!(r.publish_aqi);
    let r = compute_from_args("hj633-2012", "daily", &["pm25_24h=50"]).unwrap();
    assert!(r.publish_aqi);
    let all = ["so2_24h=5", "no2_24h=5", "co_24h=0.1", "o3_8h=5", "pm10_24h=5", "pm25_24h=5"];
    assert!(compute_from_args("hj633-2026", "daily", &all).unwrap().publish_aqi);
}

#[test]
fn zero_everywhere_is_aqi_zero_without_primary() {
    let r = compute_from_args("hj633-2026", "hourly", &["pm25_1h=0", "o3_1h=0"]).unwrap();
    assert_eq!((r.aqi, r.level, r.category), (0, 1, "优"));
    assert!(r.primary.is_empty());
}

#[test]
fn primary_only_above_50_and_ties_list_all() {
    let r = compute_from_args("hj633-2012", "daily", &["pm10_24h=50", "pm25_24h=35"]).unwrap();
    assert_eq!(r.aqi, 50);
    assert!(r.primary.is_empty());
    let r = compute_from_args("hj633-2012", "daily", &["pm10_24h=52", "pm25_24h=35.7", "so2_24h=1"]).unwrap();
    // PM10: 50 + 50/100 × 2 = 51; PM2.5: 50 + 50/40 × 0.7 = 50.875 → 51.
    assert_eq!(r.aqi, 51);
    assert_eq!(r.primary, ["pm10_24h", "pm25_24h"]);
    assert!(r.exceeding.is_empty());
}

#[test]
fn errors_are_clear_and_coded() {
    let e = |std: &str, per: &str, a: &[&str]| compute_from_args(std, per, a).unwrap_err();
    assert_eq!(e("hj633-2012", "daily", &[]).code(), "no_input");
    assert_eq!(e("hj633-2012", "daily", &["pm25_24h=-1"]).code(), "negative");
    assert_eq!(e("hj633-2012", "daily", &["pm25_24h=1", "PM2.5_24h=2"]).code(), "duplicate");
    assert_eq!(e("hj633-2012", "daily", &["pm25=1"]).code(), "unknown_key");
    assert_eq!(e("hj633-2012", "daily", &["pm25_24h"]).code(), "bad_argument");
    assert_eq!(e("hj633-2012", "daily", &["=3"]).code(), "bad_argument");
    assert_eq!(e("hj633-2012", "daily", &["pm25_24h=1e3"]).code(), "invalid_number");
    assert_eq!(e("hj633-2012", "daily", &["pm25_24h="]).code(), "invalid_number");
    assert_eq!(e("hj633-2013", "daily", &["pm25_24h=1"]).code(), "unknown_standard");
    assert_eq!(e("hj633-2012", "weekly", &["pm25_24h=1"]).code(), "unknown_period");
    assert_eq!(
        e("hj633-2012", "daily", &["pm25_24h=abc"]).to_string(),
        "invalid number \"abc\": expected a plain decimal like 12 or 0.35"
    );
    assert_eq!(compute(OLD, Period::Daily, &[]).unwrap_err().code(), "no_input");
}
