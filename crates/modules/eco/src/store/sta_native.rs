//! SQL of the SensorThings entities created through the API (`sta_*` tables, migration 0008):
//! their rows, their `$filter`/`$orderby` translation (the same compiler as the registry's
//! entities, with the columns of these tables), and inserts, updates and cascading deletes.
//!
//! Every native entity lives in table `sta_<entity>` aliased `n` (nested paths such as
//! `Datastream/Thing/name` use correlated sub-queries with aliases `n1`, `n2`, …). JSON
//! columns (`properties`, `parameters`, GeoJSON, results) hold JSON text, read with
//! `json_extract` on SQLite and `jsonb` operators on PostgreSQL.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::{query, Any, Executor, Transaction};
use qy_storage::{Db, Dialect, Row, StoreResultExt};
use serde_json::{json, Map, Value};

use super::sta::{run_list, type_error, unknown, unsupported, Compiler, Ctx, Listed, Page, V};
use crate::sta::filter::format_time;
use crate::sta::model::Set;

/// A native entity: its id, its properties as the API shows them, and its links.
#[derive(Debug, Clone, Default)]
pub struct NRow {
    pub id: i64,
    pub props: Map<String, Value>,
    /// An Observation's numeric result as stored text (shown exactly, see `model::decimal_json`).
    pub result_number: Option<String>,
    pub thing: Option<i64>,
    pub sensor: Option<i64>,
    pub observed_property: Option<i64>,
    pub datastream: Option<i64>,
    pub feature: Option<i64>,
    /// Who may change it: the region of the account that created it.
    pub region_code: String,
}

/// A collection of native entities reached from another entity: `cond` with `{}` for its id.
#[derive(Debug, Clone)]
pub struct NScope {
    pub cond: &'static str,
    pub id: i64,
    /// The entity it is reached from and through which navigation property.
    pub parent: Set,
    pub nav: &'static str,
}

pub fn table(set: Set) -> &'static str {
    match set {
        Set::Things => "sta_thing",
        Set::Locations => "sta_location",
        Set::HistoricalLocations => "sta_historical_location",
        Set::Datastreams => "sta_datastream",
        Set::Sensors => "sta_sensor",
        Set::ObservedProperties => "sta_observed_property",
        Set::Observations => "sta_observation",
        Set::FeaturesOfInterest => "sta_feature",
    }
}

/// The condition that selects the native `target` entities linked to a native `set` entity
/// through its navigation property `nav`.
pub fn nav_cond(set: Set, nav: &str) -> Option<&'static str> {
    Some(match (set, nav) {
        (Set::Things, "Locations") => "n.id IN (SELECT location_id FROM sta_thing_location WHERE thing_id = {})",
        (Set::Things, "HistoricalLocations") => "n.thing_id = {}",
        (Set::Things, "Datastreams") => "n.thing_id = {}",
        (Set::Locations, "Things") => "n.id IN (SELECT thing_id FROM sta_thing_location WHERE location_id = {})",
        (Set::Locations, "HistoricalLocations") => {
            "n.id IN (SELECT historical_location_id FROM sta_historical_location_location WHERE location_id = {})"
        }
        (Set::HistoricalLocations, "Locations") => {
            "n.id IN (SELECT location_id FROM sta_historical_location_location WHERE historical_location_id = {})"
        }
        (Set::Sensors, "Datastreams") => "n.sensor_id = {}",
        (Set::ObservedProperties, "Datastreams") => "n.observed_property_id = {}",
        (Set::Datastreams, "Observations") => "n.datastream_id = {}",
        (Set::FeaturesOfInterest, "Observations") => "n.feature_id = {}",
        _ => return None,
    })
}

/// The foreign-key column behind a to-one navigation property.
fn fk(set: Set, nav: &str) -> Option<(&'static str, Set)> {
    Some(match (set, nav) {
        (Set::HistoricalLocations, "Thing") => ("thing_id", Set::Things),
        (Set::Datastreams, "Thing") => ("thing_id", Set::Things),
        (Set::Datastreams, "Sensor") => ("sensor_id", Set::Sensors),
        (Set::Datastreams, "ObservedProperty") => ("observed_property_id", Set::ObservedProperties),
        (Set::Observations, "Datastream") => ("datastream_id", Set::Datastreams),
        (Set::Observations, "FeatureOfInterest") => ("feature_id", Set::FeaturesOfInterest),
        _ => return None,
    })
}

const ALIASES: [&str; 6] = ["n", "n1", "n2", "n3", "n4", "n5"];

