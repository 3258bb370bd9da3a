//! HJ 212 — the data transmission protocol of Chinese environmental monitoring stations
//! (HJ/T 212-2005, HJ 212-2017, HJ 212-2025 Flag bits), for the Qingyun platform.
//!
//! | layer | standard | module |
//! | ----- | -------- | ------ |
//! | CRC (not CRC-16/MODBUS!) | HJ 212-2017 Appendix A | [`crc`] |
//! | frame `##LLLL…CRC\r\n`, streaming [`Decoder`] | §6.3.1, Table 2 | [`frame`], [`decoder`] |
//! | data segment `QN ST CN PW MN Flag PNUM PNO CP` | §6.3.2, Table 3 | [`segment`] |
//! | CP area, factor fields, exact decimals, timestamps | §6.3.3, Table 4 | [`cp`], [`decimal`], [`datatime`] |
//! | data flags N F M S D C T B | Table 8 | [`flags`] |
//! | ST / CN / QnRtn / ExeRtn / factor codes | Tables 5–7, 9, Appendix B | [`codes`] |
//! | split packets `PNUM`/`PNO` | Table 3 | [`reassembly`] |
//! | answers 9011 / 9012 / 9013 / 9014 | §6.1–6.5, Appendix C | [`response`] |
//! | tolerated real-world deviations | research §1.12 | [`deviation`] |
//!
//! Parsing never panics on any input. Errors have stable snake_case codes
//! ([`FrameError::code`], [`PacketError::code`]); deviations from the standard that real
//! stations commit and that are tolerated are recorded on every frame and packet
//! ([`Deviation::code`]). [`check()`] reports on one packet (the `qingyun tools hj212 check`
//! command).
//!
//! ```
//! use qy_hj212::{data_answer, Decoder};
//!
//! let mut d = Decoder::new();
//! d.push(b"##0137QN=20231008130452757;ST=22;CN=2081;PW=123456;MN=010000A8900016F000169DC0;Flag=5;");
//! d.push(b"CP=&&DataTime=20231008130452;RestartTime=20231007130452&&3AC0\r\n");
//! let packet = d.next_frame().unwrap().unwrap().packet().unwrap();
//! assert_eq!(packet.cp.time("RestartTime").unwrap().to_string(), "20231007130452");
//! assert!(packet.ack_requested());
//! assert_eq!(
//!     data_answer(&packet.reply_to()),
//!     "##0087QN=20231008130452757;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&&&47C0\r\n"
//! );
//! ```

pub mod check;
pub mod codes;
pub mod cp;
pub mod crc;
pub mod datatime;
pub mod decimal;
pub mod decoder;
pub mod deviation;
pub mod error;
pub mod flags;
pub mod frame;
pub mod reassembly;
pub mod response;
pub mod segment;

pub use check::{check, CheckReport, CpReport, CrcReport, DeviationReport, FlagReport, LengthReport, PacketReport};
pub use codes::{
    command_code, factor_by_legacy_code, factor_code, system_category, system_code, CommandCode, Edition, ExeRtn,
    FactorCode, QnRtn, SystemCategory, SystemCode, COMMAND_CODES, FACTOR_CODES, SYSTEM_CODES,
};
pub use cp::{Cp, FactorValues, MergeConflict, Suffix, ValueKind};
pub use crc::{crc16_modbus, crc_hj212, Checksum, CrcMatch};
pub use datatime::{DataTime, TimeError};
pub use decimal::Decimal;
pub use decoder::Decoder;
pub use deviation::Deviation;
pub use error::{Error, FrameError, PacketError};
pub use flags::DataFlag;
pub use frame::{
    encode_frame, parse_frame, parse_frame_with, try_encode_frame, Frame, FrameOptions, MAX_FRAME_LEN, MAX_SEGMENT_LEN,
};
pub use reassembly::{Evicted, PartKey, Reassembled, Reassembler, Reassembly, ReassemblyConfig, ReassemblyError};
pub use response::{
    answer, answer_segment, data_answer, execution_result, notification_answer, platform_reply, request_answer, ReplyTo,
};
pub use segment::{Packet, PacketBuilder, PacketFlag};

/// Parse one complete frame and its data segment in one call.
///
/// ```
/// use qy_hj212::{parse_packet, FrameOptions};
/// let wire = b"##0094QN=20231008125115215;ST=22;CN=9011;PW=123456;MN=010000A8900016F000169DC0;Flag=4;CP=&&QnRtn=1&&CC01\r\n";
/// let p = parse_packet(wire, FrameOptions::STRICT).unwrap();
/// assert_eq!(p.cp.qn_rtn(), Some(qy_hj212::QnRtn::Ready));
/// ```
pub fn parse_packet(bytes: &[u8], options: FrameOptions) -> Result<Packet, Error> {
    Ok(parse_frame_with(bytes, options)?.packet()?)
}
