//! The NATS JetStream bus: durable events, durable consumer groups, redelivery.
//!
//! Only JetStream features that nats-server 2.9 supports are used (the client is built
//! without its `server_2_10`+ features).

use std::sync::Arc;
use std::time::Duration;

use async_nats::connection::State;
use async_nats::jetstream::{
    self,
    consumer::{pull, AckPolicy, DeliverPolicy, PullConsumer},
    message::PublishMessage,
    stream::{RetentionPolicy, StorageType},
    AckKind,
};
use async_trait::async_trait;
use futures_util::StreamExt;
use qy_kernel::bus::{Acker, BusError, Delivery, DeliveryStream, Event, EventBus};
use qy_kernel::{Clock, SystemClock};

use crate::{check_filter, check_subject};

/// The stream [`crate::connect`] uses.
pub const DEFAULT_STREAM: &str = "QY";
/// The subjects that stream captures.
pub const DEFAULT_SUBJECTS: &str = "qy.>";

/// Options for [`NatsBus`]; start with [`NatsBus::builder`].
#[derive(Clone)]
pub struct NatsBusBuilder {
    url: String,
    stream: String,
    subjects: String,
    clock: Arc<dyn Clock>,
    max_age: Duration,
    ack_wait: Duration,
    max_deliver: i64,
    pull_batch: usize,
    replay_history: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
}

impl std::fmt::Debug for NatsBusBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The URL may carry credentials: leave it out.
        f.debug_struct("NatsBusBuilder")
            .field("stream", &self.stream)
            .field("subjects", &self.subjects)
            .field("max_age", &self.max_age)
            .field("ack_wait", &self.ack_wait)
            .field("max_deliver", &self.max_deliver)
            .field("pull_batch", &self.pull_batch)
            .field("replay_history", &self.replay_history)
            .finish_non_exhaustive()
    }
}

impl NatsBusBuilder {
    /// The JetStream stream to create or use (default [`DEFAULT_STREAM`]). Stream names
    /// cannot contain `.`, `*`, `>` or whitespace.
    #[must_use]
    pub fn stream(mut self, name: &str) -> Self {
        self.stream = name.to_owned();
        self
    }
    /// The subject pattern the stream captures when it is created (default
    /// [`DEFAULT_SUBJECTS`]). An existing stream keeps its own subjects.
    #[must_use]
    pub fn subjects(mut self, subjects: &str) -> Self {
        self.subjects = subjects.to_owned();
        self
    }
    /// Where event timestamps come from (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
    /// How long the stream keeps events when it is created (default 7 days).
    #[must_use]
    pub fn max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }
    /// How long a delivery may stay unacknowledged before it is delivered again
    /// (default 30 s). Applies to consumers created or updated from now on.
    #[must_use]
    pub fn ack_wait(mut self, ack_wait: Duration) -> Self {
        self.ack_wait = ack_wait;
        self
    }
    /// How many times an event is delivered to a group at most (default 10); after that
    /// JetStream gives up on it for that group.
    #[must_use]
    pub fn max_deliver(mut self, max_deliver: i64) -> Self {
        self.max_deliver = max_deliver;
        self
    }
    /// How many events one subscriber pulls (and holds unacknowledged) at a time
    /// (default 64, at least 1). Smaller spreads work more evenly across a group.
    #[must_use]
    pub fn pull_batch(mut self, batch: usize) -> Self {
        self.pull_batch = batch.max(1);
        self
    }
    /// When a group subscribes for the very first time (its durable consumer is created),
    /// should it receive the events the stream already holds? Default `false`: a new
    /// group starts with events published after its creation, like the in-process bus.
    /// Once the consumer exists, events published while no member is running are kept
    /// for it either way.
    #[must_use]
    pub fn replay_history(mut self, replay: bool) -> Self {
        self.replay_history = replay;
        self
    }
    /// Timeouts for establishing the connection and for JetStream API calls and publish
    /// acknowledgements (defaults 5 s each).
    #[must_use]
    pub fn timeouts(mut self, connect: Duration, request: Duration) -> Self {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    /// Connects, then creates the stream unless it exists (file storage, limits retention).
    pub async fn connect(self) -> Result<NatsBus, BusError> {
        if check_filter(&self.subjects).is_err() {
            return Err(BusError::InvalidSubject(self.subjects));
        }
        let client = async_nats::ConnectOptions::new()
            .name("qingyun")
            .connection_timeout(self.connect_timeout)
            .connect(self.url.as_str())
            .await
            .map_err(|e| unavailable("connect to NATS", e))?;
        let mut js = jetstream::new(client.clone());
        js.set_timeout(self.request_timeout);
        let config = jetstream::stream::Config {
            name: self.stream.clone(),
            subjects: vec![self.subjects.clone()],
            storage: StorageType::File,
            retention: RetentionPolicy::Limits,
            max_age: self.max_age,
            description: Some("Qingyun domain events".to_owned()),
            ..Default::default()
        };
        let stream = js
            .get_or_create_stream(config)
            .await
            .map_err(|e| unavailable(&format!("create or get stream {}", self.stream), e))?;
        let existing = &stream.cached_info().config.subjects;
        if !existing.contains(&self.subjects) {
            tracing::warn!(
                stream = %self.stream,
                wanted = %self.subjects,
                has = ?existing,
                "NATS stream exists with other subjects; publishes outside them will fail"
            );
        }
        tracing::info!(stream = %self.stream, subjects = ?existing, "connected to NATS JetStream");
        Ok(NatsBus {
            client,
            js,
            stream: self.stream,
            clock: self.clock,
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver,
            pull_batch: self.pull_batch,
            replay_history: self.replay_history,
        })
    }
}

