//! Resource paths (`Things('id')/Datastreams`) and query options (`$top`, `$expand(…)`, …).

use qy_kernel::Error;

use super::filter::{self, Expr};

pub const DEFAULT_TOP: i64 = 100;
pub const MAX_TOP: i64 = 10_000;
const MAX_EXPAND_DEPTH: usize = 5;

fn bad_query(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_query", detail.into())
}

fn bad_path(detail: impl Into<String>) -> Error {
    Error::bad_request("sta.invalid_path", detail.into())
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub top: Option<i64>,
    pub skip: i64,
    pub count: bool,
    pub filter: Option<Expr>,
    pub order: Vec<(Expr, bool)>,
    pub select: Option<Vec<String>>,
    pub expand: Vec<Expand>,
    pub data_array: bool,
    /// The options as given (for paging links of expanded collections).
    pub raw: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct Expand {
    pub nav: String,
    pub options: Options,
}

impl Options {
    pub fn top(&self) -> i64 {
        self.top.unwrap_or(DEFAULT_TOP).min(MAX_TOP)
    }

    /// `$top=1;$orderby=phenomenonTime desc` and nothing else: the latest observation.
    pub fn is_latest_only(&self) -> bool {
        self.top == Some(1)
            && self.skip == 0
            && self.filter.is_none()
            && !self.count
            && matches!(self.order.as_slice(), [(Expr::Prop(p), true)] if p.len() == 1 && p[0] == "phenomenonTime")
    }
}

/// Splits at `sep` outside quotes and parentheses.
fn split_top(text: &str, sep: char) -> Result<Vec<&str>, Error> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, ch) in text.char_indices() {
        match ch {
            '\'' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => {
                depth -= 1;
                if depth < 0 {
                    return Err(bad_query(format!("unbalanced ')' in {text:?}")));
                }
            }
            c if c == sep && !quoted && depth == 0 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 || quoted {
        return Err(bad_query(format!("unbalanced parentheses or quotes in {text:?}")));
    }
    out.push(&text[start..]);
    Ok(out)
}

fn set_option(o: &mut Options, key: &str, value: &str, depth: usize) -> Result<(), Error> {
    let int = |v: &str| -> Result<i64, Error> {
        v.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| bad_query(format!("{key} needs a non-negative integer, not {v:?}")))
    };
    if key.starts_with('$') {
        o.raw.push((key.to_owned(), value.to_owned()));
    }
    match key {
        "$top" => o.top = Some(int(value)?),
        "$skip" => o.skip = int(value)?,
        "$count" => {
            o.count = match value.trim() {
                "true" => true,
                "false" => false,
                v => return Err(bad_query(format!("$count is true or false, not {v:?}"))),
            }
        }
        "$filter" => o.filter = Some(filter::parse(value)?),
        "$orderby" => {
            o.order = split_top(value, ',')?
                .into_iter()
                .map(|item| filter::parse_order_item(item.trim()))
                .collect::<Result<_, _>>()?;
        }
        "$select" => {
            let names: Vec<String> = split_top(value, ',')?.into_iter().map(|s| s.trim().to_owned()).collect();
            if names.iter().any(String::is_empty) {
                return Err(bad_query("$select has an empty item"));
            }
            o.select = Some(names);
        }
        "$expand" => o.expand = parse_expand(value, depth + 1)?,
        "$resultFormat" => {
            o.data_array = match value.trim() {
                "dataArray" => true,
                "default" | "" => false,
                v => return Err(bad_query(format!("$resultFormat {v:?} is not supported (use dataArray)"))),
            }
        }
        k if k.starts_with('$') => return Err(bad_query(format!("unknown query option {k}"))),
        _ => {}
    }
    Ok(())
}

/// Top-level query options from the decoded query string pairs.
pub fn parse_query(pairs: &[(String, String)]) -> Result<Options, Error> {
    let mut o = Options::default();
    for (k, v) in pairs {
        set_option(&mut o, k.trim(), v, 0)?;
    }
    Ok(o)
}

fn parse_expand(text: &str, depth: usize) -> Result<Vec<Expand>, Error> {
    if depth > MAX_EXPAND_DEPTH {
        return Err(bad_query("$expand is nested too deeply"));
    }
    let mut out: Vec<Expand> = Vec::new();
    for item in split_top(text, ',')? {
        let item = item.trim();
        if item.is_empty() {
            return Err(bad_query("$expand has an empty item"));
        }
        let (path, opts) = match item.find('(') {
            Some(k) => {
                let inner = item[k + 1..]
                    .strip_suffix(')')
                    .ok_or_else(|| bad_query(format!("$expand item {item:?} must end with ')'")))?;
                (&item[..k], Some(inner))
            }
            None => (item, None),
        };
        let mut options = Options::default();
        if let Some(inner) = opts {
            for part in split_top(inner, ';')? {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                let (k, v) = part.split_once('=').ok_or_else(|| bad_query(format!("{part:?} is not $option=value")))?;
                set_option(&mut options, k.trim(), v, depth)?;
            }
        }
        // `A/B(opts)` = `A($expand=B(opts))`.
        let segs: Vec<&str> = path.trim().split('/').collect();
        if segs.iter().any(|s| s.is_empty()) || segs.len() > MAX_EXPAND_DEPTH {
            return Err(bad_query(format!("{path:?} is not a navigation path")));
        }
        let mut e = Expand { nav: segs[segs.len() - 1].to_owned(), options };
        for seg in segs[..segs.len() - 1].iter().rev() {
            e = Expand { nav: (*seg).to_owned(), options: Options { expand: vec![e], ..Options::default() } };
        }
        // `A/B,A/C` both expand into A.
        if let Some(prev) = out.iter_mut().find(|p| p.nav == e.nav && segs.len() > 1) {
            prev.options.expand.extend(e.options.expand);
        } else {
            out.push(e);
        }
    }
    Ok(out)
}

