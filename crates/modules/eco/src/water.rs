//! Water class per surface-water station and hour (GB 3838-2002, single-factor method: the
//! worst indicator decides), from the stored hourly means of the indicators stations measure
//! automatically. Only values flagged `N` count.

use qy_aqi::{Decimal, WaterBody, WaterItem};
use qy_kernel::Result;
use qy_storage::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::store;

/// HJ 525 / HJ 212 Appendix B water codes → GB 3838 Table 1 items.
const ITEMS: [(&str, WaterItem); 8] = [
    ("w01001", WaterItem::Ph),
    ("w01009", WaterItem::Do),
    ("w01019", WaterItem::CodMn),
    ("w01018", WaterItem::Cod),
    ("w01017", WaterItem::Bod5),
    ("w21003", WaterItem::Nh3N),
    ("w21011", WaterItem::Tp),
    ("w21001", WaterItem::Tn),
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StationWaterClass {
    pub station_id: String,
    /// Start of the hour, epoch ms UTC.
    pub time_ms: i64,
    /// 1–5 (I–V), 6 = 劣V.
    pub class: u8,
    pub class_label: String,
    /// Item keys at the section's class.
    pub worst: Vec<String>,
    pub per_item: std::collections::BTreeMap<String, u8>,
}

pub fn label(class: u8) -> &'static str {
    qy_aqi::water::class_label(class)
}

/// Computes and stores the class of `station_id` for the hour starting at `time_ms`.
pub async fn update_hourly(db: &Db, station_id: &str, lake: bool, time_ms: i64) -> Result<Option<StationWaterClass>> {
    let codes: Vec<&str> = ITEMS.iter().map(|(c, _)| *c).collect();
    let values = store::valid_hourly(db, station_id, &codes, time_ms, time_ms + 1).await?;
    let inputs: Vec<(WaterItem, Decimal)> = ITEMS
        .iter()
        .filter_map(|(code, item)| {
            values.iter().find(|(c, _, _)| c == code).and_then(|(_, _, v)| Decimal::parse(v).ok()).map(|d| (*item, d))
        })
        .collect();
    if inputs.is_empty() {
        return Ok(None);
    }
    let body = if lake { WaterBody::LakeReservoir } else { WaterBody::River };
    let Ok(r) = qy_aqi::classify(body, &inputs) else { return Ok(None) };
    let result = StationWaterClass {
        station_id: station_id.to_owned(),
        time_ms,
        class: r.class,
        class_label: r.class_label.to_owned(),
        worst: r.worst,
        per_item: r.per_item,
    };
    store::upsert_water_class(db, &result).await?;
    Ok(Some(result))
}
