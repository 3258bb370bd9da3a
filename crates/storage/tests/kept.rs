//! `Db::kept` on the real engines: SQLite, or PostgreSQL when `QY_TEST_DATABASE_URL` is set.
//! A session's temporary table tells which connection a statement ran on.
#![allow(clippy::unwrap_used)]

use qy_storage::sqlx::query;
use qy_storage::testing::TestDb;
use qy_storage::Db;

/// Whether the connection `Db::kept` hands out next is the one that made `mark`.
async fn next_is_marked(db: &Db) -> bool {
    let mut conn = db.kept().await.unwrap();
    let seen = query("SELECT COUNT(*) FROM mark").fetch_one(&mut *conn).await;
    let marked = seen.is_ok();
    conn.give_back(&seen);
    marked
}

async fn marked_connection(db: &Db) -> qy_storage::KeptConnection {
    let mut conn = db.kept().await.unwrap();
    query("CREATE TEMPORARY TABLE mark (x INTEGER)").execute(&mut *conn).await.unwrap();
    conn
}

#[tokio::test]
async fn a_connection_given_back_is_the_next_one_out() {
    let t = TestDb::new().await.unwrap();
    let conn = marked_connection(&t.db).await;
    conn.keep();
    assert!(next_is_marked(&t.db).await);
    // Still there after a statement the database refused: that statement ran to its end.
    let mut conn = t.db.kept().await.unwrap();
    let refused = query("SELECT * FROM no_such_table").fetch_all(&mut *conn).await;
    assert!(matches!(refused, Err(qy_storage::sqlx::Error::Database(_))), "the database refuses it");
    conn.give_back(&refused);
    assert!(next_is_marked(&t.db).await);
    t.db.close().await;
}

#[tokio::test]
async fn a_connection_not_given_back_is_closed_not_reused() {
    let t = TestDb::new().await.unwrap();
    drop(marked_connection(&t.db).await);
    assert!(!next_is_marked(&t.db).await);
    t.db.close().await;
}

#[tokio::test]
async fn many_at_once_stay_within_the_pool_and_four_kept() {
    let t = TestDb::new().await.unwrap();
    let mut held = Vec::new();
    for _ in 0..10 {
        let mut conn = t.db.kept().await.unwrap();
        query("SELECT 1").fetch_one(&mut *conn).await.unwrap();
        held.push(conn);
    }
    if t.db.dialect() == qy_storage::Dialect::Postgres {
        let mut probe = t.db.kept().await.unwrap();
        let (n,): (i64,) = qy_storage::sqlx::query_as(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend'",
        )
        .fetch_one(&mut *probe)
        .await
        .unwrap();
        // Ten held and the probe: at most four of them outside the pool.
        assert!((11..=11 + 4).contains(&n), "{n} sessions");
        probe.keep();
    }
    for conn in held {
        conn.keep();
    }
    assert!(!next_is_marked(&t.db).await, "no connection was marked");
    t.db.close().await;
}

#[tokio::test]
async fn a_connection_given_back_after_close_is_not_handed_out_again() {
    let t = TestDb::new().await.unwrap();
    let conn = marked_connection(&t.db).await;
    t.db.close().await;
    conn.keep();
    assert!(t.db.kept().await.is_err(), "the store is closed");
}
