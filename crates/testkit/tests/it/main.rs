//! The platform's integration suite: one test binary (each extra binary costs a link).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod api_conventions;
mod architecture;
mod audit;
mod catalog_pages;
mod ckan;
mod credit;
mod dcat;
mod eco;
mod identity;
mod ops;
mod pages;
mod regions;
mod sta;
mod trace;

/// Prints once which backend the suite runs on.
pub fn backend() -> &'static str {
    qy_storage::testing::TestDb::backend_name()
}
