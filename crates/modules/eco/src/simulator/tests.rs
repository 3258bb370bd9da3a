use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qy_hj212::{factor_code, parse_frame, platform_reply, Decimal, Decoder, Deviation, Packet, Suffix};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::*;

const COUNTY_CODES: &str = "630102 630103 630104 630105 630106 630121 630123 630202 630203 630222 630223 630224 \
    630225 632221 632222 632223 632224 632301 632322 632323 632324 632521 632522 632523 632524 632525 632621 632622 \
    632623 632624 632625 632626 632701 632722 632723 632724 632725 632726 632801 632802 632803 632821 632822 632823 \
    632857";

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn by_name(list: &[SimStation], name: &str) -> SimStation {
    list.iter().find(|s| s.name.contains(name)).cloned().unwrap_or_else(|| panic!("no station {name}"))
}

fn value(station: &SimStation, at: i64, code: &str) -> f64 {
    let r = readings(station, at);
    let (_, v, _) = r.iter().find(|(c, _, _)| *c == code).unwrap();
    v.parse().unwrap()
}

fn mean(station: &SimStation, code: &str, times: impl Iterator<Item = i64>) -> f64 {
    let v: Vec<f64> = times.map(|t| value(station, t, code)).collect();
    v.iter().sum::<f64>() / v.len() as f64
}

