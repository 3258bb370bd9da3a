//! Storing accepted uploads: the packet archive, the observations, the latest value per
//! datastream and the stations' last packet, in one transaction per batch (group commit).

use std::collections::{BTreeMap, HashMap, HashSet};

use qy_kernel::Result;
use qy_storage::sqlx::{query, AnyConnection, Connection};
use qy_storage::{values_chunks, Db, Row, StoreResultExt};

use crate::domain::observation::Observation;

/// One accepted upload.
pub struct Upload<'a> {
    pub station_id: &'a str,
    pub qn: &'a str,
    pub cn: &'a str,
    pub raw: &'a str,
    pub received_at: i64,
    pub peer: &'a str,
    pub observations: &'a [Observation],
}

/// What storing one upload did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// The packet was new (not a retransmission of a stored (station, QN, CN)).
    pub new: bool,
    /// Per observation of the upload: whether this value is now the stored one. `false` for
    /// every value of a retransmission, and for a value the station had already sent in
    /// another packet (the first one wins) or twice in this batch.
    pub stored: Vec<bool>,
}

/// Datastreams (station, factor, period) whose `eco_latest` row is due to move forward, each
/// with the time of the newest stored value it should point at.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct DueLatest(HashMap<(String, String, String), i64>);

impl DueLatest {
    /// Notes a stored value; the newest time per datastream wins.
    pub fn note(&mut self, station_id: &str, factor: &str, period: &str, time_ms: i64) {
        self.put((station_id.to_owned(), factor.to_owned(), period.to_owned()), time_ms);
    }

    /// Takes in every datastream of `other` (the newer time wins).
    pub fn merge(&mut self, other: DueLatest) {
        for (key, time_ms) in other.0 {
            self.put(key, time_ms);
        }
    }

