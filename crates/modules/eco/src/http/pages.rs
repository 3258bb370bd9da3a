//! Pages: the public station list and station page; the operator's station registry.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Extension, Router};
use qy_kernel::Error;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::{Deserialize, Serialize};

use crate::domain::factor;
use crate::domain::observation::Period;
use crate::domain::perm;
use crate::domain::station::{NewStation, Station, StationKind};
use crate::store::Latest;
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/eco/stations", get(stations_page))
        .route("/eco/stations/{id}", get(station_page))
        .route("/admin/eco/stations", get(admin_page).post(create_station))
        .route("/eco/map", get(map_page))
        .route("/eco/ranking", get(ranking_page))
        .route("/eco/stations/{id}/observations.csv", get(observations_csv))
        .route("/eco/geo/prefectures.geojson", get(prefectures))
}

/// A station with its headline values, for lists.
#[derive(Serialize)]
struct Row {
    station: Station,
    values: Vec<Cell>,
    online: bool,
    aqi: Option<crate::aqi::StationAqi>,
    water: Option<crate::water::StationWaterClass>,
}

#[derive(Serialize)]
struct Cell {
    factor: &'static str,
    value: Option<String>,
    flag: Option<String>,
}

/// Latest values by (station, factor, period): a list page looks up every station's headline
/// factors, which must not scan all latest values each time.
type LatestIndex<'a> = HashMap<(&'a str, &'a str, &'a str), &'a Latest>;

fn index(latest: &[Latest]) -> LatestIndex<'_> {
    latest.iter().map(|l| ((l.station_id.as_str(), l.factor.as_str(), l.period.as_str()), l)).collect()
}

fn headline(station: &Station, latest: &LatestIndex<'_>) -> Vec<Cell> {
    factor::headline(station.kind)
        .iter()
        .map(|code| {
            // Hourly values first; real-time or minute data when no hour has closed yet.
            let found =
                ["hour", "minute", "rtd"].iter().find_map(|p| latest.get(&(station.id.as_str(), *code, *p)).copied());
            Cell { factor: code, value: found.map(|l| l.value.clone()), flag: found.map(|l| l.flag.clone()) }
        })
        .collect()
}

#[derive(Debug, Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
}

async fn stations_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let kind = match q.kind.as_deref().filter(|k| !k.is_empty()) {
        Some(k) => {
            Some(StationKind::parse(k).ok_or_else(|| err(Error::bad_request("eco.invalid_kind", "unknown kind")))?)
        }
        None => None,
    };
    let svc = service(&state);
    let stations = svc.stations(None, kind).await.map_err(err)?;
    let latest = svc.latest(None, None).await.map_err(err)?;
    let latest = index(&latest);
    let aqi: HashMap<String, crate::aqi::StationAqi> = crate::store::latest_aqi(&state.db)
        .await
        .map_err(err)?
        .into_iter()
        .map(|a| (a.station_id.clone(), a))
        .collect();
    let water: HashMap<String, crate::water::StationWaterClass> = crate::store::latest_water(&state.db)
        .await
        .map_err(err)?
        .into_iter()
        .map(|w| (w.station_id.clone(), w))
        .collect();
    let rows: Vec<Row> = stations
        .into_iter()
        .map(|s| {
            let values = headline(&s, &latest);
            let online = ctx.ingest.connections.get(&s.mn).is_some();
            let aqi = aqi.get(&s.id).cloned();
            let water = water.get(&s.id).cloned();
            Row { station: s, values, online, aqi, water }
        })
        .collect();
    let air: Vec<&Row> = rows.iter().filter(|r| r.station.kind == StationKind::Air).collect();
    let water: Vec<&Row> = rows.iter().filter(|r| r.station.kind == StationKind::SurfaceWater).collect();
    Ok(render(
        &state,
        &base,
        "eco/stations.html",
        context! {
            air, water,
            air_factors => factor::headline(StationKind::Air),
            water_factors => factor::headline(StationKind::SurfaceWater),
        },
    ))
}

#[derive(Debug, Deserialize, Default)]
struct RangeQuery {
    /// `24h` (default), `7d` or `30d`.
    range: Option<String>,
}

