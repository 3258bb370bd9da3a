//! SQL of the data feeds the eco module offers to the catalog (see `crate::feeds`).

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

/// One hourly AQI of a station: (hour start ms, station id, name, region, aqi, level, primary).
pub type StationAqiRow = (i64, String, String, String, i64, i64, String);

/// Hourly station AQI after (time, station), oldest first.
pub async fn station_aqi_after(db: &Db, after_ms: i64, after_station: &str, limit: i64) -> Result<Vec<StationAqiRow>> {
    let rows = query(
        "SELECT a.time_ms, a.station_id, s.name, s.region_code, a.aqi, a.level, a.primary_pollutants \
         FROM eco_aqi a JOIN eco_station s ON s.id = a.station_id \
         WHERE a.period = 'hour' AND (a.time_ms > $1 OR (a.time_ms = $1 AND a.station_id > $2)) \
         ORDER BY a.time_ms, a.station_id LIMIT $3",
    )
    .bind(after_ms)
    .bind(after_station)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("time_ms").store()?,
                r.try_get("station_id").store()?,
                r.try_get("name").store()?,
                r.try_get("region_code").store()?,
                r.try_get("aqi").store()?,
                r.try_get("level").store()?,
                r.try_get("primary_pollutants").store()?,
            ))
        })
        .collect()
}

/// One hourly AQI of a prefecture: (hour start ms, region, aqi, level, primary, stations).
pub type CityAqiRow = (i64, String, i64, i64, String, i64);

pub async fn city_aqi_after(db: &Db, after_ms: i64, after_region: &str, limit: i64) -> Result<Vec<CityAqiRow>> {
    let rows = query(
        "SELECT time_ms, region_code, aqi, level, primary_pollutants, stations FROM eco_city_aqi \
         WHERE period = 'hour' AND (time_ms > $1 OR (time_ms = $1 AND region_code > $2)) \
         ORDER BY time_ms, region_code LIMIT $3",
    )
    .bind(after_ms)
    .bind(after_region)
    .bind(limit)
    .fetch_all(db.pool())
    .await
    .store()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get("time_ms").store()?,
                r.try_get("region_code").store()?,
                r.try_get("aqi").store()?,
                r.try_get("level").store()?,
                r.try_get("primary_pollutants").store()?,
                r.try_get("stations").store()?,
            ))
        })
        .collect()
}
