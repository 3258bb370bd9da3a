//! Errors of calendar look-ups and CSV parsing.

use std::fmt;

/// Why a calendar question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The year has no statutory calendar data; answering would risk counting holidays as
    /// working days.
    OutOfRange { year: i16 },
    /// A calendar CSV could not be parsed; `line` is 1-based (the header is line 1).
    Csv { line: usize, reason: String },
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfRange { year } => write!(f, "no statutory calendar for {year}"),
            Self::Csv { line, reason } => write!(f, "calendar CSV line {line}: {reason}"),
        }
    }
}

impl std::error::Error for CalendarError {}
