//! Tolerated departures from the standard, recorded on every frame and packet that has them.
//!
//! The tolerant reader accepts exactly the deviations observed in real traffic and listed in the
//! shared research (eco-monitoring.md §1.2, §1.3, §1.12), plus two seen in a widely copied test
//! packet (trailing `;` in the CP area and `Flag=7` without `PNUM`/`PNO`). Everything else that
//! breaks HJ 212-2017 is an error. Each deviation has a stable snake_case [`Deviation::code`] so
//! the platform can log and count them per station.

use std::fmt;

use serde::Serialize;

/// One tolerated departure from HJ 212-2017.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Deviation {
    /// The CRC was written in lower-case hex (`7d00`); §6.3.1 examples use upper case.
    LowercaseCrc,
    /// The CRC is a byte-swapped CRC-16/MODBUS, accepted under
    /// [`crate::Checksum::Hj212OrSwappedModbus`] only.
    SwappedModbusCrc,
    /// Data segment longer than 1024 bytes (Table 2 limit), accepted under the legacy allowance.
    SegmentOver1024 {
        /// Segment length in bytes.
        len: usize,
    },
    /// The length field counts characters, not bytes, of a non-ASCII segment (§1.2
    /// recommendation: count bytes, accept the character count with a warning).
    LengthCountsChars {
        /// Bytes in the segment.
        bytes: usize,
        /// Characters in the segment (= the length field).
        chars: usize,
    },
    /// No `QN=` field (HJ/T 212-2005 style upload).
    MissingQn,
    /// No `Flag=` field (HJ/T 212-2005 style upload).
    MissingFlag,
    /// `QN` has 14 digits (`YYYYMMDDhhmmss`, no milliseconds) instead of 17.
    QnWithoutMillis,
    /// `ST` is not a two-character Table 5 code (e.g. `ST=101` in real logs).
    NonstandardSt {
        /// The value.
        st: String,
    },
    /// `PW` is not 6 characters (24-character passwords are common).
    PwLength {
        /// Its length.
        len: usize,
    },
    /// `MN` is not 24 hex characters (EPC-96); real MNs are 7–24 arbitrary characters.
    MnFormat {
        /// Its length.
        len: usize,
    },
    /// Spaces around a header field, e.g. `Flag=5 ;`.
    FieldWhitespace {
        /// The field name.
        field: String,
    },
    /// Header fields not in Table 3 order, e.g. `PNO` before `PNUM`.
    FieldOrder {
        /// The field that came too early.
        field: String,
    },
    /// Flag bit D (split packet) set but no `PNUM`/`PNO`; treated as an unsplit packet.
    SplitFlagWithoutPnum,
    /// A CP timestamp with milliseconds (17 digits) where Table 4 has `YYYYMMDDhhmmss`.
    TimeWithMillis {
        /// The CP key, e.g. `DataTime`.
        key: String,
    },
    /// A factor field suffix in non-canonical case, e.g. `A18-flag`.
    SuffixCase {
        /// The key as written.
        key: String,
    },
    /// A bare `Flag=N` item in the CP area without a factor code prefix (kept in `other`).
    BareFlag {
        /// Its value.
        value: String,
    },
    /// The CP area ends with `;` (an empty last group), e.g. `…a34001-Flag=N;&&`.
    TrailingSemicolon,
}

impl Deviation {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::LowercaseCrc => "lowercase_crc",
            Self::SwappedModbusCrc => "swapped_modbus_crc",
            Self::SegmentOver1024 { .. } => "segment_over_1024",
            Self::LengthCountsChars { .. } => "length_counts_chars",
            Self::MissingQn => "missing_qn",
            Self::MissingFlag => "missing_flag",
            Self::QnWithoutMillis => "qn_without_millis",
            Self::NonstandardSt { .. } => "nonstandard_st",
            Self::PwLength { .. } => "pw_length",
            Self::MnFormat { .. } => "mn_format",
            Self::FieldWhitespace { .. } => "field_whitespace",
            Self::FieldOrder { .. } => "field_order",
            Self::SplitFlagWithoutPnum => "split_flag_without_pnum",
            Self::TimeWithMillis { .. } => "time_with_millis",
            Self::SuffixCase { .. } => "suffix_case",
            Self::BareFlag { .. } => "bare_flag",
            Self::TrailingSemicolon => "trailing_semicolon",
        }
    }
}

impl fmt::Display for Deviation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::LowercaseCrc => f.write_str("CRC written in lower-case hex"),
            Self::SwappedModbusCrc => {
                f.write_str("CRC is a byte-swapped CRC-16/MODBUS, not the HJ 212 CRC (accepted by station allowance)")
            }
            Self::SegmentOver1024 { len } => {
                write!(f, "data segment of {len} bytes exceeds 1024 (accepted by station allowance)")
            }
            Self::LengthCountsChars { bytes, chars } => {
                write!(f, "length field counts {chars} characters, the segment has {bytes} bytes")
            }
            Self::MissingQn => f.write_str("no QN field (HJ/T 212-2005 style)"),
            Self::MissingFlag => f.write_str("no Flag field (HJ/T 212-2005 style)"),
            Self::QnWithoutMillis => f.write_str("QN has 14 digits, without milliseconds"),
            Self::NonstandardSt { st } => write!(f, "ST={st} is not a two-character system code"),
            Self::PwLength { len } => write!(f, "PW has {len} characters, the standard has 6"),
            Self::MnFormat { len } => write!(f, "MN has {len} characters and is not 24 hex digits"),
            Self::FieldWhitespace { field } => write!(f, "spaces around field {field}"),
            Self::FieldOrder { field } => write!(f, "field {field} out of the standard order"),
            Self::SplitFlagWithoutPnum => {
                f.write_str("Flag has the split-packet bit D but there is no PNUM/PNO; treated as one packet")
            }
            Self::TimeWithMillis { key } => write!(f, "{key} has milliseconds (17 digits)"),
            Self::SuffixCase { key } => write!(f, "factor key {key} has a non-canonical suffix case"),
            Self::BareFlag { value } => write!(f, "bare Flag={value} without a factor code in the CP area"),
            Self::TrailingSemicolon => f.write_str("CP area ends with ';'"),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_json() {
        let d = Deviation::SuffixCase { key: "A18-flag".into() };
        assert_eq!(d.code(), "suffix_case");
        assert_eq!(serde_json::to_string(&d).unwrap(), r#"{"code":"suffix_case","key":"A18-flag"}"#);
        assert_eq!(serde_json::to_string(&Deviation::MissingQn).unwrap(), r#"{"code":"missing_qn"}"#);
        assert!(Deviation::PwLength { len: 24 }.to_string().contains("24"));
    }
}
