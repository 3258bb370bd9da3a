//! The command-parameter area `CP=&&…&&` (HJ 212-2017 §6.3.3, Table 4).
//!
//! `key=value` items; items of one factor are separated by `,`, different factors and items by
//! `;`. Factor fields are `xxxxxx-Suffix` where `xxxxxx` is the factor code (Appendix B) and the
//! suffix one of [`Suffix`]. Field names are case-sensitive (`DataTime`, `RtdInterval`);
//! the one tolerated exception is the case of a factor suffix (`A18-flag`, eco-monitoring §1.12).
//!
//! Values are kept as the exact text received; numbers are also available as exact
//! [`Decimal`]s, never only as `f64`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::codes::{ExeRtn, QnRtn};
use crate::datatime::DataTime;
use crate::decimal::Decimal;
use crate::deviation::Deviation;
use crate::error::{quote, PacketError};
use crate::flags::DataFlag;

/// How a value is validated (Table 4 data types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueKind {
    /// `N` numbers: `[+-]digits[.digits]`, checked with [`Decimal::parse`].
    Decimal,
    /// Unsigned integer, 1–9 digits.
    Integer,
    /// `C1` data flag: one ASCII letter or digit (Table 8 is extensible; see [`DataFlag`]).
    Flag,
    /// `C4` code: 1–4 ASCII letters or digits.
    Code4,
    /// `YYYYMMDDhhmmss` (17 digits with milliseconds tolerated and recorded).
    Time,
    /// Free text (site information, instrument serial numbers); not checked.
    Text,
}

impl ValueKind {
    fn expected(self) -> &'static str {
        match self {
            Self::Decimal => "a decimal number",
            Self::Integer => "an unsigned integer",
            Self::Flag => "a one-character data flag",
            Self::Code4 => "1-4 letters or digits",
            Self::Time => "YYYYMMDDhhmmss",
            Self::Text => "text",
        }
    }

    /// Check `value` for `key`; time values with milliseconds add a deviation.
    fn check(self, key: &str, value: &str, deviations: &mut Vec<Deviation>) -> Result<(), PacketError> {
        let ok = match self {
            Self::Decimal => Decimal::parse(value).is_some(),
            Self::Integer => (1..=9).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit()),
            Self::Flag => value.len() == 1 && value.bytes().all(|b| b.is_ascii_alphanumeric()),
            Self::Code4 => (1..=4).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric()),
            Self::Time => match DataTime::parse(value) {
                Ok(t) => {
                    if t.millis().is_some() {
                        deviations.push(Deviation::TimeWithMillis { key: key.to_string() });
                    }
                    true
                }
                Err(_) => false,
            },
            Self::Text => true,
        };
        if ok {
            Ok(())
        } else {
            Err(PacketError::InvalidCpValue { key: quote(key), value: quote(value), expected: self.expected() })
        }
    }
}

macro_rules! suffixes {
    ($( $variant:ident, $field:ident, $text:literal, $kind:ident, $doc:literal; )*) => {
        /// A factor field suffix (`xxxxxx-Suffix`, HJ 212-2017 §6.3.3 and Table 4).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum Suffix {
            $( #[doc = $doc] #[serde(rename = $text)] $variant, )*
        }

        impl Suffix {
            /// Every suffix, in the order they are written by [`Cp::to_text`].
            pub const ALL: &'static [Suffix] = &[$(Suffix::$variant),*];

            /// The canonical text, e.g. `ZsAvg`.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { $(Suffix::$variant => $text,)* }
            }

            /// How its values are validated.
            #[must_use]
            pub fn kind(self) -> ValueKind {
                match self { $(Suffix::$variant => ValueKind::$kind,)* }
            }
        }

        /// All fields of one factor in a CP area, as received (text).
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
        pub struct FactorValues {
            $(
                #[doc = $doc]
                #[serde(rename = $text, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
            /// Suffixes this crate does not know (e.g. `-ValidNum` variants, vendor
            /// extensions), keyed by the suffix as written.
            #[serde(flatten)]
            pub extra: BTreeMap<String, String>,
        }

        impl FactorValues {
            /// The text of one suffix.
            #[must_use]
            pub fn get(&self, suffix: Suffix) -> Option<&str> {
                match suffix { $(Suffix::$variant => self.$field.as_deref(),)* }
            }

            /// Mutable slot of one suffix.
            pub fn slot_mut(&mut self, suffix: Suffix) -> &mut Option<String> {
                match suffix { $(Suffix::$variant => &mut self.$field,)* }
            }
        }
    };
}

