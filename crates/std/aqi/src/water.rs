//! Surface-water quality classes, GB 3838-2002 地表水环境质量标准, Table 1 (basic items).
//!
//! Each item's class is the best class whose limit the value meets; a value equal to a limit
//! belongs to that class (≤ for upper limits, ≥ for dissolved oxygen). A section's class is the
//! worst class among the evaluated items (single-factor method, 地表水环境质量评价办法（试行）,
//! 环办〔2011〕22号); worse than V is 劣V (class 6).
//!
//! Decisions (the reference leaves them open):
//! * pH outside 6–9 meets no class and is rated 劣V.
//! * Total nitrogen (limits for lakes/reservoirs only) and fecal coliform are rated in `per_item`
//!   but do not count towards the section's class (the 2011 method evaluates TN separately and
//!   leaves fecal coliform out); TN given for a river is `ignored`.
//! * Water temperature (a limit on man-made change, not a value) and the DO alternative
//!   "≥ 90 % saturation" for class I are not modelled.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::args::parse_pairs;
use crate::decimal::Decimal;
use crate::error::AqiError;

/// Where the section is: the total-phosphorus limits differ, total nitrogen applies to lakes only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaterBody {
    /// 河流.
    River,
    /// 湖、库 (lake or reservoir).
    LakeReservoir,
}

impl WaterBody {
    /// `river` or `lake`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            WaterBody::River => "river",
            WaterBody::LakeReservoir => "lake",
        }
    }

    /// Parse `river` / `lake` (also `reservoir`, `lake_reservoir`, `河流`, `湖库`, `湖泊`, `水库`).
    pub fn parse(name: &str) -> Result<WaterBody, AqiError> {
        match name.trim().to_ascii_lowercase().replace('-', "_").as_str() {
            "river" | "河流" => Ok(WaterBody::River),
            "lake" | "reservoir" | "lake_reservoir" | "湖库" | "湖泊" | "水库" => Ok(WaterBody::LakeReservoir),
            _ => Err(AqiError::UnknownWaterBody { found: name.to_string() }),
        }
    }
}

impl fmt::Display for WaterBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for WaterBody {
    type Err = AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WaterBody::parse(s)
    }
}

impl Serialize for WaterBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// A GB 3838-2002 Table 1 basic item (water temperature excepted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WaterItem {
    /// pH (dimensionless), 6–9 in every class.
    Ph,
    /// Dissolved oxygen 溶解氧 (mg/L, a lower limit).
    Do,
    /// Permanganate index 高锰酸盐指数.
    CodMn,
    /// Chemical oxygen demand 化学需氧量.
    Cod,
    /// Five-day biochemical oxygen demand.
    Bod5,
    /// Ammonia nitrogen 氨氮.
    Nh3N,
    /// Total phosphorus as P (river and lake limits differ).
    Tp,
    /// Total nitrogen as N (lakes/reservoirs only).
    Tn,
    /// Copper.
    Cu,
    /// Zinc.
    Zn,
    /// Fluoride as F⁻.
    F,
    /// Selenium.
    Se,
    /// Arsenic.
    As,
    /// Mercury.
    Hg,
    /// Cadmium.
    Cd,
    /// Hexavalent chromium.
    Cr6,
    /// Lead.
    Pb,
    /// Cyanide.
    Cn,
    /// Volatile phenols.
    VolatilePhenol,
    /// Petroleum (oils).
    Petroleum,
    /// Anionic surfactants.
    Las,
    /// Sulfide.
    Sulfide,
    /// Fecal coliform (count/L).
    FecalColiform,
}

/// How a value is compared with an item's limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Class k is met when value ≤ limits\[k−1\] (I…V).
    AtMost([Decimal; 5]),
    /// Class k is met when value ≥ limits\[k−1\] (dissolved oxygen).
    AtLeast([Decimal; 5]),
    /// Every class is met when lo ≤ value ≤ hi; otherwise none (pH).
    Between(Decimal, Decimal),
}

const fn five(s: [&str; 5]) -> [Decimal; 5] {
    [Decimal::dec(s[0]), Decimal::dec(s[1]), Decimal::dec(s[2]), Decimal::dec(s[3]), Decimal::dec(s[4])]
}

