//! Creating, changing and deleting Observations (the only writable entity of this mapping).
//!
//! New observations take the gateway's path: `store::store_upload` with a synthetic QN
//! (`sta-<uuid>`), the command code of the datastream's period and the request JSON as the
//! raw packet, so `eco_latest` follows; then early-warning rules run and hourly AQI (air) or
//! water class (surface water) is recomputed, as `Ingest` does for HJ 212 uploads (its own
//! derive step is private, so the same calls are made here).

use std::collections::{BTreeSet, HashMap};

use qy_kernel::{Error, ErrorKind, Principal, Result};
use serde_json::{json, Map, Value};

use super::filter::{format_time, parse_time};
use super::model::{self, DsKey, ObsKey, Set};
use super::read;
use super::Cx;
use crate::domain::observation::{Observation, Period};
use crate::domain::station::Station;
use crate::gateway::writer::OwnedUpload;
use crate::store;
use crate::store::sta::{self as sql, ObsRow};

/// The permission to create, change and delete observations (operators hold every permission).
pub const OBSERVATIONS_WRITE: &str = "eco.observations.write";

const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;
const BEIJING: i64 = 8 * HOUR;

fn invalid(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_entity", detail.into())
}

/// One value to store, checked.
#[derive(Debug, Clone)]
struct NewObs {
    time_ms: i64,
    value: String,
    flag: String,
    min: Option<String>,
    max: Option<String>,
}

/// A JSON number or decimal string → exact decimal text.
fn decimal_of(v: &Value, what: &str) -> std::result::Result<String, String> {
    match v {
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Ok(i.to_string())
            } else if let Some(u) = n.as_u64() {
                Ok(u.to_string())
            } else {
                match n.as_f64() {
                    Some(f) if f.is_finite() => Ok(format!("{f}")),
                    _ => Err(format!("{what} is not a finite number")),
                }
            }
        }
        Value::String(s) if model::is_decimal(s.trim()) && s.trim().len() <= 40 => Ok(s.trim().to_owned()),
        _ => Err(format!(
            "{what} must be a number (or a decimal string, to keep more than 15 significant digits); this mapping \
             stores numeric HJ 212 measurements"
        )),
    }
}

/// The start of the period that contains `now`.
fn period_floor(p: Period, now: i64) -> i64 {
    match p {
        Period::Rtd => now,
        Period::Minute => now - now.rem_euclid(60_000),
        Period::Hour => now - now.rem_euclid(HOUR),
        Period::Day => (now + BEIJING).div_euclid(DAY) * DAY - BEIJING,
    }
}

/// phenomenonTime → the start of the observation's period, checked against the datastream.
fn time_for(p: Period, v: Option<&Value>, now: i64) -> std::result::Result<i64, String> {
    let text = match v {
        None | Some(Value::Null) => return Ok(period_floor(p, now)),
        Some(Value::String(s)) => s.trim(),
        Some(_) => return Err("phenomenonTime must be an ISO 8601 time or interval string".into()),
    };
    let len = model::period_ms(p.as_str());
    let t = match text.split_once('/') {
        Some((a, b)) => {
            let (a, b) = match (parse_time(a), parse_time(b)) {
                (Some(a), Some(b)) if a <= b => (a, b),
                _ => return Err(format!("{text:?} is not an ISO 8601 interval start/end")),
            };
            match p {
                Period::Rtd => return Err("real-time (rtd) datastreams take an instant, not an interval".into()),
                Period::Hour | Period::Day if b - a != len => {
                    return Err(format!("a {} datastream's intervals last {} ms", p.as_str(), len))
                }
                _ => a,
            }
        }
        None => parse_time(text).ok_or_else(|| format!("{text:?} is not an ISO 8601 time"))?,
    };
    match p {
        Period::Hour if t.rem_euclid(HOUR) != 0 => {
            Err(format!("hourly values start on the hour; {} does not", format_time(t)))
        }
        Period::Day if (t + BEIJING).rem_euclid(DAY) != 0 => Err(format!(
            "daily values start at midnight Beijing time (16:00Z the day before); {} does not",
            format_time(t)
        )),
        _ => Ok(t),
    }
}

