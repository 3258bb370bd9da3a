//! Named-query bodies (`POST /queries`): `{"name": …, "query": {…}}` with the query object of
//! `query-schema.json`.

use serde_json::Value;

use super::apply::{apply, finish};
use super::{Query, QueryParamError};

/// Parses the `query` object of a named-query body — or a bare query object — into a [`Query`].
/// Values may be arrays (lists of alternatives), strings, numbers or booleans; strings are not
/// split on `|` here, JSON arrays already carry the list. `@context` is allowed and ignored.
///
/// # Errors
/// The first unsupported or malformed parameter; a body that is not an object is reported under
/// the parameter name `query`.
pub fn parse_query_body(body: &Value) -> Result<Query, QueryParamError> {
    let query = body.get("query").unwrap_or(body);
    let Some(obj) = query.as_object() else {
        return Err(QueryParamError::new("query", "must be a JSON object of query parameters"));
    };
    let mut q = Query::default();
    for (name, value) in obj {
        if name == "@context" {
            continue;
        }
        apply(&mut q, name, &values(name, value)?)?;
    }
    finish(q)
}

/// A named-query body as URL-style pairs (`EQ_bizStep` → `shipping|receiving`), so a repository
/// can add request parameters such as `perPage` and parse everything with
/// [`super::parse_query_params`]. `@context` is dropped.
///
/// # Errors
/// A body that is not an object, a value that is not a string/number/boolean (or array of
/// them), or a string containing `|`, which the URL form would read as two values.
pub fn body_to_params(body: &Value) -> Result<Vec<(String, String)>, QueryParamError> {
    let query = body.get("query").unwrap_or(body);
    let Some(obj) = query.as_object() else {
        return Err(QueryParamError::new("query", "must be a JSON object of query parameters"));
    };
    let mut pairs = Vec::with_capacity(obj.len());
    for (name, value) in obj {
        if name == "@context" {
            continue;
        }
        let values = values(name, value)?;
        if values.iter().any(|v| v.contains('|')) {
            return Err(QueryParamError::new(name, "a value contains '|', which separates values in a query"));
        }
        pairs.push((name.clone(), values.join("|")));
    }
    Ok(pairs)
}

fn values(name: &str, value: &Value) -> Result<Vec<String>, QueryParamError> {
    match value {
        Value::Array(items) => items.iter().map(|v| scalar(name, v)).collect(),
        Value::Null => Ok(Vec::new()),
        other => Ok(vec![scalar(name, other)?]),
    }
}

fn scalar(name: &str, v: &Value) -> Result<String, QueryParamError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(QueryParamError::new(name, "values must be strings, numbers or arrays of them")),
    }
}
