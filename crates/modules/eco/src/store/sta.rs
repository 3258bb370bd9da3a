//! SQL of the SensorThings API (`crate::sta`): entity-set queries and the translation of
//! `$filter`/`$orderby` expressions into parameterised SQL (`$N` parameters through
//! [`Params`]) that both SQLite and PostgreSQL run.
//!
//! Entity sets and their tables: Things, Locations, HistoricalLocations and
//! FeaturesOfInterest are `eco_station` rows (`s`); Datastreams are `eco_latest` rows (`l`,
//! one per station × factor × period that has data) joined to their station; Observations
//! are `eco_observation` rows (`o`); Sensors (station kinds) and ObservedProperties (factor
//! codes) are fixed lists, queried as a `VALUES` table `k(id)` whose properties are `CASE`
//! expressions over the list. Expressions that cannot be translated are refused with a 400
//! problem (`sta.unsupported_filter`, `sta.unknown_property`), never run.

use qy_kernel::{Error, Result};
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Dialect, Params, Row, StoreResultExt};

use super::station_of;
use crate::domain::station::Station;
use crate::sta::filter::{BinOp, Expr, Func, Geometry, Lit};
use crate::sta::model::{self, DsKey, ObsKey, Set};

// ---- rows ---------------------------------------------------------------------------------

/// A datastream: its station, factor and period, and the span of its data.
#[derive(Debug, Clone)]
pub struct DsRow {
    pub station: Station,
    pub factor: String,
    pub period: String,
    /// Start of the oldest observation (epoch ms), when asked for.
    pub first_ms: Option<i64>,
    /// Start of the newest observation.
    pub last_ms: i64,
}

/// An observation row.
#[derive(Debug, Clone)]
pub struct ObsRow {
    pub station_id: String,
    pub factor: String,
    pub period: String,
    pub time_ms: i64,
    pub value: String,
    pub min: Option<String>,
    pub max: Option<String>,
    pub flag: String,
    pub received_at: i64,
}

/// Equality constraints from the resource path (`Things('x')/Datastreams` …).
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub station_id: Option<String>,
    pub kind: Option<String>,
    pub factor: Option<String>,
    pub period: Option<String>,
    pub time_ms: Option<i64>,
    /// Entities created through the API, reached from one of them.
    pub native: Option<super::sta_native::NScope>,
}

impl Scope {
    /// A top-level collection: registry-backed and API-created entities together.
    pub fn is_top(&self) -> bool {
        self.station_id.is_none()
            && self.kind.is_none()
            && self.factor.is_none()
            && self.period.is_none()
            && self.time_ms.is_none()
            && self.native.is_none()
    }
}

/// Does the registry back any entity of this set (else a listing needs no UNION)?
pub async fn registry_any(db: &Db, set: Set) -> Result<bool> {
    let table = match set {
        Set::Sensors | Set::ObservedProperties => return Ok(true),
        Set::Datastreams => "eco_latest",
        Set::Observations => "eco_observation",
        _ => "eco_station",
    };
    let sql = format!("SELECT 1 FROM {table} LIMIT 1");
    Ok(query(&sql).fetch_optional(db.pool()).await.store()?.is_some())
}

/// Filter, order and page of one collection request.
#[derive(Debug, Clone)]
pub struct Page<'a> {
    pub filter: Option<&'a Expr>,
    pub order: &'a [(Expr, bool)],
    /// Rows wanted; one more is fetched to tell whether a next page exists.
    pub top: i64,
    pub skip: i64,
    pub count: bool,
    pub now_ms: i64,
}

pub struct Listed<T> {
    pub rows: Vec<T>,
    pub more: bool,
    pub count: Option<i64>,
}

// ---- the translation ------------------------------------------------------------------------

/// A translated expression and its type.
#[derive(Debug, Clone)]
pub(super) enum V {
    Num(String),
    Str(String),
    Bool(String),
    Time(String),
    /// start, end (end = start for instants).
    Interval(String, String),
    /// longitude, latitude.
    Point(String, String),
    Geo(Geometry),
    /// A result: its number and its exact text.
    Result(String, String),
    /// A composite id: its columns (the last may be numeric).
    Key(Vec<String>, bool),
    Duration(i64),
    /// A string literal compared with a composite id (not bound: split into its parts).
    KeyText(String),
    Null,
}

pub(super) fn unsupported(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.unsupported_filter", detail.into())
}

pub(super) fn unknown(set: &str, path: &[String]) -> Error {
    Error::bad_request("sta.unknown_property", format!("{set} has no property {:?} in this mapping", path.join("/")))
}

pub(super) fn type_error(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_filter", detail.into())
}

