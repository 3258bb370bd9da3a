//! The frame envelope (HJ 212-2017 §6.3.1, Table 2):
//!
//! ```text
//! "##" | LLLL (4 decimal digits) | data segment (0..=1024 bytes) | CRC (4 hex) | CR LF
//! ```
//!
//! The CRC covers the data segment only and is written high byte first (p.19); it is accepted in
//! either case and emitted in upper case. The maximum frame is 2+4+1024+4+2 = 1036 bytes.
//! For the streaming reader see [`crate::Decoder`].

use serde::{Deserialize, Serialize};

use crate::crc::{crc_hj212, CrcMatch};
use crate::deviation::Deviation;
use crate::error::{quote_bytes, FrameError, PacketError};
use crate::segment::Packet;
use crate::Checksum;

/// `##` (Table 2).
pub const HEADER: &[u8; 2] = b"##";
/// CR LF (Table 2).
pub const TERMINATOR: &[u8; 2] = b"\r\n";
/// Maximum data-segment length in bytes (HJ 212-2017 Table 2).
pub const MAX_SEGMENT_LEN: usize = 1024;
/// The largest value a 4-digit length field can carry; the limit under the legacy allowance.
pub const LEGACY_MAX_SEGMENT_LEN: usize = 9999;
/// `##` + length field.
pub const PREFIX_LEN: usize = 6;
/// CRC + CR LF.
pub const SUFFIX_LEN: usize = 6;
/// Maximum frame length in bytes under the standard: 1036.
pub const MAX_FRAME_LEN: usize = PREFIX_LEN + MAX_SEGMENT_LEN + SUFFIX_LEN;

/// What a receiver accepts from one station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FrameOptions {
    /// Which CRCs are accepted.
    pub checksum: Checksum,
    /// Longest data segment accepted, in bytes (1024 by the standard; at most 9999).
    pub max_segment_len: usize,
}

impl FrameOptions {
    /// HJ 212-2017 as written: HJ 212 CRC only, segments up to 1024 bytes.
    pub const STRICT: Self = Self { checksum: Checksum::Hj212, max_segment_len: MAX_SEGMENT_LEN };

    /// The per-station legacy allowance: byte-swapped MODBUS CRCs and segments up to 9999 bytes
    /// (the logger family that sends the one also sends the other, e.g. `##1025`, `##1623`).
    pub const LEGACY: Self = Self { checksum: Checksum::Hj212OrSwappedModbus, max_segment_len: LEGACY_MAX_SEGMENT_LEN };

    /// Longest frame these options accept, in bytes.
    #[must_use]
    pub fn max_frame_len(&self) -> usize {
        PREFIX_LEN + self.segment_limit() + SUFFIX_LEN
    }

    /// `max_segment_len` clamped to what a 4-digit length field can express.
    #[must_use]
    pub fn segment_limit(&self) -> usize {
        self.max_segment_len.min(LEGACY_MAX_SEGMENT_LEN)
    }
}

impl Default for FrameOptions {
    fn default() -> Self {
        Self::STRICT
    }
}

/// The options that go with a checksum policy: [`FrameOptions::STRICT`] for
/// [`Checksum::Hj212`], [`FrameOptions::LEGACY`] for [`Checksum::Hj212OrSwappedModbus`].
impl From<Checksum> for FrameOptions {
    fn from(c: Checksum) -> Self {
        match c {
            Checksum::Hj212 => Self::STRICT,
            Checksum::Hj212OrSwappedModbus => Self::LEGACY,
        }
    }
}

/// A well-formed frame: length and CRC verified, segment valid UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The data segment (between the length field and the CRC).
    pub segment: String,
    /// The length field's value.
    pub declared_len: usize,
    /// The CRC value written in the frame.
    pub crc: u16,
    /// Which algorithm it matched.
    pub crc_match: CrcMatch,
    /// Tolerated frame-level deviations (lower-case CRC, swapped MODBUS CRC, …).
    pub deviations: Vec<Deviation>,
}

impl Frame {
    /// Parse the data segment; the packet's deviations start with this frame's.
    pub fn packet(&self) -> Result<Packet, PacketError> {
        let mut p = Packet::parse(&self.segment)?;
        let mut all = self.deviations.clone();
        all.append(&mut p.deviations);
        p.deviations = all;
        Ok(p)
    }

    /// The frame re-encoded canonically (upper-case HJ 212 CRC, byte length).
    #[must_use]
    pub fn to_wire(&self) -> String {
        encode_frame(&self.segment)
    }
}

fn hex_value(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some(u16::from(b - b'0')),
        b'a'..=b'f' => Some(u16::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(b - b'A' + 10)),
        _ => None,
    }
}

