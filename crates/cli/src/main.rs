//! `qingyun` — the one binary of the Qingyun platform.

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
    /// Standards tools that work without the server.
    #[command(subcommand)]
    Tools(tools::ToolsCommand),
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
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
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
        qy_server::demo::seed(&identity, app.state.regions.as_ref(), app.state.audit.as_ref()).await.map_err(kerr)?;
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
    println!("HJ 212 gateway for monitoring stations at {}", hj212.local_addr()?);
    qy_server::serve(app, listener, Some(hj212), &config).await?;
    Ok(ExitCode::SUCCESS)
}

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
