use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use qy_kernel::{Error, Result};
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};

use crate::kept::{KeptConnection, KeptSet};
use crate::own::OwnConnection;

/// Which SQL engine is behind the pool, for the few places where dialects differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

impl Dialect {
    /// Rows of `width` parameters per multi-row statement built with positional parameters
    /// (`Params::positional`, or `?` on SQLite), whose binding is linear on both engines.
    /// With `$N` parameters sqlx's SQLite driver looks every name up by index with
    /// `sqlite3_bind_parameter_name`, a linear scan, so binding grows with the square of a
    /// statement's parameters (a fifth of the HJ 212 gateway's CPU with 1,200-parameter
    /// statements). SQLite's own limit is 32,766 parameters, PostgreSQL's 65,535.
    pub fn rows_per_positional_statement(self, width: usize) -> usize {
        let budget = match self {
            Self::Sqlite => 2_000,
            Self::Postgres => 8_000,
        };
        (budget / width.max(1)).max(1)
    }
}

/// A connection pool plus its dialect. Cheap to clone.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
    redacted_url: String,
    kept: Arc<KeptSet>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db").field("url", &self.redacted_url).finish_non_exhaustive()
    }
}

/// Every SQLite connection's settings. `synchronous = NORMAL` is durable in WAL mode except
/// for the last commits before a power cut (never corrupting). The WAL is checkpointed every
/// 8,192 pages (32 MiB) instead of SQLite's 1,000: a bulk write (the HJ 212 gateway's group
/// commits touch thousands of index pages each) otherwise checkpoints, and syncs, after
/// nearly every commit, copying the same hot pages again each time.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
     PRAGMA wal_autocheckpoint = 8192;";

/// A PostgreSQL connection idle for longer than this is pinged before it is used (a restarted
/// server, or a firewall, may have dropped it): the pool's, `Db::kept`'s and `Db::own_connection`'s.
pub(crate) const PING_WHEN_IDLE_FOR: Duration = Duration::from_secs(30);
/// How long that ping may take before the connection is given up.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Whether a connection last used at `used` may be used again: yes if it was used lately,
/// else if it answers a ping in time.
pub(crate) async fn alive_after_idle(conn: &mut AnyConnection, used: std::time::Instant) -> bool {
    used.elapsed() <= PING_WHEN_IDLE_FOR || matches!(tokio::time::timeout(PING_TIMEOUT, conn.ping()).await, Ok(Ok(())))
}

/// The SQLite URL of the default database file inside `data_dir`.
pub fn sqlite_url_in(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("qingyun.db").display())
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`, for logs and `Debug`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme_end + 3], &creds[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`).
    pub async fn connect(url: &str) -> Result<Self> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Dialect::Postgres
        } else if url.starts_with("sqlite:") {
            Dialect::Sqlite
        } else {
            return Err(Error::bad_request(
                "store.unsupported_url",
                format!("database URL must start with sqlite:// or postgres://, got {}", redact_url(url)),
            ));
        };
        // sqlx pings every pooled connection before handing it out, by default: a round trip
        // per query (on SQLite a hand-off to the connection's thread and back, on PostgreSQL
        // a network round trip), about as costly as a small query itself. An embedded
        // SQLite connection cannot go away; a PostgreSQL one is pinged only after it sat idle
        // (a restarted server or a firewall may have dropped it meanwhile).
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10)).test_before_acquire(false);
        let options = match dialect {
            // One writer at a time in SQLite: a small pool, and every connection waits for the
            // write lock (busy_timeout) instead of failing with SQLITE_BUSY.
            Dialect::Sqlite => options.max_connections(8).after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(SQLITE_PRAGMAS).await?;
                    Ok(())
                })
            }),
            Dialect::Postgres => options.max_connections(16).before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for > PING_WHEN_IDLE_FOR {
                        conn.ping().await?;
                    }
                    Ok(true)
                })
            }),
        };
        let pool = options.connect(url).await.map_err(|e| {
            Error::new(
                qy_kernel::ErrorKind::Unavailable,
                "store.unavailable",
                format!("cannot open database {}: {e}", redact_url(url)),
            )
        })?;
        if dialect == Dialect::Sqlite && !url.contains("mode=ro") {
            // WAL lets readers work while one writer commits; the mode persists in the file.
            sqlx::query("PRAGMA journal_mode = WAL").fetch_all(&pool).await.map_err(crate::db_err)?;
        }
        Ok(Self { pool, dialect, redacted_url: redact_url(url), kept: Arc::default() })
    }

    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// A connection for one hot statement, given back with `KeptConnection::give_back`
    /// without the round trip the pool spends on every connection given back to it (see
    /// `kept.rs`). For paths that run many times a second; everything else uses `pool()`.
    pub async fn kept(&self) -> Result<KeptConnection> {
        self.kept.get(&self.pool).await
    }

    /// A connection out of the pool for good, for a long-lived single writer (closed when
    /// dropped; opened on first use). On SQLite it gets a page cache of `cache_mib` MiB of its
    /// own. A connection's cache survives from one transaction to the next only while no other
    /// connection wrote, and the pool hands its connections out in turn, so a writer on the
    /// pool starts every transaction with a cold cache and reads its pages again; and a
    /// transaction that touches more pages than the cache holds (2 MiB by default) writes them
    /// to the WAL before its commit, and again at the commit.
    pub fn own_connection(&self, cache_mib: u32) -> OwnConnection {
        OwnConnection::new(self.pool.clone(), self.dialect, cache_mib)
    }

    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    pub fn redacted_url(&self) -> &str {
        &self.redacted_url
    }

    /// Is the database answering?
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").fetch_one(&self.pool).await.is_ok()
    }

    /// Writes a consistent copy of a SQLite database to `dest` while it stays in use
    /// (`VACUUM INTO`, SQLite's online snapshot). PostgreSQL is backed up with its own tools.
    pub async fn backup_sqlite(&self, dest: &Path) -> Result<()> {
        if self.dialect != Dialect::Sqlite {
            return Err(Error::bad_request(
                "store.backup_postgres",
                "backup FILE works on the embedded SQLite store; back PostgreSQL up with pg_dump",
            ));
        }
        if dest.exists() {
            return Err(Error::conflict("store.backup_exists", format!("{} already exists", dest.display())));
        }
        sqlx::query("VACUUM INTO $1")
            .bind(dest.display().to_string())
            .execute(&self.pool)
            .await
            .map_err(crate::db_err)?;
        Ok(())
    }

    /// Runs `PRAGMA integrity_check` (SQLite) and returns its verdict.
    pub async fn integrity_ok(&self) -> Result<bool> {
        if self.dialect != Dialect::Sqlite {
            return Ok(self.ping().await);
        }
        let rows: Vec<AnyRow> =
            sqlx::query("PRAGMA integrity_check").fetch_all(&self.pool).await.map_err(crate::db_err)?;
        use sqlx::Row;
        Ok(rows.len() == 1 && rows[0].try_get::<String, _>(0).map(|s| s == "ok").unwrap_or(false))
    }

    pub async fn close(&self) {
        self.kept.close().await;
        self.pool.close().await;
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact_url("postgres://qy:s3cret@db:5432/qy"), "postgres://qy:***@db:5432/qy");
        assert_eq!(redact_url("postgres://qy@db/qy"), "postgres://qy@db/qy");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
    }
}
