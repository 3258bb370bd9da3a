//! Parser for the `date,kind,festival` calendar CSV.
//!
//! Hand-written because the format is three plain fields with no quoting; a CSV dependency
//! would be larger than the parser.

use jiff::civil::{Date, Weekday};

use crate::error::CalendarError;

/// What a listed date is. Dates not listed follow the Mon–Fri rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Holiday,
    AdjustedWorkday,
}

/// One data row, with the line it came from for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Row {
    pub line: usize,
    pub date: Date,
    pub kind: Kind,
}

const HEADER: [&str; 3] = ["date", "kind", "festival"];

/// Parses the whole text; the header line is required so a file with shifted columns fails
/// instead of being read wrongly. Blank lines are skipped.
pub(crate) fn parse(text: &str) -> Result<Vec<Row>, CalendarError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty());
    let Some((line, header)) = lines.next() else {
        return Err(err(1, "missing header `date,kind,festival`".to_owned()));
    };
    let fields: Vec<&str> = header.split(',').map(str::trim).collect();
    if fields != HEADER {
        return Err(err(line, format!("header must be `date,kind,festival`, found `{header}`")));
    }
    lines.map(|(line, text)| parse_row(line, text)).collect()
}

fn parse_row(line: usize, text: &str) -> Result<Row, CalendarError> {
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    let [date, kind, _festival] = fields.as_slice() else {
        return Err(err(line, format!("expected 3 fields (date,kind,festival), found {}", fields.len())));
    };
    let date = parse_date(date).ok_or_else(|| err(line, format!("bad date `{date}` (want YYYY-MM-DD)")))?;
    let kind = match *kind {
        "holiday" => Kind::Holiday,
        "adjusted_workday" => Kind::AdjustedWorkday,
        other => return Err(err(line, format!("bad kind `{other}` (want holiday or adjusted_workday)"))),
    };
    // An adjusted workday on a weekday changes nothing, so it is almost certainly a swapped
    // kind or a typo in the date; reject it rather than let it hide a real holiday.
    if kind == Kind::AdjustedWorkday && !is_weekend(date) {
        return Err(err(line, format!("adjusted_workday {date} is a {:?}, not a weekend day", date.weekday())));
    }
    Ok(Row { line, date, kind })
}

/// Strict `YYYY-MM-DD`: jiff's own parser also accepts datetimes, which a calendar file
/// should never contain.
fn parse_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    let shape_ok = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    let year: i16 = s.get(0..4)?.parse().ok()?;
    let month: i8 = s.get(5..7)?.parse().ok()?;
    let day: i8 = s.get(8..10)?.parse().ok()?;
    Date::new(year, month, day).ok()
}

pub(crate) fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn err(line: usize, reason: String) -> CalendarError {
    CalendarError::Csv { line, reason }
}
