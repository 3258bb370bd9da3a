//! Translations. Every user-visible string is a Fluent message in `zh-CN` (default), `en` and
//! `bo` (Tibetan). Each module ships its own `.ftl` files; all are merged here at start-up.

use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The supported locales; the first is the default.
pub const LOCALES: [&str; 3] = ["zh-CN", "en", "bo"];
pub const DEFAULT_LOCALE: &str = "zh-CN";

/// One `.ftl` source of one module in one locale.
#[derive(Debug, Clone, Copy)]
pub struct FtlSource {
    pub locale: &'static str,
    pub name: &'static str,
    pub text: &'static str,
}

/// Declares the `.ftl` files of a module: `ftl_sources!("identity")` expands to the three
/// `locales/<locale>/<name>.ftl` files of the calling crate.
#[macro_export]
macro_rules! ftl_sources {
    ($name:literal) => {
        &[
            $crate::i18n::FtlSource {
                locale: "zh-CN",
                name: $name,
                text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/zh-CN/", $name, ".ftl")),
            },
            $crate::i18n::FtlSource {
                locale: "en",
                name: $name,
                text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/en/", $name, ".ftl")),
            },
            $crate::i18n::FtlSource {
                locale: "bo",
                name: $name,
                text: include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/locales/bo/", $name, ".ftl")),
            },
        ]
    };
}

pub struct I18n {
    bundles: BTreeMap<&'static str, FluentBundle<FluentResource>>,
    keys: BTreeMap<&'static str, BTreeSet<String>>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("I18n").field("locales", &self.bundles.keys()).finish()
    }
}

impl I18n {
    /// Loads all sources. Fails on a parse error or a message defined twice in one locale.
    pub fn new(sources: &[FtlSource]) -> Result<Self, String> {
        let mut bundles = BTreeMap::new();
        let mut keys: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
        for locale in LOCALES {
            let id: LanguageIdentifier = locale.parse().map_err(|e| format!("locale {locale}: {e:?}"))?;
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Bidi isolation marks would end up in the HTML around every argument.
            bundle.set_use_isolating(false);
            bundles.insert(locale, bundle);
            keys.insert(locale, BTreeSet::new());
        }
        for src in sources {
            let bundle = bundles
                .get_mut(src.locale)
                .ok_or_else(|| format!("{}: unsupported locale {}", src.name, src.locale))?;
            let resource = FluentResource::try_new(src.text.to_owned())
                .map_err(|(_, errs)| format!("{}/{}.ftl: {errs:?}", src.locale, src.name))?;
            let ids: Vec<String> = resource
                .entries()
                .filter_map(|e| match e {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    fluent_syntax::ast::Entry::Term(t) => Some(format!("-{}", t.id.name)),
                    _ => None,
                })
                .collect();
            bundle
                .add_resource(resource)
                .map_err(|errs| format!("{}/{}.ftl: duplicate messages {errs:?}", src.locale, src.name))?;
            if let Some(set) = keys.get_mut(src.locale) {
                set.extend(ids);
            }
        }
        Ok(Self { bundles, keys })
    }

    /// Message ids (and `-terms`) defined in `locale`.
    pub fn keys(&self, locale: &str) -> BTreeSet<String> {
        self.keys.get(locale).cloned().unwrap_or_default()
    }

    /// Translates `key` into `locale`, falling back to the default locale, then to the key
    /// itself (so a missing translation is visible, never a crash).
    pub fn t(&self, locale: &str, key: &str, args: &[(&str, String)]) -> String {
        self.try_t(locale, key, args)
            .or_else(|| self.try_t(DEFAULT_LOCALE, key, args))
            .unwrap_or_else(|| key.to_owned())
    }

    /// Whether `key` exists in the default locale.
    pub fn has(&self, key: &str) -> bool {
        self.bundles.get(DEFAULT_LOCALE).is_some_and(|b| b.has_message(key))
    }

    fn try_t(&self, locale: &str, key: &str, args: &[(&str, String)]) -> Option<String> {
        let bundle = self.bundles.get(locale)?;
        let msg = bundle.get_message(key)?;
        let pattern = msg.value()?;
        let mut fargs = FluentArgs::new();
        for (name, value) in args {
            fargs.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fargs), &mut errors);
        if !errors.is_empty() {
            tracing::warn!(locale, key, ?errors, "fluent formatting errors");
        }
        Some(text.into_owned())
    }
}

/// Picks the locale: an explicit choice (cookie) first, then `Accept-Language`, then zh-CN.
pub fn negotiate(cookie: Option<&str>, accept_language: Option<&str>) -> &'static str {
    if let Some(c) = cookie.and_then(supported) {
        return c;
    }
    if let Some(header) = accept_language {
        let mut ranked: Vec<(f32, &str)> = header
            .split(',')
            .filter_map(|part| {
                let mut it = part.trim().split(';');
                let tag = it.next()?.trim();
                let q = it.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
                Some((q, tag))
            })
            .collect();
        ranked.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        if let Some(l) = ranked.into_iter().find_map(|(_, tag)| supported(tag)) {
            return l;
        }
    }
    DEFAULT_LOCALE
}

/// Maps a language tag to a supported locale: `zh`, `zh-Hans`, `zh-CN` → `zh-CN`; `en-*` → `en`;
/// `bo`, `bo-CN` → `bo`.
pub fn supported(tag: &str) -> Option<&'static str> {
    let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
    match primary.as_str() {
        "zh" => Some("zh-CN"),
        "en" => Some("en"),
        "bo" => Some("bo"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_wins_over_header() {
        assert_eq!(negotiate(Some("bo"), Some("en-US,en;q=0.9")), "bo");
    }

    #[test]
    fn header_quality_is_respected() {
        assert_eq!(negotiate(None, Some("fr;q=1.0, en;q=0.5, bo;q=0.8")), "bo");
        assert_eq!(negotiate(None, Some("fr")), "zh-CN");
        assert_eq!(negotiate(None, None), "zh-CN");
    }

    #[test]
    fn missing_translation_falls_back() {
        let src = [
            FtlSource { locale: "zh-CN", name: "t", text: "hello = 你好，{ $name }！\nonly-zh = 只有中文\n" },
            FtlSource { locale: "en", name: "t", text: "hello = Hello, { $name }!\n" },
            FtlSource {
                locale: "bo", name: "t", text: "hello = བཀྲ་ཤིས་བདེ་ལེགས། { $name }\n"
            },
        ];
        let i = I18n::new(&src).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(i.t("en", "hello", &[("name", "Ada".into())]), "Hello, Ada!");
        assert_eq!(i.t("en", "only-zh", &[]), "只有中文");
        assert_eq!(i.t("en", "nope", &[]), "nope");
    }
}
