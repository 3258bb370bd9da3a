//! JSON API: `/api/v1/regions…`.

use qy_web::axum::extract::{Path, Query, State};
use qy_web::axum::Json;
use qy_web::paging::{page_from, Page, PageQuery};
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiResult, AppState, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use super::RegionDetail;
use crate::domain::Region;
use crate::store;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_region)).routes(routes!(search_regions))
}

/// One region with its parent chain and children.
#[utoipa::path(
    get, path = "/api/v1/regions/{code}", tag = "regions",
    params(("code" = String, Path, description = "GB/T 2260 or NBS statistical code, e.g. 632800")),
    responses(
        (status = 200, body = RegionDetail),
        (status = 400, body = Problem, description = "not a region code"),
        (status = 404, body = Problem, description = "no such region"),
    )
)]
async fn get_region(State(state): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<RegionDetail>> {
    Ok(Json(super::detail(&state.db, &code).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct SearchQuery {
    /// Part of the name, e.g. 格尔木.
    q: Option<String>,
    /// Only this level: province, prefecture, county, county_stat, township, village.
    level: Option<String>,
}

/// Search regions by name.
#[utoipa::path(
    get, path = "/api/v1/regions", tag = "regions",
    params(SearchQuery, PageQuery),
    responses((status = 200, body = Page<Region>), (status = 400, body = Problem))
)]
async fn search_regions(
    State(state): State<AppState>,
    Query(q): Query<SearchQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Region>>> {
    if let Some(level) = q.level.as_deref() {
        if crate::domain::depth_of(level).is_none() {
            return Err(
                qy_kernel::Error::bad_request("regions.invalid_level", format!("unknown level {level:?}")).into()
            );
        }
    }
    let limit = page.limit();
    let rows = store::search(
        &state.db,
        q.q.as_deref().unwrap_or("").trim(),
        q.level.as_deref(),
        page.after()?.as_deref(),
        limit,
    )
    .await?;
    Ok(Json(page_from(rows, limit, |r| r.code.clone())))
}
