//! `catalog_objection` (数据异议), `catalog_open_application` (有条件开放申请) and
//! `catalog_api_key` (developer keys of the open-data API).

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use crate::domain::{Objection, OpenApplication};

const OBJECTION_COLUMNS: &str =
    "id, entry_id, raised_by, description, status, due_on, due_provisional, raised_at, answered_at, answer";

fn objection_of(r: &qy_storage::sqlx::any::AnyRow) -> Result<Objection> {
    let provisional: i64 = r.try_get("due_provisional").store()?;
    Ok(Objection {
        id: r.try_get("id").store()?,
        entry_id: r.try_get("entry_id").store()?,
        raised_by: r.try_get("raised_by").store()?,
        description: r.try_get("description").store()?,
        status: r.try_get("status").store()?,
        due_on: r.try_get("due_on").store()?,
        due_provisional: provisional != 0,
        raised_at: r.try_get("raised_at").store()?,
        answered_at: r.try_get("answered_at").store()?,
        answer: r.try_get("answer").store()?,
    })
}

pub async fn insert_objection(db: &Db, o: &Objection, org_id: Option<&str>) -> Result<()> {
    query(&format!(
        "INSERT INTO catalog_objection ({OBJECTION_COLUMNS}, raised_by_org) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ))
    .bind(&o.id)
    .bind(&o.entry_id)
    .bind(&o.raised_by)
    .bind(&o.description)
    .bind(&o.status)
    .bind(&o.due_on)
    .bind(i64::from(o.due_provisional))
    .bind(o.raised_at)
    .bind(o.answered_at)
    .bind(&o.answer)
    .bind(org_id)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn objection_by_id(db: &Db, id: &str) -> Result<Option<Objection>> {
    let row = query(&format!("SELECT {OBJECTION_COLUMNS} FROM catalog_objection WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(objection_of).transpose()
}

pub async fn objections_of_entry(db: &Db, entry_id: &str) -> Result<Vec<Objection>> {
    let rows = query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM catalog_objection WHERE entry_id = $1 ORDER BY raised_at DESC"
    ))
    .bind(entry_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(objection_of).collect()
}

/// Open objections on entries of `org_id` (all when None), nearest deadline first.
pub async fn open_objections(db: &Db, org_id: Option<&str>) -> Result<Vec<Objection>> {
    let rows = query(&format!(
        "SELECT {OBJECTION_COLUMNS} FROM catalog_objection WHERE status = 'open' AND ($1 = '' OR entry_id IN \
         (SELECT id FROM catalog_entry WHERE org_id = $1)) ORDER BY due_on, id"
    ))
    .bind(org_id.unwrap_or(""))
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(objection_of).collect()
}

pub async fn answer_objection(db: &Db, id: &str, status: &str, by: &str, answer: &str, now: i64) -> Result<bool> {
    let r = query(
        "UPDATE catalog_objection SET status = $2, answered_by = $3, answer = $4, answered_at = $5 \
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

const APPLICATION_COLUMNS: &str = "id, entry_id, applicant, purpose, status, due_on, applied_at, decision_reason";

fn application_of(r: &qy_storage::sqlx::any::AnyRow) -> Result<OpenApplication> {
    Ok(OpenApplication {
        id: r.try_get("id").store()?,
        entry_id: r.try_get("entry_id").store()?,
        applicant: r.try_get("applicant").store()?,
        purpose: r.try_get("purpose").store()?,
        status: r.try_get("status").store()?,
        due_on: r.try_get("due_on").store()?,
        applied_at: r.try_get("applied_at").store()?,
        decision_reason: r.try_get("decision_reason").store()?,
    })
}

pub async fn insert_application(db: &Db, a: &OpenApplication, account_id: &str) -> Result<()> {
    query(
        "INSERT INTO catalog_open_application (id, entry_id, account_id, applicant, purpose, status, due_on, applied_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&a.id)
    .bind(&a.entry_id)
    .bind(account_id)
    .bind(&a.applicant)
    .bind(&a.purpose)
    .bind(&a.status)
    .bind(&a.due_on)
    .bind(a.applied_at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn application_by_id(db: &Db, id: &str) -> Result<Option<OpenApplication>> {
    let row = query(&format!("SELECT {APPLICATION_COLUMNS} FROM catalog_open_application WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(application_of).transpose()
}

pub async fn applications_of_account(db: &Db, account_id: &str) -> Result<Vec<OpenApplication>> {
    let rows = query(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM catalog_open_application WHERE account_id = $1 ORDER BY applied_at DESC"
    ))
    .bind(account_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(application_of).collect()
}

/// Submitted applications on entries of `org_id` (all when None).
pub async fn pending_applications(db: &Db, org_id: Option<&str>) -> Result<Vec<OpenApplication>> {
    let rows = query(&format!(
        "SELECT {APPLICATION_COLUMNS} FROM catalog_open_application WHERE status = 'submitted' AND ($1 = '' OR entry_id IN \
         (SELECT id FROM catalog_entry WHERE org_id = $1)) ORDER BY due_on, id"
    ))
    .bind(org_id.unwrap_or(""))
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(application_of).collect()
}

pub async fn decide_application(
    db: &Db,
    id: &str,
    status: &str,
    by: &str,
    reason: Option<&str>,
    now: i64,
) -> Result<bool> {
    let r = query(
        "UPDATE catalog_open_application SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5 \
         WHERE id = $1 AND status = 'submitted'",
    )
    .bind(id)
    .bind(status)
    .bind(by)
    .bind(now)
    .bind(reason)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

/// Has the account an approved application for the entry?
pub async fn approved(db: &Db, account_id: &str, entry_id: &str) -> Result<bool> {
    let row = query(
        "SELECT COUNT(*) AS n FROM catalog_open_application WHERE account_id = $1 AND entry_id = $2 AND status = 'approved'",
    )
    .bind(account_id)
    .bind(entry_id)
    .fetch_one(db.pool())
    .await
    .store()?;
    Ok(row.try_get::<i64, _>("n").store()? > 0)
}

pub async fn insert_key(db: &Db, id: &str, account_id: &str, name: &str, key_hash: &str, now: i64) -> Result<()> {
    query("INSERT INTO catalog_api_key (id, account_id, name, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(account_id)
        .bind(name)
        .bind(key_hash)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// The account of an unrevoked key.
pub async fn account_of_key(db: &Db, key_hash: &str) -> Result<Option<String>> {
    let row = query("SELECT account_id FROM catalog_api_key WHERE key_hash = $1 AND revoked_at IS NULL")
        .bind(key_hash)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.map(|r| r.try_get("account_id").store()).transpose()
}

/// Keys of an account: (id, name, created_at, revoked_at).
pub async fn keys_of(db: &Db, account_id: &str) -> Result<Vec<(String, String, i64, Option<i64>)>> {
    let rows = query(
        "SELECT id, name, created_at, revoked_at FROM catalog_api_key WHERE account_id = $1 ORDER BY created_at DESC",
    )
    .bind(account_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id").store()?,
                r.try_get("name").store()?,
                r.try_get("created_at").store()?,
                r.try_get("revoked_at").store()?,
            ))
        })
        .collect()
}

pub async fn revoke_key(db: &Db, id: &str, account_id: &str, now: i64) -> Result<bool> {
    let r =
        query("UPDATE catalog_api_key SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL")
            .bind(id)
            .bind(account_id)
            .bind(now)
            .execute(db.pool())
            .await
            .store()?;
    Ok(r.rows_affected() == 1)
}
