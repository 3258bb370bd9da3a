//! JSON API of early warning under `/api/v1/eco/alert-rules` and `/api/v1/eco/alerts`.

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::{Extension, Json};
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::alert::{Alert, NewRule, Note, Rule};
use crate::Ctx;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_rules, create_rule))
        .routes(routes!(update_rule))
        .routes(routes!(list_alerts))
        .routes(routes!(get_alert))
        .routes(routes!(acknowledge))
        .routes(routes!(close))
        .routes(routes!(add_note))
}

/// Early-warning rules in the caller's region.
#[utoipa::path(get, path = "/api/v1/eco/alert-rules", tag = "eco", responses((status = 200, body = Vec<Rule>), (status = 401, body = Problem)))]
async fn list_rules(Extension(ctx): Extension<Ctx>, ApiUser(p): ApiUser) -> ApiResult<Json<Vec<Rule>>> {
    Ok(Json(ctx.ingest.alerts.rules_for(&p).await?))
}

/// Define a rule (`eco.alerts.rules` in the rule's region).
#[utoipa::path(post, path = "/api/v1/eco/alert-rules", tag = "eco", request_body = NewRule,
    responses((status = 201, body = Rule), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn create_rule(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(new): ApiJson<NewRule>,
) -> ApiResult<(StatusCode, Json<Rule>)> {
    Ok((StatusCode::CREATED, Json(ctx.ingest.alerts.create_rule(Some(&p), new).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RulePatch {
    enabled: bool,
}

/// Enable or disable a rule.
#[utoipa::path(patch, path = "/api/v1/eco/alert-rules/{id}", tag = "eco", params(("id" = String, Path)), request_body = RulePatch,
    responses((status = 200, body = Rule), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_rule(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<RulePatch>,
) -> ApiResult<Json<Rule>> {
    Ok(Json(ctx.ingest.alerts.set_rule_enabled(&p, &id, patch.enabled).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct AlertQuery {
    /// Only open and acknowledged alerts (default true).
    active: Option<bool>,
}

/// Alerts in the caller's region, newest first.
#[utoipa::path(get, path = "/api/v1/eco/alerts", tag = "eco", params(AlertQuery),
    responses((status = 200, body = Vec<Alert>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_alerts(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<AlertQuery>,
) -> ApiResult<Json<Vec<Alert>>> {
    Ok(Json(ctx.ingest.alerts.alerts_for(&p, q.active.unwrap_or(true)).await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct AlertDetail {
    #[serde(flatten)]
    alert: Alert,
    notes: Vec<Note>,
}

/// One alert with its notes.
#[utoipa::path(get, path = "/api/v1/eco/alerts/{id}", tag = "eco", params(("id" = String, Path)),
    responses((status = 200, body = AlertDetail), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_alert(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AlertDetail>> {
    let (alert, notes) = ctx.ingest.alerts.alert_for(&p, &id).await?;
    Ok(Json(AlertDetail { alert, notes }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Handling {
    /// Who takes care of it (default: the caller).
    #[serde(default)]
    assignee: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// Acknowledge an open alert.
#[utoipa::path(post, path = "/api/v1/eco/alerts/{id}/acknowledge", tag = "eco", params(("id" = String, Path)), request_body = Handling,
    responses((status = 200, body = Alert), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn acknowledge(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(h): ApiJson<Handling>,
) -> ApiResult<Json<Alert>> {
    Ok(Json(ctx.ingest.alerts.acknowledge(&p, &id, h.assignee.as_deref(), h.note.as_deref()).await?))
}

/// Close an alert.
#[utoipa::path(post, path = "/api/v1/eco/alerts/{id}/close", tag = "eco", params(("id" = String, Path)), request_body = Handling,
    responses((status = 200, body = Alert), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn close(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(h): ApiJson<Handling>,
) -> ApiResult<Json<Alert>> {
    Ok(Json(ctx.ingest.alerts.close(&p, &id, h.note.as_deref()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewNote {
    text: String,
}

/// Add a note to an alert.
#[utoipa::path(post, path = "/api/v1/eco/alerts/{id}/notes", tag = "eco", params(("id" = String, Path)), request_body = NewNote,
    responses((status = 204), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn add_note(
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(n): ApiJson<NewNote>,
) -> ApiResult<StatusCode> {
    ctx.ingest.alerts.note(&p, &id, &n.text).await?;
    Ok(StatusCode::NO_CONTENT)
}
