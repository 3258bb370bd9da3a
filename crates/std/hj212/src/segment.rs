//! The data segment (HJ 212-2017 §6.3.2, Table 3):
//! `QN=…;ST=…;CN=…;PW=…;MN=…;Flag=…;PNUM=…;PNO=…;CP=&&…&&`.
//!
//! Fields are parsed by key, not by offset, and the CP area is the span between the first
//! `CP=&&` and the final `&&` (eco-monitoring §1.3). Table 3 widths are enforced except for the
//! departures seen in real traffic, which are accepted and recorded as [`Deviation`]s:
//! no `QN`/`Flag` (HJ/T 212-2005), 14-digit `QN`, `ST=101`, `PW` of up to 24 characters,
//! `MN` of up to 24 arbitrary characters, spaces around fields (`Flag=5 ;`), `PNO` before
//! `PNUM`, and `Flag` with bit D but no `PNUM`/`PNO`.

use std::fmt;

use serde::Serialize;

use crate::codes::{command_code, system_code, CommandCode, Edition, SystemCode};
use crate::cp::Cp;
use crate::datatime::DataTime;
use crate::deviation::Deviation;
use crate::error::{quote, PacketError};
use crate::frame::encode_frame;

/// The `Flag` field (HJ 212-2017 Table 3): bits `V5 V4 V3 V2 V1 V0 D A`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct PacketFlag(u8);

impl PacketFlag {
    /// A: the command requires an answer.
    pub const ACK: u8 = 0b01;
    /// D: the packet carries `PNUM`/`PNO` (split packet).
    pub const SPLIT: u8 = 0b10;

    /// From the field's integer value.
    #[must_use]
    pub fn new(bits: u8) -> Self {
        Self(bits)
    }

    /// Flag for `edition` with the given A and D bits.
    #[must_use]
    pub fn for_edition(edition: Edition, ack: bool, split: bool) -> Self {
        Self((edition.version_bits() << 2) | u8::from(split) << 1 | u8::from(ack))
    }

    /// The integer value.
    #[must_use]
    pub fn bits(self) -> u8 {
        self.0
    }

    /// Bit A: an answer is requested ("Flag=5 → ack required").
    #[must_use]
    pub fn ack_requested(self) -> bool {
        self.0 & Self::ACK != 0
    }

    /// Bit D: split packet with `PNUM`/`PNO`.
    #[must_use]
    pub fn split(self) -> bool {
        self.0 & Self::SPLIT != 0
    }

    /// Version bits V5..V0: 0 = HJ/T 212-2005, 1 = HJ 212-2017, 2 = HJ 212-2025.
    #[must_use]
    pub fn version_bits(self) -> u8 {
        self.0 >> 2
    }

    /// The edition the version bits name, if known.
    #[must_use]
    pub fn edition(self) -> Option<Edition> {
        Edition::from_version_bits(self.version_bits())
    }

    /// The flag for an answer to a packet with this flag: same version, A = 0, D = 0
    /// (Flag=5 or 7 → 4; Flag=9 → 8), as in HJ 212-2017 Tables C.14–C.18.
    #[must_use]
    pub fn for_answer(self) -> Self {
        Self(self.0 & !(Self::ACK | Self::SPLIT))
    }
}

/// Table 3 field names in standard order.
const FIELDS: [&str; 8] = ["QN", "ST", "CN", "PW", "MN", "Flag", "PNUM", "PNO"];
const QN: usize = 0;
const ST: usize = 1;
const CN: usize = 2;
const PW: usize = 3;
const MN: usize = 4;
const FLAG: usize = 5;
const PNUM: usize = 6;
const PNO: usize = 7;

/// Longest `PW`/`MN` accepted (Table 3 gives 6 and 24; real PWs reach 24).
const ID_MAX: usize = 24;

fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Characters allowed in `PW` and `MN`: printable ASCII except the separators.
fn is_id_char(b: u8) -> bool {
    b.is_ascii_graphic() && !matches!(b, b';' | b'=' | b'&' | b',')
}

