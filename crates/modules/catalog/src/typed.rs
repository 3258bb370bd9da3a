//! Values of uploaded data checked against their 信息项's data type and normalised for
//! storage: dates as `YYYY-MM-DD`, date-times as `YYYY-MM-DDTHH:MM:SS`, decimals kept exact as
//! text, logicals as 0/1.

use crate::domain::DataType;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
}

impl Value {
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => {
                serde_json::Number::from_f64(*f).map_or(serde_json::Value::Null, serde_json::Value::Number)
            }
        }
    }
}

/// Why a value does not fit its type: a stable code and an English sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub code: &'static str,
    pub detail: String,
}

fn invalid(code: &'static str, detail: String) -> Invalid {
    Invalid { code, detail }
}

/// A decimal written the usual way: optional sign, digits, optional fraction; thousands
/// separators removed.
fn decimal(raw: &str, max_places: Option<usize>) -> Option<String> {
    let s: String = raw.chars().filter(|c| *c != ',' && *c != '，').collect();
    let body = s.strip_prefix('-').unwrap_or(&s);
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let ok = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (!body.contains('.') || !frac.is_empty())
        && max_places.is_none_or(|m| frac.len() <= m);
    ok.then_some(s)
}

fn date(raw: &str) -> Option<String> {
    let t = raw.trim().replace(['年', '月', '/', '.'], "-").replace('日', "");
    let (y, m, d) = if t.len() == 8 && t.bytes().all(|b| b.is_ascii_digit()) {
        (t.get(..4)?.parse::<i32>().ok()?, t.get(4..6)?.parse::<u32>().ok()?, t.get(6..)?.parse::<u32>().ok()?)
    } else {
        let mut parts = t.split('-');
        let y = parts.next()?.parse::<i32>().ok()?;
        let m = parts.next()?.parse::<u32>().ok()?;
        let d = parts.next()?.parse::<u32>().ok()?;
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn datetime(raw: &str) -> Option<String> {
    let t = raw.trim();
    let (d, rest) = t.split_once(['T', ' ']).unwrap_or((t, "00:00:00"));
    let d = date(d)?;
    // Offsets are dropped: the catalog's times are Beijing time (as published by departments).
    let time = rest.split(['+', 'Z']).next().unwrap_or("").trim();
    let mut parts = time.split(':');
    let h = parts.next()?.parse::<u32>().ok()?;
    let mi = parts.next().unwrap_or("0").parse::<u32>().ok()?;
    let s = parts.next().unwrap_or("0").split('.').next().unwrap_or("0").parse::<u32>().ok()?;
    (h < 24 && mi < 60 && s < 60).then(|| format!("{d}T{h:02}:{mi:02}:{s:02}"))
}

/// Checks one cell. An empty cell is `Null` (callers refuse it for key items).
pub fn check(t: DataType, length: Option<u32>, raw: &str) -> Result<Value, Invalid> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(Value::Null);
    }
    match t {
        DataType::C | DataType::M | DataType::G => {
            let n = raw.chars().count();
            match length {
                Some(max) if n > max as usize => {
                    Err(invalid("catalog.value_too_long", format!("{n} characters, at most {max}")))
                }
                _ => Ok(Value::Text(raw.to_owned())),
            }
        }
        DataType::N => decimal(raw, None)
            .map(Value::Text)
            .ok_or_else(|| invalid("catalog.not_a_number", format!("{raw:?} is not a number"))),
        DataType::Y => decimal(raw, Some(4))
            .map(Value::Text)
            .ok_or_else(|| invalid("catalog.not_an_amount", format!("{raw:?} is not an amount (at most 4 decimals)"))),
        DataType::D => {
            date(raw).map(Value::Text).ok_or_else(|| invalid("catalog.not_a_date", format!("{raw:?} is not a date")))
        }
        DataType::T => datetime(raw)
            .map(Value::Text)
            .ok_or_else(|| invalid("catalog.not_a_datetime", format!("{raw:?} is not a date and time"))),
        DataType::L => match raw.to_lowercase().as_str() {
            "1" | "true" | "t" | "y" | "yes" | "是" => Ok(Value::Int(1)),
            "0" | "false" | "f" | "n" | "no" | "否" => Ok(Value::Int(0)),
            _ => Err(invalid("catalog.not_a_logical", format!("{raw:?} is not 是/否 or true/false"))),
        },
        DataType::I => raw
            .replace([',', '，'], "")
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| invalid("catalog.not_an_integer", format!("{raw:?} is not an integer"))),
        DataType::B | DataType::F => match raw.replace([',', '，'], "").parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::Float(f)),
            _ => Err(invalid("catalog.not_a_number", format!("{raw:?} is not a number"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_checked_and_normalised() {
        assert_eq!(check(DataType::D, None, "2026/3/1"), Ok(Value::Text("2026-03-01".into())));
        assert_eq!(check(DataType::D, None, "2026年3月1日"), Ok(Value::Text("2026-03-01".into())));
        assert!(check(DataType::D, None, "2026-02-30").is_err());
        assert_eq!(check(DataType::T, None, "2026-03-01 08:05"), Ok(Value::Text("2026-03-01T08:05:00".into())));
        assert_eq!(
            check(DataType::T, None, "2026-03-01T08:05:09+08:00"),
            Ok(Value::Text("2026-03-01T08:05:09".into()))
        );
        assert_eq!(check(DataType::N, None, "1,234.50"), Ok(Value::Text("1234.50".into())));
        assert!(check(DataType::N, None, "12a").is_err());
        assert!(check(DataType::N, None, "1.").is_err());
        assert!(check(DataType::Y, None, "1.23456").is_err());
        assert_eq!(check(DataType::I, None, "42"), Ok(Value::Int(42)));
        assert!(check(DataType::I, None, "4.2").is_err());
        assert_eq!(check(DataType::L, None, "是"), Ok(Value::Int(1)));
        assert_eq!(check(DataType::F, None, "3.5"), Ok(Value::Float(3.5)));
        assert!(check(DataType::F, None, "NaN").is_err());
        assert_eq!(check(DataType::C, Some(2), "青海"), Ok(Value::Text("青海".into())));
        assert!(check(DataType::C, Some(1), "青海").is_err());
        assert_eq!(check(DataType::C, None, "  "), Ok(Value::Null));
    }
}
