//! Calendar-month arithmetic for limits given in months (e.g. "三个月内").

use jiff::civil::Date;

/// Adds calendar months, clamping the day to the end of the target month
/// (2026-05-31 + 3 → 2026-08-31; 2026-11-30 + 3 → 2027-02-28). Negative months go back.
/// Saturates at jiff's minimum/maximum date instead of failing.
pub fn add_months(d: Date, months: i32) -> Date {
    // Work in whole months since year 0 so any i32 fits without overflow.
    let total = i64::from(d.year()) * 12 + i64::from(d.month() - 1) + i64::from(months);
    let year = total.div_euclid(12);
    let month = total.rem_euclid(12) + 1;
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month)) else {
        return if months < 0 { Date::MIN } else { Date::MAX };
    };
    let Ok(first) = Date::new(year, month, 1) else {
        return if months < 0 { Date::MIN } else { Date::MAX };
    };
    let day = d.day().min(first.days_in_month());
    Date::new(year, month, day).unwrap_or(first)
}
