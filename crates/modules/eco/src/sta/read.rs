//! GET: resolving resource paths, listing entity sets, `$select`, `$expand`, `$ref`,
//! `$value`, paging links and the data-array result format.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use qy_kernel::{Error, Result};
use serde_json::{json, Map, Value};

use super::model::{self, DsKey, ObsKey, Set};
use super::query::{Options, Seg};
use super::Cx;
use crate::domain::station::Station;
use crate::store::sta::{self as sql, DsRow, Key, Listed, ObsRow, Page, Scope};
use crate::store::sta_native::{self as native, NRow, NScope};

/// An entity's row.
#[derive(Debug, Clone)]
pub enum Row {
    Station(Station),
    Ds(DsRow),
    Obs(ObsRow),
    Fixed(String),
    /// An entity created through the API.
    Native(NRow),
}

impl Row {
    pub fn id(&self) -> String {
        match self {
            Row::Station(s) => s.id.clone(),
            Row::Ds(d) => format!("{}~{}~{}", d.station.id, d.factor, d.period),
            Row::Obs(o) => format!("{}~{}~{}~{}", o.station_id, o.factor, o.period, o.time_ms),
            Row::Fixed(id) => id.clone(),
            Row::Native(n) => n.id.to_string(),
        }
    }

    /// `@iot.id`: a number for API-created entities, a text for registry-backed ones.
    pub fn id_json(&self) -> Value {
        match self {
            Row::Native(n) => json!(n.id),
            other => json!(other.id()),
        }
    }

    pub fn link(&self, base: &str, set: Set) -> String {
        match self {
            Row::Native(n) => model::native_link(base, set, n.id),
            other => model::self_link(base, set, &other.id()),
        }
    }
}

/// The id of an API-created entity: a decimal number without leading zeros (registry ids are
/// UUIDs, `~`-joined keys, station kinds and HJ 212 factor codes, which start with a letter).
pub fn native_id(id: &str) -> Option<i64> {
    let digits = !id.is_empty() && id.len() <= 18 && id.bytes().all(|b| b.is_ascii_digit());
    (digits && (id == "0" || !id.starts_with('0'))).then(|| id.parse().ok()).flatten()
}

pub fn not_found(set: Set, id: &str) -> Error {
    Error::not_found("sta.not_found", format!("no {} with id {}", set.name(), model::quote_id(id)))
}

// ---- fetching ---------------------------------------------------------------------------------

fn page<'a>(cx: &Cx, o: &'a Options, top: i64) -> Page<'a> {
    Page { filter: o.filter.as_ref(), order: &o.order, top, skip: o.skip, count: o.count, now_ms: cx.now }
}

async fn observed_property_ids(cx: &Cx) -> Result<Vec<String>> {
    let mut ids: Vec<String> = qy_hj212::FACTOR_CODES.iter().map(|f| f.code.to_owned()).collect();
    let mut extra: Vec<String> =
        sql::factors_with_data(&cx.db).await?.into_iter().filter(|f| model::factor_entry(f).is_none()).collect();
    extra.sort();
    ids.extend(extra);
    Ok(ids)
}

/// A collection page: the registry's entities, those created through the API, or both.
pub async fn list(cx: &Cx, set: Set, scope: &Scope, o: &Options) -> Result<Listed<Row>> {
    let p = page(cx, o, o.top());
    if let Some(ns) = &scope.native {
        return Ok(map_listed(native::list(&cx.db, set, Some(ns), &p).await?, Row::Native));
    }
    if !scope.is_top() || !native::any(&cx.db, set).await? {
        return registry_list(cx, set, scope, o).await;
    }
    if !sql::registry_any(&cx.db, set).await? {
        return Ok(map_listed(native::list(&cx.db, set, None, &p).await?, Row::Native));
    }
    let fixed = match set {
        Set::Sensors => model::KINDS.iter().map(|k| k.0.to_owned()).collect(),
        Set::ObservedProperties => observed_property_ids(cx).await?,
        _ => vec![],
    };
    let keys = sql::mixed(&cx.db, set, &p, &fixed).await?;
    let ids: Vec<i64> = keys.rows.iter().filter_map(|k| if let Key::Native(i) = k { Some(*i) } else { None }).collect();
    let mut natives: HashMap<i64, NRow> =
        native::by_ids(&cx.db, set, &ids).await?.into_iter().map(|n| (n.id, n)).collect();
    let mut rows = Vec::with_capacity(keys.rows.len());
    for k in &keys.rows {
        let row = match k {
            Key::Native(i) => natives.remove(i).map(Row::Native),
            Key::Registry(id) => registry_entity(cx, set, id).await?,
        };
        rows.extend(row);
    }
    Ok(Listed { rows, more: keys.more, count: keys.count })
}

