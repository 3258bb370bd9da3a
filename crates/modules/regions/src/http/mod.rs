pub mod api;
pub mod pages;

use qy_kernel::{Error, Result};
use qy_storage::Db;
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Region;
use crate::store;

/// A region with its parent chain (province first) and its children.
#[derive(Debug, Serialize, ToSchema)]
pub struct RegionDetail {
    #[serde(flatten)]
    pub region: Region,
    pub ancestors: Vec<Region>,
    pub children: Vec<Region>,
}

pub async fn detail(db: &Db, code: &str) -> Result<RegionDetail> {
    if qy_kernel::region::significant_prefix(code).is_none() {
        return Err(Error::bad_request(
            "regions.invalid_code",
            format!("{code:?} is not a region code (6, 9 or 12 digits)"),
        ));
    }
    let region = store::get(db, code)
        .await?
        .ok_or_else(|| Error::not_found("regions.not_found", format!("no region with code {code} in Qinghai")))?;
    let mut ancestors = Vec::new();
    let mut next = region.parent_code.clone();
    while let Some(parent) = next {
        match store::get(db, &parent).await? {
            Some(p) => {
                next = p.parent_code.clone();
                ancestors.push(p);
            }
            None => break,
        }
        if ancestors.len() > 6 {
            break;
        }
    }
    ancestors.reverse();
    let children = store::children(db, code).await?;
    Ok(RegionDetail { region, ancestors, children })
}