/// The NATS JetStream event bus, for any number of instances.
///
/// * `publish` stores the event (JSON) in the stream with `Nats-Msg-Id` set to the event id,
///   so a retried publish within the stream's duplicate window is stored once, and returns
///   `Ok` only after JetStream acknowledged it.
/// * `subscribe(filter, group)` creates or reuses a durable pull consumer (explicit ack,
///   `ack_wait`, `max_deliver`) named after the group and the filter, so every instance
///   that subscribes with the same group and filter shares one consumer: each event goes to
///   one of them. [`Delivery::ack`] acknowledges the message; an unacknowledged one is
///   delivered again after `ack_wait`. Messages that are not a JSON [`Event`] are logged and
///   terminated (never redelivered).
pub struct NatsBus {
    client: async_nats::Client,
    js: jetstream::Context,
    stream: String,
    clock: Arc<dyn Clock>,
    ack_wait: Duration,
    max_deliver: i64,
    pull_batch: usize,
    replay_history: bool,
}

impl NatsBus {
    /// Options with their defaults: stream [`DEFAULT_STREAM`], subjects [`DEFAULT_SUBJECTS`],
    /// the system clock, 7 days' retention, `ack_wait` 30 s, `max_deliver` 10.
    pub fn builder(url: &str) -> NatsBusBuilder {
        NatsBusBuilder {
            url: url.to_owned(),
            stream: DEFAULT_STREAM.to_owned(),
            subjects: DEFAULT_SUBJECTS.to_owned(),
            clock: Arc::new(SystemClock),
            max_age: Duration::from_secs(7 * 24 * 3600),
            ack_wait: Duration::from_secs(30),
            max_deliver: 10,
            pull_batch: 64,
            replay_history: false,
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(5),
        }
    }

    /// Connects with the default options and the given stream and subjects.
    pub async fn connect(url: &str, stream_name: &str, subjects: &str) -> Result<Self, BusError> {
        Self::builder(url).stream(stream_name).subjects(subjects).connect().await
    }

    /// The stream this bus publishes to.
    pub fn stream_name(&self) -> &str {
        &self.stream
    }

    /// The JetStream context, for tooling and tests (inspecting or deleting the stream).
    pub fn jetstream(&self) -> &jetstream::Context {
        &self.js
    }

    /// The durable consumer name used for `group` and `filter`: the group with every
    /// character outside `[A-Za-z0-9_-]` replaced by `_` (at most 48 of them), then `_` and
    /// a stable 64-bit hash of group and filter, so different filters of one group and
    /// groups that sanitise alike never share a consumer by accident.
    pub fn durable_name(group: &str, filter: &str) -> String {
        let readable: String = group
            .chars()
            .take(48)
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        let hash = fnv1a64([group.as_bytes(), &[0], filter.as_bytes()]);
        if readable.is_empty() {
            format!("g_{hash:016x}")
        } else {
            format!("{readable}_{hash:016x}")
        }
    }

    async fn consumer(&self, filter: &str, group: &str) -> Result<PullConsumer, BusError> {
        let durable = Self::durable_name(group, filter);
        let config = pull::Config {
            durable_name: Some(durable.clone()),
            description: Some(format!("qy group {group:?} on {filter}")),
            deliver_policy: if self.replay_history { DeliverPolicy::All } else { DeliverPolicy::New },
            ack_policy: AckPolicy::Explicit,
            ack_wait: self.ack_wait,
            max_deliver: self.max_deliver,
            filter_subject: filter.to_owned(),
            ..Default::default()
        };
        // Create, or update the existing consumer's updatable settings (ack_wait, ...).
        match self.js.create_consumer_on_stream(config, self.stream.as_str()).await {
            Ok(c) => Ok(c),
            Err(create_err) => {
                // The server refused the update (say, a setting it cannot change): keep
                // using the consumer as it is, if it exists.
                match self.js.get_consumer_from_stream(&durable, self.stream.as_str()).await {
                    Ok(c) => {
                        tracing::warn!(
                            consumer = %durable,
                            error = %create_err,
                            "could not update NATS consumer; using it as it is"
                        );
                        Ok(c)
                    }
                    Err(_) => Err(unavailable(&format!("create consumer {durable} for {filter}"), create_err)),
                }
            }
        }
    }
}