/// A page of the registry's entities.
async fn registry_list(cx: &Cx, set: Set, scope: &Scope, o: &Options) -> Result<Listed<Row>> {
    let p = page(cx, o, o.top());
    Ok(match set {
        Set::Datastreams => map_listed(sql::datastreams(&cx.db, scope, &p).await?, Row::Ds),
        Set::Observations => map_listed(sql::observations(&cx.db, scope, &p).await?, Row::Obs),
        Set::Sensors => {
            let ids: Vec<String> = model::KINDS.iter().map(|k| k.0.to_owned()).collect();
            map_listed(sql::fixed(&cx.db, set, &ids, &p).await?, Row::Fixed)
        }
        Set::ObservedProperties => {
            let ids = observed_property_ids(cx).await?;
            map_listed(sql::fixed(&cx.db, set, &ids, &p).await?, Row::Fixed)
        }
        _ => map_listed(sql::stations(&cx.db, set, scope, &p).await?, Row::Station),
    })
}

fn map_listed<T>(l: Listed<T>, f: impl Fn(T) -> Row) -> Listed<Row> {
    Listed { rows: l.rows.into_iter().map(f).collect(), more: l.more, count: l.count }
}

/// One entity by id.
pub async fn entity(cx: &Cx, set: Set, id: &str) -> Result<Option<Row>> {
    if let Some(n) = native_id(id) {
        if let Some(row) = native::one(&cx.db, set, n).await? {
            return Ok(Some(Row::Native(row)));
        }
        if set != Set::ObservedProperties {
            return Ok(None);
        }
    }
    registry_entity(cx, set, id).await
}

/// One registry-backed entity by id.
async fn registry_entity(cx: &Cx, set: Set, id: &str) -> Result<Option<Row>> {
    let one = Options { top: Some(1), ..Options::default() };
    let scope = match set {
        Set::Datastreams => match DsKey::parse(id) {
            Some(k) => Scope {
                station_id: Some(k.station_id),
                factor: Some(k.factor),
                period: Some(k.period.as_str().into()),
                ..Scope::default()
            },
            None => return Ok(None),
        },
        Set::Observations => match ObsKey::parse(id) {
            Some(k) => Scope {
                station_id: Some(k.ds.station_id),
                factor: Some(k.ds.factor),
                period: Some(k.ds.period.as_str().into()),
                time_ms: Some(k.time_ms),
                ..Scope::default()
            },
            None => return Ok(None),
        },
        Set::Sensors => return Ok(model::kind_row(id).map(|_| Row::Fixed(id.to_owned()))),
        Set::ObservedProperties => {
            if !model::valid_factor(id) {
                return Ok(None);
            }
            let known =
                model::factor_entry(id).is_some() || sql::factors_with_data(&cx.db).await?.iter().any(|f| f == id);
            return Ok(known.then(|| Row::Fixed(id.to_owned())));
        }
        _ => {
            if !model::valid_station_id(id) {
                return Ok(None);
            }
            Scope { station_id: Some(id.to_owned()), ..Scope::default() }
        }
    };
    Ok(registry_list(cx, set, &scope, &one).await?.rows.into_iter().next())
}

