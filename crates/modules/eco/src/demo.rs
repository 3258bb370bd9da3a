//! Demo stations: the simulator's Qinghai stations registered in the registry, with the last
//! day of hourly data fed through the gateway's own ingest path, so the demo opens with
//! history and then stays live.

use std::sync::Arc;

use qy_kernel::region::RegionDirectory;
use qy_kernel::Result;

use crate::domain::alert::{NewRule, RuleKind};
use crate::domain::station::{NewStation, StationKind};
use crate::gateway::{Ingest, Outcome};
use crate::simulator::{SimKind, SimStation};
use crate::{store, Eco};

/// Registers the stations that are not registered yet; returns how many were added.
pub async fn register(eco: &Eco, regions: &dyn RegionDirectory, stations: &[SimStation]) -> Result<usize> {
    let mut added = 0;
    for s in stations {
        if store::station_by_mn(&eco.db, &s.mn).await?.is_some() {
            continue;
        }
        let new = NewStation {
            mn: s.mn.clone(),
            name: s.name.clone(),
            kind: match s.kind {
                SimKind::Air => StationKind::Air,
                SimKind::SurfaceWater => StationKind::SurfaceWater,
            },
            st: Some(s.st.to_owned()),
            region_code: s.region_code.clone(),
            latitude: s.latitude,
            longitude: s.longitude,
            password: s.password.clone(),
            allow_swapped_crc: false,
            water_body: Some(if s.name.contains('湖') { "lake" } else { "river" }.to_owned()),
            // Source regions and the lake are held to class II, the rest to class III.
            target_class: (s.kind == SimKind::SurfaceWater).then(|| {
                if s.name.contains("湟水") || s.name.contains("黄河") {
                    3
                } else {
                    2
                }
            }),
        };
        eco.create_station(None, regions, new).await?;
        added += 1;
    }
    Ok(added)
}

/// Feeds `hours` past hourly uploads (CN 2061) of every station through `ingest`, oldest first.
/// Returns how many were accepted.
pub async fn backfill(ingest: &Arc<Ingest>, stations: &[SimStation], now_ms: i64, hours: i64) -> usize {
    let hour = 3_600_000;
    let current = now_ms - now_ms.rem_euclid(hour);
    let mut accepted = 0;
    for h in (1..=hours).rev() {
        let at = current - h * hour + 5 * 60_000;
        for (i, s) in stations.iter().enumerate() {
            let frame = crate::simulator::packet(s, "2061", at, u64::try_from(i).unwrap_or(0));
            let Ok(frame) = qy_hj212::parse_frame(frame.as_bytes()) else { continue };
            if matches!(ingest.handle(&frame, "demo-backfill").await, Outcome::Reply { .. }) {
                accepted += 1;
            }
        }
    }
    accepted
}

/// Early-warning rules for the demo, unless rules exist already.
pub async fn rules(ingest: &Ingest, db: &qy_storage::Db) -> Result<usize> {
    if !store::rules(db, "%").await?.is_empty() {
        return Ok(0);
    }
    let rule = |name: &str, kind: RuleKind| NewRule {
        name: name.to_owned(),
        kind,
        region_code: "630000".to_owned(),
        station_id: None,
        factor: None,
        period: None,
        threshold: None,
        minutes: None,
        notify: vec!["sms:13800000000".to_owned(), "email:eco-duty@qinghai.example".to_owned()],
    };
    let demo = [
        NewRule { minutes: Some(5), ..rule("站点 5 分钟无数据", RuleKind::Silent) },
        NewRule {
            factor: Some("a34004".into()),
            period: Some("hour".into()),
            // GB 3095-2012 grade II 24-hour limit, used here as an hourly warning line.
            threshold: Some("75".into()),
            ..rule("PM2.5 小时浓度超过 75 µg/m³", RuleKind::Threshold)
        },
        NewRule { threshold: Some("4".into()), ..rule("AQI 达到中度污染", RuleKind::AqiLevel) },
        rule("断面水质劣于目标", RuleKind::WaterClass),
    ];
    let n = demo.len();
    for r in demo {
        ingest.alerts.create_rule(None, r).await?;
    }
    Ok(n)
}
