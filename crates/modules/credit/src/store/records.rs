//! `credit_record` and its version log.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Params, Row, StoreResultExt};

use super::flag;
use crate::domain::{Record, RecordKind};

const COLUMNS: &str = "id, subject_id, kind, decision_no, decision_date, severity, authority, authority_uscc, data, \
    published_on, late_publication, regime, published, min_end, max_end, repairable, repaired_at, withdrawn_at, \
    withdrawn_reason, department_id, received_at";

fn record_of(r: &AnyRow) -> Result<Record> {
    let kind: String = r.try_get("kind").store()?;
    let data: String = r.try_get("data").store()?;
    let late: i64 = r.try_get("late_publication").store()?;
    let published: i64 = r.try_get("published").store()?;
    let repairable: i64 = r.try_get("repairable").store()?;
    Ok(Record {
        id: r.try_get("id").store()?,
        subject_id: r.try_get("subject_id").store()?,
        kind: RecordKind::parse(&kind).unwrap_or(RecordKind::Penalty),
        decision_no: r.try_get("decision_no").store()?,
        decision_date: r.try_get("decision_date").store()?,
        severity: r.try_get("severity").store()?,
        authority: r.try_get("authority").store()?,
        authority_uscc: r.try_get("authority_uscc").store()?,
        data: serde_json::from_str(&data).unwrap_or(serde_json::Value::Null),
        published_on: r.try_get("published_on").store()?,
        late_publication: late != 0,
        regime: r.try_get("regime").store()?,
        published: published != 0,
        min_end: r.try_get("min_end").store()?,
        max_end: r.try_get("max_end").store()?,
        repairable: repairable != 0,
        repaired_at: r.try_get("repaired_at").store()?,
        withdrawn_at: r.try_get("withdrawn_at").store()?,
        withdrawn_reason: r.try_get("withdrawn_reason").store()?,
        department_id: r.try_get("department_id").store()?,
        received_at: r.try_get("received_at").store()?,
    })
}

/// A record to store, with what only the store keeps.
#[derive(Debug, Clone)]
pub struct StoredRecord {
    pub record: Record,
    pub data_hash: String,
    pub person_id_sealed: Option<String>,
    pub entered_by: String,
    pub batch_id: Option<String>,
}

