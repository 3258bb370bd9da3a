//! Distribution formats: the catalog's 格式 → EU file-type IRI (`dct:format`) and the IANA
//! media-type IRI (`dcat:mediaType`) that DCAT-AP 3 asks for.

const FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
/// DCAT-AP 3 names media types by their IANA registry page, over https.
const IANA: &str = "https://www.iana.org/assignments/media-types/";
const IANA_HTTP: &str = "http://www.iana.org/assignments/media-types/";

/// What to write for `dct:format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatValue {
    /// An IRI: an EU file-type entry, or an IRI the caller gave.
    Iri(String),
    /// A format the EU table does not have (`API`, `WPS`, `OFD`, …), kept as text as ckanext-dcat
    /// does rather than inventing an IRI.
    Literal(String),
}

/// Names callers use → EU file-type code. Only codes the authority table has.
const FILE_TYPES: &[(&[&str], &str)] = &[
    (&["CSV"], "CSV"),
    (&["JSON"], "JSON"),
    (&["XML"], "XML"),
    (&["XLS"], "XLS"),
    (&["XLSX"], "XLSX"),
    (&["ODS"], "ODS"),
    (&["PDF"], "PDF"),
    (&["HTML", "HTM"], "HTML"),
    (&["TXT", "TEXT"], "TXT"),
    (&["DOC"], "DOC"),
    (&["DOCX"], "DOCX"),
    (&["ODT"], "ODT"),
    (&["PPTX"], "PPTX"),
    (&["ZIP"], "ZIP"),
    (&["GZIP", "GZ"], "GZIP"),
    (&["TAR"], "TAR"),
    (&["GEOJSON"], "GEOJSON"),
    (&["SHP", "SHAPEFILE"], "SHP"),
    (&["KML"], "KML"),
    (&["RDF", "RDF/XML", "RDF_XML", "RDFXML"], "RDF_XML"),
    (&["TTL", "TURTLE", "RDF_TURTLE"], "RDF_TURTLE"),
    (&["NT", "N-TRIPLES", "NTRIPLES", "RDF_N_TRIPLES"], "RDF_N_TRIPLES"),
    (&["JSON-LD", "JSONLD", "JSON_LD"], "JSON_LD"),
    (&["JPEG", "JPG"], "JPEG"),
    (&["PNG"], "PNG"),
    (&["TIFF", "TIF"], "TIFF"),
    (&["PARQUET"], "PARQUET"),
    (&["DBF"], "DBF"),
    (&["MDB"], "MDB"),
];

/// `dct:format` for a caller's format string; `None` when blank.
pub fn format_value(format: &str) -> Option<FormatValue> {
    let f = format.trim();
    if f.is_empty() {
        return None;
    }
    if f.starts_with("http://") || f.starts_with("https://") {
        return Some(FormatValue::Iri(f.to_owned()));
    }
    let key = f.trim_start_matches('.').to_ascii_uppercase();
    match FILE_TYPES.iter().find(|(names, _)| names.contains(&key.as_str())) {
        Some((_, code)) => Some(FormatValue::Iri(format!("{FILE_TYPE}{code}"))),
        None => Some(FormatValue::Literal(f.to_owned())),
    }
}

/// The EU file-type IRI for a format name, when the table has it (`csv` → `…/file-type/CSV`).
pub fn file_type_uri(format: &str) -> Option<String> {
    match format_value(format)? {
        FormatValue::Iri(iri) if iri.starts_with(FILE_TYPE) => Some(iri),
        _ => None,
    }
}

/// `dcat:mediaType` IRI for `text/csv`, `TEXT/CSV; charset=utf-8` or an IANA IRI; `None` when the
/// value is not a `type/subtype` pair (a literal would violate the DCAT-AP range `dct:MediaType`).
pub fn media_type_uri(media_type: &str) -> Option<String> {
    let m = media_type.trim();
    let bare = m.strip_prefix(IANA).or_else(|| m.strip_prefix(IANA_HTTP)).unwrap_or(m);
    // Parameters (`; charset=…`) are not part of the registered name.
    let essence = bare.split(';').next().unwrap_or(bare).trim().to_ascii_lowercase();
    let (ty, sub) = essence.split_once('/')?;
    (is_restricted_name(ty) && is_restricted_name(sub)).then(|| format!("{IANA}{ty}/{sub}"))
}

/// RFC 6838 §4.2 `restricted-name`.
fn is_restricted_name(s: &str) -> bool {
    let mut bytes = s.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphanumeric());
    first_ok && s.len() <= 127 && bytes.all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_formats_become_eu_file_types() {
        for (given, code) in
            [("CSV", "CSV"), ("json", "JSON"), (".xlsx", "XLSX"), (" xls ", "XLS"), ("TTL", "RDF_TURTLE")]
        {
            assert_eq!(
                format_value(given),
                Some(FormatValue::Iri(format!("http://publications.europa.eu/resource/authority/file-type/{code}")))
            );
        }
    }

    #[test]
    fn unknown_formats_stay_literal_and_iris_are_kept() {
        assert_eq!(format_value("API"), Some(FormatValue::Literal("API".into())));
        assert_eq!(format_value("达梦数据库"), Some(FormatValue::Literal("达梦数据库".into())));
        assert_eq!(format_value("  "), None);
        assert_eq!(
            format_value("https://example.org/format/x"),
            Some(FormatValue::Iri("https://example.org/format/x".into()))
        );
        assert_eq!(file_type_uri("API"), None);
        assert_eq!(file_type_uri("https://example.org/format/x"), None);
    }

    #[test]
    fn media_types_become_iana_iris() {
        let csv = Some("https://www.iana.org/assignments/media-types/text/csv".to_owned());
        assert_eq!(media_type_uri("text/csv"), csv);
        assert_eq!(media_type_uri("TEXT/CSV; charset=utf-8"), csv);
        assert_eq!(media_type_uri("http://www.iana.org/assignments/media-types/text/csv"), csv);
        assert_eq!(
            media_type_uri("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet").as_deref(),
            Some("https://www.iana.org/assignments/media-types/application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        );
        assert_eq!(
            media_type_uri("application/ld+json").as_deref(),
            Some("https://www.iana.org/assignments/media-types/application/ld+json")
        );
        assert_eq!(media_type_uri("csv"), None);
        assert_eq!(media_type_uri("text/"), None);
        assert_eq!(media_type_uri("text/c sv"), None);
        assert_eq!(media_type_uri(""), None);
    }
}
