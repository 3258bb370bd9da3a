//! 处罚类别 (CF_CFLB): the kinds of administrative penalty.
//!
//! Source: 行政处罚法 (2021 revision) art. 9 as listed in reference §4.2 — 13 named kinds plus
//! 其他 for "other penalties set by laws and administrative regulations". The national exchange
//! format writes them in Chinese, so that is also our serde form.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::RuleError;

/// One 处罚类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PenaltyCategory {
    /// 警告.
    Warning,
    /// 通报批评 (new in 2021).
    PublicCriticism,
    /// 罚款.
    Fine,
    /// 没收违法所得.
    ConfiscateIllegalGains,
    /// 没收非法财物.
    ConfiscateIllegalProperty,
    /// 暂扣许可证件.
    SuspendLicence,
    /// 降低资质等级 (new in 2021).
    DowngradeQualification,
    /// 吊销许可证件.
    RevokeLicence,
    /// 限制开展生产经营活动 (new in 2021).
    RestrictBusiness,
    /// 责令停产停业.
    OrderSuspension,
    /// 责令关闭 (new in 2021).
    OrderClosure,
    /// 限制从业 (new in 2021).
    RestrictPractice,
    /// 行政拘留.
    Detention,
    /// 其他.
    Other,
}

impl PenaltyCategory {
    /// All 14, in the order of art. 9.
    pub const ALL: [PenaltyCategory; 14] = [
        PenaltyCategory::Warning,
        PenaltyCategory::PublicCriticism,
        PenaltyCategory::Fine,
        PenaltyCategory::ConfiscateIllegalGains,
        PenaltyCategory::ConfiscateIllegalProperty,
        PenaltyCategory::SuspendLicence,
        PenaltyCategory::DowngradeQualification,
        PenaltyCategory::RevokeLicence,
        PenaltyCategory::RestrictBusiness,
        PenaltyCategory::OrderSuspension,
        PenaltyCategory::OrderClosure,
        PenaltyCategory::RestrictPractice,
        PenaltyCategory::Detention,
        PenaltyCategory::Other,
    ];

    /// The Chinese name of the law.
    pub fn as_str(self) -> &'static str {
        match self {
            PenaltyCategory::Warning => "警告",
            PenaltyCategory::PublicCriticism => "通报批评",
            PenaltyCategory::Fine => "罚款",
            PenaltyCategory::ConfiscateIllegalGains => "没收违法所得",
            PenaltyCategory::ConfiscateIllegalProperty => "没收非法财物",
            PenaltyCategory::SuspendLicence => "暂扣许可证件",
            PenaltyCategory::DowngradeQualification => "降低资质等级",
            PenaltyCategory::RevokeLicence => "吊销许可证件",
            PenaltyCategory::RestrictBusiness => "限制开展生产经营活动",
            PenaltyCategory::OrderSuspension => "责令停产停业",
            PenaltyCategory::OrderClosure => "责令关闭",
            PenaltyCategory::RestrictPractice => "限制从业",
            PenaltyCategory::Detention => "行政拘留",
            PenaltyCategory::Other => "其他",
        }
    }

    /// Whether the category confiscates money or goods, so CF_NR_WFFF must carry an amount.
    pub fn is_confiscation(self) -> bool {
        matches!(self, PenaltyCategory::ConfiscateIllegalGains | PenaltyCategory::ConfiscateIllegalProperty)
    }

    /// Whether the category suspends or revokes a licence, so CF_NR_ZKDX must name it.
    pub fn touches_licence(self) -> bool {
        matches!(self, PenaltyCategory::SuspendLicence | PenaltyCategory::RevokeLicence)
    }
}

impl fmt::Display for PenaltyCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PenaltyCategory {
    type Err = RuleError;

    /// Exact Chinese name after trimming. No fuzzy aliases: the pre-2021 wording
    /// "暂扣或者吊销许可证" cannot be mapped to one category without reading the decision.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        PenaltyCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == t)
            .ok_or_else(|| RuleError::UnknownPenaltyCategory(t.to_owned()))
    }
}

impl Serialize for PenaltyCategory {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PenaltyCategory {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// Separators seen in CF_CFLB cells: ASCII and full-width semicolon and comma, and 、.
const SEPARATORS: &[char] = &[';', '；', ',', '，', '、'];

/// Parses a multi-valued CF_CFLB cell such as `"警告；罚款"`.
///
/// Empty pieces (a trailing separator) are skipped and repeats are dropped, keeping first-seen
/// order: the field is a set. Note that the 2017-era combined wording "没收违法所得、没收非法财物"
/// splits into the two current categories, which is what it meant.
pub fn parse_categories(s: &str) -> Result<Vec<PenaltyCategory>, RuleError> {
    let mut out: Vec<PenaltyCategory> = Vec::new();
    for piece in s.split(SEPARATORS) {
        if piece.trim().is_empty() {
            continue;
        }
        let c: PenaltyCategory = piece.parse()?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() -> Result<(), serde_json::Error> {
        for c in PenaltyCategory::ALL {
            assert_eq!(c.as_str().parse::<PenaltyCategory>(), Ok(c));
            let json = serde_json::to_string(&c)?;
            assert_eq!(json, format!("\"{}\"", c.as_str()));
            assert_eq!(serde_json::from_str::<PenaltyCategory>(&json)?, c);
        }
        assert!(serde_json::from_str::<PenaltyCategory>("\"Fine\"").is_err());
        Ok(())
    }

    #[test]
    fn splits_on_every_separator() {
        use PenaltyCategory::*;
        assert_eq!(
            parse_categories("警告;罚款；没收违法所得,没收非法财物，暂扣许可证件、吊销许可证件"),
            Ok(vec![Warning, Fine, ConfiscateIllegalGains, ConfiscateIllegalProperty, SuspendLicence, RevokeLicence])
        );
        assert_eq!(parse_categories(" 罚款 ；罚款；"), Ok(vec![Fine]));
        assert_eq!(parse_categories(""), Ok(vec![]));
        assert_eq!(parse_categories("警告；拘役").map_err(|e| e.code()), Err("credit.unknown_penalty_category"));
    }
}
