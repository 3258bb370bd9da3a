//! A few connections kept beside sqlx's pool for hot paths: one statement per request, many
//! requests a second (`Db::kept`).
//!
//! sqlx's pool pings every connection given back to it (sqlx 0.8 cannot be told not to), so
//! a one-statement use of the pool costs two round trips: on SQLite two hand-offs to the
//! connection's thread and back, on PostgreSQL two network round trips. A kept connection is
//! given back without one, and the last one given back is the next one out, so on SQLite a
//! lone client keeps meeting the same connection and its page cache (a connection's cache is
//! dropped whenever another connection wrote since it was last used).

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use qy_kernel::Result;
use sqlx::pool::PoolConnection;
use sqlx::{AnyConnection, Connection};

use crate::error::db_err;

/// Most idle connections kept; more are closed when given back.
const MAX_IDLE: usize = 4;
/// An idle connection older than this is pinged before it is used again (a restarted
/// PostgreSQL, or a firewall, may have dropped it).
const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);

/// The idle kept connections of one `Db`, most recently given back last.
#[derive(Default)]
pub(crate) struct KeptSet {
    idle: Mutex<Vec<(AnyConnection, Instant)>>,
}

impl KeptSet {
    fn pop(&self) -> Option<(AnyConnection, Instant)> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner).pop()
    }

    fn push(&self, conn: AnyConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(PoisonError::into_inner);
        if idle.len() < MAX_IDLE {
            idle.push((conn, Instant::now()));
        }
    }

    /// Closes every idle connection (`Db::close`).
    pub(crate) async fn close(&self) {
        let idle = std::mem::take(&mut *self.idle.lock().unwrap_or_else(PoisonError::into_inner));
        for (conn, _) in idle {
            let _ = conn.close().await;
        }
    }

    /// A kept connection, or a new one taken out of `pool` for good.
    pub(crate) async fn get(self: &Arc<Self>, pool: &sqlx::AnyPool) -> Result<KeptConnection> {
        while let Some((mut conn, since)) = self.pop() {
            if since.elapsed() <= PING_WHEN_IDLE_FOR || conn.ping().await.is_ok() {
                return Ok(KeptConnection { conn: Some(conn), home: Arc::clone(self) });
            }
        }
        let conn = pool.acquire().await.map_err(db_err)?;
        Ok(KeptConnection { conn: Some(PoolConnection::detach(conn)), home: Arc::clone(self) })
    }
}

/// A connection out of `Db::kept`. Give it back with `give_back` once the statement on it has
/// finished; dropped instead, it is closed, so a statement cancelled half way (a client that
/// hung up) never leaves a connection in an unknown state for the next user.
pub struct KeptConnection {
    conn: Option<AnyConnection>,
    home: Arc<KeptSet>,
}

impl KeptConnection {
    /// Gives the connection back if `outcome` shows the statement ran to its end: it succeeded,
    /// or the database refused it (a constraint, a syntax error). Closes it after anything else
    /// (I/O, protocol, pool errors).
    pub fn give_back<T>(self, outcome: &std::result::Result<T, sqlx::Error>) {
        if matches!(outcome, Ok(_) | Err(sqlx::Error::Database(_))) {
            self.keep();
        }
    }

    /// Gives the connection back, for a caller that knows its statements ran to their end.
    pub fn keep(mut self) {
        if let Some(conn) = self.conn.take() {
            self.home.push(conn);
        }
    }
}

impl std::ops::Deref for KeptConnection {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        // Only `give_back`, which consumes the value, takes the connection out.
        self.conn.as_ref().unwrap_or_else(|| unreachable!("a KeptConnection holds its connection until given back"))
    }
}

impl std::ops::DerefMut for KeptConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.conn.as_mut().unwrap_or_else(|| unreachable!("a KeptConnection holds its connection until given back"))
    }
}
