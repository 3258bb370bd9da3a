//! The EPCIS 2.0 REST bindings at `/epcis`: discovery (`OPTIONS`, `GET /epcis`), capture
//! (`/capture`, `/events`), queries (`/events`, `/eventTypes`, `/epcs`, `/bizSteps`,
//! `/bizLocations`, `/readPoints`, `/dispositions`), named queries and webhook
//! subscriptions. Protocol endpoints, documented in docs/traceability.md, not in /api/v1.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Json, Router};
use qy_kernel::auth::Credential;
use qy_kernel::{Error, Principal};
use qy_web::AppState;
use serde_json::{json, Value};

use super::epcis_error::{EpcisError, EpcisResult};
use crate::domain::perm;
use crate::service::capture::ErrorBehaviour;
use crate::service::output::EpcFormat;
use crate::service::query::Page;
use crate::{service, Ctx, Trace};

pub const EPCIS_VERSION: &str = "2.0.0";
pub const CBV_VERSION: &str = "2.0.0";

pub fn router() -> Router<AppState> {
    let capture = Router::new()
        .route("/epcis/capture", get(list_captures).post(capture).options(discover_capture))
        .layer(DefaultBodyLimit::max(17 * 1024 * 1024));
    Router::new()
        .route("/epcis", get(root).options(discover))
        .route("/epcis/", get(root).options(discover))
        .route("/epcis/capture/{id}", get(capture_job).options(discover))
        .route("/epcis/events", get(events).post(one_event).options(discover))
        .route("/epcis/events/{id}", get(event_by_id).options(discover))
        .route("/epcis/eventTypes", get(event_types).options(discover))
        .route("/epcis/eventTypes/{t}", get(event_type).options(discover))
        .route("/epcis/eventTypes/{t}/events", get(event_type_events).options(discover))
        .route("/epcis/queries", get(super::epcis_queries::list).post(super::epcis_queries::create).options(discover))
        .route(
            "/epcis/queries/{name}",
            get(super::epcis_queries::get_one).delete(super::epcis_queries::delete).options(discover),
        )
        .route("/epcis/queries/{name}/events", get(super::epcis_queries::events).options(discover))
        .route(
            "/epcis/queries/{name}/subscriptions",
            get(super::epcis_queries::subscriptions).post(super::epcis_queries::subscribe).options(discover),
        )
        .route(
            "/epcis/queries/{name}/subscriptions/{id}",
            get(super::epcis_queries::subscription).delete(super::epcis_queries::unsubscribe).options(discover),
        )
        .route("/epcis/{resource}", get(browse).options(discover))
        .route("/epcis/{resource}/{value}", get(browse_one).options(discover))
        .route("/epcis/{resource}/{value}/events", get(browse_events).options(discover))
        .merge(capture)
        .layer(axum::middleware::map_response(discovery_headers))
}

/// The GS1 discovery headers every EPCIS response carries.
async fn discovery_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    for (name, value) in [
        ("gs1-epcis-version", EPCIS_VERSION),
        ("gs1-epcis-min", EPCIS_VERSION),
        ("gs1-epcis-max", EPCIS_VERSION),
        ("gs1-cbv-version", CBV_VERSION),
        ("gs1-cbv-min", CBV_VERSION),
        ("gs1-cbv-max", CBV_VERSION),
        ("gs1-vendor-version", concat!("qingyun/", env!("CARGO_PKG_VERSION"))),
    ] {
        h.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
    if !h.contains_key("gs1-epc-format") {
        h.insert(HeaderName::from_static("gs1-epc-format"), HeaderValue::from_static("Always_GS1_Digital_Link"));
    }
    r
}

fn allow(methods: &'static str) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert(header::ALLOW, HeaderValue::from_static(methods));
    r.headers_mut().insert(HeaderName::from_static("gs1-extensions"), HeaderValue::from_static(""));
    r
}

async fn discover() -> Response {
    allow("OPTIONS, GET, POST, DELETE")
}

