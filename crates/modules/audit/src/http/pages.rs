//! Page: `/admin/audit` — the log, filtered and paged, and the chain check.

use qy_web::axum::extract::{Query, State};
use qy_web::axum::response::Response;
use qy_web::axum::routing::get;
use qy_web::axum::Router;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::paging::{decode_cursor, page_from};
use qy_web::{render, AppState, PageUser};
use serde::{Deserialize, Serialize};

use crate::service;

/// Rows per page.
const PAGE: i64 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/audit", get(log))
}

#[derive(Debug, Default, Deserialize, Serialize)]
struct LogQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    actor: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(default, skip_serializing)]
    cursor: Option<String>,
    #[serde(default, skip_serializing)]
    verify: Option<String>,
}

impl LogQuery {
    /// The filter fields that are set, trimmed, for the form and the next-page link.
    fn cleaned(&self) -> LogQuery {
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        LogQuery {
            actor: clean(&self.actor),
            action: clean(&self.action),
            target: clean(&self.target),
            from: clean(&self.from),
            to: clean(&self.to),
            cursor: None,
            verify: None,
        }
    }
}

async fn log(
    State(state): State<AppState>,
    PageUser(user): PageUser,
    base: Base,
    Query(q): Query<LogQuery>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    super::require_read(&user.principal).map_err(err)?;
    let f = q.cleaned();
    let filter = super::filter_of(
        f.actor.as_deref(),
        f.action.as_deref(),
        f.target.as_deref(),
        f.from.as_deref(),
        f.to.as_deref(),
    )
    .map_err(err)?;
    let cursor = q.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose().map_err(err)?;
    let before = super::before_seq(cursor).map_err(err)?;
    let rows = service::list(&state.db, &filter, before, PAGE + 1).await.map_err(err)?;
    let page = page_from(rows, PAGE, |e| e.seq.to_string());
    let query = serde_urlencoded::to_string(&f).unwrap_or_default();
    let next = page.next_cursor.map(|c| {
        if query.is_empty() {
            format!("/admin/audit?cursor={c}")
        } else {
            format!("/admin/audit?{query}&cursor={c}")
        }
    });
    let verdict = if q.verify.as_deref().is_some_and(|v| !v.is_empty()) {
        Some(service::verify(&state.db).await.map_err(err)?)
    } else {
        None
    };
    let filtered = !query.is_empty();
    Ok(render(
        &state,
        &base,
        "audit/log.html",
        context! { entries => page.items, next, f, filtered, verdict, first => before.is_none() },
    ))
}
