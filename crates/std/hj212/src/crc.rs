//! The HJ 212 CRC (HJ 212-2017 Appendix A, normative) and the per-station checksum policy.
//!
//! The HJ 212 CRC is **not** CRC-16/MODBUS. Both use the reflected polynomial 0xA001 and the
//! initial value 0xFFFF, but HJ 212 folds each byte in as `reg = (reg >> 8) ^ byte` (the byte is
//! XORed with the *high* byte of the register and the result becomes the whole register), where
//! MODBUS does `reg ^= byte`. Only 8 bits of state survive between bytes, so no catalogue CRC
//! reproduces it. Check values: `"123456789"` → HJ 212 `2F80`, MODBUS `4B37`; the official
//! example segment of Appendix A (p.20) → `1C80` (the prose misprints it as `1C08`).
//!
//! Real devices exist that send a byte-swapped CRC-16/MODBUS instead (all 22 non-matching
//! packets of one public receiver log are exactly that). [`Checksum::Hj212OrSwappedModbus`] is the
//! opt-in, per-station allowance for them; the default [`Checksum::Hj212`] rejects them.

use serde::{Deserialize, Serialize};

/// One bit-wise step of the reflected polynomial 0xA001, applied 8 times.
const fn shift8(mut reg: u16) -> u16 {
    let mut i = 0;
    while i < 8 {
        let lsb = reg & 1;
        reg >>= 1;
        if lsb != 0 {
            reg ^= 0xA001;
        }
        i += 1;
    }
    reg
}

/// `shift8` of every byte value, computed at compile time. For a reflected CRC the eight steps
/// of a 16-bit register split into the high byte shifted down and the low byte's pattern:
/// `shift8(r) == (r >> 8) ^ TABLE[r & 0xFF]`, one lookup instead of eight shift/XOR steps.
const TABLE: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = shift8(i as u16);
        i += 1;
    }
    t
};

fn shift8_fast(reg: u16) -> u16 {
    (reg >> 8) ^ TABLE[usize::from(reg & 0xFF)]
}

/// The HJ 212 CRC of `data` (HJ 212-2017 Appendix A).
///
/// Register 0xFFFF; for each byte: `reg = (reg >> 8) ^ byte`, then 8 × (shift right, XOR 0xA001
/// if the bit shifted out was 1). Transmitted high byte first as 4 hex digits (p.19).
///
/// ```
/// assert_eq!(qy_hj212::crc_hj212(b"123456789"), 0x2F80);
/// assert_eq!(qy_hj212::crc_hj212(b""), 0xFFFF);
/// ```
#[must_use]
pub fn crc_hj212(data: &[u8]) -> u16 {
    // HJ 212-2017 Appendix A: "XOR the byte with the high byte of the register, store as the register".
    data.iter().fold(0xFFFF_u16, |reg, &b| shift8_fast((reg >> 8) ^ u16::from(b)))
}

/// Plain CRC-16/MODBUS of `data` (poly 0xA001 reflected, init 0xFFFF, `reg ^= byte`).
///
/// Not used by HJ 212; here to recognise devices that send it byte-swapped, and for contrast.
///
/// ```
/// assert_eq!(qy_hj212::crc16_modbus(b"123456789"), 0x4B37);
/// ```
#[must_use]
pub fn crc16_modbus(data: &[u8]) -> u16 {
    data.iter().fold(0xFFFF_u16, |reg, &b| shift8_fast(reg ^ u16::from(b)))
}

/// Which CRCs are accepted from a station.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Checksum {
    /// Only the HJ 212 CRC of Appendix A (the default, and what the standard requires).
    #[default]
    Hj212,
    /// Per-station allowance for legacy data loggers: also accept a CRC-16/MODBUS transmitted
    /// with its bytes swapped (low byte first), and — the same family of loggers does both —
    /// data segments longer than 1024 bytes (see [`crate::FrameOptions`]). Each use is recorded as
    /// a [`crate::Deviation`].
    Hj212OrSwappedModbus,
}

/// Which algorithm a frame's CRC matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrcMatch {
    /// The HJ 212 CRC (Appendix A).
    Hj212,
    /// A byte-swapped CRC-16/MODBUS (only under [`Checksum::Hj212OrSwappedModbus`]).
    SwappedModbus,
}

impl CrcMatch {
    /// Stable snake_case name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hj212 => "hj212",
            Self::SwappedModbus => "swapped_modbus",
        }
    }
}

impl Checksum {
    /// Stable snake_case name (as serialised).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hj212 => "hj212",
            Self::Hj212OrSwappedModbus => "hj212_or_swapped_modbus",
        }
    }

    /// Does `found` (the 16-bit value written in the frame) match `segment` under this policy?
    #[must_use]
    pub fn verify(self, segment: &[u8], found: u16) -> Option<CrcMatch> {
        if crc_hj212(segment) == found {
            return Some(CrcMatch::Hj212);
        }
        match self {
            Self::Hj212 => None,
            Self::Hj212OrSwappedModbus => {
                (crc16_modbus(segment).swap_bytes() == found).then_some(CrcMatch::SwappedModbus)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    /// HJ 212-2017 Appendix A worked example (p.20).
    const OFFICIAL: &[u8] =
        b"QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    #[test]
    fn check_values() {
        assert_eq!(crc_hj212(b""), 0xFFFF);
        assert_eq!(crc_hj212(b"1"), 0x9481);
        assert_eq!(crc16_modbus(b"1"), 0x947E);
        assert_eq!(crc_hj212(b"123456789"), 0x2F80);
        assert_eq!(crc16_modbus(b"123456789"), 0x4B37);
    }

    #[test]
    fn official_example_and_first_steps() {
        assert_eq!(OFFICIAL.len(), 101);
        assert_eq!(crc_hj212(OFFICIAL), 0x1C80);
        assert_eq!(crc16_modbus(OFFICIAL), 0x0759);
        // First steps of the register as worked out in the reference (§1.6).
        assert_eq!(crc_hj212(b"Q"), 0xBC81);
        assert_eq!(crc_hj212(b"QN"), 0x8581);
        assert_eq!(crc_hj212(b"QN="), 0x7200);
        assert_eq!(crc_hj212(b"QN=2"), 0xF001);
    }

    #[test]
    fn policy() {
        let seg = b"ST=31;CN=2011;PW=123456;MN=4201003;CP=&&&&";
        let swapped = crc16_modbus(seg).swap_bytes();
        assert_eq!(Checksum::Hj212.verify(seg, crc_hj212(seg)), Some(CrcMatch::Hj212));
        assert_eq!(Checksum::Hj212.verify(seg, swapped), None);
        assert_eq!(Checksum::Hj212OrSwappedModbus.verify(seg, swapped), Some(CrcMatch::SwappedModbus));
        assert_eq!(Checksum::Hj212OrSwappedModbus.verify(seg, crc16_modbus(seg)), None);
        assert_eq!(Checksum::default(), Checksum::Hj212);
    }
}
