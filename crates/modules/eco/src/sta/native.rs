//! Creating, changing and deleting the SensorThings entities of partner sensor networks
//! (Sanjiangyuan's wireless sensors, research stations): Things, Locations,
//! HistoricalLocations, Sensors, ObservedProperties, Datastreams, FeaturesOfInterest and
//! their Observations, with deep insert and links by `@iot.id` (SensorThings 1.1 §10.2–10.4).
//!
//! They form a graph of their own beside the registry's stations (`store::sta_native`): a
//! Datastream created here belongs to a Thing, Sensor and ObservedProperty created here. Each
//! entity carries the region of the account that created it; changing it, deleting it,
//! linking to it or posting under it needs `eco.observations.write` in that region. Every
//! change of one request is one transaction.

use std::future::Future;
use std::pin::Pin;

use qy_kernel::{Error, Principal, Result};
use serde_json::{Map, Value};

use super::filter::parse_time;
use super::model::Set;
use super::read::native_id;
use super::write::OBSERVATIONS_WRITE;
use super::Cx;
use crate::store::sta_native::{self as store, Col, NRow, Tx};

fn invalid(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_entity", detail.into())
}

fn forbidden(region: &str) -> Error {
    Error::forbidden(
        "sta.forbidden",
        format!("changing this entity needs {OBSERVATIONS_WRITE} in region {region}, where it was created"),
    )
}

/// What a request writes with.
struct W<'a> {
    tx: Tx,
    p: &'a Principal,
    now: i64,
    /// The region new entities are recorded in: the creator's.
    region: String,
    /// Regions of entities already looked up in this request (a POSTed Observation's
    /// Datastream is checked for existence and for permission).
    seen: Vec<(Set, i64, String)>,
    /// Per Datastream: its Thing's first Location and the feature generated from it.
    features: Vec<(i64, store::SiteFeature)>,
    /// The Observations stored, as a read returns them (announced after the commit).
    observations: Vec<NRow>,
}

impl W<'_> {
    /// The region of an existing entity, `None` if there is none with that id.
    async fn region_of(&mut self, set: Set, id: i64) -> Result<Option<String>> {
        if let Some((_, _, r)) = self.seen.iter().find(|(s, i, _)| *s == set && *i == id) {
            return Ok(Some(r.clone()));
        }
        let r = if set == Set::Datastreams {
            // An Observation's Datastream: its feature comes in the same round trip.
            let ctx = store::datastream_context(&mut *self.tx, id).await?;
            ctx.map(|(region, feature)| {
                self.features.push((id, feature));
                region
            })
        } else {
            store::region_of(&mut self.tx, set, id).await?
        };
        if let Some(r) = &r {
            self.seen.push((set, id, r.clone()));
        }
        Ok(r)
    }

    /// May this caller add to or change something recorded in `region`?
    fn may(&self, region: &str) -> Result<()> {
        if self.p.can_in_region(OBSERVATIONS_WRITE, region) {
            Ok(())
        } else {
            Err(forbidden(region))
        }
    }
}

/// To-one navigation properties and the columns holding them.
const TO_ONE: [(&str, &str); 5] = [
    ("Thing", "thing_id"),
    ("Sensor", "sensor_id"),
    ("ObservedProperty", "observed_property_id"),
    ("Datastream", "datastream_id"),
    ("FeatureOfInterest", "feature_id"),
];

/// The navigation properties each set accepts in a body, and the sets they lead to.
fn nav_target(set: Set, name: &str) -> Option<(Set, bool)> {
    set.nav(name).map(|n| (n.target, n.many))
}

fn text(m: &Map<String, Value>, set: Set, key: &str) -> Result<String> {
    match m.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() && s.len() <= 10_000 => Ok(s.clone()),
        Some(Value::String(_)) => Err(invalid(format!("{}/{key} must not be empty (at most 10000 bytes)", set.name()))),
        None | Some(Value::Null) => Err(invalid(format!("{} needs {key}", one_name(set)))),
        Some(_) => Err(invalid(format!("{}/{key} must be a string", set.name()))),
    }
}

fn one_name(set: Set) -> &'static str {
    match set {
        Set::Things => "a Thing",
        Set::Locations => "a Location",
        Set::HistoricalLocations => "a HistoricalLocation",
        Set::Sensors => "a Sensor",
        Set::ObservedProperties => "an ObservedProperty",
        Set::Datastreams => "a Datastream",
        Set::FeaturesOfInterest => "a FeatureOfInterest",
        Set::Observations => "an Observation",
    }
}

/// A JSON value kept as JSON text (`properties`, `parameters`, `resultQuality`).
fn json_text(v: Option<&Value>, what: &str, object: bool) -> Result<Option<String>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(_)) => Ok(Some(v.map(Value::to_string).unwrap_or_default())),
        Some(other) if !object => Ok(Some(other.to_string())),
        Some(_) => Err(invalid(format!("{what} must be a JSON object"))),
    }
}

