//! Early warning: rules evaluated as data arrives (and, for silence, every minute), the alert
//! lifecycle (open → acknowledged → closed, with an assignee and notes), and events on the
//! bus (`qy.eco.alert.opened`, `qy.eco.alert.closed`) that the outbox turns into notifications.
//!
//! Condition-based alerts close by themselves when the condition clears (the value is back
//! under the limit, the station speaks again); staff may acknowledge and close them earlier.

pub mod outbox;

use std::sync::{Arc, Mutex};

use qy_kernel::bus::EventBus;
use qy_kernel::{id, Clock, Error, Principal, RegionScope, Result};
use qy_storage::Db;

use crate::domain::alert::{breaches, parse_decimal, Alert, NewRule, Note, Rule, RuleKind, Status};
use crate::domain::observation::Observation;
use crate::domain::perm;
use crate::store::{self, NewAlert};

/// Rules are re-read at most this often on the ingest path.
const RULE_CACHE_MS: i64 = 10_000;

/// What the evaluator needs to know about a station.
#[derive(Debug, Clone)]
pub struct StationRef {
    pub id: String,
    pub name: String,
    pub region_code: String,
    pub target_class: Option<u8>,
}

pub struct Alerts {
    db: Db,
    clock: Arc<dyn Clock>,
    bus: Arc<dyn EventBus>,
    cache: Mutex<(i64, Arc<Vec<Rule>>)>,
    /// Stations with an active silence alert (`None` until loaded): every packet asks, and the
    /// answer is almost always "no", so it must not cost a query.
    silent: Mutex<Option<std::collections::HashSet<String>>>,
}

fn applies(rule: &Rule, station: &StationRef) -> bool {
    rule.enabled
        && rule.station_id.as_deref().is_none_or(|s| s == station.id)
        && RegionScope::new(&rule.region_code).is_some_and(|scope| scope.contains(&station.region_code))
}

impl Alerts {
    pub fn new(db: Db, clock: Arc<dyn Clock>, bus: Arc<dyn EventBus>) -> Self {
        Self { db, clock, bus, cache: Mutex::new((i64::MIN, Arc::new(Vec::new()))), silent: Mutex::new(None) }
    }

    async fn rules(&self) -> Result<Arc<Vec<Rule>>> {
        let now = self.clock.now_ms();
        if let Ok(c) = self.cache.lock() {
            if now.saturating_sub(c.0) < RULE_CACHE_MS {
                return Ok(c.1.clone());
            }
        }
        let rules = Arc::new(store::rules(&self.db, "%").await?);
        if let Ok(mut c) = self.cache.lock() {
            *c = (now, rules.clone());
        }
        Ok(rules)
    }

    fn forget_rules(&self) {
        if let Ok(mut c) = self.cache.lock() {
            c.0 = i64::MIN;
        }
    }

    // ---- evaluation ----------------------------------------------------------------------

    /// Threshold and rate rules on freshly stored observations.
    pub async fn on_observations(&self, station: &StationRef, observations: &[Observation]) -> Result<()> {
        let rules = self.rules().await?;
        for rule in
            rules.iter().filter(|r| matches!(r.kind, RuleKind::Threshold | RuleKind::Rate) && applies(r, station))
        {
            for o in observations {
                if rule.factor.as_deref() != Some(o.factor.as_str())
                    || rule.period.as_deref() != Some(o.period.as_str())
                {
                    continue;
                }
                if o.flag != "N" {
                    continue; // Invalid data (maintenance, fault …) never raises an alarm.
                }
                let Some(value) = parse_decimal(&o.value) else { continue };
                let previous = if rule.kind == RuleKind::Rate {
                    store::previous_value(&self.db, &station.id, &o.factor, o.period.as_str(), o.time_ms)
                        .await?
                        .and_then(|(v, t)| parse_decimal(&v).map(|v| (v, t)))
                } else {
                    None
                };
                let detail = format!("{} {} = {}", o.factor, o.period.as_str(), o.value);
                self.set(rule, station, breaches(rule, value, o.time_ms, previous), Some(&o.value), &detail).await?;
            }
        }
        Ok(())
    }

    pub async fn on_aqi(&self, station: &StationRef, aqi: u32, level: u8) -> Result<()> {
        let rules = self.rules().await?;
        for rule in rules.iter().filter(|r| r.kind == RuleKind::AqiLevel && applies(r, station)) {
            let min = rule.threshold.as_deref().and_then(parse_decimal).unwrap_or(7.0);
            let detail = format!("AQI {aqi} (level {level})");
            self.set(rule, station, f64::from(level) >= min, Some(&aqi.to_string()), &detail).await?;
        }
        Ok(())
    }

