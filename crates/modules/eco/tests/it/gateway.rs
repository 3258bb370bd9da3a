use std::time::Duration;

use qy_eco::GatewayConfig;

use crate::harness::{hourly, hourly_on, start, PW};

const WAIT: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(400);

#[tokio::test]
async fn an_upload_is_stored_then_acknowledged_with_its_qn() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A001", false).await;
    let mut c = gw.connect().await;
    c.send(hourly("QH632801A001", "20260115100000001", PW, "09", "75").as_bytes()).await;
    let ack = c.reply(WAIT).await.expect("9014 ack");
    assert_eq!((ack.cn.as_str(), ack.qn.as_deref()), ("9014", Some("20260115100000001")));
    // Acknowledged means committed: the values are there when the ack arrives.
    assert_eq!(gw.count("eco_observation").await, 2);
    let latest = qy_eco::store::latest(&gw.db, Some(&id), None).await.unwrap();
    let pm = latest.iter().find(|l| l.factor == "a34004").unwrap();
    assert_eq!((pm.value.as_str(), pm.period.as_str(), pm.time_ms), ("75", "hour", 1_768_438_800_000));
    assert!(gw.ingest.connections.get("QH632801A001").is_some());
}

#[tokio::test]
async fn a_retransmitted_qn_is_acknowledged_again_but_stored_once() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A002", false).await;
    let mut c = gw.connect().await;
    let packet = hourly("QH632801A002", "20260115100000002", PW, "09", "75");
    for _ in 0..3 {
        c.send(packet.as_bytes()).await;
        assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    }
    assert_eq!(gw.count("eco_packet").await, 1);
    assert_eq!(gw.count("eco_observation").await, 2);
}

#[tokio::test]
async fn unknown_mn_and_wrong_password_get_no_answer_and_store_nothing() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A003", false).await;
    let mut c = gw.connect().await;
    c.send(hourly("QH-UNKNOWN", "20260115100000003", PW, "09", "75").as_bytes()).await;
    assert!(c.reply(QUIET).await.is_none());
    c.send(hourly("QH632801A003", "20260115100000004", "654321", "09", "75").as_bytes()).await;
    assert!(c.reply(QUIET).await.is_none());
    assert_eq!(gw.count("eco_packet").await, 0);
    // The same connection still works for a correct packet.
    c.send(hourly("QH632801A003", "20260115100000005", PW, "09", "75").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
}

#[tokio::test]
async fn garbage_and_a_bad_crc_are_skipped_and_the_next_good_frame_is_answered() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A004", false).await;
    let mut c = gw.connect().await;
    let good = hourly("QH632801A004", "20260115100000006", PW, "09", "75");
    let mut broken = hourly("QH632801A004", "20260115100000007", PW, "10", "75");
    let crc_at = broken.len() - 6;
    broken.replace_range(crc_at..crc_at + 4, "0000");
    let stream = format!("GARBAGE\r\n{broken}{good}");
    // Delivered one byte at a time: partial reads must not matter.
    for b in stream.as_bytes() {
        c.send(std::slice::from_ref(b)).await;
    }
    let ack = c.reply(WAIT).await.expect("ack of the good frame");
    assert_eq!(ack.qn.as_deref(), Some("20260115100000006"));
    assert_eq!(gw.count("eco_packet").await, 1);
}

#[tokio::test]
async fn swapped_modbus_crc_is_accepted_only_for_stations_allowed_it() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A005", false).await;
    gw.station("QH632801A006", true).await;
    let swapped = |mn: &str, qn: &str| {
        let frame = hourly(mn, qn, PW, "09", "75");
        let segment = &frame[6..frame.len() - 6];
        let crc = qy_hj212::crc16_modbus(segment.as_bytes()).swap_bytes();
        format!("{}{crc:04X}\r\n", &frame[..frame.len() - 6])
    };
    let mut strict = gw.connect().await;
    strict.send(swapped("QH632801A005", "20260115100000008").as_bytes()).await;
    assert!(strict.reply(QUIET).await.is_none());
    let mut legacy = gw.connect().await;
    legacy.send(swapped("QH632801A006", "20260115100000009").as_bytes()).await;
    assert_eq!(legacy.reply(WAIT).await.expect("ack").cn, "9014");
}

