//! `qingyun bench catalog`: exchange pull throughput through a grant, and CKAN package_search
//! latency over a catalog of 10,000 datasets (issue 5), against a live server built in this
//! process on a fresh store.
//!
//! 1. Builds the application on a fresh data directory and SQLite, or on `--database-url`
//!    (PostgreSQL: an empty database), and serves it on 127.0.0.1 with an ephemeral port.
//! 2. Registers forty provincial departments in the store, then creates, submits and
//!    publishes `--datasets` − 1 generated entries through the catalog service (seed.rs,
//!    texts.rs).
//! 3. The exchange (exchange.rs): the ecology department uploads a `--rows` × 6 table of
//!    hourly air-quality readings through the service and publishes it (the last dataset); a
//!    consumer system of the market regulator gets an account and a personal access token
//!    through the identity API, is registered, asks for four columns, and is granted three of
//!    them for one prefecture, which filters out about 85 % of the rows.
//! 4. Load phases of `--seconds` after `--warmup`, `--concurrency` clients with their own
//!    keep-alive connections (load.rs, queries.rs): cursor walks over the granted rows
//!    through `GET /api/v1/catalog/exchange/{slug}/rows`, the same walks through
//!    `Catalog::pull` in process, and `POST /api/3/action/package_search` with words of
//!    varying selectivity, whole names, facets and `fq=organization:…`.
//! 5. Reports each phase as a ratio to our service levels (never asserted), package_search per
//!    query kind, and answers counting fewer matches than entries contain the words: a table
//!    on stdout, or one JSON object with `--json` (report.rs). Exit 0 whatever the figures.
//!
//! Results and analysis: docs/benchmarks.md, section 4.

mod exchange;
mod load;
mod queries;
mod report;
mod seed;
mod texts;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use qy_kernel::{Clock, SystemClock};
use qy_storage::sqlx::query;
use qy_storage::{Db, Dialect, Row};

use crate::bench::round;
use crate::bench_kit::http::Http;
use crate::bench_kit::identity;
use crate::bench_kit::rng::Rng;
use load::{Phase, Shared};
use report::{ExchangeReport, PhaseReport, Report, SeedReport, WordReport};

/// Our own service levels for the provincial sharing and exchange platform and the open-data
/// portal, not a national standard: a consumer system pulls at least 50,000 granted rows a
/// second (a prefecture's share of a large table in seconds, not minutes), and CKAN clients
/// and harvesters get package_search answers within 300 ms for 99 % of requests.
const EXCHANGE_MIN_ROWS_PER_S: f64 = 50_000.0;
const SEARCH_P99_LIMIT_MS: f64 = 300.0;

/// A bigram indexing more entries than this is "common" to the catalog's search. The same
/// number as `COMMON_GRAM` in crates/modules/catalog/src/service/open.rs (private there):
/// keep the two in sync.
const SEARCH_COMMON_GRAM: i64 = 500;

/// The provider of the exchanged table and the consumer department (slugs of texts.rs; both
/// among the first nine departments).
const PROVIDER: &str = "qh-sthjt";
const CONSUMER: &str = "qh-scjgj";
const MIN_DEPARTMENTS: usize = 9;

#[derive(clap::Args)]
pub struct CatalogArgs {
    /// Published open datasets, the exchanged table's entry included.
    #[arg(long, default_value_t = 10_000)]
    datasets: usize,
    /// Providing departments (9–40).
    #[arg(long, default_value_t = 40)]
    departments: usize,
    /// Rows of the exchanged table (at most the upload limit, 200,000).
    #[arg(long, default_value_t = 200_000)]
    rows: usize,
    /// Rows per exchange page.
    #[arg(long, default_value_t = 1_000)]
    page: usize,
    /// Seconds of measurement per load phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Seconds of load before each phase's measurement starts (not counted).
    #[arg(long, default_value_t = 1)]
    warmup: u64,
    /// Client tasks per phase, each with its own connection.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Phases to run, comma-separated: exchange-http, exchange-port, search.
    #[arg(long, default_value = "exchange-http,exchange-port,search")]
    phases: String,
    /// Concurrent seeding tasks, each owning whole categories (default: 1 on SQLite, which has
    /// one writer; 4 on PostgreSQL).
    #[arg(long)]
    seed_writers: Option<usize>,
    /// Data directory (secret key; the SQLite file unless --database-url). Default: a new
    /// temporary directory, removed afterwards. Its store must hold no catalog entries.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://postgres@127.0.0.1:5432/qy_bench_catalog.
    /// It must name an empty database (CREATE DATABASE … first); QY_DATABASE_URL is ignored.
    #[arg(long)]
    database_url: Option<String>,
    /// Seed of the generated entries, table and request mix.
    #[arg(long, default_value_t = 20_240_605)]
    seed: u64,
    /// Keep the temporary data directory.
    #[arg(long)]
    keep: bool,
    /// Print one JSON object on stdout (the table goes to stderr).
    #[arg(long)]
    json: bool,
    /// Give up (exit non-zero) when the whole run takes longer than this.
    #[arg(long, default_value_t = 1_800)]
    timeout_secs: u64,
    /// PostgreSQL: do not ANALYZE the catalog tables after seeding.
    #[arg(long)]
    no_analyze: bool,
}

