//! The native JSON API under `/api/v1/catalog`: departments compile entries and load their
//! data; the data authority reviews; consumer departments request resources and providers
//! decide; call records and usage for oversight.

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use qy_kernel::Error;
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{perm, Category, Entry, Grant, Objection, OpenApplication, Org, ShareRequest, Status, System};
use crate::service::data::LoadReport;
use crate::service::entries::EntryInput;
use crate::service::exchange::ChainVerdict;
use crate::service::require;
use crate::service::sharing::{NewShareRequest, NewSystem, ShareDecision};
use crate::store::{calls, entries, orgs, sharing};
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories))
        .routes(routes!(list_orgs, create_org))
        .routes(routes!(feeds))
        .routes(routes!(list_entries, create_entry))
        .routes(routes!(get_entry, update_entry))
        .routes(routes!(submit_entry))
        .routes(routes!(review_entry))
        .routes(routes!(withdraw_entry))
        .routes(routes!(set_source))
        .routes(routes!(list_systems, register_system))
        .routes(routes!(list_requests, request_share))
        .routes(routes!(decide_share))
        .routes(routes!(revoke_grant))
        .routes(routes!(raise_objection))
        .routes(routes!(answer_objection))
        .routes(routes!(list_calls))
        .routes(routes!(verify_calls))
        .routes(routes!(usage))
        .routes(routes!(apply_open))
        .routes(routes!(decide_open))
        .routes(routes!(create_key))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(upload_data))
                .routes(routes!(export_sheet, import_sheet))
                // Uploads may be larger than other requests (the policy's limit is checked too).
                .layer(DefaultBodyLimit::max(24 * 1024 * 1024)),
        )
}

/// The resource classification (类 / 项 / 目).
#[utoipa::path(get, path = "/api/v1/catalog/categories", tag = "catalog", security(()), responses((status = 200, body = Vec<Category>)))]
async fn categories(State(state): State<AppState>) -> ApiResult<Json<Vec<Category>>> {
    Ok(Json(orgs::categories(&state.db).await?))
}

