//! Password hashing off the async runtime, on a small fixed pool of threads.
//!
//! Argon2id allocates 19 MiB per hash. On tokio's blocking pool every hash may land on a
//! fresh thread, and glibc keeps a per-thread arena holding that memory after the thread
//! finished: a demo start with a dozen accounts left ~200 MB resident. A fixed pool (one
//! thread per core) bounds what is retained to a few buffers and still uses every core.

use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};

use qy_kernel::{Error, Result};
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

fn pool() -> Option<&'static Mutex<Sender<Job>>> {
    static POOL: OnceLock<Option<Mutex<Sender<Job>>>> = OnceLock::new();
    POOL.get_or_init(|| {
        let (tx, rx) = channel::<Job>();
        let rx = Arc::new(Mutex::new(rx));
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).clamp(1, 4);
        for i in 0..threads {
            let rx: Arc<Mutex<Receiver<Job>>> = rx.clone();
            let spawned = std::thread::Builder::new().name(format!("qy-hash-{i}")).spawn(move || loop {
                let job = match rx.lock() {
                    Ok(r) => r.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            });
            if spawned.is_err() {
                return None;
            }
        }
        Some(Mutex::new(tx))
    })
    .as_ref()
}

/// Runs `f` on the hashing pool and awaits its result.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let (tx, rx) = oneshot::channel();
    let job: Job = Box::new(move || {
        let _ = tx.send(f());
    });
    let sent = pool().and_then(|p| p.lock().ok()).map(|s| s.send(job).is_ok()).unwrap_or(false);
    if !sent {
        return Err(Error::internal("password hashing pool unavailable"));
    }
    rx.await.map_err(|_| Error::internal("password hashing job was dropped"))
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn jobs_run_and_return_their_result() {
        let results = futures_join(8).await;
        assert_eq!(results, (0..8).map(|i| i * 2).collect::<Vec<_>>());
    }

    async fn futures_join(n: i32) -> Vec<i32> {
        let mut out = Vec::new();
        for i in 0..n {
            out.push(super::run(move || i * 2).await.unwrap_or(-1));
        }
        out
    }
}