suffixes! {
    Rtd, rtd, "Rtd", Decimal, "`-Rtd` real-time value.";
    Min, min, "Min", Decimal, "`-Min` minimum over the interval.";
    Avg, avg, "Avg", Decimal, "`-Avg` average over the interval.";
    Max, max, "Max", Decimal, "`-Max` maximum over the interval.";
    ZsRtd, zs_rtd, "ZsRtd", Decimal, "`-ZsRtd` converted (折算) real-time value.";
    ZsMin, zs_min, "ZsMin", Decimal, "`-ZsMin` converted minimum.";
    ZsAvg, zs_avg, "ZsAvg", Decimal, "`-ZsAvg` converted average.";
    ZsMax, zs_max, "ZsMax", Decimal, "`-ZsMax` converted maximum.";
    Cou, cou, "Cou", Decimal, "`-Cou` cumulative value (flow, mass).";
    Flag, flag, "Flag", Flag, "`-Flag` data flag (C1, Table 8).";
    EFlag, eflag, "EFlag", Code4, "`-EFlag` vendor-extended flag (C4).";
    SampleTime, sample_time, "SampleTime", Time, "`-SampleTime` sampling time (N14).";
    Ala, ala, "Ala", Decimal, "`-Ala` alarm value (HJ/T 212-2005 alarm records).";
    UpValue, up_value, "UpValue", Decimal, "`-UpValue` alarm upper limit (HJ/T 212-2005).";
    LowValue, low_value, "LowValue", Decimal, "`-LowValue` alarm lower limit (HJ/T 212-2005).";
    Data, data, "Data", Decimal, "`-Data` noise value.";
    DayData, day_data, "DayData", Decimal, "`-DayData` daytime noise value.";
    NightData, night_data, "NightData", Decimal, "`-NightData` night-time noise value.";
    Info, info, "Info", Text, "`-Info` site information (i-codes, Table B.10).";
    Sn, sn, "SN", Text, "`-SN` instrument identifier.";
    Rs, rs, "RS", Integer, "`SBxxx-RS` facility running state (0 off, 1 running, 2 calibrating, 3 maintenance, 4 alarm, 5 blowback).";
    Rt, rt, "RT", Decimal, "`SBxxx-RT` facility running hours per day.";
    ValidNum, valid_num, "ValidNum", Integer, "`-ValidNum` number of valid values (observed extension).";
    TotalNum, total_num, "TotalNum", Integer, "`-TotalNum` number of values (observed extension).";
}

impl Suffix {
    /// The suffix matching `text` exactly, or ignoring ASCII case.
    #[must_use]
    pub fn parse_lenient(text: &str) -> Option<(Suffix, bool)> {
        let exact = Self::ALL.iter().find(|s| s.as_str() == text);
        if let Some(s) = exact {
            return Some((*s, true));
        }
        Self::ALL.iter().find(|s| s.as_str().eq_ignore_ascii_case(text)).map(|s| (*s, false))
    }
}

impl fmt::Display for Suffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FactorValues {
    /// A numeric suffix as an exact decimal (`None` if absent or not a number).
    #[must_use]
    pub fn decimal(&self, suffix: Suffix) -> Option<Decimal> {
        self.get(suffix).and_then(Decimal::parse)
    }

    /// `-Rtd` as an exact decimal.
    #[must_use]
    pub fn rtd_decimal(&self) -> Option<Decimal> {
        self.decimal(Suffix::Rtd)
    }

    /// `-Avg` as an exact decimal.
    #[must_use]
    pub fn avg_decimal(&self) -> Option<Decimal> {
        self.decimal(Suffix::Avg)
    }

    /// `-Min` as an exact decimal.
    #[must_use]
    pub fn min_decimal(&self) -> Option<Decimal> {
        self.decimal(Suffix::Min)
    }

    /// `-Max` as an exact decimal.
    #[must_use]
    pub fn max_decimal(&self) -> Option<Decimal> {
        self.decimal(Suffix::Max)
    }

    /// `-Cou` as an exact decimal.
    #[must_use]
    pub fn cou_decimal(&self) -> Option<Decimal> {
        self.decimal(Suffix::Cou)
    }

    /// `-Flag` as a Table 8 flag (`None` if absent or an extension letter).
    #[must_use]
    pub fn data_flag(&self) -> Option<DataFlag> {
        self.flag.as_deref().and_then(DataFlag::parse)
    }

    /// `-SampleTime` as a timestamp.
    #[must_use]
    pub fn sample_time_value(&self) -> Option<DataTime> {
        self.sample_time.as_deref().and_then(|t| DataTime::parse(t).ok())
    }

