//! Property tests: IAQI is monotonic in concentration, AQI is the largest IAQI, level and
//! category follow the AQI, nothing panics on any decimal, water classes are monotonic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use qy_aqi::water::{self, Limit, WaterBody, WaterItem};
use qy_aqi::{compute, iaqi, Category, Decimal, Period, Pollutant, Standard};

fn standard() -> impl Strategy<Value = Standard> {
    prop::sample::select(Standard::ALL.to_vec())
}

fn period() -> impl Strategy<Value = Period> {
    prop::sample::select(Period::ALL.to_vec())
}

fn pollutant() -> impl Strategy<Value = Pollutant> {
    prop::sample::select(Pollutant::ALL.to_vec())
}

/// Concentrations in a realistic range (0 – 5000.000), where the tables live.
fn concentration() -> impl Strategy<Value = Decimal> {
    (0_i64..=5_000_000, 0_u32..=3).prop_map(|(m, s)| Decimal::new(m, s).unwrap())
}

/// Any decimal an `i64` mantissa can express.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0_u32..=qy_aqi::decimal::MAX_SCALE).prop_map(|(m, s)| Decimal::new(m, s).unwrap())
}

/// Any non-negative decimal, or (one time in four) any decimal at all.
fn wide_decimal() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        3 => (0_i64..=i64::MAX, 0_u32..=qy_aqi::decimal::MAX_SCALE).prop_map(|(m, s)| Decimal::new(m, s).unwrap()),
        1 => any_decimal(),
    ]
}

/// A set of distinct pollutants with values.
fn inputs(value: impl Strategy<Value = Decimal>) -> impl Strategy<Value = Vec<(Pollutant, Decimal)>> {
    prop::collection::btree_map(pollutant(), value, 1..=12).prop_map(|m| m.into_iter().collect())
}

proptest! {
    #[test]
    fn iaqi_is_monotonic_non_decreasing(s in standard(), p in pollutant(), a in concentration(), b in concentration()) {
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (x, y) = (iaqi(s, p, lo).unwrap().value(), iaqi(s, p, hi).unwrap().value());
        if let (Some(x), Some(y)) = (x, y) {
            prop_assert!(x <= y, "{s} {p}: {lo} → {x}, {hi} → {y}");
        }
        // Once an overflow rule drops the sub-index (2012), it stays dropped.
        if x.is_none() && iaqi(s, p, lo).unwrap() != qy_aqi::SubIndex::Undefined {
            prop_assert!(y.is_none());
        }
    }

    #[test]
    fn aqi_is_the_largest_iaqi_and_category_follows(s in standard(), per in period(), inp in inputs(concentration())) {
        let Ok(r) = compute(s, per, &inp) else { return Ok(()) };
        prop_assert_eq!(Some(r.aqi), r.iaqi.values().copied().max());
        let cat = Category::for_aqi(r.aqi);
        prop_assert_eq!(r.level, cat.level);
        prop_assert_eq!(r.category, cat.category);
        prop_assert_eq!(r.colour, cat.colour);
        prop_assert!((1..=6).contains(&r.level));
        prop_assert!(r.aqi <= 500);
        if r.aqi <= 50 {
            prop_assert!(r.primary.is_empty());
        } else {
            let at_max: Vec<String> = r.iaqi.iter().filter(|(_, &v)| v == r.aqi).map(|(k, _)| k.clone()).collect();
            let mut primary = r.primary.clone();
            primary.sort();
            prop_assert_eq!(&primary, &at_max);
        }
        for p in &r.ignored {
            prop_assert!(!r.iaqi.contains_key(p.key()));
        }
    }

    #[test]
    fn compute_never_panics(s in standard(), per in period(), inp in inputs(wide_decimal())) {
        match compute(s, per, &inp) {
            Ok(r) => prop_assert!(r.aqi <= 500),
            Err(e) => prop_assert!(!e.code().is_empty()),
        }
    }

    #[test]
    fn decimal_text_round_trips(m in any::<i64>(), sc in 0_u32..=18) {
        let v = Decimal::new(m, sc).unwrap();
        if m != i64::MIN {
            prop_assert_eq!(Decimal::parse(&v.to_string()).unwrap(), v);
        }
    }

    #[test]
    fn water_class_is_monotonic_and_never_panics(item in prop::sample::select(WaterItem::ALL.to_vec()),
                                                 lake in any::<bool>(), a in any_decimal(), b in any_decimal()) {
        let body = if lake { WaterBody::LakeReservoir } else { WaterBody::River };
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let (x, y) = (item.class_of(body, lo), item.class_of(body, hi));
        match item.limits(body) {
            Some(Limit::AtMost(_)) => prop_assert!(x.unwrap() <= y.unwrap()),
            Some(Limit::AtLeast(_)) => prop_assert!(x.unwrap() >= y.unwrap()),
            Some(Limit::Between(..)) => prop_assert!(matches!(x, Some(1 | 6))),
            None => prop_assert!(x.is_none()),
        }
        let _ = water::classify(body, &[(item, a)]);
        let _ = water::exceedance(body, item, a, 3);
    }
}