/// Where an entity's columns are in the current query.
#[derive(Debug, Clone, Copy)]
pub(super) enum Ctx {
    Thing,
    Location,
    Historical,
    Foi,
    /// Datastream columns (station, factor, period) and whether `l` (eco_latest) is joined.
    Datastream(&'static str, &'static str, &'static str, bool),
    Observation,
    Sensor(&'static str),
    ObservedProperty(&'static str),
    /// An entity created through the API (`sta_*` tables, see `sta_native`), aliased `n`.
    Native(Set),
}

pub(super) struct Compiler {
    pub(super) p: Params,
    pub(super) dialect: Dialect,
    now_ms: i64,
    /// The query needs `eco_station s` joined (observations only).
    station: bool,
}

impl Compiler {
    pub(super) fn new(dialect: Dialect, now_ms: i64) -> Self {
        Self { p: Params::new(), dialect, now_ms, station: false }
    }

    pub(super) fn text(&mut self, s: &str) -> String {
        self.p.push(s)
    }

    pub(super) fn int(&mut self, i: i64) -> String {
        self.p.push(i)
    }

    fn double(&self) -> &'static str {
        "DOUBLE PRECISION"
    }

    fn case_over(&mut self, key: &str, entries: Vec<(String, Option<String>)>, default: Option<String>) -> String {
        let mut sql = format!("(CASE {key}");
        for (k, v) in entries {
            let k = self.text(&k);
            let v = match v {
                Some(v) => self.text(&v),
                None => "NULL".to_owned(),
            };
            sql.push_str(&format!(" WHEN {k} THEN {v}"));
        }
        sql.push_str(&format!(" ELSE {} END)", default.unwrap_or_else(|| "NULL".into())));
        sql
    }

    fn op_name_sql(&mut self, key: &str) -> String {
        let entries = qy_hj212::FACTOR_CODES.iter().map(|f| (f.code.to_owned(), Some(f.name_en.to_owned()))).collect();
        self.case_over(key, entries, Some(key.to_owned()))
    }

    fn period_label_sql(&mut self, key: &str) -> String {
        let entries =
            ["rtd", "minute", "hour", "day"].iter().map(|p| ((*p).to_owned(), Some(model::period_label(p).to_owned())));
        let e: Vec<_> = entries.collect();
        self.case_over(key, e, None)
    }

    fn period_len_sql(key: &str) -> String {
        format!("(CASE {key} WHEN 'hour' THEN 3600000 WHEN 'day' THEN 86400000 ELSE 0 END)")
    }

    fn concat(parts: &[String]) -> String {
        format!("({})", parts.join(" || "))
    }

    // ---- property paths ----

    fn resolve(&mut self, ctx: Ctx, path: &[String]) -> Result<V> {
        let first = path.first().map(String::as_str).unwrap_or("");
        let first = if first == "@iot.id" { "id" } else { first };
        let rest = path.get(1..).unwrap_or_default();
        let leaf = rest.is_empty();
        let one =
            |v: V| if leaf { Ok(v) } else { Err(unsupported(format!("{} has no sub-properties", path.join("/")))) };
        match ctx {
            Ctx::Native(set) => self.resolve_native(set, 0, path),
            Ctx::Thing => match (first, rest.first().map(String::as_str), rest.len()) {
                ("id", _, 0) => Ok(V::Str("s.id".into())),
                ("name", _, 0) => Ok(V::Str("s.name".into())),
                ("description", _, 0) => {
                    let entries = model::KINDS.iter().map(|k| (k.0.to_owned(), Some(k.1.to_owned()))).collect();
                    let prefix = self.case_over("s.kind", entries, None);
                    let mid = self.text(model::THING_DESC_MN);
                    Ok(V::Str(Self::concat(&[prefix, mid, "s.mn".into()])))
                }
                ("properties", Some("mn" | "kind" | "st" | "region_code"), 1) => Ok(V::Str(format!("s.{}", rest[0]))),
                ("properties", Some("active"), 1) => Ok(V::Bool("(s.active <> 0)".into())),
                ("properties", _, _) => Ok(V::Null),
                ("Locations" | "HistoricalLocations" | "Datastreams", _, _) => Err(to_many(first)),
                _ => Err(unknown("Thing", path)),
            },
            Ctx::Location | Ctx::Foi => {
                let geo_name = if matches!(ctx, Ctx::Location) { "location" } else { "feature" };
                match first {
                    "id" => one(V::Str("s.id".into())),
                    "name" => one(V::Str("s.name".into())),
                    "description" => {
                        let pre =
                            self.text(if matches!(ctx, Ctx::Location) { model::LOCATION_DESC } else { model::FOI_DESC });
                        one(V::Str(Self::concat(&[pre, "s.name".into()])))
                    }
                    "encodingType" => {
                        let t = self.text(model::GEO_JSON);
                        one(V::Str(t))
                    }
                    g if g == geo_name => one(V::Point("s.longitude".into(), "s.latitude".into())),
                    "properties" => Ok(V::Null),
                    "Things" | "HistoricalLocations" | "Observations" => Err(to_many(first)),
                    _ => Err(unknown(if matches!(ctx, Ctx::Location) { "Location" } else { "FeatureOfInterest" }, path)),
                }
            }
            Ctx::Historical => match first {
                "id" => one(V::Str("s.id".into())),
                "time" => one(V::Time("s.created_at".into())),
                "Thing" => self.resolve(Ctx::Thing, rest),
                "Locations" => Err(to_many(first)),
                _ => Err(unknown("HistoricalLocation", path)),
            },
            Ctx::Datastream(st, fac, per, latest) => match first {
                "id" => one(V::Key(vec![st.into(), fac.into(), per.into()], false)),
                "name" => {
                    let op = self.op_name_sql(fac);
                    let dot = self.text(" · ");
                    one(V::Str(Self::concat(&["s.name".into(), dot.clone(), op, dot, per.into()])))
                }
                "description" => {
                    let label = self.period_label_sql(per);
                    let of = self.text(" of ");
                    let op = self.op_name_sql(fac);
                    let at = self.text(" at ");
                    one(V::Str(Self::concat(&[label, of, op, at, "s.name".into()])))
                }
                "observationType" => {
                    let t = self.text(model::OM_MEASUREMENT);
                    one(V::Str(t))
                }
                "unitOfMeasurement" => {
                    let part = rest.first().map(String::as_str).unwrap_or("");
                    let pick: fn(&str) -> Option<&'static str> = match (part, rest.len()) {
                        ("name", 1) => |c| model::unit_of(c).0,
                        ("symbol", 1) => |c| model::unit_of(c).1,
                        ("definition", 1) => |c| model::unit_of(c).2,
                        _ => return Err(unknown("Datastream", path)),
                    };
                    let entries = qy_hj212::FACTOR_CODES.iter().map(|f| (f.code.to_owned(), pick(f.code).map(str::to_owned)));
                    let e: Vec<_> = entries.collect();
                    Ok(V::Str(self.case_over(fac, e, None)))
                }
                "observedArea" => one(V::Point("s.longitude".into(), "s.latitude".into())),
                "phenomenonTime" if latest => one(V::Interval(
                    format!(
                        "(SELECT MIN(o2.time_ms) FROM eco_observation o2 WHERE o2.station_id = {st} AND o2.factor = {fac} \
                         AND o2.period = {per})"
                    ),
                    format!("(l.time_ms + {})", Self::period_len_sql(per)),
                )),
                "phenomenonTime" => Err(unsupported("Datastream/phenomenonTime is not filterable from Observations")),
                "resultTime" => one(V::Null),
                "properties" => match (rest.first().map(String::as_str), rest.len()) {
                    (Some("station_id"), 1) => Ok(V::Str(st.into())),
                    (Some("factor"), 1) => Ok(V::Str(fac.into())),
                    (Some("period"), 1) => Ok(V::Str(per.into())),
                    _ => Ok(V::Null),
                },
                "Thing" => self.resolve(Ctx::Thing, rest),
                "Sensor" => self.resolve(Ctx::Sensor("s.kind"), rest),
                "ObservedProperty" => self.resolve(Ctx::ObservedProperty(fac), rest),
                "Observations" => Err(to_many(first)),
                _ => Err(unknown("Datastream", path)),
            },
            Ctx::Observation => match first {
                "id" => one(V::Key(vec!["o.station_id".into(), "o.factor".into(), "o.period".into(), "o.time_ms".into()], true)),
                "phenomenonTime" => {
                    one(V::Interval("o.time_ms".into(), format!("(o.time_ms + {})", Self::period_len_sql("o.period"))))
                }
                "result" => one(V::Result("o.value_num".into(), "o.value".into())),
                "resultTime" => one(V::Time("o.received_at".into())),
                "resultQuality" => one(V::Str("o.flag".into())),
                "validTime" => one(V::Null),
                "parameters" => match (rest.first().map(String::as_str), rest.len()) {
                    (Some("period"), 1) => Ok(V::Str("o.period".into())),
                    (Some("min" | "max"), 1) => {
                        Err(unsupported("parameters/min and parameters/max are shown but not filterable"))
                    }
                    _ => Ok(V::Null),
                },
                "Datastream" => {
                    self.station = true;
                    self.resolve(Ctx::Datastream("o.station_id", "o.factor", "o.period", false), rest)
                }
                "FeatureOfInterest" => {
                    self.station = true;
                    self.resolve(Ctx::Foi, rest)
                }
                _ => Err(unknown("Observation", path)),
            },
            Ctx::Sensor(key) => {
                let pick = |f: fn(&(&str, &str, &str, &str, &str)) -> String| -> Vec<(String, Option<String>)> {
                    model::KINDS.iter().map(|k| (k.0.to_owned(), Some(f(k)))).collect()
                };
                let entries = match (first, rest.first().map(String::as_str), rest.len()) {
                    ("id", _, 0) => return Ok(V::Str(key.into())),
                    ("name", _, 0) => pick(|k| k.2.to_owned()),
                    ("description", _, 0) => pick(|k| k.3.to_owned()),
                    ("encodingType", _, 0) => pick(|_| model::SENSOR_ENCODING.to_owned()),
                    ("metadata", _, 0) => pick(|k| format!("HJ 212-2017 data logger, system code (ST) {}", k.4)),
                    ("properties", Some("kind"), 1) => return Ok(V::Str(key.into())),
                    ("properties", Some("system_code"), 1) => pick(|k| k.4.to_owned()),
                    ("properties", _, _) => return Ok(V::Null),
                    ("Datastreams", _, _) => return Err(to_many(first)),
                    _ => return Err(unknown("Sensor", path)),
                };
                Ok(V::Str(self.case_over(key, entries, None)))
            }
            Ctx::ObservedProperty(key) => {
                let codes = qy_hj212::FACTOR_CODES.iter();
                match (first, rest.first().map(String::as_str), rest.len()) {
                    ("id", _, 0) | ("properties", Some("code"), 1) => Ok(V::Str(key.into())),
                    ("name", _, 0) => Ok(V::Str(self.op_name_sql(key))),
                    ("definition", _, 0) => {
                        let urn = self.text(model::FACTOR_URN);
                        Ok(V::Str(Self::concat(&[urn, key.into()])))
                    }
                    ("description", _, 0) => {
                        let e = codes.map(|f| (f.code.to_owned(), Some(model::op_description(f.code)))).collect();
                        let pre = self.text(model::OP_DESC_UNKNOWN);
                        let default = Self::concat(&[pre, key.into()]);
                        Ok(V::Str(self.case_over(key, e, Some(default))))
                    }
                    ("properties", Some("name_zh"), 1) => {
                        let e = codes.map(|f| (f.code.to_owned(), Some(f.name_zh.to_owned()))).collect();
                        Ok(V::Str(self.case_over(key, e, None)))
                    }
                    ("properties", Some("name_en"), 1) => {
                        let e = codes.map(|f| (f.code.to_owned(), Some(f.name_en.to_owned()))).collect();
                        Ok(V::Str(self.case_over(key, e, None)))
                    }
                    ("properties", Some("unit"), 1) => {
                        let e = codes.map(|f| (f.code.to_owned(), f.unit.map(str::to_owned))).collect();
                        Ok(V::Str(self.case_over(key, e, None)))
                    }
                    ("properties", _, _) => Ok(V::Null),
                    ("Datastreams", _, _) => Err(to_many(first)),
                    _ => Err(unknown("ObservedProperty", path)),
                }
            }
        }
    }

    // ---- expressions ----

    fn expr(&mut self, ctx: Ctx, e: &Expr) -> Result<V> {
        match e {
            Expr::Lit(l) => Ok(self.lit(l)),
            Expr::Prop(path) => self.resolve(ctx, path),
            Expr::Not(inner) => {
                let b = self.boolean(ctx, inner)?;
                Ok(V::Bool(format!("(NOT {b})")))
            }
            Expr::Neg(inner) => match self.expr(ctx, inner)? {
                V::Num(n) | V::Result(n, _) => Ok(V::Num(format!("(-{n})"))),
                _ => Err(type_error("unary minus needs a number")),
            },
            Expr::Bin(BinOp::And, a, b) | Expr::Bin(BinOp::Or, a, b) => {
                let op = if matches!(e, Expr::Bin(BinOp::And, ..)) { "AND" } else { "OR" };
                let (a, b) = (self.boolean(ctx, a)?, self.boolean(ctx, b)?);
                Ok(V::Bool(format!("({a} {op} {b})")))
            }
            Expr::Bin(op, a, b) if op.is_comparison() => self.comparison(ctx, *op, a, b),
            Expr::Bin(op, a, b) => {
                let (a, b) = (self.expr(ctx, a)?, self.expr(ctx, b)?);
                self.arithmetic(*op, a, b)
            }
            Expr::Call(f, args) => self.call(ctx, *f, args),
        }
    }

    fn lit(&mut self, l: &Lit) -> V {
        match l {
            Lit::Null => V::Null,
            Lit::Bool(b) => V::Bool(if *b { "(1 = 1)".into() } else { "(1 = 0)".into() }),
            Lit::Num(n) => V::Num(self.p.push_f64(*n)),
            Lit::Str(s) => V::Str(self.text(s)),
            Lit::Time(t) => V::Time(self.int(*t)),
            Lit::Interval(a, b) => V::Interval(self.int(*a), self.int(*b)),
            Lit::Duration(d) => V::Duration(*d),
            Lit::TimeOfDay(ms) => V::Num(self.int(*ms)),
            Lit::Geo(g) => V::Geo(g.clone()),
        }
    }

    pub(super) fn boolean(&mut self, ctx: Ctx, e: &Expr) -> Result<String> {
        match self.expr(ctx, e)? {
            V::Bool(b) => Ok(b),
            _ => Err(type_error("and, or and not need true/false operands (comparisons or boolean functions)")),
        }
    }

    fn num(&mut self, v: V, what: &str) -> Result<String> {
        match v {
            V::Num(n) | V::Result(n, _) => Ok(n),
            _ => Err(type_error(format!("{what} needs a number"))),
        }
    }

    fn string(&mut self, v: V, what: &str) -> Result<String> {
        match v {
            V::Str(s) | V::Result(_, s) => Ok(s),
            V::Num(n) => Ok(format!("CAST({n} AS TEXT)")),
            _ => Err(type_error(format!("{what} needs a text"))),
        }
    }

    fn time(&mut self, v: V, what: &str) -> Result<String> {
        match v {
            V::Time(t) | V::Interval(t, _) => Ok(t),
            _ => Err(type_error(format!("{what} needs a time"))),
        }
    }

    fn arithmetic(&mut self, op: BinOp, a: V, b: V) -> Result<V> {
        let sym = match op {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            _ => "",
        };
        match (a, b) {
            (V::Time(t), V::Duration(d)) if !sym.is_empty() => {
                let d = self.int(d);
                Ok(V::Time(format!("({t} {sym} {d})")))
            }
            (V::Interval(s, e), V::Duration(d)) if !sym.is_empty() => {
                let d1 = self.int(d);
                Ok(V::Interval(format!("({s} {sym} {d1})"), format!("({e} {sym} {d1})")))
            }
            (V::Duration(d), V::Time(t)) if op == BinOp::Add => {
                let d = self.int(d);
                Ok(V::Time(format!("({t} + {d})")))
            }
            (a, b) => {
                let (a, b) = (self.num(a, "arithmetic")?, self.num(b, "arithmetic")?);
                Ok(V::Num(match op {
                    BinOp::Add => format!("({a} + {b})"),
                    BinOp::Sub => format!("({a} - {b})"),
                    BinOp::Mul => format!("({a} * {b})"),
                    BinOp::Div => format!("(CAST({a} AS {}) / NULLIF({b}, 0))", self.double()),
                    _ => match self.dialect {
                        Dialect::Postgres => format!("MOD(CAST({a} AS NUMERIC), NULLIF(CAST({b} AS NUMERIC), 0))"),
                        Dialect::Sqlite => format!("({a} - {b} * CAST({a} / NULLIF({b}, 0) AS INTEGER))"),
                    },
                }))
            }
        }
    }

    fn comparison(&mut self, ctx: Ctx, op: BinOp, a: &Expr, b: &Expr) -> Result<V> {
        // geo.distance(x, y) op d: compared squared (no square root in SQLite).
        for (call, other, flipped) in [(a, b, false), (b, a, true)] {
            if let Expr::Call(Func::GeoDistance, args) = call {
                let d = match other {
                    Expr::Lit(Lit::Num(d)) if *d >= 0.0 => *d,
                    _ => return Err(unsupported("geo.distance() can only be compared with a non-negative number")),
                };
                let d2 = self.distance2(ctx, args)?;
                let lim = self.p.push_f64(d * d);
                let op = if flipped { flip(op) } else { op };
                return Ok(V::Bool(format!("({d2} {} {lim})", sql_op(op))));
            }
        }
        let (a, b) = match (a, b) {
            (x, Expr::Lit(l)) if !matches!(x, Expr::Lit(_)) => {
                let va = self.expr(ctx, x)?;
                let vb = self.lit_for(&va, l)?;
                (va, vb)
            }
            (Expr::Lit(l), x) if !matches!(x, Expr::Lit(_)) => {
                let vb = self.expr(ctx, x)?;
                let va = self.lit_for(&vb, l)?;
                (va, vb)
            }
            (a, b) => (self.expr(ctx, a)?, self.expr(ctx, b)?),
        };
        self.compare(op, a, b)
    }

    /// A literal compared with `other`: quoted times become times, numbers compared with text
    /// become their text, and a text compared with a composite id stays unbound.
    fn lit_for(&mut self, other: &V, l: &Lit) -> Result<V> {
        Ok(match (other, l) {
            (V::Time(_) | V::Interval(..), Lit::Str(s)) => V::Time(
                self.int(
                    crate::sta::filter::parse_time(s)
                        .ok_or_else(|| type_error(format!("{s:?} is not a time to compare with a time")))?,
                ),
            ),
            (V::Key(..), Lit::Str(s)) => V::KeyText(s.clone()),
            (V::Key(..), Lit::Num(n)) => V::KeyText(format!("{n}")),
            (V::Str(_), Lit::Num(n)) => V::Str(self.text(&format!("{n}"))),
            (V::Num(_), Lit::Str(s)) if s.parse::<i64>().is_ok() => V::Num(self.int(s.parse().unwrap_or(0))),
            _ => self.lit(l),
        })
    }

    fn compare(&mut self, op: BinOp, a: V, b: V) -> Result<V> {
        let o = sql_op(op);
        let eq_only = || -> Result<()> {
            if matches!(op, BinOp::Eq | BinOp::Ne) {
                Ok(())
            } else {
                Err(type_error("this kind of value can only be compared with eq or ne"))
            }
        };
        Ok(V::Bool(match (a, b) {
            // An ordering with null (a member this kind of entity does not have) is never true.
            (V::Null, _) | (_, V::Null) if !matches!(op, BinOp::Eq | BinOp::Ne) => "(1 = 0)".into(),
            (V::Null, V::Null) => {
                eq_only()?;
                if op == BinOp::Eq {
                    "(1 = 1)".into()
                } else {
                    "(1 = 0)".into()
                }
            }
            (x, V::Null) | (V::Null, x) => {
                eq_only()?;
                let col = match x {
                    V::Num(c) | V::Str(c) | V::Bool(c) | V::Time(c) | V::Interval(c, _) | V::Result(_, c) => c,
                    V::Key(cols, _) => cols.first().cloned().unwrap_or_else(|| "NULL".into()),
                    _ => return Err(type_error("cannot compare this value with null")),
                };
                format!("({col} IS {}NULL)", if op == BinOp::Eq { "" } else { "NOT " })
            }
            (V::Key(cols, numeric_last), V::KeyText(lit)) | (V::KeyText(lit), V::Key(cols, numeric_last)) => {
                eq_only()?;
                self.key_eq(op, &cols, numeric_last, &lit)
            }
            (V::Key(..), _) | (_, V::Key(..)) => {
                return Err(unsupported("ids can only be compared with a literal id (eq or ne)"))
            }
            (V::Interval(s, e), other) => self.interval_cmp(op, (s, e), other)?,
            (other, V::Interval(s, e)) => self.interval_cmp(flip(op), (s, e), other)?,
            (V::Time(a), V::Time(b)) => format!("({a} {o} {b})"),
            (V::Result(n, _), V::Num(b)) => format!("({n} {o} {b})"),
            (V::Num(a), V::Result(n, _)) => format!("({a} {o} {n})"),
            (V::Result(_, t), V::Str(b)) => format!("({t} {o} {b})"),
            (V::Str(a), V::Result(_, t)) => format!("({a} {o} {t})"),
            (V::Result(a, _), V::Result(b, _)) => format!("({a} {o} {b})"),
            (V::Num(a), V::Num(b)) => format!("({a} {o} {b})"),
            (V::Str(a), V::Str(b)) => format!("({a} {o} {b})"),
            (V::Bool(a), V::Bool(b)) => {
                eq_only()?;
                format!("(({a}) {o} ({b}))")
            }
            _ => return Err(type_error("the two sides of this comparison have different types")),
        }))
    }

    fn key_eq(&mut self, op: BinOp, cols: &[String], numeric_last: bool, text: &str) -> String {
        let parts: Vec<&str> = text.split('~').collect();
        let valid = parts.len() == cols.len()
            && (!numeric_last || parts.last().is_some_and(|t| t.parse::<i64>().is_ok()))
            && parts.get(2).is_some_and(|p| crate::domain::observation::Period::parse(p).is_some());
        let cond = if valid {
            let mut conds = Vec::new();
            for (i, (c, v)) in cols.iter().zip(&parts).enumerate() {
                let param =
                    if numeric_last && i == cols.len() - 1 { self.int(v.parse().unwrap_or(0)) } else { self.text(v) };
                conds.push(format!("{c} = {param}"));
            }
            format!("({})", conds.join(" AND "))
        } else {
            "(1 = 0)".into()
        };
        if op == BinOp::Eq {
            cond
        } else {
            format!("(NOT {cond})")
        }
    }

    fn interval_cmp(&mut self, op: BinOp, (s, e): (String, String), other: V) -> Result<String> {
        let (s2, e2) = match other {
            V::Time(t) => (t.clone(), t),
            V::Interval(a, b) => (a, b),
            _ => return Err(type_error("times can only be compared with times")),
        };
        // FROST-Server's interval semantics (an instant is an interval of length 0).
        Ok(match op {
            BinOp::Eq => format!("({s} = {s2} AND {e} = {e2})"),
            BinOp::Ne => format!("(NOT ({s} = {s2} AND {e} = {e2}))"),
            BinOp::Gt => format!("({s} >= {e2} AND {s} > {s2})"),
            BinOp::Ge => format!("({s} >= {s2} AND {e} >= {e2})"),
            BinOp::Lt => format!("({e} <= {s2} AND {s} < {s2})"),
            _ => format!("({s} <= {s2} AND {e} <= {e2})"),
        })
    }

    fn call(&mut self, ctx: Ctx, f: Func, args: &[Expr]) -> Result<V> {
        let mut vals = Vec::with_capacity(args.len());
        if !matches!(f, Func::GeoDistance) {
            for a in args.iter().take(if f == Func::StRelate { 2 } else { 3 }) {
                vals.push(self.expr(ctx, a)?);
            }
        }
        let mut it = vals.into_iter();
        let mut next = || it.next().unwrap_or(V::Null);
        let pg = self.dialect == Dialect::Postgres;
        let find = |hay: &str, needle: &str| {
            if pg {
                format!("strpos({hay}, {needle})")
            } else {
                format!("instr({hay}, {needle})")
            }
        };
        Ok(match f {
            Func::SubstringOf | Func::Contains => {
                let (a, b) = (next(), next());
                let (needle, hay) = if f == Func::SubstringOf { (a, b) } else { (b, a) };
                let (needle, hay) = (self.string(needle, "substringof")?, self.string(hay, "substringof")?);
                V::Bool(format!("({} > 0)", find(&hay, &needle)))
            }
            Func::StartsWith => {
                let (a, b) = (next(), next());
                let (a, b) = (self.string(a, "startswith")?, self.string(b, "startswith")?);
                V::Bool(format!("(substr({a}, 1, length({b})) = {b})"))
            }
            Func::EndsWith => {
                let (a, b) = (next(), next());
                let (a, b) = (self.string(a, "endswith")?, self.string(b, "endswith")?);
                V::Bool(format!("(length({a}) >= length({b}) AND substr({a}, length({a}) - length({b}) + 1) = {b})"))
            }
            Func::Length => {
                let a = next();
                V::Num(format!("length({})", self.string(a, "length")?))
            }
            Func::IndexOf => {
                let (a, b) = (next(), next());
                let (a, b) = (self.string(a, "indexof")?, self.string(b, "indexof")?);
                V::Num(format!("({} - 1)", find(&a, &b)))
            }
            Func::Substring => {
                let (a, start) = (next(), next());
                let a = self.string(a, "substring")?;
                let start = self.num(start, "substring")?;
                // Clamped so PostgreSQL's integer casts cannot overflow.
                let int = |x: &str| {
                    if pg {
                        format!("CAST(LEAST(GREATEST({x}, -1000000000), 1000000000) AS INTEGER)")
                    } else {
                        format!("CAST(MIN(MAX({x}, -1000000000), 1000000000) AS INTEGER)")
                    }
                };
                match args.len() {
                    3 => {
                        let len = next();
                        let len = self.num(len, "substring")?;
                        V::Str(format!("substr({a}, {} + 1, {})", int(&start), int(&len)))
                    }
                    _ => V::Str(format!("substr({a}, {} + 1)", int(&start))),
                }
            }
            Func::ToLower | Func::ToUpper | Func::Trim => {
                let a = next();
                let a = self.string(a, "tolower/toupper/trim")?;
                let name = match f {
                    Func::ToLower => "lower",
                    Func::ToUpper => "upper",
                    _ => "trim",
                };
                V::Str(format!("{name}({a})"))
            }
            Func::Concat => {
                let (a, b) = (next(), next());
                let (a, b) = (self.string(a, "concat")?, self.string(b, "concat")?);
                V::Str(format!("({a} || {b})"))
            }
            Func::Year | Func::Month | Func::Day => {
                let a = next();
                let t = self.time(a, "year/month/day")?;
                let (fmt, field) = match f {
                    Func::Year => ("%Y", "YEAR"),
                    Func::Month => ("%m", "MONTH"),
                    _ => ("%d", "DAY"),
                };
                V::Num(if pg {
                    format!("CAST(EXTRACT({field} FROM (to_timestamp({t} / 1000.0) AT TIME ZONE 'UTC')) AS BIGINT)")
                } else {
                    format!("CAST(strftime('{fmt}', {t} / 1000, 'unixepoch') AS INTEGER)")
                })
            }
            Func::Hour | Func::Minute | Func::Second | Func::FractionalSeconds => {
                let a = next();
                let t = self.time(a, "hour/minute/second")?;
                V::Num(match f {
                    Func::Hour => format!("((({t}) / 3600000) % 24)"),
                    Func::Minute => format!("((({t}) / 60000) % 60)"),
                    Func::Second => format!("((({t}) / 1000) % 60)"),
                    _ => format!("((({t}) % 1000) / 1000.0)"),
                })
            }
            Func::Date => {
                let a = next();
                let t = self.time(a, "date")?;
                V::Time(format!("({t} - ({t} % 86400000))"))
            }
            Func::Time => {
                // Milliseconds since midnight UTC, compared with a time-of-day literal (10:30:00).
                let a = next();
                let t = self.time(a, "time")?;
                V::Num(format!("(({t}) % 86400000)"))
            }
            Func::TotalOffsetMinutes => {
                let a = next();
                self.time(a, "totaloffsetminutes")?;
                V::Num("0".into())
            }
            Func::Now => V::Time(self.int(self.now_ms)),
            Func::MinDateTime | Func::MaxDateTime => match next() {
                V::Interval(s, e) => V::Time(if f == Func::MinDateTime { s } else { e }),
                V::Time(t) => V::Time(t),
                _ => return Err(type_error("mindatetime/maxdatetime need a time")),
            },
            Func::Round | Func::Floor | Func::Ceiling => {
                let a = next();
                let a = self.num(a, "round/floor/ceiling")?;
                V::Num(match (f, pg) {
                    (Func::Round, true) => format!("round(CAST({a} AS NUMERIC))"),
                    (Func::Floor, true) => format!("floor({a})"),
                    (_, true) => format!("ceil({a})"),
                    (Func::Round, false) => format!("round({a})"),
                    (Func::Floor, false) => {
                        format!("(CAST({a} AS INTEGER) - (CASE WHEN {a} < CAST({a} AS INTEGER) THEN 1 ELSE 0 END))")
                    }
                    (_, false) => {
                        format!("(CAST({a} AS INTEGER) + (CASE WHEN {a} > CAST({a} AS INTEGER) THEN 1 ELSE 0 END))")
                    }
                })
            }
            Func::GeoDistance => {
                return Err(unsupported(
                    "geo.distance() is supported only compared with a number: geo.distance(a, b) lt 0.1",
                ))
            }
            Func::GeoLength => match next() {
                V::Point(..) => V::Num("0".into()),
                V::Geo(Geometry::LineString(pts)) => V::Num(format!("{:?}", line_length(&pts))),
                V::Geo(_) => V::Num("0".into()),
                _ => return Err(type_error("geo.length() needs a geometry")),
            },
            Func::StRelate => {
                let (a, b) = (next(), next());
                let pattern = match args.get(2) {
                    Some(Expr::Lit(Lit::Str(p))) => p.clone(),
                    _ => return Err(type_error("st_relate() needs a DE-9IM pattern string literal")),
                };
                V::Bool(self.relate(a, b, &pattern)?)
            }
            _ => {
                let (a, b) = (next(), next());
                self.spatial(f, a, b)?
            }
        })
    }

    fn point_and_geo(a: V, b: V) -> Result<((String, String), Geometry, bool)> {
        match (a, b) {
            (V::Point(x, y), V::Geo(g)) => Ok(((x, y), g, false)),
            (V::Geo(g), V::Point(x, y)) => Ok(((x, y), g, true)),
            _ => Err(unsupported(
                "spatial functions need a location property and a geography'…' literal (points, lines and polygons)",
            )),
        }
    }

    /// SQL that is true when the point lies inside the polygon (even-odd ray casting; holes
    /// included), on a line's segment, or on the point.
    fn inside(x: &str, y: &str, g: &Geometry) -> String {
        match g {
            Geometry::Point(px, py) => format!("({x} = {px:?} AND {y} = {py:?})"),
            Geometry::LineString(_) => Self::on_boundary(x, y, g),
            Geometry::Polygon(rings) => {
                let mut terms = Vec::new();
                for ring in rings {
                    for w in ring.windows(2) {
                        let ((x1, y1), (x2, y2)) = (w[0], w[1]);
                        if y1 == y2 {
                            continue;
                        }
                        let k = (x2 - x1) / (y2 - y1);
                        if !k.is_finite() {
                            continue;
                        }
                        terms.push(format!(
                            "(CASE WHEN (({y} > {y1:?}) <> ({y} > {y2:?})) AND ({x} < {x1:?} + ({y} - {y1:?}) * {k:?}) THEN 1 ELSE 0 END)"
                        ));
                    }
                }
                if terms.is_empty() {
                    "(1 = 0)".into()
                } else {
                    format!("((({}) % 2) = 1)", terms.join(" + "))
                }
            }
        }
    }

    fn on_boundary(x: &str, y: &str, g: &Geometry) -> String {
        let segs: Vec<((f64, f64), (f64, f64))> = match g {
            Geometry::Point(..) => return "(1 = 0)".into(),
            Geometry::LineString(pts) => pts.windows(2).map(|w| (w[0], w[1])).collect(),
            Geometry::Polygon(rings) => rings.iter().flat_map(|r| r.windows(2).map(|w| (w[0], w[1]))).collect(),
        };
        let terms: Vec<String> = segs
            .iter()
            .map(|((x1, y1), (x2, y2))| {
                let (lx, hx, ly, hy) = (x1.min(*x2), x1.max(*x2), y1.min(*y2), y1.max(*y2));
                format!(
                    "(({x} - {x1:?}) * {dy:?} = ({y} - {y1:?}) * {dx:?} AND {x} BETWEEN {lx:?} AND {hx:?} AND {y} BETWEEN {ly:?} AND {hy:?})",
                    dy = y2 - y1,
                    dx = x2 - x1
                )
            })
            .collect();
        if terms.is_empty() {
            "(1 = 0)".into()
        } else {
            format!("({})", terms.join(" OR "))
        }
    }

    fn spatial(&mut self, f: Func, a: V, b: V) -> Result<V> {
        let ((x, y), g, flipped) = Self::point_and_geo(a, b)?;
        let is_area = matches!(g, Geometry::Polygon(_));
        let inside = Self::inside(&x, &y, &g);
        let boundary = Self::on_boundary(&x, &y, &g);
        let intersects = if is_area { format!("({inside} OR {boundary})") } else { inside.clone() };
        Ok(V::Bool(match f {
            Func::GeoIntersects | Func::StIntersects => intersects,
            Func::StDisjoint => format!("(NOT {intersects})"),
            Func::StEquals => match g {
                Geometry::Point(..) => inside,
                _ => "(1 = 0)".into(),
            },
            // point within geometry (or geometry contains point, arguments reversed)
            Func::StWithin if !flipped => match g {
                Geometry::Polygon(_) => format!("({inside} AND NOT {boundary})"),
                Geometry::LineString(ref pts) => format!("({inside} AND NOT {})", endpoints(&x, &y, pts)),
                Geometry::Point(..) => inside,
            },
            Func::StContains if flipped => match g {
                Geometry::Polygon(_) => format!("({inside} AND NOT {boundary})"),
                Geometry::LineString(ref pts) => format!("({inside} AND NOT {})", endpoints(&x, &y, pts)),
                Geometry::Point(..) => inside,
            },
            Func::StWithin | Func::StContains => match g {
                Geometry::Point(..) => inside,
                _ => "(1 = 0)".into(),
            },
            Func::StTouches => match g {
                Geometry::Polygon(_) => boundary,
                Geometry::LineString(ref pts) => endpoints(&x, &y, pts),
                Geometry::Point(..) => "(1 = 0)".into(),
            },
            // A point never overlaps or crosses anything (DE-9IM dimension rules).
            Func::StOverlaps | Func::StCrosses => "(1 = 0)".into(),
            _ => return Err(unsupported("this spatial function is not supported")),
        }))
    }

    /// DE-9IM for a point against a literal geometry: the matrix in each of the point's three
    /// possible positions (interior, boundary, exterior of the other), matched against the pattern.
    fn relate(&mut self, a: V, b: V, pattern: &str) -> Result<String> {
        let p: Vec<char> = pattern.chars().collect();
        if p.len() != 9 || !p.iter().all(|c| matches!(c, 'T' | 'F' | '*' | '0' | '1' | '2' | 't' | 'f')) {
            return Err(type_error("st_relate() needs a 9-character DE-9IM pattern of T, F, *, 0, 1, 2"));
        }
        let ((x, y), g, flipped) = Self::point_and_geo(a, b)?;
        let dim = match g {
            Geometry::Point(..) => '0',
            Geometry::LineString(_) => '1',
            Geometry::Polygon(_) => '2',
        };
        // The other's boundary dimension: none for points, points for lines, lines for polygons.
        let bdim = match g {
            Geometry::Point(..) => 'F',
            Geometry::LineString(_) => '0',
            Geometry::Polygon(_) => '1',
        };
        let inside = Self::inside(&x, &y, &g);
        let boundary = Self::on_boundary(&x, &y, &g);
        let ends = match &g {
            Geometry::LineString(pts) => endpoints(&x, &y, pts),
            _ => boundary.clone(),
        };
        // Positions of the point: (condition, matrix with the point as first geometry).
        let interior_cond = match g {
            Geometry::Point(..) => inside.clone(),
            Geometry::LineString(_) => format!("({inside} AND NOT {ends})"),
            Geometry::Polygon(_) => format!("({inside} AND NOT {boundary})"),
        };
        let cases = [
            (interior_cond, ['0', 'F', 'F', 'F', 'F', 'F', dim, bdim, '2']),
            (
                if matches!(g, Geometry::Point(..)) { "(1 = 0)".to_owned() } else { ends.clone() },
                ['F', '0', 'F', 'F', 'F', 'F', dim, 'F', '2'],
            ),
            (format!("(NOT {inside} AND NOT {boundary})"), ['F', 'F', '0', 'F', 'F', 'F', dim, bdim, '2']),
        ];
        let mut parts = Vec::new();
        for (cond, m) in cases {
            // With the point second, the matrix is transposed.
            let m: [char; 9] = if flipped { [m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]] } else { m };
            let ok = p.iter().zip(m.iter()).all(|(pc, mc)| match pc.to_ascii_uppercase() {
                '*' => true,
                'T' => *mc != 'F',
                'F' => *mc == 'F',
                d => d == *mc,
            });
            if ok {
                parts.push(cond);
            }
        }
        Ok(if parts.is_empty() { "(1 = 0)".into() } else { format!("({})", parts.join(" OR ")) })
    }

