//! The entry form (`/admin/catalog/entries/new`, `/admin/catalog/entries/{id}`): every
//! metadata element of the compilation guide and the 信息项 as rows of a table, re-shown with
//! what was typed and the translated problem when the rules refuse it (422). The entry's page
//! also loads its data (an uploaded file, a module's feed or another system's endpoint), sends
//! it for review, and shows its published versions and the objections raised on it.

use std::collections::BTreeMap;

use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Extension, Router};
use qy_kernel::{Error, ErrorKind, Principal};
use qy_web::minijinja::context;
use qy_web::page::{render_with_status, Base, PageError};
use qy_web::{AppState, CsrfForm, PageUser};
use serde::{Deserialize, Serialize};

use super::desk::{desk_forbidden, may_use_desk};
use super::pages::{message, Flash, Names};
use crate::domain::{perm, DataType, Entry, FormatKind, Item, OpenType, ShareMode, ShareType, Status, UpdateCycle};
use crate::service::data::LoadReport;
use crate::service::entries::EntryInput;
use crate::store::{cases, entries, orgs};
use crate::{service, Ctx};

/// Blank 信息项 rows under the filled ones, to add more (more on a new entry).
const BLANK_ROWS: usize = 3;
const BLANK_ROWS_NEW: usize = 6;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/catalog/entries/new", get(new_form))
        .route("/admin/catalog/entries", post(create))
        .route("/admin/catalog/entries/{id}", get(entry_page).post(update))
        .route(
            "/admin/catalog/entries/{id}/data",
            // Uploads may be larger than other forms (the policy's own limit is checked too).
            post(upload).layer(DefaultBodyLimit::max(24 * 1024 * 1024)),
        )
        .route("/admin/catalog/entries/{id}/feed", post(bind_feed))
        .route("/admin/catalog/entries/{id}/endpoint", post(bind_endpoint))
        .route("/admin/catalog/entries/{id}/submit", post(submit))
        .route("/admin/catalog/entries/{id}/review", post(review))
        .route("/admin/catalog/entries/{id}/withdraw", post(withdraw))
}

/// One 信息项 row as typed.
#[derive(Debug, Clone, Serialize, Default, PartialEq)]
struct ItemRow {
    seq: String,
    name: String,
    column_name: String,
    data_type: String,
    length: String,
    is_key: bool,
    personal: bool,
}

impl ItemRow {
    fn is_blank(&self) -> bool {
        self.name.trim().is_empty() && self.column_name.trim().is_empty()
    }
}

/// The form's values as typed (strings), so that a refused form comes back as it was sent.
#[derive(Debug, Clone, Serialize, Default)]
struct Form {
    org_id: String,
    category_code: String,
    name: String,
    #[serde(rename = "abstract")]
    summary: String,
    keywords: String,
    format_kind: String,
    format_detail: String,
    share_type: String,
    share_condition: String,
    share_basis: String,
    share_modes: Vec<String>,
    open_type: String,
    open_condition: String,
    update_cycle: String,
    region_code: String,
    related_codes: String,
    items: Vec<ItemRow>,
}

fn split(s: &str, separators: &[char]) -> Vec<String> {
    s.split(|c: char| separators.contains(&c)).map(str::trim).filter(|x| !x.is_empty()).map(str::to_owned).collect()
}

fn required(field: &str) -> Error {
    Error::bad_request("catalog.field_required", format!("{field} is required")).with_arg("field", field)
}

fn bad_item(detail: String) -> Error {
    Error::bad_request("catalog.invalid_item", detail).with_arg("field", "items")
}

impl Form {
    fn blank() -> Form {
        Form {
            format_kind: FormatKind::Spreadsheet.as_str().into(),
            format_detail: "CSV".into(),
            share_type: ShareType::Unconditional.as_str().into(),
            share_modes: vec![ShareMode::Interface.as_str().into()],
            open_type: OpenType::Unconditional.as_str().into(),
            update_cycle: UpdateCycle::Monthly.as_str().into(),
            region_code: "630000".into(),
            ..Default::default()
        }
    }

