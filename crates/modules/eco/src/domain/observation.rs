//! Observations taken from HJ 212 data uploads.

use qy_hj212::{Cp, Packet, Suffix};
use serde::Serialize;
use utoipa::ToSchema;

/// The averaging period of an upload, from its command code (HJ 212-2017 Table 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// 2011: real-time values (`-Rtd`).
    Rtd,
    /// 2051: minute data (`-Avg`).
    Minute,
    /// 2061: hourly data.
    Hour,
    /// 2031: daily data.
    Day,
}

impl Period {
    pub fn from_cn(cn: &str) -> Option<Self> {
        Some(match cn {
            "2011" => Self::Rtd,
            "2051" => Self::Minute,
            "2061" => Self::Hour,
            "2031" => Self::Day,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rtd => "rtd",
            Self::Minute => "minute",
            Self::Hour => "hour",
            Self::Day => "day",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "rtd" => Self::Rtd,
            "minute" => Self::Minute,
            "hour" => Self::Hour,
            "day" => Self::Day,
            _ => return None,
        })
    }
}

/// One value of one factor.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Observation {
    pub factor: String,
    pub period: Period,
    /// Start of the period (or the sample instant for real-time data), epoch ms UTC.
    pub time_ms: i64,
    /// Exact decimal text as the station sent it.
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<String>,
    /// HJ 212 data flag (N normal, F stopped, M maintenance, S manual, D fault, C calibration,
    /// T over range, B communication failure); `N` when the station sent none.
    pub flag: String,
}

/// What a data upload yields, or why it yields nothing.
#[derive(Debug, PartialEq)]
pub enum Extracted {
    Observations {
        period: Period,
        items: Vec<Observation>,
    },
    /// Not a data upload (e.g. a time-calibration request).
    NotData,
    /// A data upload without `DataTime`: HJ 212-2017 §6.3.3 makes it mandatory.
    MissingDataTime,
}

/// HJ 212 times are Beijing time (UTC+8; China has no daylight saving since 1991).
const BEIJING_OFFSET_MS: i64 = 8 * 3_600_000;

/// `DataTime` (Beijing time) → epoch ms UTC.
pub fn data_time_ms(cp: &Cp) -> Option<i64> {
    let t = cp.data_time.as_ref()?;
    let days = days_from_civil(i64::from(t.year()), u32::from(t.month()), u32::from(t.day()));
    let secs = days * 86_400 + i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second());
    Some(secs * 1000 + i64::from(t.millis().unwrap_or(0)) - BEIJING_OFFSET_MS)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Takes the observations out of a data upload.
pub fn extract(packet: &Packet, cp: &Cp) -> Extracted {
    let Some(period) = Period::from_cn(&packet.cn) else { return Extracted::NotData };
    let Some(time_ms) = data_time_ms(cp) else { return Extracted::MissingDataTime };
    let main = if period == Period::Rtd { Suffix::Rtd } else { Suffix::Avg };
    let items = cp
        .factors
        .iter()
        .filter_map(|(code, v)| {
            let value = v.get(main).or_else(|| v.get(Suffix::Rtd)).or_else(|| v.get(Suffix::Avg))?;
            // Only numbers become observations; the decimal check is the crate's.
            v.decimal(main).or_else(|| v.rtd_decimal()).or_else(|| v.avg_decimal())?;
            Some(Observation {
                factor: code.clone(),
                period,
                time_ms,
                value: value.to_owned(),
                min: v.get(Suffix::Min).map(str::to_owned),
                max: v.get(Suffix::Max).map(str::to_owned),
                flag: v.get(Suffix::Flag).map(str::to_owned).unwrap_or_else(|| "N".to_owned()),
            })
        })
        .collect();
    Extracted::Observations { period, items }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packet(text: &str) -> Packet {
        qy_hj212::parse_packet(qy_hj212::encode_frame(text).as_bytes(), qy_hj212::FrameOptions::STRICT)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn hourly_upload_becomes_hour_observations_at_beijing_time() {
        let p = packet("QN=20260115100000000;ST=22;CN=2061;PW=123456;MN=QH1;Flag=5;CP=&&DataTime=20260115090000;a34004-Avg=75,a34004-Min=60,a34004-Max=90,a34004-Flag=N;a21005-Avg=1.234&&");
        let Extracted::Observations { period, items } = extract(&p, &p.cp) else { panic!("not data") };
        assert_eq!(period, Period::Hour);
        // 2026-01-15 09:00 Beijing = 01:00 UTC.
        assert_eq!(items[0].time_ms, 1_768_438_800_000);
        let pm = items.iter().find(|o| o.factor == "a34004").unwrap_or_else(|| panic!("pm2.5"));
        assert_eq!((pm.value.as_str(), pm.min.as_deref(), pm.flag.as_str()), ("75", Some("60"), "N"));
        let co = items.iter().find(|o| o.factor == "a21005").unwrap_or_else(|| panic!("co"));
        assert_eq!((co.value.as_str(), co.flag.as_str()), ("1.234", "N"));
    }

    #[test]
    fn non_data_commands_and_missing_data_time_are_told_apart() {
        let p = packet("QN=20260115100000000;ST=22;CN=1013;PW=123456;MN=QH1;Flag=5;CP=&&&&");
        assert_eq!(extract(&p, &p.cp), Extracted::NotData);
        let p = packet("QN=20260115100000000;ST=22;CN=2011;PW=123456;MN=QH1;Flag=5;CP=&&a34004-Rtd=5&&");
        assert_eq!(extract(&p, &p.cp), Extracted::MissingDataTime);
    }
}
