//! Extractors: the locale, the authenticated principal (API bearer token or page session
//! cookie), JSON bodies that fail as problem+json, and CSRF-checked forms.

use std::sync::{Arc, Mutex};

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use qy_kernel::auth::{Authenticated, Credential};
use qy_kernel::{Error, ErrorKind, Principal};
use serde::de::DeserializeOwned;

use crate::page::{Base, PageError};
use crate::{csrf, i18n, ApiError, AppState};

pub const SESSION_COOKIE: &str = "qy_session";
pub const LANG_COOKIE: &str = "qy_lang";

/// The request's locale (`zh-CN`, `en` or `bo`).
#[derive(Debug, Clone, Copy)]
pub struct Lang(pub &'static str);

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(lang_of(&parts.headers)))
    }
}

pub fn lang_of(headers: &HeaderMap) -> &'static str {
    let jar = CookieJar::from_headers(headers);
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
    i18n::negotiate(jar.get(LANG_COOKIE).map(|c| c.value()), accept)
}

/// Filled by extractors with the account id of whoever the request authenticated as, so
/// the audit middleware can name the actor.
#[derive(Debug, Clone, Default)]
pub struct ActorSlot(pub Arc<Mutex<Option<String>>>);

impl ActorSlot {
    pub fn set(parts: &Parts, account_id: &str) {
        if let Some(slot) = parts.extensions.get::<ActorSlot>() {
            if let Ok(mut s) = slot.0.lock() {
                *s = Some(account_id.to_owned());
            }
        }
    }
    pub fn get(&self) -> Option<String> {
        self.0.lock().ok().and_then(|s| s.clone())
    }
}

/// An API caller authenticated by `Authorization: Bearer TOKEN` (session token or personal
/// access token).
#[derive(Debug, Clone)]
pub struct ApiUser(pub Principal);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).ok_or_else(|| {
            Error::unauthenticated("send Authorization: Bearer TOKEN (POST /api/v1/identity/sessions gives one)")
        })?;
        let token = header
            .strip_prefix("Bearer ")
            .or_else(|| header.strip_prefix("bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| Error::unauthenticated("the Authorization header must use the Bearer scheme"))?;
        match state.auth.authenticate(&Credential::Bearer(token.to_owned())).await? {
            Some(a) => {
                ActorSlot::set(parts, &a.principal.account_id);
                Ok(ApiUser(a.principal))
            }
            None => Err(Error::new(
                ErrorKind::Unauthenticated,
                "auth.invalid_token",
                "the token is unknown, expired or revoked",
            )
            .into()),
        }
    }
}

/// The result of a request's session lookup, kept in its extensions: a page handler that
/// takes several extractors (`Base`, `PageUser`, `CsrfForm`) looks the session up once.
#[derive(Clone)]
struct SessionLookup(Option<Authenticated>);

/// The session of a page visitor, if logged in.
pub async fn session_of(parts: &mut Parts, state: &AppState) -> Option<Authenticated> {
    if let Some(SessionLookup(found)) = parts.extensions.get::<SessionLookup>() {
        return found.clone();
    }
    let found = lookup_session(parts, state).await;
    parts.extensions.insert(SessionLookup(found.clone()));
    found
}

async fn lookup_session(parts: &Parts, state: &AppState) -> Option<Authenticated> {
    let jar = CookieJar::from_headers(&parts.headers);
    let token = jar.get(SESSION_COOKIE)?.value().to_owned();
    match state.auth.authenticate(&Credential::SessionCookie(token)).await {
        Ok(Some(a)) => {
            ActorSlot::set(parts, &a.principal.account_id);
            Some(a)
        }
        Ok(None) => None,
        Err(e) => {
            tracing::warn!(code = %e.code, "session lookup failed");
            None
        }
    }
}

/// A page visitor who may or may not be logged in.
#[derive(Debug, Clone)]
pub struct MaybePageUser(pub Option<Authenticated>);

impl FromRequestParts<AppState> for MaybePageUser {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybePageUser(session_of(parts, state).await))
    }
}

/// A logged-in page visitor; others are sent to the login page and brought back after.
#[derive(Debug, Clone)]
pub struct PageUser(pub Authenticated);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        match session_of(parts, state).await {
            Some(a) => Ok(PageUser(a)),
            None => {
                let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
                let next: String = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Err(Redirect::to(&format!("/login?{next}")).into_response())
            }
        }
    }
}

/// A JSON request body. Malformed JSON, unknown fields (DTOs use `deny_unknown_fields`),
/// a wrong content type and oversize bodies all become problem+json 4xx responses.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|ct| {
                let mime = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            })
            .unwrap_or(false);
        if !json_type {
            return Err(
                Error::bad_request("request.unsupported_media_type", "send the body as application/json").into()
            );
        }
        let bytes = axum::body::Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                Error::new(
                    ErrorKind::PayloadTooLarge,
                    "request.too_large",
                    "the request body is larger than this endpoint accepts",
                )
            } else {
                Error::bad_request("request.unreadable_body", e.body_text())
            }
        })?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        serde_path_to_error::deserialize(de).map(ApiJson).map_err(|e| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            let code =
                if inner.is_syntax() || inner.is_eof() { "request.malformed_json" } else { "request.invalid_field" };
            Error::bad_request(code, if path == "." { inner.to_string() } else { format!("{path}: {inner}") }).into()
        })
    }
}

/// A form body whose CSRF token was checked.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = PageError;
    async fn from_request(req: Request, state: &AppState) -> Result<Self, PageError> {
        let (mut parts, body) = req.into_parts();
        let base = Base::from_request_parts(&mut parts, state).await.map_err(|e| match e {})?;
        let bytes = axum::body::to_bytes(body, 256 * 1024).await.map_err(|_| {
            PageError::new(state, &base, Error::new(ErrorKind::PayloadTooLarge, "request.too_large", "form too large"))
        })?;
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        let submitted = fields.iter().find(|(k, _)| k == csrf::FIELD).map(|(_, v)| v.as_str()).unwrap_or("");
        if base.fresh_csrf || !csrf::matches(&base.csrf, submitted) {
            return Err(PageError::new(
                state,
                &base,
                Error::forbidden(
                    "request.csrf",
                    "the form expired or came from another site; reload the page and try again",
                ),
            ));
        }
        serde_urlencoded::from_bytes::<T>(&bytes)
            .map(CsrfForm)
            .map_err(|e| PageError::new(state, &base, Error::bad_request("request.invalid_form", e.to_string())))
    }
}

/// The peer address of the connection (not `X-Forwarded-For`, which any client can forge).
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "unknown".to_owned());
        Ok(ClientIp(ip))
    }
}
