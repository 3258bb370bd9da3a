//! The audit port. Every state-changing request and every read of unmasked personal data
//! is appended to the tamper-evident log (DESIGN.md, base: hash chain).

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::Result;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Account id of the actor, or `anonymous`.
    pub actor: String,
    /// What happened: `http.post`, `identity.personal_data.read`, …
    pub action: String,
    /// What it happened to: a path or an entity reference. Never personal data itself.
    pub target: String,
    /// Outcome: an HTTP status or `ok`/`denied`.
    pub outcome: String,
    /// Why (required for personal-data reads).
    pub reason: Option<String>,
    pub request_id: Option<String>,
}

#[async_trait]
pub trait AuditSink: Send + Sync + 'static {
    /// Append durably; returns only once the entry is committed.
    async fn append(&self, entry: AuditEntry) -> Result<()>;
}
