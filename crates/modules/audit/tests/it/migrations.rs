//! Migration files and translations are complete and consistent.

use std::collections::BTreeSet;
use std::path::Path;

fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn both_dialects_have_the_same_migration_files_as_the_list() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let sqlite = names(&root.join("sqlite"));
    let postgres = names(&root.join("postgres"));
    assert_eq!(sqlite, postgres);
    let listed: BTreeSet<String> = qy_audit::MIGRATIONS.migrations.iter().map(|m| m.name.to_owned()).collect();
    assert_eq!(sqlite, listed);
    assert!(qy_storage::parity_problems(&qy_audit::MIGRATIONS).is_empty());
    assert_eq!(qy_audit::MIGRATIONS.module, "audit");
}

#[test]
fn migrations_use_portable_types_only() {
    for m in qy_audit::MIGRATIONS.migrations {
        for sql in [m.sqlite, m.postgres] {
            let upper = sql.to_uppercase();
            for banned in ["BOOLEAN", "TIMESTAMP", "JSONB", "SERIAL", "AUTOINCREMENT"] {
                assert!(!upper.contains(banned), "{} uses {banned}", m.name);
            }
        }
    }
}

#[test]
fn every_locale_has_the_same_keys() {
    let i18n = qy_web::i18n::I18n::new(qy_audit::LOCALES).unwrap();
    let zh = i18n.keys("zh-CN");
    assert!(
        zh.contains("audit-nav") && zh.contains("error-audit-forbidden") && zh.contains("error-audit-invalid_date")
    );
    assert_eq!(zh, i18n.keys("en"));
    assert_eq!(zh, i18n.keys("bo"));
    // Every problem kind has its message.
    for kind in [
        "altered",
        "broken_link",
        "bad_genesis",
        "gap",
        "order",
        "bad_start",
        "truncated_end",
        "head_mismatch",
        "head_missing",
    ] {
        assert!(zh.contains(&format!("audit-problem-{kind}")), "{kind}");
    }
}

#[test]
fn the_tibetan_file_asks_for_review() {
    let bo = qy_audit::LOCALES.iter().find(|s| s.locale == "bo").unwrap();
    assert!(bo.text.starts_with("# NEEDS NATIVE REVIEW"));
}
