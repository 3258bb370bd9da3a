//! The open-data side: search with facets (the portal and CKAN's package_search), access to
//! 有条件开放 resources by application, and developer API keys.

use std::collections::BTreeMap;
use std::sync::Arc;

use qy_kernel::{id, Error, Principal, Result};
use qy_textsearch as search;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::{non_empty, require, Catalog};
use crate::domain::{perm, Entry, OpenApplication, OpenType};
use crate::store::{cases, entries};

/// A gram indexing more entries than this is too common to narrow a search alone.
const COMMON_GRAM: i64 = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first (recently modified first without a query).
    #[default]
    Relevance,
    /// Most recently modified first.
    Modified,
    /// By name.
    Name,
}

#[derive(Debug, Clone, Default)]
pub struct OpenQuery {
    pub q: String,
    pub org_id: Option<String>,
    /// A category code or a prefix of one (`2`, `201`, `201001`).
    pub category: Option<String>,
    pub format: Option<String>,
    /// Entries covering this region's subtree.
    pub region: Option<String>,
    pub update_cycle: Option<String>,
    pub modified_since: Option<i64>,
    pub sort: Sort,
    pub start: usize,
    pub rows: usize,
}

/// An open entry's light row with its searchable text already normalised.
pub(crate) struct Searchable {
    entry: Entry,
    name: String,
    keywords: Vec<String>,
    summary: String,
}

impl Searchable {
    fn new(entry: Entry) -> Self {
        let name = search::normalise(&entry.name);
        let keywords = entry.keywords.iter().map(|k| search::normalise(k)).collect();
        let summary = search::normalise(&entry.summary);
        Self { entry, name, keywords, summary }
    }

    /// How well `text` matches: the name counts most; keywords and the abstract can only add
    /// a match.
    fn score(&self, text: &str) -> u32 {
        let name = search::score(text, &self.name);
        let keywords = self.keywords.iter().map(|k| search::score(text, k)).max().unwrap_or(0);
        let summary = search::score(text, &self.summary);
        name.max(keywords * 9 / 10).max(summary * 7 / 10)
    }
}

/// The open catalog as one generation of the store had it: the light rows and, per bigram,
/// the rows it indexes.
pub(crate) struct Snapshot {
    rows: Vec<Searchable>,
    postings: std::collections::HashMap<String, Vec<u32>>,
}

impl Snapshot {
    /// The rows a search plan selects, as the store's subquery would: any of a few rare grams,
    /// or all of (up to three of) the rarest common ones.
    fn select(&self, plan: &qy_storage::GramPlan) -> Vec<&Searchable> {
        let of = |g: &String| self.postings.get(g).map(Vec::as_slice).unwrap_or(&[]);
        let mut picked: Vec<u32> = match plan {
            qy_storage::GramPlan::Nothing => Vec::new(),
            qy_storage::GramPlan::Any(grams) => grams.iter().flat_map(|g| of(g).iter().copied()).collect(),
            qy_storage::GramPlan::All(grams) => {
                let mut grams = grams.iter().take(3);
                let first: Vec<u32> = grams.next().map(|g| of(g).to_vec()).unwrap_or_default();
                grams.fold(first, |acc, g| {
                    let other: std::collections::HashSet<u32> = of(g).iter().copied().collect();
                    acc.into_iter().filter(|i| other.contains(i)).collect()
                })
            }
        };
        picked.sort_unstable();
        picked.dedup();
        picked.into_iter().filter_map(|i| self.rows.get(i as usize)).collect()
    }
}

/// The open catalog's light rows (without 信息项) and bigram postings as last read, with the
/// generation they were read at: searches filter, score and count over them instead of
/// decoding and normalising every row and joining postings in the store again.
#[derive(Default)]
pub struct OpenCache(std::sync::RwLock<Option<(i64, Arc<Snapshot>)>>);

impl OpenCache {
    fn get(&self, generation: i64) -> Option<Arc<Snapshot>> {
        let guard = self.0.read().ok()?;
        guard.as_ref().filter(|(g, _)| *g == generation).map(|(_, rows)| rows.clone())
    }

