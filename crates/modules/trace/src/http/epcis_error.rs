//! EPCIS errors: RFC 7807 bodies whose `type` is the standard's `epcisException:…` name
//! (REST bindings §"Errors"), with the platform's stable `code` beside it.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qy_kernel::{Error, ErrorKind};
use serde_json::json;

#[derive(Debug)]
pub struct EpcisError(pub Error);

impl From<Error> for EpcisError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

pub type EpcisResult<T> = Result<T, EpcisError>;

/// The EPCIS exception an error is.
fn exception(e: &Error) -> &'static str {
    match (e.kind, e.code.as_ref()) {
        (_, "trace.query_parameter") => "QueryParameterException",
        (_, "trace.query_too_large") => "QueryTooLargeException",
        (_, "trace.no_such_query") => "NoSuchNameException",
        (_, "trace.capture_limit") => "CaptureLimitExceededException",
        (_, "trace.subscription") => "SubscriptionControlsException",
        (_, "trace.unsupported_media_type") => "UnsupportedMediaTypeException",
        (_, "trace.epc_format") => "NotAcceptableException",
        (ErrorKind::NotFound, _) => "NoSuchResourceException",
        (ErrorKind::Conflict, _) => "ResourceAlreadyExistsException",
        (ErrorKind::Unauthenticated | ErrorKind::Forbidden, _) => "SecurityException",
        (ErrorKind::PayloadTooLarge, _) => "CaptureLimitExceededException",
        (ErrorKind::BadRequest, _) => "ValidationException",
        _ => "ImplementationException",
    }
}

impl IntoResponse for EpcisError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = qy_web::problem::status_of(e.kind);
        let status = if e.code == "trace.epc_format" { StatusCode::NOT_ACCEPTABLE } else { status };
        let detail = if e.kind == ErrorKind::Internal {
            tracing::error!(code = %e.code, detail = %e.detail, "internal error");
            "an internal error occurred; it has been logged".to_owned()
        } else {
            e.detail.clone()
        };
        let name = exception(&e);
        let body = json!({
            "type": format!("epcisException:{name}"),
            "title": name,
            "status": status.as_u16(),
            "detail": detail,
            "code": e.code,
        });
        let mut r = (status, body.to_string()).into_response();
        r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if e.kind == ErrorKind::Unauthenticated {
            r.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        r
    }
}
