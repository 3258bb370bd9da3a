//! Input clean-up shared by the checkers.
//!
//! Codes are often copied from Chinese documents, where full-width digits and letters
//! (`０１２`, `ＧＦ`) and the ideographic space are common; they are converted to ASCII before
//! checking so that such a copy is not reported as a wrong character.

/// Trim and convert full-width ASCII forms (U+FF01–U+FF5E) and U+3000 to ASCII.
#[must_use]
pub fn normalise(value: &str) -> String {
    value
        .chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            other => other,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width() {
        assert_eq!(normalise(" ＧＦ６３０１００２３０００１\u{3000}"), "GF630100230001");
        assert_eq!(normalise("123"), "123");
    }
}
