//! A realistic HJ 212-2017 station simulator for demos, load tests and benchmarks
//! (`qingyun simulate hj212 --stations N --interval SECS --target ADDR`, the live demo).
//!
//! It is **not** a source of real data: every value is synthetic, computed by a deterministic
//! model from `(station.seed, time)`, so runs are reproducible and tests can assert on them.
//!
//! # Stations
//!
//! [`stations(n)`](stations()) gives `n` stations: first 20 named Qinghai sites (12 ambient air
//! stations — 西宁 城东/城中/城西/城北, 乐都, 格尔木, 德令哈, 玉树, 共和, 同仁, 海晏 by 青海湖, 玛沁 —
//! and 8 surface-water sections on the 湟水 above and below 西宁, the 黄河 at 贵德 and 循化, the
//! 通天河 (长江源) at 治多 and 曲麻莱, and the 青海湖 inflow at 刚察), then stations spread
//! round-robin over all 45 county-level divisions, one in three a water section. MNs are
//! `QH` + county code + kind digit (`2` air, `1` water) + a 15-digit index (24 characters; not
//! hex, so the parser records the tolerated `mn_format` deviation); passwords are 6 digits.
//!
//! # Value model (Beijing time, UTC+8)
//!
//! Weather ([`Weather`]): temperature from altitude, latitude, an annual cycle (coldest mid-
//! January) and a diurnal cycle (warmest ~16:00), plus prefecture-wide synoptic noise; humidity
//! drier in the Qaidam basin; a heating-season weight (1 in January, 0 from mid-April to
//! mid-October); spring dust events drawn per prefecture and day (≈ 25 % of spring days in
//! 海西, a few % elsewhere), peaking in the afternoon.
//!
//! Air (ST=22; SO2/NO2/O3/PM in µg/m³ as integers, CO in mg/m³ with 3 decimals, temperature
//! with 1 decimal, humidity in %): an urban weight (1 in central 西宁, ≈ 0.1 at remote 玉树/果洛
//! sites) scales emissions. PM2.5 and PM10 rise in the heating season and on stagnant nights and
//! mornings; dust events lift PM10 in 格尔木/德令哈 to 300+ µg/m³; PM2.5 ≤ PM10 always. NO2 and
//! CO show morning (08:30) and evening (19:00) rush-hour peaks in towns. O3 has a high plateau
//! background peaking in May–June and afternoon photochemistry peaking at 15:00 (about 60–180
//! µg/m³ on summer afternoons), titrated at night in towns.
//!
//! Surface water (ST=21; pH with 2 decimals, DO and COD_Mn in mg/L with 2, water temperature
//! with 1, NH3-N and TP in mg/L with 3): water temperature near 0 °C under winter ice (3 °C
//! below 西宁's outfalls) and a summer peak falling with altitude; DO from saturation at that
//! temperature and altitude; pH 7.8–8.6 (≈ 8.7 at the alkaline 青海湖 inflow) with afternoon
//! photosynthesis; spring ice melt and the July–August flood raise COD_Mn and (sediment-bound)
//! TP, most on the 黄河; winter low flow raises NH3-N, most on the 湟水 below 西宁, which is
//! class III and sometimes IV while the other sections are class I–III.
//!
//! About 1 % of values (per factor and 10-minute slot) carry a flag other than `N`: `M`
//! maintenance, `D` fault, `C` calibration or `B` communication.
//!
//! # Wire
//!
//! [`packet`] builds a complete frame with `Flag=5` (HJ 212-2017, answer requested) and a
//! `DataTime` at the start of the period; [`run`] drives many stations, each over its own
//! long-lived TCP connection, keeping unacknowledged packets and resending them after a
//! reconnect.

mod model;
mod runner;
mod stations;
mod wire;

pub use model::{beijing_ms, readings, weather, SimFactor, Weather, AIR_FACTORS, WATER_FACTORS};
pub use runner::{
    run, SimConfig, SimReport, ACK_RETRIES, ACK_TIMEOUT, BACKOFF_MAX, BACKOFF_START, DRAIN_TIMEOUT, QUEUE_CAPACITY,
};
pub use stations::{station, stations, SimKind, SimStation, NAMED_STATIONS, QINGHAI_LAT, QINGHAI_LON};
pub use wire::{packet, period_start, qn};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests;