    pub async fn on_water_class(&self, station: &StationRef, class: u8) -> Result<()> {
        let rules = self.rules().await?;
        for rule in rules.iter().filter(|r| r.kind == RuleKind::WaterClass && applies(r, station)) {
            let fires = match rule.threshold.as_deref().and_then(parse_decimal) {
                Some(min) => f64::from(class) >= min,
                None => station.target_class.is_some_and(|t| class > t),
            };
            let detail = format!(
                "class {} (target {})",
                crate::water::label(class),
                station.target_class.map_or("—", crate::water::label)
            );
            self.set(rule, station, fires, Some(crate::water::label(class)), &detail).await?;
        }
        Ok(())
    }

    /// A packet arrived: silence is over.
    pub async fn on_packet(&self, station_id: &str) -> Result<()> {
        let loaded = self.silent.lock().map(|s| s.is_some()).unwrap_or(false);
        if !loaded {
            let stations = store::stations_with_active_silence(&self.db).await?;
            if let Ok(mut s) = self.silent.lock() {
                *s = Some(stations.into_iter().collect());
            }
        }
        let maybe_silent =
            self.silent.lock().map(|s| s.as_ref().is_none_or(|set| set.contains(station_id))).unwrap_or(true);
        if !maybe_silent {
            return Ok(());
        }
        for id in store::active_silent_alerts(&self.db, station_id).await? {
            self.close_automatically(&id, "the station is sending again").await?;
        }
        if let Ok(mut s) = self.silent.lock() {
            if let Some(set) = s.as_mut() {
                set.remove(station_id);
            }
        }
        Ok(())
    }

    /// Opens silent-rule alerts for stations that sent nothing for the rule's minutes.
    pub async fn check_silent(&self) -> Result<usize> {
        let now = self.clock.now_ms();
        let rules = self.rules().await?;
        let mut opened = 0;
        for rule in rules.iter().filter(|r| r.kind == RuleKind::Silent && r.enabled) {
            let minutes = rule.minutes.unwrap_or(60);
            let like = RegionScope::new(&rule.region_code).map(|s| s.like_pattern()).unwrap_or_else(|| "-".into());
            for s in store::silent_stations(&self.db, &like, now - minutes * 60_000).await? {
                if rule.station_id.as_deref().is_some_and(|id| id != s.id) {
                    continue;
                }
                let station = StationRef {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    region_code: s.region_code.clone(),
                    target_class: None,
                };
                let detail = format!("no data for {minutes} minutes");
                if self.open(rule, &station, None, &detail).await? {
                    opened += 1;
                }
                if let Ok(mut set) = self.silent.lock() {
                    if let Some(set) = set.as_mut() {
                        set.insert(station.id.clone());
                    }
                }
            }
        }
        Ok(opened)
    }

    async fn set(
        &self,
        rule: &Rule,
        station: &StationRef,
        fires: bool,
        value: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        if fires {
            self.open(rule, station, value, detail).await?;
        } else if let Some(id) = store::active_alert(&self.db, &rule.id, &station.id).await? {
            self.close_automatically(&id, &format!("back to normal: {detail}")).await?;
        }
        Ok(())
    }

    async fn open(&self, rule: &Rule, station: &StationRef, value: Option<&str>, detail: &str) -> Result<bool> {
        let alert_id = id::new_id();
        let now = self.clock.now_ms();
        let new = NewAlert {
            id: &alert_id,
            rule_id: &rule.id,
            station_id: &station.id,
            region_code: &station.region_code,
            at: now,
            value,
            detail,
        };
        if !store::open_alert(&self.db, &new).await? {
            return Ok(false);
        }
        metrics::counter!("qy_eco_alerts_opened_total", "kind" => rule.kind.as_str()).increment(1);
        let payload = serde_json::json!({
            "alert_id": alert_id, "rule_id": rule.id, "rule_name": rule.name, "kind": rule.kind.as_str(),
            "station_id": station.id, "station_name": station.name, "region_code": station.region_code,
            "value": value, "detail": detail, "notify": rule.notify, "at": now,
        });
        self.publish("qy.eco.alert.opened", payload).await;
        Ok(true)
    }

    async fn close_automatically(&self, alert_id: &str, why: &str) -> Result<()> {
        let now = self.clock.now_ms();
        if store::set_alert_status(&self.db, alert_id, Status::Closed, now, None).await? {
            store::add_note(&self.db, alert_id, now, "system", why).await?;
            self.published_close(alert_id, why).await?;
        }
        Ok(())
    }

    async fn published_close(&self, alert_id: &str, why: &str) -> Result<()> {
        if let Some(a) = store::alert(&self.db, alert_id).await? {
            let notify = store::rule(&self.db, &a.rule_id).await?.map(|r| r.notify).unwrap_or_default();
            let payload = serde_json::json!({
                "alert_id": a.id, "rule_id": a.rule_id, "rule_name": a.rule_name, "kind": a.kind.as_str(),
                "station_id": a.station_id, "station_name": a.station_name, "region_code": a.region_code,
                "detail": why, "notify": notify, "at": self.clock.now_ms(),
            });
            self.publish("qy.eco.alert.closed", payload).await;
        }
        Ok(())
    }

