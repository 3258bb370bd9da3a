//! The load phases: client tasks in a closed loop. Exchange clients each walk the granted
//! rows page by page with the cursor, starting over at the end; search clients draw requests.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use qy_catalog::service::read::RowQuery;
use qy_catalog::Catalog;
use qy_kernel::Principal;
use serde::Deserialize;
use tokio::task::JoinSet;

use super::queries::{self, SearchQuery};
use crate::bench::kerr;
use crate::bench_kit::http::Http;
use crate::bench_kit::rng::Rng;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Phase {
    ExchangeHttp,
    ExchangePort,
    Search,
}

impl Phase {
    pub(super) const ALL: [Phase; 3] = [Self::ExchangeHttp, Self::ExchangePort, Self::Search];

    pub(super) fn name(self) -> &'static str {
        match self {
            Self::ExchangeHttp => "exchange pull (HTTP)",
            Self::ExchangePort => "exchange pull (in process)",
            Self::Search => "package_search (HTTP)",
        }
    }

    /// The name `--phases` takes.
    pub(super) fn option(self) -> &'static str {
        match self {
            Self::ExchangeHttp => "exchange-http",
            Self::ExchangePort => "exchange-port",
            Self::Search => "search",
        }
    }
}

/// What every client task needs.
pub(super) struct Shared {
    pub(super) addr: SocketAddr,
    pub(super) catalog: Catalog,
    /// The consumer system: its token (HTTP) and principal (in process).
    pub(super) token: String,
    pub(super) system: Principal,
    /// The resource pulled: its code (in process) and slug (URL).
    pub(super) code: String,
    pub(super) slug: String,
    pub(super) fields: Vec<String>,
    pub(super) page: usize,
    pub(super) queries: Vec<SearchQuery>,
    pub(super) seed: u64,
}

/// What one client saw in the measured window.
#[derive(Default)]
pub(super) struct TaskLog {
    pub(super) micros: Vec<u64>,
    /// Search: the query kind of each request, and the count answered.
    pub(super) labels: Vec<u8>,
    pub(super) counts: Vec<usize>,
    /// Exchange: rows received, and walks finished (last page reached).
    pub(super) rows: u64,
    pub(super) walks: u64,
    pub(super) errors: u64,
    pub(super) first_error: Option<String>,
    /// Search: answers short of what the query must find, per label, with the first.
    pub(super) short: Vec<(u8, String)>,
    pub(super) last_done: Option<Instant>,
}

/// The JSON of a pulled page, as far as the bench reads it.
#[derive(Deserialize)]
struct Page {
    columns: Vec<PageColumn>,
    rows: Vec<serde::de::IgnoredAny>,
    next: Option<String>,
}

#[derive(Deserialize)]
struct PageColumn {
    column: String,
}

/// One page: (rows, columns, next cursor).
type Pulled = (usize, Vec<String>, Option<String>);

async fn pull_http(shared: &Shared, http: &mut Http, cursor: Option<&str>) -> anyhow::Result<Pulled> {
    let mut path = format!(
        "/api/v1/catalog/exchange/{}/rows?fields={}&limit={}",
        shared.slug,
        shared.fields.join(","),
        shared.page
    );
    if let Some(c) = cursor {
        path.push_str(&format!("&cursor={c}"));
    }
    let body = http.send("GET", &path, Some(&shared.token), None).await?.expect(200)?;
    let page: Page = serde_json::from_slice(&body).context("the page is not the expected JSON")?;
    Ok((page.rows.len(), page.columns.into_iter().map(|c| c.column).collect(), page.next))
}

async fn pull_port(shared: &Shared, cursor: Option<&str>) -> anyhow::Result<Pulled> {
    let q = RowQuery {
        columns: Some(shared.fields.clone()),
        region: None,
        equals: Vec::new(),
        cursor: cursor.map(str::to_owned),
        limit: shared.page,
        with_total: false,
    };
    let pulled = shared.catalog.pull(&shared.system, &shared.code, q).await.map_err(kerr)?;
    let columns = pulled.rows.columns.into_iter().map(|c| c.column).collect();
    Ok((pulled.rows.rows.len(), columns, pulled.rows.next))
}

/// One package_search: (count, why it falls short if it does).
async fn search(http: &mut Http, q: &SearchQuery) -> anyhow::Result<(usize, Option<String>)> {
    let body = http.send("POST", "/api/3/action/package_search", None, Some(q.body.as_bytes())).await?.expect(200)?;
    let (count, first) = queries::answer(&body)?;
    Ok((count, queries::shortfall(q, count, first.as_deref())))
}

