//! `qingyun bench sta`: the SensorThings workload of `crates/modules/eco/bench/sta_bench.py`
//! (single-observation POSTs, and the latest observation of 100 datastreams) with a Rust
//! client, against any SensorThings 1.1 service root on this machine: Qingyun's or a peer's.
//! A Python client costs about as much per request as a fast server, so at a millisecond per
//! request it measures itself; this one does not, and both servers get the same client.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};

use crate::bench::{proc_status_kib, round};
use crate::bench_kit::http::Http;
use crate::bench_kit::latency::Latency;

#[derive(clap::Args)]
pub struct StaArgs {
    /// The service root, e.g. http://127.0.0.1:8001/sensorthings/v1.1 (loopback only).
    base: String,
    /// `post`: POST /Observations round robin over the datastreams, each with a new
    /// phenomenonTime; `get`: GET /Datastreams?$top=100&$expand=Observations($top=1;$orderby=phenomenonTime desc).
    #[arg(value_parser = ["post", "get"])]
    op: String,
    /// Concurrent clients, one keep-alive connection each.
    #[arg(long, default_value_t = 1)]
    clients: usize,
    /// How long the POST loop runs (at most 60 s).
    #[arg(long, default_value_t = 30)]
    seconds: u64,
    /// GET requests (bounded by 60 s as well).
    #[arg(long, default_value_t = 100)]
    n: usize,
    /// A bearer token for writes (Qingyun's need one).
    #[arg(long)]
    bearer: Option<String>,
    /// The server's process id: report the CPU seconds it used during the step.
    #[arg(long)]
    server_pid: Option<u32>,
}

/// The service root split into an address and a path prefix.
struct Root {
    addr: std::net::SocketAddr,
    prefix: String,
}

fn root(base: &str) -> anyhow::Result<Root> {
    let rest = base.strip_prefix("http://").ok_or_else(|| anyhow!("the base must be an http:// URL"))?;
    let (hostport, path) = rest.split_once('/').unwrap_or((rest, ""));
    let addr: std::net::SocketAddr = hostport
        .replace("localhost", "127.0.0.1")
        .parse()
        .with_context(|| format!("{hostport:?} is not host:port with an IP address"))?;
    if !addr.ip().is_loopback() {
        bail!("bench sta only talks to this machine (127.0.0.1)");
    }
    Ok(Root { addr, prefix: format!("/{}", path.trim_end_matches('/')) })
}

/// CPU seconds (user + system) of a process so far.
fn cpu_seconds(pid: u32) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on Linux.
}

pub async fn run(a: StaArgs) -> anyhow::Result<std::process::ExitCode> {
    let r = root(&a.base)?;
    let cpu_before = a.server_pid.and_then(cpu_seconds);
    let wall = Instant::now();
    let mut report = match a.op.as_str() {
        "post" => post(&r, &a).await?,
        _ => get(&r, &a).await?,
    };
    if let (Some(pid), Some(before)) = (a.server_pid, cpu_before) {
        let used = cpu_seconds(pid).map(|after| round(after - before, 2));
        report["server_cpu_s"] = json!(used);
        report["server_rss_mb"] = json!(proc_status_kib(pid, "VmRSS:").map(crate::bench::mb));
    }
    report["wall_s"] = json!(round(wall.elapsed().as_secs_f64(), 2));
    report["client"] = json!("qingyun bench sta");
    println!("{report}");
    Ok(std::process::ExitCode::SUCCESS)
}

/// Every datastream id (`@iot.id` as the server wrote it: a number or a string).
async fn datastream_ids(r: &Root) -> anyhow::Result<Vec<Value>> {
    let mut http = Http::new(r.addr);
    let mut path = format!("{}/Datastreams?%24select=id&%24top=100", r.prefix);
    let mut ids = Vec::new();
    for _ in 0..1_000 {
        let body = http.send("GET", &path, None, None).await?.expect(200)?;
        let page: Value = serde_json::from_slice(&body).context("a Datastreams page is not JSON")?;
        ids.extend(page["value"].as_array().into_iter().flatten().map(|v| v["@iot.id"].clone()));
        match page["@iot.nextLink"].as_str() {
            Some(next) => {
                let at = next.find(&r.prefix).ok_or_else(|| anyhow!("nextLink {next} is outside the root"))?;
                path = next[at..].to_owned();
            }
            None => break,
        }
    }
    if ids.is_empty() {
        bail!("no datastreams: seed the service first (sta_bench.py seed or seed-registry)");
    }
    Ok(ids)
}