/// The collection behind a to-many navigation property of an entity.
fn nav_scope(set: Set, row: &Row, nav: &str) -> Option<Scope> {
    let station = |id: &str| Scope { station_id: Some(id.to_owned()), ..Scope::default() };
    Some(match (set, row, nav) {
        (_, Row::Native(n), _) => {
            let nav = set.nav(nav)?.name;
            let ns = NScope { cond: native::nav_cond(set, nav)?, id: n.id, parent: set, nav };
            Scope { native: Some(ns), ..Scope::default() }
        }
        (_, Row::Station(s), _) => station(&s.id),
        (Set::Datastreams, Row::Ds(d), "Observations") => Scope {
            station_id: Some(d.station.id.clone()),
            factor: Some(d.factor.clone()),
            period: Some(d.period.clone()),
            ..Scope::default()
        },
        (Set::Sensors, Row::Fixed(kind), "Datastreams") => Scope { kind: Some(kind.clone()), ..Scope::default() },
        (Set::ObservedProperties, Row::Fixed(code), "Datastreams") => {
            Scope { factor: Some(code.clone()), ..Scope::default() }
        }
        _ => return None,
    })
}

/// The entity behind a to-one navigation property.
async fn nav_one(cx: &Cx, row: &Row, nav: &str) -> Result<Option<(Set, Row)>> {
    if let Row::Native(n) = row {
        let (set, id) = match nav {
            "Thing" => (Set::Things, n.thing),
            "Sensor" => (Set::Sensors, n.sensor),
            "ObservedProperty" => (Set::ObservedProperties, n.observed_property),
            "Datastream" => (Set::Datastreams, n.datastream),
            "FeatureOfInterest" => (Set::FeaturesOfInterest, n.feature),
            _ => return Ok(None),
        };
        let Some(id) = id else { return Ok(None) };
        return Ok(native::one(&cx.db, set, id).await?.map(|r| (set, Row::Native(r))));
    }
    let (set, id) = match (row, nav) {
        (Row::Station(s), "Thing") => return Ok(Some((Set::Things, Row::Station(s.clone())))),
        (Row::Ds(d), "Thing") => return Ok(Some((Set::Things, Row::Station(d.station.clone())))),
        (Row::Ds(d), "Sensor") => (Set::Sensors, d.station.kind.as_str().to_owned()),
        (Row::Ds(d), "ObservedProperty") => (Set::ObservedProperties, d.factor.clone()),
        (Row::Obs(o), "Datastream") => (Set::Datastreams, format!("{}~{}~{}", o.station_id, o.factor, o.period)),
        (Row::Obs(o), "FeatureOfInterest") => (Set::FeaturesOfInterest, o.station_id.clone()),
        _ => return Ok(None),
    };
    Ok(entity(cx, set, &id).await?.map(|r| (set, r)))
}

async fn in_scope(cx: &Cx, set: Set, row: &Row, scope: &Scope) -> Result<bool> {
    match (row, &scope.native) {
        (Row::Native(n), Some(ns)) => return native::in_scope(&cx.db, set, ns, n.id).await,
        (Row::Native(_), None) | (_, Some(_)) => return Ok(false),
        _ => {}
    }
    let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
    Ok(match row {
        Row::Station(s) => eq(&scope.station_id, &s.id),
        Row::Ds(d) => {
            eq(&scope.station_id, &d.station.id)
                && eq(&scope.kind, d.station.kind.as_str())
                && eq(&scope.factor, &d.factor)
                && eq(&scope.period, &d.period)
        }
        Row::Obs(o) => {
            eq(&scope.station_id, &o.station_id) && eq(&scope.factor, &o.factor) && eq(&scope.period, &o.period)
        }
        Row::Fixed(_) | Row::Native(_) => true,
    })
}

// ---- checking options before any query ----------------------------------------------------

