//! The part of Solr's filter-query syntax (`fq`) that clients of package_search send and we
//! can evaluate exactly: `field:value` terms, all of which must hold (`+`, `AND` and plain
//! spaces join them). Anything else — negation, OR, grouping, wildcards, other fields, other
//! ranges — is refused rather than ignored, so that a harvester never takes a wrong answer
//! for a right one (reference §3.3, the lesson of a retro-fitted CKAN API).

use super::time::parse_instant;

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// `organization:<name>`
    Organization(String),
    /// `groups:<category code>`
    Group(String),
    /// `res_format:<format>`
    Format(String),
    /// `tags:<keyword>`
    Tag(String),
    /// `metadata_modified:[<instant> TO *]`, epoch ms.
    ModifiedSince(i64),
    /// `dataset_type:<type>` (every dataset here is `dataset`).
    DatasetType(String),
}

pub const SUPPORTED: &str =
    "organization:<name>, groups:<code>, res_format:<format>, tags:<keyword>, metadata_modified:[<ISO 8601> TO *], dataset_type:dataset";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Bare,
    Quoted,
    Range,
}

struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn skip_space(&mut self) {
        self.rest = self.rest.trim_start();
    }

    fn word_is(&self, w: &str) -> bool {
        self.rest.strip_prefix(w).is_some_and(|r| r.is_empty() || r.starts_with(char::is_whitespace))
    }

    /// Up to (not including) the first character for which `stop` holds.
    fn take_until(&mut self, stop: impl Fn(char) -> bool) -> &'a str {
        let end = self.rest.find(stop).unwrap_or(self.rest.len());
        let (head, tail) = self.rest.split_at(end);
        self.rest = tail;
        head
    }

    /// A value: `"quoted"` (with `\` escapes), `[range]`, or a bare word (with `\` escapes).
    fn value(&mut self) -> Result<(String, Kind), String> {
        let mut chars = self.rest.char_indices();
        match chars.next() {
            Some((_, '"')) => {
                let mut out = String::new();
                let mut escaped = false;
                for (i, c) in chars {
                    match (escaped, c) {
                        (true, _) => {
                            out.push(c);
                            escaped = false;
                        }
                        (false, '\\') => escaped = true,
                        (false, '"') => {
                            self.rest = &self.rest[i + 1..];
                            return Ok((out, Kind::Quoted));
                        }
                        (false, _) => out.push(c),
                    }
                }
                Err("a quoted value is not closed".into())
            }
            Some((_, '[' | '{')) => {
                let end = self.rest.find([']', '}']).ok_or("a range is not closed")?;
                let range = &self.rest[..=end];
                self.rest = &self.rest[end + 1..];
                Ok((range.to_owned(), Kind::Range))
            }
            Some(_) => {
                let mut out = String::new();
                let mut escaped = false;
                let mut end = self.rest.len();
                for (i, c) in self.rest.char_indices() {
                    if escaped {
                        out.push(c);
                        escaped = false;
                    } else if c == '\\' {
                        escaped = true;
                    } else if c.is_whitespace() {
                        end = i;
                        break;
                    } else {
                        out.push(c);
                    }
                }
                self.rest = &self.rest[end..];
                Ok((out, Kind::Bare))
            }
            None => Err("a field has no value".into()),
        }
    }
}

/// `[<instant> TO *]` (or `TO NOW`): the instant; `[* TO *]`: None (no limit).
fn since(range: &str) -> Result<Option<i64>, String> {
    let refuse = || format!("metadata_modified takes only [<ISO 8601 instant> TO *], not {range}");
    let inner = range.strip_prefix('[').and_then(|r| r.strip_suffix(']')).ok_or_else(refuse)?;
    let parts: Vec<&str> = inner.split_whitespace().collect();
    match parts.as_slice() {
        ["*", "TO", "*" | "NOW"] => Ok(None),
        [from, "TO", "*" | "NOW"] => parse_instant(from).map(Some).ok_or_else(refuse),
        _ => Err(refuse()),
    }
}

