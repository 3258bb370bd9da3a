//! GS1 Digital Link URIs (GS1 Digital Link standard 1.2, URI syntax).
//!
//! A Digital Link is `{scheme}://{host}[/{path prefix}]/{primary AI}/{key}[/{qualifier AI}/{value}…][?{attributes}]`.
//! Brands may use their own domain and a path prefix; the *canonical* form (what we store, and
//! what EPCIS normalises to) puts the same identifier on `https://id.gs1.org`, writes GTINs with
//! 14 digits, uses numeric AIs instead of the deprecated aliases and drops the query string.
//!
//! Values are held **decoded** in [`DigitalLink`] and percent-encoded again when written, so a
//! lot `A/1` is `A%2F1` in every URI we produce (the reference table's `A%2F1` stays `A%2F1`) and
//! two spellings of the same escape (`%2f`, `%2F`) compare equal.

use serde::{Deserialize, Serialize};

use crate::ai;
use crate::charset::{check_cset82, percent_decode, percent_encode_dl, percent_encode_query};
use crate::error::Gs1Error;
use crate::keys::KeyKind;
use crate::qualifiers::{canonical_rank, check_qualifiers};

/// Scheme and host of canonical Digital Links.
pub const CANONICAL_DOMAIN: &str = "https://id.gs1.org";

/// A parsed GS1 Digital Link. All values are percent-decoded; AIs are numeric.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DigitalLink {
    /// Scheme, host and any path prefix, without a trailing slash: `"https://id.gs1.org"` or
    /// `"https://trace.example.cn/qr"`.
    pub domain: String,
    /// Primary key: (numeric AI, value), e.g. `("01", "09521234000013")`.
    pub primary: (String, String),
    /// Key qualifiers in path order, e.g. `[("10", "LOT1"), ("21", "7")]`.
    pub qualifiers: Vec<(String, String)>,
    /// Query-string pairs in order. Keys that are AIs (or the `exp` alias) are numeric, e.g.
    /// `("17", "261231")`; other keys (`linkType` …) are kept as written.
    pub attributes: Vec<(String, String)>,
}

impl DigitalLink {
    /// A link on the canonical domain with just a primary key.
    #[must_use]
    pub fn new(primary_ai: &str, value: &str) -> DigitalLink {
        DigitalLink {
            domain: CANONICAL_DOMAIN.to_owned(),
            primary: (primary_ai.to_owned(), value.to_owned()),
            qualifiers: Vec::new(),
            attributes: Vec::new(),
        }
    }

    /// Add a key qualifier (builder style).
    #[must_use]
    pub fn with_qualifier(mut self, ai: &str, value: &str) -> DigitalLink {
        self.qualifiers.push((ai.to_owned(), value.to_owned()));
        self
    }

    /// Parse and fully validate a Digital Link URI.
    ///
    /// # Errors
    /// A [`Gs1Error`] naming the problem: no primary key, unknown AI, qualifier out of order,
    /// wrong check digit (wrapped in a [`Gs1Error::Field`] naming the AI) …
    pub fn parse(uri: &str) -> Result<DigitalLink, Gs1Error> {
        Self::parse_with(uri, true)
    }

    /// Parse; with `check_digits` false, check digits/pairs are not verified.
    pub(crate) fn parse_with(uri: &str, check_digits: bool) -> Result<DigitalLink, Gs1Error> {
        let link = split_uri(uri.trim())?;
        link.validate_with(check_digits)?;
        Ok(link)
    }

    /// The kind of the primary key, if its AI is a known primary key.
    #[must_use]
    pub fn key_kind(&self) -> Option<KeyKind> {
        KeyKind::from_ai(&self.primary.0)
    }

    /// Value of a key qualifier, by numeric AI.
    #[must_use]
    pub fn qualifier(&self, ai: &str) -> Option<&str> {
        self.qualifiers.iter().find(|(a, _)| a == ai).map(|(_, v)| v.as_str())
    }

    /// Value of a query-string attribute, by key.
    #[must_use]
    pub fn attribute(&self, key: &str) -> Option<&str> {
        self.attributes.iter().find(|(a, _)| a == key).map(|(_, v)| v.as_str())
    }

    /// Validate a link built by hand (parse already does this).
    ///
    /// # Errors
    /// As [`DigitalLink::parse`].
    pub fn validate(&self) -> Result<(), Gs1Error> {
        self.validate_with(true)
    }