    fn of_entry(e: &Entry) -> Form {
        Form {
            org_id: e.org_id.clone(),
            category_code: e.category_code.clone(),
            name: e.name.clone(),
            summary: e.summary.clone(),
            keywords: e.keywords.join("，"),
            format_kind: e.format_kind.as_str().into(),
            format_detail: e.format_detail.clone(),
            share_type: e.share_type.as_str().into(),
            share_condition: e.share_condition.clone(),
            share_basis: e.share_basis.clone(),
            share_modes: e.share_modes.iter().map(|m| m.as_str().to_owned()).collect(),
            open_type: e.open_type.as_str().into(),
            open_condition: e.open_condition.clone(),
            update_cycle: e.update_cycle.as_str().into(),
            region_code: e.region_code.clone(),
            related_codes: e.related_codes.join(" "),
            items: e
                .items
                .iter()
                .map(|i| ItemRow {
                    seq: i.seq.to_string(),
                    name: i.name.clone(),
                    column_name: i.column_name.clone(),
                    data_type: i.data_type.code().to_string(),
                    length: i.length.map(|l| l.to_string()).unwrap_or_default(),
                    is_key: i.is_key,
                    personal: i.personal,
                })
                .collect(),
        }
    }

    /// The fields of a submitted form; 信息项 rows are `item-<n>-<field>`.
    fn of_pairs(pairs: &[(String, String)]) -> Form {
        let one = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let mut rows: BTreeMap<usize, ItemRow> = BTreeMap::new();
        for (k, v) in pairs {
            let Some(rest) = k.strip_prefix("item-") else { continue };
            let Some((n, field)) = rest.split_once('-') else { continue };
            let Ok(n) = n.parse::<usize>() else { continue };
            let row = rows.entry(n).or_default();
            match field {
                "seq" => row.seq = v.trim().to_owned(),
                "name" => row.name = v.clone(),
                "column" => row.column_name = v.trim().to_owned(),
                "type" => row.data_type = v.clone(),
                "length" => row.length = v.trim().to_owned(),
                "key" => row.is_key = true,
                "personal" => row.personal = true,
                _ => {}
            }
        }
        Form {
            org_id: one("org_id"),
            category_code: one("category_code"),
            name: one("name"),
            summary: one("abstract"),
            keywords: one("keywords"),
            format_kind: one("format_kind"),
            format_detail: one("format_detail"),
            share_type: one("share_type"),
            share_condition: one("share_condition"),
            share_basis: one("share_basis"),
            share_modes: pairs.iter().filter(|(k, _)| k == "share_modes").map(|(_, v)| v.clone()).collect(),
            open_type: one("open_type"),
            open_condition: one("open_condition"),
            update_cycle: one("update_cycle"),
            region_code: one("region_code").trim().to_owned(),
            related_codes: one("related_codes"),
            items: rows.into_values().filter(|r| !r.is_blank()).collect(),
        }
    }

    /// The rows to show: the filled ones and a few blank ones numbered on.
    fn with_blank_rows(mut self) -> Form {
        let next = self.items.iter().filter_map(|r| r.seq.parse::<u32>().ok()).max().unwrap_or(0);
        let blank = if self.items.is_empty() { BLANK_ROWS_NEW } else { BLANK_ROWS };
        for n in 1..=blank as u32 {
            self.items.push(ItemRow { seq: (next + n).to_string(), data_type: "C".into(), ..Default::default() });
        }
        self
    }

