//! The configurable numbers of credit practice, in one place: publication regimes, the
//! scoring model, the working-day calendar and the deadlines departments must keep.

use qy_credit_rules::{PublicationPolicy, ScoreModel};
use qy_workcal::{Calendar, Date};

#[derive(Debug, Clone)]
pub struct Policy {
    pub publication: PublicationPolicy,
    pub score: ScoreModel,
    pub calendar: Calendar,
    /// 双公示: decisions go online within this many working days (国发〔2016〕33号).
    pub publication_duty_days: u32,
    /// A department decides on a repair application within this many working days.
    /// The 2026 measure's number was not legible in our sources: configuration, default 15.
    pub repair_decision_days: u32,
    /// A department answers an objection (异议) within this many working days (default 10).
    pub objection_answer_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            publication: PublicationPolicy::default(),
            score: ScoreModel::default(),
            calendar: Calendar::statutory().clone(),
            publication_duty_days: 7,
            repair_decision_days: 15,
            objection_answer_days: 10,
        }
    }
}

/// The policy file (`QY_CREDIT_POLICY`): every key optional, defaults as above.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    publication_duty_days: Option<u32>,
    repair_decision_days: Option<u32>,
    objection_answer_days: Option<u32>,
    /// CSV files (`date,kind,festival`) merged into the statutory calendar: next year's State
    /// Council holiday notice, added each December. Relative to the policy file.
    #[serde(default)]
    calendar_extra: Vec<std::path::PathBuf>,
    publication: Option<PublicationPolicy>,
    score: Option<ScoreModel>,
}

impl Policy {
    /// Reads a policy file; `base` resolves relative calendar paths. Fails with a message
    /// naming the problem; a policy that does not validate is refused, never half-applied.
    pub fn from_toml(text: &str, base: &std::path::Path) -> Result<Policy, String> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| format!("credit policy: {e}"))?;
        let mut policy = Policy::default();
        if let Some(p) = file.publication {
            p.validate().map_err(|e| format!("credit policy [publication]: {e}"))?;
            policy.publication = p;
        }
        if let Some(s) = file.score {
            s.validate().map_err(|e| format!("credit policy [score]: {e}"))?;
            policy.score = s;
        }
        for path in &file.calendar_extra {
            let path = base.join(path);
            let text = std::fs::read_to_string(&path).map_err(|e| format!("credit policy: {}: {e}", path.display()))?;
            let extra = Calendar::from_csv(&text).map_err(|e| format!("credit policy: {}: {e}", path.display()))?;
            policy.calendar.merge(&extra);
        }
        policy.publication_duty_days = file.publication_duty_days.unwrap_or(policy.publication_duty_days);
        policy.repair_decision_days = file.repair_decision_days.unwrap_or(policy.repair_decision_days);
        policy.objection_answer_days = file.objection_answer_days.unwrap_or(policy.objection_answer_days);
        Ok(policy)
    }
}

/// The Beijing calendar date of an instant (China has one time zone and no DST).
pub fn beijing_date(ms: i64) -> Date {
    let secs = ms.div_euclid(1000) + 8 * 3600;
    let days = secs.div_euclid(86_400);
    Date::new(1970, 1, 1)
        .ok()
        .and_then(|epoch| epoch.checked_add(jiff::Span::new().days(days)).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_policy_file_changes_deadlines_and_adds_a_year_of_holidays() {
        let dir = std::env::temp_dir().join(format!("qy-credit-policy-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_default();
        std::fs::write(dir.join("2027.csv"), "date,kind,festival\n2027-01-01,holiday,New Year's Day\n")
            .unwrap_or_default();
        let p = super::Policy::from_toml("repair_decision_days = 20\ncalendar_extra = [\"2027.csv\"]\n", &dir);
        let p = p.unwrap_or_default();
        assert_eq!(p.repair_decision_days, 20);
        let d: qy_workcal::Date = "2026-12-31".parse().unwrap_or_default();
        assert!(!p.calendar.deadline(d, 1).provisional);
        assert!(super::Policy::from_toml("unknown = 1", &dir).is_err());
        let bad = "[[publication.regimes]]\nid = \"x\"\ntitle = \"x\"\nfrom = \"2020-01-01\"\nperiods = []\n";
        assert!(super::Policy::from_toml(bad, &dir).is_err());
    }

    #[test]
    fn beijing_dates_turn_at_16_utc() {
        // 2026-11-29 15:59:59 UTC is 23:59:59 in Beijing; one second later it is the 30th.
        assert_eq!(super::beijing_date(1_795_967_999_000).to_string(), "2026-11-29");
        assert_eq!(super::beijing_date(1_795_968_000_000).to_string(), "2026-11-30");
    }
}
