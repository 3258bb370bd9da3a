//! All SQL of the audit module.

use qy_kernel::audit::AuditEntry;
use qy_kernel::{Error, ErrorKind, Result};
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::AnyConnection;
use qy_storage::{db_err, Db, Dialect, Params, Row, StoreResultExt};

use crate::domain::{Entry, Head, Verdict, Verifier};

/// Advisory lock key that serializes appends across PostgreSQL connections and instances.
const APPEND_LOCK_KEY: i64 = 0x5159_4155_4449; // "QYAUDI"

const COLUMNS: &str = "seq, at_ms, actor, action, target, outcome, reason, request_id, prev_hash, hash";

/// What the log viewer filters on. Empty fields filter nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Exactly this actor.
    pub actor: Option<String>,
    /// Actions starting with this, e.g. `identity.`.
    pub action: Option<String>,
    /// Targets containing this.
    pub target: Option<String>,
    /// At or after, epoch ms.
    pub from_ms: Option<i64>,
    /// Before, epoch ms (exclusive).
    pub to_ms: Option<i64>,
}

fn entry_of(row: &AnyRow) -> Result<Entry> {
    Ok(Entry {
        seq: row.try_get("seq").store()?,
        at_ms: row.try_get("at_ms").store()?,
        actor: row.try_get("actor").store()?,
        action: row.try_get("action").store()?,
        target: row.try_get("target").store()?,
        outcome: row.try_get("outcome").store()?,
        reason: row.try_get("reason").store()?,
        request_id: row.try_get("request_id").store()?,
        prev_hash: row.try_get("prev_hash").store()?,
        hash: row.try_get("hash").store()?,
    })
}

async fn read_head(conn: &mut AnyConnection) -> Result<Option<Head>> {
    let row = qy_storage::sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    row.map(|r| Ok(Head { seq: r.try_get("seq").store()?, hash: r.try_get("hash").store()? })).transpose()
}

async fn read_head_for_update(conn: &mut AnyConnection) -> Result<Option<Head>> {
    let row = qy_storage::sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE")
        .fetch_optional(&mut *conn)
        .await
        .map_err(db_err)?;
    row.map(|r| Ok(Head { seq: r.try_get("seq").store()?, hash: r.try_get("hash").store()? })).transpose()
}

async fn max_seq(conn: &mut AnyConnection) -> Result<Option<i64>> {
    let row =
        qy_storage::sqlx::query("SELECT MAX(seq) AS m FROM audit_log").fetch_one(&mut *conn).await.map_err(db_err)?;
    row.try_get("m").store()
}

/// The head this process last appended, per database (URL). With it an append skips the
/// advisory lock and the head read: its head update is a compare-and-set on that head, so if
/// anything else appended meanwhile (another instance, the CLI, a concurrent request) the
/// update matches no row and the append is redone from the store's head.
static LAST_HEAD: std::sync::LazyLock<std::sync::Mutex<std::collections::HashMap<String, Head>>> =
    std::sync::LazyLock::new(Default::default);

fn cached_head(db: &Db) -> Option<Head> {
    LAST_HEAD.lock().ok().and_then(|m| m.get(db.redacted_url()).cloned())
}

fn remember_head(db: &Db, head: Option<Head>) {
    if let Ok(mut m) = LAST_HEAD.lock() {
        match head {
            Some(h) => m.insert(db.redacted_url().to_owned(), h),
            None => m.remove(db.redacted_url()),
        };
    }
}

/// Appends one row in one transaction, chained onto `audit_head`, and moves the head. The
/// head moves by compare-and-set (`WHERE seq = … AND hash = …`), so appenders that raced
/// serialize on the head row and the loser starts again; on PostgreSQL the slow path also
/// takes an advisory lock, on SQLite `BEGIN IMMEDIATE` takes the write lock first.
///
/// The chain continues from `audit_head`, never from the log's last row, so rows deleted
/// at the end stay detectable after later appends. When the head is missing but the log
/// has rows (tampering), the append fails (`audit.head_missing`) rather than hide it.
pub async fn append(db: &Db, at_ms: i64, entry: &AuditEntry) -> Result<Entry> {
    if let Some(head) = cached_head(db) {
        if let Some(row) = append_onto(db, Some(head), at_ms, entry).await? {
            return Ok(row);
        }
        remember_head(db, None);
    }
    for _ in 0..8 {
        if let Some(row) = append_onto(db, None, at_ms, entry).await? {
            return Ok(row);
        }
    }
    Err(Error::new(ErrorKind::Unavailable, "store.conflict", "the audit head kept moving; retry"))
}

