//! Every row of `tests/data/vectors.tsv` and `tests/data/generated_acks.tsv` (copies of the
//! Qingyun shared research vectors), asserted with its stated verdict or byte-exact output.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;

use qy_hj212::{
    check, crc16_modbus, crc_hj212, data_answer, execution_result, parse_frame, parse_frame_with, platform_reply,
    request_answer, Checksum, CrcMatch, DataFlag, Decimal, Decoder, Deviation, Edition, ExeRtn, Frame, FrameError,
    FrameOptions, Packet, QnRtn,
};

const VECTORS: &str = include_str!("data/vectors.tsv");
const ACKS: &str = include_str!("data/generated_acks.tsv");

/// The ids this test knows; the files must have exactly these.
const VECTOR_IDS: [&str; 13] =
    ["V01", "V02", "V03", "V04", "V05", "V06", "V07", "V08", "V09", "N01", "N02", "N03", "N05"];
const ACK_IDS: [&str; 5] = ["G01", "G02", "G03", "G04", "G05"];

/// Input of G05: the 2011 upload answered in `T212MapperTest.answer()` of
/// xiaoyao9184/hj-t212-parser (as found in a copy of that test), whose printed expected answer is
/// G05. Flag=7 without PNUM/PNO, a trailing `;` in CP, a lower-case CRC and the typo `LA-td`.
const G05_INPUT: &str = "##0453QN=20160801085000001;ST=22;CN=2011;PW=123456;MN=010000A8900016F000169DC0;Flag=7;CP=&&DataTime=20160801084000;a21005-Rtd=1.1,a21005-Flag=N;a21004-Rtd=112,a21004-Flag=N;a21026-Rtd=58,a21026-Flag=N;LA-td=50.1,LA-Flag=N;a34004-Rtd=207,a34004-Flag=N;a34002-Rtd=295,a34002-Flag=N;a01001-Rtd=12.6,a01001-Flag=N;a01002-Rtd=32,a01002-Flag=N;a01006-Rtd=101.02,a01006-Flag=N;a01007-Rtd=2.1,a01007-Flag=N;a01008-Rtd=120,a01008-Flag=N;a34001-Rtd=217,a34001-Flag=N;&&c0c1";

#[derive(Debug, Clone)]
struct Vector {
    id: String,
    expect: String,
    len_field: usize,
    len_actual: usize,
    crc_in_packet: u16,
    crc_hj212: u16,
    crc_modbus: u16,
    packet: String,
}

impl Vector {
    /// The packet as sent on the wire.
    fn wire(&self) -> Vec<u8> {
        format!("{}\r\n", self.packet).into_bytes()
    }

    /// The data segment (between the length field and the CRC).
    fn segment(&self) -> &[u8] {
        let b = self.packet.as_bytes();
        &b[6..b.len() - 4]
    }
}

fn hex(s: &str) -> u16 {
    u16::from_str_radix(s, 16).unwrap_or_else(|_| panic!("bad hex {s:?}"))
}

fn vectors() -> Vec<Vector> {
    let mut lines = VECTORS.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id\texpect\tlen_field\tlen_actual\tcrc_in_packet\tcrc_hj212\tcrc_modbus\tsource_repo\tsource_path\tdescription\tpacket"
    );
    let rows: Vec<Vector> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 11, "{l}");
            Vector {
                id: c[0].into(),
                expect: c[1].into(),
                len_field: c[2].parse().unwrap(),
                len_actual: c[3].parse().unwrap(),
                crc_in_packet: hex(c[4]),
                crc_hj212: hex(c[5]),
                crc_modbus: hex(c[6]),
                packet: c[10].into(),
            }
        })
        .collect();
    let ids: BTreeSet<&str> = rows.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, VECTOR_IDS.into_iter().collect(), "vectors.tsv ids changed: update this test");
    assert_eq!(rows.len(), VECTOR_IDS.len());
    rows
}

fn vector(id: &str) -> Vector {
    vectors().into_iter().find(|v| v.id == id).unwrap()
}

fn packet(id: &str) -> Packet {
    parse_frame(&vector(id).wire()).unwrap().packet().unwrap()
}

