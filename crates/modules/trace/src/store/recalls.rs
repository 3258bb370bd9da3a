//! `trace_recall` and `trace_recalled` (which identifiers are under which recall).

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use crate::domain::Recall;

fn list(r: &AnyRow, col: &str) -> Result<Vec<String>> {
    let s: String = r.try_get(col).store()?;
    Ok(serde_json::from_str(&s).unwrap_or_default())
}

fn recall_of(r: &AnyRow) -> Result<Recall> {
    Ok(Recall {
        id: r.try_get("id").store()?,
        reason: r.try_get("reason").store()?,
        roots: list(r, "roots")?,
        affected: list(r, "affected")?,
        holders: list(r, "holders")?,
        status: r.try_get("status").store()?,
        created_by: r.try_get("created_by").store()?,
        created_at: r.try_get("created_at").store()?,
        closed_at: r.try_get("closed_at").store()?,
    })
}

/// Stores a recall and marks every affected identifier, in one transaction.
pub async fn insert(db: &Db, r: &Recall) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    query(
        "INSERT INTO trace_recall (id, reason, roots, affected, holders, status, created_by, created_at, closed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL)",
    )
    .bind(&r.id)
    .bind(&r.reason)
    .bind(serde_json::to_string(&r.roots).unwrap_or_default())
    .bind(serde_json::to_string(&r.affected).unwrap_or_default())
    .bind(serde_json::to_string(&r.holders).unwrap_or_default())
    .bind(&r.status)
    .bind(&r.created_by)
    .bind(r.created_at)
    .execute(&mut *tx)
    .await
    .store()?;
    for epc in &r.affected {
        query("INSERT INTO trace_recalled (epc, recall_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(epc)
            .bind(&r.id)
            .execute(&mut *tx)
            .await
            .store()?;
    }
    tx.commit().await.store()?;
    Ok(())
}

pub async fn get(db: &Db, id: &str) -> Result<Option<Recall>> {
    let row = query("SELECT * FROM trace_recall WHERE id = $1").bind(id).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(recall_of).transpose()
}

pub async fn list_all(db: &Db, open_only: bool) -> Result<Vec<Recall>> {
    let sql = if open_only {
        "SELECT * FROM trace_recall WHERE status = 'open' ORDER BY created_at DESC"
    } else {
        "SELECT * FROM trace_recall ORDER BY created_at DESC"
    };
    let rows = query(sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(recall_of).collect()
}

/// The open recalls an identifier is under.
pub async fn open_for(db: &Db, epc: &str) -> Result<Vec<Recall>> {
    let rows = query(
        "SELECT r.* FROM trace_recall r JOIN trace_recalled x ON x.recall_id = r.id \
         WHERE x.epc = $1 AND r.status = 'open' ORDER BY r.created_at",
    )
    .bind(epc)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(recall_of).collect()
}

pub async fn close(db: &Db, id: &str, now: i64) -> Result<bool> {
    let r = query("UPDATE trace_recall SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}
