//! Demo data: a few hundred Qinghai legal entities with valid USCCs (check characters
//! computed), licences, penalties of different ages and severities under all three
//! publication regimes, list entries in every state, an open objection and a repair in
//! progress. Deterministic (seeded), fictitious, and entered through the same service calls
//! as real data, so every rule applies to it.

use std::collections::BTreeSet;

use qy_credit_rules::{Licence, LicenceKind, LicenceStatus, Penalty, PenaltyCategory, Severity, SubjectCategory};
use qy_kernel::{Principal, PrincipalKind, RegionScope, Result};
use qy_workcal::Date;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::domain::{perm, ListKind};
use crate::service::cases::RepairApplication;
use crate::service::{Credit, NewListEntry};
use crate::store::subjects::{self, NewSubject};

/// A department that enters records: its identity department id, its name as the authority
/// and its region.
#[derive(Debug, Clone)]
pub struct DemoAuthority {
    pub department_id: String,
    pub name: String,
    pub region: String,
}

/// An entity that also has a demo login (its enterprise account): it gets a known file.
#[derive(Debug, Clone)]
pub struct FeaturedEntity {
    pub name: String,
    pub uscc: String,
}

const PLACES: &[(&str, &str)] = &[
    ("西宁市", "630100"),
    ("城东区", "630102"),
    ("城中区", "630103"),
    ("城西区", "630104"),
    ("城北区", "630105"),
    ("湟中区", "630106"),
    ("大通", "630121"),
    ("湟源", "630123"),
    ("平安", "630203"),
    ("乐都", "630202"),
    ("民和", "630222"),
    ("互助", "630223"),
    ("化隆", "630224"),
    ("循化", "630225"),
    ("门源", "632221"),
    ("祁连", "632222"),
    ("海晏", "632223"),
    ("刚察", "632224"),
    ("同仁", "632301"),
    ("尖扎", "632322"),
    ("泽库", "632323"),
    ("共和", "632521"),
    ("贵德", "632523"),
    ("贵南", "632525"),
    ("玛沁", "632621"),
    ("玉树", "632701"),
    ("囊谦", "632725"),
    ("格尔木", "632801"),
    ("德令哈", "632802"),
    ("茫崖", "632803"),
    ("乌兰", "632821"),
    ("都兰", "632822"),
    ("天峻", "632823"),
];
const BRANDS: &[&str] = &[
    "高原",
    "雪域",
    "昆仑",
    "三江源",
    "青湖",
    "柴达木",
    "河湟",
    "祁连山",
    "江河源",
    "金银滩",
    "雪莲",
    "圣湖",
    "吉祥",
    "扎西",
    "格桑",
    "绿洲",
    "草原",
    "青稞香",
    "沙棘林",
    "盐湖",
    "日月山",
    "湟水",
    "丹噶尔",
    "夏都",
    "大美",
];
/// (business, GB/T 4754 section)
const TRADES: &[(&str, &str)] = &[
    ("牦牛肉制品", "C"),
    ("枸杞", "A"),
    ("青稞酒业", "C"),
    ("生物科技", "M"),
    ("新能源", "D"),
    ("商贸", "F"),
    ("建筑工程", "E"),
    ("旅游开发", "N"),
    ("餐饮管理", "H"),
    ("物流运输", "G"),
    ("矿业", "B"),
    ("乳业", "C"),
    ("藏毯", "C"),
    ("藏药", "C"),
    ("盐化", "C"),
    ("沙棘饮品", "C"),
    ("农牧", "A"),
    ("光伏科技", "D"),
];
const SUFFIXES: &[&str] = &["有限公司", "有限责任公司", "股份有限公司", "专业合作社"];
const BODY_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const SURNAMES: &[&str] = &["王", "李", "马", "韩", "张", "才让", "扎西", "卓玛", "多杰", "索南", "冶", "祁"];
const GIVEN: &[&str] = &["建国", "海龙", "卫东", "秀英", "永福", "措", "东智", "吉", "晓燕", "明"];

/// (violation, facts, basis, categories, fine 元, severity)
type Violation = (&'static str, &'static str, &'static str, &'static [PenaltyCategory], i64, Severity);

