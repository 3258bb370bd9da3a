//! Public pages: the one-stop query (信用中国's search and subject page), printable credit
//! reports with a verification QR, the verification page, and an enterprise's own record
//! with its repair and objection applications.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::{Error, PrincipalKind};
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::Deserialize;

use crate::service::cases::RepairApplication;
use crate::store::subjects;
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit", get(search_page))
        .route("/credit/subjects/{uscc}", get(subject_page))
        .route("/credit/subjects/{uscc}/report", post(issue_report))
        .route("/credit/reports/{report_no}", get(report_page))
        .route("/credit/verify/{report_no}", get(verify_page))
        .route("/credit/mine", get(mine_page))
        .route("/credit/mine/records/{id}/repair", post(apply_repair))
        .route("/credit/mine/records/{id}/objection", post(raise_objection))
}

#[derive(Debug, Deserialize, Default)]
struct SearchQuery {
    q: Option<String>,
}

async fn search_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Query(q): Query<SearchQuery>,
) -> Result<Response, PageError> {
    let query = q.q.unwrap_or_default();
    let (hits, problem) = if query.trim().is_empty() {
        (Vec::new(), None)
    } else {
        match service(&state, &ctx).search(&query, 50).await {
            Ok(h) => (h, None),
            // A too-short query is a hint on the page, not an error page.
            Err(e) if e.code == "credit.query_too_short" => (Vec::new(), Some("error-credit-query_too_short")),
            Err(e) => return Err(PageError::new(&state, &base, e)),
        }
    };
    // An exact USCC goes straight to the subject.
    if hits.len() == 1 && hits[0].uscc.eq_ignore_ascii_case(query.trim()) {
        return Ok(Redirect::to(&format!("/credit/subjects/{}", hits[0].uscc)).into_response());
    }
    let lists = crate::store::lists::counts_in_force(&state.db).await.map_err(|e| PageError::new(&state, &base, e))?;
    let subjects = subjects::count(&state.db).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "credit/search.html", context! { query, hits, problem, lists, subjects }))
}

async fn subject_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(uscc): Path<String>,
) -> Result<Response, PageError> {
    let view = service(&state, &ctx).public_view(&uscc).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "credit/subject.html", context! { view }))
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn issue_report(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(uscc): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let report = service(&state, &ctx).issue_report(&uscc).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/credit/reports/{}", report.report_no)).into_response())
}

/// The verification link a report's QR carries: absolute when a public address is
/// configured, else taken from the request's host.
fn verify_url(state: &AppState, headers: &axum::http::HeaderMap, report_no: &str, code: &str) -> String {
    let base = match &state.config.public_url {
        Some(u) => u.trim_end_matches('/').to_owned(),
        None => {
            let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let https = headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()) == Some("https");
            format!("{}://{host}", if https { "https" } else { "http" })
        }
    };
    format!("{base}/credit/verify/{report_no}?code={code}")
}

fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M) {
        Ok(code) => code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

async fn report_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    headers: axum::http::HeaderMap,
    Path(report_no): Path<String>,
) -> Result<Response, PageError> {
    let report = service(&state, &ctx).report(&report_no).await.map_err(|e| PageError::new(&state, &base, e))?;
    let url = verify_url(&state, &headers, &report.report_no, &report.verify_code);
    let qr = qr_svg(&url);
    Ok(render(&state, &base, "credit/report.html", context! { report, url, qr }))
}

#[derive(Debug, Deserialize, Default)]
struct VerifyQuery {
    code: Option<String>,
}

async fn verify_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(report_no): Path<String>,
    Query(q): Query<VerifyQuery>,
) -> Result<Response, PageError> {
    let code = q.code.unwrap_or_default();
    let result = if code.is_empty() {
        None
    } else {
        Some(
            service(&state, &ctx)
                .verify_report(&report_no, &code)
                .await
                .map_err(|e| PageError::new(&state, &base, e))?,
        )
    };
    Ok(render(&state, &base, "credit/verify.html", context! { report_no, code, result }))
}

async fn mine_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    let uscc = match (&p.kind, &p.uscc) {
        (PrincipalKind::Enterprise, Some(u)) => u.clone(),
        _ => return Ok(render(&state, &base, "credit/mine.html", context! { not_enterprise => true })),
    };
    let credit = service(&state, &ctx);
    let subject = subjects::by_uscc(&state.db, &uscc).await.map_err(err)?;
    let Some(subject) = subject else {
        return Ok(render(&state, &base, "credit/mine.html", context! { uscc, no_record => true }));
    };
    let view = credit.public_view(&uscc).await.map_err(err)?;
    let repairs = crate::store::cases::repairs_of_subject(&state.db, &subject.id).await.map_err(err)?;
    let objections = crate::store::cases::objections_of_subject(&state.db, &subject.id).await.map_err(err)?;
    let today = credit.today().to_string();
    // Penalties with an application being decided get no second application form.
    let pending: Vec<&str> = repairs
        .iter()
        .filter(|r| matches!(r.status.as_str(), "submitted" | "accepted"))
        .map(|r| r.record_id.as_str())
        .collect();
    Ok(render(
        &state,
        &base,
        "credit/mine.html",
        context! { uscc, view, repairs => &repairs, objections, today, pending, done => flash.done },
    ))
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RepairForm {
    obligations: String,
    commitment: String,
    obligations_fulfilled: Option<String>,
    commitment_signed: Option<String>,
}

async fn apply_repair(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<RepairForm>,
) -> Result<Response, PageError> {
    let app = RepairApplication {
        obligations: f.obligations,
        commitment: f.commitment,
        obligations_fulfilled: f.obligations_fulfilled.is_some(),
        commitment_signed: f.commitment_signed.is_some(),
    };
    service(&state, &ctx)
        .apply_for_repair(&user.principal, &id, app)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/credit/mine?done=repair").into_response())
}

#[derive(Debug, Deserialize)]
struct ObjectionForm {
    grounds: String,
}

async fn raise_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ObjectionForm>,
) -> Result<Response, PageError> {
    if f.grounds.trim().is_empty() {
        return Err(PageError::new(&state, &base, Error::bad_request("credit.field_required", "grounds")));
    }
    service(&state, &ctx)
        .raise_objection(&user.principal, &id, &f.grounds)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/credit/mine?done=objection").into_response())
}