async fn discover_capture(Extension(ctx): Extension<Ctx>) -> Response {
    let mut r = allow("OPTIONS, GET, POST");
    let h = r.headers_mut();
    for (name, value) in [
        ("gs1-epcis-capture-limit", ctx.config.capture_limit.to_string()),
        ("gs1-epcis-capture-file-size-limit", ctx.config.capture_bytes.to_string()),
        ("gs1-capture-error-behaviour", "rollback, proceed".to_owned()),
    ] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(HeaderName::from_static(name), v);
        }
    }
    r
}

/// An authenticated EPCIS client (Bearer token: a personal access token or session token).
pub struct EpcisUser(pub Principal);

impl FromRequestParts<AppState> for EpcisUser {
    type Rejection = EpcisError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, EpcisError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer ").or_else(|| h.strip_prefix("bearer ")))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::unauthenticated("send Authorization: Bearer TOKEN"))?;
        match state.auth.authenticate(&Credential::Bearer(token.to_owned())).await? {
            Some(a) => {
                qy_web::extract::ActorSlot::set(parts, &a.principal.account_id);
                Ok(EpcisUser(a.principal))
            }
            None => Err(Error::unauthenticated("the token is unknown, expired or revoked").into()),
        }
    }
}

pub(crate) fn require(p: &Principal, permission: &'static str) -> EpcisResult<()> {
    if p.can(permission) {
        Ok(())
    } else {
        Err(Error::forbidden("trace.forbidden", format!("this needs the permission {permission}")).into())
    }
}

