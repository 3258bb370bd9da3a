//! JSON API under `/api/v1/eco`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use qy_kernel::Error;
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::aqi::StationAqi;
use crate::domain::factor::{self, Factor};
use crate::domain::observation::{Observation, Period};
use crate::domain::perm;
use crate::domain::station::{NewStation, Station, StationKind};
use crate::gateway::ConnectionInfo;
use crate::store::Latest;
use crate::water::StationWaterClass;
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(factors))
        .routes(routes!(list_stations, create_station))
        .routes(routes!(get_station, update_station))
        .routes(routes!(observations))
        .routes(routes!(latest))
        .routes(routes!(connections))
        .routes(routes!(latest_aqi))
        .routes(routes!(station_aqi))
        .routes(routes!(latest_water))
        .routes(routes!(city_aqi))
}

/// The factor catalogue (HJ 212-2017 Appendix B codes).
#[utoipa::path(get, path = "/api/v1/eco/factors", tag = "eco", security(()), responses((status = 200, body = Vec<Factor>)))]
async fn factors() -> Json<Vec<Factor>> {
    Json(factor::catalogue())
}

#[derive(Debug, Deserialize, IntoParams)]
struct StationQuery {
    /// air, surface_water or pollution_source
    kind: Option<String>,
    /// Only stations inside this region's subtree, e.g. 632800.
    region: Option<String>,
}

/// Stations (public: names and locations of monitoring sites).
#[utoipa::path(get, path = "/api/v1/eco/stations", tag = "eco", security(()), params(StationQuery),
    responses((status = 200, body = Vec<Station>), (status = 400, body = Problem)))]
async fn list_stations(State(state): State<AppState>, Query(q): Query<StationQuery>) -> ApiResult<Json<Vec<Station>>> {
    let kind = q
        .kind
        .as_deref()
        .map(|k| {
            StationKind::parse(k)
                .ok_or_else(|| Error::bad_request("eco.invalid_kind", format!("unknown station kind {k:?}")))
        })
        .transpose()?;
    let scope = q
        .region
        .as_deref()
        .map(|r| {
            qy_kernel::RegionScope::new(r)
                .ok_or_else(|| Error::bad_request("eco.invalid_region", format!("{r:?} is not a region code")))
        })
        .transpose()?;
    Ok(Json(service(&state).stations(scope.as_ref(), kind).await?))
}