const fn at_most(s: [&str; 5]) -> Limit {
    Limit::AtMost(five(s))
}

struct Row {
    item: WaterItem,
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    /// River limits (for TN: the lake/reservoir limits, which rivers do not have).
    limit: Limit,
}

use WaterItem as W;

const MG_L: &str = "mg/L";

/// GB 3838-2002 Table 1, classes I–V.
const TABLE: [Row; 23] = [
    Row {
        item: W::Ph,
        key: "ph",
        zh: "pH值",
        en: "pH",
        unit: "",
        limit: Limit::Between(Decimal::dec("6"), Decimal::dec("9")),
    },
    Row {
        item: W::Do,
        key: "do",
        zh: "溶解氧",
        en: "dissolved oxygen",
        unit: MG_L,
        limit: Limit::AtLeast(five(["7.5", "6", "5", "3", "2"])),
    },
    Row {
        item: W::CodMn,
        key: "cod_mn",
        zh: "高锰酸盐指数",
        en: "permanganate index (COD_Mn)",
        unit: MG_L,
        limit: at_most(["2", "4", "6", "10", "15"]),
    },
    Row {
        item: W::Cod,
        key: "cod",
        zh: "化学需氧量（COD）",
        en: "chemical oxygen demand (COD)",
        unit: MG_L,
        limit: at_most(["15", "15", "20", "30", "40"]),
    },
    Row {
        item: W::Bod5,
        key: "bod5",
        zh: "五日生化需氧量（BOD₅）",
        en: "five-day biochemical oxygen demand (BOD5)",
        unit: MG_L,
        limit: at_most(["3", "3", "4", "6", "10"]),
    },
    Row {
        item: W::Nh3N,
        key: "nh3_n",
        zh: "氨氮（NH₃-N）",
        en: "ammonia nitrogen (NH3-N)",
        unit: MG_L,
        limit: at_most(["0.15", "0.5", "1.0", "1.5", "2.0"]),
    },
    Row {
        item: W::Tp,
        key: "tp",
        zh: "总磷（以P计）",
        en: "total phosphorus (as P)",
        unit: MG_L,
        limit: at_most(["0.02", "0.1", "0.2", "0.3", "0.4"]),
    },
    Row {
        item: W::Tn,
        key: "tn",
        zh: "总氮（湖、库，以N计）",
        en: "total nitrogen (lakes and reservoirs, as N)",
        unit: MG_L,
        limit: at_most(["0.2", "0.5", "1.0", "1.5", "2.0"]),
    },
    Row {
        item: W::Cu,
        key: "cu",
        zh: "铜",
        en: "copper",
        unit: MG_L,
        limit: at_most(["0.01", "1.0", "1.0", "1.0", "1.0"]),
    },
    Row {
        item: W::Zn,
        key: "zn",
        zh: "锌",
        en: "zinc",
        unit: MG_L,
        limit: at_most(["0.05", "1.0", "1.0", "2.0", "2.0"]),
    },
    Row {
        item: W::F,
        key: "f",
        zh: "氟化物（以F⁻计）",
        en: "fluoride (as F-)",
        unit: MG_L,
        limit: at_most(["1.0", "1.0", "1.0", "1.5", "1.5"]),
    },
    Row {
        item: W::Se,
        key: "se",
        zh: "硒",
        en: "selenium",
        unit: MG_L,
        limit: at_most(["0.01", "0.01", "0.01", "0.02", "0.02"]),
    },
    Row {
        item: W::As,
        key: "as",
        zh: "砷",
        en: "arsenic",
        unit: MG_L,
        limit: at_most(["0.05", "0.05", "0.05", "0.1", "0.1"]),
    },
    Row {
        item: W::Hg,
        key: "hg",
        zh: "汞",
        en: "mercury",
        unit: MG_L,
        limit: at_most(["0.00005", "0.00005", "0.0001", "0.001", "0.001"]),
    },
    Row {
        item: W::Cd,
        key: "cd",
        zh: "镉",
        en: "cadmium",
        unit: MG_L,
        limit: at_most(["0.001", "0.005", "0.005", "0.005", "0.01"]),
    },
    Row {
        item: W::Cr6,
        key: "cr6",
        zh: "铬（六价）",
        en: "chromium (hexavalent)",
        unit: MG_L,
        limit: at_most(["0.01", "0.05", "0.05", "0.05", "0.1"]),
    },
    Row {
        item: W::Pb,
        key: "pb",
        zh: "铅",
        en: "lead",
        unit: MG_L,
        limit: at_most(["0.01", "0.01", "0.05", "0.05", "0.1"]),
    },
    Row {
        item: W::Cn,
        key: "cn",
        zh: "氰化物",
        en: "cyanide",
        unit: MG_L,
        limit: at_most(["0.005", "0.05", "0.2", "0.2", "0.2"]),
    },
    Row {
        item: W::VolatilePhenol,
        key: "volatile_phenol",
        zh: "挥发酚",
        en: "volatile phenols",
        unit: MG_L,
        limit: at_most(["0.002", "0.002", "0.005", "0.01", "0.1"]),
    },
    Row {
        item: W::Petroleum,
        key: "petroleum",
        zh: "石油类",
        en: "petroleum",
        unit: MG_L,
        limit: at_most(["0.05", "0.05", "0.05", "0.5", "1.0"]),
    },
    Row {
        item: W::Las,
        key: "las",
        zh: "阴离子表面活性剂",
        en: "anionic surfactants",
        unit: MG_L,
        limit: at_most(["0.2", "0.2", "0.2", "0.3", "0.3"]),
    },
    Row {
        item: W::Sulfide,
        key: "sulfide",
        zh: "硫化物",
        en: "sulfide",
        unit: MG_L,
        limit: at_most(["0.05", "0.1", "0.2", "0.5", "1.0"]),
    },
    Row {
        item: W::FecalColiform,
        key: "fecal_coliform",
        zh: "粪大肠菌群",
        en: "fecal coliform",
        unit: "个/L",
        limit: at_most(["200", "2000", "10000", "20000", "40000"]),
    },
];

