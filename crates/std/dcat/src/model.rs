//! The catalog as the caller describes it: plain data, no RDF in sight. Every struct is
//! `Default` so callers and tests can fill only what they have.

use serde::{Deserialize, Serialize};

use crate::access_rights::AccessRights;
use crate::frequency::Frequency;

/// A literal with an optional language tag (`zh`, `en`, `bo` …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Text {
    pub value: String,
    pub lang: Option<String>,
}

impl Text {
    pub fn new(value: impl Into<String>, lang: Option<&str>) -> Self {
        Text { value: value.into(), lang: lang.map(str::to_owned) }
    }
    /// Chinese (`@zh`).
    pub fn zh(value: impl Into<String>) -> Self {
        Text::new(value, Some("zh"))
    }
    /// English (`@en`).
    pub fn en(value: impl Into<String>) -> Self {
        Text::new(value, Some("en"))
    }
    /// Tibetan (`@bo`).
    pub fn bo(value: impl Into<String>) -> Self {
        Text::new(value, Some("bo"))
    }
    /// No language tag (codes, names that are not in any one language).
    pub fn plain(value: impl Into<String>) -> Self {
        Text::new(value, None)
    }
}

/// A publisher (`foaf:Agent`). An empty `uri` makes it a blank node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Agent {
    pub uri: String,
    pub name: Vec<Text>,
    /// e.g. the unified social credit code (统一社会信用代码) of the providing department.
    pub identifier: Option<String>,
}

/// One way to get a dataset (`dcat:Distribution`): a file, an API, a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Distribution {
    /// Empty → blank node.
    pub uri: String,
    pub title: Vec<Text>,
    /// Mandatory in DCAT-AP. When empty, `download_url` (then the dataset's landing page) is used.
    pub access_url: String,
    pub download_url: Option<String>,
    /// `CSV`, `JSON`, `XLSX`, … → EU file-type IRI when known; an IRI is kept; else a literal.
    pub format: Option<String>,
    /// `text/csv` → `https://www.iana.org/assignments/media-types/text/csv`.
    pub media_type: Option<String>,
    /// Licence IRI.
    pub license: Option<String>,
    pub byte_size: Option<u64>,
    /// `YYYY-MM-DD` or RFC 3339.
    pub modified: Option<String>,
}

/// One catalog entry (`dcat:Dataset`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Dataset {
    /// Empty → blank node.
    pub uri: String,
    /// The Chinese resource code (信息资源代码), e.g. `201001/000012` → `dct:identifier`.
    pub identifier: String,
    pub title: Vec<Text>,
    pub description: Vec<Text>,
    pub publisher: Agent,
    /// Theme IRIs (the catalog's own SKOS scheme of 资源分类).
    pub themes: Vec<String>,
    pub keywords: Vec<Text>,
    /// `YYYY-MM-DD` (or RFC 3339).
    pub issued: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`.
    pub modified: Option<String>,
    pub frequency: Option<Frequency>,
    pub access_rights: AccessRights,
    /// IRIs of related datasets (关联资源代码).
    pub relations: Vec<String>,
    pub landing_page: Option<String>,
    /// Spatial coverage IRI.
    pub spatial: Option<String>,
    /// IRI of the table schema (信息项).
    pub conforms_to: Option<String>,
    pub distributions: Vec<Distribution>,
}

/// The catalog (`dcat:Catalog`), possibly one page of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Catalog {
    /// Empty → blank node.
    pub uri: String,
    pub title: Vec<Text>,
    pub description: Vec<Text>,
    pub publisher: Agent,
    pub homepage: Option<String>,
    /// ISO 639 codes (`zh`, `en`, `bo`) → EU language authority IRIs.
    pub language: Vec<String>,
    pub modified: Option<String>,
    /// IRI of the SKOS concept scheme the dataset themes come from (`dcat:themeTaxonomy`).
    pub themes_scheme: Option<String>,
    pub datasets: Vec<Dataset>,
    pub paging: Option<Paging>,
}

/// Paging of `/catalog.{ttl,jsonld}`, written as a Hydra `PagedCollection` the way ckanext-dcat
/// does, so CKAN's DCAT harvester can follow `next`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Paging {
    /// Current page number, 1-based. Hydra has no property for it; kept for callers.
    pub page: u32,
    pub per_page: u32,
    pub total: u64,
    pub first: String,
    pub next: Option<String>,
    pub prev: Option<String>,
    pub last: String,
}
