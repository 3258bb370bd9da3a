//! Staff pages: the department's desk (records to enter, lists to approve, repairs and
//! objections to decide before their deadlines), a subject's full file, the record forms
//! and the bulk upload.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::Error;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::Deserialize;

use crate::domain::{perm, ListKind, RecordKind};
use crate::import::{self, ImportKind};
use crate::service::{require_perm, NewListEntry};
use crate::store::{cases, checks, lists, records};
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/credit", get(desk))
        .route("/admin/credit/subjects/{id}", get(subject_file))
        .route("/admin/credit/records/new/{kind}", get(record_form).post(submit_record))
        .route("/admin/credit/import", post(upload))
        .route("/admin/credit/templates/{kind}", get(template))
        .route("/admin/credit/lists", post(propose_entry))
        .route("/admin/credit/lists/{id}", post(decide_entry))
        .route("/admin/credit/repairs/{id}", post(decide_repair))
        .route("/admin/credit/objections/{id}", post(answer_objection))
        .route("/admin/credit/records/{id}/withdrawal", post(withdraw_record))
        .route("/admin/credit/measures/{code}", post(edit_measure))
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

async fn desk(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    require_perm(p, perm::INTERNAL_READ).map_err(err)?;
    let department = if p.is_operator() { None } else { p.department_id.as_deref() };
    let recent = records::recent(&state.db, department, None, 30).await.map_err(err)?;
    let pending = lists::pending(&state.db, 50).await.map_err(err)?;
    let repairs = cases::open_repairs(&state.db, 50).await.map_err(err)?;
    let objections = cases::open_objections(&state.db, 50).await.map_err(err)?;
    let stats = checks::check_stats(&state.db, state.now_ms() - 30 * 86_400_000).await.map_err(err)?;
    let measures = checks::measures(&state.db).await.map_err(err)?;
    let today = crate::policy::beijing_date(state.now_ms()).to_string();
    Ok(render(
        &state,
        &base,
        "credit/admin.html",
        context! {
            recent, pending, repairs, objections, stats, measures, today, done => flash.done,
            lists => ListKind::ALL.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            can_write => p.can(perm::RECORDS_WRITE), can_propose => p.can(perm::LISTS_PROPOSE),
            can_approve => p.can(perm::LISTS_APPROVE), can_review => p.can(perm::REPAIRS_REVIEW),
            can_measures => p.can(perm::MEASURES_MANAGE),
            me => p.account_id.clone(),
        },
    ))
}

async fn subject_file(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let p = &user.principal;
    let view = service(&state, &ctx).staff_view(p, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    let mine = |d: &Option<String>| p.is_operator() || (p.department_id.is_some() && *d == p.department_id);
    let withdrawable: Vec<&str> = view
        .records
        .iter()
        .filter(|r| p.can(perm::RECORDS_WRITE) && r.withdrawn_at.is_none() && mine(&r.department_id))
        .map(|r| r.id.as_str())
        .collect();
    Ok(render(&state, &base, "credit/admin_subject.html", context! { view => &view, withdrawable, done => flash.done }))
}

fn record_kind(kind: &str) -> Result<RecordKind, Error> {
    match kind {
        "penalty" => Ok(RecordKind::Penalty),
        "licence" => Ok(RecordKind::Licence),
        other => Err(Error::not_found("credit.invalid_import_kind", format!("no record kind {other:?}"))),
    }
}

/// Form fields: (national code, Chinese label, input kind). The national order.
fn form_fields(kind: RecordKind) -> Vec<(&'static str, &'static str)> {
    let all: &[(&str, &str)] = match kind {
        RecordKind::Penalty => qy_credit_rules::PENALTY_HEADERS,
        RecordKind::Licence => qy_credit_rules::LICENCE_HEADERS,
    };
    // Legacy identifiers are for imports of old data only.
    const LEGACY: &[&str] = &["_GSZC", "_ZZJG", "_SWDJ", "_SYDW", "_SHZZ", "_FR_ZJLX", "_FR_ZJHM"];
    all.iter().copied().filter(|(code, _)| !LEGACY.iter().any(|l| code.ends_with(l))).collect()
}

async fn record_form(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    require_perm(&user.principal, perm::RECORDS_WRITE).map_err(err)?;
    let kind = record_kind(&kind).map_err(err)?;
    Ok(render(
        &state,
        &base,
        "credit/record_form.html",
        context! { kind => kind.as_str(), fields => form_fields(kind), values => serde_json::json!({}), errors => Vec::<()>::new() },
    ))
}

async fn submit_record(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(kind): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let kind = record_kind(&kind).map_err(err)?;
    let credit = service(&state, &ctx);
    let p = &user.principal;
    let submitted = match kind {
        RecordKind::Penalty => match import::penalty_from_form(&pairs) {
            Ok(penalty) => credit.submit_penalty(p, penalty, None).await.map_err(FormProblem::Rejected),
            Err(rows) => Err(FormProblem::Unreadable(rows)),
        },
        RecordKind::Licence => match import::licence_from_form(&pairs) {
            Ok(licence) => credit.submit_licence(p, licence, None).await.map_err(FormProblem::Rejected),
            Err(rows) => Err(FormProblem::Unreadable(rows)),
        },
    };
    let errors: Vec<(String, String, String)> = match submitted {
        Ok(s) => {
            return Ok(Redirect::to(&format!("/admin/credit/subjects/{}?done={}", s.record.subject_id, kind.as_str()))
                .into_response())
        }
        Err(FormProblem::Unreadable(rows)) => rows.into_iter().map(|e| (e.field, e.code, e.detail)).collect(),
        // Permission and store problems are not about a field: the error page says them.
        Err(FormProblem::Rejected(e)) if e.code != "credit.invalid_record" => return Err(err(e)),
        Err(FormProblem::Rejected(e)) => e
            .detail
            .split("; ")
            .map(|part| {
                let (field, detail) = part.split_once(": ").unwrap_or(("-", part));
                (field.to_owned(), e.code.to_string(), detail.to_owned())
            })
            .collect(),
    };
    // Re-show the form with what was typed and every problem next to it.
    let values: serde_json::Map<String, serde_json::Value> = pairs
        .iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    Ok(qy_web::page::render_with_status(
        &state,
        &base,
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        "credit/record_form.html",
        context! { kind => kind.as_str(), fields => form_fields(kind), values, errors },
    ))
}

/// Why a form was not stored: fields that could not be read, or a record the rules refused.
enum FormProblem {
    Unreadable(Vec<import::RowError>),
    Rejected(Error),
}

/// The CSRF token of a multipart form (forms with files cannot use `CsrfForm`).
fn csrf_ok(base: &Base, submitted: &str) -> bool {
    !base.fresh_csrf && qy_web::csrf::matches(&base.csrf, submitted)
}

async fn upload(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let (mut csrf, mut kind, mut file, mut file_name) = (String::new(), String::new(), Vec::new(), String::new());
    while let Some(field) =
        multipart.next_field().await.map_err(|e| err(Error::bad_request("request.invalid_form", e.to_string())))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "kind" => kind = field.text().await.unwrap_or_default(),
            "file" => {
                file_name = field.file_name().unwrap_or("").to_owned();
                file = field.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            }
            _ => {}
        }
    }
    if !csrf_ok(&base, &csrf) {
        let e = "the form expired or came from another site; reload the page and try again";
        return Err(err(Error::forbidden("request.csrf", e)));
    }
    let kind = ImportKind::parse(&kind).map_err(err)?;
    let format = import::Format::detect(if file_name.ends_with(".xlsx") { "spreadsheetml" } else { "" }, &file);
    let report = import::run(&service(&state, &ctx), &user.principal, kind, format, &file).await.map_err(err)?;
    Ok(render(&state, &base, "credit/import_result.html", context! { report, file_name }))
}