    fn distance2(&mut self, ctx: Ctx, args: &[Expr]) -> Result<String> {
        let a = args.first().map(|a| self.expr(ctx, a)).transpose()?.unwrap_or(V::Null);
        let b = args.get(1).map(|b| self.expr(ctx, b)).transpose()?.unwrap_or(V::Null);
        match Self::point_and_geo(a, b)? {
            ((x, y), Geometry::Point(px, py), _) => {
                Ok(format!("((({x}) - {px:?}) * (({x}) - {px:?}) + (({y}) - {py:?}) * (({y}) - {py:?}))"))
            }
            _ => Err(unsupported("geo.distance() is supported between a location and a POINT")),
        }
    }

    pub(super) fn order(&mut self, ctx: Ctx, items: &[(Expr, bool)]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for (e, desc) in items {
            let dir = if *desc { "DESC" } else { "ASC" };
            let cols = match self.expr(ctx, e)? {
                V::Num(c) | V::Str(c) | V::Bool(c) | V::Time(c) | V::Interval(c, _) | V::Result(c, _) => vec![c],
                V::Key(cols, _) => cols,
                V::Null => vec![],
                _ => return Err(unsupported("$orderby on a geometry is not supported")),
            };
            out.extend(cols.into_iter().map(|c| format!("{c} {dir}")));
        }
        Ok(out)
    }
}

