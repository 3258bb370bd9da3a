//! Data flags, the value of `xxxxxx-Flag` (HJ 212-2017 Table 8 "数据标记（可扩充）", §6.3.3).
//!
//! Table 8 is extensible, so the CP parser keeps any one-character flag as text; [`DataFlag`]
//! covers the eight letters the standard defines, and an unknown letter should be treated as
//! "not a normal measurement".
//!
//! Only `N` values are normal measurements. The research note (eco-monitoring §1.10) advises
//! alerting on `N` (and possibly `T`) only and treating `F`/`M`/`S`/`D`/`C`/`B` as invalid for
//! AQI and water-class evaluation.

use std::fmt;

use serde::{Serialize, Serializer};

/// A Table 8 data flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataFlag {
    /// `N` — instrument working normally.
    N,
    /// `F` — instrument stopped.
    F,
    /// `M` — instrument in maintenance.
    M,
    /// `S` — manually entered set value.
    S,
    /// `D` — instrument fault.
    D,
    /// `C` — instrument calibrating.
    C,
    /// `T` — value over the upper measurement limit.
    T,
    /// `B` — logger ↔ instrument communication abnormal.
    B,
}

impl DataFlag {
    /// All flags in Table 8 order.
    pub const ALL: [DataFlag; 8] = [Self::N, Self::F, Self::M, Self::S, Self::D, Self::C, Self::T, Self::B];

    /// Parse the one-letter flag (case-sensitive, as Table 8 writes it).
    #[must_use]
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == text)
    }

    /// The letter.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::N => "N",
            Self::F => "F",
            Self::M => "M",
            Self::S => "S",
            Self::D => "D",
            Self::C => "C",
            Self::T => "T",
            Self::B => "B",
        }
    }

    /// Chinese meaning (short form of Table 8).
    #[must_use]
    pub fn name_zh(self) -> &'static str {
        match self {
            Self::N => "在线监控（监测）仪器仪表工作正常",
            Self::F => "在线监控（监测）仪器仪表停运",
            Self::M => "在线监控（监测）仪器仪表处于维护期间产生的数据",
            Self::S => "手工输入的设定值",
            Self::D => "在线监控（监测）仪器仪表故障",
            Self::C => "在线监控（监测）仪器仪表处于校准状态",
            Self::T => "在线监控（监测）仪器仪表采样数值超过测量上限",
            Self::B => "在线监控（监测）仪器仪表与数采仪通讯异常",
        }
    }

    /// English meaning.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        match self {
            Self::N => "normal",
            Self::F => "instrument stopped",
            Self::M => "maintenance period",
            Self::S => "manually entered set value",
            Self::D => "instrument fault",
            Self::C => "calibration",
            Self::T => "over upper measurement limit",
            Self::B => "logger-instrument communication abnormal",
        }
    }

    /// `N`: a normal measurement.
    #[must_use]
    pub fn is_normal(self) -> bool {
        self == Self::N
    }

    /// `F`, `M`, `S`, `D`, `C` or `B`: not a measurement to evaluate (AQI, water class, alerts).
    /// `T` is a real but clipped measurement and is left to the caller.
    #[must_use]
    pub fn is_invalid_for_evaluation(self) -> bool {
        !matches!(self, Self::N | Self::T)
    }
}

impl fmt::Display for DataFlag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for DataFlag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parse_all_and_only_table_8() {
        for f in DataFlag::ALL {
            assert_eq!(DataFlag::parse(f.as_str()), Some(f));
            assert!(!f.name_zh().is_empty() && !f.name_en().is_empty());
        }
        for bad in ["n", "", "NN", "X", "P"] {
            assert_eq!(DataFlag::parse(bad), None);
        }
        assert!(DataFlag::N.is_normal());
        assert!(!DataFlag::T.is_invalid_for_evaluation());
        assert!(DataFlag::D.is_invalid_for_evaluation());
    }
}
