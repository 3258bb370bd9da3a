//! The catalog against a real store: SQLite, and PostgreSQL when QY_TEST_DATABASE_URL is set.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod entries;
mod exchange;
mod harness;
mod search;
mod sharing;
mod uploads;