const GEOMETRIES: [&str; 9] = [
    "Point",
    "LineString",
    "Polygon",
    "MultiPoint",
    "MultiLineString",
    "MultiPolygon",
    "GeometryCollection",
    "Feature",
    "FeatureCollection",
];

/// A GeoJSON object (RFC 7946): its text, and its longitude and latitude when it is a point.
fn geojson(v: Option<&Value>, what: &str) -> Result<(String, Option<f64>, Option<f64>)> {
    let Some(Value::Object(g)) = v else {
        return Err(invalid(format!(
            "{what} must be a GeoJSON object such as {{\"type\": \"Point\", \"coordinates\": [101.78, 36.62]}}"
        )));
    };
    let kind = g.get("type").and_then(Value::as_str).unwrap_or("");
    if !GEOMETRIES.contains(&kind) {
        return Err(invalid(format!("{what} has GeoJSON type {kind:?}; expected one of {}", GEOMETRIES.join(", "))));
    }
    let geometry = if kind == "Feature" { g.get("geometry").and_then(Value::as_object) } else { Some(g) };
    let mut point = (None, None);
    if let Some(geom) = geometry {
        let gk = geom.get("type").and_then(Value::as_str).unwrap_or("");
        if gk != "GeometryCollection"
            && kind != "FeatureCollection"
            && !geom.get("coordinates").is_some_and(Value::is_array)
        {
            return Err(invalid(format!("{what} needs its coordinates array")));
        }
        if gk == "Point" {
            let c: Vec<f64> = geom
                .get("coordinates")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_f64).collect())
                .unwrap_or_default();
            match c.as_slice() {
                [x, y, ..] if (-180.0..=180.0).contains(x) && (-90.0..=90.0).contains(y) => {
                    point = (Some(*x), Some(*y))
                }
                _ => return Err(invalid(format!("{what} is a Point of [longitude, latitude] in degrees"))),
            }
        }
    }
    Ok((Value::Object(g.clone()).to_string(), point.0, point.1))
}

fn encoding(m: &Map<String, Value>, set: Set, geo: bool) -> Result<String> {
    let e = text(m, set, "encodingType")?;
    if geo && !matches!(e.as_str(), "application/geo+json" | "application/vnd.geo+json") {
        return Err(invalid(format!(
            "{}/encodingType is {e:?}; locations and features are GeoJSON: application/geo+json",
            set.name()
        )));
    }
    Ok(e)
}

/// An ISO 8601 instant or interval → (start, end); the end is `None` for an instant.
fn time_or_interval(v: &Value, what: &str) -> Result<(i64, Option<i64>)> {
    let Value::String(s) = v else {
        return Err(invalid(format!("{what} must be an ISO 8601 time or interval string")));
    };
    match s.split_once('/') {
        Some((a, b)) => match (parse_time(a), parse_time(b)) {
            (Some(a), Some(b)) if a <= b => Ok((a, Some(b))),
            _ => Err(invalid(format!("{what}: {s:?} is not an ISO 8601 interval start/end"))),
        },
        None => {
            parse_time(s).map(|t| (t, None)).ok_or_else(|| invalid(format!("{what}: {s:?} is not an ISO 8601 time")))
        }
    }
}

