//! Answers (HJ 212-2017 §6.1–6.5, Appendix C): 9011 request answer (`QnRtn`), 9012 execution
//! result (`ExeRtn`), 9013 notification answer and 9014 data answer, as complete frames.
//!
//! Every answer has `ST=91` (system interaction), echoes the `QN`, `PW` and `MN` of the packet it
//! answers, and carries `Flag` with the peer's version bits and A = D = 0 (`Flag=4` for
//! HJ 212-2017, e.g. Tables C.14–C.18, C.48). A peer that sent no `QN` or no `Flag`
//! (HJ/T 212-2005 style) gets an answer without them.
//!
//! Who answers what (§6.1–6.5):
//! * upload with A = 1 (2011, 2051, 2061, 2031, 2041, 2081, …) → the platform sends 9014; split
//!   uploads are answered part by part with each part's `QN` (Table C.50);
//! * request (platform → station) → the station answers 9011, uploads, then 9012 with the
//!   request's `QN`;
//! * notification 1013 (station → platform) → the platform answers 9013, then sends 1012;
//!   2012/2022 (platform → station) → the station answers 9013.

use std::fmt;

use crate::codes::{ExeRtn, QnRtn};
use crate::frame::encode_frame;
use crate::segment::{Packet, PacketFlag};

/// `ST` of every answer (Table 5: 91 系统交互).
pub const ST_SYSTEM_INTERACTION: &str = "91";
/// `CN` of the request answer.
pub const CN_REQUEST_ANSWER: &str = "9011";
/// `CN` of the execution result.
pub const CN_EXECUTION_RESULT: &str = "9012";
/// `CN` of the notification answer.
pub const CN_NOTIFICATION_ANSWER: &str = "9013";
/// `CN` of the data answer.
pub const CN_DATA_ANSWER: &str = "9014";

/// The fields of a packet that an answer echoes.
#[derive(Clone, PartialEq, Eq)]
pub struct ReplyTo {
    /// `QN` of the packet answered (echoed unchanged).
    pub qn: Option<String>,
    /// `PW` (echoed).
    pub pw: String,
    /// `MN` (echoed).
    pub mn: String,
    /// `Flag` of the packet answered (its version bits are kept).
    pub flag: Option<PacketFlag>,
}

impl fmt::Debug for ReplyTo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReplyTo")
            .field("qn", &self.qn)
            .field("pw", &"***")
            .field("mn", &self.mn)
            .field("flag", &self.flag)
            .finish()
    }
}

impl From<&Packet> for ReplyTo {
    fn from(p: &Packet) -> Self {
        Self { qn: p.qn.clone(), pw: p.pw.clone(), mn: p.mn.clone(), flag: p.flag }
    }
}

impl Packet {
    /// What an answer to this packet echoes.
    #[must_use]
    pub fn reply_to(&self) -> ReplyTo {
        ReplyTo::from(self)
    }
}

/// The data segment of an answer with command `cn` and CP text `cp` (without `&&`).
#[must_use]
pub fn answer_segment(to: &ReplyTo, cn: &str, cp: &str) -> String {
    let mut s = String::new();
    if let Some(qn) = &to.qn {
        s.push_str(&format!("QN={qn};"));
    }
    s.push_str(&format!("ST={ST_SYSTEM_INTERACTION};CN={cn};PW={};MN={};", to.pw, to.mn));
    if let Some(flag) = to.flag {
        s.push_str(&format!("Flag={};", flag.for_answer().bits()));
    }
    s.push_str(&format!("CP=&&{cp}&&"));
    s
}

/// A complete answer frame with command `cn` and CP text `cp`.
#[must_use]
pub fn answer(to: &ReplyTo, cn: &str, cp: &str) -> String {
    encode_frame(&answer_segment(to, cn, cp))
}

