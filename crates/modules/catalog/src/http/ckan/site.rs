//! What the CKAN API and the DCAT documents share about the site: its base URL, and the
//! departments and categories that entries name by id and code.

use std::collections::HashMap;

use axum::http::HeaderMap;
use qy_kernel::Result;
use qy_web::AppState;

use crate::domain::{Category, Org};
use crate::store::orgs;
use crate::Catalog;

/// `https://host` without a trailing slash: the configured public address, else the
/// request's host (links in API answers must work for whoever asked).
pub fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let h =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(|s| s.split(',').next().unwrap_or("").trim());
    // A Host header is client input that ends up in links: only host-name characters pass.
    let host = h("x-forwarded-host").or_else(|| h("host")).filter(|s| {
        !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-.:[]_".contains(&b))
    });
    let scheme = if h("x-forwarded-proto") == Some("https") { "https" } else { "http" };
    format!("{scheme}://{}", host.unwrap_or("localhost"))
}

/// Departments by id and categories by code, read once per request.
pub struct Lookup {
    pub orgs: HashMap<String, Org>,
    pub categories: HashMap<String, Category>,
}

impl Lookup {
    pub async fn load(c: &Catalog) -> Result<Lookup> {
        let orgs = orgs::all(&c.db).await?.into_iter().map(|o| (o.id.clone(), o)).collect();
        let categories = orgs::categories(&c.db).await?.into_iter().map(|k| (k.code.clone(), k)).collect();
        Ok(Lookup { orgs, categories })
    }

    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs.get(id)
    }

    /// A department by id or by name (slug).
    pub fn org_named(&self, id_or_slug: &str) -> Option<&Org> {
        self.orgs.get(id_or_slug).or_else(|| self.orgs.values().find(|o| o.slug == id_or_slug))
    }

    /// The 项 (second level, three digits) an entry's category belongs to: CKAN's group.
    pub fn group_of(&self, category_code: &str) -> Option<&Category> {
        self.categories.get(category_code.get(..3)?)
    }

    /// The CKAN groups: every category at the 项 level.
    pub fn groups(&self) -> Vec<&Category> {
        let mut g: Vec<&Category> = self.categories.values().filter(|c| c.code.len() == 3).collect();
        g.sort_by(|a, b| a.code.cmp(&b.code));
        g
    }
}
