//! How Qingyun's stations, factors and observations appear as SensorThings entities: the
//! entity sets, their ids, properties and relations, and the JSON of each entity. The SQL
//! translation of filters (`store::sta`) builds its derived texts from the same functions
//! here, so that filtering on a property matches what is shown.

use serde_json::{json, Map, Value};

use crate::domain::observation::Period;
use crate::domain::station::Station;
use crate::store::sta::{DsRow, ObsRow};

use super::filter::format_time;

pub const OM_MEASUREMENT: &str = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement";
pub const GEO_JSON: &str = "application/geo+json";
pub const FACTOR_URN: &str = "urn:hj212:factor:";
pub const SENSOR_ENCODING: &str = "text/plain";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Things,
    Locations,
    HistoricalLocations,
    Datastreams,
    Sensors,
    ObservedProperties,
    Observations,
    FeaturesOfInterest,
}

/// A navigation property: its name, the set it leads to, and whether it is a collection.
pub struct Nav {
    pub name: &'static str,
    pub target: Set,
    pub many: bool,
}

const fn nav(name: &'static str, target: Set, many: bool) -> Nav {
    Nav { name, target, many }
}

impl Set {
    pub const ALL: [Set; 8] = [
        Set::Things,
        Set::Locations,
        Set::HistoricalLocations,
        Set::Datastreams,
        Set::Sensors,
        Set::ObservedProperties,
        Set::Observations,
        Set::FeaturesOfInterest,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Set::Things => "Things",
            Set::Locations => "Locations",
            Set::HistoricalLocations => "HistoricalLocations",
            Set::Datastreams => "Datastreams",
            Set::Sensors => "Sensors",
            Set::ObservedProperties => "ObservedProperties",
            Set::Observations => "Observations",
            Set::FeaturesOfInterest => "FeaturesOfInterest",
        }
    }

    pub fn parse(s: &str) -> Option<Set> {
        Set::ALL.into_iter().find(|set| set.name() == s)
    }

    /// The entity's own properties (besides `@iot.id`).
    pub fn properties(self) -> &'static [&'static str] {
        match self {
            Set::Things => &["name", "description", "properties"],
            Set::Locations => &["name", "description", "encodingType", "location", "properties"],
            Set::HistoricalLocations => &["time"],
            Set::Datastreams => &[
                "name",
                "description",
                "unitOfMeasurement",
                "observationType",
                "observedArea",
                "phenomenonTime",
                "resultTime",
                "properties",
            ],
            Set::Sensors => &["name", "description", "encodingType", "metadata", "properties"],
            Set::ObservedProperties => &["name", "definition", "description", "properties"],
            Set::Observations => {
                &["phenomenonTime", "result", "resultTime", "resultQuality", "validTime", "parameters"]
            }
            Set::FeaturesOfInterest => &["name", "description", "encodingType", "feature", "properties"],
        }
    }

    pub fn navs(self) -> &'static [Nav] {
        const THING: &[Nav] = &[
            nav("Locations", Set::Locations, true),
            nav("HistoricalLocations", Set::HistoricalLocations, true),
            nav("Datastreams", Set::Datastreams, true),
        ];
        const LOCATION: &[Nav] =
            &[nav("Things", Set::Things, true), nav("HistoricalLocations", Set::HistoricalLocations, true)];
        const HISTORICAL: &[Nav] = &[nav("Thing", Set::Things, false), nav("Locations", Set::Locations, true)];
        const DATASTREAM: &[Nav] = &[
            nav("Thing", Set::Things, false),
            nav("Sensor", Set::Sensors, false),
            nav("ObservedProperty", Set::ObservedProperties, false),
            nav("Observations", Set::Observations, true),
        ];
        const SENSOR: &[Nav] = &[nav("Datastreams", Set::Datastreams, true)];
        const OBSERVATION: &[Nav] =
            &[nav("Datastream", Set::Datastreams, false), nav("FeatureOfInterest", Set::FeaturesOfInterest, false)];
        const FOI: &[Nav] = &[nav("Observations", Set::Observations, true)];
        match self {
            Set::Things => THING,
            Set::Locations => LOCATION,
            Set::HistoricalLocations => HISTORICAL,
            Set::Datastreams => DATASTREAM,
            Set::Sensors | Set::ObservedProperties => SENSOR,
            Set::Observations => OBSERVATION,
            Set::FeaturesOfInterest => FOI,
        }
    }

    pub fn nav(self, name: &str) -> Option<&'static Nav> {
        self.navs().iter().find(|n| n.name == name)
    }

    /// Entity sets backed by station rows.
    pub fn is_station(self) -> bool {
        matches!(self, Set::Things | Set::Locations | Set::HistoricalLocations | Set::FeaturesOfInterest)
    }
}

