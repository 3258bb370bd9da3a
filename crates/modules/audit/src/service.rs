//! The audit log's operations: append (with retries), verify, list; and the `AuditSink`
//! the server wires into `AppState`.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use qy_kernel::audit::{AuditEntry, AuditSink};
use qy_kernel::{Clock, Result};
use qy_storage::sqlx::AnyConnection;
use qy_storage::Db;
use tokio::sync::oneshot;

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
    let mut conn = db.pool().acquire().await.map_err(qy_storage::db_err)?;
    let rows = append_all(db, &mut conn, &[(clock_ms, &entry)]).await?;
    rows.into_iter().next().ok_or_else(|| qy_kernel::Error::internal("the audit append returned no row"))
}

/// Appends `entries` (each with its time) as consecutive rows, retrying like `append`.
async fn append_all(db: &Db, conn: &mut AnyConnection, entries: &[(i64, &AuditEntry)]) -> Result<Vec<Entry>> {
    let mut attempt = 1;
    loop {
        match store::append(db, conn, entries).await {
            Ok(rows) => return Ok(rows),
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
///
/// Appends from this process are written in batches: each append queues its entry and starts
/// a drain task; the task that holds the writer lock writes whatever has queued (up to
/// `MAX_BATCH` rows per statement) until the queue is empty. One request alone still costs
/// one statement; concurrent requests share one commit instead of each waiting for the one
/// before it, which would make the audit log every write's bottleneck. The writing happens
/// in tasks, not in the callers, so a caller that goes away (a client that hung up) neither
/// strands its entry nor cuts another caller's batch short; each caller returns once its
/// own row is committed.
pub struct AuditLog {
    shared: Arc<Shared>,
    clock: Arc<dyn Clock>,
}

/// What the drain tasks share.
struct Shared {
    db: Db,
    /// Entries waiting to be written, in arrival order.
    waiting: std::sync::Mutex<Vec<Waiting>>,
    /// Held by the task writing: one batch at a time from this process.
    writer: tokio::sync::Mutex<()>,
}

/// One queued append and where its outcome goes.
struct Waiting {
    at_ms: i64,
    entry: AuditEntry,
    done: oneshot::Sender<Result<Entry>>,
}

/// Rows per batch statement (ten parameters each).
const MAX_BATCH: usize = 64;

impl AuditLog {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        let shared = Shared { db, waiting: std::sync::Mutex::new(Vec::new()), writer: tokio::sync::Mutex::new(()) };
        Self { shared: Arc::new(shared), clock }
    }

    /// Appends and returns the new row.
    pub async fn append_entry(&self, entry: AuditEntry) -> Result<Entry> {
        let (done, outcome) = oneshot::channel();
        {
            // The time is read under the queue's lock, so that it never goes backwards along seq.
            let mut waiting = self.shared.queue();
            waiting.push(Waiting { at_ms: self.clock.now_ms(), entry, done });
        }
        tokio::spawn(drain(Arc::clone(&self.shared)));
        outcome.await.unwrap_or_else(|_| Err(lost()))
    }
}

impl Shared {
    fn queue(&self) -> std::sync::MutexGuard<'_, Vec<Waiting>> {
        self.waiting.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Writes the queue until it is empty, one batch at a time.
async fn drain(shared: Arc<Shared>) {
    let _turn = shared.writer.lock().await;
    loop {
        let batch: Vec<Waiting> = {
            let mut waiting = shared.queue();
            let n = waiting.len().min(MAX_BATCH);
            waiting.drain(..n).collect()
        };
        if batch.is_empty() {
            return;
        }
        write_batch(&shared.db, batch).await;
    }
}

/// Writes `batch` as consecutive rows and tells each caller its outcome. On a kept connection
/// (`Db::kept`): the pool would spend a round trip on the connection given back, per append.
/// When a batch of several fails for a reason other than an unreachable store, its entries
/// are written one by one, so that one entry the database refuses fails only its own caller.
/// (After a lost connection they are not: the batch may have committed before the answer was
/// lost, and writing it again would duplicate its rows.)
async fn write_batch(db: &Db, batch: Vec<Waiting>) {
    let entries: Vec<(i64, &AuditEntry)> = batch.iter().map(|w| (w.at_ms, &w.entry)).collect();
    let result = write_on_kept(db, &entries).await;
    match result {
        Ok(rows) => {
            for (w, row) in batch.into_iter().zip(rows) {
                let _ = w.done.send(Ok(row));
            }
        }
        Err(e) if batch.len() > 1 && e.kind != qy_kernel::ErrorKind::Unavailable => {
            for w in batch {
                let one = write_on_kept(db, &[(w.at_ms, &w.entry)]).await;
                let _ = w.done.send(one.and_then(|rows| rows.into_iter().next().ok_or_else(lost)));
            }
        }
        Err(e) => {
            for w in batch {
                let _ = w.done.send(Err(qy_kernel::Error::new(e.kind, e.code.clone(), e.detail.clone())));
            }
        }
    }
}

/// `append_all` on a kept connection, kept again only after a success: after a failure the
/// connection may be the cause.
async fn write_on_kept(db: &Db, entries: &[(i64, &AuditEntry)]) -> Result<Vec<Entry>> {
    let mut conn = db.kept().await?;
    let written = append_all(db, &mut conn, entries).await;
    if written.is_ok() {
        conn.keep();
    }
    written
}

/// The outcome of an append was lost (its writer task failed).
fn lost() -> qy_kernel::Error {
    qy_kernel::Error::new(
        qy_kernel::ErrorKind::Unavailable,
        "audit.unavailable",
        "the audit append's writer stopped before it answered; retry",
    )
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
