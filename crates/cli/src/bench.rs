//! `qingyun bench …`: measurements against a running server on this machine.
//!
//! Speed is reported as a ratio to a limit measured in the same run, never asserted: the
//! command exits 0 whatever the figures are, and non-zero only when the measurement itself
//! failed (connection refused, packets left unacknowledged, data acknowledged but not stored).
//! Progress goes to stderr; the last line of stdout is one JSON object. `bench credit`
//! (bench_credit/) and `bench catalog` (bench_catalog/) serve their own fresh store in this
//! process instead (sharing bench_kit/), and print a table unless `--json`.

use std::collections::HashSet;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use qy_eco::domain::observation::{extract, Extracted, Observation};
use qy_eco::simulator::{self, SimStation};
use qy_kernel::{Clock, SystemClock};
use qy_storage::sqlx::query;
use qy_storage::{Db, Dialect, Params, Row};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinSet;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// End-to-end HJ 212 ingest against a running server (loopback only): N stations each send
    /// M data packets over their own TCP connection, back to back (or, with --lockstep, each
    /// after the previous one's answer), and wait for every 9014 acknowledgement (sent by the
    /// server only after the data is committed). The limit is the
    /// same number of observation rows bulk-inserted straight into the same store in the same
    /// run. Last line of stdout: JSON with packets_per_s, observations_per_s and
    /// ratio_to_raw_insert. Uses the server's store (QY_DATABASE_URL / QY_DATA_DIR).
    Hj212Ingest {
        /// Concurrent stations (one TCP connection each).
        #[arg(long, default_value_t = 200)]
        stations: usize,
        /// Data packets per station.
        #[arg(long, default_value_t = 20)]
        packets: u64,
        /// The gateway (default: QY_HJ212_ADDR); must be a loopback address.
        #[arg(long)]
        target: Option<String>,
        /// 2011 real-time, 2051 minute, 2061 hourly, 2031 daily data.
        #[arg(long, default_value = "2051")]
        cn: String,
        /// The server's process id: report its peak resident memory (/proc/PID/status VmHWM).
        #[arg(long)]
        server_pid: Option<u32>,
        /// Give up (exit non-zero) when the whole run takes longer than this.
        #[arg(long, default_value_t = 600)]
        timeout_secs: u64,
        /// Each station sends a packet only once the previous one is acknowledged, as a logger
        /// does in normal operation. Without it, a station sends all its packets back to back,
        /// as a logger replaying its backlog after an outage.
        #[arg(long)]
        lockstep: bool,
    },
    /// The credit module with many subjects: builds the server in this process on a fresh
    /// store (a temporary data directory, or --data-dir; --database-url for an empty
    /// PostgreSQL database), seeds N subjects with Chinese names and valid USCCs, then measures
    /// USCC lookup, name search and CreditCheck over HTTP on 127.0.0.1 and the in-process
    /// CreditCheck port. Reports each as a ratio to our service levels (p99 <= 100 ms lookup,
    /// p99 <= 300 ms search, >= 500 checks/s): a table on stdout, or one JSON object with --json.
    Credit(crate::bench_credit::CreditArgs),
    /// The catalog with 10,000 datasets: builds the server in this process on a fresh store
    /// (as `bench credit` does), publishes N generated entries of forty departments through the
    /// catalog service, uploads a large table and grants a consumer system three of its
    /// columns for one prefecture, then measures exchange pulls (cursor walks over HTTP and in
    /// process) and CKAN package_search over HTTP. Reports each as a ratio to our service
    /// levels (>= 50,000 rows/s, p99 <= 300 ms): a table on stdout, or JSON with --json.
    Catalog(crate::bench_catalog::CatalogArgs),
    /// EPCIS 2.0 capture: builds the server in this process on a fresh store (as `bench
    /// credit` does), captures N generated events through POST /epcis/capture (validated,
    /// hashed, indexed), then measures MATCH_epc queries. Last line of stdout: JSON with
    /// events_per_s, ratio_to_raw_insert (the same event texts bulk-inserted into the same
    /// store), p50_ms / p99_ms and peak_rss_mb, each beside its target.
    EpcisCapture(crate::bench_epcis::EpcisArgs),
    /// The SensorThings workload (single-observation POSTs, or the latest observation of 100
    /// datastreams) with a Rust client against any STA 1.1 service root on 127.0.0.1, ours or
    /// a peer's, seeded beforehand (crates/modules/eco/bench/sta_bench.py). Prints one JSON
    /// object: per_s, p50_ms / p99_ms, and the server's CPU seconds with --server-pid.
    Sta(crate::bench_sta::StaArgs),
}

