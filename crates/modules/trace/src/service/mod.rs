//! The traceability service: everything the HTTP layer, the CLI and the demo call.

pub mod capture;
pub mod consumer;
pub mod forms;
pub mod genealogy;
pub mod index;
pub mod master;
pub mod output;
pub mod query;
pub mod recall;
pub mod subscriptions;

use std::sync::Arc;

use qy_kernel::bus::EventBus;
use qy_kernel::Clock;
use qy_storage::Db;

use crate::TraceConfig;

#[derive(Clone)]
pub struct Trace {
    pub(crate) db: Db,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) bus: Arc<dyn EventBus>,
    pub(crate) config: Arc<TraceConfig>,
}

impl Trace {
    pub fn new(db: Db, clock: Arc<dyn Clock>, bus: Arc<dyn EventBus>, config: Arc<TraceConfig>) -> Self {
        Self { db, clock, bus, config }
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn config(&self) -> &TraceConfig {
        &self.config
    }

    pub(crate) fn now(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Today in Beijing time (certificate expiry and production dates are calendar dates).
    pub fn today(&self) -> String {
        beijing(self.now()).date().to_string()
    }
}

/// Epoch milliseconds as Beijing civil time (UTC+8, no DST since 1991).
pub(crate) fn beijing(ms: i64) -> jiff::civil::DateTime {
    let t = jiff::Timestamp::from_millisecond(ms).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    jiff::tz::offset(8).to_datetime(t)
}

/// Epoch milliseconds as an EPCIS event time in Beijing time, `2026-10-15T06:00:00+08:00`.
pub(crate) fn beijing_rfc3339(ms: i64) -> String {
    format!("{}+08:00", beijing(ms).strftime("%Y-%m-%dT%H:%M:%S"))
}
