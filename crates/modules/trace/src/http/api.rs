//! JSON API under `/api/v1/trace`: the registers (producers, products, certificates),
//! genealogy, recalls and the consumer view of a Digital Link. The EPCIS interface itself
//! is at `/epcis` (see `epcis.rs`).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use qy_kernel::Error;
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

use crate::domain::{perm, Cert, Party, Product, Recall};
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(put_party))
        .routes(routes!(put_product))
        .routes(routes!(put_cert))
        .routes(routes!(genealogy))
        .routes(routes!(list_recalls, create_recall))
        .routes(routes!(item))
}

/// Registers or updates a producer (enterprise, cooperative, farm, slaughterhouse, processor,
/// logistics company, shop).
#[utoipa::path(post, path = "/api/v1/trace/parties", tag = "trace", request_body = Party,
    responses((status = 200, body = Party), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn put_party(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(party): ApiJson<Party>,
) -> ApiResult<Json<Party>> {
    Ok(Json(service(&state, &ctx).register_party(&p, party).await?))
}

/// Registers or updates a product (GTIN).
#[utoipa::path(post, path = "/api/v1/trace/products", tag = "trace", request_body = Product,
    responses((status = 200, body = Product), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn put_product(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(product): ApiJson<Product>,
) -> ApiResult<Json<Product>> {
    Ok(Json(service(&state, &ctx).register_product(&p, product).await?))
}

/// Registers a certificate: green food (GF…), organic (17 digits), geographical indication.
#[utoipa::path(post, path = "/api/v1/trace/certs", tag = "trace", request_body = Cert,
    responses((status = 200, body = Cert), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn put_cert(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(cert): ApiJson<Cert>,
) -> ApiResult<Json<Cert>> {
    Ok(Json(service(&state, &ctx).register_cert(&p, cert).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct IdParam {
    /// A lot, serial or container: EPC URN or Digital Link (any domain).
    id: String,
}

/// The full upstream and downstream chain of a lot or serial through transformations and
/// aggregations.
#[utoipa::path(get, path = "/api/v1/trace/genealogy", tag = "trace", params(IdParam),
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn genealogy(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<IdParam>,
) -> ApiResult<Json<Value>> {
    if !(p.can(perm::QUERY) || p.can(perm::REGULATE)) {
        return Err(Error::forbidden("trace.forbidden", "genealogy needs trace.query or trace.regulate").into());
    }
    let g = service(&state, &ctx).genealogy(&q.id).await?;
    Ok(Json(serde_json::to_value(g).unwrap_or_default()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewRecall {
    /// The lots to recall (Digital Link or EPC URN); everything downstream follows.
    lots: Vec<String>,
    reason: String,
}

/// Recalls lots: every downstream lot, container and holder is computed, a recall event is
/// recorded, consumer pages show the banner, holders are notified on the bus.
#[utoipa::path(post, path = "/api/v1/trace/recalls", tag = "trace", request_body = NewRecall,
    responses((status = 201, body = Recall), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn create_recall(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<NewRecall>,
) -> ApiResult<(StatusCode, Json<Recall>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).recall(&p, &r.lots, &r.reason).await?)))
}

/// Recalls, newest first.
#[utoipa::path(get, path = "/api/v1/trace/recalls", tag = "trace",
    responses((status = 200, body = Vec<Recall>), (status = 403, body = Problem)))]
async fn list_recalls(State(state): State<AppState>, ApiUser(p): ApiUser) -> ApiResult<Json<Vec<Recall>>> {
    if !p.can(perm::REGULATE) {
        return Err(Error::forbidden("trace.forbidden", "recalls need trace.regulate").into());
    }
    Ok(Json(crate::store::recalls::list_all(&state.db, false).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct LinkParam {
    /// A GS1 Digital Link of a product lot or serial, any domain.
    link: String,
}

/// What the consumer page shows for a scanned code: product, origin, timeline,
/// certificates, cold chain and recalls. Public, like the page.
#[utoipa::path(get, path = "/api/v1/trace/items", tag = "trace", security(()), params(LinkParam),
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn item(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<LinkParam>,
) -> ApiResult<Json<Value>> {
    let v = service(&state, &ctx).consumer_view(&q.link).await?;
    Ok(Json(serde_json::to_value(v).unwrap_or_default()))
}
