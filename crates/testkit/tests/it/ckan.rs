//! The CKAN-compatible Action API (`/api/3/action/…`, `/api/action/…`) in the whole
//! application: envelope, error table, visibility of entries, DataStore reads and the
//! developer key of 有条件开放 data; and the real CKAN client (PyPI `ckanapi`, library and
//! command line) over HTTP when `QY_TEST_PYTHON` names a Python that has it installed.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use qy_catalog::domain::{perm, DataType, Entry, FormatKind, Item, OpenType, Org, ShareMode, ShareType, UpdateCycle};
use qy_catalog::service::entries::EntryInput;
use qy_kernel::{Principal, PrincipalKind, RegionScope};
use qy_testkit::{spawn_app, Reply, TestApp};
use serde_json::{json, Value};

/// The seeded catalog: six open datasets, and entries the public must not see.
pub struct Seeded {
    /// 无条件开放, a loaded table; being revised (a draft of version 2 exists).
    pub air: Entry,
    /// 无条件开放, nothing behind it yet.
    pub water: Entry,
    /// 有条件开放, a loaded table.
    pub scenic: Entry,
    /// 无条件开放, the eco module's live feed.
    pub city: Entry,
    /// 无条件开放, a table with a personal item.
    pub stats: Entry,
    /// 无条件开放, served by the provider's own system.
    pub roads: Entry,
    /// Published but 不予开放.
    pub closed: Entry,
    /// Never published.
    pub draft: Entry,
    pub approved_key: String,
    pub pending_key: String,
    pub orgs: Vec<Org>,
}

impl Seeded {
    pub fn open(&self) -> Vec<&Entry> {
        vec![&self.air, &self.water, &self.scenic, &self.city, &self.stats, &self.roads]
    }
}

fn staff(id: &str, department: &str, perms: &[&str]) -> Principal {
    Principal {
        account_id: id.into(),
        username: id.into(),
        display_name: id.into(),
        kind: PrincipalKind::Staff,
        permissions: perms.iter().map(|p| p.to_string()).collect(),
        scope: RegionScope::province(),
        department_id: Some(department.into()),
        uscc: None,
        token_scopes: None,
    }
}

fn officer(department: &str) -> Principal {
    staff(&format!("{department}-officer"), department, &[perm::ENTRIES_WRITE, perm::SHARING_DECIDE])
}

fn citizen(id: &str) -> Principal {
    Principal { kind: PrincipalKind::Citizen, department_id: None, ..staff(id, "-", &[]) }
}

fn item(seq: u32, name: &str, column: &str, t: DataType) -> Item {
    Item {
        seq,
        name: name.into(),
        column_name: column.into(),
        data_type: t,
        length: None,
        is_key: false,
        personal: false,
    }
}

fn input(name: &str, category: &str, open: OpenType, keywords: &[&str], items: Vec<Item>) -> EntryInput {
    EntryInput {
        org_id: None,
        category_code: category.into(),
        name: name.into(),
        summary: format!("{name}：由提供部门按期发布。"),
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        format_kind: FormatKind::Spreadsheet,
        format_detail: "CSV".into(),
        share_type: ShareType::Unconditional,
        share_condition: String::new(),
        share_basis: String::new(),
        share_modes: vec![ShareMode::Interface],
        open_type: open,
        open_condition: if open == OpenType::Conditional { "签署数据使用协议".into() } else { String::new() },
        update_cycle: UpdateCycle::Daily,
        region_code: "630000".into(),
        related_codes: Vec::new(),
        items,
    }
}

/// Creates, optionally loads a CSV, submits and publishes an entry.
async fn publish(app: &TestApp, dept: &str, input: EntryInput, csv: Option<&str>) -> Entry {
    let c = &app.catalog;
    let by = officer(dept);
    let e = c.create_entry(&by, input).await.unwrap();
    if let Some(csv) = csv {
        let report = c.upload(&by, &e.id, "text/csv", csv.as_bytes()).await.unwrap();
        assert!(report.loaded, "{:?}", report.errors);
    }
    c.submit_entry(&by, &e.id).await.unwrap();
    let reviewer = staff("dsj-reviewer", "dept-dsj", &[perm::ENTRIES_REVIEW]);
    c.review_entry(&reviewer, &e.id, true, "").await.unwrap()
}

