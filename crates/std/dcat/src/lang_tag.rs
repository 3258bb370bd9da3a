//! Language tags on literals (`"…"@zh`) must be well-formed BCP 47 (RFC 5646 §2.1), or strict
//! RDF parsers reject the whole document. A tag that is not is dropped from its literal
//! instead; the text itself is kept.

/// The tag lower-cased (RDF compares tags case-insensitively), or `None` when it is not
/// well-formed. `_` is read as `-` (`zh_CN`, as Java and POSIX locales write it). The
/// irregular grandfathered tags (`i-klingon` …) are not accepted.
pub fn literal_lang(tag: &str) -> Option<String> {
    let t = tag.trim().replace('_', "-").to_ascii_lowercase();
    let subtags: Vec<&str> = t.split('-').collect();
    if subtags.iter().any(|s| s.is_empty() || s.len() > 8 || !s.bytes().all(|b| b.is_ascii_alphanumeric())) {
        return None;
    }
    let ok = match subtags.first() {
        Some(&"x") => private_use(&subtags),
        Some(_) => langtag(&subtags),
        None => false,
    };
    ok.then_some(t)
}

fn alpha(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// `x-…` with at least one subtag (lengths already checked to be 1–8).
fn private_use(subtags: &[&str]) -> bool {
    subtags.len() >= 2
}

/// `language ["-" script] ["-" region] *("-" variant) *("-" extension) ["-" privateuse]`.
fn langtag(subtags: &[&str]) -> bool {
    let mut i = 0;
    let at = |i: usize| subtags.get(i).copied().unwrap_or("");
    // language = 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA; extlang = 3ALPHA *2("-" 3ALPHA)
    let language = at(i);
    if !alpha(language, 2..=8) {
        return false;
    }
    i += 1;
    if language.len() <= 3 {
        let mut ext = 0;
        while ext < 3 && alpha(at(i), 3..=3) {
            i += 1;
            ext += 1;
        }
    }
    if alpha(at(i), 4..=4) {
        i += 1; // script
    }
    let region = at(i);
    if alpha(region, 2..=2) || (region.len() == 3 && region.bytes().all(|b| b.is_ascii_digit())) {
        i += 1;
    }
    loop {
        let v = at(i);
        let variant = (5..=8).contains(&v.len()) || (v.len() == 4 && v.as_bytes()[0].is_ascii_digit());
        if !variant {
            break;
        }
        i += 1;
    }
    // extension = singleton 1*("-" (2*8alphanum)); the singleton `x` starts private use.
    while at(i).len() == 1 && at(i) != "x" {
        i += 1;
        let start = i;
        while at(i).len() >= 2 {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if at(i) == "x" {
        return private_use(&subtags[i..]);
    }
    i == subtags.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_tags() {
        for (given, want) in [
            ("zh", "zh"),
            ("bo", "bo"),
            ("EN", "en"),
            ("zh-Hans-CN", "zh-hans-cn"),
            ("zh_CN", "zh-cn"),
            ("zh-yue-HK", "zh-yue-hk"),
            ("es-419", "es-419"),
            ("de-CH-1901", "de-ch-1901"),
            ("en-a-bbb-x-a-ccc", "en-a-bbb-x-a-ccc"),
            ("x-qinghai", "x-qinghai"),
            (" bo-CN ", "bo-cn"),
        ] {
            assert_eq!(literal_lang(given).as_deref(), Some(want), "{given}");
        }
    }

    #[test]
    fn malformed_tags_are_refused() {
        for bad in [
            "",
            "z",
            "zh-",
            "-zh",
            "zh--cn",
            "zh cn",
            "藏",
            "en-x",
            "en-a",
            "en-a-b",
            "en-12",
            "abcdefghi",
            "x",
            "zh-cn-q",
        ] {
            assert_eq!(literal_lang(bad), None, "{bad}");
        }
    }
}
