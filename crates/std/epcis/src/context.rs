//! Namespace prefixes of a document's JSON-LD `@context`, gathered once per document.
//!
//! EPCIS 2.0 extension keys and custom vocabulary values are CURIEs (`qh:breed`); the event hash
//! writes them as `{namespace}local` and validation checks that their prefix is declared. Full
//! JSON-LD processing is not needed for that: the GS1 context only adds the standard prefixes
//! below, and projects declare theirs in inline objects. Parsing the context once per document
//! (not per event) keeps capture cheap.

use serde_json::Value;

/// Prefixes defined by the GS1 EPCIS 2.0 context (`epcis-context.jsonld`, top-level string terms).
/// They are always available: every EPCIS 2.0 JSON-LD document uses that context, and an event sent
/// alone to `POST /events` is read against it too.
pub const STANDARD_PREFIXES: [(&str, &str); 8] = [
    ("epcis", "https://ref.gs1.org/epcis/"),
    ("cbv", "https://ref.gs1.org/cbv/"),
    ("cbvmda", "urn:epcglobal:cbv:mda:"),
    ("gs1", "https://gs1.org/voc/"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("dcterms", "http://purl.org/dc/terms/"),
];

/// The versioned GS1 context URL every document should use (offline hash tools know it).
pub const STANDARD_CONTEXT_URL: &str = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/// Prefix declarations (and the repository's ignore list) of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// `(prefix, namespace)`, inline declarations first so they win over the standard ones.
    prefixes: Vec<(String, String)>,
    /// Expanded IRIs of top-level event fields the hash skips (see [`Context::ignore_fields`]).
    ignore: Vec<String>,
}

impl Default for Context {
    fn default() -> Self {
        Self::standard()
    }
}

impl Context {
    /// Only the standard prefixes of the GS1 context.
    #[must_use]
    pub fn standard() -> Self {
        let prefixes = STANDARD_PREFIXES.iter().map(|(p, n)| ((*p).to_owned(), (*n).to_owned())).collect();
        Self { prefixes, ignore: Vec::new() }
    }

    /// The prefixes of `doc["@context"]` (a string, an object or an array of both) plus the standard
    /// ones, and the document's ignore-fields list. `doc` may be an EPCISDocument,
    /// EPCISQueryDocument or a single event carrying its own `@context`.
    #[must_use]
    pub fn from_document(doc: &Value) -> Self {
        let mut ctx = Self { prefixes: Vec::new(), ignore: Vec::new() };
        match doc.get("@context") {
            Some(Value::Array(items)) => items.iter().for_each(|c| ctx.add_inline(c)),
            Some(c) => ctx.add_inline(c),
            None => {}
        }
        let standard = Self::standard();
        ctx.prefixes.extend(standard.prefixes);
        ctx.ignore = ignore_list(doc, &ctx);
        ctx
    }

    /// Adds the term definitions of one inline context object; later objects override earlier ones
    /// as in JSON-LD, so they go to the front.
    fn add_inline(&mut self, c: &Value) {
        let Some(obj) = c.as_object() else { return };
        for (term, def) in obj.iter().rev() {
            if term.starts_with('@') {
                continue;
            }
            let iri = match def {
                Value::String(s) => s.as_str(),
                Value::Object(o) => match o.get("@id").and_then(Value::as_str) {
                    Some(s) => s,
                    None => continue,
                },
                _ => continue,
            };
            if iri.starts_with('@') {
                continue;
            }
            self.prefixes.retain(|(p, _)| p != term);
            self.prefixes.insert(0, (term.clone(), iri.to_owned()));
        }
    }

    /// The namespace a prefix stands for.
    #[must_use]
    pub fn namespace(&self, prefix: &str) -> Option<&str> {
        self.prefixes.iter().find(|(p, _)| p == prefix).map(|(_, n)| n.as_str())
    }