/// Four ASCII decimal digits → value.
pub(crate) fn parse_length_field(b: &[u8]) -> Option<usize> {
    if b.len() != 4 {
        return None;
    }
    b.iter().try_fold(0usize, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + usize::from(c - b'0')))
}

/// Four ASCII hex digits → value.
fn parse_crc_field(b: &[u8]) -> Option<u16> {
    if b.len() != 4 {
        return None;
    }
    b.iter().try_fold(0u16, |acc, &c| Some((acc << 4) | hex_value(c)?))
}

/// Parse one complete frame, `##` through CR LF, under [`FrameOptions::STRICT`].
///
/// ```
/// use qy_hj212::{parse_frame, FrameError};
/// let f = parse_frame(b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n").unwrap();
/// assert_eq!(f.crc, 0x1C80);
/// assert_eq!(parse_frame(b"##0002AB1234\r\n").unwrap_err().code(), "bad_crc");
/// ```
pub fn parse_frame(bytes: &[u8]) -> Result<Frame, FrameError> {
    parse_frame_with(bytes, FrameOptions::STRICT)
}

/// Parse one complete frame under the given options.
///
/// Checks, in order: header, length field, CR LF, minimum size, length field = segment bytes
/// (or characters, for non-ASCII segments — recorded), maximum length, CRC field syntax, CRC,
/// UTF-8.
pub fn parse_frame_with(bytes: &[u8], options: FrameOptions) -> Result<Frame, FrameError> {
    if !bytes.starts_with(HEADER) {
        return Err(FrameError::MissingHeader);
    }
    let Some(len_field) = bytes.get(2..PREFIX_LEN) else {
        return Err(FrameError::Truncated { len: bytes.len() });
    };
    let Some(declared) = parse_length_field(len_field) else {
        return Err(FrameError::BadLengthField { found: quote_bytes(len_field) });
    };
    if !bytes.ends_with(TERMINATOR) {
        return Err(FrameError::MissingTerminator);
    }
    let n = bytes.len();
    if n < PREFIX_LEN + SUFFIX_LEN {
        return Err(FrameError::Truncated { len: n });
    }
    let segment = bytes.get(PREFIX_LEN..n - SUFFIX_LEN).unwrap_or_default();
    let crc_field = bytes.get(n - SUFFIX_LEN..n - 2).unwrap_or_default();
    let mut deviations = Vec::new();

    // Table 2: the length field is the number of bytes of the data segment.
    let actual = segment.len();
    if declared != actual {
        match std::str::from_utf8(segment).map(|s| s.chars().count()) {
            // eco-monitoring §1.2: some implementations count characters (C# string length).
            Ok(chars) if chars == declared => deviations.push(Deviation::LengthCountsChars { bytes: actual, chars }),
            _ => return Err(FrameError::LengthMismatch { declared, actual }),
        }
    }
    let limit = options.segment_limit();
    if actual > limit {
        return Err(FrameError::TooLong { len: actual, max: limit });
    }
    if actual > MAX_SEGMENT_LEN {
        deviations.push(Deviation::SegmentOver1024 { len: actual });
    }

    let Some(found) = parse_crc_field(crc_field) else {
        return Err(FrameError::BadCrcField { found: quote_bytes(crc_field) });
    };
    let Some(crc_match) = options.checksum.verify(segment, found) else {
        return Err(FrameError::BadCrc { expected: crc_hj212(segment), found });
    };
    if crc_field.iter().any(u8::is_ascii_lowercase) {
        deviations.push(Deviation::LowercaseCrc);
    }
    if crc_match == CrcMatch::SwappedModbus {
        deviations.push(Deviation::SwappedModbusCrc);
    }

    let segment = match std::str::from_utf8(segment) {
        Ok(s) => s.to_string(),
        Err(e) => return Err(FrameError::NotUtf8 { valid_up_to: e.valid_up_to() }),
    };
    Ok(Frame { segment, declared_len: declared, crc: found, crc_match, deviations })
}

/// Encode a data segment as a frame: `##`, byte length (4 digits), segment, upper-case HJ 212
/// CRC, CR LF.
///
/// Does not check the 1024-byte limit (see [`try_encode_frame`]); a segment over 9999 bytes
/// gets a length field of more than 4 digits, which no receiver accepts.
///
/// ```
/// let f = qy_hj212::encode_frame("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&");
/// assert!(f.starts_with("##0101QN=") && f.ends_with("&&1C80\r\n"));
/// ```
#[must_use]
pub fn encode_frame(segment: &str) -> String {
    format!("##{:04}{segment}{:04X}\r\n", segment.len(), crc_hj212(segment.as_bytes()))
}

