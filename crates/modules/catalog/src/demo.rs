//! Demo data: about thirty resources of Qinghai's provincial departments — some backed by
//! the eco module's live AQI, some by uploaded tables, some catalogued only — in every state
//! of the lifecycle, with consumer systems and share requests approved, waiting and refused.
//! Names of places and scenic areas are real; figures marked 演示数据 are illustrative.

use qy_kernel::{Principal, PrincipalKind, RegionScope, Result};

use crate::domain::{perm, DataType, FormatKind, Item, OpenType, Org, ShareMode, ShareType, UpdateCycle};
use crate::service::entries::EntryInput;
use crate::service::sharing::{NewShareRequest, NewSystem, ShareDecision};
use crate::store::orgs;
use crate::Catalog;

/// A providing department of the demo: its identity department, CKAN slug, name, USCC.
#[derive(Debug, Clone)]
pub struct DemoOrg {
    pub department_id: String,
    pub slug: &'static str,
    pub name: &'static str,
    pub uscc: String,
}

/// The identity system account the demo's consumer system calls with.
#[derive(Debug, Clone)]
pub struct DemoSystem {
    pub account_id: String,
    /// Slug of the department that owns the system.
    pub org_slug: &'static str,
}

fn officer(department_id: &str) -> Principal {
    Principal {
        account_id: "system".into(),
        username: "demo".into(),
        display_name: "demo".into(),
        kind: PrincipalKind::System,
        permissions: [perm::ENTRIES_WRITE, perm::ENTRIES_REVIEW, perm::SHARING_DECIDE, perm::SHARING_REQUEST]
            .iter()
            .map(|p| p.to_string())
            .collect(),
        scope: RegionScope::province(),
        department_id: Some(department_id.to_owned()),
        uscc: None,
        token_scopes: None,
    }
}

/// `column:名称:T` with optional `:key` / `:personal`.
fn items(spec: &str) -> Vec<Item> {
    spec.split(' ')
        .enumerate()
        .filter_map(|(n, part)| {
            let mut f = part.split(':');
            let column = f.next()?;
            let name = f.next()?;
            let data_type = DataType::parse(f.next()?)?;
            let flags: Vec<&str> = f.collect();
            Some(Item {
                seq: u32::try_from(n + 1).ok()?,
                name: name.to_owned(),
                column_name: column.to_owned(),
                data_type,
                length: None,
                is_key: flags.contains(&"key"),
                personal: flags.contains(&"personal"),
            })
        })
        .collect()
}

/// How far the demo takes an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Draft,
    Review,
    Published,
}

