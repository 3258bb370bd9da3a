//! Make caller-supplied strings safe to write as IRIs.
//!
//! Turtle's `IRIREF` forbids `U+0000–U+0020`, `<>"{}|^` `` ` `` and `\`; RFC 3987 further forbids
//! other ASCII controls, non-characters and private-use code points outside the query, `[`/`]`
//! outside an IPv6 host, a `%` that does not start an escape, a second `#`, a non-numeric port
//! and a `:` in the first segment of a relative reference. Rather than reject a record (the
//! API cannot fail), every such character is percent-encoded as UTF-8, which is what a
//! browser does with the same input. Valid IRIs, including percent-escapes and Chinese
//! characters, come back unchanged, so escaping is idempotent.

use std::net::Ipv6Addr;

/// Percent-encode what may not appear in an IRI; leading/trailing whitespace is dropped.
///
/// A string without a scheme stays a relative reference (resolved against the document's base
/// by parsers); callers should pass absolute IRIs.
pub fn escape_iri(raw: &str) -> String {
    let s = raw.trim();
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let has_scheme = match scheme_len(s) {
        Some(n) => {
            out.push_str(&s[..=n]);
            rest = &s[n + 1..];
            true
        }
        None => false,
    };
    let has_authority = match rest.strip_prefix("//") {
        Some(after) => {
            let end = after.find(['/', '?', '#']).unwrap_or(after.len());
            out.push_str("//");
            escape_authority(&mut out, &after[..end]);
            rest = &after[end..];
            true
        }
        None => false,
    };
    // In a relative reference without authority, a `:` before the first `/`, `?` or `#` would
    // read as a scheme delimiter (RFC 3986 `path-noscheme`).
    let first_segment_end =
        if has_scheme || has_authority { 0 } else { rest.find(['/', '?', '#']).unwrap_or(rest.len()) };
    let relative = !has_scheme && !has_authority;
    // Whether a `:` was already written (the scheme's, or one in the authority).
    let mut seen_colon = has_scheme || out.contains(':');
    let mut seen_hash = false;
    for (i, c) in rest.char_indices() {
        let keep = match c {
            '%' => is_escape(&rest[i..]),
            // JSON-LD reads an `@id` of `@…` as a keyword, not a relative reference.
            '@' if relative && i == 0 => false,
            '[' | ']' => false,
            // JSON-LD takes a value whose first `:` is followed by `//` as an absolute IRI and
            // does not resolve it, where Turtle would: keep the two formats in agreement.
            ':' if !seen_colon && rest[i + 1..].starts_with("//") => false,
            ':' => {
                seen_colon = true;
                i >= first_segment_end
            }
            '#' if seen_hash => false,
            '#' => {
                seen_hash = true;
                true
            }
            c => is_iri_char(c),
        };
        push_char(&mut out, c, keep);
    }
    out
}

/// `userinfo@host:port`: brackets only around a real IPv6 address, `:` only before a numeric
/// port (or inside userinfo), no `@` but the last.
fn escape_authority(out: &mut String, authority: &str) {
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(at) => (Some(&authority[..at]), &authority[at + 1..]),
        None => (None, authority),
    };
    if let Some(userinfo) = userinfo {
        escape_plain(out, userinfo, |c| c == ':');
        out.push('@');
    }
    // Split off the port: the text after the last `:` that is not inside an IPv6 literal.
    let (host, port) = match hostport.rfind(':') {
        Some(colon) if !hostport[colon..].contains(']') => (&hostport[..colon], Some(&hostport[colon + 1..])),
        _ => (hostport, None),
    };
    let port_ok = port.is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
    let host_end = if port_ok { host.len() } else { hostport.len() };
    let host = &hostport[..host_end];
    let ipv6 =
        host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).filter(|inner| inner.parse::<Ipv6Addr>().is_ok());
    match ipv6 {
        Some(_) => out.push_str(host),
        None => escape_plain(out, host, |_| false),
    }
    // An empty port is dropped (RFC 3986 §6.2.3 makes `host:` and `host` equivalent).
    if port_ok && hostport.len() > host_end + 1 {
        out.push_str(&hostport[host_end..]);
    }
}

/// Escape a URI component where `[`, `]`, `@` and `:` (unless `colon_ok`) are not allowed.
fn escape_plain(out: &mut String, part: &str, colon_ok: fn(char) -> bool) {
    for (i, c) in part.char_indices() {
        let keep = match c {
            '%' => is_escape(&part[i..]),
            '[' | ']' | '@' | '/' | '?' | '#' => false,
            ':' => colon_ok(c),
            c => is_iri_char(c),
        };
        push_char(out, c, keep);
    }
}

fn push_char(out: &mut String, c: char, keep: bool) {
    if keep {
        out.push(c);
        return;
    }
    let mut buf = [0u8; 4];
    for b in c.encode_utf8(&mut buf).bytes() {
        out.push('%');
        out.push(hex(b >> 4));
        out.push(hex(b & 0x0f));
    }
}