    fn to_input(&self) -> Result<EntryInput, Error> {
        let items = self
            .items
            .iter()
            .map(|r| {
                let seq =
                    r.seq.parse::<u32>().map_err(|_| bad_item(format!("item seq {:?} is not a number", r.seq)))?;
                let data_type = DataType::parse(&r.data_type)
                    .ok_or_else(|| bad_item(format!("item {seq}: unknown data type {:?}", r.data_type)))?;
                let length = match r.length.as_str() {
                    "" => None,
                    l => Some(l.parse::<u32>().map_err(|_| bad_item(format!("item {seq}: length {l:?}")))?),
                };
                Ok(Item {
                    seq,
                    name: r.name.trim().to_owned(),
                    column_name: r.column_name.clone(),
                    data_type,
                    length,
                    is_key: r.is_key,
                    personal: r.personal,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let share_modes = self
            .share_modes
            .iter()
            .map(|m| ShareMode::parse(m).ok_or_else(|| required("share_modes")))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(EntryInput {
            org_id: Some(self.org_id.clone()).filter(|o| !o.is_empty()),
            category_code: self.category_code.clone(),
            name: self.name.clone(),
            summary: self.summary.clone(),
            keywords: split(&self.keywords, &[',', '，', '、', ';', '；', '\n']),
            format_kind: FormatKind::parse(&self.format_kind).ok_or_else(|| required("format_kind"))?,
            format_detail: self.format_detail.clone(),
            share_type: ShareType::parse(&self.share_type).ok_or_else(|| required("share_type"))?,
            share_condition: self.share_condition.clone(),
            share_basis: self.share_basis.clone(),
            share_modes,
            open_type: OpenType::parse(&self.open_type).ok_or_else(|| required("open_type"))?,
            open_condition: self.open_condition.clone(),
            update_cycle: UpdateCycle::parse(&self.update_cycle).ok_or_else(|| required("update_cycle"))?,
            region_code: self.region_code.clone(),
            related_codes: split(&self.related_codes, &[',', '，', '、', ' ', '\n']),
            items,
        })
    }
}

/// A problem with the form: the field it is about and the translated message.
#[derive(Debug, Serialize)]
struct Problem {
    field: String,
    /// The translation key of the field's label.
    label: Option<&'static str>,
    message: String,
    detail: String,
}

#[derive(Debug, Serialize)]
struct CategoryGroup {
    label: String,
    options: Vec<(String, String)>,
}

/// What the page shows besides the form.
#[derive(Default)]
struct Extra {
    problem: Option<Problem>,
    report: Option<LoadReport>,
    file_name: String,
    done: Option<String>,
    status: StatusCode,
}

fn may_edit(p: &Principal) -> bool {
    p.can(perm::ENTRIES_WRITE)
}

/// Renders the form (and, for an existing entry, the rest of its page).
async fn page(
    state: &AppState,
    ctx: &Ctx,
    base: &Base,
    p: &Principal,
    entry: Option<&Entry>,
    form: Form,
    extra: Extra,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(state, base, e);
    let names = Names::load(&state.db, base.lang).await.map_err(err)?;
    let categories = orgs::categories(&state.db).await.map_err(err)?;
    let groups: Vec<CategoryGroup> = categories
        .iter()
        .filter(|c| c.code.len() == 3)
        .map(|g| CategoryGroup {
            label: format!("{} {}", g.code, names.category(&g.code)),
            options: categories
                .iter()
                .filter(|c| c.code.len() == 6 && c.parent_code.as_deref() == Some(g.code.as_str()))
                .map(|c| (c.code.clone(), names.category(&c.code)))
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect();
    let orgs = if p.is_operator() { orgs::all(&state.db).await.map_err(err)? } else { Vec::new() };
    let own = service(state, ctx).org_of(p).await.map_err(err)?;
    let feeds: Vec<(String, String)> = ctx.feeds.feeds().into_iter().map(|f| (f.code, f.title)).collect();
    let (mut versions, mut objections) = (Vec::new(), Vec::new());
    if let Some(e) = entry {
        versions = entries::versions(&state.db, &e.id)
            .await
            .map_err(err)?
            .into_iter()
            .map(|(version, at, by, snapshot)| {
                let on = serde_json::from_str::<Entry>(&snapshot).ok().and_then(|s| s.published_on);
                context! { version, at, by, on }
            })
            .collect();
        objections = cases::objections_of_entry(&state.db, &e.id).await.map_err(err)?;
    }
    let form = form.with_blank_rows();
    let types: Vec<char> = DataType::ALL.iter().map(|t| t.code()).collect();
    let editable = may_edit(p) && entry.is_none_or(|e| e.status != Status::Review);
    Ok(render_with_status(
        state,
        base,
        extra.status,
        "catalog/entry.html",
        context! {
            e => entry, f => form, problem => extra.problem, report => extra.report, file_name => extra.file_name,
            done => extra.done, groups, orgs, own, feeds, versions, objections, types, editable,
            category => entry.map(|e| names.category_path(&e.category_code)), org => entry.map(|e| names.org(&e.org_id)),
            share_types => ShareType::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            open_types => OpenType::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            cycles => UpdateCycle::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            formats => FormatKind::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            modes => ShareMode::ALL.iter().map(|x| x.as_str()).collect::<Vec<_>>(),
            can_write => may_edit(p), can_review => p.can(perm::ENTRIES_REVIEW),
            operator => p.is_operator(),
        },
    ))
}

async fn new_form(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let p = &user.principal;
    if !may_edit(p) {
        return Err(PageError::new(&state, &base, desk_forbidden()));
    }
    page(&state, &ctx, &base, p, None, Form::blank(), Extra::default()).await
}

/// The label of a form field, for the problem shown above the form.
fn label_of(field: &str) -> Option<&'static str> {
    Some(match field {
        "category_code" => "catalog-category",
        "org_id" => "catalog-provider",
        "name" => "catalog-name",
        "abstract" => "catalog-abstract",
        "format_kind" => "catalog-format-kind",
        "format_detail" => "catalog-format-detail",
        "share_type" => "catalog-share-type",
        "share_condition" => "catalog-share-condition",
        "share_basis" => "catalog-share-basis",
        "share_modes" => "catalog-share-modes",
        "open_type" => "catalog-open-type",
        "open_condition" => "catalog-open-condition",
        "update_cycle" => "catalog-update-cycle",
        "region_code" => "catalog-region-code",
        "related_codes" => "catalog-related-codes",
        "items" => "catalog-items",
        _ => return None,
    })
}

/// Re-shows a refused form with the problem next to it (422), or the error page when the
/// problem is not about what was typed (permissions, a missing entry, a conflict).
async fn refused(
    state: &AppState,
    ctx: &Ctx,
    base: &Base,
    p: &Principal,
    entry: Option<&Entry>,
    form: Form,
    e: Error,
) -> Result<Response, PageError> {
    if e.kind != ErrorKind::BadRequest {
        return Err(PageError::new(state, base, e));
    }
    let field = e.args.iter().find(|(k, _)| k == "field").map(|(_, v)| v.clone()).unwrap_or_default();
    // `items.name` and the like are about the 信息项 table.
    let field = if field.starts_with("items") { "items".to_owned() } else { field };
    let label = label_of(&field);
    let problem = Problem { field, label, message: message(state, base, &e), detail: e.detail.clone() };
    let extra = Extra { problem: Some(problem), status: StatusCode::UNPROCESSABLE_ENTITY, ..Default::default() };
    page(state, ctx, base, p, entry, form, extra).await
}

async fn create(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let p = &user.principal;
    let form = Form::of_pairs(&pairs);
    let created = match form.to_input() {
        Ok(input) => service(&state, &ctx).create_entry(p, input).await,
        Err(e) => Err(e),
    };
    match created {
        Ok(e) => Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=created", e.id)).into_response()),
        Err(e) => refused(&state, &ctx, &base, p, None, form, e).await,
    }
}

async fn entry_page(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, PageError> {
    let p = &user.principal;
    if !may_use_desk(p) {
        return Err(PageError::new(&state, &base, desk_forbidden()));
    }
    let e = service(&state, &ctx).entry(&id).await.map_err(|e| PageError::new(&state, &base, e))?;
    let extra = Extra { done: flash.done, ..Default::default() };
    page(&state, &ctx, &base, p, Some(&e), Form::of_entry(&e), extra).await
}

async fn update(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let p = &user.principal;
    let catalog = service(&state, &ctx);
    let e = catalog.entry(&id).await.map_err(|e| PageError::new(&state, &base, e))?;
    let mut form = Form::of_pairs(&pairs);
    // The category (and so the code) of an entry never changes.
    form.category_code = e.category_code.clone();
    let updated = match form.to_input() {
        Ok(input) => catalog.update_entry(p, &e.id, input).await,
        Err(x) => Err(x),
    };
    match updated {
        Ok(e) => Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=saved", e.id)).into_response()),
        Err(x) => refused(&state, &ctx, &base, p, Some(&e), form, x).await,
    }
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
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let (mut csrf, mut file, mut file_name, mut content_type) =
        (String::new(), Vec::new(), String::new(), String::new());
    while let Some(field) =
        multipart.next_field().await.map_err(|e| err(Error::bad_request("request.invalid_form", e.to_string())))?
    {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.unwrap_or_default(),
            "file" => {
                file_name = field.file_name().unwrap_or("").to_owned();
                content_type = field.content_type().unwrap_or("").to_owned();
                file = field
                    .bytes()
                    .await
                    .map_err(|e| err(Error::bad_request("request.invalid_form", e.to_string())))?
                    .to_vec();
            }
            _ => {}
        }
    }
    if !csrf_ok(&base, &csrf) {
        let e = "the form expired or came from another site; reload the page and try again";
        return Err(err(Error::forbidden("request.csrf", e)));
    }
    let lower = file_name.to_lowercase();
    let declared = if lower.ends_with(".xlsx") {
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    } else if lower.ends_with(".json") {
        "application/json"
    } else if lower.ends_with(".csv") {
        "text/csv"
    } else {
        content_type.as_str()
    };
    let p = &user.principal;
    let catalog = service(&state, &ctx);
    let report = catalog.upload(p, &id, declared, &file).await.map_err(err)?;
    if report.loaded {
        return Ok(Redirect::to(&format!("/admin/catalog/entries/{id}?done=uploaded")).into_response());
    }
    let e = catalog.entry(&id).await.map_err(err)?;
    let extra =
        Extra { report: Some(report), file_name, status: StatusCode::UNPROCESSABLE_ENTITY, ..Default::default() };
    page(&state, &ctx, &base, p, Some(&e), Form::of_entry(&e), extra).await
}

#[derive(Debug, Deserialize)]
struct FeedForm {
    feed: String,
}

async fn bind_feed(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<FeedForm>,
) -> Result<Response, PageError> {
    let e = service(&state, &ctx)
        .bind_feed(&user.principal, &id, &f.feed)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=feed", e.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct EndpointForm {
    url: String,
}

async fn bind_endpoint(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<EndpointForm>,
) -> Result<Response, PageError> {
    let e = service(&state, &ctx)
        .bind_endpoint(&user.principal, &id, &f.url)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=endpoint", e.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct Empty {}

async fn submit(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, PageError> {
    let e =
        service(&state, &ctx).submit_entry(&user.principal, &id).await.map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=submitted", e.id)).into_response())
}

#[derive(Debug, Deserialize)]
struct ReviewForm {
    action: String,
    #[serde(default)]
    note: String,
    /// Where to go back to: the desk or the entry's page.
    #[serde(default)]
    back: String,
}

async fn review(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> Result<Response, PageError> {
    let err = |e| PageError::new(&state, &base, e);
    let publish = match f.action.as_str() {
        "publish" => true,
        "return" => false,
        other => return Err(err(Error::bad_request("catalog.invalid_decision", format!("unknown action {other:?}")))),
    };
    let e = service(&state, &ctx).review_entry(&user.principal, &id, publish, &f.note).await.map_err(err)?;
    let done = if publish { "published" } else { "returned" };
    Ok(Redirect::to(&if f.back == "entry" {
        format!("/admin/catalog/entries/{}?done={done}", e.id)
    } else {
        format!("/admin/catalog?done={done}")
    })
    .into_response())
}

#[derive(Debug, Deserialize)]
struct WithdrawForm {
    reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    base: Base,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<WithdrawForm>,
) -> Result<Response, PageError> {
    let e = service(&state, &ctx)
        .withdraw_entry(&user.principal, &id, &f.reason)
        .await
        .map_err(|e| PageError::new(&state, &base, e))?;
    Ok(Redirect::to(&format!("/admin/catalog/entries/{}?done=withdrawn", e.id)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn item_rows_come_back_in_order_and_blank_rows_are_dropped() {
        let f = Form::of_pairs(&pairs(&[
            ("name", "景区"),
            ("share_modes", "interface"),
            ("share_modes", "file"),
            ("item-1-seq", "2"),
            ("item-1-name", "等级"),
            ("item-1-column", "grade"),
            ("item-1-type", "C"),
            ("item-0-seq", "1"),
            ("item-0-name", "景区名称"),
            ("item-0-column", "name"),
            ("item-0-type", "C"),
            ("item-0-key", "1"),
            ("item-2-seq", "3"),
            ("item-2-type", "C"),
        ]));
        assert_eq!(f.share_modes, vec!["interface", "file"]);
        assert_eq!(f.items.len(), 2);
        assert_eq!((f.items[0].column_name.as_str(), f.items[0].is_key), ("name", true));
        assert_eq!(f.items[1].seq, "2");
        let shown = f.with_blank_rows();
        assert_eq!(shown.items.len(), 2 + BLANK_ROWS);
        assert_eq!(shown.items[2].seq, "3");
    }

    #[test]
    fn typed_values_become_an_entry_input_or_a_field_error() {
        let mut f = Form::blank();
        f.category_code = "203001".into();
        f.keywords = "景区，旅游、A级".into();
        f.items = vec![ItemRow {
            seq: "1".into(),
            name: "景区名称".into(),
            column_name: "name".into(),
            data_type: "c".into(),
            length: "50".into(),
            ..Default::default()
        }];
        let input = f.to_input().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(input.keywords, vec!["景区", "旅游", "A级"]);
        assert_eq!((input.items[0].data_type, input.items[0].length), (DataType::C, Some(50)));
        f.items[0].length = "五十".into();
        assert_eq!(f.to_input().err().map(|e| e.code.to_string()).as_deref(), Some("catalog.invalid_item"));
        f.items[0].length.clear();
        f.share_type = "sometimes".into();
        assert_eq!(f.to_input().err().map(|e| e.code.to_string()).as_deref(), Some("catalog.field_required"));
    }
}
