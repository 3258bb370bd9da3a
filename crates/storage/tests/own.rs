//! `Db::own_connection` on the real engines: SQLite, or PostgreSQL when `QY_TEST_DATABASE_URL`
//! is set. A session's temporary table tells which connection a statement ran on.
#![allow(clippy::unwrap_used)]

use qy_storage::sqlx::query;
use qy_storage::testing::TestDb;
use qy_storage::OwnConnection;

async fn marked(own: &mut OwnConnection) -> bool {
    query("SELECT COUNT(*) FROM mark").fetch_one(own.get().await.unwrap()).await.is_ok()
}

#[tokio::test]
async fn the_same_connection_until_discarded_with_its_own_page_cache() {
    let t = TestDb::new().await.unwrap();
    let mut own = t.db.own_connection(8);
    query("CREATE TEMPORARY TABLE mark (x INTEGER)").execute(own.get().await.unwrap()).await.unwrap();
    assert!(marked(&mut own).await, "the same connection on the next use");
    if t.db.dialect() == qy_storage::Dialect::Sqlite {
        let (pages,): (i64,) =
            qy_storage::sqlx::query_as("PRAGMA cache_size").fetch_one(own.get().await.unwrap()).await.unwrap();
        assert_eq!(pages, -8 * 1024, "8 MiB, in KiB");
    }
    // Not one of the pool's: a pooled connection does not see the session's table.
    assert!(query("SELECT COUNT(*) FROM mark").fetch_one(t.db.pool()).await.is_err());
    own.discard();
    assert!(!marked(&mut own).await, "a new connection after discard");
    t.db.close().await;
}
