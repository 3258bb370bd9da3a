//! Unified social credit code (统一社会信用代码), GB 32100-2015 (+ XG1-2016).
//!
//! Layout (GB 32100-2015 §4.1), 18 characters:
//!
//! | pos   | part |
//! | ----- | ---- |
//! | 1     | 登记管理部门代码 registration authority |
//! | 2     | 机构类别代码 organisation type (meaning depends on pos 1) |
//! | 3–8   | 登记管理机关行政区划码 (GB/T 2260; may be obsolete; `100000` = national level) |
//! | 9–17  | 主体标识码 = GB 11714 organisation code (8 body + check) |
//! | 18    | 校验码, MOD 31 over positions 1–17 (GB 32100-2015 §4.3, GB/T 17710) |
//!
//! Hard errors: length ≠ 18, a character outside the 31-character set, a wrong position-18
//! check. Soft [`Warning`]s: unknown authority/type pair, positions 3–8 not a GB/T 2260 code,
//! wrong embedded GB 11714 check digit (legacy data quality varies; see `tests/data`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::IdError;
use crate::normalise::normalise;
use crate::orgcode;
use crate::region_code::RegionCode;
use crate::warning::Warning;

/// GB 32100-2015 §4.2: the 31 code characters (digits and upper-case letters without
/// I, O, Z, S, V); each character's value is its index.
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

const SET_DESC: &str = "one of the 31-character set 0-9 A-H J-N P-R T U W-Y (no I O Z S V)";

/// GB 32100-2015 §4.3: weights `W_i = 3^(i−1) mod 31`, i = 1..17.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// The national-level registration region `100000` (central registrations, e.g. 中国银行
/// `911000001000013428`); it is not a GB/T 2260 division but is accepted without warning.
pub const NATIONAL_REGION: &str = "100000";

/// Value of a character in the 31-character set.
fn value(c: char) -> Option<u32> {
    ALPHABET.chars().position(|a| a == c).and_then(|i| u32::try_from(i).ok())
}

/// Compute the position-18 check character over the first 17 characters.
///
/// GB 32100-2015 §4.3: `C18 = alphabet[(31 − Σ value_i · W_i mod 31) mod 31]`.
/// Returns `None` unless `first17` is exactly 17 characters of the 31-character set
/// (upper case; no normalisation is applied).
#[must_use]
pub fn compute_check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value(c)? * w;
    }
    ALPHABET.chars().nth(usize::try_from((31 - sum % 31) % 31).ok()?)
}

/// Registration authority (登记管理部门, position 1). The list grows over time, so unknown
/// codes are kept rather than rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistrationAuthority {
    /// `1` 机构编制.
    OrganisationStaffing,
    /// `2` 外交.
    ForeignAffairs,
    /// `3` 司法行政.
    Justice,
    /// `4` 文化.
    Culture,
    /// `5` 民政.
    CivilAffairs,
    /// `6` 旅游.
    Tourism,
    /// `7` 宗教.
    Religion,
    /// `8` 工会.
    TradeUnion,
    /// `9` 工商 / 市场监管.
    MarketRegulation,
    /// `A` 中央军委改革和编制办公室.
    Military,
    /// `G` 公安 (境外非政府组织).
    PublicSecurity,
    /// `J` 住房城乡建设.
    HousingConstruction,
    /// `N` 农业农村.
    AgricultureRural,
    /// `Q` 侨联.
    OverseasChinese,
    /// `Y` 其他.
    Other,
    /// A character of the set not (yet) in the list.
    Unknown(char),
}

