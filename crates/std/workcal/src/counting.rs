//! Counting working days (行政许可法 art. 82: the start day is excluded).

use jiff::civil::Date;
use serde::Serialize;

use crate::calendar::Calendar;
use crate::csv::is_weekend;
use crate::error::CalendarError;

/// A deadline computed by [`Calendar::deadline`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub date: Date,
    /// True when part of the count fell in a year without calendar data (Mon–Fri was assumed
    /// there), so the date may move once that year's notice is loaded.
    pub provisional: bool,
}

impl Calendar {
    /// The `n`-th working day after `start` (start excluded). `n = 0` returns `start`.
    /// Err when any day examined is in an uncovered year.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, CalendarError> {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Like [`Calendar::add_working_days`] but never fails: in uncovered years it assumes
    /// Mon–Fri are working days and sets `provisional`. If the count runs past the last
    /// representable date (year 9999) it stops there, also provisional.
    pub fn deadline(&self, start: Date, n: u32) -> Deadline {
        let mut day = start;
        let mut left = n;
        let mut provisional = false;
        while left > 0 {
            let Ok(next) = next_day(day) else {
                return Deadline { date: day, provisional: true };
            };
            day = next;
            let working = match self.is_working_day(day) {
                Ok(w) => w,
                Err(_) => {
                    provisional = true;
                    !is_weekend(day)
                }
            };
            if working {
                left -= 1;
            }
        }
        Deadline { date: day, provisional }
    }

    /// Number of working days in `(from, to]`; 0 when `to <= from`.
    /// Err when an uncovered year is examined.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<u32, CalendarError> {
        let mut day = from;
        let mut count: u32 = 0;
        while day < to {
            day = next_day(day)?;
            if self.is_working_day(day)? {
                // At most ~7.3 million days exist between jiff's min and max dates.
                count = count.saturating_add(1);
            }
        }
        Ok(count)
    }
}

/// The following day; only fails after 9999-12-31, reported as the (uncovered) next year.
fn next_day(d: Date) -> Result<Date, CalendarError> {
    d.tomorrow().map_err(|_| CalendarError::OutOfRange { year: d.year().saturating_add(1) })
}