const VIOLATIONS: &[Violation] = &[
    (
        "未按规定公示年度报告",
        "未在规定期限内报送并公示年度报告",
        "《企业信息公示暂行条例》第八条",
        &[PenaltyCategory::Warning],
        0,
        Severity::Minor,
    ),
    (
        "销售过期食品",
        "在经营场所销售超过保质期的预包装食品",
        "《中华人民共和国食品安全法》第一百二十四条",
        &[PenaltyCategory::Fine, PenaltyCategory::ConfiscateIllegalGains],
        20_000,
        Severity::General,
    ),
    (
        "超标排放大气污染物",
        "在线监测数据显示颗粒物排放浓度超过排放标准",
        "《中华人民共和国大气污染防治法》第九十九条",
        &[PenaltyCategory::Fine],
        150_000,
        Severity::Serious,
    ),
    (
        "虚假宣传",
        "在产品包装上虚构“有机”认证信息",
        "《中华人民共和国反不正当竞争法》第二十条",
        &[PenaltyCategory::Fine],
        50_000,
        Severity::General,
    ),
    (
        "未取得许可从事经营",
        "未取得食品经营许可证从事食品经营活动",
        "《中华人民共和国食品安全法》第一百二十二条",
        &[PenaltyCategory::Fine, PenaltyCategory::ConfiscateIllegalGains],
        60_000,
        Severity::General,
    ),
    (
        "生产安全事故",
        "违章作业导致一人重伤的生产安全事故",
        "《中华人民共和国安全生产法》第一百一十四条",
        &[PenaltyCategory::Fine, PenaltyCategory::OrderSuspension],
        300_000,
        Severity::SpecialSerious,
    ),
    (
        "违法占用草原",
        "未经批准在天然草原上开采砂石",
        "《中华人民共和国草原法》第六十五条",
        &[PenaltyCategory::Fine],
        80_000,
        Severity::Serious,
    ),
    (
        "计量器具未检定",
        "使用未经检定的电子计价秤",
        "《中华人民共和国计量法》第二十六条",
        &[PenaltyCategory::Warning, PenaltyCategory::Fine],
        1_000,
        Severity::Minor,
    ),
];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn uscc(rng: &mut StdRng, kind: &str, region: &str) -> Option<String> {
    let body: String = (0..8).map(|_| char::from(BODY_CHARS[rng.gen_range(0..BODY_CHARS.len())])).collect();
    qy_cnid::Uscc::build(kind, region, &body).ok().map(|u| u.as_str().to_owned())
}

fn days_before(today: Date, days: i64) -> Date {
    today.checked_sub(jiff::Span::new().days(days)).unwrap_or(today)
}

fn officer(a: &DemoAuthority) -> Principal {
    Principal {
        account_id: "system".into(),
        username: "demo".into(),
        display_name: a.name.clone(),
        kind: PrincipalKind::System,
        permissions: [perm::RECORDS_WRITE, perm::LISTS_PROPOSE, perm::LISTS_APPROVE, perm::REPAIRS_REVIEW]
            .iter()
            .map(|p| p.to_string())
            .collect(),
        scope: RegionScope::new(&a.region).unwrap_or_else(RegionScope::province),
        department_id: Some(a.department_id.clone()),
        uscc: None,
        token_scopes: None,
    }
}

