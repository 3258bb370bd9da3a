use qy_kernel::{Error, ErrorKind};

/// Maps an sqlx error to a kernel error with a stable code. Classified by
/// `DatabaseError::kind()`, never by constraint name: SQLite reports no constraint names.
pub fn db_err(e: sqlx::Error) -> Error {
    if is_busy(&e) {
        return Error::new(ErrorKind::Unavailable, "store.busy", format!("database busy, retry: {e}"));
    }
    match &e {
        sqlx::Error::RowNotFound => Error::not_found("store.not_found", "no such record"),
        sqlx::Error::Database(db) => match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                Error::conflict("store.conflict", "a record with this key already exists")
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                Error::conflict("store.foreign_key", "the record refers to, or is referred to by, another record")
            }
            sqlx::error::ErrorKind::NotNullViolation | sqlx::error::ErrorKind::CheckViolation => {
                Error::bad_request("store.constraint", db.message().to_owned())
            }
            _ => Error::internal(format!("database error: {e}")),
        },
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
            Error::new(ErrorKind::Unavailable, "store.unavailable", format!("database unavailable: {e}"))
        }
        _ => Error::internal(format!("database error: {e}")),
    }
}

/// Lock contention: SQLite BUSY, LOCKED and their extended codes; PostgreSQL serialization
/// failure (40001) and deadlock (40P01). Retrying the transaction is the right answer.
fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| {
        let code = d.code().map(|c| c.into_owned()).unwrap_or_default();
        matches!(code.as_str(), "5" | "6" | "261" | "262" | "517" | "40001" | "40P01")
            || d.message().contains("database is locked")
    })
}

/// `.store()?` on any sqlx result.
pub trait StoreResultExt<T> {
    fn store(self) -> Result<T, Error>;
}

impl<T> StoreResultExt<T> for Result<T, sqlx::Error> {
    #[track_caller]
    fn store(self) -> Result<T, Error> {
        self.map_err(db_err)
    }
}

#[cfg(test)]
mod tests {
    use sqlx::Executor;

    #[tokio::test]
    async fn sqlite_lock_contention_is_a_retryable_busy_error() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = crate::Db::connect(&crate::db::sqlite_url_in(dir.path())).await.unwrap_or_else(|e| panic!("{e}"));
        let mut a = db.pool().acquire().await.unwrap_or_else(|e| panic!("{e}"));
        let mut b = db.pool().acquire().await.unwrap_or_else(|e| panic!("{e}"));
        a.execute("BEGIN IMMEDIATE").await.unwrap_or_else(|e| panic!("{e}"));
        b.execute("PRAGMA busy_timeout = 0").await.unwrap_or_else(|e| panic!("{e}"));
        let err = b.execute("BEGIN IMMEDIATE").await.map(|_| ()).map_err(super::db_err);
        assert_eq!(
            err.err().map(|e| (e.kind, e.code.into_owned())),
            Some((qy_kernel::ErrorKind::Unavailable, "store.busy".to_owned()))
        );
    }
}