/// Checks `$select`, `$expand` (recursively) and the expressions against the entity model.
pub fn validate(set: Set, o: &Options) -> Result<()> {
    if let Some(sel) = &o.select {
        for name in sel {
            let known = matches!(name.as_str(), "id" | "@iot.id" | "@iot.selfLink")
                || set.properties().contains(&name.as_str())
                || set.nav(name).is_some();
            if !known {
                return Err(Error::bad_request(
                    "sta.unknown_property",
                    format!("{} has no property {name:?} to $select", set.name()),
                ));
            }
        }
    }
    if o.data_array && set != Set::Observations {
        return Err(Error::bad_request("sta.invalid_query", "$resultFormat=dataArray applies to Observations"));
    }
    sql::check(set, o.filter.as_ref().unwrap_or(&super::filter::Expr::Lit(super::filter::Lit::Bool(true))), &o.order)?;
    for e in &o.expand {
        let nav = set.nav(&e.nav).ok_or_else(|| {
            Error::bad_request("sta.unknown_property", format!("{} has no navigation property {:?}", set.name(), e.nav))
        })?;
        if !nav.many && (e.options.filter.is_some() || e.options.top.is_some() || e.options.skip > 0) {
            return Err(Error::bad_request(
                "sta.invalid_query",
                format!("{} is a single entity: only $select and $expand apply", e.nav),
            ));
        }
        validate(nav.target, &e.options)?;
    }
    Ok(())
}

// ---- rendering --------------------------------------------------------------------------------

pub struct Out {
    /// Exact decimals spliced into the JSON text (see `model::decimal_json`).
    pub raw: Vec<String>,
    /// Queries run for `$expand` so far (bounded per request).
    pub queries: usize,
}

/// At most this many queries for the expansions of one request.
const MAX_EXPAND_QUERIES: usize = 2_000;

fn props(set: Set, row: &Row, out: &mut Out) -> Map<String, Value> {
    match row {
        Row::Station(s) => model::station_entity(set, s),
        Row::Ds(d) => model::datastream_entity(d),
        Row::Obs(o) => model::observation_entity(o, &mut out.raw),
        Row::Fixed(id) if set == Set::Sensors => model::sensor_entity(id).unwrap_or_default(),
        Row::Fixed(id) => model::observed_property_entity(id),
        Row::Native(n) => {
            let mut m = n.props.clone();
            if let Some(text) = &n.result_number {
                m.insert("result".into(), model::decimal_json(text, &mut out.raw));
            }
            m
        }
    }
}

fn selected(o: &Options, name: &str) -> bool {
    o.select.as_ref().is_none_or(|s| s.iter().any(|x| x == name || (name == "id" && x == "@iot.id")))
}

type Rendered<'a> = Pin<Box<dyn Future<Output = Result<Vec<Value>>> + Send + 'a>>;