// ---- ids ----------------------------------------------------------------------------------

/// A datastream: station × factor × period. Id `{station}~{factor}~{period}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DsKey {
    pub station_id: String,
    pub factor: String,
    pub period: Period,
}

impl DsKey {
    pub fn id(&self) -> String {
        format!("{}~{}~{}", self.station_id, self.factor, self.period.as_str())
    }
    pub fn parse(id: &str) -> Option<DsKey> {
        let mut it = id.split('~');
        let (s, f, p) = (it.next()?, it.next()?, it.next()?);
        if it.next().is_some() || !valid_station_id(s) || !valid_factor(f) {
            return None;
        }
        Some(DsKey { station_id: s.to_owned(), factor: f.to_owned(), period: Period::parse(p)? })
    }
}

/// An observation: its datastream and the start of its period. Id `{datastream id}~{epoch ms}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObsKey {
    pub ds: DsKey,
    pub time_ms: i64,
}

impl ObsKey {
    pub fn id(&self) -> String {
        format!("{}~{}", self.ds.id(), self.time_ms)
    }
    pub fn parse(id: &str) -> Option<ObsKey> {
        let (ds, t) = id.rsplit_once('~')?;
        if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return None;
        }
        Some(ObsKey { ds: DsKey::parse(ds)?, time_ms: t.parse().ok()? })
    }
}

pub fn valid_station_id(s: &str) -> bool {
    (1..=64).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// HJ 212 factor codes are short letters and digits (`a34004`, `w01018`, `a0502401`).
pub fn valid_factor(f: &str) -> bool {
    (1..=16).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_alphanumeric())
}

// ---- derived texts (shared with the SQL translation) -----------------------------------------

/// Station kinds: (kind, Thing description prefix, Sensor name, Sensor description, system code).
pub const KINDS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "air",
        "Ambient air quality monitoring station",
        "Ambient air quality analysers",
        "Automatic analysers of an ambient air quality monitoring station (HJ 654 / HJ 193), reporting over HJ 212",
        "22",
    ),
    (
        "surface_water",
        "Surface water quality monitoring station",
        "Surface water quality analysers",
        "Automatic analysers of a surface water quality monitoring station (HJ 915), reporting over HJ 212",
        "21",
    ),
    (
        "pollution_source",
        "Pollution source monitoring station",
        "Pollution source CEMS",
        "Continuous emission monitoring system of a pollution source (HJ 75 / HJ 353), reporting over HJ 212",
        "32",
    ),
];

pub fn kind_row(kind: &str) -> Option<&'static (&'static str, &'static str, &'static str, &'static str, &'static str)> {
    KINDS.iter().find(|k| k.0 == kind)
}

/// `, HJ 212 MN ` joins the kind prefix and the MN in a Thing's description.
pub const THING_DESC_MN: &str = ", HJ 212 MN ";
pub const LOCATION_DESC: &str = "Location of ";
pub const FOI_DESC: &str = "Monitoring site of ";

pub fn period_label(p: &str) -> &'static str {
    match p {
        "rtd" => "Real-time values",
        "minute" => "Minute averages",
        "hour" => "Hourly averages",
        "day" => "Daily averages",
        _ => "Values",
    }
}

/// Length of a period for the phenomenonTime interval; 0 for instants. Minute data covers the
/// station's `MinInterval`, which the platform does not record, so it is shown as an instant.
pub fn period_ms(p: &str) -> i64 {
    match p {
        "hour" => 3_600_000,
        "day" => 86_400_000,
        _ => 0,
    }
}

/// The HJ 212 command code of an upload of this period.
pub fn period_cn(p: Period) -> &'static str {
    match p {
        Period::Rtd => "2011",
        Period::Minute => "2051",
        Period::Hour => "2061",
        Period::Day => "2031",
    }
}

pub fn factor_entry(code: &str) -> Option<&'static qy_hj212::FactorCode> {
    qy_hj212::FACTOR_CODES.iter().find(|f| f.code == code)
}

/// ObservedProperty name: the English name from the catalogue, else the code.
pub fn op_name(code: &str) -> String {
    factor_entry(code).map(|f| f.name_en.to_owned()).unwrap_or_else(|| code.to_owned())
}

pub const OP_DESC_UNKNOWN: &str = "HJ 212 factor code not in the platform catalogue: ";

pub fn op_description(code: &str) -> String {
    match factor_entry(code) {
        Some(f) => format!("{} ({}), HJ 212-2017 Appendix B factor {}", f.name_zh, f.name_en, f.code),
        None => format!("{OP_DESC_UNKNOWN}{code}"),
    }
}

