//! Uploaded data: one table per entry version, created at run time with a column per 信息项
//! (`c_<column_name>`), typed by the item's data type. A new upload fills a new table inside
//! one transaction and only then replaces the old one, so a failed upload leaves nothing
//! behind and readers never see half a table.

use qy_kernel::{Error, Result};
use qy_storage::{Db, Dialect, Params, Row, StoreResultExt, Value};

use crate::domain::{Item, Storage};
use crate::typed;

/// `catalog_t_<hex>`: the only table names this module creates at run time.
pub fn valid_table_name(name: &str) -> bool {
    name.strip_prefix("catalog_t_").is_some_and(|rest| {
        !rest.is_empty() && rest.len() <= 40 && rest.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_')
    })
}

fn checked(name: &str) -> Result<&str> {
    if valid_table_name(name) {
        Ok(name)
    } else {
        Err(Error::internal(format!("refusing data table name {name:?}")))
    }
}

fn sql_type(db: &Db, s: Storage) -> &'static str {
    match (s, db.dialect()) {
        (Storage::Text, _) => "TEXT",
        (Storage::Integer, _) => "BIGINT",
        (Storage::Float, Dialect::Sqlite) => "REAL",
        (Storage::Float, Dialect::Postgres) => "DOUBLE PRECISION",
    }
}

fn value(v: &typed::Value) -> Value {
    match v {
        typed::Value::Null => Value::Null,
        typed::Value::Text(s) => Value::Text(s.clone()),
        typed::Value::Int(i) => Value::Int(*i),
        typed::Value::Float(f) => Value::Float(*f),
    }
}

/// Creates `table` for `items` and fills it with `rows` (values in item order), all or
/// nothing.
pub async fn create_and_fill(db: &Db, table: &str, items: &[Item], rows: &[Vec<typed::Value>]) -> Result<()> {
    let table = checked(table)?;
    let columns: Vec<String> =
        items.iter().map(|i| format!("c_{} {}", i.column_name, sql_type(db, i.data_type.storage()))).collect();
    let mut tx = db.pool().begin().await.store()?;
    let ddl = format!("CREATE TABLE {table} (row_no BIGINT PRIMARY KEY, {})", columns.join(", "));
    qy_storage::sqlx::query(&ddl).execute(&mut *tx).await.store()?;
    let names: Vec<String> = items.iter().map(|i| format!("c_{}", i.column_name)).collect();
    // Positional parameters: each used once, in order (with `$N`, sqlx's SQLite binding grows
    // with the square of a statement's parameters).
    let per_statement = db.dialect().rows_per_positional_statement(items.len() + 1);
    for (chunk_no, chunk) in rows.chunks(per_statement).enumerate() {
        let mut p = Params::positional(db.dialect());
        let tuples: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let n = i64::try_from(chunk_no * per_statement + i + 1).unwrap_or(i64::MAX);
                let mut values = vec![p.push(n)];
                values.extend(row.iter().map(|v| p.push(value(v))));
                format!("({})", values.join(", "))
            })
            .collect();
        let sql = format!("INSERT INTO {table} (row_no, {}) VALUES {}", names.join(", "), tuples.join(", "));
        p.bind(&sql).execute(&mut *tx).await.store()?;
    }
    tx.commit().await.store()
}

pub async fn drop_table(db: &Db, table: &str) -> Result<()> {
    let table = checked(table)?;
    qy_storage::sqlx::query(&format!("DROP TABLE IF EXISTS {table}")).execute(db.pool()).await.store()?;
    Ok(())
}

/// What to read: columns (items) in order, an optional region subtree on a column, equality
/// filters, and a page after `after` (a row number).
#[derive(Debug, Clone, Default)]
pub struct Read<'a> {
    pub items: Vec<&'a Item>,
    /// (region column, LIKE pattern of the subtree).
    pub region: Option<(&'a Item, String)>,
    pub equals: Vec<(&'a Item, String)>,
    pub after: i64,
    pub limit: i64,
}

fn conditions(p: &mut Params, r: &Read<'_>) -> String {
    let mut sql = format!(" WHERE row_no > {}", p.push(r.after));
    if let Some((item, pattern)) = &r.region {
        sql.push_str(&format!(" AND c_{} LIKE {}", item.column_name, p.push(pattern.as_str())));
    }
    for (item, v) in &r.equals {
        let bound = match item.data_type.storage() {
            Storage::Integer => v.parse::<i64>().map(|i| p.push(i)).unwrap_or_else(|_| p.push(v.as_str())),
            Storage::Float => v.parse::<f64>().map(|f| p.push_f64(f)).unwrap_or_else(|_| p.push(v.as_str())),
            Storage::Text => p.push(v.as_str()),
        };
        sql.push_str(&format!(" AND c_{} = {bound}", item.column_name));
    }
    sql
}

/// Rows as (row number, JSON values in `read.items` order).
pub async fn read(db: &Db, table: &str, r: &Read<'_>) -> Result<Vec<(i64, Vec<serde_json::Value>)>> {
    let table = checked(table)?;
    let mut p = Params::new();
    let cols: Vec<String> = r.items.iter().map(|i| format!("c_{}", i.column_name)).collect();
    let select = if cols.is_empty() { String::new() } else { format!(", {}", cols.join(", ")) };
    let sql = format!(
        "SELECT row_no{select} FROM {table}{} ORDER BY row_no LIMIT {}",
        conditions(&mut p, r),
        p.push(r.limit)
    );
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter()
        .map(|row| {
            let n: i64 = row.try_get("row_no").store()?;
            let values = r
                .items
                .iter()
                .map(|i| {
                    let c = format!("c_{}", i.column_name);
                    Ok(match i.data_type.storage() {
                        Storage::Text => row.try_get::<Option<String>, _>(c.as_str()).store()?.map(Into::into),
                        Storage::Integer => row.try_get::<Option<i64>, _>(c.as_str()).store()?.map(Into::into),
                        Storage::Float => row.try_get::<Option<f64>, _>(c.as_str()).store()?.map(Into::into),
                    }
                    .unwrap_or(serde_json::Value::Null))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok((n, values))
        })
        .collect()
}

/// How many rows match (without paging).
pub async fn count(db: &Db, table: &str, r: &Read<'_>) -> Result<i64> {
    let table = checked(table)?;
    let mut p = Params::new();
    let mut all = r.clone();
    all.after = 0;
    let sql = format!("SELECT COUNT(*) AS n FROM {table}{}", conditions(&mut p, &all));
    let row = p.bind(&sql).fetch_one(db.pool()).await.store()?;
    row.try_get("n").store()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_our_table_names_pass() {
        assert!(super::valid_table_name("catalog_t_0a1b2c3d_2"));
        assert!(!super::valid_table_name("catalog_entry"));
        assert!(!super::valid_table_name("catalog_t_x; drop table catalog_entry"));
        assert!(!super::valid_table_name("catalog_t_"));
    }
}