fn endpoints(x: &str, y: &str, pts: &[(f64, f64)]) -> String {
    match (pts.first(), pts.last()) {
        (Some((ax, ay)), Some((bx, by))) if pts.first() != pts.last() => {
            format!("(({x} = {ax:?} AND {y} = {ay:?}) OR ({x} = {bx:?} AND {y} = {by:?}))")
        }
        _ => "(1 = 0)".into(),
    }
}

fn line_length(pts: &[(f64, f64)]) -> f64 {
    pts.windows(2).map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt()).sum()
}

fn to_many(nav: &str) -> Error {
    unsupported(format!("filtering through the collection {nav} is not supported; navigate from the other side"))
}

fn sql_op(op: BinOp) -> &'static str {
    match op {
        BinOp::Eq => "=",
        BinOp::Ne => "<>",
        BinOp::Gt => ">",
        BinOp::Ge => ">=",
        BinOp::Lt => "<",
        _ => "<=",
    }
}

fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        o => o,
    }
}

/// Checks an expression against an entity set without running it (for `$filter` inside
/// `$expand`, checked once before any query).
/// It passes when it applies to the registry's entities or to those created through the API;
/// a listing that needs the other kind too reports that kind's error when it runs.
pub fn check(set: Set, e: &Expr, order: &[(Expr, bool)]) -> Result<()> {
    let try_ctx = |ctx: Ctx| -> Result<()> {
        let mut c = Compiler::new(Dialect::Sqlite, 0);
        if let Some(b) = (!matches!(e, Expr::Lit(Lit::Bool(true)))).then_some(e) {
            c.boolean(ctx, b)?;
        }
        c.order(ctx, order)?;
        Ok(())
    };
    try_ctx(ctx_of(set)).or_else(|e| try_ctx(Ctx::Native(set)).map_err(|_| e))
}

