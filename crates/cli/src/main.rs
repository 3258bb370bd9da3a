//! `qingyun` — the one binary of the Qingyun platform.

mod bench;
mod bench_catalog;
mod bench_credit;
mod bench_epcis;
mod bench_kit;
mod bench_sta;
mod tools;

// glibc's malloc raises its mmap threshold after the first large free, and then keeps every
// 19 MiB Argon2 buffer resident: the idle demo grew by ~20 MB per login. mimalloc returns
// large blocks to the OS.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use qy_kernel::{Clock, SystemClock};
use qy_server::Config;

#[derive(Parser)]
#[command(name = "qingyun", version, about = "Qingyun (青云): the Cloud Qinghai platform")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the platform (QY_HTTP_ADDR, default 127.0.0.1:8080).
    Serve,
    /// Serve with demo departments, staff, citizens and enterprises (creates them if missing).
    Demo,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The tamper-evident audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write a consistent copy of the SQLite database to FILE while the server runs.
    Backup { file: PathBuf },
    /// Replace the SQLite database with FILE (stop the server first).
    Restore { file: PathBuf },
    /// Simulators that speak the platform's protocols over real connections.
    #[command(subcommand)]
    Simulate(SimulateCommand),
    /// Standards tools that work without the server.
    #[command(subcommand)]
    Tools(tools::ToolsCommand),
    /// Measurements against a running server on this machine.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an operator (or another kind) account.
    Create {
        username: String,
        #[arg(long, default_value = "operator")]
        kind: String,
        #[arg(long)]
        name: Option<String>,
        /// The password; read from QY_USER_PASSWORD when not given.
        #[arg(long, env = "QY_USER_PASSWORD", hide_env_values = true)]
        password: String,
        #[arg(long)]
        department: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        resident_id: Option<String>,
        #[arg(long)]
        uscc: Option<String>,
        #[arg(long = "role")]
        roles: Vec<String>,
    },
    /// List accounts.
    List,
    /// Disable an account (ends its sessions).
    Disable { username: String },
}

