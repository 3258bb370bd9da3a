//! OGC SensorThings API 1.1 at `/sta/v1.1`: stations, factors and observations as Things,
//! Datastreams and Observations (see docs/sensorthings.md for the mapping).
//!
//! Reads are public, like the station API. Writes need a bearer-token caller holding
//! `eco.observations.write`: Observations of the registry's stations (POST, PATCH, PUT,
//! DELETE and the data-array `CreateObservations`) in the station's region, and every kind of
//! entity of partner sensor networks created through the API (`native`, numeric ids). The
//! registry's own stations, factors and kinds are read-only here. Every error is
//! problem+json with a stable `sta.*` code; no input makes a handler panic or answer 500.

pub mod filter;
pub mod model;
pub mod mqtt;
mod native;
pub mod notify;
pub mod query;
mod read;
mod write;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Extension, Router};
use qy_kernel::{Error, ErrorKind};
use qy_storage::Db;
use qy_web::{ApiError, ApiUser, AppState, Problem};
use serde_json::{json, Value};

use crate::{Ctx, Ingest};
use model::{DsKey, Set};
use read::{Answer, Out, Row};

pub use write::OBSERVATIONS_WRITE;

pub const ROOT: &str = "/sta/v1.1";

/// Marks an exact decimal to splice into the JSON text (see `model::decimal_json`).
pub(crate) const RAW_MARK: &str = "\u{0}qy-raw:";

/// Bodies of single-entity writes.
const BODY_LIMIT: usize = 1024 * 1024;
/// Bodies of `CreateObservations`.
const ARRAY_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// The conformance classes claimed in the service root (see docs/sensorthings.md).
pub const CONFORMANCE: [&str; 5] = [
    "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/create-update-delete",
    "http://www.opengis.net/spec/iot_sensing/1.1/req/data-array/data-array",
];

/// What a request works with.
pub(crate) struct Cx {
    pub db: Db,
    pub now: i64,
    /// `http://host/sta/v1.1`, for links.
    pub base: String,
    pub ingest: Arc<Ingest>,
}

pub fn router() -> Router<AppState> {
    Router::new().route(ROOT, any(root)).route("/sta/v1.1/", any(root)).route("/sta/v1.1/{*rest}", any(dispatch))
}

fn base_url(headers: &HeaderMap) -> String {
    let h =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.split(',').next().unwrap_or("").trim());
    let host = h("x-forwarded-host").or_else(|| h("host")).filter(|s| {
        !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
    });
    let scheme = match h("x-forwarded-proto") {
        Some("https") => "https",
        _ => "http",
    };
    format!("{scheme}://{}{ROOT}", host.unwrap_or("localhost"))
}

fn problem(e: Error) -> Response {
    ApiError(e).into_response()
}

/// 405 with a problem body (the kernel has no such kind).
fn method_not_allowed(code: &str, detail: String, allow: &'static str) -> Response {
    let body = Problem {
        type_uri: format!("urn:qingyun:problem:{code}"),
        title: "Method Not Allowed".into(),
        status: 405,
        detail,
        code: code.into(),
        request_id: None,
    };
    let mut r = (StatusCode::METHOD_NOT_ALLOWED, axum::Json(body)).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
    r
}

/// 405 for a registry-backed entity (those created through the API are writable).
fn read_only(set: Set) -> Response {
    let why = match set {
        Set::Things | Set::Locations | Set::HistoricalLocations | Set::FeaturesOfInterest => {
            "stations (Things, their Locations, HistoricalLocations and FeaturesOfInterest) are managed in the station \
             registry with their HJ 212 credentials: /api/v1/eco/stations"
        }
        Set::Datastreams => "a Datastream exists once its station has sent a value of the factor and period",
        Set::Sensors => "Sensors are the station kinds (air analysers, water analysers, source CEMS)",
        Set::ObservedProperties => "ObservedProperties are the HJ 212 factor catalogue",
        Set::Observations => "",
    };
    method_not_allowed(
        "sta.read_only_entity",
        format!(
            "these {} are backed by the station registry and read-only here: {why}. Their Observations can be \
             created, changed and deleted, and so can every entity created through SensorThings (numeric ids).",
            set.name()
        ),
        "GET, HEAD",
    )
}

