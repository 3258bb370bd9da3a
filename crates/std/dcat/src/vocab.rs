//! Namespaces and the prefix table shared by the Turtle `@prefix` lines and the JSON-LD
//! `@context`, so both serialisations always declare the same prefixes.

pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const ADMS: &str = "http://www.w3.org/ns/adms#";
pub const DCATAP: &str = "http://data.europa.eu/r5r/";
pub const HYDRA: &str = "http://www.w3.org/ns/hydra/core#";

/// Every prefix either output declares, in output order. All namespaces end in `#` or `/`, which
/// JSON-LD 1.1 requires before it treats a context term as a prefix for compact IRIs.
pub const PREFIXES: &[(&str, &str)] = &[
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("vcard", VCARD),
    ("xsd", XSD),
    ("rdf", RDF),
    ("rdfs", RDFS),
    ("skos", SKOS),
    ("adms", ADMS),
    ("dcatap", DCATAP),
    ("hydra", HYDRA),
];
