//! `package_search`: q, fq (the subset of `fq.rs`), sort, rows/start, and facets in CKAN's
//! two shapes (`facets` and `search_facets`).

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::find::{self, Criteria};
use super::reply::Failure;
use super::site::Lookup;
use super::{dicts, fq, resources, visible, Cx};
use crate::domain::Entry;

/// CKAN's `ckan.search.rows_max` default.
pub const ROWS_MAX: usize = 1000;
const DEFAULT_SORT: &str = "score desc, metadata_modified desc";
/// Fields we can facet on.
const FACET_FIELDS: [&str; 5] = ["organization", "groups", "tags", "res_format", "license_id"];
/// Solr tuning and field-list parameters: they change what a search means or returns, and we
/// cannot honour them, so they are refused rather than ignored.
const REFUSED: [&str; 6] = ["fl", "defType", "qf", "mm", "tie", "bf"];

/// (value, display name) of a facet field for one entry.
fn facet_values(lookup: &Lookup, e: &Entry, field: &str) -> Vec<(String, String)> {
    match field {
        "organization" => lookup.org(&e.org_id).map(|o| (o.slug.clone(), o.name.clone())).into_iter().collect(),
        "groups" => lookup.group_of(&e.category_code).map(|g| (g.code.clone(), g.name.clone())).into_iter().collect(),
        "tags" => e.keywords.iter().map(|k| (k.clone(), k.clone())).collect(),
        "res_format" => resources::formats(e).into_iter().map(|f| (f.to_owned(), f.to_owned())).collect(),
        "license_id" => {
            let l = resources::licence(e.open_type);
            vec![(l.id.to_owned(), l.title.to_owned())]
        }
        _ => Vec::new(),
    }
}

/// `facets` and `search_facets` of the requested fields over all matches.
fn facet_counts(lookup: &Lookup, matched: &[Entry], fields: &[String], limit: i64, mincount: i64) -> (Value, Value) {
    let mut facets = Map::new();
    let mut search_facets = Map::new();
    for field in fields {
        let mut counts: BTreeMap<String, (String, i64)> = BTreeMap::new();
        for e in matched {
            for (value, display) in facet_values(lookup, e, field) {
                counts.entry(value).or_insert((display, 0)).1 += 1;
            }
        }
        let mut items: Vec<(String, String, i64)> =
            counts.into_iter().filter(|(_, (_, n))| *n >= mincount).map(|(v, (d, n))| (v, d, n)).collect();
        items.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        if let Ok(limit) = usize::try_from(limit) {
            items.truncate(limit);
        }
        facets.insert(field.clone(), items.iter().map(|(v, _, n)| (v.clone(), json!(n))).collect::<Map<_, _>>().into());
        search_facets.insert(
            field.clone(),
            json!({
                "title": field,
                "items": items.iter().map(|(v, d, n)| json!({"name": v, "display_name": d, "count": n})).collect::<Vec<_>>(),
            }),
        );
    }
    (facets.into(), search_facets.into())
}

pub async fn package_search(cx: &Cx) -> Result<Value, Failure> {
    let p = &cx.params;
    if let Some(key) = REFUSED.iter().find(|k| p.has(k)) {
        return Err(Failure::invalid(key, "this search does not support Solr tuning or field lists"));
    }
    let mut terms = Vec::new();
    let mut fqs: Vec<String> = p.text("fq")?.into_iter().collect();
    fqs.extend(p.list("fq_list", false)?.unwrap_or_default());
    for f in &fqs {
        terms.extend(fq::parse(f).map_err(|m| Failure::invalid("fq", m))?);
    }
    let sort = p.text("sort")?.unwrap_or_else(|| DEFAULT_SORT.to_owned());
    let order = find::parse_sort(&sort).ok_or_else(|| {
        Failure::invalid(
            "sort",
            format!("cannot sort by {sort:?}; supported: score desc, metadata_modified desc, name asc, title_string asc, id asc"),
        )
    })?;
    let rows = p.natural("rows", 10)?.min(ROWS_MAX);
    let start = p.natural("start", 0)?;
    let fields = if p.flag("facet", true)? { p.list("facet.field", false)?.unwrap_or_default() } else { Vec::new() };
    if let Some(f) = fields.iter().find(|f| !FACET_FIELDS.contains(&f.as_str())) {
        return Err(Failure::invalid(
            "facet.field",
            format!("cannot facet on {f:?}; supported: {}", FACET_FIELDS.join(", ")),
        ));
    }
    let facet_limit = p.int("facet.limit", 50)?;
    let facet_mincount = p.int("facet.mincount", 1)?;

    let lookup = Lookup::load(&cx.catalog).await?;
    let criteria = Criteria { q: p.text("q")?.unwrap_or_default(), terms, order };
    let matched = find::find(&cx.catalog, &lookup, &criteria).await?;
    let (facets, search_facets) = facet_counts(&lookup, &matched, &fields, facet_limit, facet_mincount);
    let mut results = Vec::new();
    for e in matched.iter().skip(start).take(rows) {
        let related = visible::related(&cx.catalog, e).await;
        results.push(dicts::dataset(&cx.base, &lookup, e, &related));
    }
    Ok(json!({
        "count": matched.len(),
        "sort": sort,
        "results": results,
        "facets": facets,
        "search_facets": search_facets,
    }))
}
