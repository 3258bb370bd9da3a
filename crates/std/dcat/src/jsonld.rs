//! Graph → compact JSON-LD: one `@context` of the prefixes, one `@graph` of flat node objects
//! that point at each other by `@id`.
//!
//! The context defines only prefixes (no terms, no `@vocab`, no type coercion), so a bare string
//! value is always a plain literal and every `@id` is an IRI or `_:` label. One input cannot be
//! told apart: an "IRI" whose scheme is a prefix name (`dct:x`) would expand as a compact IRI;
//! no real IRI scheme is called `dcat`, `dct`, `foaf`, … so this is left alone.

use serde_json::{json, Map, Value};

use crate::graph::{Node, Ref, Term};
use crate::vocab::PREFIXES;

pub fn write(nodes: &[Node]) -> Value {
    let context: Map<String, Value> =
        PREFIXES.iter().map(|(prefix, ns)| ((*prefix).to_owned(), Value::String((*ns).to_owned()))).collect();
    let graph: Vec<Value> = nodes.iter().map(node).collect();
    json!({ "@context": context, "@graph": graph })
}

fn node(n: &Node) -> Value {
    let mut obj = Map::new();
    obj.insert("@id".to_owned(), Value::String(id(&n.subject)));
    let types: Vec<Value> = n.types.iter().map(|t| Value::String((*t).to_owned())).collect();
    if let Some(value) = one_or_many(types) {
        obj.insert("@type".to_owned(), value);
    }
    for (predicate, values) in &n.props {
        if let Some(value) = one_or_many(values.iter().map(term).collect()) {
            obj.insert((*predicate).to_owned(), value);
        }
    }
    Value::Object(obj)
}

/// Compact form: a single value stands alone, several make an array (JSON-LD's compactArrays).
fn one_or_many(mut values: Vec<Value>) -> Option<Value> {
    match values.len() {
        0 => None,
        1 => values.pop(),
        _ => Some(Value::Array(values)),
    }
}

fn id(r: &Ref) -> String {
    match r {
        Ref::Iri(iri) => iri.clone(),
        Ref::Blank(label) => format!("_:{label}"),
    }
}

fn term(t: &Term) -> Value {
    match t {
        Term::Ref(r) => json!({ "@id": id(r) }),
        Term::Plain(v) => Value::String(v.clone()),
        Term::Lang(v, lang) => json!({ "@value": v, "@language": lang }),
        Term::Typed(v, datatype) => json!({ "@value": v, "@type": datatype }),
        Term::Integer(n) => json!(n),
    }
}
