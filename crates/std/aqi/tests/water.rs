//! GB 3838-2002 classes: boundaries, dissolved-oxygen direction, lake vs river phosphorus,
//! worst-indicator selection, 劣V.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qy_aqi::water::{self, classify_from_args, WaterBody, WaterItem as W};
use qy_aqi::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::parse(s).unwrap()
}

fn class(body: WaterBody, item: W, v: &str) -> u8 {
    item.class_of(body, d(v)).unwrap()
}

fn river(item: W, v: &str) -> u8 {
    class(WaterBody::River, item, v)
}

#[test]
fn a_value_on_a_limit_belongs_to_the_better_class() {
    assert_eq!(river(W::Nh3N, "0.15"), 1);
    assert_eq!(river(W::Nh3N, "0.150001"), 2);
    assert_eq!(river(W::Nh3N, "0.5"), 2);
    assert_eq!(river(W::Nh3N, "1.0"), 3);
    assert_eq!(river(W::Nh3N, "1.5"), 4);
    assert_eq!(river(W::Nh3N, "2"), 5);
    assert_eq!(river(W::Nh3N, "2.0001"), 6);
    // Equal limits for I and II: the best class wins.
    assert_eq!(river(W::Cod, "15"), 1);
    assert_eq!(river(W::Cod, "15.01"), 3);
    assert_eq!(river(W::Bod5, "3"), 1);
    assert_eq!(river(W::CodMn, "15"), 5);
    assert_eq!(river(W::CodMn, "15.1"), 6);
    assert_eq!(river(W::Hg, "0.00005"), 1);
    assert_eq!(river(W::Hg, "0.00006"), 3);
    assert_eq!(river(W::Hg, "0.0001"), 3);
    assert_eq!(river(W::Hg, "0.001"), 4);
    assert_eq!(river(W::Hg, "0.0011"), 6);
    assert_eq!(river(W::FecalColiform, "40000"), 5);
    assert_eq!(river(W::FecalColiform, "40001"), 6);
    assert_eq!(river(W::Cn, "0.2"), 3);
    assert_eq!(river(W::VolatilePhenol, "0.1"), 5);
    assert_eq!(river(W::Zn, "2"), 4);
}

#[test]
fn dissolved_oxygen_is_a_lower_limit() {
    assert_eq!(river(W::Do, "20"), 1);
    assert_eq!(river(W::Do, "7.5"), 1);
    assert_eq!(river(W::Do, "7.49"), 2);
    assert_eq!(river(W::Do, "6"), 2);
    assert_eq!(river(W::Do, "5.99"), 3);
    assert_eq!(river(W::Do, "5"), 3);
    assert_eq!(river(W::Do, "3"), 4);
    assert_eq!(river(W::Do, "2"), 5);
    assert_eq!(river(W::Do, "1.99"), 6);
    assert_eq!(river(W::Do, "0"), 6);
}

#[test]
fn ph_is_6_to_9_for_every_class_and_otherwise_bad_v() {
    assert_eq!(river(W::Ph, "6"), 1);
    assert_eq!(river(W::Ph, "7.8"), 1);
    assert_eq!(river(W::Ph, "9"), 1);
    assert_eq!(river(W::Ph, "5.99"), 6);
    assert_eq!(river(W::Ph, "9.01"), 6);
}

#[test]
fn lake_phosphorus_is_stricter_than_river_phosphorus() {
    let lake = |v| class(WaterBody::LakeReservoir, W::Tp, v);
    assert_eq!((river(W::Tp, "0.01"), lake("0.01")), (1, 1));
    assert_eq!((river(W::Tp, "0.02"), lake("0.02")), (1, 2));
    assert_eq!((river(W::Tp, "0.025"), lake("0.025")), (2, 2));
    assert_eq!((river(W::Tp, "0.05"), lake("0.05")), (2, 3));
    assert_eq!((river(W::Tp, "0.1"), lake("0.1")), (2, 4));
    assert_eq!((river(W::Tp, "0.2"), lake("0.2")), (3, 5));
    assert_eq!((river(W::Tp, "0.4"), lake("0.4")), (5, 6));
    assert_eq!((river(W::Tp, "0.41"), lake("0.21")), (6, 6));
    // Every other item has the same limits at both.
    for item in W::ALL {
        if !matches!(item, W::Tp | W::Tn) {
            assert_eq!(item.limits(WaterBody::River), item.limits(WaterBody::LakeReservoir), "{item}");
        }
    }
}

