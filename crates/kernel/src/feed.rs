//! The data-feed port: a module offers some of its live data as tables that the catalog can
//! put behind a catalog entry (an entry "hourly AQI of every station" backed by the eco
//! module's own table, not by a copy). Implemented by modules that own data, wired in
//! `qy-server`, read by the catalog's exchange API and open-data portal.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::Result;

/// A column, typed with the catalog guide's 信息项 data types (C N Y D T L M G B I F).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeedColumn {
    /// Machine name, e.g. `station`.
    pub column: String,
    /// Chinese name as the catalog shows it, e.g. `监测站点`.
    pub name: String,
    pub data_type: char,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FeedInfo {
    /// Stable code, `<module>.<feed>`, e.g. `eco.station_aqi_hourly`.
    pub code: String,
    pub title: String,
    pub columns: Vec<FeedColumn>,
    /// The column holding a GB/T 2260 region code, for row filters by region.
    pub region_column: Option<String>,
}

/// One page of rows, newest last, values in column order; `next` continues after it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FeedPage {
    pub rows: Vec<Vec<serde_json::Value>>,
    pub next: Option<String>,
}

#[async_trait]
pub trait DataFeeds: Send + Sync + 'static {
    fn feeds(&self) -> Vec<FeedInfo>;
    /// Rows of feed `code` after cursor `after` (None: from the start of the feed's window),
    /// at most `limit`. Unknown feeds and bad cursors are errors with stable codes.
    async fn page(&self, code: &str, after: Option<&str>, limit: usize) -> Result<FeedPage>;
}

/// Several modules' feeds as one (the composition root hands the catalog this).
pub struct Feeds(pub Vec<std::sync::Arc<dyn DataFeeds>>);

#[async_trait]
impl DataFeeds for Feeds {
    fn feeds(&self) -> Vec<FeedInfo> {
        self.0.iter().flat_map(|f| f.feeds()).collect()
    }
    async fn page(&self, code: &str, after: Option<&str>, limit: usize) -> Result<FeedPage> {
        for f in &self.0 {
            if f.feeds().iter().any(|i| i.code == code) {
                return f.page(code, after, limit).await;
            }
        }
        Err(crate::Error::not_found("feed.unknown", format!("no data feed {code:?}")))
    }
}