    /// Present suffixes in [`Suffix::ALL`] order with their text.
    pub fn iter(&self) -> impl Iterator<Item = (Suffix, &str)> + '_ {
        Suffix::ALL.iter().filter_map(|s| self.get(*s).map(|v| (*s, v)))
    }

    /// No field at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none() && self.extra.is_empty()
    }
}

/// CP keys outside factor fields whose values are timestamps (Table 4).
const TIME_KEYS: [&str; 4] = ["SystemTime", "RestartTime", "BeginTime", "EndTime"];
/// CP keys outside factor fields whose values are integers (Table 4).
const INTEGER_KEYS: [&str; 8] =
    ["QnRtn", "ExeRtn", "RtdInterval", "MinInterval", "OverTime", "ReCount", "Ctime", "Stime"];

/// Two split-packet parts disagree on a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeConflict {
    /// The key, e.g. `DataTime` or `a21026-Avg`.
    pub key: String,
}

impl fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "split-packet parts disagree on {}", self.key)
    }
}

impl std::error::Error for MergeConflict {}

/// A parsed CP area.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Cp {
    /// `DataTime`: sampling instant for 2011/2021, period *start* for 2051/2061/2031/2041.
    pub data_time: Option<DataTime>,
    /// Factor fields by factor code (as written, case-sensitive).
    pub factors: BTreeMap<String, FactorValues>,
    /// Every other `key=value` item, in order (`RtdInterval`, `QnRtn`, `RestartTime`, a bare
    /// `Flag`, …).
    pub other: Vec<(String, String)>,
}

impl Cp {
    /// Parse the text between `CP=&&` and the closing `&&`, ignoring deviations.
    pub fn parse(inner: &str) -> Result<Self, PacketError> {
        Self::parse_recording(inner, &mut Vec::new())
    }

    /// Parse the text between `CP=&&` and the closing `&&`, appending tolerated deviations.
    pub fn parse_recording(inner: &str, deviations: &mut Vec<Deviation>) -> Result<Self, PacketError> {
        let mut cp = Cp::default();
        if inner.is_empty() {
            return Ok(cp);
        }
        let groups: Vec<&str> = inner.split(';').collect();
        let last = groups.len() - 1;
        for (gi, group) in groups.iter().enumerate() {
            if group.is_empty() {
                if gi == last && gi > 0 {
                    deviations.push(Deviation::TrailingSemicolon);
                    continue;
                }
                return Err(PacketError::EmptyCpItem);
            }
            for item in group.split(',') {
                cp.add_item(item, deviations)?;
            }
        }
        Ok(cp)
    }

    fn add_item(&mut self, item: &str, deviations: &mut Vec<Deviation>) -> Result<(), PacketError> {
        if item.is_empty() {
            return Err(PacketError::EmptyCpItem);
        }
        let Some((key, value)) = item.split_once('=') else {
            return Err(PacketError::MalformedCpItem { item: quote(item) });
        };
        if key.is_empty() {
            return Err(PacketError::MalformedCpItem { item: quote(item) });
        }
        if key == "DataTime" {
            if self.data_time.is_some() {
                return Err(PacketError::DuplicateCpKey { key: key.to_string() });
            }
            ValueKind::Time.check(key, value, deviations)?;
            self.data_time = DataTime::parse(value).ok();
            return Ok(());
        }
        if let Some((code, suffix_text)) = key.split_once('-') {
            if code.is_empty() || suffix_text.is_empty() {
                return Err(PacketError::MalformedCpItem { item: quote(item) });
            }
            let values = self.factors.entry(code.to_string()).or_default();
            match Suffix::parse_lenient(suffix_text) {
                Some((suffix, exact)) => {
                    suffix.kind().check(key, value, deviations)?;
                    if !exact {
                        deviations.push(Deviation::SuffixCase { key: key.to_string() });
                    }
                    let slot = values.slot_mut(suffix);
                    if slot.is_some() {
                        return Err(PacketError::DuplicateCpKey { key: quote(key) });
                    }
                    *slot = Some(value.to_string());
                }
                None => {
                    if values.extra.insert(suffix_text.to_string(), value.to_string()).is_some() {
                        return Err(PacketError::DuplicateCpKey { key: quote(key) });
                    }
                }
            }
            return Ok(());
        }
        if key == "Flag" {
            // eco-monitoring §1.12, vector V08: `a34001-Rtd=92;Flag=N`.
            deviations.push(Deviation::BareFlag { value: quote(value) });
        } else if TIME_KEYS.contains(&key) {
            ValueKind::Time.check(key, value, deviations)?;
        } else if INTEGER_KEYS.contains(&key) {
            ValueKind::Integer.check(key, value, deviations)?;
        }
        self.other.push((key.to_string(), value.to_string()));
        Ok(())
    }

