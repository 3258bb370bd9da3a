//! organization_list/show (providing departments) and group_list/show (categories at the 项
//! level, named by code). CKAN serves both from one implementation; so do we.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::reply::Failure;
use super::site::Lookup;
use super::{dicts, visible, Cx};
use crate::domain::Entry;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Organization,
    Group,
}

/// CKAN's caps (`ckan.group_and_organization_list_all_fields_max`, `…_list_max`).
const ALL_FIELDS_MAX: usize = 25;
const LIST_MAX: usize = 1000;
/// Datasets `*_show` includes at most.
const SHOW_DATASETS_MAX: usize = 1000;

/// One organization or group, with what lists sort and filter it by.
struct Listed {
    name: String,
    title: String,
    count: usize,
    dict: Value,
}

/// Whether an entry belongs to the organization or group `id`.
fn member(kind: Kind, id: &str, e: &Entry) -> bool {
    match kind {
        Kind::Organization => e.org_id == id,
        Kind::Group => e.category_code.get(..3) == Some(id),
    }
}

fn all_items(kind: Kind, lookup: &Lookup, open: &[Entry]) -> Vec<Listed> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for e in open {
        let key = match kind {
            Kind::Organization => e.org_id.as_str(),
            Kind::Group => e.category_code.get(..3).unwrap_or(""),
        };
        *counts.entry(key).or_default() += 1;
    }
    match kind {
        Kind::Organization => lookup
            .orgs
            .values()
            .map(|o| {
                let count = counts.get(o.id.as_str()).copied().unwrap_or(0);
                Listed { name: o.slug.clone(), title: o.name.clone(), count, dict: dicts::organization(o, Some(count)) }
            })
            .collect(),
        Kind::Group => lookup
            .groups()
            .into_iter()
            .map(|g| {
                let count = counts.get(g.code.as_str()).copied().unwrap_or(0);
                Listed { name: g.code.clone(), title: g.name.clone(), count, dict: dicts::group(g, Some(count)) }
            })
            .collect(),
    }
}

fn sort(items: &mut [Listed], sort: &str) -> Result<(), Failure> {
    let s = sort.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    match s.as_str() {
        "title asc" | "title" => items.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.name.cmp(&b.name))),
        "title desc" => items.sort_by(|a, b| b.title.cmp(&a.title).then_with(|| a.name.cmp(&b.name))),
        "name asc" | "name" => items.sort_by(|a, b| a.name.cmp(&b.name)),
        "name desc" => items.sort_by(|a, b| b.name.cmp(&a.name)),
        "package_count asc" => items.sort_by(|a, b| a.count.cmp(&b.count).then_with(|| a.name.cmp(&b.name))),
        "package_count desc" | "package_count" => {
            items.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)))
        }
        _ => {
            return Err(Failure::invalid(
                "sort",
                format!("cannot sort by {sort:?}; supported: title, name or package_count, asc or desc"),
            ))
        }
    }
    Ok(())
}

pub async fn list(cx: &Cx, kind: Kind) -> Result<Value, Failure> {
    let p = &cx.params;
    let all_fields = p.flag("all_fields", false)?;
    let with_count = p.flag("include_dataset_count", true)?;
    let max = if all_fields { ALL_FIELDS_MAX } else { LIST_MAX };
    let limit = if p.has("limit") { p.natural("limit", max)?.min(max) } else { max };
    let offset = p.natural("offset", 0)?;
    let names_key = if kind == Kind::Organization { "organizations" } else { "groups" };
    let only = p.list(names_key, true)?;
    let q = p.text("q")?.map(|q| q.to_lowercase());

    let lookup = Lookup::load(&cx.catalog).await?;
    let open = visible::all(&cx.catalog).await?;
    let mut items: Vec<Listed> = all_items(kind, &lookup, &open)
        .into_iter()
        .filter(|i| only.as_ref().is_none_or(|names| names.contains(&i.name)))
        .filter(|i| {
            q.as_ref().is_none_or(|q| {
                i.name.to_lowercase().contains(q.as_str()) || i.title.to_lowercase().contains(q.as_str())
            })
        })
        .collect();
    sort(&mut items, &p.text("sort")?.unwrap_or_else(|| "title asc".to_owned()))?;
    let page = items.into_iter().skip(offset).take(limit);
    Ok(if all_fields {
        page.map(|mut i| {
            if let (false, Some(m)) = (with_count, i.dict.as_object_mut()) {
                m.remove("package_count");
            }
            i.dict
        })
        .collect()
    } else {
        page.map(|i| Value::String(i.name)).collect()
    })
}

pub async fn show(cx: &Cx, kind: Kind) -> Result<Value, Failure> {
    let id = cx.params.required("id")?;
    let lookup = Lookup::load(&cx.catalog).await?;
    let key = match kind {
        Kind::Organization => lookup.org_named(&id).map(|o| o.id.clone()),
        Kind::Group => lookup.groups().into_iter().find(|g| g.code == id).map(|g| g.code.clone()),
    };
    let what = if kind == Kind::Organization { "organization" } else { "group" };
    let key = key.ok_or_else(|| Failure::NotFound(format!("no {what} {id:?}")))?;
    let mut open: Vec<Entry> = visible::all(&cx.catalog).await?.into_iter().filter(|e| member(kind, &key, e)).collect();
    let mut dict = match kind {
        Kind::Organization => lookup.org(&key).map(|o| dicts::organization(o, Some(open.len()))),
        Kind::Group => lookup.categories.get(&key).map(|g| dicts::group(g, Some(open.len()))),
    }
    .unwrap_or(Value::Null);
    if let Some(m) = dict.as_object_mut() {
        m.insert("users".into(), json!([]));
        if cx.params.flag("include_datasets", false)? {
            open.sort_by(|a, b| a.slug.cmp(&b.slug));
            let mut packages = Vec::new();
            for e in open.iter().take(SHOW_DATASETS_MAX) {
                packages.push(dicts::dataset(&cx.base, &lookup, e, &visible::related(&cx.catalog, e).await));
            }
            m.insert("packages".into(), packages.into());
        }
    }
    Ok(dict)
}
