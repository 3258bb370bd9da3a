//! CKAN's answer envelope and its error table (reference §3.1): every answer is
//! `{"help", "success", "result"|"error"}` except a request that cannot be read at all, which
//! gets CKAN's bare JSON string `"Bad request - …"`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qy_kernel::ErrorKind;
use serde_json::{json, Map, Value};

/// Why an action failed, in CKAN's terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// 400 with a bare JSON string: unknown action, undecodable or non-object body.
    BadRequest(String),
    /// 409 `Validation Error`: (parameter, message) pairs, as CKAN keys them by field.
    Validation(Vec<(String, String)>),
    /// 404 `Not Found Error`.
    NotFound(String),
    /// 403 `Authorization Error`.
    Authorization(String),
    /// 500 `Internal Server Error`; the cause is logged, never sent.
    Internal,
    /// 503 (the store is unavailable, or the client must slow down: 429).
    Unavailable(StatusCode, String),
}

impl Failure {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Failure::Validation(vec![(field.to_owned(), message.into())])
    }
}

/// Errors of the catalog service, in CKAN's table: what the service calls a bad request
/// (a parameter it cannot use) is CKAN's 409 Validation Error.
impl From<qy_kernel::Error> for Failure {
    fn from(e: qy_kernel::Error) -> Self {
        let field = e.args.iter().find(|(k, _)| k == "field").map(|(_, v)| v.clone());
        match e.kind {
            ErrorKind::NotFound => Failure::NotFound(e.detail),
            ErrorKind::Forbidden | ErrorKind::Unauthenticated => Failure::Authorization(e.detail),
            ErrorKind::BadRequest | ErrorKind::Conflict | ErrorKind::PayloadTooLarge => {
                Failure::Validation(vec![(field.unwrap_or_else(|| "data".to_owned()), e.detail)])
            }
            ErrorKind::TooManyRequests => Failure::Unavailable(StatusCode::TOO_MANY_REQUESTS, e.detail),
            ErrorKind::Unavailable => Failure::Unavailable(StatusCode::SERVICE_UNAVAILABLE, e.detail),
            ErrorKind::Internal => {
                tracing::error!(code = %e.code, detail = %e.detail, "CKAN action failed");
                Failure::Internal
            }
        }
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let mut r = (status, body.to_string()).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json;charset=utf-8"));
    r
}

pub fn success(help: &str, result: Value) -> Response {
    json_response(StatusCode::OK, &json!({"help": help, "success": true, "result": result}))
}

pub fn failure(help: &str, f: Failure) -> Response {
    let (status, kind, message, fields) = match f {
        Failure::BadRequest(m) => return bad_request(&m),
        Failure::Validation(fields) => {
            let message = fields.iter().map(|(k, m)| format!("{k}: {m}")).collect::<Vec<_>>().join("; ");
            (StatusCode::CONFLICT, "Validation Error", message, fields)
        }
        Failure::NotFound(m) => (StatusCode::NOT_FOUND, "Not Found Error", format!("Not found: {m}"), Vec::new()),
        Failure::Authorization(m) => {
            (StatusCode::FORBIDDEN, "Authorization Error", format!("Access denied: {m}"), Vec::new())
        }
        Failure::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "Internal Server Error: the error has been logged".to_owned(),
            Vec::new(),
        ),
        Failure::Unavailable(status, m) => (status, "Internal Server Error", m, Vec::new()),
    };
    let mut error = Map::new();
    error.insert("__type".into(), kind.into());
    error.insert("message".into(), message.into());
    for (field, m) in fields {
        error.insert(field, json!([m]));
    }
    json_response(status, &json!({"help": help, "success": false, "error": error}))
}

/// CKAN's answer to a request it cannot read: 400 and a JSON string, no envelope.
pub fn bad_request(message: &str) -> Response {
    json_response(StatusCode::BAD_REQUEST, &Value::String(format!("Bad request - {message}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_map_to_ckan_types() {
        let e = qy_kernel::Error::bad_request("catalog.unknown_field", "no column \"x\"").with_arg("field", "x");
        assert_eq!(Failure::from(e), Failure::invalid("x", "no column \"x\""));
        let e = qy_kernel::Error::not_found("catalog.entry_not_found", "gone");
        assert_eq!(Failure::from(e), Failure::NotFound("gone".into()));
        let e = qy_kernel::Error::forbidden("catalog.forbidden", "no");
        assert_eq!(Failure::from(e), Failure::Authorization("no".into()));
        assert_eq!(Failure::from(qy_kernel::Error::internal("db down")), Failure::Internal);
    }
}
