//! The open-data portal: search with facets (`/open`), the dataset page with its metadata,
//! 信息项, a preview table and a chart, downloads and the application for 有条件开放
//! resources, and the developers' page (API keys, one's applications).

use std::collections::BTreeMap;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_web::minijinja::context;
use qy_web::page::{render_with_status, Base, PageError};
use qy_web::{render, AppState, CsrfForm, PageUser};
use serde::{Deserialize, Serialize};

use super::pages::{enc, region_name, url, Flash, Names};
use crate::domain::{Entry, OpenType, SourceKind};
use crate::service::open::OpenQuery;
use crate::service::read::RowQuery;
use crate::store::{cases, entries};
use crate::{service, Ctx};

/// Results per page of the portal's search.
const PER_PAGE: usize = 20;
/// Rows in the dataset page's preview.
const PREVIEW_ROWS: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open", get(search))
        .route("/open/datasets/{slug}", get(dataset))
        .route("/open/datasets/{slug}/applications", post(apply))
        .route("/open/developers", get(developers))
        .route("/open/developers/keys", post(create_key))
        .route("/open/developers/keys/{id}/revoke", post(revoke_key))
}

#[derive(Debug, Deserialize, Default)]
struct SearchParams {
    q: Option<String>,
    org: Option<String>,
    category: Option<String>,
    format: Option<String>,
    region: Option<String>,
    cycle: Option<String>,
    /// Kept as text: a mangled page number shows the first page, not an error.
    page: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
}

/// The facets in the order the page shows them: (facet of `Found`, query parameter).
const FACETS: [(&str, &str); 5] = [
    ("organization", "org"),
    ("category", "category"),
    ("format", "format"),
    ("region", "region"),
    ("update_cycle", "cycle"),
];

#[derive(Debug, Serialize)]
struct FacetValue {
    label: String,
    count: usize,
    href: String,
    active: bool,
}

#[derive(Debug, Serialize)]
struct Facet {
    param: &'static str,
    values: Vec<FacetValue>,
}

/// An active filter with the link that removes it.
#[derive(Debug, Serialize)]
struct Active {
    param: &'static str,
    label: String,
    remove: String,
}

async fn search(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Query(p): Query<SearchParams>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let q = given(&p.q).unwrap_or_default();
    let current: BTreeMap<&str, String> = [
        ("org", given(&p.org)),
        ("category", given(&p.category)),
        ("format", given(&p.format)),
        ("region", given(&p.region)),
        ("cycle", given(&p.cycle)),
    ]
    .into_iter()
    .filter_map(|(k, v)| Some((k, v?)))
    .collect();
    let page = p.page.as_deref().and_then(|n| n.parse::<usize>().ok()).unwrap_or(1).clamp(1, 10_000);
    let query = OpenQuery {
        q: q.clone(),
        org_id: current.get("org").cloned(),
        category: current.get("category").cloned(),
        format: current.get("format").cloned(),
        region: current.get("region").cloned(),
        update_cycle: current.get("cycle").cloned(),
        start: (page - 1) * PER_PAGE,
        rows: PER_PAGE,
        ..Default::default()
    };
    let found = service(&state, &ctx).search_open(&query).await.map_err(err)?;
    let names = Names::load(&state.db, base.lang).await.map_err(err)?;
    let link = |set: &[(&str, &str)]| -> String {
        let mut params: Vec<(&str, &str)> = vec![("q", q.as_str())];
        for (k, v) in &current {
            if !set.iter().any(|(s, _)| s == k) {
                params.push((k, v.as_str()));
            }
        }
        params.extend(set.iter().copied());
        url("/open", &params)
    };
    let mut regions: BTreeMap<String, String> = BTreeMap::new();
    for code in found.facets.get("region").into_iter().flat_map(|f| f.keys()).chain(current.get("region")) {
        regions.insert(code.clone(), region_name(&state, code).await);
    }
    let label = |param: &str, value: &str| -> String {
        match param {
            "org" => names.org(value),
            "category" => names.category(value),
            "region" => regions.get(value).cloned().unwrap_or_else(|| value.to_owned()),
            "cycle" => state.i18n.t(base.lang, &format!("catalog-cycle-{value}"), &[]),
            _ => value.to_owned(),
        }
    };
    let facets: Vec<Facet> = FACETS
        .iter()
        .map(|(facet, param)| {
            let mut values: Vec<FacetValue> = found
                .facets
                .get(*facet)
                .into_iter()
                .flatten()
                .filter(|(v, _)| !v.is_empty())
                .map(|(v, n)| FacetValue {
                    label: label(param, v),
                    count: *n,
                    href: link(&[(param, v.as_str())]),
                    active: current.get(param) == Some(v),
                })
                .collect();
            values.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
            Facet { param, values }
        })
        .filter(|f| !f.values.is_empty())
        .collect();
    let active: Vec<Active> = FACETS
        .iter()
        .filter_map(|(_, param)| {
            let v = current.get(param)?;
            let rest: Vec<(&str, &str)> =
                current.iter().filter(|(k, _)| *k != param).map(|(k, v)| (*k, v.as_str())).collect();
            let mut params = vec![("q", q.as_str())];
            params.extend(rest);
            Some(Active { param, label: label(param, v), remove: url("/open", &params) })
        })
        .collect();
    let pages = found.count.div_ceil(PER_PAGE).max(1);
    let page_link = |n: usize| {
        let n = n.to_string();
        link(&[("page", n.as_str())])
    };
    let prev = (page > 1).then(|| page_link(page - 1));
    let next = (page < pages).then(|| page_link(page + 1));
    let hidden: Vec<(&str, &str)> = current.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(render(
        &state,
        &base,
        "catalog/portal.html",
        context! {
            q, count => found.count, results => found.results, facets, active, hidden,
            orgs => names.orgs, page, pages, prev, next,
        },
    ))
}

