//! Generated catalog entries: forty Qinghai provincial departments, each with the topics it
//! catalogues, and names, abstracts, keywords and 信息项 drawn from them, so that words such
//! as 空气质量, 水质, 旅游 or 人口 match tens to thousands of entries.

use qy_catalog::domain::{DataType, FormatKind, Item, OpenType, ShareMode, ShareType, UpdateCycle};
use qy_catalog::service::entries::EntryInput;

use crate::bench_kit::rng::Rng;

/// A providing department: name, CKAN slug, its 目 categories, and the topics it catalogues.
pub(super) struct Department {
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
    categories: &'static [&'static str],
    topics: &'static [&'static str],
}

const fn dept(
    name: &'static str,
    slug: &'static str,
    categories: &'static [&'static str],
    topics: &'static [&'static str],
) -> Department {
    Department { name, slug, categories, topics }
}

/// In order of how much they catalogue (the first about five times the last).
pub(super) const DEPARTMENTS: &[Department] = &[
    dept(
        "青海省生态环境厅",
        "qh-sthjt",
        &["201001", "201002", "201003"],
        &[
            "环境空气质量",
            "地表水水质",
            "饮用水水源地水质",
            "重点排污单位",
            "生态保护红线",
            "声环境质量",
            "固体废物",
            "辐射环境",
        ],
    ),
    dept(
        "青海省统计局",
        "qh-tjj",
        &["206001", "206002"],
        &["常住人口", "人口普查", "地区生产总值", "居民人均可支配收入", "旅游总收入", "就业人员", "城镇化率"],
    ),
    dept(
        "青海省文化和旅游厅",
        "qh-whlyt",
        &["203001", "203002"],
        &["A级旅游景区", "旅游接待人次", "旅行社", "星级饭店", "乡村旅游重点村", "非物质文化遗产", "公共文化馆"],
    ),
    dept(
        "青海省农业农村厅",
        "qh-nynct",
        &["202001", "202002", "202003"],
        &["牦牛存栏", "藏羊养殖", "青稞种植面积", "枸杞种植", "农牧民专业合作社", "农产品质量安全"],
    ),
    dept(
        "青海省水利厅",
        "qh-slt",
        &["201002"],
        &["河湖水质", "水资源公报", "水库工程", "河长制", "取水许可", "水土保持"],
    ),
    dept("青海省公安厅", "qh-gat", &["101001"], &["户籍人口", "流动人口", "机动车保有量", "道路交通事故", "派出所"]),
    dept(
        "青海省卫生健康委员会",
        "qh-wjw",
        &["207001"],
        &["医疗卫生机构", "执业医师", "医院床位", "出生人口", "法定传染病", "疫苗接种单位"],
    ),
    dept(
        "青海省交通运输厅",
        "qh-jtt",
        &["204001", "204002"],
        &["公路里程", "客运班线", "道路运输企业", "城市公交线路", "农村公路", "货物运输量"],
    ),
    dept(
        "青海省市场监督管理局",
        "qh-scjgj",
        &["205001", "205002"],
        &["市场主体登记", "食品生产许可", "特种设备", "食品安全抽检", "计量器具", "价格监测"],
    ),
    dept(
        "青海省林业和草原局",
        "qh-lcj",
        &["201003"],
        &["草原生态保护补助", "湿地保护", "天然林保护", "国家公园", "野生动物救护", "森林草原防火"],
    ),
    dept(
        "青海省自然资源厅",
        "qh-zrzyt",
        &["103002"],
        &["矿业权", "土地利用现状", "地质灾害隐患点", "不动产登记", "国土空间规划"],
    ),
    dept("青海省民政厅", "qh-mzt", &["208001"], &["最低生活保障", "养老机构", "社会组织", "婚姻登记", "老年人口"]),
    dept("青海省能源局", "qh-nyj", &["209001"], &["光伏电站", "风电场", "清洁能源发电量", "电网建设", "充电桩"]),
    dept("青海省教育厅", "qh-jyt", &["301001"], &["中小学校", "在校学生", "高等学校", "幼儿园", "专任教师"]),
    dept(
        "青海省人力资源和社会保障厅",
        "qh-rst",
        &["208001"],
        &["城镇新增就业", "社会保险参保", "职业技能培训", "最低工资标准", "人力资源服务机构"],
    ),
    dept(
        "青海省住房和城乡建设厅",
        "qh-zjt",
        &["301001"],
        &["保障性住房", "建筑业企业", "老旧小区改造", "房地产开发", "城市供水"],
    ),
    dept("青海省商务厅", "qh-swt", &["301001"], &["外贸进出口", "社会消费品零售总额", "招商引资项目", "电子商务"]),
    dept(
        "青海省应急管理厅",
        "qh-yjt",
        &["301001"],
        &["安全生产许可", "自然灾害损失", "应急避难场所", "危险化学品企业"],
    ),
    dept("国家税务总局青海省税务局", "qh-swj", &["104001"], &["纳税信用A级纳税人", "税收收入", "办税服务厅", "发票"]),
    dept(
        "青海省发展和改革委员会",
        "qh-fgw",
        &["104001", "206001"],
        &["重点建设项目", "重要商品价格", "社会信用体系", "固定资产投资"],
    ),
    dept(
        "青海省工业和信息化厅",
        "qh-gxt",
        &["301001"],
        &["规模以上工业企业", "工业园区", "专精特新中小企业", "通信基站"],
    ),
    dept("青海省财政厅", "qh-czt", &["301001"], &["一般公共预算", "政府采购", "惠民惠农补贴", "政府债务"]),
    dept("青海省科学技术厅", "qh-kjt", &["301001"], &["高新技术企业", "科技计划项目", "科技成果", "科技特派员"]),
    dept("青海省司法厅", "qh-sft", &["301001"], &["律师事务所", "公证机构", "法律援助", "人民调解组织"]),
    dept("青海省医疗保障局", "qh-ybj", &["208001"], &["定点医药机构", "医保参保人数", "医保药品目录", "医疗救助"]),
    dept("青海省气象局", "qh-qxj", &["103002"], &["气象观测站", "降水量", "气温", "气象灾害预警"]),
    dept("青海省乡村振兴局", "qh-xczxj", &["202003"], &["脱贫人口", "帮扶项目", "易地扶贫搬迁", "驻村工作队"]),
    dept(
        "青海省药品监督管理局",
        "qh-yjj",
        &["205002"],
        &["药品经营企业", "医疗器械生产企业", "化妆品备案", "药品抽检"],
    ),
    dept("青海省文物局", "qh-wwj", &["203001"], &["文物保护单位", "博物馆", "不可移动文物", "考古发掘项目"]),
    dept("青海省审计厅", "qh-sjt", &["301001"], &["审计项目", "审计整改"]),
    dept("青海省体育局", "qh-tyj", &["301001"], &["公共体育场馆", "全民健身设施", "体育赛事"]),
    dept("青海省地震局", "qh-dzj", &["103002"], &["地震台站", "地震目录", "活动断层"]),
    dept("青海省粮食和物资储备局", "qh-lsj", &["301001"], &["粮食储备库", "粮油价格", "应急物资储备"]),
    dept("青海省广播电视局", "qh-gdj", &["301001"], &["广播电视台", "直播卫星户户通", "广播电视节目"]),
    dept("青海省退役军人事务厅", "qh-tyjrt", &["208001"], &["退役军人服务站", "优抚对象", "烈士纪念设施"]),
    dept("青海省机关事务管理局", "qh-jgswj", &["301001"], &["公共机构节能", "公务用车", "办公用房"]),
    dept("青海省政务服务监督管理局", "qh-zwfwj", &["301001"], &["政务服务事项", "政务服务中心", "一网通办", "好差评"]),
    dept("青海省国有资产监督管理委员会", "qh-gzw", &["102001"], &["省属国有企业", "国有资产", "企业负责人"]),
    dept("青海省民族宗教事务委员会", "qh-mzw", &["301001"], &["民族团结进步示范单位", "少数民族人口", "双语教育"]),
    dept("青海省测绘地理信息局", "qh-chj", &["103001"], &["行政区划", "标准地名", "基础测绘", "地图审核"]),
];

