//! Push subscriptions: a consumer system with a grant registers a URL; each new published
//! version of the entry is POSTed there, signed (HMAC-SHA256 over `timestamp.body` with the
//! subscription's secret, as `X-Qingyun-Signature: sha256=<hex>`), from an outbox that
//! retries with growing delays.

use std::time::Duration;

use hmac::{Hmac, Mac};
use qy_kernel::{id, Error, Principal, Result};
use serde::Serialize;
use sha2::Sha256;
use utoipa::ToSchema;

use super::Catalog;
use crate::domain::Entry;
use crate::store::sharing;
use crate::store::subscriptions::{self as store, Subscription};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subscribed {
    pub subscription: Subscription,
    /// Verify deliveries with this key. Shown once.
    pub secret: String,
}

/// Retries stop after this many attempts (about a day with the delays below).
pub const MAX_ATTEMPTS: i64 = 12;

/// `sha256=<hex>` of `timestamp.body` under `secret`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac = match <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

impl Catalog {
    pub async fn subscribe(&self, by: &Principal, entry: &str, url: &str) -> Result<Subscribed> {
        let system = self
            .system_of(by)
            .await?
            .ok_or_else(|| Error::forbidden("catalog.not_a_system", "subscriptions belong to consumer systems"))?;
        let e = self.entry(entry).await?;
        if sharing::active_grant(&self.db, &system.id, &e.id).await?.is_none() {
            return Err(Error::forbidden("catalog.no_grant", "subscribe to resources your system is granted"));
        }
        let url = url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
            return Err(
                Error::bad_request("catalog.invalid_url", "an http(s) URL is required").with_arg("field", "url")
            );
        }
        let secret = hex::encode(rand::random::<[u8; 32]>());
        let s = Subscription {
            id: id::new_id(),
            system_id: system.id,
            entry_id: e.id,
            url: url.to_owned(),
            secret: secret.clone(),
            created_at: self.now_ms(),
        };
        store::insert(&self.db, &s).await.map_err(|err| {
            if err.code == "store.conflict" {
                Error::conflict("catalog.subscription_exists", "this URL is already subscribed")
            } else {
                err
            }
        })?;
        Ok(Subscribed { subscription: s, secret })
    }

    pub async fn unsubscribe(&self, by: &Principal, id: &str) -> Result<()> {
        let s = store::by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("catalog.subscription_not_found", "no such subscription"))?;
        let system = self.system_of(by).await?;
        if !by.is_operator() && system.is_none_or(|sys| sys.id != s.system_id) {
            return Err(Error::forbidden("catalog.not_yours", "the subscription belongs to another system"));
        }
        store::delete(&self.db, &s.id).await
    }

    /// Queues a delivery to every subscriber of `e` that version `version` is published.
    pub(crate) async fn announce(&self, e: &Entry, version: i64) -> Result<()> {
        let body = serde_json::json!({
            "event": "catalog.entry.published",
            "entry": { "code": e.code, "name": e.name, "version": version, "slug": e.slug },
            "published_on": self.today().to_string(),
        })
        .to_string();
        for s in store::of_entry(&self.db, &e.id).await? {
            store::enqueue(&self.db, &id::new_id(), &s.id, &body, self.now_ms()).await?;
        }
        Ok(())
    }

    /// Sends what is due. Returns (delivered, failed).
    pub async fn deliver_due(&self, client: &reqwest::Client) -> Result<(usize, usize)> {
        let now = self.now_ms();
        let (mut ok, mut failed) = (0, 0);
        for (id, subscription_id, body, attempts) in store::due(&self.db, now, 50).await? {
            let Some(s) = store::by_id(&self.db, &subscription_id).await? else { continue };
            let timestamp = now / 1000;
            let sent = client
                .post(&s.url)
                .header("content-type", "application/json")
                .header("x-qingyun-event", "catalog.entry.published")
                .header("x-qingyun-timestamp", timestamp.to_string())
                .header("x-qingyun-signature", signature(&s.secret, timestamp, &body))
                .body(body.clone())
                .send()
                .await;
            match sent {
                Ok(r) if r.status().is_success() => {
                    store::delivered(&self.db, &id, now).await?;
                    ok += 1;
                }
                outcome => {
                    let error = match outcome {
                        Ok(r) => format!("HTTP {}", r.status().as_u16()),
                        Err(e) => e.to_string(),
                    };
                    // 1 min, 2, 4 … capped at 4 h; given up after MAX_ATTEMPTS (kept, visible).
                    let delay = 60_000i64.saturating_mul(1 << attempts.clamp(0, 8)).min(4 * 3_600_000);
                    let next = if attempts + 1 >= MAX_ATTEMPTS { i64::MAX } else { now + delay };
                    store::failed(&self.db, &id, &error, next).await?;
                    failed += 1;
                }
            }
        }
        Ok((ok, failed))
    }
}

/// The delivery loop the server runs: every few seconds until shutdown.
pub async fn run_deliveries(catalog: Catalog, mut stop: tokio::sync::watch::Receiver<bool>) {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "webhook client unavailable; subscriptions will not be delivered");
            return;
        }
    };
    loop {
        if let Err(e) = catalog.deliver_due(&client).await {
            tracing::warn!(code = %e.code, "webhook deliveries: {}", e.detail);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn signatures_cover_timestamp_and_body() {
        let a = super::signature("k", 1, "{}");
        assert!(a.starts_with("sha256=") && a.len() == 7 + 64);
        assert_ne!(a, super::signature("k", 2, "{}"));
        assert_ne!(a, super::signature("k", 1, "{ }"));
        assert_ne!(a, super::signature("other", 1, "{}"));
    }
}
