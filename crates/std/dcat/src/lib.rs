//! DCAT-AP 3.0 export of the open-data catalog, as Turtle and JSON-LD.
//!
//! The caller describes its catalog with plain structs ([`Catalog`], [`Dataset`],
//! [`Distribution`], [`Agent`], [`Text`]); [`to_turtle`] / [`to_jsonld`] write a whole catalog
//! page (`/catalog.ttl`, `/catalog.jsonld`), [`dataset_to_turtle`] / [`dataset_to_jsonld`] one
//! dataset (`/dataset/{slug}.ttl`). Both formats are written from the same internal graph, so
//! they always carry the same triples, in a stable order.
//!
//! Pure: no I/O, never panics, cannot fail. Input that cannot be written as given is repaired
//! rather than rejected: IRIs are percent-encoded ([`escape_iri`]), malformed language tags are
//! dropped, dates that are not `xsd:date`/`xsd:dateTime` become plain literals, unknown formats
//! stay literal, unknown languages and malformed media types are left out. README.md has the
//! mapping from the Chinese catalog elements.
//!
//! ```
//! use qy_dcat::{dataset_to_turtle, AccessRights, Agent, Dataset, Distribution, Frequency, Text};
//!
//! let d = Dataset {
//!     uri: "https://data.qinghai.gov.cn/dataset/201001-000012".into(),
//!     identifier: "201001/000012".into(),
//!     title: vec![Text::zh("青海湖水质监测"), Text::en("Qinghai Lake water quality")],
//!     publisher: Agent {
//!         uri: "https://data.qinghai.gov.cn/org/sthjt".into(),
//!         name: vec![Text::zh("青海省生态环境厅")],
//!         identifier: Some("11630000MB1234567X".into()),
//!     },
//!     frequency: Some(Frequency::Monthly),
//!     access_rights: AccessRights::Public,
//!     issued: Some("2024-03-01".into()),
//!     distributions: vec![Distribution {
//!         access_url: "https://data.qinghai.gov.cn/dataset/201001-000012/data.csv".into(),
//!         format: Some("CSV".into()),
//!         ..Default::default()
//!     }],
//!     ..Default::default()
//! };
//! let ttl = dataset_to_turtle(&d);
//! assert!(ttl.contains(r#"dct:identifier "201001/000012""#));
//! assert!(ttl.contains(r#"dct:issued "2024-03-01"^^xsd:date"#));
//! assert!(ttl.contains("<http://publications.europa.eu/resource/authority/frequency/MONTHLY>"));
//! assert!(ttl.contains("<http://publications.europa.eu/resource/authority/access-right/PUBLIC>"));
//! ```

pub mod access_rights;
pub mod date;
pub mod format;
pub mod frequency;
mod graph;
pub mod iri;
mod jsonld;
pub mod lang_tag;
pub mod language;
mod map_catalog;
mod map_dataset;
pub mod model;
mod turtle;
pub mod vocab;

pub use access_rights::AccessRights;
pub use format::{file_type_uri, media_type_uri};
pub use frequency::Frequency;
pub use iri::escape_iri;
pub use language::language_uri;
pub use model::{Agent, Catalog, Dataset, Distribution, Paging, Text};

/// A catalog page as Turtle (`text/turtle`, UTF-8).
pub fn to_turtle(c: &Catalog) -> String {
    turtle::write(&map_catalog::catalog_nodes(c))
}

/// A catalog page as compact JSON-LD (`application/ld+json`): `@context` of the prefixes,
/// `@graph` of nodes.
pub fn to_jsonld(c: &Catalog) -> serde_json::Value {
    jsonld::write(&map_catalog::catalog_nodes(c))
}

/// One dataset as a Turtle document: the dataset, its distributions and its publisher.
pub fn dataset_to_turtle(d: &Dataset) -> String {
    turtle::write(&map_catalog::dataset_nodes(d))
}

/// One dataset as a compact JSON-LD document.
pub fn dataset_to_jsonld(d: &Dataset) -> serde_json::Value {
    jsonld::write(&map_catalog::dataset_nodes(d))
}
