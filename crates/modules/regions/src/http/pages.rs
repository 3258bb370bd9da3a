//! Pages: `/regions` (search and the prefectures) and `/regions/{code}`.

use qy_web::axum::extract::{Path, Query, State};
use qy_web::axum::response::Response;
use qy_web::axum::routing::get;
use qy_web::axum::Router;
use qy_web::minijinja::context;
use qy_web::page::{Base, PageError};
use qy_web::paging::page_from;
use qy_web::{render, AppState};
use serde::Deserialize;

use crate::store;

pub fn router() -> Router<AppState> {
    Router::new().route("/regions", get(index)).route("/regions/{code}", get(region))
}

#[derive(Debug, Deserialize)]
struct IndexQuery {
    q: Option<String>,
    cursor: Option<String>,
}

async fn index(State(state): State<AppState>, base: Base, Query(q): Query<IndexQuery>) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let province = super::detail(&state.db, "630000").await.map_err(err)?;
    let term = q.q.unwrap_or_default().trim().to_owned();
    let (results, next) = if term.is_empty() {
        (Vec::new(), None)
    } else {
        let after = q.cursor.as_deref().map(qy_web::paging::decode_cursor).transpose().map_err(err)?;
        let page =
            page_from(store::search(&state.db, &term, None, after.as_deref(), 50).await.map_err(err)?, 50, |r| {
                r.code.clone()
            });
        let next = page.next_cursor.map(|c| format!("/regions?q={}&cursor={c}", urlencode(&term)));
        (page.items, next)
    };
    Ok(render(&state, &base, "regions/index.html", context! { province, q => term, results, next }))
}

async fn region(State(state): State<AppState>, base: Base, Path(code): Path<String>) -> Result<Response, PageError> {
    let detail = super::detail(&state.db, &code).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(render(&state, &base, "regions/region.html", context! { r => detail }))
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|p| p.trim_start_matches('=').to_owned()).unwrap_or_default()
}
