//! Where the module's own identifiers live.

/// The province's traceability namespace. Animal ear tags, certificate pages and custom
/// vocabulary are HTTP URIs under it (`{namespace}animal/263262100012345`), as CBV 2.0
/// allows for non-GS1 identifiers. Changing it changes every event hash that names such an
/// identifier, so it is fixed per deployment (`QY_TRACE_NAMESPACE`).
#[derive(Debug, Clone)]
pub struct TraceConfig {
    pub namespace: String,
    /// Largest capture document in events and bytes (advertised in the discovery headers).
    pub capture_limit: usize,
    pub capture_bytes: usize,
}

pub const DEFAULT_NAMESPACE: &str = "https://trace.qinghai.gov.cn/qh/";

impl Default for TraceConfig {
    fn default() -> Self {
        Self { namespace: DEFAULT_NAMESPACE.to_owned(), capture_limit: 10_000, capture_bytes: 16 * 1024 * 1024 }
    }
}

impl TraceConfig {
    /// The animal URI for a 15-digit ear tag.
    pub fn animal_uri(&self, ear_tag: &str) -> String {
        format!("{}animal/{ear_tag}", self.namespace)
    }
    /// The page of a certificate, referenced from events' `certificationInfo`.
    pub fn cert_uri(&self, kind: &str, code: &str) -> String {
        format!("{}cert/{kind}/{}", self.namespace, percent_segment(code))
    }

    /// (kind, code) of a certificate URI in this namespace.
    pub fn cert_of(&self, uri: &str) -> Option<(String, String)> {
        let rest = uri.strip_prefix(&self.namespace)?.strip_prefix("cert/")?;
        let (kind, code) = rest.split_once('/')?;
        let code = form_urlencoded::parse(format!("c={}", code.replace('+', "%2B")).as_bytes()).next()?.1.into_owned();
        Some((kind.to_owned(), code))
    }
    /// The ear tag of an animal URI in this namespace.
    pub fn ear_tag_of<'a>(&self, uri: &'a str) -> Option<&'a str> {
        uri.strip_prefix(&self.namespace)?.strip_prefix("animal/")
    }
}

/// Percent-encodes a URI path segment: certificate numbers carry Chinese, brackets and spaces,
/// lot numbers GS1 punctuation.
pub fn percent_segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