// ---- the translation of property paths ---------------------------------------------------------

impl Compiler {
    /// `properties/a/b` of a JSON column: its number (when it is one) and its text.
    fn json_path(&mut self, col: &str, keys: &[String]) -> Result<V> {
        if keys.is_empty() {
            return Err(unsupported("compare a member of the properties object: properties/name"));
        }
        Ok(match self.dialect {
            Dialect::Sqlite => {
                let path: String = keys.iter().map(|k| format!(".\"{}\"", k.replace('"', "\\\""))).collect();
                let path = self.text(&format!("${path}"));
                V::Result(
                    format!("(CASE WHEN json_type({col}, {path}) IN ('integer', 'real') THEN json_extract({col}, {path}) END)"),
                    format!(
                        "(CASE WHEN json_type({col}, {path}) IN ('object', 'array') THEN json_extract({col}, {path}) \
                         ELSE CAST(json_extract({col}, {path}) AS TEXT) END)"
                    ),
                )
            }
            Dialect::Postgres => {
                let mut node = format!("CAST({col} AS JSONB)");
                for k in keys {
                    let p = self.text(k);
                    node = format!("({node} -> CAST({p} AS TEXT))");
                }
                V::Result(
                    format!(
                        "(CASE WHEN jsonb_typeof({node}) = 'number' THEN CAST({node} #>> '{{}}' AS DOUBLE PRECISION) END)"
                    ),
                    format!("({node} #>> '{{}}')"),
                )
            }
        })
    }

    /// A property path of a native entity of `set`, whose row is at alias depth `depth`.
    pub(super) fn resolve_native(&mut self, set: Set, depth: usize, path: &[String]) -> Result<V> {
        let a = ALIASES.get(depth).copied().ok_or_else(|| unsupported("this property path is too deep"))?;
        let first = path.first().map(String::as_str).unwrap_or("");
        let first = if first == "@iot.id" { "id" } else { first };
        let rest = path.get(1..).unwrap_or_default();
        let one = |v: V| {
            if rest.is_empty() {
                Ok(v)
            } else {
                Err(unsupported(format!("{} has no sub-properties", path.join("/"))))
            }
        };
        let col = |c: &str| format!("{a}.{c}");
        if first == "id" {
            return one(V::Num(col("id")));
        }
        if first == "properties" || (first == "parameters" && set == Set::Observations) {
            return self.json_path(&col(first), rest);
        }
        if let Some((fk_col, target)) = fk(set, first) {
            return self.nested(target, depth, &col(fk_col), rest);
        }
        if set.nav(first).is_some() {
            return Err(unsupported(format!(
                "filtering through the collection {first} is not supported; navigate from the other side"
            )));
        }
        let text = |c: &str| one(V::Str(col(c)));
        match (set, first) {
            (_, "name") if set != Set::HistoricalLocations && set != Set::Observations => text("name"),
            (_, "description") if set != Set::HistoricalLocations && set != Set::Observations => text("description"),
            (Set::Locations | Set::Sensors | Set::FeaturesOfInterest, "encodingType") => text("encoding_type"),
            (Set::Locations, "location") | (Set::FeaturesOfInterest, "feature") => {
                one(V::Point(col("lon"), col("lat")))
            }
            (Set::HistoricalLocations, "time") => one(V::Time(col("time_ms"))),
            (Set::Sensors, "metadata") => text("metadata"),
            (Set::ObservedProperties, "definition") => text("definition"),
            (Set::Datastreams, "observationType") => text("observation_type"),
            (Set::Datastreams, "unitOfMeasurement") => match (rest.first().map(String::as_str), rest.len()) {
                (Some(p @ ("name" | "symbol" | "definition")), 1) => Ok(V::Str(col(&format!("unit_{p}")))),
                _ => Err(unknown("Datastream", path)),
            },
            (Set::Datastreams, "phenomenonTime") => one(V::Interval(col("phenomenon_start"), col("phenomenon_end"))),
            (Set::Datastreams, "resultTime") => one(V::Interval(col("result_start"), col("result_end"))),
            (Set::Datastreams, "observedArea") => one(V::Null),
            (Set::Observations, "phenomenonTime") => {
                one(V::Interval(col("phenomenon_start"), format!("COALESCE({a}.phenomenon_end, {a}.phenomenon_start)")))
            }
            (Set::Observations, "result") => one(V::Result(col("result_num"), col("result_text"))),
            (Set::Observations, "resultTime") => one(V::Time(col("result_time"))),
            (Set::Observations, "resultQuality") => {
                let q = self.json_text(&col("result_quality"));
                one(V::Str(q))
            }
            (Set::Observations, "validTime") => one(V::Interval(col("valid_start"), col("valid_end"))),
            _ => Err(unknown(set.name(), path)),
        }
    }

