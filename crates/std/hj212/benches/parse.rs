//! Parser throughput (issue 3, item 12 "Benchmarks").
//!
//! **Target: ≥ 200,000 packets/s per core** on the project's 2-core machine. Criterion runs
//! each benchmark on one thread, so its `elem/s` figure *is* packets/s per core; compare it
//! with the target as a ratio (see `docs/benchmarks.md`), never as an assertion.
//!
//! ```text
//! cargo bench -p qy-hj212 -- --warm-up-time 1 --measurement-time 3
//! ```
//!
//! * `frame+packet/2061_hourly_air` — [`parse_frame`] then [`Frame::packet`] of an hourly air
//!   upload as the simulator sends it: 8 factors with `-Min`/`-Avg`/`-Max`/`-Flag` (≈ 600 bytes).
//! * `frame+packet/2011_realtime_air` — the same for a real-time upload (`-Rtd`/`-Flag`).
//! * `decoder/1000_frames_1460B_chunks` — the streaming [`Decoder`] fed 1,000 concatenated
//!   2061 frames in 1,460-byte (one TCP segment) chunks: frames only, and frames + packets
//!   (what the gateway does per connection).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use qy_hj212::{parse_frame, Cp, DataTime, Decoder, Edition, Frame, PacketBuilder, PacketFlag, Suffix};

/// The simulator's air factors (SO2, NO2, CO, O3, PM10, PM2.5, temperature, humidity) with
/// plausible hourly values for 西宁 in winter: (code, min, avg, max, flag).
const HOURLY_AIR: [(&str, &str, &str, &str, &str); 8] = [
    ("a21026", "14", "17", "22", "N"),
    ("a21004", "31", "42", "55", "N"),
    ("a21005", "0.812", "0.947", "1.103", "N"),
    ("a05024", "38", "51", "63", "N"),
    ("a34002", "88", "104", "131", "N"),
    ("a34004", "41", "52", "66", "N"),
    ("a01001", "-6.4", "-4.9", "-3.1", "N"),
    ("a01002", "38", "44", "51", "N"),
];

/// A 24-character MN in the simulator's scheme (`QH` + county code + kind digit + index).
const MN: &str = "QH6301022000000000000001";

/// `QN` (`YYYYMMDDhhmmsszzz`) of a packet sent `minute` minutes into 2024-01-15.
fn qn(minute: u32, counter: u32) -> String {
    format!("20240115{:02}{:02}00{:03}", (minute / 60) % 24, minute % 60, counter % 1000)
}

fn builder(cn: &str, qn: &str) -> PacketBuilder {
    PacketBuilder::new("22", cn, "123456", MN).qn(qn).flag(PacketFlag::for_edition(Edition::Hj212_2017, true, false))
}

/// An hourly (2061) air upload; `hour` varies `DataTime` and `QN`.
fn hourly_air(hour: u32) -> String {
    let h = u8::try_from(hour % 24).unwrap_or(0);
    let mut cp = Cp { data_time: DataTime::new(2024, 1, 15, h, 0, 0, None).ok(), ..Cp::default() };
    for (code, min, avg, max, flag) in HOURLY_AIR {
        cp.set(code, Suffix::Min, min).set(code, Suffix::Avg, avg).set(code, Suffix::Max, max).set(
            code,
            Suffix::Flag,
            flag,
        );
    }
    builder("2061", &qn(hour * 60 + 5, hour)).cp(cp).frame()
}

/// A real-time (2011) air upload.
fn realtime_air() -> String {
    let mut cp = Cp { data_time: DataTime::new(2024, 1, 15, 9, 30, 0, None).ok(), ..Cp::default() };
    for (code, _, avg, _, flag) in HOURLY_AIR {
        cp.set(code, Suffix::Rtd, avg).set(code, Suffix::Flag, flag);
    }
    builder("2011", &qn(9 * 60 + 30, 7)).cp(cp).frame()
}

fn parse_one(wire: &[u8]) -> usize {
    match parse_frame(wire).map(|f| f.packet()) {
        Ok(Ok(p)) => p.cp.factors.len(),
        _ => 0,
    }
}

fn frame_and_packet(c: &mut Criterion) {
    let hourly = hourly_air(9);
    let realtime = realtime_air();
    // A benchmark of the error path would be meaningless: make sure both parse.
    assert_eq!(parse_one(hourly.as_bytes()), 8, "hourly packet must parse");
    assert_eq!(parse_one(realtime.as_bytes()), 8, "real-time packet must parse");

    let mut g = c.benchmark_group("frame+packet");
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("2061_hourly_air_{}B", hourly.len()), |b| {
        b.iter(|| parse_one(black_box(hourly.as_bytes())))
    });
    g.bench_function(format!("2011_realtime_air_{}B", realtime.len()), |b| {
        b.iter(|| parse_one(black_box(realtime.as_bytes())))
    });
    g.finish();
}

const STREAM_FRAMES: u32 = 1_000;
/// One TCP segment's payload on Ethernet (MSS 1460).
const CHUNK: usize = 1_460;

fn decode_stream(stream: &[u8], packets: bool) -> usize {
    let mut d = Decoder::new();
    let mut n = 0;
    let mut take =
        |f: Frame| if packets { usize::from(f.packet().is_ok()) } else { usize::from(!f.segment.is_empty()) };
    for chunk in stream.chunks(CHUNK) {
        d.push(chunk);
        while let Some(item) = d.next_frame() {
            n += item.map_or(0, &mut take);
        }
    }
    n
}

fn decoder(c: &mut Criterion) {
    let stream: Vec<u8> = (0..STREAM_FRAMES).flat_map(|i| hourly_air(i).into_bytes()).collect();
    let expected = usize::try_from(STREAM_FRAMES).unwrap_or(usize::MAX);
    assert_eq!(decode_stream(&stream, true), expected, "every frame of the stream must decode");

    let mut g = c.benchmark_group("decoder");
    g.throughput(Throughput::Elements(u64::from(STREAM_FRAMES)));
    g.bench_function("1000_frames_1460B_chunks/frames", |b| b.iter(|| decode_stream(black_box(&stream), false)));
    g.bench_function("1000_frames_1460B_chunks/frames+packets", |b| b.iter(|| decode_stream(black_box(&stream), true)));
    g.finish();
}

criterion_group!(benches, frame_and_packet, decoder);
criterion_main!(benches);
