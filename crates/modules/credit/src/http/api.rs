//! JSON API under `/api/v1/credit`: the public one-stop query and reports; departments'
//! records, lists, repairs and objections; the joint rewards and punishments check.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use qy_credit_rules::{Licence, Penalty};
use qy_kernel::audit::AuditEntry;
use qy_kernel::credit::{CreditCheckOutcome, CreditCheckRequest};
use qy_kernel::Error;
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{perm, ListEntry, MeasureDef, Objection, Record, Repair};
use crate::import::{self, ImportReport};
use crate::service::cases::RepairApplication;
use crate::service::{
    require_perm, IssuedReport, NewListEntry, PublicView, SearchHit, StaffView, SubmitOutcome, Submitted, Verification,
};
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search))
        .routes(routes!(subject))
        .routes(routes!(issue_report))
        .routes(routes!(verify_report))
        .routes(routes!(submit_penalty))
        .routes(routes!(submit_licence))
        .routes(routes!(import_records))
        .routes(routes!(withdraw_record))
        .routes(routes!(staff_view))
        .routes(routes!(reveal_person_id))
        .routes(routes!(propose_list_entry))
        .routes(routes!(decide_list_entry))
        .routes(routes!(apply_for_repair))
        .routes(routes!(decide_repair))
        .routes(routes!(raise_objection))
        .routes(routes!(answer_objection))
        .routes(routes!(check))
        .routes(routes!(check_stats))
        .routes(routes!(list_measures))
        .routes(routes!(put_measure))
}

#[derive(Debug, Deserialize, IntoParams)]
struct SearchParams {
    /// A USCC (exact) or part of a name, current or former (at least two characters).
    q: String,
    /// At most this many hits (default 20, at most 100).
    limit: Option<usize>,
}

/// One-stop query: search legal entities by USCC or name. Natural persons are never listed.
#[utoipa::path(get, path = "/api/v1/credit/subjects", tag = "credit", security(()), params(SearchParams),
    responses((status = 200, body = Vec<SearchHit>), (status = 400, body = Problem)))]
async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Query(q): Query<SearchParams>,
) -> ApiResult<Json<Vec<SearchHit>>> {
    let limit = q.limit.unwrap_or(20).clamp(1, 100);
    Ok(Json(service(&state, &ctx).search(&q.q, limit).await?))
}

/// The public credit view of a legal entity: basic information, licences, penalties inside
/// their publication period, list status and the explained evaluation.
#[utoipa::path(get, path = "/api/v1/credit/subjects/{uscc}", tag = "credit", security(()), params(("uscc" = String, Path)),
    responses((status = 200, body = PublicView), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn subject(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(uscc): Path<String>,
) -> ApiResult<Json<PublicView>> {
    Ok(Json(service(&state, &ctx).public_view(&uscc).await?))
}

/// Issues a credit report (公共信用信息报告) with a report number, digest and verification code.
/// The printable report is at `/credit/reports/{report_no}`.
#[utoipa::path(post, path = "/api/v1/credit/subjects/{uscc}/reports", tag = "credit", security(()), params(("uscc" = String, Path)),
    responses((status = 201, body = IssuedReport), (status = 400, body = Problem), (status = 404, body = Problem)))]
async fn issue_report(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(uscc): Path<String>,
) -> ApiResult<(StatusCode, Json<IssuedReport>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).issue_report(&uscc).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
struct VerifyParams {
    /// The verification code printed on the report.
    code: String,
}

/// Verifies a report: authentic (issued here, unaltered) and current (the public record is
/// still what it says).
#[utoipa::path(get, path = "/api/v1/credit/reports/{report_no}/verification", tag = "credit", security(()),
    params(("report_no" = String, Path), VerifyParams), responses((status = 200, body = Verification)))]
async fn verify_report(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    Path(report_no): Path<String>,
    Query(q): Query<VerifyParams>,
) -> ApiResult<Json<Verification>> {
    Ok(Json(service(&state, &ctx).verify_report(&report_no, &q.code).await?))
}

fn submitted(s: Submitted) -> (StatusCode, Json<Submitted>) {
    let status = if s.outcome == SubmitOutcome::Created { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(s))
}