pub async fn seed(app: &TestApp) -> Seeded {
    let c = &app.catalog;
    let org = |slug: &str, name: &str, body: &str, dept: &str| Org {
        id: format!("org-{slug}"),
        slug: slug.into(),
        name: name.into(),
        uscc: qy_cnid::Uscc::build("11", "630000", body).unwrap().as_str().to_owned(),
        region_code: "630000".into(),
        department_id: Some(dept.into()),
        description: format!("{name}（数据提供部门）"),
        created_at: 0,
    };
    let orgs = vec![
        org("qh-sthjt", "青海省生态环境厅", "MB0EC001", "dept-ecology"),
        org("qh-whlyt", "青海省文化和旅游厅", "MB0TUR02", "dept-tourism"),
        org("qh-jtyst", "青海省交通运输厅", "MB0TRA03", "dept-transport"),
        org("qh-zwfw", "青海省政务服务监督管理局", "MB0GWB04", "dept-gov"),
    ];
    for o in &orgs {
        qy_catalog::store::orgs::insert(&c.db, o).await.unwrap();
    }
    let air_items = vec![
        item(1, "监测时间", "time", DataType::T),
        item(2, "监测站点", "station", DataType::C),
        item(3, "行政区划代码", "region", DataType::C),
        item(4, "空气质量指数", "aqi", DataType::I),
    ];
    let air_input =
        || input("环境空气质量小时数据", "201001", OpenType::Unconditional, &["空气质量", "青海"], air_items.clone());
    let air_csv = "time,station,region,aqi\n2026-11-20T09:00:00,西宁市第五水厂,630104,42\n2026-11-20T09:00:00,格尔木市气象局,632801,65\n2026-11-20T10:00:00,西宁市第五水厂,630104,47\n2026-11-20T10:00:00,格尔木市气象局,632801,71\n";
    let air = publish(app, "dept-ecology", air_input(), Some(air_csv)).await;
    // A revision in progress: the public keeps seeing version 1.
    let mut revised = air_input();
    revised.name = "环境空气质量小时数据（修订稿）".into();
    c.update_entry(&officer("dept-ecology"), &air.id, revised).await.unwrap();

    let water_items = vec![item(1, "断面名称", "section", DataType::C), item(2, "水质类别", "class", DataType::C)];
    let water = publish(
        app,
        "dept-ecology",
        EntryInput {
            update_cycle: UpdateCycle::Monthly,
            ..input("地表水水质月报", "201002", OpenType::Unconditional, &["水质", "青海"], water_items)
        },
        None,
    )
    .await;

    let scenic_items = vec![
        item(1, "景区名称", "name", DataType::C),
        item(2, "等级", "grade", DataType::C),
        item(3, "所在区划", "region", DataType::C),
        item(4, "年接待游客（万人次）", "visitors", DataType::N),
    ];
    let scenic_csv = "name,grade,region,visitors\n青海湖景区,5A,632500,512.3\n塔尔寺,5A,630106,300\n茶卡盐湖,4A,632821,280.5\n可可西里,4A,632723,3.2\n";
    let scenic = publish(
        app,
        "dept-tourism",
        input("青海省A级旅游景区名录", "203001", OpenType::Conditional, &["旅游", "景区"], scenic_items),
        Some(scenic_csv),
    )
    .await;

    let city = {
        let by = officer("dept-ecology");
        let e = c
            .create_entry(
                &by,
                input(
                    "市州逐时综合指数",
                    "201001",
                    OpenType::Unconditional,
                    &["青海"],
                    vec![item(1, "时间", "time", DataType::T)],
                ),
            )
            .await
            .unwrap();
        c.bind_feed(&by, &e.id, qy_eco::feeds::CITY_AQI).await.unwrap();
        c.submit_entry(&by, &e.id).await.unwrap();
        c.review_entry(&staff("dsj-reviewer", "dept-dsj", &[perm::ENTRIES_REVIEW]), &e.id, true, "").await.unwrap()
    };

    let stats_items = vec![
        item(1, "所在区划", "region", DataType::C),
        item(2, "接待游客（万人次）", "visitors", DataType::N),
        Item { personal: true, ..item(3, "联系人电话", "contact", DataType::C) },
    ];
    let stats = publish(
        app,
        "dept-tourism",
        input("旅游接待统计", "203002", OpenType::Unconditional, &["旅游"], stats_items),
        Some("region,visitors,contact\n630100,1200.5,13800000000\n632500,800,13900000000\n"),
    )
    .await;

    let roads = {
        let by = officer("dept-transport");
        let e = c
            .create_entry(
                &by,
                input(
                    "公路路况信息",
                    "204001",
                    OpenType::Unconditional,
                    &["交通"],
                    vec![item(1, "路段", "road", DataType::C)],
                ),
            )
            .await
            .unwrap();
        c.bind_endpoint(&by, &e.id, "https://jtyst.qinghai.gov.cn/api/roads").await.unwrap();
        c.submit_entry(&by, &e.id).await.unwrap();
        c.review_entry(&staff("dsj-reviewer", "dept-dsj", &[perm::ENTRIES_REVIEW]), &e.id, true, "").await.unwrap()
    };

    let closed = publish(
        app,
        "dept-ecology",
        input("重点排污单位名录", "201002", OpenType::None, &["排污"], vec![item(1, "单位名称", "unit", DataType::C)]),
        None,
    )
    .await;
    let draft = c
        .create_entry(
            &officer("dept-ecology"),
            input(
                "生态保护红线草稿",
                "201003",
                OpenType::Unconditional,
                &["生态"],
                vec![item(1, "名称", "name", DataType::C)],
            ),
        )
        .await
        .unwrap();

    // A developer whose application for the conditional dataset was approved, and one whose
    // application is still pending.
    let approved = citizen("dev-approved");
    let a = c.apply_open(&approved, &scenic.id, "青海文旅应用开发有限公司", "景区导览应用").await.unwrap();
    c.decide_open(&officer("dept-tourism"), &a.id, true, "").await.unwrap();
    let (_, approved_key) = c.create_api_key(&approved, "tests").await.unwrap();
    let pending = citizen("dev-pending");
    c.apply_open(&pending, &scenic.id, "另一家公司", "尚未审批").await.unwrap();
    let (_, pending_key) = c.create_api_key(&pending, "tests").await.unwrap();

    Seeded { air, water, scenic, city, stats, roads, closed, draft, approved_key, pending_key, orgs }
}

