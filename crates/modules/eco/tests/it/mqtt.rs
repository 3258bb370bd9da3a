//! HJ 212 over MQTT against a real broker (the local Mosquitto) when QY_TEST_MQTT_URL is set.

use std::time::Duration;

use qy_eco::GatewayConfig;
use rumqttc::{AsyncClient, Event, MqttOptions, Packet, QoS};

use crate::harness::{hourly, start, PW};

#[tokio::test]
async fn a_frame_published_to_the_up_topic_is_stored_and_answered_on_the_down_topic() {
    let Ok(url) = std::env::var("QY_TEST_MQTT_URL") else {
        println!("skipped: QY_TEST_MQTT_URL not set");
        return;
    };
    let gw = start(GatewayConfig::default()).await;
    let mn = format!("QHMQTT{}", std::process::id());
    gw.station(&mn, false).await;
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    // A group of its own and a clean session: earlier runs must not hold shares of this test's traffic.
    let config = qy_eco::gateway::mqtt::MqttConfig {
        url: url.clone(),
        client_id: format!("qy-test-platform-{}", std::process::id()),
        group: format!("qy-test-{}", std::process::id()),
        persistent: false,
        sta_base: "http://127.0.0.1/sta/v1.1".into(),
    };
    tokio::spawn(qy_eco::gateway::mqtt::run(config, gw.ingest.clone(), stop));

    let (host, port) = qy_eco::gateway::mqtt::parse_url(&url).unwrap();
    let (station, mut events) =
        AsyncClient::new(MqttOptions::new(format!("qy-test-station-{}", std::process::id()), host, port), 16);
    station.subscribe(format!("hj212/{mn}/down"), QoS::AtLeastOnce).await.unwrap();
    let frame = hourly(&mn, "20260115100000777", PW, "09", "75");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut published = false;
    let reply = loop {
        assert!(tokio::time::Instant::now() < deadline, "no answer on hj212/{mn}/down");
        match tokio::time::timeout(Duration::from_secs(1), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::SubAck(_)))) if !published => {
                // Give the platform a moment to subscribe, then publish (QoS 1).
                tokio::time::sleep(Duration::from_millis(500)).await;
                station
                    .publish(format!("hj212/{mn}/up"), QoS::AtLeastOnce, false, frame.trim_end().as_bytes().to_vec())
                    .await
                    .unwrap();
                published = true;
            }
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) => break String::from_utf8_lossy(&p.payload).into_owned(),
            Ok(Ok(_)) | Err(_) => {}
            Ok(Err(e)) => panic!("station client: {e}"),
        }
    };
    let ack = qy_hj212::parse_frame(reply.as_bytes()).unwrap().packet().unwrap();
    assert_eq!((ack.cn.as_str(), ack.qn.as_deref()), ("9014", Some("20260115100000777")));
    assert_eq!(gw.count("eco_packet").await, 1);
}

#[tokio::test]
async fn a_sensorthings_observation_published_over_mqtt_is_stored() {
    let Ok(url) = std::env::var("QY_TEST_MQTT_URL") else {
        println!("skipped: QY_TEST_MQTT_URL not set");
        return;
    };
    let gw = start(GatewayConfig::default()).await;
    let station = gw.station(&format!("QHSTA{}", std::process::id()), false).await;
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    let group = format!("qy-test-sta-{}", std::process::id());
    let config = qy_eco::gateway::mqtt::MqttConfig {
        url: url.clone(),
        client_id: group.clone(),
        group,
        persistent: false,
        sta_base: "http://127.0.0.1/sta/v1.1".into(),
    };
    tokio::spawn(qy_eco::gateway::mqtt::run(config, gw.ingest.clone(), stop));

    let (host, port) = qy_eco::gateway::mqtt::parse_url(&url).unwrap();
    let (client, mut events) =
        AsyncClient::new(MqttOptions::new(format!("qy-test-sta-client-{}", std::process::id()), host, port), 16);
    let topic = format!("v1.1/Datastreams('{station}~a34004~hour')/Observations");
    let body = r#"{"phenomenonTime": "2026-01-15T01:00:00Z", "result": 42.5}"#;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut published = false;
    loop {
        assert!(tokio::time::Instant::now() < deadline, "observation not stored");
        if !published {
            if let Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) =
                tokio::time::timeout(Duration::from_secs(1), events.poll()).await
            {
                // Give the platform a moment to subscribe, then publish (QoS 1).
                tokio::time::sleep(Duration::from_millis(500)).await;
                client.publish(topic.clone(), QoS::AtLeastOnce, false, body.as_bytes().to_vec()).await.unwrap();
                published = true;
            }
            continue;
        }
        let _ = tokio::time::timeout(Duration::from_millis(200), events.poll()).await;
        let latest = qy_eco::store::latest(&gw.db, Some(&station), None).await.unwrap();
        if let Some(l) = latest.iter().find(|l| l.factor == "a34004") {
            assert_eq!((l.value.as_str(), l.period.as_str(), l.time_ms), ("42.5", "hour", 1_768_438_800_000));
            break;
        }
    }

    // A partner network's Datastream (created through the API) takes Observations the same way.
    let app = crate::sta::router(&gw);
    let thing = serde_json::json!({"name": "node", "description": "partner node",
        "Locations": [{"name": "plot", "description": "plot", "encodingType": "application/geo+json",
                       "location": {"type": "Point", "coordinates": [98.2, 34.9]}}],
        "Datastreams": [{"name": "moisture", "description": "d", "observationType": "OM_Measurement",
            "unitOfMeasurement": {"name": "percent", "symbol": "%", "definition": null},
            "Sensor": {"name": "probe", "description": "p", "encodingType": "text/plain", "metadata": "m"},
            "ObservedProperty": {"name": "moisture", "definition": "urn:x", "description": "d"}}]});
    let r = crate::sta::post(&app, "/Things", Some("writer"), thing).await;
    assert_eq!(r.status, axum::http::StatusCode::CREATED, "{}", r.body);
    let ds = crate::sta::get(&app, "/Datastreams?$filter=name eq 'moisture'").await.json()["value"][0]["@iot.id"]
        .as_i64()
        .unwrap();
    // Subscribed to the Datastream's topic, a client also receives the new Observation as the
    // entity (the platform's notification, with its self link).
    let topic = format!("v1.1/Datastreams({ds})/Observations");
    client.subscribe(topic.clone(), QoS::AtMostOnce).await.unwrap();
    let body = r#"{"phenomenonTime": "2026-01-15T02:00:00Z", "result": 31.5}"#;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let (mut published, mut stored, mut announced) = (false, false, false);
    while !(stored && announced) {
        assert!(tokio::time::Instant::now() < deadline, "partner observation: stored {stored}, announced {announced}");
        match tokio::time::timeout(Duration::from_millis(200), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::SubAck(_)))) if !published => {
                client.publish(topic.clone(), QoS::AtLeastOnce, false, body).await.unwrap();
                published = true;
            }
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) if p.topic == topic => {
                let v: serde_json::Value = serde_json::from_slice(&p.payload).unwrap_or_default();
                if v.get("@iot.selfLink").is_some() {
                    assert_eq!((v["result"].as_f64(), v["@iot.id"].is_i64()), (Some(31.5), true), "{v}");
                    announced = true;
                }
            }
            _ => {}
        }
        if published && !stored {
            let got = crate::sta::get(&app, &format!("/Datastreams({ds})/Observations")).await.json();
            if let Some(o) = got["value"].as_array().and_then(|v| v.first()) {
                assert_eq!(
                    (o["result"].as_f64(), o["phenomenonTime"].as_str()),
                    (Some(31.5), Some("2026-01-15T02:00:00Z"))
                );
                stored = true;
            }
        }
    }
}