/// [`encode_frame`], refusing segments over 1024 bytes (HJ 212-2017 Table 2).
pub fn try_encode_frame(segment: &str) -> Result<String, FrameError> {
    if segment.len() > MAX_SEGMENT_LEN {
        return Err(FrameError::TooLong { len: segment.len(), max: MAX_SEGMENT_LEN });
    }
    Ok(encode_frame(segment))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::crc16_modbus;

    const V01: &str =
        "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    #[test]
    fn round_trip_official_example() {
        let wire = encode_frame(V01);
        assert_eq!(wire, format!("##0101{V01}1C80\r\n"));
        let f = parse_frame(wire.as_bytes()).unwrap();
        assert_eq!(f.segment, V01);
        assert_eq!(f.declared_len, 101);
        assert_eq!(f.crc_match, CrcMatch::Hj212);
        assert!(f.deviations.is_empty());
        assert_eq!(f.to_wire(), wire);
    }

    #[test]
    fn lowercase_crc_is_accepted_and_recorded() {
        let wire = format!("##0101{V01}1c80\r\n");
        let f = parse_frame(wire.as_bytes()).unwrap();
        assert_eq!(f.deviations, vec![Deviation::LowercaseCrc]);
    }

    #[test]
    fn specific_errors() {
        assert_eq!(parse_frame(b""), Err(FrameError::MissingHeader));
        assert_eq!(parse_frame(b"#0101"), Err(FrameError::MissingHeader));
        assert_eq!(parse_frame(b"##01"), Err(FrameError::Truncated { len: 4 }));
        assert_eq!(parse_frame(b"##01x1abc"), Err(FrameError::BadLengthField { found: "01x1".into() }));
        assert_eq!(parse_frame(b"##0000FFFF"), Err(FrameError::MissingTerminator));
        assert_eq!(parse_frame(b"##0000\r\n"), Err(FrameError::Truncated { len: 8 }));
        assert!(parse_frame(b"##0000FFFF\r\n").is_ok());
        assert_eq!(parse_frame(b"##0001FFFF\r\n"), Err(FrameError::LengthMismatch { declared: 1, actual: 0 }));
        assert_eq!(parse_frame(b"##0000FFFG\r\n"), Err(FrameError::BadCrcField { found: "FFFG".into() }));
        assert_eq!(parse_frame(b"##0000FFFE\r\n"), Err(FrameError::BadCrc { expected: 0xFFFF, found: 0xFFFE }));
        let bad = [b"##0001".as_slice(), &[0xff], format!("{:04X}\r\n", crc_hj212(&[0xff])).as_bytes()].concat();
        assert_eq!(parse_frame(&bad), Err(FrameError::NotUtf8 { valid_up_to: 0 }));
    }

    #[test]
    fn too_long_and_legacy_allowance() {
        let seg = format!("ST=31;CN=2011;PW=123456;MN=1;CP=&&{}&&", "a=1;".repeat(250));
        assert!(seg.len() > MAX_SEGMENT_LEN);
        let wire = encode_frame(&seg);
        assert_eq!(parse_frame(wire.as_bytes()), Err(FrameError::TooLong { len: seg.len(), max: 1024 }));
        let f = parse_frame_with(wire.as_bytes(), FrameOptions::LEGACY).unwrap();
        assert_eq!(f.deviations, vec![Deviation::SegmentOver1024 { len: seg.len() }]);
        assert!(try_encode_frame(&seg).is_err());
        assert!(try_encode_frame(V01).is_ok());
    }

    #[test]
    fn swapped_modbus_only_under_allowance() {
        let swapped = crc16_modbus(V01.as_bytes()).swap_bytes();
        let wire = format!("##0101{V01}{swapped:04X}\r\n");
        assert_eq!(parse_frame(wire.as_bytes()), Err(FrameError::BadCrc { expected: 0x1C80, found: swapped }));
        let f = parse_frame_with(wire.as_bytes(), Checksum::Hj212OrSwappedModbus.into()).unwrap();
        assert_eq!(f.crc_match, CrcMatch::SwappedModbus);
        assert_eq!(f.deviations, vec![Deviation::SwappedModbusCrc]);
    }

    #[test]
    fn char_counted_length_is_tolerated() {
        let seg = "ST=21;CN=3020;PW=123456;MN=1;CP=&&i11001-Info=日志&&";
        let chars = seg.chars().count();
        let wire = format!("##{chars:04}{seg}{:04X}\r\n", crc_hj212(seg.as_bytes()));
        let f = parse_frame(wire.as_bytes()).unwrap();
        assert_eq!(f.deviations, vec![Deviation::LengthCountsChars { bytes: seg.len(), chars }]);
    }
}