/// The frame-level verdict a row states.
fn assert_verdict(v: &Vector, result: &Result<Frame, FrameError>) {
    match v.expect.as_str() {
        "valid" => {
            let f = result.as_ref().unwrap_or_else(|e| panic!("{}: {e}", v.id));
            assert_eq!(f.crc_match, CrcMatch::Hj212, "{}", v.id);
            f.packet().unwrap_or_else(|e| panic!("{}: {e}", v.id));
        }
        "invalid-crc" => {
            assert_eq!(result, &Err(FrameError::BadCrc { expected: v.crc_hj212, found: v.crc_in_packet }), "{}", v.id)
        }
        "invalid-len" => assert_eq!(
            result,
            &Err(FrameError::LengthMismatch { declared: v.len_field, actual: v.len_actual }),
            "{}",
            v.id
        ),
        "invalid-len+crc" => {
            assert_eq!(result, &Err(FrameError::TooLong { len: v.len_actual, max: 1024 }), "{}", v.id);
            assert_ne!(v.crc_hj212, v.crc_in_packet, "{}: the CRC is wrong too", v.id);
        }
        other => panic!("{}: unknown verdict {other}", v.id),
    }
}

#[test]
fn crc_and_length_columns() {
    for v in vectors() {
        let seg = v.segment();
        assert_eq!(crc_hj212(seg), v.crc_hj212, "{} crc_hj212", v.id);
        assert_eq!(crc16_modbus(seg), v.crc_modbus, "{} crc_modbus", v.id);
        assert_eq!(hex(&v.packet[v.packet.len() - 4..]), v.crc_in_packet, "{} crc_in_packet", v.id);
        assert_eq!(v.packet[2..6].parse::<usize>().unwrap(), v.len_field, "{} len_field", v.id);
        assert_eq!(seg.len(), v.len_actual, "{} len_actual", v.id);
        // The stated verdict is exactly the README's rule.
        let well_formed = v.len_field == v.len_actual && v.len_actual <= 1024 && v.crc_in_packet == v.crc_hj212;
        assert_eq!(well_formed, v.expect == "valid", "{}", v.id);
    }
}

#[test]
fn every_row_gets_its_verdict() {
    for v in vectors() {
        assert_verdict(&v, &parse_frame(&v.wire()));
        let report = check(&v.packet, Checksum::Hj212);
        assert_eq!(report.valid, v.expect == "valid", "{}: {:?}", v.id, report.reason);
        assert_eq!(report.length.declared, Some(v.len_field), "{}", v.id);
        assert_eq!(report.length.actual, Some(v.len_actual), "{}", v.id);
        assert_eq!(report.crc.expected, Some(format!("{:04X}", v.crc_hj212)), "{}", v.id);
        assert_eq!(report.crc.in_packet.as_deref(), Some(&v.packet[v.packet.len() - 4..]), "{}", v.id);
        let code = match v.expect.as_str() {
            "valid" => None,
            "invalid-crc" => Some("bad_crc"),
            "invalid-len" => Some("length_mismatch"),
            _ => Some("too_long"),
        };
        assert_eq!(report.error_code.as_deref(), code, "{}", v.id);
        // With or without the CR LF.
        assert_eq!(check(&format!("{}\r\n", v.packet), Checksum::Hj212), report, "{}", v.id);
    }
}

#[test]
fn swapped_modbus_rows_pass_only_under_the_allowance() {
    for v in vectors() {
        let legacy = parse_frame_with(&v.wire(), FrameOptions::from(Checksum::Hj212OrSwappedModbus));
        let report = check(&v.packet, Checksum::Hj212OrSwappedModbus);
        if v.id == "N02" || v.id == "N03" {
            // Exactly a byte-swapped CRC-16/MODBUS.
            assert_eq!(v.crc_modbus.swap_bytes(), v.crc_in_packet, "{}", v.id);
            let f = legacy.unwrap_or_else(|e| panic!("{}: {e}", v.id));
            assert_eq!(f.crc_match, CrcMatch::SwappedModbus);
            let p = f.packet().unwrap();
            assert!(p.deviations.contains(&Deviation::SwappedModbusCrc), "{}", v.id);
            assert_eq!(
                p.deviations.contains(&Deviation::SegmentOver1024 { len: v.len_actual }),
                v.len_actual > 1024,
                "{}",
                v.id
            );
            assert!(report.valid, "{}: {:?}", v.id, report.reason);
            assert_eq!(report.crc.matched, Some(CrcMatch::SwappedModbus));
            assert!(report.deviations.iter().any(|d| d.code == "swapped_modbus_crc"));
            assert!(!check(&v.packet, Checksum::Hj212).valid, "{}", v.id);
        } else {
            // Every other row keeps its verdict.
            assert_verdict(&v, &legacy);
            assert_eq!(report.valid, v.expect == "valid", "{}", v.id);
            if let Ok(f) = legacy {
                assert_eq!(f.crc_match, CrcMatch::Hj212);
            }
        }
    }
}

