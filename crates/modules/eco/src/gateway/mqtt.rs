//! HJ 212 over MQTT, for stations (or data concentrators) that publish through a broker.
//!
//! Topics: a station publishes each frame to `hj212/{MN}/up`; the platform answers (9013,
//! 9014 …) on `hj212/{MN}/down`. The platform subscribes with the shared subscription
//! `$share/qingyun/hj212/+/up`, so with several instances each frame reaches exactly one of
//! them. Frames go through the same `Ingest` as TCP: same checks, same "acknowledge only after
//! commit" rule. QoS 1 both ways; a frame is acknowledged to the broker only after it is
//! handled, so an instance that dies mid-way lets the broker redeliver it.
//!
//! The same connection carries SensorThings: Observations published by clients are created
//! (`sta::mqtt`), and every newly stored Observation is announced to subscribers
//! (`sta::notify`).

use std::sync::Arc;
use std::time::Duration;

use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};
use tokio::sync::watch;

use super::{Ingest, Outcome};

/// The shared-subscription group of the platform's instances.
pub const GROUP: &str = "qingyun";

/// How to connect.
#[derive(Debug, Clone)]
pub struct MqttConfig {
    /// `mqtt://host:1883`
    pub url: String,
    /// Stable per instance: with a persistent session the broker keeps unacknowledged
    /// messages for it across reconnects. A new id per start would leave dead sessions behind
    /// in the shared group, each holding a share of the traffic.
    pub client_id: String,
    /// Shared-subscription group (instances of one deployment share one group).
    pub group: String,
    /// Keep the session (and unacknowledged messages) across reconnects.
    pub persistent: bool,
    /// The SensorThings service root for the self links of notifications
    /// (`https://host/sta/v1.1`).
    pub sta_base: String,
}

impl MqttConfig {
    pub fn up_filter(&self) -> String {
        format!("$share/{}/hj212/+/up", self.group)
    }

    /// SensorThings observations (MQTT extension, create).
    pub fn sta_filter(&self) -> String {
        format!("$share/{}/{}", self.group, crate::sta::mqtt::FILTER)
    }
}

/// `mqtt://host:port` (or `tcp://`) → (host, port).
pub fn parse_url(url: &str) -> Option<(String, u16)> {
    let rest = url.strip_prefix("mqtt://").or_else(|| url.strip_prefix("tcp://"))?;
    let hostport = rest.split('/').next()?;
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (hostport, 1883),
    };
    (!host.is_empty()).then(|| (host.to_owned(), port))
}

/// Runs until `stop`; reconnects by itself (rumqttc's event loop) when the broker goes away.
pub async fn run(config: MqttConfig, ingest: Arc<Ingest>, mut stop: watch::Receiver<bool>) {
    let url = config.url.clone();
    let Some((host, port)) = parse_url(&url) else {
        tracing::error!(url = %url, "QY_MQTT_URL must look like mqtt://host:1883; MQTT ingest disabled");
        return;
    };
    let filter = config.up_filter();
    spawn_notifier(host.clone(), port, &config, &ingest, stop.clone());
    let mut options = MqttOptions::new(config.client_id.clone(), host, port);
    options.set_keep_alive(Duration::from_secs(30));
    options.set_manual_acks(true);
    options.set_clean_session(!config.persistent);
    let (client, mut events) = AsyncClient::new(options, 256);
    loop {
        let event = tokio::select! {
            e = events.poll() => e,
            _ = stop.changed() => return,
        };
        match event {
            Ok(Event::Incoming(Packet::ConnAck(_))) => {
                tracing::info!(url = %url, filter = %filter, "MQTT connected; subscribing");
                for f in [filter.clone(), config.sta_filter()] {
                    if let Err(e) = client.subscribe(f, QoS::AtLeastOnce).await {
                        tracing::warn!(error = %e, "MQTT subscribe failed");
                    }
                }
            }
            // One of the platform's own SensorThings notifications (QoS 0, nothing to
            // acknowledge): not a create.
            Ok(Event::Incoming(Packet::Publish(p)))
                if p.qos == QoS::AtMostOnce && crate::sta::notify::is_notification(&p.payload) => {}
            Ok(Event::Incoming(Packet::Publish(p))) if p.topic.starts_with("v1.1/") => {
                let now = qy_kernel::Clock::now_ms(&qy_kernel::SystemClock);
                let settled = match crate::sta::mqtt::create(&ingest, ingest.db(), now, &p.topic, &p.payload).await {
                    Ok(id) => {
                        tracing::debug!(observation = %id, "SensorThings observation over MQTT");
                        true
                    }
                    Err(e)
                        if e.kind == qy_kernel::ErrorKind::Unavailable || e.kind == qy_kernel::ErrorKind::Internal =>
                    {
                        tracing::error!(code = %e.code, "MQTT observation not stored");
                        false
                    }
                    Err(e) => {
                        tracing::warn!(code = %e.code, detail = %e.detail, topic = %p.topic, "MQTT observation refused");
                        true
                    }
                };
                if settled {
                    if let Err(e) = client.ack(&p).await {
                        tracing::warn!(error = %e, "MQTT ack not queued");
                    }
                }
            }
            Ok(Event::Incoming(Packet::Publish(p))) => {
                let mn = p.topic.split('/').rev().nth(1).unwrap_or("").to_owned();
                let (reply, stored_or_refused) = handle(&ingest, &p.payload, &mn).await;
                if let Some(reply) = reply {
                    let topic = format!("hj212/{mn}/down");
                    if let Err(e) = client.publish(topic, QoS::AtLeastOnce, false, reply.into_bytes()).await {
                        tracing::warn!(error = %e, "MQTT reply not queued");
                    }
                }
                // Not acknowledged when the store was unavailable: the broker keeps the message
                // and redelivers it after a reconnect.
                if stored_or_refused {
                    if let Err(e) = client.ack(&p).await {
                        tracing::warn!(error = %e, "MQTT ack not queued");
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(error = %e, "MQTT connection lost; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
        }
    }
}

/// SensorThings notifications go out on a connection of their own, published by one task
/// while another drives its event loop: under load its queue fills and notifications are
/// dropped, which must never hold up the ingest connection's subscriptions and acks.
fn spawn_notifier(host: String, port: u16, config: &MqttConfig, ingest: &Arc<Ingest>, stop: watch::Receiver<bool>) {
    let mut options = MqttOptions::new(format!("{}-notify", config.client_id), host, port);
    options.set_keep_alive(Duration::from_secs(30));
    let (client, mut events) = AsyncClient::new(options, 4096);
    let mut stop_events = stop.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                e = events.poll() => if let Err(e) = e {
                    tracing::warn!(error = %e, "MQTT notification connection lost; retrying");
                    tokio::time::sleep(Duration::from_secs(2)).await;
                },
                _ = stop_events.changed() => return,
            }
        }
    });
    let (mut notices, base, mut stop) = (ingest.notices(), config.sta_base.clone(), stop);
    tokio::spawn(async move {
        loop {
            tokio::select! {
                n = notices.recv() => {
                    if matches!(n, Err(tokio::sync::broadcast::error::RecvError::Closed)) {
                        return;
                    }
                    announce(&client, &base, n);
                }
                _ = stop.changed() => return,
            }
        }
    });
}