    /// The alert is already stored; a bus failure must not undo it (the outbox is best effort
    /// on an unavailable bus, and the alert stays visible on the page).
    async fn publish(&self, subject: &str, payload: serde_json::Value) {
        if let Err(e) = self.bus.publish(subject, payload).await {
            tracing::warn!(subject, error = %e, "alert event not published");
        }
    }

    // ---- rules and handling by staff -----------------------------------------------------

    /// Defines a rule. `by` is `None` for trusted callers (demo data, the CLI).
    pub async fn create_rule(&self, by: Option<&Principal>, new: NewRule) -> Result<Rule> {
        new.validate()?;
        if let Some(by) = by {
            if !by.can_in_region(perm::RULES_MANAGE, &new.region_code) {
                return Err(Error::forbidden("eco.out_of_scope", "you may define rules only inside your region"));
            }
        }
        let rule = Rule {
            id: id::new_id(),
            name: new.name.trim().to_owned(),
            kind: new.kind,
            region_code: new.region_code,
            station_id: new.station_id.filter(|s| !s.is_empty()),
            factor: new.factor.filter(|s| !s.is_empty()),
            period: new.period.filter(|s| !s.is_empty()),
            threshold: new.threshold.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()),
            minutes: new.minutes,
            notify: new.notify,
            enabled: true,
            created_at: self.clock.now_ms(),
        };
        store::insert_rule(&self.db, &rule, by.map_or("system", |p| p.account_id.as_str())).await?;
        self.forget_rules();
        Ok(rule)
    }

    pub async fn rules_for(&self, by: &Principal) -> Result<Vec<Rule>> {
        store::rules(&self.db, &by.scope.like_pattern()).await
    }

    pub async fn set_rule_enabled(&self, by: &Principal, id: &str, enabled: bool) -> Result<Rule> {
        let rule =
            store::rule(&self.db, id).await?.ok_or_else(|| Error::not_found("eco.rule_not_found", "no such rule"))?;
        if !by.can_in_region(perm::RULES_MANAGE, &rule.region_code) {
            return Err(Error::forbidden("eco.out_of_scope", "this rule is outside your region"));
        }
        store::set_rule_enabled(&self.db, id, enabled).await?;
        self.forget_rules();
        Ok(Rule { enabled, ..rule })
    }

    pub async fn alerts_for(&self, by: &Principal, active_only: bool) -> Result<Vec<Alert>> {
        if !by.can(perm::ALERTS_HANDLE) {
            return Err(Error::forbidden("eco.forbidden", "needs eco.alerts.handle"));
        }
        store::alerts(&self.db, &by.scope.like_pattern(), active_only, 500).await
    }

    /// One alert and its notes, if inside the reader's region.
    pub async fn alert_for(&self, by: &Principal, id: &str) -> Result<(Alert, Vec<Note>)> {
        let a = store::alert(&self.db, id)
            .await?
            .ok_or_else(|| Error::not_found("eco.alert_not_found", "no such alert"))?;
        if !by.can_in_region(perm::ALERTS_HANDLE, &a.region_code) {
            return Err(Error::forbidden("eco.out_of_scope", "this alert is outside your region"));
        }
        let notes = store::notes(&self.db, id).await?;
        Ok((a, notes))
    }

    pub async fn acknowledge(
        &self,
        by: &Principal,
        id: &str,
        assignee: Option<&str>,
        note: Option<&str>,
    ) -> Result<Alert> {
        let (a, _) = self.alert_for(by, id).await?;
        let now = self.clock.now_ms();
        if !store::set_alert_status(&self.db, id, Status::Acknowledged, now, Some(assignee.unwrap_or(&by.username)))
            .await?
        {
            return Err(Error::conflict("eco.alert_not_open", format!("the alert is {}", a.status.as_str())));
        }
        if let Some(text) = note.map(str::trim).filter(|t| !t.is_empty()) {
            store::add_note(&self.db, id, now, &by.username, text).await?;
        }
        Ok(self.alert_for(by, id).await?.0)
    }

    pub async fn close(&self, by: &Principal, id: &str, note: Option<&str>) -> Result<Alert> {
        let (a, _) = self.alert_for(by, id).await?;
        let now = self.clock.now_ms();
        if !store::set_alert_status(&self.db, id, Status::Closed, now, None).await? {
            return Err(Error::conflict("eco.alert_closed", format!("the alert is {}", a.status.as_str())));
        }
        let text = note.map(str::trim).filter(|t| !t.is_empty()).unwrap_or("closed");
        store::add_note(&self.db, id, now, &by.username, text).await?;
        self.published_close(id, text).await?;
        Ok(self.alert_for(by, id).await?.0)
    }

    pub async fn note(&self, by: &Principal, id: &str, text: &str) -> Result<()> {
        self.alert_for(by, id).await?;
        let text = text.trim();
        if !(1..=2000).contains(&text.chars().count()) {
            return Err(Error::bad_request("eco.invalid_note", "notes need 1–2000 characters"));
        }
        store::add_note(&self.db, id, self.clock.now_ms(), &by.username, text).await
    }
}
