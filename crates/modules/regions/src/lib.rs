//! Administrative regions of Qinghai. See README.md.

pub mod directory;
pub mod domain;
mod http;
pub mod store;

use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{Cloud, Module, NavItem};

pub use directory::{load_shipped, StoreDirectory};

pub struct RegionsModule;

pub fn module() -> RegionsModule {
    RegionsModule
}

pub const MIGRATIONS: ModuleMigrations =
    ModuleMigrations { module: "regions", migrations: &[migration!(1, "0001_regions.sql")] };

impl Module for RegionsModule {
    fn name(&self) -> &'static str {
        "regions"
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
        &[
            ("regions/index.html", include_str!("../templates/index.html")),
            ("regions/region.html", include_str!("../templates/region.html")),
        ]
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("regions")
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![NavItem { cloud: Cloud::Base, href: "/regions", label: "regions-nav", permission: None, public: true }]
    }
}