/// The resource id of an entry's CSV download.
pub fn csv_id(e: &Entry) -> String {
    format!("{}-csv", e.id)
}

async fn post(app: &TestApp, action: &str, body: &Value) -> Reply {
    app.send_json("POST", &format!("/api/action/{action}"), None, body).await
}

async fn post_with(app: &TestApp, action: &str, headers: &[(&str, &str)], body: &Value) -> Reply {
    let mut req = Request::post(format!("/api/3/action/{action}")).header(header::CONTENT_TYPE, "application/json");
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    app.send(req.body(Body::from(body.to_string())).unwrap()).await
}

fn error_type(r: &Reply) -> String {
    r.json()["error"]["__type"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn envelope_errors_and_what_the_public_sees() {
    let app = spawn_app().await;
    let s = seed(&app).await;

    // The envelope, on both paths, POST and GET.
    let r = post(&app, "package_search", &json!({"q": "空气质量", "rows": 5})).await;
    assert_eq!((r.status, r.content_type()), (StatusCode::OK, "application/json;charset=utf-8"), "{}", r.body);
    let v = r.json();
    assert_eq!(v["success"], true);
    assert_eq!(v["help"], "http://localhost/api/3/action/help_show?name=package_search");
    assert_eq!(v["result"]["count"], 1);
    assert_eq!(v["result"]["results"][0]["name"], s.air.slug);
    // The published version, not the revision being drafted.
    assert_eq!(v["result"]["results"][0]["title"], "环境空气质量小时数据");
    let g = app.get("/api/3/action/package_search?q=%E7%A9%BA%E6%B0%94%E8%B4%A8%E9%87%8F", None).await;
    assert_eq!(g.status, StatusCode::OK);
    assert_eq!(g.json()["result"]["count"], 1);

    // Only open entries exist: published (or being revised), 无条件 or 有条件开放.
    let mut open: Vec<String> = s.open().iter().map(|e| e.slug.clone()).collect();
    open.sort();
    let all = post(&app, "package_search", &json!({"rows": 100})).await.json();
    assert_eq!(all["result"]["count"], 6);
    let list = post(&app, "package_list", &json!({})).await.json();
    assert_eq!(list["result"], json!(open));
    for hidden in [&s.closed, &s.draft] {
        for id in [&hidden.slug, &hidden.id, &hidden.code] {
            let r = post(&app, "package_show", &json!({"id": id})).await;
            assert_eq!((r.status, error_type(&r)), (StatusCode::NOT_FOUND, "Not Found Error".into()), "{id}");
            assert_eq!(r.json()["success"], false);
        }
        assert!(!all.to_string().contains(&hidden.id));
    }
    let tags = post(&app, "tag_list", &json!({})).await.json();
    assert!(!tags["result"].as_array().unwrap().contains(&json!("排污")), "{tags}");

    // The dataset dict.
    let d =
        post(&app, "package_show", &json!({"id": s.air.slug, "include_users": true})).await.json()["result"].clone();
    assert_eq!(d["id"], s.air.id);
    assert_eq!(d["name"], s.air.slug);
    assert_eq!(d["owner_org"], "org-qh-sthjt");
    assert_eq!(d["organization"]["name"], "qh-sthjt");
    assert_eq!(
        (d["private"].clone(), d["state"].clone(), d["type"].clone()),
        (json!(false), json!("active"), json!("dataset"))
    );
    assert_eq!((d["license_id"].clone(), d["isopen"].clone()), (json!("cc-by-4.0"), json!(true)));
    assert_eq!(d["url"], format!("http://localhost/open/datasets/{}", s.air.slug));
    assert_eq!(d["version"], "1");
    let modified = d["metadata_modified"].as_str().unwrap();
    assert!(modified.len() == 26 && modified.as_bytes()[10] == b'T' && !modified.ends_with('Z'), "{modified}");
    assert_eq!(d["num_resources"], 3);
    assert_eq!(d["resources"][0]["id"], csv_id(&s.air));
    assert_eq!(d["resources"][0]["url"], format!("http://localhost/open/datasets/{}/download.csv", s.air.slug));
    assert_eq!(d["resources"][0]["datastore_active"], true);
    assert_eq!(
        d["tags"][0],
        json!({"id": "空气质量", "name": "空气质量", "display_name": "空气质量", "state": "active", "vocabulary_id": null})
    );
    assert_eq!(d["groups"][0]["name"], "201");
    let extras = d["extras"].as_array().unwrap();
    for (k, v) in [
        ("resource_code", s.air.code.as_str()),
        ("update_cycle", "daily"),
        ("open_type", "unconditional"),
        ("region_code", "630000"),
    ] {
        assert!(extras.contains(&json!({"key": k, "value": v})), "{k}: {extras:?}");
    }
    let by_id = post(&app, "package_show", &json!({"id": s.air.id})).await.json();
    assert_eq!(by_id["result"]["name"], s.air.slug);
    let conditional = post(&app, "package_show", &json!({"id": s.scenic.slug})).await.json()["result"].clone();
    assert_eq!(
        (conditional["license_id"].clone(), conditional["isopen"].clone()),
        (json!("other-closed"), json!(false))
    );
    let water = post(&app, "package_show", &json!({"id": s.water.slug})).await.json()["result"].clone();
    assert_eq!(water["resources"], json!([]));
    let roads = post(&app, "package_show", &json!({"id": s.roads.slug})).await.json()["result"].clone();
    assert_eq!(roads["resources"][0]["format"], "API");
    assert_eq!(roads["resources"][0]["datastore_active"], false);

    // Requests CKAN cannot read: 400 and a bare JSON string.
    for body in ["{not json", "[1, 2]", "\"text\""] {
        let r = app.send_raw("POST", "/api/action/package_search", None, "application/json", body.into()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(r.json().as_str().unwrap().starts_with("Bad request - JSON Error"), "{}", r.body);
    }
    let r = post(&app, "package_create", &json!({"name": "x"})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json().as_str().unwrap().starts_with("Bad request - Action name not known: package_create"),
        "{}",
        r.body
    );

    // 409 Validation Error for what we cannot evaluate, keyed by the parameter.
    for (body, field) in [
        (json!({"fq": "license_id:cc-by-4.0"}), "fq"),
        (json!({"fq": "-organization:qh-sthjt"}), "fq"),
        (json!({"fq": "tags:a OR tags:b"}), "fq"),
        (json!({"sort": "views_recent desc"}), "sort"),
        (json!({"facet.field": "[\"res_url\"]"}), "facet.field"),
        (json!({"rows": -1}), "rows"),
        (json!({"start": "x"}), "start"),
        (json!({"fl": "id"}), "fl"),
    ] {
        let r = post(&app, "package_search", &body).await;
        assert_eq!((r.status, error_type(&r)), (StatusCode::CONFLICT, "Validation Error".into()), "{body}: {}", r.body);
        assert!(r.json()["error"][field].is_array(), "{}", r.body);
    }
    let r = post(&app, "package_show", &json!({})).await;
    assert_eq!((r.status, r.json()["error"]["id"].clone()), (StatusCode::CONFLICT, json!(["Missing value"])));

    // fq, sort, paging and facets.
    let fq = |fq: &str| json!({"fq": fq, "rows": 100});
    let count = |r: &Reply| r.json()["result"]["count"].as_u64().unwrap();
    assert_eq!(count(&post(&app, "package_search", &fq("organization:qh-sthjt")).await), 3);
    assert_eq!(count(&post(&app, "package_search", &fq("groups:203")).await), 2);
    assert_eq!(count(&post(&app, "package_search", &fq("res_format:csv")).await), 4);
    assert_eq!(count(&post(&app, "package_search", &fq("res_format:API")).await), 1);
    assert_eq!(count(&post(&app, "package_search", &fq("tags:旅游 +organization:qh-whlyt")).await), 2);
    assert_eq!(count(&post(&app, "package_search", &fq("organization:no-such-org")).await), 0);
    assert_eq!(count(&post(&app, "package_search", &fq("metadata_modified:[2000-01-01T00:00:00Z TO *]")).await), 6);
    assert_eq!(count(&post(&app, "package_search", &fq("metadata_modified:[2999-01-01 TO *]")).await), 0);
    let page = post(&app, "package_search", &json!({"sort": "name asc", "rows": 4, "start": 4})).await.json();
    let names: Vec<&str> =
        page["result"]["results"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(names, open[4..].iter().map(String::as_str).collect::<Vec<_>>());
    let past = post(&app, "package_search", &json!({"rows": 4, "start": 6})).await.json();
    assert_eq!((past["result"]["count"].clone(), past["result"]["results"].clone()), (json!(6), json!([])));
    let f = post(&app, "package_search", &json!({"rows": 0, "facet.field": ["organization", "groups", "license_id"]}))
        .await
        .json();
    assert_eq!(f["result"]["facets"]["groups"], json!({"201": 3, "203": 2, "204": 1}));
    assert_eq!(f["result"]["facets"]["license_id"], json!({"cc-by-4.0": 5, "other-closed": 1}));
    assert_eq!(
        f["result"]["search_facets"]["organization"]["items"][0],
        json!({"name": "qh-sthjt", "display_name": "青海省生态环境厅", "count": 3})
    );
    assert_eq!(f["result"]["search_facets"]["organization"]["title"], "organization");
    let none = post(&app, "package_search", &json!({"rows": 0})).await.json();
    assert_eq!((none["result"]["facets"].clone(), none["result"]["search_facets"].clone()), (json!({}), json!({})));

    // Organizations and groups.
    let orgs = post(&app, "organization_list", &json!({"all_fields": true})).await.json();
    let counts: Vec<(String, u64)> = orgs["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["name"].as_str().unwrap().to_owned(), o["package_count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts.len(), 4);
    assert!(counts.contains(&("qh-zwfw".into(), 0)) && counts.contains(&("qh-sthjt".into(), 3)), "{counts:?}");
    let org = post(&app, "organization_show", &json!({"id": "qh-whlyt", "include_datasets": true})).await.json();
    assert_eq!(org["result"]["package_count"], 2);
    assert_eq!(org["result"]["packages"].as_array().unwrap().len(), 2);
    assert!(org["result"]["extras"].as_array().unwrap().iter().any(|x| x["key"] == "uscc"));
    let r = post(&app, "organization_show", &json!({"id": "nobody"})).await;
    assert_eq!((r.status, error_type(&r)), (StatusCode::NOT_FOUND, "Not Found Error".into()));
    let groups = post(&app, "group_list", &json!({"sort": "name asc"})).await.json();
    assert!(groups["result"].as_array().unwrap().iter().all(|g| g.as_str().unwrap().len() == 3), "{groups}");
    let group = post(&app, "group_show", &json!({"id": "203"})).await.json();
    assert_eq!(
        (group["result"]["title"].clone(), group["result"]["package_count"].clone()),
        (json!("文化旅游"), json!(2))
    );
    let r = post(&app, "organization_list", &json!({"sort": "created desc"})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Every action reads, so each answers GET; form-encoded POST works too.
    for path in [
        "package_list".to_owned(),
        "current_package_list_with_resources?limit=2".to_owned(),
        format!("package_show?id={}", s.air.slug),
        format!("resource_show?id={}", csv_id(&s.air)),
        "organization_list".to_owned(),
        "organization_show?id=qh-sthjt".to_owned(),
        "group_list".to_owned(),
        "group_show?id=201".to_owned(),
        "tag_list".to_owned(),
        "license_list".to_owned(),
        format!("datastore_search?resource_id={}&limit=1", csv_id(&s.air)),
        "status_show".to_owned(),
        "help_show?name=datastore_search".to_owned(),
        "package_search?facet.field=%5B%22tags%22%5D".to_owned(),
    ] {
        let r = app.get(&format!("/api/3/action/{path}"), None).await;
        assert_eq!((r.status, r.json()["success"].clone()), (StatusCode::OK, json!(true)), "GET {path}: {}", r.body);
    }
    let current = app.get("/api/3/action/current_package_list_with_resources?limit=2", None).await.json();
    assert_eq!(current["result"].as_array().unwrap().len(), 2);
    let r = app
        .send_raw(
            "POST",
            "/api/3/action/package_show",
            None,
            "application/x-www-form-urlencoded",
            format!("id={}", s.stats.slug),
        )
        .await;
    assert_eq!(r.json()["result"]["id"], s.stats.id);
    let status = app.get("/api/3/action/status_show", None).await.json()["result"].clone();
    assert_eq!(
        (status["ckan_version"].clone(), status["locale_default"].clone(), status["extensions"].clone()),
        (json!("2.10.4"), json!("zh_CN"), json!(["datastore", "dcat"]))
    );
    assert_eq!(status["site_url"], "http://localhost");
    let r = app.get("/api/3/action/help_show?name=nope", None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let r = app.get("/api/3/action/resource_show?id=nothing-csv", None).await;
    assert_eq!((r.status, error_type(&r)), (StatusCode::NOT_FOUND, "Not Found Error".into()));
    assert_eq!(app.get("/api/3", None).await.json(), json!({"version": 3}));
}

#[tokio::test]
async fn datastore_search_filters_pages_and_asks_for_an_approved_key() {
    let app = spawn_app().await;
    let s = seed(&app).await;
    let air = csv_id(&s.air);

    let r = post(
        &app,
        "datastore_search",
        &json!({"resource_id": air, "filters": {"station": "西宁市第五水厂"}, "limit": 1}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = r.json()["result"].clone();
    assert_eq!(v["resource_id"], air);
    assert_eq!(v["total"], 2);
    assert_eq!(
        v["records"],
        json!([{"time": "2026-11-20T09:00:00", "station": "西宁市第五水厂", "region": "630104", "aqi": 42}])
    );
    assert_eq!(
        v["fields"],
        json!([
            {"id": "time", "type": "timestamp", "info": {"label": "监测时间"}},
            {"id": "station", "type": "text", "info": {"label": "监测站点"}},
            {"id": "region", "type": "text", "info": {"label": "行政区划代码"}},
            {"id": "aqi", "type": "int", "info": {"label": "空气质量指数"}},
        ])
    );
    assert_eq!((v["limit"].clone(), v["offset"].clone()), (json!(1), json!(0)));
    let next = v["_links"]["next"].as_str().unwrap();
    assert!(
        next.starts_with("/api/action/datastore_search?resource_id=") && next.ends_with("&limit=1&offset=1"),
        "{next}"
    );
    // Following _links.next as a GET gives the next row.
    let second = app.get(next, None).await.json()["result"].clone();
    assert_eq!(second["records"][0]["aqi"], 47);
    // offset and fields; an offset past the end is an empty page.
    let page =
        post(&app, "datastore_search", &json!({"resource_id": air, "offset": 2, "fields": "station,aqi"})).await.json();
    assert_eq!(
        page["result"]["records"],
        json!([{"station": "西宁市第五水厂", "aqi": 47}, {"station": "格尔木市气象局", "aqi": 71}])
    );
    let past = post(&app, "datastore_search", &json!({"resource_id": air, "offset": 10})).await.json();
    assert_eq!((past["result"]["records"].clone(), past["result"]["total"].clone()), (json!([]), json!(4)));
    let zero = post(&app, "datastore_search", &json!({"resource_id": air, "limit": 0})).await.json();
    assert_eq!((zero["result"]["records"].clone(), zero["result"]["total"].clone()), (json!([]), json!(4)));
    let capped = post(&app, "datastore_search", &json!({"resource_id": air, "limit": 1_000_000})).await.json();
    assert_eq!(capped["result"]["limit"], 32000);
    // Integer filters typed as the column is.
    let aqi =
        post(&app, "datastore_search", &json!({"resource_id": format!("{}-json", s.air.id), "filters": {"aqi": 65}}))
            .await
            .json();
    assert_eq!(aqi["result"]["records"][0]["station"], "格尔木市气象局");

    // Personal items are not there, not even by name.
    let stats = post(&app, "datastore_search", &json!({"resource_id": csv_id(&s.stats)})).await.json();
    assert_eq!(stats["result"]["records"][0], json!({"region": "630100", "visitors": "1200.5"}));
    let r = post(&app, "datastore_search", &json!({"resource_id": csv_id(&s.stats), "fields": ["contact"]})).await;
    assert_eq!((r.status, r.json()["error"]["fields"].is_array()), (StatusCode::CONFLICT, true), "{}", r.body);

    // A live feed reads like a table (the eco module has no hours yet).
    let feed = post(&app, "datastore_search", &json!({"resource_id": csv_id(&s.city)})).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.body);
    assert_eq!(
        (feed.json()["result"]["records"].clone(), feed.json()["result"]["total"].clone()),
        (json!([]), json!(0))
    );

    // What we refuse, and what is not in the DataStore.
    for (body, field) in [
        (json!({"resource_id": air, "q": "西宁"}), "q"),
        (json!({"resource_id": air, "sort": "aqi desc"}), "sort"),
        (json!({"resource_id": air, "filters": {"nope": 1}}), "filters"),
        (json!({"resource_id": air, "filters": {"aqi": [1, 2]}}), "filters"),
        (json!({"resource_id": air, "filters": {"time": "yesterday"}}), "filters"),
        (json!({"resource_id": air, "records_format": "csv"}), "records_format"),
        (json!({}), "resource_id"),
    ] {
        let r = post(&app, "datastore_search", &body).await;
        assert_eq!((r.status, error_type(&r)), (StatusCode::CONFLICT, "Validation Error".into()), "{body}: {}", r.body);
        assert!(r.json()["error"][field].is_array(), "{}", r.body);
    }
    for id in [format!("{}-api", s.roads.id), format!("{}-csv", s.closed.id), "x-csv".into(), s.air.id.clone()] {
        let r = post(&app, "datastore_search", &json!({"resource_id": id})).await;
        assert_eq!((r.status, error_type(&r)), (StatusCode::NOT_FOUND, "Not Found Error".into()), "{id}");
    }

    // 有条件开放: the metadata is public; the rows need the key of an approved application.
    let scenic = json!({"resource_id": csv_id(&s.scenic)});
    for headers in [vec![], vec![("authorization", s.pending_key.as_str())], vec![("authorization", "qy_od_forged")]] {
        let r = post_with(&app, "datastore_search", &headers, &scenic).await;
        assert_eq!((r.status, error_type(&r)), (StatusCode::FORBIDDEN, "Authorization Error".into()), "{headers:?}");
    }
    for name in ["authorization", "x-ckan-api-key"] {
        let r = post_with(&app, "datastore_search", &[(name, s.approved_key.as_str())], &scenic).await;
        assert_eq!(r.status, StatusCode::OK, "{name}: {}", r.body);
        assert_eq!(r.json()["result"]["total"], 4);
        assert_eq!(r.json()["result"]["records"][0]["visitors"], "512.3");
    }
}

/// The reference CKAN client against a live server. Skipped unless `QY_TEST_PYTHON` points at a
/// Python with `ckanapi` installed (see .ci/run).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ckanapi_library_and_command_line() {
    let Some(python) = std::env::var_os("QY_TEST_PYTHON").filter(|p| !p.is_empty()) else {
        println!("skipped: QY_TEST_PYTHON not set (a Python with ckanapi installed)");
        return;
    };
    let app = spawn_app().await;
    let s = seed(&app).await;
    let mut orgs = s.orgs.clone();
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    let counts = json!({"qh-sthjt": 3, "qh-whlyt": 2, "qh-jtyst": 1, "qh-zwfw": 0});
    let fixture = json!({
        "air": {"id": s.air.id, "name": s.air.slug, "title": "环境空气质量小时数据", "code": s.air.code, "resource_id": csv_id(&s.air)},
        "scenic": {"name": s.scenic.slug, "resource_id": csv_id(&s.scenic)},
        "stats": {"name": s.stats.slug, "resource_id": csv_id(&s.stats)},
        "open_count": 6,
        "open_names": s.open().iter().map(|e| e.slug.clone()).collect::<Vec<_>>(),
        "hidden_names": [s.closed.slug, s.draft.slug],
        "org_names_by_title": orgs.iter().map(|o| o.slug.clone()).collect::<Vec<_>>(),
        "org_counts": counts,
        "approved_key": s.approved_key,
        "pending_key": s.pending_key,
    });
    let out =
        run_python(&app, python, "tests/python/ckan_client.py", &[], &[("QY_CKAN_FIXTURE", fixture.to_string())]).await;
    assert!(out.contains("all checks passed"), "{out}");
}

/// Serves the app on 127.0.0.1 and runs `script` (a path from this crate's directory) with
/// `QY_CKAN_URL` set to the site root (`{url}` in `args` is replaced by it). Returns stdout;
/// fails on a non-zero exit.
pub async fn run_python(
    app: &TestApp,
    python: std::ffi::OsString,
    script: &str,
    args: &[&str],
    env: &[(&str, String)],
) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = app.router.clone();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let path = format!("{}/{script}", env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = args.iter().map(|a| a.replace("{url}", &url)).collect();
    let env: Vec<(String, String)> = env.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(python).arg(path).args(args).env("QY_CKAN_URL", url).envs(env).output()
    })
    .await
    .unwrap()
    .expect("run the Python client");
    server.abort();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    stdout
}
