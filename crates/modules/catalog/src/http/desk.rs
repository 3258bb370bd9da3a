//! The catalog desk (`/admin/catalog`): the department's entries by status, the review queue
//! of the data authority, share requests, objections and open-data applications to decide
//! before their deadlines, and the exchange call record with its chain verification and usage.

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::{Error, Principal};
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::{Deserialize, Serialize};

use super::pages::Names;
use crate::domain::{perm, Entry, Status};
use crate::service::sharing::ShareDecision;
use crate::store::{calls, cases, entries, sharing};
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/catalog", get(desk))
        .route("/admin/catalog/share-requests/{id}", post(decide_share))
        .route("/admin/catalog/objections/{id}", post(answer_objection))
        .route("/admin/catalog/applications/{id}", post(decide_application))
}

/// Who may open the desk: anyone who writes, reviews, decides or oversees calls.
pub(crate) fn may_use_desk(p: &Principal) -> bool {
    [perm::ENTRIES_WRITE, perm::ENTRIES_REVIEW, perm::CALLS_READ, perm::SHARING_DECIDE].iter().any(|x| p.can(x))
}

pub(crate) fn desk_forbidden() -> Error {
    Error::forbidden("catalog.forbidden", format!("needs {}", perm::ENTRIES_WRITE))
        .with_arg("permission", perm::ENTRIES_WRITE)
}

#[derive(Debug, Deserialize, Default)]
struct DeskQuery {
    status: Option<String>,
    done: Option<String>,
}

#[derive(Debug, Serialize)]
struct Tab {
    status: &'static str,
    count: i64,
}

#[derive(Debug, Serialize)]
struct UsageRow {
    entry_code: String,
    system: String,
    calls: i64,
    ok: i64,
    denied: i64,
    rows: i64,
}

async fn desk(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(q): Query<DeskQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    if !may_use_desk(p) {
        return Err(err(desk_forbidden()));
    }
    let catalog = service(&state, &ctx);
    let own = catalog.org_of(p).await.map_err(err)?;
    // Operators see every department; staff their own; staff of no providing department
    // see no department's work.
    let scope: Option<Option<String>> =
        if p.is_operator() { Some(None) } else { own.as_ref().map(|o| Some(o.id.clone())) };
    let names = Names::load(&state.db, base.lang).await.map_err(err)?;
    let status = q.status.as_deref().and_then(Status::parse);
    let (mut tabs, mut mine) = (Vec::new(), Vec::new());
    if let Some(org) = &scope {
        for s in Status::ALL {
            let f = entries::Filter { org_id: org.as_deref(), status: Some(*s), ..Default::default() };
            tabs.push(Tab { status: s.as_str(), count: entries::count(&state.db, &f).await.map_err(err)? });
        }
        let f = entries::Filter { org_id: org.as_deref(), status, ..Default::default() };
        mine = entries::list(&state.db, &f, "updated_at DESC, code", 100, 0).await.map_err(err)?;
    }
    let reviews = if p.can(perm::ENTRIES_REVIEW) {
        let f = entries::Filter { status: Some(Status::Review), ..Default::default() };
        entries::list(&state.db, &f, "updated_at, code", 100, 0).await.map_err(err)?
    } else {
        Vec::new()
    };
    let (mut requests, mut objections, mut applications) = (Vec::new(), Vec::new(), Vec::new());
    if let (true, Some(org)) = (p.can(perm::SHARING_DECIDE), &scope) {
        requests = sharing::requests(&state.db, org.as_deref(), true, 200)
            .await
            .map_err(err)?
            .into_iter()
            .filter(|r| r.status == "submitted")
            .collect();
        objections = cases::open_objections(&state.db, org.as_deref()).await.map_err(err)?;
        applications = cases::pending_applications(&state.db, org.as_deref()).await.map_err(err)?;
    }
    // Names of the entries and systems the cases are about.
    let ids: Vec<String> = requests
        .iter()
        .map(|r| r.entry_id.clone())
        .chain(objections.iter().map(|o| o.entry_id.clone()))
        .chain(applications.iter().map(|a| a.entry_id.clone()))
        .collect();
    let about: BTreeMap<String, Entry> =
        entries::by_ids(&state.db, &ids).await.map_err(err)?.into_iter().map(|e| (e.id.clone(), e)).collect();
    let systems: BTreeMap<String, String> = sharing::systems(&state.db)
        .await
        .map_err(err)?
        .into_iter()
        .map(|s| (s.id, format!("{} · {}", s.name, names.org(&s.org_id))))
        .collect();
    let (mut recent, mut verdict, mut usage) = (Vec::new(), None, Vec::new());
    if p.can(perm::CALLS_READ) {
        recent = calls::recent(&state.db, None, 50).await.map_err(err)?;
        verdict = Some(catalog.verify_calls().await.map_err(err)?);
        usage = calls::usage(&state.db, state.now_ms() - 30 * 86_400_000)
            .await
            .map_err(err)?
            .into_iter()
            .map(|(entry_code, system, calls, ok, denied, rows)| UsageRow {
                entry_code,
                system: system.map(|s| systems.get(&s).cloned().unwrap_or(s)).unwrap_or_default(),
                calls,
                ok,
                denied,
                rows,
            })
            .collect();
    }
    Ok(render(
        &state,
        &base,
        "catalog/desk.html",
        context! {
            own, registered => scope.is_some(), tabs, status => status.map(|s| s.as_str()), mine, reviews,
            requests, objections, applications, about, systems, recent, verdict, usage,
            orgs => names.orgs, today => catalog.today().to_string(), done => q.done,
            can_write => p.can(perm::ENTRIES_WRITE), can_review => p.can(perm::ENTRIES_REVIEW),
            can_decide => p.can(perm::SHARING_DECIDE), can_calls => p.can(perm::CALLS_READ),
        },
    ))
}