/// Total phosphorus at lakes and reservoirs (GB 3838-2002 Table 1: 湖、库). One public code table
/// has 0.005 for class I; the standard says 0.01.
const TP_LAKE: Limit = at_most(["0.01", "0.025", "0.05", "0.1", "0.2"]);

impl WaterItem {
    /// All items, in table order.
    pub const ALL: [WaterItem; 23] = [
        W::Ph,
        W::Do,
        W::CodMn,
        W::Cod,
        W::Bod5,
        W::Nh3N,
        W::Tp,
        W::Tn,
        W::Cu,
        W::Zn,
        W::F,
        W::Se,
        W::As,
        W::Hg,
        W::Cd,
        W::Cr6,
        W::Pb,
        W::Cn,
        W::VolatilePhenol,
        W::Petroleum,
        W::Las,
        W::Sulfide,
        W::FecalColiform,
    ];

    fn row(self) -> &'static Row {
        &TABLE[self as usize]
    }

    /// Stable key, e.g. `nh3_n`.
    #[must_use]
    pub fn key(self) -> &'static str {
        self.row().key
    }

    /// Chinese name, e.g. `氨氮（NH₃-N）`.
    #[must_use]
    pub fn name_zh(self) -> &'static str {
        self.row().zh
    }

    /// English name, e.g. `ammonia nitrogen (NH3-N)`.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        self.row().en
    }

    /// Unit: `mg/L`, `个/L` (fecal coliform) or empty (pH).
    #[must_use]
    pub fn unit(self) -> &'static str {
        self.row().unit
    }

    /// The class limits at this kind of water body; `None` for total nitrogen at a river.
    #[must_use]
    pub fn limits(self, body: WaterBody) -> Option<Limit> {
        match (self, body) {
            (W::Tp, WaterBody::LakeReservoir) => Some(TP_LAKE),
            (W::Tn, WaterBody::River) => None,
            _ => Some(self.row().limit),
        }
    }

    /// Whether the item counts towards a section's class. Total nitrogen (evaluated separately
    /// at lakes/reservoirs) and fecal coliform do not (2011 evaluation method).
    #[must_use]
    pub fn counts_towards_class(self) -> bool {
        !matches!(self, W::Tn | W::FecalColiform)
    }

    /// The class (1–5, 6 = 劣V) of one value; `None` when the item has no limits at this body.
    #[must_use]
    pub fn class_of(self, body: WaterBody, value: Decimal) -> Option<u8> {
        let class = match self.limits(body)? {
            Limit::AtMost(l) => l.iter().position(|&lim| value <= lim),
            Limit::AtLeast(l) => l.iter().position(|&lim| value >= lim),
            Limit::Between(lo, hi) => (lo <= value && value <= hi).then_some(0),
        };
        Some(class.and_then(|i| u8::try_from(i + 1).ok()).unwrap_or(6))
    }

    /// Parse a key. Case-insensitive; `-` for `_`, `codmn`, `nh3n`, `cr(vi)` are accepted.
    pub fn parse_key(key: &str) -> Result<WaterItem, AqiError> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_");
        let k = match k.as_str() {
            "codmn" => "cod_mn",
            "nh3n" => "nh3_n",
            "cr(vi)" | "cr_vi" => "cr6",
            "ph值" => "ph",
            other => other,
        };
        TABLE.iter().find(|r| r.key == k).map(|r| r.item).ok_or_else(|| AqiError::UnknownKey {
            kind: "water item",
            found: key.to_string(),
            expected: TABLE.iter().map(|r| r.key).collect::<Vec<_>>().join(", "),
        })
    }
}

