//! Pages: the open-data portal (`portal.rs`, `downloads.rs`) and the catalog desk
//! (`desk.rs`, `entry_form.rs`). This file holds what they share: the template list, error
//! messages for forms, names for ids, and URL building.

use std::collections::BTreeMap;

use axum::Router;
use qy_kernel::{Error, Result};
use qy_storage::Db;
use qy_web::page::Base;
use qy_web::AppState;

use crate::store::orgs;

pub const TEMPLATES: &[(&str, &str)] = &[
    ("catalog/portal.html", include_str!("../../templates/portal.html")),
    ("catalog/dataset.html", include_str!("../../templates/dataset.html")),
    ("catalog/developers.html", include_str!("../../templates/developers.html")),
    ("catalog/desk.html", include_str!("../../templates/desk.html")),
    ("catalog/entry.html", include_str!("../../templates/entry.html")),
];

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(super::portal::router())
        .merge(super::downloads::router())
        .merge(super::desk::router())
        .merge(super::entry_form::router())
}

/// `?done=…` after a form that redirects: the page shows what was done.
#[derive(Debug, serde::Deserialize, Default)]
pub(crate) struct Flash {
    pub done: Option<String>,
}

/// The translated message of an error, as the error page would show it.
pub(crate) fn message(state: &AppState, base: &Base, e: &Error) -> String {
    let key = format!("error-{}", e.code.replace('.', "-"));
    let args: Vec<(&str, String)> = e.args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    if state.i18n.has(&key) {
        state.i18n.t(base.lang, &key, &args)
    } else {
        let status = qy_web::problem::status_of(e.kind).as_u16();
        state.i18n.t(base.lang, &format!("error-status-{status}"), &[])
    }
}

/// Percent-encodes a query-string value (RFC 3986 unreserved characters stay).
pub(crate) fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// `path?k=v&…` with the empty values left out.
pub(crate) fn url(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> =
        params.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}={}", enc(v))).collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Names of departments (by org id) and categories (by code), in the page's language where
/// the classification has one.
#[derive(Debug, Default, serde::Serialize)]
pub(crate) struct Names {
    pub orgs: BTreeMap<String, String>,
    pub categories: BTreeMap<String, String>,
}

impl Names {
    pub async fn load(db: &Db, lang: &str) -> Result<Names> {
        let orgs = orgs::all(db).await?.into_iter().map(|o| (o.id, o.name)).collect();
        let categories = orgs::categories(db)
            .await?
            .into_iter()
            .map(|c| (c.code, if lang == "en" && !c.name_en.is_empty() { c.name_en } else { c.name }))
            .collect();
        Ok(Names { orgs, categories })
    }

    pub fn org(&self, id: &str) -> String {
        self.orgs.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    pub fn category(&self, code: &str) -> String {
        self.categories.get(code).cloned().unwrap_or_else(|| code.to_owned())
    }

    /// 类 › 项 › 目 of a category code.
    pub fn category_path(&self, code: &str) -> Vec<(String, String)> {
        [1, 3, 6].iter().filter_map(|n| code.get(..*n)).map(|c| (c.to_owned(), self.category(c))).collect()
    }
}

/// A region's name, or its code when the directory does not know it.
pub(crate) async fn region_name(state: &AppState, code: &str) -> String {
    match state.regions.get(code).await {
        Ok(Some(r)) => r.name,
        _ => code.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn urls_encode_values_and_drop_empty_ones() {
        assert_eq!(
            super::url("/open", &[("q", "空气 质量"), ("org", "")]),
            "/open?q=%E7%A9%BA%E6%B0%94%20%E8%B4%A8%E9%87%8F"
        );
        assert_eq!(super::url("/open", &[("org", "")]), "/open");
    }

    #[test]
    fn category_paths_walk_up_the_classification() {
        let mut n = super::Names::default();
        n.categories.insert("2".into(), "主题".into());
        n.categories.insert("201".into(), "生态环境".into());
        let path = n.category_path("201001");
        assert_eq!(path[0], ("2".into(), "主题".into()));
        assert_eq!(path[2], ("201001".into(), "201001".into()));
        assert_eq!(n.category_path("201").len(), 2);
    }
}
