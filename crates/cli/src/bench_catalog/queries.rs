//! The package_search requests the clients draw from (POSTed JSON, as `ckanapi` sends them),
//! with what each answer must hold: at least as many matches as there are entries containing
//! the words in their name, a keyword or the abstract (those score above zero, so the search
//! must count them), and for a whole name a first result bearing it.

use std::collections::HashMap;

use qy_textsearch as search;
use serde_json::json;

use super::seed::Seeded;
use crate::bench_kit::rng::Rng;

/// Pre-built requests.
const QUERIES: usize = 2_000;

/// Words people look for, from a handful of entries to nearly all of them.
pub(super) const WORDS: &[&str] = &[
    "空气质量",
    "水质",
    "旅游",
    "人口",
    "牦牛",
    "枸杞",
    "光伏",
    "湿地",
    "医疗",
    "学校",
    "公路",
    "养老",
    "食品安全",
    "草原",
    "降水量",
    "博物馆",
    "西宁",
    "格尔木",
    "企业",
    "2023年",
    "监测",
    "名录",
    "统计",
    "数据",
    "青海",
];

/// Facet fields of the facet-only requests (all CKAN ones we support).
const FACETS: [&str; 5] = ["organization", "groups", "tags", "res_format", "license_id"];

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Kind {
    /// One of `WORDS`.
    Word,
    /// The whole name of a seeded entry.
    Name,
    /// Empty q with five facets: everything, counted.
    Facets,
    /// `fq=organization:<slug>`, half of them with a word.
    Org,
}

impl Kind {
    pub(super) const ALL: [Kind; 4] = [Self::Word, Self::Name, Self::Facets, Self::Org];

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Word => "word",
            Self::Name => "whole name",
            Self::Facets => "q empty + facets",
            Self::Org => "fq organization",
        }
    }

    pub(super) fn label(self) -> u8 {
        self as u8
    }
}

pub(super) struct SearchQuery {
    pub(super) kind: Kind,
    /// The JSON body.
    pub(super) body: String,
    /// What is asked, for reports.
    pub(super) text: String,
    /// Entries that contain the words (in the department, for fq): the least count.
    pub(super) at_least: usize,
    /// Whole names: the first result's title must contain this (normalised).
    pub(super) first_contains: Option<String>,
}

/// What an entry is searched by, normalised once.
struct Searchable {
    org: usize,
    fields: Vec<String>,
}

/// Counts the entries containing words, by department.
pub(super) struct Matcher {
    entries: Vec<Searchable>,
    cache: HashMap<(Option<usize>, String), usize>,
}

impl Matcher {
    pub(super) fn new(entries: &[Seeded]) -> Self {
        let entries = entries
            .iter()
            .map(|e| {
                let mut fields = vec![search::normalise(&e.name), search::normalise(&e.summary)];
                fields.extend(e.keywords.iter().map(|k| search::normalise(k)));
                Searchable { org: e.org, fields }
            })
            .collect();
        Self { entries, cache: HashMap::new() }
    }

    /// Entries (of department `org`, if given) with `q` in their name, abstract or a keyword;
    /// every entry for an empty `q`.
    pub(super) fn containing(&mut self, org: Option<usize>, q: &str) -> usize {
        let q = search::normalise(q);
        if let Some(n) = self.cache.get(&(org, q.clone())) {
            return *n;
        }
        let n = self
            .entries
            .iter()
            .filter(|e| org.is_none_or(|o| o == e.org))
            .filter(|e| q.is_empty() || e.fields.iter().any(|f| f.contains(&q)))
            .count();
        self.cache.insert((org, q), n);
        n
    }
}

/// `QUERIES` requests drawn from the seeded entries and `orgs` (slugs by department index).
pub(super) fn build(entries: &[Seeded], orgs: &[String], matcher: &mut Matcher, rng: &mut Rng) -> Vec<SearchQuery> {
    let mut out = Vec::with_capacity(QUERIES);
    while out.len() < QUERIES && !entries.is_empty() && !orgs.is_empty() {
        let roll = rng.unit();
        let q = if roll < 0.45 {
            let w = rng.pick(WORDS);
            word(w, matcher.containing(None, w))
        } else if roll < 0.60 {
            let Some(e) = entries.get(rng.below(entries.len())) else { continue };
            SearchQuery {
                kind: Kind::Name,
                body: json!({ "q": e.name, "rows": 10 }).to_string(),
                text: e.name.clone(),
                at_least: matcher.containing(None, &e.name),
                first_contains: Some(search::normalise(&e.name)),
            }
        } else if roll < 0.80 {
            SearchQuery {
                kind: Kind::Facets,
                body: json!({ "q": "", "rows": 10, "facet.field": FACETS, "facet.limit": 50 }).to_string(),
                text: "q= facet.field=organization,groups,tags,res_format,license_id".into(),
                at_least: matcher.containing(None, ""),
                first_contains: None,
            }
        } else {
            let org = rng.below(orgs.len());
            let slug = orgs.get(org).map(String::as_str).unwrap_or_default();
            let fq = format!("organization:{slug}");
            let w = if rng.chance(0.5) { rng.pick(WORDS) } else { "" };
            SearchQuery {
                kind: Kind::Org,
                body: json!({ "q": w, "fq": fq, "rows": 10, "facet.field": ["tags", "res_format"] }).to_string(),
                text: format!("q={w} fq={fq}"),
                at_least: matcher.containing(Some(org), w),
                first_contains: None,
            }
        };
        out.push(q);
    }
    out
}