/// A dataset's rows as the preview shows them, or why there are none.
#[derive(Debug, Default, Serialize)]
struct Preview {
    columns: Vec<crate::service::read::Column>,
    rows: Vec<Vec<String>>,
    /// A translation key saying why there is no table.
    note: Option<&'static str>,
}

pub(crate) fn cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => String::new(),
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

async fn dataset(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    Path(slug): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let catalog = service(&state, &ctx);
    let e = catalog.open_entry(&slug).await.map_err(err)?;
    let account = base.principal().map(|p| p.account_id.clone());
    let may_read = catalog.may_read_open(account.as_deref(), &e).await.map_err(err)?;
    let mut preview = Preview::default();
    let mut chart = None;
    if !may_read {
        preview.note = Some("catalog-preview-restricted");
    } else if e.source_kind == SourceKind::Endpoint {
        preview.note = Some("catalog-preview-external");
    } else {
        let q = RowQuery { limit: PREVIEW_ROWS, ..Default::default() };
        let rows = catalog.read_rows(&e, &q, None).await.map_err(err)?;
        chart = super::chart::of_rows(&rows, &e.name);
        if rows.rows.is_empty() {
            preview.note = Some("catalog-preview-empty");
        }
        preview.rows = rows.rows.iter().map(|r| r.iter().map(cell).collect()).collect();
        preview.columns = rows.columns;
    }
    let applications: Vec<_> = match (&account, e.open_type) {
        (Some(a), OpenType::Conditional) => cases::applications_of_account(&state.db, a)
            .await
            .map_err(err)?
            .into_iter()
            .filter(|x| x.entry_id == e.id)
            .collect(),
        _ => Vec::new(),
    };
    let pending = applications.iter().any(|a| a.status == "submitted");
    let names = Names::load(&state.db, base.lang).await.map_err(err)?;
    let region = region_name(&state, &e.region_code).await;
    let login = format!("/login?next={}", enc(&format!("/open/datasets/{}", e.slug)));
    Ok(render(
        &state,
        &base,
        "catalog/dataset.html",
        context! {
            org => names.org(&e.org_id), category => names.category_path(&e.category_code), region,
            e => e, may_read, preview, chart, applications, pending, login, done => flash.done,
        },
    ))
}

#[derive(Debug, Deserialize)]
struct ApplyForm {
    applicant: String,
    purpose: String,
}

async fn apply(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(slug): Path<String>,
    CsrfForm(f): CsrfForm<ApplyForm>,
) -> Result<Response, PageError> {
    let a = service(&state, &ctx)
        .apply_open(&user.principal, &slug, &f.applicant, &f.purpose)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    let e = entries::by_id(&state.db, &a.entry_id).await.map_err(|e| PageError::new(&state, &base, e))?;
    let slug = e.map(|e| e.slug).unwrap_or(slug);
    Ok(Redirect::to(&format!("/open/datasets/{slug}?done=applied")).into_response())
}

#[derive(Debug, Serialize)]
struct Key {
    id: String,
    name: String,
    created_at: i64,
    revoked_at: Option<i64>,
}

/// The developers' page; `new_key` is shown once, right after it was made.
async fn developers_page(
    state: &AppState,
    base: &Base,
    account: &str,
    new_key: Option<(String, String)>,
    done: Option<String>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(state, base, e);
    let keys: Vec<Key> = cases::keys_of(&state.db, account)
        .await
        .map_err(err)?
        .into_iter()
        .map(|(id, name, created_at, revoked_at)| Key { id, name, created_at, revoked_at })
        .collect();
    let applications = cases::applications_of_account(&state.db, account).await.map_err(err)?;
    let ids: Vec<String> = applications.iter().map(|a| a.entry_id.clone()).collect();
    let datasets: BTreeMap<String, (String, String)> = entries::by_ids(&state.db, &ids)
        .await
        .map_err(err)?
        .into_iter()
        .map(|e: Entry| (e.id, (e.name, e.slug)))
        .collect();
    let status = if new_key.is_some() { StatusCode::CREATED } else { StatusCode::OK };
    Ok(render_with_status(
        state,
        base,
        status,
        "catalog/developers.html",
        context! { keys, applications, datasets, new_key, done },
    ))
}

async fn developers(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    developers_page(&state, &base, &user.principal.account_id, None, flash.done).await
}

#[derive(Debug, Deserialize)]
struct KeyForm {
    name: String,
}

async fn create_key(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(f): CsrfForm<KeyForm>,
) -> Result<Response, PageError> {
    let (_, key) = service(&state, &ctx)
        .create_api_key(&user.principal, &f.name)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    developers_page(&state, &base, &user.principal.account_id, Some((f.name.trim().to_owned(), key)), None).await
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn revoke_key(
    State(state): State<AppState>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let revoked = cases::revoke_key(&state.db, &id, &user.principal.account_id, state.now_ms())
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    if !revoked {
        let e = qy_kernel::Error::not_found("catalog.key_not_found", "no such key of yours");
        return Err(PageError::new(&state, &base, e));
    }
    Ok(Redirect::to("/open/developers?done=key_revoked").into_response())
}
