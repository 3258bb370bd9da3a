//! Which AQI standard applies, and which averaging period is being reported.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::error::AqiError;

/// The China AQI technical regulation in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Standard {
    /// HJ 633-2012 环境空气质量指数（AQI）技术规定（试行): in force 2016-01-01, repealed
    /// 2026-03-01.
    Hj633_2012,
    /// HJ 633-2026 环境空气质量指数（AQI）技术规定: issued 2026-02-14, in force 2026-03-01.
    Hj633_2026,
}

/// 2026-03-01 00:00 Asia/Shanghai (UTC+8) = 2026-02-28T16:00:00Z, in Unix milliseconds: the
/// moment HJ 633-2026 enters into force and HJ 633-2012 is repealed.
pub const HJ633_2026_IN_FORCE_MS: i64 = 1_772_294_400_000;

impl Standard {
    /// Both standards, oldest first.
    pub const ALL: [Standard; 2] = [Standard::Hj633_2012, Standard::Hj633_2026];

    /// The standard valid at a measurement's timestamp (Unix milliseconds): HJ 633-2026 from
    /// 2026-03-01 00:00 China Standard Time on, HJ 633-2012 before. History must be computed
    /// with the version valid at the data's own time, not today's.
    #[must_use]
    pub fn for_time(epoch_ms: i64) -> Standard {
        if epoch_ms >= HJ633_2026_IN_FORCE_MS {
            Standard::Hj633_2026
        } else {
            Standard::Hj633_2012
        }
    }

    /// Stable key: `hj633-2012` or `hj633-2026`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Standard::Hj633_2012 => "hj633-2012",
            Standard::Hj633_2026 => "hj633-2026",
        }
    }

    /// Title as printed on the standard.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Standard::Hj633_2012 => "HJ 633-2012 环境空气质量指数（AQI）技术规定（试行）",
            Standard::Hj633_2026 => "HJ 633-2026 环境空气质量指数（AQI）技术规定",
        }
    }

    /// Parse `hj633-2012` / `hj633-2026`; case, spaces, `_` and a bare year (`2012`) are
    /// tolerated.
    pub fn parse(name: &str) -> Result<Standard, AqiError> {
        let k: String = name.trim().to_ascii_lowercase().chars().filter(|c| !matches!(c, ' ' | '_' | '-')).collect();
        match k.as_str() {
            "hj6332012" | "2012" => Ok(Standard::Hj633_2012),
            "hj6332026" | "2026" => Ok(Standard::Hj633_2026),
            _ => Err(AqiError::UnknownStandard { found: name.to_string() }),
        }
    }
}

impl fmt::Display for Standard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Standard {
    type Err = AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Standard::parse(s)
    }
}

impl Serialize for Standard {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

/// The report being computed: the daily report (日报) or the real-time hourly report (实时报).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// Daily report: 24-h / daily means, O3 daily max 8-h moving average (and, in 2012 only, O3
    /// daily max 1-h).
    Daily,
    /// Real-time (hourly) report.
    Hourly,
}

impl Period {
    /// Both periods.
    pub const ALL: [Period; 2] = [Period::Daily, Period::Hourly];

    /// Stable key: `daily` or `hourly`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Hourly => "hourly",
        }
    }

    /// Parse `daily` / `hourly` (also `day`, `24h`, `hour`, `1h`, `realtime`, `real-time`).
    pub fn parse(name: &str) -> Result<Period, AqiError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "daily" | "day" | "24h" => Ok(Period::Daily),
            "hourly" | "hour" | "1h" | "realtime" | "real-time" | "real_time" => Ok(Period::Hourly),
            _ => Err(AqiError::UnknownPeriod { found: name.to_string() }),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Period {
    type Err = AqiError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Period::parse(s)
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.key())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn in_force_constant_is_shanghai_midnight() {
        // 20 513 days from 1970-01-01 to 2026-03-01, minus 8 h for UTC+8.
        assert_eq!(HJ633_2026_IN_FORCE_MS, (20_513 * 86_400 - 8 * 3_600) * 1_000);
    }

    #[test]
    fn parses_names() {
        assert_eq!(Standard::parse("HJ 633-2012").unwrap(), Standard::Hj633_2012);
        assert_eq!(Standard::parse("hj633-2026").unwrap(), Standard::Hj633_2026);
        assert_eq!(Standard::parse("hj633_2026").unwrap(), Standard::Hj633_2026);
        assert_eq!(Standard::parse("hj633-2020").unwrap_err().code(), "unknown_standard");
        assert_eq!(Period::parse(" Hourly ").unwrap(), Period::Hourly);
        assert_eq!(Period::parse("weekly").unwrap_err().code(), "unknown_period");
        for s in Standard::ALL {
            assert_eq!(Standard::parse(s.key()).unwrap(), s);
        }
        for p in Period::ALL {
            assert_eq!(Period::parse(p.key()).unwrap(), p);
        }
    }
}