#[test]
fn worst_indicator_decides_and_ties_are_all_listed() {
    let r =
        classify_from_args("river", &["do=6.2", "cod_mn=4.5", "cod=18", "bod5=3.5", "nh3_n=0.45", "tp=0.12"]).unwrap();
    assert_eq!((r.class, r.class_label, r.quality), (3, "III", "良好"));
    assert_eq!(r.worst, ["cod_mn", "cod", "bod5", "tp"]);
    assert_eq!(r.per_item.len(), 6);

    let r = classify_from_args("river", &["do=8", "nh3_n=0.1", "cu=0.005"]).unwrap();
    assert_eq!((r.class, r.class_label, r.quality, r.quality_en), (1, "I", "优", "Excellent"));
    assert_eq!(r.worst, ["do", "nh3_n", "cu"]);

    let r = classify_from_args("river", &["do=1.5", "nh3_n=2.3", "cod=10"]).unwrap();
    assert_eq!((r.class, r.class_label, r.quality), (6, "劣V", "重度污染"));
    assert_eq!(r.worst, ["do", "nh3_n"]);
    assert_eq!(r.per_item["cod"], 1);
}

#[test]
fn total_nitrogen_and_fecal_coliform_do_not_count() {
    let r = classify_from_args("lake", &["tn=3", "fecal_coliform=50000", "nh3_n=0.4"]).unwrap();
    assert_eq!(r.class, 2);
    assert_eq!(r.per_item["tn"], 6);
    assert_eq!(r.per_item["fecal_coliform"], 6);
    assert_eq!(r.excluded, ["tn", "fecal_coliform"]);
    assert_eq!(r.worst, ["nh3_n"]);

    let r = classify_from_args("river", &["tn=3", "nh3_n=0.4"]).unwrap();
    assert!(!r.per_item.contains_key("tn"));
    assert_eq!(r.ignored, ["tn"]);

    let e = classify_from_args("lake", &["tn=3"]).unwrap_err();
    assert_eq!(e.code(), "no_evaluated_item");
}

#[test]
fn exceedance_multiple() {
    let x = |item, v: &str, t| water::exceedance(WaterBody::River, item, d(v), t).unwrap();
    assert_eq!(x(W::Nh3N, "2.3", 3), Some(d("1.3")));
    assert_eq!(x(W::Nh3N, "1.0", 3), None);
    assert_eq!(x(W::Do, "1", 3), None);
    assert_eq!(x(W::Ph, "10", 3), None);
    assert_eq!(x(W::Nh3N, "2.3", 0), None);
    assert_eq!(x(W::Nh3N, "2.3", 6), None);
    // (0.455 − 0.2)/0.2 = 1.275 → 1.28 (half to even at 2 places); 0.205 → 0.025 → 0.02.
    assert_eq!(x(W::Tp, "0.455", 3), Some(d("1.28")));
    assert_eq!(x(W::Tp, "0.205", 3), Some(d("0.02")));
    // (0.0003 − 0.0001)/0.0001 = 2
    assert_eq!(x(W::Hg, "0.0003", 3), Some(d("2")));
    assert_eq!(water::exceedance(WaterBody::River, W::Tn, d("5"), 3).unwrap(), None);
    assert_eq!(water::exceedance(WaterBody::LakeReservoir, W::Tn, d("5"), 3).unwrap(), Some(d("4")));
    let huge = Decimal::new(i64::MAX, 0).unwrap();
    assert_eq!(water::exceedance(WaterBody::River, W::Hg, huge, 1).unwrap_err().code(), "invalid_number");
}

#[test]
fn errors() {
    let e = |b: &str, a: &[&str]| classify_from_args(b, a).unwrap_err().code();
    assert_eq!(e("river", &[]), "no_input");
    assert_eq!(e("river", &["nh3_n=-0.1"]), "negative");
    assert_eq!(e("river", &["nh3_n=0.1", "NH3-N=0.2"]), "duplicate");
    assert_eq!(e("river", &["ammonia=0.1"]), "unknown_key");
    assert_eq!(e("sea", &["nh3_n=0.1"]), "unknown_water_body");
    assert_eq!(e("river", &["nh3_n"]), "bad_argument");
    assert_eq!(e("river", &["nh3_n=0,1"]), "invalid_number");
}

#[test]
fn keys_names_and_json() {
    assert_eq!(W::ALL.len(), 23);
    assert_eq!(W::parse_key("COD_Mn").unwrap(), W::CodMn);
    assert_eq!(W::parse_key("NH3-N").unwrap(), W::Nh3N);
    assert_eq!(W::Cr6.name_zh(), "铬（六价）");
    assert_eq!(W::FecalColiform.unit(), "个/L");
    assert_eq!(WaterBody::parse("reservoir").unwrap(), WaterBody::LakeReservoir);
    let r = classify_from_args("lake", &["tp=0.12"]).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["class"], 5);
    assert_eq!(v["class_label"], "V");
    assert_eq!(v["worst"], serde_json::json!(["tp"]));
    assert_eq!(v["per_item"]["tp"], 5);
    assert_eq!(v["body"], "lake");
}