/// A share decision as the form sends it (columns repeat, so it is read from the pairs).
struct ShareForm {
    action: String,
    reason: String,
    /// The columns granted, when the provider narrows the request.
    column: Vec<String>,
}

async fn decide_share(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let pick = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let f = ShareForm {
        action: pick("action"),
        reason: pick("reason"),
        column: pairs.iter().filter(|(k, _)| k == "column").map(|(_, v)| v.clone()).collect(),
    };
    let approve = match f.action.as_str() {
        "approve" => true,
        "refuse" => false,
        other => return Err(err(Error::bad_request("catalog.invalid_decision", format!("unknown action {other:?}")))),
    };
    let d = ShareDecision {
        approve,
        reason: f.reason,
        columns: (!f.column.is_empty()).then_some(f.column),
        region_filter: None,
    };
    service(&state, &ctx).decide_share(&user.principal, &id, d).await.map_err(err)?;
    let done = if approve { "share_approved" } else { "share_refused" };
    Ok(Redirect::to(&format!("/admin/catalog?done={done}")).into_response())
}

#[derive(Debug, Deserialize)]
struct AnswerForm {
    action: String,
    #[serde(default)]
    answer: String,
}

async fn answer_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<AnswerForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let corrected = match f.action.as_str() {
        "corrected" => true,
        "rejected" => false,
        other => return Err(err(Error::bad_request("catalog.invalid_decision", format!("unknown action {other:?}")))),
    };
    service(&state, &ctx).answer_objection(&user.principal, &id, corrected, &f.answer).await.map_err(err)?;
    Ok(Redirect::to("/admin/catalog?done=objection_answered").into_response())
}

#[derive(Debug, Deserialize)]
struct DecisionForm {
    action: String,
    #[serde(default)]
    reason: String,
}

async fn decide_application(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DecisionForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let approve = match f.action.as_str() {
        "approve" => true,
        "refuse" => false,
        other => return Err(err(Error::bad_request("catalog.invalid_decision", format!("unknown action {other:?}")))),
    };
    service(&state, &ctx).decide_open(&user.principal, &id, approve, &f.reason).await.map_err(err)?;
    let done = if approve { "application_approved" } else { "application_refused" };
    Ok(Redirect::to(&format!("/admin/catalog?done={done}")).into_response())
}