/// JSON text of `v` with exact decimals spliced in verbatim.
fn json_text(v: &Value, raw: &[String]) -> serde_json::Result<String> {
    let mut text = serde_json::to_string(v)?;
    for (i, r) in raw.iter().enumerate() {
        text = text.replace(&format!("\"\\u0000qy-raw:{i}\""), r);
    }
    Ok(text)
}

/// A JSON response; exact decimals are spliced in verbatim.
fn json_response(status: StatusCode, v: &Value, raw: &[String]) -> Response {
    let text = match json_text(v, raw) {
        Ok(t) => t,
        Err(e) => return problem(Error::internal(format!("serialising: {e}"))),
    };
    let mut resp = (status, text).into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    resp
}

async fn root(method: Method, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed("sta.method_not_allowed", "the service root is read-only".into(), "GET, HEAD");
    }
    let base = base_url(&headers);
    let sets: Vec<Value> =
        Set::ALL.iter().map(|s| json!({"name": s.name(), "url": format!("{base}/{}", s.name())})).collect();
    json_response(StatusCode::OK, &json!({"value": sets, "serverSettings": {"conformance": CONFORMANCE}}), &[])
}

async fn dispatch(State(state): State<AppState>, ctx: Option<Extension<Ctx>>, req: Request) -> Response {
    let Some(Extension(ctx)) = ctx else {
        return problem(Error::internal("the eco module context is missing"));
    };
    let (mut parts, body) = req.into_parts();
    let cx =
        Cx { db: state.db.clone(), now: state.now_ms(), base: base_url(&parts.headers), ingest: ctx.ingest.clone() };
    let rest = parts.uri.path().strip_prefix("/sta/v1.1/").unwrap_or("").to_owned();
    let segs = match query::parse_path(&rest) {
        Ok(s) => s,
        Err(e) => return problem(e),
    };
    let method = parts.method.clone();
    if segs.is_empty() {
        return root(method, parts.headers.clone()).await;
    }
    let create_many = segs.len() == 1 && segs[0].name == "CreateObservations";
    match method {
        Method::GET | Method::HEAD => {
            if create_many {
                return method_not_allowed("sta.method_not_allowed", "CreateObservations takes POST".into(), "POST");
            }
            get(&cx, &segs, parts.uri.query().unwrap_or("")).await
        }
        Method::POST | Method::PATCH | Method::PUT | Method::DELETE => {
            let target = if create_many { Some(Set::Observations) } else { target_set(&segs) };
            if target.is_none() {
                return problem(Error::not_found("sta.unknown_resource", "no such entity set or navigation path"));
            }
            let principal = match ApiUser::from_request_parts(&mut parts, &state).await {
                Ok(ApiUser(p)) => p,
                Err(e) => return e.into_response(),
            };
            let limit = if create_many { ARRAY_BODY_LIMIT } else { BODY_LIMIT };
            let bytes = match axum::body::to_bytes(Body::new(body), limit).await {
                Ok(b) => b,
                Err(_) => {
                    return problem(Error::new(
                        ErrorKind::PayloadTooLarge,
                        "request.too_large",
                        format!("the body is larger than {limit} bytes"),
                    ))
                }
            };
            let ctype = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
            match write(&cx, &principal, &method, &segs, create_many, ctype, &bytes).await {
                Ok(r) => r,
                Err(e) => problem(e),
            }
        }
        _ => method_not_allowed(
            "sta.method_not_allowed",
            format!("{method} is not supported"),
            "GET, HEAD, POST, PATCH, PUT, DELETE",
        ),
    }
}

/// The entity set a path ends in, without touching the database.
fn target_set(segs: &[query::Seg]) -> Option<Set> {
    let mut set = Set::parse(&segs.first()?.name)?;
    for seg in segs.iter().skip(1) {
        set = set.nav(&seg.name)?.target;
    }
    Some(set)
}

async fn get(cx: &Cx, segs: &[query::Seg], raw_query: &str) -> Response {
    let pairs: Vec<(String, String)> = match serde_urlencoded::from_str(raw_query) {
        Ok(p) => p,
        Err(e) => return problem(Error::bad_request("sta.invalid_query", format!("unreadable query string: {e}"))),
    };
    let options = match query::parse_query(&pairs) {
        Ok(o) => o,
        Err(e) => return problem(e),
    };
    let mut out = Out { raw: Vec::new(), queries: 0 };
    match read::get(cx, segs, &options, &pairs, &mut out).await {
        Ok(Answer::Json(v)) => json_response(StatusCode::OK, &v, &out.raw),
        Ok(Answer::Text(t)) => {
            let mut r = (StatusCode::OK, t).into_response();
            r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
            r
        }
        Ok(Answer::NoContent) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => problem(e),
    }
}

