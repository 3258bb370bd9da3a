//! The simulated station network: 20 named Qinghai sites, then generated stations spread over
//! every county of the province.

use serde::Serialize;

use super::model::mix;

/// What a simulated station measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SimKind {
    /// Ambient air quality station (`ST=22`): the six AQI pollutants plus temperature/humidity.
    Air,
    /// Surface-water quality station on a river or lake section (`ST=21`).
    SurfaceWater,
}

impl SimKind {
    /// The HJ 212 system code `ST` (Table 5): `22` air, `21` surface water.
    #[must_use]
    pub fn st(self) -> &'static str {
        match self {
            Self::Air => "22",
            Self::SurfaceWater => "21",
        }
    }

    /// The digit used in simulated MNs: `2` air, `1` surface water (last digit of `ST`).
    #[must_use]
    pub fn digit(self) -> char {
        match self {
            Self::Air => '2',
            Self::SurfaceWater => '1',
        }
    }
}

/// One simulated data logger.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimStation {
    /// Device identifier `MN`, 24 characters: `QH` + county code + kind digit + 15-digit index.
    pub mn: String,
    /// Access password `PW`, 6 digits.
    pub password: String,
    /// Chinese site name.
    pub name: String,
    /// Air or surface water.
    pub kind: SimKind,
    /// HJ 212 system code: `"22"` air, `"21"` surface water.
    pub st: &'static str,
    /// Administrative code of the Qinghai county/district the station is in.
    pub region_code: String,
    /// WGS-84 latitude, degrees north.
    pub latitude: f64,
    /// WGS-84 longitude, degrees east.
    pub longitude: f64,
    /// Seed of the station's deterministic value model.
    pub seed: u64,
}

/// Bounding box of Qinghai province: latitude (min, max).
pub const QINGHAI_LAT: (f64, f64) = (31.6, 39.2);
/// Bounding box of Qinghai province: longitude (min, max).
pub const QINGHAI_LON: (f64, f64) = (89.4, 103.1);

/// A Qinghai county-level division.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct County {
    /// Administrative code.
    pub code: &'static str,
    /// Chinese name with its prefecture.
    pub name: &'static str,
    /// Latitude of the county seat.
    pub lat: f64,
    /// Longitude of the county seat.
    pub lon: f64,
    /// Altitude of the county seat, metres.
    pub alt: f64,
    /// The river or lake a water station in this county samples.
    pub water: &'static str,
}

const fn c(code: &'static str, name: &'static str, lat: f64, lon: f64, alt: f64, water: &'static str) -> County {
    County { code, name, lat, lon, alt, water }
}

