//! Credit Qinghai (信用青海): public credit records (双公示), the red, serious-dishonesty and
//! key-attention lists, the one-stop query and verifiable credit reports, joint rewards and
//! punishments through the kernel's `CreditCheck` port, a transparent evaluation, and credit
//! repair and objections. See README.md.

pub mod demo;
pub mod domain;
mod http;
pub mod import;
pub mod policy;
pub mod privacy;
pub mod service;
pub mod store;

use std::sync::Arc;

use qy_kernel::vault::PersonalDataVault;
use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{AppState, Cloud, Module, NavItem};

pub use policy::Policy;
pub use service::{Checker, Credit};

pub const MIGRATIONS: ModuleMigrations = ModuleMigrations {
    module: "credit",
    migrations: &[
        migration!(1, "0001_credit.sql"),
        migration!(2, "0002_measures.sql"),
        migration!(3, "0003_gram_counts.sql"),
    ],
};

pub struct CreditModule {
    ctx: Ctx,
}

/// `vault` seals natural persons' ID numbers (the identity module's keys, through the port).
pub fn module(vault: Arc<dyn PersonalDataVault>, policy: Arc<Policy>) -> CreditModule {
    CreditModule { ctx: Ctx { vault, policy } }
}

#[derive(Clone)]
pub(crate) struct Ctx {
    pub vault: Arc<dyn PersonalDataVault>,
    pub policy: Arc<Policy>,
}

pub(crate) fn service(state: &AppState, ctx: &Ctx) -> Credit {
    Credit::new(state.db.clone(), state.clock.clone(), ctx.vault.clone(), ctx.policy.clone())
}

impl Module for CreditModule {
    fn name(&self) -> &'static str {
        "credit"
    }
    fn migrations(&self) -> ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<AppState> {
        http::api::router().layer(axum::Extension(self.ctx.clone()))
    }
    fn pages(&self) -> axum::Router<AppState> {
        http::pages::router().merge(http::admin::router()).layer(axum::Extension(self.ctx.clone()))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("credit/search.html", include_str!("../templates/search.html")),
            ("credit/subject.html", include_str!("../templates/subject.html")),
            ("credit/report.html", include_str!("../templates/report.html")),
            ("credit/verify.html", include_str!("../templates/verify.html")),
            ("credit/admin.html", include_str!("../templates/admin.html")),
            ("credit/admin_subject.html", include_str!("../templates/admin_subject.html")),
            ("credit/record_form.html", include_str!("../templates/record_form.html")),
            ("credit/import_result.html", include_str!("../templates/import_result.html")),
            ("credit/mine.html", include_str!("../templates/mine.html")),
        ]
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("credit")
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![
            NavItem {
                cloud: Cloud::Livelihood,
                href: "/credit",
                label: "credit-nav-query",
                permission: None,
                public: true,
            },
            NavItem {
                cloud: Cloud::Livelihood,
                href: "/credit/mine",
                label: "credit-nav-mine",
                permission: None,
                public: false,
            },
            NavItem {
                cloud: Cloud::Government,
                href: "/admin/credit",
                label: "credit-nav-admin",
                permission: Some(domain::perm::INTERNAL_READ),
                public: false,
            },
        ]
    }
}
