//! `catalog_call`: every exchange call, allowed or denied, in a SHA-256 chain (the same
//! construction as the audit log), with `catalog_call_head` anchoring the newest row so that
//! cutting the tail is detected too.

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{from_json_list, json_list};

/// The first row's `prev_hash`.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Call {
    pub seq: i64,
    pub at: i64,
    pub request_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system_id: Option<String>,
    pub account_id: String,
    pub entry_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grant_id: Option<String>,
    /// ok, denied or error
    pub outcome: String,
    pub reason: String,
    pub columns: Vec<String>,
    pub row_count: i64,
    /// SHA-256 of the normalised query (never the data itself).
    pub query_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The canonical text a row's hash covers (everything but the hash).
fn canonical(c: &Call) -> String {
    serde_json::json!([
        c.seq,
        c.at,
        c.request_id,
        c.system_id,
        c.account_id,
        c.entry_code,
        c.grant_id,
        c.outcome,
        c.reason,
        c.columns,
        c.row_count,
        c.query_digest,
        c.prev_hash
    ])
    .to_string()
}

pub fn hash_of(c: &Call) -> String {
    hex::encode(
        Sha256::new().chain_update(c.prev_hash.as_bytes()).chain_update(b"\n").chain_update(canonical(c)).finalize(),
    )
}

/// Appends a call: the next sequence number and hash are taken under the head row's lock
/// (SQLite serialises writers; PostgreSQL locks the head row with FOR UPDATE).
pub async fn append(db: &Db, mut c: Call) -> Result<Call> {
    let mut tx = db.pool().begin().await.store()?;
    // Write first: on SQLite a deferred transaction that reads and then writes fails at once
    // (SQLITE_BUSY) when another writer got there between; a first write waits for the lock
    // under the busy timeout instead. It also creates the head row on the first call.
    query("INSERT INTO catalog_call_head (id, seq, hash) VALUES (1, 0, $1) ON CONFLICT (id) DO NOTHING")
        .bind(GENESIS)
        .execute(&mut *tx)
        .await
        .store()?;
    let lock = match db.dialect() {
        qy_storage::Dialect::Postgres => " FOR UPDATE",
        qy_storage::Dialect::Sqlite => "",
    };
    let head = query(&format!("SELECT seq, hash FROM catalog_call_head WHERE id = 1{lock}"))
        .fetch_optional(&mut *tx)
        .await
        .store()?;
    let (prev_seq, prev_hash): (i64, String) = match head {
        Some(r) => (r.try_get("seq").store()?, r.try_get("hash").store()?),
        None => (0, GENESIS.to_owned()),
    };
    c.seq = prev_seq + 1;
    c.prev_hash = prev_hash;
    c.hash = hash_of(&c);
    query(
        "INSERT INTO catalog_call (seq, at, request_id, system_id, account_id, entry_code, grant_id, outcome, reason, \
         columns, row_count, query_digest, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(c.seq)
    .bind(c.at)
    .bind(&c.request_id)
    .bind(&c.system_id)
    .bind(&c.account_id)
    .bind(&c.entry_code)
    .bind(&c.grant_id)
    .bind(&c.outcome)
    .bind(&c.reason)
    .bind(json_list(&c.columns))
    .bind(c.row_count)
    .bind(&c.query_digest)
    .bind(&c.prev_hash)
    .bind(&c.hash)
    .execute(&mut *tx)
    .await
    .store()?;
    query(
        "INSERT INTO catalog_call_head (id, seq, hash) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
    )
    .bind(c.seq)
    .bind(&c.hash)
    .execute(&mut *tx)
    .await
    .store()?;
    tx.commit().await.store()?;
    Ok(c)
}

fn call_of(r: &qy_storage::sqlx::any::AnyRow) -> Result<Call> {
    let columns: String = r.try_get("columns").store()?;
    Ok(Call {
        seq: r.try_get("seq").store()?,
        at: r.try_get("at").store()?,
        request_id: r.try_get("request_id").store()?,
        system_id: r.try_get("system_id").store()?,
        account_id: r.try_get("account_id").store()?,
        entry_code: r.try_get("entry_code").store()?,
        grant_id: r.try_get("grant_id").store()?,
        outcome: r.try_get("outcome").store()?,
        reason: r.try_get("reason").store()?,
        columns: from_json_list(&columns),
        row_count: r.try_get("row_count").store()?,
        query_digest: r.try_get("query_digest").store()?,
        prev_hash: r.try_get("prev_hash").store()?,
        hash: r.try_get("hash").store()?,
    })
}

const COLUMNS: &str = "seq, at, request_id, system_id, account_id, entry_code, grant_id, outcome, reason, columns, \
    row_count, query_digest, prev_hash, hash";

/// Calls in sequence order after `after`, at most `limit`.
pub async fn page(db: &Db, after: i64, limit: i64) -> Result<Vec<Call>> {
    let rows = query(&format!("SELECT {COLUMNS} FROM catalog_call WHERE seq > $1 ORDER BY seq LIMIT $2"))
        .bind(after)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(call_of).collect()
}

/// Newest calls on entries of the given codes (or all), newest first.
pub async fn recent(db: &Db, entry_code: Option<&str>, limit: i64) -> Result<Vec<Call>> {
    let rows = match entry_code {
        Some(code) => {
            query(&format!("SELECT {COLUMNS} FROM catalog_call WHERE entry_code = $1 ORDER BY seq DESC LIMIT $2"))
                .bind(code)
                .bind(limit)
                .fetch_all(db.pool())
                .await
                .store()?
        }
        None => query(&format!("SELECT {COLUMNS} FROM catalog_call ORDER BY seq DESC LIMIT $1"))
            .bind(limit)
            .fetch_all(db.pool())
            .await
            .store()?,
    };
    rows.iter().map(call_of).collect()
}

pub async fn head(db: &Db) -> Result<Option<(i64, String)>> {
    let row = query("SELECT seq, hash FROM catalog_call_head WHERE id = 1").fetch_optional(db.pool()).await.store()?;
    row.map(|r| Ok((r.try_get("seq").store()?, r.try_get("hash").store()?))).transpose()
}

/// Usage per entry and system since `since`: (entry code, system id, calls, ok, denied, rows).
pub async fn usage(db: &Db, since: i64) -> Result<Vec<(String, Option<String>, i64, i64, i64, i64)>> {
    let rows = query(
        "SELECT entry_code, system_id, COUNT(*) AS calls, \
         SUM(CASE WHEN outcome = 'ok' THEN 1 ELSE 0 END) AS ok, \
         SUM(CASE WHEN outcome = 'denied' THEN 1 ELSE 0 END) AS denied, SUM(row_count) AS row_total \
         FROM catalog_call WHERE at >= $1 GROUP BY entry_code, system_id ORDER BY entry_code, system_id",
    )
    .bind(since)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("entry_code").store()?,
                r.try_get("system_id").store()?,
                r.try_get("calls").store()?,
                r.try_get::<Option<i64>, _>("ok").store()?.unwrap_or(0),
                r.try_get::<Option<i64>, _>("denied").store()?.unwrap_or(0),
                r.try_get::<Option<i64>, _>("row_total").store()?.unwrap_or(0),
            ))
        })
        .collect()
}