/// Length of a valid `scheme` (RFC 3986 §3.1) followed by `:`, if the string starts with one.
fn scheme_len(s: &str) -> Option<usize> {
    let colon = s.find(':')?;
    let mut b = s[..colon].bytes();
    let ok = b.next().is_some_and(|c| c.is_ascii_alphabetic())
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'-' || c == b'.');
    ok.then_some(colon)
}

/// `%` followed by two hex digits.
fn is_escape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit()
}

/// Unreserved, reserved and `%` for ASCII (position-dependent ones are decided by the caller);
/// RFC 3987 `ucschar` for the rest. Private-use code points (`iprivate`) are only allowed in
/// the query; they are encoded everywhere for simplicity.
fn is_iri_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
    }
    let u = u32::from(c);
    if (0xA0..=0xD7FF).contains(&u) || (0xF900..=0xFDCF).contains(&u) || (0xFDF0..=0xFFEF).contains(&u) {
        return true;
    }
    // Planes 1–13 and plane 14 from U+E1000 (tag characters and variation selectors are out),
    // each without its last two code points (non-characters).
    ((0x1_0000..=0xD_FFFF).contains(&u) || (0xE_1000..=0xE_FFFF).contains(&u)) && (u & 0xFFFF) <= 0xFFFD
}

fn hex(n: u8) -> char {
    char::from(b"0123456789ABCDEF"[usize::from(n & 0x0f)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_iris_are_unchanged() {
        for iri in [
            "https://data.qinghai.gov.cn/dataset/201001-000012",
            "https://data.qinghai.gov.cn/数据集/青海湖?q=a%20b&x=1#frag",
            "http://[::1]:8080/catalog.ttl?page=2",
            "http://user:pw@127.0.0.1:8080/a:b@c",
            "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
            "mailto:open@qinghai.gov.cn",
            "https://x.cn",
            "dataset/a:b",
        ] {
            assert_eq!(escape_iri(iri), iri);
        }
    }

    #[test]
    fn forbidden_characters_are_percent_encoded() {
        assert_eq!(escape_iri("https://x.cn/a b"), "https://x.cn/a%20b");
        assert_eq!(escape_iri(" https://x.cn/a\n"), "https://x.cn/a");
        assert_eq!(escape_iri("https://x.cn/<a>\"{b}|^`\\"), "https://x.cn/%3Ca%3E%22%7Bb%7D%7C%5E%60%5C");
        assert_eq!(escape_iri("https://x.cn/a\tb"), "https://x.cn/a%09b");
        assert_eq!(escape_iri("https://x.cn/100%"), "https://x.cn/100%25");
        assert_eq!(escape_iri("https://x.cn/%zz"), "https://x.cn/%25zz");
        assert_eq!(escape_iri("https://x.cn/a[1]"), "https://x.cn/a%5B1%5D");
        assert_eq!(escape_iri("https://x.cn/a#b#c"), "https://x.cn/a#b%23c");
        assert_eq!(escape_iri("https://x.cn/\u{7f}\u{85}a"), "https://x.cn/%7F%C2%85a");
        assert_eq!(escape_iri("https://x.cn/\u{e000}\u{fffe}"), "https://x.cn/%EE%80%80%EF%BF%BE");
    }

    #[test]
    fn authority_is_repaired() {
        assert_eq!(escape_iri("http://[zz]/a"), "http://%5Bzz%5D/a");
        assert_eq!(escape_iri("http://[::1/a"), "http://%5B%3A:1/a");
        assert_eq!(escape_iri("http://x.cn:abc/a"), "http://x.cn%3Aabc/a");
        assert_eq!(escape_iri("http://a@b@x.cn/"), "http://a%40b@x.cn/");
        assert_eq!(escape_iri("http://x.cn:/a"), "http://x.cn/a");
        assert_eq!(escape_iri("http://青海.cn/"), "http://青海.cn/");
        assert_eq!(escape_iri("http://x y.cn/"), "http://x%20y.cn/");
    }

    #[test]
    fn relative_references_cannot_grow_a_scheme() {
        assert_eq!(escape_iri("_:b0"), "_%3Ab0");
        assert_eq!(escape_iri("1a:b/c"), "1a%3Ab/c");
        assert_eq!(escape_iri("//x.cn:8/a:b"), "//x.cn:8/a:b");
        assert_eq!(escape_iri("@type"), "%40type");
        assert_eq!(escape_iri("a/b://c"), "a/b%3A//c");
        assert_eq!(escape_iri("//x.cn://a"), "//x.cn//a");
        assert_eq!(escape_iri("//?://"), "//?%3A//");
    }

    #[test]
    fn escaping_is_idempotent() {
        for raw in ["https://x.cn/a b%", "a:b c", "https://x.cn/中 文#a#b", "%", "", "http://[::1", "//a:b:c@d:e"] {
            let once = escape_iri(raw);
            assert_eq!(escape_iri(&once), once, "{raw:?}");
        }
    }
}