/// The 45 county-level divisions of Qinghai with approximate seat coordinates and altitudes.
pub(crate) const COUNTIES: [County; 45] = [
    c("630102", "西宁市城东区", 36.617, 101.812, 2250.0, "湟水河"),
    c("630103", "西宁市城中区", 36.600, 101.780, 2260.0, "南川河"),
    c("630104", "西宁市城西区", 36.630, 101.745, 2270.0, "湟水河"),
    c("630105", "西宁市城北区", 36.675, 101.760, 2280.0, "北川河"),
    c("630106", "西宁市湟中区", 36.500, 101.570, 2670.0, "湟水河"),
    c("630121", "大通回族土族自治县", 36.930, 101.680, 2450.0, "北川河"),
    c("630123", "湟源县", 36.683, 101.255, 2640.0, "湟水河"),
    c("630202", "海东市乐都区", 36.482, 102.402, 1980.0, "湟水河"),
    c("630203", "海东市平安区", 36.500, 102.105, 2100.0, "湟水河"),
    c("630222", "民和回族土族自治县", 36.320, 102.800, 1800.0, "湟水河"),
    c("630223", "互助土族自治县", 36.840, 101.955, 2450.0, "湟水河"),
    c("630224", "化隆回族自治县", 36.095, 102.265, 2830.0, "黄河"),
    c("630225", "循化撒拉族自治县", 35.850, 102.490, 1880.0, "黄河"),
    c("632221", "门源回族自治县", 37.375, 101.620, 2870.0, "大通河"),
    c("632222", "祁连县", 38.178, 100.250, 2780.0, "黑河"),
    c("632223", "海晏县", 36.955, 100.900, 3000.0, "青海湖"),
    c("632224", "刚察县", 37.325, 100.140, 3300.0, "青海湖"),
    c("632301", "同仁市", 35.516, 102.018, 2480.0, "隆务河"),
    c("632322", "尖扎县", 35.938, 102.032, 2080.0, "黄河"),
    c("632323", "泽库县", 35.036, 101.466, 3650.0, "泽曲"),
    c("632324", "河南蒙古族自治县", 34.734, 101.612, 3600.0, "黄河"),
    c("632521", "共和县", 36.284, 100.620, 2830.0, "黄河"),
    c("632522", "同德县", 35.254, 100.579, 3300.0, "黄河"),
    c("632523", "贵德县", 36.040, 101.433, 2200.0, "黄河"),
    c("632524", "兴海县", 35.589, 99.986, 3300.0, "黄河"),
    c("632525", "贵南县", 35.587, 100.747, 3200.0, "黄河"),
    c("632621", "玛沁县", 34.477, 100.239, 3720.0, "黄河"),
    c("632622", "班玛县", 32.933, 100.737, 3530.0, "玛可河"),
    c("632623", "甘德县", 33.969, 99.901, 4050.0, "黄河"),
    c("632624", "达日县", 33.753, 99.651, 3960.0, "黄河"),
    c("632625", "久治县", 33.430, 101.484, 3630.0, "黄河"),
    c("632626", "玛多县", 34.915, 98.209, 4270.0, "黄河源"),
    c("632701", "玉树市", 33.004, 97.008, 3680.0, "巴塘河"),
    c("632722", "杂多县", 32.893, 95.300, 4070.0, "澜沧江"),
    c("632723", "称多县", 33.369, 97.108, 3680.0, "通天河"),
    c("632724", "治多县", 33.852, 95.613, 4180.0, "通天河"),
    c("632725", "囊谦县", 32.203, 96.480, 3640.0, "澜沧江"),
    c("632726", "曲麻莱县", 34.126, 95.798, 4230.0, "通天河"),
    c("632801", "格尔木市", 36.407, 94.903, 2800.0, "格尔木河"),
    c("632802", "德令哈市", 37.370, 97.365, 2980.0, "巴音河"),
    c("632803", "茫崖市", 38.250, 90.860, 2950.0, "地表水"),
    c("632821", "乌兰县", 36.930, 98.480, 2950.0, "地表水"),
    c("632822", "都兰县", 36.302, 98.095, 3190.0, "察汗乌苏河"),
    c("632823", "天峻县", 37.300, 99.022, 3400.0, "布哈河"),
    c("632857", "大柴旦行政委员会", 37.852, 95.357, 3170.0, "鱼卡河"),
];

/// The county with this administrative code.
pub(crate) fn county(code: &str) -> Option<&'static County> {
    COUNTIES.iter().find(|c| c.code == code)
}

