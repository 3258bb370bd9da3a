//! The actions we answer, with the text `help_show` gives for each, and `status_show`.

use serde_json::{json, Value};

use super::reply::Failure;
use super::Cx;

/// CKAN release whose Action API this one follows (clients probe it with status_show).
pub const CKAN_VERSION: &str = "2.10.4";

/// Every action, with its help text. All of them only read, so GET is accepted for each.
pub const ACTIONS: &[(&str, &str)] = &[
    ("package_search", "Searches open datasets. q: free text (Chinese works); fq: AND-joined terms organization:<name>, groups:<code>, res_format:<format>, tags:<keyword>, metadata_modified:[<ISO 8601> TO *], dataset_type:dataset (anything else is refused with 409); fq_list: several fq; sort: score desc[, metadata_modified desc] | metadata_modified desc | name asc | title_string asc | id asc; rows (default 10, at most 1000); start; facet.field: JSON list of organization, groups, tags, res_format, license_id; facet.limit (50); facet.mincount (1). include_private and include_drafts are ignored: only open datasets exist here. Returns {count, sort, results, facets, search_facets}."),
    ("package_show", "One open dataset. id: its id or name. Other keys are ignored."),
    ("package_list", "Names of all open datasets, by name. limit (default all), offset."),
    ("current_package_list_with_resources", "Open datasets with their resources, most recently modified first. limit (default 10, at most 1000), offset."),
    ("organization_list", "Providing departments. sort: title asc (default) | title desc | name asc | name desc | package_count asc | package_count desc; limit, offset; all_fields (dicts, at most 25 per call); include_dataset_count; organizations: names to keep; q: text in name or title."),
    ("organization_show", "One providing department. id: its id or name; include_datasets (default false) adds up to 1000 of its open datasets."),
    ("group_list", "Categories at the 项 level of the resource classification; name = category code. Parameters as organization_list (groups instead of organizations)."),
    ("group_show", "One category at the 项 level. id: its code; include_datasets (default false)."),
    ("tag_list", "Keywords of open datasets. query: text a keyword contains; all_fields: dicts instead of names."),
    ("license_list", "The licences datasets are offered under."),
    ("resource_show", "One resource of an open dataset. id: the resource id (<dataset id>-csv, -json, -xlsx or -api)."),
    ("datastore_search", "Rows of a resource. resource_id (required); filters: {column: value} (equality; a list of one value); fields: list or comma-separated; sort: _id only (the rows' own order); limit (default 100, at most 32000); offset; include_total (default true). q (full-text over rows) is not supported and is refused. 有条件开放 datasets need the developer key of an account with an approved application, in Authorization or X-CKAN-API-Key."),
    ("status_show", "Site and API version, as CKAN reports them."),
    ("help_show", "The help text of an action. name: the action."),
];

pub fn find(name: &str) -> Option<&'static str> {
    ACTIONS.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

pub fn help_show(cx: &Cx) -> Result<Value, Failure> {
    let name = cx.params.required("name")?;
    ACTIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, doc)| Value::String((*doc).to_owned()))
        .ok_or_else(|| Failure::NotFound(format!("no action {name:?}")))
}

pub fn status_show(cx: &Cx) -> Value {
    let t = |key: &str| cx.state.i18n.t("zh-CN", key, &[]);
    json!({
        "site_title": format!("{} · {}", t("site-name"), t("catalog-nav-open")),
        "site_description": "青海省政府数据开放：政务信息资源目录中向社会开放的数据集 (CKAN-compatible Action API, DCAT-AP 3.0)",
        "site_url": cx.base,
        "ckan_version": CKAN_VERSION,
        "error_emails_to": null,
        "locale_default": "zh_CN",
        "extensions": ["datastore", "dcat"],
    })
}
