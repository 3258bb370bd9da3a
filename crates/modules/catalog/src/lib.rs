//! Government information resources (plan 十.1, 专栏十, 十一.2): the catalog of every
//! department's resources, sharing and exchange between government systems, and the
//! open-data portal with a CKAN-compatible API and DCAT-AP. See README.md.

pub mod demo;
pub mod domain;
mod http;
pub mod policy;
pub mod service;
pub mod store;
pub mod typed;

use std::sync::Arc;

use qy_kernel::feed::DataFeeds;
use qy_web::i18n::FtlSource;
use qy_web::{AppState, Cloud, Module, NavItem};

pub use policy::Policy;
pub use service::Catalog;

pub struct CatalogModule {
    ctx: Ctx,
}

/// `feeds`: the modules' live data the catalog can put behind entries.
pub fn module(feeds: Arc<dyn DataFeeds>, policy: Arc<Policy>) -> CatalogModule {
    CatalogModule { ctx: Ctx { feeds, policy, open_cache: Default::default() } }
}

#[derive(Clone)]
pub(crate) struct Ctx {
    pub feeds: Arc<dyn DataFeeds>,
    pub policy: Arc<Policy>,
    /// The public view of the open catalog, shared by every request of this server.
    pub open_cache: Arc<service::open::OpenCache>,
}

pub(crate) fn service(state: &AppState, ctx: &Ctx) -> Catalog {
    Catalog::new(state.db.clone(), state.clock.clone(), ctx.feeds.clone(), ctx.policy.clone())
        .with_open_cache(ctx.open_cache.clone())
}

impl Module for CatalogModule {
    fn name(&self) -> &'static str {
        "catalog"
    }
    fn migrations(&self) -> qy_storage::ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<AppState> {
        http::api::router().merge(http::exchange::router()).layer(axum::Extension(self.ctx.clone()))
    }
    fn pages(&self) -> axum::Router<AppState> {
        http::pages::router()
            .merge(http::ckan::router())
            .merge(http::dcat::router())
            .layer(axum::Extension(self.ctx.clone()))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        http::pages::TEMPLATES
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("catalog")
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![
            NavItem { cloud: Cloud::Base, href: "/open", label: "catalog-nav-open", permission: None, public: true },
            NavItem {
                cloud: Cloud::Base,
                href: "/admin/catalog",
                label: "catalog-nav-admin",
                permission: Some(domain::perm::ENTRIES_WRITE),
                public: false,
            },
        ]
    }
}

pub const MIGRATIONS: qy_storage::ModuleMigrations = qy_storage::ModuleMigrations {
    module: "catalog",
    migrations: &[
        qy_storage::migration!(1, "0001_catalog.sql"),
        qy_storage::migration!(2, "0002_categories.sql"),
        qy_storage::migration!(3, "0003_gram_entry_index.sql"),
        qy_storage::migration!(4, "0004_generation.sql"),
    ],
};
