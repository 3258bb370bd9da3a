//! Event bus adapters for the kernel's [`EventBus`] port.
//!
//! * [`InProcessBus`] — the default for a single instance: events travel through bounded
//!   in-memory channels and are gone when the process stops.
//! * [`NatsBus`] — NATS JetStream: events are stored in a stream (durable once `publish`
//!   returns `Ok`), consumer groups are durable pull consumers shared by every instance
//!   that subscribes with the same group, and unacknowledged deliveries come back.
//!
//! [`connect`] picks one from configuration.

use std::sync::Arc;

use qy_kernel::bus::{valid_subject, BusError, EventBus};
use qy_kernel::Clock;

mod in_process;
mod nats;

pub use in_process::{InProcessBus, DEFAULT_CAPACITY, DEFAULT_SEND_TIMEOUT};
pub use nats::{NatsBus, NatsBusBuilder, DEFAULT_STREAM, DEFAULT_SUBJECTS};

/// Chooses the implementation: [`NatsBus`] (stream [`DEFAULT_STREAM`] over
/// [`DEFAULT_SUBJECTS`]) when `nats_url` is given and not blank, else [`InProcessBus`].
pub async fn connect(nats_url: Option<&str>, clock: Arc<dyn Clock>) -> Result<Arc<dyn EventBus>, BusError> {
    match nats_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => {
            let bus = NatsBus::builder(url).clock(clock).connect().await?;
            Ok(Arc::new(bus))
        }
        None => Ok(Arc::new(InProcessBus::new(clock))),
    }
}

/// A subject to publish on: no wildcards.
pub(crate) fn check_subject(subject: &str) -> Result<(), BusError> {
    if valid_subject(subject, false) {
        Ok(())
    } else {
        Err(BusError::InvalidSubject(subject.to_owned()))
    }
}

/// A subscription filter: wildcards allowed, `>` only as the last token (as NATS requires).
pub(crate) fn check_filter(filter: &str) -> Result<(), BusError> {
    let gt_last = !filter.split('.').rev().skip(1).any(|tok| tok == ">");
    if valid_subject(filter, true) && gt_last {
        Ok(())
    } else {
        Err(BusError::InvalidSubject(filter.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked() {
        assert!(check_filter("qy.>").is_ok());
        assert!(check_filter("qy.*.account.*").is_ok());
        assert!(check_filter("qy.>.x").is_err());
        assert!(check_filter("qy..x").is_err());
        assert!(check_subject("qy.*").is_err());
        assert!(check_subject("qy.identity.account.created").is_ok());
    }
}