    /// The first value of a non-factor key (`DataTime` included).
    #[must_use]
    pub fn get(&self, key: &str) -> Option<String> {
        if key == "DataTime" {
            return self.data_time.map(|t| t.to_string());
        }
        self.other.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    /// A timestamp-valued key (`DataTime`, `RestartTime`, `SystemTime`, `BeginTime`, `EndTime`).
    #[must_use]
    pub fn time(&self, key: &str) -> Option<DataTime> {
        if key == "DataTime" {
            return self.data_time;
        }
        self.other.iter().find(|(k, _)| k == key).and_then(|(_, v)| DataTime::parse(v).ok())
    }

    /// An integer-valued key (`RtdInterval`, `QnRtn`, …).
    #[must_use]
    pub fn integer(&self, key: &str) -> Option<u32> {
        self.other.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.parse().ok())
    }

    /// `QnRtn` of a 9011 answer.
    #[must_use]
    pub fn qn_rtn(&self) -> Option<QnRtn> {
        self.integer("QnRtn").and_then(|c| u8::try_from(c).ok()).and_then(QnRtn::from_code)
    }

    /// `ExeRtn` of a 9012 result.
    #[must_use]
    pub fn exe_rtn(&self) -> Option<ExeRtn> {
        self.integer("ExeRtn").and_then(|c| u8::try_from(c).ok()).and_then(ExeRtn::from_code)
    }

    /// Set one factor field (builder use; the value is not validated here).
    pub fn set(&mut self, code: &str, suffix: Suffix, value: impl Into<String>) -> &mut Self {
        *self.factors.entry(code.to_string()).or_default().slot_mut(suffix) = Some(value.into());
        self
    }

    /// The CP text (without `CP=&&`/`&&`): `DataTime` first, then one `;` group per factor with
    /// its fields in [`Suffix::ALL`] order joined by `,`, then the other items.
    ///
    /// Parsing the result gives back an equal `Cp` for any `Cp` that came from parsing.
    #[must_use]
    pub fn to_text(&self) -> String {
        let mut groups: Vec<String> = Vec::new();
        if let Some(t) = self.data_time {
            groups.push(format!("DataTime={t}"));
        }
        for (code, values) in &self.factors {
            let items: Vec<String> = values
                .iter()
                .map(|(s, v)| format!("{code}-{s}={v}"))
                .chain(values.extra.iter().map(|(s, v)| format!("{code}-{s}={v}")))
                .collect();
            if !items.is_empty() {
                groups.push(items.join(","));
            }
        }
        groups.extend(self.other.iter().map(|(k, v)| format!("{k}={v}")));
        groups.join(";")
    }

