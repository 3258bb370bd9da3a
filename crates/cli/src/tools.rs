//! `qingyun tools …`: the standards libraries for operators, without a server.

use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum ToolsCommand {
    /// Identifiers: USCC, resident ID, e-licence ID, organisation code, region code.
    #[command(subcommand)]
    Id(IdCommand),
    /// HJ 212 packets.
    #[command(subcommand)]
    Hj212(Hj212Command),
    /// Air quality index (HJ 633): prints one JSON object with aqi, iaqi, primary, level, category.
    Aqi {
        /// hj633-2012 or hj633-2026
        #[arg(long, default_value = "hj633-2026")]
        standard: String,
        /// daily or hourly
        #[arg(long, default_value = "daily")]
        period: String,
        /// Concentrations as KEY=VALUE: so2_1h so2_24h no2_1h no2_24h co_1h co_24h o3_1h o3_8h
        /// pm10_1h pm10_24h pm25_1h pm25_24h (µg/m³; CO in mg/m³).
        #[arg(required = true)]
        values: Vec<String>,
    },
    /// Surface-water class (GB 3838-2002, single-factor): prints one JSON object.
    WaterClass {
        /// river or lake (lakes and reservoirs have stricter phosphorus limits)
        #[arg(long, default_value = "river")]
        body: String,
        /// Measurements as KEY=VALUE (mg/L unless noted), e.g. do=6.2 cod_mn=3.1 nh3_n=0.4 tp=0.08
        #[arg(required = true)]
        values: Vec<String>,
    },
}

#[derive(Subcommand)]
pub enum Hj212Command {
    /// Check one packet (`##…` with or without CR LF): prints the verdict and the parsed
    /// fields as JSON; exit 0 well-formed, 1 otherwise (length, CRC or syntax reason).
    Check {
        packet: String,
        /// Also accept the byte-swapped CRC-16/MODBUS some field devices send.
        #[arg(long)]
        allow_swapped_modbus: bool,
    },
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

/// Prints a result as JSON, or the error with its code; exit 0 / 1.
fn print_json<T: serde::Serialize, E: std::fmt::Display>(result: Result<T, E>) -> ExitCode {
    match result {
        Ok(v) => {
            println!("{}", serde_json::to_string(&v).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(cmd: &ToolsCommand) -> ExitCode {
    match cmd {
        ToolsCommand::Hj212(Hj212Command::Check { packet, allow_swapped_modbus }) => {
            let policy = if *allow_swapped_modbus {
                qy_hj212::Checksum::Hj212OrSwappedModbus
            } else {
                qy_hj212::Checksum::Hj212
            };
            let report = qy_hj212::check(packet, policy);
            println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            if report.valid {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        ToolsCommand::Aqi { standard, period, values } => {
            print_json(qy_aqi::compute_from_args(standard, period, values))
        }
        ToolsCommand::WaterClass { body, values } => print_json(qy_aqi::classify_from_args(body, values)),
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