async fn template(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    require_perm(&user.principal, perm::RECORDS_WRITE).map_err(err)?;
    let name = kind.trim_end_matches(".csv").to_owned();
    let kind = ImportKind::parse(&name).map_err(err)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"credit-{name}-template.csv\"")),
        ],
        import::template_csv(kind),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
struct EntryForm {
    uscc: String,
    list: String,
    legal_basis: String,
    reason: String,
    authority: String,
    authority_uscc: String,
    decided_on: String,
    valid_from: String,
    valid_to: Option<String>,
}

async fn propose_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<EntryForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let list =
        ListKind::parse(&f.list).ok_or_else(|| err(Error::bad_request("credit.invalid_list", "unknown list")))?;
    let new = NewListEntry {
        uscc: f.uscc,
        list,
        legal_basis: f.legal_basis,
        reason: f.reason,
        authority: f.authority,
        authority_uscc: f.authority_uscc,
        decided_on: f.decided_on,
        valid_from: f.valid_from,
        valid_to: f.valid_to,
    };
    service(&state, &ctx).propose_list_entry(&user.principal, new).await.map_err(err)?;
    Ok(Redirect::to("/admin/credit?done=proposed").into_response())
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    action: String,
    #[serde(default)]
    reason: String,
}

async fn decide_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let credit = service(&state, &ctx);
    let p = &user.principal;
    match f.action.as_str() {
        "approve" => credit.approve_list_entry(p, &id).await,
        "reject" => credit.reject_list_entry(p, &id, &f.reason).await,
        "request_exit" => credit.request_list_exit(p, &id, &f.reason).await,
        "approve_exit" => credit.approve_list_exit(p, &id).await,
        other => Err(Error::bad_request("credit.invalid_decision", format!("unknown action {other:?}"))
            .with_arg("decision", other)),
    }
    .map_err(err)?;
    Ok(Redirect::to(&format!("/admin/credit?done={}", f.action)).into_response())
}

async fn decide_repair(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    service(&state, &ctx)
        .decide_repair(&user.principal, &id, &f.action, &f.reason)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/credit?done=repair_{}", f.action)).into_response())
}

async fn answer_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    service(&state, &ctx)
        .answer_objection(&user.principal, &id, &f.action, &f.reason)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/credit?done=objection_{}", f.action)).into_response())
}

#[derive(Debug, Deserialize)]
struct ReasonForm {
    reason: String,
}

async fn withdraw_record(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReasonForm>,
) -> Result<Response, PageError> {
    let r = service(&state, &ctx)
        .withdraw_record(&user.principal, &id, &f.reason)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/credit/subjects/{}?done=withdrawn", r.subject_id)).into_response())
}

#[derive(Debug, Deserialize)]
struct MeasureForm {
    scenarios: String,
    active: Option<String>,
}

/// Operators adjust where a measure applies and whether it is in force.
async fn edit_measure(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Path(code): Path<String>,
    CsrfForm(f): CsrfForm<MeasureForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    require_perm(&user.principal, perm::MEASURES_MANAGE).map_err(err)?;
    let mut m = checks::measures(&state.db)
        .await
        .map_err(err)?
        .into_iter()
        .find(|m| m.code == code)
        .ok_or_else(|| err(Error::not_found("credit.measure_not_found", "no such measure")))?;
    m.scenarios =
        f.scenarios.split([',', '，', ' ']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    m.active = f.active.is_some();
    crate::service::validate_measure(&m).map_err(err)?;
    checks::upsert_measure(&state.db, &m).await.map_err(err)?;
    Ok(Redirect::to("/admin/credit?done=measure").into_response())
}
