//! Open entries as qy-dcat's `Dataset` and the catalog page as its `Catalog` (the mapping
//! table of the reference §3.4 and of crates/std/dcat/README.md; docs/ckan-dcat.md has it
//! as implemented).
//!
//! IRIs: datasets are `<base>/dataset/<slug>` (which answers with their documents),
//! distributions `<base>/dataset/<slug>#<format>`. Departments and categories get IRIs in our
//! own scheme, `<base>/catalog/organizations/<slug>` and `<base>/catalog/categories/<code>`:
//! names for the graph, not pages.

use qy_dcat::{AccessRights, Agent, Catalog, Dataset, Distribution, Frequency, Paging, Text};
use qy_web::AppState;

use crate::domain::{Entry, OpenType, UpdateCycle};
use crate::http::ckan::resources;
use crate::http::ckan::site::Lookup;
use crate::http::ckan::time;

/// Languages of the portal (and of the catalog's titles).
const LANGUAGES: [(&str, &str); 3] = [("zh-CN", "zh"), ("en", "en"), ("bo", "bo")];

fn frequency(c: UpdateCycle) -> Frequency {
    match c {
        UpdateCycle::Realtime => Frequency::Continuous,
        UpdateCycle::Daily => Frequency::Daily,
        UpdateCycle::Weekly => Frequency::Weekly,
        UpdateCycle::Monthly => Frequency::Monthly,
        UpdateCycle::Quarterly => Frequency::Quarterly,
        UpdateCycle::HalfYearly => Frequency::Biannual,
        UpdateCycle::Yearly => Frequency::Annual,
        UpdateCycle::Irregular => Frequency::Irregular,
    }
}

fn access_rights(o: OpenType) -> AccessRights {
    match o {
        OpenType::Unconditional => AccessRights::Public,
        OpenType::Conditional => AccessRights::Restricted,
        OpenType::None => AccessRights::NonPublic,
    }
}

pub fn dataset_uri(base: &str, slug: &str) -> String {
    format!("{base}/dataset/{slug}")
}

pub fn category_uri(base: &str, code: &str) -> String {
    format!("{base}/catalog/categories/{code}")
}

/// `related`: the open related entries (code, slug).
pub fn dataset(base: &str, lookup: &Lookup, e: &Entry, related: &[(String, String)]) -> Dataset {
    let publisher = match lookup.org(&e.org_id) {
        Some(o) => Agent {
            uri: format!("{base}/catalog/organizations/{}", o.slug),
            name: vec![Text::zh(o.name.clone())],
            identifier: Some(o.uscc.clone()).filter(|u| !u.is_empty()),
        },
        None => Agent::default(),
    };
    let landing = resources::page_url(base, e);
    let licence = resources::licence(e.open_type).url.map(str::to_owned);
    let modified = time::rfc3339(e.updated_at);
    // The 项 and the 目 the entry is classified under, broad and narrow.
    let mut themes = Vec::new();
    if let Some(g) = lookup.group_of(&e.category_code) {
        themes.push(category_uri(base, &g.code));
    }
    themes.push(category_uri(base, &e.category_code));
    themes.dedup();
    let distributions = resources::of(base, e)
        .into_iter()
        .map(|r| {
            let download = r.format != "API";
            Distribution {
                uri: format!("{}#{}", dataset_uri(base, &e.slug), r.format.to_ascii_lowercase()),
                title: vec![Text::zh(format!("{} ({})", e.name, r.format))],
                access_url: if download { landing.clone() } else { r.url.clone() },
                download_url: download.then(|| r.url.clone()),
                format: Some(r.format.to_owned()),
                media_type: r.mimetype.map(str::to_owned),
                license: licence.clone(),
                byte_size: None,
                modified: Some(modified.clone()),
            }
        })
        .collect();
    Dataset {
        uri: dataset_uri(base, &e.slug),
        identifier: e.code.clone(),
        title: vec![Text::zh(e.name.clone())],
        description: vec![Text::zh(e.summary.clone())],
        publisher,
        themes,
        keywords: e.keywords.iter().map(|k| Text::zh(k.clone())).collect(),
        issued: e.published_on.clone(),
        modified: Some(modified),
        frequency: Some(frequency(e.update_cycle)),
        access_rights: access_rights(e.open_type),
        relations: related.iter().map(|(_, slug)| dataset_uri(base, slug)).collect(),
        landing_page: Some(landing),
        spatial: None,
        conforms_to: None,
        distributions,
    }
}

/// One page of the catalog. `modified`: when the newest entry changed (epoch ms).
pub fn catalog(state: &AppState, base: &str, datasets: Vec<Dataset>, paging: Paging, modified: Option<i64>) -> Catalog {
    let texts =
        |f: &dyn Fn(&str) -> String| LANGUAGES.iter().map(|(locale, tag)| Text::new(f(locale), Some(tag))).collect();
    let t = |locale: &str, key: &str| state.i18n.t(locale, key, &[]);
    Catalog {
        uri: format!("{base}/open"),
        title: texts(&|l| format!("{} · {}", t(l, "site-name"), t(l, "catalog-nav-open"))),
        description: vec![
            Text::zh("青海省政务信息资源目录中向社会开放的数据集（无条件开放与有条件开放）"),
            Text::en("Datasets of the Qinghai government information resource catalog that are open to the public, unconditionally or on application"),
        ],
        publisher: Agent { uri: format!("{base}/"), name: texts(&|l| t(l, "site-name")), identifier: None },
        homepage: Some(format!("{base}/open")),
        language: LANGUAGES.iter().map(|(_, tag)| (*tag).to_owned()).collect(),
        modified: modified.map(time::rfc3339),
        themes_scheme: Some(format!("{base}/catalog/categories")),
        datasets,
        paging: Some(paging),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_classes_map_to_eu_vocabularies() {
        assert_eq!(frequency(UpdateCycle::Realtime), Frequency::Continuous);
        assert_eq!(frequency(UpdateCycle::HalfYearly), Frequency::Biannual);
        assert_eq!(frequency(UpdateCycle::Yearly), Frequency::Annual);
        assert_eq!(access_rights(OpenType::Unconditional), AccessRights::Public);
        assert_eq!(access_rights(OpenType::Conditional), AccessRights::Restricted);
    }
}
