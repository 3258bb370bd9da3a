//! What the gateway does with one frame: authenticate the station, store the data, answer.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use qy_hj212::{CrcMatch, Frame, Packet, Reassembler, Reassembly, ReassemblyConfig};
use qy_kernel::Clock;
use qy_storage::Db;

use super::writer::{Committed, OwnedUpload, Pending};
use super::Connections;
use crate::domain::observation::{extract, Extracted, Observation, Period};
use crate::sta::notify::Notice;
use crate::store;

/// The result of handling one frame.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// Accepted; send `reply` if there is one (9013/9014 …).
    Reply { reply: Option<String>, mn: String },
    /// Refused (unknown MN, wrong password, bad CRC, syntax): nothing stored, nothing sent.
    Rejected(String),
    /// Could not be stored right now (database down): not acknowledged, the logger retries.
    Unavailable(String),
}

/// A frame whose handling has started (`Ingest::start`).
pub enum Started {
    /// Nothing to wait for.
    Answered(Outcome),
    /// Its upload is with the writer; `Ingest::finish` it once `pending` resolves.
    Storing(Box<Storing>),
}

/// An upload handed to the writer, and what its frame needs once it is committed.
pub struct Storing {
    known: Known,
    /// Resolves once the upload's transaction has committed (or failed).
    pub pending: Pending,
    reply: Option<String>,
    mn: String,
}

/// Uploads a slow notice subscriber may fall behind by before it misses some.
const NOTICE_BACKLOG: usize = 4096;

/// How long a station's registry entry is cached by the gateway.
const STATION_CACHE_MS: i64 = 60_000;

#[derive(Clone)]
struct Known {
    station_id: String,
    station: crate::alerts::StationRef,
    password: String,
    allow_legacy: bool,
    active: bool,
    kind: crate::domain::station::StationKind,
    lake: bool,
    fetched_at: i64,
}

pub struct Ingest {
    db: Db,
    clock: Arc<dyn Clock>,
    pub connections: Connections,
    pub alerts: Arc<crate::alerts::Alerts>,
    writer: super::writer::Writer,
    stations: Mutex<HashMap<String, Known>>,
    /// Registry entries by station id (SensorThings writes name stations by id), with when.
    stations_by_id: Mutex<HashMap<String, (i64, crate::domain::station::Station)>>,
    reassembler: Mutex<Reassembler>,
    /// Hours (station id, start) whose means from minute data are due, with the station.
    pending_hours: Mutex<std::collections::BTreeMap<(String, i64), Known>>,
    /// Newly stored observations, for SensorThings MQTT subscribers (`sta::notify`).
    notices: tokio::sync::broadcast::Sender<Arc<Notice>>,
}

impl Ingest {
    pub fn new(db: Db, clock: Arc<dyn Clock>, bus: Arc<dyn qy_kernel::bus::EventBus>) -> Self {
        let notices = tokio::sync::broadcast::channel(NOTICE_BACKLOG).0;
        // Which values a batch wrote matters only while someone follows them.
        let followed = notices.clone();
        Self {
            connections: Connections::new(clock.clone()),
            alerts: Arc::new(crate::alerts::Alerts::new(db.clone(), clock.clone(), bus)),
            writer: super::writer::Writer::spawn(db.clone(), move || followed.receiver_count() > 0),
            db,
            clock,
            stations: Mutex::new(HashMap::new()),
            stations_by_id: Mutex::new(HashMap::new()),
            reassembler: Mutex::new(Reassembler::new(ReassemblyConfig::default())),
            pending_hours: Mutex::new(std::collections::BTreeMap::new()),
            notices,
        }
    }

    /// Every upload stored from now on (new observations only, after their commit).
    pub fn notices(&self) -> tokio::sync::broadcast::Receiver<Arc<Notice>> {
        self.notices.subscribe()
    }