async fn station_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(id): Path<String>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let svc = service(&state);
    let station = svc.station(&id).await.map_err(err)?;
    let latest = svc.latest(Some(&id), None).await.map_err(err)?;
    let now = state.now_ms();
    let hour = 3_600_000;
    let hours = svc.series(&id, None, Period::Hour, now - 24 * hour, now + 1).await.map_err(err)?;
    let codes = factor::headline(station.kind);
    // One row per hour, one column per headline factor, newest first.
    let mut times: Vec<i64> = hours.iter().map(|o| o.time_ms).collect();
    times.sort_unstable_by(|a, b| b.cmp(a));
    times.dedup();
    let table: Vec<_> = times
        .iter()
        .map(|t| {
            let cells: Vec<Option<&str>> = codes
                .iter()
                .map(|c| hours.iter().find(|o| o.time_ms == *t && o.factor == *c).map(|o| o.value.as_str()))
                .collect();
            context! { time_ms => t, cells }
        })
        .collect();
    let range = match q.range.as_deref() {
        Some("7d") => "7d",
        Some("30d") => "30d",
        _ => "24h",
    };
    let charts = charts(&state, &svc, &station, range, now).await.map_err(err)?;
    let online = ctx.ingest.connections.get(&station.mn);
    let aqi = crate::store::aqi_series(&state.db, &id, now - 86_400_000, now + 1).await.map_err(err)?;
    let current_aqi = aqi.last().cloned();
    let water = crate::store::water_series(&state.db, &id, now - 86_400_000, now + 1).await.map_err(err)?;
    let current_water = water.last().cloned();
    Ok(render(
        &state,
        &base,
        "eco/station.html",
        context! { station, latest, codes, table, online, aqi => current_aqi, water => current_water, charts, range },
    ))
}

/// Charts of the headline factors over 24 hours or 7 days (hourly means) or 30 days (daily
/// means): server-rendered SVG, plus the points for the ECharts enhancement.
async fn charts(
    state: &AppState,
    svc: &crate::Eco,
    station: &Station,
    range: &str,
    now: i64,
) -> qy_kernel::Result<Vec<qy_web::minijinja::Value>> {
    let hour = 3_600_000;
    let catalogue = factor::catalogue();
    let mut out = Vec::new();
    let hourly = match range {
        "30d" => Vec::new(),
        "7d" => svc.series(&station.id, None, Period::Hour, now - 7 * 24 * hour, now + 1).await?,
        _ => svc.series(&station.id, None, Period::Hour, now - 24 * hour, now + 1).await?,
    };
    for code in factor::headline(station.kind) {
        let points: Vec<(i64, f64)> = if range == "30d" {
            crate::store::daily_series(&state.db, &station.id, code, now - 30 * 24 * hour, now + 1)
                .await?
                .into_iter()
                .filter_map(|(t, v)| v.parse().ok().map(|v| (t, v)))
                .collect()
        } else {
            hourly
                .iter()
                .filter(|o| o.factor == *code && o.flag == "N")
                .filter_map(|o| o.value.parse().ok().map(|v| (o.time_ms, v)))
                .collect()
        };
        // pH is catalogued as "dimensionless": there is no unit to print beside it.
        let unit = catalogue.iter().find(|f| f.code == *code).and_then(|f| f.unit).filter(|u| *u != "dimensionless");
        let unit = unit.unwrap_or("");
        let gap = if range == "30d" { 2 * 24 * hour } else { 3 * hour };
        let svg = super::chart::line(&points, gap, code, unit);
        // The same points for eco-chart.js, which draws an interactive chart over the SVG.
        let data = serde_json::to_string(&points).unwrap_or_default();
        out.push(context! { factor => code, svg, count => points.len(), data, unit, gap });
    }
    Ok(out)
}

#[derive(Debug, Deserialize, Default)]
struct CsvQuery {
    period: Option<String>,
    days: Option<i64>,
}

/// `/eco/stations/{id}/observations.csv`: the station's values, UTF-8 with a byte-order mark
/// so that Excel opens the Chinese header correctly.
async fn observations_csv(
    State(state): State<AppState>,
    base: Base,
    Path(id): Path<String>,
    Query(q): Query<CsvQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let period = Period::parse(q.period.as_deref().unwrap_or("hour"))
        .ok_or_else(|| err(Error::bad_request("eco.invalid_period", "period")))?;
    let days = q.days.unwrap_or(7).clamp(1, 31);
    let now = state.now_ms();
    let svc = service(&state);
    let station = svc.station(&id).await.map_err(err)?;
    let rows = svc.series(&id, None, period, now - days * 86_400_000, now + 1).await.map_err(err)?;
    let catalogue = factor::catalogue();
    let mut csv = String::from("\u{feff}时间(北京时间),因子代码,因子,单位,数值,最小值,最大值,数据标记\n");
    for o in rows {
        let f = catalogue.iter().find(|f| f.code == o.factor);
        csv.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            qy_web::templates::format_datetime(o.time_ms),
            o.factor,
            f.map_or("", |f| f.name_zh),
            f.and_then(|f| f.unit).unwrap_or(""),
            o.value,
            o.min.unwrap_or_default(),
            o.max.unwrap_or_default(),
            o.flag
        ));
    }
    let file = format!("attachment; filename=\"{}-{}.csv\"", station.mn, period.as_str());
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (axum::http::header::CONTENT_DISPOSITION, file),
        ],
        csv,
    )
        .into_response())
}

