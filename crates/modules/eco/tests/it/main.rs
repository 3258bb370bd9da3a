//! The HJ 212 gateway over real TCP, on SQLite (and PostgreSQL when QY_TEST_DATABASE_URL is set).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod alerts;
mod gateway;
mod harness;
mod mqtt;
mod sta;
mod sta_native;
