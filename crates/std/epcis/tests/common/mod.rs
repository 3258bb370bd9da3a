//! Fixture loading shared by the integration tests. Fixtures live in `tests/data/` (copied from
//! `shared/data/epcis`, see `data/SOURCES.md`) so tests never read outside the crate.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use serde_json::Value;

pub type TestResult = Result<(), String>;

pub fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

pub fn text(rel: &str) -> Result<String, String> {
    std::fs::read_to_string(path(rel)).map_err(|e| format!("{rel}: {e}"))
}

pub fn json(rel: &str) -> Result<Value, String> {
    serde_json::from_str(&text(rel)?).map_err(|e| format!("{rel}: {e}"))
}

/// The golden hash lines of a `.hashes` file.
pub fn hashes(rel: &str) -> Result<Vec<String>, String> {
    Ok(text(rel)?.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect())
}

/// Every `.jsonld` below `dir` (relative to `tests/data`), sorted.
pub fn jsonld_files(dir: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    walk(&path(dir), &mut out).map_err(|e| format!("{dir}: {e}"))?;
    let root = path("");
    let mut rels: Vec<String> =
        out.iter().filter_map(|p| p.strip_prefix(&root).ok()).map(|p| p.to_string_lossy().replace('\\', "/")).collect();
    rels.sort();
    Ok(rels)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "jsonld") {
            out.push(p);
        }
    }
    Ok(())
}
