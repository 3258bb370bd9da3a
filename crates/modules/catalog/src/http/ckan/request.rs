//! Reading an action request the way CKAN's `_get_request_data` does: a POSTed JSON object,
//! or form fields, or — for GET, and for a POST without a body — the query string. A key
//! given more than once becomes a list. Anything else is CKAN's 400 "Bad request - …".

use axum::http::{header, HeaderMap, Method};
use serde_json::{Map, Value};

/// Keys and values of a query string or form body; repeated keys become lists.
pub fn form_pairs(text: &[u8]) -> Map<String, Value> {
    let mut map = Map::new();
    for (k, v) in form_urlencoded::parse(text) {
        let v = Value::String(v.into_owned());
        match map.get_mut(k.as_ref()) {
            Some(Value::Array(list)) => list.push(v),
            Some(first) => {
                let old = first.take();
                *first = Value::Array(vec![old, v]);
            }
            None => {
                map.insert(k.into_owned(), v);
            }
        }
    }
    map
}

/// The start of a value for an error message (bodies are not echoed whole).
fn glimpse(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// The parameters of an action request, or the message of CKAN's 400.
pub fn decode(
    method: &Method,
    headers: &HeaderMap,
    query: Option<&str>,
    body: &[u8],
) -> Result<Map<String, Value>, String> {
    let from_query = || form_pairs(query.unwrap_or("").as_bytes());
    if method != Method::POST {
        return Ok(from_query());
    }
    let content_type =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok(form_pairs(body));
    }
    if content_type.starts_with("multipart/") {
        return Err("multipart bodies are not accepted: every action here only reads; send a JSON object".into());
    }
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(from_query());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "JSON Error: Request data JSON decoded to {} but it needs to be a dictionary.",
            glimpse(&other)
        )),
        Err(e) => Err(format!("JSON Error: Error decoding JSON data. Error: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    fn json_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        h
    }

    #[test]
    fn get_reads_the_query_string_with_repeated_keys_as_lists() {
        let m = decode(&Method::GET, &HeaderMap::new(), Some("q=%E7%A9%BA%E6%B0%94&rows=2&x=a&x=b"), b"")
            .unwrap_or_default();
        assert_eq!(Value::Object(m), json!({"q": "空气", "rows": "2", "x": ["a", "b"]}));
    }

    #[test]
    fn post_reads_json_objects_and_forms() {
        let m = decode(&Method::POST, &json_headers(), None, br#"{"rows": 3}"#).unwrap_or_default();
        assert_eq!(Value::Object(m), json!({"rows": 3}));
        let mut form = HeaderMap::new();
        form.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"));
        let m = decode(&Method::POST, &form, None, b"id=qh-1&include_datasets=false").unwrap_or_default();
        assert_eq!(Value::Object(m), json!({"id": "qh-1", "include_datasets": "false"}));
        let m = decode(&Method::POST, &json_headers(), Some("id=x"), b"").unwrap_or_default();
        assert_eq!(Value::Object(m), json!({"id": "x"}));
    }

    #[test]
    fn bad_bodies_are_bad_requests() {
        let e = decode(&Method::POST, &json_headers(), None, b"{nope").err().unwrap_or_default();
        assert!(e.starts_with("JSON Error: Error decoding JSON data."), "{e}");
        let e = decode(&Method::POST, &json_headers(), None, b"[1, 2]").err().unwrap_or_default();
        assert!(e.contains("decoded to [1,2] but it needs to be a dictionary"), "{e}");
    }
}
