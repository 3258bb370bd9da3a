//! Reading the rows behind an entry, whatever holds them: the entry's table, or a module's
//! feed. Callers (the exchange API, the open-data portal, CKAN's datastore_search) say which
//! columns they may see and which rows; this applies it.

use qy_kernel::{Error, Result};
use serde::Serialize;
use utoipa::ToSchema;

use super::Catalog;
use crate::domain::{Entry, Item, SourceKind};
use crate::store::data;

/// What to read.
#[derive(Debug, Clone, Default)]
pub struct RowQuery {
    /// Columns wanted, in this order; all allowed columns when None.
    pub columns: Option<Vec<String>>,
    /// Only rows whose region column lies in this region's subtree.
    pub region: Option<String>,
    /// Equality filters on columns.
    pub equals: Vec<(String, String)>,
    /// Continue after this cursor (from a previous page).
    pub cursor: Option<String>,
    pub limit: usize,
    /// Count the matching rows too (tables only).
    pub with_total: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Column {
    pub column: String,
    pub name: String,
    /// The 信息项 data type code (C N Y D T L M G B I F).
    pub data_type: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Rows {
    pub columns: Vec<Column>,
    #[schema(value_type = Vec<Vec<Object>>)]
    pub rows: Vec<Vec<serde_json::Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

/// The column holding region codes, if the entry has one (named `region*` or typed as a
/// region code by name).
pub fn region_item(e: &Entry) -> Option<&Item> {
    e.items.iter().find(|i| i.column_name == "region" || i.column_name.starts_with("region_"))
}

fn column_of(i: &Item) -> Column {
    Column { column: i.column_name.clone(), name: i.name.clone(), data_type: i.data_type.code().to_string() }
}

fn unknown(c: &str) -> Error {
    Error::bad_request("catalog.unknown_field", format!("no column {c:?}")).with_arg("field", c)
}

impl Catalog {
    /// Rows of `e` limited to `allowed` columns (None: all but personal items).
    pub async fn read_rows(&self, e: &Entry, q: &RowQuery, allowed: Option<&[String]>) -> Result<Rows> {
        let may_see = |i: &Item| match allowed {
            Some(cols) => cols.contains(&i.column_name),
            None => !i.personal,
        };
        let visible: Vec<&Item> = e.items.iter().filter(|i| may_see(i)).collect();
        let selected: Vec<&Item> = match &q.columns {
            None => visible.clone(),
            Some(cols) => cols
                .iter()
                .map(|c| visible.iter().copied().find(|i| i.column_name == *c).ok_or_else(|| unknown(c)))
                .collect::<Result<_>>()?,
        };
        let equals: Vec<(&Item, String)> = q
            .equals
            .iter()
            .map(|(c, v)| {
                visible.iter().copied().find(|i| i.column_name == *c).map(|i| (i, v.clone())).ok_or_else(|| unknown(c))
            })
            .collect::<Result<_>>()?;
        let region = match &q.region {
            None => None,
            Some(code) => {
                let scope = qy_kernel::RegionScope::new(code).ok_or_else(|| {
                    Error::bad_request("catalog.invalid_region", format!("{code:?} is not a region code"))
                })?;
                let item = region_item(e).ok_or_else(|| {
                    Error::bad_request("catalog.no_region_column", "this resource has no region column to filter on")
                })?;
                Some((item, scope))
            }
        };
        let columns = selected.iter().map(|i| column_of(i)).collect();
        let limit = q.limit.clamp(1, 10_000);
        match (e.source_kind, e.data_table.as_deref(), e.feed_code.as_deref()) {
            (SourceKind::Table, Some(table), _) => {
                let after = match &q.cursor {
                    None => 0,
                    Some(c) => {
                        c.parse::<i64>().map_err(|_| Error::bad_request("catalog.bad_cursor", "malformed cursor"))?
                    }
                };
                let read = data::Read {
                    items: selected.clone(),
                    region: region.as_ref().map(|(i, s)| (*i, s.like_pattern())),
                    equals,
                    after,
                    limit: i64::try_from(limit).unwrap_or(1000),
                };
                let rows = data::read(&self.db, table, &read).await?;
                let total = if q.with_total { Some(data::count(&self.db, table, &read).await?) } else { None };
                let next = (rows.len() == limit).then(|| rows.last().map(|(n, _)| n.to_string())).flatten();
                Ok(Rows { columns, rows: rows.into_iter().map(|(_, v)| v).collect(), next, total })
            }
            (SourceKind::Feed, _, Some(feed)) => {
                let page = self.feeds.page(feed, q.cursor.as_deref(), limit).await?;
                let index = |i: &Item| e.items.iter().position(|x| x.seq == i.seq);
                let region_at = region.as_ref().and_then(|(i, _)| index(i));
                let equals_at: Vec<(usize, String)> =
                    equals.iter().filter_map(|(i, v)| Some((index(i)?, v.clone()))).collect();
                let selected_at: Vec<usize> = selected.iter().filter_map(|i| index(i)).collect();
                let text = |v: &serde_json::Value| v.as_str().map(str::to_owned).unwrap_or_else(|| v.to_string());
                let rows = page
                    .rows
                    .into_iter()
                    .filter(|r| match (region_at, &region) {
                        (Some(at), Some((_, scope))) => r.get(at).is_some_and(|v| scope.contains(&text(v))),
                        _ => true,
                    })
                    .filter(|r| equals_at.iter().all(|(at, v)| r.get(*at).is_some_and(|x| text(x) == *v)))
                    .map(|r| {
                        selected_at.iter().map(|at| r.get(*at).cloned().unwrap_or(serde_json::Value::Null)).collect()
                    })
                    .collect();
                Ok(Rows { columns, rows, next: page.next, total: None })
            }
            (SourceKind::Endpoint, _, _) => Err(Error::conflict(
                "catalog.external_source",
                format!("this resource is served by its provider at {}", e.endpoint_url.clone().unwrap_or_default()),
            )),
            _ => Ok(Rows { columns, rows: Vec::new(), next: None, total: Some(0) }),
        }
    }
}