fn parse_json(bytes: &[u8]) -> Result<Value, Error> {
    serde_json::from_slice(bytes).map_err(|e| Error::bad_request("request.malformed_json", e.to_string()))
}

async fn write(
    cx: &Cx,
    principal: &qy_kernel::Principal,
    method: &Method,
    segs: &[query::Seg],
    create_many: bool,
    content_type: &str,
    bytes: &[u8],
) -> Result<Response, Error> {
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let is_json = mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"));
    if *method != Method::DELETE && !is_json {
        return Err(Error::bad_request("request.unsupported_media_type", "send the body as application/json"));
    }
    if create_many {
        if *method != Method::POST {
            return Ok(method_not_allowed("sta.method_not_allowed", "CreateObservations takes POST".into(), "POST"));
        }
        let links = create_observations(cx, principal, &parse_json(bytes)?).await?;
        return Ok(json_response(StatusCode::CREATED, &Value::Array(links), &[]));
    }
    if *method == Method::POST {
        let Some((set, scope)) = read::resolve_collection(cx, segs).await? else {
            return Ok(method_not_allowed(
                "sta.method_not_allowed",
                "POST creates entities in a collection: /Things, /Datastreams('…')/Observations, …".into(),
                "GET, PATCH, PUT, DELETE",
            ));
        };
        let body = parse_json(bytes)?;
        let native_parent = scope.native.as_ref().map(|n| (n.parent, n.id, n.nav));
        let to_native =
            native_parent.is_some() || (scope.is_top() && (set != Set::Observations || links_native_datastream(&body)));
        if to_native {
            return post_native(cx, principal, set, native_parent, &body).await;
        }
        if set != Set::Observations {
            return Ok(read_only(set));
        }
        // From a datastream (`Datastreams('…')/Observations`) or a site (`FeaturesOfInterest('…')/Observations`).
        let path_ds = match (&scope.factor, &scope.period, &scope.station_id) {
            (Some(f), Some(p), Some(s)) => DsKey::parse(&format!("{s}~{f}~{p}")),
            _ => None,
        };
        let path_station = if path_ds.is_none() { scope.station_id.clone() } else { None };
        let (id, row) = write::create(cx, principal, path_ds, path_station, &body).await?;
        // Rendered from the row just stored rather than read back: one query less per POST.
        let r = render_one(cx, Set::Observations, Row::Obs(row), StatusCode::CREATED).await?;
        return Ok(with_location(r, &model::self_link(&cx.base, Set::Observations, &id)));
    }
    let json_patch = mime == "application/json-patch+json";
    let row = match read::resolve_entity(cx, segs).await? {
        Some((set, Row::Native(n))) => {
            if *method == Method::DELETE {
                native::delete(cx, principal, set, &n).await?;
                return Ok(StatusCode::OK.into_response());
            }
            let put = *method == Method::PUT;
            native::update(cx, principal, set, &n, &parse_json(bytes)?, json_patch, put).await?;
            return rendered(cx, set, &n.id.to_string(), StatusCode::OK).await;
        }
        Some((_, Row::Obs(row))) => row,
        Some((set, _)) => return Ok(read_only(set)),
        None => {
            return Ok(method_not_allowed(
                "sta.method_not_allowed",
                format!("{method} applies to one entity: /Things(1), /Observations('…')"),
                "GET, POST",
            ))
        }
    };
    if *method == Method::DELETE {
        write::delete(cx, principal, &row).await?;
        return Ok(StatusCode::OK.into_response());
    }
    write::update(cx, principal, &row, &parse_json(bytes)?, json_patch, *method == Method::PUT).await?;
    rendered(cx, Set::Observations, &row_id(&row), StatusCode::OK).await
}