fn ctx_of(set: Set) -> Ctx {
    match set {
        Set::Things => Ctx::Thing,
        Set::Locations => Ctx::Location,
        Set::HistoricalLocations => Ctx::Historical,
        Set::FeaturesOfInterest => Ctx::Foi,
        Set::Datastreams => Ctx::Datastream("l.station_id", "l.factor", "l.period", true),
        Set::Observations => Ctx::Observation,
        Set::Sensors => Ctx::Sensor("k.id"),
        Set::ObservedProperties => Ctx::ObservedProperty("k.id"),
    }
}

// ---- queries -------------------------------------------------------------------------------

const STATION_COLS: &str = "s.id, s.mn, s.name, s.kind, s.st, s.region_code, s.latitude, s.longitude, \
     s.allow_swapped_crc, s.active, s.created_at, s.last_packet_at, s.water_body, s.target_class";

const OBS_COLS: &str =
    "o.station_id, o.factor, o.period, o.time_ms, o.value, o.min_value, o.max_value, o.flag, o.received_at";

fn obs_of(r: &AnyRow) -> Result<ObsRow> {
    Ok(ObsRow {
        station_id: r.try_get("station_id").store()?,
        factor: r.try_get("factor").store()?,
        period: r.try_get("period").store()?,
        time_ms: r.try_get("time_ms").store()?,
        value: r.try_get("value").store()?,
        min: r.try_get("min_value").store()?,
        max: r.try_get("max_value").store()?,
        flag: r.try_get("flag").store()?,
        received_at: r.try_get("received_at").store()?,
    })
}

