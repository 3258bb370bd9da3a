//! JSON API under `/api/v1/identity`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use qy_kernel::audit::AuditEntry;
use qy_kernel::{Error, Principal};
use qy_web::paging::{page_from, Page, PageQuery};
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiJson, ApiResult, ApiUser, AppState, ClientIp, Problem};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::{AccessToken, Account, Department, NewAccount, Role};
use crate::{service, Ctx};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_session))
        .routes(routes!(delete_current_session))
        .routes(routes!(me))
        .routes(routes!(list_accounts, create_account))
        .routes(routes!(get_account, update_account))
        .routes(routes!(reveal_resident_id))
        .routes(routes!(list_departments, create_department))
        .routes(routes!(list_roles, create_role))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct Credentials {
    username: String,
    password: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct SessionCreated {
    /// Send as `Authorization: Bearer TOKEN`.
    token: String,
    token_type: &'static str,
    /// Epoch milliseconds.
    expires_at: i64,
    account: Account,
}

/// Log in with a password; returns a bearer token.
#[utoipa::path(post, path = "/api/v1/identity/sessions", tag = "identity", request_body = Credentials,
    responses((status = 201, body = SessionCreated), (status = 400, body = Problem), (status = 401, body = Problem),
              (status = 403, body = Problem, description = "account disabled"), (status = 429, body = Problem, description = "rate limited or locked")))]
async fn create_session(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ClientIp(ip): ClientIp,
    ApiJson(c): ApiJson<Credentials>,
) -> ApiResult<(StatusCode, Json<SessionCreated>)> {
    super::check_login_rate(&state, &ip, &c.username)?;
    let login = service(&state, &ctx).login(&c.username, &c.password, "api").await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionCreated {
            token: login.token,
            token_type: "Bearer",
            expires_at: login.expires_at,
            account: login.account,
        }),
    ))
}

/// Log out: ends the session whose token authenticates this request.
#[utoipa::path(delete, path = "/api/v1/identity/sessions/current", tag = "identity",
    responses((status = 204), (status = 401, body = Problem)))]
