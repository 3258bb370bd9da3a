//! `credit_repair` and `credit_objection`: applications a department must decide in time.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use super::flag;
use crate::domain::{Objection, Repair};

const REPAIR_COLUMNS: &str = "id, record_id, subject_id, status, applicant, obligations, commitment, submitted_at, \
    submitted_on, due_on, due_provisional, decided_at, decision_reason";

fn repair_of(r: &AnyRow) -> Result<Repair> {
    let provisional: i64 = r.try_get("due_provisional").store()?;
    Ok(Repair {
        id: r.try_get("id").store()?,
        record_id: r.try_get("record_id").store()?,
        subject_id: r.try_get("subject_id").store()?,
        status: r.try_get("status").store()?,
        applicant: r.try_get("applicant").store()?,
        obligations: r.try_get("obligations").store()?,
        commitment: r.try_get("commitment").store()?,
        submitted_at: r.try_get("submitted_at").store()?,
        submitted_on: r.try_get("submitted_on").store()?,
        due_on: r.try_get("due_on").store()?,
        due_provisional: provisional != 0,
        decided_at: r.try_get("decided_at").store()?,
        decision_reason: r.try_get("decision_reason").store()?,
    })
}

pub async fn insert_repair(db: &Db, r: &Repair) -> Result<()> {
    query(&format!(
        "INSERT INTO credit_repair ({REPAIR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
    ))
    .bind(&r.id)
    .bind(&r.record_id)
    .bind(&r.subject_id)
    .bind(&r.status)
    .bind(&r.applicant)
    .bind(&r.obligations)
    .bind(&r.commitment)
    .bind(r.submitted_at)
    .bind(&r.submitted_on)
    .bind(&r.due_on)
    .bind(flag(r.due_provisional))
    .bind(r.decided_at)
    .bind(&r.decision_reason)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn repair_by_id(db: &Db, id: &str) -> Result<Option<Repair>> {
    let row = query(&format!("SELECT {REPAIR_COLUMNS} FROM credit_repair WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(repair_of).transpose()
}

pub async fn repairs_of_subject(db: &Db, subject_id: &str) -> Result<Vec<Repair>> {
    let rows =
        query(&format!("SELECT {REPAIR_COLUMNS} FROM credit_repair WHERE subject_id = $1 ORDER BY submitted_at DESC"))
            .bind(subject_id)
            .fetch_all(db.pool())
            .await
            .store()?;
    rows.iter().map(repair_of).collect()
}

/// Repairs not yet decided (submitted or accepted), the nearest deadline first.
pub async fn open_repairs(db: &Db, limit: i64) -> Result<Vec<Repair>> {
    let rows = query(&format!(
        "SELECT {REPAIR_COLUMNS} FROM credit_repair WHERE status IN ('submitted', 'accepted') ORDER BY due_on, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(repair_of).collect()
}

/// Moves a repair from `from` to `to`; false when it was not in `from` any more (someone
/// else decided first).
pub async fn decide_repair(
    db: &Db,
    id: &str,
    from: &str,
    to: &str,
    by: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let r = query(
        "UPDATE credit_repair SET status = $3, decided_by = $4, decided_at = $5, decision_reason = COALESCE($6, decision_reason) \
         WHERE id = $1 AND status = $2",
    )
    .bind(id)
    .bind(from)
    .bind(to)
    .bind(by)
    .bind(now)
    .bind(reason)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

const OBJECTION_COLUMNS: &str =
    "id, record_id, subject_id, status, raised_by, grounds, raised_at, due_on, due_provisional, answered_at, answer";

fn objection_of(r: &AnyRow) -> Result<Objection> {
    let provisional: i64 = r.try_get("due_provisional").store()?;
    Ok(Objection {
        id: r.try_get("id").store()?,
        record_id: r.try_get("record_id").store()?,
        subject_id: r.try_get("subject_id").store()?,
        status: r.try_get("status").store()?,
        grounds: r.try_get("grounds").store()?,
        raised_at: r.try_get("raised_at").store()?,
        due_on: r.try_get("due_on").store()?,
        due_provisional: provisional != 0,
        answered_at: r.try_get("answered_at").store()?,
        answer: r.try_get("answer").store()?,
    })
}

pub async fn insert_objection(db: &Db, o: &Objection, raised_by: &str) -> Result<()> {
    query(&format!(
        "INSERT INTO credit_objection ({OBJECTION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&o.id)
    .bind(&o.record_id)
    .bind(&o.subject_id)
    .bind(&o.status)
    .bind(raised_by)
    .bind(&o.grounds)
    .bind(o.raised_at)
    .bind(&o.due_on)
    .bind(flag(o.due_provisional))
    .bind(o.answered_at)
    .bind(&o.answer)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn objection_by_id(db: &Db, id: &str) -> Result<Option<Objection>> {
    let row = query(&format!("SELECT {OBJECTION_COLUMNS} FROM credit_objection WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(objection_of).transpose()
}

pub async fn objections_of_subject(db: &Db, subject_id: &str) -> Result<Vec<Objection>> {
    let rows = query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM credit_objection WHERE subject_id = $1 ORDER BY raised_at DESC"
    ))
    .bind(subject_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(objection_of).collect()
}

pub async fn open_objections(db: &Db, limit: i64) -> Result<Vec<Objection>> {
    let rows = query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM credit_objection WHERE status = 'open' ORDER BY due_on, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(objection_of).collect()
}

/// Answers an open objection; false when it was already answered.
pub async fn answer_objection(db: &Db, id: &str, status: &str, by: &str, answer: &str, now: i64) -> Result<bool> {
    let r = query(
        "UPDATE credit_objection SET status = $2, answered_by = $3, answer = $4, answered_at = $5 \
         WHERE id = $1 AND status = 'open'",
    )
    .bind(id)
    .bind(status)
    .bind(by)
    .bind(answer)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}
