//! The resources (CKAN) or distributions (DCAT) of an open entry, and its licence. One list
//! for both APIs, so a resource id in `package_show` is the one `datastore_search` takes and
//! a DCAT download URL is the CKAN resource URL.
//!
//! Rows behind an entry (an uploaded table or a module's feed) are offered as the portal's
//! three downloads, CSV, JSON and XLSX, each a view of the same DataStore table. An entry
//! served by its provider's own system is one `API` resource at that address. An entry with
//! nothing behind it yet has no resources.

use crate::domain::{Entry, OpenType, SourceKind};

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// `<entry id>-csv`: stable across versions and uploads.
    pub id: String,
    pub format: &'static str,
    pub mimetype: Option<&'static str>,
    pub url: String,
    /// Rows can be read with `datastore_search`.
    pub datastore: bool,
}

/// (id suffix, format, media type) of the downloads.
const DOWNLOADS: [(&str, &str, &str); 3] = [
    ("csv", "CSV", "text/csv"),
    ("json", "JSON", "application/json"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
];

/// The portal page of a dataset.
pub fn page_url(base: &str, e: &Entry) -> String {
    format!("{base}/open/datasets/{}", e.slug)
}

pub fn of(base: &str, e: &Entry) -> Vec<Resource> {
    match e.source_kind {
        SourceKind::Table | SourceKind::Feed => DOWNLOADS
            .iter()
            .map(|(suffix, format, mime)| Resource {
                id: format!("{}-{suffix}", e.id),
                format,
                mimetype: Some(mime),
                url: format!("{}/download.{suffix}", page_url(base, e)),
                datastore: true,
            })
            .collect(),
        SourceKind::Endpoint => vec![Resource {
            id: format!("{}-api", e.id),
            format: "API",
            mimetype: None,
            url: e.endpoint_url.clone().unwrap_or_default(),
            datastore: false,
        }],
        SourceKind::None => Vec::new(),
    }
}

/// The formats of an entry's resources (`res_format`), without building URLs.
pub fn formats(e: &Entry) -> Vec<&'static str> {
    of("", e).into_iter().map(|r| r.format).collect()
}

/// The entry id a resource id names (ids are `<entry id>-<suffix>`).
pub fn entry_of(resource_id: &str) -> Option<&str> {
    let (entry, suffix) = resource_id.rsplit_once('-')?;
    (["csv", "json", "xlsx", "api"].contains(&suffix) && !entry.is_empty()).then_some(entry)
}

/// A dataset's licence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Licence {
    pub id: &'static str,
    pub title: &'static str,
    pub url: Option<&'static str>,
    /// CKAN's `isopen`: an Open Definition conformant licence.
    pub open: bool,
}

/// Our choice, not a rule of the regulations: 无条件开放 data is offered under CC BY 4.0
/// (reuse with attribution, what the open-data regulations ask of users); 有条件开放 data is
/// used under the data-use agreement signed with the application, which CKAN calls
/// `other-closed`.
pub fn licence(open: OpenType) -> Licence {
    match open {
        OpenType::Unconditional => Licence {
            id: "cc-by-4.0",
            title: "Creative Commons Attribution 4.0 (CC BY 4.0)",
            url: Some("https://creativecommons.org/licenses/by/4.0/"),
            open: true,
        },
        OpenType::Conditional | OpenType::None => Licence {
            id: "other-closed",
            title: "有条件开放：凭申请及数据使用协议使用 (Other, not open: use under the agreement of an approved application)",
            url: None,
            open: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_ids_name_their_entry() {
        assert_eq!(entry_of("0190-aa-bb-csv"), Some("0190-aa-bb"));
        assert_eq!(entry_of("0190-aa-bb-api"), Some("0190-aa-bb"));
        assert_eq!(entry_of("0190-aa-bb-pdf"), None);
        assert_eq!(entry_of("-csv"), None);
        assert_eq!(entry_of("csv"), None);
    }
}