/// 9011 request answer: `CP=&&QnRtn=n&&` (Table 7). Sent by a station to a request; `QnRtn=9`
/// answers a request whose CRC was wrong.
///
/// ```
/// use qy_hj212::{parse_frame, request_answer, QnRtn};
/// let req = parse_frame(b"##0101QN=20160801085857223;ST=32;CN=1062;PW=100000;MN=010000A8900016F000169DC0;Flag=5;CP=&&RtdInterval=30&&1C80\r\n")
///     .unwrap().packet().unwrap();
/// assert_eq!(
///     request_answer(&req.reply_to(), QnRtn::Ready),
///     "##0094QN=20160801085857223;ST=91;CN=9011;PW=100000;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&E101\r\n"
/// );
/// ```
#[must_use]
pub fn request_answer(to: &ReplyTo, rtn: QnRtn) -> String {
    answer(to, CN_REQUEST_ANSWER, &format!("QnRtn={}", rtn.code()))
}

/// 9012 execution result: `CP=&&ExeRtn=n&&` (Table 6), with the request's `QN`.
#[must_use]
pub fn execution_result(to: &ReplyTo, rtn: ExeRtn) -> String {
    answer(to, CN_EXECUTION_RESULT, &format!("ExeRtn={}", rtn.code()))
}

/// 9013 notification answer: `CP=&&&&`.
#[must_use]
pub fn notification_answer(to: &ReplyTo) -> String {
    answer(to, CN_NOTIFICATION_ANSWER, "")
}

/// 9014 data answer: `CP=&&&&`.
#[must_use]
pub fn data_answer(to: &ReplyTo) -> String {
    answer(to, CN_DATA_ANSWER, "")
}

/// What the platform sends back, automatically, for a packet a station sent it:
/// 9013 for the time-calibration notice 1013; nothing for answers (9xxx); 9014 for any other
/// packet with Flag bit A set; nothing otherwise.
#[must_use]
pub fn platform_reply(p: &Packet) -> Option<String> {
    let to = p.reply_to();
    if p.cn == "1013" {
        return Some(notification_answer(&to));
    }
    if p.cn.starts_with('9') {
        return None;
    }
    p.ack_requested().then(|| data_answer(&to))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn packet(seg: &str) -> Packet {
        Packet::parse(seg).unwrap()
    }

    #[test]
    fn data_answer_echoes_and_clears_flag_bits() {
        let p = packet("QN=20231008130452757;ST=22;CN=2081;PW=123456;MN=010000A8900016F000169DC0;Flag=5;CP=&&DataTime=20231008130452;RestartTime=20231007130452&&");
        assert_eq!(
            data_answer(&p.reply_to()),
            "##0087QN=20231008130452757;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&47C0\r\n"
        );
        assert_eq!(platform_reply(&p), Some(data_answer(&p.reply_to())));
    }

    #[test]
    fn version_bits_are_kept() {
        let p = packet("QN=20240601085857223;ST=21;CN=2011;PW=123456;MN=ZLDSZ20210127;Flag=9;CP=&&&&");
        assert!(data_answer(&p.reply_to()).contains(";Flag=8;CP=&&&&"));
    }

    #[test]
    fn legacy_peer_and_rules() {
        let p = packet("ST=31;CN=2011;PW=123456;MN=88888880000001;CP=&&&&");
        assert_eq!(platform_reply(&p), None, "no Flag: no ack requested");
        let seg = answer_segment(&p.reply_to(), CN_DATA_ANSWER, "");
        assert_eq!(seg, "ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&&&");
        let n = packet("QN=20240101000000000;ST=22;CN=1013;PW=123456;MN=A;Flag=4;CP=&&&&");
        assert!(platform_reply(&n).unwrap().contains(";CN=9013;"));
        let a = packet("QN=20240101000000000;ST=22;CN=9011;PW=123456;MN=A;Flag=5;CP=&&QnRtn=1&&");
        assert_eq!(platform_reply(&a), None);
        let r = execution_result(&a.reply_to(), ExeRtn::NoData);
        assert!(r.contains("CP=&&ExeRtn=100&&"));
        assert!(!format!("{:?}", a.reply_to()).contains("123456"));
    }
}
