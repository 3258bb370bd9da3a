//! Government information resources (plan 十.1, 专栏十, 十一.2): the catalog of every
//! department's resources, sharing and exchange between government systems, and the
//! open-data portal with a CKAN-compatible API and DCAT-AP. See README.md.

pub mod domain;
pub mod policy;
pub mod service;
pub mod store;
pub mod typed;

pub use policy::Policy;
pub use service::Catalog;

pub const MIGRATIONS: qy_storage::ModuleMigrations = qy_storage::ModuleMigrations {
    module: "catalog",
    migrations: &[qy_storage::migration!(1, "0001_catalog.sql"), qy_storage::migration!(2, "0002_categories.sql")],
};
