//! The binary as an operator uses it: exit codes and output of `qingyun tools …`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn qingyun(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_qingyun")).args(args).output().expect("run qingyun");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn id_check_accepts_a_valid_uscc_and_rejects_a_changed_check_character() {
    let (code, out, _) = qingyun(&["tools", "id", "check", "914403001922038216"]);
    assert_eq!(code, 0);
    assert!(out.contains("kind: uscc") && out.contains("valid: true"), "{out}");
    let (code, out, _) = qingyun(&["tools", "id", "check", "914403001922038217", "--json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["reason"], "check character: expected 6, found 7");
}

#[test]
fn id_check_never_prints_a_full_resident_id() {
    let (code, out, _) = qingyun(&["tools", "id", "check", "11010519491231002X", "--json"]);
    assert_eq!(code, 0);
    assert!(!out.contains("11010519491231002X"), "{out}");
}

#[test]
fn aqi_prints_one_json_object_with_the_required_fields() {
    let (code, out, _) =
        qingyun(&["tools", "aqi", "--standard", "hj633-2012", "--period", "daily", "pm25_24h=80", "pm10_24h=120"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["aqi"], 107);
    assert_eq!(v["iaqi"]["pm25_24h"], 107);
    assert_eq!(v["primary"], serde_json::json!(["pm25_24h"]));
    assert_eq!(v["level"], 3);
    assert_eq!(v["category"], "轻度污染");
    let (code, _, err) = qingyun(&["tools", "aqi", "pm25_24h=-1"]);
    assert_eq!(code, 1);
    assert!(err.contains("error"), "{err}");
}

#[test]
fn water_class_uses_the_worst_indicator_and_lake_phosphorus() {
    let (code, out, _) = qingyun(&["tools", "water-class", "--body", "lake", "do=6.2", "tp=0.08"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["class_label"].as_str(), v["worst"][0].as_str()), (Some("IV"), Some("tp")));
    let (_, out, _) = qingyun(&["tools", "water-class", "--body", "river", "do=6.2", "tp=0.08"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["class_label"], "II");
}

#[test]
fn hj212_check_reports_the_official_example_valid_and_a_broken_crc_invalid() {
    let good = "##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80";
    let (code, out, _) = qingyun(&["tools", "hj212", "check", good]);
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["packet"]["cn"], "1062");
    assert_eq!(v["packet"]["pw"], "***", "the access password is never printed");
    let (code, out, _) = qingyun(&["tools", "hj212", "check", &good.replace("1C80", "1C81")]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["error_code"], "bad_crc");
}