    /// Splits a CURIE `prefix:local` whose prefix is declared into `(namespace, local)`.
    #[must_use]
    pub fn split_curie<'a>(&'a self, curie: &'a str) -> Option<(&'a str, &'a str)> {
        let (prefix, local) = curie.split_once(':')?;
        // `//` after the colon means an absolute IRI such as `https://…`, never a CURIE (JSON-LD 1.1 §4.1.2).
        if local.starts_with("//") {
            return None;
        }
        Some((self.namespace(prefix)?, local))
    }

    /// `prefix:local` expanded to a full IRI, or `None` when the prefix is not declared.
    #[must_use]
    pub fn expand(&self, curie: &str) -> Option<String> {
        self.split_curie(curie).map(|(ns, local)| format!("{ns}{local}"))
    }

    /// Expanded IRIs of the fields listed under a `…:ignoreFields` key of the document (or of its
    /// `epcisBody` / `queryResults`). A repository that adds its own bookkeeping fields to stored
    /// events lists them there so the event still hashes to the ID it was captured with; the
    /// reference hash generator honours the list since 2024 (see the README).
    #[must_use]
    pub fn ignore_fields(&self) -> &[String] {
        &self.ignore
    }

    /// Whether an event field key (CURIE or IRI) is on the ignore list.
    pub(crate) fn is_ignored(&self, key: &str) -> bool {
        !self.ignore.is_empty() && {
            let expanded = self.expand(key);
            let iri = expanded.as_deref().unwrap_or(key);
            self.ignore.iter().any(|i| i == iri)
        }
    }
}

/// Collects the ignore-fields lists from the document root, `epcisBody` and `queryResults`.
fn ignore_list(doc: &Value, ctx: &Context) -> Vec<String> {
    let holders = [doc.get("epcisBody").and_then(|b| b.get("queryResults")), doc.get("epcisBody"), Some(doc)];
    let mut out = Vec::new();
    for holder in holders.into_iter().flatten().filter_map(Value::as_object) {
        for (key, value) in holder {
            let expanded = ctx.expand(key);
            let iri = expanded.as_deref().unwrap_or(key);
            if !iri.ends_with("ignoreFields") || !iri[..iri.len() - "ignoreFields".len()].ends_with(['/', '#', ':']) {
                continue;
            }
            let names: Vec<&str> = match value {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            out.extend(names.into_iter().map(|n| ctx.expand(n).unwrap_or_else(|| n.to_owned())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn inline_prefixes_and_standard_ones() {
        let doc = json!({"@context": [STANDARD_CONTEXT_URL, {"qh": "https://trace.example.org/qh/voc/"}]});
        let ctx = Context::from_document(&doc);
        assert_eq!(ctx.expand("qh:breed").as_deref(), Some("https://trace.example.org/qh/voc/breed"));
        assert_eq!(ctx.expand("cbvmda:lotNumber").as_deref(), Some("urn:epcglobal:cbv:mda:lotNumber"));
        assert_eq!(ctx.expand("https://example.org/x"), None);
        assert_eq!(ctx.expand("nope:x"), None);
    }

    #[test]
    fn later_declarations_win() {
        let doc = json!({"@context": [{"ex": "https://a.example/"}, {"ex": "https://b.example/"}]});
        assert_eq!(Context::from_document(&doc).namespace("ex"), Some("https://b.example/"));
    }

    #[test]
    fn term_definitions_with_id_count_and_keywords_do_not() {
        let doc =
            json!({"@context": {"@vocab": "https://v.example/", "ex": {"@id": "https://e.example/"}, "t": "@type"}});
        let ctx = Context::from_document(&doc);
        assert_eq!(ctx.namespace("ex"), Some("https://e.example/"));
        assert_eq!(ctx.namespace("t"), None);
    }

    #[test]
    fn ignore_fields_are_expanded() {
        let doc = json!({
            "@context": [{"r": "https://repo.example/", "ex": "https://ex.example/"}],
            "r:ignoreFields": ["r:hash", "ex:captureID"],
            "epcisBody": {"eventList": []}
        });
        let ctx = Context::from_document(&doc);
        assert_eq!(ctx.ignore_fields(), ["https://repo.example/hash", "https://ex.example/captureID"]);
        assert!(ctx.is_ignored("ex:captureID"));
        assert!(!ctx.is_ignored("ex:other"));
    }
}
