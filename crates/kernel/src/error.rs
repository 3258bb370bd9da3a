//! Errors that cross crate boundaries.
//!
//! Every error has a *kind* (which decides the HTTP status) and a stable snake_case *code*
//! such as `identity.invalid_credentials`. The code never changes when the wording does: the
//! web layer translates it through Fluent (`error-identity-invalid_credentials`), clients
//! match on it.

use std::borrow::Cow;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    BadRequest,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    TooManyRequests,
    PayloadTooLarge,
    Unavailable,
    Internal,
}

#[derive(Debug, thiserror::Error)]
#[error("{code}: {detail}")]
pub struct Error {
    pub kind: ErrorKind,
    /// Stable, machine-readable code: `<module>.<snake_case>`.
    pub code: Cow<'static, str>,
    /// English detail for logs and API clients; pages show the translated code instead.
    pub detail: String,
    /// Named values the translated message may use (`{ $field }`).
    pub args: Vec<(String, String)>,
}

impl Error {
    pub fn new(kind: ErrorKind, code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self { kind, code: code.into(), detail: detail.into(), args: Vec::new() }
    }
    pub fn bad_request(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::BadRequest, code, detail)
    }
    pub fn not_found(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::NotFound, code, detail)
    }
    pub fn forbidden(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, code, detail)
    }
    pub fn conflict(code: impl Into<Cow<'static, str>>, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Conflict, code, detail)
    }
    pub fn unauthenticated(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Unauthenticated, "auth.unauthenticated", detail)
    }
    /// An internal failure. The detail goes to the log only; the client sees the code.
    pub fn internal(detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Internal, "internal", detail)
    }
    pub fn with_arg(mut self, name: &str, value: impl Into<String>) -> Self {
        self.args.push((name.to_owned(), value.into()));
        self
    }
}