/// Publishes the SensorThings notifications of one stored upload (QoS 0, best effort: when
/// the client's queue is full they are dropped and counted, the data is already stored).
fn announce(
    client: &AsyncClient,
    sta_base: &str,
    notice: Result<Arc<crate::sta::notify::Notice>, tokio::sync::broadcast::error::RecvError>,
) {
    let notice = match notice {
        Ok(n) => n,
        Err(tokio::sync::broadcast::error::RecvError::Lagged(missed)) => {
            metrics::counter!("qy_eco_sta_notices_dropped_total").increment(missed);
            tracing::warn!(missed, "SensorThings MQTT notifications fell behind; some uploads were not announced");
            return;
        }
        Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
    };
    for (topic, payload) in crate::sta::notify::messages(sta_base, &notice) {
        if client.try_publish(topic, QoS::AtMostOnce, false, payload.into_bytes()).is_err() {
            metrics::counter!("qy_eco_sta_notices_dropped_total").increment(1);
        }
    }
}

/// One MQTT message: a complete HJ 212 frame (CR LF optional). Returns the reply frame and
/// whether the message is settled (stored, or refused for good).
async fn handle(ingest: &Ingest, payload: &[u8], topic_mn: &str) -> (Option<String>, bool) {
    let mut bytes = payload.to_vec();
    if !bytes.ends_with(b"\r\n") {
        bytes.extend_from_slice(b"\r\n");
    }
    let frame = match qy_hj212::parse_frame_with(&bytes, qy_hj212::FrameOptions::LEGACY) {
        Ok(f) => f,
        Err(e) => {
            tracing::warn!(mn = %topic_mn, reason = %e, "MQTT HJ 212 frame rejected");
            return (None, true);
        }
    };
    match ingest.handle(&frame, &format!("mqtt:{topic_mn}")).await {
        Outcome::Reply { reply, mn } => {
            if mn != topic_mn {
                tracing::warn!(topic = %topic_mn, packet = %mn, "MN in the topic differs from the packet's; answered on the topic");
            }
            (reply, true)
        }
        Outcome::Rejected(reason) => {
            tracing::warn!(mn = %topic_mn, reason = %reason, "MQTT HJ 212 packet rejected");
            (None, true)
        }
        Outcome::Unavailable(reason) => {
            tracing::error!(mn = %topic_mn, reason = %reason, "MQTT upload not stored");
            (None, false)
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn broker_urls_are_parsed() {
        assert_eq!(super::parse_url("mqtt://127.0.0.1:1883"), Some(("127.0.0.1".into(), 1883)));
        assert_eq!(super::parse_url("tcp://broker"), Some(("broker".into(), 1883)));
        assert_eq!(super::parse_url("http://x"), None);
        assert_eq!(super::parse_url("mqtt://:1"), None);
    }
}