#[tokio::test]
async fn a_subscriber_receives_every_new_observation_as_a_sensorthings_entity() {
    let Ok(url) = std::env::var("QY_TEST_MQTT_URL") else {
        println!("skipped: QY_TEST_MQTT_URL not set");
        return;
    };
    let gw = start(GatewayConfig::default()).await;
    let mn = format!("QHNOTE{}", std::process::id());
    let station = gw.station(&mn, false).await;
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    let group = format!("qy-test-notify-{}", std::process::id());
    let config = qy_eco::gateway::mqtt::MqttConfig {
        url: url.clone(),
        client_id: group.clone(),
        group,
        persistent: false,
        sta_base: "http://qingyun.test/sta/v1.1".into(),
    };
    tokio::spawn(qy_eco::gateway::mqtt::run(config, gw.ingest.clone(), stop));

    // A SensorThings client subscribes to one datastream, as §14.2.1 describes.
    let (host, port) = qy_eco::gateway::mqtt::parse_url(&url).unwrap();
    let (client, mut events) =
        AsyncClient::new(MqttOptions::new(format!("qy-test-subscriber-{}", std::process::id()), host, port), 16);
    let topic = qy_eco::sta::notify::datastream_topic(&format!("{station}~a34004~hour"));
    client.subscribe(topic.clone(), QoS::AtMostOnce).await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut sent = false;
    let body = loop {
        assert!(tokio::time::Instant::now() < deadline, "no notification on {topic}");
        match tokio::time::timeout(Duration::from_secs(1), events.poll()).await {
            Ok(Ok(Event::Incoming(Packet::SubAck(_)))) if !sent => {
                // The platform's MQTT task has subscribed to the notices once it is connected.
                tokio::time::sleep(Duration::from_millis(500)).await;
                // The value arrives by HJ 212 over TCP, not by MQTT.
                let mut logger = gw.connect().await;
                logger.send(hourly(&mn, "20260115100000888", PW, "09", "75").as_bytes()).await;
                let ack = logger.reply(Duration::from_secs(10)).await.expect("an answer");
                assert_eq!(ack.cn, "9014");
                sent = true;
            }
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) => break String::from_utf8_lossy(&p.payload).into_owned(),
            Ok(Ok(_)) | Err(_) => {}
            Ok(Err(e)) => panic!("subscriber: {e}"),
        }
    };
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["result"], 75, "{body}");
    assert_eq!(v["phenomenonTime"], "2026-01-15T01:00:00Z/2026-01-15T02:00:00Z");
    assert_eq!(v["@iot.id"], format!("{station}~a34004~hour~1768438800000"));
    assert!(v["@iot.selfLink"].as_str().unwrap().starts_with("http://qingyun.test/sta/v1.1/Observations('"));
    // Our own notification on a create topic was not taken for a create (no duplicate refusal):
    // exactly the one packet is stored.
    assert_eq!(gw.count("eco_packet").await, 1);
}