#[test]
fn thousand_stations() {
    let codes: HashSet<&str> = COUNTY_CODES.split_whitespace().collect();
    assert_eq!(codes.len(), 45);
    let list = stations(1000);
    assert_eq!(list.len(), 1000);
    assert_eq!(list, stations(1000), "deterministic");
    assert_eq!(stations(25)[..], list[..25], "prefix");
    let mns: HashSet<&str> = list.iter().map(|s| s.mn.as_str()).collect();
    assert_eq!(mns.len(), 1000, "unique MNs");
    let mut regions = HashSet::new();
    let mut water = 0;
    for s in &list {
        assert_eq!(s.mn.len(), 24, "{}", s.mn);
        assert!(s.mn.starts_with(&format!("QH{}{}", s.region_code, s.kind.digit())), "{}", s.mn);
        assert!(s.mn.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_eq!(s.password.len(), 6);
        assert!(s.password.bytes().all(|b| b.is_ascii_digit()));
        assert!(codes.contains(s.region_code.as_str()), "{}", s.region_code);
        assert!((QINGHAI_LAT.0..=QINGHAI_LAT.1).contains(&s.latitude), "{} {}", s.name, s.latitude);
        assert!((QINGHAI_LON.0..=QINGHAI_LON.1).contains(&s.longitude), "{} {}", s.name, s.longitude);
        assert_eq!(s.st, s.kind.st());
        assert!(!s.name.is_empty());
        regions.insert(s.region_code.clone());
        water += usize::from(s.kind == SimKind::SurfaceWater);
    }
    assert_eq!(regions.len(), 45, "every county has stations");
    assert!((250..=400).contains(&water), "{water} water stations");
    let seeds: HashSet<u64> = list.iter().map(|s| s.seed).collect();
    assert_eq!(seeds.len(), 1000);
}

#[test]
fn named_stations_are_near_their_places() {
    let list = stations(NAMED_STATIONS);
    let near = |name: &str, code: &str, lat: f64, lon: f64| {
        let s = by_name(&list, name);
        assert_eq!(s.region_code, code, "{name}");
        assert!((s.latitude - lat).abs() < 0.3 && (s.longitude - lon).abs() < 0.3, "{name}");
    };
    near("城东区", "630102", 36.62, 101.80);
    near("城北区", "630105", 36.67, 101.77);
    near("乐都", "630202", 36.48, 102.40);
    near("格尔木", "632801", 36.40, 94.90);
    near("德令哈", "632802", 37.37, 97.37);
    near("玉树", "632701", 33.00, 97.01);
    near("共和", "632521", 36.28, 100.62);
    near("同仁", "632301", 35.52, 102.02);
    near("海晏", "632223", 36.90, 100.99);
    near("玛沁", "632621", 34.48, 100.24);
    near("黄河贵德", "632523", 36.04, 101.43);
    near("黄河循化", "630225", 35.85, 102.49);
    near("治多", "632724", 33.85, 95.61);
    near("曲麻莱", "632726", 34.13, 95.80);
    near("沙柳河", "632224", 37.33, 100.14);
    let air = list.iter().filter(|s| s.kind == SimKind::Air).count();
    assert_eq!(air, 12);
    assert!(list.iter().filter(|s| s.name.contains("湟水")).all(|s| s.kind == SimKind::SurfaceWater));
}

#[test]
fn time_helpers() {
    let t = beijing_ms(2024, 7, 15, 15, 30, 5);
    assert_eq!(t, 1_721_028_605_000);
    assert_eq!(qn(t + 123, 7), "20240715153005007");
    assert_eq!(qn(t, 1234), "20240715153005234");
    assert_eq!(period_start("2011", t + 999), t);
    assert_eq!(period_start("2051", t), beijing_ms(2024, 7, 15, 15, 30, 0));
    assert_eq!(period_start("2061", t), beijing_ms(2024, 7, 15, 15, 0, 0));
    assert_eq!(period_start("2031", t), beijing_ms(2024, 7, 15, 0, 0, 0));
    // Midnight in Beijing is 16:00 UTC of the day before.
    assert_eq!(period_start("2031", beijing_ms(2024, 1, 1, 0, 30, 0)), 1_704_038_400_000);
}

#[test]
fn readings_are_deterministic_and_well_formed() {
    let list = stations(60);
    let t = beijing_ms(2024, 3, 20, 9, 0, 0);
    for s in &list {
        let r = readings(s, t);
        assert_eq!(r, readings(s, t));
        let codes: Vec<&str> = r.iter().map(|(c, _, _)| *c).collect();
        let expected: Vec<&str> = s.kind.factors().iter().map(|f| f.code).collect();
        assert_eq!(codes, expected);
        for ((code, v, flag), f) in r.iter().zip(s.kind.factors()) {
            assert!(factor_code(code).is_some(), "{code} is a known factor code");
            let d = Decimal::parse(v).unwrap_or_else(|| panic!("{code}={v}"));
            assert_eq!(d.parts().1 as usize, f.decimals, "{code}={v}");
            assert!(!v.starts_with("-0") || v.contains(|c: char| ('1'..='9').contains(&c)), "{v}");
            assert_eq!(flag.len(), 1);
        }
    }
    // Different instants and stations differ.
    assert_ne!(readings(&list[0], t), readings(&list[0], t + HOUR));
    assert_ne!(readings(&list[0], t), readings(&list[1], t));
}

#[test]
fn air_values_are_plausible() {
    let list = stations(200);
    let start = beijing_ms(2024, 1, 1, 0, 0, 0);
    let mut flagged = 0;
    let mut total = 0;
    for s in list.iter().filter(|s| s.kind == SimKind::Air) {
        for k in 0..(365 * 4) {
            let at = start + k * 6 * HOUR + 17 * 60_000;
            let r = readings(s, at);
            total += 1;
            flagged += usize::from(r.iter().any(|(_, _, flag)| *flag != "N"));
            assert!(r.iter().filter(|(_, _, flag)| *flag != "N").count() <= 1);
            for (code, v, _) in r {
                let v: f64 = v.parse().unwrap();
                let (lo, hi) = match code {
                    "a21026" => (2.0, 120.0),
                    "a21004" => (2.0, 200.0),
                    "a21005" => (0.1, 5.0),
                    "a05024" => (2.0, 300.0),
                    "a34002" => (3.0, 1200.0),
                    "a34004" => (2.0, 400.0),
                    "a01001" => (-40.0, 38.0),
                    "a01002" => (5.0, 98.0),
                    _ => unreachable!(),
                };
                assert!((lo..=hi).contains(&v), "{} {code}={v}", s.name);
            }
            assert!(value(s, at, "a34004") <= value(s, at, "a34002"), "PM2.5 <= PM10 at {}", s.name);
        }
    }
    let rate = flagged as f64 / total as f64;
    assert!((0.005..0.02).contains(&rate), "rate of samples with a non-N flag {rate}");
}

#[test]
fn ozone_peaks_in_summer_afternoons() {
    let list = stations(NAMED_STATIONS);
    let xining = by_name(&list, "城中区");
    let days = || (0..7).map(|d| beijing_ms(2024, 7, 10, 0, 0, 0) + d * DAY);
    let afternoon = mean(&xining, "a05024", days().map(|t| t + 15 * HOUR));
    let night = mean(&xining, "a05024", days().map(|t| t + 3 * HOUR));
    assert!(afternoon > night + 40.0, "afternoon {afternoon} night {night}");
    assert!((100.0..=200.0).contains(&afternoon), "{afternoon}");
    let winter = mean(&xining, "a05024", (0..7).map(|d| beijing_ms(2024, 12, 10, 15, 0, 0) + d * DAY));
    assert!(winter < afternoon, "winter afternoon {winter} < summer {afternoon}");
}

#[test]
fn particulates_peak_in_the_heating_season() {
    let list = stations(NAMED_STATIONS);
    let xining = by_name(&list, "城西区");
    let hours = |y, m, d| (0..10 * 24).map(move |h| beijing_ms(y, m, d, 0, 0, 0) + h * HOUR);
    let winter25 = mean(&xining, "a34004", hours(2024, 1, 5));
    let summer25 = mean(&xining, "a34004", hours(2024, 7, 5));
    let winter10 = mean(&xining, "a34002", hours(2024, 1, 5));
    let summer10 = mean(&xining, "a34002", hours(2024, 7, 5));
    assert!(winter25 > 1.5 * summer25, "PM2.5 winter {winter25} summer {summer25}");
    assert!(winter10 > summer10, "PM10 winter {winter10} summer {summer10}");
    assert!((35.0..120.0).contains(&winter25) && (10.0..40.0).contains(&summer25), "{winter25} {summer25}");
    // Remote 玉树 is cleaner than Xining; NO2 has a morning rush peak in Xining.
    let yushu = by_name(&list, "玉树");
    assert!(mean(&yushu, "a34004", hours(2024, 1, 5)) < 0.6 * winter25);
    assert!(mean(&yushu, "a21004", hours(2024, 1, 5)) < 0.4 * mean(&xining, "a21004", hours(2024, 1, 5)));
    let days = || (0..10).map(|d| beijing_ms(2024, 10, 20, 0, 0, 0) + d * DAY);
    let rush = mean(&xining, "a21004", days().map(|t| t + 8 * HOUR + HOUR / 2));
    let noon = mean(&xining, "a21004", days().map(|t| t + 14 * HOUR));
    assert!(rush > noon * 1.3, "NO2 rush {rush} afternoon {noon}");
    // Winter is cold on the plateau, summer mild.
    let jan = mean(&xining, "a01001", hours(2024, 1, 5));
    let jul = mean(&xining, "a01001", hours(2024, 7, 5));
    assert!((-14.0..-2.0).contains(&jan) && (12.0..24.0).contains(&jul), "{jan} {jul}");
    let maqin = by_name(&list, "玛沁");
    assert!(mean(&maqin, "a01001", hours(2024, 7, 5)) < jul - 4.0);
}

#[test]
fn spring_dust_in_the_qaidam() {
    let list = stations(NAMED_STATIONS);
    let golmud = by_name(&list, "格尔木");
    let spring: Vec<f64> =
        (0..90 * 24).map(|h| value(&golmud, beijing_ms(2024, 3, 1, 0, 0, 0) + h * HOUR, "a34002")).collect();
    let storms = spring.iter().filter(|v| **v >= 300.0).count();
    assert!(storms > 0, "dust events lift PM10 above 300 sometimes");
    assert!(storms < spring.len() / 10, "but not often ({storms})");
    let autumn_max =
        (0..60 * 24).map(|h| value(&golmud, beijing_ms(2024, 9, 1, 0, 0, 0) + h * HOUR, "a34002")).fold(0.0, f64::max);
    assert!(autumn_max < 300.0, "{autumn_max}");
}

#[test]
fn water_values_are_plausible() {
    let list = stations(300);
    let start = beijing_ms(2024, 1, 1, 2, 0, 0);
    let mut ph_ok = 0;
    let mut n = 0;
    for s in list.iter().filter(|s| s.kind == SimKind::SurfaceWater) {
        for k in 0..(365 * 2) {
            let at = start + k * 12 * HOUR;
            let r = readings(s, at);
            let v = |i: usize| -> f64 { r[i].1.parse().unwrap() };
            n += 1;
            ph_ok += usize::from((6.0..=9.0).contains(&v(0)));
            assert!((7.5..=9.2).contains(&v(0)), "{} pH {}", s.name, v(0));
            assert!((3.0..=13.0).contains(&v(1)), "{} DO {}", s.name, v(1));
            assert!((0.0..=24.0).contains(&v(2)), "{} WT {}", s.name, v(2));
            assert!((0.5..=12.0).contains(&v(3)), "{} CODMn {}", s.name, v(3));
            assert!((0.01..=2.5).contains(&v(4)), "{} NH3-N {}", s.name, v(4));
            assert!((0.002..=0.6).contains(&v(5)), "{} TP {}", s.name, v(5));
        }
    }
    assert!(ph_ok as f64 >= 0.99 * n as f64, "pH within 6-9: {ph_ok}/{n}");

    // 湟水 below Xining: more NH3-N in winter low flow than upstream; sometimes class IV.
    let named = stations(NAMED_STATIONS);
    let up = by_name(&named, "扎马隆");
    let down = by_name(&named, "小峡桥");
    let winter = || (0..30 * 4).map(|k| beijing_ms(2024, 1, 1, 0, 0, 0) + k * 6 * HOUR);
    let nh3_down = mean(&down, "w21003", winter());
    let nh3_up = mean(&down, "w21003", (0..30 * 4).map(|k| beijing_ms(2024, 9, 1, 0, 0, 0) + k * 6 * HOUR));
    assert!(nh3_down > 1.3 * nh3_up, "winter {nh3_down} vs autumn {nh3_up}");
    assert!(nh3_down > 2.0 * mean(&up, "w21003", winter()));
    let over_iii = (0..365 * 4)
        .map(|k| beijing_ms(2024, 1, 1, 0, 0, 0) + k * 6 * HOUR)
        .filter(|t| value(&down, *t, "w21003") > 1.0 || value(&down, *t, "w01019") > 6.0)
        .count();
    assert!((10..365 * 2).contains(&over_iii), "湟水 downstream worse than III sometimes: {over_iii}");
    // The 黄河 summer flood raises total phosphorus; the source region stays clean.
    let guide = by_name(&named, "贵德");
    let july = mean(&guide, "w21011", (0..30).map(|d| beijing_ms(2024, 7, 15, 12, 0, 0) + d * DAY));
    let nov = mean(&guide, "w21011", (0..30).map(|d| beijing_ms(2024, 11, 1, 12, 0, 0) + d * DAY));
    assert!(july > 2.0 * nov, "TP flood {july} vs {nov}");
    let zhiduo = by_name(&named, "治多");
    let cod = mean(&zhiduo, "w01019", (0..365).map(|d| beijing_ms(2024, 1, 1, 12, 0, 0) + d * DAY));
    assert!(cod < 4.0, "{cod}");
    // Water is near freezing in winter, warmer in summer.
    assert!(mean(&guide, "w01010", winter()) < 3.0);
    assert!(mean(&guide, "w01010", (0..30).map(|d| beijing_ms(2024, 7, 20, 12, 0, 0) + d * DAY)) > 12.0);
}

fn check_packet(s: &SimStation, cn: &str, at: i64, counter: u64) -> Packet {
    let wire = packet(s, cn, at, counter);
    assert!(wire.starts_with("##") && wire.ends_with("\r\n"));
    let frame = parse_frame(wire.as_bytes()).unwrap_or_else(|e| panic!("{e}: {wire}"));
    assert!(frame.deviations.is_empty());
    let p = frame.packet().unwrap_or_else(|e| panic!("{e}: {wire}"));
    assert_eq!(Packet::parse(&frame.segment).unwrap(), p);
    assert_eq!(p.deviations, vec![Deviation::MnFormat { len: 24 }], "{wire}");
    assert_eq!(p.cn, cn);
    assert_eq!(p.st, s.st);
    assert_eq!(p.mn, s.mn);
    assert_eq!(p.pw, s.password);
    assert_eq!(p.flag.map(|f| f.bits()), Some(5));
    assert!(p.ack_requested() && !p.is_split());
    assert_eq!(p.qn.as_deref(), Some(qn(at, counter).as_str()));
    assert_eq!(p.cp.data_time.unwrap().to_string(), qn(period_start(cn, at), 0)[..14]);
    let codes: Vec<&str> = p.cp.factors.keys().map(String::as_str).collect();
    let mut expected: Vec<&str> = s.kind.factors().iter().map(|f| f.code).collect();
    expected.sort_unstable();
    assert_eq!(codes, expected, "{wire}");
    for (code, v) in &p.cp.factors {
        assert!(v.data_flag().is_some(), "{code}");
        if cn == "2011" {
            assert!(v.rtd_decimal().is_some(), "{code}");
            assert!(v.avg.is_none() && v.min.is_none() && v.max.is_none());
        } else {
            assert!(v.rtd.is_none());
            let f = |s: Suffix| v.get(s).unwrap().parse::<f64>().unwrap();
            assert!(f(Suffix::Min) <= f(Suffix::Avg) && f(Suffix::Avg) <= f(Suffix::Max), "{code}: {wire}");
        }
    }
    if s.kind == SimKind::Air {
        for suffix in [Suffix::Rtd, Suffix::Min, Suffix::Avg, Suffix::Max] {
            let pm = |c: &str| p.cp.factors[c].get(suffix).map(|v| v.parse::<f64>().unwrap());
            if let (Some(pm25), Some(pm10)) = (pm("a34004"), pm("a34002")) {
                assert!(pm25 <= pm10, "{suffix}: {wire}");
            }
        }
    }
    p
}

#[test]
fn packets_parse_for_every_kind_and_command() {
    let list = stations(120);
    let air = by_name(&list, "城东区");
    let water = by_name(&list, "小峡桥");
    let at = beijing_ms(2024, 4, 12, 14, 37, 21) + 456;
    let mut seen = HashSet::new();
    for s in [&air, &water] {
        for (k, cn) in ["2011", "2051", "2061", "2031"].into_iter().enumerate() {
            let p = check_packet(s, cn, at, 42 + k as u64);
            assert!(seen.insert(p.qn.clone().unwrap() + &p.mn));
        }
    }
    let mut decoder = Decoder::new();
    let mut count = 0;
    for (i, s) in list.iter().enumerate() {
        for (k, cn) in ["2011", "2051", "2061"].into_iter().enumerate() {
            let at = beijing_ms(2024, 1, 1, 0, 0, 0) + (i as i64) * 7_919_000 + k as i64 * 86_400_000 * 97;
            check_packet(s, cn, at, i as u64);
            decoder.push(packet(s, cn, at, i as u64).as_bytes());
            count += 1;
        }
    }
    let mut decoded = 0;
    while let Some(f) = decoder.next_frame() {
        f.unwrap().packet().unwrap();
        decoded += 1;
    }
    assert_eq!(decoded, count);
    // The example frames of the docs.
    let p = check_packet(&air, "2011", beijing_ms(2024, 7, 15, 15, 0, 0), 1);
    assert_eq!(p.cp.data_time.unwrap().to_string(), "20240715150000");
    assert_eq!(p.qn.as_deref(), Some("20240715150000001"));
}

#[test]
fn qns_are_unique_per_station() {
    let s = station(0);
    let t = beijing_ms(2024, 5, 1, 8, 0, 0);
    let qns: HashSet<String> = (0..500).map(|k| qn(t + k * 50, k as u64)).collect();
    assert_eq!(qns.len(), 500);
    assert_ne!(packet(&s, "2011", t, 0), packet(&s, "2011", t, 1));
    assert_eq!(packet(&s, "2051", t, 3), packet(&s, "2051", t, 3));
}

// --------------------------------------------------------------------------------------------
// End to end

#[derive(Default)]
struct Platform {
    /// QNs acknowledged, per MN.
    acked: Mutex<HashMap<String, HashSet<String>>>,
    /// MNs whose first connection was dropped.
    dropped: Mutex<HashSet<String>>,
    connections: Mutex<usize>,
}

/// A tiny platform: decodes frames, answers with `platform_reply`; with `drop_first`, closes
/// each station's first connection after its first packet without answering.
async fn platform(drop_first: bool) -> (String, Arc<Platform>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let state = Arc::new(Platform::default());
    let shared = Arc::clone(&state);
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            *shared.connections.lock().unwrap() += 1;
            let state = Arc::clone(&shared);
            tokio::spawn(async move {
                let mut decoder = Decoder::new();
                let mut buf = vec![0u8; 4096];
                loop {
                    let n = match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => n,
                    };
                    decoder.push(&buf[..n]);
                    while let Some(frame) = decoder.next_frame() {
                        let p = frame.unwrap().packet().unwrap();
                        if drop_first && state.dropped.lock().unwrap().insert(p.mn.clone()) {
                            return; // close without answering
                        }
                        state.acked.lock().unwrap().entry(p.mn.clone()).or_default().insert(p.qn.clone().unwrap());
                        if let Some(reply) = platform_reply(&p) {
                            if sock.write_all(reply.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    (addr, state)
}

fn config(target: String, n: usize, packets: u64) -> SimConfig {
    SimConfig {
        interval: Duration::from_millis(50),
        packets_per_station: Some(packets),
        ..SimConfig::new(target, stations(n))
    }
}

#[tokio::test]
async fn end_to_end_every_packet_is_acknowledged() {
    let (addr, state) = platform(false).await;
    let (_stop_tx, stop) = watch::channel(false);
    let report = tokio::time::timeout(Duration::from_secs(20), run(config(addr, 5, 3), stop)).await.unwrap();
    assert_eq!(report, SimReport { stations: 5, sent: 15, acked: 15, reconnects: 0, resent: 0, errors: 0 });
    let acked = state.acked.lock().unwrap();
    assert_eq!(acked.len(), 5);
    assert!(acked.values().all(|q| q.len() == 3));
    assert_eq!(*state.connections.lock().unwrap(), 5, "one long-lived connection per station");
}

#[tokio::test]
async fn end_to_end_reconnects_and_resends() {
    let (addr, state) = platform(true).await;
    let (_stop_tx, stop) = watch::channel(false);
    let mut cfg = config(addr, 3, 3);
    cfg.cn = "2051".into();
    let report = tokio::time::timeout(Duration::from_secs(30), run(cfg, stop)).await.unwrap();
    let acked = state.acked.lock().unwrap();
    let distinct: usize = acked.values().map(HashSet::len).sum();
    assert_eq!(distinct, 9, "every packet eventually acknowledged: {acked:?}");
    assert_eq!(report.sent, 9);
    assert_eq!(report.acked, 9);
    assert_eq!(report.reconnects, 3, "{report:?}");
    assert!(report.resent >= 3, "{report:?}");
    assert_eq!(state.dropped.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn stop_signal_and_silent_stations() {
    let (addr, state) = platform(false).await;
    let (stop_tx, stop) = watch::channel(false);
    let list = stations(4);
    let silent = vec![list[3].mn.clone()];
    let cfg = SimConfig { interval: Duration::from_millis(20), silent, ..SimConfig::new(addr, list.clone()) };
    let handle = tokio::spawn(run(cfg, stop));
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop_tx.send(true).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(5), handle).await.unwrap().unwrap();
    assert_eq!(report.stations, 3);
    assert!(report.sent >= 6, "{report:?}");
    assert!(report.acked + 3 >= report.sent, "{report:?}");
    assert!(!state.acked.lock().unwrap().contains_key(&list[3].mn), "silent station sent nothing");
}

#[tokio::test]
async fn unreachable_platform_keeps_data_until_stopped() {
    // A port nobody listens on: bind, note the address, close.
    let addr = TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().to_string();
    let (stop_tx, stop) = watch::channel(false);
    let cfg = SimConfig { interval: Duration::from_millis(20), ..SimConfig::new(addr, stations(2)) };
    let handle = tokio::spawn(run(cfg, stop));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop_tx.send(true).unwrap();
    let report = tokio::time::timeout(Duration::from_secs(5), handle).await.unwrap().unwrap();
    assert_eq!((report.sent, report.acked), (0, 0), "{report:?}");
    assert!(report.errors >= 2, "failed connects are counted: {report:?}");
}

#[test]
fn report_serializes() {
    fn is_serialize<T: serde::Serialize>(_: &T) {}
    is_serialize(&SimReport::default());
    is_serialize(&station(0));
    is_serialize(&weather(&station(0), 0));
}
