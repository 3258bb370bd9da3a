//! Monitoring stations.

use qy_kernel::{Error, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What a station monitors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StationKind {
    /// Ambient air (HJ 212 system code 22).
    Air,
    /// Surface water (system code 21).
    SurfaceWater,
    /// A pollution source (system codes 31, 32 …).
    PollutionSource,
}

impl StationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Air => "air",
            Self::SurfaceWater => "surface_water",
            Self::PollutionSource => "pollution_source",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "air" => Self::Air,
            "surface_water" => Self::SurfaceWater,
            "pollution_source" => Self::PollutionSource,
            _ => return None,
        })
    }
    /// The HJ 212 system code (ST) a station of this kind normally sends.
    pub fn default_st(self) -> &'static str {
        match self {
            Self::Air => "22",
            Self::SurfaceWater => "21",
            Self::PollutionSource => "32",
        }
    }
}

/// A station as everyone may see it (no access password).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Station {
    pub id: String,
    /// HJ 212 device code (MN), unique.
    pub mn: String,
    pub name: String,
    pub kind: StationKind,
    /// HJ 212 system code the station sends (ST).
    pub st: String,
    pub region_code: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Accept the byte-swapped CRC-16/MODBUS (and segments over 1024 bytes) some field loggers send.
    pub allow_swapped_crc: bool,
    /// Surface water: `river` or `lake` (lakes and reservoirs have stricter phosphorus limits).
    pub water_body: String,
    /// Surface water: the section's target class 1–5 (水质目标), if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_class: Option<u8>,
    pub active: bool,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_packet_at: Option<i64>,
}

/// What registering a station needs.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStation {
    pub mn: String,
    pub name: String,
    pub kind: StationKind,
    /// Defaults to the kind's usual system code.
    #[serde(default)]
    pub st: Option<String>,
    pub region_code: String,
    pub latitude: f64,
    pub longitude: f64,
    /// The HJ 212 access password (PW) the station sends, 6 characters by the standard.
    pub password: String,
    #[serde(default)]
    pub allow_swapped_crc: bool,
    /// Surface water: `river` (default) or `lake`.
    #[serde(default)]
    pub water_body: Option<String>,
    /// Surface water: target class 1–5.
    #[serde(default)]
    pub target_class: Option<u8>,
}

/// Qinghai's bounding box (WGS84), with a margin: coordinates outside are typos.
const LAT: (f64, f64) = (31.0, 40.0);
const LON: (f64, f64) = (89.0, 104.0);

impl NewStation {
    /// Checks the fields; returns the system code to store.
    pub fn validate(&self) -> Result<String> {
        // HJ 212-2017 Table 3: MN is up to 24 characters (letters and digits).
        let mn_ok =
            (1..=24).contains(&self.mn.len()) && self.mn.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !mn_ok {
            return Err(Error::bad_request(
                "eco.invalid_mn",
                "MN must be 1–24 letters, digits or '_' (HJ 212-2017 Table 3)",
            ));
        }
        let name = self.name.trim().chars().count();
        if !(1..=100).contains(&name) {
            return Err(Error::bad_request("eco.invalid_name", "station names need 1–100 characters"));
        }
        // Table 3: PW is 6 characters; allow up to 32 for devices configured otherwise.
        if !(1..=32).contains(&self.password.len()) || !self.password.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::bad_request(
                "eco.invalid_password",
                "the access password (PW) needs 1–32 printable ASCII characters",
            ));
        }
        let st = self.st.clone().unwrap_or_else(|| self.kind.default_st().to_owned());
        if qy_hj212::system_code(&st).is_none() {
            return Err(Error::bad_request("eco.invalid_st", format!("{st:?} is not an HJ 212 system code (Table 5)")));
        }
        if !matches!(self.water_body.as_deref(), None | Some("river") | Some("lake")) {
            return Err(Error::bad_request("eco.invalid_water_body", "water_body is river or lake"));
        }
        if self.target_class.is_some_and(|c| !(1..=5).contains(&c)) {
            return Err(Error::bad_request("eco.invalid_target_class", "target_class is 1–5 (I–V)"));
        }
        if !(LAT.0..=LAT.1).contains(&self.latitude) || !(LON.0..=LON.1).contains(&self.longitude) {
            return Err(Error::bad_request(
                "eco.outside_qinghai",
                "latitude/longitude are not in Qinghai (WGS84 degrees)",
            ));
        }
        Ok(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new() -> NewStation {
        NewStation {
            mn: "QH6301020001".into(),
            name: "西宁市城东区".into(),
            kind: StationKind::Air,
            st: None,
            region_code: "630102".into(),
            latitude: 36.62,
            longitude: 101.78,
            password: "123456".into(),
            allow_swapped_crc: false,
            water_body: None,
            target_class: None,
        }
    }

    #[test]
    fn a_plausible_station_is_valid_and_gets_its_kinds_system_code() {
        assert_eq!(new().validate().ok().as_deref(), Some("22"));
    }

    #[test]
    fn bad_fields_are_refused_with_their_own_code() {
        let codes: Vec<String> = [
            NewStation { mn: "x".repeat(25), ..new() },
            NewStation { latitude: 10.0, ..new() },
            NewStation { st: Some("00".into()), ..new() },
            NewStation { password: String::new(), ..new() },
        ]
        .iter()
        .map(|s| s.validate().err().map(|e| e.code.into_owned()).unwrap_or_default())
        .collect();
        assert_eq!(codes, ["eco.invalid_mn", "eco.outside_qinghai", "eco.invalid_st", "eco.invalid_password"]);
    }
}