/// A parsed data segment.
#[derive(Clone, PartialEq, Eq)]
pub struct Packet {
    /// The whole data segment as received (contains the password: do not log it).
    pub raw: String,
    /// Request number `QN` (`YYYYMMDDhhmmsszzz`); absent in HJ/T 212-2005 uploads.
    pub qn: Option<String>,
    /// System code `ST` (Table 5).
    pub st: String,
    /// Command code `CN` (Table 9).
    pub cn: String,
    /// Access password `PW` (secret: masked in `Debug` and reports).
    pub pw: String,
    /// Device identifier `MN`.
    pub mn: String,
    /// `Flag`; absent in HJ/T 212-2005 uploads.
    pub flag: Option<PacketFlag>,
    /// Total number of packets `PNUM` (split packets only).
    pub pnum: Option<u16>,
    /// Packet number `PNO`, 1-based (split packets only).
    pub pno: Option<u16>,
    /// The CP text between `CP=&&` and the final `&&`.
    pub cp_text: String,
    /// The parsed CP area.
    pub cp: Cp,
    /// Tolerated deviations (frame-level first when parsed via [`crate::Frame::packet`]).
    pub deviations: Vec<Deviation>,
}

impl fmt::Debug for Packet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Packet")
            .field("raw", &format_args!("<{} bytes>", self.raw.len()))
            .field("qn", &self.qn)
            .field("st", &self.st)
            .field("cn", &self.cn)
            .field("pw", &"***")
            .field("mn", &self.mn)
            .field("flag", &self.flag)
            .field("pnum", &self.pnum)
            .field("pno", &self.pno)
            .field("cp", &self.cp)
            .field("deviations", &self.deviations)
            .finish()
    }
}

/// Split a segment into the header text (without the `;` before `CP`) and the CP inner text.
fn split_cp(segment: &str, deviations: &mut Vec<Deviation>) -> Result<(String, String), PacketError> {
    let mut from = 0;
    let pos = loop {
        let Some(rel) = segment.get(from..).and_then(|s| s.find("CP=&&")) else {
            return Err(PacketError::MissingCp);
        };
        let pos = from + rel;
        let before = segment.get(..pos).unwrap_or_default().trim_end_matches(is_space);
        if before.is_empty() || before.ends_with(';') {
            break pos;
        }
        from = pos + 1;
    };
    let before = segment.get(..pos).unwrap_or_default();
    let trimmed = before.trim_end_matches(is_space);
    if trimmed.len() != before.len() {
        deviations.push(Deviation::FieldWhitespace { field: "CP".into() });
    }
    let header = trimmed.strip_suffix(';').unwrap_or(trimmed);
    let after = segment.get(pos + "CP=&&".len()..).unwrap_or_default();
    let Some(inner) = after.strip_suffix("&&") else {
        return Err(PacketError::UnterminatedCp);
    };
    Ok((header.to_string(), inner.to_string()))
}

fn invalid(field: &'static str, value: &str, reason: &'static str) -> PacketError {
    let value = (field != "PW").then(|| quote(value));
    PacketError::InvalidField { field, value, reason }
}

/// 1–4 digits, at least 1 (Table 3: `PNUM=`/`PNO=` fields of 9/8 characters).
fn packet_number(field: &'static str, v: &str) -> Result<u16, PacketError> {
    let n = if (1..=4).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) { v.parse().ok() } else { None };
    match n {
        Some(n) if n >= 1 => Ok(n),
        _ => Err(invalid(field, v, "expected 1-4 digits, at least 1")),
    }
}

