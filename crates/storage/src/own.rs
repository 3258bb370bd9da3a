//! A connection of one long-lived user's own, outside the pool (`Db::own_connection`): a
//! single writer whose page cache should survive from one transaction to the next.

use std::time::Instant;

use qy_kernel::Result;
use sqlx::pool::PoolConnection;
use sqlx::{AnyConnection, AnyPool};

use crate::db::{alive_after_idle, Dialect};
use crate::error::db_err;

/// Opened on first use, checked (pinged) before a use that follows a long idle spell, and
/// opened again after `discard`.
pub struct OwnConnection {
    pool: AnyPool,
    dialect: Dialect,
    cache_mib: u32,
    /// The connection and when it was last handed out.
    conn: Option<(AnyConnection, Instant)>,
}

impl OwnConnection {
    pub(crate) fn new(pool: AnyPool, dialect: Dialect, cache_mib: u32) -> Self {
        Self { pool, dialect, cache_mib, conn: None }
    }

    /// The connection: opened if there is none, given up and opened again if it sat idle and
    /// no longer answers.
    pub async fn get(&mut self) -> Result<&mut AnyConnection> {
        if let Some((conn, used)) = self.conn.as_mut() {
            if !alive_after_idle(conn, *used).await {
                self.conn = None;
            }
        }
        let conn = match self.conn.take() {
            Some((conn, _)) => conn,
            None => open(&self.pool, self.dialect, self.cache_mib).await?,
        };
        let (conn, _) = self.conn.insert((conn, Instant::now()));
        Ok(conn)
    }

    /// Closes the connection after a failure that may have been the connection's own; the
    /// next `get` opens another.
    pub fn discard(&mut self) {
        self.conn = None;
    }
}

/// A connection out of the pool, with its page cache (SQLite). A function of its own, not a
/// method: an `AnyConnection` is not `Sync`, so no `&OwnConnection` may live across an await.
async fn open(pool: &AnyPool, dialect: Dialect, cache_mib: u32) -> Result<AnyConnection> {
    let mut conn = PoolConnection::detach(pool.acquire().await.map_err(db_err)?);
    if dialect == Dialect::Sqlite {
        let pragma = format!("PRAGMA cache_size = -{}", u64::from(cache_mib) * 1024);
        sqlx::query(&pragma).execute(&mut conn).await.map_err(db_err)?;
    }
    Ok(conn)
}
