//! All SQL of the audit module.

use qy_kernel::audit::AuditEntry;
use qy_kernel::{Error, ErrorKind, Result};
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::{AnyConnection, Connection};
use qy_storage::{db_err, Db, Dialect, Params, Row, StoreResultExt, Value};

use crate::domain::{Entry, Head, Verdict, Verifier};

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

/// The head as stored, for an append that cannot use the remembered one. When the head is
/// missing but the log has rows (tampering), `audit.head_missing`: appending would hide it.
/// One statement reads both, so it sees one moment: a first append that commits meanwhile
/// (the head and its rows together) is seen whole or not at all.
async fn stored_head(conn: &mut AnyConnection) -> Result<Option<Head>> {
    let row = qy_storage::sqlx::query(
        "SELECT h.seq, h.hash, (SELECT MAX(seq) FROM audit_log) AS last_seq \
         FROM (SELECT 1 AS one) AS o LEFT JOIN audit_head h ON h.id = 1",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(db_err)?;
    let seq: Option<i64> = row.try_get("seq").store()?;
    let hash: Option<String> = row.try_get("hash").store()?;
    match (seq, hash) {
        (Some(seq), Some(hash)) => Ok(Some(Head { seq, hash })),
        _ => match row.try_get::<Option<i64>, _>("last_seq").store()? {
            None => Ok(None),
            Some(m) => Err(Error::new(
                ErrorKind::Internal,
                "audit.head_missing",
                format!("audit_head is missing though audit_log holds rows up to seq {m}; the log was tampered with (run `qingyun audit verify`)"),
            )),
        },
    }
}

/// The head this process last appended, per database (URL). With it an append skips reading
/// the head: if anything else appended meanwhile (another instance, the CLI) the append's
/// head check matches nothing, or its `seq` collides, and it is redone from the stored head.
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

/// `entries` (each with its time) as the rows that follow `head`, in order.
fn chained(head: Option<&Head>, entries: &[(i64, &AuditEntry)]) -> Vec<Entry> {
    let mut rows: Vec<Entry> = Vec::with_capacity(entries.len());
    for (at_ms, entry) in entries {
        let prev = match rows.last() {
            Some(r) => Some(Head { seq: r.seq, hash: r.hash.clone() }),
            None => head.cloned(),
        };
        rows.push(Entry::next(prev.as_ref(), *at_ms, entry));
    }
    rows
}

/// Appends `entries` as consecutive rows, chained onto `audit_head`, and returns them. The
/// chain continues from `audit_head`, never from the log's last row, so rows deleted at the
/// end stay detectable after later appends.
///
/// Onto an existing head the append is one statement: the rows are inserted only `WHERE` the
/// head is still the one they chain onto, and the `audit_head_follows` trigger moves the head
/// in the same statement. A concurrent appender that chained onto the same head collides on
/// `seq`, the primary key; the loser reads the stored head and chains again. When the head
/// is missing but the log has rows (tampering), the append fails (`audit.head_missing`)
/// rather than hide it.
///
/// `conn` is the connection to write on (`db` names the store: its dialect, and the key of
/// the remembered head): the sink keeps one of its own, outside the pool, because the pool
/// pings every connection given back to it, a round trip per append.
pub async fn append(db: &Db, conn: &mut AnyConnection, entries: &[(i64, &AuditEntry)]) -> Result<Vec<Entry>> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let mut remembered = cached_head(db);
    for _ in 0..8 {
        let head = match remembered.take() {
            Some(h) => Some(h),
            None => stored_head(conn).await?,
        };
        let rows = chained(head.as_ref(), entries);
        let written = match &head {
            Some(h) => insert_onto(conn, db.dialect(), h, &rows).await?,
            None => start_log(conn, db.dialect(), &rows).await?,
        };
        if written {
            remember_head(db, rows.last().map(|r| Head { seq: r.seq, hash: r.hash.clone() }));
            return Ok(rows);
        }
        remember_head(db, None);
    }
    Err(Error::new(ErrorKind::Unavailable, "store.conflict", "the audit head kept moving; retry"))
}

/// `INSERT` of `rows`, only where `audit_head` is `onto` when one is given.
fn insert_sql(dialect: Dialect, rows: &[Entry], onto: Option<&Head>) -> (String, Params) {
    let mut p = Params::positional(dialect);
    let mut tuples = Vec::with_capacity(rows.len());
    for r in rows {
        let fields = [
            p.push(r.seq),
            p.push(r.at_ms),
            p.push(r.actor.as_str()),
            p.push(r.action.as_str()),
            p.push(r.target.as_str()),
            p.push(r.outcome.as_str()),
            p.push(r.reason.as_deref().map_or(Value::Null, Value::from)),
            p.push(r.request_id.as_deref().map_or(Value::Null, Value::from)),
            p.push(r.prev_hash.as_str()),
            p.push(r.hash.as_str()),
        ];
        tuples.push(format!("({})", fields.join(", ")));
    }
    let mut sql = format!("INSERT INTO audit_log ({COLUMNS}) SELECT * FROM (VALUES {}) AS v", tuples.join(", "));
    if let Some(h) = onto {
        let seq = p.push(h.seq);
        let hash = p.push(h.hash.as_str());
        sql.push_str(&format!(
            " WHERE EXISTS (SELECT 1 FROM audit_head WHERE id = 1 AND seq = {seq} AND hash = {hash})"
        ));
    }
    (sql, p)
}

/// One statement: `rows` after `head`. False when the head moved or another appender took
/// the same `seq` first.
async fn insert_onto(conn: &mut AnyConnection, dialect: Dialect, head: &Head, rows: &[Entry]) -> Result<bool> {
    let (sql, p) = insert_sql(dialect, rows, Some(head));
    match p.bind(&sql).execute(&mut *conn).await.map_err(db_err) {
        Ok(done) => match done.rows_affected() {
            0 => Ok(false),
            n if n == rows.len() as u64 => Ok(true),
            n => Err(Error::internal(format!("audit append wrote {n} of {} rows", rows.len()))),
        },
        Err(e) if e.code == "store.conflict" => Ok(false),
        Err(e) => Err(e),
    }
}

/// The first rows of an empty log, with the head created for them in the same transaction.
/// False when another appender started the log first.
async fn start_log(conn: &mut AnyConnection, dialect: Dialect, rows: &[Entry]) -> Result<bool> {
    let Some(last) = rows.last() else { return Ok(true) };
    let begin = match dialect {
        Dialect::Sqlite => "BEGIN IMMEDIATE",
        Dialect::Postgres => "BEGIN",
    };
    let mut tx = conn.begin_with(begin).await.map_err(db_err)?;
    let started = qy_storage::sqlx::query(
        "INSERT INTO audit_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(last.seq)
    .bind(last.hash.as_str())
    .execute(&mut *tx)
    .await
    .map_err(db_err)?
    .rows_affected();
    if started != 1 {
        tx.rollback().await.map_err(db_err)?;
        return Ok(false);
    }
    let (sql, p) = insert_sql(dialect, rows, None);
    p.bind(&sql).execute(&mut *tx).await.map_err(db_err)?;
    tx.commit().await.map_err(db_err)?;
    Ok(true)
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