/// The column values of an entity's own properties, checked (links are separate).
fn columns(set: Set, m: &Map<String, Value>, now: i64) -> Result<Vec<(&'static str, Col)>> {
    let mut c: Vec<(&'static str, Col)> = Vec::new();
    if !matches!(set, Set::HistoricalLocations | Set::Observations) {
        c.push(("name", Col::Text(text(m, set, "name")?)));
        let desc = if set == Set::ObservedProperties {
            m.get("description").and_then(Value::as_str).unwrap_or("").to_owned()
        } else {
            text(m, set, "description")?
        };
        c.push(("description", Col::Text(desc)));
        c.push(("properties", Col::OptText(json_text(m.get("properties"), "properties", true)?)));
    }
    match set {
        Set::Things => {}
        Set::Locations | Set::FeaturesOfInterest => {
            c.push(("encoding_type", Col::Text(encoding(m, set, true)?)));
            let (key, col) = if set == Set::Locations { ("location", "location") } else { ("feature", "feature") };
            let (g, lon, lat) = geojson(m.get(key), &format!("{}/{key}", set.name()))?;
            c.push((col, Col::Text(g)));
            c.push(("lon", Col::OptReal(lon)));
            c.push(("lat", Col::OptReal(lat)));
        }
        Set::HistoricalLocations => {
            let (t, _) = time_or_interval(m.get("time").unwrap_or(&Value::Null), "HistoricalLocation/time")?;
            c.push(("time_ms", Col::Int(t)));
        }
        Set::Sensors => {
            c.push(("encoding_type", Col::Text(encoding(m, set, false)?)));
            c.push(("metadata", Col::Text(text(m, set, "metadata")?)));
        }
        Set::ObservedProperties => {
            c.push(("definition", Col::Text(text(m, set, "definition")?)));
        }
        Set::Datastreams => {
            let Some(Value::Object(u)) = m.get("unitOfMeasurement") else {
                return Err(invalid("a Datastream needs unitOfMeasurement {name, symbol, definition}"));
            };
            for (k, col) in [("name", "unit_name"), ("symbol", "unit_symbol"), ("definition", "unit_definition")] {
                let v = match u.get(k) {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return Err(invalid(format!("unitOfMeasurement/{k} must be a string or null"))),
                };
                c.push((col, Col::OptText(v)));
            }
            c.push(("observation_type", Col::Text(text(m, set, "observationType")?)));
            let area = match m.get("observedArea") {
                None | Some(Value::Null) => None,
                v => Some(geojson(v, "Datastream/observedArea")?.0),
            };
            c.push(("observed_area", Col::OptText(area)));
        }
        Set::Observations => {
            let (start, end) = match m.get("phenomenonTime") {
                None | Some(Value::Null) => (now, None),
                Some(v) => time_or_interval(v, "phenomenonTime")?,
            };
            c.push(("phenomenon_start", Col::Int(start)));
            c.push(("phenomenon_end", Col::OptInt(end)));
            let Some(result) = m.get("result") else { return Err(invalid("an Observation needs its result")) };
            let (num, txt) = match result {
                Value::Number(n) => (n.as_f64(), Some(n.to_string())),
                Value::String(s) => (None, Some(s.clone())),
                Value::Bool(b) => (None, Some(b.to_string())),
                Value::Null => (None, None),
                other => (None, Some(other.to_string())),
            };
            c.push(("result", Col::Text(result.to_string())));
            c.push(("result_num", Col::OptReal(num.filter(|f| f.is_finite()))));
            c.push(("result_text", Col::OptText(txt)));
            let rt = match m.get("resultTime") {
                None | Some(Value::Null) => None,
                Some(v) => match time_or_interval(v, "resultTime")? {
                    (t, None) => Some(t),
                    _ => return Err(invalid("resultTime is an instant")),
                },
            };
            c.push(("result_time", Col::OptInt(rt)));
            c.push(("result_quality", Col::OptText(json_text(m.get("resultQuality"), "resultQuality", false)?)));
            let (vs, ve) = match m.get("validTime") {
                None | Some(Value::Null) => (None, None),
                Some(v) => match time_or_interval(v, "validTime")? {
                    (s, Some(e)) => (Some(s), Some(e)),
                    _ => return Err(invalid("validTime is an interval start/end")),
                },
            };
            c.push(("valid_start", Col::OptInt(vs)));
            c.push(("valid_end", Col::OptInt(ve)));
            c.push(("parameters", Col::OptText(json_text(m.get("parameters"), "parameters", true)?)));
        }
    }
    Ok(c)
}

/// Refuses properties the entity does not have.
fn check_keys(set: Set, m: &Map<String, Value>) -> Result<()> {
    for k in m.keys() {
        let base = k.strip_suffix("@iot.id").unwrap_or(k);
        let ok = set.properties().contains(&k.as_str())
            || nav_target(set, base).is_some()
            || k.ends_with("@iot.navigationLink")
            || k == "@iot.selfLink";
        if k == "@iot.id" {
            return Err(invalid("ids are given by the service; leave @iot.id out of a new entity"));
        }
        if !ok {
            return Err(invalid(format!("{} has no property {k:?}", set.name())));
        }
    }
    Ok(())
}

/// A reference `{"@iot.id": …}` (or `Nav@iot.id`) to an existing entity created through the API.
fn reference(v: &Value) -> Option<std::result::Result<i64, String>> {
    let id = match v {
        Value::Object(o) => o.get("@iot.id")?,
        other => other,
    };
    let text = match id {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        _ => return Some(Err("@iot.id must be a number or a string".into())),
    };
    Some(native_id(&text).ok_or(text))
}

type Fut<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;

/// An existing entity linked by id, or a new one created from the object.
fn link_or_create<'a>(w: &'a mut W<'_>, set: Set, v: &'a Value, implied: Vec<(&'static str, i64)>) -> Fut<'a, i64> {
    Box::pin(async move {
        // An object with an id links that entity (its other members, as clients send back a
        // whole entity they read, are not applied).
        if let Some(r) = reference(v) {
            return match r {
                // Linking is writing to what is linked (its cascades reach the new entity):
                // it needs the permission in the linked entity's region.
                Ok(id) => match w.region_of(set, id).await? {
                    Some(region) => w.may(&region).map(|_| id),
                    None => {
                        Err(Error::bad_request("sta.unknown_link", format!("no {} with id {id} to link", set.name())))
                    }
                },
                Err(id) => Err(Error::bad_request(
                    "sta.unknown_link",
                    format!(
                        "{} {id:?} is backed by the station registry; entities created through SensorThings link \
                         only other such entities (numeric ids)",
                        set.name()
                    ),
                )),
            };
        }
        let Value::Object(m) = v else { return Err(invalid(format!("{} must be a JSON object", one_name(set)))) };
        create_entity(w, set, m, implied).await
    })
}

/// The id of a to-one link in a body (`Thing: {…}` or `Thing@iot.id`), created if new.
async fn to_one(w: &mut W<'_>, set: Set, m: &Map<String, Value>, nav: &'static str) -> Result<Option<i64>> {
    let (target, _) = nav_target(set, nav).ok_or_else(|| Error::internal("unknown navigation"))?;
    if let Some(v) = m.get(&format!("{nav}@iot.id")) {
        return link_or_create(w, target, v, vec![]).await.map(Some);
    }
    match m.get(nav) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => link_or_create(w, target, v, vec![]).await.map(Some),
    }
}

fn array<'m>(m: &'m Map<String, Value>, nav: &str) -> Result<&'m [Value]> {
    match m.get(nav) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(invalid(format!("{nav} must be an array"))),
    }
}