    fn put(&self, generation: i64, rows: Arc<Snapshot>) {
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((generation, rows));
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Found {
    pub count: usize,
    pub results: Vec<Entry>,
    /// Facet → value → count, over all matches (not only this page).
    pub facets: BTreeMap<String, BTreeMap<String, usize>>,
}

fn facet_values(e: &Entry) -> [(&'static str, String); 5] {
    [
        ("organization", e.org_id.clone()),
        ("category", e.category_code.get(..3).unwrap_or(&e.category_code).to_owned()),
        ("format", e.format_detail.to_uppercase()),
        ("region", e.region_code.clone()),
        ("update_cycle", e.update_cycle.as_str().to_owned()),
    ]
}

impl Catalog {
    /// Open resources matching `q`, with facets: the page `q.start`, `q.rows` with its 信息项.
    pub async fn search_open(&self, q: &OpenQuery) -> Result<Found> {
        let (matched, facets) = self.open_matches(q).await?;
        let count = matched.len();
        let page: Vec<Entry> = matched.into_iter().skip(q.start).take(q.rows.clamp(0, 1000)).collect();
        let results = entries::load_items(&self.db, page).await?;
        Ok(Found { count, results, facets })
    }

    /// Every open resource matching `q` (paging ignored), sorted, without 信息项, and the
    /// facets over them: one pass over the catalog, for callers that filter further (CKAN's
    /// package_search, DCAT pages) and load details only for what they show.
    pub async fn open_matches(&self, q: &OpenQuery) -> Result<(Vec<Entry>, BTreeMap<String, BTreeMap<String, usize>>)> {
        let text = search::normalise(&q.q);
        let all = self.open_light_cached().await?;
        let (pool, scores): (Vec<&Entry>, BTreeMap<String, u32>) = if text.is_empty() {
            (all.rows.iter().map(|s| &s.entry).collect(), BTreeMap::new())
        } else {
            let plan = entries::INDEX.plan(&self.db, &search::bigrams(&text), COMMON_GRAM).await?;
            let scored: Vec<(&Entry, u32)> = all
                .select(&plan)
                .into_iter()
                .map(|s| (&s.entry, s.score(&text)))
                .filter(|(_, score)| *score > 0)
                .collect();
            let scores = scored.iter().map(|(e, score)| (e.id.clone(), *score)).collect();
            (scored.into_iter().map(|(e, _)| e).collect(), scores)
        };
        let region =
            match &q.region {
                Some(r) => Some(qy_kernel::RegionScope::new(r).ok_or_else(|| {
                    Error::bad_request("catalog.invalid_region", format!("{r:?} is not a region code"))
                })?),
                None => None,
            };
        let mut matched: Vec<Entry> = pool
            .into_iter()
            .filter(|e| text.is_empty() || scores.contains_key(&e.id))
            .filter(|e| q.org_id.as_ref().is_none_or(|o| *o == e.org_id))
            .filter(|e| q.category.as_ref().is_none_or(|c| e.category_code.starts_with(c.as_str())))
            .filter(|e| q.format.as_ref().is_none_or(|f| e.format_detail.eq_ignore_ascii_case(f)))
            .filter(|e| region.as_ref().is_none_or(|r| r.contains(&e.region_code)))
            .filter(|e| q.update_cycle.as_ref().is_none_or(|c| e.update_cycle.as_str() == c))
            .filter(|e| q.modified_since.is_none_or(|t| e.updated_at >= t))
            .cloned()
            .collect();
        let mut facets: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for e in &matched {
            for (facet, value) in facet_values(e) {
                *facets.entry(facet.into()).or_default().entry(value).or_default() += 1;
            }
        }
        match (q.sort, text.is_empty()) {
            (Sort::Name, _) => matched.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code))),
            (Sort::Modified, _) | (Sort::Relevance, true) => {
                matched.sort_by(|a, b| b.updated_at.cmp(&a.updated_at).then_with(|| a.code.cmp(&b.code)))
            }
            (Sort::Relevance, false) => matched.sort_by(|a, b| {
                let (sa, sb) = (scores.get(&a.id).copied().unwrap_or(0), scores.get(&b.id).copied().unwrap_or(0));
                sb.cmp(&sa).then_with(|| b.updated_at.cmp(&a.updated_at)).then_with(|| a.code.cmp(&b.code))
            }),
        }
        Ok((matched, facets))
    }

