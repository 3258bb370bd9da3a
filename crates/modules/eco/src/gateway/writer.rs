//! Group commit for uploads: every connection hands its upload to one writer task, which
//! stores whatever has queued up meanwhile in a single transaction and then answers each
//! sender. Under load this turns hundreds of small transactions (and, on SQLite, hundreds of
//! connections fighting for the one write lock) into a few large ones, without delaying a
//! lone upload: the writer never waits for a batch to fill.
//!
//! Under load the writer also defers `eco_latest`, the newest value per datastream: a batch
//! found waiting when the previous one committed leaves its datastreams to a later
//! transaction, at most `LATEST_EVERY` later. A station sends every minute, so otherwise each
//! batch would rewrite one `eco_latest` row per value it stores, as many rows again as the
//! observations themselves; deferred, each datastream is written once per round. The
//! observations, the packet archive and the acknowledgement are unaffected (the ack still
//! follows the commit of the data); only the latest values may trail the data by up to
//! `LATEST_EVERY`, and only while uploads queue. Never deferred: a lone upload, or the first
//! after a pause; a datastream this writer has not written before (so a new datastream exists
//! as soon as its first value is acknowledged); and uploads through `Writer::store` (the
//! SensorThings API, whose client expects to read what it wrote). After an abrupt stop,
//! `store::repair_latest` (run before the gateway starts) brings the rows forward.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::time::Duration;

use qy_kernel::{Error, ErrorKind, Result};
use qy_storage::{Db, OwnConnection};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

use crate::domain::observation::Observation;
use crate::store::{self, DueLatest, LatestWrite, Stored, Upload};

/// Most uploads in one transaction.
const MAX_BATCH: usize = 256;
/// Longest that deferred latest values wait (see the module's comment).
const LATEST_EVERY: Duration = Duration::from_millis(200);
/// Most deferred datastreams before they are written whatever the time.
const MAX_DUE: usize = 16_384;
/// The page cache of the writer's own connection (SQLite; see `Db::own_connection`), 2,048
/// pages: a batch of a few hundred uploads touches up to a few thousand. 16 MiB measured no
/// faster with 1,000 stations and cost memory (docs/benchmarks.md, section 2).
const CACHE_MIB: u32 = 8;
/// Datastreams remembered as written before; beyond this the memory starts afresh.
const MAX_SEEN: usize = 1_000_000;

/// An upload that can travel to the writer task.
#[derive(Debug)]
pub struct OwnedUpload {
    pub station_id: String,
    pub qn: String,
    pub cn: String,
    pub raw: String,
    pub received_at: i64,
    pub peer: String,
    pub observations: Vec<Observation>,
}

struct Job {
    upload: OwnedUpload,
    done: oneshot::Sender<Result<Committed>>,
    /// Move `eco_latest` in the same transaction, whatever the load.
    latest_now: bool,
}

/// A stored upload, handed back with what storing it did.
#[derive(Debug)]
pub struct Committed {
    pub stored: Stored,
    pub upload: OwnedUpload,
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer task on the current runtime; it ends when the last `Writer` is dropped.
    /// `mask` is asked before each batch: whether to learn which values were written (see
    /// `store::store_uploads_detailed`).
    pub fn spawn(db: Db, mask: impl Fn() -> bool + Send + 'static) -> Self {
        let (jobs, rx) = mpsc::channel(4096);
        tokio::spawn(run(db, rx, mask));
        Self { jobs }
    }

    /// Stores one upload (`new: false` for a retransmission already stored), saying which of
    /// its values were written. Returns only after the transaction holding it has committed.
    /// `eco_latest` moves in the same transaction (see the module's comment).
    pub async fn store(&self, upload: OwnedUpload) -> Result<Committed> {
        self.send(upload, true).await?.await
    }

    /// Hands one upload to the writer and returns at once (waiting only while the writer's
    /// queue is full); the `Pending` resolves once the transaction holding it has committed.
    /// A connection that has several uploads at hand submits them all, so that they join one
    /// batch instead of one batch each.
    pub async fn submit(&self, upload: OwnedUpload) -> Result<Pending> {
        self.send(upload, false).await
    }

    async fn send(&self, upload: OwnedUpload, latest_now: bool) -> Result<Pending> {
        let (done, wait) = oneshot::channel();
        self.jobs.send(Job { upload, done, latest_now }).await.map_err(|_| stopped())?;
        Ok(Pending(wait))
    }
}

/// An upload with the writer: resolves to what `Writer::store` returns. Polling it through
/// `&mut` and dropping that future is harmless (the outcome stays for the next poll).
pub struct Pending(oneshot::Receiver<Result<Committed>>);

impl std::future::Future for Pending {
    type Output = Result<Committed>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        std::pin::Pin::new(&mut self.0).poll(cx).map(|r| r.unwrap_or_else(|_| Err(stopped())))
    }
}

