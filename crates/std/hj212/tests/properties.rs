//! Property tests: build → frame → parse round trips, chunking-independent streaming, bounded
//! decoder memory, and no panic on arbitrary bytes or text.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use proptest::prelude::*;
use qy_hj212::{
    check, crc16_modbus, crc_hj212, encode_frame, parse_frame, parse_frame_with, Checksum, Cp, DataTime, Decimal,
    Decoder, Edition, FactorValues, Frame, FrameError, FrameOptions, Packet, PacketBuilder, PacketFlag, Suffix,
    ValueKind, SYSTEM_CODES,
};

/// A valid `YYYYMMDDhhmmss` (days 1–28 are valid in every month).
fn time14() -> impl Strategy<Value = String> {
    (1990u16..=2099, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60, 0u8..60)
        .prop_map(|(y, mo, d, h, mi, s)| format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}"))
}

fn qn17() -> impl Strategy<Value = String> {
    (time14(), 0u16..1000).prop_map(|(t, ms)| format!("{t}{ms:03}"))
}

fn decimal_text() -> impl Strategy<Value = String> {
    (any::<i64>(), 0u32..=8).prop_map(|(m, s)| Decimal::new(m % 1_000_000_000_000, s).unwrap().to_string())
}

/// A value valid for a suffix of the given kind.
fn value_for(kind: ValueKind) -> BoxedStrategy<String> {
    match kind {
        ValueKind::Decimal => decimal_text().boxed(),
        ValueKind::Integer => "[0-9]{1,9}".boxed(),
        ValueKind::Flag => "[NFMSDCTBH0-9]".boxed(),
        ValueKind::Code4 => "[A-Za-z0-9]{1,4}".boxed(),
        ValueKind::Time => time14().boxed(),
        // Text may be empty and contain '=', spaces and Chinese (multi-byte), never ; , &.
        ValueKind::Text => "[a-zA-Z0-9 .:=_\\-中文测试站]{0,12}".boxed(),
    }
}

fn factor_values() -> impl Strategy<Value = FactorValues> {
    let fields: Vec<BoxedStrategy<Option<String>>> =
        Suffix::ALL.iter().map(|s| proptest::option::weighted(0.3, value_for(s.kind())).boxed()).collect();
    (fields, value_for(ValueKind::Decimal)).prop_map(|(values, rtd)| {
        let mut f = FactorValues::default();
        for (s, v) in Suffix::ALL.iter().zip(values) {
            *f.slot_mut(*s) = v;
        }
        if f.is_empty() {
            // Every factor has at least one field (otherwise nothing is written).
            *f.slot_mut(Suffix::Rtd) = Some(rtd);
        }
        f
    })
}

fn cp() -> impl Strategy<Value = Cp> {
    (
        proptest::option::of(time14()),
        proptest::collection::btree_map("[aw][0-9]{5}", factor_values(), 0..5),
        proptest::collection::vec(
            prop_oneof![
                "[0-9]{1,4}".prop_map(|v| ("RtdInterval".to_string(), v)),
                "[aw][0-9]{5}".prop_map(|v| ("PolId".to_string(), v)),
                time14().prop_map(|v| ("RestartTime".to_string(), v)),
                (1u8..=9).prop_map(|v| ("QnRtn".to_string(), v.to_string())),
            ],
            0..3,
        ),
    )
        .prop_map(|(t, factors, other)| Cp { data_time: t.map(|t| DataTime::parse(&t).unwrap()), factors, other })
}

/// A standard-conforming packet (no deviations expected).
fn builder() -> impl Strategy<Value = PacketBuilder> {
    let st = prop_oneof![
        proptest::sample::select(SYSTEM_CODES.iter().map(|s| s.code.to_string()).collect::<Vec<_>>()),
        "[0-9]{2}",
        "[A-Z][0-9]",
    ];
    (
        qn17(),
        st,
        "[0-9]{4}",
        "[A-Za-z0-9]{6}",
        "[0-9A-F]{24}",
        prop_oneof![Just(Edition::Hj212_2017), Just(Edition::Hj212_2025), Just(Edition::HjT212_2005)],
        any::<bool>(),
        proptest::option::of((1u16..=50).prop_flat_map(|n| (Just(n), 1..=n))),
        cp(),
    )
        .prop_map(|(qn, st, cn, pw, mn, edition, ack, part, cp)| {
            let mut b = PacketBuilder::new(&st, &cn, &pw, &mn)
                .qn(&qn)
                .flag(PacketFlag::for_edition(edition, ack, part.is_some()))
                .cp(cp);
            b.part = part;
            b
        })
}

/// The data segment of a standard-conforming packet that fits one frame.
fn segment() -> impl Strategy<Value = String> {
    builder().prop_map(|b| b.segment()).prop_filter("fits in 1024 bytes", |s| s.len() <= 1024)
}

fn drain(d: &mut Decoder) -> Vec<Result<Frame, FrameError>> {
    std::iter::from_fn(|| d.next_frame()).collect()
}