fn flag_of(v: Option<&Value>) -> std::result::Result<String, String> {
    match v {
        None | Some(Value::Null) => Ok("N".into()),
        Some(Value::String(s)) if (1..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Ok(s.clone())
        }
        _ => Err("resultQuality is the HJ 212 data flag: N, F, M, S, D, C, T or B".into()),
    }
}

fn params_of(
    p: Period,
    v: Option<&Value>,
    mut min: Option<String>,
    mut max: Option<String>,
) -> std::result::Result<(Option<String>, Option<String>), String> {
    match v {
        None | Some(Value::Null) => Ok((min, max)),
        Some(Value::Object(m)) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("min", Value::Null) => min = None,
                    ("max", Value::Null) => max = None,
                    ("min", v) => min = Some(decimal_of(v, "parameters/min")?),
                    ("max", v) => max = Some(decimal_of(v, "parameters/max")?),
                    ("period", Value::String(s)) if s == p.as_str() => {}
                    _ => return Err(format!("parameters/{k} cannot be set (min, max and the datastream's period)")),
                }
            }
            Ok((min, max))
        }
        Some(_) => Err("parameters must be an object".into()),
    }
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `Datastream: {"@iot.id": …}` or `Datastream@iot.id`: the linked entity's id.
fn link(body: &Map<String, Value>, nav: &str) -> Result<Option<String>> {
    if let Some(v) = body.get(&format!("{nav}@iot.id")) {
        return id_text(v).map(Some).ok_or_else(|| invalid(format!("{nav}@iot.id must be a string")));
    }
    match body.get(nav) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => match m.get("@iot.id").and_then(id_text) {
            Some(id) => Ok(Some(id)),
            None => Err(invalid(format!(
                "{nav} must link an existing entity with {{\"@iot.id\": …}}; it cannot be created here (stations and \
                 their datastreams come from the station registry)"
            ))),
        },
        Some(_) => Err(invalid(format!("{nav} must be an object with @iot.id"))),
    }
}

async fn station_for(cx: &Cx, key: &DsKey) -> Result<Station> {
    let unknown = || {
        Error::bad_request(
            "sta.unknown_datastream",
            format!("no datastream {}: the station must exist and the factor be a catalogue code", key.id()),
        )
    };
    let station = cx.ingest.station(&key.station_id).await?.ok_or_else(unknown)?;
    if model::factor_entry(&key.factor).is_none() && read::entity(cx, Set::Datastreams, &key.id()).await?.is_none() {
        return Err(unknown());
    }
    Ok(station)
}

fn allowed(p: &Principal, station: &Station) -> Result<()> {
    if p.can_in_region(OBSERVATIONS_WRITE, &station.region_code) {
        Ok(())
    } else {
        Err(Error::forbidden(
            "sta.forbidden",
            format!(
                "writing observations of this station needs {OBSERVATIONS_WRITE} in region {}",
                station.region_code
            ),
        ))
    }
}

fn writable(station: &Station) -> Result<()> {
    if station.active {
        Ok(())
    } else {
        Err(Error::conflict("sta.station_inactive", "the station is deactivated; its data are refused"))
    }
}

/// Stores the values of one datastream as one upload, then derives like the gateway.
async fn store_values(cx: &Cx, s: &Station, key: &DsKey, values: &[NewObs], raw: &str) -> Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let items: Vec<Observation> = values
        .iter()
        .map(|v| Observation {
            factor: key.factor.clone(),
            period: key.period,
            time_ms: v.time_ms,
            value: v.value.clone(),
            min: v.min.clone(),
            max: v.max.clone(),
            flag: v.flag.clone(),
        })
        .collect();
    let upload = OwnedUpload {
        station_id: s.id.clone(),
        qn: format!("sta-{}", qy_kernel::id::new_id()),
        cn: model::period_cn(key.period).to_owned(),
        raw: raw.to_owned(),
        received_at: cx.now,
        peer: "sta".to_owned(),
        observations: items,
    };
    // The same path as a gateway upload: group commit, alerts, hourly indices, silence.
    cx.ingest.store_upload(&s.mn, upload).await?;
    Ok(())
}

