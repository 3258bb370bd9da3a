//! The single-instance bus: bounded in-memory channels, nothing stored.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use async_trait::async_trait;
use qy_kernel::bus::{subject_matches, BusError, Delivery, DeliveryStream, Event, EventBus};
use qy_kernel::Clock;
use tokio::sync::mpsc::{self, error::TrySendError};

use crate::{check_filter, check_subject};

/// Deliveries a subscriber may have queued before publishers have to wait for it.
pub const DEFAULT_CAPACITY: usize = 1024;
/// How long `publish` waits for room in a full subscriber queue before dropping.
pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(5);

/// The in-process event bus, for a single instance.
///
/// * `publish` hands the event to every *group* (a `(group, filter)` pair, as with
///   [`NatsBus`](crate::NatsBus)) whose filter matches the subject; within a group the
///   deliveries go round-robin over the group's live subscribers, skipping one whose queue
///   is full when another has room. With no matching group the event is simply not
///   delivered: nothing is stored, and nothing survives a restart.
/// * Each subscriber has a bounded queue ([`DEFAULT_CAPACITY`]). When every member of a
///   group is full, `publish` waits up to the send timeout ([`DEFAULT_SEND_TIMEOUT`]) for
///   room; if none comes, that group's copy of the event is **dropped**: a `tracing` warning
///   is logged and [`InProcessBus::dropped`] counts it. Publishing therefore never blocks
///   forever on a stuck consumer, and never loses an event without saying so.
/// * Dropping a subscription's stream unsubscribes it; it is pruned on the next publish.
/// * Acknowledgements are no-ops, and there is no redelivery.
pub struct InProcessBus {
    clock: Arc<dyn Clock>,
    groups: Mutex<Vec<Group>>,
    capacity: usize,
    send_timeout: Duration,
    dropped: AtomicU64,
}

struct Group {
    name: String,
    filter: String,
    members: Vec<mpsc::Sender<Delivery>>,
    /// Index of the member that gets the next event.
    next: usize,
}

impl InProcessBus {
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        Self {
            clock,
            groups: Mutex::new(Vec::new()),
            capacity: DEFAULT_CAPACITY,
            send_timeout: DEFAULT_SEND_TIMEOUT,
            dropped: AtomicU64::new(0),
        }
    }

    /// Sets each subscriber's queue length (at least 1) for subscriptions made afterwards.
    #[must_use]
    pub fn with_capacity(mut self, capacity: usize) -> Self {
        self.capacity = capacity.max(1);
        self
    }

    /// Sets how long `publish` waits for room in a full queue before dropping.
    #[must_use]
    pub fn with_send_timeout(mut self, timeout: Duration) -> Self {
        self.send_timeout = timeout;
        self
    }

    /// How many group deliveries have been dropped because every member's queue stayed full.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }

    /// Live subscribers right now (subscriptions whose stream is still held).
    pub fn subscriber_count(&self) -> usize {
        self.lock().iter().flat_map(|g| &g.members).filter(|m| !m.is_closed()).count()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Group>> {
        // Nothing panics while holding the lock, but a poisoned list is still consistent.
        self.groups.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// For each matching group, its live members in the order to try them.
    fn targets(&self, subject: &str) -> Vec<(String, Vec<mpsc::Sender<Delivery>>)> {
        let mut groups = self.lock();
        groups.retain_mut(|g| {
            g.members.retain(|m| !m.is_closed());
            !g.members.is_empty()
        });
        groups
            .iter_mut()
            .filter(|g| subject_matches(&g.filter, subject))
            .map(|g| {
                let n = g.members.len();
                let start = g.next % n;
                g.next = (start + 1) % n;
                let order = (0..n).map(|i| g.members[(start + i) % n].clone()).collect();
                (g.name.clone(), order)
            })
            .collect()
    }

    async fn deliver(&self, group: &str, members: Vec<mpsc::Sender<Delivery>>, event: &Event) {
        let mut delivery = Delivery::new(event.clone(), None);
        let mut first_full = None;
        for member in &members {
            match member.try_send(delivery) {
                Ok(()) => return,
                Err(TrySendError::Full(d)) => {
                    delivery = d;
                    first_full.get_or_insert(member);
                }
                Err(TrySendError::Closed(d)) => delivery = d,
            }
        }
        let Some(member) = first_full else {
            // Every member unsubscribed since we looked: the group is gone.
            return;
        };
        let why = match tokio::time::timeout(self.send_timeout, member.send(delivery)).await {
            Ok(Ok(())) => return,
            Ok(Err(_)) => "subscriber went away while its queue was full",
            Err(_) => "every subscriber's queue stayed full",
        };
        let total = self.dropped.fetch_add(1, Ordering::Relaxed) + 1;
        tracing::warn!(
            group,
            subject = %event.subject,
            event_id = %event.id,
            timeout_ms = u64::try_from(self.send_timeout.as_millis()).unwrap_or(u64::MAX),
            dropped_total = total,
            "in-process bus dropped an event: {why}"
        );
    }
}

#[async_trait]
impl EventBus for InProcessBus {
    async fn publish(&self, subject: &str, payload: serde_json::Value) -> Result<Event, BusError> {
        check_subject(subject)?;
        let event =
            Event { id: qy_kernel::id::new_id(), subject: subject.to_owned(), at_ms: self.clock.now_ms(), payload };
        for (group, members) in self.targets(subject) {
            self.deliver(&group, members, &event).await;
        }
        Ok(event)
    }

    async fn subscribe(&self, filter: &str, group: &str) -> Result<DeliveryStream, BusError> {
        check_filter(filter)?;
        let (tx, mut rx) = mpsc::channel(self.capacity);
        {
            let mut groups = self.lock();
            match groups.iter_mut().find(|g| g.name == group && g.filter == filter) {
                Some(g) => g.members.push(tx),
                None => {
                    groups.push(Group { name: group.to_owned(), filter: filter.to_owned(), members: vec![tx], next: 0 })
                }
            }
        }
        Ok(Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))))
    }

    fn name(&self) -> &'static str {
        "in-process"
    }
}