/// The FeatureOfInterest of an Observation posted without one: the one generated from its
/// Thing's Location, generated now if need be (SensorThings 1.1 §10.2.1.1).
async fn feature_from_thing(w: &mut W<'_>, datastream: i64) -> Result<i64> {
    if !w.features.iter().any(|(d, _)| *d == datastream) {
        w.region_of(Set::Datastreams, datastream).await?;
    }
    let known = w.features.iter().find(|(d, _)| *d == datastream).and_then(|(_, f)| *f);
    let location = match known {
        Some((_, Some(feature))) => return Ok(feature),
        Some((location, None)) => location,
        None => {
            return Err(Error::bad_request(
                "sta.missing_feature",
                "the Observation has no FeatureOfInterest and its Thing has no Location to derive one from",
            ))
        }
    };
    let (name, description, encoding, geo) = store::location_parts(&mut w.tx, location).await?.ok_or_else(|| {
        Error::conflict("sta.conflict", "the Thing's Location was deleted meanwhile; send the Observation again")
    })?;
    // Recorded in the Datastream's region, where the next Observations look for it.
    let region = w.region_of(Set::Datastreams, datastream).await?.unwrap_or_else(|| w.region.clone());
    let (g, lon, lat) = geojson(serde_json::from_str::<Value>(&geo).ok().as_ref(), "Location/location")?;
    let feature = store::insert(
        &mut w.tx,
        Set::FeaturesOfInterest,
        &[
            ("name", Col::Text(name)),
            ("description", Col::Text(description)),
            ("encoding_type", Col::Text(encoding)),
            ("feature", Col::Text(g)),
            ("lon", Col::OptReal(lon)),
            ("lat", Col::OptReal(lat)),
            ("location_id", Col::OptInt(Some(location))),
            ("region_code", Col::Text(region)),
            ("created_at", Col::Int(w.now)),
        ],
    )
    .await?;
    // The next Observations of this request (a deep insert, a data array) reuse it.
    for (_, f) in w.features.iter_mut().filter(|(_, f)| f.is_some_and(|(l, _)| l == location)) {
        *f = Some((location, Some(feature)));
    }
    Ok(feature)
}

/// The region of the Thing an entity adds to (a Datastream's, an Observation's).
async fn thing_region(w: &mut W<'_>, set: Set, id: i64) -> Result<String> {
    w.region_of(set, id).await?.ok_or_else(|| invalid(format!("no {} {id}", set.name())))
}

