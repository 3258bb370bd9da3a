//! The exchange API for consumer systems: `GET /api/v1/catalog/exchange/{code}/rows` with a
//! system's token. Columns and rows are cut to the grant; the answer carries the call's
//! record id in `X-Request-Id`. Subscriptions for new versions.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::service::exchange::Pulled;
use crate::service::read::RowQuery;
use crate::service::subscriptions::Subscribed;
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pull)).routes(routes!(subscribe)).routes(routes!(unsubscribe))
}

/// Parameters: `fields=a,b`, `region=632800`, `cursor=…`, `limit=…` (≤ 10,000), and
/// `filter.<column>=<value>` for equality filters.
fn row_query(params: &HashMap<String, String>) -> RowQuery {
    RowQuery {
        columns: params
            .get("fields")
            .map(|f| f.split(',').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect()),
        region: params.get("region").cloned().filter(|r| !r.is_empty()),
        equals: params.iter().filter_map(|(k, v)| Some((k.strip_prefix("filter.")?.to_owned(), v.clone()))).collect(),
        cursor: params.get("cursor").cloned().filter(|c| !c.is_empty()),
        limit: params.get("limit").and_then(|l| l.parse().ok()).unwrap_or(1000),
        with_total: false,
    }
}

/// Pulls rows of a published resource through the calling system's grant. Denied calls are
/// recorded too. Query: `fields`, `region`, `filter.<column>`, `cursor`, `limit`.
#[utoipa::path(get, path = "/api/v1/catalog/exchange/{code}/rows", tag = "catalog",
    params(("code" = String, Path, description = "resource code, e.g. 203001/000001 (URL-encoded), or slug")),
    responses((status = 200, body = Pulled), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn pull(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(code): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Response> {
    let pulled = service(&state, &ctx).pull(&p, &code, row_query(&params)).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&pulled.request_id) {
        headers.insert("x-request-id", v);
    }
    Ok((StatusCode::OK, headers, Json(pulled)).into_response())
}

#[derive(Debug, Deserialize, ToSchema)]
struct SubscribeBody {
    /// Resource code or slug.
    entry: String,
    /// Where new versions are POSTed.
    url: String,
}

/// Subscribes the calling system to new versions of a granted resource (signed webhooks:
/// `X-Qingyun-Signature: sha256=HMAC(secret, timestamp + "." + body)`).
#[utoipa::path(post, path = "/api/v1/catalog/subscriptions", tag = "catalog", request_body = SubscribeBody,
    responses((status = 201, body = Subscribed), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn subscribe(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<SubscribeBody>,
) -> ApiResult<(StatusCode, Json<Subscribed>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).subscribe(&p, &b.entry, &b.url).await?)))
}

/// Ends a subscription.
#[utoipa::path(delete, path = "/api/v1/catalog/subscriptions/{id}", tag = "catalog", params(("id" = String, Path)),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn unsubscribe(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    service(&state, &ctx).unsubscribe(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
