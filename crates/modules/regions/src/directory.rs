//! The `RegionDirectory` port, answered from this module's table.

use async_trait::async_trait;
use qy_kernel::region::{RegionDirectory, RegionSummary};
use qy_storage::Db;

use crate::store;

pub struct StoreDirectory {
    db: Db,
}

impl StoreDirectory {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl RegionDirectory for StoreDirectory {
    async fn get(&self, code: &str) -> qy_kernel::Result<Option<RegionSummary>> {
        Ok(store::get(&self.db, code).await?.map(|r| RegionSummary { code: r.code, name: r.name, level: r.level }))
    }
}

/// Loads the shipped regions when the table is empty (first start). Returns rows loaded.
pub async fn load_shipped(db: &Db) -> qy_kernel::Result<usize> {
    if store::count(db).await? > 0 {
        return Ok(0);
    }
    let regions = crate::domain::shipped().map_err(qy_kernel::Error::internal)?;
    store::insert_all(db, &regions).await?;
    tracing::info!(rows = regions.len(), "loaded Qinghai's administrative regions");
    Ok(regions.len())
}
