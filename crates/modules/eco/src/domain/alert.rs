//! Early-warning rules and alerts: what a rule watches and when it fires (pure).

use qy_kernel::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A factor's value above `threshold`.
    Threshold,
    /// A factor's change per hour above `threshold` (absolute).
    Rate,
    /// No packet for `minutes`.
    Silent,
    /// Hourly AQI level at or above `threshold` (1–6).
    AqiLevel,
    /// Hourly water class worse than the station's target, or at or above `threshold`.
    WaterClass,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Threshold => "threshold",
            Self::Rate => "rate",
            Self::Silent => "silent",
            Self::AqiLevel => "aqi_level",
            Self::WaterClass => "water_class",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "threshold" => Self::Threshold,
            "rate" => Self::Rate,
            "silent" => Self::Silent,
            "aqi_level" => Self::AqiLevel,
            "water_class" => Self::WaterClass,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub kind: RuleKind,
    /// The rule covers stations inside this region's subtree.
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub station_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub factor: Option<String>,
    /// `rtd`, `minute`, `hour` or `day` (threshold and rate rules).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// Decimal text; meaning depends on the kind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Who to tell: `sms:13800000000`, `email:duty@example.cn`, comma-separated.
    pub notify: Vec<String>,
    pub enabled: bool,
    pub created_at: i64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRule {
    pub name: String,
    pub kind: RuleKind,
    pub region_code: String,
    #[serde(default)]
    pub station_id: Option<String>,
    #[serde(default)]
    pub factor: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
    #[serde(default)]
    pub threshold: Option<String>,
    #[serde(default)]
    pub minutes: Option<i64>,
    #[serde(default)]
    pub notify: Vec<String>,
}

impl NewRule {
    pub fn validate(&self) -> Result<()> {
        let bad = |detail: &str| Err(Error::bad_request("eco.invalid_rule", detail.to_owned()));
        if !(1..=100).contains(&self.name.trim().chars().count()) {
            return bad("rule names need 1–100 characters");
        }
        let number = self.threshold.as_deref().map(parse_decimal);
        match self.kind {
            RuleKind::Threshold | RuleKind::Rate => {
                if self.factor.as_deref().is_none_or(str::is_empty) {
                    return bad("threshold and rate rules need a factor code, e.g. a34004");
                }
                if !matches!(self.period.as_deref(), Some("rtd" | "minute" | "hour" | "day")) {
                    return bad("threshold and rate rules need a period: rtd, minute, hour or day");
                }
                if !matches!(number, Some(Some(_))) {
                    return bad("threshold and rate rules need a numeric threshold");
                }
            }
            RuleKind::Silent => {
                if !self.minutes.is_some_and(|m| (1..=7 * 24 * 60).contains(&m)) {
                    return bad("silent rules need minutes between 1 and 10080");
                }
            }
            RuleKind::AqiLevel => {
                if !matches!(number, Some(Some(v)) if (1.0..=6.0).contains(&v)) {
                    return bad("AQI rules need a level between 1 and 6 as threshold");
                }
            }
            RuleKind::WaterClass => {
                if matches!(number, Some(None)) || matches!(number, Some(Some(v)) if !(1.0..=6.0).contains(&v)) {
                    return bad("water-class rules take no threshold (the station's target) or a class 1–6");
                }
            }
        }
        for n in &self.notify {
            if !(n.starts_with("sms:") || n.starts_with("email:")) || n.len() > 200 {
                return bad("notify entries look like sms:13800000000 or email:duty@example.cn");
            }
        }
        Ok(())
    }
}

/// Decimal text → f64 for comparisons (thresholds are operator-entered limits, not money).
pub fn parse_decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    let ok =
        !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && t.matches('.').count() <= 1;
    if ok {
        t.parse().ok()
    } else {
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Acknowledged,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Acknowledged => "acknowledged",
            Self::Closed => "closed",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "open" => Self::Open,
            "acknowledged" => Self::Acknowledged,
            "closed" => Self::Closed,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Alert {
    pub id: String,
    pub rule_id: String,
    pub rule_name: String,
    pub kind: RuleKind,
    pub station_id: String,
    pub station_name: String,
    pub region_code: String,
    pub status: Status,
    pub opened_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignee: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Note {
    pub at: i64,
    pub author: String,
    pub text: String,
}

/// Does a value breach a threshold or rate rule? `previous` is (value, time) of the value before.
pub fn breaches(rule: &Rule, value: f64, time_ms: i64, previous: Option<(f64, i64)>) -> bool {
    let Some(limit) = rule.threshold.as_deref().and_then(parse_decimal) else { return false };
    match rule.kind {
        RuleKind::Threshold => value > limit,
        RuleKind::Rate => match previous {
            Some((prev, at)) if time_ms > at => {
                let hours = (time_ms - at) as f64 / 3_600_000.0;
                ((value - prev) / hours).abs() > limit
            }
            _ => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: RuleKind, threshold: &str) -> Rule {
        Rule {
            id: "r".into(),
            name: "n".into(),
            kind,
            region_code: "630000".into(),
            station_id: None,
            factor: Some("a34004".into()),
            period: Some("hour".into()),
            threshold: Some(threshold.into()),
            minutes: None,
            notify: vec![],
            enabled: true,
            created_at: 0,
        }
    }

    #[test]
    fn threshold_fires_strictly_above() {
        let r = rule(RuleKind::Threshold, "150");
        assert!(!breaches(&r, 150.0, 0, None));
        assert!(breaches(&r, 151.0, 0, None));
    }

    #[test]
    fn rate_is_per_hour_and_needs_a_previous_value() {
        let r = rule(RuleKind::Rate, "50");
        assert!(!breaches(&r, 200.0, 3_600_000, None));
        assert!(breaches(&r, 120.0, 3_600_000, Some((60.0, 0))));
        assert!(!breaches(&r, 120.0, 7_200_000, Some((60.0, 0))), "60 in two hours is 30/h");
        assert!(breaches(&r, 10.0, 1_800_000, Some((60.0, 0))), "falls count too");
    }

    #[test]
    fn new_rules_are_checked_for_their_kind() {
        let base = NewRule {
            name: "PM2.5 high".into(),
            kind: RuleKind::Threshold,
            region_code: "630000".into(),
            station_id: None,
            factor: Some("a34004".into()),
            period: Some("hour".into()),
            threshold: Some("150".into()),
            minutes: None,
            notify: vec!["sms:13800000000".into()],
        };
        assert!(base.validate().is_ok());
        assert!(NewRule { threshold: Some("lots".into()), ..base.clone() }.validate().is_err());
        assert!(NewRule { kind: RuleKind::Silent, minutes: None, ..base.clone() }.validate().is_err());
        assert!(NewRule { kind: RuleKind::Silent, minutes: Some(10), ..base.clone() }.validate().is_ok());
        assert!(NewRule { notify: vec!["pager:1".into()], ..base.clone() }.validate().is_err());
        assert!(NewRule { kind: RuleKind::AqiLevel, threshold: Some("7".into()), ..base }.validate().is_err());
    }
}