impl RegistrationAuthority {
    /// Classify position 1.
    #[must_use]
    pub fn from_char(c: char) -> Self {
        match c {
            '1' => Self::OrganisationStaffing,
            '2' => Self::ForeignAffairs,
            '3' => Self::Justice,
            '4' => Self::Culture,
            '5' => Self::CivilAffairs,
            '6' => Self::Tourism,
            '7' => Self::Religion,
            '8' => Self::TradeUnion,
            '9' => Self::MarketRegulation,
            'A' => Self::Military,
            'G' => Self::PublicSecurity,
            'J' => Self::HousingConstruction,
            'N' => Self::AgricultureRural,
            'Q' => Self::OverseasChinese,
            'Y' => Self::Other,
            other => Self::Unknown(other),
        }
    }

    /// The code character.
    #[must_use]
    pub fn code(self) -> char {
        match self {
            Self::OrganisationStaffing => '1',
            Self::ForeignAffairs => '2',
            Self::Justice => '3',
            Self::Culture => '4',
            Self::CivilAffairs => '5',
            Self::Tourism => '6',
            Self::Religion => '7',
            Self::TradeUnion => '8',
            Self::MarketRegulation => '9',
            Self::Military => 'A',
            Self::PublicSecurity => 'G',
            Self::HousingConstruction => 'J',
            Self::AgricultureRural => 'N',
            Self::OverseasChinese => 'Q',
            Self::Other => 'Y',
            Self::Unknown(c) => c,
        }
    }

    /// Chinese name of the authority, `None` if unknown.
    #[must_use]
    pub fn name_zh(self) -> Option<&'static str> {
        Some(match self {
            Self::OrganisationStaffing => "机构编制",
            Self::ForeignAffairs => "外交",
            Self::Justice => "司法行政",
            Self::Culture => "文化",
            Self::CivilAffairs => "民政",
            Self::Tourism => "旅游",
            Self::Religion => "宗教",
            Self::TradeUnion => "工会",
            Self::MarketRegulation => "工商/市场监管",
            Self::Military => "中央军委改革和编制办公室",
            Self::PublicSecurity => "公安",
            Self::HousingConstruction => "住房城乡建设",
            Self::AgricultureRural => "农业农村",
            Self::OverseasChinese => "侨联",
            Self::Other => "其他",
            Self::Unknown(_) => return None,
        })
    }
}

/// Registration-authority + organisation-type pairs (positions 1–2) with their Chinese names.
/// GB 32100-2015 table 1 and later additions, as in current public code lists; 32–35 are from
/// older lists. Treat as data, not a closed set: an unknown pair is only a warning.
const ORG_TYPES: &[(&str, &str)] = &[
    ("11", "机关"),
    ("12", "事业单位"),
    ("13", "编办直接管理机构编制的群众团体"),
    ("19", "其他"),
    ("21", "外国常驻新闻机构"),
    ("29", "其他"),
    ("31", "律师执业机构"),
    ("32", "公证处"),
    ("33", "基层法律服务所"),
    ("34", "司法鉴定机构"),
    ("35", "仲裁委员会"),
    ("36", "商事调解组织"),
    ("39", "其他"),
    ("41", "外国在华文化中心"),
    ("49", "其他"),
    ("51", "社会团体"),
    ("52", "民办非企业单位"),
    ("53", "基金会"),
    ("54", "村民委员会"),
    ("55", "居民委员会"),
    ("59", "其他"),
    ("61", "外国旅游部门常驻代表机构"),
    ("62", "港澳台地区旅游部门常驻内地（大陆）代表机构"),
    ("69", "其他"),
    ("71", "宗教活动场所"),
    ("72", "宗教院校"),
    ("79", "其他"),
    ("81", "基层工会"),
    ("82", "非法人工会组织"),
    ("89", "其他"),
    ("91", "企业"),
    ("92", "个体工商户"),
    ("93", "农民专业合作社"),
    ("99", "其他"),
    ("A1", "军队事业单位"),
    ("A9", "其他"),
    ("G1", "境外非政府组织代表机构"),
    ("G9", "其他"),
    ("J1", "业主大会"),
    ("J9", "其他"),
    ("N1", "组级集体经济组织"),
    ("N2", "村级集体经济组织"),
    ("N3", "乡镇级集体经济组织"),
    ("N9", "其他"),
    ("Q1", "侨联组织"),
    ("Q2", "侨联组织"),
    ("Q3", "侨联组织"),
    ("Q9", "其他"),
    ("Y1", "其他"),
];