#[async_trait]
impl EventBus for NatsBus {
    async fn publish(&self, subject: &str, payload: serde_json::Value) -> Result<Event, BusError> {
        check_subject(subject)?;
        let event =
            Event { id: qy_kernel::id::new_id(), subject: subject.to_owned(), at_ms: self.clock.now_ms(), payload };
        let body = serde_json::to_vec(&event).map_err(|e| unavailable("encode event", e))?;
        let ack = self
            .js
            .send_publish(subject.to_owned(), PublishMessage::build().payload(body.into()).message_id(&event.id))
            .await
            .map_err(|e| unavailable(&format!("publish {subject}"), e))?
            .await
            .map_err(|e| unavailable(&format!("publish {subject} (awaiting ack)"), e))?;
        if ack.duplicate {
            tracing::debug!(event_id = %event.id, "NATS reported a duplicate publish");
        }
        Ok(event)
    }

    async fn subscribe(&self, filter: &str, group: &str) -> Result<DeliveryStream, BusError> {
        check_filter(filter)?;
        let consumer = self.consumer(filter, group).await?;
        let messages = consumer
            .stream()
            .max_messages_per_batch(self.pull_batch)
            .messages()
            .await
            .map_err(|e| unavailable(&format!("pull from consumer for group {group}"), e))?;
        let durable: Arc<str> = Arc::from(Self::durable_name(group, filter));
        let deliveries = messages.filter_map(move |item| {
            let durable = Arc::clone(&durable);
            async move {
                match item {
                    Ok(message) => decode(message, &durable).await,
                    Err(e) => {
                        tracing::warn!(consumer = %durable, error = %e, "NATS pull stream error");
                        None
                    }
                }
            }
        });
        Ok(Box::pin(deliveries))
    }

    fn name(&self) -> &'static str {
        "nats"
    }

    async fn ready(&self) -> bool {
        self.client.connection_state() == State::Connected
    }
}

/// Turns a JetStream message into a delivery; terminates it when it is not an [`Event`].
async fn decode(message: jetstream::Message, consumer: &str) -> Option<Delivery> {
    let (message, acker) = message.split();
    match serde_json::from_slice::<Event>(&message.payload) {
        Ok(event) => Some(Delivery::new(event, Some(Box::new(NatsAcker(acker))))),
        Err(e) => {
            tracing::warn!(
                consumer,
                subject = %message.subject,
                error = %e,
                "NATS message is not a JSON event; terminating it"
            );
            if let Err(e) = acker.ack_with(AckKind::Term).await {
                tracing::warn!(consumer, error = %e, "could not terminate undecodable NATS message");
            }
            None
        }
    }
}

struct NatsAcker(jetstream::message::Acker);

#[async_trait]
impl Acker for NatsAcker {
    async fn ack(&self) -> Result<(), BusError> {
        self.0.ack().await.map_err(|e| unavailable("ack", e))
    }
}

fn unavailable(what: &str, err: impl std::fmt::Display) -> BusError {
    BusError::Unavailable(format!("{what}: {err}"))
}

/// FNV-1a, 64-bit: stable across builds and platforms (unlike `DefaultHasher`).
fn fnv1a64<const N: usize>(parts: [&[u8]; N]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.iter().flat_map(|p| p.iter()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durable_names_are_nats_safe_and_stable() {
        let name = NatsBus::durable_name("notify.mail *x>", "qy.identity.>");
        assert!(name.starts_with("notify_mail__x__"), "{name}");
        assert!(!name.contains(['.', '*', '>', ' ']));
        assert_eq!(name, NatsBus::durable_name("notify.mail *x>", "qy.identity.>"));
        assert_ne!(name, NatsBus::durable_name("notify.mail *x>", "qy.billing.>"));
        assert_ne!(NatsBus::durable_name("a.b", "qy.>"), NatsBus::durable_name("a_b", "qy.>"));
        assert!(NatsBus::durable_name("", "qy.>").starts_with("g_"));
    }

    #[test]
    fn fnv_matches_reference_vector() {
        assert_eq!(fnv1a64([b"a".as_slice()]), 0xaf63_dc4c_8601_ec8c);
    }
}
