//! The name-search queries the clients draw from, cut from seeded names, and the check of an
//! answer's first hit.

use std::collections::HashMap;

use qy_textsearch as search;

use super::names::BRAND_CHARS;
use super::rng::Rng;
use super::seed::Seeded;
use super::SEARCH_COMMON_GRAM;

/// Pre-built search queries.
const QUERIES: usize = 20_000;

/// Words most names contain, separated by spaces.
const COMMON_WORDS: &str = "商贸 有限公司 青海 西宁 合作社 专业合作社 建筑工程 科技 物流 商行 餐饮 贸易 牦牛 枸杞 \
    格尔木 有限责任公司 种植 养殖 城东区 工程";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum QueryKind {
    /// 2–6 characters cut from a seeded name.
    Substring,
    /// 4–6 characters cut from a name with one character wrong or missing.
    Typo,
    /// A word most names contain (商贸, 有限公司, 西宁…).
    Common,
    /// A whole current name.
    Exact,
}

impl QueryKind {
    pub(super) const ALL: [QueryKind; 4] = [Self::Substring, Self::Typo, Self::Common, Self::Exact];

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Substring => "substring",
            Self::Typo => "typo",
            Self::Common => "common",
            Self::Exact => "exact",
        }
    }

    /// The label of the kind in the client logs.
    pub(super) fn label(self) -> u8 {
        self as u8
    }

    /// Is the first hit checked? (It must contain a substring or exact query: the subject it
    /// was cut from does.)
    pub(super) fn checked(self) -> bool {
        matches!(self, Self::Substring | Self::Exact)
    }
}

pub(super) struct Query {
    pub(super) kind: QueryKind,
    pub(super) text: String,
    /// Percent-encoded for the URL.
    pub(super) encoded: String,
    /// Normalised, for checking the first hit.
    pub(super) normalised: String,
    /// Every gram of the query that indexes anyone is common (above the search's cap): the
    /// search then narrows by the intersection of the rarest three instead of a rare gram.
    pub(super) only_common: bool,
}

/// `QUERIES` queries from the sampled names; `grams`: subjects per gram as the search counts
/// them (`credit_gram_count`).
pub(super) fn build(sample: &[Seeded], grams: &HashMap<String, u32>, rng: &mut Rng) -> Vec<Query> {
    let brand_chars: Vec<char> = BRAND_CHARS.chars().collect();
    let common_words: Vec<&str> = COMMON_WORDS.split_whitespace().collect();
    let mut out = Vec::with_capacity(QUERIES);
    while out.len() < QUERIES && !sample.is_empty() {
        let Some(s) = sample.get(rng.below(sample.len())) else { continue };
        let chars: Vec<char> = s.name.chars().collect();
        let cut = |rng: &mut Rng, min: usize, max: usize| -> Vec<char> {
            let len = (min + rng.below(max - min + 1)).min(chars.len());
            let start = rng.below(chars.len() - len + 1);
            chars.get(start..start + len).map(<[char]>::to_vec).unwrap_or_default()
        };
        let roll = rng.unit();
        let (kind, text) = if roll < 0.55 {
            (QueryKind::Substring, cut(rng, 2, 6).into_iter().collect::<String>())
        } else if roll < 0.70 {
            let mut q = cut(rng, 4, 6);
            let at = rng.below(q.len());
            if rng.chance(0.5) {
                let c = brand_chars.get(rng.below(brand_chars.len())).copied().unwrap_or('鑫');
                if let Some(slot) = q.get_mut(at) {
                    *slot = c;
                }
            } else if at < q.len() {
                q.remove(at);
            }
            (QueryKind::Typo, q.into_iter().collect())
        } else if roll < 0.80 {
            (QueryKind::Common, rng.pick(&common_words).to_owned())
        } else {
            (QueryKind::Exact, s.name.clone())
        };
        let normalised = search::normalise(&text);
        if normalised.chars().count() < 2 {
            continue;
        }
        out.push(Query {
            kind,
            encoded: percent_encode(&text),
            text,
            only_common: only_common(&normalised, grams),
            normalised,
        });
    }
    out
}

/// Are all the grams of a normalised query that index anyone (the search ignores the others)
/// common? `grams`: postings per gram.
fn only_common(normalised: &str, grams: &HashMap<String, u32>) -> bool {
    let postings: Vec<u64> = search::bigrams(normalised)
        .iter()
        .map(|g| u64::from(grams.get(g).copied().unwrap_or(0)))
        .filter(|n| *n > 0)
        .collect();
    !postings.is_empty() && postings.iter().all(|n| *n > SEARCH_COMMON_GRAM)
}

fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Does the first hit's name contain the query?
pub(super) fn top_hit_contains(body: &[u8], normalised_query: &str) -> bool {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else { return false };
    v.as_array()
        .and_then(|hits| hits.first())
        .and_then(|h| h.get("name"))
        .and_then(|n| n.as_str())
        .is_some_and(|name| search::normalise(name).contains(normalised_query))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_encoding_of_chinese() {
        assert_eq!(percent_encode("商贸 a"), "%E5%95%86%E8%B4%B8%20a");
    }

    #[test]
    fn first_hit_must_contain_the_query() {
        let body = r#"[{"name":"青海鑫盛商贸有限公司"},{"name":"西宁德鑫建材有限公司"}]"#.as_bytes();
        assert!(top_hit_contains(body, &search::normalise("鑫盛商贸")));
        assert!(!top_hit_contains(body, &search::normalise("德鑫建材")));
        assert!(!top_hit_contains(b"[]", "鑫盛"));
    }

    #[test]
    fn only_common_ignores_grams_that_index_no_one() {
        let grams: HashMap<String, u32> =
            [("有限", 5_000), ("限公", 5_000), ("公司", 5_000), ("鑫盛", 3), ("盛商", 3), ("商贸", 2_001)]
                .into_iter()
                .map(|(g, n)| (g.to_owned(), n))
                .collect();
        assert!(only_common("有限公司", &grams));
        assert!(only_common("有限公x", &grams), "公x indexes no one");
        assert!(!only_common("鑫盛商贸", &grams));
        assert!(!only_common("西宁", &grams), "no gram indexes anyone");
    }
}
