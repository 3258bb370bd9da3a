use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use qy_eco::alerts::outbox::{self, Notifier};
use qy_eco::domain::alert::{NewRule, RuleKind, Status};
use qy_eco::GatewayConfig;
use qy_kernel::{Principal, PrincipalKind, RegionScope};

use crate::harness::{hourly, start, PW};

const WAIT: Duration = Duration::from_secs(10);

fn officer(region: &str) -> Principal {
    Principal {
        account_id: "officer".into(),
        username: "golmud.eco".into(),
        display_name: "Officer".into(),
        kind: PrincipalKind::Staff,
        permissions: ["eco.alerts.rules", "eco.alerts.handle"].iter().map(|s| s.to_string()).collect::<BTreeSet<_>>(),
        scope: RegionScope::new(region).unwrap(),
        department_id: None,
        uscc: None,
        token_scopes: None,
    }
}

fn rule(kind: RuleKind) -> NewRule {
    NewRule {
        name: "PM2.5 小时浓度超标".into(),
        kind,
        region_code: "632800".into(),
        station_id: None,
        factor: Some("a34004".into()),
        period: Some("hour".into()),
        threshold: Some("150".into()),
        minutes: None,
        notify: vec!["sms:13800000000".into(), "email:duty@example.cn".into()],
    }
}

#[derive(Default)]
struct Collected(Mutex<Vec<String>>);

#[async_trait]
impl Notifier for Collected {
    async fn send(&self, channel: &str, recipient: &str, body: &str) -> Result<(), String> {
        self.0.lock().unwrap().push(format!("{channel}|{recipient}|{body}"));
        Ok(())
    }
}

#[tokio::test]
async fn a_threshold_alert_opens_on_a_high_value_notifies_and_closes_when_values_return() {
    let gw = start(GatewayConfig::default()).await;
    let station = gw.station("QH632801AL01", false).await;
    let p = officer("632800");
    gw.ingest.alerts.create_rule(Some(&p), rule(RuleKind::Threshold)).await.unwrap();
    // The outbox listens to alert events on the bus.
    let (_stop_tx, stop) = tokio::sync::watch::channel(false);
    tokio::spawn(outbox::collect(gw.db.clone(), gw.clock.clone(), gw.bus.clone(), stop));
    tokio::time::sleep(Duration::from_millis(100)).await;

    let mut c = gw.connect().await;
    c.send(hourly("QH632801AL01", "20260115100000001", PW, "09", "210").as_bytes()).await;
    assert_eq!(c.reply(WAIT).await.unwrap().cn, "9014");
    let active = gw.ingest.alerts.alerts_for(&p, true).await.unwrap();
    assert_eq!(active.len(), 1);
    assert_eq!(
        (active[0].station_id.as_str(), active[0].value.as_deref(), active[0].status),
        (station.as_str(), Some("210"), Status::Open)
    );

    // The same condition again does not open a second alert.
    c.send(hourly("QH632801AL01", "20260115110000001", PW, "10", "190").as_bytes()).await;
    c.reply(WAIT).await.unwrap();
    assert_eq!(gw.ingest.alerts.alerts_for(&p, true).await.unwrap().len(), 1);

    // Two recipients, one message each, delivered through the notifier.
    let notifier = Collected::default();
    let mut sent = 0;
    for _ in 0..50 {
        sent += outbox::deliver_pending(&gw.db, gw.clock.as_ref(), &notifier).await.unwrap();
        if sent >= 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let messages = notifier.0.lock().unwrap().clone();
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages.iter().any(|m| m.starts_with("sms|13800000000|【预警】PM2.5 小时浓度超标")));

    // Back under the limit: closed by itself, with a note saying why.
    c.send(hourly("QH632801AL01", "20260115120000001", PW, "11", "40").as_bytes()).await;
    c.reply(WAIT).await.unwrap();
    assert!(gw.ingest.alerts.alerts_for(&p, true).await.unwrap().is_empty());
    let all = gw.ingest.alerts.alerts_for(&p, false).await.unwrap();
    let (_, notes) = gw.ingest.alerts.alert_for(&p, &all[0].id).await.unwrap();
    assert!(notes.iter().any(|n| n.author == "system" && n.text.contains("back to normal")));
}

#[tokio::test]
async fn a_silent_station_raises_an_alert_that_closes_when_it_speaks_again() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801AL02", false).await;
    let p = officer("632800");
    let mut silent = rule(RuleKind::Silent);
    silent.minutes = Some(5);
    gw.ingest.alerts.create_rule(Some(&p), silent).await.unwrap();

    assert_eq!(gw.ingest.alerts.check_silent().await.unwrap(), 0, "a new station gets its chance first");
    gw.clock.advance_ms(6 * 60_000);
    assert_eq!(gw.ingest.alerts.check_silent().await.unwrap(), 1);
    assert_eq!(gw.ingest.alerts.check_silent().await.unwrap(), 0, "one alert per silence");
    let active = gw.ingest.alerts.alerts_for(&p, true).await.unwrap();
    assert_eq!((active.len(), active[0].kind), (1, RuleKind::Silent));

    let mut c = gw.connect().await;
    c.send(hourly("QH632801AL02", "20260115100000002", PW, "09", "40").as_bytes()).await;
    c.reply(WAIT).await.unwrap();
    assert!(gw.ingest.alerts.alerts_for(&p, true).await.unwrap().is_empty());
}

#[tokio::test]
async fn staff_acknowledge_and_close_alerts_only_inside_their_region() {
    let gw = start(GatewayConfig::default()).await;
    gw.station("QH632801AL03", false).await;
    let p = officer("632800");
    gw.ingest.alerts.create_rule(Some(&p), rule(RuleKind::Threshold)).await.unwrap();
    let mut c = gw.connect().await;
    c.send(hourly("QH632801AL03", "20260115100000003", PW, "09", "300").as_bytes()).await;
    c.reply(WAIT).await.unwrap();
    let id = gw.ingest.alerts.alerts_for(&p, true).await.unwrap()[0].id.clone();

    let xining = officer("630100");
    let err = gw.ingest.alerts.acknowledge(&xining, &id, None, None).await.unwrap_err();
    assert_eq!(err.code, "eco.out_of_scope");
    let err = gw.ingest.alerts.create_rule(Some(&xining), rule(RuleKind::Threshold)).await.unwrap_err();
    assert_eq!(err.code, "eco.out_of_scope");

    let a = gw.ingest.alerts.acknowledge(&p, &id, Some("才让"), Some("已派人核查")).await.unwrap();
    assert_eq!((a.status, a.assignee.as_deref()), (Status::Acknowledged, Some("才让")));
    assert_eq!(gw.ingest.alerts.acknowledge(&p, &id, None, None).await.unwrap_err().code, "eco.alert_not_open");
    let a = gw.ingest.alerts.close(&p, &id, Some("设备校准后恢复")).await.unwrap();
    assert_eq!(a.status, Status::Closed);
    let (_, notes) = gw.ingest.alerts.alert_for(&p, &id).await.unwrap();
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["已派人核查", "设备校准后恢复"]);
    let _ = Arc::clone(&gw.clock);
}