#[test]
fn decoder_reads_all_rows_from_one_stream() {
    let rows = vectors();
    let stream: Vec<u8> = rows.iter().flat_map(Vector::wire).collect();
    for chunk in [1, 7, 64, 1036, stream.len()] {
        let mut d = Decoder::new();
        for c in stream.chunks(chunk) {
            d.push(c);
            assert!(d.buffered() <= qy_hj212::MAX_FRAME_LEN);
        }
        d.finish();
        let got: Vec<_> = std::iter::from_fn(|| d.next_frame()).collect();
        assert_eq!(got.len(), rows.len(), "chunk {chunk}: {got:?}");
        for (v, r) in rows.iter().zip(&got) {
            if v.expect == "invalid-len+crc" {
                // The stream reader reports the declared length at once.
                assert_eq!(r, &Err(FrameError::TooLong { len: v.len_field, max: 1024 }), "{}", v.id);
            } else {
                assert_verdict(v, r);
            }
        }
    }
}

#[test]
fn official_example_v01() {
    let p = packet("V01");
    assert_eq!(p.qn.as_deref(), Some("20160801085857223"));
    assert_eq!(p.qn_time().unwrap().millis(), Some(223));
    assert_eq!(p.cn, "1062");
    assert_eq!(p.cp.integer("RtdInterval"), Some(30));
    assert!(p.ack_requested());
    assert!(p.deviations.is_empty());
}

#[test]
fn air_minute_data_v02() {
    let p = packet("V02");
    assert_eq!((p.st.as_str(), p.cn.as_str(), p.mn.as_str()), ("22", "2051", "JLYP01_AIR01_0001"));
    assert_eq!(p.deviations, vec![Deviation::MnFormat { len: 17 }]);
    assert_eq!(p.cp.data_time.unwrap().to_string(), "20220513162600");
    assert_eq!(p.cp.factors.len(), 11);
    for code in ["a21004", "a05024", "a21026", "a21005", "a34004", "a34002"] {
        assert_eq!(p.cp.factors[code].data_flag(), Some(DataFlag::N), "{code}");
    }
    assert_eq!(p.cp.factors["a21005"].avg_decimal().map(Decimal::parts), Some((427, 3)));
    assert_eq!(p.cp.factors["a21005"].avg.as_deref(), Some("0.427"));
    assert_eq!(p.cp.factors["a34004"].avg_decimal().map(Decimal::parts), Some((14, 0)));
    assert!(!p.ack_requested());
    assert_eq!(platform_reply(&p), None, "Flag=4: no answer");
}

#[test]
fn hourly_v03_keeps_decimal_text() {
    let p = packet("V03");
    assert_eq!(p.deviations, vec![Deviation::PwLength { len: 24 }, Deviation::MnFormat { len: 15 }]);
    let f = &p.cp.factors["a34049"];
    assert_eq!(f.avg.as_deref(), Some("10.66300"));
    assert_eq!(f.avg_decimal().map(Decimal::parts), Some((1_066_300, 5)));
    assert_eq!(f.avg_decimal().unwrap().normalized().parts(), (10_663, 3));
}

#[test]
fn water_v04_flag_8_and_lowercase_crc() {
    let p = packet("V04");
    assert_eq!(p.flag.unwrap().bits(), 8);
    assert_eq!(p.edition(), Some(Edition::Hj212_2025));
    assert_eq!(p.deviations, vec![Deviation::LowercaseCrc, Deviation::MnFormat { len: 13 }]);
    assert_eq!(p.cp.factors["w21003"].rtd_decimal().map(Decimal::parts), Some((9_055_002, 8)));
    assert_eq!(p.cp.factors["w01003"].rtd.as_deref(), Some("13.10"));
}

#[test]
fn answers_v05_v06_v07() {
    let p = packet("V05");
    assert_eq!(p.cp.qn_rtn(), Some(QnRtn::Ready));
    assert_eq!(platform_reply(&p), None);
    let p = packet("V06");
    assert_eq!(p.cp.time("RestartTime").unwrap().to_string(), "20231007130452");
    let p = packet("V07");
    let w = &p.cp.factors["w01008"];
    assert_eq!(w.sample_time_value().unwrap().to_string(), "20231008123340");
    assert_eq!(w.rtd_decimal().map(Decimal::parts), Some((123_456, 3)));
}