/// Reserves `n` one-second slots of phenomenonTime for this root, so that reruns never repeat
/// a (datastream, time) pair (the offset file is shared with nothing else).
fn take_offsets(base: &str, n: u64) -> i64 {
    let name: String = base.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let file = std::env::temp_dir().join(format!("qy_bench_sta_offset_{name}"));
    let start: u64 = std::fs::read_to_string(&file).ok().and_then(|s| s.trim().parse().ok()).unwrap_or(0);
    let _ = std::fs::write(&file, (start + n).to_string());
    // 2021-01-01T00:00:00Z plus the reserved seconds.
    1_609_459_200 + i64::try_from(start).unwrap_or(0)
}

fn instant(epoch_s: i64) -> String {
    jiff::Timestamp::from_second(epoch_s).map(|t| t.to_string()).unwrap_or_default()
}

async fn post(r: &Root, a: &StaArgs) -> anyhow::Result<Value> {
    let ids = Arc::new(datastream_ids(r).await?);
    let seconds = a.seconds.clamp(1, 60);
    let first = take_offsets(&a.base, 2_000_000);
    let next = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let t0 = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..a.clients.max(1) {
        let (ids, next, errors) = (ids.clone(), next.clone(), errors.clone());
        let (addr, path, bearer) = (r.addr, format!("{}/Observations", r.prefix), a.bearer.clone());
        tasks.spawn(async move {
            let mut http = Http::new(addr);
            let mut micros = Vec::new();
            while Instant::now() < deadline {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= 2_000_000 {
                    break;
                }
                let ds = ids.get(usize::try_from(i).unwrap_or(0) % ids.len()).cloned().unwrap_or(Value::Null);
                let body = json!({
                    "phenomenonTime": instant(first + i64::try_from(i).unwrap_or(0)),
                    "result": round(20.0 + (i % 97) as f64 / 3.0, 2),
                    "Datastream": {"@iot.id": ds},
                })
                .to_string();
                let sent = Instant::now();
                let reply = http.send("POST", &path, bearer.as_deref(), Some(body.as_bytes())).await;
                let took = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
                match reply.and_then(|r| r.expect(201)) {
                    Ok(_) => micros.push(took),
                    Err(e) => {
                        if errors.fetch_add(1, Ordering::Relaxed) < 2 {
                            eprintln!("bench sta: {e}");
                        }
                    }
                }
            }
            micros
        });
    }
    let mut micros = Vec::new();
    while let Some(done) = tasks.join_next().await {
        micros.extend(done.map_err(|e| anyhow!("client task failed: {e}"))?);
    }
    let elapsed = t0.elapsed().as_secs_f64().max(1e-9);
    micros.sort_unstable();
    let l = Latency::of(&micros);
    Ok(json!({
        "op": "POST /Observations", "clients": a.clients.max(1), "sent": micros.len(),
        "errors": errors.load(Ordering::Relaxed), "seconds": round(elapsed, 1),
        "per_s": round(micros.len() as f64 / elapsed, 1), "p50_ms": round(l.p50, 2), "p99_ms": round(l.p99, 2),
    }))
}

async fn get(r: &Root, a: &StaArgs) -> anyhow::Result<Value> {
    let mut http = Http::new(r.addr);
    let path = format!(
        "{}/Datastreams?%24top=100&%24expand=Observations(%24top=1;%24orderby=phenomenonTime%20desc)",
        r.prefix
    );
    let first = http.send("GET", &path, None, None).await?.expect(200)?;
    let page: Value = serde_json::from_slice(&first).context("the answer is not JSON")?;
    let streams = page["value"].as_array().cloned().unwrap_or_default();
    let with_latest = streams.iter().filter(|d| d["Observations"].as_array().is_some_and(|o| o.len() == 1)).count();
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut micros = Vec::with_capacity(a.n);
    for _ in 0..a.n {
        if Instant::now() > deadline {
            break;
        }
        let sent = Instant::now();
        http.send("GET", &path, None, None).await?.expect(200)?;
        micros.push(u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX));
    }
    micros.sort_unstable();
    let l = Latency::of(&micros);
    Ok(json!({
        "op": "GET Datastreams?$top=100&$expand=Observations($top=1;$orderby=phenomenonTime desc)",
        "datastreams_in_page": streams.len(), "with_latest_obs": with_latest, "bytes": first.len(), "n": micros.len(),
        "p50_ms": round(l.p50, 2), "p99_ms": round(l.p99, 2), "mean_ms": round(l.mean, 2),
    }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn roots_are_loopback_addresses_with_a_prefix() {
        let r = super::root("http://127.0.0.1:8001/sensorthings/v1.1/").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((r.addr.port(), r.prefix.as_str()), (8001, "/sensorthings/v1.1"));
        assert!(super::root("http://10.0.0.1:80/sta").is_err());
        assert!(super::root("https://127.0.0.1/sta").is_err());
        assert_eq!(super::instant(1_609_459_200), "2021-01-01T00:00:00Z");
    }
}