fn stopped() -> Error {
    Error::new(ErrorKind::Unavailable, "eco.writer_stopped", "the upload writer has stopped")
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>, mask: impl Fn() -> bool) {
    let mut due = Deferred::default();
    // The writer's own connection (pinged after an idle spell), opened again after a failure
    // (which may have been the connection's).
    let mut conn = db.own_connection(CACHE_MIB);
    let mut seen = Seen::default();
    loop {
        // Was an upload already waiting? Then uploads queue faster than they are stored.
        let (first, queued) = match rx.try_recv() {
            Ok(job) => (job, true),
            Err(TryRecvError::Disconnected) => break,
            Err(TryRecvError::Empty) => {
                let next = match due.deadline() {
                    None => rx.recv().await,
                    Some(at) => match tokio::time::timeout_at(at, rx.recv()).await {
                        Ok(next) => next,
                        Err(_) => {
                            due.flush(&db, &mut conn).await;
                            continue;
                        }
                    },
                };
                match next {
                    Some(job) => (job, false),
                    None => break,
                }
            }
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        metrics::histogram!("qy_eco_upload_batch_size").record(batch.len() as f64);
        let uploads: Vec<Upload<'_>> = batch
            .iter()
            .map(|j| Upload {
                station_id: &j.upload.station_id,
                qn: &j.upload.qn,
                cn: &j.upload.cn,
                raw: &j.upload.raw,
                received_at: j.upload.received_at,
                peer: &j.upload.peer,
                observations: &j.upload.observations,
            })
            .collect();
        let defer = queued && !due.overdue() && !batch.iter().any(|j| j.latest_now);
        let first_seen = if defer { seen.new_in(&batch) } else { DueLatest::default() };
        let latest = if defer { LatestWrite::Only(&first_seen) } else { LatestWrite::All(&due.rows) };
        let result = match conn.get().await {
            Ok(c) => store::store_uploads_detailed(&db, c, &uploads, mask(), latest).await,
            Err(e) => Err(e),
        };
        drop(uploads);
        match result {
            Ok(stored) => {
                seen.note(&stored.latest);
                if defer {
                    due.add(stored.latest);
                } else {
                    due.written();
                }
                for (job, new) in batch.into_iter().zip(stored.stored) {
                    let _ = job.done.send(Ok(Committed { stored: new, upload: job.upload }));
                }
            }
            Err(e) => {
                conn.discard();
                // Nothing of the batch was committed: every sender learns it and does not ack.
                for job in batch {
                    let _ = job.done.send(Err(Error::new(e.kind, e.code.clone(), e.detail.clone())));
                }
            }
        }
    }
    due.flush(&db, &mut conn).await;
}

/// Datastreams this writer has written values of (hashed: a collision only means that a new
/// datastream's first value may be deferred like any other).
#[derive(Default)]
struct Seen {
    keys: HashSet<u64>,
    hasher: RandomState,
}

impl Seen {
    fn key(&self, station_id: &str, factor: &str, period: &str) -> u64 {
        self.hasher.hash_one((station_id, factor, period))
    }

    /// The datastreams of `batch` not written before, with their newest times.
    fn new_in(&self, batch: &[Job]) -> DueLatest {
        let mut first = DueLatest::default();
        for job in batch {
            let u = &job.upload;
            for o in &u.observations {
                if !self.keys.contains(&self.key(&u.station_id, &o.factor, o.period.as_str())) {
                    first.note(&u.station_id, &o.factor, o.period.as_str(), o.time_ms);
                }
            }
        }
        first
    }

    fn note(&mut self, written: &DueLatest) {
        if self.keys.len() > MAX_SEEN {
            self.keys.clear();
        }
        for ((station_id, factor, period), _) in written.iter() {
            let key = self.key(station_id, factor, period);
            self.keys.insert(key);
        }
    }
}

/// Latest values deferred by the writer, and since when.
#[derive(Default)]
struct Deferred {
    rows: DueLatest,
    since: Option<Instant>,
}

impl Deferred {
    /// When they must be written, if any are due.
    fn deadline(&self) -> Option<Instant> {
        self.since.map(|s| s + LATEST_EVERY)
    }

    fn overdue(&self) -> bool {
        self.rows.len() >= MAX_DUE || self.deadline().is_some_and(|at| Instant::now() >= at)
    }

    fn add(&mut self, rows: DueLatest) {
        if !rows.is_empty() {
            self.rows.merge(rows);
            self.since.get_or_insert_with(Instant::now);
        }
    }

    fn written(&mut self) {
        self.rows.clear();
        self.since = None;
    }

    /// Writes them on their own; after a failure they are kept and tried again a round later.
    async fn flush(&mut self, db: &Db, conn: &mut OwnConnection) {
        if self.rows.is_empty() {
            return;
        }
        let written = match conn.get().await {
            Ok(c) => store::write_latest(db, c, &self.rows).await,
            Err(e) => Err(e),
        };
        match written {
            Ok(()) => self.written(),
            Err(e) => {
                conn.discard();
                tracing::warn!(code = %e.code, "latest values not written; will retry");
                self.since = Some(Instant::now());
            }
        }
    }
}
