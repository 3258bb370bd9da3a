//! Generated subjects: Qinghai company, cooperative and shop names, mostly distinct, with
//! valid and distinct USCCs.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use anyhow::anyhow;
use qy_credit::domain::SubjectKind;
use qy_credit::store::subjects::NewSubject;
use qy_workcal::Date;

use super::days_ago;
use super::rng::Rng;

/// Characters of two-character trade names (字号), most used first; drawn with Zipf weights so
/// that 鑫/华/盛… are everywhere and the tail is rare, as in a real register.
pub(super) const BRAND_CHARS: &str = "鑫华盛宏瑞金恒泰源隆昌达丰兴通福祥康德佳天明海宇嘉润和信安永利新中博正东方汇鼎诚聚荣益长顺合万发宝晟祺乾坤骏景泽鸿锦峰升辉亿卓越智航远大众美雅凯弘义普惠雪山湖川林青云泉石星晨阳光春秋元吉昊浩翔腾飞龙凤麒麟鹏程广厚德茂森鑫禾泓澜钰琪璟瀚淼焱垚犇骐骥睿哲铭轩宸";

// Word lists, separated by spaces.
/// Local trade names.
const LOCAL_BRANDS: &str = "高原 雪域 昆仑 三江源 青湖 柴达木 河湟 祁连山 江河源 金银滩 雪莲 圣湖 吉祥 \
    扎西 格桑 绿洲 草原 青稞香 沙棘林 盐湖 日月山 湟水 丹噶尔 夏都 大美 可可西里 年保玉则 阿尼玛卿 \
    唐古拉 巴颜喀拉 卓玛 多杰 央金 德吉 拉姆 鲁沙尔 察汗 龙羊峡 坎布拉 孟达 北山 彩虹 土乡 撒拉 河源 \
    星宿海 黄河源 青海湖 茶卡 原子城";
/// What cooperatives do.
const FARMING: &str = "种植 养殖 牦牛养殖 藏羊养殖 青稞种植 枸杞种植 农机服务 马铃薯种植 中藏药材种植 \
    油菜种植 蔬菜种植 生态畜牧业 土鸡养殖 蜂业 食用菌种植 饲草种植";
/// What individual businesses are.
const SHOPS: &str = "烟酒商行 便利店 餐馆 牛肉面馆 汽车修理部 五金门市部 百货商店 牛羊肉店 手抓羊肉馆 \
    农资店 理发店 通讯器材店 副食店 服装店 建材经营部 家电维修部 茶餐厅 火锅店 超市 酿皮店";
const SURNAMES: &str =
    "王 李 马 韩 张 赵 刘 陈 杨 冶 祁 才让 扎西 卓玛 多杰 索南 更登 尕 鲁 朱 何 魏 孙 周 吴 徐 星 喇";
const GIVEN: &str = "建国 海龙 卫东 秀英 永福 措 东智 吉 晓燕 明 国庆 文华 玉兰 生财 有福 德明 成林 万里 春花 \
    桂兰 青梅 才旦 南加 加措 英 海军 红梅 志强";

/// (business, GB/T 4754 section), most common first.
const TRADES: &[(&str, &str)] = &[
    ("商贸", "F"),
    ("建筑工程", "E"),
    ("贸易", "F"),
    ("科技", "M"),
    ("物流", "G"),
    ("餐饮管理", "H"),
    ("劳务", "L"),
    ("装饰工程", "E"),
    ("农牧业开发", "A"),
    ("信息技术", "I"),
    ("房地产开发", "K"),
    ("汽车销售", "F"),
    ("实业", "C"),
    ("工贸", "F"),
    ("电力工程", "E"),
    ("文化传媒", "R"),
    ("旅游开发", "N"),
    ("生物科技", "M"),
    ("新能源", "D"),
    ("矿业", "B"),
    ("环保科技", "N"),
    ("运输", "G"),
    ("电子商务", "F"),
    ("医药", "F"),
    ("农业科技", "A"),
    ("建材", "F"),
    ("物业管理", "K"),
    ("广告", "L"),
    ("教育科技", "P"),
    ("机械设备", "F"),
    ("酒店管理", "H"),
    ("牦牛肉制品", "C"),
    ("枸杞", "A"),
    ("青稞酒业", "C"),
    ("乳业", "C"),
    ("藏毯", "C"),
    ("藏药", "C"),
    ("盐化", "C"),
    ("沙棘饮品", "C"),
    ("光伏科技", "D"),
    ("水利水电工程", "E"),
    ("市政工程", "E"),
    ("园林绿化工程", "E"),
    ("安防科技", "I"),
    ("网络科技", "I"),
    ("软件开发", "I"),
    ("会计服务", "L"),
    ("人力资源", "L"),
    ("家政服务", "O"),
    ("食品", "C"),
    ("农产品", "F"),
    ("畜牧", "A"),
    ("清真食品", "C"),
    ("民族服饰", "C"),
    ("唐卡艺术", "R"),
    ("冬虫夏草", "F"),
    ("石油化工", "C"),
    ("有色金属", "C"),
    ("锂业", "C"),
    ("冷链物流", "G"),
    ("供应链管理", "L"),
    ("能源", "D"),
];
/// (suffix, weight)
const COMPANY_SUFFIXES: &[(&str, u32)] =
    &[("有限公司", 62), ("有限责任公司", 28), ("股份有限公司", 4), ("集团有限公司", 3), ("实业有限公司", 3)];