/// Builds `WHERE …` and `ORDER BY …` for a set; returns (where, order, compiler).
fn clauses(db: &Db, set: Set, scope: &Scope, page: &Page<'_>) -> Result<(String, String, Compiler)> {
    let mut c = Compiler::new(db.dialect(), page.now_ms);
    let (conds, order) = proj_clauses(&mut c, set, scope, page)?;
    let where_sql = if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
    Ok((where_sql, format!(" ORDER BY {}", order.join(", ")), c))
}

/// The conditions and ORDER BY items of a registry-backed listing, compiled into `c`.
fn proj_clauses(c: &mut Compiler, set: Set, scope: &Scope, page: &Page<'_>) -> Result<(Vec<String>, Vec<String>)> {
    let ctx = ctx_of(set);
    let mut conds: Vec<String> = Vec::new();
    let (st, kind, fac, per, time) = match set {
        Set::Datastreams => ("l.station_id", "s.kind", "l.factor", "l.period", ""),
        Set::Observations => ("o.station_id", "", "o.factor", "o.period", "o.time_ms"),
        Set::Sensors | Set::ObservedProperties => ("", "", "", "", ""),
        _ => ("s.id", "s.kind", "", "", ""),
    };
    for (col, v) in [(st, &scope.station_id), (kind, &scope.kind), (fac, &scope.factor), (per, &scope.period)] {
        if let Some(v) = v {
            if col.is_empty() {
                return Err(Error::internal(format!("scope not applicable to {}", set.name())));
            }
            let ph = c.text(v);
            conds.push(format!("{col} = {ph}"));
        }
    }
    if let (Some(t), false) = (scope.time_ms, time.is_empty()) {
        let ph = c.int(t);
        conds.push(format!("{time} = {ph}"));
    }
    if let Some(f) = page.filter {
        conds.push(c.boolean(ctx, f)?);
    }
    let mut order = c.order(ctx, page.order)?;
    order.extend(
        match set {
            Set::Datastreams => vec!["l.station_id", "l.factor", "l.period"],
            Set::Observations => vec!["o.station_id", "o.factor", "o.period", "o.time_ms"],
            Set::Sensors | Set::ObservedProperties => vec!["k.id"],
            _ => vec!["s.id"],
        }
        .into_iter()
        .map(|c| format!("{c} ASC")),
    );
    Ok((conds, order))
}

/// Errors of evaluating a request's expression (PostgreSQL's SQLSTATE class 22: numeric
/// overflow, timestamps out of range, …) are the request's fault: 400, not 500.
fn eval_err(e: qy_storage::sqlx::Error) -> Error {
    let data_exception = e.as_database_error().and_then(|d| d.code()).is_some_and(|c| c.starts_with("22"));
    if data_exception {
        tracing::debug!(error = %e, "STA expression not evaluable");
        Error::bad_request(
            "sta.filter_evaluation_failed",
            "the $filter or $orderby expression could not be evaluated on the data (a value out of range)",
        )
    } else {
        qy_storage::db_err(e)
    }
}

/// `$count`: a count query with the listing's parameters.
async fn count_of(db: &Db, p: &Params, sql: &str) -> Result<i64> {
    let row = p.clone().bind(sql).fetch_one(db.pool()).await.map_err(eval_err)?;
    row.try_get::<i64, _>(0).store()
}

pub(super) async fn run_list<T>(
    db: &Db,
    from: &str,
    cols: &str,
    (where_sql, order_sql, c): (String, String, Compiler),
    page: &Page<'_>,
    map: impl Fn(&AnyRow) -> Result<T>,
) -> Result<Listed<T>> {
    let count = if page.count {
        Some(count_of(db, &c.p, &format!("SELECT COUNT(*) FROM {from}{where_sql}")).await?)
    } else {
        None
    };
    if page.top == 0 {
        return Ok(Listed { rows: vec![], more: count.is_some_and(|n| n > page.skip), count });
    }
    let mut p = c.p;
    let limit = p.push(page.top + 1);
    let offset = p.push(page.skip);
    let sql = format!("SELECT {cols} FROM {from}{where_sql}{order_sql} LIMIT {limit} OFFSET {offset}");
    let rows = p.bind(&sql).fetch_all(db.pool()).await.map_err(eval_err)?;
    let more = rows.len() as i64 > page.top;
    let mut out = rows.iter().take(usize::try_from(page.top).unwrap_or(0)).map(map).collect::<Result<Vec<_>>>()?;
    out.truncate(usize::try_from(page.top).unwrap_or(0));
    Ok(Listed { rows: out, more, count })
}

