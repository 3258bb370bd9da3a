//! Error types: [`FrameError`] (the `##…CRC\r\n` envelope, HJ 212-2017 §6.3.1 Table 2),
//! [`PacketError`] (the data segment and CP area, Tables 3–4) and [`Error`] (either).
//!
//! Every variant has a stable snake_case `code()` for APIs, logs and tests, and an English
//! `Display` naming what was expected and found. Errors never carry the access password `PW`,
//! and quoted input is cut to a few dozen characters.

use std::fmt;

/// Longest excerpt of input quoted in an error.
const QUOTE_MAX: usize = 40;

/// A printable excerpt of `s`: at most [`QUOTE_MAX`] characters (cut on a char boundary).
pub(crate) fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTE_MAX) {
        Some((i, _)) => format!("{}…", s.get(..i).unwrap_or_default()),
        None => s.to_string(),
    }
}

/// A printable excerpt of arbitrary bytes (lossy UTF-8).
pub(crate) fn quote_bytes(b: &[u8]) -> String {
    quote(&String::from_utf8_lossy(b))
}

/// Why a byte sequence is not a well-formed HJ 212 frame.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FrameError {
    /// Does not start with `##`.
    MissingHeader,
    /// The 4 characters after `##` are not decimal digits.
    BadLengthField {
        /// What was there (lossy UTF-8).
        found: String,
    },
    /// The length field does not match the data segment's length in bytes.
    LengthMismatch {
        /// The length field.
        declared: usize,
        /// Bytes between the length field and the CRC.
        actual: usize,
    },
    /// Data segment longer than allowed (1024 bytes, HJ 212-2017 Table 2).
    TooLong {
        /// Its length (declared; for a complete frame, equal to the actual length).
        len: usize,
        /// The limit in force.
        max: usize,
    },
    /// The 4 characters before CR LF are not hex digits.
    BadCrcField {
        /// What was there (lossy UTF-8).
        found: String,
    },
    /// The CRC does not match the data segment.
    BadCrc {
        /// HJ 212 CRC of the segment.
        expected: u16,
        /// Value in the frame.
        found: u16,
    },
    /// Not terminated by CR LF (or no CR LF within the maximum frame length).
    MissingTerminator,
    /// Too short to hold `##`, length, CRC and CR LF.
    Truncated {
        /// Bytes present.
        len: usize,
    },
    /// The data segment is not valid UTF-8 (§6.3: Chinese text is UTF-8).
    NotUtf8 {
        /// Byte offset in the segment of the first invalid sequence.
        valid_up_to: usize,
    },
    /// Streaming only: bytes before a `##` that belong to no frame (skipped).
    Garbage {
        /// Bytes skipped.
        skipped: usize,
    },
}

impl FrameError {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingHeader => "missing_header",
            Self::BadLengthField { .. } => "bad_length_field",
            Self::LengthMismatch { .. } => "length_mismatch",
            Self::TooLong { .. } => "too_long",
            Self::BadCrcField { .. } => "bad_crc_field",
            Self::BadCrc { .. } => "bad_crc",
            Self::MissingTerminator => "missing_terminator",
            Self::Truncated { .. } => "truncated",
            Self::NotUtf8 { .. } => "not_utf8",
            Self::Garbage { .. } => "garbage",
        }
    }
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader => f.write_str("frame does not start with ##"),
            Self::BadLengthField { found } => {
                write!(f, "length field: expected 4 decimal digits after ##, found {found:?}")
            }
            Self::LengthMismatch { declared, actual } => {
                write!(f, "length field says {declared} bytes, the data segment has {actual}")
            }
            Self::TooLong { len, max } => write!(f, "data segment of {len} bytes exceeds the maximum of {max}"),
            Self::BadCrcField { found } => write!(f, "CRC field: expected 4 hex digits, found {found:?}"),
            Self::BadCrc { expected, found } => write!(f, "CRC: expected {expected:04X}, found {found:04X}"),
            Self::MissingTerminator => f.write_str("frame is not terminated by CR LF"),
            Self::Truncated { len } => {
                write!(f, "frame of {len} bytes is too short (minimum 12: ##, length, CRC, CR LF)")
            }
            Self::NotUtf8 { valid_up_to } => {
                write!(f, "data segment is not valid UTF-8 (first invalid byte at offset {valid_up_to})")
            }
            Self::Garbage { skipped } => write!(f, "skipped {skipped} bytes that are not part of a frame"),
        }
    }
}

impl std::error::Error for FrameError {}

