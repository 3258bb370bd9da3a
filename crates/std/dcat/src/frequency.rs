//! Update cycle (更新周期) → EU frequency authority table, used by DCAT-AP for
//! `dct:accrualPeriodicity`.

use serde::{Deserialize, Serialize};

const BASE: &str = "http://publications.europa.eu/resource/authority/frequency/";

/// How often a dataset is updated: the values of the catalog guide's 更新周期.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// 实时 (real time).
    Continuous,
    /// 每日.
    Daily,
    /// 每周.
    Weekly,
    /// 每月.
    Monthly,
    /// 每季度.
    Quarterly,
    /// 每半年 (twice a year).
    Biannual,
    /// 每年.
    Annual,
    /// 不定期 / 其他.
    Irregular,
}

impl Frequency {
    /// The EU authority code.
    ///
    /// Two codes need care:
    /// * 实时 → `UPDATE_CONT` (label "continuously updated"), not `CONT` (label "continuous").
    ///   `dct:accrualPeriodicity` is the rate at which the dataset is *updated*, and `UPDATE_CONT`
    ///   is the table's concept for continuous updating; national DCAT-AP portals (e.g.
    ///   data.gov.cz) use it for real-time feeds. [`Frequency::from_label`] still reads `CONT`.
    /// * 每半年 → `ANNUAL_2` ("semiannual"). The table has no `BIANNUAL` code; `BIENNIAL` means
    ///   every two years, which would be wrong.
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Continuous => "UPDATE_CONT",
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Quarterly => "QUARTERLY",
            Frequency::Biannual => "ANNUAL_2",
            Frequency::Annual => "ANNUAL",
            Frequency::Irregular => "IRREG",
        }
    }

    /// Full IRI in the EU frequency authority table.
    pub fn uri(self) -> String {
        format!("{BASE}{}", self.code())
    }

    /// From a Chinese update-cycle label (实时, 每日, 每周, 每月, 每季度, 每半年, 每年, 不定期, 其他)
    /// or an EU code (`CONT` is accepted as a synonym of `UPDATE_CONT`); `None` when unknown.
    pub fn from_label(label: &str) -> Option<Self> {
        let l = label.trim();
        let f = match l {
            "实时" => Frequency::Continuous,
            "每日" | "每天" => Frequency::Daily,
            "每周" => Frequency::Weekly,
            "每月" => Frequency::Monthly,
            "每季度" | "每季" => Frequency::Quarterly,
            "每半年" => Frequency::Biannual,
            "每年" => Frequency::Annual,
            "不定期" | "其他" | "其它" => Frequency::Irregular,
            _ => {
                let code = l.rsplit('/').next().unwrap_or(l).to_ascii_uppercase();
                match code.as_str() {
                    "UPDATE_CONT" | "CONT" => Frequency::Continuous,
                    "DAILY" => Frequency::Daily,
                    "WEEKLY" => Frequency::Weekly,
                    "MONTHLY" => Frequency::Monthly,
                    "QUARTERLY" => Frequency::Quarterly,
                    "ANNUAL_2" => Frequency::Biannual,
                    "ANNUAL" => Frequency::Annual,
                    "IRREG" => Frequency::Irregular,
                    _ => return None,
                }
            }
        };
        Some(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_uris() {
        let base = "http://publications.europa.eu/resource/authority/frequency/";
        for (f, code) in [
            (Frequency::Continuous, "UPDATE_CONT"),
            (Frequency::Daily, "DAILY"),
            (Frequency::Weekly, "WEEKLY"),
            (Frequency::Monthly, "MONTHLY"),
            (Frequency::Quarterly, "QUARTERLY"),
            (Frequency::Biannual, "ANNUAL_2"),
            (Frequency::Annual, "ANNUAL"),
            (Frequency::Irregular, "IRREG"),
        ] {
            assert_eq!(f.uri(), format!("{base}{code}"));
            assert_eq!(Frequency::from_label(code), Some(f));
            assert_eq!(Frequency::from_label(&f.uri()), Some(f));
        }
    }

    #[test]
    fn chinese_update_cycles() {
        for (label, f) in [
            ("实时", Frequency::Continuous),
            ("每日", Frequency::Daily),
            ("每周", Frequency::Weekly),
            ("每月", Frequency::Monthly),
            ("每季度", Frequency::Quarterly),
            ("每半年", Frequency::Biannual),
            ("每年", Frequency::Annual),
            ("不定期", Frequency::Irregular),
            ("其他", Frequency::Irregular),
        ] {
            assert_eq!(Frequency::from_label(label), Some(f), "{label}");
        }
        assert_eq!(Frequency::from_label("CONT"), Some(Frequency::Continuous));
        assert_eq!(Frequency::from_label("BIENNIAL"), None);
        assert_eq!(Frequency::from_label("每两年"), None);
    }
}
