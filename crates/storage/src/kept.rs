//! A few connections kept beside sqlx's pool for hot paths: one statement per request, many
//! requests a second (`Db::kept`).
//!
//! sqlx's pool pings every connection given back to it (sqlx 0.8 cannot be told not to), so
//! a one-statement use of the pool costs two round trips: on SQLite two hand-offs to the
//! connection's thread and back, on PostgreSQL two network round trips. A kept connection is
//! given back without one, and the last one given back is the next one out, so on SQLite a
//! lone client keeps meeting the same connection and its page cache (a connection's cache is
//! dropped whenever another connection wrote since it was last used).
//!
//! Kept connections are taken out of the pool for good (`PoolConnection::detach`), so they do
//! not hold the pool's slots while idle; at most `MAX_KEPT` exist at once. Beyond that, and
//! after `Db::close` (when the pool refuses too), `Db::kept` asks the pool instead.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use qy_kernel::Result;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Connection};

use crate::db::alive_after_idle;
use crate::error::db_err;

/// Most kept connections open at once (idle or in use), beside the pool's own.
const MAX_KEPT: usize = 4;

/// The kept connections of one `Db`: the idle ones, most recently given back last.
#[derive(Default)]
pub(crate) struct KeptSet {
    idle: Mutex<Vec<(AnyConnection, Instant)>>,
    /// Kept connections open, idle or in use.
    open: AtomicUsize,
    closed: AtomicBool,
}

impl KeptSet {
    fn pop(&self) -> Option<(AnyConnection, Instant)> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop()
    }

    /// Takes `conn` back, or lets it go once the set is closed.
    fn push(&self, conn: AnyConnection) {
        if self.closed.load(Ordering::Acquire) {
            self.open.fetch_sub(1, Ordering::AcqRel);
            drop(conn);
            return;
        }
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).push((conn, Instant::now()));
    }

    /// Closes every idle connection; connections in use are closed when given back
    /// (`Db::close`).
    pub(crate) async fn close(&self) {
        self.closed.store(true, Ordering::Release);
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for (conn, _) in idle {
            self.open.fetch_sub(1, Ordering::AcqRel);
            let _ = conn.close().await;
        }
    }

    /// An idle kept connection; a new kept one while fewer than `MAX_KEPT` are open; else an
    /// ordinary pooled connection.
    pub(crate) async fn get(self: &Arc<Self>, pool: &sqlx::AnyPool) -> Result<KeptConnection> {
        while let Some((mut conn, since)) = self.pop() {
            if alive_after_idle(&mut conn, since).await {
                return Ok(KeptConnection { conn: Some(Held::Kept(conn)), home: Arc::clone(self) });
            }
            self.open.fetch_sub(1, Ordering::AcqRel);
        }
        let pooled = pool.acquire().await.map_err(db_err)?;
        let may_keep = !self.closed.load(Ordering::Acquire)
            && self.open.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < MAX_KEPT).then_some(n + 1)).is_ok();
        let held = if may_keep { Held::Kept(PoolConnection::detach(pooled)) } else { Held::Pooled(pooled) };
        Ok(KeptConnection { conn: Some(held), home: Arc::clone(self) })
    }
}

enum Held {
    /// Out of the pool for good; goes back to the kept set.
    Kept(AnyConnection),
    /// An ordinary pooled connection (the kept ones are all in use); goes back to the pool.
    Pooled(PoolConnection<Any>),
}

/// A connection out of `Db::kept`. Give it back with `give_back` once the statement on it has
/// finished; dropped instead, it is closed, so a statement cancelled half way (a client that
/// hung up) never leaves a connection in an unknown state for the next user.
pub struct KeptConnection {
    conn: Option<Held>,
    home: Arc<KeptSet>,
}

impl KeptConnection {
    /// Gives the connection back if `outcome` shows the statement ran to its end and the
    /// connection is still good: it succeeded, or the database refused the statement (a
    /// constraint, a syntax error). Closes it after anything else: I/O, protocol and pool
    /// errors, and PostgreSQL's connection errors (SQLSTATE class 08) and shutdowns (57P),
    /// after which the server has closed the session.
    pub fn give_back<T>(self, outcome: &std::result::Result<T, sqlx::Error>) {
        let completed = match outcome {
            Ok(_) => true,
            Err(sqlx::Error::Database(e)) => !e.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
            Err(_) => false,
        };
        if completed {
            self.keep();
        }
    }

    /// Gives the connection back, for a caller that knows its statements ran to their end.
    pub fn keep(mut self) {
        match self.conn.take() {
            Some(Held::Kept(conn)) => self.home.push(conn),
            Some(Held::Pooled(conn)) => drop(conn),
            None => {}
        }
    }
}

impl Drop for KeptConnection {
    fn drop(&mut self) {
        if let Some(Held::Kept(_)) = self.conn.take() {
            // Closed, not given back: one kept connection fewer.
            self.home.open.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

impl std::ops::Deref for KeptConnection {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.conn {
            Some(Held::Kept(c)) => c,
            Some(Held::Pooled(c)) => c,
            // Only `keep` takes the connection out, and it consumes the value.
            None => unreachable!("a KeptConnection holds its connection until it is given back"),
        }
    }
}

impl std::ops::DerefMut for KeptConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.conn {
            Some(Held::Kept(c)) => c,
            Some(Held::Pooled(c)) => c,
            None => unreachable!("a KeptConnection holds its connection until it is given back"),
        }
    }
}
