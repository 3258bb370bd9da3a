//! `catalog_org` and `catalog_category`.

use qy_kernel::Result;
use qy_storage::sqlx::any::AnyRow;
use qy_storage::sqlx::query;
use qy_storage::{Db, Row, StoreResultExt};

use crate::domain::{Category, Org};

const ORG_COLUMNS: &str = "id, slug, name, uscc, region_code, department_id, description, created_at";

fn org_of(r: &AnyRow) -> Result<Org> {
    Ok(Org {
        id: r.try_get("id").store()?,
        slug: r.try_get("slug").store()?,
        name: r.try_get("name").store()?,
        uscc: r.try_get("uscc").store()?,
        region_code: r.try_get("region_code").store()?,
        department_id: r.try_get("department_id").store()?,
        description: r.try_get("description").store()?,
        created_at: r.try_get("created_at").store()?,
    })
}

pub async fn insert(db: &Db, o: &Org) -> Result<()> {
    query(&format!("INSERT INTO catalog_org ({ORG_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        .bind(&o.id)
        .bind(&o.slug)
        .bind(&o.name)
        .bind(&o.uscc)
        .bind(&o.region_code)
        .bind(&o.department_id)
        .bind(&o.description)
        .bind(o.created_at)
        .execute(db.pool())
        .await
        .store()?;
    Ok(())
}

async fn one(db: &Db, key: &'static str, value: &str) -> Result<Option<Org>> {
    let row = query(&format!("SELECT {ORG_COLUMNS} FROM catalog_org WHERE {key} = $1"))
        .bind(value)
        .fetch_optional(db.pool())
        .await
        .store()?;
    row.as_ref().map(org_of).transpose()
}

pub async fn by_id(db: &Db, id: &str) -> Result<Option<Org>> {
    one(db, "id", id).await
}

pub async fn by_slug(db: &Db, slug: &str) -> Result<Option<Org>> {
    one(db, "slug", slug).await
}

pub async fn by_department(db: &Db, department_id: &str) -> Result<Option<Org>> {
    one(db, "department_id", department_id).await
}

pub async fn all(db: &Db) -> Result<Vec<Org>> {
    let rows =
        query(&format!("SELECT {ORG_COLUMNS} FROM catalog_org ORDER BY slug")).fetch_all(db.pool()).await.store()?;
    rows.iter().map(org_of).collect()
}

pub async fn categories(db: &Db) -> Result<Vec<Category>> {
    let rows = query("SELECT code, parent_code, kind, name, name_en FROM catalog_category ORDER BY code")
        .fetch_all(db.pool())
        .await
        .store()?;
    rows.iter()
        .map(|r| {
            Ok(Category {
                code: r.try_get("code").store()?,
                parent_code: r.try_get("parent_code").store()?,
                kind: r.try_get("kind").store()?,
                name: r.try_get("name").store()?,
                name_en: r.try_get("name_en").store()?,
            })
        })
        .collect()
}
