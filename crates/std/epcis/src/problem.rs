//! One reason a document or event was rejected, addressed by JSON pointer.

use std::fmt;

use serde::Serialize;

/// A validation problem. `pointer` locates the offending value (RFC 6901, e.g.
/// `/epcisBody/eventList/0/eventTimeZoneOffset`); `field` repeats the last field name in it so a
/// form can highlight the input and a capture client can fix the right key without parsing the
/// pointer; `message` says what is wrong in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub pointer: String,
    pub field: String,
    pub message: String,
}

impl Problem {
    /// A problem at `pointer`, naming the last non-index segment of the pointer as the field.
    pub(crate) fn at(pointer: String, message: impl Into<String>) -> Self {
        let field = field_of(&pointer);
        Self { pointer, field, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() { "/" } else { &self.pointer };
        write!(f, "{pointer}: {}", self.message)
    }
}

impl std::error::Error for Problem {}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901 §3); extension
/// keys are often full URIs, so the escaping matters.
pub(crate) fn push_token(pointer: &str, token: &str) -> String {
    let mut out = String::with_capacity(pointer.len() + token.len() + 1);
    out.push_str(pointer);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The last segment of `pointer` that is not an array index, unescaped; empty for the root.
pub(crate) fn field_of(pointer: &str) -> String {
    pointer
        .rsplit('/')
        .find(|t| !t.is_empty() && !t.bytes().all(|b| b.is_ascii_digit()))
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_skips_array_indexes_and_unescapes() {
        assert_eq!(field_of("/epcisBody/eventList/0/epcList/3"), "epcList");
        assert_eq!(field_of("/epcisBody/eventList/0/https:~1~1ns.example.com~1x"), "https://ns.example.com/x");
        assert_eq!(field_of(""), "");
    }

    #[test]
    fn push_token_escapes() {
        assert_eq!(push_token("/a", "b/c~d"), "/a/b~1c~0d");
    }
}
