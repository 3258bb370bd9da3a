//! HTTP glue shared by every Qingyun module. See README.md.

pub mod assets;
pub mod audit_layer;
pub mod csrf;
pub mod extract;
pub mod i18n;
pub mod limit;
pub mod module;
pub mod page;
pub mod paging;
pub mod problem;
pub mod state;
pub mod templates;

pub use extract::{ApiJson, ApiUser, ClientIp, CsrfForm, Lang, MaybePageUser, PageUser};
pub use module::{Cloud, Module, NavItem};
pub use page::{render, PageError};
pub use problem::{ApiError, ApiResult, Problem};
pub use state::{AppState, Core, WebConfig};

pub use axum;
pub use minijinja;
pub use utoipa;
pub use utoipa_axum;

/// The web crate's own translations (layout, errors).
pub const LOCALES: &[i18n::FtlSource] = ftl_sources!("web");
