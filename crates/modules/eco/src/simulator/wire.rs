//! HJ 212-2017 upload frames of a simulated station.

use qy_hj212::{Cp, DataTime, Edition, PacketBuilder, PacketFlag, Suffix};

use super::model::{data_flag, decimal_text, local, raw_values, BEIJING_OFFSET_MS};
use super::stations::SimStation;

/// The upload's period and how many instants are averaged, by command code: 2051 minute data
/// (6 samples, every 10 s), 2061 hourly (12, every 5 min), 2031 daily (24, hourly); anything
/// else (2011) is a real-time upload of one instant, truncated to the second.
fn period(cn: &str) -> (i64, i64) {
    match cn {
        "2051" => (60_000, 6),
        "2061" => (3_600_000, 12),
        "2031" => (86_400_000, 24),
        _ => (1_000, 1),
    }
}

/// Start of the Beijing-time period containing `at_ms` (the packet's `DataTime`), in
/// milliseconds since the Unix epoch: the second for 2011, minute for 2051, hour for 2061, day
/// for 2031.
#[must_use]
pub fn period_start(cn: &str, at_ms: i64) -> i64 {
    let (len, _) = period(cn);
    (at_ms + BEIJING_OFFSET_MS).div_euclid(len) * len - BEIJING_OFFSET_MS
}

fn data_time(at_ms: i64) -> Option<DataTime> {
    let t = local(at_ms);
    let year = u16::try_from(t.year).ok()?;
    DataTime::new(year, t.month as u8, t.day as u8, t.hour as u8, t.minute as u8, t.second as u8, None).ok()
}

/// The `QN` of a packet sent at `at_ms`: Beijing time `YYYYMMDDhhmmsszzz` whose milliseconds
/// are `qn_counter % 1000`, so one station's QNs are unique unless it sends 1000 packets within
/// one second.
#[must_use]
pub fn qn(at_ms: i64, qn_counter: u64) -> String {
    let t = local(at_ms);
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        t.year,
        t.month,
        t.day,
        t.hour,
        t.minute,
        t.second,
        qn_counter % 1000
    )
}

/// The CP area of an upload with command `cn` sent at `at_ms`.
fn cp(station: &SimStation, cn: &str, at_ms: i64) -> Cp {
    let (len, samples) = period(cn);
    let start = period_start(cn, at_ms);
    let factors = station.kind.factors();
    let mut cp = Cp { data_time: data_time(start), ..Cp::default() };
    if samples <= 1 {
        for (i, (f, v)) in factors.iter().zip(raw_values(station, start)).enumerate() {
            cp.set(f.code, Suffix::Rtd, decimal_text(v, f.decimals));
            cp.set(f.code, Suffix::Flag, data_flag(station, i, start));
        }
        return cp;
    }
    let step = len / samples;
    let rows: Vec<Vec<f64>> = (0..samples).map(|k| raw_values(station, start + k * step)).collect();
    for (i, f) in factors.iter().enumerate() {
        let column: Vec<f64> = rows.iter().filter_map(|r| r.get(i).copied()).collect();
        let min = column.iter().copied().fold(f64::INFINITY, f64::min);
        let max = column.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let avg = column.iter().sum::<f64>() / column.len().max(1) as f64;
        cp.set(f.code, Suffix::Min, decimal_text(min, f.decimals));
        cp.set(f.code, Suffix::Avg, decimal_text(avg, f.decimals));
        cp.set(f.code, Suffix::Max, decimal_text(max, f.decimals));
        cp.set(f.code, Suffix::Flag, data_flag(station, i, start));
    }
    cp
}

/// A complete HJ 212-2017 upload frame (`##`, length, segment, CRC, CR LF) of `station` for
/// command `cn` (`2011` real-time `-Rtd`; `2051` minute, `2061` hourly, `2031` daily
/// `-Min`/`-Avg`/`-Max`; all with `-Flag`), sent at `at_ms` (milliseconds since the Unix epoch).
///
/// `QN` is the Beijing send time with `qn_counter` in the milliseconds (see [`qn`]), `Flag=5`
/// (HJ 212-2017, answer requested, not split) and `DataTime` the start of the period containing
/// the send time (see [`period_start`]).
#[must_use]
pub fn packet(station: &SimStation, cn: &str, at_ms: i64, qn_counter: u64) -> String {
    PacketBuilder::new(station.st, cn, &station.password, &station.mn)
        .qn(&qn(at_ms, qn_counter))
        .flag(PacketFlag::for_edition(Edition::Hj212_2017, true, false))
        .cp(cp(station, cn, at_ms))
        .frame()
}