    /// The text of a JSON value stored as JSON text (strings unquoted).
    fn json_text(&mut self, col: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => {
                format!("(CASE WHEN json_type({col}) = 'text' THEN json_extract({col}, '$') ELSE {col} END)")
            }
            Dialect::Postgres => format!("(CAST({col} AS JSONB) #>> '{{}}')"),
        }
    }

    /// A path through a to-one navigation property: each column of the target's expression
    /// becomes a correlated sub-query on the linked row.
    fn nested(&mut self, target: Set, depth: usize, fk_col: &str, rest: &[String]) -> Result<V> {
        let inner = ALIASES.get(depth + 1).copied().ok_or_else(|| unsupported("this property path is too deep"))?;
        if rest.is_empty() {
            return Err(type_error("a navigation property is compared through one of its properties: Thing/name"));
        }
        let v = self.resolve_native(target, depth + 1, rest)?;
        let tbl = table(target);
        let wrap = |e: String| format!("(SELECT {e} FROM {tbl} {inner} WHERE {inner}.id = {fk_col})");
        Ok(match v {
            V::Num(e) => V::Num(wrap(e)),
            V::Str(e) => V::Str(wrap(e)),
            V::Bool(e) => V::Bool(format!("COALESCE({}, 1 = 0)", wrap(e))),
            V::Time(e) => V::Time(wrap(e)),
            V::Interval(s, e) => V::Interval(wrap(s), wrap(e)),
            V::Point(x, y) => V::Point(wrap(x), wrap(y)),
            V::Result(n, t) => V::Result(wrap(n), wrap(t)),
            other => other,
        })
    }
}

// ---- reading -------------------------------------------------------------------------------------

fn cols(set: Set) -> &'static str {
    match set {
        Set::Things => "n.id, n.name, n.description, n.properties, n.region_code",
        Set::Locations => "n.id, n.name, n.description, n.encoding_type, n.location, n.properties, n.region_code",
        Set::HistoricalLocations => "n.id, n.thing_id, n.time_ms, n.region_code",
        Set::Sensors => "n.id, n.name, n.description, n.encoding_type, n.metadata, n.properties, n.region_code",
        Set::ObservedProperties => "n.id, n.name, n.definition, n.description, n.properties, n.region_code",
        Set::Datastreams => {
            "n.id, n.thing_id, n.sensor_id, n.observed_property_id, n.name, n.description, n.observation_type, \
             n.unit_name, n.unit_symbol, n.unit_definition, n.observed_area, n.properties, n.region_code, \
             n.phenomenon_start AS p_start, n.phenomenon_end AS p_end, n.result_start AS r_start, n.result_end AS r_end"
        }
        Set::Observations => {
            "n.id, n.datastream_id, n.feature_id, n.phenomenon_start, n.phenomenon_end, n.result, n.result_num, \
             n.result_time, n.result_quality, n.valid_start, n.valid_end, n.parameters, n.region_code"
        }
        Set::FeaturesOfInterest => {
            "n.id, n.name, n.description, n.encoding_type, n.feature, n.properties, n.region_code"
        }
    }
}

fn json_col(r: &AnyRow, name: &str) -> Result<Option<Value>> {
    let t: Option<String> = r.try_get(name).store()?;
    Ok(t.and_then(|t| serde_json::from_str(&t).ok()))
}

fn interval(start: Option<i64>, end: Option<i64>) -> Option<Value> {
    let s = start?;
    Some(match end {
        Some(e) if e != s => json!(format!("{}/{}", format_time(s), format_time(e))),
        _ => json!(format_time(s)),
    })
}

