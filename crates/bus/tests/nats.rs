//! Against a real NATS server with JetStream. Runs only when `QY_TEST_NATS_URL` is set
//! (e.g. `nats://127.0.0.1:4222`); otherwise each test says it was skipped and passes.
//! Every test uses its own stream and subject prefix and deletes the stream at the end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use qy_bus::{NatsBus, NatsBusBuilder};
use qy_kernel::bus::{BusError, DeliveryStream, Event, EventBus};
use qy_kernel::FixedClock;
use serde_json::json;

const RECV_TIMEOUT: Duration = Duration::from_secs(10);

fn nats_url() -> Option<String> {
    match std::env::var("QY_TEST_NATS_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            println!("skipped: QY_TEST_NATS_URL not set");
            None
        }
    }
}

struct Setup {
    url: String,
    stream: String,
    /// First subject token, unique to this test run; the stream captures `<prefix>.>`.
    prefix: String,
}

impl Setup {
    fn builder(&self) -> NatsBusBuilder {
        NatsBus::builder(&self.url).stream(&self.stream).subjects(&format!("{}.>", self.prefix))
    }
    fn subject(&self, rest: &str) -> String {
        format!("{}.{rest}", self.prefix)
    }
    fn all(&self) -> String {
        format!("{}.>", self.prefix)
    }
}

/// Runs `body` against a fresh stream, then deletes the stream, even if `body` panicked.
async fn with_nats<F, Fut>(configure: fn(NatsBusBuilder) -> NatsBusBuilder, body: F)
where
    F: FnOnce(Arc<Setup>, Arc<NatsBus>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some(url) = nats_url() else { return };
    let run = qy_kernel::id::new_id().replace('-', "");
    let setup = Arc::new(Setup { url, stream: format!("QYTEST_{run}"), prefix: format!("qyt{run}") });
    let bus = Arc::new(configure(setup.builder()).connect().await.expect("connect to NATS"));
    let outcome = tokio::spawn(body(setup.clone(), bus.clone())).await;
    if let Err(e) = bus.jetstream().delete_stream(&setup.stream).await {
        eprintln!("could not delete test stream {}: {e}", setup.stream);
    }
    if let Err(e) = outcome {
        match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(e) => panic!("test task failed: {e}"),
        }
    }
}

fn defaults(b: NatsBusBuilder) -> NatsBusBuilder {
    b
}

async fn next(s: &mut DeliveryStream) -> qy_kernel::bus::Delivery {
    tokio::time::timeout(RECV_TIMEOUT, s.next())
        .await
        .expect("no delivery within the timeout")
        .expect("delivery stream ended")
}

async fn recv(s: &mut DeliveryStream) -> Event {
    let d = next(s).await;
    let e = d.event.clone();
    d.ack().await.unwrap();
    e
}

#[tokio::test]
async fn a_durable_group_gets_events_published_while_it_was_away() {
    with_nats(
        |b| b.clock(Arc::new(FixedClock::new(1_700_000_000_000))),
        |setup, bus| async move {
            assert_eq!(bus.name(), "nats");
            assert!(bus.ready().await);
            // First subscription creates the durable consumer; then every member goes away.
            drop(bus.subscribe(&setup.all(), "projector").await.unwrap());

            let payload = json!({"account": "a1", "roles": ["admin"], "n": 3});
            let sent = bus.publish(&setup.subject("identity.account.created"), payload.clone()).await.unwrap();
            assert_eq!(sent.at_ms, 1_700_000_000_000);
            assert!(qy_kernel::id::is_uuid(&sent.id));

            // Another instance (own connection) of the same group picks it up.
            let other = setup.builder().connect().await.unwrap();
            let mut s = other.subscribe(&setup.all(), "projector").await.unwrap();
            let got = recv(&mut s).await;
            assert_eq!(got, sent);
            assert_eq!(got.payload, payload);
            assert_eq!(got.subject, setup.subject("identity.account.created"));
        },
    )
    .await;
}

#[tokio::test]
async fn an_unacked_delivery_comes_back() {
    with_nats(
        |b| b.ack_wait(Duration::from_secs(1)),
        |setup, bus| async move {
            let mut s = bus.subscribe(&setup.all(), "flaky").await.unwrap();
            let sent = bus.publish(&setup.subject("jobs.job.queued"), json!(1)).await.unwrap();
            let first = next(&mut s).await;
            assert_eq!(first.event.id, sent.id);
            drop(first); // not acknowledged: the handler "crashed"
            let again = next(&mut s).await;
            assert_eq!(again.event, sent);
            again.ack().await.unwrap();
        },
    )
    .await;
}