/// The phases `--phases` names, in the order given.
fn parse_phases(s: &str) -> anyhow::Result<Vec<Phase>> {
    let mut out = Vec::new();
    for name in s.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        let Some(p) = Phase::ALL.into_iter().find(|p| p.option() == name) else {
            bail!("--phases: unknown phase {name:?} (exchange-http, exchange-port, search)");
        };
        if !out.contains(&p) {
            out.push(p);
        }
    }
    if out.is_empty() {
        bail!("--phases names no phase");
    }
    Ok(out)
}

pub async fn run(args: CatalogArgs, config: &qy_server::Config) -> anyhow::Result<ExitCode> {
    if args.datasets < 2 || args.concurrency == 0 || args.seconds == 0 || args.rows == 0 || args.page == 0 {
        bail!("--datasets must be at least 2; --concurrency, --seconds, --rows and --page at least 1");
    }
    if !(MIN_DEPARTMENTS..=texts::DEPARTMENTS.len()).contains(&args.departments) {
        bail!("--departments must be {MIN_DEPARTMENTS}–{}", texts::DEPARTMENTS.len());
    }
    let phases = parse_phases(&args.phases)?;
    let (data_dir, temporary) = match &args.data_dir {
        Some(d) => (d.clone(), false),
        None => {
            let d =
                std::env::temp_dir().join(format!("qy-bench-catalog-{}-{}", std::process::id(), SystemClock.now_ms()));
            (d, true)
        }
    };
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let limit = Duration::from_secs(args.timeout_secs.max(1));
    let (json, keep, timeout_secs) = (args.json, args.keep, args.timeout_secs);
    let outcome = tokio::time::timeout(limit, bench(args, phases, config, data_dir.clone())).await;
    if temporary {
        if keep {
            eprintln!("bench: kept {}", data_dir.display());
        } else if let Err(e) = std::fs::remove_dir_all(&data_dir) {
            eprintln!("bench: cannot remove {}: {e}", data_dir.display());
        }
    }
    let report = outcome.map_err(|_| anyhow!("bench catalog did not finish within {timeout_secs} s; aborted"))??;
    let table = report.table();
    if json {
        eprint!("{table}");
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{table}");
    }
    Ok(ExitCode::SUCCESS)
}

async fn bench(
    args: CatalogArgs,
    phases: Vec<Phase>,
    base: &qy_server::Config,
    data_dir: PathBuf,
) -> anyhow::Result<Report> {
    let mut config = base.clone();
    config.data_dir = data_dir.clone();
    config.database_url = args.database_url.clone();
    config.nats_url = None;
    config.mqtt_url = None;
    let mut rng = Rng::new(args.seed ^ SystemClock.now_ms().unsigned_abs());
    let admin_password = crate::bench_kit::password(&mut rng);
    config.bootstrap_admin_password = Some(admin_password.clone());

    let app = qy_server::build(&config).await.map_err(|e| anyhow!(e))?;
    let db = app.state.db.clone();
    let store = match db.dialect() {
        Dialect::Sqlite => "sqlite",
        Dialect::Postgres => "postgres",
    };
    let existing = count(&db, "SELECT COUNT(*) AS n FROM catalog_entry").await?;
    if existing > 0 {
        bail!(
            "the store at {} already holds {existing} catalog entries: the bench needs an empty one (a fresh \
             --data-dir, or --database-url naming an empty database)",
            db.redacted_url()
        );
    }
    eprintln!("bench: store {store} ({}), data {}", db.redacted_url(), data_dir.display());
    let (addr, server) = crate::bench_kit::serve(&app).await?;
    eprintln!("bench: serving at http://{addr}");
    let result = measure(&args, &phases, &app, &db, addr, store, &admin_password).await;
    server.abort();
    db.close().await;
    result
}