#[tokio::test]
async fn a_misbehaving_connection_is_closed_and_never_delays_another_station() {
    let gw = start(GatewayConfig { max_bad_frames: 3, ..GatewayConfig::default() }).await;
    gw.station("QH632801A007", false).await;
    // A slow drip: half a frame, then nothing.
    let mut drip = gw.connect().await;
    drip.send(b"##0400QN=2026011510").await;
    // A flood of bad frames gets its connection closed.
    let mut bad = gw.connect().await;
    for _ in 0..3 {
        bad.send(b"##0010QN=1;ST=2&&0000\r\n").await;
    }
    assert!(bad.closed(WAIT).await);
    let mut good = gw.connect().await;
    good.send(hourly("QH632801A007", "20260115100000010", PW, "09", "75").as_bytes()).await;
    assert_eq!(good.reply(WAIT).await.expect("ack").cn, "9014");
}

#[tokio::test]
async fn idle_connections_are_closed() {
    let gw = start(GatewayConfig { idle_timeout: Duration::from_millis(300), ..GatewayConfig::default() }).await;
    let mut c = gw.connect().await;
    assert!(c.closed(WAIT).await);
}

#[tokio::test]
async fn a_thousand_stations_connected_at_once_are_all_acknowledged() {
    let gw = start(GatewayConfig::default()).await;
    let n = 1000;
    for i in 0..n {
        gw.station(&format!("QHLOAD{i:05}"), false).await;
    }
    let mut clients = Vec::with_capacity(n);
    for _ in 0..n {
        clients.push(gw.connect().await);
    }
    let tasks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            tokio::spawn(async move {
                c.send(hourly(&format!("QHLOAD{i:05}"), &format!("2026011510{i:07}"), PW, "09", "42").as_bytes()).await;
                let ack = c.reply(Duration::from_secs(60)).await;
                (c, ack.map(|a| a.cn))
            })
        })
        .collect();
    let mut acked = 0;
    let mut open = Vec::new();
    for t in tasks {
        let (c, cn) = t.await.unwrap();
        acked += usize::from(cn.as_deref() == Some("9014"));
        open.push(c);
    }
    assert_eq!(acked, n);
    assert_eq!(gw.ingest.connections.all().len(), n, "all connections stay open and registered");
    assert_eq!(gw.count("eco_packet").await, n as i64);
}

#[tokio::test]
async fn an_hourly_upload_of_an_air_station_updates_its_aqi_under_the_standard_of_its_time() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A008", false).await;
    let mut c = gw.connect().await;
    // 2026-03-15: HJ 633-2026, whose hourly report rates 1-h PM on the daily breakpoints.
    c.send(hourly_on("20260315", "QH632801A008", "20260315100000001", PW, "09", "75").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    let aqi = qy_eco::store::latest_aqi(&gw.db).await.unwrap();
    let a = aqi.iter().find(|a| a.station_id == id).expect("aqi row");
    // PM2.5 75: (150-100)/(115-60)*(75-60)+100 = 113.6 -> 114; PM10 80 -> 72.
    assert_eq!((a.aqi, a.level, a.standard.as_str()), (114, 3, "hj633-2026"));
    assert_eq!(a.primary, ["pm25_1h"]);
    // HJ 633-2026 §5.3: with indicators missing, an AQI above 100 is still published ...
    assert!(a.publishable);
    // ... but one of 100 or below is not (only the individual values are).
    c.send(hourly_on("20260315", "QH632801A008", "20260315110000001", PW, "10", "20").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    let aqi = qy_eco::store::latest_aqi(&gw.db).await.unwrap();
    let a = aqi.iter().find(|a| a.station_id == id).expect("aqi row");
    assert!(a.aqi <= 100 && !a.publishable, "{a:?}");
}

#[tokio::test]
async fn an_hourly_upload_of_a_water_station_gets_the_class_of_its_worst_indicator() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station_of("QH632801W001", qy_eco::domain::station::StationKind::SurfaceWater, false).await;
    let mut c = gw.connect().await;
    let frame = qy_hj212::encode_frame(&format!(
        "QN=20260315100000001;ST=21;CN=2061;PW={PW};MN=QH632801W001;Flag=5;CP=&&DataTime=20260315090000;\
         w01001-Avg=8.12,w01001-Flag=N;w01009-Avg=6.2,w01009-Flag=N;w21003-Avg=1.200,w21003-Flag=N;\
         w21011-Avg=0.080,w21011-Flag=N;w01019-Avg=9.5,w01019-Flag=M&&"
    ));
    c.send(frame.as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    let classes = qy_eco::store::latest_water(&gw.db).await.unwrap();
    let w = classes.iter().find(|w| w.station_id == id).expect("class row");
    // NH3-N 1.2 mg/L is class IV (≤ 1.5); DO 6.2 and river TP 0.08 are class II. The COD_Mn value
    // flagged M (maintenance) does not count.
    assert_eq!((w.class, w.class_label.as_str()), (4, "IV"));
    assert_eq!(w.worst, ["nh3_n"]);
    assert!(!w.per_item.contains_key("cod_mn"));
}

#[tokio::test]
async fn a_day_of_hourly_uploads_yields_a_daily_mean_a_daily_aqi_and_a_prefecture_aqi() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A009", false).await;
    let mut c = gw.connect().await;
    // 22 valid hours of 2026-03-15 (Beijing): enough for a daily mean (GB 3095-2012: ≥ 20).
    for h in 0..22 {
        let frame =
            hourly_on("20260315", "QH632801A009", &format!("20260315{h:02}0000000"), PW, &format!("{h:02}"), "40");
        c.send(frame.as_bytes()).await;
        assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    }
    let day = qy_eco::daily::beijing_day(1_773_532_800_000); // 2026-03-15 08:00 Beijing
    let stats = qy_eco::store::daily_of_station(&gw.db, &id, day).await.unwrap();
    assert!(stats.iter().any(|(f, s, v)| f == "a34004" && s == "mean" && v == "40.000"), "{stats:?}");
    // HJ 633-2026 daily: PM2.5 40 -> 60, PM10 80 -> 72.
    let daily = qy_eco::daily::update_station_daily_aqi(&gw.db, &id, day).await.unwrap().unwrap();
    assert_eq!((daily.aqi, daily.level), (72, 2));
    let cities = qy_eco::store::latest_city_aqi(&gw.db).await.unwrap();
    let haixi = cities.iter().find(|c| c.region_code == "632800").expect("Haixi city AQI");
    assert_eq!((haixi.aqi, haixi.stations), (72, 1));
}