/// Submits a 行政处罚 decision (双公示). Idempotent on the decision number: the same content
/// again is `unchanged` (200), new content is a `corrected` version (200).
#[utoipa::path(post, path = "/api/v1/credit/penalties", tag = "credit", request_body = Object,
    responses((status = 201, body = Submitted), (status = 200, body = Submitted), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn submit_penalty(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<Penalty>,
) -> ApiResult<(StatusCode, Json<Submitted>)> {
    Ok(submitted(service(&state, &ctx).submit_penalty(&p, body, None).await?))
}

/// Submits a 行政许可 decision (双公示), idempotent on the decision number.
#[utoipa::path(post, path = "/api/v1/credit/licences", tag = "credit", request_body = Object,
    responses((status = 201, body = Submitted), (status = 200, body = Submitted), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn submit_licence(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<Licence>,
) -> ApiResult<(StatusCode, Json<Submitted>)> {
    Ok(submitted(service(&state, &ctx).submit_licence(&p, body, None).await?))
}

/// Bulk import of penalties or licences: the body is a CSV (UTF-8 or GBK) or XLSX file with
/// the national field codes or their Chinese names as headers. Every row is validated first;
/// if any fails, nothing is imported and the report (422) lists every error by row and field.
#[utoipa::path(post, path = "/api/v1/credit/imports/{kind}", tag = "credit", params(("kind" = String, Path, description = "penalties or licences")),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = ImportReport), (status = 422, body = ImportReport), (status = 400, body = Problem),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn import_records(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(kind): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let kind = import::ImportKind::parse(&kind)?;
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let format = import::Format::detect(content_type, &body);
    let report = import::run(&service(&state, &ctx), &p, kind, format, &body).await?;
    let status = if report.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

/// Withdraws one's department's decision from publication (revoked, or entered in error),
/// with the reason. It stays in the internal record.
#[utoipa::path(post, path = "/api/v1/credit/records/{id}/withdrawal", tag = "credit", params(("id" = String, Path)),
    request_body = Reason, responses((status = 200, body = Record), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw_record(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Reason>,
) -> ApiResult<Json<Record>> {
    Ok(Json(service(&state, &ctx).withdraw_record(&p, &id, &r.reason).await?))
}

/// Everything about a subject, natural persons included (ID masked): records with their
/// publication state, lists, repairs, objections, history.
#[utoipa::path(get, path = "/api/v1/credit/internal/subjects/{id}", tag = "credit", params(("id" = String, Path)),
    responses((status = 200, body = StaffView), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn staff_view(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<StaffView>> {
    Ok(Json(service(&state, &ctx).staff_view(&p, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Reason {
    reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct Revealed {
    person_id: String,
}

/// Reveals a natural person's ID number. Needs `credit.personal_data.read` and a reason;
/// the read is written to the audit log.
#[utoipa::path(post, path = "/api/v1/credit/internal/subjects/{id}/person-id", tag = "credit", params(("id" = String, Path)),
    request_body = Reason, responses((status = 200, body = Revealed), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn reveal_person_id(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Reason>,
) -> ApiResult<Json<Revealed>> {
    let person_id = service(&state, &ctx).reveal_person_id(&p, &id, &r.reason).await?;
    state
        .audit(AuditEntry {
            actor: p.account_id.clone(),
            action: "credit.personal_data.read".into(),
            target: format!("credit_subject/{id}/person_id"),
            outcome: "ok".into(),
            reason: Some(r.reason.trim().to_owned()),
            request_id: None,
        })
        .await?;
    Ok(Json(Revealed { person_id }))
}

/// Proposes a list entry (red, serious_dishonest, key_attention); a second person approves.
#[utoipa::path(post, path = "/api/v1/credit/list-entries", tag = "credit", request_body = NewListEntry,
    responses((status = 201, body = ListEntry), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn propose_list_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(body): ApiJson<NewListEntry>,
) -> ApiResult<(StatusCode, Json<ListEntry>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).propose_list_entry(&p, body).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
struct ListDecision {
    /// approve, reject, request_exit or approve_exit
    action: String,
    #[serde(default)]
    reason: String,
}

/// Moves a list entry through its workflow.
#[utoipa::path(post, path = "/api/v1/credit/list-entries/{id}/decision", tag = "credit", params(("id" = String, Path)),
    request_body = ListDecision, responses((status = 200, body = ListEntry), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn decide_list_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<ListDecision>,
) -> ApiResult<Json<ListEntry>> {
    let credit = service(&state, &ctx);
    let entry = match d.action.as_str() {
        "approve" => credit.approve_list_entry(&p, &id).await?,
        "reject" => credit.reject_list_entry(&p, &id, &d.reason).await?,
        "request_exit" => credit.request_list_exit(&p, &id, &d.reason).await?,
        "approve_exit" => credit.approve_list_exit(&p, &id).await?,
        other => {
            return Err(Error::bad_request("credit.invalid_decision", format!("unknown action {other:?}"))
                .with_arg("decision", other)
                .into())
        }
    };
    Ok(Json(entry))
}

/// Applies for credit repair of a penalty (the subject's own enterprise account, or staff
/// entering a counter application).
#[utoipa::path(post, path = "/api/v1/credit/records/{id}/repairs", tag = "credit", params(("id" = String, Path)),
    request_body = RepairApplication, responses((status = 201, body = Repair), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
async fn apply_for_repair(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(app): ApiJson<RepairApplication>,
) -> ApiResult<(StatusCode, Json<Repair>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).apply_for_repair(&p, &id, app).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Decision {
    /// Repairs: accept, not_accept, approve, deny. Objections: upheld, rejected.
    decision: String,
    #[serde(default)]
    reason: String,
}

/// The department decides a repair application.
#[utoipa::path(post, path = "/api/v1/credit/repairs/{id}/decision", tag = "credit", params(("id" = String, Path)),
    request_body = Decision, responses((status = 200, body = Repair), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
async fn decide_repair(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<Repair>> {
    Ok(Json(service(&state, &ctx).decide_repair(&p, &id, &d.decision, &d.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Grounds {
    grounds: String,
}

/// The subject disputes a record (异议).
#[utoipa::path(post, path = "/api/v1/credit/records/{id}/objections", tag = "credit", params(("id" = String, Path)),
    request_body = Grounds, responses((status = 201, body = Objection), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
async fn raise_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(g): ApiJson<Grounds>,
) -> ApiResult<(StatusCode, Json<Objection>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).raise_objection(&p, &id, &g.grounds).await?)))
}

/// The department answers an objection: upheld (the record is withdrawn until corrected) or
/// rejected.
#[utoipa::path(post, path = "/api/v1/credit/objections/{id}/answer", tag = "credit", params(("id" = String, Path)),
    request_body = Decision, responses((status = 200, body = Objection), (status = 400, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem)))]
async fn answer_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<Objection>> {
    Ok(Json(service(&state, &ctx).answer_objection(&p, &id, &d.decision, &d.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct CheckBody {
    uscc: String,
    /// e.g. government_procurement, public_bidding, subsidy, administrative_licensing, supervision, honours
    scenario: String,
    #[serde(default)]
    reference: Option<String>,
}

/// Joint rewards and punishments (联合奖惩): the measures that apply to a subject in a
/// scenario. Every call is recorded for feedback statistics. Other modules call the same
/// check through the kernel's `CreditCheck` port.
#[utoipa::path(post, path = "/api/v1/credit/checks", tag = "credit", request_body = CheckBody,
    responses((status = 200, body = Object), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn check(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(b): ApiJson<CheckBody>,
) -> ApiResult<Json<CreditCheckOutcome>> {
    require_perm(&p, perm::CHECK)?;
    let request = CreditCheckRequest {
        uscc: b.uscc,
        scenario: b.scenario,
        checker: p.account_id.clone(),
        reference: b.reference,
    };
    Ok(Json(service(&state, &ctx).check(&request).await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct CheckStat {
    checker: String,
    scenario: String,
    checks: i64,
    /// Checks that found at least one measure.
    with_measures: i64,
}

/// Feedback statistics of the last 30 days: checks per caller and scenario.
#[utoipa::path(get, path = "/api/v1/credit/checks/stats", tag = "credit",
    responses((status = 200, body = Vec<CheckStat>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn check_stats(State(state): State<AppState>, ApiUser(p): ApiUser) -> ApiResult<Json<Vec<CheckStat>>> {
    require_perm(&p, perm::INTERNAL_READ)?;
    let since = state.now_ms() - 30 * 86_400_000;
    let rows = crate::store::checks::check_stats(&state.db, since).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(checker, scenario, checks, with_measures)| CheckStat { checker, scenario, checks, with_measures })
            .collect(),
    ))
}

/// The measure catalogue (联合奖惩措施清单).
#[utoipa::path(get, path = "/api/v1/credit/measures", tag = "credit", security(()), responses((status = 200, body = Vec<MeasureDef>)))]
async fn list_measures(State(state): State<AppState>) -> ApiResult<Json<Vec<MeasureDef>>> {
    Ok(Json(crate::store::checks::measures(&state.db).await?))
}

/// Creates or replaces a measure of the catalogue.
#[utoipa::path(put, path = "/api/v1/credit/measures/{code}", tag = "credit", params(("code" = String, Path)), request_body = MeasureDef,
    responses((status = 200, body = MeasureDef), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn put_measure(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    Path(code): Path<String>,
    ApiJson(mut m): ApiJson<MeasureDef>,
) -> ApiResult<Json<MeasureDef>> {
    require_perm(&p, perm::MEASURES_MANAGE)?;
    m.code = code;
    crate::service::validate_measure(&m)?;
    crate::store::checks::upsert_measure(&state.db, &m).await?;
    Ok(Json(m))
}
