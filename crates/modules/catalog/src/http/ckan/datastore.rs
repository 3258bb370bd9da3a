//! `datastore_search`: the rows behind an open entry, through `Catalog::read_rows` (so
//! personal items are never shown and live feeds read like tables). 有条件开放 rows need the
//! developer key of an account whose application was approved.
//!
//! `read_rows` pages by cursor; CKAN pages by offset. An offset is reached by reading and
//! dropping rows (only their row numbers), page by page, so every request is bounded:
//! at most `MAX_SCAN` rows are read for one answer.

use serde_json::{json, Map, Value};

use super::packages::open_dataset;
use super::reply::Failure;
use super::{resources, Cx};
use crate::domain::{DataType, Entry, Item, SourceKind};
use crate::service::read::RowQuery;
use crate::typed;

const LIMIT_DEFAULT: usize = 100;
/// CKAN's `ckan.datastore.search.rows_max` default.
const LIMIT_MAX: usize = 32_000;
/// Rows per `read_rows` call (its own cap).
const PAGE: usize = 10_000;
/// Rows read at most for one answer, skipped ones included: deep enough to page through the
/// largest upload (200,000 rows) with the largest limit.
const MAX_SCAN: usize = 250_000;

/// A filter value as the text `read_rows` compares: for a loaded table, normalised the way
/// uploads are stored (dates, decimals, logicals as 0/1); for a feed, as the feed writes it.
fn filter_value(e: &Entry, item: &Item, v: &Value) -> Result<String, Failure> {
    let raw = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(a) if a.len() == 1 => return filter_value(e, item, &a[0]),
        Value::Array(_) => {
            return Err(Failure::invalid(
                "filters",
                format!("{}: one value per column (lists of several are not supported)", item.column_name),
            ))
        }
        _ => {
            return Err(Failure::invalid(
                "filters",
                format!("{}: a filter value must be text or a number", item.column_name),
            ))
        }
    };
    if e.source_kind != SourceKind::Table {
        return Ok(raw);
    }
    match typed::check(item.data_type, None, &raw) {
        Ok(typed::Value::Text(s)) => Ok(s),
        Ok(typed::Value::Int(i)) => Ok(i.to_string()),
        Ok(typed::Value::Float(f)) => Ok(f.to_string()),
        Ok(typed::Value::Null) => Err(Failure::invalid("filters", format!("{}: empty filter value", item.column_name))),
        Err(invalid) => Err(Failure::invalid("filters", format!("{}: {}", item.column_name, invalid.detail))),
    }
}

/// A value as DataStore clients expect it: logicals (stored 0/1) as booleans.
fn record_value(item: &Item, v: Value) -> Value {
    match (item.data_type, &v) {
        (DataType::L, Value::Number(n)) => Value::Bool(n.as_i64().is_some_and(|i| i != 0)),
        _ => v,
    }
}

/// `_links` the way CKAN writes them: this action's path with the parameters of the call,
/// `offset` moved (POSTed parameters too, so the links work as GETs).
fn links(cx: &Cx, resource_id: &str, filters: &Map<String, Value>, limit: usize, offset: usize) -> Value {
    let link = |offset: Option<usize>| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        q.append_pair("resource_id", resource_id);
        if !filters.is_empty() {
            q.append_pair("filters", &Value::Object(filters.clone()).to_string());
        }
        for key in ["fields", "sort", "include_total"] {
            if let Ok(Some(v)) = cx.params.text(key) {
                q.append_pair(key, &v);
            }
        }
        q.append_pair("limit", &limit.to_string());
        if let Some(o) = offset {
            q.append_pair("offset", &o.to_string());
        }
        format!("{}?{}", cx.path, q.finish())
    };
    json!({"start": link(None), "next": link(Some(offset + limit))})
}