fn upload<'a>(
    station_id: &'a str,
    qn: &'a str,
    observations: &'a [qy_eco::domain::observation::Observation],
) -> qy_eco::store::Upload<'a> {
    qy_eco::store::Upload { station_id, qn, cn: "2061", raw: "x", received_at: 1, peer: "test", observations }
}

#[tokio::test]
async fn a_batch_with_a_repeated_packet_stores_it_once_and_reports_which_were_new() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A010", false).await;
    let obs = |v: &str| qy_eco::domain::observation::Observation {
        factor: "a34004".into(),
        period: qy_eco::domain::observation::Period::Hour,
        time_ms: 1_768_438_800_000,
        value: v.into(),
        min: None,
        max: None,
        flag: "N".into(),
    };
    let (a, b) = ([obs("10")], [obs("11")]);
    let batch = [upload(&id, "Q1", &a), upload(&id, "Q1", &b), upload(&id, "Q2", &b)];
    assert_eq!(qy_eco::store::store_uploads(&gw.db, &batch).await.unwrap(), [true, false, true]);
    assert_eq!(qy_eco::store::store_uploads(&gw.db, &[upload(&id, "Q2", &b)]).await.unwrap(), [false]);
    assert_eq!(gw.count("eco_packet").await, 2);
    // Which values were written: a new packet repeating a stored value does not replace it.
    let none = qy_eco::store::DueLatest::default();
    let now = qy_eco::store::LatestWrite::All(&none);
    let mut conn = gw.db.pool().acquire().await.unwrap();
    let detailed = qy_eco::store::store_uploads_detailed(
        &gw.db,
        &mut conn,
        &[upload(&id, "Q5", &a), upload(&id, "Q5", &b)],
        true,
        now,
    )
    .await
    .unwrap();
    let stored: Vec<(bool, Vec<bool>)> = detailed.stored.into_iter().map(|s| (s.new, s.stored)).collect();
    assert_eq!(stored, [(true, vec![false]), (false, vec![false])]);
    // Each station of a batch records its newest packet (one statement for the batch).
    let other = gw.station("QH632801A012", false).await;
    let later = qy_eco::store::Upload { received_at: 7, ..upload(&other, "Q3", &a) };
    qy_eco::store::store_uploads(&gw.db, &[upload(&id, "Q4", &a), later]).await.unwrap();
    let last = |sid: String| {
        let db = gw.db.clone();
        async move { qy_eco::store::station(&db, &sid).await.unwrap().and_then(|s| s.last_packet_at) }
    };
    assert_eq!((last(id.clone()).await, last(other.clone()).await), (Some(1), Some(7)));
}