/// Where an entry's data lies: (name in the entry's name, region code).
const PLACES: &[(&str, &str)] = &[
    ("西宁市", "630100"),
    ("海东市", "630200"),
    ("海北州", "632200"),
    ("黄南州", "632300"),
    ("海南州", "632500"),
    ("果洛州", "632600"),
    ("玉树州", "632700"),
    ("海西州", "632800"),
    ("城东区", "630102"),
    ("城中区", "630103"),
    ("城西区", "630104"),
    ("湟中区", "630106"),
    ("大通县", "630121"),
    ("平安区", "630202"),
    ("互助县", "630223"),
    ("门源县", "632221"),
    ("同仁市", "632301"),
    ("共和县", "632521"),
    ("贵德县", "632523"),
    ("玛沁县", "632621"),
    ("玉树市", "632701"),
    ("格尔木市", "632801"),
    ("德令哈市", "632802"),
    ("都兰县", "632822"),
];

const SUFFIXES: &[&str] = &[
    "统计表",
    "数据",
    "信息",
    "名录",
    "月度统计",
    "年度统计",
    "监测数据",
    "汇总表",
    "情况",
    "清单",
    "分布",
    "基本信息",
    "台账",
    "季度报表",
    "公示信息",
    "动态数据",
];
const ASPECTS: &[&str] = &["基本情况", "分布情况", "变化趋势", "办理结果", "统计指标", "空间分布"];
const SOURCES: &[&str] = &["依据法定职责采集", "通过业务系统汇总", "根据统计报表整理", "由市州和县级部门报送汇总"];
const SYSTEMS: &[&str] = &["业务管理系统", "政务服务平台", "监测网络", "统计直报系统"];
const USAGES: &[&str] = &["政策制定", "行业监管", "社会公众查询", "科学研究", "政务服务", "应急决策"];

