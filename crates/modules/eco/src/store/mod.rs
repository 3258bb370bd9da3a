//! All SQL of the eco module.

pub mod feeds;
pub mod sta;
pub mod sta_native;
mod uploads;

pub use uploads::{
    repair_latest, store_upload, store_uploads, store_uploads_detailed, write_latest, Batch, DueLatest, LatestWrite,
    Stored, Upload,
};

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Params, Row, StoreResultExt};

use crate::domain::observation::{Observation, Period};
use crate::domain::station::{Station, StationKind};

// ---- stations ----------------------------------------------------------------------------

const STATION_COLUMNS: &str = "id, mn, name, kind, st, region_code, latitude, longitude, allow_swapped_crc, active, \
     created_at, last_packet_at, water_body, target_class";

pub(crate) fn station_of(r: &AnyRow) -> Result<Station> {
    let kind: String = r.try_get("kind").store()?;
    let swapped: i32 = r.try_get("allow_swapped_crc").store()?;
    let active: i32 = r.try_get("active").store()?;
    Ok(Station {
        id: r.try_get("id").store()?,
        mn: r.try_get("mn").store()?,
        name: r.try_get("name").store()?,
        kind: StationKind::parse(&kind).unwrap_or(StationKind::Air),
        st: r.try_get("st").store()?,
        region_code: r.try_get("region_code").store()?,
        latitude: r.try_get("latitude").store()?,
        longitude: r.try_get("longitude").store()?,
        allow_swapped_crc: swapped != 0,
        water_body: r.try_get("water_body").store()?,
        target_class: r.try_get::<Option<i32>, _>("target_class").store()?.and_then(|c| u8::try_from(c).ok()),
        active: active != 0,
        created_at: r.try_get("created_at").store()?,
        last_packet_at: r.try_get("last_packet_at").store()?,
    })
}

pub async fn insert_station(db: &Db, s: &Station, password: &str) -> Result<()> {
    query(
        "INSERT INTO eco_station (id, mn, name, kind, st, region_code, latitude, longitude, password, allow_swapped_crc, \
         active, created_at, water_body, target_class) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(&s.id)
    .bind(&s.mn)
    .bind(&s.name)
    .bind(s.kind.as_str())
    .bind(&s.st)
    .bind(&s.region_code)
    .bind(s.latitude)
    .bind(s.longitude)
    .bind(password)
    .bind(i32::from(s.allow_swapped_crc))
    .bind(i32::from(s.active))
    .bind(s.created_at)
    .bind(&s.water_body)
    .bind(s.target_class.map(i32::from))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub async fn station(db: &Db, id: &str) -> Result<Option<Station>> {
    let sql = format!("SELECT {STATION_COLUMNS} FROM eco_station WHERE id = $1");
    query(&sql).bind(id).fetch_optional(db.pool()).await.store()?.as_ref().map(station_of).transpose()
}

/// A station and its access password, by MN (the gateway's look-up).
pub async fn station_by_mn(db: &Db, mn: &str) -> Result<Option<(Station, String)>> {
    let sql = format!("SELECT {STATION_COLUMNS}, password FROM eco_station WHERE mn = $1");
    let row = query(&sql).bind(mn).fetch_optional(db.pool()).await.store()?;
    row.map(|r| Ok((station_of(&r)?, r.try_get("password").store()?))).transpose()
}

pub async fn stations(db: &Db, region_like: &str, kind: Option<StationKind>) -> Result<Vec<Station>> {
    let mut p = Params::new();
    let mut sql = format!("SELECT {STATION_COLUMNS} FROM eco_station WHERE region_code LIKE {}", p.push(region_like));
    if let Some(k) = kind {
        sql.push_str(&format!(" AND kind = {}", p.push(k.as_str())));
    }
    sql.push_str(" ORDER BY region_code, name");
    p.bind(&sql).fetch_all(db.pool()).await.store()?.iter().map(station_of).collect()
}

pub async fn set_station_active(db: &Db, id: &str, active: bool) -> Result<bool> {
    let r = query("UPDATE eco_station SET active = $1 WHERE id = $2")
        .bind(i32::from(active))
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected() == 1)
}

// ---- ingest ------------------------------------------------------------------------------

/// Deletes real-time and minute values older than `before_ms` (hourly and daily values, and
/// everything derived from them, are kept); returns how many.
pub async fn purge_fine_observations(db: &Db, before_ms: i64) -> Result<u64> {
    let r = query("DELETE FROM eco_observation WHERE period IN ('rtd', 'minute') AND time_ms < $1")
        .bind(before_ms)
        .execute(db.pool())
        .await
        .store()?;
    Ok(r.rows_affected())
}

/// Deletes archived raw packets received before `before_ms`; returns how many.
pub async fn purge_packets(db: &Db, before_ms: i64) -> Result<u64> {
    let r = query("DELETE FROM eco_packet WHERE received_at < $1").bind(before_ms).execute(db.pool()).await.store()?;
    Ok(r.rows_affected())
}

pub async fn raw_packets(
    db: &Db,
    station_id: &str,
    from_ms: i64,
    to_ms: i64,
    limit: i64,
) -> Result<Vec<(i64, String)>> {
    let rows = query(
        "SELECT received_at, raw FROM eco_packet WHERE station_id = $1 AND received_at >= $2 AND received_at < $3 \
         ORDER BY received_at LIMIT $4",
    )
    .bind(station_id)
    .bind(from_ms)
    .bind(to_ms)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).collect()
}