/// unitOfMeasurement {name, symbol, definition} of a factor, from the catalogue's unit.
pub fn unit_of(code: &str) -> (Option<&'static str>, Option<&'static str>, Option<&'static str>) {
    let Some(symbol) = factor_entry(code).and_then(|f| f.unit) else { return (None, None, None) };
    let (name, definition) = match symbol {
        "µg/m³" => ("microgram per cubic metre", "http://unitsofmeasure.org/ucum.html#ug/m3"),
        "mg/m³" => ("milligram per cubic metre", "http://unitsofmeasure.org/ucum.html#mg/m3"),
        "mg/L" => ("milligram per litre", "http://unitsofmeasure.org/ucum.html#mg/L"),
        "°C" => ("degree Celsius", "http://unitsofmeasure.org/ucum.html#Cel"),
        "%" => ("percent", "http://unitsofmeasure.org/ucum.html#%25"),
        "kPa" => ("kilopascal", "http://unitsofmeasure.org/ucum.html#kPa"),
        "m/s" => ("metre per second", "http://unitsofmeasure.org/ucum.html#m/s"),
        "°" => ("degree (angle)", "http://unitsofmeasure.org/ucum.html#deg"),
        "µS/cm" => ("microsiemens per centimetre", "http://unitsofmeasure.org/ucum.html#uS/cm"),
        "L/s" => ("litre per second", "http://unitsofmeasure.org/ucum.html#L/s"),
        "count/L" => ("count per litre", "http://unitsofmeasure.org/ucum.html#/L"),
        "dimensionless" => ("pH (dimensionless)", "http://unitsofmeasure.org/ucum.html#[pH]"),
        _ => ("", ""),
    };
    (Some(name).filter(|n| !n.is_empty()), Some(symbol), Some(definition).filter(|d| !d.is_empty()))
}

pub fn datastream_name(station_name: &str, factor: &str, period: &str) -> String {
    format!("{station_name} · {} · {period}", op_name(factor))
}

pub fn datastream_description(station_name: &str, factor: &str, period: &str) -> String {
    format!("{} of {} at {station_name}", period_label(period), op_name(factor))
}

// ---- JSON -----------------------------------------------------------------------------------

pub fn quote_id(id: &str) -> String {
    format!("'{}'", id.replace('\'', "''"))
}

pub fn self_link(base: &str, set: Set, id: &str) -> String {
    format!("{base}/{}({})", set.name(), quote_id(id))
}

/// The self link of an entity created through the API (numeric id, unquoted).
pub fn native_link(base: &str, set: Set, id: i64) -> String {
    format!("{base}/{}({id})", set.name())
}

fn point(s: &Station) -> Value {
    json!({"type": "Point", "coordinates": [s.longitude, s.latitude]})
}

