//! `credit_list_entry`: red, serious-dishonesty and key-attention lists.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Params, Row, StoreResultExt};

use crate::domain::{ListEntry, ListKind};

const COLUMNS: &str = "id, subject_id, list, status, legal_basis, reason, authority, authority_uscc, decided_on, \
    valid_from, valid_to, exit_reason, removed_on, department_id, proposed_by";

fn entry_of(r: &AnyRow) -> Result<ListEntry> {
    let list: String = r.try_get("list").store()?;
    Ok(ListEntry {
        id: r.try_get("id").store()?,
        subject_id: r.try_get("subject_id").store()?,
        list: ListKind::parse(&list).unwrap_or(ListKind::KeyAttention),
        status: r.try_get("status").store()?,
        legal_basis: r.try_get("legal_basis").store()?,
        reason: r.try_get("reason").store()?,
        authority: r.try_get("authority").store()?,
        authority_uscc: r.try_get("authority_uscc").store()?,
        decided_on: r.try_get("decided_on").store()?,
        valid_from: r.try_get("valid_from").store()?,
        valid_to: r.try_get("valid_to").store()?,
        exit_reason: r.try_get("exit_reason").store()?,
        removed_on: r.try_get("removed_on").store()?,
        department_id: r.try_get("department_id").store()?,
        proposed_by: r.try_get("proposed_by").store()?,
    })
}

pub async fn insert(db: &Db, e: &ListEntry, now: i64) -> Result<()> {
    query(
        "INSERT INTO credit_list_entry (id, subject_id, list, status, legal_basis, reason, authority, authority_uscc, \
         decided_on, valid_from, valid_to, department_id, proposed_by, proposed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&e.id)
    .bind(&e.subject_id)
    .bind(e.list.as_str())
    .bind(&e.status)
    .bind(&e.legal_basis)
    .bind(&e.reason)
    .bind(&e.authority)
    .bind(&e.authority_uscc)
    .bind(&e.decided_on)
    .bind(&e.valid_from)
    .bind(&e.valid_to)
    .bind(&e.department_id)
    .bind(&e.proposed_by)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<ListEntry>> {
    let row = query(&format!("SELECT {COLUMNS} FROM credit_list_entry WHERE id = $1"))
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(entry_of).transpose()
}

pub async fn of_subject(db: &Db, subject_id: &str) -> Result<Vec<ListEntry>> {
    let rows =
        query(&format!("SELECT {COLUMNS} FROM credit_list_entry WHERE subject_id = $1 ORDER BY decided_on DESC, id"))
            .bind(subject_id)
            .fetch_all(db.pool())
            .await
            .store()?;
    rows.iter().map(entry_of).collect()
}

/// Entries of one list, optionally in one status, newest first.
pub async fn of_list(db: &Db, list: ListKind, status: Option<&str>, limit: i64) -> Result<Vec<ListEntry>> {
    let mut p = Params::new();
    let mut sql = format!("SELECT {COLUMNS} FROM credit_list_entry WHERE list = {}", p.push(list.as_str()));
    if let Some(s) = status {
        sql.push_str(&format!(" AND status = {}", p.push(s)));
    }
    sql.push_str(&format!(" ORDER BY decided_on DESC, id LIMIT {}", p.push(limit)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(entry_of).collect()
}

/// Entries waiting for a second person: proposed entries and requested exits.
pub async fn pending(db: &Db, limit: i64) -> Result<Vec<ListEntry>> {
    let rows = query(&format!(
        "SELECT {COLUMNS} FROM credit_list_entry WHERE status IN ('proposed', 'exit_requested') \
         ORDER BY proposed_at, id LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(entry_of).collect()
}

pub async fn approve(db: &Db, id: &str, by: &str, now: i64) -> Result<()> {
    query("UPDATE credit_list_entry SET status = 'active', approved_by = $2, approved_at = $3 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn set_status(db: &Db, id: &str, status: &str) -> Result<()> {
    query("UPDATE credit_list_entry SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn request_exit(db: &Db, id: &str, by: &str, reason: &str) -> Result<()> {
    query(
        "UPDATE credit_list_entry SET status = 'exit_requested', exit_requested_by = $2, exit_reason = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(by)
    .bind(reason)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn remove(db: &Db, id: &str, by: &str, on: &str, now: i64) -> Result<()> {
    query("UPDATE credit_list_entry SET status = 'removed', removed_by = $2, removed_on = $3, removed_at = $4 WHERE id = $1")
        .bind(id)
        .bind(by)
        .bind(on)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// Suspends the subject's active red-list entries because of `cause` (a serious-dishonesty
/// entry): 守信激励 presupposes no serious dishonesty. Returns how many were suspended.
pub async fn suspend_red(db: &Db, subject_id: &str, cause: &str) -> Result<u64> {
    let r = query(
        "UPDATE credit_list_entry SET status = 'suspended', suspended_by = $2 \
         WHERE subject_id = $1 AND list = 'red' AND status = 'active'",
    )
    .bind(subject_id)
    .bind(cause)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected())
}

/// Lifts suspensions caused by `cause` once it has ended. Returns how many resumed.
pub async fn resume_red(db: &Db, cause: &str) -> Result<u64> {
    let r = query(
        "UPDATE credit_list_entry SET status = 'active', suspended_by = NULL WHERE status = 'suspended' AND suspended_by = $1",
    )
    .bind(cause)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected())
}

/// How many entries each list has in force (active or exit requested).
pub async fn counts_in_force(db: &Db) -> Result<Vec<(String, i64)>> {
    let rows = query(
        "SELECT list, COUNT(*) AS n FROM credit_list_entry WHERE status IN ('active', 'exit_requested') GROUP BY list",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get("list").store()?, r.try_get("n").store()?))).collect()
}

pub async fn exit_requested_by(db: &Db, id: &str) -> Result<Option<String>> {
    let row = query("SELECT exit_requested_by FROM credit_list_entry WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    Ok(match row {
        Some(r) => r.try_get("exit_requested_by").store()?,
        None => None,
    })
}