    /// Announces Observations of partner networks' Datastreams, once committed.
    pub fn announce_partner(&self, rows: Vec<crate::store::sta_native::NRow>) {
        if self.notices.receiver_count() == 0 {
            return;
        }
        for row in rows {
            let _ = self.notices.send(Arc::new(Notice::Partner(row)));
        }
    }

    /// The store this ingest writes to.
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Forgets cached registry entries (after a station was changed).
    pub fn invalidate(&self, mn: &str) {
        if let Ok(mut m) = self.stations.lock() {
            m.remove(mn);
        }
        if let Ok(mut m) = self.stations_by_id.lock() {
            m.clear();
        }
    }

    /// A station of the registry by id, cached like the gateway's entries by MN.
    pub async fn station(&self, id: &str) -> qy_kernel::Result<Option<crate::domain::station::Station>> {
        let now = self.clock.now_ms();
        if let Some((at, s)) = self.stations_by_id.lock().ok().and_then(|m| m.get(id).cloned()) {
            if now.saturating_sub(at) < STATION_CACHE_MS {
                return Ok(Some(s));
            }
        }
        let found = store::station(&self.db, id).await?;
        if let (Some(s), Ok(mut m)) = (&found, self.stations_by_id.lock()) {
            m.insert(id.to_owned(), (now, s.clone()));
        }
        Ok(found)
    }

    async fn known(&self, mn: &str) -> Result<Option<Known>, String> {
        let now = self.clock.now_ms();
        if let Some(k) = self.stations.lock().ok().and_then(|m| m.get(mn).cloned()) {
            if now.saturating_sub(k.fetched_at) < STATION_CACHE_MS {
                return Ok(Some(k));
            }
        }
        let found = store::station_by_mn(&self.db, mn).await.map_err(|e| e.detail)?;
        let known = found.map(|(s, password)| Known {
            station: crate::alerts::StationRef {
                id: s.id.clone(),
                name: s.name.clone(),
                region_code: s.region_code.clone(),
                target_class: s.target_class,
            },
            station_id: s.id,
            password,
            allow_legacy: s.allow_swapped_crc,
            active: s.active,
            kind: s.kind,
            lake: s.water_body == "lake",
            fetched_at: now,
        });
        if let (Some(k), Ok(mut m)) = (&known, self.stations.lock()) {
            m.insert(mn.to_owned(), k.clone());
        }
        Ok(known)
    }

    /// Handles one frame to its end: authenticates the station, stores the data and says what
    /// to answer.
    pub async fn handle(&self, frame: &Frame, peer: &str) -> Outcome {
        match self.start(frame, peer).await {
            Started::Answered(outcome) => outcome,
            Started::Storing(mut storing) => {
                let stored = (&mut storing.pending).await;
                self.finish(*storing, stored).await
            }
        }
    }

    /// `handle` up to handing the upload to the writer. A connection starts every frame it has
    /// at hand before it waits for the first commit, so that they share a batch; it then
    /// `finish`es them in order.
    pub async fn start(&self, frame: &Frame, peer: &str) -> Started {
        let packet = match frame.packet() {
            Ok(p) => p,
            Err(e) => return Started::Answered(Outcome::Rejected(format!("segment: {e}"))),
        };
        let known = match self.known(&packet.mn).await {
            Ok(Some(k)) => k,
            Ok(None) => {
                metrics::counter!("qy_eco_hj212_unknown_mn_total").increment(1);
                return Started::Answered(Outcome::Rejected(format!("unknown MN {:?}", packet.mn)));
            }
            Err(e) => return Started::Answered(Outcome::Unavailable(e)),
        };
        // The legacy allowance (swapped MODBUS CRC, segments over 1024 bytes) is per station.
        let legacy_used = frame.crc_match == CrcMatch::SwappedModbus || frame.segment.len() > 1024;
        if legacy_used && !known.allow_legacy {
            return Started::Answered(Outcome::Rejected(format!(
                "MN {}: byte-swapped MODBUS CRC or oversize segment not allowed",
                packet.mn
            )));
        }
        if packet.pw != known.password {
            metrics::counter!("qy_eco_hj212_bad_password_total").increment(1);
            return Started::Answered(Outcome::Rejected(format!("MN {}: wrong access password", packet.mn)));
        }
        if !known.active {
            return Started::Answered(Outcome::Rejected(format!("MN {}: station is deactivated", packet.mn)));
        }
        self.accept(&packet, known, frame, peer).await
    }

