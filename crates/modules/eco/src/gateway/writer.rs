//! Group commit for uploads: every connection hands its upload to one writer task, which
//! stores whatever has queued up meanwhile in a single transaction and then answers each
//! sender. Under load this turns hundreds of small transactions (and, on SQLite, hundreds of
//! connections fighting for the one write lock) into a few large ones, without delaying a
//! lone upload: the writer never waits for a batch to fill.

use qy_kernel::{Error, ErrorKind, Result};
use qy_storage::Db;
use tokio::sync::{mpsc, oneshot};

use crate::domain::observation::Observation;
use crate::store::{self, Stored, Upload};

/// Most uploads in one transaction.
const MAX_BATCH: usize = 256;

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
    done: oneshot::Sender<Result<Stored>>,
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
    pub async fn store(&self, upload: OwnedUpload) -> Result<Stored> {
        let (done, wait) = oneshot::channel();
        let gone = || Error::new(ErrorKind::Unavailable, "eco.writer_stopped", "the upload writer has stopped");
        self.jobs.send(Job { upload, done }).await.map_err(|_| gone())?;
        wait.await.map_err(|_| gone())?
    }
}

async fn run(db: Db, mut rx: mpsc::Receiver<Job>, mask: impl Fn() -> bool) {
    while let Some(first) = rx.recv().await {
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
        let result = store::store_uploads_detailed(&db, &uploads, mask()).await;
        drop(uploads);
        match result {
            Ok(fresh) => {
                for (job, new) in batch.into_iter().zip(fresh) {
                    let _ = job.done.send(Ok(new));
                }
            }
            Err(e) => {
                // Nothing of the batch was committed: every sender learns it and does not ack.
                for job in batch {
                    let _ = job.done.send(Err(Error::new(e.kind, e.code.clone(), e.detail.clone())));
                }
            }
        }
    }
}
