//! Agricultural and livestock product traceability (plan 专栏三): a GS1 EPCIS 2.0 repository
//! (capture, query, named queries, signed webhook subscriptions), a GS1 Digital Link resolver
//! with the consumer page, genealogy through transformations and aggregations, recalls, simple
//! forms for herders and cooperatives that write correct EPCIS events, and the regulator's
//! dashboard. See README.md.

pub mod config;
pub mod demo;
pub mod domain;
mod http;
pub mod service;
pub mod store;

use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{AppState, Cloud, Module, NavItem};

pub use config::TraceConfig;
pub use service::Trace;

pub const MIGRATIONS: ModuleMigrations =
    ModuleMigrations { module: "trace", migrations: &[migration!(1, "0001_trace.sql")] };

pub struct TraceModule {
    ctx: Ctx,
}

pub fn module(config: TraceConfig) -> TraceModule {
    TraceModule { ctx: Ctx { config: std::sync::Arc::new(config) } }
}

#[derive(Clone)]
pub(crate) struct Ctx {
    pub config: std::sync::Arc<TraceConfig>,
}

pub(crate) fn service(state: &AppState, ctx: &Ctx) -> Trace {
    Trace::new(state.db.clone(), state.clock.clone(), state.bus.clone(), ctx.config.clone())
}

impl Module for TraceModule {
    fn name(&self) -> &'static str {
        "trace"
    }
    fn migrations(&self) -> ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<AppState> {
        http::api::router().layer(axum::Extension(self.ctx.clone()))
    }
    fn pages(&self) -> axum::Router<AppState> {
        http::epcis::router()
            .merge(http::resolver::router())
            .merge(http::forms::router())
            .merge(http::dashboard::router())
            .layer(axum::Extension(self.ctx.clone()))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        http::TEMPLATES
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("trace")
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![
            NavItem {
                cloud: Cloud::Industry,
                href: "/trace/record",
                label: "trace-nav-record",
                permission: Some(domain::perm::RECORD),
                public: false,
            },
            NavItem {
                cloud: Cloud::Industry,
                href: "/trace/regulator",
                label: "trace-nav-regulator",
                permission: Some(domain::perm::REGULATE),
                public: false,
            },
        ]
    }
}
