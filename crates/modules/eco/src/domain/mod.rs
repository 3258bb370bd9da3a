//! Stations, factors and observations, and the rules on them (pure).

pub mod factor;
pub mod observation;
pub mod station;

/// Permissions this module checks (operators hold all).
pub mod perm {
    /// Register and change stations inside one's region subtree; see their access passwords.
    pub const STATIONS_MANAGE: &str = "eco.stations.manage";
}