#[derive(Serialize)]
struct RankRow {
    city: crate::daily::CityAqi,
    name: String,
}

async fn ranking_page(State(state): State<AppState>, base: Base) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    // Rank one hour for every prefecture: the newest hour that at least three quarters of them
    // have reported (stations report at different moments within the hour).
    let latest = crate::store::latest_city_aqi(&state.db).await.map_err(err)?;
    let needed = (latest.len() * 3).div_ceil(4);
    let mut times: Vec<i64> = latest.iter().map(|c| c.time_ms).collect();
    times.sort_unstable_by(|a, b| b.cmp(a));
    let hour = times.iter().copied().find(|t| latest.iter().filter(|c| c.time_ms >= *t).count() >= needed);
    let cities = match hour {
        Some(t) => crate::store::city_aqi_at(&state.db, t).await.map_err(err)?,
        None => latest,
    };
    let mut rows = Vec::with_capacity(cities.len());
    for c in cities {
        let name = state
            .regions
            .get(&c.region_code)
            .await
            .map_err(err)?
            .map(|r| r.name)
            .unwrap_or_else(|| c.region_code.clone());
        rows.push(RankRow { city: c, name });
    }
    Ok(render(&state, &base, "eco/ranking.html", context! { rows }))
}

async fn admin_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    if !p.can(perm::STATIONS_MANAGE) {
        return Err(err(Error::forbidden("eco.forbidden", "needs eco.stations.manage")));
    }
    let stations = service(&state).stations(Some(&p.scope), None).await.map_err(err)?;
    let rows: Vec<_> = stations
        .into_iter()
        .map(|s| {
            let conn = ctx.ingest.connections.get(&s.mn);
            context! { station => s, conn }
        })
        .collect();
    Ok(render(&state, &base, "eco/admin_stations.html", context! { rows, scope => p.scope.root(), done => flash.done }))
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
struct StationForm {
    mn: String,
    name: String,
    kind: String,
    region_code: String,
    latitude: String,
    longitude: String,
    password: String,
    allow_swapped_crc: Option<String>,
}

async fn create_station(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<StationForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let (Ok(latitude), Ok(longitude)) = (f.latitude.trim().parse::<f64>(), f.longitude.trim().parse::<f64>()) else {
        return Err(err(Error::bad_request("eco.outside_qinghai", "coordinates are decimal degrees")));
    };
    let new = NewStation {
        mn: f.mn.trim().to_owned(),
        name: f.name,
        kind: StationKind::parse(&f.kind).ok_or_else(|| err(Error::bad_request("eco.invalid_kind", "unknown kind")))?,
        st: None,
        region_code: f.region_code.trim().to_owned(),
        latitude,
        longitude,
        password: f.password,
        allow_swapped_crc: f.allow_swapped_crc.is_some(),
        water_body: None,
        target_class: None,
    };
    service(&state).create_station(Some(&user.principal), state.regions.as_ref(), new).await.map_err(err)?;
    Ok(Redirect::to("/admin/eco/stations?done=created").into_response())
}

/// Required attribution of the bundled boundaries (ODbL 1.0; see data/README-geo.md).
const GEO_ATTRIBUTION: &str = "Boundaries © OpenStreetMap contributors (ODbL 1.0), via geoBoundaries";

async fn map_page(State(state): State<AppState>, base: Base) -> Response {
    let t = |k: &str| state.i18n.t(base.lang, k, &[]);
    let labels = serde_json::json!({
        "level1": t("eco-aqi-level-1"), "level2": t("eco-aqi-level-2"), "level3": t("eco-aqi-level-3"),
        "level4": t("eco-aqi-level-4"), "level5": t("eco-aqi-level-5"), "level6": t("eco-aqi-level-6"),
        "air": t("eco-kind-air"), "surface_water": t("eco-kind-surface_water"),
        "pollution_source": t("eco-kind-pollution_source"), "nodata": t("eco-no-data"),
        "waterClass": t("eco-water-class"),
    });
    render(&state, &base, "eco/map.html", context! { labels, attribution => GEO_ATTRIBUTION })
}

/// Qinghai's eight prefectures (GeoJSON, WGS84), bundled with the binary.
async fn prefectures() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "application/geo+json"),
            (axum::http::header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../data/qinghai-prefectures.geojson"),
    )
        .into_response()
}
