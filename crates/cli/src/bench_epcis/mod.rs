//! `qingyun bench epcis-capture`: EPCIS 2.0 capture throughput and `MATCH_epc` latency with
//! many stored events (issue 4), against a live server built in this process on a fresh
//! store (as `bench credit` and `bench catalog` do).
//!
//! 1. Builds the application on a fresh data directory and SQLite, or on `--database-url`
//!    (an empty PostgreSQL database), and serves it on 127.0.0.1.
//! 2. Captures `--events` generated events (gen.rs) in documents of `--batch` through
//!    `POST /epcis/capture`, `--concurrency` documents in flight, each job polled at
//!    `GET /epcis/capture/{id}` until it finishes. Every event is schema-validated, checked,
//!    hashed and indexed by the server. events_per_s counts from the first POST to the last
//!    finished job.
//! 3. The limit: the same event texts bulk-inserted straight into a two-column table of the
//!    same store (multi-row INSERTs, one transaction per document) for a sample of
//!    `--raw-sample` events, in the same run: ratio_to_raw_insert.
//! 4. `GET /epcis/events?MATCH_epc=…` for random stored serials, `--concurrency` clients for
//!    `--seconds`: p50/p99 against the 20 ms target.
//!    Then 200 genealogies of random serials through the service in process.
//! 5. This process's peak resident memory (VmHWM): the server plus the bench client, an upper
//!    bound of the server's, against the 512 MB target.
//!
//! The last line of stdout is one JSON object. Exit 0 whatever the figures. Results:
//! docs/benchmarks.md, section 5.

mod gen;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use qy_kernel::{Clock, SystemClock};
use qy_storage::sqlx::query;
use qy_storage::Dialect;
use serde_json::{json, Value};

use crate::bench::round;
use crate::bench_kit::http::Http;
use crate::bench_kit::latency::Latency;
use crate::bench_kit::rng::Rng;

/// Targets of the issue: validated, hashed, stored events per second; MATCH_epc p99; memory.
const TARGET_EVENTS_PER_S: f64 = 5_000.0;
const TARGET_P99_MS: f64 = 20.0;
const TARGET_RSS_MB: f64 = 512.0;

#[derive(clap::Args)]
pub struct EpcisArgs {
    /// Events to capture.
    #[arg(long, default_value_t = 1_000_000)]
    events: u64,
    /// Events per capture document.
    #[arg(long, default_value_t = 1_000)]
    batch: u64,
    /// Capture documents in flight, and query clients.
    #[arg(long, default_value_t = 4)]
    concurrency: usize,
    /// Events of the raw-insert baseline.
    #[arg(long, default_value_t = 100_000)]
    raw_sample: u64,
    /// Seconds of MATCH_epc queries.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Data directory. Default: a new temporary directory, removed afterwards.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite: an empty database (CREATE DATABASE … first).
    #[arg(long)]
    database_url: Option<String>,
    /// Give up (exit non-zero) when the whole run takes longer than this.
    #[arg(long, default_value_t = 3_600)]
    timeout_secs: u64,
}