/// One attempt onto the `cached` head, or onto the head read under the append lock. `None`
/// when the head is no longer the one used.
async fn append_onto(db: &Db, cached: Option<Head>, at_ms: i64, entry: &AuditEntry) -> Result<Option<Entry>> {
    let begin = match db.dialect() {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    };
    let mut tx = db.pool().begin_with(begin).await.map_err(db_err)?;
    let head = match cached {
        Some(h) => Some(h),
        None => {
            if db.dialect() == Dialect::Postgres {
                qy_storage::sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(APPEND_LOCK_KEY)
                    .execute(&mut *tx)
                    .await
                    .map_err(db_err)?;
            }
            // FOR UPDATE: appenders on the fast path (no advisory lock) cannot move the head
            // between this read and the compare-and-set below.
            let head = if db.dialect() == Dialect::Postgres {
                read_head_for_update(&mut tx).await?
            } else {
                read_head(&mut tx).await?
            };
            if head.is_none() {
                if let Some(m) = max_seq(&mut tx).await? {
                    return Err(Error::new(
                        ErrorKind::Internal,
                        "audit.head_missing",
                        format!("audit_head is missing though audit_log holds rows up to seq {m}; the log was tampered with (run `qingyun audit verify`)"),
                    ));
                }
            }
            head
        }
    };
    let row = Entry::next(head.as_ref(), at_ms, entry);
    // The head first: a racing appender waits here for the row lock, then matches nothing.
    let moved = match &head {
        Some(h) => {
            qy_storage::sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3 AND hash = $4")
                .bind(row.seq)
                .bind(row.hash.as_str())
                .bind(h.seq)
                .bind(h.hash.as_str())
        }
        None => qy_storage::sqlx::query(
            "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
        )
        .bind(row.seq)
        .bind(row.hash.as_str()),
    }
    .execute(&mut *tx)
    .await
    .map_err(db_err)?
    .rows_affected();
    if moved != 1 {
        tx.rollback().await.map_err(db_err)?;
        return Ok(None);
    }
    let sql = format!("INSERT INTO audit_log ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
    qy_storage::sqlx::query(&sql)
        .bind(row.seq)
        .bind(row.at_ms)
        .bind(row.actor.as_str())
        .bind(row.action.as_str())
        .bind(row.target.as_str())
        .bind(row.outcome.as_str())
        .bind(row.reason.as_deref())
        .bind(row.request_id.as_deref())
        .bind(row.prev_hash.as_str())
        .bind(row.hash.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    remember_head(db, Some(Head { seq: row.seq, hash: row.hash.clone() }));
    Ok(Some(row))
}

/// Verifies the whole chain inside one read transaction (a consistent snapshot while
/// appends go on), reading `page` rows at a time in seq order.
pub async fn verify(db: &Db, page: i64) -> Result<Verdict> {
    let begin = match db.dialect() {
        Dialect::Sqlite => "BEGIN",
        Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
    };
    let mut tx = db.pool().begin_with(begin).await.store()?;
    let head = read_head(&mut tx).await?;
    let mut verifier = Verifier::new();
    let mut after: Option<i64> = None;
    let sql_first = format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq LIMIT $1");
    let sql_next = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
    'pages: loop {
        let rows = match after {
            None => qy_storage::sqlx::query(&sql_first).bind(page).fetch_all(&mut *tx).await,
            Some(a) => qy_storage::sqlx::query(&sql_next).bind(a).bind(page).fetch_all(&mut *tx).await,
        }
        .store()?;
        let n = rows.len();
        for row in &rows {
            let e = entry_of(row)?;
            after = Some(e.seq);
            if !verifier.push(&e) {
                break 'pages;
            }
        }
        if i64::try_from(n).unwrap_or(0) < page {
            break;
        }
    }
    tx.rollback().await.store()?;
    Ok(verifier.finish(head.as_ref()))
}

/// Rows matching `filter`, newest first, with seq below `before_seq`; at most `limit`.
pub async fn list(db: &Db, filter: &Filter, before_seq: Option<i64>, limit: i64) -> Result<Vec<Entry>> {
    let mut p = Params::new();
    let mut sql = format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1");
    if let Some(actor) = &filter.actor {
        sql.push_str(&format!(" AND actor = {}", p.push(actor.as_str())));
    }
    if let Some(action) = &filter.action {
        sql.push_str(&format!(" AND action LIKE {} ESCAPE '\\'", p.push(format!("{}%", escape_like(action)))));
    }
    if let Some(target) = &filter.target {
        sql.push_str(&format!(" AND target LIKE {} ESCAPE '\\'", p.push(format!("%{}%", escape_like(target)))));
    }
    if let Some(from) = filter.from_ms {
        sql.push_str(&format!(" AND at_ms >= {}", p.push(from)));
    }
    if let Some(to) = filter.to_ms {
        sql.push_str(&format!(" AND at_ms < {}", p.push(to)));
    }
    if let Some(before) = before_seq {
        sql.push_str(&format!(" AND seq < {}", p.push(before)));
    }
    sql.push_str(&format!(" ORDER BY seq DESC LIMIT {}", p.push(limit)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(entry_of).collect()
}

/// Number of rows in the log.
pub async fn count(db: &Db) -> Result<i64> {
    let row = qy_storage::sqlx::query("SELECT COUNT(*) FROM audit_log").fetch_one(db.pool()).await.store()?;
    row.try_get(0).store()
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
