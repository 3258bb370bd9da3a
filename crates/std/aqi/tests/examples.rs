//! Every worked example of `tests/data/worked-examples.json` (transcribed from the shared
//! reference, §2.5 and §3), asserted under both AQI standards.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use qy_aqi::water::{self, WaterBody, WaterItem};
use qy_aqi::{compute_from_args, Decimal, Standard};
use serde_json::{Map, Value};

const EXAMPLES: &str = include_str!("data/worked-examples.json");

fn all() -> Map<String, Value> {
    serde_json::from_str(EXAMPLES).unwrap()
}

fn args(inputs: &Value) -> Vec<String> {
    inputs.as_object().unwrap().iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap())).collect()
}

#[test]
fn file_has_exactly_the_known_sections() {
    let mut keys: Vec<String> = all().keys().cloned().collect();
    keys.sort();
    assert_eq!(keys, ["_about", "aqi", "water"]);
}

#[test]
fn aqi_examples_match_under_both_standards() {
    let examples = all()["aqi"].as_array().unwrap().clone();
    assert_eq!(examples.len(), 4);
    for ex in &examples {
        let id = ex["id"].as_str().unwrap();
        let period = ex["period"].as_str().unwrap();
        for standard in Standard::ALL {
            let want = &ex[standard.key()];
            let got = compute_from_args(standard.key(), period, &args(&ex["inputs"])).unwrap();
            let ctx = format!("example {id} under {standard}");
            for (k, v) in want["iaqi"].as_object().unwrap() {
                assert_eq!(got.iaqi.get(k).copied(), Some(u32::try_from(v.as_u64().unwrap()).unwrap()), "{ctx}: {k}");
            }
            assert_eq!(u64::from(got.aqi), want["aqi"].as_u64().unwrap(), "{ctx}");
            let primary: Vec<&str> = want["primary"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
            assert_eq!(got.primary, primary, "{ctx}");
            assert_eq!(got.category, want["category"].as_str().unwrap(), "{ctx}");
            assert_eq!(got.colour.hex, want["colour"].as_str().unwrap(), "{ctx}");
            assert!(got.ignored.is_empty(), "{ctx}");
        }
    }
}

#[test]
fn water_examples_match() {
    let examples = all()["water"].as_array().unwrap().clone();
    assert_eq!(examples.len(), 3);
    for ex in &examples {
        let id = ex["id"].as_str().unwrap();
        let body = ex["body"].as_str().unwrap();
        let got = water::classify_from_args(body, &args(&ex["inputs"])).unwrap();
        for (k, v) in ex["per_item"].as_object().unwrap() {
            assert_eq!(got.per_item.get(k).copied(), Some(u8::try_from(v.as_u64().unwrap()).unwrap()), "{id}: {k}");
        }
        assert_eq!(u64::from(got.class), ex["class"].as_u64().unwrap(), "{id}");
        assert_eq!(got.class_label, ex["class_label"].as_str().unwrap(), "{id}");
        assert_eq!(got.quality, ex["quality"].as_str().unwrap(), "{id}");
        if let Some(exc) = ex.get("exceedance_vs_iii").and_then(Value::as_object) {
            let body = WaterBody::parse(body).unwrap();
            for (k, v) in exc {
                let item = WaterItem::parse_key(k).unwrap();
                let value: Decimal = ex["inputs"][k.as_str()].as_str().unwrap().parse().unwrap();
                let want: Decimal = v.as_str().unwrap().parse().unwrap();
                assert_eq!(water::exceedance(body, item, value, 3).unwrap(), Some(want), "{id}: {k}");
            }
        }
    }
}

#[test]
fn example_a_full_json_shape() {
    let ex = &all()["aqi"][0];
    let r = compute_from_args("hj633-2012", "daily", &args(&ex["inputs"])).unwrap();
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(v["aqi"], 107);
    assert_eq!(v["iaqi"]["pm25_24h"], 107);
    assert_eq!(v["primary"], serde_json::json!(["pm25_24h"]));
    assert_eq!(v["level"], 3);
    assert_eq!(v["category"], "轻度污染");
    assert_eq!(v["category_en"], "Lightly polluted");
    assert_eq!(v["colour"]["hex"], "#FF7E00");
    assert_eq!(v["colour"]["name"], "橙色");
    assert_eq!(v["standard"], "hj633-2012");
    assert_eq!(v["period"], "daily");
    assert_eq!(v["exceeding"], serde_json::json!(["pm25_24h"]));
    // 2012 daily also rates the O3 daily max 1-h, which example A does not give.
    assert_eq!(v["missing"], serde_json::json!(["o3_1h"]));
    assert_eq!(v["publish_aqi"], true);
    assert_eq!(v["concentrations"]["co_24h"], "0.8");
}