/// Seeds `count` entities. Idempotent: does nothing when subjects exist.
pub async fn seed(
    credit: &Credit,
    authorities: &[DemoAuthority],
    featured: &[FeaturedEntity],
    count: usize,
) -> Result<bool> {
    if subjects::count(&credit.db).await? > 0 || authorities.is_empty() {
        return Ok(false);
    }
    let mut rng = StdRng::seed_from_u64(0x5147_4859);
    let today = credit.today();
    let auth: Vec<(DemoAuthority, String, Principal)> = authorities
        .iter()
        .map(|a| {
            let code = uscc(&mut rng, "11", &a.region).unwrap_or_default();
            (a.clone(), code, officer(a))
        })
        .collect();
    // Entities, registered with their basic information first.
    let mut names = BTreeSet::new();
    let mut entities: Vec<NewSubject> = Vec::new();
    for f in featured {
        let region = f.uscc.get(2..8).unwrap_or("630000").to_owned();
        entities.push(new_subject(&mut rng, f.name.clone(), f.uscc.clone(), region, "A", today));
    }
    while entities.len() < count {
        let (place, region) = *pick(&mut rng, PLACES);
        let (trade, section) = *pick(&mut rng, TRADES);
        let suffix = if section == "A" && rng.gen_bool(0.5) { "专业合作社" } else { *pick(&mut rng, SUFFIXES) };
        let name = format!("青海{place}{}{trade}{suffix}", pick(&mut rng, BRANDS));
        if !names.insert(name.clone()) {
            continue;
        }
        let kind = if suffix == "专业合作社" { "93" } else { "91" };
        let Some(code) = uscc(&mut rng, kind, region) else { continue };
        let mut s = new_subject(&mut rng, name, code, region.to_owned(), section, today);
        if rng.gen_bool(0.06) {
            let old = format!("{}{}{}", place, pick(&mut rng, BRANDS), "商行");
            s.former_names.push((old, Some(days_before(today, rng.gen_range(400..2000)).to_string())));
        }
        entities.push(s);
    }
    subjects::insert_many(&credit.db, &entities, credit.now_ms()).await?;

    // Records: licences for most, penalties for some, of every age and severity, each entered
    // a few days after its decision (the service's clock is set back for it).
    let mut serial = 0u32;
    for (i, s) in entities.iter().enumerate() {
        let uscc = s.uscc.clone().unwrap_or_default();
        for _ in 0..rng.gen_range(0..3) {
            serial += 1;
            let (a, a_uscc, who) = authority_for(&auth, "许可", &mut rng);
            let decided = days_before(today, rng.gen_range(10..2400));
            let licence = licence(s, &uscc, &a, &a_uscc, decided, serial);
            entered_after(credit, decided, &mut rng).submit_licence(&who, licence, None).await?;
        }
        let featured_one = i < featured.len();
        let penalties = if featured_one {
            1
        } else if rng.gen_bool(0.25) {
            rng.gen_range(1..3)
        } else {
            0
        };
        for _ in 0..penalties {
            serial += 1;
            let v = pick(&mut rng, VIOLATIONS);
            // Featured entities: a general penalty old enough to be repaired.
            let (v, age) = if featured_one { (&VIOLATIONS[1], 200) } else { (v, rng.gen_range(15..2600)) };
            let (a, a_uscc, who) = authority_for(&auth, v.0, &mut rng);
            let decided = days_before(today, age);
            let p = penalty(s, &uscc, &a, &a_uscc, decided, serial, v);
            entered_after(credit, decided, &mut rng).submit_penalty(&who, p, None).await?;
        }
    }

    // Natural persons: penalties on individuals, kept internal (never in public views).
    for k in 0..6u32 {
        let (_, region) = *pick(&mut rng, PLACES);
        let first17 = format!(
            "{region}19{:02}{:02}{:02}{:03}",
            rng.gen_range(60..99),
            rng.gen_range(1..13),
            rng.gen_range(1..29),
            rng.gen_range(1..999)
        );
        let Some(check) = qy_cnid::resident_id::compute_check_char(&first17) else { continue };
        let person = NewSubject {
            kind: crate::domain::SubjectKind::NaturalPerson,
            name: format!("{}{}", pick(&mut rng, SURNAMES), pick(&mut rng, GIVEN)),
            uscc: None,
            ..new_subject(&mut rng, String::new(), String::new(), region.to_owned(), "F", today)
        };
        serial += 1;
        let (a, a_uscc, who) = authority_for(&auth, "无照经营", &mut rng);
        let decided = days_before(today, rng.gen_range(20..900));
        let mut p = penalty(&person, "", &a, &a_uscc, decided, serial, &VIOLATIONS[4]);
        p.subject_category = SubjectCategory::NaturalPerson;
        p.uscc = None;
        p.legal_rep = None;
        p.person_id_type = Some("身份证".into());
        p.person_id = Some(format!("{first17}{check}"));
        p.note = Some(format!("个人案件 {k}"));
        entered_after(credit, decided, &mut rng).submit_penalty(&who, p, None).await?;
    }

    // Lists: red-list cooperatives and enterprises, serious dishonesty, key attention.
    let (a, a_uscc, proposer) = auth[0].clone();
    let mut approver = proposer.clone();
    approver.account_id = "system-reviewer".into();
    let mut entries = Vec::new();
    for (i, s) in entities.iter().enumerate().skip(featured.len()) {
        let list = match i % 40 {
            3 | 17 => ListKind::Red,
            9 => ListKind::SeriousDishonest,
            25 => ListKind::KeyAttention,
            _ => continue,
        };
        let (basis, reason) = match list {
            ListKind::Red => ("《青海省守信联合激励对象名单管理办法》", "连续三年纳税信用A级且无不良记录"),
            ListKind::SeriousDishonest => {
                ("国办发〔2020〕49号；《中华人民共和国食品安全法》", "因食品安全违法行为受到吊销许可证的行政处罚")
            }
            ListKind::KeyAttention => ("发改财金规〔2017〕1798号", "一年内两次因虚假宣传受到行政处罚"),
        };
        let decided = days_before(today, rng.gen_range(30..700)).to_string();
        let new = NewListEntry {
            uscc: s.uscc.clone().unwrap_or_default(),
            list,
            legal_basis: basis.into(),
            reason: reason.into(),
            authority: a.name.clone(),
            authority_uscc: a_uscc.clone(),
            decided_on: decided.clone(),
            valid_from: decided,
            valid_to: (list != ListKind::Red).then(|| days_before(today, -rng.gen_range(200..1000)).to_string()),
        };
        entries.push(credit.propose_list_entry(&proposer, new).await?);
    }
    // Most entries approved; a few left for the demo reviewer to decide.
    for (i, e) in entries.iter().enumerate() {
        if i % 7 != 6 {
            credit.approve_list_entry(&approver, &e.id).await?;
        }
    }

    // The first featured entity has a repair in progress; the second an open objection.
    if let Some(f) = featured.first() {
        if let Some(r) = first_penalty(credit, &f.uscc).await? {
            let app = RepairApplication {
                obligations: "罚款已于缴款期限内全额缴纳，过期食品已全部下架销毁，整改报告已报送。".into(),
                commitment: "本单位承诺所提交材料真实有效，并将严格遵守食品安全法律法规。".into(),
                obligations_fulfilled: true,
                commitment_signed: true,
            };
            let (_, _, reviewer) = auth
                .iter()
                .find(|(a, _, _)| Some(a.department_id.as_str()) == r.department_id.as_deref())
                .cloned()
                .unwrap_or_else(|| auth[0].clone());
            credit.apply_for_repair(&reviewer, &r.id, app).await?;
        }
    }
    if let Some(f) = featured.get(1) {
        if let Some(r) = first_penalty(credit, &f.uscc).await? {
            let (_, _, reviewer) = auth
                .iter()
                .find(|(a, _, _)| Some(a.department_id.as_str()) == r.department_id.as_deref())
                .cloned()
                .unwrap_or_else(|| auth[0].clone());
            credit
                .raise_objection(&reviewer, &r.id, "处罚决定书所列当事人地址有误，且涉案商品已在处罚前下架。")
                .await?;
        }
    }
    Ok(true)
}