/// The properties of a station-backed entity.
pub fn station_entity(set: Set, s: &Station) -> Map<String, Value> {
    let v = match set {
        Set::Things => {
            let prefix = kind_row(s.kind.as_str()).map(|k| k.1).unwrap_or("Monitoring station");
            json!({
                "name": s.name,
                "description": format!("{prefix}{THING_DESC_MN}{}", s.mn),
                "properties": {"mn": s.mn, "kind": s.kind.as_str(), "st": s.st, "region_code": s.region_code,
                               "active": s.active},
            })
        }
        Set::Locations => json!({
            "name": s.name,
            "description": format!("{LOCATION_DESC}{}", s.name),
            "encodingType": GEO_JSON,
            "location": point(s),
        }),
        Set::HistoricalLocations => json!({"time": format_time(s.created_at)}),
        _ => json!({
            "name": s.name,
            "description": format!("{FOI_DESC}{}", s.name),
            "encodingType": GEO_JSON,
            "feature": point(s),
        }),
    };
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn datastream_entity(d: &DsRow) -> Map<String, Value> {
    let (name, symbol, definition) = unit_of(&d.factor);
    let len = period_ms(&d.period);
    let mut m = json!({
        "name": datastream_name(&d.station.name, &d.factor, &d.period),
        "description": datastream_description(&d.station.name, &d.factor, &d.period),
        "unitOfMeasurement": {"name": name, "symbol": symbol, "definition": definition},
        "observationType": OM_MEASUREMENT,
        "observedArea": point(&d.station),
        "properties": {"station_id": d.station.id, "factor": d.factor, "period": d.period},
    });
    if let (Some(first), Some(o)) = (d.first_ms, m.as_object_mut()) {
        o.insert("phenomenonTime".into(), json!(format!("{}/{}", format_time(first), format_time(d.last_ms + len))));
    }
    match m {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

pub fn sensor_entity(kind: &str) -> Option<Map<String, Value>> {
    let k = kind_row(kind)?;
    match json!({
        "name": k.2, "description": k.3, "encodingType": SENSOR_ENCODING,
        "metadata": format!("HJ 212-2017 data logger, system code (ST) {}", k.4),
        "properties": {"kind": k.0, "system_code": k.4},
    }) {
        Value::Object(m) => Some(m),
        _ => None,
    }
}

pub fn observed_property_entity(code: &str) -> Map<String, Value> {
    let f = factor_entry(code);
    let v = json!({
        "name": op_name(code),
        "definition": format!("{FACTOR_URN}{code}"),
        "description": op_description(code),
        "properties": {"code": code, "name_zh": f.map(|f| f.name_zh), "name_en": f.map(|f| f.name_en),
                       "unit": f.and_then(|f| f.unit)},
    });
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

/// A decimal text as a JSON number without losing digits: exact through f64 when that keeps
/// the value, otherwise marked for [`super::Json`] to splice in verbatim.
pub fn decimal_json(text: &str, raw: &mut Vec<String>) -> Value {
    if let Ok(i) = text.parse::<i64>() {
        return json!(i);
    }
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() && same_decimal(text, &format!("{f}")) => json!(f),
        Ok(_) if is_decimal(text) => {
            raw.push(text.to_owned());
            Value::String(format!("{}{}", super::RAW_MARK, raw.len() - 1))
        }
        _ => Value::String(text.to_owned()),
    }
}

pub fn is_decimal(t: &str) -> bool {
    let t = t.strip_prefix('-').unwrap_or(t);
    let (a, b) = t.split_once('.').unwrap_or((t, ""));
    !a.is_empty() && a.bytes().all(|c| c.is_ascii_digit()) && b.bytes().all(|c| c.is_ascii_digit())
}

/// Do two decimal texts denote the same number (leading/trailing zeros aside)?
fn same_decimal(a: &str, b: &str) -> bool {
    fn norm(t: &str) -> Option<(bool, String, String)> {
        let neg = t.starts_with('-');
        let t = t.trim_start_matches('-');
        if !is_decimal(t) {
            return None;
        }
        let (i, f) = t.split_once('.').unwrap_or((t, ""));
        let i = i.trim_start_matches('0').to_owned();
        let f = f.trim_end_matches('0').to_owned();
        let zero = i.is_empty() && f.is_empty();
        Some((neg && !zero, i, f))
    }
    matches!((norm(a), norm(b)), (Some(x), Some(y)) if x == y)
}

pub fn observation_entity(o: &ObsRow, raw: &mut Vec<String>) -> Map<String, Value> {
    let len = period_ms(&o.period);
    let phenomenon = if len == 0 {
        format_time(o.time_ms)
    } else {
        format!("{}/{}", format_time(o.time_ms), format_time(o.time_ms + len))
    };
    let mut params = Map::new();
    params.insert("period".into(), json!(o.period));
    if let Some(min) = &o.min {
        params.insert("min".into(), decimal_json(min, raw));
    }
    if let Some(max) = &o.max {
        params.insert("max".into(), decimal_json(max, raw));
    }
    let mut m = Map::new();
    m.insert("phenomenonTime".into(), json!(phenomenon));
    m.insert("result".into(), decimal_json(&o.value, raw));
    m.insert("resultTime".into(), json!(format_time(o.received_at)));
    m.insert("resultQuality".into(), json!(o.flag));
    m.insert("parameters".into(), Value::Object(params));
    m
}

pub fn observation_key(o: &ObsRow) -> Option<ObsKey> {
    Some(ObsKey {
        ds: DsKey { station_id: o.station_id.clone(), factor: o.factor.clone(), period: Period::parse(&o.period)? },
        time_ms: o.time_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_junk() {
        let k = ObsKey {
            ds: DsKey { station_id: "0190-ab".into(), factor: "a34004".into(), period: Period::Hour },
            time_ms: 1_768_438_800_000,
        };
        assert_eq!(k.id(), "0190-ab~a34004~hour~1768438800000");
        assert_eq!(ObsKey::parse(&k.id()), Some(k.clone()));
        assert_eq!(DsKey::parse(&k.ds.id()), Some(k.ds));
        for bad in ["", "~~", "a~b", "x~a34004~week", "x~a3'4~hour", "x~a34004~hour~", "x~a34004~hour~1~2"] {
            assert!(DsKey::parse(bad).is_none() || ObsKey::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn decimals_stay_exact() {
        let mut raw = Vec::new();
        assert_eq!(decimal_json("75", &mut raw), json!(75));
        assert_eq!(decimal_json("1.234", &mut raw), json!(1.234));
        assert_eq!(decimal_json("0.10", &mut raw), json!(0.1));
        assert!(raw.is_empty());
        let long = decimal_json("12345678901234.567", &mut raw);
        assert_eq!(raw, ["12345678901234.567"]);
        assert!(long.as_str().is_some_and(|s| s.starts_with(crate::sta::RAW_MARK)));
    }
}
