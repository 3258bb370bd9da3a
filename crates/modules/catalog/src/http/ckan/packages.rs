//! Datasets one at a time and in lists: package_show, package_list,
//! current_package_list_with_resources, resource_show, tag_list, license_list.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::reply::Failure;
use super::search::ROWS_MAX;
use super::site::Lookup;
use super::{dicts, resources, visible, Cx};
use crate::domain::{Entry, OpenType};

/// An open dataset by id, name or resource code; 404 for anything else.
pub(crate) async fn open_dataset(cx: &Cx, id: &str) -> Result<Entry, Failure> {
    cx.catalog.open_entry(id).await.map_err(|_| Failure::NotFound(format!("no open dataset {id:?}")))
}

/// `limit`/`offset` of a list: (offset, limit), limit None = all.
fn window(cx: &Cx, default_limit: Option<usize>, max: usize) -> Result<(usize, Option<usize>), Failure> {
    let offset = cx.params.natural("offset", 0)?;
    let limit = match (cx.params.has("limit"), default_limit) {
        (true, _) => Some(cx.params.natural("limit", 0)?.min(max)),
        (false, d) => d,
    };
    Ok((offset, limit))
}

fn page<T>(items: Vec<T>, offset: usize, limit: Option<usize>) -> Vec<T> {
    items.into_iter().skip(offset).take(limit.unwrap_or(usize::MAX)).collect()
}

pub async fn package_show(cx: &Cx) -> Result<Value, Failure> {
    let id = cx.params.required("id")?;
    let e = open_dataset(cx, &id).await?;
    let lookup = Lookup::load(&cx.catalog).await?;
    let related = visible::related(&cx.catalog, &e).await;
    Ok(dicts::dataset(&cx.base, &lookup, &e, &related))
}

pub async fn package_list(cx: &Cx) -> Result<Value, Failure> {
    let (offset, limit) = window(cx, None, usize::MAX)?;
    let mut names: Vec<String> = visible::all(&cx.catalog).await?.into_iter().map(|e| e.slug).collect();
    names.sort();
    Ok(json!(page(names, offset, limit)))
}

pub async fn current_with_resources(cx: &Cx) -> Result<Value, Failure> {
    // CKAN runs this as a package_search, so its rows default and cap apply.
    let (offset, limit) = window(cx, Some(10), ROWS_MAX)?;
    let mut all = visible::all(&cx.catalog).await?;
    all.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| a.code.cmp(&b.code)));
    let lookup = Lookup::load(&cx.catalog).await?;
    let mut out = Vec::new();
    for e in page(all, offset, limit) {
        let related = visible::related(&cx.catalog, &e).await;
        out.push(dicts::dataset(&cx.base, &lookup, &e, &related));
    }
    Ok(Value::Array(out))
}

pub async fn resource_show(cx: &Cx) -> Result<Value, Failure> {
    let id = cx.params.required("id")?;
    let not_found = || Failure::NotFound(format!("no resource {id:?}"));
    let entry_id = resources::entry_of(&id).ok_or_else(not_found)?;
    let e = open_dataset(cx, entry_id).await.map_err(|_| not_found())?;
    let all = resources::of(&cx.base, &e);
    let (position, r) = all.iter().enumerate().find(|(_, r)| r.id == id).ok_or_else(not_found)?;
    Ok(dicts::resource(&e, r, position))
}

pub async fn tag_list(cx: &Cx) -> Result<Value, Failure> {
    if cx.params.has("vocabulary_id") {
        return Err(Failure::NotFound("there are no tag vocabularies here".into()));
    }
    let query = cx.params.text("query")?.map(|q| q.to_lowercase());
    let tags: BTreeSet<String> = visible::all(&cx.catalog)
        .await?
        .into_iter()
        .flat_map(|e| e.keywords)
        .filter(|k| query.as_ref().is_none_or(|q| k.to_lowercase().contains(q.as_str())))
        .collect();
    Ok(if cx.params.flag("all_fields", false)? { tags.iter().map(|t| dicts::tag(t)).collect() } else { json!(tags) })
}

pub fn license_list() -> Value {
    [OpenType::Unconditional, OpenType::Conditional]
        .into_iter()
        .map(|o| {
            let l = resources::licence(o);
            json!({"id": l.id, "title": l.title, "url": l.url.unwrap_or(""), "od_conformance": if l.open { "approved" } else { "not reviewed" }, "status": "active"})
        })
        .collect()
}