/// Things, Locations, HistoricalLocations or FeaturesOfInterest (station rows).
pub async fn stations(db: &Db, set: Set, scope: &Scope, page: &Page<'_>) -> Result<Listed<Station>> {
    let cl = clauses(db, set, scope, page)?;
    run_list(db, "eco_station s", STATION_COLS, cl, page, station_of).await
}

/// Datastreams (one per station × factor × period with data), with the span of their data.
pub async fn datastreams(db: &Db, scope: &Scope, page: &Page<'_>) -> Result<Listed<DsRow>> {
    let cl = clauses(db, Set::Datastreams, scope, page)?;
    let cols = format!(
        "{STATION_COLS}, l.factor AS ds_factor, l.period AS ds_period, l.time_ms AS ds_last, \
         (SELECT MIN(o2.time_ms) FROM eco_observation o2 WHERE o2.station_id = l.station_id AND o2.factor = l.factor \
         AND o2.period = l.period) AS ds_first"
    );
    run_list(db, "eco_latest l JOIN eco_station s ON s.id = l.station_id", &cols, cl, page, |r| {
        Ok(DsRow {
            station: station_of(r)?,
            factor: r.try_get("ds_factor").store()?,
            period: r.try_get("ds_period").store()?,
            first_ms: r.try_get("ds_first").store()?,
            last_ms: r.try_get("ds_last").store()?,
        })
    })
    .await
}

/// Observations.
pub async fn observations(db: &Db, scope: &Scope, page: &Page<'_>) -> Result<Listed<ObsRow>> {
    let cl = clauses(db, Set::Observations, scope, page)?;
    let from =
        if cl.2.station { "eco_observation o JOIN eco_station s ON s.id = o.station_id" } else { "eco_observation o" };
    run_list(db, from, OBS_COLS, cl, page, obs_of).await
}

/// Sensors or ObservedProperties: which of `ids` pass the filter, in order.
pub async fn fixed(db: &Db, set: Set, ids: &[String], page: &Page<'_>) -> Result<Listed<String>> {
    let (where_sql, order_sql, mut c) = clauses(db, set, &Scope::default(), page)?;
    if ids.is_empty() {
        return Ok(Listed { rows: vec![], more: false, count: page.count.then_some(0) });
    }
    // The candidate ids come first in the parameter list of the CTE; renumber by building
    // the CTE with parameters after the filter's.
    let values: Vec<String> = ids.iter().map(|i| format!("({})", c.text(i))).collect();
    let from = format!("(SELECT * FROM (VALUES {}) AS v(id)) k", values.join(", "));
    let from = if db.dialect() == Dialect::Sqlite {
        // SQLite names VALUES columns column1, …
        format!("(SELECT column1 AS id FROM (VALUES {})) k", values.join(", "))
    } else {
        from
    };
    run_list(db, &from, "k.id", (where_sql, order_sql, c), page, |r| r.try_get::<String, _>(0).store()).await
}

// ---- registry-backed and API-created entities in one listing ------------------------------------

/// An entity of a mixed listing: a registry-backed one by its text id, or one created
/// through the API by its number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Registry(String),
    Native(i64),
}

/// The SQL type of an ordering value, so both halves of a UNION agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Num,
    Text,
    Bool,
    Int,
    Null,
}

impl Kind {
    fn sql(self) -> &'static str {
        match self {
            Kind::Num => "DOUBLE PRECISION",
            Kind::Text | Kind::Null => "TEXT",
            Kind::Bool => "BOOLEAN",
            Kind::Int => "BIGINT",
        }
    }
}

impl Compiler {
    /// One column per `$orderby` item with its type (a composite id becomes its text).
    fn order_items(&mut self, ctx: Ctx, items: &[(Expr, bool)]) -> Result<Vec<(String, bool, Kind)>> {
        let mut out = Vec::new();
        for (e, desc) in items {
            let (col, kind) = match self.expr(ctx, e)? {
                V::Num(c) | V::Result(c, _) => (c, Kind::Num),
                V::Str(c) => (c, Kind::Text),
                V::Bool(c) => (c, Kind::Bool),
                V::Time(c) | V::Interval(c, _) => (c, Kind::Int),
                V::Key(cols, _) => {
                    let parts: Vec<String> = cols.iter().map(|c| format!("CAST({c} AS TEXT)")).collect();
                    (parts.join(" || '~' || "), Kind::Text)
                }
                V::Null => ("NULL".to_owned(), Kind::Null),
                _ => return Err(unsupported("$orderby on a geometry is not supported")),
            };
            out.push((col, *desc, kind));
        }
        Ok(out)
    }
}

/// The FROM of a registry-backed set and the text of its ids.
fn registry_from(c: &mut Compiler, set: Set, fixed_ids: &[String]) -> (String, &'static str) {
    match set {
        Set::Datastreams => (
            "eco_latest l JOIN eco_station s ON s.id = l.station_id".into(),
            "(l.station_id || '~' || l.factor || '~' || l.period)",
        ),
        Set::Observations => (
            if c.station { "eco_observation o JOIN eco_station s ON s.id = o.station_id" } else { "eco_observation o" }
                .into(),
            "(o.station_id || '~' || o.factor || '~' || o.period || '~' || CAST(o.time_ms AS TEXT))",
        ),
        Set::Sensors | Set::ObservedProperties => {
            let values: Vec<String> = fixed_ids.iter().map(|i| format!("({})", c.text(i))).collect();
            let from = match c.dialect {
                Dialect::Sqlite => format!("(SELECT column1 AS id FROM (VALUES {})) k", values.join(", ")),
                Dialect::Postgres => format!("(SELECT * FROM (VALUES {}) AS v(id)) k", values.join(", ")),
            };
            (from, "k.id")
        }
        _ => ("eco_station s".into(), "s.id"),
    }
}

/// A page of a collection holding both registry-backed entities and entities created through
/// the API: one UNION ALL of the two filtered halves, ordered by the `$orderby` values (then
/// registry entities before API-created ones, each by id). Returns the page's keys.
pub async fn mixed(db: &Db, set: Set, page: &Page<'_>, fixed_ids: &[String]) -> Result<Listed<Key>> {
    let mut c = Compiler::new(db.dialect(), page.now_ms);
    let ctx = ctx_of(set);
    let mut pconds = Vec::new();
    if let Some(f) = page.filter {
        pconds.push(c.boolean(ctx, f)?);
    }
    let pord = c.order_items(ctx, page.order)?;
    let mut nconds = Vec::new();
    if let Some(f) = page.filter {
        nconds.push(c.boolean(Ctx::Native(set), f)?);
    }
    let nord = c.order_items(Ctx::Native(set), page.order)?;
    let (from, key) = registry_from(&mut c, set, fixed_ids);
    let w = |conds: &[String]| if conds.is_empty() { String::new() } else { format!(" WHERE {}", conds.join(" AND ")) };
    let (pw, nw) = (w(&pconds), w(&nconds));
    let table = super::sta_native::table(set);
    let count = if page.count {
        let sql = format!("SELECT (SELECT COUNT(*) FROM {from}{pw}) + (SELECT COUNT(*) FROM {table} n{nw})");
        Some(count_of(db, &c.p, &sql).await?)
    } else {
        None
    };
    if page.top == 0 {
        return Ok(Listed { rows: vec![], more: count.is_some_and(|n| n > page.skip), count });
    }
    let (mut pcols, mut ncols, mut order) = (String::new(), String::new(), Vec::new());
    for (i, (((pe, desc, pk), (ne, _, nk)), (item, _))) in pord.into_iter().zip(nord).zip(page.order).enumerate() {
        let dir = if desc { "DESC" } else { "ASC" };
        // By id: registry ids as text, then API-created ones as numbers (not "10" < "9").
        if matches!(item, Expr::Prop(p) if p.len() == 1 && (p[0] == "id" || p[0] == "@iot.id")) {
            order.extend([format!("src {dir}"), format!("kt {dir}"), format!("kn {dir}")]);
            continue;
        }
        let (pe, ne) = match (pk, nk) {
            (a, b) if a == b => (pe, ne),
            (Kind::Null, b) => (format!("CAST(NULL AS {})", b.sql()), ne),
            (a, Kind::Null) => (pe, format!("CAST(NULL AS {})", a.sql())),
            _ => (format!("CAST({pe} AS TEXT)"), format!("CAST({ne} AS TEXT)")),
        };
        pcols.push_str(&format!(", {pe} AS o{i}"));
        ncols.push_str(&format!(", {ne} AS o{i}"));
        order.push(format!("o{i} {dir}"));
    }
    order.extend(["src ASC".to_owned(), "kt ASC".to_owned(), "kn ASC".to_owned()]);
    let mut p = c.p;
    let limit = p.push(page.top + 1);
    let offset = p.push(page.skip);
    let sql = format!(
        "SELECT src, kt, kn FROM (SELECT CAST(0 AS BIGINT) AS src, {key} AS kt, CAST(NULL AS BIGINT) AS kn{pcols} FROM {from}{pw} \
         UNION ALL SELECT CAST(1 AS BIGINT) AS src, CAST(NULL AS TEXT) AS kt, n.id AS kn{ncols} FROM {table} n{nw}) u \
         ORDER BY {} LIMIT {limit} OFFSET {offset}",
        order.join(", ")
    );
    let rows = p.bind(&sql).fetch_all(db.pool()).await.map_err(eval_err)?;
    let more = rows.len() as i64 > page.top;
    let mut keys = Vec::with_capacity(rows.len());
    for r in rows.iter().take(usize::try_from(page.top).unwrap_or(0)) {
        let src: i64 = r.try_get("src").store()?;
        keys.push(if src == 0 {
            Key::Registry(r.try_get("kt").store()?)
        } else {
            Key::Native(r.try_get("kn").store()?)
        });
    }
    Ok(Listed { rows: keys, more, count })
}