/// Cities as they start a company name: (name, region code, weight).
const CITIES: &[(&str, &str, u32)] = &[
    ("西宁", "630100", 30),
    ("海东", "630200", 6),
    ("格尔木", "632801", 8),
    ("德令哈", "632802", 3),
    ("海西", "632800", 2),
    ("玉树", "632701", 3),
    ("海北", "632200", 2),
    ("黄南", "632300", 2),
    ("果洛", "632600", 1),
    ("同仁", "632301", 1),
    ("茫崖", "632803", 1),
    ("海南州", "632500", 2),
];
/// Counties as they start cooperative and shop names: (name, code, weight).
const COUNTIES: &[(&str, &str, u32)] = &[
    ("城东区", "630102", 12),
    ("城中区", "630103", 12),
    ("城西区", "630104", 12),
    ("城北区", "630105", 10),
    ("湟中区", "630106", 8),
    ("大通县", "630121", 7),
    ("湟源县", "630123", 3),
    ("乐都区", "630202", 5),
    ("平安区", "630203", 4),
    ("民和县", "630222", 5),
    ("互助县", "630223", 5),
    ("化隆县", "630224", 4),
    ("循化县", "630225", 3),
    ("门源县", "632221", 3),
    ("祁连县", "632222", 2),
    ("海晏县", "632223", 1),
    ("刚察县", "632224", 1),
    ("同仁市", "632301", 2),
    ("尖扎县", "632322", 1),
    ("泽库县", "632323", 1),
    ("河南县", "632324", 1),
    ("共和县", "632521", 3),
    ("同德县", "632522", 1),
    ("贵德县", "632523", 2),
    ("兴海县", "632524", 1),
    ("贵南县", "632525", 1),
    ("玛沁县", "632621", 1),
    ("班玛县", "632622", 1),
    ("甘德县", "632623", 1),
    ("达日县", "632624", 1),
    ("久治县", "632625", 1),
    ("玛多县", "632626", 1),
    ("玉树市", "632701", 2),
    ("杂多县", "632722", 1),
    ("称多县", "632723", 1),
    ("治多县", "632724", 1),
    ("囊谦县", "632725", 1),
    ("曲麻莱县", "632726", 1),
    ("格尔木市", "632801", 5),
    ("德令哈市", "632802", 2),
    ("茫崖市", "632803", 1),
    ("乌兰县", "632821", 1),
    ("都兰县", "632822", 1),
    ("天峻县", "632823", 1),
];
/// 31^8: organisation bodies of a USCC (8 characters of its 31-character alphabet).
const BODIES: u64 = 852_891_037_441;
/// Multiplier of the serial → body bijection (not a multiple of 31).
const BODY_MULT: u64 = 0x2545_F491;

/// Weighted choice by cumulative weights.
struct Weighted {
    cum: Vec<f64>,
}

impl Weighted {
    fn new(weights: impl Iterator<Item = f64>) -> Self {
        let mut total = 0.0;
        let cum = weights
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Self { cum }
    }

    /// Zipf weights 1/(rank+1)^s.
    fn zipf(n: usize, s: f64) -> Self {
        Self::new((0..n).map(|k| 1.0 / ((k + 1) as f64).powf(s)))
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.cum.last().copied().unwrap_or(0.0);
        let x = rng.unit() * total;
        self.cum.partition_point(|c| *c <= x).min(self.cum.len().saturating_sub(1))
    }
}

