//! Dataset, distribution and publisher → graph nodes (the mapping table in README.md).

use crate::date::{date_value, DateValue};
use crate::format::{format_value, media_type_uri, FormatValue};
use crate::graph::{iri_ref, Graph, Node, Ref, Term};
use crate::model::{Agent, Dataset, Distribution, Text};

/// Add a dataset, then its distributions, as main nodes; returns the dataset's subject.
pub fn add_dataset(g: &mut Graph, d: &Dataset) -> Ref {
    let subject = g.subject(&d.uri);
    let mut n = Node::typed(subject.clone(), "dcat:Dataset");
    n.add_text("dct:identifier", &d.identifier, None);
    add_texts(&mut n, "dct:title", &d.title);
    add_texts(&mut n, "dct:description", &d.description);
    let publisher = add_agent(g, &d.publisher);
    n.add("dct:publisher", Term::Ref(publisher));
    for theme in &d.themes {
        g.link_typed(&mut n, "dcat:theme", theme, "skos:Concept");
    }
    add_texts(&mut n, "dcat:keyword", &d.keywords);
    add_date(&mut n, "dct:issued", d.issued.as_deref());
    add_date(&mut n, "dct:modified", d.modified.as_deref());
    if let Some(f) = d.frequency {
        g.link_typed(&mut n, "dct:accrualPeriodicity", &f.uri(), "dct:Frequency");
    }
    g.link_typed(&mut n, "dct:accessRights", &d.access_rights.uri(), "dct:RightsStatement");
    for relation in &d.relations {
        n.add_iri("dct:relation", relation);
    }
    if let Some(page) = &d.landing_page {
        g.link_typed(&mut n, "dcat:landingPage", page, "foaf:Document");
    }
    if let Some(spatial) = &d.spatial {
        g.link_typed(&mut n, "dct:spatial", spatial, "dct:Location");
    }
    if let Some(schema) = &d.conforms_to {
        g.link_typed(&mut n, "dct:conformsTo", schema, "dct:Standard");
    }

    let mut distributions = Vec::with_capacity(d.distributions.len());
    for dist in &d.distributions {
        let dn = distribution_node(g, dist, d.landing_page.as_deref());
        n.add("dcat:distribution", Term::Ref(dn.subject.clone()));
        distributions.push(dn);
    }
    g.push(n);
    for dn in distributions {
        g.push(dn);
    }
    subject
}

fn distribution_node(g: &mut Graph, dist: &Distribution, landing_page: Option<&str>) -> Node {
    let mut n = Node::typed(g.subject(&dist.uri), "dcat:Distribution");
    add_texts(&mut n, "dct:title", &dist.title);
    // dcat:accessURL is mandatory in DCAT-AP. DCAT says it may be a landing page, and that a
    // download URL is also an access URL, so fall back on those rather than leave it out.
    let download = dist.download_url.as_deref().unwrap_or("");
    let access = [dist.access_url.as_str(), download, landing_page.unwrap_or("")].into_iter().find_map(iri_ref);
    if let Some(access) = access {
        n.add("dcat:accessURL", Term::Ref(access));
    }
    n.add_iri("dcat:downloadURL", download);
    match dist.format.as_deref().and_then(format_value) {
        Some(FormatValue::Iri(iri)) => g.link_typed(&mut n, "dct:format", &iri, "dct:MediaTypeOrExtent"),
        Some(FormatValue::Literal(text)) => n.add("dct:format", Term::Plain(text)),
        None => {}
    }
    if let Some(iri) = dist.media_type.as_deref().and_then(media_type_uri) {
        g.link_typed(&mut n, "dcat:mediaType", &iri, "dct:MediaType");
    }
    if let Some(license) = &dist.license {
        g.link_typed(&mut n, "dct:license", license, "dct:LicenseDocument");
    }
    if let Some(size) = dist.byte_size {
        n.add("dcat:byteSize", Term::Typed(size.to_string(), "xsd:nonNegativeInteger"));
    }
    add_date(&mut n, "dct:modified", dist.modified.as_deref());
    n
}

/// The publisher as a `foaf:Agent` node, written once per document however many datasets name
/// it (the first description of an IRI wins). A publisher without IRI becomes a blank node.
pub fn add_agent(g: &mut Graph, a: &Agent) -> Ref {
    let subject = g.subject(&a.uri);
    match &subject {
        Ref::Iri(iri) => {
            if let Some((node, true)) = g.shared(iri, "foaf:Agent") {
                fill_agent(node, a);
            }
        }
        Ref::Blank(_) => {
            let mut node = Node::typed(subject.clone(), "foaf:Agent");
            fill_agent(&mut node, a);
            g.push_shared(node);
        }
    }
    subject
}

fn fill_agent(node: &mut Node, a: &Agent) {
    add_texts(node, "foaf:name", &a.name);
    if let Some(id) = &a.identifier {
        node.add_text("dct:identifier", id.trim(), None);
    }
}

pub fn add_texts(node: &mut Node, predicate: &'static str, texts: &[Text]) {
    for t in texts {
        node.add_text(predicate, &t.value, t.lang.as_deref());
    }
}

/// `xsd:date` / `xsd:dateTime` when the value is one, else a plain literal.
pub fn add_date(node: &mut Node, predicate: &'static str, raw: Option<&str>) {
    let term = match raw.and_then(date_value) {
        Some(DateValue::Date(d)) => Term::Typed(d, "xsd:date"),
        Some(DateValue::DateTime(d)) => Term::Typed(d, "xsd:dateTime"),
        Some(DateValue::Plain(p)) => Term::Plain(p),
        None => return,
    };
    node.add(predicate, term);
}
