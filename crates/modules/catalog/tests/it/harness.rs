//! A catalog on a fresh database with two departments, a movable clock and a fake feed.

use std::sync::Arc;

use async_trait::async_trait;
use qy_catalog::domain::{perm, DataType, FormatKind, Item, OpenType, Org, ShareMode, ShareType, UpdateCycle};
use qy_catalog::service::entries::EntryInput;
use qy_catalog::{Catalog, Policy};
use qy_kernel::feed::{DataFeeds, FeedColumn, FeedInfo, FeedPage};
use qy_kernel::{FixedClock, Principal, PrincipalKind, RegionScope};
use qy_storage::testing::TestDb;
use serde_json::json;

pub struct H {
    pub catalog: Catalog,
    pub ecology: Org,
    pub tourism: Org,
    _db: TestDb,
}

/// Epoch ms of 10:00 Beijing time on a date.
pub fn at(date: &str) -> i64 {
    let d: qy_workcal::Date = date.parse().unwrap();
    let days = d.since(qy_workcal::Date::new(1970, 1, 1).unwrap()).unwrap().get_days() as i64;
    days * 86_400_000 + 2 * 3_600_000
}

/// Two hours of hourly AQI for two stations in two prefectures.
pub struct FakeFeeds;

#[async_trait]
impl DataFeeds for FakeFeeds {
    fn feeds(&self) -> Vec<FeedInfo> {
        let col = |c: &str, n: &str, t: char| FeedColumn { column: c.into(), name: n.into(), data_type: t };
        vec![FeedInfo {
            code: "eco.station_aqi_hourly".into(),
            title: "环境空气质量小时数据".into(),
            columns: vec![
                col("time", "监测时间", 'T'),
                col("station", "监测站点", 'C'),
                col("region", "行政区划代码", 'C'),
                col("aqi", "空气质量指数", 'I'),
            ],
            region_column: Some("region".into()),
        }]
    }
    async fn page(&self, _code: &str, after: Option<&str>, limit: usize) -> qy_kernel::Result<FeedPage> {
        let all = vec![
            vec![json!("2026-11-20T09:00:00+08:00"), json!("西宁市第五水厂"), json!("630104"), json!(42)],
            vec![json!("2026-11-20T09:00:00+08:00"), json!("格尔木市气象局"), json!("632801"), json!(65)],
            vec![json!("2026-11-20T10:00:00+08:00"), json!("西宁市第五水厂"), json!("630104"), json!(47)],
            vec![json!("2026-11-20T10:00:00+08:00"), json!("格尔木市气象局"), json!("632801"), json!(71)],
        ];
        let start: usize = after.map(|a| a.parse().unwrap_or(0)).unwrap_or(0);
        let rows: Vec<_> = all.into_iter().skip(start).take(limit).collect();
        let end = start + rows.len();
        Ok(FeedPage { next: (end < 4).then(|| end.to_string()), rows })
    }
}

impl H {
    pub async fn on(date: &str) -> H {
        let t = TestDb::new().await.unwrap();
        qy_storage::migrate(&t.db, &[qy_catalog::MIGRATIONS], 0).await.unwrap();
        let clock = Arc::new(FixedClock::new(at(date)));
        let catalog = Catalog::new(t.db.clone(), clock, Arc::new(FakeFeeds), Arc::new(Policy::default()));
        let org = |slug: &str, name: &str, body: &str, region: &str, dept: &str| Org {
            id: format!("org-{slug}"),
            slug: slug.into(),
            name: name.into(),
            uscc: qy_cnid::Uscc::build("11", region, body).unwrap().as_str().to_owned(),
            region_code: region.into(),
            department_id: Some(dept.into()),
            description: String::new(),
            created_at: 0,
        };
        let ecology = org("qh-sthjt", "青海省生态环境厅", "MB0EC001", "630000", "dept-ecology");
        let tourism = org("qh-whlyt", "青海省文化和旅游厅", "MB0TUR02", "630000", "dept-tourism");
        qy_catalog::store::orgs::insert(&catalog.db, &ecology).await.unwrap();
        qy_catalog::store::orgs::insert(&catalog.db, &tourism).await.unwrap();
        H { catalog, ecology, tourism, _db: t }
    }
}

pub fn staff(id: &str, department: &str, perms: &[&str]) -> Principal {
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

pub fn ecology_officer() -> Principal {
    staff("eco-1", "dept-ecology", &[perm::ENTRIES_WRITE, perm::SHARING_DECIDE, perm::SHARING_REQUEST])
}

pub fn tourism_officer() -> Principal {
    staff("tour-1", "dept-tourism", &[perm::ENTRIES_WRITE, perm::SHARING_DECIDE, perm::SHARING_REQUEST])
}

/// The data authority (大数据局) that reviews entries.
pub fn reviewer() -> Principal {
    staff("dsj-1", "dept-dsj", &[perm::ENTRIES_REVIEW])
}

pub fn system_principal(account: &str) -> Principal {
    Principal { kind: PrincipalKind::System, ..staff(account, "dept-x", &[]) }
}

pub fn item(seq: u32, name: &str, column: &str, t: DataType) -> Item {
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

pub fn input(name: &str, category: &str, share: ShareType, open: OpenType, items: Vec<Item>) -> EntryInput {
    EntryInput {
        org_id: None,
        category_code: category.into(),
        name: name.into(),
        summary: format!("{name}，按月更新。"),
        keywords: vec!["青海".into()],
        format_kind: FormatKind::Spreadsheet,
        format_detail: "CSV".into(),
        share_type: share,
        share_condition: if share == ShareType::Conditional { "仅用于行政审批".into() } else { String::new() },
        share_basis: if share != ShareType::Unconditional {
            "《政务信息资源共享管理暂行办法》".into()
        } else {
            String::new()
        },
        share_modes: vec![ShareMode::Interface],
        open_type: open,
        open_condition: if open == OpenType::Conditional { "签署数据使用协议".into() } else { String::new() },
        update_cycle: UpdateCycle::Monthly,
        region_code: "630000".into(),
        related_codes: Vec::new(),
        items,
    }
}

/// A published entry of the tourism department with a loaded table of scenic areas.
pub async fn scenic_areas(h: &H, share: ShareType, open: OpenType) -> qy_catalog::domain::Entry {
    let items = vec![
        Item { is_key: true, ..item(1, "景区名称", "name", DataType::C) },
        item(2, "等级", "grade", DataType::C),
        item(3, "所在区划", "region", DataType::C),
        item(4, "年接待游客（万人次）", "visitors", DataType::N),
        item(5, "评定日期", "rated_on", DataType::D),
    ];
    let e = h
        .catalog
        .create_entry(&tourism_officer(), input("青海省A级旅游景区名录", "203001", share, open, items))
        .await
        .unwrap();
    let csv = "name,grade,region,visitors,rated_on\n青海湖景区,5A,632500,512.3,2011-09-01\n塔尔寺,5A,630106,300,2012-01-10\n茶卡盐湖,4A,632821,280.5,2015/5/20\n可可西里,4A,632723,3.2,2020-10-01\n";
    let report = h.catalog.upload(&tourism_officer(), &e.id, "text/csv", csv.as_bytes()).await.unwrap();
    assert!(report.loaded, "{:?}", report.errors);
    h.catalog.submit_entry(&tourism_officer(), &e.id).await.unwrap();
    h.catalog.review_entry(&reviewer(), &e.id, true, "").await.unwrap()
}