/// Chinese name of an authority/type pair (positions 1–2), `None` if not in the list.
#[must_use]
pub fn organisation_type_name(pair: &str) -> Option<&'static str> {
    ORG_TYPES.iter().find(|(code, _)| *code == pair).map(|(_, name)| *name)
}

/// A unified social credit code whose length, character set and MOD 31 check are valid.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Uscc(String);

impl Uscc {
    /// Parse after [`normalise`] (trim, full-width → half-width, upper-case).
    ///
    /// # Errors
    /// `length` (≠ 18), `charset` (outside the 31-character set), `check_char` (position 18).
    pub fn parse(input: &str) -> Result<Self, IdError> {
        let s = normalise(input);
        let n = s.chars().count();
        if n != 18 {
            return Err(IdError::Length { expected: "18", found: n });
        }
        // GB 32100-2015 §4.2: every position uses the 31-character set.
        if let Some((i, c)) = s.chars().enumerate().find(|(_, c)| value(*c).is_none()) {
            return Err(IdError::Charset { position: i + 1, found: c, expected: SET_DESC });
        }
        // All ASCII from here on: byte slicing is safe.
        let (first17, found) = (s.get(..17).unwrap_or_default(), s.chars().nth(17).unwrap_or_default());
        let expected = compute_check_char(first17).ok_or(IdError::Length { expected: "18", found: n })?;
        if expected != found {
            return Err(IdError::CheckChar { expected, found });
        }
        Ok(Self(s))
    }

    /// Like [`Uscc::parse`] but also rejects a wrong embedded GB 11714 check digit
    /// (`org_code_check`).
    ///
    /// # Errors
    /// As [`Uscc::parse`], plus `org_code_check`.
    pub fn parse_strict(input: &str) -> Result<Self, IdError> {
        let u = Self::parse(input)?;
        match u.org_code_check_mismatch() {
            Some((expected, found)) => Err(IdError::OrgCodeCheck { expected, found }),
            None => Ok(u),
        }
    }

    /// Build a valid code for demo/test data: `authority_type` (positions 1–2), `region`
    /// (6 characters), `org_body` (8 characters); both check characters are computed.
    ///
    /// # Errors
    /// `length` or `charset` when the parts do not fit the 31-character set and lengths.
    pub fn build(authority_type: &str, region: &str, org_body: &str) -> Result<Self, IdError> {
        let parts = [(authority_type, 2, "authority_type"), (region, 6, "region"), (org_body, 8, "org_body")];
        for (part, len, field) in parts {
            let n = part.chars().count();
            if n != len {
                return Err(IdError::Length {
                    expected: match len {
                        2 => "2",
                        6 => "6",
                        _ => "8",
                    },
                    found: n,
                }
                .in_field(field));
            }
            if let Some((i, c)) = part.chars().enumerate().find(|(_, c)| value(*c).is_none()) {
                return Err(IdError::Charset { position: i + 1, found: c, expected: SET_DESC }.in_field(field));
            }
        }
        let org_check = orgcode::compute_check_char(org_body)
            .ok_or(IdError::Length { expected: "8", found: org_body.chars().count() })?;
        let first17 = format!("{authority_type}{region}{org_body}{org_check}");
        let check =
            compute_check_char(&first17).ok_or(IdError::Length { expected: "17", found: first17.chars().count() })?;
        Ok(Self(format!("{first17}{check}")))
    }

    /// The 18 characters.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Position 1, classified.
    #[must_use]
    pub fn registration_authority(&self) -> RegistrationAuthority {
        RegistrationAuthority::from_char(self.0.chars().next().unwrap_or_default())
    }

    /// Positions 1–2: authority + organisation type, e.g. `"91"`.
    #[must_use]
    pub fn authority_type_code(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }

