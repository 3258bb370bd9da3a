//! Stations, factors and observations, and the rules on them (pure).

pub mod alert;
pub mod factor;
pub mod observation;
pub mod station;

/// Permissions this module checks (operators hold all).
pub mod perm {
    /// Register and change stations inside one's region subtree; see their access passwords.
    pub const STATIONS_MANAGE: &str = "eco.stations.manage";
    /// Define early-warning rules inside one's region subtree.
    pub const RULES_MANAGE: &str = "eco.alerts.rules";
    /// See, acknowledge, annotate and close alerts inside one's region subtree.
    pub const ALERTS_HANDLE: &str = "eco.alerts.handle";
}
