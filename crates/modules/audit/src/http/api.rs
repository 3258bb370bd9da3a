//! JSON API: `/api/v1/audit/…`.

use qy_web::axum::extract::{Query, State};
use qy_web::axum::Json;
use qy_web::paging::{page_from, Page, PageQuery};
use qy_web::utoipa_axum::router::OpenApiRouter;
use qy_web::utoipa_axum::routes;
use qy_web::{ApiResult, ApiUser, AppState, Problem};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{Entry, Verdict};
use crate::service;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_entries)).routes(routes!(verify_chain))
}

#[derive(Debug, Deserialize, IntoParams)]
struct EntriesQuery {
    /// Exactly this actor (account id, or `anonymous`).
    actor: Option<String>,
    /// Actions starting with this, e.g. `identity.` or `http.post`.
    action: Option<String>,
    /// Targets containing this, e.g. `/api/v1/identity`.
    target: Option<String>,
    /// From this day on, `YYYY-MM-DD` in Asia/Shanghai time (UTC+8).
    from: Option<String>,
    /// Up to and including this day, `YYYY-MM-DD` in Asia/Shanghai time (UTC+8).
    to: Option<String>,
}

/// Audit log entries, newest first. Needs `audit.read`.
#[utoipa::path(
    get, path = "/api/v1/audit/entries", tag = "audit",
    params(EntriesQuery, PageQuery),
    responses(
        (status = 200, body = Page<Entry>),
        (status = 400, body = Problem, description = "a date is not YYYY-MM-DD, or the cursor is invalid"),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "the caller lacks audit.read"),
    ),
)]
async fn list_entries(
    State(state): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<EntriesQuery>,
    Query(page): Query<PageQuery>,
) -> ApiResult<Json<Page<Entry>>> {
    super::require_read(&user)?;
    let filter = super::filter_of(
        q.actor.as_deref(),
        q.action.as_deref(),
        q.target.as_deref(),
        q.from.as_deref(),
        q.to.as_deref(),
    )?;
    let before = super::before_seq(page.after()?)?;
    let limit = page.limit();
    let rows = service::list(&state.db, &filter, before, limit + 1).await?;
    Ok(Json(page_from(rows, limit, |e| e.seq.to_string())))
}

/// Verifies the whole hash chain. Needs `audit.read`.
#[utoipa::path(
    get, path = "/api/v1/audit/verify", tag = "audit",
    responses(
        (status = 200, body = Verdict, description = "the verdict; `ok` is false when the log was tampered with"),
        (status = 401, body = Problem),
        (status = 403, body = Problem, description = "the caller lacks audit.read"),
    ),
)]
async fn verify_chain(State(state): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Json<Verdict>> {
    super::require_read(&user)?;
    Ok(Json(service::verify(&state.db).await?))
}