/// The latest observation of each datastream (one pass over `eco_latest`).
pub async fn latest_observations(db: &Db, keys: &[DsKey]) -> Result<Vec<ObsRow>> {
    let mut out = Vec::new();
    for chunk in keys.chunks(300) {
        let mut p = Params::new();
        let list: Vec<String> = chunk
            .iter()
            .map(|k| {
                format!(
                    "({}, {}, {})",
                    p.push(k.station_id.as_str()),
                    p.push(k.factor.as_str()),
                    p.push(k.period.as_str())
                )
            })
            .collect();
        let sql = format!(
            "SELECT {OBS_COLS} FROM eco_latest l JOIN eco_observation o ON o.station_id = l.station_id \
             AND o.factor = l.factor AND o.period = l.period AND o.time_ms = l.time_ms \
             WHERE (l.station_id, l.factor, l.period) IN (VALUES {})",
            list.join(", ")
        );
        let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
        for r in &rows {
            out.push(obs_of(r)?);
        }
    }
    Ok(out)
}

/// Factor codes that have data (for ObservedProperties beyond the catalogue).
pub async fn factors_with_data(db: &Db) -> Result<Vec<String>> {
    let rows = query("SELECT DISTINCT factor FROM eco_latest").fetch_all(db.pool()).await.store()?;
    rows.iter().map(|r| r.try_get::<String, _>(0).store()).collect()
}

/// Which of these observation times already exist in a datastream.
pub async fn existing_times(db: &Db, ds: &DsKey, times: &[i64]) -> Result<Vec<i64>> {
    let mut out = Vec::new();
    for chunk in times.chunks(500) {
        let mut p = Params::new();
        let sql = format!(
            "SELECT time_ms FROM eco_observation WHERE station_id = {} AND factor = {} AND period = {} AND time_ms IN ({})",
            p.push(ds.station_id.as_str()),
            p.push(ds.factor.as_str()),
            p.push(ds.period.as_str()),
            chunk.iter().map(|t| p.push(*t)).collect::<Vec<_>>().join(", ")
        );
        for r in p.bind(&sql).fetch_all(db.pool()).await.store()? {
            out.push(r.try_get::<i64, _>(0).store()?);
        }
    }
    Ok(out)
}

/// Changes an observation's value, flag and min/max; keeps `eco_latest` in step.
pub async fn update_observation(db: &Db, k: &ObsKey, o: &ObsRow) -> Result<bool> {
    let mut tx = db.pool().begin().await.store()?;
    let num = o.value.parse::<f64>().unwrap_or(0.0);
    let r = query(
        "UPDATE eco_observation SET value = $1, value_num = $2, flag = $3, min_value = $4, max_value = $5 \
         WHERE station_id = $6 AND factor = $7 AND period = $8 AND time_ms = $9",
    )
    .bind(&o.value)
    .bind(num)
    .bind(&o.flag)
    .bind(o.min.clone())
    .bind(o.max.clone())
    .bind(&k.ds.station_id)
    .bind(&k.ds.factor)
    .bind(k.ds.period.as_str())
    .bind(k.time_ms)
    .execute(&mut *tx)
    .await
    .store()?;
    query(
        "UPDATE eco_latest SET value = $1, flag = $2 WHERE station_id = $3 AND factor = $4 AND period = $5 AND time_ms = $6",
    )
    .bind(&o.value)
    .bind(&o.flag)
    .bind(&k.ds.station_id)
    .bind(&k.ds.factor)
    .bind(k.ds.period.as_str())
    .bind(k.time_ms)
    .execute(&mut *tx)
    .await
    .store()?;
    tx.commit().await.store()?;
    Ok(r.rows_affected() == 1)
}

/// Deletes an observation; when it was its datastream's latest, the next newest becomes the
/// latest (or the datastream disappears with its last observation).
pub async fn delete_observation(db: &Db, k: &ObsKey) -> Result<bool> {
    let mut tx = db.pool().begin().await.store()?;
    let (st, fac, per) = (k.ds.station_id.as_str(), k.ds.factor.as_str(), k.ds.period.as_str());
    let r = query("DELETE FROM eco_observation WHERE station_id = $1 AND factor = $2 AND period = $3 AND time_ms = $4")
        .bind(st)
        .bind(fac)
        .bind(per)
        .bind(k.time_ms)
        .execute(&mut *tx)
        .await
        .store()?;
    let was_latest =
        query("SELECT 1 FROM eco_latest WHERE station_id = $1 AND factor = $2 AND period = $3 AND time_ms = $4")
            .bind(st)
            .bind(fac)
            .bind(per)
            .bind(k.time_ms)
            .fetch_optional(&mut *tx)
            .await
            .store()?
            .is_some();
    if was_latest {
        let next = query(
            "SELECT time_ms, value, flag FROM eco_observation WHERE station_id = $1 AND factor = $2 AND period = $3 \
             ORDER BY time_ms DESC LIMIT 1",
        )
        .bind(st)
        .bind(fac)
        .bind(per)
        .fetch_optional(&mut *tx)
        .await
        .store()?;
        match next {
            Some(n) => {
                let (t, v, f): (i64, String, String) =
                    (n.try_get(0).store()?, n.try_get(1).store()?, n.try_get(2).store()?);
                query(
                    "UPDATE eco_latest SET time_ms = $1, value = $2, flag = $3 WHERE station_id = $4 AND factor = $5 \
                     AND period = $6",
                )
                .bind(t)
                .bind(v)
                .bind(f)
                .bind(st)
                .bind(fac)
                .bind(per)
                .execute(&mut *tx)
                .await
                .store()?;
            }
            None => {
                query("DELETE FROM eco_latest WHERE station_id = $1 AND factor = $2 AND period = $3")
                    .bind(st)
                    .bind(fac)
                    .bind(per)
                    .execute(&mut *tx)
                    .await
                    .store()?;
            }
        }
    }
    tx.commit().await.store()?;
    Ok(r.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sta::filter::parse;

    fn sql(set: Set, f: &str) -> Result<String> {
        let e = parse(f)?;
        let mut c = Compiler::new(Dialect::Postgres, 0);
        c.boolean(ctx_of(set), &e)
    }

    #[test]
    fn translations_use_parameters_and_refuse_what_they_cannot_do() {
        let s = sql(Set::Observations, "result gt 10 and phenomenonTime ge 2026-01-01T00:00:00Z").unwrap_or_default();
        assert!(s.contains("o.value_num > $1") && s.contains("o.time_ms >= $2"), "{s}");
        let s = sql(Set::Things, "name eq 'x'' OR 1=1 --'").unwrap_or_default();
        assert_eq!(s, "(s.name = $1)");
        let code = |f: &str| sql(Set::Things, f).err().map(|e| e.code.into_owned()).unwrap_or_default();
        assert_eq!(code("Datastreams/name eq 'x'"), "sta.unsupported_filter");
        assert_eq!(code("colour eq 'x'"), "sta.unknown_property");
        assert_eq!(code("name eq 5 and 3"), "sta.invalid_filter");
        assert_eq!(code("name gt true"), "sta.invalid_filter");
        assert_eq!(code("length(name) add 'x' gt 1"), "sta.invalid_filter");
    }
}
