//! DCAT-AP 3.0 documents of the open-data catalog, as ckanext-dcat serves them:
//! `/catalog.ttl` and `/catalog.jsonld` (pages of 100, `?page=N`, `?modified_since=<ISO 8601>`,
//! Hydra paging), `/dataset/{slug}.ttl` and `/dataset/{slug}.jsonld`. Built with qy-dcat
//! from the entries the public may see (the same rule as the CKAN API). Errors are the
//! platform's problem+json.

mod map;

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use qy_kernel::{Error, Result};
use qy_web::{ApiError, AppState};

use crate::http::ckan::find::{self, Criteria, Order};
use crate::http::ckan::fq::Term;
use crate::http::ckan::site::{base_url, Lookup};
use crate::http::ckan::{time, visible};
use crate::{service, Ctx};

/// Datasets per catalog page (ckanext-dcat's default).
pub const PER_PAGE: usize = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/catalog.ttl", get(catalog_ttl))
        .route("/catalog.jsonld", get(catalog_jsonld))
        .route("/dataset/{file}", get(dataset))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Turtle,
    JsonLd,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Turtle => "ttl",
            Format::JsonLd => "jsonld",
        }
    }
}

fn document(format: Format, turtle: impl FnOnce() -> String, jsonld: impl FnOnce() -> serde_json::Value) -> Response {
    let (content_type, body) = match format {
        Format::Turtle => ("text/turtle; charset=utf-8", turtle()),
        Format::JsonLd => ("application/ld+json", jsonld().to_string()),
    };
    let mut r = (StatusCode::OK, body).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

/// Query parameters (the last of a repeated one wins); never a rejection.
fn query_map(q: Option<String>) -> HashMap<String, String> {
    form_urlencoded::parse(q.unwrap_or_default().as_bytes()).into_owned().collect()
}

fn bad(code: &'static str, detail: String) -> Error {
    Error::bad_request(code, detail)
}

async fn catalog_ttl(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    catalog_page(state, ctx, headers, query_map(q), Format::Turtle)
        .await
        .unwrap_or_else(|e| ApiError(e).into_response())
}

async fn catalog_jsonld(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    catalog_page(state, ctx, headers, query_map(q), Format::JsonLd)
        .await
        .unwrap_or_else(|e| ApiError(e).into_response())
}

async fn catalog_page(
    state: AppState,
    ctx: Ctx,
    headers: HeaderMap,
    q: HashMap<String, String>,
    format: Format,
) -> Result<Response> {
    let page = match q.get("page").map(|p| p.trim()).filter(|p| !p.is_empty()) {
        None => 1,
        Some(p) => p
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad("catalog.invalid_page", format!("page must be a whole number from 1, not {p:?}")))?,
    };
    let since = match q.get("modified_since").map(|s| s.trim()).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(time::parse_instant(s).ok_or_else(|| {
            bad("catalog.invalid_date", format!("modified_since must be an ISO 8601 date or date-time, not {s:?}"))
        })?),
    };
    let catalog = service(&state, &ctx);
    let base = base_url(&state, &headers);
    let lookup = Lookup::load(&catalog).await?;
    let criteria = Criteria {
        q: String::new(),
        terms: since.map(Term::ModifiedSince).into_iter().collect(),
        order: Order::Modified,
    };
    let matched = find::find(&catalog, &lookup, &criteria).await?;
    let last = matched.len().div_ceil(PER_PAGE).max(1);
    if page > last {
        return Err(Error::not_found(
            "catalog.no_such_page",
            format!("page {page} does not exist: the catalog has {last} page(s) of {PER_PAGE}"),
        ));
    }
    let link = |n: usize| {
        let mut s = format!("{base}/catalog.{}?page={n}", format.extension());
        if let Some(t) = since {
            s.push_str(&format!("&modified_since={}", time::rfc3339(t)));
        }
        s
    };
    let paging = qy_dcat::Paging {
        page: u32::try_from(page).unwrap_or(u32::MAX),
        per_page: u32::try_from(PER_PAGE).unwrap_or(u32::MAX),
        total: u64::try_from(matched.len()).unwrap_or(u64::MAX),
        first: link(1),
        next: (page < last).then(|| link(page + 1)),
        prev: (page > 1).then(|| link(page - 1)),
        last: link(last),
    };
    let newest = matched.iter().map(|e| e.updated_at).max();
    let mut datasets = Vec::new();
    for e in matched.iter().skip((page - 1) * PER_PAGE).take(PER_PAGE) {
        datasets.push(map::dataset(&base, &lookup, e, &visible::related(&catalog, e).await));
    }
    let c = map::catalog(&state, &base, datasets, paging, newest);
    Ok(document(format, || qy_dcat::to_turtle(&c), || qy_dcat::to_jsonld(&c)))
}

/// `/dataset/{slug}.ttl`, `.jsonld`; the bare `/dataset/{slug}` (the dataset's IRI) redirects
/// to the document the client accepts, or to the portal page.
async fn dataset(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    headers: HeaderMap,
    Path(file): Path<String>,
) -> Response {
    dataset_document(state, ctx, headers, file).await.unwrap_or_else(|e| ApiError(e).into_response())
}

async fn dataset_document(state: AppState, ctx: Ctx, headers: HeaderMap, file: String) -> Result<Response> {
    let (slug, format) = match file.rsplit_once('.') {
        Some((slug, "ttl")) => (slug, Some(Format::Turtle)),
        Some((slug, "jsonld")) => (slug, Some(Format::JsonLd)),
        Some((_, ext)) => {
            return Err(Error::not_found(
                "catalog.unsupported_rdf_format",
                format!("the catalog is served as .ttl and .jsonld, not .{ext}"),
            ))
        }
        None => (file.as_str(), None),
    };
    let catalog = service(&state, &ctx);
    let e = catalog.open_entry(slug).await?;
    let Some(format) = format else {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        let to = if accept.contains("text/turtle") {
            format!("/dataset/{}.ttl", e.slug)
        } else if accept.contains("application/ld+json") {
            format!("/dataset/{}.jsonld", e.slug)
        } else {
            format!("/open/datasets/{}", e.slug)
        };
        return Ok(Redirect::to(&to).into_response());
    };
    let base = base_url(&state, &headers);
    let lookup = Lookup::load(&catalog).await?;
    let d = map::dataset(&base, &lookup, &e, &visible::related(&catalog, &e).await);
    Ok(document(format, || qy_dcat::dataset_to_turtle(&d), || qy_dcat::dataset_to_jsonld(&d)))
}