impl fmt::Display for WaterItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for WaterItem {
    type Err = AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        WaterItem::parse_key(s)
    }
}

impl Serialize for WaterItem {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// Label, quality (Chinese), quality (English) of classes 1–6.
const CLASSES: [(&str, &str, &str); 6] = [
    ("I", "优", "Excellent"),
    ("II", "优", "Excellent"),
    ("III", "良好", "Good"),
    ("IV", "轻度污染", "Lightly polluted"),
    ("V", "中度污染", "Moderately polluted"),
    ("劣V", "重度污染", "Heavily polluted"),
];

/// `I` … `V`, `劣V` for class 1–6 (anything else → `劣V`).
#[must_use]
pub fn class_label(class: u8) -> &'static str {
    class_row(class).0
}

fn class_row(class: u8) -> (&'static str, &'static str, &'static str) {
    CLASSES[usize::from(class.clamp(1, 6)) - 1]
}

/// The outcome of [`classify`]; serialises to one JSON object (`qingyun tools water-class`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaterResult {
    /// 1–5, 6 = 劣V: the worst class among the items that count.
    pub class: u8,
    /// `I`, `II`, `III`, `IV`, `V` or `劣V`.
    pub class_label: &'static str,
    /// Qualitative status: I–II 优, III 良好, IV 轻度污染, V 中度污染, 劣V 重度污染.
    pub quality: &'static str,
    /// The same in English.
    pub quality_en: &'static str,
    /// The counting items whose class is the section's class.
    pub worst: Vec<String>,
    /// Class of every given item that has limits at this body (also those that do not count).
    pub per_item: BTreeMap<String, u8>,
    /// The water body the limits were taken for.
    pub body: WaterBody,
    /// Given items rated in `per_item` that do not count towards `class` (TN, fecal coliform).
    pub excluded: Vec<String>,
    /// Given items without limits at this body (TN at a river).
    pub ignored: Vec<String>,
}

