//! Pages of early warning: `/admin/eco/alerts` (active and recent alerts, rules) and
//! `/admin/eco/alerts/{id}` (one alert, its notes, acknowledge and close).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::Error;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::Deserialize;

use crate::domain::alert::{NewRule, RuleKind};
use crate::domain::perm;
use crate::Ctx;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/eco/alerts", get(alerts_page))
        .route("/admin/eco/alerts/{id}", get(alert_page))
        .route("/admin/eco/alerts/{id}/acknowledge", post(acknowledge))
        .route("/admin/eco/alerts/{id}/close", post(close))
        .route("/admin/eco/alerts/{id}/notes", post(add_note))
        .route("/admin/eco/alert-rules", post(create_rule))
        .route("/admin/eco/alert-rules/{id}/enabled", post(set_enabled))
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

async fn alerts_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    let all = ctx.ingest.alerts.alerts_for(p, false).await.map_err(err)?;
    let (active, closed): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|a| a.status != crate::domain::alert::Status::Closed);
    let closed: Vec<_> = closed.into_iter().take(50).collect();
    let rules = ctx.ingest.alerts.rules_for(p).await.map_err(err)?;
    Ok(render(
        &state,
        &base,
        "eco/alerts.html",
        context! { active, closed, rules, can_define => p.can(perm::RULES_MANAGE), scope => p.scope.root(), done => flash.done },
    ))
}

async fn alert_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let (alert, notes) =
        ctx.ingest.alerts.alert_for(&user.principal, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "eco/alert.html", context! { alert, notes }))
}

#[derive(Debug, Deserialize)]
struct HandlingForm {
    note: Option<String>,
    assignee: Option<String>,
}

async fn acknowledge(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<HandlingForm>,
) -> Result<Response, PageError> {
    let assignee = f.assignee.as_deref().map(str::trim).filter(|a| !a.is_empty());
    ctx.ingest
        .alerts
        .acknowledge(&user.principal, &id, assignee, f.note.as_deref())
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/eco/alerts/{id}")).into_response())
}

async fn close(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<HandlingForm>,
) -> Result<Response, PageError> {
    ctx.ingest
        .alerts
        .close(&user.principal, &id, f.note.as_deref())
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/eco/alerts/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    text: String,
}

async fn add_note(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<NoteForm>,
) -> Result<Response, PageError> {
    ctx.ingest.alerts.note(&user.principal, &id, &f.text).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/eco/alerts/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
struct RuleForm {
    name: String,
    kind: String,
    region_code: String,
    factor: Option<String>,
    period: Option<String>,
    threshold: Option<String>,
    minutes: Option<String>,
    notify: Option<String>,
}

async fn create_rule(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<RuleForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let kind =
        RuleKind::parse(&f.kind).ok_or_else(|| err(Error::bad_request("eco.invalid_rule", "unknown rule kind")))?;
    let minutes = match f.minutes.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Some(
            m.parse::<i64>().map_err(|_| err(Error::bad_request("eco.invalid_rule", "minutes must be a number")))?,
        ),
        None => None,
    };
    let new = NewRule {
        name: f.name,
        kind,
        region_code: f.region_code.trim().to_owned(),
        station_id: None,
        factor: f.factor.filter(|s| !s.trim().is_empty()),
        period: f.period.filter(|s| !s.trim().is_empty()),
        threshold: f.threshold.filter(|s| !s.trim().is_empty()),
        minutes,
        notify: f
            .notify
            .unwrap_or_default()
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    };
    ctx.ingest.alerts.create_rule(Some(&user.principal), new).await.map_err(err)?;
    Ok(Redirect::to("/admin/eco/alerts?done=rule").into_response())
}

#[derive(Debug, Deserialize)]
struct EnabledForm {
    enabled: String,
}

async fn set_enabled(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<EnabledForm>,
) -> Result<Response, PageError> {
    ctx.ingest
        .alerts
        .set_rule_enabled(&user.principal, &id, f.enabled == "true")
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/admin/eco/alerts").into_response())
}
