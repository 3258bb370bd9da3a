//! All SQL of the regions module.

use qy_kernel::Result;
use qy_storage::{Db, Params, Row, StoreResultExt};

use crate::domain::{depth_of, Region};

const COLUMNS: &str = "code, name, parent_code, level";

fn region_of(row: &qy_storage::sqlx::any::AnyRow) -> Result<Region> {
    Ok(Region {
        code: row.try_get("code").store()?,
        name: row.try_get("name").store()?,
        parent_code: row.try_get("parent_code").store()?,
        level: row.try_get("level").store()?,
    })
}

pub async fn count(db: &Db) -> Result<i64> {
    let row = qy_storage::sqlx::query("SELECT COUNT(*) FROM regions_region").fetch_one(db.pool()).await.store()?;
    row.try_get(0).store()
}

/// Inserts regions in one transaction, a few hundred rows per statement.
pub async fn insert_all(db: &Db, regions: &[Region]) -> Result<()> {
    let mut tx = db.pool().begin().await.store()?;
    for chunk in regions.chunks(200) {
        let mut p = Params::new();
        let values: Vec<String> = chunk
            .iter()
            .map(|r| {
                format!(
                    "({}, {}, {}, {}, {})",
                    p.push(r.code.as_str()),
                    p.push(r.name.as_str()),
                    p.push(r.parent_code.clone().map(Into::into).unwrap_or(qy_storage::Value::Null)),
                    p.push(r.level.as_str()),
                    p.push(i64::from(depth_of(&r.level).unwrap_or(0)))
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO regions_region (code, name, parent_code, level, depth) VALUES {} ON CONFLICT (code) DO NOTHING",
            values.join(", ")
        );
        p.bind(&sql).execute(&mut *tx).await.store()?;
    }
    tx.commit().await.store()
}

pub async fn get(db: &Db, code: &str) -> Result<Option<Region>> {
    let sql = format!("SELECT {COLUMNS} FROM regions_region WHERE code = $1");
    let row = qy_storage::sqlx::query(&sql).bind(code).fetch_optional(db.pool()).await.store()?;
    row.as_ref().map(region_of).transpose()
}

pub async fn children(db: &Db, code: &str) -> Result<Vec<Region>> {
    let sql = format!("SELECT {COLUMNS} FROM regions_region WHERE parent_code = $1 ORDER BY code");
    let rows = qy_storage::sqlx::query(&sql).bind(code).fetch_all(db.pool()).await.store()?;
    rows.iter().map(region_of).collect()
}

/// Regions whose name contains `q`, optionally of one level, ordered by code, after `after`.
pub async fn search(db: &Db, q: &str, level: Option<&str>, after: Option<&str>, limit: i64) -> Result<Vec<Region>> {
    let mut p = Params::new();
    let mut sql =
        format!("SELECT {COLUMNS} FROM regions_region WHERE name LIKE {}", p.push(format!("%{}%", escape_like(q))));
    sql.push_str(" ESCAPE '\\'");
    if let Some(level) = level {
        sql.push_str(&format!(" AND level = {}", p.push(level)));
    }
    if let Some(after) = after {
        sql.push_str(&format!(" AND code > {}", p.push(after)));
    }
    sql.push_str(&format!(" ORDER BY code LIMIT {}", p.push(limit + 1)));
    let rows = p.bind(&sql).fetch_all(db.pool()).await.store()?;
    rows.iter().map(region_of).collect()
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
