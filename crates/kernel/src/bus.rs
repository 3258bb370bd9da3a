//! The event bus port. Modules publish domain events and react to each other's events
//! without depending on each other. Subjects are `qy.<module>.<entity>.<event>`.
//!
//! Delivery is at least once: a consumer acknowledges each delivery after handling it, and
//! unacknowledged deliveries come back (JetStream). Consumers in the same *group* share the
//! work: each event reaches one member of a group (one instance of a scaled-out service).

use std::pin::Pin;

use async_trait::async_trait;
use futures_core::Stream;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Unique id (UUIDv7); consumers use it to make handling idempotent.
    pub id: String,
    pub subject: String,
    /// Epoch milliseconds, UTC.
    pub at_ms: i64,
    pub payload: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum BusError {
    #[error("invalid subject {0:?}: use dot-separated tokens of letters, digits, '_' or '-'")]
    InvalidSubject(String),
    #[error("event bus unavailable: {0}")]
    Unavailable(String),
}

/// Acknowledges one delivery.
#[async_trait]
pub trait Acker: Send + Sync {
    async fn ack(&self) -> Result<(), BusError>;
}

pub struct Delivery {
    pub event: Event,
    acker: Option<Box<dyn Acker>>,
}

impl Delivery {
    pub fn new(event: Event, acker: Option<Box<dyn Acker>>) -> Self {
        Self { event, acker }
    }
    /// Marks the event handled; without it the bus may deliver the event again.
    pub async fn ack(self) -> Result<(), BusError> {
        match self.acker {
            Some(a) => a.ack().await,
            None => Ok(()),
        }
    }
}

impl std::fmt::Debug for Delivery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Delivery").field("event", &self.event).finish_non_exhaustive()
    }
}

pub type DeliveryStream = Pin<Box<dyn Stream<Item = Delivery> + Send>>;

#[async_trait]
pub trait EventBus: Send + Sync + 'static {
    /// Publishes durably: when this returns `Ok`, the bus holds the event.
    async fn publish(&self, subject: &str, payload: serde_json::Value) -> Result<Event, BusError>;
    /// Subscribes `group` to subjects matching `filter` (`*` one token, `>` the rest).
    async fn subscribe(&self, filter: &str, group: &str) -> Result<DeliveryStream, BusError>;
    /// A short name for `/readyz` and logs: `in-process` or `nats`.
    fn name(&self) -> &'static str;
    /// Is the bus reachable right now?
    async fn ready(&self) -> bool {
        true
    }
}

/// Subject syntax shared by both implementations (NATS rules, a subset).
pub fn valid_subject(subject: &str, allow_wildcards: bool) -> bool {
    !subject.is_empty()
        && subject.split('.').all(|tok| {
            (allow_wildcards && (tok == "*" || tok == ">"))
                || (!tok.is_empty() && tok.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'))
        })
}

/// Does `subject` match `filter` (NATS semantics: `*` one token, `>` one or more at the end)?
pub fn subject_matches(filter: &str, subject: &str) -> bool {
    let mut f = filter.split('.');
    let mut s = subject.split('.');
    loop {
        match (f.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some("*"), Some(_)) => {}
            (Some(a), Some(b)) if a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_like_nats() {
        assert!(subject_matches("qy.identity.>", "qy.identity.account.created"));
        assert!(subject_matches("qy.*.account.created", "qy.identity.account.created"));
        assert!(!subject_matches("qy.*", "qy.identity.account"));
        assert!(!subject_matches("qy.identity.>", "qy.identity"));
    }

    #[test]
    fn subjects_are_validated() {
        assert!(valid_subject("qy.identity.account.created", false));
        assert!(!valid_subject("qy..x", false));
        assert!(!valid_subject("qy.*", false));
        assert!(valid_subject("qy.*", true));
    }
}