/// Creates one entity and what it carries inline; `implied` links come from the path or the
/// enclosing entity (`("Thing", 7)`).
fn create_entity<'a>(
    w: &'a mut W<'_>,
    set: Set,
    m: &'a Map<String, Value>,
    implied: Vec<(&'static str, i64)>,
) -> Fut<'a, i64> {
    Box::pin(async move {
        check_keys(set, m)?;
        let mut cols = columns(set, m, w.now)?;
        let implied_of = |nav: &str| implied.iter().find(|(n, _)| *n == nav).map(|(_, id)| *id);
        // To-one links first: the row needs them.
        let mut links: Vec<(&'static str, i64)> = Vec::new();
        for (nav, col) in TO_ONE {
            if set.nav(nav).is_none() {
                continue;
            }
            let id = match (implied_of(nav), to_one(w, set, m, nav).await?) {
                (Some(a), Some(b)) if a != b => {
                    return Err(invalid(format!("the {nav} in the body differs from the one in the path")))
                }
                (Some(a), _) | (None, Some(a)) => a,
                (None, None) if nav == "FeatureOfInterest" => {
                    let ds = links.iter().find(|(n, _)| *n == "datastream_id").map(|(_, i)| *i).unwrap_or_default();
                    feature_from_thing(w, ds).await?
                }
                (None, None) => return Err(invalid(format!("{} needs its {nav}", one_name(set)))),
            };
            links.push((col, id));
        }
        // Adding to a Thing (directly or through its Datastream) is writing to it.
        if let Some((_, t)) = links.iter().find(|(c, _)| *c == "thing_id") {
            let r = thing_region(w, Set::Things, *t).await?;
            w.may(&r)?;
        }
        if let Some((_, d)) = links.iter().find(|(c, _)| *c == "datastream_id") {
            let r = thing_region(w, Set::Datastreams, *d).await?;
            w.may(&r)?;
        }
        for (col, id) in &links {
            cols.push((col, Col::Int(*id)));
        }
        cols.push(("region_code", Col::Text(w.region.clone())));
        if set != Set::HistoricalLocations {
            cols.push(("created_at", Col::Int(w.now)));
        }
        let id = if set == Set::Observations {
            let row = store::insert_returning(&mut *w.tx, set, &cols).await?;
            let id = row.id;
            w.observations.push(row);
            id
        } else {
            store::insert(&mut w.tx, set, &cols).await?
        };
        // To-many links and inline children.
        match set {
            Set::Things => {
                // Posted under a Location (`/Locations(3)/Things`): that one is its Location.
                let mut locations: Vec<i64> = implied_of("Locations").into_iter().collect();
                for l in array(m, "Locations")? {
                    locations.push(link_or_create(w, Set::Locations, l, vec![]).await?);
                }
                for l in &locations {
                    store::link_thing_location(&mut w.tx, id, *l).await?;
                }
                if !locations.is_empty() {
                    let region = w.region.clone();
                    store::add_historical_location(&mut w.tx, id, &locations, w.now, &region).await?;
                }
                for h in array(m, "HistoricalLocations")? {
                    link_or_create(w, Set::HistoricalLocations, h, vec![("Thing", id)]).await?;
                }
                for d in array(m, "Datastreams")? {
                    link_or_create(w, Set::Datastreams, d, vec![("Thing", id)]).await?;
                }
            }
            Set::Locations => {
                let mut things: Vec<i64> = implied_of("Things").into_iter().collect();
                for t in array(m, "Things")? {
                    things.push(link_or_create(w, Set::Things, t, vec![]).await?);
                }
                for t in things {
                    let r = thing_region(w, Set::Things, t).await?;
                    w.may(&r)?;
                    store::clear_thing_locations(&mut w.tx, t).await?;
                    store::link_thing_location(&mut w.tx, t, id).await?;
                    let region = w.region.clone();
                    store::add_historical_location(&mut w.tx, t, &[id], w.now, &region).await?;
                }
                if !array(m, "HistoricalLocations")?.is_empty() {
                    return Err(invalid("HistoricalLocations are recorded when a Thing's Locations change"));
                }
                // Posted under a HistoricalLocation (`/HistoricalLocations(4)/Locations`).
                if let Some(h) = implied_of("HistoricalLocations") {
                    let r = thing_region(w, Set::HistoricalLocations, h).await?;
                    w.may(&r)?;
                    store::link_historical_location(&mut w.tx, h, id).await?;
                }
            }
            Set::HistoricalLocations => {
                if let Some(l) = implied_of("Locations") {
                    store::link_historical_location(&mut w.tx, id, l).await?;
                }
                for l in array(m, "Locations")? {
                    let loc = link_or_create(w, Set::Locations, l, vec![]).await?;
                    store::link_historical_location(&mut w.tx, id, loc).await?;
                }
            }
            Set::Sensors | Set::ObservedProperties => {
                let nav = if set == Set::Sensors { "Sensor" } else { "ObservedProperty" };
                for d in array(m, "Datastreams")? {
                    link_or_create(w, Set::Datastreams, d, vec![(nav, id)]).await?;
                }
            }
            Set::Datastreams => {
                for o in array(m, "Observations")? {
                    link_or_create(w, Set::Observations, o, vec![("Datastream", id)]).await?;
                }
            }
            Set::FeaturesOfInterest => {
                for o in array(m, "Observations")? {
                    link_or_create(w, Set::Observations, o, vec![("FeatureOfInterest", id)]).await?;
                }
            }
            Set::Observations => {}
        }
        Ok(id)
    })
}

async fn writer<'a>(cx: &Cx, p: &'a Principal) -> Result<W<'a>> {
    if !p.can(OBSERVATIONS_WRITE) {
        return Err(Error::forbidden(
            "sta.forbidden",
            format!("creating SensorThings entities needs {OBSERVATIONS_WRITE}"),
        ));
    }
    Ok(W {
        tx: store::begin(&cx.db).await?,
        p,
        now: cx.now,
        region: p.scope.root().to_owned(),
        seen: Vec::new(),
        features: Vec::new(),
        observations: Vec::new(),
    })
}

