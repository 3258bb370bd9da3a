//! Known answers, checked by hand against `data/cn-statutory-calendar-2019-2026.csv`.

use qy_workcal::{add_months, Calendar, CalendarError, Date, Deadline};

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::constant(y, m, day)
}

fn add(start: Date, n: u32) -> Result<Date, CalendarError> {
    Calendar::statutory().add_working_days(start, n)
}

#[test]
fn embedded_calendar_covers_2019_to_2026() {
    let cal = Calendar::statutory();
    assert_eq!(cal.years(), 2019..=2026);
    assert!(cal.covers(d(2019, 1, 1)));
    assert!(cal.covers(d(2026, 12, 31)));
    assert!(!cal.covers(d(2018, 12, 31)));
    assert!(!cal.covers(d(2027, 1, 1)));
}

#[test]
fn add_working_days_across_national_day_2025() -> Result<(), CalendarError> {
    // 09-28 (Sun) and 10-11 (Sat) are adjusted workdays; 10-01..10-08 are holidays.
    assert_eq!(add(d(2025, 9, 26), 20)?, d(2025, 10, 30));
    assert_eq!(add(d(2025, 9, 30), 5)?, d(2025, 10, 14));
    Ok(())
}

#[test]
fn add_working_days_across_spring_festival_2026() -> Result<(), CalendarError> {
    // 02-14 and 02-28 (Sat) are adjusted workdays; 02-15..02-23 are holidays.
    assert_eq!(add(d(2026, 2, 10), 20)?, d(2026, 3, 16));
    Ok(())
}

#[test]
fn add_working_days_across_new_year_2026() -> Result<(), CalendarError> {
    // 01-01..01-03 holidays, 01-04 (Sun) adjusted workday.
    assert_eq!(add(d(2025, 12, 31), 7)?, d(2026, 1, 12));
    Ok(())
}

#[test]
fn zero_days_is_start_even_on_holiday() -> Result<(), CalendarError> {
    assert_eq!(add(d(2025, 10, 1), 0)?, d(2025, 10, 1));
    // Start day excluded: from a holiday, the first working day counts as 1.
    assert_eq!(add(d(2025, 10, 1), 1)?, d(2025, 10, 9));
    Ok(())
}

#[test]
fn adjusted_workday_and_holiday_weekday() -> Result<(), CalendarError> {
    let cal = Calendar::statutory();
    // 2019-02-02 is a Saturday but an adjusted workday (Spring Festival 调休).
    assert!(cal.is_working_day(d(2019, 2, 2))?);
    // 2019-02-04 is a Monday inside the Spring Festival block.
    assert!(!cal.is_working_day(d(2019, 2, 4))?);
    // 2025-10-01 is a Wednesday, National Day.
    assert!(!cal.is_working_day(d(2025, 10, 1))?);
    // Ordinary days follow Mon–Fri.
    assert!(cal.is_working_day(d(2025, 10, 15))?);
    assert!(!cal.is_working_day(d(2025, 10, 18))?);
    Ok(())
}

#[test]
fn uncovered_year_fails_in_strict_functions() {
    let cal = Calendar::statutory();
    let out = Err(CalendarError::OutOfRange { year: 2027 });
    assert_eq!(cal.is_working_day(d(2027, 1, 4)), out);
    assert_eq!(cal.add_working_days(d(2027, 1, 4), 1), Err(CalendarError::OutOfRange { year: 2027 }));
    assert_eq!(cal.add_working_days(d(2026, 12, 20), 10), Err(CalendarError::OutOfRange { year: 2027 }));
    assert_eq!(cal.working_days_between(d(2026, 12, 31), d(2027, 1, 4)), Err(CalendarError::OutOfRange { year: 2027 }));
    assert_eq!(cal.is_working_day(d(2018, 12, 31)), Err(CalendarError::OutOfRange { year: 2018 }));
    assert_eq!(CalendarError::OutOfRange { year: 2027 }.to_string(), "no statutory calendar for 2027");
}

#[test]
fn deadline_marks_provisional_only_when_leaving_data() -> Result<(), CalendarError> {
    let cal = Calendar::statutory();
    // 12-21..25 and 12-28..31 are 9 working days; the 10th lands on Fri 2027-01-01, which the
    // Mon–Fri assumption counts although it will surely be New Year's Day: hence provisional.
    let late = cal.deadline(d(2026, 12, 20), 10);
    assert_eq!(late, Deadline { date: d(2027, 1, 1), provisional: true });
    let early = cal.deadline(d(2026, 11, 2), 10);
    assert!(!early.provisional);
    assert_eq!(early.date, cal.add_working_days(d(2026, 11, 2), 10)?);
    assert_eq!(early.date, d(2026, 11, 16));
    Ok(())
}

#[test]
fn deadline_never_fails_for_huge_counts() {
    let far = Calendar::statutory().deadline(d(2026, 1, 1), u32::MAX);
    assert_eq!(far, Deadline { date: Date::MAX, provisional: true });
}

#[test]
fn deadline_serialises_date_as_iso() -> Result<(), serde_json::Error> {
    let json = serde_json::to_string(&Deadline { date: d(2027, 1, 4), provisional: true })?;
    assert_eq!(json, r#"{"date":"2027-01-04","provisional":true}"#);
    Ok(())
}

#[test]
fn working_days_between_basics() -> Result<(), CalendarError> {
    let cal = Calendar::statutory();
    assert_eq!(cal.working_days_between(d(2025, 9, 30), d(2025, 10, 14))?, 5);
    assert_eq!(cal.working_days_between(d(2025, 10, 14), d(2025, 9, 30))?, 0);
    assert_eq!(cal.working_days_between(d(2025, 10, 14), d(2025, 10, 14))?, 0);
    // to <= from examines nothing, so uncovered years are fine there.
    assert_eq!(cal.working_days_between(d(2030, 1, 1), d(2000, 1, 1))?, 0);
    Ok(())
}

#[test]
fn add_months_clamps_to_month_end() {
    assert_eq!(add_months(d(2026, 5, 31), 3), d(2026, 8, 31));
    assert_eq!(add_months(d(2026, 11, 30), 3), d(2027, 2, 28));
    assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
    assert_eq!(add_months(d(2024, 3, 31), -1), d(2024, 2, 29));
    assert_eq!(add_months(d(2024, 1, 15), -13), d(2022, 12, 15));
    assert_eq!(add_months(d(2024, 1, 15), 0), d(2024, 1, 15));
    assert_eq!(add_months(d(2024, 1, 15), i32::MAX), Date::MAX);
    assert_eq!(add_months(d(2024, 1, 15), i32::MIN), Date::MIN);
    assert_eq!(add_months(Date::MAX, 1), Date::MAX);
    assert_eq!(add_months(Date::MIN, -1), Date::MIN);
}
