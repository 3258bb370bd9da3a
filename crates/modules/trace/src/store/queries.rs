//! Named queries (`trace_query`) and their webhook subscriptions (`trace_subscription`).

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

#[derive(Debug, Clone, serde::Serialize)]
pub struct NamedQuery {
    pub name: String,
    pub query: serde_json::Value,
    pub created_at: i64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    pub id: String,
    pub query_name: String,
    pub dest: String,
    #[serde(skip)]
    pub signature_token: Option<String>,
    pub report_if_empty: bool,
    pub stream: bool,
    pub schedule: Option<serde_json::Value>,
    /// Events up to this sequence number have been reported.
    pub last_seq: i64,
    pub last_run: Option<i64>,
    pub last_status: Option<String>,
    pub created_at: i64,
}

fn named_of(r: &AnyRow) -> Result<NamedQuery> {
    let q: String = r.try_get("query").store()?;
    Ok(NamedQuery {
        name: r.try_get("name").store()?,
        query: serde_json::from_str(&q).unwrap_or_default(),
        created_at: r.try_get("created_at").store()?,
    })
}

/// Stores a named query; false when the name exists.
pub async fn create(db: &Db, name: &str, q: &serde_json::Value, by: &str, now: i64) -> Result<bool> {
    let r = query(
        "INSERT INTO trace_query (name, query, created_by, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(q.to_string())
    .bind(by)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

pub async fn get(db: &Db, name: &str) -> Result<Option<NamedQuery>> {
    let row = query("SELECT * FROM trace_query WHERE name = $1").bind(name).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(named_of).transpose()
}

pub async fn list(db: &Db) -> Result<Vec<NamedQuery>> {
    let rows = query("SELECT * FROM trace_query ORDER BY name").fetch_all(db.pool()).await.store()?;
    rows.iter().map(named_of).collect()
}

/// Deletes a named query and its subscriptions; false when there was none.
pub async fn delete(db: &Db, name: &str) -> Result<bool> {
    let mut tx = db.pool().begin().await.store()?;
    query("DELETE FROM trace_subscription WHERE query_name = $1").bind(name).execute(&mut *tx).await.store()?;
    let r = query("DELETE FROM trace_query WHERE name = $1").bind(name).execute(&mut *tx).await.store()?;
    tx.commit().await.store()?;
    Ok(r.rows_affected() == 1)
}

fn sub_of(r: &AnyRow) -> Result<Subscription> {
    let rie: i64 = r.try_get("report_if_empty").store()?;
    let stream: i64 = r.try_get("stream").store()?;
    let schedule: Option<String> = r.try_get("schedule").store()?;
    Ok(Subscription {
        id: r.try_get("id").store()?,
        query_name: r.try_get("query_name").store()?,
        dest: r.try_get("dest").store()?,
        signature_token: r.try_get("signature_token").store()?,
        report_if_empty: rie != 0,
        stream: stream != 0,
        schedule: schedule.and_then(|s| serde_json::from_str(&s).ok()),
        last_seq: r.try_get("last_seq").store()?,
        last_run: r.try_get("last_run").store()?,
        last_status: r.try_get("last_status").store()?,
        created_at: r.try_get("created_at").store()?,
    })
}

pub async fn subscribe(db: &Db, s: &Subscription) -> Result<()> {
    query(
        "INSERT INTO trace_subscription (id, query_name, dest, signature_token, report_if_empty, stream, schedule, \
         last_seq, last_run, last_status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, NULL, $9)",
    )
    .bind(&s.id)
    .bind(&s.query_name)
    .bind(&s.dest)
    .bind(s.signature_token.as_deref())
    .bind(i64::from(s.report_if_empty))
    .bind(i64::from(s.stream))
    .bind(s.schedule.as_ref().map(|v| v.to_string()))
    .bind(s.last_seq)
    .bind(s.created_at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn subscriptions(db: &Db, query_name: Option<&str>) -> Result<Vec<Subscription>> {
    let rows = match query_name {
        Some(n) => query("SELECT * FROM trace_subscription WHERE query_name = $1 ORDER BY created_at, id").bind(n),
        None => query("SELECT * FROM trace_subscription ORDER BY created_at, id"),
    }
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(sub_of).collect()
}

pub async fn subscription(db: &Db, query_name: &str, id: &str) -> Result<Option<Subscription>> {
    let row = query("SELECT * FROM trace_subscription WHERE query_name = $1 AND id = $2")
        .bind(query_name)
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(sub_of).transpose()
}

pub async fn unsubscribe(db: &Db, query_name: &str, id: &str) -> Result<bool> {
    let r = query("DELETE FROM trace_subscription WHERE query_name = $1 AND id = $2")
        .bind(query_name)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}

/// Records a delivery attempt; the bookmark moves only when the delivery succeeded.
pub async fn delivered(db: &Db, id: &str, last_seq: i64, status: &str, now: i64) -> Result<()> {
    query("UPDATE trace_subscription SET last_seq = $2, last_status = $3, last_run = $4 WHERE id = $1")
        .bind(id)
        .bind(last_seq)
        .bind(status)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn max_seq(db: &Db) -> Result<i64> {
    let r = query("SELECT COALESCE(MAX(seq), 0) AS m FROM trace_event").fetch_one(db.pool()).await.store()?;
    r.try_get("m").store()
}

/// The last event recorded before `ms` (a subscription's `initialRecordTime`).
pub async fn seq_before_record_time(db: &Db, ms: i64) -> Result<i64> {
    let r = query("SELECT COALESCE(MAX(seq), 0) AS m FROM trace_event WHERE record_time < $1")
        .bind(ms)
        .fetch_one(db.pool())
        .await
        .store()?;
    r.try_get("m").store()
}