/// The common case of a partner POST, an Observation of an existing Datastream whose Thing's
/// feature already exists, in one statement: an `INSERT … SELECT … RETURNING` that finds the
/// Datastream inside the caller's region and its generated feature (a trigger widens the
/// Datastream's spans in the same statement). `None` when it inserted nothing (no such
/// Datastream, another region, no feature yet) or the body needs more (a feature to link,
/// inline entities): the general path then answers, with the right error where there is one.
pub async fn create_observation(cx: &Cx, p: &Principal, datastream: i64, body: &Value) -> Result<Option<NRow>> {
    let Value::Object(m) = body else { return Ok(None) };
    let plain = m.keys().all(|k| Set::Observations.properties().contains(&k.as_str()) || k.starts_with("Datastream"));
    if !plain || !p.can(OBSERVATIONS_WRITE) {
        return Ok(None);
    }
    let mut cols = columns(Set::Observations, m, cx.now)?;
    cols.extend([("region_code", Col::Text(p.scope.root().to_owned())), ("created_at", Col::Int(cx.now))]);
    let stored = store::insert_observation_of(&cx.db, datastream, &p.scope.like_pattern(), &cols).await?;
    if let Some(row) = &stored {
        cx.ingest.announce_partner(vec![row.clone()]);
    }
    Ok(stored)
}

/// POST of a new entity (with what it carries inline), to `/Set` or to a navigation
/// collection of an entity created through the API (`/Things(3)/Datastreams`). Returns its id,
/// and for an Observation the stored row.
pub async fn create(
    cx: &Cx,
    p: &Principal,
    set: Set,
    parent: Option<(Set, i64, &str)>,
    body: &Value,
) -> Result<(i64, Option<NRow>)> {
    let Value::Object(m) = body else { return Err(invalid(format!("{} is a JSON object", one_name(set)))) };
    let implied =
        match parent {
            None => vec![],
            Some((pset, pid, nav)) => {
                // The link the child carries back to its parent (a Datastream's Thing, …).
                let back =
                    set.navs().iter().find(|n| n.target == pset).map(|n| n.name).ok_or_else(|| {
                        invalid(format!("{} cannot be created under {}/{nav}", set.name(), pset.name()))
                    })?;
                vec![(back, pid)]
            }
        };
    let mut w = writer(cx, p).await?;
    // Adding to an entity (`/Sensors(2)/Datastreams`) is writing to it.
    if let Some((pset, pid, _)) = parent {
        let region = w.region_of(pset, pid).await?.ok_or_else(|| super::read::not_found(pset, &pid.to_string()))?;
        w.may(&region)?;
    }
    let id = create_entity(&mut w, set, m, implied).await?;
    w.tx.commit().await.map_err(qy_storage::db_err)?;
    let answer = w.observations.iter().find(|o| set == Set::Observations && o.id == id).cloned();
    cx.ingest.announce_partner(w.observations);
    Ok((id, answer))
}

/// Checks a `CreateObservations` group for a partner Datastream before anything of the
/// request is stored: its shape, that the Datastream exists, and that the caller may write it.
pub async fn check_array(cx: &Cx, p: &Principal, datastream: i64, group: &Value) -> Result<()> {
    array_components(group)?;
    if !matches!(group.get("dataArray"), Some(Value::Array(_))) {
        return Err(invalid("each item needs a dataArray of arrays"));
    }
    let region = match store::datastream_context(cx.db.pool(), datastream).await? {
        Some((region, _)) => region,
        None => {
            return Err(Error::bad_request(
                "sta.unknown_link",
                format!("no Datastreams with id {datastream} to add observations to"),
            ))
        }
    };
    if p.can_in_region(OBSERVATIONS_WRITE, &region) {
        Ok(())
    } else {
        Err(forbidden(&region))
    }
}

/// The components of a `CreateObservations` group, checked.
fn array_components(group: &Value) -> Result<Vec<&str>> {
    let components: Vec<&str> = match group.get("components") {
        Some(Value::Array(c)) => c.iter().map(|v| v.as_str().unwrap_or("")).collect(),
        _ => return Err(invalid("each item needs components: [\"phenomenonTime\", \"result\", …]")),
    };
    const COMPONENTS: [&str; 7] =
        ["phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters", "FeatureOfInterest/id"];
    if let Some(c) = components.iter().find(|c| !COMPONENTS.contains(c)) {
        return Err(invalid(format!("unsupported component {c:?}; use {}", COMPONENTS.join(", "))));
    }
    Ok(components)
}