    fn validate_with(&self, check_digits: bool) -> Result<(), Gs1Error> {
        let (pai, pval) = &self.primary;
        let kind = KeyKind::from_ai(pai)
            .ok_or_else(|| Gs1Error::syntax(format!("{} is not a Digital Link primary key", ai::describe(pai))))?;
        kind.validate_with(pval, check_digits).map_err(|e| e.in_field(format!("{pai} ({})", kind.label())))?;
        let qais: Vec<&str> = self.qualifiers.iter().map(|(a, _)| a.as_str()).collect();
        check_qualifiers(kind, &qais)?;
        for (a, v) in &self.qualifiers {
            if let Some(def) = ai::lookup(a) {
                def.validate(v, check_digits).map_err(|e| e.in_field(ai::describe(a)))?;
            }
        }
        for (k, v) in &self.attributes {
            if let Some(def) = ai::lookup(k) {
                def.validate(v, check_digits).map_err(|e| e.in_field(format!("query {}", ai::describe(k))))?;
            } else if is_numeric_ai(k) {
                check_cset82(v).map_err(|e| e.in_field(format!("query {k}")))?;
            }
        }
        Ok(())
    }

    /// The URI as written: own domain, path in stored order, query string kept, values
    /// percent-encoded.
    #[must_use]
    pub fn to_uri(&self) -> String {
        let mut s = self.domain.trim_end_matches('/').to_owned();
        push_path(&mut s, std::iter::once(&self.primary).chain(&self.qualifiers));
        let mut sep = '?';
        for (k, v) in &self.attributes {
            s.push(sep);
            sep = '&';
            s.push_str(&percent_encode_query(k));
            s.push('=');
            s.push_str(&percent_encode_query(v));
        }
        s
    }

    /// The canonical GS1 Digital Link URI: `https://id.gs1.org`, GTIN padded to 14 digits,
    /// qualifiers in canonical order, no query string.
    #[must_use]
    pub fn canonical(&self) -> String {
        let mut s = CANONICAL_DOMAIN.to_owned();
        let primary = (self.primary.0.clone(), canonical_key_value(&self.primary.0, &self.primary.1));
        let mut qualifiers = self.qualifiers.clone();
        if let Some(kind) = self.key_kind() {
            qualifiers.sort_by_key(|(a, _)| canonical_rank(kind, a));
        }
        push_path(&mut s, std::iter::once(&primary).chain(&qualifiers));
        s
    }

    /// The most specific identification level only, on the canonical domain, without query string:
    /// the consumer product variant (22) is dropped, and a lot (10) is dropped when a serial (21)
    /// is present — a serialised item is already fully identified. This is the "constrained"
    /// form the EPCIS event hash uses.
    #[must_use]
    pub fn constrained(&self) -> DigitalLink {
        let has_serial = self.qualifier("21").is_some();
        let qualifiers =
            self.qualifiers.iter().filter(|(a, _)| a != "22" && !(a == "10" && has_serial)).cloned().collect();
        DigitalLink {
            domain: CANONICAL_DOMAIN.to_owned(),
            primary: self.primary.clone(),
            qualifiers,
            attributes: Vec::new(),
        }
    }
}

impl std::fmt::Display for DigitalLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_uri())
    }
}

impl std::str::FromStr for DigitalLink {
    type Err = Gs1Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DigitalLink::parse(s)
    }
}

/// GTINs are always written with 14 digits in canonical form.
fn canonical_key_value(ai: &str, value: &str) -> String {
    if ai == "01" && value.len() < 14 && crate::charset::all_digits(value) {
        format!("{value:0>14}")
    } else {
        value.to_owned()
    }
}

fn push_path<'a>(s: &mut String, pairs: impl Iterator<Item = &'a (String, String)>) {
    for (a, v) in pairs {
        s.push('/');
        s.push_str(a);
        s.push('/');
        s.push_str(&percent_encode_dl(v));
    }
}

fn is_numeric_ai(k: &str) -> bool {
    (2..=4).contains(&k.len()) && crate::charset::all_digits(k)
}

