//! Input normalisation shared by every parser.
//!
//! GB 32100-2015 and GB 11643-1999 define their codes over ASCII digits and upper-case letters.
//! Real input arrives with surrounding blanks, lower case and full-width characters (typed with a
//! Chinese IME), so every `parse` first applies [`normalise`]:
//!
//! 1. full-width forms U+FF01..U+FF5E → ASCII U+0021..U+007E, ideographic space U+3000 → space
//!    (this is the part of Unicode NFKC that matters for these character sets);
//! 2. trim whitespace, zero-width space and byte-order marks at both ends;
//! 3. upper-case ASCII letters (non-ASCII is left alone and later rejected by the charset check).

/// Normalise an identifier as typed: full-width → half-width, trim, ASCII upper-case.
#[must_use]
pub fn normalise(input: &str) -> String {
    let folded: String = input.chars().map(fold_width).collect();
    folded.trim_matches(|c: char| c.is_whitespace() || c == '\u{200B}' || c == '\u{FEFF}').to_ascii_uppercase()
}

/// Map one full-width character to its half-width (ASCII) form.
fn fold_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn trims_and_uppercases() {
        assert_eq!(normalise(" 91440300708461136t "), "91440300708461136T".to_string());
    }

    #[test]
    fn folds_full_width() {
        assert_eq!(normalise("\u{3000}９１４４ｔ．\u{3000}"), "9144T.");
    }

    #[test]
    fn leaves_other_non_ascii_alone() {
        assert_eq!(normalise("é１"), "é1");
        assert_eq!(normalise("ß"), "ß");
    }

    #[test]
    fn strips_zero_width_and_bom() {
        assert_eq!(normalise("\u{FEFF}abc\u{200B}"), "ABC");
    }
}