/// Providing and consuming departments.
#[utoipa::path(get, path = "/api/v1/catalog/orgs", tag = "catalog", security(()), responses((status = 200, body = Vec<Org>)))]
async fn list_orgs(State(state): State<AppState>) -> ApiResult<Json<Vec<Org>>> {
    Ok(Json(orgs::all(&state.db).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct NewOrg {
    /// CKAN organisation name: lower-case ASCII letters, digits, `-`.
    slug: String,
    name: String,
    uscc: String,
    region_code: String,
    /// The identity department whose staff act for it.
    #[serde(default)]
    department_id: Option<String>,
    #[serde(default)]
    description: String,
}

/// Registers a department as a provider (USCC checked).
#[utoipa::path(post, path = "/api/v1/catalog/orgs", tag = "catalog", request_body = NewOrg,
    responses((status = 201, body = Org), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn create_org(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    ApiJson(o): ApiJson<NewOrg>,
) -> ApiResult<(StatusCode, Json<Org>)> {
    require(&p, perm::ORGS_MANAGE)?;
    let uscc = qy_cnid::Uscc::parse(&o.uscc)
        .map_err(|e| Error::bad_request("catalog.uscc_invalid", format!("uscc: {e}")).with_arg("field", "uscc"))?;
    let slug_ok = !o.slug.is_empty()
        && o.slug.len() <= 100
        && o.slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !slug_ok {
        return Err(Error::bad_request("catalog.invalid_slug", "slug: lower-case letters, digits and -")
            .with_arg("field", "slug")
            .into());
    }
    if qy_kernel::region::significant_prefix(&o.region_code).is_none() {
        return Err(Error::bad_request("catalog.invalid_region", "region_code is not a region code").into());
    }
    let org = Org {
        id: qy_kernel::id::new_id(),
        slug: o.slug,
        name: crate::service::non_empty("name", &o.name)?,
        uscc: uscc.as_str().to_owned(),
        region_code: o.region_code,
        department_id: o.department_id,
        description: o.description,
        created_at: state.now_ms(),
    };
    orgs::insert(&state.db, &org).await.map_err(|e| {
        if e.code == "store.conflict" {
            Error::conflict("catalog.org_exists", "a department with this slug, USCC or identity department exists")
        } else {
            e
        }
    })?;
    Ok((StatusCode::CREATED, Json(org)))
}

#[derive(Debug, Serialize, ToSchema)]
struct Feed {
    code: String,
    title: String,
    columns: Vec<String>,
}

/// Live data the modules offer for catalog entries.
#[utoipa::path(get, path = "/api/v1/catalog/feeds", tag = "catalog", responses((status = 200, body = Vec<Feed>), (status = 401, body = Problem)))]
async fn feeds(Extension(ctx): Extension<Ctx>, ApiUser(_user): ApiUser) -> Json<Vec<Feed>> {
    Json(
        ctx.feeds
            .feeds()
            .into_iter()
            .map(|f| Feed { code: f.code, title: f.title, columns: f.columns.into_iter().map(|c| c.column).collect() })
            .collect(),
    )
}

#[derive(Debug, Deserialize, IntoParams)]
struct ListParams {
    /// draft, review, published or withdrawn
    status: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// Entries of the caller's department (reviewers and operators: all).
#[utoipa::path(get, path = "/api/v1/catalog/entries", tag = "catalog", params(ListParams),
    responses((status = 200, body = Vec<Entry>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_entries(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<ListParams>,
) -> ApiResult<Json<Vec<Entry>>> {
    let catalog = service(&state, &ctx);
    let everything = p.is_operator() || p.can(perm::ENTRIES_REVIEW);
    if !everything {
        require(&p, perm::ENTRIES_WRITE)?;
    }
    let own = catalog.org_of(&p).await?;
    let status = match q.status.as_deref() {
        Some(s) => Some(
            Status::parse(s)
                .ok_or_else(|| Error::bad_request("catalog.invalid_status", format!("unknown status {s:?}")))?,
        ),
        None => None,
    };
    let org_id = if everything { None } else { Some(own.map(|o| o.id).unwrap_or_default()) };
    let filter = entries::Filter { org_id: org_id.as_deref(), status, ..Default::default() };
    Ok(Json(
        entries::list(
            &state.db,
            &filter,
            "updated_at DESC, code",
            q.limit.unwrap_or(100).clamp(1, 500),
            q.offset.unwrap_or(0).max(0),
        )
        .await?,
    ))
}

/// Creates a draft entry; its code is the category's next 顺序码.
#[utoipa::path(post, path = "/api/v1/catalog/entries", tag = "catalog", request_body = EntryInput,
    responses((status = 201, body = Entry), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn create_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(input): ApiJson<EntryInput>,
) -> ApiResult<(StatusCode, Json<Entry>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).create_entry(&p, input).await?)))
}

/// One entry by id, code or slug (staff view: any status).
#[utoipa::path(get, path = "/api/v1/catalog/entries/{id}", tag = "catalog", params(("id" = String, Path)),
    responses((status = 200, body = Entry), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn get_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(_user): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Entry>> {
    Ok(Json(service(&state, &ctx).entry(&id).await?))
}

/// Edits an entry; a published one becomes the draft of its next version.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}", tag = "catalog", params(("id" = String, Path)), request_body = EntryInput,
    responses((status = 200, body = Entry), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn update_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<EntryInput>,
) -> ApiResult<Json<Entry>> {
    Ok(Json(service(&state, &ctx).update_entry(&p, &id, input).await?))
}

/// Sends a draft for review.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/submit", tag = "catalog", params(("id" = String, Path)),
    responses((status = 200, body = Entry), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn submit_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Entry>> {
    Ok(Json(service(&state, &ctx).submit_entry(&p, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Review {
    publish: bool,
    /// Required when sending back.
    #[serde(default)]
    note: String,
}

/// The data authority publishes the entry (a new version) or sends it back with a note.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/review", tag = "catalog", params(("id" = String, Path)), request_body = Review,
    responses((status = 200, body = Entry), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn review_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Review>,
) -> ApiResult<Json<Entry>> {
    Ok(Json(service(&state, &ctx).review_entry(&p, &id, r.publish, &r.note).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Reason {
    reason: String,
}

/// Withdraws a published entry, with the reason.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/withdraw", tag = "catalog", params(("id" = String, Path)), request_body = Reason,
    responses((status = 200, body = Entry), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn withdraw_entry(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Reason>,
) -> ApiResult<Json<Entry>> {
    Ok(Json(service(&state, &ctx).withdraw_entry(&p, &id, &r.reason).await?))
}

/// Loads a CSV (UTF-8 or GBK), XLSX or JSON file as the entry's data. Every cell is checked
/// against its 信息项; if any fails nothing is loaded and the report (422) lists them.
#[utoipa::path(post, path = "/api/v1/catalog/entries/{id}/data", tag = "catalog", params(("id" = String, Path)),
    request_body(content = Vec<u8>, content_type = "text/csv"),
    responses((status = 200, body = LoadReport), (status = 422, body = LoadReport), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 413, body = Problem)))]
async fn upload_data(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<LoadReport>)> {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let report = service(&state, &ctx).upload(&p, &id, content_type, &body).await?;
    let status = if report.loaded { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}

#[derive(Debug, Deserialize, ToSchema)]
struct SourceBody {
    /// A feed code (see /feeds) …
    #[serde(default)]
    feed: Option<String>,
    /// … or another system's URL.
    #[serde(default)]
    endpoint: Option<String>,
}

/// Puts a module's live feed or another system's endpoint behind the entry.
#[utoipa::path(put, path = "/api/v1/catalog/entries/{id}/source", tag = "catalog", params(("id" = String, Path)), request_body = SourceBody,
    responses((status = 200, body = Entry), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn set_source(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(s): ApiJson<SourceBody>,
) -> ApiResult<Json<Entry>> {
    let catalog = service(&state, &ctx);
    Ok(Json(match (s.feed, s.endpoint) {
        (Some(f), None) => catalog.bind_feed(&p, &id, &f).await?,
        (None, Some(u)) => catalog.bind_endpoint(&p, &id, &u).await?,
        _ => return Err(Error::bad_request("catalog.invalid_source", "give either feed or endpoint").into()),
    }))
}

/// Consumer systems (政务信息系统).
#[utoipa::path(get, path = "/api/v1/catalog/systems", tag = "catalog", responses((status = 200, body = Vec<System>), (status = 401, body = Problem)))]
async fn list_systems(State(state): State<AppState>, ApiUser(_user): ApiUser) -> ApiResult<Json<Vec<System>>> {
    Ok(Json(sharing::systems(&state.db).await?))
}

/// Registers a consumer system of the caller's department, acting through an identity
/// system account (its personal access tokens).
#[utoipa::path(post, path = "/api/v1/catalog/systems", tag = "catalog", request_body = NewSystem,
    responses((status = 201, body = System), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn register_system(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(s): ApiJson<NewSystem>,
) -> ApiResult<(StatusCode, Json<System>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).register_system(&p, s).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
struct RequestParams {
    /// provider (requests for my department's entries, default) or consumer (my systems')
    role: Option<String>,
}

/// Share requests of the caller's department.
#[utoipa::path(get, path = "/api/v1/catalog/share-requests", tag = "catalog", params(RequestParams),
    responses((status = 200, body = Vec<ShareRequest>), (status = 401, body = Problem)))]
async fn list_requests(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<RequestParams>,
) -> ApiResult<Json<Vec<ShareRequest>>> {
    let own = service(&state, &ctx).org_of(&p).await?;
    let org = if p.is_operator() { None } else { Some(own.map(|o| o.id).unwrap_or_default()) };
    let as_provider = q.role.as_deref() != Some("consumer");
    Ok(Json(sharing::requests(&state.db, org.as_deref(), as_provider, 200).await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct RequestOutcome {
    request: ShareRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    grant: Option<Grant>,
}

/// Requests a resource for a consumer system: 无条件 is granted at once, 有条件 waits for the
/// provider's decision (deadline in working days), 不予共享 is refused.
#[utoipa::path(post, path = "/api/v1/catalog/share-requests", tag = "catalog", request_body = NewShareRequest,
    responses((status = 201, body = RequestOutcome), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn request_share(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<NewShareRequest>,
) -> ApiResult<(StatusCode, Json<RequestOutcome>)> {
    let (request, grant) = service(&state, &ctx).request_share(&p, r).await?;
    Ok((StatusCode::CREATED, Json(RequestOutcome { request, grant })))
}

/// The provider approves (possibly narrowing columns and rows) or refuses with reasons.
#[utoipa::path(post, path = "/api/v1/catalog/share-requests/{id}/decision", tag = "catalog", params(("id" = String, Path)),
    request_body = ShareDecision, responses((status = 200, body = RequestOutcome), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn decide_share(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<ShareDecision>,
) -> ApiResult<Json<RequestOutcome>> {
    let (request, grant) = service(&state, &ctx).decide_share(&p, &id, d).await?;
    Ok(Json(RequestOutcome { request, grant }))
}

/// The provider revokes a grant, with the reason.
#[utoipa::path(post, path = "/api/v1/catalog/grants/{id}/revoke", tag = "catalog", params(("id" = String, Path)), request_body = Reason,
    responses((status = 200, body = Grant), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn revoke_grant(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<Reason>,
) -> ApiResult<Json<Grant>> {
    Ok(Json(service(&state, &ctx).revoke_grant(&p, &id, &r.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct NewObjection {
    entry: String,
    description: String,
}

/// A consumer reports wrong data (数据异议); the provider answers within the deadline.
#[utoipa::path(post, path = "/api/v1/catalog/objections", tag = "catalog", request_body = NewObjection,
    responses((status = 201, body = Objection), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn raise_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(o): ApiJson<NewObjection>,
) -> ApiResult<(StatusCode, Json<Objection>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).raise_objection(&p, &o.entry, &o.description).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Answer {
    corrected: bool,
    answer: String,
}

/// The provider answers an objection: corrected (with what was done) or rejected (why).
#[utoipa::path(post, path = "/api/v1/catalog/objections/{id}/answer", tag = "catalog", params(("id" = String, Path)), request_body = Answer,
    responses((status = 200, body = Objection), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn answer_objection(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(a): ApiJson<Answer>,
) -> ApiResult<Json<Objection>> {
    Ok(Json(service(&state, &ctx).answer_objection(&p, &id, a.corrected, &a.answer).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
struct CallParams {
    /// Only calls on this resource code.
    entry: Option<String>,
    limit: Option<i64>,
}

/// The exchange call record, newest first.
#[utoipa::path(get, path = "/api/v1/catalog/calls", tag = "catalog", params(CallParams),
    responses((status = 200, body = Vec<calls::Call>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_calls(
    State(state): State<AppState>,
    ApiUser(p): ApiUser,
    Query(q): Query<CallParams>,
) -> ApiResult<Json<Vec<calls::Call>>> {
    require(&p, perm::CALLS_READ)?;
    Ok(Json(calls::recent(&state.db, q.entry.as_deref(), q.limit.unwrap_or(100).clamp(1, 1000)).await?))
}

/// Recomputes the call record's hash chain.
#[utoipa::path(get, path = "/api/v1/catalog/calls/verification", tag = "catalog",
    responses((status = 200, body = ChainVerdict), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn verify_calls(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<ChainVerdict>> {
    require(&p, perm::CALLS_READ)?;
    Ok(Json(service(&state, &ctx).verify_calls().await?))
}

#[derive(Debug, Serialize, ToSchema)]
struct Usage {
    entry_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    system_id: Option<String>,
    calls: i64,
    ok: i64,
    denied: i64,
    rows: i64,
}

/// Usage per resource and consumer system over the last 30 days.
#[utoipa::path(get, path = "/api/v1/catalog/usage", tag = "catalog",
    responses((status = 200, body = Vec<Usage>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn usage(State(state): State<AppState>, ApiUser(p): ApiUser) -> ApiResult<Json<Vec<Usage>>> {
    require(&p, perm::CALLS_READ)?;
    let rows = calls::usage(&state.db, state.now_ms() - 30 * 86_400_000).await?;
    Ok(Json(
        rows.into_iter()
            .map(|(entry_code, system_id, calls, ok, denied, rows)| Usage {
                entry_code,
                system_id,
                calls,
                ok,
                denied,
                rows,
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
struct Application {
    entry: String,
    /// The applying person or organisation, as it should appear on the agreement.
    applicant: String,
    purpose: String,
}

/// Applies for a 有条件开放 resource.
#[utoipa::path(post, path = "/api/v1/catalog/open/applications", tag = "catalog", request_body = Application,
    responses((status = 201, body = OpenApplication), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn apply_open(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(a): ApiJson<Application>,
) -> ApiResult<(StatusCode, Json<OpenApplication>)> {
    Ok((StatusCode::CREATED, Json(service(&state, &ctx).apply_open(&p, &a.entry, &a.applicant, &a.purpose).await?)))
}

#[derive(Debug, Deserialize, ToSchema)]
struct OpenDecision {
    approve: bool,
    #[serde(default)]
    reason: String,
}

/// The provider decides an open-data application.
#[utoipa::path(post, path = "/api/v1/catalog/open/applications/{id}/decision", tag = "catalog", params(("id" = String, Path)),
    request_body = OpenDecision, responses((status = 200, body = OpenApplication), (status = 400, body = Problem),
        (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn decide_open(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(d): ApiJson<OpenDecision>,
) -> ApiResult<Json<OpenApplication>> {
    Ok(Json(service(&state, &ctx).decide_open(&p, &id, d.approve, &d.reason).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
struct KeyRequest {
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct NewKey {
    id: String,
    /// Send as `Authorization: <key>` (CKAN style). Shown once.
    key: String,
}

/// A developer key for the open-data API.
#[utoipa::path(post, path = "/api/v1/catalog/open/keys", tag = "catalog", request_body = KeyRequest,
    responses((status = 201, body = NewKey), (status = 400, body = Problem), (status = 401, body = Problem)))]
async fn create_key(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(k): ApiJson<KeyRequest>,
) -> ApiResult<(StatusCode, Json<NewKey>)> {
    let (id, key) = service(&state, &ctx).create_api_key(&p, &k.name).await?;
    Ok((StatusCode::CREATED, Json(NewKey { id, key })))
}

#[derive(Debug, Deserialize, IntoParams)]
struct SheetParams {
    /// xlsx (default) or csv
    format: Option<String>,
}

/// The catalog in the compilation guide's template columns: the caller's department's
/// entries (reviewers and operators: all), for reporting upward.
#[utoipa::path(get, path = "/api/v1/catalog/sheet", tag = "catalog", params(SheetParams),
    responses((status = 200, description = "XLSX or CSV file"), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn export_sheet(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<SheetParams>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let catalog = service(&state, &ctx);
    let (ctype, ext, body): (&str, &str, Vec<u8>) = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
            catalog.export_xlsx(&p).await?,
        ),
        "csv" => ("text/csv; charset=utf-8", "csv", catalog.export_csv(&p).await?.into_bytes()),
        other => {
            return Err(Error::bad_request("catalog.invalid_format", format!("format {other:?}: xlsx or csv")).into())
        }
    };
    let disposition = format!("attachment; filename=\"catalog.{ext}\"");
    Ok((
        [(axum::http::header::CONTENT_TYPE, ctype.to_owned()), (axum::http::header::CONTENT_DISPOSITION, disposition)],
        body,
    )
        .into_response())
}

/// Imports a filled catalog template (XLSX or CSV) as draft entries of the caller's
/// department. Every row is checked first; if any fails nothing is created (422 report).
#[utoipa::path(post, path = "/api/v1/catalog/sheet", tag = "catalog",
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    responses((status = 201, body = crate::service::sheet::SheetImport), (status = 422, body = crate::service::sheet::SheetImport),
        (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn import_sheet(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<crate::service::sheet::SheetImport>)> {
    let content_type = headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let report = service(&state, &ctx).import_sheet(&p, content_type, &body).await?;
    let status = if report.errors.is_empty() { StatusCode::CREATED } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(report)))
}
