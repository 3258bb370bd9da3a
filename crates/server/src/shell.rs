//! The platform shell: home page, language switch, health, readiness, metrics, and the
//! platform status API. Everything module-specific lives in the modules.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::cookie::SameSite;
use qy_web::i18n::FtlSource;
use qy_web::minijinja::context;
use qy_web::page::Base;
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{render, AppState, Cloud, CsrfForm, NavItem};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub const LOCALES: &[FtlSource] = qy_web::ftl_sources!("shell");
pub const TEMPLATES: &[(&str, &str)] = &[("home.html", include_str!("../templates/home.html"))];

pub fn nav() -> Vec<NavItem> {
    vec![NavItem { cloud: Cloud::Base, href: "/api/docs", label: "shell-nav-api", permission: None, public: true }]
}

pub fn pages() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/lang", post(set_lang))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/assets/{name}", get(qy_web::assets::serve))
}

pub fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(status))
}

async fn home(State(state): State<AppState>, base: Base) -> Response {
    render(&state, &base, "home.html", context! {})
}

#[derive(Debug, Deserialize)]
struct LangForm {
    lang: String,
    next: Option<String>,
}

/// Sets the language cookie and goes back to the page the visitor was on.
async fn set_lang(base: Base, CsrfForm(f): CsrfForm<LangForm>) -> Response {
    let lang = qy_web::i18n::supported(&f.lang).unwrap_or(qy_web::i18n::DEFAULT_LOCALE);
    let next = match f.next.as_deref() {
        Some(n) if n.starts_with('/') && !n.starts_with("//") => n.to_owned(),
        _ => "/".to_owned(),
    };
    let mut resp = Redirect::to(&next).into_response();
    let mut cookie = base.cookie(qy_web::extract::LANG_COOKIE, lang.to_owned(), SameSite::Lax);
    cookie.set_http_only(false);
    cookie.set_max_age(cookie::time::Duration::days(365));
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database and the event bus answer.
async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.db.ping().await;
    let bus = state.bus.ready().await;
    let body = serde_json::json!({ "database": db, "bus": { "kind": state.bus.name(), "ready": bus } });
    let status = if db && bus { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (status, Json(body)).into_response()
}

async fn metrics() -> Response {
    let text = crate::metrics_layer::handle().render();
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], text).into_response()
}

#[derive(Debug, Serialize, ToSchema)]
struct Status {
    name: &'static str,
    version: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
    /// `in-process` or `nats`.
    bus: &'static str,
}

/// Platform status.
#[utoipa::path(get, path = "/api/v1/platform/status", tag = "platform", security(()), responses((status = 200, body = Status)))]
async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(Status {
        name: "qingyun",
        version: env!("CARGO_PKG_VERSION"),
        database: match state.db.dialect() {
            qy_storage::Dialect::Sqlite => "sqlite",
            qy_storage::Dialect::Postgres => "postgres",
        },
        bus: state.bus.name(),
    })
}
