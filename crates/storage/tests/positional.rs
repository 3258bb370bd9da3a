//! `Params::positional` on the real engines: SQLite, or PostgreSQL when
//! `QY_TEST_DATABASE_URL` is set.
#![allow(clippy::unwrap_used)]

use qy_storage::Params;

#[tokio::test]
async fn a_large_positional_insert_stores_every_value_in_order() {
    let t = qy_storage::testing::TestDb::new().await.unwrap();
    let db = &t.db;
    qy_storage::sqlx::query("CREATE TABLE pos_t (k BIGINT PRIMARY KEY, v TEXT NOT NULL)")
        .execute(db.pool())
        .await
        .unwrap();
    let keys: Vec<i64> = (0..3_000).collect();
    for chunk in keys.chunks(db.dialect().rows_per_positional_statement(2)) {
        let mut p = Params::positional(db.dialect());
        let tuples: Vec<String> =
            chunk.iter().map(|k| format!("({}, {})", p.push(*k), p.push(format!("v{k}")))).collect();
        let sql = format!("INSERT INTO pos_t (k, v) VALUES {}", tuples.join(", "));
        p.bind(&sql).execute(db.pool()).await.unwrap();
    }
    let (n, v): (i64, String) = qy_storage::sqlx::query_as("SELECT COUNT(*), MAX(v) FROM pos_t WHERE v = 'v' || k")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!((n, v.as_str()), (3_000, "v999"));
}
