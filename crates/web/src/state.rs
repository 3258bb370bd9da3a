//! What every handler can reach. Built once by the server.

use std::sync::Arc;

use qy_kernel::audit::{AuditEntry, AuditSink};
use qy_kernel::auth::Authenticator;
use qy_kernel::bus::EventBus;
use qy_kernel::region::RegionDirectory;
use qy_kernel::Clock;
use qy_storage::Db;

use crate::i18n::I18n;
use crate::limit::RateLimiter;
use crate::module::NavItem;

/// Settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure`. Set it when users reach Qingyun over HTTPS (directly or
    /// through a TLS-terminating proxy); a request with `X-Forwarded-Proto: https` gets
    /// `Secure` cookies regardless.
    pub cookie_secure: bool,
    /// The address users reach Qingyun at (`https://qingyun.example.gov.cn`), for links that
    /// leave the page: QR codes on printed reports. Unset: taken from the request's host.
    pub public_url: Option<String>,
}

pub struct Core {
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub bus: Arc<dyn EventBus>,
    pub audit: Arc<dyn AuditSink>,
    pub auth: Arc<dyn Authenticator>,
    pub regions: Arc<dyn RegionDirectory>,
    pub i18n: Arc<I18n>,
    pub templates: minijinja::Environment<'static>,
    pub nav: Vec<NavItem>,
    pub limiter: RateLimiter,
    pub config: WebConfig,
}

/// Cheap to clone; `Arc` inside.
#[derive(Clone)]
pub struct AppState(pub Arc<Core>);

impl std::ops::Deref for AppState {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.0
    }
}

impl AppState {
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Appends to the audit log; the caller's change is only acknowledged once this succeeds.
    pub async fn audit(&self, entry: AuditEntry) -> qy_kernel::Result<()> {
        self.audit.append(entry).await
    }
}