/// The 20 named stations: (name, kind, county code, latitude, longitude).
const NAMED: [(&str, SimKind, &str, f64, f64); 20] = [
    ("西宁市城东区环境监测站", SimKind::Air, "630102", 36.617, 101.812),
    ("西宁市城中区四陆医院", SimKind::Air, "630103", 36.598, 101.783),
    ("西宁市城西区第五水厂", SimKind::Air, "630104", 36.628, 101.742),
    ("西宁市城北区市环境监测站", SimKind::Air, "630105", 36.672, 101.762),
    ("海东市乐都区环境监测站", SimKind::Air, "630202", 36.482, 102.402),
    ("格尔木市环境监测站", SimKind::Air, "632801", 36.407, 94.903),
    ("德令哈市环境监测站", SimKind::Air, "632802", 37.370, 97.365),
    ("玉树市结古镇", SimKind::Air, "632701", 33.004, 97.008),
    ("共和县恰卜恰镇", SimKind::Air, "632521", 36.284, 100.620),
    ("同仁市隆务镇", SimKind::Air, "632301", 35.516, 102.018),
    ("海晏县西海镇(青海湖)", SimKind::Air, "632223", 36.955, 100.900),
    ("玛沁县大武镇", SimKind::Air, "632621", 34.477, 100.239),
    ("湟水河扎马隆断面", SimKind::SurfaceWater, "630106", 36.620, 101.520),
    ("湟水河小峡桥断面", SimKind::SurfaceWater, "630102", 36.548, 101.935),
    ("湟水河民和桥断面", SimKind::SurfaceWater, "630222", 36.322, 102.838),
    ("黄河贵德断面", SimKind::SurfaceWater, "632523", 36.045, 101.430),
    ("黄河循化断面", SimKind::SurfaceWater, "630225", 35.845, 102.480),
    ("长江源通天河治多断面", SimKind::SurfaceWater, "632724", 33.860, 95.600),
    ("长江源通天河曲麻莱断面", SimKind::SurfaceWater, "632726", 34.130, 95.810),
    ("青海湖沙柳河入湖口(刚察)", SimKind::SurfaceWater, "632224", 37.290, 100.150),
];

/// How many named stations [`stations`] starts with.
pub const NAMED_STATIONS: usize = NAMED.len();

fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

fn make(index: usize, name: String, kind: SimKind, region: &str, lat: f64, lon: f64) -> SimStation {
    let seed = mix(0x5148_5349_4D00_0000 ^ index as u64);
    SimStation {
        mn: format!("QH{region}{}{index:015}", kind.digit()),
        password: format!("{:06}", mix(seed ^ 0x7057) % 1_000_000),
        name,
        kind,
        st: kind.st(),
        region_code: region.to_string(),
        latitude: lat,
        longitude: lon,
        seed,
    }
}

/// `n` simulated stations, deterministic: the same `n` always gives the same list, and
/// `stations(n)` is a prefix of `stations(m)` for `n < m`.
///
/// The first 20 are named sites (12 air stations in Xining's four central districts and the
/// prefecture towns, 8 water sections on the 湟水, 黄河, 通天河 and at the 青海湖 inflow); the rest are
/// spread round-robin over all 45 county-level divisions, about one in three a water section,
/// with coordinates jittered around the county seat and kept inside Qinghai.
#[must_use]
pub fn stations(n: usize) -> Vec<SimStation> {
    (0..n).map(station).collect()
}

/// The station at position `index` of [`stations`].
#[must_use]
pub fn station(index: usize) -> SimStation {
    if let Some((name, kind, region, lat, lon)) = NAMED.get(index) {
        return make(index, (*name).to_string(), *kind, region, *lat, *lon);
    }
    let j = index - NAMED.len();
    let round = j / COUNTIES.len();
    let county = COUNTIES[j % COUNTIES.len()];
    let kind = if (j + round) % 3 == 2 { SimKind::SurfaceWater } else { SimKind::Air };
    let h = mix(0x4A49_5454_4552 ^ index as u64);
    let lat = (county.lat + (unit(h) - 0.5) * 0.24).clamp(QINGHAI_LAT.0 + 0.1, QINGHAI_LAT.1 - 0.1);
    let lon = (county.lon + (unit(mix(h)) - 0.5) * 0.30).clamp(QINGHAI_LON.0 + 0.1, QINGHAI_LON.1 - 0.1);
    let no = round + 1;
    let name = match kind {
        SimKind::Air => format!("{}空气自动监测站{no}", county.name),
        SimKind::SurfaceWater => format!("{}{}水质自动站{no}", county.name, county.water),
    };
    make(index, name, kind, county.code, lat, lon)
}
