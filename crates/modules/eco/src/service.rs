//! Use cases: registering and listing stations, reading observations.

use std::sync::Arc;

use qy_kernel::region::RegionDirectory;
use qy_kernel::{id, Clock, Error, Principal, RegionScope, Result};
use qy_storage::Db;

use crate::domain::observation::{Observation, Period};
use crate::domain::perm;
use crate::domain::station::{NewStation, Station, StationKind};
use crate::store::{self, Latest, SeriesQuery};

pub struct Eco {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
}

impl Eco {
    pub fn new(db: Db, clock: Arc<dyn Clock>) -> Self {
        Self { db, clock }
    }

    /// Registers a station. `by` is `None` for trusted callers (demo, CLI).
    pub async fn create_station(
        &self,
        by: Option<&Principal>,
        regions: &dyn RegionDirectory,
        new: NewStation,
    ) -> Result<Station> {
        let st = new.validate()?;
        if regions.get(&new.region_code).await?.is_none() {
            return Err(Error::bad_request("eco.unknown_region", format!("no region {} in Qinghai", new.region_code)));
        }
        if let Some(p) = by {
            if !p.can_in_region(perm::STATIONS_MANAGE, &new.region_code) {
                return Err(Error::forbidden("eco.out_of_scope", "you may register stations only inside your region"));
            }
        }
        let station = Station {
            id: id::new_id(),
            mn: new.mn.clone(),
            name: new.name.trim().to_owned(),
            kind: new.kind,
            st,
            region_code: new.region_code.clone(),
            latitude: new.latitude,
            longitude: new.longitude,
            allow_swapped_crc: new.allow_swapped_crc,
            water_body: new.water_body.clone().unwrap_or_else(|| "river".to_owned()),
            target_class: new.target_class,
            active: true,
            created_at: self.clock.now_ms(),
            last_packet_at: None,
        };
        store::insert_station(&self.db, &station, &new.password).await.map_err(|e| {
            if e.code == "store.conflict" {
                Error::conflict("eco.station_exists", format!("a station with MN {} is registered", new.mn))
            } else {
                e
            }
        })?;
        Ok(station)
    }

    /// Stations are public information (locations and names of monitoring sites).
    pub async fn stations(&self, scope: Option<&RegionScope>, kind: Option<StationKind>) -> Result<Vec<Station>> {
        let like = scope.map(RegionScope::like_pattern).unwrap_or_else(|| "%".to_owned());
        store::stations(&self.db, &like, kind).await
    }

    pub async fn station(&self, id: &str) -> Result<Station> {
        if !id::is_uuid(id) {
            return Err(Error::bad_request("eco.invalid_id", "station ids are UUIDs"));
        }
        store::station(&self.db, id).await?.ok_or_else(|| Error::not_found("eco.station_not_found", "no such station"))
    }

    pub async fn set_active(&self, by: &Principal, id: &str, active: bool) -> Result<Station> {
        let s = self.station(id).await?;
        if !by.can_in_region(perm::STATIONS_MANAGE, &s.region_code) {
            return Err(Error::forbidden("eco.out_of_scope", "this station is outside your region"));
        }
        store::set_station_active(&self.db, id, active).await?;
        Ok(Station { active, ..s })
    }

    pub async fn latest(&self, station_id: Option<&str>, period: Option<Period>) -> Result<Vec<Latest>> {
        store::latest(&self.db, station_id, period).await
    }

    /// A time series; at most 10,000 values per request.
    pub async fn series(
        &self,
        station_id: &str,
        factor: Option<&str>,
        period: Period,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<Observation>> {
        if to_ms <= from_ms {
            return Err(Error::bad_request("eco.invalid_range", "`to` must be after `from`"));
        }
        self.station(station_id).await?;
        store::series(&self.db, &SeriesQuery { station_id, factor, period, from_ms, to_ms, limit: 10_000 }).await
    }
}
