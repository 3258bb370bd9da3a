//! Shared types and ports of the Qingyun platform.
//!
//! Nothing in here does I/O. Modules depend on this crate, never on each other: when one
//! module needs another's answer it calls a port declared here and wired in `qy-server`.

pub mod audit;
pub mod auth;
pub mod bus;
pub mod clock;
pub mod credit;
pub mod error;
pub mod feed;
pub mod id;
pub mod principal;
pub mod region;
pub mod vault;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::{Error, ErrorKind, Result};
pub use principal::{Permission, Principal, PrincipalKind};
pub use region::RegionScope;