    /// The rest of `handle` once the writer answered `stored` for a `Storing` frame: what
    /// follows a new upload, and the acknowledgement (only after the commit).
    pub async fn finish(&self, storing: Storing, committed: qy_kernel::Result<Committed>) -> Outcome {
        let Storing { known, reply, mn, .. } = storing;
        match committed {
            Ok(Committed { stored, upload }) if stored.new => {
                self.follow(&known, upload.observations, upload.received_at, stored.stored).await;
            }
            Ok(_) => metrics::counter!("qy_eco_hj212_duplicates_total").increment(1),
            Err(e) => return Outcome::Unavailable(format!("{}: {}", e.code, e.detail)),
        }
        self.answered(&known.station_id, reply, mn).await
    }

    /// A frame handled: a station that was silent is no longer, and the reply goes out.
    async fn answered(&self, station_id: &str, reply: Option<String>, mn: String) -> Outcome {
        if let Err(e) = self.alerts.on_packet(station_id).await {
            tracing::warn!(code = %e.code, "silent alerts not closed");
        }
        metrics::counter!("qy_eco_hj212_packets_total").increment(1);
        Outcome::Reply { reply, mn }
    }

    /// Hourly AQI (air) or water class (surface water). Derived data: a failure is logged and
    /// the upload stays acknowledged; it is recomputed when the hour's data arrives again.
    async fn derive_hourly(&self, known: &Known, time_ms: i64) {
        use crate::domain::station::StationKind;
        let result = match known.kind {
            StationKind::Air => match crate::aqi::update_hourly(&self.db, &known.station_id, time_ms).await {
                Ok(a) => {
                    let alerted = match a {
                        Some(a) if a.publishable => self.alerts.on_aqi(&known.station, a.aqi, a.level).await,
                        _ => Ok(()),
                    };
                    let city = crate::daily::update_city_hour(&self.db, &known.station.region_code, time_ms).await;
                    let day = crate::daily::beijing_day(time_ms);
                    let daily = crate::daily::update_station_day(&self.db, &known.station_id, day).await;
                    let daily_aqi = crate::daily::update_station_daily_aqi(&self.db, &known.station_id, day).await;
                    alerted.and(city.map(|_| ())).and(daily.map(|_| ())).and(daily_aqi.map(|_| ()))
                }
                Err(e) => Err(e),
            },
            StationKind::SurfaceWater => {
                let daily =
                    crate::daily::update_station_day(&self.db, &known.station_id, crate::daily::beijing_day(time_ms))
                        .await;
                match crate::water::update_hourly(&self.db, &known.station_id, known.lake, time_ms).await {
                    Ok(Some(w)) => self.alerts.on_water_class(&known.station, w.class).await.and(daily.map(|_| ())),
                    Ok(None) => daily.map(|_| ()),
                    Err(e) => Err(e),
                }
            }
            StationKind::PollutionSource => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!(code = %e.code, station = %known.station_id, "hourly index not updated");
        }
    }

    /// Stores an upload through the group-commit writer and, when it is new, runs what
    /// follows (`follow`).
    async fn store_and_follow(&self, known: &Known, upload: OwnedUpload) -> qy_kernel::Result<bool> {
        let Committed { stored, upload } = self.writer.store(upload).await?;
        if stored.new {
            self.follow(known, upload.observations, upload.received_at, stored.stored).await;
        }
        Ok(stored.new)
    }

