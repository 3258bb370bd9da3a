//! Property tests: counting forwards and counting between agree.

use proptest::prelude::*;
use qy_workcal::{Calendar, Date};

/// Any date in 2019–2026, as days since 2019-01-01.
fn date_2019_2026() -> impl Strategy<Value = Date> {
    (0i32..2922).prop_map(|offset| {
        let start = Date::constant(2019, 1, 1);
        start.checked_add(jiff::Span::new().days(offset)).unwrap_or(start)
    })
}

proptest! {
    #[test]
    fn between_inverts_add(start in date_2019_2026(), n in 0u32..=300) {
        let cal = Calendar::statutory();
        // Near the end of 2026 the count runs out of data; that must be an error, never a guess.
        match cal.add_working_days(start, n) {
            Ok(end) => {
                prop_assert_eq!(cal.working_days_between(start, end), Ok(n));
                prop_assert!(n == 0 || cal.is_working_day(end) == Ok(true));
                prop_assert_eq!(cal.deadline(start, n), qy_workcal::Deadline { date: end, provisional: false });
            }
            Err(e) => {
                prop_assert_eq!(e, qy_workcal::CalendarError::OutOfRange { year: 2027 });
                prop_assert!(cal.deadline(start, n).provisional);
            }
        }
    }

    #[test]
    fn add_months_round_trips_when_day_fits(start in date_2019_2026(), m in -600i32..=600) {
        let there = qy_workcal::add_months(start, m);
        prop_assert!(there.day() <= start.day());
        if there.day() == start.day() {
            prop_assert_eq!(qy_workcal::add_months(there, -m), start);
        }
    }

    #[test]
    fn from_csv_never_panics(text in ".{0,200}") {
        let _ = Calendar::from_csv(&format!("date,kind,festival\n{text}"));
        let _ = Calendar::from_csv(&text);
    }
}