pub async fn datastore_search(cx: &Cx) -> Result<Value, Failure> {
    let p = &cx.params;
    let resource_id = match p.text("resource_id")? {
        Some(id) => id,
        None => p.text("id")?.ok_or_else(|| Failure::invalid("resource_id", "Missing value"))?,
    };
    let not_found = || Failure::NotFound(format!("no DataStore resource {resource_id:?}"));
    let entry_id = resources::entry_of(&resource_id).ok_or_else(not_found)?;
    let e = open_dataset(cx, entry_id).await.map_err(|_| not_found())?;
    if !resources::of(&cx.base, &e).iter().any(|r| r.id == resource_id && r.datastore) {
        return Err(not_found());
    }
    let account = match &cx.key {
        Some(k) => cx.catalog.account_of_key(k).await?,
        None => None,
    };
    if !cx.catalog.may_read_open(account.as_deref(), &e).await? {
        return Err(Failure::Authorization(
            "this dataset is open on application (有条件开放): apply on its page, then send the developer key \
             of the approved account in the Authorization header"
                .into(),
        ));
    }

    if p.has("q") {
        return Err(Failure::invalid("q", "full-text search of rows is not supported; use filters"));
    }
    if p.flag("distinct", false)? {
        return Err(Failure::invalid("distinct", "distinct is not supported"));
    }
    if let Some(f) = p.text("records_format")?.filter(|f| f != "objects") {
        return Err(Failure::invalid("records_format", format!("only objects are supported, not {f:?}")));
    }
    if let Some(s) = p.text("sort")? {
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if !["_id", "_id asc"].contains(&s.as_str()) {
            return Err(Failure::invalid(
                "sort",
                "rows come in their own order (_id asc); other sorts are not supported",
            ));
        }
    }
    // What the public may see: every item but personal ones (read_rows applies the same rule).
    let visible: Vec<&Item> = e.items.iter().filter(|i| !i.personal).collect();
    let find = |field: &str, name: &str| {
        visible
            .iter()
            .copied()
            .find(|i| i.column_name == name)
            .ok_or_else(|| Failure::invalid(field, format!("no column {name:?} in this resource")))
    };
    let filters = p.object("filters")?.unwrap_or_default();
    let mut equals = Vec::new();
    for (column, v) in &filters {
        let item = find("filters", column)?;
        equals.push((column.clone(), filter_value(&e, item, v)?));
    }
    let selected: Vec<&Item> = match p.list("fields", true)? {
        Some(names) => names.iter().map(|n| find("fields", n)).collect::<Result<_, _>>()?,
        None => visible.clone(),
    };
    let limit = p.natural("limit", LIMIT_DEFAULT)?.min(LIMIT_MAX);
    let offset = p.natural("offset", 0)?;
    let include_total = p.flag("include_total", true)?;
    let columns: Vec<String> = selected.iter().map(|i| i.column_name.clone()).collect();

    let mut records: Vec<Value> = Vec::new();
    let mut skipped = 0usize;
    let mut scanned = 0usize;
    let mut cursor: Option<String> = None;
    let mut total: Option<i64> = None;
    let mut first = true;
    let ended = loop {
        let skipping = skipped < offset;
        let want = if skipping { offset - skipped } else { limit - records.len() }.min(PAGE);
        if want == 0 && !first {
            break false;
        }
        if scanned >= MAX_SCAN {
            return Err(Failure::invalid(
                "offset",
                format!("an answer reads at most {MAX_SCAN} rows; use filters or a smaller offset"),
            ));
        }
        let q = RowQuery {
            columns: Some(if skipping { Vec::new() } else { columns.clone() }),
            region: None,
            equals: equals.clone(),
            cursor: cursor.clone(),
            limit: want.max(1),
            with_total: first && include_total,
        };
        let rows = cx.catalog.read_rows(&e, &q, None).await?;
        if first {
            total = rows.total;
            first = false;
        }
        scanned += want.max(1);
        if skipping {
            skipped += rows.rows.len();
        } else if want > 0 {
            for row in rows.rows {
                let record: Map<String, Value> =
                    selected.iter().zip(row).map(|(i, v)| (i.column_name.clone(), record_value(i, v))).collect();
                records.push(Value::Object(record));
            }
        }
        match rows.next {
            Some(next) => cursor = Some(next),
            None => break true,
        }
    };
    // A feed has no row count; it is known when the feed ended within this read.
    let total = total.or_else(|| ended.then(|| i64::try_from(skipped + records.len()).unwrap_or(i64::MAX)));
    let fields: Vec<Value> = selected
        .iter()
        .map(|i| json!({"id": i.column_name, "type": i.data_type.datastore_type(), "info": {"label": i.name}}))
        .collect();
    let mut result = json!({
        "resource_id": resource_id,
        "fields": fields,
        "records": records,
        "records_format": "objects",
        "limit": limit,
        "offset": offset,
        "include_total": include_total,
        "_links": links(cx, &resource_id, &filters, limit, offset),
    });
    if let (true, Some(t), Some(m)) = (include_total, total, result.as_object_mut()) {
        m.insert("total".into(), t.into());
    }
    Ok(result)
}