    /// What follows a new upload's commit: alert rules on its values, SensorThings
    /// notifications and the hourly indices of the hours it touched. `written` says per value
    /// whether it was stored (see `store::Stored`).
    async fn follow(&self, known: &Known, items: Vec<Observation>, received_at: i64, written: Vec<bool>) {
        // Only the values written (known while notices are followed): one the station had
        // sent before keeps its first value, and its alerts and notifications happened then.
        let items: Vec<_> = items.into_iter().zip(written).filter(|(_, s)| *s).map(|(o, _)| o).collect();
        metrics::counter!("qy_eco_observations_total").increment(items.len() as u64);
        if self.notices.receiver_count() > 0 && !items.is_empty() {
            let station_id = known.station_id.clone();
            let notice = Notice::Registry { station_id, received_at, observations: items.clone() };
            let _ = self.notices.send(Arc::new(notice));
        }
        // Early warning runs after the commit; its failures never cost the ack.
        if let Err(e) = self.alerts.on_observations(&known.station, &items).await {
            tracing::warn!(code = %e.code, "alert rules not evaluated");
        }
        let hours: std::collections::BTreeSet<i64> =
            items.iter().filter(|o| o.period == Period::Hour).map(|o| o.time_ms).collect();
        for t in hours {
            self.derive_hourly(known, t).await;
        }
        // Minute data: once an hour may have enough minutes, its hourly means follow (for
        // the factors the station sends no hourly value of its own). Every later minute
        // would redo them, so the hour is only marked here and derived once per round of
        // `derive_pending`, off the acknowledgement's path.
        let hour = 3_600_000;
        let late_minutes = items
            .iter()
            .filter(|o| o.period == Period::Minute && o.time_ms.rem_euclid(hour) >= 44 * 60_000)
            .map(|o| o.time_ms - o.time_ms.rem_euclid(hour));
        if let Ok(mut pending) = self.pending_hours.lock() {
            for h in late_minutes {
                pending.entry((known.station_id.clone(), h)).or_insert_with(|| known.clone());
            }
        }
    }

    /// Derives the hourly means (and then the hourly indices) of every hour that received late
    /// minute data since the last call.
    pub async fn derive_pending(&self) {
        let pending = match self.pending_hours.lock() {
            Ok(mut p) => std::mem::take(&mut *p),
            Err(_) => return,
        };
        for ((station_id, h), known) in pending {
            match crate::daily::update_hour_from_minutes(&self.db, &station_id, h, self.clock.now_ms()).await {
                Ok(0) => {}
                Ok(_) => self.derive_hourly(&known, h).await,
                Err(e) => {
                    // Tried again next round (the store may be back by then).
                    tracing::warn!(code = %e.code, "hourly means from minute data not derived; will retry");
                    if let Ok(mut p) = self.pending_hours.lock() {
                        p.entry((station_id, h)).or_insert(known);
                    }
                }
            }
        }
    }

