//! The twelve AQI indicators: a pollutant and its averaging time.

use std::fmt;
use std::str::FromStr;

use serde::{de, Deserialize, Deserializer, Serialize, Serializer};

use crate::error::AqiError;

/// One AQI indicator: pollutant × averaging time. Concentrations are µg/m³, CO in mg/m³.
///
/// `*_24h` is the 24-hour (2026: "日平均" daily) mean, or in a real-time report the 24-h
/// moving average; `o3_8h` is the (daily maximum) 8-hour moving average; `*_1h` the 1-hour mean
/// (for O3 in a daily report: the daily maximum 1-hour mean).
#[allow(non_camel_case_types)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Pollutant {
    /// SO2 1-hour mean.
    So2_1h,
    /// SO2 24-hour mean.
    So2_24h,
    /// NO2 1-hour mean.
    No2_1h,
    /// NO2 24-hour mean.
    No2_24h,
    /// CO 1-hour mean (mg/m³).
    Co_1h,
    /// CO 24-hour mean (mg/m³).
    Co_24h,
    /// O3 1-hour mean (daily report: daily max 1-h).
    O3_1h,
    /// O3 8-hour moving average (daily report: daily max 8-h).
    O3_8h,
    /// PM10 1-hour mean.
    Pm10_1h,
    /// PM10 24-hour mean.
    Pm10_24h,
    /// PM2.5 1-hour mean.
    Pm25_1h,
    /// PM2.5 24-hour mean.
    Pm25_24h,
}

use Pollutant as P;

/// key, substance, Chinese name, English name.
const TABLE: [(P, &str, &str, &str, &str); 12] = [
    (P::So2_1h, "so2_1h", "SO2", "二氧化硫（SO₂）1小时平均", "sulphur dioxide (SO2) 1-hour mean"),
    (P::So2_24h, "so2_24h", "SO2", "二氧化硫（SO₂）24小时平均", "sulphur dioxide (SO2) 24-hour mean"),
    (P::No2_1h, "no2_1h", "NO2", "二氧化氮（NO₂）1小时平均", "nitrogen dioxide (NO2) 1-hour mean"),
    (P::No2_24h, "no2_24h", "NO2", "二氧化氮（NO₂）24小时平均", "nitrogen dioxide (NO2) 24-hour mean"),
    (P::Co_1h, "co_1h", "CO", "一氧化碳（CO）1小时平均", "carbon monoxide (CO) 1-hour mean"),
    (P::Co_24h, "co_24h", "CO", "一氧化碳（CO）24小时平均", "carbon monoxide (CO) 24-hour mean"),
    (P::O3_1h, "o3_1h", "O3", "臭氧（O₃）1小时平均", "ozone (O3) 1-hour mean"),
    (P::O3_8h, "o3_8h", "O3", "臭氧（O₃）8小时滑动平均", "ozone (O3) 8-hour moving average"),
    (P::Pm10_1h, "pm10_1h", "PM10", "颗粒物（粒径小于等于10μm）1小时平均", "PM10 1-hour mean"),
    (P::Pm10_24h, "pm10_24h", "PM10", "颗粒物（粒径小于等于10μm）24小时平均", "PM10 24-hour mean"),
    (P::Pm25_1h, "pm25_1h", "PM2.5", "颗粒物（粒径小于等于2.5μm）1小时平均", "PM2.5 1-hour mean"),
    (P::Pm25_24h, "pm25_24h", "PM2.5", "颗粒物（粒径小于等于2.5μm）24小时平均", "PM2.5 24-hour mean"),
];

impl Pollutant {
    /// All twelve, in key order of the table above.
    pub const ALL: [Pollutant; 12] = [
        P::So2_1h,
        P::So2_24h,
        P::No2_1h,
        P::No2_24h,
        P::Co_1h,
        P::Co_24h,
        P::O3_1h,
        P::O3_8h,
        P::Pm10_1h,
        P::Pm10_24h,
        P::Pm25_1h,
        P::Pm25_24h,
    ];

    fn row(self) -> (P, &'static str, &'static str, &'static str, &'static str) {
        TABLE[self as usize]
    }

    /// Stable key, e.g. `pm25_24h`.
    #[must_use]
    pub fn key(self) -> &'static str {
        self.row().1
    }

    /// The substance: `SO2`, `NO2`, `CO`, `O3`, `PM10`, `PM2.5`.
    #[must_use]
    pub fn substance(self) -> &'static str {
        self.row().2
    }

    /// Chinese name, e.g. `颗粒物（粒径小于等于2.5μm）24小时平均`.
    #[must_use]
    pub fn name_zh(self) -> &'static str {
        self.row().3
    }

    /// English name, e.g. `PM2.5 24-hour mean`.
    #[must_use]
    pub fn name_en(self) -> &'static str {
        self.row().4
    }

    /// Concentration unit: `mg/m³` for CO, `µg/m³` otherwise.
    #[must_use]
    pub fn unit(self) -> &'static str {
        match self {
            P::Co_1h | P::Co_24h => "mg/m³",
            _ => "µg/m³",
        }
    }

    /// Parse a key. Case-insensitive; `-` for `_` and `pm2.5`/`pm2_5` for `pm25` are accepted.
    pub fn parse_key(key: &str) -> Result<Pollutant, AqiError> {
        let k = key.trim().to_ascii_lowercase().replace('-', "_").replace("pm2.5", "pm25").replace("pm2_5", "pm25");
        TABLE.iter().find(|row| row.1 == k).map(|row| row.0).ok_or_else(|| AqiError::UnknownKey {
            kind: "pollutant",
            found: key.to_string(),
            expected: TABLE.iter().map(|row| row.1).collect::<Vec<_>>().join(", "),
        })
    }
}

impl fmt::Display for Pollutant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Pollutant {
    type Err = AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pollutant::parse_key(s)
    }
}

/// Serialised as its key.
impl Serialize for Pollutant {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

impl<'de> Deserialize<'de> for Pollutant {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        Pollutant::parse_key(&s).map_err(de::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn table_rows_match_variants() {
        for (i, p) in Pollutant::ALL.iter().enumerate() {
            assert_eq!(TABLE[i].0, *p);
            assert_eq!(Pollutant::parse_key(p.key()).unwrap(), *p);
        }
    }

    #[test]
    fn parse_key_is_lenient_on_spelling_only() {
        assert_eq!(Pollutant::parse_key("PM2.5_24h").unwrap(), P::Pm25_24h);
        assert_eq!(Pollutant::parse_key("pm2_5-1h").unwrap(), P::Pm25_1h);
        assert_eq!(Pollutant::parse_key(" O3_8H ").unwrap(), P::O3_8h);
        let e = Pollutant::parse_key("pm25").unwrap_err();
        assert_eq!(e.code(), "unknown_key");
        assert!(e.to_string().starts_with("unknown pollutant key \"pm25\": expected one of so2_1h, so2_24h"));
    }

    #[test]
    fn units_and_names() {
        assert_eq!(P::Co_24h.unit(), "mg/m³");
        assert_eq!(P::O3_8h.unit(), "µg/m³");
        assert_eq!(P::Pm25_24h.substance(), "PM2.5");
        assert_eq!(P::So2_1h.name_en(), "sulphur dioxide (SO2) 1-hour mean");
        assert_eq!(serde_json::to_string(&P::Pm25_24h).unwrap(), "\"pm25_24h\"");
    }
}