/// (column, 信息项 name, type) beyond the region column every entry has.
const ITEMS: &[(&str, &str, DataType)] = &[
    ("name", "名称", DataType::C),
    ("year", "年度", DataType::I),
    ("month", "月份", DataType::I),
    ("value", "数值", DataType::N),
    ("unit", "计量单位", DataType::C),
    ("address", "地址", DataType::C),
    ("contact", "联系电话", DataType::C),
    ("updated_on", "更新日期", DataType::D),
    ("amount", "金额（元）", DataType::Y),
    ("quantity", "数量", DataType::I),
    ("category", "类别", DataType::C),
    ("remark", "备注", DataType::M),
    ("longitude", "经度", DataType::F),
    ("latitude", "纬度", DataType::F),
];

const CYCLES: &[(UpdateCycle, &str)] = &[
    (UpdateCycle::Daily, "每日"),
    (UpdateCycle::Monthly, "按月"),
    (UpdateCycle::Monthly, "按月"),
    (UpdateCycle::Quarterly, "按季度"),
    (UpdateCycle::Yearly, "每年"),
    (UpdateCycle::Yearly, "每年"),
    (UpdateCycle::Irregular, "不定期"),
];

/// The index of a department drawn with weights falling from 50 (the first) to 11 (the last).
pub(super) fn department(rng: &mut Rng, departments: usize) -> usize {
    let n = departments.clamp(1, DEPARTMENTS.len());
    let weight = |i: usize| 50 - (i * 39) / DEPARTMENTS.len().max(1);
    let total: usize = (0..n).map(weight).sum();
    let mut draw = rng.below(total);
    for i in 0..n {
        if draw < weight(i) {
            return i;
        }
        draw -= weight(i);
    }
    0
}