/// Pollution and grassland cases belong to the ecology department, the rest to market
/// regulation (when the demo has both).
fn authority_for(
    auth: &[(DemoAuthority, String, Principal)],
    matter: &str,
    rng: &mut StdRng,
) -> (DemoAuthority, String, Principal) {
    let ecology = matter.contains("排放") || matter.contains("草原");
    let fitting: Vec<&(DemoAuthority, String, Principal)> =
        auth.iter().filter(|(a, _, _)| a.name.contains("生态环境") == ecology).collect();
    match fitting.is_empty() {
        true => pick(rng, auth).clone(),
        false => (*pick(rng, &fitting)).clone(),
    }
}

/// The service as it was 1–6 days after `decided` (10:00 Beijing), so that demo records are
/// published on time like real ones, not all "late" on the day the demo was seeded.
fn entered_after(credit: &Credit, decided: Date, rng: &mut StdRng) -> Credit {
    let entered = decided.checked_add(jiff::Span::new().days(rng.gen_range(1..7))).unwrap_or(decided);
    let days = entered.since(Date::new(1970, 1, 1).unwrap_or_default()).map(|s| i64::from(s.get_days())).unwrap_or(0);
    let ms = (days * 86_400 + 2 * 3_600) * 1_000;
    let mut at = credit.clone();
    at.clock = std::sync::Arc::new(qy_kernel::FixedClock::new(ms.min(credit.now_ms())));
    at
}

