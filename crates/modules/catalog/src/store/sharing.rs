//! `catalog_system`, `catalog_share_request` and `catalog_grant`.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use super::{from_json_list, json_list};
use crate::domain::{Grant, ShareRequest, System};

fn system_of(r: &AnyRow) -> Result<System> {
    Ok(System {
        id: r.try_get("id").store()?,
        org_id: r.try_get("org_id").store()?,
        code: r.try_get("code").store()?,
        name: r.try_get("name").store()?,
        account_id: r.try_get("account_id").store()?,
        created_at: r.try_get("created_at").store()?,
    })
}

const SYSTEM_COLUMNS: &str = "id, org_id, code, name, account_id, created_at";

pub async fn insert_system(db: &Db, s: &System) -> Result<()> {
    query(&format!("INSERT INTO catalog_system ({SYSTEM_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)"))
        .bind(&s.id)
        .bind(&s.org_id)
        .bind(&s.code)
        .bind(&s.name)
        .bind(&s.account_id)
        .bind(s.created_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn system_by_account(db: &Db, account_id: &str) -> Result<Option<System>> {
    let row = query(&format!("SELECT {SYSTEM_COLUMNS} FROM catalog_system WHERE account_id = $1"))
        .bind(account_id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(system_of).transpose()
}

pub async fn system_by_id(db: &Db, id: &str) -> Result<Option<System>> {
    let row = query(&format!("SELECT {SYSTEM_COLUMNS} FROM catalog_system WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(system_of).transpose()
}

pub async fn systems(db: &Db) -> Result<Vec<System>> {
    let rows = query(&format!("SELECT {SYSTEM_COLUMNS} FROM catalog_system ORDER BY org_id, code"))
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(system_of).collect()
}

const REQUEST_COLUMNS: &str = "id, entry_id, system_id, purpose, basis, columns, region_filter, status, due_on, \
    due_provisional, requested_by, requested_at, decided_at, decision_reason";

fn request_of(r: &AnyRow) -> Result<ShareRequest> {
    let columns: String = r.try_get("columns").store()?;
    let provisional: i64 = r.try_get("due_provisional").store()?;
    Ok(ShareRequest {
        id: r.try_get("id").store()?,
        entry_id: r.try_get("entry_id").store()?,
        system_id: r.try_get("system_id").store()?,
        purpose: r.try_get("purpose").store()?,
        basis: r.try_get("basis").store()?,
        columns: from_json_list(&columns),
        region_filter: r.try_get("region_filter").store()?,
        status: r.try_get("status").store()?,
        due_on: r.try_get("due_on").store()?,
        due_provisional: provisional != 0,
        requested_by: r.try_get("requested_by").store()?,
        requested_at: r.try_get("requested_at").store()?,
        decided_at: r.try_get("decided_at").store()?,
        decision_reason: r.try_get("decision_reason").store()?,
    })
}

pub async fn insert_request(db: &Db, r: &ShareRequest) -> Result<()> {
    query(&format!(
        "INSERT INTO catalog_share_request ({REQUEST_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(&r.id)
    .bind(&r.entry_id)
    .bind(&r.system_id)
    .bind(&r.purpose)
    .bind(&r.basis)
    .bind(json_list(&r.columns))
    .bind(&r.region_filter)
    .bind(&r.status)
    .bind(&r.due_on)
    .bind(i64::from(r.due_provisional))
    .bind(&r.requested_by)
    .bind(r.requested_at)
    .bind(r.decided_at)
    .bind(&r.decision_reason)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn request_by_id(db: &Db, id: &str) -> Result<Option<ShareRequest>> {
    let row = query(&format!("SELECT {REQUEST_COLUMNS} FROM catalog_share_request WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(request_of).transpose()
}

/// Requests for entries of `org_id` (provider side) or by systems of `org_id` (consumer
/// side), newest first; all when `org_id` is None.
pub async fn requests(db: &Db, org_id: Option<&str>, as_provider: bool, limit: i64) -> Result<Vec<ShareRequest>> {
    let sql = match (org_id, as_provider) {
        (None, _) => format!(
            "SELECT {REQUEST_COLUMNS} FROM catalog_share_request WHERE CAST($1 AS TEXT) IS NOT NULL \
             ORDER BY requested_at DESC LIMIT $2"
        ),
        (Some(_), true) => format!(
            "SELECT {REQUEST_COLUMNS} FROM catalog_share_request WHERE entry_id IN \
             (SELECT id FROM catalog_entry WHERE org_id = $1) ORDER BY requested_at DESC LIMIT $2"
        ),
        (Some(_), false) => format!(
            "SELECT {REQUEST_COLUMNS} FROM catalog_share_request WHERE system_id IN \
             (SELECT id FROM catalog_system WHERE org_id = $1) ORDER BY requested_at DESC LIMIT $2"
        ),
    };
    let rows = query(&sql).bind(org_id.unwrap_or("")).bind(limit).fetch_all(db.pool()).await.store()?;
    rows.iter().map(request_of).collect()
}

/// Decides a submitted request; false when it was already decided.
pub async fn decide_request(db: &Db, id: &str, status: &str, by: &str, reason: Option<&str>, now: i64) -> Result<bool> {
    let r = query(
        "UPDATE catalog_share_request SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5 \
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

const GRANT_COLUMNS: &str = "id, request_id, entry_id, system_id, columns, region_filter, created_at, revoked_at";

fn grant_of(r: &AnyRow) -> Result<Grant> {
    let columns: String = r.try_get("columns").store()?;
    Ok(Grant {
        id: r.try_get("id").store()?,
        request_id: r.try_get("request_id").store()?,
        entry_id: r.try_get("entry_id").store()?,
        system_id: r.try_get("system_id").store()?,
        columns: from_json_list(&columns),
        region_filter: r.try_get("region_filter").store()?,
        created_at: r.try_get("created_at").store()?,
        revoked_at: r.try_get("revoked_at").store()?,
    })
}

pub async fn insert_grant(db: &Db, g: &Grant) -> Result<()> {
    query(&format!("INSERT INTO catalog_grant ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .bind(&g.id)
        .bind(&g.request_id)
        .bind(&g.entry_id)
        .bind(&g.system_id)
        .bind(json_list(&g.columns))
        .bind(&g.region_filter)
        .bind(g.created_at)
        .bind(g.revoked_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// The newest unrevoked grant of a system on an entry.
pub async fn active_grant(db: &Db, system_id: &str, entry_id: &str) -> Result<Option<Grant>> {
    let row = query(&format!(
        "SELECT {GRANT_COLUMNS} FROM catalog_grant WHERE system_id = $1 AND entry_id = $2 AND revoked_at IS NULL \
         ORDER BY created_at DESC LIMIT 1"
    ))
    .bind(system_id)
    .bind(entry_id)
    .fetch_optional(db.pool())
    .await
    .store()?;
    row.as_ref().map(grant_of).transpose()
}

pub async fn grant_by_id(db: &Db, id: &str) -> Result<Option<Grant>> {
    let row = query(&format!("SELECT {GRANT_COLUMNS} FROM catalog_grant WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(grant_of).transpose()
}

pub async fn grants_of_system(db: &Db, system_id: &str) -> Result<Vec<Grant>> {
    let rows =
        query(&format!("SELECT {GRANT_COLUMNS} FROM catalog_grant WHERE system_id = $1 ORDER BY created_at DESC"))
            .bind(system_id)
            .fetch_all(db.pool())
            .await
            .store()?;
    rows.iter().map(grant_of).collect()
}

pub async fn revoke_grant(db: &Db, id: &str, reason: &str, now: i64) -> Result<bool> {
    let r = query("UPDATE catalog_grant SET revoked_at = $2, revoked_reason = $3 WHERE id = $1 AND revoked_at IS NULL")
        .bind(id)
        .bind(now)
        .bind(reason)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}
