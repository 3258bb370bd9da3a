//! The authentication port: turns a credential from a request into a `Principal`.
//! Implemented by the identity module, called by the web layer's extractors.

use async_trait::async_trait;

use crate::{Principal, Result};

#[derive(Debug, Clone)]
pub enum Credential {
    /// `Authorization: Bearer …` — an API session token or a personal access token.
    Bearer(String),
    /// The web session cookie.
    SessionCookie(String),
}

/// What a web session carries besides the principal.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    /// The session's CSRF token (web sessions only).
    pub csrf_token: Option<String>,
    /// The account's preferred language, if set.
    pub locale: Option<String>,
}

#[async_trait]
pub trait Authenticator: Send + Sync + 'static {
    /// `Ok(None)` when the credential is unknown, expired or revoked.
    async fn authenticate(&self, credential: &Credential) -> Result<Option<Authenticated>>;
}
