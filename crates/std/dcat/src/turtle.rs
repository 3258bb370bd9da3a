//! Graph → Turtle text (W3C RDF 1.1 Turtle).

use crate::graph::{Node, Ref, Term};
use crate::vocab::PREFIXES;

/// The document: every prefix, then one block per subject.
pub fn write(nodes: &[Node]) -> String {
    let mut out = String::new();
    for (prefix, ns) in PREFIXES {
        out.push_str(&format!("@prefix {prefix}: <{ns}> .\n"));
    }
    for node in nodes {
        if node.types.is_empty() && node.props.is_empty() {
            continue;
        }
        out.push('\n');
        write_node(&mut out, node);
    }
    out
}

fn write_node(out: &mut String, node: &Node) {
    out.push_str(&reference(&node.subject));
    let mut lines: Vec<String> = Vec::new();
    if !node.types.is_empty() {
        lines.push(format!("a {}", node.types.join(", ")));
    }
    for (predicate, values) in &node.props {
        let objects: Vec<String> = values.iter().map(term).collect();
        lines.push(format!("{predicate} {}", objects.join(",\n        ")));
    }
    out.push(' ');
    out.push_str(&lines.join(" ;\n    "));
    out.push_str(" .\n");
}

fn reference(r: &Ref) -> String {
    match r {
        // Already escaped by `escape_iri`: nothing in it needs a `\u` escape.
        Ref::Iri(iri) => format!("<{iri}>"),
        Ref::Blank(label) => format!("_:{label}"),
    }
}

fn term(t: &Term) -> String {
    match t {
        Term::Ref(r) => reference(r),
        Term::Plain(v) => quote(v),
        Term::Lang(v, lang) => format!("{}@{lang}", quote(v)),
        Term::Typed(v, datatype) => format!("{}^^{datatype}", quote(v)),
        Term::Integer(n) => n.to_string(),
    }
}

/// A `STRING_LITERAL_QUOTE`: `"` and `\` escaped, line breaks and other control characters as
/// escapes; everything else, Chinese and Tibetan included, stays as UTF-8.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_backslashes_and_newlines_are_escaped() {
        assert_eq!(quote(r#"say "hi""#), r#""say \"hi\"""#);
        assert_eq!(quote(r"C:\data\x"), r#""C:\\data\\x""#);
        assert_eq!(quote("a\nb\r\nc\td"), r#""a\nb\r\nc\td""#);
        assert_eq!(quote("\u{0}\u{8}\u{1b}\u{7f}\u{85}"), r#""\u0000\u0008\u001B\u007F\u0085""#);
    }

    #[test]
    fn chinese_and_tibetan_stay_utf8() {
        assert_eq!(quote("青海省生态环境厅"), "\"青海省生态环境厅\"");
        assert_eq!(quote("མཚོ་སྔོན།"), "\"མཚོ་སྔོན།\"");
        assert_eq!(quote("“引号”与'单引号'"), "\"“引号”与'单引号'\"");
    }
}