const OBS_KEYS: [&str; 11] = [
    "phenomenonTime",
    "result",
    "resultTime",
    "resultQuality",
    "validTime",
    "parameters",
    "Datastream",
    "Datastream@iot.id",
    "FeatureOfInterest",
    "FeatureOfInterest@iot.id",
    "@iot.id",
];

/// POST /Observations (or /Datastreams('…')/Observations with `path_ds`). Returns the new
/// observation's id.
pub async fn create(
    cx: &Cx,
    p: &Principal,
    path_ds: Option<DsKey>,
    path_station: Option<String>,
    body: &Value,
) -> Result<(String, ObsRow)> {
    let Value::Object(m) = body else { return Err(invalid("an Observation is a JSON object")) };
    if let Some(k) = m.keys().find(|k| !OBS_KEYS.contains(&k.as_str()) && !k.ends_with("@iot.navigationLink")) {
        return Err(invalid(format!("unknown or unsupported Observation property {k:?}")));
    }
    let key = match (path_ds, link(m, "Datastream")?) {
        (Some(k), None) => k,
        (Some(k), Some(id)) if id == k.id() => k,
        (Some(_), Some(_)) => return Err(invalid("the Datastream in the body differs from the one in the path")),
        (None, Some(id)) => DsKey::parse(&id).ok_or_else(|| {
            Error::bad_request(
                "sta.unknown_datastream",
                format!("{} is not a datastream id of this service", model::quote_id(&id)),
            )
        })?,
        (None, None) => return Err(invalid("an Observation needs its Datastream: {\"Datastream\": {\"@iot.id\": …}}")),
    };
    if path_station.as_ref().is_some_and(|s| *s != key.station_id) {
        return Err(invalid("the Datastream is not at this FeatureOfInterest"));
    }
    if let Some(foi) = link(m, "FeatureOfInterest")? {
        if foi != key.station_id {
            return Err(Error::bad_request(
                "sta.invalid_feature",
                "the FeatureOfInterest of an observation is its station's site (the datastream's station id)",
            ));
        }
    }
    if !matches!(m.get("validTime"), None | Some(Value::Null)) {
        return Err(invalid("validTime is not stored in this mapping"));
    }
    let station = station_for(cx, &key).await?;
    allowed(p, &station)?;
    writable(&station)?;
    let bad = |e: String| Error::bad_request("sta.invalid_entity", e);
    let time_ms = time_for(key.period, m.get("phenomenonTime"), cx.now).map_err(bad)?;
    let value = decimal_of(m.get("result").unwrap_or(&Value::Null), "result").map_err(bad)?;
    let flag = flag_of(m.get("resultQuality")).map_err(bad)?;
    let (min, max) = params_of(key.period, m.get("parameters"), None, None).map_err(bad)?;
    let id = ObsKey { ds: key.clone(), time_ms }.id();
    if let Some(given) = m.get("@iot.id").and_then(id_text) {
        if given != id {
            return Err(invalid(format!("observation ids are derived ({id}); leave @iot.id out")));
        }
    }
    if !sql::existing_times(&cx.db, &key, &[time_ms]).await?.is_empty() {
        return Err(Error::conflict(
            "sta.duplicate_observation",
            format!("{} already has a value at {}; PATCH it instead", key.id(), format_time(time_ms)),
        ));
    }
    let new = NewObs { time_ms, value, flag, min, max };
    store_values(cx, &station, &key, std::slice::from_ref(&new), &body.to_string()).await?;
    // The stored row as a GET would read it back (received at `cx.now`, see store_values).
    let row = ObsRow {
        station_id: key.station_id.clone(),
        factor: key.factor.clone(),
        period: key.period.as_str().to_owned(),
        time_ms,
        value: new.value,
        min: new.min,
        max: new.max,
        flag: new.flag,
        received_at: cx.now,
    };
    Ok((id, row))
}

