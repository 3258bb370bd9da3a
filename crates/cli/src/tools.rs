//! `qingyun tools …`: the standards libraries for operators, without a server.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

#[derive(Subcommand)]
pub enum ToolsCommand {
    /// Identifiers: USCC, resident ID, e-licence ID, organisation code, region code.
    #[command(subcommand)]
    Id(IdCommand),
    /// GS1 identifiers: check a code, Digital Link URI or EPC URN; exit 0 valid, 1 invalid with the reason.
    #[command(subcommand)]
    Gs1(Gs1Command),
    /// GS1 EPCIS 2.0 documents: event hash IDs and validation.
    #[command(subcommand)]
    Epcis(EpcisCommand),
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

#[derive(Subcommand)]
pub enum Gs1Command {
    /// Check a GTIN/SSCC, element string like (414)…, Digital Link URI, EPC URN, 15-digit
    /// livestock ear tag or certification code: prints kind, verdict, reason, normalised form
    /// and details; exit 0 valid, 1 invalid.
    Check {
        value: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
pub enum EpcisCommand {
    /// Print the CBV 2.0 event hash ID (ni:///sha-256;…?ver=CBV2.0) of every event of an
    /// EPCISDocument or EPCISQueryDocument, one per line in document order; exit 1 when the file
    /// cannot be read or holds no event list.
    Hash { file: PathBuf },
    /// Validate an EPCIS document against the GS1 JSON Schema and the EPCIS/CBV rules the schema
    /// does not check: prints "valid" or one "pointer: message" line per problem; exit 0 / 1.
    Validate {
        file: PathBuf,
        /// Accept sensor times later than eventTime (as some published GS1 examples have).
        #[arg(long)]
        allow_late_sensor_times: bool,
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
        ToolsCommand::Epcis(c) => run_epcis(c),
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
        ToolsCommand::Gs1(Gs1Command::Check { value, json }) => {
            let report = qy_gs1::check(value);
            if *json {
                println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
            } else {
                println!("kind: {}", report.kind);
                println!("valid: {}", report.valid);
                if let Some(reason) = &report.reason {
                    println!("reason: {reason}");
                }
                if let Some(normalised) = &report.normalised {
                    println!("normalised: {normalised}");
                }
                for (k, v) in &report.details {
                    println!("{k}: {v}");
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

fn run_epcis(cmd: &EpcisCommand) -> ExitCode {
    let (file, options) = match cmd {
        EpcisCommand::Hash { file } => (file, None),
        EpcisCommand::Validate { file, allow_late_sensor_times } => {
            (file, Some(qy_epcis::ValidationOptions { sensor_times: !allow_late_sensor_times }))
        }
    };
    let doc = match read_json(file) {
        Ok(doc) => doc,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match options {
        None => match qy_epcis::document_hashes(&doc) {
            Ok(hashes) => {
                hashes.iter().for_each(|h| println!("{h}"));
                ExitCode::SUCCESS
            }
            Err(problem) => {
                eprintln!("error: {}: {problem}", file.display());
                ExitCode::FAILURE
            }
        },
        Some(options) => match qy_epcis::validate_document_with(&doc, options) {
            Ok(()) => {
                println!("valid");
                ExitCode::SUCCESS
            }
            Err(problems) => {
                problems.iter().for_each(|p| println!("{p}"));
                ExitCode::FAILURE
            }
        },
    }
}

fn read_json(path: &Path) -> Result<serde_json::Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{} is not valid JSON: {e}", path.display()))
}
