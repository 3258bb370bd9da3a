//! All SQL of the catalog module, one file per table group. Uploaded data lives in tables
//! created at run time (`data.rs`), one per entry version, named `catalog_t_…`.

pub mod calls;
pub mod cases;
pub mod data;
pub mod entries;
pub mod orgs;
pub mod sharing;
pub mod subscriptions;

pub(crate) fn json_list<T: serde::Serialize>(v: &[T]) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn from_json_list<T: serde::de::DeserializeOwned>(s: &str) -> Vec<T> {
    serde_json::from_str(s).unwrap_or_default()
}
