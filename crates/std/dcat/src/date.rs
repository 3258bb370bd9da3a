//! Type date strings for `dct:issued` / `dct:modified`: DCAT-AP wants `xsd:date` or
//! `xsd:dateTime`, so a value is typed only when it really is one of those.

/// A date value ready to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// `YYYY-MM-DD`, a real calendar date.
    Date(String),
    /// RFC 3339 / ISO 8601 date-time, normalised to the `xsd:dateTime` lexical form (`T`
    /// separator, upper-case `Z`; a missing zone stays missing, which XSD allows).
    DateTime(String),
    /// Anything else, kept verbatim as a plain literal so nothing the caller said is lost.
    Plain(String),
}

/// Classify (and normalise) a caller's date string; `None` when blank.
pub fn date_value(raw: &str) -> Option<DateValue> {
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() == 10 && is_date(s) {
        return Some(DateValue::Date(s.to_owned()));
    }
    Some(match date_time(s) {
        Some(dt) => DateValue::DateTime(dt),
        None => DateValue::Plain(s.to_owned()),
    })
}

/// `YYYY-MM-DD` with month and day in range for that year (year 0000 does not exist in XSD 1.0).
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10])) else {
        return false;
    };
    y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

// `u32::is_multiple_of` needs Rust 1.87; the workspace's rust-version is 1.85.
#[allow(clippy::manual_is_multiple_of)]
fn days_in_month(y: u32, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parse `YYYY-MM-DD(T|t| )hh:mm:ss(.f+)?(Z|z|±hh:mm)?` into the `xsd:dateTime` form.
fn date_time(s: &str) -> Option<String> {
    let date = s.get(0..10)?;
    if !is_date(date) || !matches!(s.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let time = s.get(11..19)?;
    let tb = time.as_bytes();
    if tb.len() != 8 || tb[2] != b':' || tb[5] != b':' {
        return None;
    }
    let (h, mi, se) = (digits(&tb[0..2])?, digits(&tb[3..5])?, digits(&tb[6..8])?);
    // XSD has no leap second and (in 1.0) no 24:00:00.
    if h > 23 || mi > 59 || se > 59 {
        return None;
    }
    let mut rest = &s[19..];
    let mut fraction = "";
    if let Some(after_dot) = rest.strip_prefix('.') {
        let n = after_dot.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        fraction = &rest[..=n];
        rest = &after_dot[n..];
    }
    let zone = match rest {
        "" => String::new(),
        "Z" | "z" => "Z".to_owned(),
        z if is_offset(z) => z.to_owned(),
        _ => return None,
    };
    Some(format!("{date}T{time}{fraction}{zone}"))
}

/// `±hh:mm` within ±14:00.
fn is_offset(z: &str) -> bool {
    let b = z.as_bytes();
    if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
        return false;
    }
    match (digits(&b[1..3]), digits(&b[4..6])) {
        (Some(h), Some(m)) => m <= 59 && (h < 14 || (h == 14 && m == 0)),
        _ => false,
    }
}

/// Up to nine ASCII digits as a number (`None` for anything else, including signs). Works on
/// bytes so that no slice can fall inside a multi-byte character.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> Option<DateValue> {
        Some(DateValue::DateTime(s.to_owned()))
    }

    #[test]
    fn dates() {
        assert_eq!(date_value(" 2024-02-29 "), Some(DateValue::Date("2024-02-29".into())));
        assert_eq!(date_value("2000-02-29"), Some(DateValue::Date("2000-02-29".into())));
        assert_eq!(date_value("1900-02-29"), Some(DateValue::Plain("1900-02-29".into())));
        assert_eq!(date_value("2023-02-29"), Some(DateValue::Plain("2023-02-29".into())));
        assert_eq!(date_value("2024-04-31"), Some(DateValue::Plain("2024-04-31".into())));
        assert_eq!(date_value("2024-13-01"), Some(DateValue::Plain("2024-13-01".into())));
        assert_eq!(date_value("0000-01-01"), Some(DateValue::Plain("0000-01-01".into())));
        assert_eq!(date_value("2024/01/02"), Some(DateValue::Plain("2024/01/02".into())));
        assert_eq!(date_value("2024年1月2日"), Some(DateValue::Plain("2024年1月2日".into())));
        assert_eq!(date_value(""), None);
    }

    #[test]
    fn date_times() {
        assert_eq!(date_value("2024-05-01T08:30:00+08:00"), dt("2024-05-01T08:30:00+08:00"));
        assert_eq!(date_value("2024-05-01t08:30:00z"), dt("2024-05-01T08:30:00Z"));
        assert_eq!(date_value("2024-05-01 08:30:00"), dt("2024-05-01T08:30:00"));
        assert_eq!(date_value("2024-05-01T08:30:00.123456Z"), dt("2024-05-01T08:30:00.123456Z"));
        assert_eq!(date_value("2024-05-01T08:30:00-14:00"), dt("2024-05-01T08:30:00-14:00"));
        for bad in [
            "2024-05-01T24:00:00Z",
            "2024-05-01T08:30:60Z",
            "2024-05-01T08:30Z",
            "2024-05-01T08:30:00.Z",
            "2024-05-01T08:30:00+0800",
            "2024-05-01T08:30:00+14:30",
            "2024-05-01T08:30:00 CST",
            "2024-05-01X08:30:00",
            "2024-05-01T中:30:00",
        ] {
            assert_eq!(date_value(bad), Some(DateValue::Plain(bad.to_owned())), "{bad}");
        }
    }
}
