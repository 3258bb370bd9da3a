//! The audit log's operations: append (with retries), verify, list; and the `AuditSink`
//! the server wires into `AppState`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use qy_kernel::audit::{AuditEntry, AuditSink};
use qy_kernel::{Clock, Result};
use qy_storage::{Db, Dialect};

use crate::domain::{Entry, Verdict};
use crate::store::{self, Filter};

/// Attempts per append when the database reports contention.
const ATTEMPTS: u32 = 5;
/// Rows read per query while verifying.
const VERIFY_PAGE: i64 = 5000;

/// Appends `entry` at `clock_ms`, retrying up to five times on lock contention
/// (`store.busy`) or a seq collision (`store.conflict`). Returns once committed.
pub async fn append(db: &Db, clock_ms: i64, entry: AuditEntry) -> Result<()> {
    append_returning(db, clock_ms, entry).await.map(|_| ())
}

/// `append`, returning the appended row.
pub async fn append_returning(db: &Db, clock_ms: i64, entry: AuditEntry) -> Result<Entry> {
    let mut attempt = 1;
    loop {
        match store::append(db, clock_ms, &entry).await {
            Ok(row) => return Ok(row),
            Err(e) if attempt < ATTEMPTS && matches!(e.code.as_ref(), "store.busy" | "store.conflict") => {
                tracing::warn!(attempt, code = %e.code, detail = %e.detail, "audit append contended; retrying");
                tokio::time::sleep(Duration::from_millis(20 * u64::from(attempt))).await;
                attempt += 1;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Checks the whole hash chain, streaming the log in seq order.
pub async fn verify(db: &Db) -> Result<Verdict> {
    store::verify(db, VERIFY_PAGE).await
}

/// Rows matching `filter`, newest first, seq below `before_seq`, at most `limit`.
pub async fn list(db: &Db, filter: &Filter, before_seq: Option<i64>, limit: i64) -> Result<Vec<Entry>> {
    store::list(db, filter, before_seq, limit).await
}

/// The database-backed audit log, as the kernel's `AuditSink`.
pub struct AuditLog {
    db: Db,
    clock: Arc<dyn Clock>,
    /// Serializes this process's appends on SQLite (one writer at a time anyway; waiting
    /// here is cheaper than contending for the write lock).
    lock: tokio::sync::Mutex<()>,
}

impl AuditLog {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock, lock: tokio::sync::Mutex::new(()) }
    }

    /// Appends and returns the new row.
    pub async fn append_entry(&self, entry: AuditEntry) -> Result<Entry> {
        let _guard = match self.db.dialect() {
            Dialect::Sqlite => Some(self.lock.lock().await),
            // The advisory lock in the transaction serializes appends across instances.
            Dialect::Postgres => None,
        };
        append_returning(&self.db, self.clock.now_ms(), entry).await
    }
}

#[async_trait]
impl AuditSink for AuditLog {
    async fn append(&self, entry: AuditEntry) -> Result<()> {
        self.append_entry(entry).await.map(|_| ())
    }
}

/// The audit sink for `AppState.audit`.
pub fn sink(db: Db, clock: Arc<dyn Clock>) -> Arc<dyn AuditSink> {
    Arc::new(AuditLog::new(db, clock))
}
