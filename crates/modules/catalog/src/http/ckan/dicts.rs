//! Entries, departments and categories as CKAN's dataset, resource, organization, group and
//! tag dicts (reference §3.2 and §3.4; docs/ckan-dcat.md has the mapping table).

use serde_json::{json, Value};

use super::resources::{self, Resource};
use super::site::Lookup;
use super::time;
use crate::domain::{Category, Entry, Org};

fn extra(key: &str, value: impl Into<String>) -> Value {
    json!({"key": key, "value": value.into()})
}

/// An organization as CKAN embeds it in datasets and lists it.
pub fn organization(o: &Org, package_count: Option<usize>) -> Value {
    let mut v = json!({
        "id": o.id,
        "name": o.slug,
        "title": o.name,
        "display_name": o.name,
        "description": o.description,
        "type": "organization",
        "is_organization": true,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "created": time::ckan(o.created_at),
        "extras": [extra("uscc", o.uscc.clone()), extra("region_code", o.region_code.clone())],
    });
    if let (Some(n), Some(m)) = (package_count, v.as_object_mut()) {
        m.insert("package_count".into(), n.into());
    }
    v
}

/// A category at the 项 level as a CKAN group: its code is its name.
pub fn group(c: &Category, package_count: Option<usize>) -> Value {
    let mut v = json!({
        "id": c.code,
        "name": c.code,
        "title": c.name,
        "display_name": c.name,
        "description": c.name_en,
        "type": "group",
        "is_organization": false,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "extras": [extra("name_en", c.name_en.clone()), extra("kind", c.kind.clone())],
    });
    if let (Some(n), Some(m)) = (package_count, v.as_object_mut()) {
        m.insert("package_count".into(), n.into());
    }
    v
}

pub fn tag(name: &str) -> Value {
    json!({"id": name, "name": name, "display_name": name, "state": "active", "vocabulary_id": null})
}

pub fn resource(e: &Entry, r: &Resource, position: usize) -> Value {
    json!({
        "id": r.id,
        "package_id": e.id,
        "name": format!("{} ({})", e.name, r.format),
        "description": e.summary,
        "format": r.format,
        "mimetype": r.mimetype,
        "url": r.url,
        "url_type": null,
        "resource_type": null,
        "size": null,
        "hash": "",
        "state": "active",
        "position": position,
        "created": time::ckan(e.created_at),
        "last_modified": time::ckan(e.updated_at),
        "metadata_modified": time::ckan(e.updated_at),
        "datastore_active": r.datastore,
    })
}

/// A dataset dict. `related` are the open related entries (code, slug).
pub fn dataset(base: &str, lookup: &Lookup, e: &Entry, related: &[(String, String)]) -> Value {
    let org = lookup.org(&e.org_id);
    let licence = resources::licence(e.open_type);
    let resources: Vec<Value> = resources::of(base, e).iter().enumerate().map(|(i, r)| resource(e, r, i)).collect();
    let tags: Vec<Value> = e.keywords.iter().map(|k| tag(k)).collect();
    let groups: Vec<Value> = lookup
        .group_of(&e.category_code)
        .map(|g| json!({"id": g.code, "name": g.code, "title": g.name, "display_name": g.name, "description": g.name_en, "image_display_url": ""}))
        .into_iter()
        .collect();
    let mut extras = vec![
        extra("resource_code", e.code.clone()),
        extra("category_code", e.category_code.clone()),
        extra("update_cycle", e.update_cycle.as_str()),
        extra("open_type", e.open_type.as_str()),
        extra("share_type", e.share_type.as_str()),
        extra("region_code", e.region_code.clone()),
        extra("format_detail", e.format_detail.clone()),
    ];
    if let Some(on) = &e.published_on {
        extras.push(extra("issued", on.clone()));
    }
    if !e.open_condition.is_empty() {
        extras.push(extra("open_condition", e.open_condition.clone()));
    }
    if !related.is_empty() {
        extras.push(extra("related_codes", related.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>().join(",")));
    }
    if let Some(o) = org {
        extras.push(extra("uscc", o.uscc.clone()));
    }
    json!({
        "id": e.id,
        "name": e.slug,
        "title": e.name,
        "notes": e.summary,
        "owner_org": e.org_id,
        "organization": org.map(|o| organization(o, None)),
        "author": org.map(|o| o.name.clone()),
        "author_email": null,
        "maintainer": org.map(|o| o.name.clone()),
        "maintainer_email": null,
        "private": false,
        "state": "active",
        "type": "dataset",
        "license_id": licence.id,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.open,
        "url": resources::page_url(base, e),
        "version": e.version.to_string(),
        "metadata_created": time::ckan(e.created_at),
        "metadata_modified": time::ckan(e.updated_at),
        "num_resources": resources.len(),
        "resources": resources,
        "num_tags": tags.len(),
        "tags": tags,
        "groups": groups,
        "extras": extras,
        "relationships_as_subject": [],
        "relationships_as_object": [],
    })
}
