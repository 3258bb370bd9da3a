//! Chinese search without a word segmenter. Names and titles are indexed by their character
//! bigrams: Chinese names have no spaces, and segmenters trained on news text cut names like
//! 格尔木市高原牦牛养殖专业合作社 or titles like 环境空气质量小时数据 unpredictably (a query
//! for 空气质量 must find the latter whatever the segmenter does with 环境空气). Bigrams find
//! any substring of two or more characters and tolerate a wrong or missing character, which
//! is what "fuzzy" means to a person typing a half-remembered name. Callers keep the index
//! (a `gram → id` table), narrow by the query's rarest bigrams, and score each candidate here.

/// Names compared as people read them: full-width ASCII and brackets folded to half-width,
/// Latin letters lower-cased, spaces and punctuation that people omit removed.
pub fn normalise(name: &str) -> String {
    name.chars()
        .filter_map(|c| {
            let c = match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            };
            if c.is_whitespace() || matches!(c, '(' | ')' | '（' | '）' | '·' | '・' | '-' | '.' | ',' | '、') {
                None
            } else {
                Some(c.to_ascii_lowercase())
            }
        })
        .collect()
}

/// The distinct character bigrams of a normalised name (a one-character name is its own gram).
pub fn bigrams(normalised: &str) -> Vec<String> {
    let chars: Vec<char> = normalised.chars().collect();
    let mut grams: Vec<String> = match chars.len() {
        0 => Vec::new(),
        1 => vec![chars.iter().collect()],
        _ => chars.windows(2).map(|w| w.iter().collect()).collect(),
    };
    grams.sort();
    grams.dedup();
    grams
}

/// How well `name` matches `query` (both normalised), 0–1000. Exact 1000; the query inside
/// the name 600–900 (shorter names rank higher: the query says more of them); otherwise the
/// share of the query's bigrams found in the name, when at least half are.
pub fn score(query: &str, name: &str) -> u32 {
    if query.is_empty() || name.is_empty() {
        return 0;
    }
    if query == name {
        return 1000;
    }
    let q_len = query.chars().count() as u32;
    let n_len = name.chars().count() as u32;
    if name.contains(query) {
        return 600 + 300 * q_len / n_len.max(q_len);
    }
    let q = bigrams(query);
    let n = bigrams(name);
    let hits = q.iter().filter(|g| n.binary_search(g).is_ok()).count() as u32;
    let total = q.len() as u32;
    if total == 0 || hits * 2 < total {
        return 0;
    }
    // At most 500: any substring match ranks above any partial match.
    500 * hits / total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_folds_width_case_and_brackets() {
        assert_eq!(normalise("青海（格尔木）ＡＢＣ 有限公司"), "青海格尔木abc有限公司");
    }

    #[test]
    fn bigrams_are_distinct_and_sorted() {
        assert_eq!(bigrams("哈哈哈"), vec!["哈哈".to_owned()]);
        assert_eq!(bigrams("牦牛肉"), vec!["牛肉".to_owned(), "牦牛".to_owned()]);
        assert_eq!(bigrams("牛"), vec!["牛".to_owned()]);
    }

    #[test]
    fn exact_beats_contained_beats_fuzzy() {
        let name = normalise("格尔木市高原牦牛养殖专业合作社");
        let exact = score(&name, &name);
        let inside = score("高原牦牛", &name);
        let typo = score("高原牦牛养植", &name);
        let unrelated = score("枸杞贸易", &name);
        assert!(exact > inside && inside > typo && typo > 0, "{exact} {inside} {typo}");
        assert_eq!(unrelated, 0);
    }

    #[test]
    fn shorter_names_rank_higher_for_the_same_query() {
        assert!(score("牦牛", "牦牛合作社") > score("牦牛", "格尔木市高原牦牛养殖专业合作社"));
    }
}