/// POST /CreateObservations (data-array extension): one self link or `error …` per row.
pub async fn create_many(cx: &Cx, p: &Principal, body: &Value) -> Result<Vec<Value>> {
    let Value::Array(groups) = body else {
        return Err(invalid("CreateObservations takes a JSON array of {Datastream, components, dataArray}"));
    };
    struct Group {
        key: std::result::Result<(DsKey, Station), String>,
        rows: Vec<std::result::Result<NewObs, String>>,
        raw: String,
    }
    let mut stations: HashMap<String, Option<Station>> = HashMap::new();
    let mut parsed = Vec::with_capacity(groups.len());
    for g in groups {
        let Value::Object(gm) = g else { return Err(invalid("each CreateObservations item is an object")) };
        let components: Vec<String> = match gm.get("components") {
            Some(Value::Array(c)) => c.iter().map(|v| v.as_str().unwrap_or("").to_owned()).collect(),
            _ => return Err(invalid("each item needs components: [\"phenomenonTime\", \"result\", …]")),
        };
        let known = [
            "phenomenonTime",
            "result",
            "resultTime",
            "resultQuality",
            "validTime",
            "parameters",
            "FeatureOfInterest/id",
            "id",
        ];
        if let Some(c) = components.iter().find(|c| !known.contains(&c.as_str())) {
            return Err(invalid(format!("unsupported component {c:?}; use {}", known.join(", "))));
        }
        let col = |name: &str| components.iter().position(|c| c == name);
        let Some(result_at) = col("result") else { return Err(invalid("components must include result")) };
        let Value::Array(lines) = gm.get("dataArray").unwrap_or(&Value::Null) else {
            return Err(invalid("each item needs a dataArray of arrays"));
        };
        let ds_id =
            link(gm, "Datastream")?.ok_or_else(|| invalid("each item needs its Datastream {\"@iot.id\": …}"))?;
        let key = match DsKey::parse(&ds_id) {
            None => Err(format!("error: {} is not a datastream id of this service", model::quote_id(&ds_id))),
            Some(k) => {
                if !stations.contains_key(&k.station_id) {
                    let s = match station_for(cx, &k).await {
                        Ok(s) => Some(s),
                        Err(e) if e.kind == ErrorKind::BadRequest => None,
                        Err(e) => return Err(e),
                    };
                    stations.insert(k.station_id.clone(), s);
                }
                match stations.get(&k.station_id).cloned().flatten() {
                    Some(s)
                        if model::factor_entry(&k.factor).is_some()
                            || read::entity(cx, Set::Datastreams, &k.id()).await?.is_some() =>
                    {
                        allowed(p, &s)?;
                        Ok((k, s))
                    }
                    _ => Err(format!("error: no datastream {}", model::quote_id(&ds_id))),
                }
            }
        };
        let mut rows = Vec::with_capacity(lines.len());
        for line in lines {
            let Value::Array(vals) = line else {
                rows.push(Err("error: a dataArray row must be an array".into()));
                continue;
            };
            let Ok((k, _)) = &key else {
                rows.push(Err(key.clone().err().unwrap_or_default()));
                continue;
            };
            let at = |name: &str| col(name).and_then(|i| vals.get(i));
            let row = (|| -> std::result::Result<NewObs, String> {
                if vals.len() != components.len() {
                    return Err(format!("{} values for {} components", vals.len(), components.len()));
                }
                if let Some(foi) = at("FeatureOfInterest/id").and_then(id_text) {
                    if foi != k.station_id {
                        return Err("the FeatureOfInterest of an observation is its station's site".into());
                    }
                }
                if !matches!(at("validTime"), None | Some(Value::Null)) {
                    return Err("validTime is not stored in this mapping".into());
                }
                let time_ms = time_for(k.period, at("phenomenonTime"), cx.now)?;
                if let Some(given) = at("id").and_then(id_text) {
                    if given != (ObsKey { ds: k.clone(), time_ms }).id() {
                        return Err("observation ids are derived from datastream and time".into());
                    }
                }
                let value = decimal_of(vals.get(result_at).unwrap_or(&Value::Null), "result")?;
                let flag = flag_of(at("resultQuality"))?;
                let (min, max) = params_of(k.period, at("parameters"), None, None)?;
                Ok(NewObs { time_ms, value, flag, min, max })
            })()
            .map_err(|e| format!("error: {e}"));
            rows.push(row);
        }
        parsed.push(Group { key, rows, raw: g.to_string() });
    }
    // Inactive stations, duplicates in the store and within the request.
    let mut seen: BTreeSet<(String, i64)> = BTreeSet::new();
    for g in &mut parsed {
        let Ok((k, s)) = &g.key else { continue };
        if !s.active {
            for r in &mut g.rows {
                *r = Err("error: the station is deactivated".into());
            }
            continue;
        }
        let times: Vec<i64> = g.rows.iter().filter_map(|r| r.as_ref().ok().map(|o| o.time_ms)).collect();
        let existing: BTreeSet<i64> = sql::existing_times(&cx.db, k, &times).await?.into_iter().collect();
        for r in &mut g.rows {
            let Ok(o) = r else { continue };
            if existing.contains(&o.time_ms) || !seen.insert((k.id(), o.time_ms)) {
                *r = Err(format!("error: {} already has a value at {}", k.id(), format_time(o.time_ms)));
            }
        }
    }
    let mut answer = Vec::new();
    for g in &parsed {
        if let Ok((k, s)) = &g.key {
            let ok: Vec<NewObs> = g.rows.iter().filter_map(|r| r.as_ref().ok().cloned()).collect();
            store_values(cx, s, k, &ok, &g.raw).await?;
        }
        for r in &g.rows {
            answer.push(match (r, &g.key) {
                (Ok(o), Ok((k, _))) => {
                    json!(model::self_link(
                        &cx.base,
                        Set::Observations,
                        &ObsKey { ds: k.clone(), time_ms: o.time_ms }.id()
                    ))
                }
                (Err(e), _) => json!(e),
                (Ok(_), Err(e)) => json!(e),
            });
        }
    }
    Ok(answer)
}