struct Spec {
    org: &'static str,
    category: &'static str,
    name: &'static str,
    summary: &'static str,
    keywords: &'static str,
    format: (FormatKind, &'static str),
    share: ShareType,
    open: OpenType,
    cycle: UpdateCycle,
    region: &'static str,
    items: &'static str,
    source: Source,
    stage: Stage,
}

enum Source {
    None,
    Csv(fn() -> String),
    Feed(&'static str),
}

const PREFECTURES: &[(&str, &str, f64)] = &[
    ("630100", "西宁市", 246.8),
    ("630200", "海东市", 135.8),
    ("632200", "海北藏族自治州", 26.5),
    ("632300", "黄南藏族自治州", 27.6),
    ("632500", "海南藏族自治州", 44.7),
    ("632600", "果洛藏族自治州", 21.6),
    ("632700", "玉树藏族自治州", 42.5),
    ("632800", "海西蒙古族藏族自治州", 46.8),
];

fn population() -> String {
    let mut s = String::from("region,name,population,year\n");
    for (code, name, pop) in PREFECTURES {
        s.push_str(&format!("{code},{name},{pop},2020\n"));
    }
    s
}

fn scenic_areas() -> String {
    let rows = [
        ("青海湖景区", "5A", "632521", "2011-09-01", 512.3),
        ("塔尔寺", "5A", "630106", "2012-01-10", 300.0),
        ("互助土族故土园", "5A", "630223", "2017-02-25", 186.4),
        ("阿咪东索", "5A", "632221", "2022-07-20", 95.2),
        ("茶卡盐湖", "4A", "632821", "2015-05-20", 280.5),
        ("坎布拉国家森林公园", "4A", "632322", "2011-06-15", 61.0),
        ("孟达天池", "4A", "630225", "2012-08-08", 40.7),
        ("原子城", "4A", "632223", "2011-08-26", 55.3),
        ("金银滩草原", "4A", "632223", "2013-07-01", 72.9),
        ("日月山", "4A", "630123", "2010-12-30", 88.1),
        ("贵德黄河清国家湿地公园", "4A", "632523", "2014-09-12", 49.6),
        ("察尔汗盐湖", "4A", "632801", "2016-06-30", 38.2),
        ("青海省博物馆", "4A", "630104", "2013-05-18", 66.0),
        ("年保玉则", "4A", "632624", "2019-11-02", 12.4),
    ];
    let mut s = String::from("name,grade,region,rated_on,visitors\n");
    for (name, grade, region, rated, visitors) in rows {
        s.push_str(&format!("{name},{grade},{region},{rated},{visitors}\n"));
    }
    s
}

fn cooperatives() -> String {
    let places = [
        ("632801", "格尔木市"),
        ("632802", "德令哈市"),
        ("632521", "共和县"),
        ("632701", "玉树市"),
        ("632224", "刚察县"),
        ("632221", "门源县"),
    ];
    let trades = [("牦牛养殖", 86), ("藏羊养殖", 64), ("枸杞种植", 45), ("青稞种植", 120), ("饲草种植", 33)];
    let mut s = String::from("name,region,business,members,founded\n");
    for (i, (code, place)) in places.iter().enumerate() {
        for (j, (trade, members)) in trades.iter().enumerate().take(3 + i % 3) {
            let year = 2008 + (i * 3 + j) % 15;
            s.push_str(&format!("{place}{trade}专业合作社,{code},{trade},{},{year}-0{}-15\n", members + i * 7, 1 + j));
        }
    }
    s
}

fn roads() -> String {
    let mut s = String::from("region,name,total_km,expressway_km,year\n");
    for (n, (code, name, _)) in PREFECTURES.iter().enumerate() {
        s.push_str(&format!("{code},{name},{},{},2024\n", 6_000 + n * 1_730, 180 + n * 95));
    }
    s
}

fn market_entities() -> String {
    let mut s = String::from("region,name,enterprises,individual,cooperatives,quarter\n");
    for (n, (code, name, pop)) in PREFECTURES.iter().enumerate() {
        let base = (*pop * 1_000.0) as i64;
        s.push_str(&format!("{code},{name},{},{},{},2026-09-30\n", base / 4 + n as i64 * 113, base / 2, 300 + n * 97));
    }
    s
}

fn tourism_monthly() -> String {
    let mut s = String::from("month,visitors,revenue\n");
    for (m, (v, r)) in [
        (210.5, 18.2),
        (198.0, 17.5),
        (260.3, 22.9),
        (340.8, 30.1),
        (520.6, 48.3),
        (780.2, 75.6),
        (1_120.9, 118.4),
        (1_090.3, 112.7),
        (640.1, 60.2),
        (480.7, 44.9),
    ]
    .iter()
    .enumerate()
    {
        s.push_str(&format!("2026-{:02}-01,{v},{r}\n", m + 1));
    }
    s
}

fn specs() -> Vec<Spec> {
    use FormatKind::*;
    use OpenType as O;
    use ShareType as S;
    use UpdateCycle as U;
    let spec = |org, category, name, summary, keywords, format, share, open, cycle, items, source, stage| Spec {
        org,
        category,
        name,
        summary,
        keywords,
        format,
        share,
        open,
        cycle,
        region: "630000",
        items,
        source,
        stage,
    };
    vec![
        spec("qh-sthjt", "201001", "环境空气质量小时数据", "全省国控、省控环境空气自动监测站点逐小时空气质量指数（HJ 633），实时来自生态环境监测平台。", "空气质量 AQI 监测", (Interface, "API"), S::Unconditional, O::Unconditional, U::Realtime, "", Source::Feed("eco.station_aqi_hourly"), Stage::Published),
        spec("qh-sthjt", "201001", "市州环境空气质量小时数据", "八个市州逐小时城市空气质量指数，按 HJ 633 城市评价规则由各站点浓度均值计算。", "空气质量 市州", (Interface, "API"), S::Unconditional, O::Unconditional, U::Realtime, "", Source::Feed("eco.city_aqi_hourly"), Stage::Published),
        spec("qh-sthjt", "201002", "地表水水质自动监测周报", "黄河、湟水、长江源等重点断面水质类别（GB 3838-2002）。", "地表水 水质", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Weekly, "section:断面名称:C:key river:所在河流:C class:水质类别:I week:监测周:D", Source::None, Stage::Published),
        spec("qh-sthjt", "201003", "重点排污单位名录", "依法确定的重点排污单位及其主要污染物类别。", "排污 污染源", (Spreadsheet, "XLSX"), S::Conditional, O::Conditional, U::Yearly, "name:单位名称:C:key uscc:统一社会信用代码:C region:所在区划:C pollutant:主要污染物:C", Source::None, Stage::Published),
        spec("qh-sthjt", "201003", "三江源国家公园生态监测年报", "草地覆盖度、水源涵养量等生态监测指标（演示数据）。", "三江源 生态 国家公园", (Document, "PDF"), S::Unconditional, O::Unconditional, U::Yearly, "indicator:指标:C:key value:数值:N year:年度:I", Source::None, Stage::Review),
        spec("qh-tjj", "206002", "青海省各市州常住人口", "第七次全国人口普查各市州常住人口（万人）。", "人口 普查 统计", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Yearly, "region:行政区划代码:C:key name:市州:C population:常住人口（万人）:N year:年份:I", Source::Csv(population), Stage::Published),
        spec("qh-tjj", "206001", "全省地区生产总值季度数据", "分行业地区生产总值季度累计值（演示数据）。", "GDP 国民经济", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Quarterly, "quarter:季度:C:key industry:行业:C value:增加值（亿元）:Y", Source::None, Stage::Published),
        spec("qh-tjj", "206002", "城乡居民人均可支配收入", "城镇、农村常住居民人均可支配收入（演示数据）。", "收入 居民", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Quarterly, "quarter:季度:C:key urban:城镇（元）:Y rural:农村（元）:Y", Source::None, Stage::Draft),
        spec("qh-whlyt", "203001", "青海省A级旅游景区名录", "全省A级旅游景区名称、等级、所在区划与评定日期；年接待游客为演示数据。", "旅游景区 5A 4A", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Irregular, "name:景区名称:C:key grade:等级:C region:所在区划:C rated_on:评定日期:D visitors:年接待游客（万人次）:N", Source::Csv(scenic_areas), Stage::Published),
        spec("qh-whlyt", "203002", "全省旅游接待人次月报", "全省接待国内外游客人次与旅游收入月度数据（演示数据）。", "旅游 统计 游客", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Monthly, "month:月份:D:key visitors:接待游客（万人次）:N revenue:旅游收入（亿元）:Y", Source::Csv(tourism_monthly), Stage::Published),
        spec("qh-whlyt", "203001", "星级饭店名录", "全省星级饭店名称、星级与客房数（演示数据）。", "饭店 住宿", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Quarterly, "name:饭店名称:C:key stars:星级:I rooms:客房数:I region:所在区划:C", Source::None, Stage::Published),
        spec("qh-nynct", "202003", "农牧民专业合作社名录", "在册农牧民专业合作社名称、所在区划、主营业务与成员数（演示数据）。", "合作社 农牧", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Quarterly, "name:合作社名称:C:key region:所在区划:C business:主营业务:C members:成员数:I founded:成立日期:D", Source::Csv(cooperatives), Stage::Published),
        spec("qh-nynct", "202001", "牦牛藏羊存栏出栏统计", "各市州牦牛、藏羊年末存栏与出栏数（演示数据）。", "牦牛 藏羊 畜牧", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Yearly, "region:行政区划代码:C:key yak:牦牛存栏（万头）:N sheep:藏羊存栏（万只）:N", Source::None, Stage::Published),
        spec("qh-nynct", "202001", "草原生态保护补助奖励发放", "禁牧补助与草畜平衡奖励发放到户信息。", "草原 补助", (Database, "达梦"), S::Conditional, O::None, U::Yearly, "household:户主姓名:C:key:personal id_number:身份证号:C:personal region:所在区划:C amount:发放金额（元）:Y", Source::None, Stage::Published),
        spec("qh-nynct", "202002", "青稞种植面积与产量", "各县青稞播种面积、单产与总产（演示数据）。", "青稞 种植", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Yearly, "region:行政区划代码:C:key area:播种面积（万亩）:N yield:总产量（万吨）:N", Source::None, Stage::Review),
        spec("qh-jtt", "204001", "全省公路里程", "各市州公路总里程与高速公路里程（演示数据）。", "公路 高速 交通", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Yearly, "region:行政区划代码:C:key name:市州:C total_km:公路里程（公里）:N expressway_km:高速公路（公里）:N year:年份:I", Source::Csv(roads), Stage::Published),
        spec("qh-jtt", "204002", "道路客运班线", "省际、市际道路客运班线起讫点与日发班次。", "客运 班线", (Database, "MySQL"), S::Unconditional, O::Conditional, U::Monthly, "line:班线:C:key from:起点:C to:讫点:C daily:日发班次:I", Source::None, Stage::Published),
        spec("qh-scjgj", "205001", "市场主体登记统计", "各市州企业、个体工商户、农民专业合作社实有户数（演示数据）。", "市场主体 企业 个体", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Quarterly, "region:行政区划代码:C:key name:市州:C enterprises:企业（户）:I individual:个体工商户（户）:I cooperatives:合作社（户）:I quarter:截至日期:D", Source::Csv(market_entities), Stage::Published),
        spec("qh-scjgj", "205002", "食品生产经营许可信息", "食品生产、经营许可证的持证主体、许可项目与有效期。", "食品 许可", (Database, "KingbaseES"), S::Unconditional, O::Unconditional, U::Daily, "licence_no:许可证编号:C:key holder:持证主体:C scope:许可项目:M valid_to:有效期至:D", Source::None, Stage::Published),
        spec("qh-scjgj", "102001", "企业登记基础信息", "企业名称、统一社会信用代码、法定代表人、住所、成立日期等登记信息。", "企业 法人 登记", (Database, "KingbaseES"), S::Unconditional, O::Conditional, U::Daily, "uscc:统一社会信用代码:C:key name:企业名称:C legal_rep:法定代表人:C:personal address:住所:C founded:成立日期:D", Source::None, Stage::Published),
        spec("qh-gat", "101001", "户籍人口基础信息", "户籍人口的身份证号码、姓名、性别、出生日期、户籍地址等。", "人口 户籍", (Database, "达梦"), S::Conditional, O::None, U::Realtime, "id_number:公民身份号码:C:key:personal name:姓名:C:personal birth:出生日期:D:personal address:户籍地址:C:personal", Source::None, Stage::Published),
        spec("qh-gat", "101001", "出入境证件办理记录", "涉及国家安全与个人隐私，依法不予共享。", "出入境", (Database, "达梦"), S::None, O::None, U::Realtime, "id_number:公民身份号码:C:key:personal document:证件类型:C issued:签发日期:D", Source::None, Stage::Published),
        spec("qh-zrzyt", "103001", "行政区划代码", "全省县级以上行政区划名称与代码（GB/T 2260）。", "行政区划 代码", (Spreadsheet, "CSV"), S::Unconditional, O::Unconditional, U::Yearly, "code:行政区划代码:C:key name:名称:C level:级别:C", Source::None, Stage::Published),
        spec("qh-zrzyt", "103002", "不动产登记信息", "不动产权利人、权利类型与坐落；依《不动产登记暂行条例》仅向特定部门查询提供。", "不动产", (Database, "Oracle"), S::Conditional, O::None, U::Realtime, "unit:不动产单元号:C:key owner:权利人:C:personal location:坐落:C", Source::None, Stage::Published),
        spec("qh-wjw", "207001", "医疗卫生机构名录", "全省医疗卫生机构名称、类别、等级与地址（演示数据）。", "医院 卫生", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Quarterly, "name:机构名称:C:key kind:机构类别:C grade:等级:C region:所在区划:C", Source::None, Stage::Published),
        spec("qh-mzt", "208001", "城乡低保对象", "最低生活保障对象及保障金额，含个人信息，依法不予开放。", "低保 救助", (Database, "达梦"), S::Conditional, O::None, U::Monthly, "id_number:身份证号:C:key:personal name:姓名:C:personal region:所在区划:C amount:保障金额（元）:Y", Source::None, Stage::Published),
        spec("qh-nyj", "209001", "新能源装机容量", "光伏、风电并网装机容量（万千瓦，演示数据）。", "光伏 风电 新能源", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Monthly, "month:月份:D:key solar:光伏（万千瓦）:N wind:风电（万千瓦）:N", Source::None, Stage::Published),
        spec("qh-sthjt", "301001", "环境行政处罚决定", "生态环境行政处罚决定书主要内容（双公示）。", "处罚 双公示", (Interface, "API"), S::Unconditional, O::Unconditional, U::Daily, "decision_no:决定书文号:C:key subject:当事人:C decided_on:决定日期:D", Source::None, Stage::Draft),
        spec("qh-tjj", "206002", "城镇调查失业率", "全省城镇调查失业率月度数据（演示数据）。", "就业 失业率", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Monthly, "month:月份:D:key rate:失业率（%）:N", Source::None, Stage::Published),
        spec("qh-whlyt", "203002", "乡村旅游重点村名录", "全国、省级乡村旅游重点村名单（演示数据）。", "乡村旅游", (Spreadsheet, "XLSX"), S::Unconditional, O::Unconditional, U::Yearly, "village:村名:C:key region:所在区划:C level:级别:C", Source::None, Stage::Published),
    ]
}

/// Seeds the demo. Idempotent: does nothing when any department is registered.
pub async fn seed(catalog: &Catalog, demo_orgs: &[DemoOrg], system: Option<DemoSystem>) -> Result<bool> {
    if !orgs::all(&catalog.db).await?.is_empty() {
        return Ok(false);
    }
    for o in demo_orgs {
        orgs::insert(
            &catalog.db,
            &Org {
                id: qy_kernel::id::new_id(),
                slug: o.slug.to_owned(),
                name: o.name.to_owned(),
                uscc: o.uscc.clone(),
                region_code: "630000".into(),
                department_id: Some(o.department_id.clone()),
                description: format!("{}（演示）", o.name),
                created_at: catalog.now_ms(),
            },
        )
        .await?;
    }
    let dept = |slug: &str| demo_orgs.iter().find(|o| o.slug == slug).map(|o| o.department_id.clone());
    let mut published = Vec::new();
    for s in specs() {
        let Some(department) = dept(s.org) else { continue };
        let who = officer(&department);
        let input = EntryInput {
            org_id: None,
            category_code: s.category.into(),
            name: s.name.into(),
            summary: s.summary.into(),
            keywords: s.keywords.split(' ').map(str::to_owned).collect(),
            format_kind: s.format.0,
            format_detail: s.format.1.into(),
            share_type: s.share,
            share_condition: if s.share == ShareType::Conditional {
                "仅用于履行法定职责，不得向第三方提供".into()
            } else {
                String::new()
            },
            share_basis: match s.share {
                ShareType::Unconditional => String::new(),
                ShareType::Conditional => "《政务信息资源共享管理暂行办法》第九条".into(),
                ShareType::None => "《中华人民共和国出境入境管理法》第八十五条".into(),
            },
            share_modes: if s.share == ShareType::None {
                Vec::new()
            } else {
                vec![ShareMode::Interface, ShareMode::File]
            },
            open_type: s.open,
            open_condition: if s.open == OpenType::Conditional {
                "申请人须说明用途并签署数据使用协议".into()
            } else {
                String::new()
            },
            update_cycle: s.cycle,
            region_code: s.region.into(),
            related_codes: Vec::new(),
            items: if s.items.is_empty() { items("time:监测时间:T") } else { items(s.items) },
        };
        let e = catalog.create_entry(&who, input).await?;
        match s.source {
            Source::Csv(make) => {
                let report = catalog.upload(&who, &e.id, "text/csv", make().as_bytes()).await?;
                if !report.loaded {
                    tracing::warn!(entry = %e.code, errors = ?report.errors, "demo table did not load");
                }
            }
            Source::Feed(code) => {
                catalog.bind_feed(&who, &e.id, code).await?;
            }
            Source::None => {}
        }
        if s.stage != Stage::Draft {
            catalog.submit_entry(&who, &e.id).await?;
        }
        if s.stage == Stage::Published {
            let done = catalog.review_entry(&who, &e.id, true, "").await?;
            published.push((done, department));
        }
    }
    // A consumer system of the market regulator with requests in every state.
    let Some(sys) = system else { return Ok(true) };
    let Some(owner) = dept(sys.org_slug) else { return Ok(true) };
    let consumer = officer(&owner);
    let system = catalog
        .register_system(
            &consumer,
            NewSystem {
                org_id: None,
                code: "scjg-xypt".into(),
                name: "市场监管信用监管平台".into(),
                account_id: sys.account_id,
            },
        )
        .await?;
    let ask = |entry: &str, purpose: &str| NewShareRequest {
        entry: entry.to_owned(),
        system_id: system.id.clone(),
        purpose: purpose.into(),
        basis: "《企业信息公示暂行条例》".into(),
        columns: Vec::new(),
        region_filter: None,
    };
    for (e, provider) in &published {
        match e.name.as_str() {
            "青海省A级旅游景区名录" | "环境空气质量小时数据" => {
                catalog.request_share(&consumer, ask(&e.code, "旅游市场主体信用监管")).await?;
            }
            "重点排污单位名录" => {
                let (r, _) = catalog.request_share(&consumer, ask(&e.code, "环保信用联合惩戒")).await?;
                let ok = ShareDecision {
                    approve: true,
                    reason: "同意，仅限信用监管使用".into(),
                    columns: None,
                    region_filter: None,
                };
                catalog.decide_share(&officer(provider), &r.id, ok).await?;
            }
            "不动产登记信息" => {
                let (r, _) = catalog.request_share(&consumer, ask(&e.code, "企业资产核查")).await?;
                let no = ShareDecision {
                    approve: false,
                    reason: "申请用途不属于《不动产登记暂行条例》规定的查询情形".into(),
                    columns: None,
                    region_filter: None,
                };
                catalog.decide_share(&officer(provider), &r.id, no).await?;
            }
            "户籍人口基础信息" => {
                // Waits for the provider's decision.
                catalog.request_share(&consumer, ask(&e.code, "法定代表人身份核验")).await?;
            }
            _ => {}
        }
    }
    Ok(true)
}
