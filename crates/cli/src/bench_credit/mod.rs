//! `qingyun bench credit`: the one-stop query and `CreditCheck` with many subjects, against
//! a live server built in this process on a fresh store.
//!
//! 1. Builds the application (`qy_server::build`) on a fresh data directory (a temporary one,
//!    or `--data-dir`) and SQLite, or on `--database-url` (PostgreSQL: the URL must name an
//!    empty database), and serves it on 127.0.0.1 with an ephemeral port.
//! 2. Seeds `--subjects` credit subjects through the store's bulk path
//!    (`store::subjects::insert_many`, `--batch` per transaction) with generated, mostly
//!    distinct Qinghai enterprise, cooperative and shop names and valid USCCs; then, through
//!    the credit service like real submissions, penalties for ~1 % of them and red,
//!    serious-dishonesty and key-attention list entries (at most 1,800 service calls). On
//!    PostgreSQL the name tables are then analyzed (`--no-analyze` to skip). (seed.rs, names.rs)
//! 3. Four load phases of `--seconds` each after `--warmup` seconds, `--concurrency` client
//!    tasks, each with its own keep-alive HTTP/1.1 connection: USCC lookup
//!    (`GET /api/v1/credit/subjects/{uscc}`), name search (`GET /api/v1/credit/subjects?q=`,
//!    queries from queries.rs), `POST /api/v1/credit/checks` with a personal access token,
//!    and the in-process `CreditCheck` port that other modules call. (load.rs, http.rs)
//! 4. Reports each phase as a ratio to our service levels (never asserted), and the search
//!    per query kind: a table on stdout, or one JSON object with `--json`. Exit 0 whatever the
//!    figures; non-zero only when the measurement failed. (report.rs)
//!
//! Client and server share this process and the machine's cores. Results and analysis:
//! docs/benchmarks.md, section 3.

mod load;
mod names;
mod queries;
mod report;
mod seed;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context};
use qy_credit::store::subjects;
use qy_kernel::{Clock, SystemClock};
use qy_storage::sqlx::query;
use qy_storage::{Db, Dialect};
use qy_workcal::Date;

use crate::bench::{kerr, round};
use crate::bench_kit::{http, identity, rng};
use load::Phase;
use report::{Report, SeedReport, Settling};
use rng::Rng;

/// Our own service levels for the provincial credit portal (信用青海) and the joint rewards and
/// punishments check, not a national standard: a USCC lookup answers within 100 ms and a
/// name search within 300 ms for 99 % of requests, and the check port sustains 500 calls/s
/// (procurement, bidding and licensing systems of the whole province calling it at peak).
const LOOKUP_P99_LIMIT_MS: f64 = 100.0;
const SEARCH_P99_LIMIT_MS: f64 = 300.0;
const CHECK_MIN_PER_S: f64 = 500.0;

/// A bigram indexing more subjects than this is "common" to the name search, which then
/// cannot narrow a query with it. The same number as `COMMON_GRAM` in
/// crates/modules/credit/src/service/view.rs (private there): keep the two in sync. The
/// counts compared with it are the search's own, read from `credit_gram_count`.
const SEARCH_COMMON_GRAM: u64 = 2_000;

#[derive(clap::Args)]
pub struct CreditArgs {
    /// Credit subjects to seed (enterprises, cooperatives, individual businesses).
    #[arg(long, default_value_t = 1_000_000)]
    subjects: usize,
    /// Seconds of measurement per load phase.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Seconds of load before each phase's measurement starts (not counted).
    #[arg(long, default_value_t = 1)]
    warmup: u64,
    /// Client tasks per phase, each with its own connection.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Subjects per `insert_many` transaction.
    #[arg(long, default_value_t = 5_000)]
    batch: usize,
    /// Concurrent seeding transactions (default: 1 on SQLite, which has one writer; 4 on
    /// PostgreSQL).
    #[arg(long)]
    seed_writers: Option<usize>,
    /// Data directory (secret key; the SQLite file unless --database-url). Default: a new
    /// temporary directory, removed afterwards. Its store must hold no credit subjects.
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL instead of SQLite, e.g. postgres://postgres@127.0.0.1:5432/qy_bench_credit.
    /// It must name an empty database (CREATE DATABASE … first); QY_DATABASE_URL is ignored.
    #[arg(long)]
    database_url: Option<String>,
    /// Seed of the generated names, codes and request mix.
    #[arg(long, default_value_t = 20_240_601)]
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
    /// PostgreSQL: do not ANALYZE the credit tables after seeding (planner statistics stay as
    /// autovacuum left them; with autovacuum off, none).
    #[arg(long)]
    no_analyze: bool,
}

