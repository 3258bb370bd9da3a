//! Ecological-environment monitoring: the station registry, the HJ 212 gateway and the
//! observation store. See README.md.

pub mod alerts;
pub mod aqi;
pub mod daily;
pub mod demo;
pub mod domain;
pub mod feeds;
pub mod gateway;
mod http;
pub mod service;
pub mod simulator;
pub mod sta;
pub mod store;
pub mod water;

use std::sync::Arc;

use qy_storage::{migration, ModuleMigrations};
use qy_web::i18n::FtlSource;
use qy_web::{AppState, Cloud, Module, NavItem};

pub use gateway::{GatewayConfig, Ingest};
pub use service::Eco;

pub const MIGRATIONS: ModuleMigrations = ModuleMigrations {
    module: "eco",
    migrations: &[
        migration!(1, "0001_eco.sql"),
        migration!(2, "0002_aqi.sql"),
        migration!(3, "0003_water.sql"),
        migration!(4, "0004_alerts.sql"),
        migration!(6, "0006_daily.sql"),
        migration!(7, "0007_derived.sql"),
        migration!(8, "0008_sta_native.sql"),
    ],
};

pub struct EcoModule {
    ingest: Arc<Ingest>,
}

/// `ingest` is the gateway's state, shared so that pages can show connection status.
pub fn module(ingest: Arc<Ingest>) -> EcoModule {
    EcoModule { ingest }
}

#[derive(Clone)]
pub(crate) struct Ctx {
    pub ingest: Arc<Ingest>,
}

pub(crate) fn service(state: &AppState) -> Eco {
    Eco::new(state.db.clone(), state.clock.clone())
}

impl Module for EcoModule {
    fn name(&self) -> &'static str {
        "eco"
    }
    fn migrations(&self) -> ModuleMigrations {
        MIGRATIONS
    }
    fn api(&self) -> qy_web::utoipa_axum::router::OpenApiRouter<AppState> {
        http::api::router()
            .merge(http::alerts_api::router())
            .layer(axum::Extension(Ctx { ingest: self.ingest.clone() }))
    }
    fn pages(&self) -> axum::Router<AppState> {
        http::pages::router()
            .merge(http::alerts_pages::router())
            .merge(sta::router())
            .layer(axum::Extension(Ctx { ingest: self.ingest.clone() }))
    }
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[
            ("eco/stations.html", include_str!("../templates/stations.html")),
            ("eco/station.html", include_str!("../templates/station.html")),
            ("eco/admin_stations.html", include_str!("../templates/admin_stations.html")),
            ("eco/map.html", include_str!("../templates/map.html")),
            ("eco/alerts.html", include_str!("../templates/alerts.html")),
            ("eco/alert.html", include_str!("../templates/alert.html")),
            ("eco/ranking.html", include_str!("../templates/ranking.html")),
        ]
    }
    fn locales(&self) -> &'static [FtlSource] {
        qy_web::ftl_sources!("eco")
    }
    fn nav(&self) -> Vec<NavItem> {
        vec![
            NavItem {
                cloud: Cloud::Ecology,
                href: "/eco/stations",
                label: "eco-nav-stations",
                permission: None,
                public: true,
            },
            NavItem {
                cloud: Cloud::Ecology,
                href: "/admin/eco/stations",
                label: "eco-nav-admin",
                permission: Some(domain::perm::STATIONS_MANAGE),
                public: false,
            },
            NavItem {
                cloud: Cloud::Ecology,
                href: "/admin/eco/alerts",
                label: "eco-nav-alerts",
                permission: Some(domain::perm::ALERTS_HANDLE),
                public: false,
            },
        ]
    }
}
