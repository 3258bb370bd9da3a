//! The calendar itself: which listed dates are holidays or adjusted workdays, and which years
//! have data at all.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::RangeInclusive;
use std::sync::OnceLock;

use jiff::civil::Date;

use crate::csv::{self, is_weekend, Kind};
use crate::error::CalendarError;

const STATUTORY_CSV: &str = include_str!("../data/cn-statutory-calendar-2019-2026.csv");

/// A statutory working-day calendar: holiday and adjusted-workday rows for a set of years.
///
/// A year is *covered* when at least one row falls in it; every real State Council notice
/// lists New Year's Day, so a year with data always has a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    days: BTreeMap<Date, Kind>,
    years: BTreeSet<i16>,
}

impl Calendar {
    /// The embedded statutory calendar (2019–2026), parsed once.
    pub fn statutory() -> &'static Calendar {
        static CAL: OnceLock<Calendar> = OnceLock::new();
        // The embedded data is checked by a test; should it ever fail to parse, an empty
        // calendar makes every strict call fail loudly instead of panicking.
        CAL.get_or_init(|| Calendar::from_csv(STATUTORY_CSV).unwrap_or_else(|_| Calendar::empty()))
    }

    /// Parses `date,kind,festival` CSV (header required; kind = `holiday` | `adjusted_workday`).
    /// A date listed twice with different kinds is an error.
    pub fn from_csv(text: &str) -> Result<Calendar, CalendarError> {
        let mut cal = Calendar::empty();
        for row in csv::parse(text)? {
            match cal.days.insert(row.date, row.kind) {
                Some(prev) if prev != row.kind => {
                    return Err(CalendarError::Csv {
                        line: row.line,
                        reason: format!("{} listed earlier as {prev:?}, here as {:?}", row.date, row.kind),
                    });
                }
                _ => {}
            }
            cal.years.insert(row.date.year());
        }
        Ok(cal)
    }

    /// Adds the rows of `other` (e.g. next year's State Council notice); covered years become the
    /// union. Where both list a date, `other` wins, since it is the newer notice.
    pub fn merge(&mut self, other: &Calendar) {
        self.days.extend(other.days.iter().map(|(d, k)| (*d, *k)));
        self.years.extend(other.years.iter().copied());
    }

    /// First and last year with data; `1..=0` (empty) for a calendar without rows. Years
    /// inside the range may still be uncovered after merging non-adjacent years: use
    /// [`Calendar::covers`] to ask about a date.
    // `1..=0` is deliberately empty: callers can test `years().is_empty()` without an Option.
    #[allow(clippy::reversed_empty_ranges)]
    pub fn years(&self) -> RangeInclusive<i16> {
        match (self.years.first(), self.years.last()) {
            (Some(first), Some(last)) => *first..=*last,
            _ => 1..=0,
        }
    }

    /// Whether `d`'s year has calendar data.
    pub fn covers(&self, d: Date) -> bool {
        self.years.contains(&d.year())
    }

    /// Working day iff (Mon–Fri and not a holiday) or an adjusted workday.
    /// `Err(OutOfRange)` when the year is not covered.
    pub fn is_working_day(&self, d: Date) -> Result<bool, CalendarError> {
        if !self.covers(d) {
            return Err(CalendarError::OutOfRange { year: d.year() });
        }
        Ok(match self.days.get(&d) {
            Some(Kind::Holiday) => false,
            Some(Kind::AdjustedWorkday) => true,
            None => !is_weekend(d),
        })
    }

    fn empty() -> Calendar {
        Calendar { days: BTreeMap::new(), years: BTreeSet::new() }
    }
}
