//! `check`: one packet in, a serialisable report out. Backs `qingyun tools hj212 check 'PACKET'`
//! (prints the report as JSON; exit 0 when `valid`, 1 otherwise).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::codes::Edition;
use crate::cp::FactorValues;
use crate::crc::{crc_hj212, Checksum, CrcMatch};
use crate::datatime::DataTime;
use crate::deviation::Deviation;
use crate::frame::{parse_frame_with, parse_length_field, FrameOptions, PREFIX_LEN, TERMINATOR};
use crate::segment::{Packet, PacketFlag};

/// The length field and what it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LengthReport {
    /// The 4-digit length field, if readable.
    pub declared: Option<usize>,
    /// Bytes between the length field and the CRC.
    pub actual: Option<usize>,
}

/// The CRC field and what it should be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CrcReport {
    /// The 4 characters before CR LF, as written.
    pub in_packet: Option<String>,
    /// The HJ 212 CRC of the data segment, upper-case hex.
    pub expected: Option<String>,
    /// Which algorithm matched, when one did.
    pub matched: Option<CrcMatch>,
}

/// The decoded `Flag`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlagReport {
    /// The integer value.
    pub value: u8,
    /// V5..V0.
    pub version_bits: u8,
    /// Bit A.
    pub ack_requested: bool,
    /// Bit D.
    pub split: bool,
}

impl From<PacketFlag> for FlagReport {
    fn from(f: PacketFlag) -> Self {
        Self { value: f.bits(), version_bits: f.version_bits(), ack_requested: f.ack_requested(), split: f.split() }
    }
}

/// The CP area as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CpReport {
    /// `DataTime` (`YYYYMMDDhhmmss`).
    pub data_time: Option<DataTime>,
    /// Factor fields by factor code, suffix → text.
    pub factors: BTreeMap<String, FactorValues>,
    /// Other items in order, as `[key, value]` pairs.
    pub other: Vec<(String, String)>,
}

/// A parsed packet as reported; the password is always `***`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PacketReport {
    /// `QN`.
    pub qn: Option<String>,
    /// `ST`.
    pub st: String,
    /// English name of `ST` (Table 5).
    pub st_name: Option<&'static str>,
    /// `CN`.
    pub cn: String,
    /// English name of `CN` (Table 9).
    pub cn_name: Option<&'static str>,
    /// Always `***`.
    pub pw: &'static str,
    /// `MN`.
    pub mn: String,
    /// `Flag`.
    pub flag: Option<FlagReport>,
    /// The edition the packet follows.
    pub edition: Option<Edition>,
    /// `PNUM`.
    pub pnum: Option<u16>,
    /// `PNO`.
    pub pno: Option<u16>,
    /// The CP area.
    pub cp: CpReport,
}

impl From<&Packet> for PacketReport {
    fn from(p: &Packet) -> Self {
        Self {
            qn: p.qn.clone(),
            st: p.st.clone(),
            st_name: p.system().map(|s| s.name_en),
            cn: p.cn.clone(),
            cn_name: p.command().map(|c| c.name_en),
            pw: "***",
            mn: p.mn.clone(),
            flag: p.flag.map(FlagReport::from),
            edition: p.edition(),
            pnum: p.pnum,
            pno: p.pno,
            cp: CpReport { data_time: p.cp.data_time, factors: p.cp.factors.clone(), other: p.cp.other.clone() },
        }
    }
}

/// One tolerated deviation as reported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviationReport {
    /// [`Deviation::code`].
    pub code: &'static str,
    /// English explanation.
    pub message: String,
}

impl From<&Deviation> for DeviationReport {
    fn from(d: &Deviation) -> Self {
        Self { code: d.code(), message: d.to_string() }
    }
}

/// The result of [`check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckReport {
    /// Well-formed frame whose data segment parses as a packet.
    pub valid: bool,
    /// Stable error code when not valid ([`crate::FrameError::code`] or
    /// [`crate::PacketError::code`]).
    pub error_code: Option<String>,
    /// English explanation when not valid.
    pub reason: Option<String>,
    /// The checksum policy applied.
    pub policy: Checksum,
    /// Length field versus actual length.
    pub length: LengthReport,
    /// CRC in the packet versus the HJ 212 CRC.
    pub crc: CrcReport,
    /// The parsed packet when valid.
    pub packet: Option<PacketReport>,
    /// Tolerated deviations.
    pub deviations: Vec<DeviationReport>,
}