    /// Chinese name of the authority/type pair, `None` when not in the code list.
    #[must_use]
    pub fn organisation_type(&self) -> Option<&'static str> {
        organisation_type_name(self.authority_type_code())
    }

    /// Positions 3–8 as written (GB/T 2260 code of the registering authority, possibly obsolete,
    /// or `100000` for national-level registration).
    #[must_use]
    pub fn region_code(&self) -> &str {
        self.0.get(2..8).unwrap_or_default()
    }

    /// Positions 3–8 as a [`RegionCode`], `None` for `100000` or a structurally invalid code.
    #[must_use]
    pub fn region(&self) -> Option<RegionCode> {
        RegionCode::parse(self.region_code()).ok()
    }

    /// Positions 9–17: the GB 11714 organisation code (body + its own check), no hyphen.
    #[must_use]
    pub fn organisation_code(&self) -> &str {
        self.0.get(8..17).unwrap_or_default()
    }

    /// Position 18.
    #[must_use]
    pub fn check_char(&self) -> char {
        self.0.chars().nth(17).unwrap_or_default()
    }

    /// `(expected, found)` when the embedded GB 11714 check digit is wrong.
    fn org_code_check_mismatch(&self) -> Option<(char, char)> {
        let org = self.organisation_code();
        let expected = orgcode::compute_check_char(org.get(..8)?)?;
        let found = org.chars().nth(8)?;
        (expected != found).then_some((expected, found))
    }

    /// Soft findings (the code is valid): unknown authority/type pair, positions 3–8 not a
    /// GB/T 2260 code, wrong embedded GB 11714 check digit.
    #[must_use]
    pub fn warnings(&self) -> Vec<Warning> {
        let mut out = Vec::new();
        let pair = self.authority_type_code();
        if organisation_type_name(pair).is_none() {
            out.push(Warning::UnknownAuthorityType { pair: pair.to_string() });
        }
        let region = self.region_code();
        if region != NATIONAL_REGION {
            if let Err(e) = RegionCode::parse(region) {
                let reason = match e {
                    IdError::RegionCode { reason, .. } => reason.to_string(),
                    other => other.to_string(),
                };
                out.push(Warning::RegionCode { found: region.to_string(), reason });
            }
        }
        if let Some((expected, found)) = self.org_code_check_mismatch() {
            let org = self.organisation_code();
            out.push(Warning::OrgCodeCheck {
                org_code: format!("{}-{}", org.get(..8).unwrap_or_default(), found),
                expected,
                found,
            });
        }
        out
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uscc({})", self.0)
    }
}

impl FromStr for Uscc {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Uscc {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Uscc> for String {
    fn from(u: Uscc) -> String {
        u.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
        assert_eq!(ALPHABET.len(), 31);
    }

    #[test]
    fn huawei_worked_example() {
        // Σ = 831, 831 mod 31 = 25, 31 − 25 = 6.
        assert_eq!(compute_check_char("91440300192203821"), Some('6'));
        let u = Uscc::parse("914403001922038216").unwrap();
        assert_eq!(u.region_code(), "440300");
        assert_eq!(u.organisation_code(), "192203821");
        assert_eq!(u.registration_authority(), RegistrationAuthority::MarketRegulation);
        assert_eq!(u.registration_authority().code(), '9');
        assert_eq!(u.organisation_type(), Some("企业"));
        assert_eq!(u.check_char(), '6');
        assert!(u.warnings().is_empty());
        assert_eq!(u.region().unwrap().as_str(), "440300");
    }

    #[test]
    fn compute_rejects_bad_input() {
        assert_eq!(compute_check_char("9144030019220382"), None);
        assert_eq!(compute_check_char("9144030019220382I"), None);
        assert_eq!(compute_check_char("9144030019220382a"), None);
        assert_eq!(compute_check_char("9144030019220382é"), None);
    }

