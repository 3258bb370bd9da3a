//! The eco module's data feeds (kernel `DataFeeds` port): hourly AQI per station and per
//! prefecture, as the catalog puts them behind the entries 环境空气质量小时数据 and
//! 市州环境空气质量小时数据. Rows come straight from `eco_aqi` / `eco_city_aqi`, so a consumer
//! of the catalog sees the same numbers as the map.

use async_trait::async_trait;
use qy_kernel::feed::{DataFeeds, FeedColumn, FeedInfo, FeedPage};
use qy_kernel::{Error, Result};
use qy_storage::Db;
use serde_json::json;

pub const STATION_AQI: &str = "eco.station_aqi_hourly";
pub const CITY_AQI: &str = "eco.city_aqi_hourly";

pub struct EcoFeeds {
    db: Db,
}

impl EcoFeeds {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

fn col(column: &str, name: &str, data_type: char) -> FeedColumn {
    FeedColumn { column: column.into(), name: name.into(), data_type }
}

/// Hour start as ISO 8601 in Beijing time, the way the national network publishes hours.
fn hour(ms: i64) -> String {
    format!("{}:00+08:00", qy_web::templates::format_datetime(ms).replacen(' ', "T", 1))
}

/// Cursor `<ms>|<key>`.
fn cursor(after: Option<&str>) -> Result<(i64, String)> {
    match after {
        None => Ok((i64::MIN, String::new())),
        Some(c) => {
            let (ms, key) =
                c.split_once('|').ok_or_else(|| Error::bad_request("feed.bad_cursor", "malformed cursor"))?;
            let ms = ms.parse().map_err(|_| Error::bad_request("feed.bad_cursor", "malformed cursor"))?;
            Ok((ms, key.to_owned()))
        }
    }
}

#[async_trait]
impl DataFeeds for EcoFeeds {
    fn feeds(&self) -> Vec<FeedInfo> {
        vec![
            FeedInfo {
                code: STATION_AQI.into(),
                title: "环境空气质量小时数据（监测站点）".into(),
                columns: vec![
                    col("time", "监测时间", 'T'),
                    col("station", "监测站点", 'C'),
                    col("region", "行政区划代码", 'C'),
                    col("aqi", "空气质量指数", 'I'),
                    col("level", "空气质量级别", 'I'),
                    col("primary", "首要污染物", 'C'),
                ],
                region_column: Some("region".into()),
            },
            FeedInfo {
                code: CITY_AQI.into(),
                title: "市州环境空气质量小时数据".into(),
                columns: vec![
                    col("time", "监测时间", 'T'),
                    col("region", "市州代码", 'C'),
                    col("aqi", "空气质量指数", 'I'),
                    col("level", "空气质量级别", 'I'),
                    col("primary", "首要污染物", 'C'),
                    col("stations", "参与评价站点数", 'I'),
                ],
                region_column: Some("region".into()),
            },
        ]
    }

    async fn page(&self, code: &str, after: Option<&str>, limit: usize) -> Result<FeedPage> {
        let (after_ms, after_key) = cursor(after)?;
        let limit = i64::try_from(limit.clamp(1, 10_000)).unwrap_or(1000);
        match code {
            STATION_AQI => {
                let rows = crate::store::feeds::station_aqi_after(&self.db, after_ms, &after_key, limit).await?;
                let next = rows.last().map(|r| format!("{}|{}", r.0, r.1));
                let rows = rows
                    .into_iter()
                    .map(|(ms, _, name, region, aqi, level, primary)| {
                        vec![json!(hour(ms)), json!(name), json!(region), json!(aqi), json!(level), json!(primary)]
                    })
                    .collect::<Vec<_>>();
                Ok(FeedPage { next: next.filter(|_| rows.len() as i64 == limit), rows })
            }
            CITY_AQI => {
                let rows = crate::store::feeds::city_aqi_after(&self.db, after_ms, &after_key, limit).await?;
                let next = rows.last().map(|r| format!("{}|{}", r.0, r.1));
                let rows = rows
                    .into_iter()
                    .map(|(ms, region, aqi, level, primary, stations)| {
                        vec![json!(hour(ms)), json!(region), json!(aqi), json!(level), json!(primary), json!(stations)]
                    })
                    .collect::<Vec<_>>();
                Ok(FeedPage { next: next.filter(|_| rows.len() as i64 == limit), rows })
            }
            other => Err(Error::not_found("feed.unknown", format!("no data feed {other:?}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn hours_are_beijing_time() {
        assert_eq!(super::hour(1_795_916_820_000 - 47 * 60_000), "2026-11-29T09:00:00+08:00");
    }
}