/// PATCH (JSON merge or JSON Patch) and PUT of an observation: result, resultQuality and
/// parameters/min|max may change; the datastream and time are its identity.
pub async fn update(cx: &Cx, p: &Principal, row: &ObsRow, body: &Value, json_patch: bool, put: bool) -> Result<()> {
    let key = model::observation_key(row).ok_or_else(|| Error::internal("bad observation row"))?;
    let station =
        store::station(&cx.db, &row.station_id).await?.ok_or_else(|| read::not_found(Set::Observations, &key.id()))?;
    allowed(p, &station)?;
    let merge = if json_patch { patch_to_merge(body)? } else { body.clone() };
    let Value::Object(m) = merge else { return Err(invalid("the body is a JSON object")) };
    let bad = |e: String| Error::bad_request("sta.invalid_entity", e);
    for (k, v) in &m {
        match k.as_str() {
            "result" | "resultQuality" | "parameters" => {}
            "resultTime" => {}
            "phenomenonTime" => {
                if time_for(key.ds.period, Some(v), cx.now).ok() != Some(key.time_ms) {
                    return Err(read_only("phenomenonTime"));
                }
            }
            "Datastream" | "Datastream@iot.id" => {
                if link(&m, "Datastream")?.as_deref() != Some(key.ds.id().as_str()) {
                    return Err(read_only("Datastream"));
                }
            }
            "FeatureOfInterest" | "FeatureOfInterest@iot.id" => {
                if link(&m, "FeatureOfInterest")?.as_deref() != Some(key.ds.station_id.as_str()) {
                    return Err(read_only("FeatureOfInterest"));
                }
            }
            "validTime" if v.is_null() => {}
            k if k.starts_with("@iot.") || k.ends_with("@iot.navigationLink") => {}
            _ => return Err(read_only(k)),
        }
    }
    let mut next = row.clone();
    match m.get("result") {
        Some(v) => next.value = decimal_of(v, "result").map_err(bad)?,
        None if put => return Err(invalid("PUT replaces the observation: result is required")),
        None => {}
    }
    if m.contains_key("resultQuality") || put {
        next.flag = flag_of(m.get("resultQuality")).map_err(bad)?;
    }
    let (min, max) = if put { (None, None) } else { (row.min.clone(), row.max.clone()) };
    (next.min, next.max) = params_of(key.ds.period, m.get("parameters"), min, max).map_err(bad)?;
    sql::update_observation(&cx.db, &key, &next).await?;
    if key.ds.period == Period::Hour {
        cx.ingest.recompute_hour(&station.mn, key.time_ms).await;
    }
    Ok(())
}

