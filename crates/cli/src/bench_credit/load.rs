//! The load phases: client tasks in a closed loop, each with its own connection, and what
//! each saw in the measured window.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, Context};
use qy_kernel::credit::{CreditCheck, CreditCheckRequest};
use tokio::task::JoinSet;

use super::http::Http;
use super::queries::{top_hit_contains, Query};
use super::report::PhaseReport;
use super::rng::Rng;
use super::{kerr, CreditArgs};

/// Share of check requests about subjects with penalties or list entries.
const FLAGGED_SHARE: f64 = 0.2;
/// The scenario of the checks.
const SCENARIO: &str = "government_procurement";

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    Lookup,
    Search,
    CheckHttp,
    CheckPort,
}

impl Phase {
    pub(super) const ALL: [Phase; 4] = [Self::Lookup, Self::Search, Self::CheckHttp, Self::CheckPort];

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Lookup => "uscc lookup (HTTP)",
            Self::Search => "name search (HTTP)",
            Self::CheckHttp => "credit check (HTTP)",
            Self::CheckPort => "credit check (port)",
        }
    }
}

/// What every client task needs.
pub(super) struct Shared {
    pub(super) addr: SocketAddr,
    /// A personal access token for the HTTP check.
    pub(super) token: String,
    /// USCCs of seeded subjects.
    pub(super) sample: Vec<String>,
    /// USCCs of subjects with penalties or list entries.
    pub(super) flagged: Vec<String>,
    pub(super) queries: Vec<Query>,
    pub(super) port: Arc<dyn CreditCheck>,
    pub(super) seed: u64,
}

impl Shared {
    fn check_uscc(&self, rng: &mut Rng) -> &str {
        let from = if !self.flagged.is_empty() && rng.chance(FLAGGED_SHARE) { &self.flagged } else { &self.sample };
        from.get(rng.below(from.len())).map(String::as_str).unwrap_or_default()
    }
}

/// What one client task saw in the measured window.
#[derive(Default)]
pub(super) struct TaskLog {
    pub(super) micros: Vec<u64>,
    /// Query kind label of each request (search phase).
    pub(super) labels: Vec<u8>,
    pub(super) errors: u64,
    pub(super) first_error: Option<String>,
    /// Per query kind label: first hits that did not contain the query, and the first such query.
    pub(super) misses: BTreeMap<u8, (u64, String)>,
    pub(super) last_done: Option<Instant>,
}

/// The outcome of one request: `Ok(Some(query))` is a search answer whose first hit does not
/// contain the query.
type Outcome = anyhow::Result<Option<String>>;

/// One request of `phase`, with the query kind's label.
async fn one(phase: Phase, shared: &Shared, http: &mut Http, rng: &mut Rng) -> (u8, Outcome) {
    match phase {
        Phase::Lookup => {
            let uscc = shared.sample.get(rng.below(shared.sample.len())).map(String::as_str).unwrap_or_default();
            let r = http.send("GET", &format!("/api/v1/credit/subjects/{uscc}"), None, None).await;
            (0, r.and_then(|reply| reply.expect(200)).map(|_| None))
        }
        Phase::Search => {
            let Some(q) = shared.queries.get(rng.below(shared.queries.len())) else {
                return (0, Err(anyhow!("no queries")));
            };
            let r = http.send("GET", &format!("/api/v1/credit/subjects?q={}", q.encoded), None, None).await;
            let outcome = r
                .and_then(|reply| reply.expect(200))
                .map(|body| (q.kind.checked() && !top_hit_contains(&body, &q.normalised)).then(|| q.text.clone()));
            (q.kind.label(), outcome)
        }
        Phase::CheckHttp => {
            let body = serde_json::json!({ "uscc": shared.check_uscc(rng), "scenario": SCENARIO }).to_string();
            let r = http.send("POST", "/api/v1/credit/checks", Some(&shared.token), Some(body.as_bytes())).await;
            (0, r.and_then(|reply| reply.expect(200)).map(|_| None))
        }
        Phase::CheckPort => {
            let request = CreditCheckRequest {
                uscc: shared.check_uscc(rng).to_owned(),
                scenario: SCENARIO.into(),
                checker: "bench-credit".into(),
                reference: None,
            };
            (0, shared.port.check(&request).await.map(|_| None).map_err(kerr))
        }
    }
}

async fn worker(phase: Phase, shared: Arc<Shared>, task: usize, measure_from: Instant, deadline: Instant) -> TaskLog {
    let mut rng = Rng::new(shared.seed.wrapping_add((task as u64 + 1).wrapping_mul(0x9E37_79B9)));
    let mut http = Http::new(shared.addr);
    let mut log = TaskLog::default();
    loop {
        let t0 = Instant::now();
        if t0 >= deadline {
            break;
        }
        let (label, outcome) = one(phase, &shared, &mut http, &mut rng).await;
        let done = Instant::now();
        if t0 < measure_from {
            continue;
        }
        log.micros.push(done.duration_since(t0).as_micros() as u64);
        log.labels.push(label);
        log.last_done = Some(done);
        match outcome {
            Ok(Some(query)) => log.misses.entry(label).or_insert((0, query)).0 += 1,
            Ok(None) => {}
            Err(e) => {
                log.errors += 1;
                if log.first_error.is_none() {
                    log.first_error = Some(format!("{e:#}"));
                }
            }
        }
    }
    log
}

/// `args.concurrency` clients for `args.warmup` + `args.seconds`; the report of the measured
/// window and every client's log.
pub(super) async fn run_phase(
    phase: Phase,
    shared: &Arc<Shared>,
    args: &CreditArgs,
) -> anyhow::Result<(PhaseReport, Vec<TaskLog>)> {
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(args.warmup);
    let deadline = measure_from + Duration::from_secs(args.seconds);
    let mut set = JoinSet::new();
    for task in 0..args.concurrency {
        set.spawn(worker(phase, Arc::clone(shared), task, measure_from, deadline));
    }
    let mut logs = Vec::with_capacity(args.concurrency);
    while let Some(joined) = set.join_next().await {
        logs.push(joined.map_err(|e| anyhow!("client task failed: {e}"))?);
    }
    // The window ends when the last request counted in it ended.
    let end = logs.iter().filter_map(|l| l.last_done).max().unwrap_or(deadline).max(deadline);
    let seconds = end.duration_since(measure_from).as_secs_f64().max(1e-9);
    Ok((PhaseReport::new(phase, &logs, seconds), logs))
}

/// One request of each kind before the clock starts: a wrong token or route fails here.
pub(super) async fn preflight(shared: &Arc<Shared>) -> anyhow::Result<()> {
    let mut http = Http::new(shared.addr);
    let mut rng = Rng::new(shared.seed);
    for phase in Phase::ALL {
        let (_, outcome) = one(phase, shared, &mut http, &mut rng).await;
        outcome.with_context(|| format!("{} does not work", phase.name()))?;
    }
    Ok(())
}