/// A path segment: a name and an optional key `('id')` or `(42)`.
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    pub name: String,
    pub key: Option<String>,
}

fn percent_decode(s: &str) -> Result<String, Error> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(|| bad_path("bad percent-encoding in the path"))?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad_path("bad percent-encoding in the path"))?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| bad_path("the path is not UTF-8"))
}

/// Splits the path after the service root into segments (quotes may hold '/').
pub fn parse_path(raw: &str) -> Result<Vec<Seg>, Error> {
    let decoded = percent_decode(raw)?;
    if decoded.len() > 2000 {
        return Err(bad_path("the path is too long"));
    }
    let mut segs = Vec::new();
    let mut rest = decoded.trim_matches('/');
    while !rest.is_empty() {
        // Find the end of this segment: a '/' outside quotes.
        let mut quoted = false;
        let mut end = rest.len();
        for (i, ch) in rest.char_indices() {
            match ch {
                '\'' => quoted = !quoted,
                '/' if !quoted => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let seg = &rest[..end];
        rest = rest[end..].trim_start_matches('/');
        let (name, key) = match seg.find('(') {
            Some(k) => {
                let inner = seg[k + 1..].strip_suffix(')').ok_or_else(|| bad_path(format!("{seg:?}: missing ')'")))?;
                (&seg[..k], Some(parse_key(inner)?))
            }
            None => (seg, None),
        };
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'$' || c == b'_') {
            return Err(bad_path(format!("{seg:?} is not a resource path segment")));
        }
        segs.push(Seg { name: name.to_owned(), key });
    }
    Ok(segs)
}

/// `'text'` (with `''` for a quote) or an unquoted number.
fn parse_key(inner: &str) -> Result<String, Error> {
    let inner = inner.trim();
    if let Some(q) = inner.strip_prefix('\'').and_then(|s| s.strip_suffix('\'')) {
        if q.replace("''", "").contains('\'') {
            return Err(bad_path(format!("({inner}): quotes inside ids are doubled")));
        }
        return Ok(q.replace("''", "'"));
    }
    if !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_digit() || c == b'-') {
        return Ok(inner.to_owned());
    }
    Err(bad_path(format!("({inner}): ids are quoted strings, e.g. ('0190…'), or numbers")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_expand_with_options() {
        let pairs = vec![(
            "$expand".to_owned(),
            "Datastreams($select=name;$expand=Observations($orderby=phenomenonTime desc;$top=1)),Locations".to_owned(),
        )];
        let o = parse_query(&pairs).unwrap_or_default();
        assert_eq!(o.expand.len(), 2);
        let ds = &o.expand[0];
        assert_eq!(ds.nav, "Datastreams");
        assert_eq!(ds.options.select.as_deref(), Some(&["name".to_owned()][..]));
        assert!(ds.options.expand[0].options.is_latest_only());
        let o = parse_query(&[("$expand".into(), "Datastreams/Observations".into())]).unwrap_or_default();
        assert_eq!(o.expand[0].options.expand[0].nav, "Observations");
        for bad in ["Datastreams(", "Datastreams($top=x)", "Datastreams($bogus=1)", "a//b", "X)"] {
            assert!(parse_query(&[("$expand".into(), bad.into())]).is_err(), "{bad}");
        }
        assert!(parse_query(&[("$top".into(), "-1".into())]).is_err());
        assert!(parse_query(&[("$frobnicate".into(), "1".into())]).is_err());
    }

    #[test]
    fn paths() {
        let segs = parse_path("Things('a''b')/Datastreams/$ref").unwrap_or_default();
        assert_eq!(segs[0], Seg { name: "Things".into(), key: Some("a'b".into()) });
        assert_eq!(segs[2].name, "$ref");
        assert_eq!(parse_path("Things(%27x%2Fy%27)/name").unwrap_or_default()[0].key.as_deref(), Some("x/y"));
        assert_eq!(parse_path("Things(42)").unwrap_or_default()[0].key.as_deref(), Some("42"));
        for bad in ["Things(abc)", "Things('x'", "Th ings", "Things('a'b')", "%zz"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
