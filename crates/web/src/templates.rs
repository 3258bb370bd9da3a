//! The template environment: the shared layout plus every module's templates, with a
//! `t(key, **args)` function that translates into the page's language.

use std::sync::Arc;

use minijinja::value::Kwargs;
use minijinja::{Environment, State};

use crate::i18n::I18n;

/// The web crate's own templates: the layout every page extends, and the error page.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("macros.html", include_str!("../templates/macros.html")),
];

/// Builds the environment. Fails when a template does not parse.
pub fn environment(i18n: Arc<I18n>, sources: &[(&'static str, &'static str)]) -> Result<Environment<'static>, String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Chainable);
    for (name, src) in TEMPLATES.iter().chain(sources) {
        env.add_template(name, src).map_err(|e| format!("template {name}: {e}"))?;
    }
    env.add_function("t", move |state: &State, key: &str, kwargs: Kwargs| -> Result<String, minijinja::Error> {
        let lang = state.lookup("lang").and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        let mut args: Vec<(String, String)> = Vec::new();
        for name in kwargs.args() {
            let v: minijinja::Value = kwargs.get(name)?;
            args.push((name.to_owned(), v.to_string()));
        }
        let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        Ok(i18n.t(&lang, key, &args))
    });
    env.add_filter("datetime", format_datetime);
    Ok(env)
}

/// Epoch milliseconds → `YYYY-MM-DD HH:MM` in Asia/Shanghai (UTC+8, no DST since 1991): what
/// pages (the `datetime` filter) and downloads show.
pub fn format_datetime(ms: i64) -> String {
    let secs = ms.div_euclid(1000) + 8 * 3600;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", rem / 3600, (rem % 3600) / 60)
}

/// Howard Hinnant's days-from-civil inverse.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    #[test]
    fn datetime_is_shown_in_beijing_time() {
        // 2026-11-29T01:47:00Z is 09:47 in Xining.
        assert_eq!(super::format_datetime(1_795_916_820_000), "2026-11-29 09:47");
        assert_eq!(super::format_datetime(0), "1970-01-01 08:00");
    }
}
