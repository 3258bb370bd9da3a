//! Conversion between the 双公示 amount unit (万元) and our storage unit (分).
//!
//! The national templates carry CF_NR_FK / CF_NR_WFFF as 万元 with `decimal(18,6)` (reference
//! §4.2); the platform stores money as integer 分 (`i64`, reference §7 conventions) so that sums
//! and comparisons are exact. 1 万元 = 10 000 元 = 1 000 000 分, so the 6 decimals of the national
//! format are exactly whole 分 and the conversion is lossless in both directions.

use crate::error::RuleError;

/// 分 per 万元.
pub const FEN_PER_WAN_YUAN: i64 = 1_000_000;

/// Parses a 万元 amount such as `"12.345678"` into 分 (`12_345_678`).
///
/// Accepts surrounding whitespace, digits with at most one `.`, and at least one digit
/// (`"5"`, `"5."`, `".25"`). Digits past the sixth decimal are accepted only if they are zeros
/// (`"1.5000000"`, as some database exports pad): they change nothing, so the result stays exact.
/// Rejects signs (negative amounts do not exist in 双公示), exponents, thousands separators, and
/// anything not fitting an `i64` of 分.
pub fn wan_yuan_to_fen(s: &str) -> Result<i64, RuleError> {
    let t = s.trim();
    if t.starts_with('-') {
        return Err(RuleError::AmountNegative(t.to_owned()));
    }
    let malformed = || RuleError::AmountMalformed(t.to_owned());
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && frac.is_empty()) || !all_digits(whole) || !all_digits(frac) {
        return Err(malformed());
    }
    let (kept, extra) = frac.split_at(frac.len().min(6));
    if extra.bytes().any(|b| b != b'0') {
        return Err(RuleError::AmountTooPrecise(t.to_owned()));
    }
    let overflow = || RuleError::AmountOverflow(t.to_owned());
    let mut fen: i64 = 0;
    for b in whole.bytes() {
        fen = fen.checked_mul(10).and_then(|v| v.checked_add(i64::from(b - b'0'))).ok_or_else(overflow)?;
    }
    fen = fen.checked_mul(FEN_PER_WAN_YUAN).ok_or_else(overflow)?;
    // Pad the kept decimals to exactly 6 digits: "25" means 250000 分.
    let mut frac_fen: i64 = 0;
    for i in 0..6 {
        let digit = kept.as_bytes().get(i).map_or(0, |b| i64::from(b - b'0'));
        frac_fen = frac_fen * 10 + digit;
    }
    fen.checked_add(frac_fen).ok_or_else(overflow)
}

/// Formats 分 as 万元 with trailing zeros trimmed: `50_000` → `"0.05"`, `1_000_000` → `"1"`.
/// Negative input (never valid in a record, but this must not panic) keeps its sign.
pub fn fen_to_wan_yuan(fen: i64) -> String {
    let abs = fen.unsigned_abs();
    let per = FEN_PER_WAN_YUAN.unsigned_abs();
    let (whole, frac) = (abs / per, abs % per);
    let sign = if fen < 0 { "-" } else { "" };
    if frac == 0 {
        return format!("{sign}{whole}");
    }
    let digits = format!("{frac:06}");
    format!("{sign}{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_exact_amounts() {
        assert_eq!(wan_yuan_to_fen("12.345678"), Ok(12_345_678));
        assert_eq!(wan_yuan_to_fen("1"), Ok(1_000_000));
        assert_eq!(wan_yuan_to_fen("0.05"), Ok(50_000));
        assert_eq!(wan_yuan_to_fen("0.000001"), Ok(1));
        assert_eq!(wan_yuan_to_fen(" 3.5 "), Ok(3_500_000));
        assert_eq!(wan_yuan_to_fen("5."), Ok(5_000_000));
        assert_eq!(wan_yuan_to_fen(".25"), Ok(250_000));
        assert_eq!(wan_yuan_to_fen("0"), Ok(0));
        assert_eq!(wan_yuan_to_fen("007.5"), Ok(7_500_000));
        assert_eq!(wan_yuan_to_fen("1.5000000"), Ok(1_500_000));
    }

    #[test]
    fn rejects_bad_amounts() {
        let code = |s: &str| wan_yuan_to_fen(s).map_err(|e| e.code());
        assert_eq!(code("-1"), Err("credit.amount_negative"));
        assert_eq!(code("1.0000001"), Err("credit.amount_too_precise"));
        assert_eq!(code("1.2345678"), Err("credit.amount_too_precise"));
        for bad in ["", " ", ".", "abc", "1e3", "1,000", "+1", "1.2.3", "１２", "1 000"] {
            assert_eq!(code(bad), Err("credit.amount_malformed"), "{bad:?}");
        }
        assert_eq!(code("9223372036854.775807"), Ok(i64::MAX));
        assert_eq!(code("9223372036854.775808"), Err("credit.amount_overflow"));
        assert_eq!(code("99999999999999999999"), Err("credit.amount_overflow"));
    }

    #[test]
    fn formats_trimmed() {
        assert_eq!(fen_to_wan_yuan(50_000), "0.05");
        assert_eq!(fen_to_wan_yuan(0), "0");
        assert_eq!(fen_to_wan_yuan(1), "0.000001");
        assert_eq!(fen_to_wan_yuan(12_345_678), "12.345678");
        assert_eq!(fen_to_wan_yuan(2_000_000), "2");
        assert_eq!(fen_to_wan_yuan(-1_500_000), "-1.5");
        assert_eq!(fen_to_wan_yuan(i64::MIN), "-9223372036854.775808");
    }
}
