//! Pages: login, logout, the account page, and the operator pages for staff, departments
//! and roles. Thin: each calls one service function and renders one template.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use axum_extra::extract::cookie::SameSite;
use qy_kernel::Error;
use qy_web::extract::SESSION_COOKIE;
use qy_web::minijinja::context;
use qy_web::page::{render_with_status, Base, PageError};
use qy_web::{render, AppState, ClientIp, CsrfForm, PageUser};
use serde::Deserialize;

use crate::domain::{perm, NewAccount};
use crate::{service, Ctx};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/logout", post(logout))
        .route("/account", get(account_page))
        .route("/account/password", post(change_password))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/admin/staff", get(staff_page).post(create_staff))
        .route("/admin/accounts/{id}", get(account_detail))
        .route("/admin/accounts/{id}/disabled", post(set_disabled))
        .route("/admin/departments", get(departments_page).post(create_department))
        .route("/admin/roles", get(roles_page).post(create_role))
}

/// Only local paths are followed after login (no open redirect).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/account".to_owned(),
    }
}

#[derive(Debug, Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_page(State(state): State<AppState>, base: Base, Query(q): Query<NextQuery>) -> Response {
    if base.auth.is_some() {
        return Redirect::to(&safe_next(q.next.as_deref())).into_response();
    }
    render(
        &state,
        &base,
        "identity/login.html",
        context! { next => safe_next(q.next.as_deref()), error => None::<String> },
    )
}

#[derive(Debug, Deserialize)]
struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

async fn login(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    ClientIp(ip): ClientIp,
    CsrfForm(f): CsrfForm<LoginForm>,
) -> Response {
    let next = safe_next(f.next.as_deref());
    let result = match super::check_login_rate(&state, &ip, &f.username) {
        Ok(()) => service(&state, &ctx).login(&f.username, &f.password, "web").await,
        Err(e) => Err(e),
    };
    match result {
        Ok(login) => {
            let mut resp = Redirect::to(&next).into_response();
            let cookie = base.cookie(SESSION_COOKIE, login.token, SameSite::Lax);
            if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            let status = qy_web::problem::status_of(e.kind);
            let message = state.i18n.t(base.lang, &format!("error-{}", e.code.replace('.', "-")), &[]);
            render_with_status(
                &state,
                &base,
                status,
                "identity/login.html",
                context! { next, error => message, username => f.username },
            )
        }
    }
}

async fn logout(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    CsrfForm(_f): CsrfForm<serde_json::Value>,
) -> Response {
    if let Some(token) = base.session_token.as_deref() {
        if let Err(e) = service(&state, &ctx).logout(token).await {
            return PageError::new(&state, &base, e).into_response();
        }
    }
    let mut resp = Redirect::to("/").into_response();
    let mut cookie = base.cookie(SESSION_COOKIE, String::new(), SameSite::Lax);
    cookie.make_removal();
    if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[derive(Debug, Deserialize, Default)]
struct Flash {
    done: Option<String>,
}

async fn account_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    render_account(&state, &ctx, &base, &user.principal, flash.done, None).await
}

/// The account page; `new_token` is shown on this one response only.
async fn render_account(
    state: &AppState,
    ctx: &Ctx,
    base: &Base,
    p: &qy_kernel::Principal,
    done: Option<String>,
    new_token: Option<String>,
) -> Result<Response, PageError> {
    let svc = service(state, ctx);
    let err = |e| PageError::new(state, base, e);
    let account = svc.get_account(p, &p.account_id).await.map_err(err)?;
    let tokens = svc.list_tokens(p).await.map_err(err)?;
    let permissions: Vec<String> = p.permissions.iter().cloned().collect();
    Ok(render(state, base, "identity/account.html", context! { account, tokens, permissions, done, new_token }))
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    current: String,
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<PasswordForm>,
) -> Result<Response, PageError> {
    service(&state, &ctx)
        .change_password(&user.principal, &f.current, &f.new)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/account?done=password").into_response())
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    name: String,
    scopes: String,
    expires_in_days: Option<String>,
}

