//! `catalog_subscription` and its outbox `catalog_delivery`.

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subscription {
    pub id: String,
    pub system_id: String,
    pub entry_id: String,
    pub url: String,
    /// The HMAC key deliveries are signed with (shown once, at creation).
    #[serde(skip)]
    pub secret: String,
    pub created_at: i64,
}

pub async fn insert(db: &Db, s: &Subscription) -> Result<()> {
    query(
        "INSERT INTO catalog_subscription (id, system_id, entry_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&s.id)
    .bind(&s.system_id)
    .bind(&s.entry_id)
    .bind(&s.url)
    .bind(&s.secret)
    .bind(s.created_at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

fn subscription_of(r: &qy_storage::sqlx::any::AnyRow) -> Result<Subscription> {
    Ok(Subscription {
        id: r.try_get("id").store()?,
        system_id: r.try_get("system_id").store()?,
        entry_id: r.try_get("entry_id").store()?,
        url: r.try_get("url").store()?,
        secret: r.try_get("secret").store()?,
        created_at: r.try_get("created_at").store()?,
    })
}

pub async fn of_entry(db: &Db, entry_id: &str) -> Result<Vec<Subscription>> {
    let rows =
        query("SELECT id, system_id, entry_id, url, secret, created_at FROM catalog_subscription WHERE entry_id = $1")
            .bind(entry_id)
            .fetch_all(db.pool())
            .await
            .store()?;
    rows.iter().map(subscription_of).collect()
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Subscription>> {
    let row = query("SELECT id, system_id, entry_id, url, secret, created_at FROM catalog_subscription WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(subscription_of).transpose()
}

pub async fn delete(db: &Db, id: &str) -> Result<()> {
    query("DELETE FROM catalog_delivery WHERE subscription_id = $1").bind(id).execute(db.pool()).await.store()?;
    query("DELETE FROM catalog_subscription WHERE id = $1").bind(id).execute(db.pool()).await.store()?;
    Ok(())
}

pub async fn enqueue(db: &Db, id: &str, subscription_id: &str, body: &str, now: i64) -> Result<()> {
    query(
        "INSERT INTO catalog_delivery (id, subscription_id, body, attempts, next_at, created_at) VALUES ($1, $2, $3, 0, $4, $4)",
    )
    .bind(id)
    .bind(subscription_id)
    .bind(body)
    .bind(now)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// A delivery waiting: (id, subscription id, body, attempts).
pub async fn due(db: &Db, now: i64, limit: i64) -> Result<Vec<(String, String, String, i64)>> {
    let rows = query(
        "SELECT id, subscription_id, body, attempts FROM catalog_delivery WHERE delivered_at IS NULL AND next_at <= $1 \
         ORDER BY next_at LIMIT $2",
    )
    .bind(now)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("id").store()?,
                r.try_get("subscription_id").store()?,
                r.try_get("body").store()?,
                r.try_get("attempts").store()?,
            ))
        })
        .collect()
}

pub async fn delivered(db: &Db, id: &str, now: i64) -> Result<()> {
    query("UPDATE catalog_delivery SET delivered_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn failed(db: &Db, id: &str, error: &str, next_at: i64) -> Result<()> {
    query("UPDATE catalog_delivery SET attempts = attempts + 1, last_error = $2, next_at = $3 WHERE id = $1")
        .bind(id)
        .bind(error)
        .bind(next_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

/// Deliveries of a subscription, newest first: (created_at, attempts, delivered_at, last_error).
pub async fn deliveries(db: &Db, subscription_id: &str) -> Result<Vec<(i64, i64, Option<i64>, Option<String>)>> {
    let rows = query(
        "SELECT created_at, attempts, delivered_at, last_error FROM catalog_delivery WHERE subscription_id = $1 \
         ORDER BY created_at DESC LIMIT 50",
    )
    .bind(subscription_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("created_at").store()?,
                r.try_get("attempts").store()?,
                r.try_get("delivered_at").store()?,
                r.try_get("last_error").store()?,
            ))
        })
        .collect()
}