impl Packet {
    /// Parse a data segment (the text between the length field and the CRC).
    ///
    /// ```
    /// use qy_hj212::Packet;
    /// let p = Packet::parse("QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&").unwrap();
    /// assert_eq!(p.cn, "1062");
    /// assert!(p.ack_requested());
    /// assert_eq!(p.cp.integer("RtdInterval"), Some(30));
    /// ```
    pub fn parse(segment: &str) -> Result<Packet, PacketError> {
        let mut deviations = Vec::new();
        let (header, cp_text) = split_cp(segment, &mut deviations)?;

        let mut fields: [Option<String>; 8] = Default::default();
        let mut furthest = 0;
        if !header.is_empty() {
            for piece in header.split(';') {
                let (key, value) = match piece.split_once('=') {
                    Some((k, v)) if !k.trim_matches(is_space).is_empty() => (k, v),
                    _ => return Err(PacketError::MalformedField { text: quote(piece) }),
                };
                let (k, v) = (key.trim_matches(is_space), value.trim_matches(is_space));
                let Some(idx) = FIELDS.iter().position(|f| *f == k) else {
                    return Err(PacketError::UnknownField { field: quote(k) });
                };
                let name = FIELDS.get(idx).copied().unwrap_or_default();
                if k.len() != key.len() || v.len() != value.len() {
                    // eco-monitoring §1.3: `Flag=5 ;` with a space.
                    deviations.push(Deviation::FieldWhitespace { field: name.to_string() });
                }
                let Some(slot) = fields.get_mut(idx) else {
                    return Err(PacketError::UnknownField { field: quote(k) });
                };
                if slot.is_some() {
                    return Err(PacketError::DuplicateField { field: name.to_string() });
                }
                *slot = Some(v.to_string());
                if idx < furthest {
                    // eco-monitoring §1.3: several vendors send PNO before PNUM.
                    deviations.push(Deviation::FieldOrder { field: name.to_string() });
                }
                furthest = furthest.max(idx);
            }
        }
        let [qn, st, cn, pw, mn, flag, pnum, pno] = fields;

        // QN: Table 3, YYYYMMDDhhmmsszzz.
        let qn = match qn {
            None => {
                deviations.push(Deviation::MissingQn);
                None
            }
            Some(q) => {
                match q.len() {
                    17 => {}
                    14 => deviations.push(Deviation::QnWithoutMillis),
                    _ => return Err(invalid(FIELDS[QN], &q, "expected YYYYMMDDhhmmsszzz (17 digits)")),
                }
                if DataTime::parse(&q).is_err() {
                    return Err(invalid(FIELDS[QN], &q, "not a valid YYYYMMDDhhmmsszzz time"));
                }
                Some(q)
            }
        };

        // ST: Table 5, two characters (digits, or A0–Z9).
        let st = st.ok_or(PacketError::MissingField { field: FIELDS[ST] })?;
        let sb = st.as_bytes();
        match sb {
            [a, b] if (a.is_ascii_digit() || a.is_ascii_uppercase()) && b.is_ascii_digit() => {}
            [a, b, c] if a.is_ascii_digit() && b.is_ascii_digit() && c.is_ascii_digit() => {
                deviations.push(Deviation::NonstandardSt { st: st.clone() });
            }
            _ => return Err(invalid(FIELDS[ST], &st, "expected a two-character system code")),
        }

        // CN: Table 9, four digits.
        let cn = cn.ok_or(PacketError::MissingField { field: FIELDS[CN] })?;
        if cn.len() != 4 || !cn.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(FIELDS[CN], &cn, "expected 4 digits"));
        }

        // PW: Table 3, 6 characters; up to 24 seen.
        let pw = pw.ok_or(PacketError::MissingField { field: FIELDS[PW] })?;
        if pw.is_empty() || pw.len() > ID_MAX || !pw.bytes().all(is_id_char) {
            return Err(invalid(FIELDS[PW], &pw, "expected 1-24 printable ASCII characters"));
        }
        if pw.len() != 6 {
            deviations.push(Deviation::PwLength { len: pw.len() });
        }

        // MN: Table 3, 24 hex characters (EPC-96); 7-24 arbitrary characters seen.
        let mn = mn.ok_or(PacketError::MissingField { field: FIELDS[MN] })?;
        if mn.is_empty() || mn.len() > ID_MAX || !mn.bytes().all(is_id_char) {
            return Err(invalid(FIELDS[MN], &mn, "expected 1-24 printable ASCII characters"));
        }
        if mn.len() != 24 || !mn.bytes().all(|b| b.is_ascii_hexdigit()) {
            deviations.push(Deviation::MnFormat { len: mn.len() });
        }

        // Flag: Table 3, integer 0-255.
        let flag = match flag {
            None => {
                deviations.push(Deviation::MissingFlag);
                None
            }
            Some(f) => {
                let v = if (1..=3).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()) {
                    f.parse::<u8>().ok()
                } else {
                    None
                };
                Some(PacketFlag(v.ok_or_else(|| invalid(FIELDS[FLAG], &f, "expected an integer 0-255"))?))
            }
        };

        // PNUM/PNO: only with bit D.
        let pnum = pnum.map(|v| packet_number(FIELDS[PNUM], &v)).transpose()?;
        let pno = pno.map(|v| packet_number(FIELDS[PNO], &v)).transpose()?;
        let split_bit = flag.map(PacketFlag::split);
        let (pnum, pno) = match (pnum, pno, split_bit) {
            (None, None, Some(true)) => {
                deviations.push(Deviation::SplitFlagWithoutPnum);
                (None, None)
            }
            (None, None, _) => (None, None),
            (Some(_), Some(_), Some(false)) => {
                return Err(PacketError::InvalidField {
                    field: FIELDS[PNUM],
                    value: None,
                    reason: "PNUM/PNO present but Flag bit D (split packet) is not set",
                })
            }
            (Some(total), Some(no), _) => {
                if no > total {
                    return Err(PacketError::InvalidField {
                        field: FIELDS[PNO],
                        value: Some(no.to_string()),
                        reason: "PNO greater than PNUM",
                    });
                }
                (Some(total), Some(no))
            }
            (None, Some(_), _) => return Err(PacketError::MissingField { field: FIELDS[PNUM] }),
            (Some(_), None, _) => return Err(PacketError::MissingField { field: FIELDS[PNO] }),
        };

        let cp = Cp::parse_recording(&cp_text, &mut deviations)?;
        Ok(Packet { raw: segment.to_string(), qn, st, cn, pw, mn, flag, pnum, pno, cp_text, cp, deviations })
    }

    /// Flag bit A is set: the sender wants an answer.
    #[must_use]
    pub fn ack_requested(&self) -> bool {
        self.flag.is_some_and(PacketFlag::ack_requested)
    }

    /// Part of a split packet (has `PNUM`/`PNO`).
    #[must_use]
    pub fn is_split(&self) -> bool {
        self.pnum.is_some()
    }

    /// Which edition the packet follows: from the Flag version bits, HJ/T 212-2005 without
    /// Flag, `None` for unknown version bits.
    #[must_use]
    pub fn edition(&self) -> Option<Edition> {
        match self.flag {
            Some(f) => f.edition(),
            None => Some(Edition::HjT212_2005),
        }
    }

    /// `QN` as a timestamp.
    #[must_use]
    pub fn qn_time(&self) -> Option<DataTime> {
        self.qn.as_deref().and_then(|q| DataTime::parse(q).ok())
    }

    /// The Table 5 entry of `ST`.
    #[must_use]
    pub fn system(&self) -> Option<&'static SystemCode> {
        system_code(&self.st)
    }

    /// The Table 9 entry of `CN`.
    #[must_use]
    pub fn command(&self) -> Option<&'static CommandCode> {
        command_code(&self.cn)
    }
}