/// Check one packet given as text, with or without its trailing CR LF.
///
/// `policy` [`Checksum::Hj212OrSwappedModbus`] applies the per-station legacy allowance
/// ([`FrameOptions::LEGACY`]).
///
/// ```
/// use qy_hj212::{check, Checksum};
/// let r = check("##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80", Checksum::Hj212);
/// assert!(r.valid);
/// assert_eq!(r.packet.unwrap().pw, "***");
/// let bad = check("##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C81\r\n", Checksum::Hj212);
/// assert_eq!(bad.error_code.as_deref(), Some("bad_crc"));
/// assert_eq!(bad.crc.expected.as_deref(), Some("1C80"));
/// ```
#[must_use]
pub fn check(packet_text: &str, policy: Checksum) -> CheckReport {
    let bytes = packet_text.as_bytes();
    let body = bytes.strip_suffix(TERMINATOR.as_slice()).unwrap_or(bytes);
    let mut report = CheckReport {
        valid: false,
        error_code: None,
        reason: None,
        policy,
        length: LengthReport { declared: None, actual: None },
        crc: CrcReport { in_packet: None, expected: None, matched: None },
        packet: None,
        deviations: Vec::new(),
    };
    if body.starts_with(b"##") {
        report.length.declared = body.get(2..PREFIX_LEN).and_then(parse_length_field);
        if body.len() >= PREFIX_LEN + 4 {
            let crc_at = body.len() - 4;
            let segment = body.get(PREFIX_LEN..crc_at).unwrap_or_default();
            report.length.actual = Some(segment.len());
            report.crc.in_packet = body.get(crc_at..).map(|c| String::from_utf8_lossy(c).into_owned());
            report.crc.expected = Some(format!("{:04X}", crc_hj212(segment)));
        }
    }
    let mut framed = body.to_vec();
    framed.extend_from_slice(TERMINATOR);
    let frame = match parse_frame_with(&framed, FrameOptions::from(policy)) {
        Ok(f) => f,
        Err(e) => {
            report.error_code = Some(e.code().to_string());
            report.reason = Some(e.to_string());
            return report;
        }
    };
    report.crc.matched = Some(frame.crc_match);
    match frame.packet() {
        Ok(p) => {
            report.valid = true;
            report.deviations = p.deviations.iter().map(DeviationReport::from).collect();
            report.packet = Some(PacketReport::from(&p));
        }
        Err(e) => {
            report.error_code = Some(e.code().to_string());
            report.reason = Some(e.to_string());
            report.deviations = frame.deviations.iter().map(DeviationReport::from).collect();
        }
    }
    report
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn json_shape() {
        let r = check(
            "##0094QN=20231008125115215;ST=22;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&CC01\r\n",
            Checksum::Hj212,
        );
        let v = serde_json::to_value(&r).unwrap();
        assert_eq!(v["valid"], true);
        assert_eq!(v["policy"], "hj212");
        assert_eq!(v["length"], serde_json::json!({"declared": 94, "actual": 94}));
        assert_eq!(v["crc"], serde_json::json!({"in_packet": "CC01", "expected": "CC01", "matched": "hj212"}));
        assert_eq!(v["packet"]["pw"], "***");
        assert_eq!(v["packet"]["cn_name"], "request answer");
        assert_eq!(v["packet"]["edition"], "HJ 212-2017");
        assert_eq!(
            v["packet"]["flag"],
            serde_json::json!({"value": 4, "version_bits": 1, "ack_requested": false, "split": false})
        );
        assert_eq!(v["packet"]["cp"]["other"], serde_json::json!([["QnRtn", "1"]]));
        assert!(!v.to_string().contains("123456"));
    }

    #[test]
    fn garbage_never_panics_and_reports() {
        for s in ["", "#", "##", "##12", "##abcd", "##0000", "中文##0000FFFF", "##0001中FFFF", "##0003中FFFF\r\n"] {
            let r = check(s, Checksum::Hj212);
            assert!(!r.valid, "{s}");
            assert!(r.error_code.is_some(), "{s}");
        }
    }

    #[test]
    fn packet_error_keeps_frame_deviations() {
        // A segment whose CP area is not closed, with a CRC that has hex letters.
        let (seg, crc) = (0..100)
            .map(|i| format!("ST=22;CN=2011;PW=123456;MN=A{i};CP=&&x"))
            .map(|seg| {
                let crc = format!("{:04x}", crc_hj212(seg.as_bytes()));
                (seg, crc)
            })
            .find(|(_, crc)| crc.bytes().any(|b| b.is_ascii_lowercase()))
            .unwrap();
        let r = check(&format!("##{:04}{seg}{crc}", seg.len()), Checksum::Hj212);
        assert!(!r.valid);
        assert_eq!(r.error_code.as_deref(), Some("unterminated_cp"));
        assert_eq!(r.deviations.iter().map(|d| d.code).collect::<Vec<_>>(), vec!["lowercase_crc"]);
        assert_eq!(r.crc.in_packet.as_deref(), Some(crc.as_str()));
    }
}
