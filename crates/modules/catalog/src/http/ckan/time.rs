//! Instants as CKAN writes them (`2026-11-20T02:00:00.000000`, UTC without a zone, as CKAN
//! stores them) and as DCAT writes them (RFC 3339), and the instants clients send in
//! `metadata_modified:[… TO *]` and `modified_since`.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::Timestamp;

fn timestamp(ms: i64) -> Timestamp {
    Timestamp::from_millisecond(ms).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// CKAN's `metadata_modified` form: UTC, microseconds, no zone designator.
pub fn ckan(ms: i64) -> String {
    let t = timestamp(ms);
    format!("{}.{:06}", t.strftime("%Y-%m-%dT%H:%M:%S"), ms.rem_euclid(1000) * 1000)
}

/// RFC 3339 in UTC (`2026-11-20T02:00:00Z`).
pub fn rfc3339(ms: i64) -> String {
    timestamp(ms).to_string()
}

/// An instant as clients write one: RFC 3339 with a zone, a date-time without one (read as
/// UTC, as Solr and CKAN do), or a date (its UTC midnight). Epoch milliseconds.
pub fn parse_instant(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t.as_millisecond());
    }
    let utc = |dt: DateTime| TimeZone::UTC.to_timestamp(dt).ok().map(|t| t.as_millisecond());
    if let Ok(dt) = s.parse::<DateTime>() {
        return utc(dt);
    }
    s.parse::<Date>().ok().and_then(|d| utc(d.to_datetime(jiff::civil::Time::midnight())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ckan_form() {
        assert_eq!(ckan(1_795_140_000_000), "2026-11-20T02:00:00.000000");
        assert_eq!(ckan(1_795_140_000_123), "2026-11-20T02:00:00.123000");
        assert_eq!(rfc3339(1_795_140_000_000), "2026-11-20T02:00:00Z");
    }

    #[test]
    fn instants_in_the_forms_clients_send() {
        let t = Some(1_795_140_000_000);
        assert_eq!(parse_instant("2026-11-20T02:00:00Z"), t);
        assert_eq!(parse_instant("2026-11-20T02:00:00.000Z"), t);
        assert_eq!(parse_instant("2026-11-20T10:00:00+08:00"), t);
        assert_eq!(parse_instant("2026-11-20T02:00:00"), t);
        assert_eq!(parse_instant("2026-11-20T02:00:00.000000"), t);
        assert_eq!(parse_instant("2026-11-20"), Some(1_795_132_800_000));
        assert_eq!(parse_instant("NOW-1DAY"), None);
        assert_eq!(parse_instant("2026-13-01"), None);
    }
}