/// Split a URI into a [`DigitalLink`] (structure only; values are decoded but not validated).
fn split_uri(uri: &str) -> Result<DigitalLink, Gs1Error> {
    let uri = uri.split_once('#').map_or(uri, |(u, _)| u);
    let (base, query) = uri.split_once('?').map_or((uri, None), |(b, q)| (b, Some(q)));
    let scheme_len = ["https://", "http://"]
        .iter()
        .find(|p| base.get(..p.len()).is_some_and(|s| s.eq_ignore_ascii_case(p)))
        .map(|p| p.len())
        .ok_or_else(|| Gs1Error::syntax("a Digital Link must start with https:// or http://"))?;
    let scheme = base[..scheme_len].to_ascii_lowercase();
    let rest = &base[scheme_len..];
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    if host.is_empty() {
        return Err(Gs1Error::syntax("a Digital Link needs a host name"));
    }
    let mut segs: Vec<&str> = path.split('/').collect();
    if segs.last() == Some(&"") {
        segs.pop();
    }
    if let Some(i) = segs.iter().position(|s| s.is_empty()) {
        return Err(Gs1Error::syntax(format!("empty path segment (\"//\") after segment {i}")));
    }
    let i = find_primary(&segs)?;
    let mut domain = format!("{scheme}{host}");
    for s in &segs[..i] {
        domain.push('/');
        domain.push_str(s);
    }
    let decode = |ai: &str, raw: &str| percent_decode(raw).map_err(|e| e.in_field(ai::describe(ai)));
    let pai = ai::resolve(segs[i]).unwrap_or_default().to_owned();
    let pval = decode(&pai, segs[i + 1])?;
    let mut qualifiers = Vec::new();
    for pair in segs[i + 2..].chunks(2) {
        let [a, raw] = pair else { return Err(Gs1Error::syntax("path ends with an AI that has no value")) };
        let code = ai::resolve(a).ok_or_else(|| {
            if is_numeric_ai(a) {
                Gs1Error::Qualifier(format!("{a} is not an AI that may appear in a Digital Link path"))
            } else {
                Gs1Error::Qualifier(format!("path segment {a:?} after the primary key is not a GS1 AI or alias"))
            }
        })?;
        qualifiers.push((code.to_owned(), decode(code, raw)?));
    }
    let mut attributes = Vec::new();
    for part in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let k = percent_decode(k)?;
        let v = percent_decode(v).map_err(|e| e.in_field(format!("query {k}")))?;
        let key = match ai::resolve(&k) {
            Some(code) => code.to_owned(),
            None => k,
        };
        attributes.push((key, v));
    }
    Ok(DigitalLink { domain, primary: (pai, pval), qualifiers, attributes })
}

/// Index of the primary-key segment: the leftmost segment, at a position leaving an even number of
/// segments (AI/value pairs) to the end, that names a primary key. Everything before it is the
/// path prefix — unless the prefix itself ends in an AI/value pair, which means a qualifier was
/// put in front of the key (`/21/…/01/…`), which the standard forbids.
fn find_primary(segs: &[&str]) -> Result<usize, Gs1Error> {
    let n = segs.len();
    let aligned = (n % 2..n).step_by(2);
    let Some(i) = aligned.clone().find(|&i| ai::resolve(segs[i]).and_then(KeyKind::from_ai).is_some()) else {
        if let Some(q) = aligned.map(|i| segs[i]).find_map(ai::resolve) {
            return Err(Gs1Error::Qualifier(format!(
                "no primary key in the path: {} is a key qualifier and must follow a primary key such as 01 (GTIN)",
                ai::describe(q)
            )));
        }
        return Err(Gs1Error::syntax(
            "no GS1 primary key in the path: expected /{AI}/{value} such as /01/{GTIN}, /414/{GLN} or /00/{SSCC}",
        ));
    };
    if i >= 2 {
        if let Some(before) = ai::resolve(segs[i - 2]) {
            let primary = ai::resolve(segs[i]).unwrap_or_default();
            return Err(Gs1Error::Qualifier(format!(
                "{} comes before the primary key {}; key qualifiers must follow the primary key",
                ai::describe(before),
                ai::describe(primary)
            )));
        }
    }
    Ok(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_custom_domain_with_prefix_and_query() {
        let dl =
            DigitalLink::parse("https://trace.example.cn/qr/gtin/9521234000013/lot/A%2f1/ser/7?17=261231&linkType=all")
                .map_err(|e| e.to_string());
        let Ok(dl) = dl else { panic!("{dl:?}") };
        assert_eq!(dl.domain, "https://trace.example.cn/qr");
        assert_eq!(dl.primary, ("01".into(), "9521234000013".into()));
        assert_eq!(dl.qualifier("10"), Some("A/1"));
        assert_eq!(dl.attribute("17"), Some("261231"));
        assert_eq!(dl.attribute("linkType"), Some("all"));
        assert_eq!(dl.to_uri(), "https://trace.example.cn/qr/01/9521234000013/10/A%2F1/21/7?17=261231&linkType=all");
        assert_eq!(dl.canonical(), "https://id.gs1.org/01/09521234000013/10/A%2F1/21/7");
        assert_eq!(dl.constrained().canonical(), "https://id.gs1.org/01/09521234000013/21/7");
    }
}