/// (record, hash of its data) for a decision document number.
pub async fn by_decision(db: &Db, kind: RecordKind, decision_no: &str) -> Result<Option<(Record, String)>> {
    let row = query(&format!("SELECT {COLUMNS}, data_hash FROM credit_record WHERE kind = $1 AND decision_no = $2"))
        .bind(kind.as_str())
        .bind(decision_no)
        .fetch_optional(db.pool())
        .await
        .store()?;
    match row {
        Some(r) => Ok(Some((record_of(&r)?, r.try_get("data_hash").store()?))),
        None => Ok(None),
    }
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Record>> {
    let row = query(&format!("SELECT {COLUMNS} FROM credit_record WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(record_of).transpose()
}

pub async fn of_subject(db: &Db, subject_id: &str) -> Result<Vec<Record>> {
    let rows = query(&format!(
        "SELECT {COLUMNS} FROM credit_record WHERE subject_id = $1 ORDER BY decision_date DESC, decision_no"
    ))
    .bind(subject_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(record_of).collect()
}

/// The newest records, optionally of one department or kind (staff lists).
pub async fn recent(db: &Db, department_id: Option<&str>, kind: Option<RecordKind>, limit: i64) -> Result<Vec<Record>> {
    let mut p = Params::new();
    let mut sql = format!("SELECT {COLUMNS} FROM credit_record WHERE 1 = 1");
    if let Some(d) = department_id {
        sql.push_str(&format!(" AND department_id = {}", p.push(d)));
    }
    if let Some(k) = kind {
        sql.push_str(&format!(" AND kind = {}", p.push(k.as_str())));
    }
    sql.push_str(&format!(" ORDER BY received_at DESC, id LIMIT {}", p.push(limit)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(record_of).collect()
}

pub async fn insert(db: &Db, s: &StoredRecord) -> Result<()> {
    let r = &s.record;
    let data = r.data.to_string();
    let mut tx = db.pool().begin().await.store()?;
    query(
        "INSERT INTO credit_record (id, subject_id, kind, decision_no, decision_date, severity, authority, \
         authority_uscc, data, data_hash, person_id_sealed, department_id, entered_by, batch_id, received_at, \
         updated_at, published_on, late_publication, regime, published, min_end, max_end, repairable) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(&r.id)
    .bind(&r.subject_id)
    .bind(r.kind.as_str())
    .bind(&r.decision_no)
    .bind(&r.decision_date)
    .bind(&r.severity)
    .bind(&r.authority)
    .bind(&r.authority_uscc)
    .bind(&data)
    .bind(&s.data_hash)
    .bind(&s.person_id_sealed)
    .bind(&r.department_id)
    .bind(&s.entered_by)
    .bind(&s.batch_id)
    .bind(r.received_at)
    .bind(&r.published_on)
    .bind(flag(r.late_publication))
    .bind(&r.regime)
    .bind(flag(r.published))
    .bind(&r.min_end)
    .bind(&r.max_end)
    .bind(flag(r.repairable))
    .execute(&mut *tx)
    .await
    .store()?;
    insert_version(&mut tx, &r.id, 1, &data, r.received_at, &s.entered_by).await?;
    tx.commit().await.store()
}

async fn insert_version(
    tx: &mut qy_storage::sqlx::Transaction<'static, qy_storage::sqlx::Any>,
    record_id: &str,
    version: i64,
    data: &str,
    at: i64,
    by: &str,
) -> Result<()> {
    query("INSERT INTO credit_record_version (record_id, version, data, changed_at, changed_by) VALUES ($1, $2, $3, $4, $5)")
        .bind(record_id)
        .bind(version)
        .bind(data)
        .bind(at)
        .bind(by)
        .execute(&mut **tx)
        .await
        .store()?;
    Ok(())
}

/// A corrected version of an existing decision: new data and publication window, a new
/// version row, and a withdrawal (pending correction) lifted.
pub async fn correct(db: &Db, s: &StoredRecord, now: i64) -> Result<()> {
    let r = &s.record;
    let data = r.data.to_string();
    let mut tx = db.pool().begin().await.store()?;
    let row = query("SELECT COALESCE(MAX(version), 0) AS v FROM credit_record_version WHERE record_id = $1")
        .bind(&r.id)
        .fetch_one(&mut *tx)
        .await
        .store()?;
    let version: i64 = row.try_get("v").store()?;
    query(
        "UPDATE credit_record SET subject_id = $2, decision_date = $3, severity = $4, authority = $5, \
         authority_uscc = $6, data = $7, data_hash = $8, person_id_sealed = $9, updated_at = $10, regime = $11, \
         published = $12, min_end = $13, max_end = $14, repairable = $15, withdrawn_at = NULL, withdrawn_reason = NULL \
         WHERE id = $1",
    )
    .bind(&r.id)
    .bind(&r.subject_id)
    .bind(&r.decision_date)
    .bind(&r.severity)
    .bind(&r.authority)
    .bind(&r.authority_uscc)
    .bind(&data)
    .bind(&s.data_hash)
    .bind(&s.person_id_sealed)
    .bind(now)
    .bind(&r.regime)
    .bind(flag(r.published))
    .bind(&r.min_end)
    .bind(&r.max_end)
    .bind(flag(r.repairable))
    .execute(&mut *tx)
    .await
    .store()?;
    insert_version(&mut tx, &r.id, version + 1, &data, now, &s.entered_by).await?;
    tx.commit().await.store()
}

pub async fn set_repaired(db: &Db, id: &str, at: i64) -> Result<()> {
    query("UPDATE credit_record SET repaired_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn set_withdrawn(db: &Db, id: &str, at: i64, reason: &str) -> Result<()> {
    query("UPDATE credit_record SET withdrawn_at = $2, withdrawn_reason = $3, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(reason)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// Versions of a record: (version, data, changed_at, changed_by).
pub async fn versions(db: &Db, id: &str) -> Result<Vec<(i64, String, i64, String)>> {
    let rows = query(
        "SELECT version, data, changed_at, changed_by FROM credit_record_version WHERE record_id = $1 ORDER BY version",
    )
    .bind(id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("version").store()?,
                r.try_get("data").store()?,
                r.try_get("changed_at").store()?,
                r.try_get("changed_by").store()?,
            ))
        })
        .collect()
}

/// Removes the records an import batch created, with their versions, when a later row of
/// the batch fails to store. (Rows are validated before any is stored, so this only runs on
/// a store failure or a permission conflict on an existing record.)
pub async fn undo_batch(db: &Db, batch_id: &str) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    query("DELETE FROM credit_record_version WHERE record_id IN (SELECT id FROM credit_record WHERE batch_id = $1)")
        .bind(batch_id)
        .execute(&mut *tx)
        .await
        .store()?;
    query("DELETE FROM credit_record WHERE batch_id = $1").bind(batch_id).execute(&mut *tx).await.store()?;
    tx.commit().await.store()
}