/// One entry of `d` as its officer writes it: open to the public (85 % unconditionally),
/// shared unconditionally.
pub(super) fn entry(d: &Department, rng: &mut Rng) -> EntryInput {
    let topic = rng.pick(d.topics);
    let (place, region) = if rng.chance(0.45) {
        ("青海省", "630000")
    } else {
        PLACES.get(rng.below(PLACES.len())).copied().unwrap_or(("青海省", "630000"))
    };
    let year = if rng.chance(0.5) { format!("{}年", 2015 + rng.below(10)) } else { String::new() };
    let suffix = rng.pick(SUFFIXES);
    let name = format!("{place}{year}{topic}{suffix}");
    let items = items(rng);
    let item_names: Vec<&str> = items.iter().take(4).map(|i| i.name.as_str()).collect();
    let (cycle, cycle_text) =
        CYCLES.get(rng.below(CYCLES.len())).copied().unwrap_or((UpdateCycle::Irregular, "不定期"));
    let summary = match rng.below(3) {
        0 => format!(
            "{name}。由{}{}，包括{}等{}个信息项，{cycle_text}更新，覆盖{place}。",
            d.name,
            rng.pick(SOURCES),
            item_names.join("、"),
            items.len()
        ),
        1 => format!(
            "本资源记录{place}{topic}的{}，数据来源于{}{}，{cycle_text}更新，可用于{}。",
            rng.pick(ASPECTS),
            d.name,
            rng.pick(SYSTEMS),
            rng.pick(USAGES)
        ),
        _ => format!(
            "{}负责汇总的{place}{topic}{suffix}，{}，面向{}开放。",
            d.name,
            if year.is_empty() { "持续更新".to_owned() } else { format!("{year}数据") },
            rng.pick(&["社会公众", "科研机构", "企业和开发者"])
        ),
    };
    let other = rng.pick(d.topics);
    let mut keywords = vec![topic.to_owned(), place.trim_end_matches(['省', '市', '州', '县', '区']).to_owned()];
    if other != topic {
        keywords.push(other.to_owned());
    }
    let (format_kind, format_detail) = match rng.below(10) {
        0..=6 => (FormatKind::Spreadsheet, "CSV"),
        7 | 8 => (FormatKind::Spreadsheet, "XLSX"),
        _ => (FormatKind::Interface, "API (JSON)"),
    };
    let conditional = rng.chance(0.15);
    EntryInput {
        org_id: None,
        category_code: rng.pick(d.categories).to_owned(),
        name,
        summary,
        keywords,
        format_kind,
        format_detail: format_detail.into(),
        share_type: ShareType::Unconditional,
        share_condition: String::new(),
        share_basis: String::new(),
        share_modes: vec![ShareMode::Interface, ShareMode::Table],
        open_type: if conditional { OpenType::Conditional } else { OpenType::Unconditional },
        open_condition: if conditional {
            "签署数据使用协议，仅用于约定用途".into()
        } else {
            String::new()
        },
        update_cycle: cycle,
        region_code: region.into(),
        related_codes: Vec::new(),
        items,
    }
}

/// The region column and 2–6 others.
fn items(rng: &mut Rng) -> Vec<Item> {
    let item = |seq: u32, (column, name, data_type): (&str, &str, DataType)| Item {
        seq,
        name: name.into(),
        column_name: column.into(),
        data_type,
        length: None,
        is_key: false,
        personal: false,
    };
    let mut out = vec![item(1, ("region", "行政区划代码", DataType::C))];
    let wanted = 2 + rng.below(5);
    let start = rng.below(ITEMS.len());
    for k in 0..wanted {
        if let Some(spec) = ITEMS.get((start + k * 3) % ITEMS.len()) {
            if !out.iter().any(|i| i.column_name == spec.0) {
                out.push(item(u32::try_from(out.len() + 1).unwrap_or(999), *spec));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forty_departments_with_distinct_slugs() {
        assert_eq!(DEPARTMENTS.len(), 40);
        let mut slugs: Vec<&str> = DEPARTMENTS.iter().map(|d| d.slug).collect();
        slugs.sort_unstable();
        slugs.dedup();
        assert_eq!(slugs.len(), 40);
        assert!(DEPARTMENTS.iter().all(|d| !d.categories.is_empty() && !d.topics.is_empty()));
    }

    #[test]
    fn entries_pass_the_guides_shape() {
        let mut rng = Rng::new(7);
        let mut first = 0;
        for _ in 0..2_000 {
            let i = department(&mut rng, 40);
            first += usize::from(i == 0);
            let e = entry(&DEPARTMENTS[i], &mut rng);
            assert!(e.name.chars().count() <= 100 && e.region_code.starts_with("63"));
            assert!((3..=7).contains(&e.items.len()), "{}", e.items.len());
            let mut columns: Vec<&str> = e.items.iter().map(|i| i.column_name.as_str()).collect();
            columns.sort_unstable();
            columns.dedup();
            assert_eq!(columns.len(), e.items.len());
            assert_eq!(e.open_type == OpenType::Conditional, !e.open_condition.is_empty());
        }
        // The first department weighs 50 of 1,220.
        assert!((50..120).contains(&first), "{first}");
    }
}
