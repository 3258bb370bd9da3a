//! Which entries the public sees, and what it sees of them: published entries open to the
//! public (无条件开放 or 有条件开放); while a published entry is being revised, its last
//! published version, never the draft. One rule for every CKAN action and DCAT document.

use qy_kernel::Result;

use crate::domain::{Entry, OpenType};
use crate::store::entries;
use crate::Catalog;

/// The public view of each entry of `pool` (as the store has them), dropping those the
/// public may not see.
pub async fn views(c: &Catalog, pool: Vec<Entry>) -> Result<Vec<Entry>> {
    let mut out = Vec::with_capacity(pool.len());
    for e in pool {
        if let Some(v) = c.published_view(e).await? {
            if v.open_type != OpenType::None {
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// Every entry the public may see (without 信息项), in no particular order.
pub async fn all(c: &Catalog) -> Result<Vec<Entry>> {
    views(c, entries::open_light(&c.db).await?).await
}

/// The related entries (关联资源代码) the public may see, as (code, slug): a related entry
/// that is not open is not mentioned.
pub async fn related(c: &Catalog, e: &Entry) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for code in &e.related_codes {
        if let Ok(r) = c.open_entry(code).await {
            out.push((r.code, r.slug));
        }
    }
    out
}