fn read_only(prop: &str) -> Error {
    Error::bad_request(
        "sta.read_only_property",
        format!("{prop} cannot change: an observation is identified by its datastream and phenomenonTime, and resultTime is when the platform received it"),
    )
}

/// JSON Patch (RFC 6902) `add`/`replace`/`remove` on /result, /resultQuality, /parameters/… → a merge object.
fn patch_to_merge(body: &Value) -> Result<Value> {
    let Value::Array(ops) = body else { return Err(invalid("a JSON Patch is an array of operations")) };
    let mut m = Map::new();
    let mut params = Map::new();
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = match kind {
            "add" | "replace" => op.get("value").cloned().unwrap_or(Value::Null),
            "remove" => Value::Null,
            _ => return Err(invalid(format!("JSON Patch operation {kind:?} is not supported (add, replace, remove)"))),
        };
        match path.strip_prefix('/').unwrap_or(path) {
            "result" if kind != "remove" => {
                m.insert("result".into(), value);
            }
            "resultQuality" => {
                m.insert("resultQuality".into(), value);
            }
            "parameters/min" | "parameters/max" => {
                params.insert(path.rsplit('/').next().unwrap_or("").to_owned(), value);
            }
            other => return Err(read_only(other)),
        }
    }
    if !params.is_empty() {
        m.insert("parameters".into(), Value::Object(params));
    }
    Ok(Value::Object(m))
}

/// DELETE of an observation.
pub async fn delete(cx: &Cx, p: &Principal, row: &ObsRow) -> Result<()> {
    let key = model::observation_key(row).ok_or_else(|| Error::internal("bad observation row"))?;
    let station =
        store::station(&cx.db, &row.station_id).await?.ok_or_else(|| read::not_found(Set::Observations, &key.id()))?;
    allowed(p, &station)?;
    if sql::delete_observation(&cx.db, &key).await? && key.ds.period == Period::Hour {
        cx.ingest.recompute_hour(&station.mn, key.time_ms).await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_must_fit_the_period() {
        let h = 1_768_438_800_000; // 2026-01-15T01:00:00Z
        let s = |t: &str| Some(Value::String(t.into()));
        assert_eq!(time_for(Period::Hour, s("2026-01-15T01:00:00Z").as_ref(), 0), Ok(h));
        assert_eq!(time_for(Period::Hour, s("2026-01-15T01:00:00Z/2026-01-15T02:00:00Z").as_ref(), 0), Ok(h));
        assert!(time_for(Period::Hour, s("2026-01-15T01:30:00Z").as_ref(), 0).is_err());
        assert!(time_for(Period::Hour, s("2026-01-15T01:00:00Z/2026-01-15T03:00:00Z").as_ref(), 0).is_err());
        assert_eq!(time_for(Period::Day, s("2026-01-14T16:00:00Z").as_ref(), 0), Ok(h - 9 * HOUR));
        assert!(time_for(Period::Day, s("2026-01-15T00:00:00Z").as_ref(), 0).is_err());
        assert_eq!(time_for(Period::Hour, None, h + 5), Ok(h));
        assert!(time_for(Period::Rtd, s("2026-01-15T01:00:00Z/2026-01-15T02:00:00Z").as_ref(), 0).is_err());
        assert_eq!(decimal_of(&json!(75), "r"), Ok("75".into()));
        assert_eq!(decimal_of(&json!(1.25), "r"), Ok("1.25".into()));
        assert_eq!(decimal_of(&json!("0.100"), "r"), Ok("0.100".into()));
        assert!(decimal_of(&json!("high"), "r").is_err() && decimal_of(&json!(true), "r").is_err());
    }
}