/// Register a station (needs `eco.stations.manage` in the station's region).
#[utoipa::path(post, path = "/api/v1/eco/stations", tag = "eco", request_body = NewStation,
    responses((status = 201, body = Station), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn create_station(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(new): ApiJson<NewStation>,
) -> ApiResult<(StatusCode, Json<Station>)> {
    let s = service(&state).create_station(Some(&p), state.regions.as_ref(), new).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

#[derive(Debug, Serialize, ToSchema)]
struct StationDetail {
    #[serde(flatten)]
    station: Station,
    /// The newest value of every factor and period.
    latest: Vec<Latest>,
    /// Whether the station is connected to this instance's gateway right now.
    online: bool,
}

/// One station with its latest values.
#[utoipa::path(get, path = "/api/v1/eco/stations/{id}", tag = "eco", security(()), params(("id" = String, Path)),
    responses((status = 200, body = StationDetail), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn get_station(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(id): Path<String>,
) -> ApiResult<Json<StationDetail>> {
    let svc = service(&state);
    let station = svc.station(&id).await?;
    let latest = svc.latest(Some(&id), None).await?;
    let online = ctx.ingest.connections.get(&station.mn).is_some();
    Ok(Json(StationDetail { station, latest, online }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct StationPatch {
    active: bool,
}

/// Activate or deactivate a station (a deactivated station's packets are refused).
#[utoipa::path(patch, path = "/api/v1/eco/stations/{id}", tag = "eco", params(("id" = String, Path)), request_body = StationPatch,
    responses((status = 200, body = Station), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_station(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<StationPatch>,
) -> ApiResult<Json<Station>> {
    let s = service(&state).set_active(&p, &id, patch.active).await?;
    ctx.ingest.invalidate(&s.mn);
    Ok(Json(s))
}

#[derive(Debug, Deserialize, IntoParams)]
struct SeriesParams {
    /// Factor code, e.g. a34004 (PM2.5); all factors when absent.
    factor: Option<String>,
    /// rtd, minute, hour (default) or day
    period: Option<String>,
    /// Start, epoch milliseconds (default: 24 hours ago).
    from: Option<i64>,
    /// End (exclusive), epoch milliseconds (default: now).
    to: Option<i64>,
}

/// A station's observations over a time range.
#[utoipa::path(get, path = "/api/v1/eco/stations/{id}/observations", tag = "eco", security(()), params(("id" = String, Path), SeriesParams),
    responses((status = 200, body = Vec<Observation>), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn observations(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<SeriesParams>,
) -> ApiResult<Json<Vec<Observation>>> {
    let period = parse_period(q.period.as_deref().unwrap_or("hour"))?;
    let now = state.now_ms();
    let (from, to) = (q.from.unwrap_or(now - 86_400_000), q.to.unwrap_or(now + 1));
    Ok(Json(service(&state).series(&id, q.factor.as_deref(), period, from, to).await?))
}

fn parse_period(p: &str) -> Result<Period, Error> {
    Period::parse(p).ok_or_else(|| {
        Error::bad_request("eco.invalid_period", format!("period must be rtd, minute, hour or day, not {p:?}"))
    })
}

#[derive(Debug, Deserialize, IntoParams)]
struct LatestParams {
    /// rtd, minute, hour or day; all when absent.
    period: Option<String>,
}

/// The newest value of every station, factor and period, in one call.
#[utoipa::path(get, path = "/api/v1/eco/latest", tag = "eco", security(()), params(LatestParams),
    responses((status = 200, body = Vec<Latest>), (status = 400, body = Problem)))]
async fn latest(State(state): State<AppState>, Query(q): Query<LatestParams>) -> ApiResult<Json<Vec<Latest>>> {
    let period = q.period.as_deref().map(parse_period).transpose()?;
    Ok(Json(service(&state).latest(None, period).await?))
}

/// Stations connected to this instance's HJ 212 gateway right now.
#[utoipa::path(get, path = "/api/v1/eco/connections", tag = "eco",
    responses((status = 200, body = Vec<ConnectionInfo>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn connections(Extension(ctx): Extension<Ctx>, ApiUser(p): ApiUser) -> ApiResult<Json<Vec<ConnectionInfo>>> {
    if !p.can(perm::STATIONS_MANAGE) {
        return Err(Error::forbidden("eco.forbidden", "needs eco.stations.manage").into());
    }
    Ok(Json(ctx.ingest.connections.all()))
}

/// The newest hourly AQI of every air station (HJ 633; version chosen by the hour's time).
#[utoipa::path(get, path = "/api/v1/eco/aqi", tag = "eco", security(()), responses((status = 200, body = Vec<StationAqi>)))]
async fn latest_aqi(State(state): State<AppState>) -> ApiResult<Json<Vec<StationAqi>>> {
    Ok(Json(crate::store::latest_aqi(&state.db).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct RangeParams {
    /// Start, epoch milliseconds (default: 24 hours ago).
    from: Option<i64>,
    /// End (exclusive), epoch milliseconds (default: now).
    to: Option<i64>,
}

/// A station's hourly AQI over a time range.
#[utoipa::path(get, path = "/api/v1/eco/stations/{id}/aqi", tag = "eco", security(()), params(("id" = String, Path), RangeParams),
    responses((status = 200, body = Vec<StationAqi>), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn station_aqi(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(q): Query<RangeParams>,
) -> ApiResult<Json<Vec<StationAqi>>> {
    service(&state).station(&id).await?;
    let now = state.now_ms();
    Ok(Json(
        crate::store::aqi_series(&state.db, &id, q.from.unwrap_or(now - 86_400_000), q.to.unwrap_or(now + 1)).await?,
    ))
}

/// The newest hourly water class (GB 3838-2002) of every surface-water station.
#[utoipa::path(get, path = "/api/v1/eco/water", tag = "eco", security(()), responses((status = 200, body = Vec<StationWaterClass>)))]
async fn latest_water(State(state): State<AppState>) -> ApiResult<Json<Vec<StationWaterClass>>> {
    Ok(Json(crate::store::latest_water(&state.db).await?))
}

/// The newest hourly AQI of every prefecture (HJ 633 city rule: pollutants averaged over the
/// prefecture's stations, then rated), best first.
#[utoipa::path(get, path = "/api/v1/eco/cities/aqi", tag = "eco", security(()), responses((status = 200, body = Vec<crate::daily::CityAqi>)))]
async fn city_aqi(State(state): State<AppState>) -> ApiResult<Json<Vec<crate::daily::CityAqi>>> {
    Ok(Json(crate::store::latest_city_aqi(&state.db).await?))
}