// ---- reading -----------------------------------------------------------------------------

/// A latest value, with its station.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Latest {
    pub station_id: String,
    pub factor: String,
    pub period: String,
    pub time_ms: i64,
    pub value: String,
    pub flag: String,
}

pub async fn latest(db: &Db, station_id: Option<&str>, period: Option<Period>) -> Result<Vec<Latest>> {
    let mut p = Params::new();
    let mut sql = "SELECT station_id, factor, period, time_ms, value, flag FROM eco_latest WHERE 1 = 1".to_owned();
    if let Some(s) = station_id {
        sql.push_str(&format!(" AND station_id = {}", p.push(s)));
    }
    if let Some(per) = period {
        sql.push_str(&format!(" AND period = {}", p.push(per.as_str())));
    }
    sql.push_str(" ORDER BY station_id, factor, period");
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter()
        .map(|r| {
            Ok(Latest {
                station_id: r.try_get(0).store()?,
                factor: r.try_get(1).store()?,
                period: r.try_get(2).store()?,
                time_ms: r.try_get(3).store()?,
                value: r.try_get(4).store()?,
                flag: r.try_get(5).store()?,
            })
        })
        .collect()
}

pub struct SeriesQuery<'a> {
    pub station_id: &'a str,
    pub factor: Option<&'a str>,
    pub period: Period,
    pub from_ms: i64,
    pub to_ms: i64,
    pub limit: i64,
}

pub async fn series(db: &Db, q: &SeriesQuery<'_>) -> Result<Vec<Observation>> {
    let mut p = Params::new();
    let mut sql = format!(
        "SELECT factor, time_ms, value, min_value, max_value, flag FROM eco_observation WHERE station_id = {} \
         AND period = {} AND time_ms >= {} AND time_ms < {}",
        p.push(q.station_id),
        p.push(q.period.as_str()),
        p.push(q.from_ms),
        p.push(q.to_ms)
    );
    if let Some(f) = q.factor {
        sql.push_str(&format!(" AND factor = {}", p.push(f)));
    }
    sql.push_str(&format!(" ORDER BY time_ms, factor LIMIT {}", p.push(q.limit)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter()
        .map(|r| {
            Ok(Observation {
                factor: r.try_get(0).store()?,
                period: q.period,
                time_ms: r.try_get(1).store()?,
                value: r.try_get(2).store()?,
                min: r.try_get(3).store()?,
                max: r.try_get(4).store()?,
                flag: r.try_get(5).store()?,
            })
        })
        .collect()
}

// ---- AQI ---------------------------------------------------------------------------------

/// Valid (`N`-flagged) hourly values of some factors of one station in `[from, to)`.
pub async fn valid_hourly(
    db: &Db,
    station_id: &str,
    factors: &[&str],
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(String, i64, String)>> {
    let mut p = Params::new();
    let list: Vec<String> = factors.iter().map(|f| p.push(*f)).collect();
    let sql = format!(
        "SELECT factor, time_ms, value FROM eco_observation WHERE station_id = {} AND period = 'hour' AND flag = 'N' \
         AND time_ms >= {} AND time_ms < {} AND factor IN ({}) ORDER BY time_ms",
        p.push(station_id),
        p.push(from_ms),
        p.push(to_ms),
        list.join(", ")
    );
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?))).collect()
}