/// Why a data segment (already framed and CRC-checked) is not a usable HJ 212 packet.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PacketError {
    /// No `CP=&&` field.
    MissingCp,
    /// The segment does not end with the `&&` closing the CP area.
    UnterminatedCp,
    /// A required header field is absent.
    MissingField {
        /// `ST`, `CN`, `PW`, `MN`, `PNUM` or `PNO`.
        field: &'static str,
    },
    /// A header field appears twice.
    DuplicateField {
        /// Its name.
        field: String,
    },
    /// A header field that Table 3 does not define (names are case-sensitive).
    UnknownField {
        /// Its name (cut).
        field: String,
    },
    /// A header item that is not `KEY=value`.
    MalformedField {
        /// The item (cut).
        text: String,
    },
    /// A header field's value breaks Table 3.
    InvalidField {
        /// Field name.
        field: &'static str,
        /// The value (cut; never given for `PW`).
        value: Option<String>,
        /// What is wrong.
        reason: &'static str,
    },
    /// An empty group or item in the CP area (`;;`, `,,`, `;,`).
    EmptyCpItem,
    /// A CP item that is not `key=value`.
    MalformedCpItem {
        /// The item (cut).
        item: String,
    },
    /// A CP key that appears twice (`DataTime` or one factor field).
    DuplicateCpKey {
        /// The key.
        key: String,
    },
    /// A CP value of the wrong type for its key (Table 4).
    InvalidCpValue {
        /// The key.
        key: String,
        /// The value (cut).
        value: String,
        /// What was expected.
        expected: &'static str,
    },
}

impl PacketError {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingCp => "missing_cp",
            Self::UnterminatedCp => "unterminated_cp",
            Self::MissingField { .. } => "missing_field",
            Self::DuplicateField { .. } => "duplicate_field",
            Self::UnknownField { .. } => "unknown_field",
            Self::MalformedField { .. } => "malformed_field",
            Self::InvalidField { .. } => "invalid_field",
            Self::EmptyCpItem => "empty_cp_item",
            Self::MalformedCpItem { .. } => "malformed_cp_item",
            Self::DuplicateCpKey { .. } => "duplicate_cp_key",
            Self::InvalidCpValue { .. } => "invalid_cp_value",
        }
    }
}

impl fmt::Display for PacketError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingCp => f.write_str("no CP=&& field in the data segment"),
            Self::UnterminatedCp => f.write_str("CP area is not closed by && at the end of the data segment"),
            Self::MissingField { field } => write!(f, "required field {field} is missing"),
            Self::DuplicateField { field } => write!(f, "field {field} appears more than once"),
            Self::UnknownField { field } => write!(f, "unknown field {field:?} (field names are case-sensitive)"),
            Self::MalformedField { text } => write!(f, "header item {text:?} is not KEY=value"),
            Self::InvalidField { field, value: Some(v), reason } => write!(f, "{field}={v}: {reason}"),
            Self::InvalidField { field, value: None, reason } => write!(f, "{field}: {reason}"),
            Self::EmptyCpItem => f.write_str("empty item in the CP area"),
            Self::MalformedCpItem { item } => write!(f, "CP item {item:?} is not key=value"),
            Self::DuplicateCpKey { key } => write!(f, "CP key {key} appears more than once"),
            Self::InvalidCpValue { key, value, expected } => write!(f, "{key}={value}: expected {expected}"),
        }
    }
}

impl std::error::Error for PacketError {}

/// Either kind of error, for one-call parsing ([`crate::parse_packet`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The frame envelope is broken.
    Frame(FrameError),
    /// The frame is fine but its data segment is not a usable packet.
    Packet(PacketError),
}

impl Error {
    /// The inner error's stable code.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Frame(e) => e.code(),
            Self::Packet(e) => e.code(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Frame(e) => e.fmt(f),
            Self::Packet(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Frame(e) => Some(e),
            Self::Packet(e) => Some(e),
        }
    }
}

impl From<FrameError> for Error {
    fn from(e: FrameError) -> Self {
        Self::Frame(e)
    }
}

impl From<PacketError> for Error {
    fn from(e: PacketError) -> Self {
        Self::Packet(e)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_display() {
        let e = FrameError::BadCrc { expected: 0x0440, found: 0xA6EC };
        assert_eq!(e.code(), "bad_crc");
        assert_eq!(e.to_string(), "CRC: expected 0440, found A6EC");
        let l = FrameError::LengthMismatch { declared: 121, actual: 119 };
        assert_eq!(l.to_string(), "length field says 121 bytes, the data segment has 119");
        let p: Error = PacketError::MissingField { field: "MN" }.into();
        assert_eq!(p.code(), "missing_field");
        assert_eq!(p.to_string(), "required field MN is missing");
        let pw = PacketError::InvalidField { field: "PW", value: None, reason: "longer than 24 characters" };
        assert_eq!(pw.to_string(), "PW: longer than 24 characters");
    }

    #[test]
    fn quotes_are_cut_on_char_boundaries() {
        let long = "中".repeat(100);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_MAX + 1);
        assert_eq!(quote("abc"), "abc");
        assert_eq!(quote_bytes(&[0xff, b'a']), "\u{fffd}a");
    }
}