async fn measure(
    args: &CatalogArgs,
    phases: &[Phase],
    app: &qy_server::App,
    db: &Db,
    addr: std::net::SocketAddr,
    store: &'static str,
    admin_password: &str,
) -> anyhow::Result<Report> {
    let catalog = &app.catalog;
    let mut rng = Rng::new(args.seed);

    // 1. Departments: the consumer's is a real identity department (its system's account
    //    belongs to it); the others are registered in the catalog only.
    let mut http = Http::new(addr);
    let session = identity::login(&mut http, "admin", admin_password).await?;
    let consumer_department = identity::department(&mut http, &session, "青海省市场监督管理局", "630000").await?;
    let identity_departments: BTreeMap<&str, String> = [(CONSUMER, consumer_department)].into_iter().collect();
    let orgs = seed::orgs(catalog, args.departments, &identity_departments).await?;
    let find = |slug: &str| orgs.iter().position(|o| o.slug == slug).ok_or_else(|| anyhow!("no department {slug}"));
    let (provider, consumer) = (find(PROVIDER)?, find(CONSUMER)?);

    // 2. The entries, through the service.
    let writers = args.seed_writers.unwrap_or(if store == "sqlite" { 1 } else { 4 }).max(1);
    let seeded = seed::entries(catalog, &orgs, args.datasets - 1, writers, &mut rng).await?;

    // 3. The exchanged table and its consumer.
    let counties = exchange::counties(db).await?;
    let table = exchange::table(args.rows, &counties, &mut rng);
    let (Some(provider_org), Some(consumer_org)) = (orgs.get(provider), orgs.get(consumer)) else {
        bail!("provider or consumer missing");
    };
    let ex = exchange::setup(catalog, &mut http, &session, provider_org, consumer_org, table, &mut rng).await?;
    let analyze_seconds = settle(db, store, args, ex.data_table.as_deref()).await?;
    let grams = gram_stats(db).await?;

    // 4. The requests, and what their answers must hold.
    let mut entries = seeded.entries.clone();
    let e = catalog.entry(&ex.code).await.map_err(crate::bench::kerr)?;
    entries.push(seed::Seeded { org: provider, name: e.name, summary: e.summary, keywords: e.keywords });
    let mut matcher = queries::Matcher::new(&entries);
    let slugs: Vec<String> = orgs.iter().map(|o| o.slug.clone()).collect();
    let search_queries = queries::build(&entries, &slugs, &mut matcher, &mut rng);
    let shared = Arc::new(Shared {
        addr,
        catalog: catalog.clone(),
        token: ex.token.clone(),
        system: ex.system.clone(),
        code: ex.code.clone(),
        slug: ex.slug.clone(),
        fields: exchange::GRANTED.iter().map(|c| (*c).to_owned()).collect(),
        page: args.page,
        queries: search_queries,
        seed: args.seed,
    });
    load::preflight(&shared, ex.granted_rows).await?;
    let words: Vec<queries::SearchQuery> =
        queries::WORDS.iter().map(|w| queries::word(w, matcher.containing(None, w))).collect();
    let counted = load::probe_words(&shared, &words).await?;
    let words: Vec<WordReport> = words
        .iter()
        .zip(counted)
        .map(|(q, count)| WordReport { word: q.text.clone(), containing: q.at_least, count })
        .collect();

    // 5. The load phases.
    let filtered = 1.0 - ex.granted_rows as f64 / ex.table_rows.max(1) as f64;
    let mut reports = Vec::new();
    let mut search_logs = Vec::new();
    for phase in phases {
        eprintln!(
            "bench: {} for {} s ({} s warm-up), {} clients",
            phase.name(),
            args.seconds,
            args.warmup,
            args.concurrency
        );
        let (logs, seconds) = load::run_phase(*phase, &shared, args.concurrency, args.warmup, args.seconds).await?;
        let r = PhaseReport::new(*phase, &logs, seconds, filtered);
        eprintln!(
            "bench: {}: {:.1} requests/s, {} rows/s, p99 {:.2} ms, {} errors",
            phase.name(),
            r.per_s,
            r.rows_per_s.map_or("-".to_owned(), |r| format!("{r:.0}")),
            r.p99_ms,
            r.errors
        );
        reports.push(r);
        if *phase == Phase::Search {
            search_logs = logs;
        }
    }

    let n = seeded.entries.len().max(1) as f64;
    let (create_early, create_late) = seeded.create_early_late_ms();
    Ok(Report {
        store,
        datasets: entries.len(),
        departments: orgs.len(),
        concurrency: args.concurrency,
        seconds_per_phase: args.seconds,
        warmup_seconds: args.warmup,
        page_rows: args.page,
        seeding: SeedReport {
            entries: seeded.entries.len(),
            seconds: round(seeded.seconds, 1),
            entries_per_s: round(n / seeded.seconds.max(1e-9), 1),
            create_ms: round(seeded.create_ms / n, 2),
            submit_ms: round(seeded.submit_ms / n, 2),
            publish_ms: round(seeded.publish_ms / n, 2),
            create_first_tenth_ms: round(create_early, 2),
            create_last_tenth_ms: round(create_late, 2),
            writers,
            gram_rows: grams.0,
            distinct_grams: grams.1,
            common_grams: grams.2,
            analyze_seconds,
        },
        exchange: ExchangeReport {
            table_rows: ex.table_rows,
            table_columns: 6,
            granted_columns: shared.fields.clone(),
            granted_region: exchange::GRANTED_REGION,
            granted_rows: ex.granted_rows,
            filtered_share: round(filtered, 4),
            csv_mb: round(ex.csv_mb, 1),
            upload_seconds: round(ex.upload_seconds, 1),
            consumer_setup_seconds: round(ex.consumer_seconds, 2),
        },
        phases: reports,
        search_by_query_kind: if phases.contains(&Phase::Search) {
            report::query_kinds(&shared.queries, &search_logs)
        } else {
            Vec::new()
        },
        words,
        process_peak_rss_mb: crate::bench::proc_status_kib(std::process::id(), "VmHWM:").map(crate::bench::mb),
        client_build: if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}

async fn count(db: &Db, sql: &str) -> anyhow::Result<i64> {
    let row = query(sql).fetch_one(db.pool()).await.with_context(|| format!("running {sql}"))?;
    Ok(row.try_get::<i64, _>("n")?)
}

/// Rows of the entries' bigram index, distinct grams, and grams above the search's cap.
async fn gram_stats(db: &Db) -> anyhow::Result<(u64, u64, u64)> {
    let rows = count(db, "SELECT COUNT(*) AS n FROM catalog_gram").await?;
    let distinct = count(db, "SELECT COUNT(*) AS n FROM (SELECT gram FROM catalog_gram GROUP BY gram) g").await?;
    let common = count(
        db,
        &format!(
            "SELECT COUNT(*) AS n FROM (SELECT gram FROM catalog_gram GROUP BY gram HAVING COUNT(*) > \
             {SEARCH_COMMON_GRAM}) g"
        ),
    )
    .await?;
    let u = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok((u(rows), u(distinct), u(common)))
}

/// PostgreSQL: ANALYZE the catalog's tables and the uploaded one after the bulk of writes, as
/// a DBA would after an import (unless `--no-analyze`); seconds taken.
async fn settle(db: &Db, store: &str, args: &CatalogArgs, data_table: Option<&str>) -> anyhow::Result<Option<f64>> {
    if store != "postgres" || args.no_analyze {
        return Ok(None);
    }
    let mut tables = vec!["catalog_entry", "catalog_item", "catalog_gram", "catalog_entry_version"];
    // The uploaded table's name is generated by the module (catalog_t_<hex>); checked anyway.
    if let Some(t) =
        data_table.filter(|t| t.starts_with("catalog_t_") && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
    {
        tables.push(t);
    }
    let t = Instant::now();
    query(&format!("ANALYZE {}", tables.join(", "))).execute(db.pool()).await.context("ANALYZE after seeding")?;
    let secs = t.elapsed().as_secs_f64();
    eprintln!("bench: ANALYZE of {} in {secs:.1} s", tables.join(", "));
    Ok(Some(round(secs, 2)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_by_name_in_order_without_repeats() {
        let p = parse_phases("search, exchange-http,search").unwrap_or_default();
        assert_eq!(p, vec![Phase::Search, Phase::ExchangeHttp]);
        assert!(parse_phases("exchange").is_err());
        assert!(parse_phases(" , ").is_err());
    }
}
