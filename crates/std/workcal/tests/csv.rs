//! Parsing and merging calendar CSV.

use qy_workcal::{Calendar, CalendarError, Date};

const NOTICE_2027: &str = "date,kind,festival\n2027-01-01,holiday,New Year's Day\n2027-02-06,holiday,Spring Festival\n";

fn csv_line(r: Result<Calendar, CalendarError>) -> Option<(usize, String)> {
    match r {
        Err(CalendarError::Csv { line, reason }) => Some((line, reason)),
        _ => None,
    }
}

#[test]
fn bad_kind_reports_line() {
    let text = "date,kind,festival\n2027-01-01,holiday,New Year\n2027-01-02,day_off,New Year\n";
    let (line, reason) = csv_line(Calendar::from_csv(text)).unwrap_or_default();
    assert_eq!(line, 3);
    assert!(reason.contains("day_off"), "{reason}");
}

#[test]
fn bad_dates_report_line() {
    for bad in ["2027-02-30", "2027-1-01", "20270101", "2027-01-01T00:00", "x"] {
        let text = format!("date,kind,festival\n\n{bad},holiday,X\n");
        let (line, reason) = csv_line(Calendar::from_csv(&text)).unwrap_or_default();
        assert_eq!(line, 3, "{bad}");
        assert!(reason.contains("bad date"), "{bad}: {reason}");
    }
}

#[test]
fn header_is_required() {
    assert_eq!(csv_line(Calendar::from_csv("")).map(|e| e.0), Some(1));
    assert_eq!(csv_line(Calendar::from_csv("2027-01-01,holiday,X\n")).map(|e| e.0), Some(1));
    assert_eq!(csv_line(Calendar::from_csv("date,festival,kind\n")).map(|e| e.0), Some(1));
}

#[test]
fn wrong_field_count_and_conflicts_are_errors() {
    assert_eq!(csv_line(Calendar::from_csv("date,kind,festival\n2027-01-01,holiday\n")).map(|e| e.0), Some(2));
    let conflict = "date,kind,festival\n2027-01-02,holiday,A\n2027-01-02,adjusted_workday,A\n";
    assert_eq!(csv_line(Calendar::from_csv(conflict)).map(|e| e.0), Some(3));
    // 2027-01-04 is a Monday: an adjusted workday there is a data error.
    let weekday = "date,kind,festival\n2027-01-04,adjusted_workday,A\n";
    assert_eq!(csv_line(Calendar::from_csv(weekday)).map(|e| e.0), Some(2));
}

#[test]
fn error_display_names_the_line() {
    let e = CalendarError::Csv { line: 7, reason: "bad kind".to_owned() };
    assert_eq!(e.to_string(), "calendar CSV line 7: bad kind");
}

#[test]
fn crlf_bom_and_header_only() -> Result<(), CalendarError> {
    let cal = Calendar::from_csv("\u{feff}date,kind,festival\r\n2027-01-01,holiday,New Year's Day\r\n")?;
    assert_eq!(cal.years(), 2027..=2027);
    assert!(!cal.is_working_day(Date::constant(2027, 1, 1))?);
    let empty = Calendar::from_csv("date,kind,festival\n")?;
    assert!(empty.years().is_empty());
    assert!(!empty.covers(Date::constant(2027, 1, 1)));
    Ok(())
}

#[test]
fn merge_extends_years() -> Result<(), CalendarError> {
    let mut cal = Calendar::statutory().clone();
    cal.merge(&Calendar::from_csv(NOTICE_2027)?);
    assert_eq!(cal.years(), 2019..=2027);
    assert!(cal.covers(Date::constant(2027, 1, 4)));
    assert!(cal.is_working_day(Date::constant(2027, 1, 4))?);
    assert!(!cal.is_working_day(Date::constant(2027, 1, 1))?);
    // The formerly provisional deadline is now firm.
    let firm = cal.deadline(Date::constant(2026, 12, 20), 10);
    assert!(!firm.provisional);
    assert_eq!(firm.date, cal.add_working_days(Date::constant(2026, 12, 20), 10)?);
    // The shared statutory calendar is unchanged.
    assert_eq!(Calendar::statutory().years(), 2019..=2026);
    Ok(())
}

#[test]
fn merge_lets_the_newer_notice_win() -> Result<(), CalendarError> {
    let mut cal = Calendar::from_csv("date,kind,festival\n2027-01-02,holiday,A\n")?;
    cal.merge(&Calendar::from_csv("date,kind,festival\n2027-01-02,adjusted_workday,A\n")?);
    assert!(cal.is_working_day(Date::constant(2027, 1, 2))?);
    Ok(())
}

#[test]
fn embedded_data_is_consistent() -> Result<(), CalendarError> {
    let text = include_str!("../data/cn-statutory-calendar-2019-2026.csv");
    let cal = Calendar::from_csv(text)?;
    assert_eq!(&cal, Calendar::statutory());
    Ok(())
}
