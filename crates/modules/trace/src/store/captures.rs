//! `trace_capture`: capture jobs.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use crate::domain::CaptureJob;

const COLUMNS: &str =
    "id, created_at, finished_at, running, success, behaviour, event_count, captured, duplicates, errors";

fn job_of(r: &AnyRow) -> Result<CaptureJob> {
    let running: i64 = r.try_get("running").store()?;
    let success: i64 = r.try_get("success").store()?;
    let errors: String = r.try_get("errors").store()?;
    Ok(CaptureJob {
        id: r.try_get("id").store()?,
        created_at: r.try_get("created_at").store()?,
        finished_at: r.try_get("finished_at").store()?,
        running: running != 0,
        success: success != 0,
        behaviour: r.try_get("behaviour").store()?,
        event_count: r.try_get("event_count").store()?,
        captured: r.try_get("captured").store()?,
        duplicates: r.try_get("duplicates").store()?,
        errors: serde_json::from_str(&errors).unwrap_or(serde_json::Value::Null),
    })
}

pub async fn create(db: &Db, id: &str, behaviour: &str, event_count: i64, by: &str, now: i64) -> Result<()> {
    query(
        "INSERT INTO trace_capture (id, created_at, finished_at, running, success, behaviour, event_count, captured, \
         duplicates, errors, created_by) VALUES ($1, $2, NULL, 1, 1, $3, $4, 0, 0, '[]', $5)",
    )
    .bind(id)
    .bind(now)
    .bind(behaviour)
    .bind(event_count)
    .bind(by)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn finish(
    db: &Db,
    id: &str,
    success: bool,
    captured: i64,
    duplicates: i64,
    errors: &serde_json::Value,
    now: i64,
) -> Result<()> {
    query(
        "UPDATE trace_capture SET running = 0, success = $2, captured = $3, duplicates = $4, errors = $5, \
         finished_at = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(i64::from(success))
    .bind(captured)
    .bind(duplicates)
    .bind(errors.to_string())
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn get(db: &Db, id: &str) -> Result<Option<CaptureJob>> {
    let row = query(&format!("SELECT {COLUMNS} FROM trace_capture WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(job_of).transpose()
}

pub async fn recent(db: &Db, limit: i64) -> Result<Vec<CaptureJob>> {
    let rows = query(&format!("SELECT {COLUMNS} FROM trace_capture ORDER BY created_at DESC, id LIMIT $1"))
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(job_of).collect()
}
