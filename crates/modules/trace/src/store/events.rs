//! `trace_event` and its index rows (`trace_epc`, `trace_attr`, `trace_sensor`), and the
//! stored contexts.

use std::collections::{HashMap, HashSet};

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::{query, Any, Transaction};
use qy_storage::{bind_f64_or_null, Db, Dialect, Params, Row, StoreResultExt};

use super::value_tuples;
use crate::domain::StoredEvent;
use crate::service::index::Indexed;

/// One event ready to store.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub event_id: String,
    pub event_hash: String,
    pub id_assigned: bool,
    pub index: Indexed,
    pub body: String,
}

pub const COLUMNS: &str = "seq, event_id, id_assigned, event_type, biz_step, disposition, event_time, record_time, \
    error_declared, context_hash, body";

pub fn event_of(r: &AnyRow) -> Result<StoredEvent> {
    let assigned: i64 = r.try_get("id_assigned").store()?;
    let declared: i64 = r.try_get("error_declared").store()?;
    Ok(StoredEvent {
        seq: r.try_get("seq").store()?,
        event_id: r.try_get("event_id").store()?,
        id_assigned: assigned != 0,
        event_type: r.try_get("event_type").store()?,
        biz_step: r.try_get("biz_step").store()?,
        disposition: r.try_get("disposition").store()?,
        event_time: r.try_get("event_time").store()?,
        record_time: r.try_get("record_time").store()?,
        error_declared: declared != 0,
        context_hash: r.try_get("context_hash").store()?,
        body: r.try_get("body").store()?,
    })
}

/// Which of `ids` (with their error-declaration flag) are already stored.
pub async fn existing(db: &Db, ids: &[(String, bool)]) -> Result<HashSet<(String, bool)>> {
    let mut found = HashSet::new();
    for chunk in ids.chunks(500) {
        let names: Vec<String> = chunk.iter().map(|(id, _)| id.clone()).collect();
        let mut p = Params::new();
        let sql =
            format!("SELECT event_id, error_declared FROM trace_event WHERE event_id IN ({})", p.push_list(&names));
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            let declared: i64 = r.try_get("error_declared").store()?;
            found.insert((r.try_get::<String, _>("event_id").store()?, declared != 0));
        }
    }
    Ok(found)
}

pub async fn put_context(tx: &mut Transaction<'_, Any>, hash: &str, body: &str) -> Result<()> {
    query("INSERT INTO trace_context (hash, body) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
        .bind(hash)
        .bind(body)
        .execute(&mut **tx)
        .await
        .store()?;
    Ok(())
}

pub async fn contexts(db: &Db, hashes: &[String]) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for chunk in hashes.chunks(500) {
        let mut p = Params::new();
        let sql = format!("SELECT hash, body FROM trace_context WHERE hash IN ({})", p.push_list(chunk));
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.insert(r.try_get("hash").store()?, r.try_get("body").store()?);
        }
    }
    Ok(out)
}

/// Stores events and their index rows in the caller's transaction, on the store of `dialect`
/// (the engines differ in statement sizes and parameter markers). Returns how many rows were
/// inserted (a concurrent capture of the same event makes the conflict skip it).
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    dialect: Dialect,
    events: &[NewEvent],
    record_time: i64,
    capture_id: &str,
    context_hash: &str,
) -> Result<usize> {
    let mut inserted = 0;
    for chunk in events.chunks(dialect.rows_per_positional_statement(16)) {
        let sql = format!(
            "INSERT INTO trace_event (event_id, event_hash, id_assigned, event_type, action, biz_step, disposition, \
             read_point, biz_location, transformation_id, event_time, record_time, error_declared, capture_id, \
             context_hash, body) VALUES {} ON CONFLICT (event_id, error_declared) DO NOTHING \
             RETURNING seq, event_id, error_declared",
            value_tuples(dialect, chunk.len(), 16)
        );
        let mut q = query(&sql);
        for e in chunk {
            let ix = &e.index;
            q = q
                .bind(e.event_id.as_str())
                .bind(e.event_hash.as_str())
                .bind(i64::from(e.id_assigned))
                .bind(ix.event_type.as_str())
                .bind(ix.action.as_deref())
                .bind(ix.biz_step.as_deref())
                .bind(ix.disposition.as_deref())
                .bind(ix.read_point.as_deref())
                .bind(ix.biz_location.as_deref())
                .bind(ix.transformation_id.as_deref())
                .bind(ix.event_time)
                .bind(record_time)
                .bind(i64::from(ix.error_declared))
                .bind(capture_id)
                .bind(context_hash)
                .bind(e.body.as_str());
        }
        let rows = q.fetch_all(&mut **tx).await.store()?;
        let mut seq_of: HashMap<(String, bool), i64> = HashMap::new();
        for r in &rows {
            let declared: i64 = r.try_get("error_declared").store()?;
            seq_of.insert((r.try_get("event_id").store()?, declared != 0), r.try_get("seq").store()?);
        }
        inserted += rows.len();
        let stored: Vec<(i64, &Indexed)> = chunk
            .iter()
            .filter_map(|e| seq_of.get(&(e.event_id.clone(), e.index.error_declared)).map(|s| (*s, &e.index)))
            .collect();
        insert_index_rows(tx, dialect, &stored).await?;
    }
    Ok(inserted)
}

