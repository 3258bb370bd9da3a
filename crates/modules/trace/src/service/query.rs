//! The EPCIS 2.0 query language over the store: parameters parsed by `qy_epcis::query`
//! become indexed filters (`store::select`), pages are keyset pages with an opaque
//! `nextPageToken`, results come back in an EPCISQueryDocument.

use std::collections::HashMap;

use base64::Engine;
use qy_kernel::{Error, Result};
use serde_json::Value;

use qy_epcis::query::{Comparison, EpcPattern, OrderDirection, Query, SensorField, VocabValue};

use super::index::gtin_of;
use super::output::{self, EpcFormat};
use super::Trace;
use crate::domain::StoredEvent;
use crate::store::events;
use crate::store::select::{self, Cmp, Filter, OrderBy, Select};

/// Events per page when the client does not say (`perPage`), and the most a page holds.
pub const DEFAULT_PER_PAGE: i64 = 30;
pub const MAX_PER_PAGE: i64 = 1_000;

#[derive(Debug)]
pub struct Page {
    pub events: Vec<StoredEvent>,
    pub next_token: Option<String>,
}

fn param_error(parameter: &str, message: impl Into<String>) -> Error {
    Error::bad_request("trace.query_parameter", format!("{parameter}: {}", message.into()))
}

/// `nextPageToken`: the keyset position, opaque to clients.
pub(crate) fn encode_token(order: OrderBy, value: i64, seq: i64) -> String {
    let o = match order {
        OrderBy::Seq => "s",
        OrderBy::EventTime => "e",
        OrderBy::RecordTime => "r",
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{o}:{value}:{seq}"))
}

pub(crate) fn decode_token(token: &str, order: OrderBy) -> Result<(i64, i64)> {
    let bad = || param_error("nextPageToken", "not a token this repository issued for this ordering");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(token.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(raw).map_err(|_| bad())?;
    let mut parts = text.split(':');
    let expected = match order {
        OrderBy::Seq => "s",
        OrderBy::EventTime => "e",
        OrderBy::RecordTime => "r",
    };
    match (parts.next(), parts.next().and_then(|v| v.parse().ok()), parts.next().and_then(|v| v.parse().ok())) {
        (Some(o), Some(v), Some(s)) if o == expected => Ok((v, s)),
        _ => Err(bad()),
    }
}

fn sort_value(e: &StoredEvent, order: OrderBy) -> i64 {
    match order {
        OrderBy::Seq => e.seq,
        OrderBy::EventTime => e.event_time,
        OrderBy::RecordTime => e.record_time,
    }
}

/// Prefixes declared by the stored documents' contexts (first declaration wins), then by
/// the request's `GS1-Extensions` header (`prefix=namespace, …`), which takes precedence.
pub(crate) async fn prefixes(trace: &Trace, extensions: &str) -> Result<HashMap<String, String>> {
    let mut out = HashMap::new();
    for body in events::all_contexts(&trace.db).await? {
        let Ok(ctx) = serde_json::from_str::<Value>(&body) else { continue };
        let objects: Vec<&Value> = match &ctx {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for (k, v) in objects.into_iter().filter_map(Value::as_object).flatten() {
            if let Some(ns) = v.as_str() {
                out.entry(k.clone()).or_insert_with(|| ns.to_owned());
            }
        }
    }
    for part in extensions.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        if let Some((prefix, ns)) = part.split_once('=') {
            out.insert(prefix.trim().to_owned(), ns.trim().trim_matches('"').to_owned());
        }
    }
    Ok(out)
}

impl Trace {
    /// Parses URL parameters and runs the query.
    pub async fn query_params(&self, pairs: &[(String, String)], extensions: &str) -> Result<Page> {
        let q = qy_epcis::query::parse_query_params(pairs).map_err(|e| param_error(&e.parameter, e.message))?;
        self.run_query(&q, extensions).await
    }

    /// One page of a parsed query.
    pub async fn run_query(&self, q: &Query, extensions: &str) -> Result<Page> {
        let mut s = self.select_for(q, extensions).await?;
        if let Some(max) = q.max_event_count {
            let n = select::count_upto(&self.db, &s.filters, max as i64 + 1).await?;
            if n > max as i64 {
                return Err(Error::bad_request(
                    "trace.query_too_large",
                    format!("more than maxEventCount={max} events match; narrow the query"),
                ));
            }
        }
        let per_page = match q.per_page {
            Some(p) if p == 0 || p as i64 > MAX_PER_PAGE => {
                return Err(param_error("perPage", format!("must be 1–{MAX_PER_PAGE}")))
            }
            Some(p) => p as i64,
            None => DEFAULT_PER_PAGE,
        };
        // eventCountLimit truncates the whole result: no page goes past it.
        let limit = q.event_count_limit.map(|l| l as i64);
        let (page_size, truncated) = match limit {
            Some(l) if l <= per_page => (l, true),
            _ => (per_page, false),
        };
        if let Some(token) = &q.next_page_token {
            s.after = Some(decode_token(token, s.order)?);
        }
        s.limit = page_size + 1;
        let mut found = select::run(&self.db, &s).await?;
        let more = found.len() as i64 > page_size && !truncated;
        found.truncate(page_size as usize);
        let next_token = match (more, found.last()) {
            (true, Some(last)) => Some(encode_token(s.order, sort_value(last, s.order), last.seq)),
            _ => None,
        };
        Ok(Page { events: found, next_token })
    }

    /// An EPCISQueryDocument of stored events, with the contexts they were captured in.
    pub async fn query_document(
        &self,
        query_name: &str,
        subscription: Option<&str>,
        found: &[StoredEvent],
        format: EpcFormat,
    ) -> Result<Value> {
        let mut hashes: Vec<String> = found.iter().map(|e| e.context_hash.clone()).collect();
        hashes.sort();
        hashes.dedup();
        let contexts = events::contexts(&self.db, &hashes).await?;
        Ok(output::query_document(query_name, subscription, found, &contexts, format, self.now()))
    }
}

/// The index roles each `MATCH_*` parameter looks in.
mod roles {
    use crate::service::index::role as r;
    pub const EPC: &[&str] = &[r::EPC, r::CHILD];
    pub const PARENT: &[&str] = &[r::PARENT];
    pub const INPUT: &[&str] = &[r::INPUT];
    pub const OUTPUT: &[&str] = &[r::OUTPUT];
    pub const ANY: &[&str] = &[r::EPC, r::CHILD, r::PARENT, r::INPUT, r::OUTPUT];
    pub const CLASS: &[&str] = &[r::QUANTITY, r::CHILD_QUANTITY];
    pub const INPUT_CLASS: &[&str] = &[r::INPUT_QUANTITY];
    pub const OUTPUT_CLASS: &[&str] = &[r::OUTPUT_QUANTITY];
    pub const ANY_CLASS: &[&str] = &[r::QUANTITY, r::CHILD_QUANTITY, r::INPUT_QUANTITY, r::OUTPUT_QUANTITY];
}

/// A `MATCH_*` parameter as a filter: exact identifiers, GTIN-level patterns by the GTIN
/// column, other patterns by prefix.
fn epc_filter(roles: &'static [&'static str], patterns: &[EpcPattern]) -> Filter {
    let mut epcs = Vec::new();
    let mut gtins = Vec::new();
    let mut prefixes = Vec::new();
    for p in patterns {
        match (p.prefix, gtin_of(&p.uri)) {
            (false, _) => epcs.push(p.uri.clone()),
            (true, Some(g)) if p.uri.len() == "https://id.gs1.org/01/".len() + 14 => gtins.push(g),
            (true, _) => prefixes.push(p.uri.clone()),
        }
    }
    Filter::Epc { roles, epcs, gtins, prefixes }
}

fn cmp(c: Comparison) -> Cmp {
    match c {
        Comparison::Eq => Cmp::Eq,
        Comparison::Gt => Cmp::Gt,
        Comparison::Ge => Cmp::Ge,
        Comparison::Lt => Cmp::Lt,
        Comparison::Le => Cmp::Le,
    }
}

fn uris(values: &[VocabValue]) -> Vec<String> {
    values.iter().map(|v| v.uri.clone()).collect()
}

impl Trace {
    /// The store's filters for a parsed query (paging is `run_query`'s).
    pub(crate) async fn select_for(&self, q: &Query, extensions: &str) -> Result<Select> {
        let mut f = Vec::new();
        let mut column = |column: &'static str, values: Vec<String>| {
            if !values.is_empty() {
                f.push(Filter::Column { column, values });
            }
        };
        column("event_type", q.event_types.clone());
        column("action", q.actions.iter().map(|a| a.as_str().to_owned()).collect());
        column("biz_step", uris(&q.biz_steps));
        column("disposition", uris(&q.dispositions));
        column("read_point", q.read_points.clone());
        column("biz_location", q.biz_locations.clone());
        column("transformation_id", q.transformation_ids.clone());
        column("event_id", q.event_ids.clone());
        for (column, cmp, t) in [
            ("event_time", Cmp::Ge, q.ge_event_time),
            ("event_time", Cmp::Lt, q.lt_event_time),
            ("record_time", Cmp::Ge, q.ge_record_time),
            ("record_time", Cmp::Lt, q.lt_record_time),
        ] {
            if let Some(t) = t {
                f.push(Filter::Time { column, cmp, ms: t.as_millisecond() });
            }
        }
        for (r, patterns) in [
            (roles::EPC, &q.match_epc),
            (roles::PARENT, &q.match_parent_id),
            (roles::INPUT, &q.match_input_epc),
            (roles::OUTPUT, &q.match_output_epc),
            (roles::ANY, &q.match_any_epc),
            (roles::CLASS, &q.match_epc_class),
            (roles::INPUT_CLASS, &q.match_input_epc_class),
            (roles::OUTPUT_CLASS, &q.match_output_epc_class),
            (roles::ANY_CLASS, &q.match_any_epc_class),
        ] {
            if !patterns.is_empty() {
                f.push(epc_filter(r, patterns));
            }
        }
        for (name, values) in [
            ("pd_set", &q.persistent_disposition_set),
            ("pd_unset", &q.persistent_disposition_unset),
            ("error_reason", &q.error_reasons),
        ] {
            if !values.is_empty() {
                f.push(Filter::Attr { name: name.to_owned(), values: uris(values) });
            }
        }
        for (prefix, typed) in [("btx", &q.biz_transactions), ("src", &q.sources), ("dst", &q.destinations)] {
            for t in typed {
                f.push(Filter::Attr { name: format!("{prefix}:{}", t.type_uri), values: t.values.clone() });
            }
        }
        if q.exists_error_declaration {
            f.push(Filter::ErrorDeclared(true));
        }
        for s in &q.sensor_filters {
            let field = match s.field {
                SensorField::Value => "value",
                SensorField::MinValue => "min_value",
                SensorField::MaxValue => "max_value",
                SensorField::MeanValue => "mean_value",
            };
            f.push(Filter::Sensor { field, uom: s.uom.clone(), cmp: cmp(s.op), values: s.values.clone() });
        }
        if !q.measurement_types.is_empty() {
            f.push(Filter::SensorType(q.measurement_types.clone()));
        }
        if !q.extension_filters.is_empty() {
            let known = prefixes(self, extensions).await?;
            for x in &q.extension_filters {
                let (prefix, local) = x.field.split_once(':').unwrap_or(("", &x.field));
                let Some(ns) = known.get(prefix) else {
                    return Err(param_error(
                        &x.field,
                        format!("the prefix {prefix:?} is not declared; send it in the GS1-Extensions header"),
                    ));
                };
                let kind = if x.ilmd { "ilmd" } else { "ext" };
                f.push(Filter::Attr { name: format!("{kind}:{ns}{local}"), values: x.values.clone() });
            }
        }
        let order = match q.order_by {
            None => OrderBy::Seq,
            Some(qy_epcis::query::OrderBy::EventTime) => OrderBy::EventTime,
            Some(qy_epcis::query::OrderBy::RecordTime) => OrderBy::RecordTime,
        };
        // EPCIS: descending unless asked otherwise; without orderBy, capture order.
        let descending = match (q.order_by, q.order_direction) {
            (None, _) => false,
            (Some(_), Some(OrderDirection::Asc)) => false,
            (Some(_), _) => true,
        };
        Ok(Select { filters: f, order, descending, limit: DEFAULT_PER_PAGE, after: None })
    }
}