async fn first_penalty(credit: &Credit, uscc: &str) -> Result<Option<crate::domain::Record>> {
    let Some(s) = subjects::by_uscc(&credit.db, uscc).await? else { return Ok(None) };
    Ok(crate::store::records::of_subject(&credit.db, &s.id)
        .await?
        .into_iter()
        .find(|r| r.kind == crate::domain::RecordKind::Penalty))
}

fn new_subject(rng: &mut StdRng, name: String, uscc: String, region: String, section: &str, today: Date) -> NewSubject {
    NewSubject {
        id: qy_kernel::id::new_id(),
        kind: crate::domain::SubjectKind::LegalEntity,
        name,
        uscc: Some(uscc),
        person_id_sealed: None,
        person_id_index: None,
        person_id_masked: None,
        legal_rep: Some(format!("{}{}", pick(rng, SURNAMES), pick(rng, GIVEN))),
        region_code: region,
        industry: Some(section.to_owned()),
        registered_on: Some(days_before(today, rng.gen_range(400..7000)).to_string()),
        former_names: Vec::new(),
    }
}

fn licence(s: &NewSubject, uscc: &str, a: &DemoAuthority, a_uscc: &str, decided: Date, serial: u32) -> Licence {
    Licence {
        subject_name: s.name.clone(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(uscc.to_owned()),
        legal_rep: s.legal_rep.clone(),
        person_id_type: None,
        person_id: None,
        decision_doc_name: "准予行政许可决定书".into(),
        decision_no: format!("青许准字〔{}〕第{serial:05}号", decided.year()),
        kind: if serial.is_multiple_of(3) { LicenceKind::Registration } else { LicenceKind::General },
        certificate_name: if serial.is_multiple_of(2) {
            "食品经营许可证".into()
        } else {
            "排污许可证".into()
        },
        licence_no: format!("JY{}{serial:08}", s.region_code),
        content: "准予从事预包装食品销售、散装食品销售".into(),
        decision_date: decided,
        valid_from: Some(decided),
        valid_to: Some(qy_workcal::add_months(decided, 60)),
        authority: a.name.clone(),
        authority_uscc: a_uscc.to_owned(),
        status: LicenceStatus::Valid,
        source: a.name.clone(),
        source_uscc: a_uscc.to_owned(),
        note: None,
    }
}

fn penalty(
    s: &NewSubject,
    uscc: &str,
    a: &DemoAuthority,
    a_uscc: &str,
    decided: Date,
    serial: u32,
    v: &Violation,
) -> Penalty {
    let (violation, facts, basis, categories, fine_yuan, severity) = *v;
    let fine = categories.contains(&PenaltyCategory::Fine);
    let confiscated = categories.iter().any(|c| c.is_confiscation());
    Penalty {
        subject_name: s.name.clone(),
        subject_category: SubjectCategory::LegalEntity,
        uscc: Some(uscc.to_owned()),
        legal_rep: s.legal_rep.clone(),
        person_id_type: None,
        person_id: None,
        decision_no: format!("青市监罚〔{}〕{serial}号", decided.year()),
        violation_type: violation.into(),
        facts: facts.into(),
        basis: basis.into(),
        categories: categories.to_vec(),
        content: if fine { format!("罚款人民币{fine_yuan}元") } else { "警告".into() },
        fine_fen: if fine { fine_yuan * 100 } else { 0 },
        confiscated_fen: if confiscated { 356_000 } else { 0 },
        suspended_licence: None,
        decision_date: decided,
        valid_until: None,
        authority: a.name.clone(),
        authority_uscc: a_uscc.to_owned(),
        source: a.name.clone(),
        source_uscc: a_uscc.to_owned(),
        severity,
        note: None,
    }
}