async fn insert_index_rows(tx: &mut Transaction<'_, Any>, dialect: Dialect, stored: &[(i64, &Indexed)]) -> Result<()> {
    let epcs: Vec<_> = stored.iter().flat_map(|(s, ix)| ix.epcs.iter().map(move |r| (*s, r))).collect();
    for chunk in epcs.chunks(dialect.rows_per_positional_statement(6)) {
        let sql = format!(
            "INSERT INTO trace_epc (seq, role, epc, gtin, quantity, uom) VALUES {}",
            value_tuples(dialect, chunk.len(), 6)
        );
        let mut q = query(&sql);
        for (seq, r) in chunk {
            q = q.bind(*seq).bind(r.role).bind(r.epc.as_str()).bind(r.gtin.as_deref());
            q = bind_f64_or_null(q, r.quantity).bind(r.uom.as_deref());
        }
        q.execute(&mut **tx).await.store()?;
    }
    let attrs: Vec<_> = stored.iter().flat_map(|(s, ix)| ix.attrs.iter().map(move |a| (*s, a))).collect();
    for chunk in attrs.chunks(dialect.rows_per_positional_statement(3)) {
        let sql = format!("INSERT INTO trace_attr (seq, name, value) VALUES {}", value_tuples(dialect, chunk.len(), 3));
        let mut q = query(&sql);
        for (seq, (name, value)) in chunk {
            q = q.bind(*seq).bind(name.as_str()).bind(value.as_str());
        }
        q.execute(&mut **tx).await.store()?;
    }
    let sensors: Vec<_> = stored.iter().flat_map(|(s, ix)| ix.sensors.iter().map(move |r| (*s, r))).collect();
    for chunk in sensors.chunks(dialect.rows_per_positional_statement(9)) {
        let sql = format!(
            "INSERT INTO trace_sensor (seq, type, uom, value, min_value, max_value, mean_value, time, device_id) \
             VALUES {}",
            value_tuples(dialect, chunk.len(), 9)
        );
        let mut q = query(&sql);
        for (seq, r) in chunk {
            q = q.bind(*seq).bind(r.kind.as_str()).bind(r.uom.as_deref());
            for v in [r.value, r.min_value, r.max_value, r.mean_value] {
                q = bind_f64_or_null(q, v);
            }
            q = q.bind(r.time).bind(r.device_id.as_deref());
        }
        q.execute(&mut **tx).await.store()?;
    }
    Ok(())
}

pub async fn by_event_id(db: &Db, event_id: &str) -> Result<Vec<StoredEvent>> {
    let rows = query(&format!("SELECT {COLUMNS} FROM trace_event WHERE event_id = $1 ORDER BY seq"))
        .bind(event_id)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(event_of).collect()
}

pub async fn by_seqs(db: &Db, seqs: &[i64]) -> Result<Vec<StoredEvent>> {
    let mut out = Vec::new();
    for chunk in seqs.chunks(500) {
        let mut p = Params::new();
        let sql = format!("SELECT {COLUMNS} FROM trace_event WHERE seq IN ({})", p.push_int_list(chunk));
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.push(event_of(&r)?);
        }
    }
    out.sort_by_key(|e| (e.event_time, e.seq));
    Ok(out)
}

/// Distinct values of an indexed column with their event counts (the browse resources:
/// `/epcis/bizSteps`, `/epcis/dispositions`, …). `column` is one of a fixed set.
pub async fn distinct(db: &Db, column: &str, limit: i64) -> Result<Vec<(String, i64)>> {
    let column = match column {
        "biz_step" | "disposition" | "read_point" | "biz_location" | "event_type" => column,
        _ => return Ok(Vec::new()),
    };
    let sql = format!(
        "SELECT {column} AS v, COUNT(*) AS n FROM trace_event WHERE {column} IS NOT NULL \
         GROUP BY {column} ORDER BY {column} LIMIT $1"
    );
    let rows = query(&sql).bind(limit).fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| Ok((r.try_get("v").store()?, r.try_get("n").store()?))).collect()
}

/// Distinct identifiers (the `/epcis/epcs` resource), in order, after `after`.
pub async fn distinct_epcs(db: &Db, after: &str, limit: i64) -> Result<Vec<String>> {
    let rows = query("SELECT DISTINCT epc FROM trace_epc WHERE epc > $1 ORDER BY epc LIMIT $2")
        .bind(after)
        .bind(limit)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(|r| r.try_get("epc").store()).collect()
}

pub async fn count(db: &Db) -> Result<i64> {
    query("SELECT COUNT(*) AS n FROM trace_event").fetch_one(db.pool()).await.store()?.try_get("n").store()
}

/// Every stored context (few: one per distinct `@context` of captured documents).
pub async fn all_contexts(db: &Db) -> Result<Vec<String>> {
    let rows = query("SELECT body FROM trace_context ORDER BY hash LIMIT 10000").fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| r.try_get("body").store()).collect()
}