/// Renders a page of entities with their expansions.
pub fn render_rows<'a>(cx: &'a Cx, set: Set, rows: &'a [Row], o: &'a Options, out: &'a mut Out) -> Rendered<'a> {
    Box::pin(async move {
        // The latest observation of every datastream on the page, from eco_latest in one query.
        let mut latest: HashMap<String, ObsRow> = HashMap::new();
        let latest_wanted =
            set == Set::Datastreams && o.expand.iter().any(|e| e.nav == "Observations" && e.options.is_latest_only());
        if latest_wanted {
            let keys: Vec<DsKey> = rows
                .iter()
                .filter_map(|r| match r {
                    Row::Ds(_) => DsKey::parse(&r.id()),
                    _ => None,
                })
                .collect();
            for ob in sql::latest_observations(&cx.db, &keys).await? {
                latest.insert(format!("{}~{}~{}", ob.station_id, ob.factor, ob.period), ob);
            }
        }
        // The same for a partner network's Datastreams.
        let mut native_latest: HashMap<i64, NRow> = HashMap::new();
        if latest_wanted {
            let ids: Vec<i64> =
                rows.iter().filter_map(|r| if let Row::Native(n) = r { Some(n.id) } else { None }).collect();
            for ob in native::latest_observations(&cx.db, &ids).await? {
                if let Some(ds) = ob.datastream {
                    native_latest.insert(ds, ob);
                }
            }
        }
        let mut values = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.id();
            let link = row.link(&cx.base, set);
            let mut m = Map::new();
            if selected(o, "id") {
                m.insert("@iot.selfLink".into(), json!(link));
                m.insert("@iot.id".into(), row.id_json());
            }
            for (k, v) in props(set, row, out) {
                if selected(o, &k) {
                    m.insert(k, v);
                }
            }
            for nav in set.navs() {
                if selected(o, nav.name) {
                    m.insert(format!("{}@iot.navigationLink", nav.name), json!(format!("{link}/{}", nav.name)));
                }
            }
            for e in &o.expand {
                let Some(nav) = set.nav(&e.nav) else { continue };
                if nav.many {
                    if e.nav == "Observations" && set == Set::Datastreams && e.options.is_latest_only() {
                        let child: Vec<Row> = match row {
                            Row::Native(n) => native_latest.get(&n.id).cloned().map(Row::Native).into_iter().collect(),
                            _ => latest.get(&id).cloned().map(Row::Obs).into_iter().collect(),
                        };
                        let vals = render_rows(cx, nav.target, &child, &e.options, out).await?;
                        m.insert(nav.name.into(), Value::Array(vals));
                        continue;
                    }
                    let Some(scope) = nav_scope(set, row, nav.name) else { continue };
                    out.queries += 1;
                    if out.queries > MAX_EXPAND_QUERIES {
                        return Err(Error::bad_request(
                            "sta.too_complex",
                            "this $expand needs too many queries; lower $top or expand less deeply",
                        ));
                    }
                    let listed = list(cx, nav.target, &scope, &e.options).await?;
                    let vals = render_rows(cx, nav.target, &listed.rows, &e.options, out).await?;
                    if let Some(n) = listed.count {
                        m.insert(format!("{}@iot.count", nav.name), json!(n));
                    }
                    if listed.more {
                        let next = next_link(&format!("{link}/{}", nav.name), &e.options.raw, &e.options, vals.len());
                        m.insert(format!("{}@iot.nextLink", nav.name), json!(next));
                    }
                    m.insert(nav.name.into(), Value::Array(vals));
                } else if let Some((tset, trow)) = nav_one(cx, row, nav.name).await? {
                    let vals = render_rows(cx, tset, std::slice::from_ref(&trow), &e.options, out).await?;
                    m.insert(nav.name.into(), vals.into_iter().next().unwrap_or(Value::Null));
                }
            }
            values.push(Value::Object(m));
        }
        Ok(values)
    })
}

/// `?$top=…&$skip=…` for the next page, keeping the other options.
pub fn next_link(path: &str, pairs: &[(String, String)], o: &Options, returned: usize) -> String {
    let top = o.top();
    let skip = o.skip + i64::try_from(returned).unwrap_or(top);
    let mut q: Vec<(String, String)> = pairs.iter().filter(|(k, _)| k != "$top" && k != "$skip").cloned().collect();
    q.push(("$top".into(), top.to_string()));
    q.push(("$skip".into(), skip.to_string()));
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~$(),;:/'=@*!".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    let query: Vec<String> = q.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v).replace('=', "%3D"))).collect();
    format!("{path}?{}", query.join("&"))
}

// ---- a whole GET ---------------------------------------------------------------------------------

/// What a GET path resolves to.
enum Cur {
    Coll(Set, Scope, String),
    Ent(Set, Row),
}

pub enum Tail {
    None,
    Ref,
    Property(String, bool),
}

