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

/// One statement's share of a multi-row write (`values_chunks`).
pub struct ValuesChunk {
    /// The `VALUES` rows, `(?, ?), (?, ?)`.
    pub values: String,
    pub params: Params,
    /// A full-size chunk: its SQL recurs, so it is worth keeping as a prepared statement
    /// (`Query::persistent`); a remainder's size is one of many.
    pub full: bool,
}

/// Splits a multi-row write of `rows` into statements of as many rows as `width` parameters
/// per row allow (`Dialect::rows_per_positional_statement`), with positional parameters;
/// `row` pushes one row's values and returns its `(…)`.
pub fn values_chunks<'r, T>(
    dialect: crate::Dialect,
    rows: &'r [T],
    width: usize,
    row: impl Fn(&mut Params, &T) -> String + 'r,
) -> impl Iterator<Item = ValuesChunk> + 'r {
    let per = dialect.rows_per_positional_statement(width);
    rows.chunks(per).map(move |chunk| {
        let mut params = Params::positional(dialect);
        let values: Vec<String> = chunk.iter().map(|r| row(&mut params, r)).collect();
        ValuesChunk { values: values.join(", "), params, full: chunk.len() == per }
    })
}

/// Collects bound values and hands out their `$N` numbers.
#[derive(Debug, Default, Clone)]
pub struct Params {
    values: Vec<Value>,
    /// Hand out `?` instead of `$N` (SQLite only; see `positional`).
    anonymous: bool,
}

impl Params {
    pub fn new() -> Self {
        Self::default()
    }

    /// For large multi-row statements whose SQL uses every parameter exactly once, in the
    /// order pushed: on SQLite the parameters are anonymous `?`, which sqlx binds in linear
    /// time (it looks a `$N` parameter's name up with a linear scan per parameter, so a
    /// statement of n `$N` parameters costs n² to bind, and as much again for SQLite to
    /// parse); PostgreSQL keeps `$N`.
    pub fn positional(dialect: crate::Dialect) -> Self {
        Self { values: Vec::new(), anonymous: dialect == crate::Dialect::Sqlite }
    }

    fn placeholder(&self) -> String {
        if self.anonymous {
            "?".to_owned()
        } else {
            format!("${}", self.values.len())
        }
    }

    /// Adds a value and returns its parameter (`$3`).
    pub fn push(&mut self, v: impl Into<Value>) -> String {
        self.values.push(v.into());
        self.placeholder()
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
        self.placeholder()
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

#[cfg(test)]
mod tests {
    use super::{values_chunks, Params};
    use crate::Dialect;

    #[test]
    fn positional_parameters_are_anonymous_on_sqlite_only() {
        let mut s = Params::positional(Dialect::Sqlite);
        assert_eq!((s.push("a"), s.push_f64(1.5)), ("?".to_owned(), "?".to_owned()));
        let mut p = Params::positional(Dialect::Postgres);
        assert_eq!((p.push("a"), p.push(2_i64)), ("$1".to_owned(), "$2".to_owned()));
    }

    #[test]
    fn values_chunks_fill_statements_to_the_parameter_budget() {
        // SQLite: 2,000 parameters a statement, so 1,000 rows of two; 2,500 rows make three.
        let rows: Vec<i64> = (0..2_500).collect();
        let chunks: Vec<_> =
            values_chunks(Dialect::Sqlite, &rows, 2, |p, r| format!("({}, {})", p.push(*r), p.push(r * 10))).collect();
        let shape: Vec<(usize, bool)> = chunks.iter().map(|c| (c.values.matches('(').count(), c.full)).collect();
        assert_eq!(shape, [(1_000, true), (1_000, true), (500, false)]);
        assert!(chunks[2].values.starts_with("(?, ?), (?, ?)"));
        // PostgreSQL numbers the parameters afresh in every statement.
        let pg: Vec<_> =
            values_chunks(Dialect::Postgres, &rows[..3], 2, |p, r| format!("({}, {})", p.push(*r), p.push(*r)))
                .collect();
        assert_eq!(pg[0].values, "($1, $2), ($3, $4), ($5, $6)");
        assert!(!pg[0].full);
    }
}
