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
    fn beijing_dates_turn_at_16_utc() {
        // 2026-11-29 15:59:59 UTC is 23:59:59 in Beijing; one second later it is the 30th.
        assert_eq!(super::beijing_date(1_795_967_999_000).to_string(), "2026-11-29");
        assert_eq!(super::beijing_date(1_795_968_000_000).to_string(), "2026-11-30");
    }
}
