//! The RDF graph both serialisers read: built once from the catalog, so Turtle and JSON-LD
//! always carry the same triples. Subjects keep insertion order and each subject's
//! properties keep first-use order, which makes the output deterministic.

use std::collections::BTreeMap;

use crate::iri::escape_iri;
use crate::lang_tag::literal_lang;

/// A node reference: an IRI (already escaped) or a blank-node label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ref {
    Iri(String),
    Blank(String),
}

/// An object of a triple.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Ref(Ref),
    /// A literal without datatype or language (`xsd:string`).
    Plain(String),
    /// A literal with a (validated, lower-cased) language tag.
    Lang(String, String),
    /// A literal with a datatype given as a compact IRI (`xsd:date`).
    Typed(String, &'static str),
    /// A non-negative integer, written bare in Turtle and as a JSON number (`xsd:integer`).
    Integer(u64),
}

/// One subject with its `rdf:type`s and its properties (compact IRIs, e.g. `dct:title`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub subject: Ref,
    pub types: Vec<&'static str>,
    pub props: Vec<(&'static str, Vec<Term>)>,
}

impl Node {
    pub fn new(subject: Ref) -> Self {
        Node { subject, types: Vec::new(), props: Vec::new() }
    }

    /// A node with one `rdf:type`.
    pub fn typed(subject: Ref, ty: &'static str) -> Self {
        let mut node = Node::new(subject);
        node.add_type(ty);
        node
    }

    pub fn add_type(&mut self, ty: &'static str) {
        if !self.types.contains(&ty) {
            self.types.push(ty);
        }
    }

    /// Add a value; an identical triple is not repeated.
    pub fn add(&mut self, predicate: &'static str, term: Term) {
        match self.props.iter_mut().find(|(p, _)| *p == predicate) {
            Some((_, values)) if values.contains(&term) => {}
            Some((_, values)) => values.push(term),
            None => self.props.push((predicate, vec![term])),
        }
    }

    /// Add an IRI value; blank input adds nothing.
    pub fn add_iri(&mut self, predicate: &'static str, iri: &str) {
        if let Some(r) = iri_ref(iri) {
            self.add(predicate, Term::Ref(r));
        }
    }

    /// Add a literal, with its language when the tag is well-formed; blank text adds nothing.
    pub fn add_text(&mut self, predicate: &'static str, value: &str, lang: Option<&str>) {
        if value.trim().is_empty() {
            return;
        }
        let term = match lang.and_then(literal_lang) {
            Some(tag) => Term::Lang(value.to_owned(), tag),
            None => Term::Plain(value.to_owned()),
        };
        self.add(predicate, term);
    }
}

/// An escaped IRI reference, or `None` for a blank string.
pub fn iri_ref(iri: &str) -> Option<Ref> {
    let escaped = escape_iri(iri);
    (!escaped.is_empty()).then_some(Ref::Iri(escaped))
}

/// Nodes in output order. Main nodes (catalog, datasets, distributions, paging) come first;
/// shared nodes (publishers, vocabulary terms), which many datasets point at, are written once,
/// after them.
#[derive(Debug, Default)]
pub struct Graph {
    main: Vec<Node>,
    shared: Vec<Node>,
    shared_index: BTreeMap<String, usize>,
    blanks: usize,
}

impl Graph {
    /// The subject for a caller's IRI, or a fresh blank node when it is blank.
    pub fn subject(&mut self, iri: &str) -> Ref {
        iri_ref(iri).unwrap_or_else(|| self.blank())
    }

    pub fn blank(&mut self) -> Ref {
        self.blanks += 1;
        Ref::Blank(format!("b{}", self.blanks))
    }

    /// Append a main node; returns its index for [`Graph::main_mut`].
    pub fn push(&mut self, node: Node) -> usize {
        self.main.push(node);
        self.main.len() - 1
    }

    pub fn main_mut(&mut self, index: usize) -> Option<&mut Node> {
        self.main.get_mut(index)
    }

    /// The shared node for an IRI subject, created on first use, with `ty` added. The bool says
    /// whether the node is new, so its properties are filled only once (first use wins).
    pub fn shared(&mut self, iri: &str, ty: &'static str) -> Option<(&mut Node, bool)> {
        let (index, new) = match self.shared_index.get(iri) {
            Some(&i) => (i, false),
            None => {
                self.shared.push(Node::new(Ref::Iri(iri.to_owned())));
                let i = self.shared.len() - 1;
                self.shared_index.insert(iri.to_owned(), i);
                (i, true)
            }
        };
        let node = self.shared.get_mut(index)?;
        node.add_type(ty);
        Some((node, new))
    }

    /// Append a shared node that nothing else can share (a blank-node publisher).
    pub fn push_shared(&mut self, node: Node) {
        self.shared.push(node);
    }

    /// `node predicate <iri>`, and `<iri> a class` once in the document. Controlled-vocabulary
    /// values (access rights, frequency, file type …) are typed this way, as ckanext-dcat does,
    /// so that DCAT-AP SHACL class constraints hold without fetching the vocabularies.
    pub fn link_typed(&mut self, node: &mut Node, predicate: &'static str, iri: &str, class: &'static str) {
        if let Some(Ref::Iri(escaped)) = iri_ref(iri) {
            let _ = self.shared(&escaped, class);
            node.add(predicate, Term::Ref(Ref::Iri(escaped)));
        }
    }

    pub fn into_nodes(self) -> Vec<Node> {
        let mut nodes = self.main;
        nodes.extend(self.shared);
        nodes
    }
}
