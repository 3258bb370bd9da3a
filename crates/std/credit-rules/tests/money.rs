//! 万元 ⇄ 分 conversion: exact round trips for every representable amount.

use proptest::prelude::*;
use qy_credit_rules::{fen_to_wan_yuan, wan_yuan_to_fen};

proptest! {
    #[test]
    fn fen_round_trips(fen in 0i64..=i64::MAX) {
        prop_assert_eq!(wan_yuan_to_fen(&fen_to_wan_yuan(fen)), Ok(fen));
    }

    #[test]
    fn decimal_strings_are_exact(whole in 0u64..10_000_000, frac in 0u32..1_000_000, width in 1usize..=6) {
        // Keep `width` digits of the fraction, as a provider would write them.
        let digits = format!("{frac:06}");
        let kept = &digits[..width];
        let s = format!("{whole}.{kept}");
        let expected = i64::try_from(whole).unwrap_or(i64::MAX) * 1_000_000
            + kept.parse::<i64>().unwrap_or(0) * 10i64.pow(u32::try_from(6 - width).unwrap_or(0));
        prop_assert_eq!(wan_yuan_to_fen(&s), Ok(expected));
    }

    #[test]
    fn never_panics(s in "\\PC{0,30}") {
        let _ = wan_yuan_to_fen(&s);
    }
}
