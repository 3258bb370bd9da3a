//! Character sets of GS1 data and the percent-encoding rules of the two URI syntaxes.
//!
//! GS1 values live in three worlds with different escaping needs: element strings (no
//! escaping), GS1 Digital Link paths (RFC 3986 path segments) and EPC URNs (the Tag Data
//! Standard's own escape list). Values are validated in *decoded* form, so the same rule applies
//! whichever syntax they arrived in, and re-encoded for the syntax being written.

use crate::error::Gs1Error;

/// GS1 AI encodable character set 82, in GS1's own value order (the order matters for the GMN
/// check pair, which weights characters by their index here).
pub const CSET82: &str = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

/// GS1 AI encodable character set 39 (used by the component/part identifier, AI 8010).
pub const CSET39: &str = "#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Human name of [`CSET82`] for error messages.
pub const CSET82_NAME: &str = "the GS1 AI encodable character set 82";

/// Human name of [`CSET39`] for error messages.
pub const CSET39_NAME: &str = "the GS1 AI encodable character set 39 (# - / 0-9 A-Z)";

/// Whether `c` belongs to character set 82.
#[must_use]
pub fn is_cset82(c: char) -> bool {
    CSET82.contains(c)
}

/// Check that every character is in set 82.
///
/// # Errors
/// [`Gs1Error::Charset`] naming the first offending character.
pub fn check_cset82(value: &str) -> Result<(), Gs1Error> {
    check_set(value, is_cset82, CSET82_NAME)
}

/// Check that every character is in set 39.
///
/// # Errors
/// [`Gs1Error::Charset`] naming the first offending character.
pub fn check_cset39(value: &str) -> Result<(), Gs1Error> {
    check_set(value, |c| CSET39.contains(c), CSET39_NAME)
}

fn check_set(value: &str, ok: impl Fn(char) -> bool, allowed: &'static str) -> Result<(), Gs1Error> {
    match value.chars().enumerate().find(|(_, c)| !ok(*c)) {
        Some((i, found)) => Err(Gs1Error::Charset { position: i + 1, found, allowed }),
        None => Ok(()),
    }
}

/// Check that every character is an ASCII digit.
///
/// # Errors
/// [`Gs1Error::NonDigit`] naming the first offending character (1-based).
pub fn check_digits(value: &str) -> Result<(), Gs1Error> {
    match value.chars().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, found)) => Err(Gs1Error::NonDigit { position: i + 1, found }),
        None => Ok(()),
    }
}

/// Whether the string is non-empty and all ASCII digits.
#[must_use]
pub fn all_digits(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit())
}

/// Decode `%XX` escapes.
///
/// # Errors
/// [`Gs1Error::Syntax`] for a truncated or non-hex escape, or bytes that are not UTF-8.
pub fn percent_decode(value: &str) -> Result<String, Gs1Error> {
    if !value.contains('%') {
        return Ok(value.to_owned());
    }
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            match bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit)) {
                Some(h) => out.push(hex_value(h[0]) << 4 | hex_value(h[1])),
                None => {
                    return Err(Gs1Error::syntax(format!(
                        "invalid percent-escape at position {}: '%' must be followed by two hex digits",
                        value[..i].chars().count() + 1
                    )))
                }
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Gs1Error::syntax("percent-escapes do not decode to UTF-8 text"))
}

/// Percent-encode a value for a GS1 Digital Link path segment.
///
/// Left as is: ASCII letters and digits, `-` `.` `_` `~` and the sub-delimiters `'` `;` `=`.
/// Everything else is escaped with upper-case hex, notably `! " % & ( ) * + , / : < > ? #`.
/// This is the set the GS1 Digital Link standard (table 7-1) and the EPCIS event hash reference
/// implementation escape, so an identifier that arrives as an EPC URN and the same identifier
/// that arrives as a Digital Link end up byte-identical, which the event hash depends on.
#[must_use]
pub fn percent_encode_dl(value: &str) -> String {
    encode_with(value, |c| c.is_ascii_alphanumeric() || "-._~';=".contains(c))
}

/// Percent-encode a value for a Digital Link query string: as [`percent_encode_dl`] but `=` and
/// `;` are escaped too, so a value cannot be mistaken for a new `key=value` pair.
#[must_use]
pub fn percent_encode_query(value: &str) -> String {
    encode_with(value, |c| c.is_ascii_alphanumeric() || "-._~'".contains(c))
}

/// Percent-encode a value for an EPC pure-identity URN (Tag Data Standard): only `" % & / < > ?`
/// and `#` (plus anything outside printable ASCII) are escaped; the rest of set 82 is literal.
#[must_use]
pub fn percent_encode_urn(value: &str) -> String {
    encode_with(value, |c| c.is_ascii_graphic() && !"\"%&/<>?#".contains(c))
}

fn encode_with(value: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if keep(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push('%');
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0x0f)]));
            }
        }
    }
    out
}

fn hex_value(b: u8) -> u8 {
    match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b.wrapping_sub(b'A').wrapping_add(10),
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set82_has_82_characters() {
        assert_eq!(CSET82.chars().count(), 82);
        assert_eq!(CSET39.chars().count(), 39);
    }

    #[test]
    fn decode_and_encode() {
        assert_eq!(percent_decode("A%2F1").as_deref(), Ok("A/1"));
        assert_eq!(percent_decode("A%2f1").as_deref(), Ok("A/1"));
        assert!(percent_decode("A%2").is_err());
        assert!(percent_decode("A%zz").is_err());
        assert!(percent_decode("%+1x").is_err());
        assert_eq!(percent_encode_dl("A/1"), "A%2F1");
        assert_eq!(percent_encode_dl("6789/&%\"!?()"), "6789%2F%26%25%22%21%3F%28%29");
        assert_eq!(percent_encode_urn("6789/&%\"!?()"), "6789%2F%26%25%22!%3F()");
        assert_eq!(percent_encode_query("a=b&c"), "a%3Db%26c");
    }

    #[test]
    fn charset_errors_are_one_based() {
        assert_eq!(check_cset82("ab~c"), Err(Gs1Error::Charset { position: 3, found: '~', allowed: CSET82_NAME }));
        assert_eq!(check_digits("12x4"), Err(Gs1Error::NonDigit { position: 3, found: 'x' }));
    }
}