#[tokio::test]
async fn enough_minute_data_yields_an_hourly_mean_until_the_station_sends_its_own() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A011", false).await;
    let mut c = gw.connect().await;
    let frame = |m: u32, v: u32| {
        qy_hj212::encode_frame(&format!(
            "QN=2026031509{m:02}00000;ST=22;CN=2051;PW={PW};MN=QH632801A011;Flag=5;CP=&&DataTime=2026031509{m:02}00;\
             a34004-Avg={v},a34004-Flag=N&&"
        ))
    };
    let hour_ms = 1_773_536_400_000; // 2026-03-15 09:00 Beijing
    for m in 0..44 {
        c.send(frame(m, 40).as_bytes()).await;
        c.reply(WAIT).await.expect("ack");
    }
    let hourly = |gw: &crate::harness::Gateway| {
        let db = gw.db.clone();
        let id = id.clone();
        async move { qy_eco::store::valid_hourly(&db, &id, &["a34004"], hour_ms, hour_ms + 1).await.unwrap() }
    };
    gw.ingest.derive_pending().await;
    assert!(hourly(&gw).await.is_empty(), "44 minutes are not enough (GB 3095-2012: 45)");
    c.send(frame(44, 50).as_bytes()).await;
    c.reply(WAIT).await.expect("ack");
    // The server derives pending hours every few seconds; the test does it now.
    gw.ingest.derive_pending().await;
    let derived = hourly(&gw).await;
    // (44 × 40 + 50) / 45 = 40.222…
    assert_eq!(derived.first().map(|(_, _, v)| v.as_str()), Some("40.222"));
    // After a restart nothing is pending in memory: the recent hours with late minutes are
    // queued again from the store and derived (the same result; deriving again is an upsert).
    let clock = std::sync::Arc::new(qy_kernel::FixedClock::new(hour_ms + 3_600_000));
    let restarted = qy_eco::Ingest::new(gw.db.clone(), clock, gw.bus.clone());
    assert_eq!(restarted.queue_recent_hours(hour_ms - 3_600_000).await.unwrap(), 1);
    restarted.derive_pending().await;
    assert_eq!(hourly(&gw).await.first().map(|(_, _, v)| v.as_str()), Some("40.222"));
    // The station's own hourly value replaces the derived one.
    c.send(crate::harness::hourly_on("20260315", "QH632801A011", "20260315100000099", PW, "09", "99").as_bytes()).await;
    c.reply(WAIT).await.expect("ack");
    assert_eq!(hourly(&gw).await.first().map(|(_, _, v)| v.as_str()), Some("99"));
}

#[tokio::test]
async fn only_values_actually_stored_are_announced() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A013", false).await;
    let mut notices = gw.ingest.notices();
    let mut c = gw.connect().await;
    // Two packets (new QNs) for the same hour: the first value stays, the second is not news.
    c.send(crate::harness::hourly("QH632801A013", "20260115100000001", PW, "09", "75").as_bytes()).await;
    c.reply(WAIT).await.expect("ack");
    c.send(crate::harness::hourly("QH632801A013", "20260115100000002", PW, "09", "99").as_bytes()).await;
    c.reply(WAIT).await.expect("ack");
    let first = notices.try_recv().expect("the first values are announced");
    let mut values: Vec<&str> = first.observations().iter().map(|o| o.value.as_str()).collect();
    values.sort_unstable();
    assert_eq!(values, ["75", "80"]);
    let second = notices.try_recv().map(|n| n.observations().len());
    assert_eq!(second, Err(tokio::sync::broadcast::error::TryRecvError::Empty), "the repeated hour is not news");
}

#[tokio::test]
async fn a_backlog_sent_back_to_back_is_stored_and_answered_in_order_before_the_connection_ends() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801A020", false).await;
    let mut c = gw.connect().await;
    // More packets than a connection has in flight at once, in one write, then the end of the
    // stream (a logger replaying its backlog after an outage).
    let day = |i: usize| format!("202601{:02}", 10 + i / 24);
    let qns: Vec<String> = (0..30).map(|i| format!("{}{:02}0000{:03}", day(i), i % 24, i)).collect();
    let backlog: String =
        (0..30).map(|i| hourly_on(&day(i), "QH632801A020", &qns[i], PW, &format!("{:02}", i % 24), "40")).collect();
    c.send(backlog.as_bytes()).await;
    tokio::io::AsyncWriteExt::shutdown(&mut c.stream).await.unwrap();
    let mut answered = Vec::new();
    while answered.len() < qns.len() {
        let Some(ack) = c.reply(WAIT).await else { break };
        answered.push(ack.qn.unwrap_or_default());
    }
    assert_eq!(answered, qns, "every packet answered, in the order sent");
    assert!(c.closed(WAIT).await, "the gateway closes the connection once all is answered");
    assert_eq!(gw.count("eco_packet").await, 30);
    assert_eq!(gw.count("eco_observation WHERE period = 'hour'").await, 60);
}

