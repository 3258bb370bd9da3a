//! A CKAN-compatible Action API over the open-data catalog, at `/api/3/action/{name}` and
//! `/api/action/{name}` (the path `ckanapi` uses), GET and POST, in CKAN's envelope and error
//! table. Read-only: only entries open to the public exist here (`visible.rs`). See
//! docs/ckan-dcat.md for the actions, their parameters and what is refused.
//!
//! These are protocol endpoints, not part of the native `/api/v1` OpenAPI document; they
//! are mounted with the module's pages.

mod datastore;
pub(crate) mod dicts;
pub(crate) mod find;
pub(crate) mod fq;
mod groups;
mod meta;
mod packages;
pub(crate) mod params;
pub(crate) mod reply;
mod request;
pub(crate) mod resources;
mod search;
pub(crate) mod site;
pub(crate) mod time;
pub(crate) mod visible;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::{Extension, Json, Router};
use qy_web::AppState;
use serde_json::{json, Value};

use crate::{service, Catalog, Ctx};
use params::Params;
use reply::Failure;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/3/action/{name}", get(action).post(action))
        .route("/api/action/{name}", get(action).post(action))
        .route("/api/3", get(version))
}

/// What an action works with.
pub(crate) struct Cx {
    pub state: AppState,
    pub catalog: Catalog,
    /// `https://host`, for links.
    pub base: String,
    /// The path the action was called at (for `_links`).
    pub path: String,
    pub params: Params,
    /// The developer key sent, if any.
    pub key: Option<String>,
}

/// CKAN's API version probe.
async fn version() -> Json<Value> {
    Json(json!({"version": 3}))
}

/// The key as CKAN clients send it: raw in `Authorization` (`ckanapi` does; a `Bearer`
/// prefix is tolerated, as many deployments do), or in the legacy `X-CKAN-API-Key`.
fn api_key(headers: &HeaderMap) -> Option<String> {
    let get = |name| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|s| !s.is_empty());
    let raw = get(header::AUTHORIZATION.as_str()).or_else(|| get("x-ckan-api-key"))?;
    let key = raw.strip_prefix("Bearer ").map(str::trim).unwrap_or(raw);
    (!key.is_empty()).then(|| key.to_owned())
}

async fn action(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(name): Path<String>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let Some(name) = meta::find(&name) else {
        let shown: String = name.chars().take(100).collect();
        return reply::bad_request(&format!(
            "Action name not known: {shown} (this API only reads; see /api/3/action/help_show?name=package_search)"
        ));
    };
    let params = match request::decode(&method, &headers, uri.query(), &body) {
        Ok(p) => Params::new(p),
        Err(message) => return reply::bad_request(&message),
    };
    let base = site::base_url(&state, &headers);
    let help = format!("{base}/api/3/action/help_show?name={name}");
    let cx =
        Cx { catalog: service(&state, &ctx), state, base, path: uri.path().to_owned(), params, key: api_key(&headers) };
    match dispatch(name, &cx).await {
        Ok(result) => reply::success(&help, result),
        Err(f) => reply::failure(&help, f),
    }
}

async fn dispatch(name: &str, cx: &Cx) -> Result<Value, Failure> {
    match name {
        "package_search" => search::package_search(cx).await,
        "package_show" => packages::package_show(cx).await,
        "package_list" => packages::package_list(cx).await,
        "current_package_list_with_resources" => packages::current_with_resources(cx).await,
        "resource_show" => packages::resource_show(cx).await,
        "tag_list" => packages::tag_list(cx).await,
        "license_list" => Ok(packages::license_list()),
        "organization_list" => groups::list(cx, groups::Kind::Organization).await,
        "organization_show" => groups::show(cx, groups::Kind::Organization).await,
        "group_list" => groups::list(cx, groups::Kind::Group).await,
        "group_show" => groups::show(cx, groups::Kind::Group).await,
        "datastore_search" => datastore::datastore_search(cx).await,
        "status_show" => Ok(meta::status_show(cx)),
        "help_show" => meta::help_show(cx),
        other => Err(Failure::BadRequest(format!("Action name not known: {other}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn keys_come_raw_or_in_the_legacy_header() {
        let mut h = HeaderMap::new();
        assert_eq!(api_key(&h), None);
        h.insert("x-ckan-api-key", HeaderValue::from_static("qy_od_2"));
        assert_eq!(api_key(&h).as_deref(), Some("qy_od_2"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("qy_od_1"));
        assert_eq!(api_key(&h).as_deref(), Some("qy_od_1"));
        h.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer qy_od_3"));
        assert_eq!(api_key(&h).as_deref(), Some("qy_od_3"));
    }

    #[test]
    fn every_action_is_documented_and_found_by_name() {
        for (name, doc) in meta::ACTIONS {
            assert!(!doc.is_empty(), "{name}");
            assert_eq!(meta::find(name), Some(*name));
        }
        assert_eq!(meta::find("package_create"), None);
    }
}