/// Generates subjects: names mostly distinct (a set of name hashes; a duplicate is drawn
/// again), USCCs distinct by construction (the organisation body is a bijection of the
/// serial number).
pub(super) struct NameGen<'a> {
    rng: Rng,
    today: Date,
    body_offset: u64,
    brand_chars: Vec<char>,
    brand_w: Weighted,
    trade_w: Weighted,
    suffix_w: Weighted,
    city_w: Weighted,
    county_w: Weighted,
    local_brands: Vec<&'static str>,
    farming: Vec<&'static str>,
    shops: Vec<&'static str>,
    surnames: Vec<&'static str>,
    given: Vec<&'static str>,
    townships: &'a HashMap<String, Vec<String>>,
    seen: HashSet<u64>,
}

impl<'a> NameGen<'a> {
    /// `townships`: township names by county code; `today`: registration and renaming dates
    /// are drawn before it.
    pub(super) fn new(seed: u64, townships: &'a HashMap<String, Vec<String>>, today: Date) -> Self {
        let mut brand_chars: Vec<char> = Vec::new();
        for c in BRAND_CHARS.chars() {
            if !brand_chars.contains(&c) {
                brand_chars.push(c);
            }
        }
        let mut rng = Rng::new(seed);
        let words = |list: &'static str| list.split_whitespace().collect::<Vec<_>>();
        Self {
            body_offset: rng.next() % BODIES,
            rng,
            today,
            brand_w: Weighted::zipf(brand_chars.len(), 0.9),
            brand_chars,
            trade_w: Weighted::zipf(TRADES.len(), 0.8),
            suffix_w: Weighted::new(COMPANY_SUFFIXES.iter().map(|(_, w)| f64::from(*w))),
            city_w: Weighted::new(CITIES.iter().map(|c| f64::from(c.2))),
            county_w: Weighted::new(COUNTIES.iter().map(|c| f64::from(c.2))),
            local_brands: words(LOCAL_BRANDS),
            farming: words(FARMING),
            shops: words(SHOPS),
            surnames: words(SURNAMES),
            given: words(GIVEN),
            townships,
            seen: HashSet::new(),
        }
    }

