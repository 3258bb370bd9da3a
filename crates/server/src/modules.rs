//! The module list. Adding a module means adding one line here (and its crate to
//! Cargo.toml). Order matters only for migrations: a module's tables are created in order.

use qy_web::Module;

/// What modules need from the composition root.
pub struct Wiring {
    /// Seals personal data at rest (identity).
    pub secret: [u8; 32],
    /// The HJ 212 gateway's state (eco): pages show which stations are connected.
    pub ingest: std::sync::Arc<qy_eco::Ingest>,
    /// Seals natural persons' ID numbers (credit), under identity's keys.
    pub vault: std::sync::Arc<dyn qy_kernel::vault::PersonalDataVault>,
    /// Publication regimes, scoring model, calendar and deadlines (credit).
    pub credit_policy: std::sync::Arc<qy_credit::Policy>,
    /// The modules' live data the catalog can put behind entries.
    pub feeds: std::sync::Arc<dyn qy_kernel::feed::DataFeeds>,
    pub catalog_policy: std::sync::Arc<qy_catalog::Policy>,
    /// The traceability namespace and capture limits.
    pub trace_config: qy_trace::TraceConfig,
}

pub fn all(w: &Wiring) -> Vec<Box<dyn Module>> {
    vec![
        Box::new(qy_regions::module()),
        Box::new(qy_identity::module(w.secret)),
        Box::new(qy_audit::module()),
        Box::new(qy_eco::module(w.ingest.clone())),
        Box::new(qy_credit::module(w.vault.clone(), w.credit_policy.clone())),
        Box::new(qy_catalog::module(w.feeds.clone(), w.catalog_policy.clone())),
        Box::new(qy_trace::module(w.trace_config.clone())),
    ]
}

/// Every module's migrations, in order, without building modules (for `qingyun migrate`).
pub fn migrations() -> Vec<qy_storage::ModuleMigrations> {
    vec![
        qy_regions::MIGRATIONS,
        qy_identity::MIGRATIONS,
        qy_audit::MIGRATIONS,
        qy_eco::MIGRATIONS,
        qy_credit::MIGRATIONS,
        qy_catalog::MIGRATIONS,
        qy_trace::MIGRATIONS,
    ]
}