/// The JSON body of a GET on `segs` (after the service root) with `o`; `pairs` are the
/// request's own query options (for `@iot.nextLink`). Returns the body or plain text.
pub async fn get(cx: &Cx, segs: &[Seg], o: &Options, pairs: &[(String, String)], out: &mut Out) -> Result<Answer> {
    let (cur, tail) = resolve(cx, segs).await?;
    match (cur, tail) {
        (Cur::Coll(set, scope, path), Tail::None) => {
            validate(set, o)?;
            let listed = list(cx, set, &scope, o).await?;
            let mut body = Map::new();
            if let Some(n) = listed.count {
                body.insert("@iot.count".into(), json!(n));
            }
            let values = if o.data_array {
                data_array(cx, &listed.rows, o, out)
            } else {
                render_rows(cx, set, &listed.rows, o, out).await?
            };
            if listed.more {
                body.insert("@iot.nextLink".into(), json!(next_link(&path, pairs, o, listed.rows.len())));
            }
            body.insert("value".into(), Value::Array(values));
            Ok(Answer::Json(Value::Object(body)))
        }
        (Cur::Coll(set, scope, path), Tail::Ref) => {
            let o2 = Options { select: Some(vec!["id".into()]), expand: vec![], ..o.clone() };
            validate(set, &o2)?;
            let listed = list(cx, set, &scope, &o2).await?;
            let mut body = Map::new();
            if let Some(n) = listed.count {
                body.insert("@iot.count".into(), json!(n));
            }
            let refs: Vec<Value> =
                listed.rows.iter().map(|r| json!({"@iot.selfLink": r.link(&cx.base, set)})).collect();
            if listed.more {
                body.insert("@iot.nextLink".into(), json!(next_link(&format!("{path}/$ref"), pairs, o, refs.len())));
            }
            body.insert("value".into(), Value::Array(refs));
            Ok(Answer::Json(Value::Object(body)))
        }
        (Cur::Ent(set, row), Tail::None) => {
            validate(set, o)?;
            let v = render_rows(cx, set, std::slice::from_ref(&row), o, out).await?;
            Ok(Answer::Json(v.into_iter().next().unwrap_or(Value::Null)))
        }
        (Cur::Ent(set, row), Tail::Ref) => Ok(Answer::Json(json!({"@iot.selfLink": row.link(&cx.base, set)}))),
        (Cur::Ent(set, row), Tail::Property(name, raw_value)) => {
            let mut m = props(set, &row, out);
            let v =
                if name == "id" || name == "@iot.id" { row.id_json() } else { m.remove(&name).unwrap_or(Value::Null) };
            if let (true, "result", Row::Obs(o)) = (raw_value, name.as_str(), &row) {
                return Ok(Answer::Text(o.value.clone()));
            }
            if raw_value {
                return Ok(match v {
                    Value::Null => Answer::NoContent,
                    Value::String(s) if s.starts_with(super::RAW_MARK) => Answer::Text(
                        s.trim_start_matches(super::RAW_MARK)
                            .parse::<usize>()
                            .ok()
                            .and_then(|i| out.raw.get(i).cloned())
                            .unwrap_or_default(),
                    ),
                    Value::String(s) => Answer::Text(s),
                    other => Answer::Text(other.to_string()),
                });
            }
            let mut body = Map::new();
            body.insert(name, v);
            Ok(Answer::Json(Value::Object(body)))
        }
        (Cur::Coll(..), Tail::Property(..)) => {
            Err(Error::bad_request("sta.invalid_path", "properties are addressed on single entities"))
        }
    }
}

pub enum Answer {
    Json(Value),
    Text(String),
    NoContent,
}

async fn resolve(cx: &Cx, segs: &[Seg]) -> Result<(Cur, Tail)> {
    let Some(first) = segs.first() else {
        return Err(Error::bad_request("sta.invalid_path", "empty path"));
    };
    let set = Set::parse(&first.name).ok_or_else(|| {
        Error::not_found("sta.unknown_resource", format!("{:?} is not an entity set of this service", first.name))
    })?;
    let mut path = format!("{}/{}", cx.base, set.name());
    let mut cur = match &first.key {
        Some(id) => Cur::Ent(set, entity(cx, set, id).await?.ok_or_else(|| not_found(set, id))?),
        None => Cur::Coll(set, Scope::default(), path.clone()),
    };
    let mut i = 1;
    while let Some(seg) = segs.get(i) {
        let last = i + 1 == segs.len();
        match seg.name.as_str() {
            "$ref" if last && seg.key.is_none() => return Ok((cur, Tail::Ref)),
            _ => {}
        }
        let Cur::Ent(set, row) = &cur else {
            return Err(Error::bad_request(
                "sta.invalid_path",
                format!("{:?} cannot follow a collection; address one entity by id first", seg.name),
            ));
        };
        let (set, row) = (*set, row.clone());
        path = format!("{}/{}", row.link(&cx.base, set), seg.name);
        if let Some(nav) = set.nav(&seg.name) {
            if nav.many {
                let scope = nav_scope(set, &row, nav.name)
                    .ok_or_else(|| Error::bad_request("sta.invalid_path", "unsupported navigation"))?;
                cur = match &seg.key {
                    Some(id) => {
                        let r = match entity(cx, nav.target, id).await? {
                            Some(r) if in_scope(cx, nav.target, &r, &scope).await? => r,
                            _ => return Err(not_found(nav.target, id)),
                        };
                        Cur::Ent(nav.target, r)
                    }
                    None => Cur::Coll(nav.target, scope, path.clone()),
                };
            } else {
                if seg.key.is_some() {
                    return Err(Error::bad_request("sta.invalid_path", format!("{} is a single entity", nav.name)));
                }
                let (tset, trow) = nav_one(cx, &row, nav.name).await?.ok_or_else(|| {
                    Error::not_found("sta.not_found", format!("{} of this entity does not exist", nav.name))
                })?;
                cur = Cur::Ent(tset, trow);
            }
        } else if set.properties().contains(&seg.name.as_str()) || seg.name == "id" {
            let value = match segs.get(i + 1) {
                None => false,
                Some(s) if s.name == "$value" && i + 2 == segs.len() => true,
                Some(s) => {
                    return Err(Error::bad_request(
                        "sta.invalid_path",
                        format!("{:?} cannot follow a property", s.name),
                    ))
                }
            };
            return Ok((cur, Tail::Property(seg.name.clone(), value)));
        } else {
            return Err(Error::not_found(
                "sta.unknown_resource",
                format!("{} has no property or navigation {:?}", set.name(), seg.name),
            ));
        }
        i += 1;
    }
    Ok((cur, Tail::None))
}

