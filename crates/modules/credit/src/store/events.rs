//! `credit_event`: the subject's history as staff read it.

use qy_kernel::{id, Result};
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use crate::domain::Event;

pub async fn record(
    db: &Db,
    subject_id: &str,
    at: i64,
    actor: &str,
    action: &str,
    target: &str,
    detail: &str,
) -> Result<()> {
    query(
        "INSERT INTO credit_event (id, subject_id, at, actor, action, target, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id::new_id())
    .bind(subject_id)
    .bind(at)
    .bind(actor)
    .bind(action)
    .bind(target)
    .bind(detail)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn of_subject(db: &Db, subject_id: &str) -> Result<Vec<Event>> {
    let rows = query(
        "SELECT at, actor, action, target, detail FROM credit_event WHERE subject_id = $1 ORDER BY at DESC, id DESC",
    )
    .bind(subject_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok(Event {
                at: r.try_get("at").store()?,
                actor: r.try_get("actor").store()?,
                action: r.try_get("action").store()?,
                target: r.try_get("target").store()?,
                detail: r.try_get("detail").store()?,
            })
        })
        .collect()
}