fn row_of(set: Set, r: &AnyRow) -> Result<NRow> {
    let mut n =
        NRow { id: r.try_get("id").store()?, region_code: r.try_get("region_code").store()?, ..NRow::default() };
    let p = &mut n.props;
    let text = |name: &str| -> Result<Value> { Ok(json!(r.try_get::<String, _>(name).store()?)) };
    if !matches!(set, Set::HistoricalLocations | Set::Observations) {
        p.insert("name".into(), text("name")?);
        p.insert("description".into(), text("description")?);
    }
    match set {
        Set::Locations | Set::Sensors | Set::FeaturesOfInterest => {
            p.insert("encodingType".into(), text("encoding_type")?);
        }
        _ => {}
    }
    match set {
        Set::Locations => {
            p.insert("location".into(), json_col(r, "location")?.unwrap_or(Value::Null));
        }
        Set::FeaturesOfInterest => {
            p.insert("feature".into(), json_col(r, "feature")?.unwrap_or(Value::Null));
        }
        Set::Sensors => {
            p.insert("metadata".into(), text("metadata")?);
        }
        Set::ObservedProperties => {
            p.insert("definition".into(), text("definition")?);
        }
        Set::HistoricalLocations => {
            n.thing = r.try_get("thing_id").store()?;
            p.insert("time".into(), json!(format_time(r.try_get("time_ms").store()?)));
        }
        Set::Datastreams => {
            n.thing = r.try_get("thing_id").store()?;
            n.sensor = r.try_get("sensor_id").store()?;
            n.observed_property = r.try_get("observed_property_id").store()?;
            let opt = |name: &str| -> Result<Value> { Ok(json!(r.try_get::<Option<String>, _>(name).store()?)) };
            p.insert(
                "unitOfMeasurement".into(),
                json!({"name": opt("unit_name")?, "symbol": opt("unit_symbol")?, "definition": opt("unit_definition")?}),
            );
            p.insert("observationType".into(), text("observation_type")?);
            if let Some(area) = json_col(r, "observed_area")? {
                p.insert("observedArea".into(), area);
            }
            if let Some(t) = interval(r.try_get("p_start").store()?, r.try_get("p_end").store()?) {
                p.insert("phenomenonTime".into(), t);
            }
            if let Some(t) = interval(r.try_get("r_start").store()?, r.try_get("r_end").store()?) {
                p.insert("resultTime".into(), t);
            }
        }
        Set::Observations => {
            n.datastream = r.try_get("datastream_id").store()?;
            n.feature = r.try_get("feature_id").store()?;
            let start: i64 = r.try_get("phenomenon_start").store()?;
            p.insert(
                "phenomenonTime".into(),
                interval(Some(start), r.try_get("phenomenon_end").store()?).unwrap_or_default(),
            );
            let result: String = r.try_get("result").store()?;
            let num: Option<f64> = r.try_get("result_num").store()?;
            if num.is_some() {
                n.result_number = Some(result.clone());
            }
            p.insert("result".into(), serde_json::from_str(&result).unwrap_or(Value::String(result)));
            let rt: Option<i64> = r.try_get("result_time").store()?;
            p.insert("resultTime".into(), rt.map(|t| json!(format_time(t))).unwrap_or(Value::Null));
            if let Some(q) = json_col(r, "result_quality")? {
                p.insert("resultQuality".into(), q);
            }
            if let Some(v) = interval(r.try_get("valid_start").store()?, r.try_get("valid_end").store()?) {
                p.insert("validTime".into(), v);
            }
            if let Some(v) = json_col(r, "parameters")? {
                p.insert("parameters".into(), v);
            }
        }
        Set::Things => {}
    }
    if !matches!(set, Set::HistoricalLocations | Set::Observations) {
        if let Some(props) = json_col(r, "properties")? {
            p.insert("properties".into(), props);
        }
    }
    Ok(n)
}

/// The WHERE conditions and ORDER BY items of a native listing (compiled into `c`).
pub(super) fn native_clauses(
    c: &mut Compiler,
    set: Set,
    scope: Option<&NScope>,
    page: &Page<'_>,
) -> Result<(Vec<String>, Vec<String>)> {
    let mut conds = Vec::new();
    if let Some(s) = scope {
        let ph = c.int(s.id);
        conds.push(s.cond.replace("{}", &ph));
    }
    let ctx = Ctx::Native(set);
    if let Some(f) = page.filter {
        conds.push(c.boolean(ctx, f)?);
    }
    let order = c.order(ctx, page.order)?;
    Ok((conds, order))
}

/// A page of native entities.
pub async fn list(db: &Db, set: Set, scope: Option<&NScope>, page: &Page<'_>) -> Result<Listed<NRow>> {
    let mut c = Compiler::new(db.dialect(), page.now_ms);
    let (conds, mut order) = native_clauses(&mut c, set, scope, page)?;
    // Ties broken by id in the direction of the last key, so that `phenomenonTime desc` reads
    // the (datastream, phenomenon_start, id) index backwards instead of sorting.
    let dir = if order.last().is_some_and(|o| o.ends_with(" DESC")) { "DESC" } else { "ASC" };
    order.push(format!("n.id {dir}"));
    let where_sql = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
    let from = format!("{} n", table(set));
    run_list(db, &from, cols(set), (where_sql, format!(" ORDER BY {}", order.join(", ")), c), page, |r| row_of(set, r))
        .await
}