#[derive(Subcommand)]
enum SimulateCommand {
    /// Qinghai monitoring stations sending HJ 212 data over TCP (one connection each).
    Hj212 {
        /// How many stations (the first 20 are named Qinghai sites).
        #[arg(long, default_value_t = 20)]
        stations: usize,
        /// Seconds between two packets of one station.
        #[arg(long, default_value_t = 30)]
        interval: u64,
        /// The gateway (default: QY_HJ212_ADDR).
        #[arg(long)]
        target: Option<String>,
        /// 2011 real-time, 2051 minute, 2061 hourly data.
        #[arg(long, default_value = "2011")]
        cn: String,
        /// Packets per station, then stop (default: until Ctrl-C).
        #[arg(long)]
        packets: Option<u64>,
        /// Register the stations in the database first (QY_DATABASE_URL / QY_DATA_DIR).
        #[arg(long)]
        register: bool,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Re-compute the hash chain; exit 0 when intact, 1 naming the first bad row.
    Verify,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Tools(t) = &cli.command {
        return tools::run(t);
    }
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    init_tracing(&config.log);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing(filter: &str) {
    let filter =
        tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to stderr: stdout carries what commands print (JSON reports, verdicts).
    let _ =
        tracing_subscriber::fmt().with_env_filter(filter).with_target(false).with_writer(std::io::stderr).try_init();
}

async fn run(command: Command, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve => serve(config, false).await,
        Command::Demo => serve(config, true).await,
        Command::Migrate => {
            let db = qy_storage::Db::connect(&config.database_url()).await.map_err(kerr)?;
            let n = qy_storage::migrate(&db, &qy_server::modules::migrations(), SystemClock.now_ms())
                .await
                .map_err(kerr)?;
            let loaded = qy_regions::load_shipped(&db).await.map_err(kerr)?;
            println!("applied {n} migrations; loaded {loaded} regions");
            Ok(ExitCode::SUCCESS)
        }
        Command::User(u) => user(u, config).await,
        Command::Audit(AuditCommand::Verify) => {
            let db = qy_storage::Db::connect(&config.database_url()).await.map_err(kerr)?;
            let verdict = qy_audit::verify(&db).await.map_err(kerr)?;
            println!("{}", serde_json::to_string_pretty(&verdict)?);
            if verdict.ok {
                eprintln!("audit log intact: {} rows checked", verdict.rows_checked);
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "audit log TAMPERED: {}",
                    verdict.first_bad.as_ref().map(|b| b.problem.as_str()).unwrap_or("unknown")
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Backup { file } => {
            let db = qy_storage::Db::connect(&config.database_url()).await.map_err(kerr)?;
            db.backup_sqlite(&file).await.map_err(kerr)?;
            println!(
                "backed up to {} (keep {} with it: it seals personal data)",
                file.display(),
                config.data_dir.join("secret.key").display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file } => restore(&config, &file).await,
        Command::Simulate(SimulateCommand::Hj212 { stations, interval, target, cn, packets, register }) => {
            let stations = qy_eco::simulator::stations(stations);
            if register {
                let app = qy_server::build(&config).await.map_err(|e| anyhow!(e))?;
                let eco = qy_eco::Eco::new(app.state.db.clone(), Arc::new(SystemClock));
                let n = qy_eco::demo::register(&eco, app.state.regions.as_ref(), &stations).await.map_err(kerr)?;
                eprintln!("registered {n} new stations");
            }
            let mut sim = qy_eco::simulator::SimConfig::new(target.unwrap_or(config.hj212_addr.clone()), stations);
            sim.interval = std::time::Duration::from_secs(interval.max(1));
            sim.cn = cn;
            sim.packets_per_station = packets;
            let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = stop_tx.send(true);
            });
            let report = qy_eco::simulator::run(sim, stop_rx).await;
            println!("{}", serde_json::to_string(&report)?);
            Ok(if report.errors == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Bench(b) => bench::run(b, &config).await,
        Command::Tools(_) => Ok(ExitCode::SUCCESS),
    }
}

fn kerr(e: qy_kernel::Error) -> anyhow::Error {
    anyhow!("{} ({})", e.detail, e.code)
}

async fn serve(mut config: Config, demo: bool) -> anyhow::Result<ExitCode> {
    if demo && config.bootstrap_admin_password.is_none() {
        config.bootstrap_admin_password = Some(qy_server::demo::DEMO_PASSWORD.to_owned());
    }
    let app = qy_server::build(&config).await.map_err(|e| anyhow!(e))?;
    if let Some(pw) = &app.generated_admin_password {
        println!("Created operator account `admin` with password: {pw}\n(shown once; set QY_BOOTSTRAP_ADMIN_PASSWORD to choose it)");
    }
    if demo {
        let secret = config.load_or_create_secret().map_err(|e| anyhow!(e))?;
        let identity = qy_identity::Identity::new(
            app.state.db.clone(),
            Arc::new(SystemClock),
            qy_identity::crypto::Sealer::new(secret),
        );
        qy_server::demo::seed(
            &identity,
            app.state.regions.as_ref(),
            app.state.audit.as_ref(),
            &app.credit,
            &app.catalog,
            &app.trace,
        )
        .await
        .map_err(kerr)?;
    }
    let listener = tokio::net::TcpListener::bind(&config.http_addr)
        .await
        .with_context(|| format!("cannot listen on {}", config.http_addr))?;
    let url = format!("http://{}", listener.local_addr()?);
    println!(
        "Qingyun is serving at {url}  (database: {}, data: {})",
        app.state.db.redacted_url(),
        config.data_dir.display()
    );
    if demo {
        println!("\nDemo logins (password for all: {}):", qy_server::demo::DEMO_PASSWORD);
        println!("  admin                 operator (whole province)");
        for (u, name, dep, region, role) in qy_server::demo::DEMO_STAFF {
            println!("  {u:<21} {name} · {dep} ({region}) · {role}");
        }
        println!("  tashi.herder, zhuoma, ma.wei   citizens;  yak.coop, goji.trade   enterprises");
    }
    let hj212 = tokio::net::TcpListener::bind(&config.hj212_addr)
        .await
        .with_context(|| format!("cannot listen for HJ 212 on {}", config.hj212_addr))?;
    let hj212_addr = hj212.local_addr()?;
    println!("HJ 212 gateway for monitoring stations at {hj212_addr}");
    if demo {
        start_demo_stations(&app, hj212_addr.to_string()).await?;
    }
    qy_server::serve(app, listener, Some(hj212), &config).await?;
    Ok(ExitCode::SUCCESS)
}

/// The live demo: simulated Qinghai stations with a day of history, then live data over TCP.
async fn start_demo_stations(app: &qy_server::App, target: String) -> anyhow::Result<()> {
    let stations = qy_eco::simulator::stations(DEMO_STATIONS);
    let eco = qy_eco::Eco::new(app.state.db.clone(), Arc::new(SystemClock));
    let added = qy_eco::demo::register(&eco, app.state.regions.as_ref(), &stations).await.map_err(kerr)?;
    // Rules before the history, so that the history's high values raise (and clear) alerts.
    qy_eco::demo::rules(&app.ingest, &app.state.db).await.map_err(kerr)?;
    if added > 0 {
        let n = qy_eco::demo::backfill(&app.ingest, &stations, SystemClock.now_ms(), 24).await;
        println!("Registered {added} simulated monitoring stations and fed them a day of hourly history ({n} uploads)");
    }
    // One station drops out for 8 minutes in every 16, so the silence alert opens and closes.
    let flaky = stations.get(FLAKY_STATION).cloned();
    let steady: Vec<_> = stations.iter().filter(|s| Some(&s.mn) != flaky.as_ref().map(|f| &f.mn)).cloned().collect();
    for (cn, secs) in [("2011", 30), ("2061", 600)] {
        let mut sim = qy_eco::simulator::SimConfig::new(target.clone(), steady.clone());
        sim.cn = cn.into();
        sim.interval = std::time::Duration::from_secs(secs);
        // The demo's simulators run until the process ends.
        let (keep, stop) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _keep = keep;
            qy_eco::simulator::run(sim, stop).await;
        });
    }
    if let Some(station) = flaky {
        tokio::spawn(async move {
            loop {
                let mut sim = qy_eco::simulator::SimConfig::new(target.clone(), vec![station.clone()]);
                sim.interval = std::time::Duration::from_secs(30);
                let (stop_tx, stop) = tokio::sync::watch::channel(false);
                let run = tokio::spawn(qy_eco::simulator::run(sim, stop));
                tokio::time::sleep(std::time::Duration::from_secs(8 * 60)).await;
                let _ = stop_tx.send(true);
                let _ = run.await;
                tokio::time::sleep(std::time::Duration::from_secs(8 * 60)).await;
            }
        });
    }
    Ok(())
}

/// Stations in the live demo: the 20 named sites and a few more across the counties.
const DEMO_STATIONS: usize = 40;
/// The demo station that goes silent now and then (德令哈, an air station).
const FLAKY_STATION: usize = 6;

async fn user(cmd: UserCommand, config: Config) -> anyhow::Result<ExitCode> {
    let app = qy_server::build(&config).await.map_err(|e| anyhow!(e))?;
    let secret = config.load_or_create_secret().map_err(|e| anyhow!(e))?;
    let identity = qy_identity::Identity::new(
        app.state.db.clone(),
        Arc::new(SystemClock),
        qy_identity::crypto::Sealer::new(secret),
    );
    match cmd {
        UserCommand::Create { username, kind, name, password, department, region, resident_id, uscc, roles } => {
            let new = qy_identity::domain::NewAccount {
                display_name: name.unwrap_or_else(|| username.clone()),
                username,
                password,
                kind,
                department_id: department,
                region_code: region,
                resident_id,
                uscc,
                roles,
            };
            let a = identity.create_account(None, app.state.regions.as_ref(), new).await.map_err(kerr)?;
            let target = format!("identity_account/{}", a.id);
            qy_server::system_audit::record(
                app.state.audit.as_ref(),
                "identity.account.create",
                target,
                "qingyun user create",
            )
            .await
            .map_err(kerr)?;
            println!("created {} ({}) id {}", a.username, a.kind, a.id);
        }
        UserCommand::List => {
            let mut after: Option<String> = None;
            loop {
                let rows = qy_identity::store::list_accounts(
                    &identity.db,
                    qy_identity::store::AccountFilter {
                        region_like: "%".into(),
                        kinds: &[],
                        department_id: None,
                        q: None,
                        after: after.as_deref(),
                        limit: 500,
                    },
                )
                .await
                .map_err(kerr)?;
                for r in rows.iter().take(500) {
                    let a = &r.account;
                    println!(
                        "{:<24} {:<10} {:<8} {} {}",
                        a.username,
                        a.kind,
                        a.region_code,
                        if a.disabled { "disabled" } else { "active" },
                        a.display_name
                    );
                }
                if rows.len() <= 500 {
                    break;
                }
                after = rows.get(499).map(|r| r.account.username.clone());
            }
        }
        UserCommand::Disable { username } => {
            let Some(row) = qy_identity::store::account_by_username(&identity.db, &username).await.map_err(kerr)?
            else {
                bail!("no account named {username}");
            };
            qy_identity::store::set_disabled(&identity.db, &row.account.id, true).await.map_err(kerr)?;
            let target = format!("identity_account/{}", row.account.id);
            qy_server::system_audit::record(
                app.state.audit.as_ref(),
                "identity.account.disable",
                target,
                "qingyun user disable",
            )
            .await
            .map_err(kerr)?;
            println!("disabled {username}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn restore(config: &Config, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    if config.database_url.is_some() {
        bail!("restore works on the embedded SQLite store; restore PostgreSQL with pg_restore");
    }
    // Check the backup opens and is intact before touching the live file.
    let probe = qy_storage::Db::connect(&format!("sqlite://{}?mode=ro", file.display())).await.map_err(kerr)?;
    if !probe.integrity_ok().await.map_err(kerr)? {
        bail!("{} failed SQLite's integrity check; nothing was changed", file.display());
    }
    probe.close().await;
    let target = config.data_dir.join("qingyun.db");
    if let Ok(listener) = std::net::TcpListener::bind(&config.http_addr) {
        drop(listener);
    } else {
        bail!("something is listening on {}: stop the server before restoring", config.http_addr);
    }
    std::fs::create_dir_all(&config.data_dir)?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(config.data_dir.join(format!("qingyun.db{suffix}")));
    }
    std::fs::copy(file, &target).with_context(|| format!("cannot copy to {}", target.display()))?;
    println!("restored {} into {}", file.display(), target.display());
    Ok(ExitCode::SUCCESS)
}