/// POST of a partner entity; an Observation of an existing Datastream takes the one-statement
/// path when it can.
async fn post_native(
    cx: &Cx,
    principal: &qy_kernel::Principal,
    set: Set,
    parent: Option<(Set, i64, &'static str)>,
    body: &Value,
) -> Result<Response, Error> {
    let fast = match (set, parent, native_datastream(body)) {
        (Set::Observations, Some((Set::Datastreams, ds, _)), linked) if linked.is_none_or(|l| l == ds) => {
            native::create_observation(cx, principal, ds, body).await?
        }
        (Set::Observations, None, Some(ds)) => native::create_observation(cx, principal, ds, body).await?,
        _ => None,
    };
    let (id, stored) = match fast {
        Some(row) => (row.id, Some(row)),
        None => native::create(cx, principal, set, parent, body).await?,
    };
    let r = match stored {
        // An Observation is answered from the row the insert returned: no read-back.
        Some(row) => render_one(cx, set, Row::Native(row), StatusCode::CREATED).await?,
        None => rendered(cx, set, &id.to_string(), StatusCode::CREATED).await?,
    };
    Ok(with_location(r, &model::native_link(&cx.base, set, id)))
}

/// One entity rendered from its row as a GET would render it, with `status`.
async fn render_one(cx: &Cx, set: Set, row: Row, status: StatusCode) -> Result<Response, Error> {
    let mut out = Out { raw: Vec::new(), queries: 0 };
    let rows = [row];
    let v = read::render_rows(cx, set, &rows, &query::Options::default(), &mut out).await?;
    Ok(json_response(status, v.first().unwrap_or(&Value::Null), &out.raw))
}

fn with_location(mut r: Response, link: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(link) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

/// `CreateObservations`: groups for Datastreams created through the API are stored by
/// `native`, the rest through the gateway's path; the answer keeps the request's row order.
async fn create_observations(cx: &Cx, principal: &qy_kernel::Principal, body: &Value) -> Result<Vec<Value>, Error> {
    let Value::Array(groups) = body else { return write::create_many(cx, principal, body).await };
    let natives: Vec<Option<i64>> = groups.iter().map(native_datastream).collect();
    if natives.iter().all(Option::is_none) {
        return write::create_many(cx, principal, body).await;
    }
    // Nothing is stored unless every partner group may be (the registry's groups are checked
    // the same way by `write::create_many`).
    for (g, n) in groups.iter().zip(&natives) {
        if let Some(ds) = n {
            native::check_array(cx, principal, *ds, g).await?;
        }
    }
    let registry: Vec<Value> =
        groups.iter().zip(&natives).filter(|(_, n)| n.is_none()).map(|(g, _)| g.clone()).collect();
    let mut registry_links =
        if registry.is_empty() { vec![] } else { write::create_many(cx, principal, &Value::Array(registry)).await? }
            .into_iter();
    let mut out = Vec::new();
    for (g, n) in groups.iter().zip(&natives) {
        match n {
            Some(ds) => out.extend(native::create_array(cx, principal, *ds, g).await?),
            None => {
                let rows = g.get("dataArray").and_then(Value::as_array).map_or(0, Vec::len);
                out.extend(registry_links.by_ref().take(rows));
            }
        }
    }
    Ok(out)
}

/// The id of the Datastream a body links (`Datastream@iot.id` or `Datastream: {"@iot.id": …}`).
fn linked_datastream(body: &Value) -> Option<&Value> {
    body.get("Datastream@iot.id").or_else(|| body.get("Datastream").and_then(|d| d.get("@iot.id")))
}

/// The Datastream a body links, when it is one created through the API.
fn native_datastream(body: &Value) -> Option<i64> {
    match linked_datastream(body)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => read::native_id(s),
        _ => None,
    }
}

/// Does a new Observation's body link a Datastream created through the API (a numeric id)?
fn links_native_datastream(body: &Value) -> bool {
    match linked_datastream(body) {
        Some(_) => native_datastream(body).is_some(),
        // A new Datastream inline (deep insert) is created through the API too.
        None => body.get("Datastream").is_some_and(Value::is_object),
    }
}

/// The entity as a GET returns it, with `status`.
async fn rendered(cx: &Cx, set: Set, id: &str, status: StatusCode) -> Result<Response, Error> {
    let mut out = Out { raw: Vec::new(), queries: 0 };
    let seg = query::Seg { name: set.name().into(), key: Some(id.to_owned()) };
    let body = match read::get(cx, &[seg], &query::Options::default(), &[], &mut out).await? {
        Answer::Json(v) => v,
        _ => Value::Null,
    };
    Ok(json_response(status, &body, &out.raw))
}

fn row_id(o: &crate::store::sta::ObsRow) -> String {
    Row::Obs(o.clone()).id()
}
