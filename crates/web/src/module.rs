//! The interface every domain module implements. The server holds the literal list of
//! modules (`qy-server/src/modules.rs`) and composes them; modules never see each other.

use axum::Router;
use qy_storage::ModuleMigrations;
use utoipa_axum::router::OpenApiRouter;

use crate::i18n::FtlSource;
use crate::AppState;

/// The "1+4" clouds of the action plan, used to group navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// 基础支撑: identity, regions, catalog, audit.
    Base,
    /// 政务云.
    Government,
    /// 产业云.
    Industry,
    /// 民生云.
    Livelihood,
    /// 生态云.
    Ecology,
}

impl Cloud {
    pub const ALL: [Cloud; 5] = [Cloud::Base, Cloud::Government, Cloud::Industry, Cloud::Livelihood, Cloud::Ecology];

    /// Fluent key of the cloud's name.
    pub fn label_key(self) -> &'static str {
        match self {
            Cloud::Base => "cloud-base",
            Cloud::Government => "cloud-government",
            Cloud::Industry => "cloud-industry",
            Cloud::Livelihood => "cloud-livelihood",
            Cloud::Ecology => "cloud-ecology",
        }
    }
}

/// One navigation entry. Shown only to users who hold `permission` (when set).
#[derive(Debug, Clone, serde::Serialize)]
pub struct NavItem {
    pub cloud: Cloud,
    pub href: &'static str,
    /// Fluent key of the label.
    pub label: &'static str,
    pub permission: Option<&'static str>,
    /// Shown to anonymous visitors too.
    pub public: bool,
}

pub trait Module: Send + Sync + 'static {
    /// Short name: the table prefix and the API path segment (`/api/v1/<name>`).
    fn name(&self) -> &'static str;
    fn migrations(&self) -> ModuleMigrations;
    /// JSON API, mounted at `/api/v1/<name>`. Every route carries its OpenAPI document.
    fn api(&self) -> OpenApiRouter<AppState> {
        OpenApiRouter::new()
    }
    /// Server-rendered pages and protocol endpoints, mounted at the root.
    fn pages(&self) -> Router<AppState> {
        Router::new()
    }
    /// Page templates: (name, source). Names are prefixed with the module name.
    fn templates(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }
    fn locales(&self) -> &'static [FtlSource];
    fn nav(&self) -> Vec<NavItem> {
        Vec::new()
    }
}