/// Builds data segments and frames (for platform commands, simulators and tests).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PacketBuilder {
    /// `QN`.
    pub qn: Option<String>,
    /// `ST`.
    pub st: String,
    /// `CN`.
    pub cn: String,
    /// `PW`.
    pub pw: String,
    /// `MN`.
    pub mn: String,
    /// `Flag`.
    pub flag: Option<PacketFlag>,
    /// `PNUM` and `PNO`.
    pub part: Option<(u16, u16)>,
    /// The CP area.
    pub cp: Cp,
}

impl fmt::Debug for PacketBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PacketBuilder")
            .field("qn", &self.qn)
            .field("st", &self.st)
            .field("cn", &self.cn)
            .field("pw", &"***")
            .field("mn", &self.mn)
            .field("flag", &self.flag)
            .field("part", &self.part)
            .field("cp", &self.cp)
            .finish()
    }
}

impl PacketBuilder {
    /// A packet with the mandatory fields and an empty CP area.
    #[must_use]
    pub fn new(st: &str, cn: &str, pw: &str, mn: &str) -> Self {
        Self { st: st.into(), cn: cn.into(), pw: pw.into(), mn: mn.into(), ..Self::default() }
    }

    /// Set `QN`.
    #[must_use]
    pub fn qn(mut self, qn: &str) -> Self {
        self.qn = Some(qn.into());
        self
    }

