//! Dynamic SQL with `$N` parameters that both SQLite and PostgreSQL accept.
//! (`sqlx::QueryBuilder<Any>` emits `?`, which PostgreSQL rejects.)

use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::Any;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    Float(f64),
    Null,
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}
impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

/// Collects bound values and hands out their `$N` numbers.
#[derive(Debug, Default, Clone)]
pub struct Params {
    values: Vec<Value>,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a value and returns its parameter (`$3`).
    pub fn push(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        format!("${}", self.values.len())
    }

    /// Adds every value and returns their parameters as an `IN (…)` list: `$3, $4, $5`.
    pub fn push_list(&mut self, values: &[String]) -> String {
        values.iter().map(|v| self.push(v.as_str())).collect::<Vec<_>>().join(", ")
    }

    /// Adds every integer and returns their parameters as an `IN (…)` list.
    pub fn push_int_list(&mut self, values: &[i64]) -> String {
        values.iter().map(|v| self.push(*v)).collect::<Vec<_>>().join(", ")
    }

    /// Adds a floating-point value (measurements for range queries; never money).
    pub fn push_f64(&mut self, v: f64) -> String {
        self.values.push(Value::Float(v));
        format!("${}", self.values.len())
    }

    /// Binds every collected value onto a query built from SQL that used the parameters.
    pub fn bind<'q>(self, sql: &'q str) -> Query<'q, Any, AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        for v in self.values {
            q = match v {
                Value::Text(s) => q.bind(s),
                Value::Int(i) => q.bind(i),
                Value::Float(f) => q.bind(f),
                Value::Null => q.bind(None::<String>),
            };
        }
        q
    }
}

/// Binds a nullable double. sqlx 0.8.6's Any driver sends a NULL `f64` to PostgreSQL as a
/// `float4` parameter (any/arguments.rs maps `Double` to `f32`); a statement prepared with that
/// NULL then rejects a later non-NULL `float8` ("incorrect binary data format"). A NULL `f32`
/// maps to `f64` there, so it is bound instead. SQLite sees plain NULL either way.
pub fn bind_f64_or_null<'q>(q: Query<'q, Any, AnyArguments<'q>>, v: Option<f64>) -> Query<'q, Any, AnyArguments<'q>> {
    match v {
        Some(x) => q.bind(x),
        None => q.bind(None::<f32>),
    }
}