    /// Every open entry's light row, from the cache while no entry has been written since.
    async fn open_light_cached(&self) -> Result<Arc<Snapshot>> {
        let generation = entries::generation(&self.db).await?;
        if let Some(snapshot) = self.open_cache.get(generation) {
            return Ok(snapshot);
        }
        let rows: Vec<Searchable> = entries::open_light(&self.db).await?.into_iter().map(Searchable::new).collect();
        let index: std::collections::HashMap<&str, u32> =
            rows.iter().enumerate().map(|(i, s)| (s.entry.id.as_str(), i as u32)).collect();
        let mut postings: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
        for (gram, entry_id) in entries::all_grams(&self.db).await? {
            if let Some(i) = index.get(entry_id.as_str()) {
                postings.entry(gram).or_default().push(*i);
            }
        }
        drop(index);
        let snapshot = Arc::new(Snapshot { rows, postings });
        self.open_cache.put(generation, snapshot.clone());
        Ok(snapshot)
    }

    /// An open resource as the portal shows it (404 for anything not open).
    pub async fn open_entry(&self, id_or_slug: &str) -> Result<Entry> {
        let not_found = || Error::not_found("catalog.entry_not_found", format!("no open resource {id_or_slug:?}"));
        let e = self.entry(id_or_slug).await.map_err(|_| not_found())?;
        let e = self.published_view(e).await?.ok_or_else(not_found)?;
        if e.open_type == OpenType::None {
            return Err(not_found());
        }
        Ok(e)
    }

    /// May this account read the rows of an open resource?
    pub async fn may_read_open(&self, account: Option<&str>, e: &Entry) -> Result<bool> {
        Ok(match e.open_type {
            OpenType::Unconditional => true,
            OpenType::Conditional => match account {
                Some(a) => cases::approved(&self.db, a, &e.id).await?,
                None => false,
            },
            OpenType::None => false,
        })
    }

    /// Applies for a 有条件开放 resource.
    pub async fn apply_open(
        &self,
        by: &Principal,
        entry: &str,
        applicant: &str,
        purpose: &str,
    ) -> Result<OpenApplication> {
        let e = self.open_entry(entry).await?;
        if e.open_type != OpenType::Conditional {
            return Err(Error::bad_request("catalog.not_conditional", "this resource is open to everyone"));
        }
        let due = self.policy.calendar.deadline(self.today(), self.policy.open_application_days);
        let a = OpenApplication {
            id: id::new_id(),
            entry_id: e.id,
            applicant: non_empty("applicant", applicant)?,
            purpose: non_empty("purpose", purpose)?,
            status: "submitted".into(),
            due_on: due.date.to_string(),
            applied_at: self.now_ms(),
            decision_reason: None,
        };
        cases::insert_application(&self.db, &a, &by.account_id).await?;
        Ok(a)
    }

    pub async fn decide_open(&self, by: &Principal, id: &str, approve: bool, reason: &str) -> Result<OpenApplication> {
        require(by, perm::SHARING_DECIDE)?;
        let a = cases::application_by_id(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("catalog.application_not_found", "no such application"))?;
        let e = self.entry(&a.entry_id).await?;
        self.ensure_own(by, &e).await?;
        let reason = reason.trim();
        if !approve && reason.is_empty() {
            return Err(
                Error::bad_request("catalog.field_required", "a refusal needs its reason").with_arg("field", "reason")
            );
        }
        let status = if approve { "approved" } else { "refused" };
        let reason = (!reason.is_empty()).then_some(reason);
        if !cases::decide_application(&self.db, id, status, &by.account_id, reason, self.now_ms()).await? {
            return Err(Error::conflict("catalog.invalid_transition", "the application is already decided"));
        }
        cases::application_by_id(&self.db, id).await?.ok_or_else(|| Error::internal("application vanished"))
    }

    /// A developer key for the open-data API (CKAN-style `Authorization: <key>`). Shown once.
    pub async fn create_api_key(&self, by: &Principal, name: &str) -> Result<(String, String)> {
        let name = non_empty("name", name)?;
        let key = format!("qy_od_{}", hex::encode(rand::random::<[u8; 24]>()));
        let id = id::new_id();
        cases::insert_key(&self.db, &id, &by.account_id, &name, &key_hash(&key), self.now_ms()).await?;
        Ok((id, key))
    }

    /// The account a developer key belongs to.
    pub async fn account_of_key(&self, key: &str) -> Result<Option<String>> {
        cases::account_of_key(&self.db, &key_hash(key.trim())).await
    }
}

pub fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
