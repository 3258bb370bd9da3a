use qy_kernel::{Error, ErrorKind};

/// Maps an sqlx error to a kernel error with a stable code. Classified by
/// `DatabaseError::kind()`, never by constraint name: SQLite reports no constraint names.
pub fn db_err(e: sqlx::Error) -> Error {
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
