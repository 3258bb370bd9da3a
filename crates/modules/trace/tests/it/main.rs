//! The traceability module against a real store: SQLite, and PostgreSQL when
//! QY_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod capture;
mod chain;
mod harness;
mod python_cross_check;
mod query;