    #[test]
    fn result_31_becomes_0() {
        // A body whose weighted sum is ≡ 0 mod 31 gets check '0'.
        assert_eq!(compute_check_char("00000000000000000"), Some('0'));
    }

    #[test]
    fn errors() {
        assert_eq!(Uscc::parse("914403001922038217").unwrap_err(), IdError::CheckChar { expected: '6', found: '7' });
        let e = Uscc::parse("91440300192203821I").unwrap_err();
        assert!(matches!(e, IdError::Charset { position: 18, found: 'I', .. }));
        assert_eq!(Uscc::parse("9144030019220382").unwrap_err(), IdError::Length { expected: "18", found: 16 });
        assert_eq!(Uscc::parse("").unwrap_err().code(), "length");
        // Multibyte input of the right char count must not panic and is a charset error.
        assert_eq!(Uscc::parse("9144030019220382é6").unwrap_err().code(), "charset");
    }

    #[test]
    fn soft_warning_and_strict() {
        let u = Uscc::parse("91630000710406380Q").unwrap();
        assert_eq!(
            u.warnings(),
            vec![Warning::OrgCodeCheck { org_code: "71040638-0".into(), expected: 'X', found: '0' }]
        );
        assert_eq!(
            Uscc::parse_strict("91630000710406380Q").unwrap_err(),
            IdError::OrgCodeCheck { expected: 'X', found: '0' }
        );
        assert!(Uscc::parse_strict("914403001922038216").is_ok());
    }

    #[test]
    fn other_warnings() {
        // Unknown pair "9Y", region "000000"; build computes both checks.
        let u = Uscc::build("9Y", "000000", "12345678").unwrap();
        let codes: Vec<&str> = u.warnings().iter().map(Warning::code).collect();
        assert_eq!(codes, vec!["unknown_authority_type", "region_code"]);
        assert_eq!(u.registration_authority(), RegistrationAuthority::MarketRegulation);
        let u = Uscc::build("B1", "630000", "12345678").unwrap();
        assert_eq!(u.registration_authority(), RegistrationAuthority::Unknown('B'));
        assert_eq!(u.registration_authority().name_zh(), None);
    }

    #[test]
    fn national_region_is_not_a_warning() {
        let u = Uscc::parse("911000001000013428").unwrap();
        assert_eq!(u.region_code(), NATIONAL_REGION);
        assert!(u.region().is_none());
        assert!(u.warnings().is_empty());
    }

    #[test]
    fn build_makes_valid_codes() {
        let u = Uscc::build("91", "630100", "MA7KXY12").unwrap();
        assert!(Uscc::parse_strict(u.as_str()).is_ok());
        assert!(u.warnings().is_empty());
        assert_eq!(Uscc::build("91", "63010", "MA7KXY12").unwrap_err().code(), "field");
        assert_eq!(Uscc::build("91", "630100", "MA7KXYI2").unwrap_err().code(), "field");
    }

    #[test]
    fn normalises() {
        let u = Uscc::parse(" 91440300708461136t ").unwrap();
        assert_eq!(u.as_str(), "91440300708461136T");
        let u = Uscc::parse("９１４４０３００７０８４６１１３６Ｔ").unwrap();
        assert_eq!(u.as_str(), "91440300708461136T");
    }

    #[test]
    fn serde_round_trip() {
        let u = Uscc::parse("91440300708461136T").unwrap();
        let j = serde_json::to_string(&u).unwrap();
        assert_eq!(j, "\"91440300708461136T\"");
        assert_eq!(serde_json::from_str::<Uscc>(&j).unwrap(), u);
        assert!(serde_json::from_str::<Uscc>("\"91440300708461136U\"").is_err());
        assert_eq!(u.to_string(), "91440300708461136T");
        assert_eq!(format!("{u:?}"), "Uscc(91440300708461136T)");
        assert_eq!("91440300708461136T".parse::<Uscc>().unwrap(), u);
    }
}
