//! A fresh database per test (zero2prod's pattern): a temporary SQLite file, or a new
//! PostgreSQL database when `QY_TEST_DATABASE_URL` names a server.

use qy_kernel::Result;

use crate::Db;

/// A test database. Keeps its temporary directory alive as long as it lives.
pub struct TestDb {
    pub db: Db,
    pub url: String,
    _dir: Option<tempfile::TempDir>,
}

impl TestDb {
    /// SQLite unless `QY_TEST_DATABASE_URL` is set.
    pub async fn new() -> Result<Self> {
        match std::env::var("QY_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => Self::postgres(&url).await,
            _ => Self::sqlite().await,
        }
    }

    pub async fn sqlite() -> Result<Self> {
        let dir = tempfile::tempdir().map_err(|e| qy_kernel::Error::internal(format!("tempdir: {e}")))?;
        let url = crate::db::sqlite_url_in(dir.path());
        let db = Db::connect(&url).await?;
        Ok(Self { db, url, _dir: Some(dir) })
    }

    /// Creates `qy_t_<random>` on the server named by `admin_url` and connects to it.
    pub async fn postgres(admin_url: &str) -> Result<Self> {
        let admin = Db::connect(admin_url).await?;
        let name = format!("qy_t_{}", uuid::Uuid::new_v4().simple());
        sqlx::query(&format!("CREATE DATABASE {name}")).execute(admin.pool()).await.map_err(crate::db_err)?;
        admin.close().await;
        let url = replace_db_name(admin_url, &name);
        let db = Db::connect(&url).await?;
        Ok(Self { db, url, _dir: None })
    }

    /// Which backend tests run on, for skip messages.
    pub fn backend_name() -> &'static str {
        match std::env::var("QY_TEST_DATABASE_URL") {
            Ok(url) if !url.is_empty() => "postgres",
            _ => "sqlite",
        }
    }
}

/// `postgres://h:5432/test?x=y` with name `n` → `postgres://h:5432/n?x=y`.
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let path_start = base[after_scheme..].find('/').map(|i| i + after_scheme);
    let mut out = match path_start {
        Some(i) => format!("{}/{}", &base[..i], name),
        None => format!("{base}/{name}"),
    };
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn db_name_is_replaced() {
        assert_eq!(super::replace_db_name("postgres://127.0.0.1:5432/test", "x"), "postgres://127.0.0.1:5432/x");
        assert_eq!(super::replace_db_name("postgres://h/test?sslmode=disable", "x"), "postgres://h/x?sslmode=disable");
        assert_eq!(super::replace_db_name("postgres://h", "x"), "postgres://h/x");
    }
}