async fn delete_current_session(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    _user: ApiUser,
    headers: axum::http::HeaderMap,
) -> ApiResult<StatusCode> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    service(&state, &ctx).logout(token.trim()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
struct Me {
    account: Account,
    permissions: Vec<String>,
    /// Root of the region subtree the caller acts in.
    scope: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    token_scopes: Option<Vec<String>>,
}

/// Who am I?
#[utoipa::path(get, path = "/api/v1/identity/me", tag = "identity", responses((status = 200, body = Me), (status = 401, body = Problem)))]
async fn me(State(state): State<AppState>, Extension(ctx): Extension<Ctx>, ApiUser(p): ApiUser) -> ApiResult<Json<Me>> {
    let account = service(&state, &ctx).get_account(&p, &p.account_id).await?;
    Ok(Json(Me {
        account,
        permissions: p.permissions.iter().cloned().collect(),
        scope: p.scope.root().to_owned(),
        token_scopes: p.token_scopes.map(|s| s.into_iter().collect()),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
struct AccountQuery {
    /// staff, operator, citizen or enterprise
    kind: Option<String>,
    /// Part of the user name or display name.
    q: Option<String>,
}

/// Accounts in the caller's region subtree.
#[utoipa::path(get, path = "/api/v1/identity/accounts", tag = "identity", params(AccountQuery, PageQuery),
    responses((status = 200, body = Page<Account>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_accounts(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Query(q): Query<AccountQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Account>>> {
    let limit = page.limit();
    let rows = service(&state, &ctx)
        .list_accounts(&p, q.kind.as_deref(), q.q.as_deref(), page.after()?.as_deref(), limit)
        .await?;
    Ok(Json(page_from(rows, limit, |a| a.username.clone())))
}

/// Create an account (staff managers within their scope; operators anywhere).
#[utoipa::path(post, path = "/api/v1/identity/accounts", tag = "identity", request_body = NewAccount,
    responses((status = 201, body = Account), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn create_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(new): ApiJson<NewAccount>,
) -> ApiResult<(StatusCode, Json<Account>)> {
    require_any(&p)?;
    let a = service(&state, &ctx).create_account(Some(&p), state.regions.as_ref(), new).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Only people may manage people: staff and operators.
fn require_any(p: &Principal) -> Result<(), Error> {
    use qy_kernel::PrincipalKind::*;
    match p.kind {
        Staff | Operator => Ok(()),
        _ => Err(Error::forbidden("identity.forbidden", "only staff and operators manage accounts")),
    }
}

/// One account (masked personal data).
#[utoipa::path(get, path = "/api/v1/identity/accounts/{id}", tag = "identity", params(("id" = String, Path)),
    responses((status = 200, body = Account), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn get_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Account>> {
    Ok(Json(service(&state, &ctx).get_account(&p, &id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct AccountPatch {
    disabled: bool,
}

/// Disable or re-enable an account.
#[utoipa::path(patch, path = "/api/v1/identity/accounts/{id}", tag = "identity", params(("id" = String, Path)), request_body = AccountPatch,
    responses((status = 200, body = Account), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn update_account(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<AccountPatch>,
) -> ApiResult<Json<Account>> {
    Ok(Json(service(&state, &ctx).set_disabled(&p, &id, patch.disabled).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RevealRequest {
    /// Why the full number is needed; written to the audit log.
    reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
struct Revealed {
    resident_id: String,
}

/// Reveal the unmasked resident ID of a citizen (audited with the reason).
#[utoipa::path(post, path = "/api/v1/identity/accounts/{id}/resident-id", tag = "identity", params(("id" = String, Path)), request_body = RevealRequest,
    responses((status = 200, body = Revealed), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
async fn reveal_resident_id(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<RevealRequest>,
) -> ApiResult<Json<Revealed>> {
    let resident_id = service(&state, &ctx).reveal_resident_id(&p, &id, &r.reason).await?;
    state
        .audit(AuditEntry {
            actor: p.account_id.clone(),
            action: "identity.personal_data.read".into(),
            target: format!("identity_account/{id}/resident_id"),
            outcome: "ok".into(),
            reason: Some(r.reason.trim().to_owned()),
            request_id: None,
        })
        .await?;
    Ok(Json(Revealed { resident_id }))
}

/// Departments in the caller's region subtree.
#[utoipa::path(get, path = "/api/v1/identity/departments", tag = "identity", responses((status = 200, body = Vec<Department>), (status = 401, body = Problem)))]
async fn list_departments(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<Department>>> {
    Ok(Json(service(&state, &ctx).list_departments(&p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewDepartment {
    name: String,
    /// The region the department serves (must be inside the caller's scope).
    region_code: String,
}

/// Create a department.
#[utoipa::path(post, path = "/api/v1/identity/departments", tag = "identity", request_body = NewDepartment,
    responses((status = 201, body = Department), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn create_department(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(d): ApiJson<NewDepartment>,
) -> ApiResult<(StatusCode, Json<Department>)> {
    let dep =
        service(&state, &ctx).create_department(Some(&p), state.regions.as_ref(), &d.name, &d.region_code).await?;
    Ok((StatusCode::CREATED, Json(dep)))
}

/// All roles and their permissions.
#[utoipa::path(get, path = "/api/v1/identity/roles", tag = "identity", responses((status = 200, body = Vec<Role>), (status = 401, body = Problem)))]
async fn list_roles(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    _user: ApiUser,
) -> ApiResult<Json<Vec<Role>>> {
    Ok(Json(service(&state, &ctx).list_roles().await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewRole {
    name: String,
    #[serde(default)]
    description: String,
    permissions: Vec<String>,
}

/// Define a role (operators).
#[utoipa::path(post, path = "/api/v1/identity/roles", tag = "identity", request_body = NewRole,
    responses((status = 201, body = Role), (status = 400, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn create_role(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(r): ApiJson<NewRole>,
) -> ApiResult<(StatusCode, Json<Role>)> {
    let role = service(&state, &ctx).create_role(Some(&p), &r.name, &r.description, r.permissions).await?;
    Ok((StatusCode::CREATED, Json(role)))
}

/// The caller's personal access tokens (never the token text).
#[utoipa::path(get, path = "/api/v1/identity/tokens", tag = "identity", responses((status = 200, body = Vec<AccessToken>), (status = 401, body = Problem)))]
async fn list_tokens(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
) -> ApiResult<Json<Vec<AccessToken>>> {
    Ok(Json(service(&state, &ctx).list_tokens(&p).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NewToken {
    name: String,
    /// Permissions the token may use, e.g. `regions.*`, `identity.staff.read`.
    scopes: Vec<String>,
    expires_in_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
struct TokenCreated {
    /// Shown once; only its hash is stored.
    token: String,
    #[serde(flatten)]
    meta: AccessToken,
}

/// Issue a personal access token for a system acting as the caller.
#[utoipa::path(post, path = "/api/v1/identity/tokens", tag = "identity", request_body = NewToken,
    responses((status = 201, body = TokenCreated), (status = 400, body = Problem), (status = 403, body = Problem)))]
async fn create_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    ApiJson(t): ApiJson<NewToken>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let (token, meta) = service(&state, &ctx).create_token(&p, &t.name, t.scopes, t.expires_in_days).await?;
    Ok((StatusCode::CREATED, Json(TokenCreated { token, meta })))
}

/// Revoke one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/identity/tokens/{id}", tag = "identity", params(("id" = String, Path)),
    responses((status = 204), (status = 404, body = Problem)))]
async fn revoke_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ApiUser(p): ApiUser,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    service(&state, &ctx).revoke_token(&p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