/// Resolves a path to a single entity (for writes).
pub async fn resolve_entity(cx: &Cx, segs: &[Seg]) -> Result<Option<(Set, Row)>> {
    match resolve(cx, segs).await? {
        (Cur::Ent(set, row), Tail::None) => Ok(Some((set, row))),
        _ => Ok(None),
    }
}

/// Resolves a path to a collection (for POST to `Datastreams('…')/Observations`).
pub async fn resolve_collection(cx: &Cx, segs: &[Seg]) -> Result<Option<(Set, Scope)>> {
    match resolve(cx, segs).await? {
        (Cur::Coll(set, scope, _), Tail::None) => Ok(Some((set, scope))),
        _ => Ok(None),
    }
}

const ARRAY_COMPONENTS: [&str; 7] =
    ["id", "phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters"];

/// `$resultFormat=dataArray`: observations grouped by datastream, one array per observation.
fn data_array(cx: &Cx, rows: &[Row], o: &Options, out: &mut Out) -> Vec<Value> {
    let components: Vec<String> = match &o.select {
        Some(sel) => sel
            .iter()
            .map(|s| if s == "@iot.id" { "id".to_owned() } else { s.clone() })
            .filter(|s| ARRAY_COMPONENTS.contains(&s.as_str()))
            .collect(),
        None => ARRAY_COMPONENTS.iter().map(|s| (*s).to_owned()).collect(),
    };
    let mut groups: Vec<(String, Vec<Value>)> = Vec::new();
    for row in rows {
        let (ds, m) = match row {
            Row::Obs(ob) => (
                model::self_link(&cx.base, Set::Datastreams, &format!("{}~{}~{}", ob.station_id, ob.factor, ob.period)),
                model::observation_entity(ob, &mut out.raw),
            ),
            Row::Native(n) => (
                model::native_link(&cx.base, Set::Datastreams, n.datastream.unwrap_or_default()),
                props(Set::Observations, row, out),
            ),
            _ => continue,
        };
        let line: Vec<Value> = components
            .iter()
            .map(|c| if c == "id" { row.id_json() } else { m.get(c).cloned().unwrap_or(Value::Null) })
            .collect();
        match groups.iter_mut().find(|(k, _)| *k == ds) {
            Some((_, v)) => v.push(Value::Array(line)),
            None => groups.push((ds, vec![Value::Array(line)])),
        }
    }
    groups
        .into_iter()
        .map(|(ds, lines)| {
            json!({
                "Datastream@iot.navigationLink": ds,
                "components": components,
                "dataArray@iot.count": lines.len(),
                "dataArray": lines,
            })
        })
        .collect()
}