#[test]
fn bare_flag_v08() {
    let p = packet("V08");
    assert_eq!(p.deviations, vec![Deviation::MnFormat { len: 14 }, Deviation::BareFlag { value: "N".into() }]);
    assert_eq!(p.cp.other, vec![("Flag".to_string(), "N".to_string())]);
    assert_eq!(p.cp.factors["a34001"].rtd.as_deref(), Some("92"));
}

#[test]
fn legacy_2005_v09() {
    let p = packet("V09");
    assert_eq!(p.qn, None);
    assert_eq!(p.flag, None);
    assert_eq!(p.edition(), Some(Edition::HjT212_2005));
    assert_eq!(p.deviations, vec![Deviation::MissingQn, Deviation::MnFormat { len: 14 }, Deviation::MissingFlag]);
    assert_eq!(p.cp.factors.len(), 31);
    assert_eq!(p.cp.factors["a99948"].rtd.as_deref(), Some("452.341"));
    assert_eq!(platform_reply(&p), None);
}

#[test]
fn segment_of_n01_has_millisecond_datatime() {
    let v = vector("N01");
    let p = Packet::parse(std::str::from_utf8(v.segment()).unwrap()).unwrap();
    assert!(p.deviations.contains(&Deviation::TimeWithMillis { key: "DataTime".into() }));
    assert_eq!(p.cp.factors["B01"].rtd.as_deref(), Some("36.91"));
    assert_eq!(qy_hj212::factor_by_legacy_code("011").unwrap().code, "w01018");
}

struct Ack {
    id: String,
    packet: String,
}

fn acks() -> Vec<Ack> {
    let mut lines = ACKS.lines();
    assert_eq!(lines.next().unwrap(), "id\tdescription\tpacket");
    let rows: Vec<Ack> = lines
        .filter(|l| !l.is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            assert_eq!(c.len(), 3, "{l}");
            Ack { id: c[0].into(), packet: c[2].into() }
        })
        .collect();
    let ids: BTreeSet<&str> = rows.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ACK_IDS.into_iter().collect(), "generated_acks.tsv ids changed: update this test");
    rows
}

/// What each generated answer answers, and the builder that makes it.
fn build_ack(id: &str) -> String {
    match id {
        // 9014 data answer to the hourly upload V03 (Flag=5).
        "G01" => data_answer(&packet("V03").reply_to()),
        // 9014 data answer to the restart-time upload V06 (CN=2081, Flag=5).
        "G02" => data_answer(&packet("V06").reply_to()),
        // 9011 QnRtn=1 to the official request V01 (CN=1062).
        "G03" => request_answer(&packet("V01").reply_to(), QnRtn::Ready),
        // 9012 ExeRtn=1 to the same request.
        "G04" => execution_result(&packet("V01").reply_to(), ExeRtn::Success),
        // 9014 data answer to the 2011 upload of xiaoyao9184's test.
        "G05" => {
            let p = parse_frame(format!("{G05_INPUT}\r\n").as_bytes()).unwrap().packet().unwrap();
            data_answer(&p.reply_to())
        }
        other => panic!("unknown ack {other}"),
    }
}

#[test]
fn every_generated_ack_is_reproduced_byte_for_byte() {
    for a in acks() {
        let wire = format!("{}\r\n", a.packet);
        assert_eq!(build_ack(&a.id), wire, "{}", a.id);
        let p = parse_frame(wire.as_bytes()).unwrap().packet().unwrap();
        assert_eq!(p.st, "91", "{}", a.id);
        assert_eq!(p.flag.unwrap().bits(), 4, "{}", a.id);
    }
}

#[test]
fn platform_reply_picks_the_data_answer() {
    let by_id = |id: &str| acks().into_iter().find(|a| a.id == id).map(|a| format!("{}\r\n", a.packet));
    assert_eq!(platform_reply(&packet("V03")), by_id("G01"));
    assert_eq!(platform_reply(&packet("V06")), by_id("G02"));
    let g05_input = parse_frame(format!("{G05_INPUT}\r\n").as_bytes()).unwrap().packet().unwrap();
    assert_eq!(platform_reply(&g05_input), by_id("G05"));
}

#[test]
fn g05_input_deviations() {
    let p = parse_frame(format!("{G05_INPUT}\r\n").as_bytes()).unwrap().packet().unwrap();
    assert_eq!(
        p.deviations,
        vec![Deviation::LowercaseCrc, Deviation::SplitFlagWithoutPnum, Deviation::TrailingSemicolon]
    );
    assert_eq!(p.cp.factors["LA"].extra.get("td").map(String::as_str), Some("50.1"));
    assert_eq!(p.cp.factors.len(), 12);
}
