//! Mainland-China statutory working-day calendar (法定节假日与调休).
//!
//! A date is a **working day** iff it is Monday–Friday and not a statutory holiday, or it is an
//! adjusted working day (调休上班, a Saturday/Sunday made a working day by the State Council notice).
//! [`Calendar::statutory`] is the embedded 2019–2026 calendar; [`Calendar::from_csv`] and
//! [`Calendar::merge`] add a newer year without a release.
//!
//! Time limits in working days follow 行政许可法 art. 82: the start day is not counted, so
//! [`Calendar::add_working_days`]`(start, n)` is the n-th working day *after* `start`, and
//! [`Calendar::working_days_between`]`(from, to)` counts working days in `(from, to]`.
//!
//! A year without calendar data is never silently treated as "Mon–Fri only": the strict
//! functions return [`CalendarError::OutOfRange`]. [`Calendar::deadline`] is the non-failing
//! variant for display; it assumes Mon–Fri in uncovered years and marks the result
//! [`Deadline::provisional`].
//!
//! ```
//! use qy_workcal::{Calendar, Date};
//!
//! let cal = Calendar::statutory();
//! let due = cal.add_working_days(Date::constant(2025, 9, 30), 5).unwrap();
//! assert_eq!(due, Date::constant(2025, 10, 14)); // 10-01..08 is the National Day block
//! assert!(cal.deadline(Date::constant(2026, 12, 20), 10).provisional); // runs into 2027
//! ```

mod calendar;
mod counting;
mod csv;
mod error;
mod months;

pub use calendar::Calendar;
pub use counting::Deadline;
pub use error::CalendarError;
pub use jiff::civil::Date;
pub use months::add_months;