pub async fn run(cmd: BenchCommand, config: &qy_server::Config) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Hj212Ingest { stations, packets, target, cn, server_pid, timeout_secs, lockstep } => {
            let opts = IngestOptions {
                stations,
                packets,
                target: target.unwrap_or_else(|| config.hj212_addr.clone()),
                cn,
                server_pid,
                lockstep,
            };
            let limit = Duration::from_secs(timeout_secs.max(1));
            let report = tokio::time::timeout(limit, hj212_ingest(opts, config))
                .await
                .map_err(|_| anyhow!("bench hj212-ingest did not finish within {timeout_secs} s; aborted"))??;
            println!("{}", serde_json::to_string(&report)?);
            Ok(ExitCode::SUCCESS)
        }
        BenchCommand::Credit(args) => crate::bench_credit::run(args, config).await,
        BenchCommand::Catalog(args) => crate::bench_catalog::run(args, config).await,
        BenchCommand::EpcisCapture(args) => crate::bench_epcis::run(args, config).await,
        BenchCommand::Sta(args) => crate::bench_sta::run(args).await,
    }
}

struct IngestOptions {
    stations: usize,
    packets: u64,
    target: String,
    cn: String,
    server_pid: Option<u32>,
    lockstep: bool,
}

/// MNs of the bench stations start at this simulator index, clear of the demo's stations.
const FIRST_INDEX: usize = 10_000;
/// Rows per transaction of the raw insert (per statement: `Dialect::rows_per_positional_statement`).
const RAW_ROWS_PER_TX: usize = 500;
/// Stop waiting when a connection gets no acknowledgement for this long.
const ACK_STALL: Duration = Duration::from_secs(60);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often progress is reported on stderr.
const PROGRESS_EVERY: Duration = Duration::from_secs(5);
/// Stations per `IN (…)` list.
const IN_CHUNK: usize = 500;

#[derive(serde::Serialize)]
struct IngestReport {
    stations: usize,
    packets: u64,
    observations: u64,
    seconds: f64,
    packets_per_s: f64,
    observations_per_s: f64,
    raw_rows_per_s: f64,
    ratio_to_raw_insert: f64,
    store: &'static str,
    server_rss_mb: Option<f64>,
    cn: String,
    packets_per_station: u64,
    stored_observations: u64,
    raw_seconds: f64,
    client_build: &'static str,
    lockstep: bool,
}

pub(crate) fn kerr(e: qy_kernel::Error) -> anyhow::Error {
    anyhow!("{} ({})", e.detail, e.code)
}

/// Length of the period of one upload, by command code (the step between two packets' `DataTime`).
fn period_ms(cn: &str) -> anyhow::Result<i64> {
    Ok(match cn {
        "2011" => 1_000,
        "2051" => 60_000,
        "2061" => 3_600_000,
        "2031" => 86_400_000,
        other => bail!("--cn must be 2011, 2051, 2061 or 2031, not {other}"),
    })
}

/// Load tests target this machine only.
async fn loopback(target: &str) -> anyhow::Result<()> {
    let addrs: Vec<_> =
        tokio::net::lookup_host(target).await.with_context(|| format!("cannot resolve {target}"))?.collect();
    if addrs.is_empty() || !addrs.iter().all(|a| a.ip().is_loopback()) {
        bail!("bench targets only loopback addresses (127.0.0.1, ::1), not {target}");
    }
    Ok(())
}

pub(crate) fn mb(kib: u64) -> f64 {
    (kib as f64 / 1024.0 * 10.0).round() / 10.0
}

pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// A `VmHWM:`/`VmRSS:` line of /proc/PID/status, in KiB.
pub(crate) fn proc_status_kib(pid: u32, key: &str) -> Option<u64> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = text.lines().find(|l| l.starts_with(key))?;
    line.trim_start_matches(key).trim().trim_end_matches("kB").trim().parse().ok()
}

