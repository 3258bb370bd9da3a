//! Named queries and their webhook subscriptions. A stream subscription is sent every
//! event that matches its query after it subscribed (or after `initialRecordTime`), once:
//! a per-subscription bookmark of the last event sent moves only when the subscriber
//! answered 2xx. A scheduled one runs on its cron-like schedule. Each callback is an
//! EPCISQueryDocument signed in `GS1-Signature: sha256=<HMAC-SHA256(signatureToken, body)>`.

use std::time::Duration;

use hmac::{Hmac, Mac};
use qy_kernel::{Error, Principal, Result};
use serde_json::Value;
use sha2::Sha256;

use super::output::EpcFormat;
use super::Trace;
use crate::domain::perm;
use crate::store::queries::{self, NamedQuery, Subscription};
use crate::store::select::Filter;

/// Events per callback; more wait for the next round.
const BATCH: i64 = 500;

pub fn signature(token: &str, body: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(token.as_bytes()) else { return String::new() };
    mac.update(body.as_bytes());
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.len() <= 100 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

/// Does a cron-like field (`"5"`, `"0,30"`, `"1-5"`, absent = any) allow `v`?
fn field_allows(spec: Option<&Value>, v: i64) -> bool {
    let Some(spec) = spec else { return true };
    let text = match spec {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return false,
    };
    text.split(',').map(str::trim).any(|part| match part.split_once('-') {
        Some((a, b)) => matches!((a.parse::<i64>(), b.parse::<i64>()), (Ok(a), Ok(b)) if (a..=b).contains(&v)),
        None => part == "*" || part.parse::<i64>() == Ok(v),
    })
}

/// Whether a schedule fires in the minute of `ms` (Beijing time).
pub fn schedule_fires(schedule: &Value, ms: i64) -> bool {
    let z = super::beijing(ms);
    field_allows(schedule.get("minute"), i64::from(z.minute()))
        && field_allows(schedule.get("hour"), i64::from(z.hour()))
        && field_allows(schedule.get("dayOfMonth"), i64::from(z.day()))
        && field_allows(schedule.get("month"), i64::from(z.month()))
        && field_allows(schedule.get("dayOfWeek"), i64::from(z.weekday().to_monday_one_offset()))
}

impl Trace {
    pub async fn create_query(&self, by: &Principal, name: &str, body: &Value) -> Result<NamedQuery> {
        if !by.can(perm::QUERY) {
            return Err(Error::forbidden("trace.forbidden", "named queries need trace.query"));
        }
        if !valid_name(name) {
            return Err(Error::bad_request("trace.query_name", "a query name has 1–100 letters, digits, - _ ."));
        }
        qy_epcis::query::parse_query_body(body)
            .map_err(|e| Error::bad_request("trace.query_parameter", format!("{}: {}", e.parameter, e.message)))?;
        if !queries::create(&self.db, name, body, &by.account_id, self.now()).await? {
            return Err(Error::conflict("trace.query_exists", format!("a query named {name} exists")));
        }
        Ok(NamedQuery { name: name.to_owned(), query: body.clone(), created_at: self.now() })
    }

    pub async fn named_query(&self, name: &str) -> Result<NamedQuery> {
        queries::get(&self.db, name)
            .await?
            .ok_or_else(|| Error::not_found("trace.no_such_query", format!("no query named {name}")))
    }

    /// `POST /queries/{name}/subscriptions`.
    pub async fn subscribe(&self, by: &Principal, name: &str, body: &Value) -> Result<Subscription> {
        if !by.can(perm::QUERY) {
            return Err(Error::forbidden("trace.forbidden", "subscriptions need trace.query"));
        }
        self.named_query(name).await?;
        let bad = |m: &str| Error::bad_request("trace.subscription", m.to_owned());
        let dest = body.get("dest").and_then(Value::as_str).ok_or_else(|| bad("dest (the webhook URL) is required"))?;
        if !(dest.starts_with("https://") || dest.starts_with("http://")) || reqwest::Url::parse(dest).is_err() {
            return Err(bad("dest must be an http(s) URL"));
        }
        let stream = body.get("stream").and_then(Value::as_bool).unwrap_or(false);
        let schedule = body.get("schedule").filter(|s| s.is_object()).cloned();
        if stream == schedule.is_some() {
            return Err(bad("give either stream: true or a schedule"));
        }
        let last_seq = match body.get("initialRecordTime").and_then(Value::as_str) {
            Some(t) => {
                let ms =
                    super::index::time_ms(t).ok_or_else(|| bad("initialRecordTime is not a date-time with offset"))?;
                queries::seq_before_record_time(&self.db, ms).await?
            }
            None => queries::max_seq(&self.db).await?,
        };
        let s = Subscription {
            id: qy_kernel::id::new_id(),
            query_name: name.to_owned(),
            dest: dest.to_owned(),
            signature_token: body.get("signatureToken").and_then(Value::as_str).map(str::to_owned),
            report_if_empty: body.get("reportIfEmpty").and_then(Value::as_bool).unwrap_or(false),
            stream,
            schedule,
            last_seq,
            last_run: None,
            last_status: None,
            created_at: self.now(),
        };
        queries::subscribe(&self.db, &s).await?;
        Ok(s)
    }

    /// Sends what each subscription is due. Returns (sent, failed).
    pub async fn deliver_subscriptions(&self, client: &reqwest::Client) -> Result<(usize, usize)> {
        let now = self.now();
        let (mut sent, mut failed) = (0, 0);
        for s in queries::subscriptions(&self.db, None).await? {
            let due = match &s.schedule {
                None => true,
                // Once per matching minute.
                Some(schedule) => schedule_fires(schedule, now) && s.last_run.is_none_or(|r| now - r >= 60_000),
            };
            if !due {
                continue;
            }
            let Some(named) = queries::get(&self.db, &s.query_name).await? else { continue };
            let q = qy_epcis::query::parse_query_body(&named.query)
                .map_err(|e| Error::bad_request("trace.query_parameter", e.message))?;
            let mut select = self.select_for(&q, "").await?;
            select.filters.push(Filter::SeqAfter(s.last_seq));
            select.order = crate::store::select::OrderBy::Seq;
            select.descending = false;
            select.after = None;
            select.limit = BATCH;
            let events = crate::store::select::run(&self.db, &select).await?;
            if events.is_empty() && !(s.report_if_empty && s.schedule.is_some()) {
                continue;
            }
            let last = events.iter().map(|e| e.seq).max().unwrap_or(s.last_seq);
            let doc = self.query_document(&s.query_name, Some(&s.id), &events, EpcFormat::DigitalLink).await?;
            let body = doc.to_string();
            let mut req = client.post(&s.dest).header("content-type", "application/ld+json");
            if let Some(token) = &s.signature_token {
                req = req.header("GS1-Signature", signature(token, &body));
            }
            match req.body(body).send().await {
                Ok(r) if r.status().is_success() => {
                    queries::delivered(&self.db, &s.id, last, "ok", now).await?;
                    sent += 1;
                }
                outcome => {
                    let status = match outcome {
                        Ok(r) => format!("HTTP {}", r.status().as_u16()),
                        Err(e) => e.to_string(),
                    };
                    queries::delivered(&self.db, &s.id, s.last_seq, &status, now).await?;
                    failed += 1;
                }
            }
        }
        Ok((sent, failed))
    }
}

/// The delivery loop the server runs until shutdown.
pub async fn run_deliveries(trace: Trace, mut stop: tokio::sync::watch::Receiver<bool>) {
    let client = match reqwest::Client::builder().timeout(Duration::from_secs(10)).build() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "EPCIS webhook client unavailable; subscriptions will not be delivered");
            return;
        }
    };
    loop {
        if let Err(e) = trace.deliver_subscriptions(&client).await {
            tracing::warn!(code = %e.code, "EPCIS subscriptions: {}", e.detail);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(3)) => {}
            _ = stop.changed() => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn cron_fields_match_lists_ranges_and_any() {
        assert!(super::field_allows(None, 7));
        assert!(super::field_allows(Some(&json!("0,30")), 30));
        assert!(!super::field_allows(Some(&json!("0,30")), 31));
        assert!(super::field_allows(Some(&json!("1-5")), 3));
        assert!(super::field_allows(Some(&json!(4)), 4));
    }

    #[test]
    fn signatures_are_hmac_sha256_of_the_body() {
        let s = super::signature("token", "{}");
        assert!(s.starts_with("sha256=") && s.len() == 71);
        assert_ne!(s, super::signature("token", "{ }"));
    }
}
