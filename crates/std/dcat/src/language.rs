//! ISO 639 codes → EU language authority IRIs (`dct:language` of the catalog).

const BASE: &str = "http://publications.europa.eu/resource/authority/language/";

/// ISO 639-1 → EU authority code (the table uses three-letter ISO 639-2/B-like codes). The
/// languages of Qinghai and of likely readers; anything else may be given as a three-letter code.
const ISO_639_1: &[(&str, &str)] = &[
    ("zh", "ZHO"), // Chinese
    ("bo", "BOD"), // Tibetan
    ("en", "ENG"),
    ("mn", "MON"), // Mongolian
    ("ug", "UIG"), // Uyghur
    ("ii", "III"), // Sichuan Yi
    ("za", "ZHA"), // Zhuang
    ("ko", "KOR"),
    ("ja", "JPN"),
    ("ru", "RUS"),
    ("fr", "FRA"),
    ("de", "DEU"),
    ("es", "SPA"),
    ("ar", "ARA"),
];

/// EU language authority IRI for `zh`, `zh-CN`, `ZHO`, `bod`, or an IRI already in the table.
/// `None` for anything else (unknown two-letter codes, free text).
pub fn language_uri(code: &str) -> Option<String> {
    let c = code.trim();
    if let Some(rest) = c.strip_prefix(BASE) {
        return is_alpha(rest, 3).then(|| c.to_owned());
    }
    // Only the primary subtag names the language; `zh-Hans`, `zh_CN` → `zh`.
    let primary = c.split(['-', '_']).next().unwrap_or(c).to_ascii_lowercase();
    if let Some((_, eu)) = ISO_639_1.iter().find(|(iso, _)| *iso == primary) {
        return Some(format!("{BASE}{eu}"));
    }
    is_alpha(&primary, 3).then(|| format!("{BASE}{}", primary.to_ascii_uppercase()))
}

fn is_alpha(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qinghai_languages() {
        assert_eq!(
            language_uri("zh").as_deref(),
            Some("http://publications.europa.eu/resource/authority/language/ZHO")
        );
        assert_eq!(
            language_uri("en").as_deref(),
            Some("http://publications.europa.eu/resource/authority/language/ENG")
        );
        assert_eq!(
            language_uri("bo").as_deref(),
            Some("http://publications.europa.eu/resource/authority/language/BOD")
        );
        assert_eq!(language_uri(" zh-CN ").as_deref(), language_uri("zh").as_deref());
        assert_eq!(language_uri("bod").as_deref(), language_uri("bo").as_deref());
        assert_eq!(
            language_uri("http://publications.europa.eu/resource/authority/language/ZHO").as_deref(),
            language_uri("zh").as_deref()
        );
    }

    #[test]
    fn unknown_languages_are_dropped() {
        assert_eq!(language_uri("xx"), None);
        assert_eq!(language_uri(""), None);
        assert_eq!(language_uri("中文"), None);
        assert_eq!(language_uri("http://publications.europa.eu/resource/authority/language/Z O"), None);
    }
}