/// One station's packets, built before the clock starts.
struct StationLoad {
    qns: HashSet<String>,
    /// What each write sends: every packet at once (back to back), or one packet each
    /// (`--lockstep`, the next write only after an answer).
    writes: Vec<Vec<u8>>,
}

/// What one connection saw.
struct ConnResult {
    unacked: usize,
    last_ack: Option<Instant>,
    error: Option<String>,
}

async fn hj212_ingest(o: IngestOptions, config: &qy_server::Config) -> anyhow::Result<IngestReport> {
    if o.stations == 0 || o.packets == 0 {
        bail!("--stations and --packets must be at least 1");
    }
    let period = period_ms(&o.cn)?;
    loopback(&o.target).await?;

    let db = Db::connect(&config.database_url()).await.map_err(kerr)?;
    let store = match db.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    let ready = query("SELECT COUNT(*) FROM eco_station").fetch_one(db.pool()).await;
    if ready.is_err() {
        bail!("the store at {} has no eco tables: start the server (qingyun serve) first", db.redacted_url());
    }
    eprintln!("bench: store {store} ({}), gateway {}", db.redacted_url(), o.target);

    // 1. Stations, registered before any packet is sent (the gateway does not cache unknown MNs).
    let stations: Vec<SimStation> = (0..o.stations).map(|i| simulator::station(FIRST_INDEX + i)).collect();
    let eco = qy_eco::Eco::new(db.clone(), Arc::new(SystemClock));
    let regions = qy_regions::StoreDirectory::new(db.clone());
    let added = qy_eco::demo::register(&eco, &regions, &stations).await.map_err(kerr)?;
    eprintln!("bench: {} stations ({added} newly registered)", stations.len());
    let mut ids = Vec::with_capacity(stations.len());
    for s in &stations {
        let Some((st, _)) = qy_eco::store::station_by_mn(&db, &s.mn).await.map_err(kerr)? else {
            bail!("station {} is not registered after registration", s.mn);
        };
        ids.push(st.id);
    }

    // 2. DataTimes: one period apart per packet, from 30 days ago or after anything a previous
    //    run stored, so that every packet is new (a retransmission would be answered unstored).
    let period_name = qy_eco::domain::observation::Period::from_cn(&o.cn)
        .map(|p| p.as_str())
        .ok_or_else(|| anyhow!("--cn {} is not a data upload", o.cn))?;
    let now = SystemClock.now_ms();
    let mut start = simulator::period_start(&o.cn, now - 30 * 86_400_000);
    if let Some(newest) = newest_latest(&db, &ids, period_name).await? {
        start = start.max(simulator::period_start(&o.cn, newest) + period);
    }
    let packets_i64 = i64::try_from(o.packets).context("--packets too large")?;
    let end = start + packets_i64 * period;

    let built = Instant::now();
    let mut loads = Vec::with_capacity(stations.len());
    let mut observations: u64 = 0;
    // Every packet's observations, per station, for the raw insert of the same rows.
    let mut sent: Vec<Vec<Vec<Observation>>> = Vec::with_capacity(stations.len());
    for s in &stations {
        let mut station_rows = Vec::with_capacity(usize::try_from(o.packets).unwrap_or(0));
        let mut load = StationLoad { qns: HashSet::new(), writes: Vec::new() };
        for k in 0..o.packets {
            let at = start + i64::try_from(k).unwrap_or(0) * period;
            let frame = simulator::packet(s, &o.cn, at, k);
            let packet = qy_hj212::parse_frame(frame.as_bytes())
                .map_err(|e| anyhow!("{e}"))
                .and_then(|f| f.packet().map_err(|e| anyhow!("{e}")))
                .context("the simulator built a packet the parser refuses")?;
            let Extracted::Observations { items, .. } = extract(&packet, &packet.cp) else {
                bail!("CN {} packet yields no observations", o.cn);
            };
            observations += items.len() as u64;
            station_rows.push(items);
            let Some(qn) = packet.qn else { bail!("simulator packet without QN") };
            if !load.qns.insert(qn.clone()) {
                bail!("duplicate QN {qn} for station {}", s.mn);
            }
            match load.writes.last_mut() {
                Some(all) if !o.lockstep => all.extend_from_slice(frame.as_bytes()),
                _ => load.writes.push(frame.into_bytes()),
            }
        }
        loads.push(load);
        sent.push(station_rows);
    }
    let total_packets = o.packets * o.stations as u64;
    eprintln!(
        "bench: built {total_packets} CN {} packets ({observations} observations, DataTime from {} for {} periods) in {:.1} s",
        o.cn,
        start,
        o.packets,
        built.elapsed().as_secs_f64()
    );

    // 3. Connect every station, then start the clock and send.
    let mut connecting = JoinSet::new();
    for i in 0..o.stations {
        let target = o.target.clone();
        connecting.spawn(async move {
            let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(target.as_str()))
                .await
                .map_err(|_| anyhow!("connect to {target} timed out"))?
                .with_context(|| format!("cannot connect to {target}"))?;
            let _ = stream.set_nodelay(true);
            Ok::<_, anyhow::Error>((i, stream))
        });
    }
    let mut streams: Vec<Option<TcpStream>> = (0..o.stations).map(|_| None).collect();
    while let Some(joined) = connecting.join_next().await {
        let (i, stream) = joined??;
        if let Some(slot) = streams.get_mut(i) {
            *slot = Some(stream);
        }
    }
    eprintln!("bench: {} connections open; sending", o.stations);

    let peak_rss = Arc::new(AtomicU64::new(0));
    let sampler = o.server_pid.map(|pid| {
        let peak = Arc::clone(&peak_rss);
        tokio::spawn(async move {
            loop {
                if let Some(kib) = proc_status_kib(pid, "VmRSS:") {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        })
    });

    let acks = Arc::new(AtomicU64::new(0));
    let t0 = Instant::now();
    let mut running = JoinSet::new();
    for (stream, load) in streams.into_iter().zip(loads) {
        let Some(stream) = stream else { bail!("a connection went missing") };
        running.spawn(drive(stream, load, Arc::clone(&acks), o.lockstep));
    }
    let mut tick = tokio::time::interval_at((t0 + PROGRESS_EVERY).into(), PROGRESS_EVERY);
    let (mut unacked, mut last_ack, mut errors) = (0usize, None::<Instant>, Vec::new());
    loop {
        let joined = tokio::select! {
            j = running.join_next() => j,
            _ = tick.tick() => {
                let n = acks.load(Ordering::Relaxed);
                eprintln!("bench: {n} of {total_packets} packets acknowledged, {} connections still running", running.len());
                continue;
            }
        };
        let Some(joined) = joined else { break };
        let r = joined.map_err(|e| anyhow!("connection task failed: {e}"))?;
        unacked += r.unacked;
        last_ack = last_ack.max(r.last_ack);
        if let Some(e) = r.error {
            errors.push(e);
        }
    }
    let acked = acks.load(Ordering::Relaxed);
    if let Some(s) = sampler {
        s.abort();
    }
    if unacked > 0 || !errors.is_empty() {
        let first = errors.first().cloned().unwrap_or_default();
        bail!(
            "{unacked} of {total_packets} packets unacknowledged; {} connections failed (first: {first}); the gateway \
             answers nothing to refused packets (unknown MN: is the bench on the server's store? wrong password?): \
             see the server log",
            errors.len()
        );
    }
    let seconds = last_ack.map_or(0.0, |t| t.duration_since(t0).as_secs_f64()).max(1e-9);
    eprintln!("bench: all {acked} packets acknowledged in {seconds:.2} s");

    // 4. Every acknowledged observation must be in the store.
    let stored = stored_observations(&db, &ids, period_name, start, end).await?;
    if stored < observations {
        bail!("{observations} observations acknowledged but only {stored} stored");
    }

    // 5. The limit: the same rows bulk-inserted straight into the same table. The run's rows
    //    are deleted, then inserted again in the order they arrived (packet by packet, the
    //    stations interleaved), so the limit pays for the same keys in the same indexes.
    let mut rows: Vec<(&str, &Observation)> = Vec::with_capacity(usize::try_from(observations).unwrap_or(0));
    for k in 0..usize::try_from(o.packets).unwrap_or(0) {
        for (id, station_rows) in ids.iter().zip(&sent) {
            rows.extend(station_rows.get(k).into_iter().flatten().map(|ob| (id.as_str(), ob)));
        }
    }
    delete_run(&db, &ids, period_name, start, end).await?;
    eprintln!(
        "bench: raw insert of the run's {} rows ({} per statement, {RAW_ROWS_PER_TX} per transaction)",
        rows.len(),
        db.dialect().rows_per_positional_statement(10)
    );
    let raw = raw_insert(&db, period_name, &rows).await.context(
        "the raw insert failed after the run's rows were deleted for it: the bench stations miss those values",
    )?;
    let raw_seconds = raw.as_secs_f64().max(1e-9);

    let server_rss_mb = o.server_pid.and_then(|pid| {
        let hwm = proc_status_kib(pid, "VmHWM:");
        let sampled = peak_rss.load(Ordering::Relaxed);
        eprintln!(
            "bench: server {pid} peak RSS {} (VmHWM), highest sampled during the run {} MiB",
            hwm.map_or("unknown".to_owned(), |k| format!("{} MiB", mb(k))),
            mb(sampled)
        );
        hwm.or((sampled > 0).then_some(sampled)).map(mb)
    });
    if o.server_pid.is_some() && server_rss_mb.is_none() {
        eprintln!("bench: cannot read /proc/PID/status of the server; server_rss_mb is null");
    }

    let observations_per_s = observations as f64 / seconds;
    let raw_rows_per_s = observations as f64 / raw_seconds;
    let report = IngestReport {
        stations: o.stations,
        packets: total_packets,
        observations,
        seconds: round(seconds, 3),
        packets_per_s: round(total_packets as f64 / seconds, 1),
        observations_per_s: round(observations_per_s, 1),
        raw_rows_per_s: round(raw_rows_per_s, 1),
        ratio_to_raw_insert: round(observations_per_s / raw_rows_per_s, 3),
        store,
        server_rss_mb,
        cn: o.cn,
        packets_per_station: o.packets,
        stored_observations: stored,
        raw_seconds: round(raw_seconds, 3),
        client_build: if cfg!(debug_assertions) { "debug" } else { "release" },
        lockstep: o.lockstep,
    };
    db.close().await;
    Ok(report)
}

/// Sends one station's packets (back to back, or each after the previous one's answer) and
/// counts the 9014 answers carrying their QNs.
async fn drive(stream: TcpStream, load: StationLoad, acks: Arc<AtomicU64>, lockstep: bool) -> ConnResult {
    let StationLoad { mut qns, writes } = load;
    let (mut rd, mut wr) = stream.into_split();
    // With --lockstep the reader lets the writer send the next packet after each answer.
    let (answered, mut may_send) = tokio::sync::mpsc::unbounded_channel::<()>();
    let writer = async move {
        let mut r = Ok(());
        for bytes in &writes {
            r = wr.write_all(bytes).await;
            if r.is_err() || (lockstep && may_send.recv().await.is_none()) {
                break;
            }
        }
        // Keep the write half open until the reader is done: the server may close on EOF.
        (r, wr)
    };
    let reader = async {
        // Owned here, so that a reader that gives up also releases the writer.
        let answered = answered;
        let mut decoder = qy_hj212::Decoder::new();
        let mut buf = vec![0u8; 16 * 1024];
        let mut last_ack = None;
        while !qns.is_empty() {
            let n = match tokio::time::timeout(ACK_STALL, rd.read(&mut buf)).await {
                Err(_) => return (last_ack, Some(format!("no acknowledgement for {} s", ACK_STALL.as_secs()))),
                Ok(Err(e)) => return (last_ack, Some(format!("read: {e}"))),
                Ok(Ok(0)) => return (last_ack, Some("connection closed by the server".to_owned())),
                Ok(Ok(n)) => n,
            };
            decoder.push(buf.get(..n).unwrap_or_default());
            while let Some(item) = decoder.next_frame() {
                let Ok(packet) = item.map_err(|e| e.to_string()).and_then(|f| f.packet().map_err(|e| e.to_string()))
                else {
                    continue;
                };
                if packet.cn == "9014" && packet.qn.as_ref().is_some_and(|qn| qns.remove(qn)) {
                    last_ack = Some(Instant::now());
                    acks.fetch_add(1, Ordering::Relaxed);
                    let _ = answered.send(());
                }
            }
        }
        (last_ack, None)
    };
    let ((written, mut wr), (last_ack, error)) = tokio::join!(writer, reader);
    let _ = wr.shutdown().await;
    let error = match (written, error) {
        (Err(e), _) => Some(format!("write: {e}")),
        (Ok(()), e) => e,
    };
    ConnResult { unacked: qns.len(), last_ack, error }
}

/// Newest `eco_latest` time of these stations for the period, if any.
async fn newest_latest(db: &Db, ids: &[String], period: &str) -> anyhow::Result<Option<i64>> {
    let mut newest: Option<i64> = None;
    for chunk in ids.chunks(IN_CHUNK) {
        let mut p = Params::new();
        let period_ph = p.push(period);
        let list: Vec<String> = chunk.iter().map(|id| p.push(id.as_str())).collect();
        let sql = format!(
            "SELECT MAX(time_ms) FROM eco_latest WHERE period = {period_ph} AND station_id IN ({})",
            list.join(", ")
        );
        let row = p.bind(&sql).fetch_one(db.pool()).await.context("reading eco_latest")?;
        let t: Option<i64> = row.try_get(0).context("reading eco_latest")?;
        newest = newest.max(t);
    }
    Ok(newest)
}

/// Observations of these stations for the period in `[from, to)`.
async fn stored_observations(db: &Db, ids: &[String], period: &str, from: i64, to: i64) -> anyhow::Result<u64> {
    let mut total = 0u64;
    for chunk in ids.chunks(IN_CHUNK) {
        let mut p = Params::new();
        let sql = format!(
            "SELECT COUNT(*) FROM eco_observation WHERE period = {} AND time_ms >= {} AND time_ms < {} \
             AND station_id IN ({})",
            p.push(period),
            p.push(from),
            p.push(to),
            chunk.iter().map(|id| p.push(id.as_str())).collect::<Vec<_>>().join(", ")
        );
        let row = p.bind(&sql).fetch_one(db.pool()).await.context("counting stored observations")?;
        let n: i64 = row.try_get(0).context("counting stored observations")?;
        total += u64::try_from(n).unwrap_or(0);
    }
    Ok(total)
}

/// Deletes the run's observations of these stations (`[from, to)` of the period), so that
/// the raw insert can write the same rows again.
async fn delete_run(db: &Db, ids: &[String], period: &str, from: i64, to: i64) -> anyhow::Result<()> {
    for chunk in ids.chunks(IN_CHUNK) {
        let mut p = Params::new();
        let sql = format!(
            "DELETE FROM eco_observation WHERE period = {} AND time_ms >= {} AND time_ms < {} AND station_id IN ({})",
            p.push(period),
            p.push(from),
            p.push(to),
            chunk.iter().map(|id| p.push(id.as_str())).collect::<Vec<_>>().join(", ")
        );
        p.bind(&sql).execute(db.pool()).await.context("deleting the run's rows for the raw insert")?;
    }
    Ok(())
}

/// Inserts `rows` (station id, observation) in this order with multi-row INSERTs in
/// transactions of `RAW_ROWS_PER_TX`; returns the time.
async fn raw_insert(db: &Db, period: &str, rows: &[(&str, &Observation)]) -> anyhow::Result<Duration> {
    let now = SystemClock.now_ms();
    let per_statement = db.dialect().rows_per_positional_statement(10);
    let t0 = Instant::now();
    for tx_rows in rows.chunks(RAW_ROWS_PER_TX) {
        let mut tx = db.pool().begin().await?;
        for statement in tx_rows.chunks(per_statement) {
            let mut p = Params::positional(db.dialect());
            let values: Vec<String> = statement
                .iter()
                .map(|(station_id, o)| {
                    format!(
                        "({}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                        p.push(*station_id),
                        p.push(o.factor.as_str()),
                        p.push(period),
                        p.push(o.time_ms),
                        p.push(o.value.as_str()),
                        p.push_f64(o.value.parse::<f64>().unwrap_or(0.0)),
                        p.push(o.min.clone().map_or(qy_storage::Value::Null, Into::into)),
                        p.push(o.max.clone().map_or(qy_storage::Value::Null, Into::into)),
                        p.push(o.flag.as_str()),
                        p.push(now)
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO eco_observation (station_id, factor, period, time_ms, value, value_num, min_value, \
                 max_value, flag, received_at) VALUES {}",
                values.join(", ")
            );
            p.bind(&sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
    }
    Ok(t0.elapsed())
}