/// One `CreateObservations` group for a Datastream created through the API: each row is
/// stored on its own, and answered with its self link or `error: …` (§14.3.2).
pub async fn create_array(cx: &Cx, p: &Principal, datastream: i64, group: &Value) -> Result<Vec<Value>> {
    let components = array_components(group)?;
    let Some(Value::Array(rows)) = group.get("dataArray") else {
        return Err(invalid("each item needs a dataArray of arrays"));
    };
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let Value::Array(vals) = row else {
            out.push(Value::String("error: a dataArray row must be an array".into()));
            continue;
        };
        if vals.len() != components.len() {
            out.push(Value::String(format!("error: {} values for {} components", vals.len(), components.len())));
            continue;
        }
        let mut m = Map::new();
        for (c, v) in components.iter().zip(vals) {
            match *c {
                "FeatureOfInterest/id" if !v.is_null() => {
                    m.insert("FeatureOfInterest".into(), serde_json::json!({"@iot.id": v}));
                }
                "FeatureOfInterest/id" => {}
                c => {
                    m.insert(c.to_owned(), v.clone());
                }
            }
        }
        let answer = match create(
            cx,
            p,
            Set::Observations,
            Some((Set::Datastreams, datastream, "Observations")),
            &Value::Object(m),
        )
        .await
        {
            Ok((id, _)) => Value::String(super::model::native_link(&cx.base, Set::Observations, id)),
            Err(e) if e.kind == qy_kernel::ErrorKind::Forbidden => return Err(e),
            Err(e) => Value::String(format!("error: {}", e.detail)),
        };
        out.push(answer);
    }
    Ok(out)
}

/// RFC 6902 JSON Patch on an entity's JSON (add, replace, remove, test; object members and
/// array indexes).
fn apply_patch(doc: &mut Value, ops: &Value) -> Result<()> {
    let Value::Array(ops) = ops else { return Err(invalid("a JSON Patch is an array of operations")) };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let parts: Vec<String> = path.split('/').skip(1).map(|p| p.replace("~1", "/").replace("~0", "~")).collect();
        let Some((last, parents)) = parts.split_last() else {
            return Err(invalid("a JSON Patch path points into the entity: /properties/owner"));
        };
        let mut node = &mut *doc;
        for p in parents {
            node = match node {
                Value::Object(o) => o.entry(p.clone()).or_insert_with(|| Value::Object(Map::new())),
                Value::Array(a) => {
                    let i: usize = p.parse().map_err(|_| invalid(format!("{path}: {p:?} is not an array index")))?;
                    a.get_mut(i).ok_or_else(|| invalid(format!("{path}: no element {i}")))?
                }
                _ => return Err(invalid(format!("{path} does not exist"))),
            };
        }
        let value = op.get("value").cloned();
        match (kind, node) {
            ("add" | "replace", Value::Object(o)) => {
                o.insert(last.clone(), value.ok_or_else(|| invalid(format!("{kind} {path} needs a value")))?);
            }
            ("add" | "replace", Value::Array(a)) => {
                let v = value.ok_or_else(|| invalid(format!("{kind} {path} needs a value")))?;
                match (last.as_str(), last.parse::<usize>()) {
                    ("-", _) => a.push(v),
                    (_, Ok(i)) if kind == "add" && i <= a.len() => a.insert(i, v),
                    (_, Ok(i)) if i < a.len() => a[i] = v,
                    _ => return Err(invalid(format!("{path}: no such array position"))),
                }
            }
            ("remove", Value::Object(o)) => {
                o.remove(last).ok_or_else(|| invalid(format!("{path} does not exist")))?;
            }
            ("remove", Value::Array(a)) => match last.parse::<usize>() {
                Ok(i) if i < a.len() => {
                    a.remove(i);
                }
                _ => return Err(invalid(format!("{path}: no such array position"))),
            },
            ("test", Value::Object(o)) => {
                if o.get(last) != value.as_ref() {
                    return Err(Error::conflict("sta.patch_test_failed", format!("JSON Patch test of {path} failed")));
                }
            }
            _ => return Err(invalid(format!("JSON Patch operation {kind:?} on {path} is not supported"))),
        }
    }
    Ok(())
}