pub async fn upsert_aqi(db: &Db, a: &crate::aqi::StationAqi) -> Result<()> {
    upsert_aqi_period(db, a, "hour").await
}

/// Stores a station's AQI for `period` (`hour` or `day`).
pub async fn upsert_aqi_period(db: &Db, a: &crate::aqi::StationAqi, period: &str) -> Result<()> {
    query(
        "INSERT INTO eco_aqi (station_id, period, time_ms, standard, aqi, level, primary_pollutants, iaqi, publishable) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (station_id, period, time_ms) DO UPDATE SET \
         standard = excluded.standard, aqi = excluded.aqi, level = excluded.level, \
         primary_pollutants = excluded.primary_pollutants, iaqi = excluded.iaqi, publishable = excluded.publishable",
    )
    .bind(&a.station_id)
    .bind(period)
    .bind(a.time_ms)
    .bind(&a.standard)
    .bind(i64::from(a.aqi))
    .bind(i64::from(a.level))
    .bind(a.primary.join(","))
    .bind(serde_json::to_string(&a.iaqi).unwrap_or_else(|_| "{}".into()))
    .bind(i32::from(a.publishable))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

fn aqi_of(r: &AnyRow) -> Result<crate::aqi::StationAqi> {
    let primary: String = r.try_get("primary_pollutants").store()?;
    let iaqi: String = r.try_get("iaqi").store()?;
    let aqi: i64 = r.try_get("aqi").store()?;
    let level: i64 = r.try_get("level").store()?;
    let publishable: i32 = r.try_get("publishable").store()?;
    Ok(crate::aqi::StationAqi {
        station_id: r.try_get("station_id").store()?,
        time_ms: r.try_get("time_ms").store()?,
        standard: r.try_get("standard").store()?,
        aqi: u32::try_from(aqi).unwrap_or(0),
        level: u8::try_from(level).unwrap_or(0),
        primary: primary.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        iaqi: serde_json::from_str(&iaqi).unwrap_or_default(),
        publishable: publishable != 0,
    })
}

/// The newest hourly AQI of every station (one index range scan per station).
pub async fn latest_aqi(db: &Db) -> Result<Vec<crate::aqi::StationAqi>> {
    let rows = query(
        "SELECT a.station_id, a.time_ms, a.standard, a.aqi, a.level, a.primary_pollutants, a.iaqi, a.publishable \
         FROM eco_aqi a JOIN (SELECT station_id, MAX(time_ms) AS t FROM eco_aqi WHERE period = 'hour' GROUP BY station_id) m \
         ON a.station_id = m.station_id AND a.time_ms = m.t WHERE a.period = 'hour'",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(aqi_of).collect()
}

pub async fn aqi_series(db: &Db, station_id: &str, from_ms: i64, to_ms: i64) -> Result<Vec<crate::aqi::StationAqi>> {
    let rows = query(
        "SELECT station_id, time_ms, standard, aqi, level, primary_pollutants, iaqi, publishable FROM eco_aqi \
         WHERE station_id = $1 AND period = 'hour' AND time_ms >= $2 AND time_ms < $3 ORDER BY time_ms",
    )
    .bind(station_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(aqi_of).collect()
}

// ---- water class -------------------------------------------------------------------------

pub async fn upsert_water_class(db: &Db, w: &crate::water::StationWaterClass) -> Result<()> {
    query(
        "INSERT INTO eco_water_class (station_id, period, time_ms, class, worst, per_item) VALUES ($1, 'hour', $2, $3, $4, $5) \
         ON CONFLICT (station_id, period, time_ms) DO UPDATE SET class = excluded.class, worst = excluded.worst, \
         per_item = excluded.per_item",
    )
    .bind(&w.station_id)
    .bind(w.time_ms)
    .bind(i32::from(w.class))
    .bind(w.worst.join(","))
    .bind(serde_json::to_string(&w.per_item).unwrap_or_else(|_| "{}".into()))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

fn water_of(r: &AnyRow) -> Result<crate::water::StationWaterClass> {
    let class: i32 = r.try_get("class").store()?;
    let class = u8::try_from(class).unwrap_or(6);
    let worst: String = r.try_get("worst").store()?;
    let per_item: String = r.try_get("per_item").store()?;
    Ok(crate::water::StationWaterClass {
        station_id: r.try_get("station_id").store()?,
        time_ms: r.try_get("time_ms").store()?,
        class,
        class_label: crate::water::label(class).to_owned(),
        worst: worst.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        per_item: serde_json::from_str(&per_item).unwrap_or_default(),
    })
}

/// The newest hourly water class of every surface-water station.
pub async fn latest_water(db: &Db) -> Result<Vec<crate::water::StationWaterClass>> {
    let rows = query(
        "SELECT w.station_id, w.time_ms, w.class, w.worst, w.per_item FROM eco_water_class w \
         JOIN (SELECT station_id, MAX(time_ms) AS t FROM eco_water_class WHERE period = 'hour' GROUP BY station_id) m \
         ON w.station_id = m.station_id AND w.time_ms = m.t WHERE w.period = 'hour'",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(water_of).collect()
}

pub async fn water_series(
    db: &Db,
    station_id: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<crate::water::StationWaterClass>> {
    let rows = query(
        "SELECT station_id, time_ms, class, worst, per_item FROM eco_water_class \
         WHERE station_id = $1 AND period = 'hour' AND time_ms >= $2 AND time_ms < $3 ORDER BY time_ms",
    )
    .bind(station_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(water_of).collect()
}

// ---- early warning -----------------------------------------------------------------------

use crate::domain::alert::{Alert, Note, Rule, RuleKind, Status};

const RULE_COLUMNS: &str =
    "id, name, kind, region_code, station_id, factor, period, threshold, minutes, notify, enabled, created_at";

fn rule_of(r: &AnyRow) -> Result<Rule> {
    let kind: String = r.try_get("kind").store()?;
    let notify: String = r.try_get("notify").store()?;
    let enabled: i32 = r.try_get("enabled").store()?;
    Ok(Rule {
        id: r.try_get("id").store()?,
        name: r.try_get("name").store()?,
        kind: RuleKind::parse(&kind).unwrap_or(RuleKind::Threshold),
        region_code: r.try_get("region_code").store()?,
        station_id: r.try_get("station_id").store()?,
        factor: r.try_get("factor").store()?,
        period: r.try_get("period").store()?,
        threshold: r.try_get("threshold").store()?,
        minutes: r.try_get("minutes").store()?,
        notify: notify.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        enabled: enabled != 0,
        created_at: r.try_get("created_at").store()?,
    })
}

pub async fn insert_rule(db: &Db, rule: &Rule, created_by: &str) -> Result<()> {
    query(
        "INSERT INTO eco_alert_rule (id, name, kind, region_code, station_id, factor, period, threshold, minutes, notify, \
         enabled, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&rule.id)
    .bind(&rule.name)
    .bind(rule.kind.as_str())
    .bind(&rule.region_code)
    .bind(rule.station_id.clone())
    .bind(rule.factor.clone())
    .bind(rule.period.clone())
    .bind(rule.threshold.clone())
    .bind(rule.minutes)
    .bind(rule.notify.join(","))
    .bind(i32::from(rule.enabled))
    .bind(created_by)
    .bind(rule.created_at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// Rules whose region lies inside `region_like` (all rules with `%`).
pub async fn rules(db: &Db, region_like: &str) -> Result<Vec<Rule>> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM eco_alert_rule WHERE region_code LIKE $1 ORDER BY created_at");
    query(&sql).bind(region_like).fetch_all(db.pool()).await.store()?.iter().map(rule_of).collect()
}

pub async fn rule(db: &Db, id: &str) -> Result<Option<Rule>> {
    let sql = format!("SELECT {RULE_COLUMNS} FROM eco_alert_rule WHERE id = $1");
    query(&sql).bind(id).fetch_optional(db.pool()).await.store()?.as_ref().map(rule_of).transpose()
}

pub async fn set_rule_enabled(db: &Db, id: &str, enabled: bool) -> Result<()> {
    query("UPDATE eco_alert_rule SET enabled = $1 WHERE id = $2")
        .bind(i32::from(enabled))
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub struct NewAlert<'a> {
    pub id: &'a str,
    pub rule_id: &'a str,
    pub station_id: &'a str,
    pub region_code: &'a str,
    pub at: i64,
    pub value: Option<&'a str>,
    pub detail: &'a str,
}

/// Opens an alert unless the rule already has an active one for the station. `true` if opened.
pub async fn open_alert(db: &Db, a: &NewAlert<'_>) -> Result<bool> {
    let r = query(
        "INSERT INTO eco_alert (id, rule_id, station_id, region_code, status, opened_at, value, detail) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7) ON CONFLICT DO NOTHING",
    )
    .bind(a.id)
    .bind(a.rule_id)
    .bind(a.station_id)
    .bind(a.region_code)
    .bind(a.at)
    .bind(a.value.map(str::to_owned))
    .bind(a.detail)
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

/// The id of the rule's active (open or acknowledged) alert for the station, if any.
pub async fn active_alert(db: &Db, rule_id: &str, station_id: &str) -> Result<Option<String>> {
    let row = query("SELECT id FROM eco_alert WHERE rule_id = $1 AND station_id = $2 AND status <> 'closed'")
        .bind(rule_id)
        .bind(station_id)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.map(|r| r.try_get(0).store()).transpose()
}

/// Stations that have an active silent-rule alert.
pub async fn stations_with_active_silence(db: &Db) -> Result<Vec<String>> {
    let rows = query(
        "SELECT DISTINCT a.station_id FROM eco_alert a JOIN eco_alert_rule r ON r.id = a.rule_id \
         WHERE a.status <> 'closed' AND r.kind = 'silent'",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| r.try_get(0).store()).collect()
}

/// Active silent-rule alerts of a station (closed when it speaks again).
pub async fn active_silent_alerts(db: &Db, station_id: &str) -> Result<Vec<String>> {
    let rows = query(
        "SELECT a.id FROM eco_alert a JOIN eco_alert_rule r ON r.id = a.rule_id \
         WHERE a.station_id = $1 AND a.status <> 'closed' AND r.kind = 'silent'",
    )
    .bind(station_id)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| r.try_get(0).store()).collect()
}

pub async fn set_alert_status(db: &Db, id: &str, status: Status, at: i64, assignee: Option<&str>) -> Result<bool> {
    let r = match status {
        Status::Acknowledged => query(
            "UPDATE eco_alert SET status = 'acknowledged', acknowledged_at = $1, assignee = COALESCE($2, assignee) \
             WHERE id = $3 AND status = 'open'",
        )
        .bind(at)
        .bind(assignee.map(str::to_owned))
        .bind(id),
        Status::Closed => {
            query("UPDATE eco_alert SET status = 'closed', closed_at = $1 WHERE id = $2 AND status <> 'closed'")
                .bind(at)
                .bind(id)
        }
        Status::Open => return Ok(false),
    }
    .execute(db.pool())
    .await
    .store()?;
    Ok(r.rows_affected() == 1)
}

pub async fn add_note(db: &Db, alert_id: &str, at: i64, author: &str, text: &str) -> Result<()> {
    query("INSERT INTO eco_alert_note (id, alert_id, at, author, text) VALUES ($1, $2, $3, $4, $5)")
        .bind(qy_kernel::id::new_id())
        .bind(alert_id)
        .bind(at)
        .bind(author)
        .bind(text)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

const ALERT_SELECT: &str =
    "SELECT a.id, a.rule_id, r.name AS rule_name, r.kind, a.station_id, s.name AS station_name, \
     a.region_code, a.status, a.opened_at, a.acknowledged_at, a.closed_at, a.assignee, a.value, a.detail \
     FROM eco_alert a JOIN eco_alert_rule r ON r.id = a.rule_id JOIN eco_station s ON s.id = a.station_id";

fn alert_of(r: &AnyRow) -> Result<Alert> {
    let kind: String = r.try_get("kind").store()?;
    let status: String = r.try_get("status").store()?;
    Ok(Alert {
        id: r.try_get("id").store()?,
        rule_id: r.try_get("rule_id").store()?,
        rule_name: r.try_get("rule_name").store()?,
        kind: RuleKind::parse(&kind).unwrap_or(RuleKind::Threshold),
        station_id: r.try_get("station_id").store()?,
        station_name: r.try_get("station_name").store()?,
        region_code: r.try_get("region_code").store()?,
        status: Status::parse(&status).unwrap_or(Status::Open),
        opened_at: r.try_get("opened_at").store()?,
        acknowledged_at: r.try_get("acknowledged_at").store()?,
        closed_at: r.try_get("closed_at").store()?,
        assignee: r.try_get("assignee").store()?,
        value: r.try_get("value").store()?,
        detail: r.try_get("detail").store()?,
    })
}

pub async fn alert(db: &Db, id: &str) -> Result<Option<Alert>> {
    let sql = format!("{ALERT_SELECT} WHERE a.id = $1");
    query(&sql).bind(id).fetch_optional(db.pool()).await.store()?.as_ref().map(alert_of).transpose()
}

/// Alerts inside `region_like`, newest first; `active_only` leaves out closed ones.
pub async fn alerts(db: &Db, region_like: &str, active_only: bool, limit: i64) -> Result<Vec<Alert>> {
    let filter = if active_only { " AND a.status <> 'closed'" } else { "" };
    let sql = format!("{ALERT_SELECT} WHERE a.region_code LIKE $1{filter} ORDER BY a.opened_at DESC LIMIT $2");
    query(&sql).bind(region_like).bind(limit).fetch_all(db.pool()).await.store()?.iter().map(alert_of).collect()
}

pub async fn notes(db: &Db, alert_id: &str) -> Result<Vec<Note>> {
    let rows = query("SELECT at, author, text FROM eco_alert_note WHERE alert_id = $1 ORDER BY at")
        .bind(alert_id)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter()
        .map(|r| Ok(Note { at: r.try_get(0).store()?, author: r.try_get(1).store()?, text: r.try_get(2).store()? }))
        .collect()
}

/// The value of a factor just before `before_ms` (for rate-of-change rules).
pub async fn previous_value(
    db: &Db,
    station_id: &str,
    factor: &str,
    period: &str,
    before_ms: i64,
) -> Result<Option<(String, i64)>> {
    let row = query(
        "SELECT value, time_ms FROM eco_observation WHERE station_id = $1 AND factor = $2 AND period = $3 \
         AND time_ms < $4 ORDER BY time_ms DESC LIMIT 1",
    )
    .bind(station_id)
    .bind(factor)
    .bind(period)
    .bind(before_ms)
    .fetch_optional(db.pool())
    .await
    .store()?;
    row.map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).transpose()
}

/// Active stations inside `region_like` that sent nothing since `cutoff_ms` (registered
/// before it, so a new station is not "silent" before its first chance to speak).
pub async fn silent_stations(db: &Db, region_like: &str, cutoff_ms: i64) -> Result<Vec<Station>> {
    let sql = format!(
        "SELECT {STATION_COLUMNS} FROM eco_station WHERE active = 1 AND region_code LIKE $1 AND created_at < $2 \
         AND (last_packet_at IS NULL OR last_packet_at < $2)"
    );
    query(&sql).bind(region_like).bind(cutoff_ms).fetch_all(db.pool()).await.store()?.iter().map(station_of).collect()
}

// ---- outbox ------------------------------------------------------------------------------

pub async fn enqueue(db: &Db, event_id: &str, channel: &str, recipient: &str, body: &str, at: i64) -> Result<()> {
    query(
        "INSERT INTO eco_outbox (id, event_id, channel, recipient, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (event_id, channel, recipient) DO NOTHING",
    )
    .bind(qy_kernel::id::new_id())
    .bind(event_id)
    .bind(channel)
    .bind(recipient)
    .bind(body)
    .bind(at)
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

pub struct OutboxItem {
    pub id: String,
    pub channel: String,
    pub recipient: String,
    pub body: String,
    pub attempts: i64,
}

/// Undelivered notifications with fewer than `max_attempts` tries, oldest first.
pub async fn pending(db: &Db, max_attempts: i64, limit: i64) -> Result<Vec<OutboxItem>> {
    let rows = query(
        "SELECT id, channel, recipient, body, attempts FROM eco_outbox WHERE sent_at IS NULL AND attempts < $1 \
         ORDER BY created_at LIMIT $2",
    )
    .bind(max_attempts)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok(OutboxItem {
                id: r.try_get(0).store()?,
                channel: r.try_get(1).store()?,
                recipient: r.try_get(2).store()?,
                body: r.try_get(3).store()?,
                attempts: r.try_get(4).store()?,
            })
        })
        .collect()
}

pub async fn delivered(db: &Db, id: &str, at: i64) -> Result<()> {
    query("UPDATE eco_outbox SET sent_at = $1, attempts = attempts + 1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

pub async fn delivery_failed(db: &Db, id: &str, error: &str) -> Result<()> {
    query("UPDATE eco_outbox SET attempts = attempts + 1, last_error = $1 WHERE id = $2")
        .bind(error)
        .bind(id)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

// ---- daily statistics and city AQI -------------------------------------------------------

/// Valid (`N`) hourly values of every factor of a station in `[from, to)`.
pub async fn hourly_of_station(
    db: &Db,
    station_id: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(String, i64, String)>> {
    let rows = query(
        "SELECT factor, time_ms, value FROM eco_observation WHERE station_id = $1 AND period = 'hour' AND flag = 'N' \
         AND time_ms >= $2 AND time_ms < $3 ORDER BY factor, time_ms",
    )
    .bind(station_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?))).collect()
}

pub async fn upsert_daily(
    db: &Db,
    station_id: &str,
    factor: &str,
    day_ms: i64,
    statistic: &str,
    value: &str,
    hours: usize,
) -> Result<()> {
    query(
        "INSERT INTO eco_daily (station_id, factor, day_ms, statistic, value, hours) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (station_id, factor, day_ms, statistic) DO UPDATE SET value = excluded.value, hours = excluded.hours",
    )
    .bind(station_id)
    .bind(factor)
    .bind(day_ms)
    .bind(statistic)
    .bind(value)
    .bind(i64::try_from(hours).unwrap_or(i64::MAX))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// (factor, statistic, value) of one station and day.
pub async fn daily_of_station(db: &Db, station_id: &str, day_ms: i64) -> Result<Vec<(String, String, String)>> {
    let rows = query("SELECT factor, statistic, value FROM eco_daily WHERE station_id = $1 AND day_ms = $2")
        .bind(station_id)
        .bind(day_ms)
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?))).collect()
}

/// Daily means of one station and factor in `[from, to)`, as (day, value).
pub async fn daily_series(
    db: &Db,
    station_id: &str,
    factor: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<(i64, String)>> {
    let rows = query(
        "SELECT day_ms, value FROM eco_daily WHERE station_id = $1 AND factor = $2 AND statistic = 'mean' \
         AND day_ms >= $3 AND day_ms < $4 ORDER BY day_ms",
    )
    .bind(station_id)
    .bind(factor)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).collect()
}

/// (station, factor, value) of valid hourly values of active air stations in a region at one hour.
pub async fn air_hourly_in_region(db: &Db, region_like: &str, time_ms: i64) -> Result<Vec<(String, String, String)>> {
    let rows = query(
        "SELECT o.station_id, o.factor, o.value FROM eco_observation o JOIN eco_station s ON s.id = o.station_id \
         WHERE s.kind = 'air' AND s.active = 1 AND s.region_code LIKE $1 AND o.period = 'hour' AND o.time_ms = $2 \
         AND o.flag = 'N'",
    )
    .bind(region_like)
    .bind(time_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?))).collect()
}

pub async fn upsert_city_aqi(db: &Db, c: &crate::daily::CityAqi, period: &str) -> Result<()> {
    query(
        "INSERT INTO eco_city_aqi (region_code, period, time_ms, standard, aqi, level, primary_pollutants, stations) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (region_code, period, time_ms) DO UPDATE SET \
         standard = excluded.standard, aqi = excluded.aqi, level = excluded.level, \
         primary_pollutants = excluded.primary_pollutants, stations = excluded.stations",
    )
    .bind(&c.region_code)
    .bind(period)
    .bind(c.time_ms)
    .bind(&c.standard)
    .bind(i64::from(c.aqi))
    .bind(i64::from(c.level))
    .bind(c.primary.join(","))
    .bind(i64::from(c.stations))
    .execute(db.pool())
    .await
    .store()?;
    Ok(())
}

/// The newest hourly AQI of every prefecture.
pub async fn latest_city_aqi(db: &Db) -> Result<Vec<crate::daily::CityAqi>> {
    let rows = query(
        "SELECT c.region_code, c.time_ms, c.standard, c.aqi, c.level, c.primary_pollutants, c.stations \
         FROM eco_city_aqi c JOIN (SELECT region_code, MAX(time_ms) AS t FROM eco_city_aqi WHERE period = 'hour' \
         GROUP BY region_code) m ON c.region_code = m.region_code AND c.time_ms = m.t WHERE c.period = 'hour' \
         ORDER BY c.aqi, c.region_code",
    )
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(city_of).collect()
}

/// Every prefecture's hourly AQI at one hour, best first.
pub async fn city_aqi_at(db: &Db, time_ms: i64) -> Result<Vec<crate::daily::CityAqi>> {
    let rows = query(
        "SELECT region_code, time_ms, standard, aqi, level, primary_pollutants, stations FROM eco_city_aqi \
         WHERE period = 'hour' AND time_ms = $1 ORDER BY aqi, region_code",
    )
    .bind(time_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(city_of).collect()
}

fn city_of(r: &AnyRow) -> Result<crate::daily::CityAqi> {
    let primary: String = r.try_get(5).store()?;
    let aqi: i64 = r.try_get(3).store()?;
    let level: i64 = r.try_get(4).store()?;
    let stations: i64 = r.try_get(6).store()?;
    Ok(crate::daily::CityAqi {
        region_code: r.try_get(0).store()?,
        time_ms: r.try_get(1).store()?,
        standard: r.try_get(2).store()?,
        aqi: u32::try_from(aqi).unwrap_or(0),
        level: u8::try_from(level).unwrap_or(0),
        primary: primary.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        stations: u32::try_from(stations).unwrap_or(0),
    })
}

// ---- hourly values from minute data ------------------------------------------------------

/// Valid (`N`) minute values of one station in `[from, to)`, as (factor, value).
pub async fn valid_minutes(db: &Db, station_id: &str, from_ms: i64, to_ms: i64) -> Result<Vec<(String, String)>> {
    let rows = query(
        "SELECT factor, value FROM eco_observation WHERE station_id = $1 AND period = 'minute' AND flag = 'N' \
         AND time_ms >= $2 AND time_ms < $3",
    )
    .bind(station_id)
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).collect()
}

/// (station id, hour start) of every hour with late minute values (minute ≥ 44, the ones that
/// can complete an hour) at or after `since_ms`, through the period/time index.
pub async fn hours_with_late_minutes(db: &Db, since_ms: i64) -> Result<Vec<(String, i64)>> {
    let rows = query(
        "SELECT DISTINCT station_id, time_ms - (time_ms % 3600000) AS hour FROM eco_observation \
         WHERE period = 'minute' AND time_ms >= $1 AND time_ms % 3600000 >= 2640000",
    )
    .bind(since_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?))).collect()
}

/// Factors for which the station sent its own hourly value for the hour at `time_ms`.
pub async fn own_hour_factors(db: &Db, station_id: &str, time_ms: i64) -> Result<Vec<String>> {
    let rows = query(
        "SELECT factor FROM eco_observation WHERE station_id = $1 AND period = 'hour' AND time_ms = $2 AND derived = 0",
    )
    .bind(station_id)
    .bind(time_ms)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter().map(|r| r.try_get(0).store()).collect()
}

/// Stores (or refreshes) hourly values derived from minute data; never overwrites a value the
/// station sent itself.
pub async fn upsert_derived_hour(
    db: &Db,
    station_id: &str,
    time_ms: i64,
    values: &[(String, String, usize)],
    at: i64,
) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    for (factor, value, _) in values {
        query(
            "INSERT INTO eco_observation (station_id, factor, period, time_ms, value, value_num, flag, received_at, derived) \
             VALUES ($1, $2, 'hour', $3, $4, $5, 'N', $6, 1) ON CONFLICT (station_id, factor, period, time_ms) DO UPDATE \
             SET value = excluded.value, value_num = excluded.value_num, received_at = excluded.received_at \
             WHERE eco_observation.derived = 1",
        )
        .bind(station_id)
        .bind(factor)
        .bind(time_ms)
        .bind(value)
        .bind(value.parse::<f64>().unwrap_or(0.0))
        .bind(at)
        .execute(&mut *tx)
        .await
        .store()?;
        query(
            "INSERT INTO eco_latest (station_id, factor, period, time_ms, value, flag) VALUES ($1, $2, 'hour', $3, $4, 'N') \
             ON CONFLICT (station_id, factor, period) DO UPDATE SET time_ms = excluded.time_ms, value = excluded.value, \
             flag = excluded.flag WHERE excluded.time_ms >= eco_latest.time_ms",
        )
        .bind(station_id)
        .bind(factor)
        .bind(time_ms)
        .bind(value)
        .execute(&mut *tx)
        .await
        .store()?;
    }
    tx.commit().await.store()
}
