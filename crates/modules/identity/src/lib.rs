//! Identity and access: accounts for citizens, enterprises, staff and operators; web and
//! API sessions; personal access tokens; roles bounded by region subtree and department.
//! See README.md.

pub mod crypto;
pub mod domain;
mod hasher;
mod http;
pub mod service;
pub mod store;

use std::sync::Arc;

use async_trait::async_trait;
use qy_kernel::auth::{Authenticated, Authenticator, Credential};
use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{AppState, Cloud, Module, NavItem};

pub use service::Identity;

pub const MIGRATIONS: ModuleMigrations =
    ModuleMigrations { module: "identity", migrations: &[migration!(1, "0001_identity.sql")] };

/// The module, holding the sealer for personal data.
pub struct IdentityModule {
    sealer: crypto::Sealer,
}

/// `secret` is the platform secret (32 bytes) that seals personal data at rest.
pub fn module(secret: [u8; 32]) -> IdentityModule {
    IdentityModule { sealer: crypto::Sealer::new(secret) }
}

/// What handlers of this module need besides `AppState`.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub sealer: crypto::Sealer,
}

pub(crate) fn service(state: &AppState, ctx: &Ctx) -> Identity {
    Identity::new(state.db.clone(), state.clock.clone(), ctx.sealer.clone())
}

impl Module for IdentityModule {
    fn name(&self) -> &'static str {
        "identity"
    }
    fn migrations(&self) -> ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<AppState> {
        http::api::router().layer(axum::Extension(Ctx { sealer: self.sealer.clone() }))
    }
    fn pages(&self) -> axum::Router<AppState> {
        http::pages::router().layer(axum::Extension(Ctx { sealer: self.sealer.clone() }))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("identity/login.html", include_str!("../templates/login.html")),
            ("identity/account.html", include_str!("../templates/account.html")),
            ("identity/account_rows.html", include_str!("../templates/account_rows.html")),
            ("identity/staff.html", include_str!("../templates/staff.html")),
            ("identity/account_detail.html", include_str!("../templates/account_detail.html")),
            ("identity/departments.html", include_str!("../templates/departments.html")),
            ("identity/roles.html", include_str!("../templates/roles.html")),
        ]
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("identity")
    }
    fn nav(&self) -> Vec<NavItem> {
        use domain::perm;
        vec![
            NavItem {
                cloud: Cloud::Base,
                href: "/admin/staff",
                label: "identity-nav-staff",
                permission: Some(perm::STAFF_READ),
                public: false,
            },
            NavItem {
                cloud: Cloud::Base,
                href: "/admin/departments",
                label: "identity-nav-departments",
                permission: Some(perm::STAFF_READ),
                public: false,
            },
            NavItem {
                cloud: Cloud::Base,
                href: "/admin/roles",
                label: "identity-nav-roles",
                permission: Some(perm::ROLES_MANAGE),
                public: false,
            },
        ]
    }
}

/// The kernel `Authenticator` port, answered by this module.
pub struct IdentityAuthenticator {
    identity: Identity,
}

impl IdentityAuthenticator {
    pub fn new(identity: Identity) -> Arc<Self> {
        Arc::new(Self { identity })
    }
}

#[async_trait]
impl Authenticator for IdentityAuthenticator {
    async fn authenticate(&self, credential: &Credential) -> qy_kernel::Result<Option<Authenticated>> {
        match credential {
            Credential::Bearer(t) => self.identity.authenticate(t, false).await,
            Credential::SessionCookie(t) => self.identity.authenticate(t, true).await,
        }
    }
}
