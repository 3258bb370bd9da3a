//! Region scope: a subtree of Qinghai's administrative-region tree.
//!
//! Region codes are GB/T 2260 six-digit codes for province, prefecture and county, and NBS
//! statistical codes of 9 digits (township) and 12 digits (village). A code's *significant
//! prefix* drops the trailing zero groups of its level (`630000` → `63`, `632800` → `6328`),
//! so "is X inside Y" is a prefix test. This is the structure GB/T 2260 defines; it holds for
//! every row of the shipped region data (checked by the regions module's tests).

use serde::{Deserialize, Serialize};

/// The significant prefix of a region code, or `None` when the text is not a region code.
pub fn significant_prefix(code: &str) -> Option<&str> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        6 if code.ends_with("0000") => code.get(..2),
        6 if code.ends_with("00") => code.get(..4),
        6 | 9 | 12 => Some(code),
        _ => None,
    }
}

/// A subtree of regions rooted at one code. Every staff action is bounded by one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionScope {
    root: String,
}

impl RegionScope {
    /// The scope rooted at `code`; `None` if `code` is not a region code.
    pub fn new(code: &str) -> Option<Self> {
        significant_prefix(code).map(|_| Self { root: code.to_owned() })
    }

    /// The whole province (operators).
    pub fn province() -> Self {
        Self { root: "630000".to_owned() }
    }

    pub fn root(&self) -> &str {
        &self.root
    }

    /// Is region `code` inside this subtree (a region is inside its own subtree)?
    pub fn contains(&self, code: &str) -> bool {
        match (significant_prefix(&self.root), significant_prefix(code)) {
            (Some(root), Some(other)) => other.starts_with(root),
            _ => false,
        }
    }

    /// Is the whole of `other` inside this scope?
    pub fn covers(&self, other: &RegionScope) -> bool {
        self.contains(&other.root)
    }

    /// The SQL `LIKE` pattern that selects region codes inside this subtree when matched
    /// against a column holding region codes of any level.
    pub fn like_pattern(&self) -> String {
        let prefix = significant_prefix(&self.root).unwrap_or(&self.root);
        format!("{prefix}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefecture_contains_its_counties_and_villages_but_not_others() {
        let haixi = RegionScope::new("632800").into_iter().next();
        let haixi = haixi.as_ref().map(|s| (s.contains("632801"), s.contains("632801001001"), s.contains("630102")));
        assert_eq!(haixi, Some((true, true, false)));
    }

    #[test]
    fn province_contains_everything_in_qinghai() {
        let p = RegionScope::province();
        assert!(p.contains("630000") && p.contains("632857") && p.contains("630102001001"));
        assert!(!p.contains("620000"));
    }

    #[test]
    fn county_does_not_contain_its_parent_or_sibling() {
        let c = RegionScope::new("632801");
        assert!(c.as_ref().is_some_and(|c| !c.contains("632800") && !c.contains("632802")));
    }

    #[test]
    fn non_codes_are_rejected() {
        assert!(RegionScope::new("63").is_none());
        assert!(RegionScope::new("6328x0").is_none());
        assert!(RegionScope::new("青海").is_none());
    }
}

/// A region as other modules need to know it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionSummary {
    pub code: String,
    pub name: String,
    /// `province`, `prefecture`, `county`, `county_stat`, `township` or `village`.
    pub level: String,
}

/// The region directory port, implemented by the regions module.
#[async_trait::async_trait]
pub trait RegionDirectory: Send + Sync + 'static {
    async fn get(&self, code: &str) -> crate::Result<Option<RegionSummary>>;
}