/// A one-word request.
pub(super) fn word(w: &str, at_least: usize) -> SearchQuery {
    SearchQuery {
        kind: Kind::Word,
        body: json!({ "q": w, "rows": 10 }).to_string(),
        text: w.to_owned(),
        at_least,
        first_contains: None,
    }
}

/// What a package_search answer says: (count, title of the first result).
pub(super) fn answer(body: &[u8]) -> anyhow::Result<(usize, Option<String>)> {
    let v: serde_json::Value = serde_json::from_slice(body)?;
    if v.get("success").and_then(|s| s.as_bool()) != Some(true) {
        anyhow::bail!("package_search failed: {}", v.get("error").cloned().unwrap_or_default());
    }
    let result = v.get("result").ok_or_else(|| anyhow::anyhow!("no result"))?;
    let count = result.get("count").and_then(|c| c.as_u64()).ok_or_else(|| anyhow::anyhow!("no count"))?;
    let title = result
        .get("results")
        .and_then(|r| r.as_array())
        .and_then(|r| r.first())
        .and_then(|d| d.get("title"))
        .and_then(|t| t.as_str())
        .map(str::to_owned);
    Ok((usize::try_from(count).unwrap_or(usize::MAX), title))
}

/// Is the answer short of what the query must find? Why, if so.
pub(super) fn shortfall(q: &SearchQuery, count: usize, first_title: Option<&str>) -> Option<String> {
    if count < q.at_least {
        return Some(format!("{}: count {count}, but {} entries contain it", q.text, q.at_least));
    }
    let wanted = q.first_contains.as_deref()?;
    match first_title {
        Some(t) if search::normalise(t).contains(wanted) => None,
        other => Some(format!("{}: first result {:?}", q.text, other.unwrap_or("none"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded(org: usize, name: &str, summary: &str, keywords: &[&str]) -> Seeded {
        Seeded {
            org,
            name: name.into(),
            summary: summary.into(),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
        }
    }

    #[test]
    fn containing_looks_in_each_field_not_across_them() {
        let entries = [
            seeded(0, "青海省环境空气质量监测数据", "本资源记录…", &["环境空气质量"]),
            seeded(1, "西宁市常住人口统计表", "覆盖西宁市。", &["常住人口", "西宁"]),
            seeded(1, "海西州旅游接待人次", "空气", &["质量"]),
        ];
        let mut m = Matcher::new(&entries);
        assert_eq!(m.containing(None, "空气质量"), 1, "空气 and 质量 in two fields are no match");
        assert_eq!(m.containing(None, "西宁"), 1);
        assert_eq!(m.containing(Some(1), "数据"), 0);
        assert_eq!(m.containing(Some(1), ""), 2);
        assert_eq!(m.containing(None, "（人口）"), 1, "normalised like the search");
    }

    #[test]
    fn answers_fall_short_on_count_or_first_title() {
        let body = r#"{"success":true,"result":{"count":3,"results":[{"title":"青海省水质月报"}]}}"#.as_bytes();
        let (count, title) = answer(body).unwrap_or((0, None));
        assert_eq!((count, title.as_deref()), (3, Some("青海省水质月报")));
        assert!(answer(br#"{"success":false,"error":{"message":"x"}}"#).is_err());
        let mut q = word("水质", 3);
        assert_eq!(shortfall(&q, 3, None), None);
        assert!(shortfall(&q, 2, None).is_some_and(|s| s.contains("count 2, but 3")));
        q.first_contains = Some("青海省水质月报".into());
        assert_eq!(shortfall(&q, 3, Some("青海省水质月报")), None);
        assert!(shortfall(&q, 3, Some("西宁市水质")).is_some());
    }
}
