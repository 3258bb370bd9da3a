#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures_util::{FutureExt, StreamExt};
use qy_bus::InProcessBus;
use qy_kernel::bus::{BusError, DeliveryStream, Event, EventBus};
use qy_kernel::FixedClock;
use serde_json::json;

const RECV_TIMEOUT: Duration = Duration::from_secs(10);

fn bus() -> InProcessBus {
    InProcessBus::new(Arc::new(FixedClock::new(1_700_000_000_000)))
}

async fn recv(s: &mut DeliveryStream) -> Event {
    let d = tokio::time::timeout(RECV_TIMEOUT, s.next())
        .await
        .expect("no delivery within the timeout")
        .expect("stream ended");
    let event = d.event.clone();
    d.ack().await.unwrap();
    event
}

/// Nothing more is queued right now (deliveries are queued before `publish` returns).
fn assert_idle(s: &mut DeliveryStream) {
    if let Some(Some(d)) = s.next().now_or_never() {
        panic!("unexpected delivery {:?}", d.event);
    }
}

#[tokio::test]
async fn publish_fills_in_the_event() {
    let bus = bus();
    let mut s = bus.subscribe("qy.>", "g").await.unwrap();
    let e = bus.publish("qy.identity.account.created", json!({"id": 7})).await.unwrap();
    assert!(qy_kernel::id::is_uuid(&e.id));
    assert_eq!(e.at_ms, 1_700_000_000_000);
    assert_eq!(e.subject, "qy.identity.account.created");
    assert_eq!(recv(&mut s).await, e);
    assert_eq!(bus.name(), "in-process");
    assert!(bus.ready().await);
}

#[tokio::test]
async fn every_group_gets_every_event() {
    let bus = bus();
    let mut a = bus.subscribe("qy.>", "audit").await.unwrap();
    let mut b = bus.subscribe("qy.>", "notify").await.unwrap();
    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(bus.publish("qy.identity.account.created", json!(i)).await.unwrap().id);
    }
    for s in [&mut a, &mut b] {
        let mut got = Vec::new();
        for _ in 0..3 {
            got.push(recv(s).await.id);
        }
        assert_eq!(got, ids, "in publish order");
        assert_idle(s);
    }
}

#[tokio::test]
async fn members_of_a_group_share_the_work() {
    let bus = bus();
    let mut a = bus.subscribe("qy.>", "worker").await.unwrap();
    let mut b = bus.subscribe("qy.>", "worker").await.unwrap();
    let mut published = HashSet::new();
    for i in 0..10 {
        published.insert(bus.publish("qy.jobs.job.queued", json!(i)).await.unwrap().id);
    }
    let mut seen = HashSet::new();
    for s in [&mut a, &mut b] {
        // Round-robin: five each.
        for _ in 0..5 {
            assert!(seen.insert(recv(s).await.id), "delivered twice");
        }
        assert_idle(s);
    }
    assert_eq!(seen, published);
}

#[tokio::test]
async fn wildcard_filters() {
    let bus = bus();
    let mut star = bus.subscribe("qy.*.account.created", "star").await.unwrap();
    let mut tail = bus.subscribe("qy.identity.>", "tail").await.unwrap();
    let created = bus.publish("qy.identity.account.created", json!(1)).await.unwrap();
    bus.publish("qy.identity.account.deleted", json!(2)).await.unwrap();
    bus.publish("qy.x.y.account.created", json!(3)).await.unwrap();
    bus.publish("qy.identity", json!(4)).await.unwrap();
    let other = bus.publish("qy.billing.account.created", json!(5)).await.unwrap();

    assert_eq!(recv(&mut star).await.id, created.id);
    assert_eq!(recv(&mut star).await.id, other.id);
    assert_idle(&mut star);

    assert_eq!(recv(&mut tail).await.payload, json!(1));
    assert_eq!(recv(&mut tail).await.payload, json!(2));
    assert_idle(&mut tail);
}