/// The terms of an `fq`, or why it cannot be evaluated.
pub fn parse(fq: &str) -> Result<Vec<Term>, String> {
    let mut terms = Vec::new();
    let mut c = Cursor { rest: fq };
    loop {
        c.skip_space();
        if c.rest.is_empty() {
            return Ok(terms);
        }
        if c.word_is("AND") || c.word_is("&&") {
            c.rest = c.rest.trim_start_matches(['A', 'N', 'D', '&']);
            continue;
        }
        if c.word_is("OR") || c.word_is("NOT") || c.rest.starts_with(['-', '!', '(', '|']) {
            return Err(format!("negation, OR and grouping are not supported; terms are joined by AND: {SUPPORTED}"));
        }
        if let Some(r) = c.rest.strip_prefix('+') {
            c.rest = r;
        }
        if c.word_is("*:*") {
            c.rest = &c.rest[3..];
            continue;
        }
        let field = c.take_until(|ch| ch == ':' || ch.is_whitespace());
        if c.rest.strip_prefix(':').is_none() || field.is_empty() {
            return Err(format!("cannot read {field:?}: expected field:value ({SUPPORTED})"));
        }
        c.rest = &c.rest[1..];
        let (value, kind) = c.value()?;
        if kind == Kind::Bare && (value.contains('*') || value.contains('?')) {
            return Err(format!("wildcards are not supported ({field}:{value})"));
        }
        if value.is_empty() {
            return Err(format!("{field} has an empty value"));
        }
        if kind == Kind::Range && field != "metadata_modified" {
            return Err(format!("ranges are supported on metadata_modified only, not {field}"));
        }
        terms.push(match field {
            "organization" => Term::Organization(value),
            "groups" => Term::Group(value),
            "res_format" => Term::Format(value),
            "tags" => Term::Tag(value),
            "dataset_type" => Term::DatasetType(value),
            "metadata_modified" => match since(&value)? {
                Some(t) => Term::ModifiedSince(t),
                None => continue,
            },
            other => return Err(format!("fq on {other:?} is not supported; supported: {SUPPORTED}")),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terms_clients_send() {
        assert_eq!(
            parse("organization:qh-sthjt +groups:201 AND res_format:CSV tags:\"空气 质量\""),
            Ok(vec![
                Term::Organization("qh-sthjt".into()),
                Term::Group("201".into()),
                Term::Format("CSV".into()),
                Term::Tag("空气 质量".into()),
            ])
        );
        assert_eq!(
            parse("metadata_modified:[2026-11-20T02:00:00.000Z TO *]"),
            Ok(vec![Term::ModifiedSince(1_795_140_000_000)])
        );
        assert_eq!(parse("+dataset_type:dataset"), Ok(vec![Term::DatasetType("dataset".into())]));
        assert_eq!(parse("*:* metadata_modified:[* TO *]"), Ok(vec![]));
        assert_eq!(parse("  "), Ok(vec![]));
        assert_eq!(parse(r"organization:qh\-sthjt"), Ok(vec![Term::Organization("qh-sthjt".into())]));
    }

    #[test]
    fn what_cannot_be_evaluated_is_refused() {
        for fq in [
            "-organization:qh-sthjt",
            "organization:a OR organization:b",
            "NOT tags:x",
            "(tags:a)",
            "license_id:cc-by",
            "tags:ai*",
            "metadata_modified:[* TO 2026-01-01T00:00:00Z]",
            "metadata_modified:{2026-01-01 TO *}",
            "metadata_modified:[NOW-1DAY TO *]",
            "groups:[1 TO 2]",
            "tags:\"open",
            "justtext",
            "tags:",
        ] {
            assert!(parse(fq).is_err(), "{fq}");
        }
    }

    #[test]
    fn odd_input_is_an_answer_not_a_panic() {
        for fq in
            ["\"", "[", "tags:\\", "a:b:c", "tags：空气", "tags:🌏", "+", "AND", "&&", ":", "tags:[", "tags:\"a\\\""]
        {
            let _ = parse(fq);
        }
        assert_eq!(parse("tags:🌏"), Ok(vec![Term::Tag("🌏".into())]));
    }
}