    /// Merge another part of a split packet into this one. `DataTime` must agree where both
    /// have it; a factor field present in both must have the same text; other items are
    /// appended.
    pub fn merge(&mut self, part: &Cp) -> Result<(), MergeConflict> {
        match (self.data_time, part.data_time) {
            (Some(a), Some(b)) if a != b => return Err(MergeConflict { key: "DataTime".into() }),
            (None, Some(b)) => self.data_time = Some(b),
            _ => {}
        }
        for (code, values) in &part.factors {
            let mine = self.factors.entry(code.clone()).or_default();
            for (suffix, v) in values.iter() {
                let slot = mine.slot_mut(suffix);
                match slot.as_deref() {
                    Some(existing) if existing != v => {
                        return Err(MergeConflict { key: format!("{code}-{suffix}") });
                    }
                    Some(_) => {}
                    None => *slot = Some(v.to_string()),
                }
            }
            for (s, v) in &values.extra {
                match mine.extra.get(s) {
                    Some(existing) if existing != v => return Err(MergeConflict { key: format!("{code}-{s}") }),
                    Some(_) => {}
                    None => {
                        mine.extra.insert(s.clone(), v.clone());
                    }
                }
            }
        }
        self.other.extend(part.other.iter().cloned());
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const V02: &str = "DataTime=20220513162600;a21004-Avg=4,a21004-Flag=N;a05024-Avg=63,a05024-Flag=N;a21026-Avg=6,a21026-Flag=N;a21005-Avg=0.427,a21005-Flag=N";

    #[test]
    fn parses_minute_data() {
        let mut dev = Vec::new();
        let cp = Cp::parse_recording(V02, &mut dev).unwrap();
        assert!(dev.is_empty());
        assert_eq!(cp.data_time.unwrap().to_string(), "20220513162600");
        assert_eq!(cp.factors.len(), 4);
        let co = &cp.factors["a21005"];
        assert_eq!(co.avg.as_deref(), Some("0.427"));
        assert_eq!(co.avg_decimal().map(Decimal::parts), Some((427, 3)));
        assert_eq!(co.data_flag(), Some(DataFlag::N));
        assert_eq!(Cp::parse(&cp.to_text()).unwrap(), cp);
    }

    #[test]
    fn tolerated_deviations() {
        let mut dev = Vec::new();
        let cp = Cp::parse_recording("DataTime=20160824003817000;A18-flag=N;a34001-Rtd=92;Flag=N;", &mut dev).unwrap();
        assert_eq!(
            dev,
            vec![
                Deviation::TimeWithMillis { key: "DataTime".into() },
                Deviation::SuffixCase { key: "A18-flag".into() },
                Deviation::BareFlag { value: "N".into() },
                Deviation::TrailingSemicolon,
            ]
        );
        assert_eq!(cp.factors["A18"].flag.as_deref(), Some("N"));
        assert_eq!(cp.other, vec![("Flag".to_string(), "N".to_string())]);
        assert_eq!(cp.data_time.unwrap().millis(), Some(0));
    }

    #[test]
    fn unknown_suffixes_and_other_keys() {
        let cp = Cp::parse("LA-td=50.1,LA-Flag=N;RtdInterval=30;RestartTime=20231007130452;PolId=w01018").unwrap();
        assert_eq!(cp.factors["LA"].extra.get("td").map(String::as_str), Some("50.1"));
        assert_eq!(cp.integer("RtdInterval"), Some(30));
        assert_eq!(cp.time("RestartTime").unwrap().to_string(), "20231007130452");
        assert_eq!(cp.get("PolId").as_deref(), Some("w01018"));
        let json = serde_json::to_value(&cp.factors["LA"]).unwrap();
        assert_eq!(json, serde_json::json!({"Flag": "N", "td": "50.1"}));
    }

    #[test]
    fn errors() {
        let code = |s: &str| Cp::parse(s).unwrap_err().code();
        assert_eq!(code(";a=1"), "empty_cp_item");
        assert_eq!(code("a=1;;b=2"), "empty_cp_item");
        assert_eq!(code("a=1,"), "empty_cp_item");
        assert_eq!(code(";"), "empty_cp_item");
        assert_eq!(code("novalue"), "malformed_cp_item");
        assert_eq!(code("=1"), "malformed_cp_item");
        assert_eq!(code("-Rtd=1"), "malformed_cp_item");
        assert_eq!(code("a21026-Rtd=abc"), "invalid_cp_value");
        assert_eq!(code("a21026-Rtd="), "invalid_cp_value");
        assert_eq!(code("a21026-Flag=NN"), "invalid_cp_value");
        assert_eq!(code("a21026-SampleTime=20230230000000"), "invalid_cp_value");
        assert_eq!(code("DataTime=2023"), "invalid_cp_value");
        assert_eq!(code("QnRtn=x"), "invalid_cp_value");
        assert_eq!(code("DataTime=20230101000000;DataTime=20230101000000"), "duplicate_cp_key");
        assert_eq!(code("a21026-Rtd=1,a21026-rtd=2"), "duplicate_cp_key");
        assert_eq!(code("x-foo=1,x-foo=2"), "duplicate_cp_key");
        assert!(Cp::parse("").unwrap().factors.is_empty());
    }

    #[test]
    fn extension_flags_are_kept() {
        let cp = Cp::parse("a21026-Rtd=1,a21026-Flag=H").unwrap();
        assert_eq!(cp.factors["a21026"].flag.as_deref(), Some("H"));
        assert_eq!(cp.factors["a21026"].data_flag(), None);
    }

    #[test]
    fn merge_parts() {
        let mut a = Cp::parse("DataTime=20240101000000;a21026-Avg=5,a21026-Flag=N").unwrap();
        let b = Cp::parse("DataTime=20240101000000;a21004-Avg=7;a21026-Flag=N").unwrap();
        a.merge(&b).unwrap();
        assert_eq!(a.factors.len(), 2);
        let c = Cp::parse("DataTime=20240101010000").unwrap();
        assert_eq!(a.clone().merge(&c), Err(MergeConflict { key: "DataTime".into() }));
        let d = Cp::parse("a21026-Avg=6").unwrap();
        assert_eq!(a.merge(&d).unwrap_err().key, "a21026-Avg");
    }
}
