//! The tamper-evident audit log. See README.md.

pub mod domain;
mod http;
pub mod service;
pub mod store;

use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{Cloud, Module, NavItem};

pub use domain::{BadRow, Entry, ProblemKind, Verdict};
pub use service::{append, append_returning, list, sink, verify, AuditLog};
pub use store::Filter;

/// Reading the audit log and verifying its chain. Operators always may.
pub const PERM_READ: &str = "audit.read";

pub struct AuditModule;

pub fn module() -> AuditModule {
    AuditModule
}

pub const MIGRATIONS: ModuleMigrations = ModuleMigrations {
    module: "audit",
    migrations: &[migration!(1, "0001_audit.sql"), migration!(2, "0002_head_follows.sql")],
};

/// The page templates, by name.
pub const TEMPLATES: &[(&str, &str)] = &[("audit/log.html", include_str!("../templates/log.html"))];

/// The translations.
pub const LOCALES: &[FtlSource] = qy_web::ftl_sources!("audit");

impl Module for AuditModule {
    fn name(&self) -> &'static str {
        "audit"
    }
    fn migrations(&self) -> ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<qy_web::AppState> {
        http::api::router()
    }
    fn pages(&self) -> qy_web::axum::Router<qy_web::AppState> {
        http::pages::router()
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        TEMPLATES
    }
    fn locales(&self) -> &'static [FtlSource] {
        LOCALES
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem {
            cloud: Cloud::Base,
            href: "/admin/audit",
            label: "audit-nav",
            permission: Some(PERM_READ),
            public: false,
        }]
    }
}