/// Classify a section by the single-factor method. Errors: no input, a key given twice, a
/// negative value, or no item that counts towards the class.
pub fn classify(body: WaterBody, inputs: &[(WaterItem, Decimal)]) -> Result<WaterResult, AqiError> {
    if inputs.is_empty() {
        return Err(AqiError::NoInput);
    }
    let mut given = BTreeMap::new();
    for &(item, v) in inputs {
        if v.is_negative() {
            return Err(AqiError::Negative { key: item.key(), value: v.to_string() });
        }
        if given.insert(item, v).is_some() {
            return Err(AqiError::Duplicate { key: item.key() });
        }
    }
    let mut classes = BTreeMap::new();
    let (mut excluded, mut ignored) = (Vec::new(), Vec::new());
    for (&item, &v) in &given {
        match item.class_of(body, v) {
            Some(c) => {
                classes.insert(item, c);
                if !item.counts_towards_class() {
                    excluded.push(item.key().to_string());
                }
            }
            None => ignored.push(item.key().to_string()),
        }
    }
    let counting = || classes.iter().filter(|(i, _)| i.counts_towards_class());
    let Some(class) = counting().map(|(_, &c)| c).max() else {
        return Err(AqiError::NoEvaluatedItem { given: given.keys().map(|i| i.key()).collect::<Vec<_>>().join(", ") });
    };
    let (label, quality, quality_en) = class_row(class);
    Ok(WaterResult {
        class,
        class_label: label,
        quality,
        quality_en,
        worst: counting().filter(|(_, &c)| c == class).map(|(i, _)| i.key().to_string()).collect(),
        per_item: classes.iter().map(|(i, &c)| (i.key().to_string(), c)).collect(),
        body,
        excluded,
        ignored,
    })
}

/// 超标倍数 = (C − limit) / limit against the `target_class` (1–5) upper limit, rounded half to
/// even to 2 decimal places; `Ok(None)` when the value meets the target, the item has no upper
/// limits (pH, DO) or no limits at this body, or the class is out of 1–5. Fails only when the
/// result does not fit a [`Decimal`].
pub fn exceedance(
    body: WaterBody,
    item: WaterItem,
    value: Decimal,
    target_class: u8,
) -> Result<Option<Decimal>, AqiError> {
    let Some(Limit::AtMost(limits)) = item.limits(body) else {
        return Ok(None);
    };
    let Some(&limit) = usize::from(target_class).checked_sub(1).and_then(|i| limits.get(i)) else {
        return Ok(None);
    };
    if value <= limit {
        return Ok(None);
    }
    let (vm, vd) = value.ratio();
    let (lm, ld) = limit.ratio();
    // (v − l)/l = (vm·ld − lm·vd) / (lm·vd); limits have ≤ 5 places and ≤ 5 digits, so
    // every product stays below 2^90.
    let num = (vm * ld - lm * vd) * 100;
    let den = lm * vd;
    let (q, r) = (num / den, num % den);
    let q = if 2 * r > den || (2 * r == den && q % 2 != 0) { q + 1 } else { q };
    i64::try_from(q).ok().and_then(|m| Decimal::new(m, 2).ok()).map(Some).ok_or_else(|| AqiError::InvalidNumber {
        input: value.to_string(),
        reason: "too large to compute an exceedance multiple",
    })
}

/// Parse the `qingyun tools water-class` arguments (`--body` value, `KEY=VALUE`…) and
/// [`classify`].
pub fn classify_from_args<S: AsRef<str>>(body: &str, args: &[S]) -> Result<WaterResult, AqiError> {
    let body = WaterBody::parse(body)?;
    let inputs = parse_pairs(args, WaterItem::parse_key)?;
    classify(body, &inputs)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_match_variants() {
        for (i, item) in WaterItem::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].item, *item);
            assert_eq!(WaterItem::parse_key(item.key()).unwrap(), *item);
        }
    }

    #[test]
    fn upper_limits_never_get_stricter_with_worse_classes() {
        for item in WaterItem::ALL {
            for body in [WaterBody::River, WaterBody::LakeReservoir] {
                match item.limits(body) {
                    Some(Limit::AtMost(l)) => assert!(l.windows(2).all(|w| w[0] <= w[1]), "{item}"),
                    Some(Limit::AtLeast(l)) => assert!(l.windows(2).all(|w| w[0] >= w[1]), "{item}"),
                    Some(Limit::Between(lo, hi)) => assert!(lo < hi),
                    None => assert_eq!((item, body), (W::Tn, WaterBody::River)),
                }
            }
        }
    }

    #[test]
    fn labels() {
        assert_eq!(class_label(1), "I");
        assert_eq!(class_label(6), "劣V");
        assert_eq!(class_label(0), "I");
        assert_eq!(class_label(9), "劣V");
    }
}
