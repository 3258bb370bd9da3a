//! An action's parameters, typed. They arrive as JSON values (a POSTed object) or as strings
//! (query string, form fields), so every accessor reads both, the way CKAN's validators do:
//! `rows=10` and `"rows": 10` are the same, an empty string is a missing value.

use serde_json::{Map, Value};

use super::reply::Failure;

#[derive(Debug, Clone, Default)]
pub struct Params(Map<String, Value>);

fn missing(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// CKAN's `asbool`.
fn truth(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "y" | "t" | "1" => Some(true),
        "false" | "no" | "off" | "n" | "f" | "0" => Some(false),
        _ => None,
    }
}

impl Params {
    pub fn new(map: Map<String, Value>) -> Self {
        Params(map)
    }

    fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key).filter(|v| !missing(v))
    }

    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// A text parameter; numbers and booleans are read as their text.
    pub fn text(&self, key: &str) -> Result<Option<String>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(Value::Bool(b)) => Ok(Some(b.to_string())),
            Some(_) => Err(Failure::invalid(key, "must be a string")),
        }
    }

    pub fn required(&self, key: &str) -> Result<String, Failure> {
        self.text(key)?.ok_or_else(|| Failure::invalid(key, "Missing value"))
    }

    pub fn int(&self, key: &str, default: i64) -> Result<i64, Failure> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Number(n)) => n.as_i64().ok_or_else(|| Failure::invalid(key, "Invalid integer")),
            Some(Value::String(s)) => s.trim().parse().map_err(|_| Failure::invalid(key, "Invalid integer")),
            Some(_) => Err(Failure::invalid(key, "Invalid integer")),
        }
    }

    /// A whole number ≥ 0.
    pub fn natural(&self, key: &str, default: usize) -> Result<usize, Failure> {
        let n = self.int(key, i64::try_from(default).unwrap_or(i64::MAX))?;
        usize::try_from(n).map_err(|_| Failure::invalid(key, "Must be a natural number"))
    }

    pub fn flag(&self, key: &str, default: bool) -> Result<bool, Failure> {
        match self.get(key) {
            None => Ok(default),
            Some(Value::Bool(b)) => Ok(*b),
            Some(Value::Number(n)) => Ok(n.as_f64().is_some_and(|f| f != 0.0)),
            Some(Value::String(s)) => truth(s).ok_or_else(|| Failure::invalid(key, "Value must be true or false")),
            Some(_) => Err(Failure::invalid(key, "Value must be true or false")),
        }
    }

    /// A list of strings: a JSON array, a string holding one (`'["a","b"]'`, how CKAN takes
    /// lists in query strings), or — when `split` — a comma-separated string.
    pub fn list(&self, key: &str, split: bool) -> Result<Option<Vec<String>>, Failure> {
        let items = match self.get(key) {
            None => return Ok(None),
            Some(Value::Array(a)) => a.clone(),
            Some(Value::String(s)) if s.trim_start().starts_with('[') => match serde_json::from_str::<Value>(s) {
                Ok(Value::Array(a)) => a,
                _ => return Err(Failure::invalid(key, "must be a JSON list of strings")),
            },
            Some(Value::String(s)) if split => {
                return Ok(Some(s.split(',').map(|x| x.trim().to_owned()).filter(|x| !x.is_empty()).collect()))
            }
            Some(Value::String(s)) => vec![Value::String(s.clone())],
            Some(_) => return Err(Failure::invalid(key, "must be a list of strings")),
        };
        items
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(Failure::invalid(key, "must be a list of strings")),
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Some)
    }

    /// A JSON object, or a string holding one.
    pub fn object(&self, key: &str) -> Result<Option<Map<String, Value>>, Failure> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(m)) => Ok(Some(m.clone())),
            Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
                Ok(Value::Object(m)) => Ok(Some(m)),
                _ => Err(Failure::invalid(key, "must be a JSON object")),
            },
            Some(_) => Err(Failure::invalid(key, "must be a JSON object")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn p(v: Value) -> Params {
        match v {
            Value::Object(m) => Params::new(m),
            _ => Params::default(),
        }
    }

    #[test]
    fn strings_and_json_values_read_alike() {
        let a = p(json!({"rows": "5", "start": 7, "all_fields": "True", "q": "", "fl": ["x"]}));
        assert_eq!(a.natural("rows", 10), Ok(5));
        assert_eq!(a.natural("start", 0), Ok(7));
        assert_eq!(a.natural("missing", 10), Ok(10));
        assert_eq!(a.flag("all_fields", false), Ok(true));
        assert_eq!(a.text("q"), Ok(None));
        assert!(!a.has("q"));
        assert!(a.text("fl").is_err());
    }

    #[test]
    fn bad_numbers_are_validation_errors() {
        let a = p(json!({"rows": "ten", "start": -1, "x": 1.5}));
        assert_eq!(a.natural("rows", 10), Err(Failure::invalid("rows", "Invalid integer")));
        assert_eq!(a.natural("start", 0), Err(Failure::invalid("start", "Must be a natural number")));
        assert!(a.int("x", 0).is_err());
    }

    #[test]
    fn lists_from_json_strings_and_commas() {
        let a = p(json!({"f": "[\"organization\",\"tags\"]", "g": ["a"], "h": "a, b", "bad": "[1"}));
        assert_eq!(a.list("f", false), Ok(Some(vec!["organization".into(), "tags".into()])));
        assert_eq!(a.list("g", false), Ok(Some(vec!["a".into()])));
        assert_eq!(a.list("h", true), Ok(Some(vec!["a".into(), "b".into()])));
        assert_eq!(a.list("h", false), Ok(Some(vec!["a, b".into()])));
        assert!(a.list("bad", false).is_err());
    }

    #[test]
    fn objects_from_json_strings() {
        let a = p(json!({"filters": "{\"grade\": \"5A\"}", "other": {"a": 1}, "bad": "x"}));
        assert_eq!(a.object("filters").ok().flatten().map(|m| m.len()), Some(1));
        assert_eq!(a.object("other").ok().flatten().map(|m| m.len()), Some(1));
        assert!(a.object("bad").is_err());
    }
}
