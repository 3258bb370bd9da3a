//! The alphanumeric check character pair of the Global Model Number (GMN, AI 8013).
//!
//! GMNs are alphanumeric, so mod-10 cannot protect them. GS1 General Specifications §7.9.5: each
//! data character is valued by its index in character set 82, weighted by ascending primes
//! starting with the *rightmost* data character, summed modulo 1021, and the 10-bit result is
//! split into two 5-bit halves, each indexing character set 32 (digits 2-9 and letters without
//! I and O, to avoid confusion with 1 and 0).

use crate::charset::CSET82;
use crate::error::Gs1Error;

const CSET32: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const PRIMES: [u32; 28] =
    [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107];

/// The two check characters for `data` (a GMN without its check pair), or `None` if a character
/// is outside set 82 or the data is longer than this implementation's weight table (28).
#[must_use]
pub fn gmn_check_pair(data: &str) -> Option<String> {
    if data.chars().count() > PRIMES.len() {
        return None;
    }
    let mut sum: u32 = 0;
    for (c, weight) in data.chars().rev().zip(PRIMES.iter()) {
        let value = u32::try_from(CSET82.find(c)?).ok()?;
        sum += value * weight;
    }
    let sum = usize::try_from(sum % 1021).ok()?;
    let first = char::from(*CSET32.get(sum >> 5)?);
    let second = char::from(*CSET32.get(sum & 31)?);
    Some(format!("{first}{second}"))
}

/// Verify a full GMN (data followed by its check pair).
///
/// # Errors
/// [`Gs1Error::Length`] when shorter than 2 characters, [`Gs1Error::Charset`] or
/// [`Gs1Error::CheckPair`].
pub fn verify_gmn_check_pair(gmn: &str) -> Result<(), Gs1Error> {
    let n = gmn.chars().count();
    if n < 3 {
        return Err(Gs1Error::length("GMN", "at least 3 characters (data and a 2-character check pair)", n));
    }
    crate::charset::check_cset82(gmn)?;
    let split = gmn.char_indices().nth(n - 2).map_or(0, |(i, _)| i);
    let (data, pair) = gmn.split_at(split);
    if let Some((i, c)) = pair.chars().enumerate().find(|(_, c)| !CSET32.contains(&u8::try_from(*c).unwrap_or(0))) {
        return Err(Gs1Error::Charset {
            position: n - 1 + i,
            found: c,
            allowed: "the GS1 check character set 32 (2-9, A-Z without I and O)",
        });
    }
    let expected = gmn_check_pair(data)
        .ok_or_else(|| Gs1Error::length("GMN", format!("at most {} characters", PRIMES.len() + 2), n))?;
    if expected == pair {
        Ok(())
    } else {
        Err(Gs1Error::CheckPair { expected, found: pair.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gs1_vectors() {
        // Vectors carried by GS1's reference linter (gs1_lint_csumalpha).
        for gmn in ["1987654Ad4X4bL5ttr2310c2K", "12345678901234567890123NT", "12345_ABCDEFGHIJKLMCP", "7907665Bm8v2AB"]
        {
            assert_eq!(verify_gmn_check_pair(gmn), Ok(()), "{gmn}");
        }
    }

    #[test]
    fn wrong_pair() {
        let e = verify_gmn_check_pair("1987654Ad4X4bL5ttr2310c2L");
        assert_eq!(e, Err(Gs1Error::CheckPair { expected: "2K".into(), found: "2L".into() }));
        assert_eq!(verify_gmn_check_pair("12").map_err(|e| e.code()), Err("length"));
        assert_eq!(verify_gmn_check_pair("1234I").map_err(|e| e.code()), Err("charset"));
    }
}
