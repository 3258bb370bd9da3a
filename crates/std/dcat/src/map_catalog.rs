//! Catalog and paging → graph nodes.

use crate::graph::{Graph, Node, Term};
use crate::language::language_uri;
use crate::map_dataset::{add_agent, add_dataset, add_date, add_texts};
use crate::model::{Catalog, Paging};

/// The whole document for one catalog page: catalog, paging, datasets with their
/// distributions, then shared publisher and vocabulary nodes.
pub fn catalog_nodes(c: &Catalog) -> Vec<Node> {
    let mut g = Graph::default();
    let subject = g.subject(&c.uri);
    let mut n = Node::typed(subject, "dcat:Catalog");
    add_texts(&mut n, "dct:title", &c.title);
    add_texts(&mut n, "dct:description", &c.description);
    let publisher = add_agent(&mut g, &c.publisher);
    n.add("dct:publisher", Term::Ref(publisher));
    if let Some(home) = &c.homepage {
        g.link_typed(&mut n, "foaf:homepage", home, "foaf:Document");
    }
    for code in &c.language {
        if let Some(iri) = language_uri(code) {
            g.link_typed(&mut n, "dct:language", &iri, "dct:LinguisticSystem");
        }
    }
    add_date(&mut n, "dct:modified", c.modified.as_deref());
    if let Some(scheme) = &c.themes_scheme {
        g.link_typed(&mut n, "dcat:themeTaxonomy", scheme, "skos:ConceptScheme");
    }
    let catalog = g.push(n);
    if let Some(p) = &c.paging {
        let node = paging_node(&mut g, p);
        g.push(node);
    }
    for d in &c.datasets {
        let ds = add_dataset(&mut g, d);
        if let Some(n) = g.main_mut(catalog) {
            n.add("dcat:dataset", Term::Ref(ds));
        }
    }
    g.into_nodes()
}

/// A dataset on its own (`/dataset/{slug}.ttl`): the dataset, its distributions, shared nodes.
pub fn dataset_nodes(d: &crate::model::Dataset) -> Vec<Node> {
    let mut g = Graph::default();
    add_dataset(&mut g, d);
    g.into_nodes()
}

/// Hydra paging as ckanext-dcat writes it: a `hydra:PagedCollection` (a blank node, as
/// ckanext-dcat does when it has no current-page URL) carrying both the current Hydra terms
/// (`first`, `next`, …) and the deprecated `…Page` ones that older harvesters read. Page links
/// are written as IRIs, the range Hydra gives them (ckanext-dcat writes strings; harvesters
/// take the string value of either).
fn paging_node(g: &mut Graph, p: &Paging) -> Node {
    let mut n = Node::typed(g.blank(), "hydra:PagedCollection");
    n.add("hydra:totalItems", Term::Integer(p.total));
    n.add("hydra:itemsPerPage", Term::Integer(u64::from(p.per_page)));
    let links = [
        ("hydra:first", "hydra:firstPage", Some(&p.first)),
        ("hydra:next", "hydra:nextPage", p.next.as_ref()),
        ("hydra:previous", "hydra:previousPage", p.prev.as_ref()),
        ("hydra:last", "hydra:lastPage", Some(&p.last)),
    ];
    for (current, deprecated, link) in links {
        if let Some(link) = link {
            n.add_iri(current, link);
            n.add_iri(deprecated, link);
        }
    }
    n
}
