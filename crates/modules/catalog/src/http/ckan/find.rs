//! Every open entry matching a query and filter terms, in order: the core of package_search
//! and of the DCAT catalog pages.
//!
//! The catalog's own search (`Catalog::open_matches`) does the matching and ranking of the
//! free text and the filters it knows (department, category, modified since). What CKAN
//! adds — tags, resource formats, several values of one field, sorting by name or id, and
//! facets over all matches — needs every match, so all matches are read in one pass (without
//! their 信息项, which no search term or facet looks at) and the terms applied to the
//! public view of each entry.

use std::cmp::Ordering;

use qy_kernel::Result;

use super::fq::Term;
use super::resources;
use super::site::Lookup;
use super::visible;
use crate::domain::Entry;
use crate::service::open::{OpenQuery, Sort};
use crate::Catalog;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best match first, then most recently modified (CKAN's `score desc, metadata_modified desc`).
    Relevance,
    /// `metadata_modified desc`
    Modified,
    /// `title_string asc`
    Title,
    /// `name asc`
    Name,
    /// `id asc` (what CKAN's harvester asks for)
    Id,
}

#[derive(Debug, Clone)]
pub struct Criteria {
    /// Free text; empty or `*:*` for everything.
    pub q: String,
    pub terms: Vec<Term>,
    pub order: Order,
}

fn holds(lookup: &Lookup, e: &Entry, t: &Term) -> bool {
    match t {
        Term::Organization(name) => lookup.org(&e.org_id).is_some_and(|o| o.slug == *name || o.id == *name),
        Term::Group(code) => e.category_code.starts_with(code.as_str()),
        Term::Format(f) => resources::formats(e).iter().any(|x| x.eq_ignore_ascii_case(f)),
        Term::Tag(k) => e.keywords.iter().any(|x| x == k),
        Term::ModifiedSince(t) => e.updated_at >= *t,
        Term::DatasetType(kind) => kind == "dataset",
    }
}

/// The search the catalog runs first: the single-valued filters it knows narrow the pool.
fn first_pass(lookup: &Lookup, c: &Criteria) -> OpenQuery {
    let mut orgs = c.terms.iter().filter_map(|t| match t {
        Term::Organization(n) => Some(lookup.org_named(n).map(|o| o.id.clone()).unwrap_or_else(|| n.clone())),
        _ => None,
    });
    let org_id = match (orgs.next(), orgs.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    };
    let mut groups = c.terms.iter().filter_map(|t| match t {
        Term::Group(g) => Some(g.clone()),
        _ => None,
    });
    let category = match (groups.next(), groups.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    };
    let modified_since = c
        .terms
        .iter()
        .filter_map(|t| match t {
            Term::ModifiedSince(t) => Some(*t),
            _ => None,
        })
        .max();
    let q = c.q.trim();
    OpenQuery {
        q: if q == "*:*" { String::new() } else { q.to_owned() },
        org_id,
        category,
        modified_since,
        sort: match c.order {
            Order::Relevance => Sort::Relevance,
            Order::Title => Sort::Name,
            _ => Sort::Modified,
        },
        ..Default::default()
    }
}

fn by_modified(a: &Entry, b: &Entry) -> Ordering {
    b.updated_at.cmp(&a.updated_at).then_with(|| a.code.cmp(&b.code))
}

/// All matches, as the public sees them, in `c.order`.
pub async fn find(catalog: &Catalog, lookup: &Lookup, c: &Criteria) -> Result<Vec<Entry>> {
    let (pool, _) = catalog.open_matches(&first_pass(lookup, c)).await?;
    let mut matched: Vec<Entry> = visible::views(catalog, pool)
        .await?
        .into_iter()
        .filter(|e| c.terms.iter().all(|t| holds(lookup, e, t)))
        .collect();
    // The catalog sorted its rows; a revision's public view may carry other values, so every
    // order but relevance is applied again to what is shown.
    match c.order {
        Order::Relevance => {}
        Order::Modified => matched.sort_by(by_modified),
        Order::Title => matched.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code))),
        Order::Name => matched.sort_by(|a, b| a.slug.cmp(&b.slug)),
        Order::Id => matched.sort_by(|a, b| a.id.cmp(&b.id)),
    }
    Ok(matched)
}

/// A `sort` parameter of package_search, or None when we cannot sort that way.
pub fn parse_sort(sort: &str) -> Option<Order> {
    let clauses: Vec<String> =
        sort.split(',').map(|c| c.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase()).collect();
    let clauses: Vec<&str> = clauses.iter().map(String::as_str).collect();
    match clauses.as_slice() {
        ["score desc"] | ["score desc", "metadata_modified desc"] => Some(Order::Relevance),
        ["metadata_modified desc"] => Some(Order::Modified),
        ["title_string asc"] => Some(Order::Title),
        ["name asc"] => Some(Order::Name),
        ["id asc"] => Some(Order::Id),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_we_can_do() {
        assert_eq!(parse_sort("score desc, metadata_modified desc"), Some(Order::Relevance));
        assert_eq!(parse_sort(" Score  DESC "), Some(Order::Relevance));
        assert_eq!(parse_sort("metadata_modified desc"), Some(Order::Modified));
        assert_eq!(parse_sort("name asc"), Some(Order::Name));
        assert_eq!(parse_sort("title_string asc"), Some(Order::Title));
        assert_eq!(parse_sort("id asc"), Some(Order::Id));
        assert_eq!(parse_sort("views_recent desc"), None);
        assert_eq!(parse_sort("name desc"), None);
        assert_eq!(parse_sort("name asc, title_string asc"), None);
    }
}
