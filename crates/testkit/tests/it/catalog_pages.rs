//! The catalog's pages: the open-data portal (search with facets, the dataset page with its
//! preview and chart, downloads, applications for 有条件开放 data) and the staff desk (the
//! entry form, uploads with their load report, reviews and decisions).

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use qy_catalog::domain::{DataType, Entry, FormatKind, Item, OpenType, Org, ShareMode, ShareType, UpdateCycle};
use qy_catalog::service::entries::EntryInput;
use qy_kernel::{Principal, PrincipalKind, RegionScope};
use qy_testkit::{spawn_app, Reply, TestApp};

fn operator() -> Principal {
    Principal {
        account_id: "seed-operator".into(),
        username: "seed-operator".into(),
        display_name: "seed".into(),
        kind: PrincipalKind::Operator,
        permissions: Default::default(),
        scope: RegionScope::province(),
        department_id: None,
        uscc: None,
        token_scopes: None,
    }
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

fn input(org: &Org, name: &str, category: &str, open: OpenType, items: Vec<Item>) -> EntryInput {
    EntryInput {
        org_id: Some(org.id.clone()),
        category_code: category.into(),
        name: name.into(),
        summary: format!("{name}，由{}提供。", org.name),
        keywords: vec!["青海".into()],
        format_kind: FormatKind::Spreadsheet,
        format_detail: "CSV".into(),
        share_type: ShareType::Unconditional,
        share_condition: String::new(),
        share_basis: String::new(),
        share_modes: vec![ShareMode::Interface],
        open_type: open,
        open_condition: if open == OpenType::Conditional { "签署数据使用协议".into() } else { String::new() },
        update_cycle: UpdateCycle::Monthly,
        region_code: "630000".into(),
        related_codes: Vec::new(),
        items,
    }
}

fn org(slug: &str, name: &str, body: &str, dept: &str) -> Org {
    Org {
        id: format!("org-{slug}"),
        slug: slug.into(),
        name: name.into(),
        uscc: qy_cnid::Uscc::build("11", "630000", body).unwrap().as_str().to_owned(),
        region_code: "630000".into(),
        department_id: Some(dept.into()),
        description: String::new(),
        created_at: 0,
    }
}

/// Creates, loads and publishes an entry.
async fn published(app: &TestApp, input: EntryInput, csv: &str) -> Entry {
    let op = operator();
    let e = app.catalog.create_entry(&op, input).await.unwrap();
    let report = app.catalog.upload(&op, &e.id, "text/csv", csv.as_bytes()).await.unwrap();
    assert!(report.loaded, "{:?}", report.errors);
    app.catalog.submit_entry(&op, &e.id).await.unwrap();
    app.catalog.review_entry(&op, &e.id, true, "").await.unwrap()
}

const SCENIC_CSV: &str = "name,grade,region,visitors,rated_on,phone\n\
    青海湖景区,5A,632500,512.3,2011-09-01,13909710001\n\
    塔尔寺,5A,630106,300,2012-01-10,13909710002\n\
    茶卡盐湖,4A,632821,280.5,2015/5/20,13909710003\n\
    可可西里,4A,632723,3.2,2020-10-01,13909710004\n";

fn scenic_items() -> Vec<Item> {
    vec![
        Item { is_key: true, ..item(1, "景区名称", "name", DataType::C) },
        item(2, "等级", "grade", DataType::C),
        item(3, "所在区划", "region", DataType::C),
        item(4, "年接待游客（万人次）", "visitors", DataType::N),
        item(5, "评定日期", "rated_on", DataType::D),
        Item { personal: true, ..item(6, "联系电话", "phone", DataType::C) },
    ]
}

struct Seeded {
    app: TestApp,
    tourism: Org,
    scenic: Entry,
    air: Entry,
    hotels: Entry,
}

async fn seeded() -> Seeded {
    println!("backend: {}", crate::backend());
    let app = spawn_app().await;
    let tourism = org("qh-whlyt", "青海省文化和旅游厅", "MB0TUR02", "dept-tourism");
    let ecology = org("qh-sthjt", "青海省生态环境厅", "MB0EC001", "dept-ecology");
    qy_catalog::store::orgs::insert(&app.catalog.db, &tourism).await.unwrap();
    qy_catalog::store::orgs::insert(&app.catalog.db, &ecology).await.unwrap();
    let scenic = published(
        &app,
        input(&tourism, "青海省A级旅游景区名录", "203001", OpenType::Unconditional, scenic_items()),
        SCENIC_CSV,
    )
    .await;
    let air_items = vec![
        item(1, "监测时间", "time", DataType::T),
        item(2, "监测站点", "station", DataType::C),
        item(3, "行政区划代码", "region", DataType::C),
        item(4, "空气质量指数", "aqi", DataType::I),
    ];
    let mut air_input = input(&ecology, "环境空气质量小时数据", "201001", OpenType::Unconditional, air_items);
    air_input.update_cycle = UpdateCycle::Realtime;
    let air_csv = "time,station,region,aqi\n2026-11-20 09:00,西宁市第五水厂,630104,42\n2026-11-20 09:00,格尔木市气象局,632801,65\n";
    let air = published(&app, air_input, air_csv).await;
    let hotel_items =
        vec![Item { is_key: true, ..item(1, "饭店名称", "name", DataType::C) }, item(2, "星级", "stars", DataType::I)];
    let hotels = published(
        &app,
        input(&tourism, "青海省星级饭店名录", "203002", OpenType::Conditional, hotel_items),
        "name,stars\n青海宾馆,4\n西宁饭店,3\n",
    )
    .await;
    Seeded { app, tourism, scenic, air, hotels }
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The HTML with minijinja's escaped slashes decoded.
fn html(r: &Reply) -> String {
    r.body.replace("&#x2f;", "/")
}

fn csrf_of(r: &Reply) -> String {
    r.body.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

fn location(r: &Reply) -> String {
    r.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

#[tokio::test]
async fn the_portal_finds_air_quality_in_chinese_and_shows_facets_by_name() {
    let s = seeded().await;
    let r = s.app.get(&format!("/open?q={}", enc("空气质量")), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = html(&r);
    assert!(body.contains("环境空气质量小时数据"), "{body}");
    assert!(body.contains(&format!("/open/datasets/{}", s.air.slug)));
    assert!(!body.contains("青海省A级旅游景区名录"));
    // Facets name the department and the category, and translate the update cycle.
    assert!(body.contains("青海省生态环境厅") && body.contains("生态环境") && body.contains("实时"), "{body}");

    let all = html(&s.app.get("/open", None).await);
    for name in ["青海省A级旅游景区名录", "环境空气质量小时数据", "青海省星级饭店名录", "有条件开放"]
    {
        assert!(all.contains(name), "{name}");
    }
    // A facet link narrows the results to the department.
    let by_org = html(&s.app.get(&format!("/open?org={}", s.tourism.id), None).await);
    assert!(by_org.contains("青海省A级旅游景区名录") && !by_org.contains("环境空气质量小时数据"));
    let none = s.app.get(&format!("/open?q={}", enc("不存在的数据集名称")), None).await;
    assert!(none.body.contains("没有找到"));
}

#[tokio::test]
async fn the_dataset_page_shows_metadata_items_a_preview_without_personal_data_and_a_chart() {
    let s = seeded().await;
    let r = s.app.get(&format!("/open/datasets/{}", s.scenic.slug), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let body = html(&r);
    assert!(body
        .contains(&format!("<link rel=\"alternate\" type=\"text/turtle\" href=\"/dataset/{}.ttl\">", s.scenic.slug)));
    assert!(body.contains(&s.scenic.code) && body.contains("青海省文化和旅游厅") && body.contains("旅游景区"));
    assert!(body.contains("字符型") && body.contains("数值型") && body.contains("联系电话"));
    // The preview: rows, never the personal item's values.
    assert!(body.contains("青海湖景区") && body.contains("可可西里"));
    assert!(!body.contains("13909710001"), "a personal item is shown");
    // The chart: visitors by scenic area.
    assert!(body.contains("<svg class=\"catalog-chart\""));
    assert_eq!(body.matches("<rect ").count(), 4, "{body}");
    assert!(body.contains(&format!("/api/3/action/package_show?id={}", s.scenic.slug)));
    assert!(body.contains(&format!("/open/datasets/{}/download.csv", s.scenic.slug)));
    assert_eq!(s.app.get("/open/datasets/qh-999999-000001", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn downloads_are_csv_with_a_bom_json_objects_and_xlsx() {
    let s = seeded().await;
    let base = format!("/open/datasets/{}/download", s.scenic.slug);
    let csv = s.app.get(&format!("{base}.csv"), None).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.content_type().starts_with("text/csv"));
    assert!(csv.headers.get(header::CONTENT_DISPOSITION).unwrap().to_str().unwrap().contains("attachment"));
    assert!(csv.body.starts_with('\u{feff}'), "no byte-order mark");
    let lines: Vec<&str> = csv.body.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines[0], "景区名称,等级,所在区划,年接待游客（万人次）,评定日期");
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert_eq!(lines[1], "青海湖景区,5A,632500,512.3,2011-09-01");
    assert_eq!(lines[3], "茶卡盐湖,4A,632821,280.5,2015-05-20");
    assert!(!csv.body.contains("1390971"), "a personal item is downloaded");
    // Compressed, the stream still ends cleanly (a body that failed half-way reads as empty).
    let gz = Request::get(format!("{base}.csv")).header(header::ACCEPT_ENCODING, "gzip").body(Body::empty()).unwrap();
    let gz = s.app.send(gz).await;
    assert_eq!(gz.headers.get(header::CONTENT_ENCODING).and_then(|v| v.to_str().ok()), Some("gzip"));
    assert!(gz.len > 20, "the compressed download broke off");

    let json = s.app.get(&format!("{base}.json"), None).await;
    assert_eq!(json.status, StatusCode::OK);
    let rows = json.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1]["name"], "塔尔寺");
    assert_eq!(rows[1]["visitors"], "300");
    assert!(rows[0].get("phone").is_none());

    let xlsx = s.app.get(&format!("{base}.xlsx"), None).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.content_type().contains("spreadsheetml"));
    assert!(xlsx.body.starts_with("PK\u{3}\u{4}"), "not a ZIP");

    // A feed-less, table-backed entry with a date-time column streams the same way.
    let air = s.app.get(&format!("/open/datasets/{}/download.csv", s.air.slug), None).await;
    assert!(air.body.contains("2026-11-20T09:00:00,西宁市第五水厂,630104,42"), "{}", air.body);
}

#[tokio::test]
async fn conditional_data_needs_an_approved_application() {
    let s = seeded().await;
    let page = format!("/open/datasets/{}", s.hotels.slug);
    let download = format!("{page}/download.csv");
    let anonymous = s.app.get(&download, None).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN);
    assert!(anonymous.body.contains("有条件开放"), "{}", anonymous.body);
    let anon_page = html(&s.app.get(&page, None).await);
    assert!(anon_page.contains("登录后申请") && !anon_page.contains("青海宾馆"));
    assert!(!anon_page.contains(&download));

    let session = s.app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let shown = s.app.get_with_cookie(&page, &session).await;
    let body = html(&shown);
    assert!(body.contains(&format!("action=\"{page}/applications\"")), "{body}");
    assert!(body.contains("name=\"applicant\"") && body.contains("name=\"purpose\""));
    assert_eq!(s.app.get_with_cookie(&download, &session).await.status, StatusCode::FORBIDDEN);

    let form = format!("csrf={}&applicant={}&purpose={}", csrf_of(&shown), enc("青海大学"), enc("旅游研究"));
    let applied = s.app.post_form(&format!("{page}/applications"), &session, form).await;
    assert_eq!(applied.status, StatusCode::SEE_OTHER, "{}", applied.body);
    assert_eq!(location(&applied), format!("{page}?done=applied"));
    let waiting = s.app.get_with_cookie(&page, &session).await;
    assert!(waiting.body.contains("待答复") && !waiting.body.contains("name=\"purpose\""));
    let mine = s.app.get_with_cookie("/open/developers", &session).await;
    assert!(mine.body.contains("青海省星级饭店名录") && mine.body.contains("青海大学"));

    // The provider decides on the desk.
    let pending = qy_catalog::store::cases::pending_applications(&s.app.catalog.db, None).await.unwrap();
    assert_eq!(pending.len(), 1);
    let desk = s.app.get_with_cookie("/admin/catalog", &session).await;
    assert!(desk.body.contains("旅游研究"));
    let decided = s
        .app
        .post_form(
            &format!("/admin/catalog/applications/{}", pending[0].id),
            &session,
            format!("csrf={}&action=approve&reason=", csrf_of(&desk)),
        )
        .await;
    assert_eq!(decided.status, StatusCode::SEE_OTHER, "{}", decided.body);
    let csv = s.app.get_with_cookie(&download, &session).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("青海宾馆,4"));
    assert_eq!(s.app.get(&download, None).await.status, StatusCode::FORBIDDEN);
}

fn entry_form(token: &str, org: &str, name: &str, summary: &str, region: &str) -> String {
    let pairs = [
        ("csrf", token),
        ("category_code", "203001"),
        ("org_id", org),
        ("name", name),
        ("abstract", summary),
        ("keywords", "景区，旅游"),
        ("format_kind", "spreadsheet"),
        ("format_detail", "CSV"),
        ("share_type", "unconditional"),
        ("share_condition", ""),
        ("share_basis", ""),
        ("share_modes", "interface"),
        ("share_modes", "file"),
        ("open_type", "unconditional"),
        ("open_condition", ""),
        ("update_cycle", "yearly"),
        ("region_code", region),
        ("related_codes", ""),
        ("item-0-seq", "1"),
        ("item-0-name", "景区名称"),
        ("item-0-column", "scenic_name"),
        ("item-0-type", "C"),
        ("item-0-length", "100"),
        ("item-0-key", "1"),
        ("item-1-seq", "2"),
        ("item-1-name", "年接待游客"),
        ("item-1-column", "visitors"),
        ("item-1-type", "N"),
        ("item-1-length", ""),
        ("item-2-seq", "3"),
        ("item-2-name", ""),
        ("item-2-column", ""),
        ("item-2-type", "C"),
    ];
    pairs.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect::<Vec<_>>().join("&")
}

#[tokio::test]
async fn the_entry_form_creates_an_entry_or_comes_back_with_the_problem_and_what_was_typed() {
    let s = seeded().await;
    let session = s.app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let new = s.app.get_with_cookie("/admin/catalog/entries/new", &session).await;
    assert_eq!(new.status, StatusCode::OK);
    for text in ["字符型", "日期时间型", "浮点型", "203001", "旅游景区", "青海省文化和旅游厅", "有条件共享", "接口方式"]
    {
        assert!(new.body.contains(text), "{text}");
    }
    let token = csrf_of(&new);

    // No abstract: 422, the message next to the field, everything typed kept.
    let refused = s
        .app
        .post_form(
            "/admin/catalog/entries",
            &session,
            entry_form(&token, &s.tourism.id, "海东市旅游景区名录", "", "630200"),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let body = html(&refused);
    assert!(body.contains("id=\"err-abstract\"") && body.contains("此项为必填项"), "{body}");
    assert!(body.contains("value=\"海东市旅游景区名录\"") && body.contains("value=\"scenic_name\""));
    assert!(body.contains("value=\"630200\""));
    // A region outside Qinghai.
    let elsewhere = s
        .app
        .post_form(
            "/admin/catalog/entries",
            &session,
            entry_form(&token, &s.tourism.id, "海东市旅游景区名录", "摘要", "110000"),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(elsewhere.body.contains("id=\"err-region_code\"") && elsewhere.body.contains("青海省行政区划代码"));

    let created = s
        .app
        .post_form(
            "/admin/catalog/entries",
            &session,
            entry_form(&token, &s.tourism.id, "海东市旅游景区名录", "海东市A级景区。", "630200"),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let to = location(&created);
    assert!(to.starts_with("/admin/catalog/entries/") && to.ends_with("?done=created"), "{to}");
    let id = to.trim_start_matches("/admin/catalog/entries/").trim_end_matches("?done=created");
    let e = s.app.catalog.entry(id).await.unwrap();
    assert_eq!(
        (e.name.as_str(), e.code.as_str(), e.org_id.as_str()),
        ("海东市旅游景区名录", "203001/000002", "org-qh-whlyt")
    );
    assert_eq!(e.keywords, vec!["景区", "旅游"]);
    assert_eq!(e.share_modes, vec![ShareMode::Interface, ShareMode::File]);
    assert_eq!(e.items.len(), 2);
    assert!(e.items[0].is_key && e.items[0].length == Some(100) && e.items[1].data_type == DataType::N);

    // Its page shows the form filled in; saving a change redirects back.
    let page = s.app.get_with_cookie(&to, &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("目录已创建") && page.body.contains("value=\"visitors\""));
    let saved = s
        .app
        .post_form(
            &format!("/admin/catalog/entries/{id}"),
            &session,
            entry_form(&csrf_of(&page), &s.tourism.id, "海东市A级旅游景区名录", "海东市A级景区。", "630200"),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(s.app.catalog.entry(id).await.unwrap().name, "海东市A级旅游景区名录");
}

fn multipart(token: &str, file_name: &str, content: &str) -> (String, String) {
    let boundary = "qyBoundary7MA4YWxkTrZu0gW";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{token}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
         Content-Type: text/csv\r\n\r\n{content}\r\n--{boundary}--\r\n"
    );
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(app: &TestApp, session: &str, id: &str, token: &str, csv: &str) -> Reply {
    let (content_type, body) = multipart(token, "景区.csv", csv);
    let req = Request::post(format!("/admin/catalog/entries/{id}/data"))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, session)
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn an_upload_with_a_bad_cell_shows_the_load_report_and_loads_nothing() {
    let s = seeded().await;
    let e = s
        .app
        .catalog
        .create_entry(
            &operator(),
            input(&s.tourism, "海南州旅游景区名录", "203001", OpenType::Unconditional, scenic_items()),
        )
        .await
        .unwrap();
    let session = s.app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let page = s.app.get_with_cookie(&format!("/admin/catalog/entries/{}", e.id), &session).await;
    assert!(page.body.contains("enctype=\"multipart/form-data\""));
    let token = csrf_of(&page);

    let bad = "name,grade,region,visitors,rated_on,phone\n贵德国家地质公园,4A,632523,很多,2012-01-10,\n";
    let r = upload(&s.app, &session, &e.id, &token, bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("id=\"load-report\"") && r.body.contains("文件未导入"));
    assert!(
        r.body.contains("<td>2</td><td><code>visitors</code></td>") && r.body.contains("不是有效的数字"),
        "{}",
        r.body
    );
    let still = s.app.catalog.entry(&e.id).await.unwrap();
    assert_eq!((still.row_count, still.data_table.is_none()), (0, true));

    // Without the form's token nothing is read.
    assert_eq!(upload(&s.app, &session, &e.id, "forged", SCENIC_CSV).await.status, StatusCode::FORBIDDEN);

    let good = upload(&s.app, &session, &e.id, &token, SCENIC_CSV).await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    assert_eq!(location(&good), format!("/admin/catalog/entries/{}?done=uploaded", e.id));
    assert_eq!(s.app.catalog.entry(&e.id).await.unwrap().row_count, 4);
}

#[tokio::test]
async fn the_desk_shows_the_operator_everything_and_reviews_publish() {
    let s = seeded().await;
    assert_eq!(s.app.get("/admin/catalog", None).await.status, StatusCode::SEE_OTHER);
    let op = operator();
    let e = s
        .app
        .catalog
        .create_entry(&op, input(&s.tourism, "玉树州旅游景区名录", "203001", OpenType::Unconditional, scenic_items()))
        .await
        .unwrap();
    s.app.catalog.submit_entry(&op, &e.id).await.unwrap();
    let session = s.app.web_login("admin", qy_testkit::ADMIN_PASSWORD).await;
    let desk = s.app.get_with_cookie("/admin/catalog", &session).await;
    assert_eq!(desk.status, StatusCode::OK);
    for text in [
        "待审核目录",
        "玉树州旅游景区名录",
        "青海省A级旅游景区名录",
        "待答复的共享申请",
        "数据异议",
        "哈希链完整",
        "近 30 天使用情况",
    ] {
        assert!(desk.body.contains(text), "{text}");
    }
    let drafts = s.app.get_with_cookie("/admin/catalog?status=draft", &session).await;
    assert!(!drafts.body.contains("青海省星级饭店名录"), "a published entry among the drafts");

    let r = s
        .app
        .post_form(
            &format!("/admin/catalog/entries/{}/review", e.id),
            &session,
            format!("csrf={}&action=publish&note=", csrf_of(&desk)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(location(&r), "/admin/catalog?done=published");
    let e = s.app.catalog.entry(&e.id).await.unwrap();
    assert_eq!((e.status.as_str(), e.version), ("published", 1));
    let entry_page = s.app.get_with_cookie(&format!("/admin/catalog/entries/{}", e.id), &session).await;
    assert!(entry_page.body.contains("已发布版本") && entry_page.body.contains("撤销发布"));
}