    /// Set `Flag`.
    #[must_use]
    pub fn flag(mut self, flag: PacketFlag) -> Self {
        self.flag = Some(flag);
        self
    }

    /// Set `PNUM`/`PNO`.
    #[must_use]
    pub fn part(mut self, pnum: u16, pno: u16) -> Self {
        self.part = Some((pnum, pno));
        self
    }

    /// Set the CP area.
    #[must_use]
    pub fn cp(mut self, cp: Cp) -> Self {
        self.cp = cp;
        self
    }

    /// The data segment, fields in Table 3 order.
    #[must_use]
    pub fn segment(&self) -> String {
        let mut s = String::new();
        if let Some(qn) = &self.qn {
            s.push_str(&format!("QN={qn};"));
        }
        s.push_str(&format!("ST={};CN={};PW={};MN={};", self.st, self.cn, self.pw, self.mn));
        if let Some(f) = self.flag {
            s.push_str(&format!("Flag={};", f.bits()));
        }
        if let Some((pnum, pno)) = self.part {
            s.push_str(&format!("PNUM={pnum};PNO={pno};"));
        }
        s.push_str(&format!("CP=&&{}&&", self.cp.to_text()));
        s
    }

    /// The complete frame (`##`, length, segment, CRC, CR LF).
    #[must_use]
    pub fn frame(&self) -> String {
        encode_frame(&self.segment())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const V01: &str =
        "QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&";

    #[test]
    fn official_example() {
        let p = Packet::parse(V01).unwrap();
        assert_eq!(p.qn.as_deref(), Some("20160801085857223"));
        assert_eq!((p.st.as_str(), p.cn.as_str(), p.pw.as_str()), ("32", "1062", "100000"));
        assert_eq!(p.mn, "010000A8900016F000169DC0");
        assert_eq!(p.flag, Some(PacketFlag::new(5)));
        assert!(p.ack_requested() && !p.is_split());
        assert_eq!(p.edition(), Some(Edition::Hj212_2017));
        assert_eq!(p.cp_text, "RtdInterval=30");
        assert!(p.deviations.is_empty());
        assert_eq!(p.system().unwrap().name_en, "surface-water pollution source");
        assert_eq!(p.command().unwrap().name_en, "set real-time data interval");
        assert!(!format!("{p:?}").contains("100000"));
    }

    #[test]
    fn flag_bits() {
        let f = PacketFlag::new(7);
        assert!(f.ack_requested() && f.split());
        assert_eq!(f.edition(), Some(Edition::Hj212_2017));
        assert_eq!(f.for_answer().bits(), 4);
        assert_eq!(PacketFlag::new(9).for_answer().bits(), 8);
        assert_eq!(PacketFlag::new(9).edition(), Some(Edition::Hj212_2025));
        assert_eq!(PacketFlag::for_edition(Edition::Hj212_2017, true, false).bits(), 5);
        assert_eq!(PacketFlag::new(255).edition(), None);
    }

    #[test]
    fn legacy_and_field_deviations() {
        let p = Packet::parse("ST=31;CN=2011;PW=123456;MN=88888880000001;CP=&&&&").unwrap();
        assert_eq!(p.deviations, vec![Deviation::MissingQn, Deviation::MnFormat { len: 14 }, Deviation::MissingFlag]);
        assert_eq!(p.edition(), Some(Edition::HjT212_2005));

        let p = Packet::parse(
            "QN=20240101000000;ST=101;CN=2011;PW=BF470F88957588DE902D1A52;MN=AB;Flag=5 ;PNO=1;PNUM=2;CP=&&&&",
        );
        assert_eq!(p.unwrap_err().code(), "invalid_field", "PNUM without D bit");
        let p = Packet::parse(
            "QN=20240101000000;ST=101;CN=2011;PW=BF470F88957588DE902D1A52;MN=AB;Flag=7 ;PNO=1;PNUM=2 ;CP=&&&&",
        )
        .unwrap();
        assert_eq!(
            p.deviations,
            vec![
                Deviation::FieldWhitespace { field: "Flag".into() },
                Deviation::FieldWhitespace { field: "PNUM".into() },
                Deviation::FieldOrder { field: "PNUM".into() },
                Deviation::QnWithoutMillis,
                Deviation::NonstandardSt { st: "101".into() },
                Deviation::PwLength { len: 24 },
                Deviation::MnFormat { len: 2 },
            ]
        );
        assert_eq!((p.pnum, p.pno), (Some(2), Some(1)));

        let p =
            Packet::parse("QN=20160801085000001;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=7;CP=&&&&")
                .unwrap();
        assert_eq!(p.deviations, vec![Deviation::SplitFlagWithoutPnum]);
        assert!(!p.is_split());
    }

    #[test]
    fn errors() {
        let code = |s: &str| Packet::parse(s).unwrap_err().code();
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A"), "missing_cp");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;CP=&&a=1"), "unterminated_cp");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;CP=&&&"), "unterminated_cp");
        assert_eq!(code("CN=2011;PW=123456;MN=A;CP=&&&&"), "missing_field");
        assert_eq!(code("ST=22;PW=123456;MN=A;CP=&&&&"), "missing_field");
        assert_eq!(code("ST=22;CN=2011;MN=A;CP=&&&&"), "missing_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;CP=&&&&"), "missing_field");
        assert_eq!(code("ST=22;ST=22;CN=2011;PW=123456;MN=A;CP=&&&&"), "duplicate_field");
        assert_eq!(code("st=22;CN=2011;PW=123456;MN=A;CP=&&&&"), "unknown_field");
        assert_eq!(code("ST=22;;CN=2011;PW=123456;MN=A;CP=&&&&"), "malformed_field");
        assert_eq!(code("ST=2;CN=2011;PW=123456;MN=A;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=201;PW=123456;MN=A;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=2011;PW=;MN=A;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=0123456789012345678901234;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;Flag=256;CP=&&&&"), "invalid_field");
        assert_eq!(code("QN=2016080108500000;ST=22;CN=2011;PW=123456;MN=A;CP=&&&&"), "invalid_field");
        assert_eq!(code("QN=20161301085000001;ST=22;CN=2011;PW=123456;MN=A;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;Flag=7;PNUM=2;PNO=3;CP=&&&&"), "invalid_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;Flag=7;PNUM=2;CP=&&&&"), "missing_field");
        assert_eq!(code("ST=22;CN=2011;PW=123456;MN=A;Flag=7;PNUM=0;PNO=0;CP=&&&&"), "invalid_field");
        let pw_err = Packet::parse("ST=22;CN=2011;PW=secret secret;MN=A;CP=&&&&").unwrap_err();
        assert!(!pw_err.to_string().contains("secret"), "{pw_err}");
    }

    #[test]
    fn cp_marker_inside_a_value_is_not_the_cp_field() {
        let p = Packet::parse("ST=22;CN=2011;PW=123456;MN=A;CP=&&i11001-Info=xCP=&&y&&").unwrap();
        assert_eq!(p.cp.factors["i11001"].info.as_deref(), Some("xCP=&&y"));
    }

    #[test]
    fn builder_round_trip() {
        let mut cp = Cp::default();
        cp.set("a21026", crate::cp::Suffix::Rtd, "6").set("a21026", crate::cp::Suffix::Flag, "N");
        let b = PacketBuilder::new("22", "2011", "123456", "010000A8900016F000169DC0")
            .qn("20240101000000123")
            .flag(PacketFlag::new(7))
            .part(3, 1)
            .cp(cp.clone());
        let seg = b.segment();
        assert_eq!(
            seg,
            "QN=20240101000000123;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=7;PNUM=3;PNO=1;CP=&&a21026-Rtd=6,a21026-Flag=N&&"
        );
        let p = Packet::parse(&seg).unwrap();
        assert_eq!(p.cp, cp);
        assert_eq!((p.pnum, p.pno), (Some(3), Some(1)));
        assert!(b.frame().ends_with("\r\n"));
    }
}