async fn create_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<TokenForm>,
) -> Result<Response, PageError> {
    let svc = service(&state, &ctx);
    let err = |e| PageError::new(&state, &base, e);
    let scopes: Vec<String> =
        f.scopes.split([',', ' ', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let days = match f.expires_in_days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(
            d.parse::<u32>()
                .map_err(|_| err(Error::bad_request("identity.invalid_expiry", "expiry must be a number of days")))?,
        ),
        None => None,
    };
    let (secret, _) = svc.create_token(&user.principal, &f.name, scopes, days).await.map_err(err)?;
    // The token text is shown on this response only; it is never stored or shown again.
    let mut resp = render_account(&state, &ctx, &base, &user.principal, None, Some(secret)).await?;
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(resp)
}

async fn revoke_token(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(_f): CsrfForm<serde_json::Value>,
) -> Result<Response, PageError> {
    service(&state, &ctx).revoke_token(&user.principal, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/account?done=revoked").into_response())
}

#[derive(Debug, Deserialize, Default)]
struct StaffQuery {
    q: Option<String>,
    cursor: Option<String>,
    done: Option<String>,
}

async fn staff_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(q): Query<StaffQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let p = &user.principal;
    if !p.can(perm::STAFF_READ) {
        return Err(err(Error::forbidden("identity.forbidden", "you may not see staff")));
    }
    let svc = service(&state, &ctx);
    let after = q.cursor.as_deref().map(qy_web::paging::decode_cursor).transpose().map_err(err)?;
    let rows = svc.list_accounts(p, None, q.q.as_deref(), after.as_deref(), 50).await.map_err(err)?;
    let page = qy_web::paging::page_from(rows, 50, |a| a.username.clone());
    let departments = svc.list_departments(p).await.map_err(err)?;
    let roles = svc.list_roles().await.map_err(err)?;
    let next = page.next_cursor.map(|c| format!("/admin/staff?cursor={c}"));
    Ok(render(
        &state,
        &base,
        "identity/staff.html",
        context! {
            accounts => page.items, next, departments, roles, q => q.q, done => q.done,
            can_manage => p.can(perm::STAFF_MANAGE), is_operator => p.is_operator(),
        },
    ))
}

#[derive(Debug, Deserialize)]
struct StaffForm {
    username: String,
    display_name: String,
    password: String,
    department_id: String,
    role: Option<String>,
}

async fn create_staff(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<StaffForm>,
) -> Result<Response, PageError> {
    let new = NewAccount {
        username: f.username,
        password: f.password,
        display_name: f.display_name,
        kind: "staff".into(),
        department_id: Some(f.department_id),
        region_code: None,
        resident_id: None,
        uscc: None,
        roles: f.role.filter(|r| !r.is_empty()).into_iter().collect(),
    };
    service(&state, &ctx)
        .create_account(Some(&user.principal), state.regions.as_ref(), new)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/admin/staff?done=created").into_response())
}

async fn account_detail(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let account =
        service(&state, &ctx).get_account(&user.principal, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    let can_manage = user.principal.can_in_region(perm::STAFF_MANAGE, &account.region_code)
        && account.id != user.principal.account_id;
    Ok(render(&state, &base, "identity/account_detail.html", context! { account, can_manage }))
}

#[derive(Debug, Deserialize)]
struct DisabledForm {
    disabled: String,
}

async fn set_disabled(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<DisabledForm>,
) -> Result<Response, PageError> {
    service(&state, &ctx)
        .set_disabled(&user.principal, &id, f.disabled == "true")
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/accounts/{id}")).into_response())
}

async fn departments_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let departments =
        service(&state, &ctx).list_departments(&user.principal).await.map_err(|e| PageError::new(&state, &base, e))?;
    let can_manage = user.principal.can(perm::DEPARTMENTS_MANAGE);
    Ok(render(
        &state,
        &base,
        "identity/departments.html",
        context! { departments, can_manage, scope => user.principal.scope.root(), done => flash.done },
    ))
}

#[derive(Debug, Deserialize)]
struct DepartmentForm {
    name: String,
    region_code: String,
}

async fn create_department(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<DepartmentForm>,
) -> Result<Response, PageError> {
    service(&state, &ctx)
        .create_department(Some(&user.principal), state.regions.as_ref(), &f.name, f.region_code.trim())
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/admin/departments?done=created").into_response())
}

async fn roles_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    if !user.principal.can(perm::ROLES_MANAGE) {
        return Err(PageError::new(&state, &base, Error::forbidden("identity.forbidden", "operators only")));
    }
    let roles = service(&state, &ctx).list_roles().await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "identity/roles.html", context! { roles, known => perm::ALL, done => flash.done }))
}

/// The role form: name, description, and any number of `permission` checkboxes plus a free
/// text field for permissions of other modules.
async fn create_role(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(fields): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let mut permissions: Vec<String> =
        fields.iter().filter(|(n, _)| n == "permission").map(|(_, v)| v.trim().to_owned()).collect();
    permissions.extend(value("other").split_whitespace().map(str::to_owned));
    permissions.sort();
    permissions.dedup();
    service(&state, &ctx)
        .create_role(Some(&user.principal), value("name").trim(), &value("description"), permissions)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to("/admin/roles?done=created").into_response())
}
