//! Calendar-month arithmetic.
//!
//! Publication periods are written in months and years ("最短3个月，最长3年") and run from the
//! decision date (§4.3 of the reference). Adding months keeps the day of month and clamps to the
//! last day of a shorter month (reference §7.1: 2026-05-31 + 3 → 2026-08-31, 2026-11-30 + 3 →
//! 2027-02-28), which is how a person counts "three months after 31 May". We do it ourselves
//! instead of through a span so the rule is visible and testable here.

use jiff::civil::Date;

use crate::error::RuleError;

/// `date` plus `months` calendar months, clamped to the end of the target month.
pub fn add_months(date: Date, months: u32) -> Result<Date, RuleError> {
    // Count months from year 0 in i64 so no input can overflow.
    let index = i64::from(date.year()) * 12 + i64::from(date.month()) - 1 + i64::from(months);
    let year = i16::try_from(index.div_euclid(12)).map_err(|_| RuleError::DateOutOfRange)?;
    let month = i8::try_from(index.rem_euclid(12) + 1).map_err(|_| RuleError::DateOutOfRange)?;
    let first = Date::new(year, month, 1).map_err(|_| RuleError::DateOutOfRange)?;
    let day = date.day().min(first.days_in_month());
    Date::new(year, month, day).map_err(|_| RuleError::DateOutOfRange)
}

/// Whole calendar months from `from` to `to`: the largest `n` with `add_months(from, n) <= to`.
/// Zero when `to` is before `from`.
pub fn whole_months_between(from: Date, to: Date) -> u32 {
    if to <= from {
        return 0;
    }
    let diff = (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month());
    let mut n = u32::try_from(diff.max(0)).unwrap_or(0);
    // The month difference overshoots by one when the day of month has not been reached yet.
    while n > 0 && add_months(from, n).map_or(true, |d| d > to) {
        n -= 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn reference_vectors() -> Result<(), RuleError> {
        assert_eq!(add_months(date(2026, 5, 31), 3)?, date(2026, 8, 31));
        assert_eq!(add_months(date(2026, 11, 30), 3)?, date(2027, 2, 28));
        assert_eq!(add_months(date(2024, 3, 15), 36)?, date(2027, 3, 15));
        assert_eq!(add_months(date(2023, 12, 31), 2)?, date(2024, 2, 29));
        assert_eq!(add_months(date(2024, 1, 10), 0)?, date(2024, 1, 10));
        Ok(())
    }

    #[test]
    fn out_of_range_is_an_error() {
        assert_eq!(add_months(date(9999, 12, 1), 1), Err(RuleError::DateOutOfRange));
        assert_eq!(add_months(date(2000, 1, 1), u32::MAX), Err(RuleError::DateOutOfRange));
    }

    #[test]
    fn whole_months() {
        assert_eq!(whole_months_between(date(2025, 3, 1), date(2026, 11, 1)), 20);
        assert_eq!(whole_months_between(date(2025, 3, 2), date(2026, 11, 1)), 19);
        assert_eq!(whole_months_between(date(2025, 1, 31), date(2025, 2, 28)), 1);
        assert_eq!(whole_months_between(date(2025, 1, 31), date(2025, 2, 27)), 0);
        assert_eq!(whole_months_between(date(2025, 5, 1), date(2024, 1, 1)), 0);
    }
}
