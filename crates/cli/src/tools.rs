//! `qingyun tools …`: the standards libraries for operators, without a server.

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum ToolsCommand {
    /// Identifiers: USCC, resident ID, e-licence ID, organisation code, region code.
    #[command(subcommand)]
    Id(IdCommand),
}

#[derive(Subcommand)]
pub enum IdCommand {
    /// Check one identifier: prints kind, verdict and reason; exit 0 valid, 1 invalid.
    Check {
        value: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: &ToolsCommand) -> ExitCode {
    match cmd {
        ToolsCommand::Id(IdCommand::Check { value, json }) => {
            let report = qy_cnid::check(value);
            if *json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                let kind = serde_json::to_value(report.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                println!("kind: {kind}");
                println!("valid: {}", report.valid);
                if let Some(reason) = &report.reason {
                    println!("reason: {reason}");
                }
                for (k, v) in &report.details {
                    println!("{k}: {v}");
                }
                for w in &report.warnings {
                    println!("warning: {w}");
                }
            }
            if report.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
