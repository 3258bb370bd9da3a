#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests of the audit module against a real database: SQLite by default,
//! PostgreSQL when `QY_TEST_DATABASE_URL` is set.

mod chain;
mod http;
mod migrations;

use std::sync::Arc;

use qy_kernel::audit::AuditEntry;
use qy_kernel::FixedClock;
use qy_storage::testing::TestDb;

/// 2026-03-01 10:00 in Xining (02:00 UTC).
pub const T0: i64 = 1_772_330_400_000;

/// A migrated test database.
pub async fn db() -> TestDb {
    println!("audit tests on {}", TestDb::backend_name());
    let t = TestDb::new().await.expect("test database");
    qy_storage::migrate(&t.db, &[qy_audit::MIGRATIONS], 0).await.expect("migrate");
    t
}

pub fn entry(i: usize) -> AuditEntry {
    let i = i64::try_from(i).unwrap();
    AuditEntry {
        actor: format!("acct-{}", i % 3),
        action: if i % 2 == 0 { "http.post".into() } else { "identity.personal_data.read".into() },
        target: format!("/api/v1/things/{i}"),
        outcome: if i % 5 == 0 { "403".into() } else { "200".into() },
        reason: (i % 2 == 1).then(|| "低保复核 \"审批\"\n第二行".to_owned()),
        request_id: (i % 3 == 0).then(|| format!("req-{i}")),
    }
}

/// A migrated database holding `n` entries, one minute apart from `T0`.
pub async fn db_with(n: usize) -> (TestDb, Arc<FixedClock>) {
    let t = db().await;
    let clock = Arc::new(FixedClock::new(T0));
    let log = qy_audit::AuditLog::new(t.db.clone(), clock.clone());
    for i in 1..=n {
        log.append_entry(entry(i)).await.expect("append");
        clock.advance_ms(60_000);
    }
    (t, clock)
}

/// Runs one statement of raw SQL, as someone with database access would.
pub async fn raw(t: &TestDb, sql: &str) {
    qy_storage::sqlx::query(sql).execute(t.db.pool()).await.expect(sql);
}
