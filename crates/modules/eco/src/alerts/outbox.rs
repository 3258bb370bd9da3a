//! Notifications of alerts: alert events on the bus become outbox rows (one per recipient,
//! idempotent on the event id, so a redelivered event is not sent twice), and a sender
//! delivers the rows through a `Notifier` — an SMS gateway or mail server adapter in
//! production, a log file by default.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use futures_util::StreamExt;
use qy_kernel::bus::EventBus;
use qy_kernel::Clock;
use qy_storage::Db;
use tokio::io::AsyncWriteExt;
use tokio::sync::watch;

use crate::store;

/// Delivers one message on one channel (`sms`, `email`).
#[async_trait]
pub trait Notifier: Send + Sync + 'static {
    async fn send(&self, channel: &str, recipient: &str, body: &str) -> Result<(), String>;
}

/// Appends each notification as a line to a file: the default "adapter" until an SMS gateway
/// or mail relay is configured, and what an operator reads to see what would have been sent.
pub struct LogFileNotifier {
    path: PathBuf,
}

impl LogFileNotifier {
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }
}

#[async_trait]
impl Notifier for LogFileNotifier {
    async fn send(&self, channel: &str, recipient: &str, body: &str) -> Result<(), String> {
        let mut f = tokio::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .await
            .map_err(|e| format!("{}: {e}", self.path.display()))?;
        let line = format!("{channel}\t{recipient}\t{}\n", body.replace(['\n', '\t'], " "));
        f.write_all(line.as_bytes()).await.map_err(|e| e.to_string())
    }
}

/// The text of a notification, in Chinese (the language of duty officers' SMS).
fn body(subject: &str, p: &serde_json::Value) -> String {
    let s = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let what = if subject.ends_with("opened") { "【预警】" } else { "【解除】" };
    format!("{what}{} · {}（{}）：{}", s("rule_name"), s("station_name"), s("region_code"), s("detail"))
}

/// Turns alert events into outbox rows until `stop`.
pub async fn collect(db: Db, clock: Arc<dyn Clock>, bus: Arc<dyn EventBus>, mut stop: watch::Receiver<bool>) {
    let mut stream = match bus.subscribe("qy.eco.alert.>", "eco-outbox").await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "alert notifications disabled: cannot subscribe");
            return;
        }
    };
    loop {
        let delivery = tokio::select! {
            d = stream.next() => match d { Some(d) => d, None => return },
            _ = stop.changed() => return,
        };
        let e = &delivery.event;
        let text = body(&e.subject, &e.payload);
        let recipients: Vec<String> = e
            .payload
            .get("notify")
            .and_then(|n| n.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default();
        let mut ok = true;
        for r in recipients {
            let Some((channel, recipient)) = r.split_once(':') else { continue };
            if let Err(err) = store::enqueue(&db, &e.id, channel, recipient, &text, clock.now_ms()).await {
                tracing::warn!(code = %err.code, "outbox row not written; the event will come again");
                ok = false;
            }
        }
        if ok {
            let _ = delivery.ack().await;
        }
    }
}

/// Delivers pending outbox rows every few seconds until `stop`; a failing row is retried up
/// to five times.
pub async fn deliver(db: Db, clock: Arc<dyn Clock>, notifier: Arc<dyn Notifier>, mut stop: watch::Receiver<bool>) {
    let mut tick = tokio::time::interval(Duration::from_secs(5));
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stop.changed() => return,
        }
        if let Err(e) = deliver_pending(&db, clock.as_ref(), notifier.as_ref()).await {
            tracing::warn!(code = %e.code, "outbox delivery round failed");
        }
    }
}

/// One delivery round; returns how many were delivered.
pub async fn deliver_pending(db: &Db, clock: &dyn Clock, notifier: &dyn Notifier) -> qy_kernel::Result<usize> {
    let mut sent = 0;
    for item in store::pending(db, 5, 100).await? {
        match notifier.send(&item.channel, &item.recipient, &item.body).await {
            Ok(()) => {
                store::delivered(db, &item.id, clock.now_ms()).await?;
                sent += 1;
            }
            Err(e) => {
                tracing::warn!(channel = %item.channel, attempt = item.attempts + 1, error = %e, "notification not delivered");
                store::delivery_failed(db, &item.id, &e).await?;
            }
        }
    }
    Ok(sent)
}
