//! The GS1 Digital Link resolver on the platform's own domain: `/01/{gtin}/10/{lot}` (and
//! `/21/{serial}`) serves the consumer page, or the Digital Link linkset when asked for
//! with `linkType=all` or `Accept: application/linkset+json` / `application/json`; other
//! link types redirect. Also the QR codes and the printable label sheet of a lot.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use qy_kernel::Error;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{labels, public_base};
use crate::service::consumer::ConsumerView;
use crate::service::forms::{gtin14, lot_number, lot_uri};
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/01/{*rest}", get(resolve))
        .route("/trace/qr/{gtin}/{lot}", get(qr))
        .route("/trace/labels/{gtin}/{lot}", get(label_sheet))
}

#[derive(Debug, Deserialize, Default)]
struct ResolveQuery {
    #[serde(rename = "linkType")]
    link_type: Option<String>,
}

/// The link types of the GS1 Web Vocabulary this resolver answers.
const PIP: &str = "https://gs1.org/voc/pip";
const CERTIFICATION: &str = "https://gs1.org/voc/certificationInfo";
const RECALL: &str = "https://gs1.org/voc/recallStatus";
const EPCIS: &str = "https://gs1.org/voc/epcis";
const TRACEABILITY: &str = "https://gs1.org/voc/traceability";

fn link_type(v: &str) -> String {
    match v.strip_prefix("gs1:") {
        Some(local) => format!("https://gs1.org/voc/{local}"),
        None => v.to_owned(),
    }
}

fn wants_linkset(headers: &HeaderMap, q: &ResolveQuery) -> bool {
    if q.link_type.as_deref() == Some("all") {
        return true;
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
    accept.contains("application/linkset+json")
        || (accept.contains("application/json") && !accept.contains("text/html"))
}

/// The RFC 9264 linkset of an item, in the GS1 Digital Link resolver's shape.
fn linkset(base: &str, path: &str, view: &ConsumerView) -> Value {
    let page = format!("{base}{path}");
    let title = view.product.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    let mut links = serde_json::Map::new();
    links.insert("anchor".into(), json!(view.id));
    links.insert(
        PIP.into(),
        json!([{"href": page, "title": title, "type": "text/html", "hreflang": ["zh", "en", "bo"]}]),
    );
    links.insert("https://gs1.org/voc/defaultLink".into(), json!([{"href": page, "title": title}]));
    let events = format!("{base}/epcis/epcs/{}/events", super::epcis::encode(&view.id));
    links.insert(EPCIS.into(), json!([{"href": events, "title": "EPCIS events", "type": "application/ld+json"}]));
    links.insert(TRACEABILITY.into(), json!([{"href": page, "title": title}]));
    if !view.certs.is_empty() {
        let certs: Vec<Value> = view
            .certs
            .iter()
            .map(|c| json!({"href": format!("{page}#cert-{}", c.code), "title": format!("{} {}", c.kind, c.code)}))
            .collect();
        links.insert(CERTIFICATION.into(), Value::Array(certs));
    }
    let recalled = !view.recalls.is_empty();
    links.insert(
        RECALL.into(),
        json!([{"href": format!("{page}#recall"), "title": if recalled { "recalled" } else { "not recalled" }}]),
    );
    json!({"linkset": [Value::Object(links)]})
}

async fn resolve(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    headers: HeaderMap,
    uri: Uri,
    Path(_rest): Path<String>,
    Query(q): Query<ResolveQuery>,
) -> Result<Response, PageError> {
    let origin = public_base(&state, &headers);
    let link = format!("{origin}{}", uri.path());
    let trace = service(&state, &ctx);
    let view = match trace.consumer_view(&link).await {
        Ok(v) => v,
        Err(e) if wants_linkset(&headers, &q) => return Ok(qy_web::ApiError(e).into_response()),
        Err(e) => return Err(PageError::new(&state, &base, e)),
    };
    if wants_linkset(&headers, &q) {
        let mut r = (StatusCode::OK, linkset(&origin, uri.path(), &view).to_string()).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/linkset+json"));
        return Ok(r);
    }
    if let Some(t) = q.link_type.as_deref().map(link_type) {
        match t.as_str() {
            EPCIS => {
                return Ok(Redirect::temporary(&format!("/epcis/epcs/{}/events", super::epcis::encode(&view.id)))
                    .into_response())
            }
            PIP | TRACEABILITY | CERTIFICATION | RECALL => {}
            _ => {
                return Err(PageError::new(
                    &state,
                    &base,
                    Error::not_found("trace.no_such_link_type", format!("no link of type {t} for {}", view.id)),
                ))
            }
        }
    }
    let chart = crate::http::chart::cold_chain_svg(&view.readings);
    let name = product_name(&view, base.lang);
    let mut r = render(&state, &base, "trace/consumer.html", context! { view, chart, name, link });
    let header_link =
        format!("<{origin}{}?linkType=all>; rel=\"linkset\"; type=\"application/linkset+json\"", uri.path());
    if let Ok(v) = HeaderValue::from_str(&header_link) {
        r.headers_mut().insert(header::LINK, v);
    }
    Ok(r)
}

/// The product's name in the page's language.
fn product_name(view: &ConsumerView, lang: &str) -> Option<String> {
    view.product.as_ref().map(|p| match lang {
        "en" => p.name_en.clone(),
        "bo" => p.name_bo.clone(),
        _ => p.name.clone(),
    })
}

#[derive(Debug, Deserialize, Default)]
struct QrQuery {
    format: Option<String>,
}

async fn qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((gtin, lot)): Path<(String, String)>,
    Query(q): Query<QrQuery>,
) -> Response {
    let (gtin, lot) = match (gtin14(&gtin), lot_number(&lot)) {
        (Ok(g), Ok(l)) => (g, l),
        (Err(e), _) | (_, Err(e)) => return qy_web::ApiError(e).into_response(),
    };
    let link = lot_uri(&gtin, &lot).replace("https://id.gs1.org", &public_base(&state, &headers));
    let (body, content_type) = match q.format.as_deref() {
        Some("png") => match labels::png(&link, 8) {
            Some(p) => (p, "image/png"),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => match labels::svg(&link, 240) {
            Some(s) => (s.into_bytes(), "image/svg+xml"),
            None => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

#[derive(Debug, Deserialize, Default)]
struct SheetQuery {
    count: Option<usize>,
}

/// A printable A4 sheet of labels for a lot: product, lot, producer and the QR.
async fn label_sheet(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    headers: HeaderMap,
    Path((gtin, lot)): Path<(String, String)>,
    Query(q): Query<SheetQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let gtin = gtin14(&gtin).map_err(err)?;
    let lot = lot_number(&lot).map_err(err)?;
    let link = lot_uri(&gtin, &lot).replace("https://id.gs1.org", &public_base(&state, &headers));
    let view = service(&state, &ctx).consumer_view(&link).await.map_err(err)?;
    let qr = labels::svg(&link, 160).unwrap_or_default();
    let count = q.count.unwrap_or(12).clamp(1, 60);
    let name = product_name(&view, base.lang);
    Ok(render(&state, &base, "trace/labels.html", context! { view, qr, link, count, gtin, lot, name }))
}
