//! How serious a dishonest act (失信行为) is.
//!
//! The grades come from the national documents of §4.3 of the reference: 发改办财金〔2019〕527号
//! distinguishes 一般失信 / 严重失信 and singles out 特定严重失信 (published the full period, not
//! repairable); the 2026 《信用修复管理办法》 adds 轻微失信 (not published in principle). The grade is
//! decided by the penalising authority; we store it with each penalty because it drives the
//! publication window.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::RuleError;

/// Severity of the dishonest act behind a penalty, mildest first (so `Ord` ranks by seriousness).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 轻微失信 (2026 regime only; treated as 一般 by earlier regimes).
    Minor,
    /// 一般失信.
    General,
    /// 严重失信.
    Serious,
    /// 特定严重失信: e.g. 停产停业/吊销 in food, drugs, environment, safety.
    SpecialSerious,
}

impl Severity {
    /// Every severity, mildest first.
    pub const ALL: [Severity; 4] = [Severity::Minor, Severity::General, Severity::Serious, Severity::SpecialSerious];

    /// The serde / config spelling, e.g. `"special_serious"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minor => "minor",
            Severity::General => "general",
            Severity::Serious => "serious",
            Severity::SpecialSerious => "special_serious",
        }
    }

    /// The Chinese name used in import sheets and public pages, e.g. `"特定严重"`.
    pub fn name_zh(self) -> &'static str {
        match self {
            Severity::Minor => "轻微",
            Severity::General => "一般",
            Severity::Serious => "严重",
            Severity::SpecialSerious => "特定严重",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = RuleError;

    /// Accepts the English codes (any ASCII case) and the Chinese names, with or without the
    /// suffix 失信 (sheets write both "严重" and "严重失信").
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let zh = t.strip_suffix("失信").unwrap_or(t);
        let found = match (t.to_ascii_lowercase().as_str(), zh) {
            ("minor", _) | (_, "轻微") => Severity::Minor,
            ("general", _) | (_, "一般") => Severity::General,
            ("serious", _) | (_, "严重") => Severity::Serious,
            ("special_serious", _) | (_, "特定严重") => Severity::SpecialSerious,
            _ => return Err(RuleError::UnknownSeverity(t.to_owned())),
        };
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_spelling() {
        for s in Severity::ALL {
            assert_eq!(s.as_str().parse::<Severity>(), Ok(s));
            assert_eq!(s.name_zh().parse::<Severity>(), Ok(s));
            assert_eq!(format!("{}失信", s.name_zh()).parse::<Severity>(), Ok(s));
        }
        assert_eq!(" Serious ".parse::<Severity>(), Ok(Severity::Serious));
        assert!("grave".parse::<Severity>().is_err());
        assert!("".parse::<Severity>().is_err());
    }

    #[test]
    fn serde_is_snake_case() -> Result<(), serde_json::Error> {
        let s = serde_json::to_string(&Severity::SpecialSerious)?;
        assert_eq!(s, "\"special_serious\"");
        assert_eq!(serde_json::from_str::<Severity>(&s)?, Severity::SpecialSerious);
        Ok(())
    }
}