fn json_response(status: StatusCode, body: &Value, content_type: &'static str) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// The top-level resources.
async fn root() -> Response {
    let resources = [
        "capture",
        "events",
        "eventTypes",
        "epcs",
        "bizSteps",
        "bizLocations",
        "readPoints",
        "dispositions",
        "queries",
    ];
    json_response(
        StatusCode::OK,
        &json!({"@context": qy_epcis::STANDARD_CONTEXT_URL, "type": "Collection", "member": resources}),
        "application/ld+json",
    )
}

fn media_ok(headers: &HeaderMap) -> EpcisResult<()> {
    let ct = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let base = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if base == "application/json" || base == "application/ld+json" {
        Ok(())
    } else {
        Err(Error::bad_request(
            "trace.unsupported_media_type",
            format!("send application/json or application/ld+json, not {ct:?} (XML is not supported)"),
        )
        .into())
    }
}

fn unsupported_media(e: EpcisError) -> Response {
    let mut r = e.into_response();
    if r.status() == StatusCode::BAD_REQUEST {
        *r.status_mut() = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    }
    r
}

async fn capture(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    user: Result<EpcisUser, EpcisError>,
    body: Bytes,
) -> Response {
    let result: EpcisResult<Response> = async {
        let EpcisUser(p) = user?;
        require(&p, perm::CAPTURE)?;
        if let Err(e) = media_ok(&headers) {
            return Ok(unsupported_media(e));
        }
        if body.len() > ctx.config.capture_bytes {
            return Err(Error::new(
                qy_kernel::ErrorKind::PayloadTooLarge,
                "trace.capture_limit",
                format!(
                    "{} bytes; this repository captures documents of at most {}",
                    body.len(),
                    ctx.config.capture_bytes
                ),
            )
            .into());
        }
        let behaviour =
            ErrorBehaviour::parse(headers.get("gs1-capture-error-behaviour").and_then(|v| v.to_str().ok()))?;
        let text = String::from_utf8(body.to_vec())
            .map_err(|_| Error::bad_request("trace.malformed_document", "the body is not UTF-8"))?;
        let id = service(&state, &ctx).start_capture(text, behaviour, &p.account_id).await?;
        let mut r = StatusCode::ACCEPTED.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("/epcis/capture/{id}")) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Ok(r)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

fn job_json(j: &crate::domain::CaptureJob) -> Value {
    let ts = |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| format!("{t:.3}")).unwrap_or_default();
    json!({
        "captureID": j.id, "createdAt": ts(j.created_at), "finishedAt": j.finished_at.map(ts),
        "running": j.running, "success": j.success, "captureErrorBehaviour": j.behaviour,
        "eventCount": j.event_count, "capturedCount": j.captured, "duplicateCount": j.duplicates,
        "errors": j.errors,
    })
}

async fn capture_job(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    Path(id): Path<String>,
) -> EpcisResult<Json<Value>> {
    require(&p, perm::CAPTURE)?;
    let job = service(&state, &ctx).capture_job(&id).await?;
    Ok(Json(job_json(&job)))
}

async fn list_captures(State(state): State<AppState>, EpcisUser(p): EpcisUser) -> EpcisResult<Json<Value>> {
    require(&p, perm::CAPTURE)?;
    let jobs = crate::store::captures::recent(&state.db, 100).await?;
    Ok(Json(Value::Array(jobs.iter().map(job_json).collect())))
}

async fn one_event(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    EpcisUser(p): EpcisUser,
    body: Bytes,
) -> Response {
    let result: EpcisResult<Response> = async {
        require(&p, perm::CAPTURE)?;
        if let Err(e) = media_ok(&headers) {
            return Ok(unsupported_media(e));
        }
        let text = std::str::from_utf8(&body)
            .map_err(|_| Error::bad_request("trace.malformed_event", "the body is not UTF-8"))?;
        let id = service(&state, &ctx).capture_one(text, &p.account_id).await?;
        let mut r = StatusCode::CREATED.into_response();
        let location = format!("/epcis/events/{}", encode(&id));
        if let Ok(v) = HeaderValue::from_str(&location) {
            r.headers_mut().insert(header::LOCATION, v);
        }
        Ok(r)
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// Percent-encodes a path segment.
pub(crate) fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

/// The query string's parameters, in order. A `+` in a time is kept (clients often leave
/// the offset's `+` unencoded, which form decoding would turn into a space).
pub(crate) fn params_of(uri: &Uri) -> Vec<(String, String)> {
    form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
        .map(|(k, v)| {
            let v = if k.ends_with("Time") || k.ends_with("_time") { v.replace(' ', "+") } else { v.into_owned() };
            (k.into_owned(), v)
        })
        .collect()
}

fn format_of(headers: &HeaderMap) -> EpcisResult<EpcFormat> {
    Ok(EpcFormat::parse(headers.get("gs1-epc-format").and_then(|v| v.to_str().ok()))?)
}

/// Runs a query and answers with the page, a `Link: rel="next"` when there is more.
pub(crate) async fn answer(
    trace: &Trace,
    uri: &Uri,
    headers: &HeaderMap,
    query_name: &str,
    pairs: Vec<(String, String)>,
) -> EpcisResult<Response> {
    let format = format_of(headers)?;
    let extensions = headers.get("gs1-extensions").and_then(|v| v.to_str().ok()).unwrap_or("");
    let q = qy_epcis::query::parse_query_params(&pairs)
        .map_err(|e| Error::bad_request("trace.query_parameter", format!("{}: {}", e.parameter, e.message)))?;
    let page: Page = trace.run_query(&q, extensions).await?;
    let doc = trace.query_document(query_name, None, &page.events, format).await?;
    let mut r = json_response(StatusCode::OK, &doc, "application/ld+json");
    r.headers_mut().insert(HeaderName::from_static("gs1-epc-format"), HeaderValue::from_static(format.header()));
    if let Some(token) = page.next_token {
        let mut next: Vec<(String, String)> = pairs.into_iter().filter(|(k, _)| k != "nextPageToken").collect();
        next.push(("nextPageToken".into(), token));
        let qs = form_urlencoded::Serializer::new(String::new()).extend_pairs(next).finish();
        if let Ok(v) = HeaderValue::from_str(&format!("<{}?{qs}>; rel=\"next\"", uri.path())) {
            r.headers_mut().insert(header::LINK, v);
        }
    }
    Ok(r)
}

async fn events(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    headers: HeaderMap,
    uri: Uri,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    answer(&service(&state, &ctx), &uri, &headers, "SimpleEventQuery", params_of(&uri)).await
}

async fn event_by_id(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    let format = format_of(&headers)?;
    let trace = service(&state, &ctx);
    let found = crate::store::events::by_event_id(&state.db, &id).await?;
    if found.is_empty() {
        return Err(Error::not_found("trace.no_such_event", format!("no event {id}")).into());
    }
    let doc = trace.query_document("SimpleEventQuery", None, &found, format).await?;
    let mut r = json_response(StatusCode::OK, &doc, "application/ld+json");
    r.headers_mut().insert(HeaderName::from_static("gs1-epc-format"), HeaderValue::from_static(format.header()));
    Ok(r)
}

const EVENT_TYPES: [&str; 5] =
    ["ObjectEvent", "AggregationEvent", "TransactionEvent", "TransformationEvent", "AssociationEvent"];

fn collection(members: Vec<Value>) -> Response {
    json_response(
        StatusCode::OK,
        &json!({"@context": qy_epcis::STANDARD_CONTEXT_URL, "type": "Collection", "member": members}),
        "application/ld+json",
    )
}

async fn event_types(EpcisUser(p): EpcisUser) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    Ok(collection(EVENT_TYPES.iter().map(|t| json!(t)).collect()))
}

fn known_type(t: &str) -> EpcisResult<()> {
    if EVENT_TYPES.contains(&t) {
        Ok(())
    } else {
        Err(Error::not_found("trace.no_such_event_type", format!("{t} is not an EPCIS event type")).into())
    }
}

async fn event_type(EpcisUser(p): EpcisUser, Path(t): Path<String>) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    known_type(&t)?;
    Ok(collection(vec![json!("events")]))
}

async fn event_type_events(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    headers: HeaderMap,
    uri: Uri,
    Path(t): Path<String>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    known_type(&t)?;
    let mut pairs = params_of(&uri);
    pairs.push(("eventType".into(), t));
    answer(&service(&state, &ctx), &uri, &headers, "SimpleEventQuery", pairs).await
}

/// The browse resources: which column they list and which query parameter they filter by.
fn resource(name: &str) -> EpcisResult<(&'static str, &'static str)> {
    Ok(match name {
        "epcs" => ("epc", "MATCH_anyEPC"),
        "bizSteps" => ("biz_step", "EQ_bizStep"),
        "bizLocations" => ("biz_location", "EQ_bizLocation"),
        "readPoints" => ("read_point", "EQ_readPoint"),
        "dispositions" => ("disposition", "EQ_disposition"),
        _ => return Err(Error::not_found("trace.no_such_resource", format!("/epcis/{name} is not a resource")).into()),
    })
}

async fn browse(
    State(state): State<AppState>,
    EpcisUser(p): EpcisUser,
    Path(name): Path<String>,
    uri: Uri,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    let (column, _) = resource(&name)?;
    let members: Vec<Value> = if column == "epc" {
        let after = params_of(&uri).into_iter().find(|(k, _)| k == "nextPageToken").map(|(_, v)| v).unwrap_or_default();
        crate::store::events::distinct_epcs(&state.db, &after, 1000).await?.into_iter().map(Value::String).collect()
    } else {
        crate::store::events::distinct(&state.db, column, 1000)
            .await?
            .into_iter()
            .map(|(v, _)| Value::String(v))
            .collect()
    };
    Ok(collection(members))
}

async fn browse_one(EpcisUser(p): EpcisUser, Path((name, _value)): Path<(String, String)>) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    resource(&name)?;
    Ok(collection(vec![json!("events")]))
}

async fn browse_events(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    EpcisUser(p): EpcisUser,
    headers: HeaderMap,
    uri: Uri,
    Path((name, value)): Path<(String, String)>,
) -> EpcisResult<Response> {
    require(&p, perm::QUERY)?;
    let (_, mut param) = resource(&name)?;
    // A lot (class-level identifier) is found in quantity lists, an instance in EPC lists.
    let canonical = crate::service::index::canonical_id(&value);
    if name == "epcs"
        && (value.starts_with("urn:epc:class:") || (canonical.contains("/10/") && !canonical.contains("/21/")))
    {
        param = "MATCH_anyEPCClass";
    }
    let mut pairs = params_of(&uri);
    pairs.push((param.to_owned(), value));
    answer(&service(&state, &ctx), &uri, &headers, "SimpleEventQuery", pairs).await
}
