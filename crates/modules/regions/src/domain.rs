//! Regions and the shipped data.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Region {
    /// GB/T 2260 code (6 digits) or NBS statistical code (9 or 12 digits).
    pub code: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
    /// `province`, `prefecture`, `county`, `county_stat`, `township` or `village`.
    pub level: String,
}

/// Depth in the tree: province 0 … village 4.
pub fn depth_of(level: &str) -> Option<i32> {
    Some(match level {
        "province" => 0,
        "prefecture" => 1,
        "county" | "county_stat" => 2,
        "township" => 3,
        "village" => 4,
        _ => return None,
    })
}

/// The shipped data files (see data/README.md), in parent-before-child order.
pub const SHIPPED: [&str; 3] = [
    include_str!("../data/qinghai-counties.csv"),
    include_str!("../data/qinghai-townships.csv"),
    include_str!("../data/qinghai-villages.csv"),
];

/// Parses `code,name,parent_code,level` rows (names hold no commas in this data).
pub fn parse_csv(text: &str) -> Result<Vec<Region>, String> {
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let cols: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
            match cols.as_slice() {
                [code, name, parent, level] if depth_of(level).is_some() => Ok(Region {
                    code: (*code).to_owned(),
                    name: (*name).to_owned(),
                    parent_code: (!parent.is_empty()).then(|| (*parent).to_owned()),
                    level: (*level).to_owned(),
                }),
                _ => Err(format!("line {}: expected code,name,parent_code,level: {line}", i + 2)),
            }
        })
        .collect()
}

/// Every shipped region.
pub fn shipped() -> Result<Vec<Region>, String> {
    let mut all = Vec::new();
    for text in SHIPPED {
        all.extend(parse_csv(text)?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qy_kernel::region::significant_prefix;
    use std::collections::HashMap;

    #[test]
    fn shipped_data_has_the_expected_counts() {
        let all = shipped().unwrap_or_default();
        let count = |l: &str| all.iter().filter(|r| r.level == l).count();
        assert_eq!(count("province"), 1);
        assert_eq!(count("prefecture"), 8);
        assert_eq!(count("county") + count("county_stat"), 45);
        assert_eq!(count("township"), 422);
        assert_eq!(count("village"), 4716);
    }

    #[test]
    fn every_region_sits_inside_its_parent_by_code_prefix() {
        // RegionScope relies on this: subtree membership is a prefix test.
        let all = shipped().unwrap_or_default();
        let by_code: HashMap<&str, &Region> = all.iter().map(|r| (r.code.as_str(), r)).collect();
        for r in &all {
            let Some(parent) = &r.parent_code else { continue };
            assert!(by_code.contains_key(parent.as_str()), "{} has unknown parent {parent}", r.code);
            let (Some(p), Some(c)) = (significant_prefix(parent), significant_prefix(&r.code)) else {
                panic!("{} or {parent} is not a region code", r.code);
            };
            assert!(c.starts_with(p) && c != p, "{} is not under {parent}", r.code);
        }
    }

    #[test]
    fn malformed_rows_are_reported_with_their_line() {
        let e = parse_csv("code,name,parent_code,level\n630000,青海省,,planet\n");
        assert!(e.is_err_and(|m| m.contains("line 2")));
    }
}
