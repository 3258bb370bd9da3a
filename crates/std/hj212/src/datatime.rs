//! Timestamps: `YYYYMMDDhhmmss` (HJ 212-2017 §6.3.3 Table 4, `DataTime`, `RestartTime`,
//! `SystemTime`, `BeginTime`, `EndTime`, `xxxxxx-SampleTime`) and `YYYYMMDDhhmmsszzz`
//! (Table 3, the request number `QN`, milliseconds).
//!
//! The standard gives no time zone; stations send Beijing time (UTC+8). Values are validated as
//! real Gregorian calendar dates and times (no leap seconds).

use std::fmt;

use serde::{Serialize, Serializer};

/// A validated HJ 212 timestamp, optionally with milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    millis: Option<u16>,
}

/// Why a timestamp was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeError {
    /// Not 14 (or, where allowed, 17) characters.
    Length,
    /// A character that is not an ASCII digit.
    NotDigits,
    /// Year 0000.
    Year,
    /// Month not 01–12.
    Month,
    /// Day not a day of that month.
    Day,
    /// Hour not 00–23.
    Hour,
    /// Minute not 00–59.
    Minute,
    /// Second not 00–59.
    Second,
}

impl TimeError {
    /// Short English reason.
    #[must_use]
    pub fn reason(self) -> &'static str {
        match self {
            Self::Length => "expected YYYYMMDDhhmmss (14 digits) or YYYYMMDDhhmmsszzz (17 digits)",
            Self::NotDigits => "not all digits",
            Self::Year => "year 0000",
            Self::Month => "month not 01-12",
            Self::Day => "day not in that month",
            Self::Hour => "hour not 00-23",
            Self::Minute => "minute not 00-59",
            Self::Second => "second not 00-59",
        }
    }
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.reason())
    }
}

// `u16::is_multiple_of` needs Rust 1.87; the workspace's rust-version is 1.85.
#[allow(clippy::manual_is_multiple_of)]
fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Decimal value of a run of ASCII digits (caller guarantees digits, ≤ 4 of them).
fn num(digits: &[u8]) -> u16 {
    digits.iter().fold(0u16, |acc, &b| acc * 10 + u16::from(b - b'0'))
}

impl DataTime {
    /// Build from parts, validating the calendar.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
        millis: Option<u16>,
    ) -> Result<Self, TimeError> {
        if year == 0 || year > 9999 {
            return Err(TimeError::Year);
        }
        if !(1..=12).contains(&month) {
            return Err(TimeError::Month);
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(TimeError::Day);
        }
        if hour > 23 {
            return Err(TimeError::Hour);
        }
        if minute > 59 {
            return Err(TimeError::Minute);
        }
        if second > 59 {
            return Err(TimeError::Second);
        }
        if millis.is_some_and(|m| m > 999) {
            return Err(TimeError::Length);
        }
        Ok(Self { year, month, day, hour, minute, second, millis })
    }

    /// Parse `YYYYMMDDhhmmss` or `YYYYMMDDhhmmsszzz`.
    ///
    /// ```
    /// use qy_hj212::DataTime;
    /// let t = DataTime::parse("20160801085857223").unwrap();
    /// assert_eq!(t.millis(), Some(223));
    /// assert!(DataTime::parse("20230229000000").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, TimeError> {
        let b = text.as_bytes();
        if b.len() != 14 && b.len() != 17 {
            return Err(TimeError::Length);
        }
        if !b.iter().all(u8::is_ascii_digit) {
            return Err(TimeError::NotDigits);
        }
        let part = |from: usize, to: usize| b.get(from..to).map_or(0, num);
        let small = |from: usize| u8::try_from(part(from, from + 2)).unwrap_or(u8::MAX);
        let millis = (b.len() == 17).then(|| part(14, 17));
        Self::new(part(0, 4), small(4), small(6), small(8), small(10), small(12), millis)
    }

    /// Parse exactly `YYYYMMDDhhmmss` (no milliseconds).
    pub fn parse_seconds(text: &str) -> Result<Self, TimeError> {
        if text.len() != 14 {
            return Err(TimeError::Length);
        }
        Self::parse(text)
    }

    /// Year (1–9999).
    #[must_use]
    pub fn year(&self) -> u16 {
        self.year
    }
    /// Month (1–12).
    #[must_use]
    pub fn month(&self) -> u8 {
        self.month
    }
    /// Day of month (1–31).
    #[must_use]
    pub fn day(&self) -> u8 {
        self.day
    }
    /// Hour (0–23).
    #[must_use]
    pub fn hour(&self) -> u8 {
        self.hour
    }
    /// Minute (0–59).
    #[must_use]
    pub fn minute(&self) -> u8 {
        self.minute
    }
    /// Second (0–59).
    #[must_use]
    pub fn second(&self) -> u8 {
        self.second
    }
    /// Milliseconds, when the text had 17 digits.
    #[must_use]
    pub fn millis(&self) -> Option<u16> {
        self.millis
    }

    /// The same instant without the milliseconds part.
    #[must_use]
    pub fn without_millis(self) -> Self {
        Self { millis: None, ..self }
    }

    /// ISO 8601 with the Beijing offset, e.g. `2022-05-13T16:26:00+08:00`
    /// (`…00.370+08:00` with milliseconds).
    #[must_use]
    pub fn to_iso8601(&self) -> String {
        let ms = self.millis.map(|m| format!(".{m:03}")).unwrap_or_default();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{ms}+08:00",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

/// The wire form: 14 digits, or 17 with milliseconds.
impl fmt::Display for DataTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if let Some(ms) = self.millis {
            write!(f, "{ms:03}")?;
        }
        Ok(())
    }
}

impl Serialize for DataTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let t = DataTime::parse("20220513162600").unwrap();
        assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute(), t.second()), (2022, 5, 13, 16, 26, 0));
        assert_eq!(t.millis(), None);
        assert_eq!(t.to_string(), "20220513162600");
        assert_eq!(t.to_iso8601(), "2022-05-13T16:26:00+08:00");
        let q = DataTime::parse("20160824003817000").unwrap();
        assert_eq!(q.millis(), Some(0));
        assert_eq!(q.to_string(), "20160824003817000");
        assert_eq!(q.to_iso8601(), "2016-08-24T00:38:17.000+08:00");
        assert_eq!(q.without_millis().to_string(), "20160824003817");
    }

    #[test]
    fn calendar_is_validated() {
        assert!(DataTime::parse("20240229235959").is_ok());
        assert!(DataTime::parse("20000229000000").is_ok());
        assert_eq!(DataTime::parse("19000229000000"), Err(TimeError::Day));
        assert_eq!(DataTime::parse("20230229000000"), Err(TimeError::Day));
        assert_eq!(DataTime::parse("20231301000000"), Err(TimeError::Month));
        assert_eq!(DataTime::parse("20230431000000"), Err(TimeError::Day));
        assert_eq!(DataTime::parse("20230101240000"), Err(TimeError::Hour));
        assert_eq!(DataTime::parse("20230101006000"), Err(TimeError::Minute));
        assert_eq!(DataTime::parse("20230101000060"), Err(TimeError::Second));
        assert_eq!(DataTime::parse("00000101000000"), Err(TimeError::Year));
        assert_eq!(DataTime::parse("2023010100000"), Err(TimeError::Length));
        assert_eq!(DataTime::parse("2023-01-01 000"), Err(TimeError::NotDigits));
        assert_eq!(DataTime::parse("２０２３０１０１"), Err(TimeError::Length));
        assert_eq!(DataTime::parse_seconds("20160824003817000"), Err(TimeError::Length));
    }
}