pub async fn run(args: CreditArgs, config: &qy_server::Config) -> anyhow::Result<ExitCode> {
    if args.subjects == 0 || args.concurrency == 0 || args.seconds == 0 || args.batch == 0 {
        bail!("--subjects, --concurrency, --seconds and --batch must be at least 1");
    }
    let (data_dir, temporary) = match &args.data_dir {
        Some(d) => (d.clone(), false),
        None => {
            let d =
                std::env::temp_dir().join(format!("qy-bench-credit-{}-{}", std::process::id(), SystemClock.now_ms()));
            (d, true)
        }
    };
    std::fs::create_dir_all(&data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let limit = Duration::from_secs(args.timeout_secs.max(1));
    let (json, keep, timeout_secs) = (args.json, args.keep, args.timeout_secs);
    let outcome = tokio::time::timeout(limit, bench(args, config, data_dir.clone())).await;
    if temporary {
        if keep {
            eprintln!("bench: kept {}", data_dir.display());
        } else if let Err(e) = std::fs::remove_dir_all(&data_dir) {
            eprintln!("bench: cannot remove {}: {e}", data_dir.display());
        }
    }
    let report = outcome.map_err(|_| anyhow!("bench credit did not finish within {timeout_secs} s; aborted"))??;
    let table = report.table();
    if json {
        eprint!("{table}");
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{table}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `days` days before `today` (negative: after).
fn days_ago(today: Date, days: i64) -> Date {
    let span = Duration::from_secs(86_400 * days.unsigned_abs());
    let moved = if days >= 0 { today.checked_sub(span) } else { today.checked_add(span) };
    moved.unwrap_or(today)
}

async fn bench(args: CreditArgs, base: &qy_server::Config, data_dir: PathBuf) -> anyhow::Result<Report> {
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
    let existing = subjects::count(&db).await.map_err(kerr)?;
    if existing > 0 {
        bail!(
            "the store at {} already holds {existing} credit subjects: the bench needs an empty one (a fresh \
             --data-dir, or --database-url naming an empty database)",
            db.redacted_url()
        );
    }
    eprintln!("bench: store {store} ({}), data {}", db.redacted_url(), data_dir.display());

    let (addr, server) = crate::bench_kit::serve(&app).await?;
    eprintln!("bench: serving at http://{addr}");

    let sqlite_dir = (db.dialect() == Dialect::Sqlite).then_some(data_dir.as_path());
    let result = measure(&args, &app, &db, addr, store, &admin_password, sqlite_dir).await;
    server.abort();
    db.close().await;
    result
}

async fn measure(
    args: &CreditArgs,
    app: &qy_server::App,
    db: &Db,
    addr: SocketAddr,
    store: &'static str,
    admin_password: &str,
    sqlite_dir: Option<&Path>,
) -> anyhow::Result<Report> {
    // 1. Subjects.
    let townships = seed::townships(db).await?;
    let writers = args.seed_writers.unwrap_or(if store == "sqlite" { 1 } else { 4 }).max(1);
    let mut seeded = seed::subjects(db, args, &townships, writers, app.credit.today()).await?;
    let settling = settle(db, store, args, sqlite_dir).await?;

    // 2. Penalties and list entries through the service.
    let t0 = Instant::now();
    let mut rng = Rng::new(args.seed.wrapping_mul(31).wrapping_add(7));
    let records = seed::records(&app.credit, &seeded.sample, args.subjects, &mut rng).await?;
    let records_seconds = t0.elapsed().as_secs_f64();
    eprintln!(
        "bench: {} penalties and {} list entries in {records_seconds:.1} s",
        records.penalties, records.list_entries
    );

    // The name search plans with `credit_gram_count`: mark queries from that table, after
    // checking it against the bench's own tally of what it inserted.
    let table = seed::gram_counts(db).await?;
    let mismatches = seed::count_mismatches(&seeded.grams, &table);
    if mismatches > 0 {
        eprintln!(
            "bench: WARNING: credit_gram_count differs from the bench's tally for {mismatches} of {} grams; \
             queries are marked from the table",
            table.len()
        );
    } else {
        eprintln!("bench: credit_gram_count agrees with the bench's tally ({} grams)", table.len());
    }
    seeded.grams = table;

    // 3. A personal access token for the HTTP checks (login, then a token scoped to the check).
    let mut http = http::Http::new(addr);
    let session = identity::login(&mut http, "admin", admin_password).await?;
    // A token that may only call the check, as an integrating system has.
    let token =
        identity::personal_token(&mut http, &session, "bench credit check", &[qy_credit::domain::perm::CHECK]).await?;

    let shared = Arc::new(load::Shared {
        addr,
        token,
        sample: seeded.sample.iter().map(|s| s.uscc.clone()).collect(),
        flagged: records.flagged.clone(),
        queries: queries::build(&seeded.sample, &seeded.grams, &mut rng),
        port: app.credit_check.clone(),
        seed: args.seed,
    });
    load::preflight(&shared).await?;

    // 4. The load phases.
    let mut phases = Vec::new();
    let mut search_logs = Vec::new();
    for phase in Phase::ALL {
        eprintln!(
            "bench: {} for {} s ({} s warm-up), {} clients",
            phase.name(),
            args.seconds,
            args.warmup,
            args.concurrency
        );
        let (report, logs) = load::run_phase(phase, &shared, args).await?;
        eprintln!(
            "bench: {}: {:.1}/s, p99 {:.2} ms, {} errors",
            phase.name(),
            report.per_s,
            report.p99_ms,
            report.errors
        );
        phases.push(report);
        if phase == Phase::Search {
            search_logs = logs;
        }
    }

    Ok(Report {
        store,
        subjects: args.subjects,
        concurrency: args.concurrency,
        seconds_per_phase: args.seconds,
        warmup_seconds: args.warmup,
        seeding: SeedReport::new(&seeded, args.subjects, &records, records_seconds, settling, mismatches),
        phases,
        search_by_query_kind: report::query_kinds(&shared.queries, &search_logs),
        process_peak_rss_mb: crate::bench::proc_status_kib(std::process::id(), "VmHWM:").map(crate::bench::mb),
        client_build: if cfg!(debug_assertions) { "debug" } else { "release" },
    })
}

/// Between the bulk load and the measurements: the size of the SQLite files; on PostgreSQL,
/// ANALYZE (unless `--no-analyze`).
async fn settle(db: &Db, store: &str, args: &CreditArgs, sqlite_dir: Option<&Path>) -> anyhow::Result<Settling> {
    let mut s = Settling { database_mb: sqlite_dir.and_then(sqlite_size_mb), analyze_seconds: None };
    // PostgreSQL plans the search's `IN (…)` lists from statistics: after a bulk load they are
    // stale until autovacuum analyzes the tables, as a DBA would after an import. SQLite is
    // left as the application leaves it (no ANALYZE anywhere).
    if store == "postgres" && !args.no_analyze {
        let t = Instant::now();
        query("ANALYZE credit_subject, credit_subject_name, credit_name_gram")
            .execute(db.pool())
            .await
            .context("ANALYZE after seeding")?;
        let secs = t.elapsed().as_secs_f64();
        eprintln!("bench: ANALYZE of the credit tables in {secs:.1} s");
        s.analyze_seconds = Some(round(secs, 2));
    }
    Ok(s)
}

/// Size of the SQLite database files in `dir`, MiB.
fn sqlite_size_mb(dir: &Path) -> Option<f64> {
    let mut bytes = 0u64;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        if entry.file_name().to_string_lossy().starts_with("qingyun.db") {
            bytes += entry.metadata().map(|m| m.len()).unwrap_or(0);
        }
    }
    Some(round(bytes as f64 / 1_048_576.0, 0))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn days_ago_goes_both_ways() {
        let d = Date::constant(2024, 3, 1);
        assert_eq!(days_ago(d, 1), Date::constant(2024, 2, 29));
        assert_eq!(days_ago(d, -366), Date::constant(2025, 3, 2));
        assert_eq!(days_ago(d, 0), d);
    }
}
