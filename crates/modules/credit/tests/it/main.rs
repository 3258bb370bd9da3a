//! The credit module against a real store: SQLite, and PostgreSQL when QY_TEST_DATABASE_URL
//! is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod cases;
mod check_and_report;
mod harness;
mod import;
mod lists;
mod publication;
mod records;
mod search;