    /// Queues every hour since `since_ms` that has late minute values: what a previous run
    /// had pending when it stopped (the queue lives in memory) is derived after a restart.
    /// Deriving an hour again is harmless: its means are upserted.
    pub async fn queue_recent_hours(&self, since_ms: i64) -> qy_kernel::Result<usize> {
        let hours = store::hours_with_late_minutes(&self.db, since_ms).await?;
        let mut queued = 0;
        for (station_id, h) in hours {
            let Some(station) = self.station(&station_id).await? else { continue };
            let Ok(Some(known)) = self.known(&station.mn).await else { continue };
            if let Ok(mut p) = self.pending_hours.lock() {
                p.entry((station_id, h)).or_insert(known);
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// Brings `eco_latest` up to date with what a previous run's writer had deferred and not
    /// written (`store::repair_latest`). Run before the gateway accepts connections, so that it
    /// does not compete with the writer for the rows.
    pub async fn repair_latest(&self) {
        match store::repair_latest(&self.db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(datastreams = n, "latest values brought forward after an abrupt stop"),
            Err(e) => tracing::warn!(code = %e.code, "latest values not checked"),
        }
    }

    /// Runs `derive_pending` every `every` until `stop`, and once more then. It starts with
    /// the last three hours' hours that have late minute values (`queue_recent_hours`).
    pub async fn run_derivations(
        self: Arc<Self>,
        every: std::time::Duration,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) {
        if let Err(e) = self.queue_recent_hours(self.clock.now_ms() - 3 * 3_600_000).await {
            tracing::warn!(code = %e.code, "recent hours not queued for derivation");
        }
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => self.derive_pending().await,
                _ = stop.changed() => {
                    self.derive_pending().await;
                    return;
                }
            }
        }
    }

    /// Recomputes the hourly indices of one hour of station `mn` (after a value was changed or
    /// deleted through SensorThings).
    pub async fn recompute_hour(&self, mn: &str, time_ms: i64) {
        if let Ok(Some(known)) = self.known(mn).await {
            self.derive_hourly(&known, time_ms).await;
        }
    }

    /// Stores values that arrived by another protocol (SensorThings) for the station `mn`,
    /// exactly as a gateway upload: group commit, alerts, hourly indices, end of silence.
    pub async fn store_upload(&self, mn: &str, upload: OwnedUpload) -> qy_kernel::Result<bool> {
        let known = match self.known(mn).await {
            Ok(Some(k)) => k,
            Ok(None) => {
                return Err(qy_kernel::Error::not_found("eco.station_not_found", format!("no station with MN {mn}")))
            }
            Err(e) => return Err(qy_kernel::Error::new(qy_kernel::ErrorKind::Unavailable, "store.unavailable", e)),
        };
        let station_id = known.station_id.clone();
        let new = self.store_and_follow(&known, upload).await?;
        if let Err(e) = self.alerts.on_packet(&station_id).await {
            tracing::warn!(code = %e.code, "silent alerts not closed");
        }
        Ok(new)
    }

    async fn accept(&self, packet: &Packet, known: Known, frame: &Frame, peer: &str) -> Started {
        let now = self.clock.now_ms();
        let reply = qy_hj212::platform_reply(packet);
        // Split uploads (Flag D, PNUM/PNO) are joined before storing; only the part that
        // completes a group is acknowledged, after the whole group is committed.
        let reassembled = match self.reassembler.lock() {
            Ok(mut r) => r.push(packet, u64::try_from(now).unwrap_or(0)),
            Err(_) => return Started::Answered(Outcome::Unavailable("reassembler poisoned".into())),
        };
        let cp = match reassembled {
            Ok(Reassembly::NotSplit) => packet.cp.clone(),
            Ok(Reassembly::Complete(done)) => done.cp,
            Ok(_) => return Started::Answered(Outcome::Reply { reply: None, mn: packet.mn.clone() }),
            Err(e) => return Started::Answered(Outcome::Rejected(format!("MN {}: split packet: {e}", packet.mn))),
        };
        match extract(packet, &cp) {
            Extracted::NotData => Started::Answered(self.answered(&known.station_id, reply, packet.mn.clone()).await),
            Extracted::MissingDataTime => {
                Started::Answered(Outcome::Rejected(format!("MN {}: data upload without DataTime", packet.mn)))
            }
            Extracted::Observations { items, .. } => {
                let upload = OwnedUpload {
                    station_id: known.station_id.clone(),
                    qn: packet.qn.clone().unwrap_or_default(),
                    cn: packet.cn.clone(),
                    raw: frame.segment.clone(),
                    received_at: now,
                    peer: peer.to_owned(),
                    observations: items,
                };
                match self.writer.submit(upload).await {
                    Ok(pending) => Started::Storing(Box::new(Storing { known, pending, reply, mn: packet.mn.clone() })),
                    Err(e) => Started::Answered(Outcome::Unavailable(format!("{}: {}", e.code, e.detail))),
                }
            }
        }
    }
}