/// Native entities by id (in no particular order).
pub async fn by_ids(db: &Db, set: Set, ids: &[i64]) -> Result<Vec<NRow>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut p = qy_storage::Params::new();
    let list = p.push_int_list(ids);
    let sql = format!("SELECT {} FROM {} n WHERE n.id IN ({list})", cols(set), table(set));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| row_of(set, r)).collect()
}

/// The latest Observation (by phenomenonTime, then id) of each of these Datastreams: their ids
/// first (a backward seek on the (datastream, phenomenon_start, id) index per Datastream), then
/// the rows by primary key. Two queries, because as one PostgreSQL may hash-join the whole
/// observation table instead.
pub async fn latest_observations(db: &Db, datastreams: &[i64]) -> Result<Vec<NRow>> {
    if datastreams.is_empty() {
        return Ok(vec![]);
    }
    let mut p = qy_storage::Params::new();
    let list = p.push_int_list(datastreams);
    let sql = format!(
        "SELECT (SELECT o.id FROM sta_observation o WHERE o.datastream_id = d.id \
         ORDER BY o.phenomenon_start DESC, o.id DESC LIMIT 1) FROM sta_datastream d WHERE d.id IN ({list})"
    );
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get::<Option<i64>, _>(0).store())
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    by_ids(db, Set::Observations, &ids).await
}

/// One native entity.
pub async fn one(db: &Db, set: Set, id: i64) -> Result<Option<NRow>> {
    Ok(by_ids(db, set, &[id]).await?.into_iter().next())
}

/// One native entity inside a write transaction, locked against concurrent changes (`FOR
/// UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` already holds the write lock).
pub async fn locked(tx: &mut Tx, dialect: Dialect, set: Set, id: i64) -> Result<Option<NRow>> {
    let lock = if dialect == Dialect::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {} FROM {} n WHERE n.id = $1{lock}", cols(set), table(set));
    let row = query(&sql).bind(id).fetch_optional(&mut **tx).await.store()?;
    row.map(|r| row_of(set, &r)).transpose()
}

/// Are there native entities of this set at all (to skip the union with the registry's)?
pub async fn any(db: &Db, set: Set) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} LIMIT 1", table(set));
    Ok(query(&sql).fetch_optional(db.pool()).await.store()?.is_some())
}

// ---- writing -------------------------------------------------------------------------------------

pub type Tx = Transaction<'static, Any>;

/// A write transaction. On SQLite it takes the write lock first (`BEGIN IMMEDIATE`): a
/// transaction that reads before writing would otherwise fail with SQLITE_BUSY, without
/// waiting, when another writer commits in between.
pub async fn begin(db: &Db) -> Result<Tx> {
    match db.dialect() {
        Dialect::Sqlite => db.pool().begin_with("BEGIN IMMEDIATE").await.store(),
        Dialect::Postgres => db.pool().begin().await.store(),
    }
}

/// A column value of a native insert or update.
#[derive(Debug, Clone)]
pub enum Col {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    OptReal(Option<f64>),
}

fn bind_all<'q>(
    mut q: qy_storage::sqlx::query::Query<'q, Any, qy_storage::sqlx::any::AnyArguments<'q>>,
    vals: &'q [(&'static str, Col)],
) -> qy_storage::sqlx::query::Query<'q, Any, qy_storage::sqlx::any::AnyArguments<'q>> {
    for (_, v) in vals {
        q = match v {
            Col::Text(s) => q.bind(s.as_str()),
            Col::OptText(s) => q.bind(s.as_deref()),
            Col::Int(i) => q.bind(*i),
            Col::OptInt(i) => q.bind(*i),
            Col::OptReal(f) => qy_storage::bind_f64_or_null(q, *f),
        };
    }
    q
}

