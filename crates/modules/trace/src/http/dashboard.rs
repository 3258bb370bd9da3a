//! The regulator's dashboard (`/trace/regulator`): events by region, producer, product and
//! step; certificates about to expire; open recalls and the recall form; CSV export.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::{Error, Principal};
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::Deserialize;

use super::forms::message;
use crate::domain::perm;
use crate::store::select::{OrderBy, Select};
use crate::store::{master, recalls, search};
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/trace/regulator", get(dashboard))
        .route("/trace/regulator/recalls", post(create_recall))
        .route("/trace/regulator/recalls/{id}", get(recall_page))
        .route("/trace/regulator/recalls/{id}/close", post(close_recall))
        .route("/trace/regulator/events.csv", get(export_csv))
}

fn regulator(p: &Principal) -> Result<(), Error> {
    if p.can(perm::REGULATE) {
        Ok(())
    } else {
        Err(Error::forbidden("trace.forbidden", "the dashboard needs trace.regulate"))
    }
}

#[derive(Debug, Deserialize, Default)]
struct DashQuery {
    days: Option<i64>,
}

async fn dashboard_page(
    state: &AppState,
    ctx: &Ctx,
    base: &Base,
    days: i64,
    error: Option<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(state, base, e);
    let trace = service(state, ctx);
    let since = trace.now() - days * 86_400_000;
    let by_region = search::counts_by(&state.db, "region", since).await.map_err(err)?;
    let by_party = search::counts_by(&state.db, "party", since).await.map_err(err)?;
    let by_product = search::counts_by(&state.db, "product", since).await.map_err(err)?;
    let by_step = search::counts_by(&state.db, "step", since).await.map_err(err)?;
    let products: HashMap<String, String> =
        master::products_of(&state.db, None).await.map_err(err)?.into_iter().map(|p| (p.gtin, p.name)).collect();
    let by_product: Vec<(String, String, i64)> =
        by_product.into_iter().map(|(g, n)| (products.get(&g).cloned().unwrap_or_default(), g, n)).collect();
    let today = trace.today();
    let horizon = jiff::civil::Date::strptime("%Y-%m-%d", &today)
        .ok()
        .and_then(|d| d.checked_add(jiff::Span::new().days(90)).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| today.clone());
    let expiring = master::certs_expiring(&state.db, &horizon).await.map_err(err)?;
    let open = recalls::list_all(&state.db, true).await.map_err(err)?;
    let total = crate::store::events::count(&state.db).await.map_err(err)?;
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    Ok(qy_web::page::render_with_status(
        state,
        base,
        status,
        "trace/regulator.html",
        context! { by_region, by_party, by_product, by_step, expiring, open, total, days, today, error },
    ))
}

async fn dashboard(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(q): Query<DashQuery>,
) -> Result<Response, PageError> {
    regulator(&user.principal).map_err(|e| PageError::new(&state, &base, e))?;
    dashboard_page(&state, &ctx, &base, q.days.unwrap_or(365).clamp(1, 3650), None).await
}

#[derive(Debug, Deserialize)]
struct RecallForm {
    lots: String,
    reason: String,
}

async fn create_recall(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<RecallForm>,
) -> Result<Response, PageError> {
    regulator(&user.principal).map_err(|e| PageError::new(&state, &base, e))?;
    let roots: Vec<String> = f.lots.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect();
    match service(&state, &ctx).recall(&user.principal, &roots, &f.reason).await {
        Ok(r) => Ok(Redirect::to(&format!("/trace/regulator/recalls/{}", r.id)).into_response()),
        Err(e) if e.kind == qy_kernel::ErrorKind::Internal => Err(PageError::new(&state, &base, e)),
        Err(e) => {
            let msg = message(&state, base.lang, &e);
            dashboard_page(&state, &ctx, &base, 365, Some(msg)).await
        }
    }
}

async fn recall_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    regulator(&user.principal).map_err(|e| PageError::new(&state, &base, e))?;
    let recall = service(&state, &ctx).recall_by_id(&id).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "trace/recall.html", context! { recall }))
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn close_recall(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    service(&state, &ctx).close_recall(&user.principal, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/trace/regulator/recalls/{id}")).into_response())
}

fn csv_field(s: &str) -> String {
    // Quote every field; a leading = + - @ would run as a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) { format!("'{s}") } else { s.to_owned() };
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The latest events (at most 50,000) as CSV, with the producer and region of each read point.
async fn export_csv(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    regulator(&user.principal).map_err(|e| PageError::new(&state, &base, e))?;
    let err = |e| PageError::new(&state, &base, e);
    let parties = master::parties(&state.db).await.map_err(err)?;
    let by_gln: HashMap<String, (String, String)> = parties
        .into_iter()
        .filter_map(|p| p.gln.clone().map(|g| (format!("https://id.gs1.org/414/{g}"), (p.name, p.region_code))))
        .collect();
    let select =
        Select { filters: Vec::new(), order: OrderBy::EventTime, descending: true, limit: 50_000, after: None };
    let events = crate::store::select::run(&state.db, &select).await.map_err(err)?;
    let mut out = String::from(
        "\u{feff}event_id,event_type,event_time,record_time,biz_step,disposition,read_point,producer,region\n",
    );
    for e in &events {
        let body: serde_json::Value = serde_json::from_str(&e.body).unwrap_or_default();
        let rp = body.pointer("/readPoint/id").and_then(|v| v.as_str()).map(crate::service::index::canonical_id);
        let (producer, region) = rp.as_ref().and_then(|r| by_gln.get(r)).cloned().unwrap_or_default();
        let ts = |ms: i64| jiff::Timestamp::from_millisecond(ms).map(|t| t.to_string()).unwrap_or_default();
        let row = [
            e.event_id.clone(),
            e.event_type.clone(),
            ts(e.event_time),
            ts(e.record_time),
            e.biz_step.clone().unwrap_or_default(),
            e.disposition.clone().unwrap_or_default(),
            rp.unwrap_or_default(),
            producer,
            region,
        ];
        out.push_str(&row.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    let mut r = (StatusCode::OK, out).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    r.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"trace-events.csv\""));
    Ok(r)
}
