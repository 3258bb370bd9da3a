//! Per-module migrations, one folder per backend with the same version numbers.
//!
//! Applied in the order modules are listed, each migration in its own transaction, recorded
//! with a SHA-256 checksum in `qy_migration`. A changed, already-applied migration is an
//! error (edit history by adding a migration, never by rewriting one). On PostgreSQL an
//! advisory lock lets several instances start at once.

use qy_kernel::{Error, Result};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};

use crate::{db_err, Db, Dialect};

/// One schema step of one module, in both dialects.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// A module's migrations and where their files live (for the parity check).
#[derive(Debug, Clone, Copy)]
pub struct ModuleMigrations {
    pub module: &'static str,
    pub migrations: &'static [Migration],
}

/// Declares a migration from `migrations/{sqlite,postgres}/<file>` of the calling crate.
#[macro_export]
macro_rules! migration {
    ($version:expr, $file:literal) => {
        $crate::Migration {
            version: $version,
            name: $file,
            sqlite: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/sqlite/", $file)),
            postgres: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/postgres/", $file)),
        }
    };
}

const LOCK_KEY: i64 = 0x5159_4d49_4752; // "QYMIGR"

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS qy_migration (
    module TEXT NOT NULL,
    version BIGINT NOT NULL,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL,
    PRIMARY KEY (module, version)
)";

fn checksum(sql: &str) -> String {
    hex::encode(Sha256::digest(sql.as_bytes()))
}

/// Applies every pending migration. Returns how many were applied.
pub async fn migrate(db: &Db, modules: &[ModuleMigrations], now_ms: i64) -> Result<usize> {
    let mut conn = db.pool().acquire().await.map_err(db_err)?;
    if db.dialect() == Dialect::Postgres {
        sqlx::query("SELECT pg_advisory_lock($1)").bind(LOCK_KEY).execute(&mut *conn).await.map_err(db_err)?;
    }
    let result = apply_all(&mut conn, db.dialect(), modules, now_ms).await;
    if db.dialect() == Dialect::Postgres {
        // Unlock even when a migration failed, or other instances would wait forever.
        let _ = sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK_KEY).execute(&mut *conn).await;
    }
    result
}

async fn apply_all(
    conn: &mut sqlx::AnyConnection,
    dialect: Dialect,
    modules: &[ModuleMigrations],
    now_ms: i64,
) -> Result<usize> {
    sqlx::query(CREATE_TABLE).execute(&mut *conn).await.map_err(db_err)?;
    let mut applied = 0;
    for module in modules {
        for m in module.migrations {
            let sql = match dialect {
                Dialect::Sqlite => m.sqlite,
                Dialect::Postgres => m.postgres,
            };
            let sum = checksum(sql);
            let existing = sqlx::query("SELECT checksum FROM qy_migration WHERE module = $1 AND version = $2")
                .bind(module.module)
                .bind(m.version)
                .fetch_optional(&mut *conn)
                .await
                .map_err(db_err)?;
            if let Some(row) = existing {
                let recorded: String = row.try_get(0).map_err(db_err)?;
                if recorded != sum {
                    return Err(Error::internal(format!(
                        "migration {}/{} ({}) was changed after it was applied; add a new migration instead",
                        module.module, m.version, m.name
                    )));
                }
                continue;
            }
            let mut tx = conn.begin().await.map_err(db_err)?;
            sqlx::raw_sql(sql).execute(&mut *tx).await.map_err(|e| {
                Error::internal(format!("migration {}/{} ({}) failed: {e}", module.module, m.version, m.name))
            })?;
            sqlx::query(
                "INSERT INTO qy_migration (module, version, name, checksum, applied_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(module.module)
            .bind(m.version)
            .bind(m.name)
            .bind(sum)
            .bind(now_ms)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            tracing::info!(module = module.module, version = m.version, name = m.name, "migration applied");
            applied += 1;
        }
    }
    Ok(applied)
}

/// Structural problems in a module's migration list: versions not strictly increasing, or
/// a dialect's SQL missing. Empty when all is well. (The file-level parity of the two
/// folders is checked by each module's tests with `std::fs`.)
pub fn parity_problems(module: &ModuleMigrations) -> Vec<String> {
    let mut problems = Vec::new();
    let mut last = 0;
    for m in module.migrations {
        if m.version <= last {
            problems.push(format!("{}: version {} is not greater than {}", module.module, m.version, last));
        }
        last = m.version;
        if m.sqlite.trim().is_empty() || m.postgres.trim().is_empty() {
            problems.push(format!("{}: migration {} is empty in one dialect", module.module, m.name));
        }
        if !m.name.starts_with(&format!("{:04}_", m.version)) {
            problems
                .push(format!("{}: file {} does not start with its version {:04}", module.module, m.name, m.version));
        }
    }
    problems
}
