//! Writes the fixture's four documents to `$QY_DCAT_SAMPLE_DIR` when that is set (and does
//! nothing otherwise), so outside tools can read real output:
//!
//! ```sh
//! QY_DCAT_SAMPLE_DIR=/tmp/qy-dcat cargo test -p qy-dcat --test samples
//! python3 crates/std/dcat/tests/check_with_rdflib.py /tmp/qy-dcat/catalog.ttl turtle
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::sample_catalog;
use qy_dcat::{dataset_to_jsonld, dataset_to_turtle, to_jsonld, to_turtle};

#[test]
fn write_samples_when_asked() {
    let Some(dir) = std::env::var_os("QY_DCAT_SAMPLE_DIR") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let c = sample_catalog();
    let pretty = |v: serde_json::Value| serde_json::to_string_pretty(&v).unwrap();
    std::fs::write(dir.join("catalog.ttl"), to_turtle(&c)).unwrap();
    std::fs::write(dir.join("catalog.jsonld"), pretty(to_jsonld(&c))).unwrap();
    std::fs::write(dir.join("dataset.ttl"), dataset_to_turtle(&c.datasets[0])).unwrap();
    std::fs::write(dir.join("dataset.jsonld"), pretty(dataset_to_jsonld(&c.datasets[0]))).unwrap();
}