#[tokio::test]
async fn invalid_subjects_are_rejected() {
    let bus = bus();
    for bad in ["", "qy..x", "qy.*", "qy.>", "qy.a b", ".qy", "qy."] {
        match bus.publish(bad, json!(null)).await {
            Err(BusError::InvalidSubject(s)) => assert_eq!(s, bad),
            other => panic!("publish {bad:?}: {other:?}"),
        }
    }
    for bad in ["", "qy..x", "qy.>.x", "qy.a b"] {
        assert!(matches!(bus.subscribe(bad, "g").await, Err(BusError::InvalidSubject(_))), "subscribe {bad:?}");
    }
}

#[tokio::test]
async fn dropped_subscribers_are_cleaned_up() {
    let bus = bus();
    let gone = bus.subscribe("qy.>", "worker").await.unwrap();
    let mut stays = bus.subscribe("qy.>", "worker").await.unwrap();
    let lonely = bus.subscribe("qy.>", "lonely").await.unwrap();
    assert_eq!(bus.subscriber_count(), 3);
    drop(gone);
    drop(lonely);

    for i in 0..4 {
        bus.publish("qy.jobs.job.queued", json!(i)).await.unwrap();
    }
    for i in 0..4 {
        assert_eq!(recv(&mut stays).await.payload, json!(i), "the remaining member gets everything");
    }
    assert_eq!(bus.subscriber_count(), 1);
    assert_eq!(bus.dropped(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_stuck_subscriber_costs_a_bounded_wait_and_is_counted() {
    let bus = bus().with_capacity(1).with_send_timeout(Duration::from_millis(100));
    let mut s = bus.subscribe("qy.>", "stuck").await.unwrap();
    let first = bus.publish("qy.a.b.c", json!(1)).await.unwrap();
    // The queue is full: each of these waits out the send timeout, then is dropped.
    bus.publish("qy.a.b.c", json!(2)).await.unwrap();
    bus.publish("qy.a.b.c", json!(3)).await.unwrap();
    assert_eq!(bus.dropped(), 2);
    assert_eq!(recv(&mut s).await.id, first.id);
    assert_idle(&mut s);
}

#[tokio::test(start_paused = true)]
async fn a_slow_subscriber_loses_nothing_within_the_timeout() {
    let bus = Arc::new(bus().with_capacity(1).with_send_timeout(Duration::from_secs(1)));
    let mut s = bus.subscribe("qy.>", "slow").await.unwrap();
    let reader = tokio::spawn(async move {
        let mut got = Vec::new();
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            got.push(recv(&mut s).await.payload);
        }
        got
    });
    for i in 0..5 {
        bus.publish("qy.a.b.c", json!(i)).await.unwrap();
    }
    assert_eq!(reader.await.unwrap(), (0..5).map(|i| json!(i)).collect::<Vec<_>>());
    assert_eq!(bus.dropped(), 0);
}

#[tokio::test]
async fn a_full_member_is_skipped_for_one_with_room() {
    let bus = bus().with_capacity(1).with_send_timeout(Duration::from_secs(5));
    let mut a = bus.subscribe("qy.>", "w").await.unwrap();
    let mut b = bus.subscribe("qy.>", "w").await.unwrap();
    // Round-robin: a gets 1, b gets 2, and a's queue (length 1) is then full.
    bus.publish("qy.a.b.c", json!(1)).await.unwrap();
    bus.publish("qy.a.b.c", json!(2)).await.unwrap();
    assert_eq!(recv(&mut b).await.payload, json!(2));
    // a's turn, but a is full and b has room again: it goes to b, without waiting.
    bus.publish("qy.a.b.c", json!(3)).await.unwrap();
    assert_eq!(recv(&mut b).await.payload, json!(3));
    assert_eq!(recv(&mut a).await.payload, json!(1));
    assert_eq!(bus.dropped(), 0);
}

#[tokio::test]
async fn connect_without_a_url_is_in_process() {
    let clock = Arc::new(FixedClock::new(0));
    assert_eq!(qy_bus::connect(None, clock.clone()).await.unwrap().name(), "in-process");
    assert_eq!(qy_bus::connect(Some("  "), clock).await.unwrap().name(), "in-process");
}