/// PATCH (JSON merge, or JSON Patch), or PUT, of an entity created through the API. Links
/// may change too (a Datastream's Thing, Sensor or ObservedProperty; an Observation's
/// Datastream or FeatureOfInterest; a Thing's Locations, recorded as a HistoricalLocation).
pub async fn update(
    cx: &Cx,
    p: &Principal,
    set: Set,
    row: &NRow,
    body: &Value,
    json_patch: bool,
    put: bool,
) -> Result<()> {
    let mut w = writer(cx, p).await?;
    // Merged onto the row as it is now, locked: a concurrent change is not overwritten.
    let current = store::locked(&mut w.tx, cx.db.dialect(), set, row.id).await?;
    let row = &current.ok_or_else(|| super::read::not_found(set, &row.id.to_string()))?;
    w.may(&row.region_code)?;
    let mut doc = Value::Object(row.props.clone());
    let changes = if json_patch {
        apply_patch(&mut doc, body)?;
        doc.as_object().cloned().unwrap_or_default()
    } else {
        let Value::Object(b) = body else { return Err(invalid(format!("{} is a JSON object", one_name(set)))) };
        let mut b = b.clone();
        // Clients send back what they read: the entity's own id may come along, another may not.
        if let Some(given) = b.remove("@iot.id") {
            if reference(&given).and_then(|r| r.ok()) != Some(row.id) {
                return Err(invalid("@iot.id cannot change"));
            }
        }
        check_keys(set, &b)?;
        let mut merged = if put { Map::new() } else { row.props.clone() };
        for (k, v) in b {
            merged.insert(k, v);
        }
        merged
    };
    // Computed properties (a Datastream's times) are not stored.
    let mut own = changes.clone();
    if set == Set::Datastreams {
        own.remove("phenomenonTime");
        own.remove("resultTime");
    }
    if set == Set::Observations && !put && !changes.contains_key("phenomenonTime") {
        own.insert("phenomenonTime".into(), row.props.get("phenomenonTime").cloned().unwrap_or(Value::Null));
    }
    let mut cols = columns(set, &own, cx.now)?;
    if set == Set::Observations && own.get("result") == row.props.get("result") {
        // Unchanged: keep the stored text (exact beyond what a double holds).
        cols.retain(|(c, _)| !c.starts_with("result") || *c == "result_time" || *c == "result_quality");
    }
    store::update(&mut w.tx, set, row.id, &cols).await?;
    for (nav, col) in TO_ONE {
        if set.nav(nav).is_none() {
            continue;
        }
        if let Some(id) = to_one(&mut w, set, &changes, nav).await? {
            if matches!(nav, "Thing" | "Datastream") {
                let r = thing_region(&mut w, if nav == "Thing" { Set::Things } else { Set::Datastreams }, id).await?;
                w.may(&r)?;
            }
            store::update(&mut w.tx, set, row.id, &[(col, Col::Int(id))]).await?;
        }
    }
    if set == Set::Observations {
        // Its times or its Datastream may have changed: both Datastreams' spans follow.
        let now_in = store::observation_datastream(&mut w.tx, row.id).await?;
        let touched: Vec<i64> = row.datastream.into_iter().chain(now_in).collect();
        store::recompute_datastream_times(&mut w.tx, &touched).await?;
    }
    if set == Set::Things && changes.contains_key("Locations") {
        let mut locations = Vec::new();
        for l in array(&changes, "Locations")? {
            locations.push(link_or_create(&mut w, Set::Locations, l, vec![]).await?);
        }
        store::clear_thing_locations(&mut w.tx, row.id).await?;
        for l in &locations {
            store::link_thing_location(&mut w.tx, row.id, *l).await?;
        }
        let region = w.region.clone();
        store::add_historical_location(&mut w.tx, row.id, &locations, cx.now, &region).await?;
    }
    w.tx.commit().await.map_err(qy_storage::db_err)?;
    Ok(())
}

/// DELETE of an entity created through the API, with what the standard deletes with it.
pub async fn delete(cx: &Cx, p: &Principal, set: Set, row: &NRow) -> Result<()> {
    let mut w = writer(cx, p).await?;
    w.may(&row.region_code)?;
    store::delete(&mut w.tx, set, row.id).await?;
    w.tx.commit().await.map_err(qy_storage::db_err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn geojson_points_and_shapes() {
        let (_, x, y) =
            geojson(Some(&json!({"type": "Point", "coordinates": [101.78, 36.62]})), "l").unwrap_or_default();
        assert_eq!((x, y), (Some(101.78), Some(36.62)));
        let poly = json!({"type": "Polygon", "coordinates": [[[100, 36], [101, 36], [101, 37], [100, 36]]]});
        assert_eq!(geojson(Some(&poly), "l").map(|g| g.1).ok(), Some(None));
        for bad in [json!("POINT(1 2)"), json!({"type": "Circle"}), json!({"type": "Point", "coordinates": [200, 1]})] {
            assert!(geojson(Some(&bad), "l").is_err(), "{bad}");
        }
    }

    #[test]
    fn json_patch_edits_members_and_tests() {
        let mut doc = json!({"name": "a", "properties": {"owner": "x", "tags": [1]}});
        let ops = json!([
            {"op": "replace", "path": "/name", "value": "b"},
            {"op": "add", "path": "/properties/tags/-", "value": 2},
            {"op": "remove", "path": "/properties/owner"},
            {"op": "test", "path": "/name", "value": "b"}
        ]);
        assert!(apply_patch(&mut doc, &ops).is_ok());
        assert_eq!(doc, json!({"name": "b", "properties": {"tags": [1, 2]}}));
        let failed = apply_patch(&mut doc, &json!([{"op": "test", "path": "/name", "value": "z"}]));
        assert_eq!(failed.err().map(|e| e.code.into_owned()), Some("sta.patch_test_failed".to_owned()));
    }
}
