//! Genealogy lookups over the identifier index, and the counts behind the dashboard.

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Params, Row, StoreResultExt};

/// One hop of genealogy: `from` became or went into `to` in event `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub seq: i64,
    /// transformation or aggregation
    pub kind: &'static str,
}

/// Downstream hops from `epcs`: transformation outputs of events they were inputs of, and
/// the containers they were aggregated into (not disassociated ones: `DELETE` unpacks).
pub async fn downstream(db: &Db, epcs: &[String]) -> Result<Vec<Link>> {
    hops(db, epcs, true).await
}

/// Upstream hops: transformation inputs of events that output `epcs`, and the children of
/// containers they are.
pub async fn upstream(db: &Db, epcs: &[String]) -> Result<Vec<Link>> {
    hops(db, epcs, false).await
}

async fn hops(db: &Db, epcs: &[String], down: bool) -> Result<Vec<Link>> {
    let mut out = Vec::new();
    for chunk in epcs.chunks(400) {
        let mut p = Params::new();
        let list = p.push_list(chunk);
        let (transform_from, transform_to, agg_from, agg_to) = if down {
            ("('i', 'iq')", "('o', 'oq')", "('c', 'cq')", "('p')")
        } else {
            ("('o', 'oq')", "('i', 'iq')", "('p')", "('c', 'cq')")
        };
        let sql = format!(
            "SELECT a.epc AS src, b.epc AS dst, a.seq AS seq, e.event_type AS t FROM trace_epc a \
             JOIN trace_event e ON e.seq = a.seq JOIN trace_epc b ON b.seq = a.seq \
             WHERE a.epc IN ({list}) AND e.error_declared = 0 AND ( \
               (e.event_type = 'TransformationEvent' AND a.role IN {transform_from} AND b.role IN {transform_to}) \
               OR (e.event_type = 'AggregationEvent' AND e.action = 'ADD' AND a.role IN {agg_from} \
                   AND b.role IN {agg_to}))"
        );
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            let t: String = r.try_get("t").store()?;
            out.push(Link {
                from: r.try_get("src").store()?,
                to: r.try_get("dst").store()?,
                seq: r.try_get("seq").store()?,
                kind: if t == "TransformationEvent" { "transformation" } else { "aggregation" },
            });
        }
    }
    Ok(out)
}

/// Every event that names any of `epcs`, in any role.
pub async fn seqs_naming(db: &Db, epcs: &[String]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in epcs.chunks(400) {
        let mut p = Params::new();
        let sql = format!("SELECT DISTINCT seq FROM trace_epc WHERE epc IN ({})", p.push_list(chunk));
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.push(r.try_get("seq").store()?);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The places and parties of events: read points, business locations, sources and destinations.
pub async fn places_and_parties(db: &Db, seqs: &[i64]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for chunk in seqs.chunks(400) {
        let mut p = Params::new();
        let list = p.push_int_list(chunk);
        let sql = format!(
            "SELECT read_point AS v FROM trace_event WHERE seq IN ({list}) AND read_point IS NOT NULL \
             UNION SELECT biz_location AS v FROM trace_event WHERE seq IN ({list}) AND biz_location IS NOT NULL \
             UNION SELECT value AS v FROM trace_attr WHERE seq IN ({list}) \
               AND (name LIKE 'src:%' OR name LIKE 'dst:%')"
        );
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.push(r.try_get("v").store()?);
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Sensor readings of events, for the cold-chain chart: (seq, type, uom, min, max, mean, value, time).
#[derive(Debug, Clone, serde::Serialize)]
pub struct Reading {
    pub seq: i64,
    pub kind: String,
    pub uom: Option<String>,
    pub value: Option<f64>,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    pub mean_value: Option<f64>,
    pub time: Option<i64>,
}

pub async fn readings(db: &Db, seqs: &[i64]) -> Result<Vec<Reading>> {
    let mut out = Vec::new();
    for chunk in seqs.chunks(400) {
        let mut p = Params::new();
        let sql = format!(
            "SELECT seq, type, uom, value, min_value, max_value, mean_value, time FROM trace_sensor \
             WHERE seq IN ({}) ORDER BY time, seq",
            p.push_int_list(chunk)
        );
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.push(Reading {
                seq: r.try_get("seq").store()?,
                kind: r.try_get("type").store()?,
                uom: r.try_get("uom").store()?,
                value: r.try_get("value").store()?,
                min_value: r.try_get("min_value").store()?,
                max_value: r.try_get("max_value").store()?,
                mean_value: r.try_get("mean_value").store()?,
                time: r.try_get("time").store()?,
            });
        }
    }
    Ok(out)
}

/// Event counts grouped by a dimension for the dashboard: `region` (of the party whose GLN
/// is the read point), `party`, `product` (GTIN) or `step`.
pub async fn counts_by(db: &Db, dimension: &str, since: i64) -> Result<Vec<(String, i64)>> {
    let sql = match dimension {
        "region" => {
            "SELECT COALESCE(p.region_code, '-') AS k, COUNT(*) AS n FROM trace_event e \
             LEFT JOIN trace_party p ON e.read_point = 'https://id.gs1.org/414/' || p.gln \
             WHERE e.event_time >= $1 GROUP BY COALESCE(p.region_code, '-') ORDER BY n DESC LIMIT 50"
        }
        "party" => {
            "SELECT COALESCE(p.name, e.read_point, '-') AS k, COUNT(*) AS n FROM trace_event e \
             LEFT JOIN trace_party p ON e.read_point = 'https://id.gs1.org/414/' || p.gln \
             WHERE e.event_time >= $1 GROUP BY COALESCE(p.name, e.read_point, '-') ORDER BY n DESC LIMIT 50"
        }
        "product" => {
            "SELECT x.gtin AS k, COUNT(DISTINCT x.seq) AS n FROM trace_epc x JOIN trace_event e ON e.seq = x.seq \
             WHERE x.gtin IS NOT NULL AND e.event_time >= $1 GROUP BY x.gtin ORDER BY n DESC LIMIT 50"
        }
        _ => {
            "SELECT COALESCE(biz_step, '-') AS k, COUNT(*) AS n FROM trace_event WHERE event_time >= $1 \
             GROUP BY COALESCE(biz_step, '-') ORDER BY n DESC LIMIT 50"
        }
    };
    let rows = query(sql).bind(since).fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| Ok((r.try_get("k").store()?, r.try_get("n").store()?))).collect()
}
