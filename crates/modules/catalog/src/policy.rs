//! The numbers of the sharing rules, as configuration: answer deadlines in working days.

use qy_workcal::{Calendar, Date};

#[derive(Debug, Clone)]
pub struct Policy {
    pub calendar: Calendar,
    /// A provider answers a 有条件共享 request within this many working days
    /// (国发〔2016〕51号: 10).
    pub share_answer_days: u32,
    /// A provider answers and corrects a data objection within this many working days.
    pub objection_days: u32,
    /// An open-data application (有条件开放) is decided within this many working days.
    pub open_application_days: u32,
    /// Largest upload accepted, in bytes.
    pub max_upload_bytes: usize,
    /// Most rows a table upload may have.
    pub max_upload_rows: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            calendar: Calendar::statutory().clone(),
            share_answer_days: 10,
            objection_days: 5,
            open_application_days: 10,
            max_upload_bytes: 20 * 1024 * 1024,
            max_upload_rows: 200_000,
        }
    }
}

/// The Beijing calendar date of an instant.
pub fn beijing_date(ms: i64) -> Date {
    let days = (ms.div_euclid(1000) + 8 * 3600).div_euclid(86_400);
    Date::new(1970, 1, 1)
        .ok()
        .and_then(|epoch| epoch.checked_add(jiff::Span::new().days(days)).ok())
        .unwrap_or_default()
}