/// Feed `stream` cut at `cuts` (positions, any order), then finish.
fn decode_in_chunks(stream: &[u8], cuts: &[usize]) -> Vec<Result<Frame, FrameError>> {
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (stream.len() + 1)).collect();
    points.push(0);
    points.push(stream.len());
    points.sort_unstable();
    let mut d = Decoder::new();
    let mut out = Vec::new();
    for w in points.windows(2) {
        d.push(&stream[w[0]..w[1]]);
        assert!(d.buffered() <= d.options().max_frame_len());
        out.extend(drain(&mut d));
    }
    d.finish();
    out.extend(drain(&mut d));
    out
}

/// One piece of a test stream.
#[derive(Debug, Clone)]
enum Piece {
    Frame(String),
    BadCrc(String),
    Garbage(Vec<u8>),
    Truncated(String, usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => segment().prop_map(Piece::Frame),
        1 => segment().prop_map(Piece::BadCrc),
        1 => proptest::collection::vec(any::<u8>(), 1..40).prop_map(Piece::Garbage),
        1 => (segment(), any::<usize>()).prop_map(|(s, n)| Piece::Truncated(s, n)),
    ]
}

fn render(p: &Piece) -> Vec<u8> {
    match p {
        Piece::Frame(s) => encode_frame(s).into_bytes(),
        Piece::BadCrc(s) => {
            let crc = crc_hj212(s.as_bytes()) ^ 0x0101;
            format!("##{:04}{s}{crc:04X}\r\n", s.len()).into_bytes()
        }
        Piece::Garbage(g) => g.clone(),
        Piece::Truncated(s, n) => {
            let f = encode_frame(s).into_bytes();
            f[..n % f.len()].to_vec()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn build_frame_parse_round_trip(b in builder()) {
        let seg = b.segment();
        prop_assume!(seg.len() <= 1024);
        let wire = b.frame();
        let frame = parse_frame(wire.as_bytes()).unwrap();
        prop_assert_eq!(&frame.segment, &seg);
        let p = frame.packet().unwrap();
        prop_assert_eq!(p.qn.as_ref(), b.qn.as_ref());
        prop_assert_eq!(&p.st, &b.st);
        prop_assert_eq!(&p.cn, &b.cn);
        prop_assert_eq!(&p.pw, &b.pw);
        prop_assert_eq!(&p.mn, &b.mn);
        prop_assert_eq!(p.flag, b.flag);
        prop_assert_eq!(p.pnum.zip(p.pno), b.part);
        prop_assert_eq!(&p.cp, &b.cp);
        prop_assert!(p.deviations.is_empty(), "{:?}", p.deviations);
        // Exact decimals survive the trip.
        for (code, f) in &b.cp.factors {
            for (s, v) in f.iter() {
                if s.kind() == ValueKind::Decimal {
                    prop_assert_eq!(p.cp.factors[code].decimal(s), Decimal::parse(v));
                }
            }
        }
        // The packet re-built from what was parsed encodes to the same bytes.
        let again = PacketBuilder { qn: p.qn.clone(), st: p.st.clone(), cn: p.cn.clone(), pw: p.pw.clone(),
            mn: p.mn.clone(), flag: p.flag, part: p.pnum.zip(p.pno), cp: p.cp.clone() };
        prop_assert_eq!(again.frame(), wire);
        prop_assert!(check(&b.frame(), Checksum::Hj212).valid);
    }

    #[test]
    fn field_width_deviations_still_round_trip(
        b in builder(),
        pw in "[A-Za-z0-9]{1,24}",
        mn in "[A-Za-z0-9_]{1,24}",
        drop_qn in any::<bool>(),
    ) {
        let mut b = b;
        b.pw = pw;
        b.mn = mn;
        if drop_qn { b.qn = None; }
        let seg = b.segment();
        prop_assume!(seg.len() <= 1024);
        let p = parse_frame(b.frame().as_bytes()).unwrap().packet().unwrap();
        prop_assert_eq!(&p.pw, &b.pw);
        prop_assert_eq!(&p.mn, &b.mn);
        prop_assert_eq!(&p.cp, &b.cp);
        prop_assert_eq!(p.deviations.iter().any(|d| d.code() == "missing_qn"), drop_qn);
        prop_assert_eq!(p.deviations.iter().any(|d| d.code() == "pw_length"), b.pw.len() != 6);
    }

    #[test]
    fn decoder_result_does_not_depend_on_chunking(
        pieces in proptest::collection::vec(piece(), 0..6),
        cuts in proptest::collection::vec(any::<usize>(), 0..12),
    ) {
        let stream: Vec<u8> = pieces.iter().flat_map(render).collect();
        let whole = decode_in_chunks(&stream, &[]);
        let chunked = decode_in_chunks(&stream, &cuts);
        prop_assert_eq!(&chunked, &whole);
        let bytewise: Vec<usize> = (0..stream.len()).collect();
        prop_assert_eq!(decode_in_chunks(&stream, &bytewise), whole);
    }

    #[test]
    fn decoder_yields_exactly_the_frames_sent(
        segs in proptest::collection::vec(segment(), 0..5),
        cuts in proptest::collection::vec(any::<usize>(), 0..10),
    ) {
        let stream: Vec<u8> = segs.iter().flat_map(|s| encode_frame(s).into_bytes()).collect();
        let got = decode_in_chunks(&stream, &cuts);
        let expected: Vec<Result<Frame, FrameError>> = segs.iter().map(|s| parse_frame(encode_frame(s).as_bytes())).collect();
        prop_assert_eq!(got.len(), segs.len());
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn valid_frames_survive_garbage_between_them(
        segs in proptest::collection::vec(segment(), 1..4),
        garbage in proptest::collection::vec(proptest::collection::vec(any::<u8>().prop_filter("no #", |b| *b != b'#'), 1..30), 4),
    ) {
        let mut stream = Vec::new();
        for (i, s) in segs.iter().enumerate() {
            stream.extend_from_slice(&garbage[i]);
            stream.extend_from_slice(encode_frame(s).as_bytes());
        }
        let got = decode_in_chunks(&stream, &[13, 101, 555]);
        let frames: Vec<String> = got.iter().filter_map(|r| r.as_ref().ok().map(|f| f.segment.clone())).collect();
        prop_assert_eq!(&frames, &segs);
        let skipped: usize = got.iter().filter_map(|r| match r { Err(FrameError::Garbage { skipped }) => Some(*skipped), _ => None }).sum();
        prop_assert_eq!(skipped, garbage.iter().take(segs.len()).map(Vec::len).sum::<usize>());
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000), cuts in proptest::collection::vec(any::<usize>(), 0..8)) {
        let _ = parse_frame(&bytes);
        let _ = parse_frame_with(&bytes, FrameOptions::LEGACY);
        let _ = decode_in_chunks(&bytes, &cuts);
        let text = String::from_utf8_lossy(&bytes);
        let _ = check(&text, Checksum::Hj212);
        let _ = check(&text, Checksum::Hj212OrSwappedModbus);
        let _ = Packet::parse(&text);
        let _ = Cp::parse(&text);
    }

    #[test]
    fn never_panics_on_hj212_shaped_text(s in "(##|[0-9]{1,4}|QN=|ST=|CN=|PW=|MN=|Flag=|PNUM=|PNO=|CP=&&|&&|;|,|=|-|Rtd|Flag|DataTime|中|\r\n|[A-F0-9 ]){0,60}") {
        let _ = check(&s, Checksum::Hj212);
        let _ = Packet::parse(&s);
        let _ = Cp::parse(&s);
        let _ = decode_in_chunks(s.as_bytes(), &[1, 2, 3, 5, 8]);
        if let Ok(p) = Packet::parse(&s) {
            // Whatever parses can be answered and re-framed.
            let _ = qy_hj212::platform_reply(&p);
            let f = encode_frame(&s);
            prop_assert!(parse_frame(f.as_bytes()).is_ok() || s.len() > 1024);
        }
    }

    #[test]
    fn mutated_frames_never_panic(b in builder(), pos in any::<usize>(), byte in any::<u8>()) {
        let mut wire = b.frame().into_bytes();
        let i = pos % wire.len();
        wire[i] = byte;
        let _ = parse_frame(&wire).map(|f| f.packet());
        let _ = decode_in_chunks(&wire, &[pos]);
    }

    #[test]
    fn crc_policy(data in proptest::collection::vec(any::<u8>(), 0..300)) {
        let hj = crc_hj212(&data);
        let swapped = crc16_modbus(&data).swap_bytes();
        prop_assert!(Checksum::Hj212.verify(&data, hj).is_some());
        prop_assert!(Checksum::Hj212OrSwappedModbus.verify(&data, swapped).is_some());
        prop_assert_eq!(Checksum::Hj212.verify(&data, swapped).is_some(), swapped == hj);
    }

    #[test]
    fn decimal_and_time_text_round_trip(m in any::<i64>(), s in 0u32..=18, t in qn17()) {
        let d = Decimal::new(m, s).unwrap();
        prop_assert_eq!(Decimal::parse(&d.to_string()), Some(d));
        let parsed = DataTime::parse(&t).unwrap();
        prop_assert_eq!(parsed.to_string(), t);
    }
}

#[test]
fn cp_maps_are_ordered_by_code() {
    let mut factors = BTreeMap::new();
    factors.insert("w01018".to_string(), FactorValues { rtd: Some("1".into()), ..FactorValues::default() });
    factors.insert("a21026".to_string(), FactorValues { avg: Some("2".into()), ..FactorValues::default() });
    let cp = Cp { data_time: None, factors, other: vec![] };
    assert_eq!(cp.to_text(), "a21026-Avg=2;w01018-Rtd=1");
}