#[tokio::test]
async fn members_of_a_group_share_the_events() {
    with_nats(
        |b| b.ack_wait(Duration::from_secs(2)).pull_batch(1),
        |setup, bus| async move {
            let a = bus.subscribe(&setup.all(), "workers").await.unwrap();
            let b = setup.builder().ack_wait(Duration::from_secs(2)).pull_batch(1).connect().await.unwrap();
            let b = b.subscribe(&setup.all(), "workers").await.unwrap();
            let mut both = futures_util::stream::select(a.map(|d| ("a", d)), b.map(|d| ("b", d)));

            let mut published = HashSet::new();
            for i in 0..20 {
                published.insert(bus.publish(&setup.subject("jobs.job.queued"), json!(i)).await.unwrap().id);
            }
            let mut seen: HashMap<String, &str> = HashMap::new();
            while seen.len() < published.len() {
                let (who, d) = tokio::time::timeout(RECV_TIMEOUT, both.next()).await.expect("timeout").unwrap();
                if let Some(prev) = seen.insert(d.event.id.clone(), who) {
                    panic!("{} delivered to {prev} and then {who}", d.event.id);
                }
                d.ack().await.unwrap();
            }
            assert_eq!(seen.keys().cloned().collect::<HashSet<_>>(), published);
            // Longer than ack_wait: nothing acknowledged comes back.
            if let Ok(Some((who, d))) = tokio::time::timeout(Duration::from_secs(3), both.next()).await {
                panic!("extra delivery to {who}: {:?}", d.event);
            }
            let per_member = seen.values().fold(HashMap::new(), |mut m, who| {
                *m.entry(*who).or_insert(0) += 1;
                m
            });
            println!("split across the group: {per_member:?}");
        },
    )
    .await;
}

#[tokio::test]
async fn every_group_gets_every_event() {
    with_nats(defaults, |setup, bus| async move {
        let mut audit = bus.subscribe(&setup.all(), "audit").await.unwrap();
        let mut notify = bus.subscribe(&setup.subject("identity.*.created"), "notify").await.unwrap();
        let mut ids = Vec::new();
        for i in 0..5 {
            ids.push(bus.publish(&setup.subject("identity.account.created"), json!(i)).await.unwrap().id);
        }
        bus.publish(&setup.subject("billing.invoice.created"), json!("not for notify")).await.unwrap();
        for s in [&mut audit, &mut notify] {
            let mut got = Vec::new();
            for _ in 0..5 {
                got.push(recv(s).await.id);
            }
            assert_eq!(got, ids);
        }
        assert_eq!(recv(&mut audit).await.payload, json!("not for notify"));
    })
    .await;
}

#[tokio::test]
async fn messages_that_are_not_events_are_skipped_for_good() {
    with_nats(
        |b| b.ack_wait(Duration::from_secs(1)),
        |setup, bus| async move {
            let mut s = bus.subscribe(&setup.all(), "strict").await.unwrap();
            bus.jetstream().publish(setup.subject("junk"), "not json".into()).await.unwrap().await.unwrap();
            let good = bus.publish(&setup.subject("ok.thing.done"), json!(true)).await.unwrap();
            assert_eq!(recv(&mut s).await, good);
            // The junk was terminated, not left to come back after ack_wait.
            if let Ok(Some(d)) = tokio::time::timeout(Duration::from_secs(3), s.next()).await {
                panic!("unexpected delivery {:?}", d.event);
            }
        },
    )
    .await;
}

#[tokio::test]
async fn bad_subjects_are_refused() {
    with_nats(defaults, |setup, bus| async move {
        for bad in [setup.subject(""), format!("{}..x", setup.prefix), setup.subject("*"), setup.all()] {
            match bus.publish(&bad, json!(null)).await {
                Err(BusError::InvalidSubject(s)) => assert_eq!(s, bad),
                other => panic!("publish {bad:?}: {other:?}"),
            }
        }
        assert!(matches!(bus.subscribe("qy.>.x", "g").await, Err(BusError::InvalidSubject(_))));
        // Valid, but no stream captures it.
        let outside = format!("elsewhere{}.a.b", setup.prefix);
        assert!(matches!(bus.publish(&outside, json!(null)).await, Err(BusError::Unavailable(_))));
    })
    .await;
}