    fn put(&mut self, key: (String, String, String), time_ms: i64) {
        let t = self.0.entry(key).or_insert(time_ms);
        *t = (*t).max(time_ms);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// The datastreams (station, factor, period) and their times.
    pub fn iter(&self) -> impl Iterator<Item = (&(String, String, String), &i64)> {
        self.0.iter()
    }
}

/// Which `eco_latest` rows a batch moves in its own transaction.
pub enum LatestWrite<'a> {
    /// All of the batch's datastreams, and these carried over from earlier batches.
    All(&'a DueLatest),
    /// Only these (some of the batch's own); the caller keeps the rest of `Batch::latest` and
    /// writes it later (`write_latest`).
    Only(&'a DueLatest),
}

/// What storing a batch did.
#[derive(Debug)]
pub struct Batch {
    /// Per upload, in order.
    pub stored: Vec<Stored>,
    /// The batch's datastreams and their newest values' times (written already under
    /// `LatestWrite::All`).
    pub latest: DueLatest,
}

/// Stores an upload and its observations in one transaction. Returns `false` when the same
/// (station, QN, CN) was stored before: a retransmission, answered again but not stored twice.
pub async fn store_upload(db: &Db, u: &Upload<'_>) -> Result<bool> {
    Ok(store_uploads(db, std::slice::from_ref(u)).await?.first().copied().unwrap_or(false))
}

/// Stores several uploads in ONE transaction (group commit: the gateway's writer batches the
/// uploads that arrive together). Returns, per upload, whether it was new.
pub async fn store_uploads(db: &Db, uploads: &[Upload<'_>]) -> Result<Vec<bool>> {
    let mut conn = db.pool().acquire().await.store()?;
    let none = DueLatest::default();
    let batch = store_uploads_detailed(db, &mut conn, uploads, false, LatestWrite::All(&none)).await?;
    Ok(batch.stored.into_iter().map(|s| s.new).collect())
}

/// `store_uploads`, saying which observations were written (the rest were already stored),
/// when `mask` is set: RETURNING names them. That costs the ingest about a tenth of its
/// throughput, so the writer asks only while someone follows the values (SensorThings
/// subscribers). Without `mask` every value of a new upload counts as written.
///
/// `latest` says whether `eco_latest` moves in this transaction; the gateway's writer defers
/// it under load (see `gateway::writer`). `conn` is the connection to write on (`db` gives
/// the dialect).
pub async fn store_uploads_detailed(
    db: &Db,
    conn: &mut AnyConnection,
    uploads: &[Upload<'_>],
    mask: bool,
    latest: LatestWrite<'_>,
) -> Result<Batch> {
    let mut tx = conn.begin().await.store()?;
    let fresh = insert_packets(db, &mut tx, uploads).await?;
    // Observations of the new uploads. One row per (station, factor, period, time): the first
    // wins, as it would across transactions; a statement may not touch the same row twice
    // (PostgreSQL).
    let mut seen = HashSet::new();
    let rows: Vec<(&Upload<'_>, &Observation)> = uploads
        .iter()
        .zip(&fresh)
        .filter(|(_, new)| **new)
        .flat_map(|(u, _)| u.observations.iter().map(move |o| (u, o)))
        .filter(|(u, o)| seen.insert((u.station_id, o.factor.as_str(), o.period.as_str(), o.time_ms)))
        .collect();
    let mut written = insert_observations(db, &mut tx, &rows, mask).await?;
    let mut due = DueLatest::default();
    for (u, o) in &rows {
        due.note(u.station_id, o.factor.as_str(), o.period.as_str(), o.time_ms);
    }
    match latest {
        LatestWrite::All(carried) => upsert_latest(db, &mut tx, carried.0.iter().chain(due.0.iter())).await?,
        LatestWrite::Only(these) if !these.is_empty() => upsert_latest(db, &mut tx, these.0.iter()).await?,
        LatestWrite::Only(_) => {}
    }
    update_last_packets(db, &mut tx, uploads).await?;
    tx.commit().await.store()?;
    let stored = uploads
        .iter()
        .zip(fresh)
        .map(|(u, new)| Stored {
            new,
            stored: u
                .observations
                .iter()
                .map(|o| {
                    let key = (u.station_id.to_owned(), o.factor.clone(), o.period.as_str().to_owned(), o.time_ms);
                    new && (!mask || written.remove(&key))
                })
                .collect(),
        })
        .collect();
    Ok(Batch { stored, latest: due })
}

/// Moves `eco_latest` forward to the values `due` names, in a transaction of its own.
pub async fn write_latest(db: &Db, conn: &mut AnyConnection, due: &DueLatest) -> Result<()> {
    let mut tx = conn.begin().await.store()?;
    upsert_latest(db, &mut tx, due.0.iter()).await?;
    tx.commit().await.store()
}

/// Brings every `eco_latest` row forward to its datastream's newest stored value: what a
/// writer that stopped abruptly had not written yet (`gateway::writer` defers it under load).
/// One index seek per datastream, then the rows that moved are written as the writer would.
/// (One `INSERT … SELECT` joining `eco_latest` with `eco_observation` was planned by SQLite as
/// a scan of every observation.) Returns how many rows moved.
pub async fn repair_latest(db: &Db) -> Result<u64> {
    let rows = query(
        "SELECT l.station_id, l.factor, l.period, l.time_ms, (SELECT MAX(m.time_ms) FROM eco_observation m \
         WHERE m.station_id = l.station_id AND m.factor = l.factor AND m.period = l.period) FROM eco_latest l",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    let mut due = DueLatest::default();
    for r in &rows {
        let (known, newest): (i64, Option<i64>) = (r.try_get(3).store()?, r.try_get(4).store()?);
        if let Some(newest) = newest.filter(|n| *n > known) {
            let (station_id, factor, period): (String, String, String) =
                (r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?);
            due.note(&station_id, &factor, &period, newest);
        }
    }
    if due.is_empty() {
        return Ok(0);
    }
    let mut conn = db.pool().acquire().await.store()?;
    write_latest(db, &mut conn, &due).await?;
    Ok(u64::try_from(due.len()).unwrap_or(u64::MAX))
}

/// Archives the packets, a few hundred per statement; says per upload whether it was new.
/// Multi-row statements throughout (`values_chunks`: positional parameters, which bind in
/// linear time). Only full-size statements stay in the connection's statement cache: a
/// prepared statement of a few thousand parameters is large, and every remainder size would
/// otherwise be cached too.
async fn insert_packets(db: &Db, conn: &mut AnyConnection, uploads: &[Upload<'_>]) -> Result<Vec<bool>> {
    // RETURNING names the new ones (a retransmission, or a repeat inside the batch, conflicts
    // and is not returned).
    let mut inserted: HashSet<(String, String, String)> = HashSet::new();
    let chunks = values_chunks(db.dialect(), uploads, 6, |p, u| {
        format!(
            "({}, {}, {}, {}, {}, {})",
            p.push(qy_kernel::id::new_id()),
            p.push(u.station_id),
            p.push(u.qn),
            p.push(u.cn),
            p.push(u.received_at),
            p.push(u.raw)
        )
    });
    for c in chunks {
        let sql = format!(
            "INSERT INTO eco_packet (id, station_id, qn, cn, received_at, raw) VALUES {} \
             ON CONFLICT (station_id, qn, cn) DO NOTHING RETURNING station_id, qn, cn",
            c.values
        );
        for r in c.params.bind(&sql).persistent(c.full).fetch_all(&mut *conn).await.store()? {
            inserted.insert((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?));
        }
    }
    // The first upload with a returned key is the new one; repeats in the batch are not.
    Ok(uploads.iter().map(|u| inserted.remove(&(u.station_id.to_owned(), u.qn.to_owned(), u.cn.to_owned()))).collect())
}

/// Inserts the observations, a few hundred rows per statement. With `mask`, returns the keys
/// of the rows written (inserted, or replacing a value derived from minute data).
async fn insert_observations(
    db: &Db,
    conn: &mut AnyConnection,
    rows: &[(&Upload<'_>, &Observation)],
    mask: bool,
) -> Result<HashSet<(String, String, String, i64)>> {
    let mut written = HashSet::new();
    let chunks = values_chunks(db.dialect(), rows, 10, |p, (u, o)| {
        format!(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
            p.push(u.station_id),
            p.push(o.factor.as_str()),
            p.push(o.period.as_str()),
            p.push(o.time_ms),
            p.push(o.value.as_str()),
            p.push_f64(o.value.parse::<f64>().unwrap_or(0.0)),
            p.push(o.min.clone().map(Into::into).unwrap_or(qy_storage::Value::Null)),
            p.push(o.max.clone().map(Into::into).unwrap_or(qy_storage::Value::Null)),
            p.push(o.flag.as_str()),
            p.push(u.received_at)
        )
    });
    for c in chunks {
        // A value the station sent replaces one derived from its minute data, never another
        // value the station sent (first one wins, as for retransmissions).
        let sql = format!(
            "INSERT INTO eco_observation (station_id, factor, period, time_ms, value, value_num, min_value, max_value, \
             flag, received_at) VALUES {} ON CONFLICT (station_id, factor, period, time_ms) DO UPDATE SET \
             value = excluded.value, value_num = excluded.value_num, min_value = excluded.min_value, \
             max_value = excluded.max_value, flag = excluded.flag, received_at = excluded.received_at, derived = 0 \
             WHERE eco_observation.derived = 1{}",
            c.values,
            if mask { " RETURNING station_id, factor, period, time_ms" } else { "" }
        );
        let q = c.params.bind(&sql).persistent(c.full);
        if mask {
            for r in q.fetch_all(&mut *conn).await.store()? {
                written.insert((
                    r.try_get(0).store()?,
                    r.try_get(1).store()?,
                    r.try_get(2).store()?,
                    r.try_get(3).store()?,
                ));
            }
        } else {
            q.execute(&mut *conn).await.store()?;
        }
    }
    Ok(written)
}

/// Points `eco_latest` at the stored observation of each (datastream, time), one statement per
/// few hundred. The row's value and flag are read from `eco_observation`, so the latest value
/// is the one stored (the first a station sent, or as corrected since), and a value deleted
/// meanwhile is not brought back. Late (older) data never replaces a newer latest value.
async fn upsert_latest<'k>(
    db: &Db,
    conn: &mut AnyConnection,
    due: impl Iterator<Item = (&'k (String, String, String), &'k i64)>,
) -> Result<()> {
    // One row per datastream: one upsert statement may not touch the same row twice
    // (PostgreSQL), and the batch's value may also be carried over from an earlier one.
    let mut newest: BTreeMap<&(String, String, String), i64> = BTreeMap::new();
    for (key, t) in due {
        let e = newest.entry(key).or_insert(*t);
        *e = (*e).max(*t);
    }
    let newest: Vec<_> = newest.into_iter().collect();
    let chunks = values_chunks(db.dialect(), &newest, 4, |p, ((station, factor, period), t)| {
        format!(
            "({}, {}, {}, {})",
            p.push(station.as_str()),
            p.push(factor.as_str()),
            p.push(period.as_str()),
            p.push(*t)
        )
    });
    for c in chunks {
        // VALUES columns are named column1… in SQLite and PostgreSQL alike; SQLite needs the
        // WHERE to parse ON CONFLICT after INSERT … SELECT … JOIN.
        let sql = format!(
            "INSERT INTO eco_latest (station_id, factor, period, time_ms, value, flag) \
             SELECT o.station_id, o.factor, o.period, o.time_ms, o.value, o.flag FROM (VALUES {}) AS v \
             JOIN eco_observation o ON o.station_id = v.column1 AND o.factor = v.column2 AND o.period = v.column3 \
             AND o.time_ms = v.column4 WHERE true \
             ON CONFLICT (station_id, factor, period) DO UPDATE SET time_ms = excluded.time_ms, \
             value = excluded.value, flag = excluded.flag WHERE excluded.time_ms >= eco_latest.time_ms",
            c.values
        );
        c.params.bind(&sql).persistent(c.full).execute(&mut *conn).await.store()?;
    }
    Ok(())
}

/// Each station's last packet (the batch's newest), one statement per few hundred stations
/// (VALUES columns are named column1… in SQLite and PostgreSQL alike).
async fn update_last_packets(db: &Db, conn: &mut AnyConnection, uploads: &[Upload<'_>]) -> Result<()> {
    let mut stations: BTreeMap<&str, (i64, &str)> = BTreeMap::new();
    for u in uploads {
        let e = stations.entry(u.station_id).or_insert((u.received_at, u.peer));
        if u.received_at >= e.0 {
            *e = (u.received_at, u.peer);
        }
    }
    let stations: Vec<_> = stations.into_iter().collect();
    let chunks = values_chunks(db.dialect(), &stations, 3, |p, (station, (at, peer))| {
        format!("({}, {}, {})", p.push(*station), p.push(*at), p.push(*peer))
    });
    for c in chunks {
        let sql = format!(
            "UPDATE eco_station SET last_packet_at = v.column2, last_peer = v.column3 FROM (VALUES {}) AS v \
             WHERE eco_station.id = v.column1",
            c.values
        );
        c.params.bind(&sql).persistent(c.full).execute(&mut *conn).await.store()?;
    }
    Ok(())
}