async fn worker(phase: Phase, shared: Arc<Shared>, task: usize, measure_from: Instant, deadline: Instant) -> TaskLog {
    let mut rng = Rng::new(shared.seed.wrapping_add((task as u64 + 1).wrapping_mul(0x9E37_79B9)));
    let mut http = Http::new(shared.addr);
    let mut log = TaskLog::default();
    let mut cursor: Option<String> = None;
    loop {
        let t0 = Instant::now();
        if t0 >= deadline {
            break;
        }
        let (label, count, outcome) = match phase {
            Phase::ExchangeHttp | Phase::ExchangePort => {
                let r = if phase == Phase::ExchangeHttp {
                    pull_http(&shared, &mut http, cursor.as_deref()).await
                } else {
                    pull_port(&shared, cursor.as_deref()).await
                };
                match r {
                    Ok((rows, _, next)) => {
                        cursor = next;
                        (0, rows, Ok(None))
                    }
                    // A client retries the page it did not get.
                    Err(e) => (0, 0, Err(e)),
                }
            }
            Phase::Search => {
                let Some(q) = shared.queries.get(rng.below(shared.queries.len())) else { break };
                match search(&mut http, q).await {
                    Ok((count, short)) => (q.kind.label(), count, Ok(short)),
                    Err(e) => (q.kind.label(), 0, Err(e)),
                }
            }
        };
        let done = Instant::now();
        if t0 < measure_from {
            continue;
        }
        log.micros.push(done.duration_since(t0).as_micros() as u64);
        log.labels.push(label);
        log.counts.push(count);
        log.last_done = Some(done);
        match outcome {
            Ok(short) => {
                if phase != Phase::Search {
                    log.rows += count as u64;
                    log.walks += u64::from(cursor.is_none());
                }
                if let Some(why) = short {
                    log.short.push((label, why));
                }
            }
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

/// `concurrency` clients for `warmup` + `seconds`: every client's log and the measured window
/// in seconds.
pub(super) async fn run_phase(
    phase: Phase,
    shared: &Arc<Shared>,
    concurrency: usize,
    warmup: u64,
    seconds: u64,
) -> anyhow::Result<(Vec<TaskLog>, f64)> {
    let start = Instant::now();
    let measure_from = start + Duration::from_secs(warmup);
    let deadline = measure_from + Duration::from_secs(seconds);
    let mut set = JoinSet::new();
    for task in 0..concurrency {
        set.spawn(worker(phase, Arc::clone(shared), task, measure_from, deadline));
    }
    let mut logs = Vec::with_capacity(concurrency);
    while let Some(joined) = set.join_next().await {
        logs.push(joined.map_err(|e| anyhow!("client task failed: {e}"))?);
    }
    // The window ends when the last request counted in it ended.
    let end = logs.iter().filter_map(|l| l.last_done).max().unwrap_or(deadline).max(deadline);
    Ok((logs, end.duration_since(measure_from).as_secs_f64().max(1e-9)))
}

/// Before the clock: one whole walk in process, which must return exactly the granted rows
/// and columns, one page over HTTP, and one search.
pub(super) async fn preflight(shared: &Shared, granted_rows: usize) -> anyhow::Result<()> {
    let (mut rows, mut cursor, mut pages) = (0usize, None::<String>, 0usize);
    loop {
        let (n, columns, next) = pull_port(shared, cursor.as_deref()).await.context("pulling in process")?;
        if columns != shared.fields {
            bail!("pulled columns {columns:?}, granted {:?}", shared.fields);
        }
        rows += n;
        pages += 1;
        cursor = next;
        if cursor.is_none() || pages > granted_rows / shared.page.max(1) + 2 {
            break;
        }
    }
    if rows != granted_rows {
        bail!("a whole walk returned {rows} rows; {granted_rows} lie in the granted region");
    }
    let mut http = Http::new(shared.addr);
    let (n, columns, _) = pull_http(shared, &mut http, None).await.context("pulling over HTTP")?;
    if columns != shared.fields || n != shared.page.min(granted_rows) {
        bail!("the first page over HTTP had {n} rows of {columns:?}");
    }
    if let Some(q) = shared.queries.first() {
        search(&mut http, q).await.context("package_search does not work")?;
    }
    Ok(())
}

/// One request per word, not timed: (count answered) for each of `words`.
pub(super) async fn probe_words(shared: &Shared, words: &[SearchQuery]) -> anyhow::Result<Vec<usize>> {
    let mut http = Http::new(shared.addr);
    let mut counts = Vec::with_capacity(words.len());
    for q in words {
        counts.push(search(&mut http, q).await.with_context(|| format!("searching {}", q.text))?.0);
    }
    Ok(counts)
}
