//! The EPCIS query language as SQL over `trace_event` and its index tables. Each filter is
//! an indexed lookup; together they are ANDed. Paging is by keyset on (sort column, seq).

use qy_kernel::Result;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use super::events::{event_of, COLUMNS};
use crate::domain::StoredEvent;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Gt,
    Ge,
    Lt,
    Le,
}

impl Cmp {
    fn sql(self) -> &'static str {
        match self {
            Cmp::Eq => "=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
        }
    }
}

/// A typed value for binding.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(String),
    Int(i64),
    Real(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `trace_event` column equals one of the values (`event_type`, `action`, `biz_step`,
    /// `disposition`, `read_point`, `biz_location`, `transformation_id`, `event_id`).
    Column {
        column: &'static str,
        values: Vec<String>,
    },
    /// `event_time` / `record_time` compared with epoch milliseconds.
    Time {
        column: &'static str,
        cmp: Cmp,
        ms: i64,
    },
    /// The event names, in one of `roles`, one of `epcs` (canonical), an identifier of one of
    /// `gtins`, or an identifier starting with one of `prefixes`.
    Epc {
        roles: &'static [&'static str],
        epcs: Vec<String>,
        gtins: Vec<String>,
        prefixes: Vec<String>,
    },
    /// An index attribute (`btx:…`, `src:…`, `ext:…`, `ilmd:…`) equals one of the values.
    Attr {
        name: String,
        values: Vec<String>,
    },
    /// An index attribute exists.
    AttrExists {
        name: String,
    },
    ErrorDeclared(bool),
    /// A sensor report in `uom` whose `field` compares with one of `values`.
    Sensor {
        field: &'static str,
        uom: String,
        cmp: Cmp,
        values: Vec<f64>,
    },
    /// A sensor report of one of these measurement types.
    SensorType(Vec<String>),
    /// Captured after the event with this sequence number (subscription bookmarks).
    SeqAfter(i64),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderBy {
    Seq,
    EventTime,
    RecordTime,
}

impl OrderBy {
    fn column(self) -> &'static str {
        match self {
            OrderBy::Seq => "seq",
            OrderBy::EventTime => "event_time",
            OrderBy::RecordTime => "record_time",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Select {
    pub filters: Vec<Filter>,
    pub order: OrderBy,
    pub descending: bool,
    /// Rows to return.
    pub limit: i64,
    /// Keyset: (sort value, seq) of the last row of the previous page.
    pub after: Option<(i64, i64)>,
}

struct Sql {
    text: String,
    binds: Vec<Bind>,
}

impl Sql {
    fn push(&mut self, b: Bind) -> String {
        self.binds.push(b);
        format!("${}", self.binds.len())
    }
    fn list(&mut self, values: &[String]) -> String {
        values.iter().map(|v| self.push(Bind::Text(v.clone()))).collect::<Vec<_>>().join(", ")
    }
}

fn where_clause(filters: &[Filter], sql: &mut Sql) -> Vec<String> {
    let mut conds = Vec::new();
    for f in filters {
        let c = match f {
            Filter::Column { column, values } => format!("e.{column} IN ({})", sql.list(values)),
            Filter::Time { column, cmp, ms } => format!("e.{column} {} {}", cmp.sql(), sql.push(Bind::Int(*ms))),
            Filter::Epc { roles, epcs, gtins, prefixes } => {
                let roles = roles.iter().map(|r| format!("'{r}'")).collect::<Vec<_>>().join(", ");
                let mut alts = Vec::new();
                if !epcs.is_empty() {
                    alts.push(format!(
                        "SELECT seq FROM trace_epc WHERE epc IN ({}) AND role IN ({roles})",
                        sql.list(epcs)
                    ));
                }
                if !gtins.is_empty() {
                    alts.push(format!(
                        "SELECT seq FROM trace_epc WHERE gtin IN ({}) AND role IN ({roles})",
                        sql.list(gtins)
                    ));
                }
                for p in prefixes {
                    let like = p.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_") + "%";
                    let l = sql.push(Bind::Text(like));
                    alts.push(format!(
                        "SELECT seq FROM trace_epc WHERE epc LIKE {l} ESCAPE '\\' AND role IN ({roles})"
                    ));
                }
                format!("e.seq IN ({})", alts.join(" UNION "))
            }
            Filter::Attr { name, values } => {
                let n = sql.push(Bind::Text(name.clone()));
                format!("e.seq IN (SELECT seq FROM trace_attr WHERE name = {n} AND value IN ({}))", sql.list(values))
            }
            Filter::AttrExists { name } => {
                let n = sql.push(Bind::Text(name.clone()));
                format!("e.seq IN (SELECT seq FROM trace_attr WHERE name = {n})")
            }
            Filter::ErrorDeclared(yes) => format!("e.error_declared = {}", i64::from(*yes)),
            Filter::Sensor { field, uom, cmp, values } => {
                let unit = sql.push(Bind::Text(uom.clone()));
                let alts: Vec<String> =
                    values.iter().map(|v| format!("{field} {} {}", cmp.sql(), sql.push(Bind::Real(*v)))).collect();
                format!("e.seq IN (SELECT seq FROM trace_sensor WHERE uom = {unit} AND ({}))", alts.join(" OR "))
            }
            Filter::SensorType(types) => {
                format!("e.seq IN (SELECT seq FROM trace_sensor WHERE type IN ({}))", sql.list(types))
            }
            Filter::SeqAfter(n) => format!("e.seq > {}", sql.push(Bind::Int(*n))),
        };
        conds.push(c);
    }
    conds
}

fn bind_all<'q>(
    q: qy_storage::sqlx::query::Query<'q, qy_storage::sqlx::Any, qy_storage::sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> qy_storage::sqlx::query::Query<'q, qy_storage::sqlx::Any, qy_storage::sqlx::any::AnyArguments<'q>> {
    binds.into_iter().fold(q, |q, b| match b {
        Bind::Text(s) => q.bind(s),
        Bind::Int(i) => q.bind(i),
        Bind::Real(f) => q.bind(f),
    })
}

/// One page of events matching `s`.
pub async fn run(db: &Db, s: &Select) -> Result<Vec<StoredEvent>> {
    let mut sql = Sql { text: String::new(), binds: Vec::new() };
    let mut conds = where_clause(&s.filters, &mut sql);
    let col = s.order.column();
    let (cmp, dir) = if s.descending { ("<", "DESC") } else { (">", "ASC") };
    if let Some((v, seq)) = s.after {
        if s.order == OrderBy::Seq {
            conds.push(format!("e.seq {cmp} {}", sql.push(Bind::Int(seq))));
        } else {
            let a = sql.push(Bind::Int(v));
            let b = sql.push(Bind::Int(seq));
            conds.push(format!("(e.{col} {cmp} {a} OR (e.{col} = {a} AND e.seq {cmp} {b}))"));
        }
    }
    let limit = sql.push(Bind::Int(s.limit));
    let where_ = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    let order = if s.order == OrderBy::Seq { format!("e.seq {dir}") } else { format!("e.{col} {dir}, e.seq {dir}") };
    let cols = COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ");
    sql.text = format!("SELECT {cols} FROM trace_event e {where_} ORDER BY {order} LIMIT {limit}");
    let rows = bind_all(query(&sql.text), sql.binds).fetch_all(db.pool()).await.store()?;
    rows.iter().map(event_of).collect()
}

/// How many events match, counting no further than `cap`.
pub async fn count_upto(db: &Db, filters: &[Filter], cap: i64) -> Result<i64> {
    let mut sql = Sql { text: String::new(), binds: Vec::new() };
    let conds = where_clause(filters, &mut sql);
    let where_ = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    let cap = sql.push(Bind::Int(cap));
    sql.text = format!("SELECT COUNT(*) AS n FROM (SELECT 1 AS x FROM trace_event e {where_} LIMIT {cap}) t");
    let row = bind_all(query(&sql.text), sql.binds).fetch_one(db.pool()).await.store()?;
    row.try_get("n").store()
}
