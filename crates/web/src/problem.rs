//! RFC 9457 problem details. Every API error is `application/problem+json` with a stable
//! `code` member; the HTTP status comes from the error's kind.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use qy_kernel::{Error, ErrorKind};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:qingyun:problem:<code>`.
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable machine-readable code, e.g. `identity.invalid_credentials`.
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::BadRequest => StatusCode::BAD_REQUEST,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// An error returned by an API handler.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = status_of(e.kind);
        let detail = if e.kind == ErrorKind::Internal {
            // The cause goes to the log in full; the client gets no internals.
            tracing::error!(code = %e.code, detail = %e.detail, "internal error");
            "an internal error occurred; it has been logged".to_owned()
        } else {
            e.detail
        };
        let body = Problem {
            type_uri: format!("urn:qingyun:problem:{}", e.code),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code: e.code.into_owned(),
            request_id: None,
        };
        let mut resp = (status, axum::Json(body)).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        resp
    }
}

/// `404` for unknown API paths, as problem+json.
pub async fn api_not_found() -> ApiError {
    ApiError(Error::not_found("http.not_found", "no such API endpoint; see /api/docs"))
}

/// `405` for a known API path with the wrong method.
pub async fn api_method_not_allowed() -> Response {
    let mut r =
        ApiError(Error::new(ErrorKind::BadRequest, "http.method_not_allowed", "method not allowed on this endpoint"))
            .into_response();
    *r.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    r
}
