//! The GS1 mod-10 check digit shared by GTIN, GLN, SSCC, GRAI, GDTI, GSRN, GSIN and friends.
//!
//! Weights run 3, 1, 3, 1 … *from the right*, so the same routine serves every key length and a
//! GTIN-13 padded to GTIN-14 with a leading zero keeps its check digit.

use crate::error::Gs1Error;

/// The check digit for `digits_without_check` (GS1 General Specifications §7.9.1).
///
/// Returns `None` for an empty string or any non-digit character.
///
/// ```
/// assert_eq!(qy_gs1::mod10_check_digit("1061414107346"), Some(4));
/// assert_eq!(qy_gs1::mod10_check_digit("061414107346"), Some(7));
/// assert_eq!(qy_gs1::mod10_check_digit("0952123400001"), Some(3));
/// ```
#[must_use]
pub fn mod10_check_digit(digits_without_check: &str) -> Option<u8> {
    if !crate::charset::all_digits(digits_without_check) {
        return None;
    }
    let sum: u32 = digits_without_check
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 3 } else { 1 })
        .sum();
    u8::try_from((10 - sum % 10) % 10).ok()
}

/// Whether `code` (at least two digits, the last being the check digit) has a correct check digit.
#[must_use]
pub fn has_valid_check_digit(code: &str) -> bool {
    verify_check_digit(code).is_ok()
}

/// Like [`has_valid_check_digit`] but says what is wrong.
///
/// # Errors
/// [`Gs1Error::NonDigit`] (1-based position), [`Gs1Error::Length`] for fewer than two digits, or
/// [`Gs1Error::CheckDigit`].
pub fn verify_check_digit(code: &str) -> Result<(), Gs1Error> {
    crate::charset::check_digits(code)?;
    let Some((body, last)) = code.len().checked_sub(1).filter(|n| *n > 0).map(|n| code.split_at(n)) else {
        return Err(Gs1Error::length("a code with a check digit", "at least 2 digits", code.len()));
    };
    let expected = mod10_check_digit(body).ok_or_else(|| Gs1Error::syntax("no digits before the check digit"))?;
    let found = last.chars().next().unwrap_or('?');
    if found.to_digit(10) == Some(u32::from(expected)) {
        Ok(())
    } else {
        Err(Gs1Error::CheckDigit { expected, found })
    }
}

/// Append the check digit to `digits_without_check` (which must be all digits).
pub(crate) fn with_check_digit(digits_without_check: &str) -> Option<String> {
    mod10_check_digit(digits_without_check).map(|d| format!("{digits_without_check}{d}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        assert_eq!(mod10_check_digit("1061414107346"), Some(4));
        assert_eq!(mod10_check_digit("061414107346"), Some(7));
        assert_eq!(mod10_check_digit("0952123400001"), Some(3));
        assert!(has_valid_check_digit("10614141073464"));
        assert!(has_valid_check_digit("0614141073467"));
        assert!(has_valid_check_digit("09521234000013"));
    }

    #[test]
    fn more_keys() {
        // SSCC and GSRN from the EPC URN table and the GS1 hash reference tests.
        assert!(has_valid_check_digit("106141412345678908"));
        assert!(has_valid_check_digit("401234500000067657"));
        assert!(has_valid_check_digit("96385074"));
        assert!(has_valid_check_digit("614141000036"));
    }

    #[test]
    fn rejects() {
        assert_eq!(mod10_check_digit(""), None);
        assert_eq!(mod10_check_digit("12a"), None);
        assert!(!has_valid_check_digit("1"));
        assert!(!has_valid_check_digit(""));
        assert_eq!(verify_check_digit("10614141073465"), Err(Gs1Error::CheckDigit { expected: 4, found: '5' }));
        assert_eq!(verify_check_digit("1061x141073465"), Err(Gs1Error::NonDigit { position: 5, found: 'x' }));
    }
}