/// Inserts a row and returns its id.
pub async fn insert(tx: &mut Tx, set: Set, vals: &[(&'static str, Col)]) -> Result<i64> {
    let names: Vec<&str> = vals.iter().map(|(n, _)| *n).collect();
    let params: Vec<String> = (1..=vals.len()).map(|i| format!("${i}")).collect();
    let sql = format!("INSERT INTO {} ({}) VALUES ({}) RETURNING id", table(set), names.join(", "), params.join(", "));
    let row = bind_all(query(&sql), vals).fetch_one(&mut **tx).await.store()?;
    row.try_get::<i64, _>(0).store()
}

/// Inserts a row and returns it as a read would (an Observation's answer needs no read-back).
pub async fn insert_returning<'e>(
    ex: impl Executor<'e, Database = Any>,
    set: Set,
    vals: &[(&'static str, Col)],
) -> Result<NRow> {
    let names: Vec<&str> = vals.iter().map(|(n, _)| *n).collect();
    let params: Vec<String> = (1..=vals.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({}) RETURNING {}",
        table(set),
        names.join(", "),
        params.join(", "),
        cols(set).replace("n.", "")
    );
    let row = bind_all(query(&sql), vals).fetch_one(ex).await.store()?;
    row_of(set, &row)
}

/// Inserts an Observation of Datastream `ds` if the Datastream's region matches `region_like`
/// and its Thing's first Location has a generated feature, in one statement. `None` if not.
pub async fn insert_observation_of(
    db: &Db,
    ds: i64,
    region_like: &str,
    vals: &[(&'static str, Col)],
) -> Result<Option<NRow>> {
    const FEATURE: &str = "(SELECT f.id FROM sta_feature f WHERE f.location_id = (SELECT MIN(tl.location_id) \
         FROM sta_thing_location tl WHERE tl.thing_id = d.thing_id) AND f.region_code = d.region_code \
         ORDER BY f.id LIMIT 1)";
    let names: Vec<&str> = vals.iter().map(|(n, _)| *n).collect();
    let params: Vec<String> = (1..=vals.len()).map(|i| format!("${i}")).collect();
    let (d, r) = (vals.len() + 1, vals.len() + 2);
    let sql = format!(
        "INSERT INTO sta_observation ({}, datastream_id, feature_id) SELECT {}, d.id, {FEATURE} \
         FROM sta_datastream d WHERE d.id = ${d} AND d.region_code LIKE ${r} AND {FEATURE} IS NOT NULL RETURNING {}",
        names.join(", "),
        params.join(", "),
        cols(Set::Observations).replace("n.", "")
    );
    // A kept connection: this runs once per POSTed observation (see `Db::kept`).
    let mut conn = db.kept().await?;
    let row = bind_all(query(&sql), vals).bind(ds).bind(region_like).fetch_optional(&mut *conn).await;
    conn.give_back(&row);
    row.store()?.map(|r| row_of(Set::Observations, &r)).transpose()
}

/// Changes the given columns of a row.
pub async fn update(tx: &mut Tx, set: Set, id: i64, vals: &[(&'static str, Col)]) -> Result<()> {
    if vals.is_empty() {
        return Ok(());
    }
    let sets: Vec<String> = vals.iter().enumerate().map(|(i, (n, _))| format!("{n} = ${}", i + 1)).collect();
    let sql = format!("UPDATE {} SET {} WHERE id = ${}", table(set), sets.join(", "), vals.len() + 1);
    bind_all(query(&sql), vals).bind(id).execute(&mut **tx).await.store()?;
    Ok(())
}

/// Recomputes the spans of the Datastreams of these Observations' (after a change or delete).
pub async fn recompute_datastream_times(tx: &mut Tx, datastreams: &[i64]) -> Result<()> {
    for ds in datastreams {
        query(
            "UPDATE sta_datastream SET \
             phenomenon_start = (SELECT MIN(o.phenomenon_start) FROM sta_observation o WHERE o.datastream_id = $1), \
             phenomenon_end = (SELECT MAX(COALESCE(o.phenomenon_end, o.phenomenon_start)) FROM sta_observation o \
                               WHERE o.datastream_id = $1), \
             result_start = (SELECT MIN(o.result_time) FROM sta_observation o WHERE o.datastream_id = $1), \
             result_end = (SELECT MAX(o.result_time) FROM sta_observation o WHERE o.datastream_id = $1) \
             WHERE id = $1",
        )
        .bind(*ds)
        .execute(&mut **tx)
        .await
        .store()?;
    }
    Ok(())
}

/// The Datastreams of a FeatureOfInterest's Observations.
pub async fn datastreams_of_feature(tx: &mut Tx, feature: i64) -> Result<Vec<i64>> {
    let rows = query("SELECT DISTINCT datastream_id FROM sta_observation WHERE feature_id = $1")
        .bind(feature)
        .fetch_all(&mut **tx)
        .await
        .store()?;
    rows.iter().map(|r| r.try_get::<i64, _>(0).store()).collect()
}

/// The Datastream an Observation belongs to (inside the transaction).
pub async fn observation_datastream(tx: &mut Tx, observation: i64) -> Result<Option<i64>> {
    let row = query("SELECT datastream_id FROM sta_observation WHERE id = $1")
        .bind(observation)
        .fetch_optional(&mut **tx)
        .await
        .store()?;
    row.map(|r| r.try_get::<i64, _>(0).store()).transpose()
}

/// The region of a native entity, `None` if there is none (inside the transaction).
pub async fn region_of(tx: &mut Tx, set: Set, id: i64) -> Result<Option<String>> {
    let sql = format!("SELECT region_code FROM {} WHERE id = $1", table(set));
    let row = query(&sql).bind(id).fetch_optional(&mut **tx).await.store()?;
    row.map(|r| r.try_get::<String, _>(0).store()).transpose()
}

/// Links a Thing and a Location (once).
pub async fn link_thing_location(tx: &mut Tx, thing: i64, location: i64) -> Result<()> {
    let found = query("SELECT 1 FROM sta_thing_location WHERE thing_id = $1 AND location_id = $2")
        .bind(thing)
        .bind(location)
        .fetch_optional(&mut **tx)
        .await
        .store()?;
    if found.is_none() {
        query("INSERT INTO sta_thing_location (thing_id, location_id) VALUES ($1, $2)")
            .bind(thing)
            .bind(location)
            .execute(&mut **tx)
            .await
            .store()?;
    }
    Ok(())
}

/// Replaces a Thing's Locations.
pub async fn clear_thing_locations(tx: &mut Tx, thing: i64) -> Result<()> {
    query("DELETE FROM sta_thing_location WHERE thing_id = $1").bind(thing).execute(&mut **tx).await.store()?;
    Ok(())
}

/// Records that a Thing is at these Locations from `time_ms` on.
pub async fn add_historical_location(
    tx: &mut Tx,
    thing: i64,
    locations: &[i64],
    time_ms: i64,
    region: &str,
) -> Result<i64> {
    let id = insert(
        tx,
        Set::HistoricalLocations,
        &[("thing_id", Col::Int(thing)), ("time_ms", Col::Int(time_ms)), ("region_code", Col::Text(region.into()))],
    )
    .await?;
    for l in locations {
        query("INSERT INTO sta_historical_location_location (historical_location_id, location_id) VALUES ($1, $2)")
            .bind(id)
            .bind(*l)
            .execute(&mut **tx)
            .await
            .store()?;
    }
    Ok(id)
}

/// Links a HistoricalLocation to more Locations.
pub async fn link_historical_location(tx: &mut Tx, hist: i64, location: i64) -> Result<()> {
    let found =
        query("SELECT 1 FROM sta_historical_location_location WHERE historical_location_id = $1 AND location_id = $2")
            .bind(hist)
            .bind(location)
            .fetch_optional(&mut **tx)
            .await
            .store()?;
    if found.is_none() {
        query("INSERT INTO sta_historical_location_location (historical_location_id, location_id) VALUES ($1, $2)")
            .bind(hist)
            .bind(location)
            .execute(&mut **tx)
            .await
            .store()?;
    }
    Ok(())
}

/// A Thing's first Location and the FeatureOfInterest generated from it, if any.
pub type SiteFeature = Option<(i64, Option<i64>)>;

/// What posting an Observation to a Datastream needs, in one round trip: the Datastream's
/// region (`None` if there is no such Datastream), and the first Location of its Thing with
/// the FeatureOfInterest generated from that Location, if any.
pub async fn datastream_context<'e>(
    ex: impl Executor<'e, Database = Any>,
    datastream: i64,
) -> Result<Option<(String, SiteFeature)>> {
    let row = query(
        "SELECT d.region_code, tl.location_id, (SELECT f.id FROM sta_feature f WHERE f.location_id = tl.location_id \
         AND f.region_code = d.region_code ORDER BY f.id LIMIT 1) AS feature_id FROM sta_datastream d \
         LEFT JOIN sta_thing_location tl \
         ON tl.thing_id = d.thing_id WHERE d.id = $1 ORDER BY tl.location_id LIMIT 1",
    )
    .bind(datastream)
    .fetch_optional(ex)
    .await
    .store()?;
    let Some(r) = row else { return Ok(None) };
    let region: String = r.try_get(0).store()?;
    let location: Option<i64> = r.try_get(1).store()?;
    let feature: Option<i64> = r.try_get(2).store()?;
    Ok(Some((region, location.map(|l| (l, feature)))))
}

/// A Location's columns for generating a FeatureOfInterest from it.
pub async fn location_parts(tx: &mut Tx, id: i64) -> Result<Option<(String, String, String, String)>> {
    let row = query("SELECT name, description, encoding_type, location FROM sta_location WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .store()?;
    row.map(|r| Ok((r.try_get(0).store()?, r.try_get(1).store()?, r.try_get(2).store()?, r.try_get(3).store()?)))
        .transpose()
}

async fn exec(tx: &mut Tx, sql: &str, id: i64) -> Result<u64> {
    Ok(query(sql).bind(id).execute(&mut **tx).await.store()?.rows_affected())
}

/// Deletes an entity and what the standard deletes with it (SensorThings 1.1 §10.4: a Thing
/// takes its Datastreams and HistoricalLocations, a Datastream its Observations, a Sensor or
/// ObservedProperty the Datastreams using it, a Location the HistoricalLocations that only
/// it was part of, a FeatureOfInterest its Observations). Returns whether it existed.
pub async fn delete(tx: &mut Tx, set: Set, id: i64) -> Result<bool> {
    const DS_OBS: &str = "DELETE FROM sta_observation WHERE datastream_id IN (SELECT id FROM sta_datastream WHERE ";
    match set {
        Set::Things => {
            exec(tx, &format!("{DS_OBS}thing_id = $1)"), id).await?;
            exec(tx, "DELETE FROM sta_datastream WHERE thing_id = $1", id).await?;
            exec(
                tx,
                "DELETE FROM sta_historical_location_location WHERE historical_location_id IN \
                 (SELECT id FROM sta_historical_location WHERE thing_id = $1)",
                id,
            )
            .await?;
            exec(tx, "DELETE FROM sta_historical_location WHERE thing_id = $1", id).await?;
            exec(tx, "DELETE FROM sta_thing_location WHERE thing_id = $1", id).await?;
        }
        Set::Locations => {
            // HistoricalLocations that only this Location was part of go with it.
            let only_here = query(
                "SELECT x.historical_location_id FROM sta_historical_location_location x WHERE x.location_id = $1 \
                 AND NOT EXISTS (SELECT 1 FROM sta_historical_location_location y \
                 WHERE y.historical_location_id = x.historical_location_id AND y.location_id <> $1)",
            )
            .bind(id)
            .fetch_all(&mut **tx)
            .await
            .store()?;
            exec(tx, "DELETE FROM sta_thing_location WHERE location_id = $1", id).await?;
            exec(tx, "DELETE FROM sta_historical_location_location WHERE location_id = $1", id).await?;
            for r in &only_here {
                exec(tx, "DELETE FROM sta_historical_location WHERE id = $1", r.try_get::<i64, _>(0).store()?).await?;
            }
            exec(tx, "UPDATE sta_feature SET location_id = NULL WHERE location_id = $1", id).await?;
        }
        Set::HistoricalLocations => {
            exec(tx, "DELETE FROM sta_historical_location_location WHERE historical_location_id = $1", id).await?;
        }
        Set::Datastreams => {
            exec(tx, "DELETE FROM sta_observation WHERE datastream_id = $1", id).await?;
        }
        Set::Sensors | Set::ObservedProperties => {
            let col = if set == Set::Sensors { "sensor_id" } else { "observed_property_id" };
            exec(tx, &format!("{DS_OBS}{col} = $1)"), id).await?;
            exec(tx, &format!("DELETE FROM sta_datastream WHERE {col} = $1"), id).await?;
        }
        Set::FeaturesOfInterest => {
            let touched = datastreams_of_feature(tx, id).await?;
            exec(tx, "DELETE FROM sta_observation WHERE feature_id = $1", id).await?;
            recompute_datastream_times(tx, &touched).await?;
        }
        Set::Observations => {
            let ds = observation_datastream(tx, id).await?;
            let gone = exec(tx, "DELETE FROM sta_observation WHERE id = $1", id).await? == 1;
            recompute_datastream_times(tx, &ds.into_iter().collect::<Vec<_>>()).await?;
            return Ok(gone);
        }
    }
    Ok(exec(tx, &format!("DELETE FROM {} WHERE id = $1", table(set)), id).await? == 1)
}

/// Is native entity `id` inside a navigation scope (`Things(1)/Datastreams(7)`)?
pub async fn in_scope(db: &Db, set: Set, scope: &NScope, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} n WHERE {} AND n.id = $2", table(set), scope.cond.replace("{}", "$1"));
    Ok(query(&sql).bind(scope.id).bind(id).fetch_optional(db.pool()).await.store()?.is_some())
}