#[tokio::test]
async fn latest_values_deferred_by_a_busy_writer_follow_within_moments() {
    use qy_eco::domain::observation::{Observation, Period};
    use qy_eco::gateway::writer::{OwnedUpload, Writer};
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A022", false).await;
    let writer = Writer::spawn(gw.db.clone(), || false);
    let nine = 1_768_438_800_000;
    let pm25 = || async {
        let latest = qy_eco::store::latest(&gw.db, Some(&id), None).await.unwrap();
        latest.into_iter().find(|l| l.factor == "a34004").map(|l| (l.value, l.time_ms))
    };
    let upload = |h: i64| OwnedUpload {
        station_id: id.clone(),
        qn: format!("Q{h}"),
        cn: "2061".into(),
        raw: "x".into(),
        received_at: 1,
        peer: "test".into(),
        // PM2.5 every hour; SO2 (a datastream new to the writer) in hour 2 only.
        observations: ["a34004", "a21026"]
            .into_iter()
            .take(if h == 2 { 2 } else { 1 })
            .map(|factor| Observation {
                factor: factor.into(),
                period: Period::Hour,
                time_ms: nine + h * 3_600_000,
                value: (40 + h).to_string(),
                min: None,
                max: None,
                flag: "N".into(),
            })
            .collect(),
    };
    // A lone upload: its datastream is new to the writer, so eco_latest follows at once.
    assert!(writer.submit(upload(0)).await.unwrap().await.unwrap().stored.new);
    assert_eq!(pm25().await, Some(("40".to_owned(), nine)));
    // Upload 1 reaches an idle writer; upload 2 arrives while the writer stores 1 (the test's
    // runtime has one thread: `yield_now` lets the writer take 1 and wait for the database).
    // Finding 2 queued, the writer stores it and leaves eco_latest for later.
    let first = writer.submit(upload(1)).await.unwrap();
    tokio::task::yield_now().await;
    let second = writer.submit(upload(2)).await.unwrap();
    assert!(first.await.unwrap().stored.new);
    assert!(second.await.unwrap().stored.new);
    assert_eq!(pm25().await, Some(("41".to_owned(), nine + 3_600_000)), "2 deferred right after its commit");
    let latest = qy_eco::store::latest(&gw.db, Some(&id), None).await.unwrap();
    assert!(latest.iter().any(|l| l.factor == "a21026"), "a new datastream is never deferred");
    let since = tokio::time::Instant::now();
    loop {
        let now = pm25().await;
        if now == Some(("42".to_owned(), nine + 2 * 3_600_000)) {
            break;
        }
        assert!(since.elapsed() < Duration::from_secs(5), "eco_latest still behind: {now:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn the_latest_value_is_the_stored_one_and_repair_brings_it_forward() {
    let gw = start(GatewayConfig::default()).await;
    let id = gw.station("QH632801A021", false).await;
    let mut c = gw.connect().await;
    c.send(hourly("QH632801A021", "20260115100000021", PW, "09", "75").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    // Another packet (new QN) with another value for the same hour: the first value stays, in
    // eco_observation and in eco_latest.
    c.send(hourly("QH632801A021", "20260115100000022", PW, "09", "99").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.expect("ack").cn, "9014");
    let pm25 = || async {
        let latest = qy_eco::store::latest(&gw.db, Some(&id), None).await.unwrap();
        latest.into_iter().find(|l| l.factor == "a34004").map(|l| (l.value, l.time_ms)).unwrap()
    };
    let nine = 1_768_438_800_000;
    assert_eq!(pm25().await, ("75".to_owned(), nine));
    // A newer value whose eco_latest row was never written (a writer stopped abruptly).
    qy_storage::sqlx::query(
        "INSERT INTO eco_observation (station_id, factor, period, time_ms, value, value_num, flag, received_at) \
         VALUES ($1, 'a34004', 'hour', $2, '80', 80, 'N', 0)",
    )
    .bind(&id)
    .bind(nine + 3_600_000)
    .execute(gw.db.pool())
    .await
    .unwrap();
    assert_eq!(qy_eco::store::repair_latest(&gw.db).await.unwrap(), 1);
    assert_eq!(pm25().await, ("80".to_owned(), nine + 3_600_000));
    assert_eq!(qy_eco::store::repair_latest(&gw.db).await.unwrap(), 0, "nothing left to repair");
}