    fn local_brand(&mut self) -> &'static str {
        self.rng.pick(&self.local_brands)
    }

    fn brand(&mut self) -> String {
        let roll = self.rng.unit();
        if roll < 0.25 {
            return self.local_brand().to_owned();
        }
        let len = if roll < 0.88 { 2 } else { 3 };
        let mut s = String::new();
        while s.chars().count() < len {
            let c = self.brand_chars.get(self.brand_w.pick(&mut self.rng)).copied().unwrap_or('鑫');
            if !s.ends_with(c) {
                s.push(c);
            }
        }
        s
    }

    fn county(&mut self) -> (&'static str, &'static str) {
        COUNTIES.get(self.county_w.pick(&mut self.rng)).map(|c| (c.0, c.1)).unwrap_or(("城东区", "630102"))
    }

    fn city(&mut self) -> (&'static str, &'static str) {
        CITIES.get(self.city_w.pick(&mut self.rng)).map(|c| (c.0, c.1)).unwrap_or(("西宁", "630100"))
    }

    fn township(&mut self, county: &str) -> String {
        match self.townships.get(county) {
            Some(list) if !list.is_empty() => list.get(self.rng.below(list.len())).cloned().unwrap_or_default(),
            _ => String::new(),
        }
    }

    fn person(&mut self) -> String {
        format!("{}{}", self.rng.pick(&self.surnames), self.rng.pick(&self.given))
    }

    /// (name, kind, USCC type, region code, GB/T 4754 section)
    fn draw(&mut self) -> (String, SubjectKind, &'static str, String, &'static str) {
        let roll = self.rng.unit();
        if roll < 0.72 {
            // 青海鑫盛商贸有限公司, 西宁雪域建筑工程有限责任公司, 大通县…, with branches.
            let (prefix, region) = match self.rng.unit() {
                r if r < 0.40 => ("青海", self.county().1),
                r if r < 0.45 => ("青海省", self.county().1),
                r if r < 0.78 => self.city(),
                _ => self.county(),
            };
            let (trade, section) = TRADES.get(self.trade_w.pick(&mut self.rng)).copied().unwrap_or(("商贸", "F"));
            let suffix = COMPANY_SUFFIXES.get(self.suffix_w.pick(&mut self.rng)).map(|s| s.0).unwrap_or("有限公司");
            let mut name = format!("{prefix}{}{trade}{suffix}", self.brand());
            if self.rng.chance(0.05) {
                name.push_str(self.city().0);
                name.push_str("分公司");
            }
            (name, SubjectKind::LegalEntity, "91", region.to_owned(), section)
        } else if roll < 0.86 {
            // 互助县威远镇格桑青稞种植专业合作社
            let (county, code) = self.county();
            let town = self.township(code);
            let brand = if self.rng.chance(0.5) { self.local_brand().to_owned() } else { self.brand() };
            let name = format!("{county}{town}{brand}{}专业合作社", self.rng.pick(&self.farming));
            (name, SubjectKind::LegalEntity, "93", code.to_owned(), "A")
        } else {
            // 城东区马建国牛肉面馆, 大通县桥头镇鑫盛百货商店
            let (county, code) = self.county();
            let town = if self.rng.chance(0.3) { self.township(code) } else { String::new() };
            let who = if self.rng.chance(0.55) { self.person() } else { self.brand() };
            let name = format!("{county}{town}{who}{}", self.rng.pick(&self.shops));
            (name, SubjectKind::IndividualBusiness, "92", code.to_owned(), "F")
        }
    }

    /// The subject with serial number `serial` (distinct serials give distinct USCCs).
    pub(super) fn subject(&mut self, serial: u64) -> anyhow::Result<NewSubject> {
        let mut drawn = self.draw();
        for _ in 0..20 {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            drawn.0.hash(&mut h);
            if self.seen.insert(h.finish()) {
                break;
            }
            drawn = self.draw();
        }
        let (name, kind, org_type, region, section) = drawn;
        let uscc = qy_cnid::Uscc::build(org_type, &region, &self.body(serial))
            .map_err(|e| anyhow!("building a USCC for {region}: {e}"))?
            .as_str()
            .to_owned();
        let mut former_names = Vec::new();
        if self.rng.chance(0.03) {
            let (old, _, _, _, _) = self.draw();
            let until = days_ago(self.today, 200 + self.rng.below(3000) as i64);
            former_names.push((old, Some(until.to_string())));
        }
        Ok(NewSubject {
            id: qy_kernel::id::new_id(),
            kind,
            name,
            uscc: Some(uscc),
            person_id_sealed: None,
            person_id_index: None,
            person_id_masked: None,
            legal_rep: Some(self.person()),
            region_code: region,
            industry: Some(section.to_owned()),
            registered_on: Some(days_ago(self.today, 100 + self.rng.below(9_000) as i64).to_string()),
            former_names,
        })
    }

    /// Eight characters of the organisation body: distinct for distinct serials below 31^8.
    fn body(&self, serial: u64) -> String {
        let alphabet = qy_cnid::uscc::ALPHABET.as_bytes();
        let mut x =
            ((u128::from(serial) * u128::from(BODY_MULT) + u128::from(self.body_offset)) % u128::from(BODIES)) as u64;
        let mut out = [b'0'; 8];
        for slot in out.iter_mut().rev() {
            *slot = alphabet.get((x % 31) as usize).copied().unwrap_or(b'0');
            x /= 31;
        }
        out.iter().map(|b| char::from(*b)).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn bodies_are_distinct_valid_uscc_parts() {
        assert_eq!(qy_cnid::uscc::ALPHABET.len(), 31);
        let townships = HashMap::new();
        let g = NameGen::new(1, &townships, Date::constant(2024, 6, 1));
        let mut seen = HashSet::new();
        for serial in 0..20_000u64 {
            let body = g.body(serial);
            assert!(seen.insert(body.clone()), "duplicate body {body}");
            assert!(qy_cnid::Uscc::build("91", "630100", &body).is_ok(), "{body}");
        }
    }

    #[test]
    fn names_are_chinese_and_mostly_distinct() {
        let townships = HashMap::new();
        let today = Date::constant(2024, 6, 1);
        let mut g = NameGen::new(7, &townships, today);
        let mut names = HashSet::new();
        for serial in 0..5_000u64 {
            let s = g.subject(serial).unwrap();
            assert!(s.name.chars().count() >= 6, "{}", s.name);
            assert!(qy_cnid::Uscc::parse(s.uscc.as_deref().unwrap()).is_ok());
            let registered: Date = s.registered_on.as_deref().unwrap().parse().unwrap();
            assert!(registered < today);
            names.insert(s.name);
        }
        assert!(names.len() > 4_950, "{} distinct names of 5000", names.len());
    }

    #[test]
    fn word_lists_split_into_words() {
        let townships = HashMap::new();
        let g = NameGen::new(1, &townships, Date::constant(2024, 6, 1));
        assert_eq!((g.local_brands.len(), g.farming.len(), g.shops.len()), (50, 16, 20));
        assert_eq!((g.surnames.len(), g.given.len()), (28, 28));
        assert!(g.local_brands.contains(&"大美") && g.local_brands.contains(&"可可西里"));
    }
}