pub async fn run(args: EpcisArgs, config: &qy_server::Config) -> anyhow::Result<ExitCode> {
    if args.events < 2 || args.batch == 0 || args.concurrency == 0 || args.seconds == 0 {
        bail!("--events must be at least 2; --batch, --concurrency and --seconds at least 1");
    }
    let (data_dir, temporary) = match &args.data_dir {
        Some(d) => (d.clone(), false),
        None => {
            (std::env::temp_dir().join(format!("qy-bench-epcis-{}-{}", std::process::id(), SystemClock.now_ms())), true)
        }
    };
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let limit = Duration::from_secs(args.timeout_secs.max(1));
    let timeout_secs = args.timeout_secs;
    let outcome = tokio::time::timeout(limit, bench(args, config, data_dir.clone())).await;
    if temporary {
        if let Err(e) = std::fs::remove_dir_all(&data_dir) {
            eprintln!("bench: cannot remove {}: {e}", data_dir.display());
        }
    }
    let report = outcome.map_err(|_| anyhow!("bench epcis-capture did not finish within {timeout_secs} s"))??;
    println!("{}", serde_json::to_string(&report)?);
    Ok(ExitCode::SUCCESS)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

async fn bench(args: EpcisArgs, base: &qy_server::Config, data_dir: PathBuf) -> anyhow::Result<Value> {
    let mut config = base.clone();
    config.data_dir = data_dir;
    config.database_url = args.database_url.clone();
    config.nats_url = None;
    config.mqtt_url = None;
    let mut rng = Rng::new(SystemClock.now_ms().unsigned_abs());
    let password = crate::bench_kit::password(&mut rng);
    config.bootstrap_admin_password = Some(password.clone());
    let app = qy_server::build(&config).await.map_err(|e| anyhow!(e))?;
    let db = app.state.db.clone();
    let store = match db.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    let (addr, server) = crate::bench_kit::serve(&app).await?;
    let mut http = Http::new(addr);
    let token = crate::bench_kit::identity::login(&mut http, "admin", &password).await?;

    // Capture.
    let docs = args.events.div_ceil(args.batch);
    let size = args.batch.min(args.events);
    eprintln!("bench: capturing {} events in {docs} documents of {size} on {store}", docs * size);
    let next = Arc::new(AtomicU64::new(0));
    let captured = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..args.concurrency {
        let (next, captured, token) = (next.clone(), captured.clone(), token.clone());
        tasks.spawn(async move {
            let mut http = Http::new(addr);
            let mut rng = Rng::new(c as u64 + 1);
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= docs {
                    return anyhow::Ok(());
                }
                let doc = gen::document(n, size, &mut rng);
                let reply = http.send("POST", "/epcis/capture", Some(&token), Some(doc.as_bytes())).await?;
                let job =
                    reply.location().map(str::to_owned).ok_or_else(|| anyhow!("capture answered without Location"))?;
                reply.expect(202).context("POST /epcis/capture")?;
                loop {
                    let body = http.send("GET", &job, Some(&token), None).await?.expect(200)?;
                    let v: Value = serde_json::from_slice(&body)?;
                    if v["running"] == json!(false) {
                        if v["success"] != json!(true) {
                            bail!("capture job {job} failed: {}", v["errors"]);
                        }
                        captured.fetch_add(v["capturedCount"].as_u64().unwrap_or(0), Ordering::Relaxed);
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
                if n.is_multiple_of(50) {
                    eprintln!("bench: document {n} of {docs}");
                }
            }
        });
    }
    while let Some(r) = tasks.join_next().await {
        r??;
    }
    let capture_s = started.elapsed().as_secs_f64();
    let captured = captured.load(Ordering::Relaxed);
    let events_per_s = captured as f64 / capture_s;

    // Raw-insert baseline on the same store.
    let raw_per_s = raw_insert(&db, args.raw_sample.min(docs * size), size, &mut rng).await?;

    // MATCH_epc latency.
    let serials = docs * size / 2;
    let deadline = Instant::now() + Duration::from_secs(args.seconds);
    let mut tasks = tokio::task::JoinSet::new();
    for c in 0..args.concurrency {
        let token = token.clone();
        tasks.spawn(async move {
            let mut http = Http::new(addr);
            let mut rng = Rng::new(1000 + c as u64);
            let mut micros = Vec::new();
            while Instant::now() < deadline {
                let k = rng.below(serials.max(1) as usize) as u64;
                let path = format!(
                    "/epcis/events?MATCH_epc={}",
                    form_urlencoded::byte_serialize(gen::epc(k).as_bytes()).collect::<String>()
                );
                let t = Instant::now();
                let body = http.send("GET", &path, Some(&token), None).await?.expect(200)?;
                micros.push(t.elapsed().as_micros() as u64);
                let v: Value = serde_json::from_slice(&body)?;
                let n = v["epcisBody"]["queryResults"]["resultsBody"]["eventList"].as_array().map_or(0, Vec::len);
                if n != 2 {
                    bail!("MATCH_epc for serial {k} found {n} events, not 2");
                }
            }
            anyhow::Ok(micros)
        });
    }
    let mut micros = Vec::new();
    while let Some(r) = tasks.join_next().await {
        micros.extend(r??);
    }
    micros.sort_unstable();
    let latency = Latency::of(&micros);

    // Genealogy of random serials through the service, in process, on the same store.
    let mut genealogy = Vec::new();
    for _ in 0..200 {
        let k = rng.below(serials.max(1) as usize) as u64;
        let t = Instant::now();
        app.trace.genealogy(&gen::epc(k)).await.map_err(|e| anyhow!("genealogy: {e}"))?;
        genealogy.push(t.elapsed().as_micros() as u64);
    }
    genealogy.sort_unstable();
    let genealogy = Latency::of(&genealogy);
    server.abort();
    let rss = peak_rss_mb();
    Ok(json!({
        "bench": "epcis-capture", "store": store, "events": captured, "batch": size,
        "concurrency": args.concurrency, "capture_seconds": round(capture_s, 2),
        "events_per_s": round(events_per_s, 2), "target_events_per_s": TARGET_EVENTS_PER_S,
        "ratio_to_target": round(events_per_s / TARGET_EVENTS_PER_S, 2),
        "raw_insert_events_per_s": round(raw_per_s, 2), "ratio_to_raw_insert": round(events_per_s / raw_per_s, 2),
        "queries": micros.len(), "p50_ms": round(latency.p50, 2), "p99_ms": round(latency.p99, 2),
        "p99_ratio_to_limit": round(latency.p99 / TARGET_P99_MS, 2),
        "genealogy_p50_ms": round(genealogy.p50, 2), "genealogy_p99_ms": round(genealogy.p99, 2),
        "peak_rss_mb": round(rss, 2), "rss_ratio_to_limit": round(rss / TARGET_RSS_MB, 2),
    }))
}

/// Inserts `count` event texts into a scratch table, `batch` per transaction; events/s.
async fn raw_insert(db: &qy_storage::Db, count: u64, batch: u64, rng: &mut Rng) -> anyhow::Result<f64> {
    query("DROP TABLE IF EXISTS bench_raw_event").execute(db.pool()).await?;
    query("CREATE TABLE bench_raw_event (id TEXT PRIMARY KEY, body TEXT NOT NULL)").execute(db.pool()).await?;
    let docs: Vec<Vec<String>> =
        (0..count.div_ceil(batch)).map(|n| gen::event_texts(&gen::document(n, batch, rng))).collect();
    let started = Instant::now();
    let mut inserted = 0u64;
    for (n, events) in docs.iter().enumerate() {
        let mut tx = db.pool().begin().await?;
        for (c, chunk) in events.chunks(500).enumerate() {
            let values: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${})", 2 * i + 1, 2 * i + 2)).collect();
            let sql = format!("INSERT INTO bench_raw_event (id, body) VALUES {}", values.join(", "));
            let mut q = query(&sql);
            for (i, body) in chunk.iter().enumerate() {
                q = q.bind(format!("{n}-{c}-{i}")).bind(body.as_str());
            }
            q.execute(&mut *tx).await?;
            inserted += chunk.len() as u64;
        }
        tx.commit().await?;
    }
    let per_s = inserted as f64 / started.elapsed().as_secs_f64();
    query("DROP TABLE bench_raw_event").execute(db.pool()).await?;
    Ok(per_s)
}
