//! The module list. Adding a module means adding one line here (and its crate to
//! Cargo.toml). Order matters only for migrations: a module's tables are created in order.

use qy_web::Module;

pub fn all(secret: [u8; 32]) -> Vec<Box<dyn Module>> {
    vec![Box::new(qy_regions::module()), Box::new(qy_identity::module(secret)), Box::new(qy_audit::module())]
}

/// Every module's migrations, in order, without building modules (for `qingyun migrate`).
pub fn migrations() -> Vec<qy_storage::ModuleMigrations> {
    vec![qy_regions::MIGRATIONS, qy_identity::MIGRATIONS, qy_audit::MIGRATIONS]
}
