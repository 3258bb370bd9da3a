//! The dependency rule and the translation and migration invariants.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

#[test]
fn modules_never_depend_on_each_other() {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata json");
    let packages = meta["packages"].as_array().expect("packages");
    let is_module = |p: &serde_json::Value| p["manifest_path"].as_str().is_some_and(|m| m.contains("/crates/modules/"));
    let modules: BTreeSet<&str> = packages.iter().filter(|p| is_module(p)).filter_map(|p| p["name"].as_str()).collect();
    assert!(modules.len() >= 3, "{modules:?}");
    let mut edges = Vec::new();
    for p in packages.iter().filter(|p| is_module(p)) {
        for d in p["dependencies"].as_array().into_iter().flatten() {
            let dep = d["name"].as_str().unwrap_or("");
            if modules.contains(dep) {
                edges.push(format!("{} -> {dep}", p["name"]));
            }
            assert!(!["qy-server", "qingyun", "qy-testkit"].contains(&dep), "{} depends on {dep}", p["name"]);
        }
    }
    assert!(edges.is_empty(), "module→module dependencies: {edges:?}");
}

#[tokio::test]
async fn every_locale_has_the_same_message_keys() {
    let mut sources = qy_web::LOCALES.to_vec();
    let wiring = test_wiring().await;
    for m in qy_server::modules::all(&wiring) {
        sources.extend_from_slice(m.locales());
    }
    sources.extend_from_slice(qy_server::shell::LOCALES);
    let i18n = qy_web::i18n::I18n::new(&sources).expect("all .ftl files parse");
    let keys: BTreeMap<&str, BTreeSet<String>> = qy_web::i18n::LOCALES.iter().map(|l| (*l, i18n.keys(l))).collect();
    let zh = &keys["zh-CN"];
    for (locale, set) in &keys {
        let missing: Vec<_> = zh.difference(set).collect();
        let extra: Vec<_> = set.difference(zh).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{locale}: missing {missing:?}, extra {extra:?}");
    }
}

#[test]
fn each_module_ships_the_same_migrations_for_both_backends() {
    for m in qy_server::modules::migrations() {
        assert!(qy_storage::parity_problems(&m).is_empty(), "{:?}", qy_storage::parity_problems(&m));
        let dir = format!("{}/../modules/{}/migrations", env!("CARGO_MANIFEST_DIR"), m.module);
        let list = |d: &str| -> BTreeSet<String> {
            std::fs::read_dir(format!("{dir}/{d}"))
                .expect(d)
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        };
        let declared: BTreeSet<String> = m.migrations.iter().map(|x| x.name.to_owned()).collect();
        assert_eq!(list("sqlite"), list("postgres"), "{}", m.module);
        assert_eq!(list("sqlite"), declared, "{}: files and declared migrations differ", m.module);
    }
}

/// Modules built for inspection only (their locales), on a throw-away database.
async fn test_wiring() -> qy_server::modules::Wiring {
    let db = qy_storage::Db::connect("sqlite::memory:").await.expect("in-memory db");
    let clock = std::sync::Arc::new(qy_kernel::SystemClock);
    let bus = std::sync::Arc::new(qy_bus::InProcessBus::new(clock.clone()));
    let ingest = std::sync::Arc::new(qy_eco::Ingest::new(db.clone(), clock, bus));
    qy_server::modules::Wiring {
        secret: [0; 32],
        ingest,
        vault: std::sync::Arc::new(qy_identity::crypto::Sealer::new([0; 32])),
        credit_policy: std::sync::Arc::new(qy_credit::Policy::default()),
        feeds: std::sync::Arc::new(qy_eco::feeds::EcoFeeds::new(db)),
        catalog_policy: std::sync::Arc::new(qy_catalog::Policy::default()),
        trace_config: qy_trace::TraceConfig::default(),
    }
}
