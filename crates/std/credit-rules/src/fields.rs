//! Column headers of the bulk-import sheets.
//!
//! Data providers fill the national 双公示 templates, whose first row is either the national field
//! codes (CF_XDR_MC …, XK_XDR_MC …) or their Chinese labels; both come from the tables of
//! reference §4.2. Older (2016) penalty feeds use other codes — CF_CFLB1/CF_CFLB2, CF_JG, CF_XZJG,
//! CF_AJMC, CF_ZT — which §4.2 asks us to keep mapping. `SEVERITY` / 失信程度 is our own column: the
//! national template has no severity, but our publication window needs one.
//!
//! The header tables are the single source: [`PENALTY_HEADERS`] / [`LICENCE_HEADERS`] (template
//! order, used to generate the downloadable template) are derived from them at compile time.

/// A column of the penalty (行政处罚) sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PenaltyField {
    /// CF_XDR_MC.
    SubjectName,
    /// CF_XDR_LB.
    SubjectCategory,
    /// CF_XDR_SHXYM.
    Uscc,
    /// CF_XDR_GSZC (legacy 工商注册号).
    BusinessRegNo,
    /// CF_XDR_ZZJG (legacy 组织机构代码).
    OrgCode,
    /// CF_XDR_SWDJ (legacy 税务登记号).
    TaxRegNo,
    /// CF_XDR_SYDW (legacy 事业单位证书号).
    InstitutionNo,
    /// CF_XDR_SHZZ (legacy 社会组织登记证号).
    SocialOrgNo,
    /// CF_FRDB.
    LegalRep,
    /// CF_FR_ZJLX.
    LegalRepIdType,
    /// CF_FR_ZJHM.
    LegalRepId,
    /// CF_XDR_ZJLX.
    PersonIdType,
    /// CF_XDR_ZJHM.
    PersonId,
    /// CF_WSH.
    DecisionNo,
    /// CF_WFXW (legacy CF_AJMC 案件名称).
    ViolationType,
    /// CF_SY.
    Facts,
    /// CF_YJ.
    Basis,
    /// CF_CFLB (legacy CF_CFLB1 and CF_CFLB2: both columns feed the one category set).
    Categories,
    /// CF_NR (legacy CF_JG 处罚结果).
    Content,
    /// CF_NR_FK.
    Fine,
    /// CF_NR_WFFF.
    Confiscated,
    /// CF_NR_ZKDX.
    SuspendedLicence,
    /// CF_JDRQ.
    DecisionDate,
    /// CF_YXQ.
    ValidUntil,
    /// CF_GSJZQ: computed by us from the publication policy, so an uploaded value is ignored.
    PublicationEnd,
    /// CF_CFJG (legacy CF_XZJG).
    Authority,
    /// CF_CFJGDM.
    AuthorityUscc,
    /// CF_SJLY.
    Source,
    /// CF_SJLYDM.
    SourceUscc,
    /// BZ.
    Note,
    /// SEVERITY 失信程度 (ours).
    Severity,
    /// A known column carrying nothing we keep (legacy CF_ZT 当前状态).
    Ignored,
}

/// A column of the licence (行政许可) sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LicenceField {
    /// XK_XDR_MC.
    SubjectName,
    /// XK_XDR_LB.
    SubjectCategory,
    /// XK_XDR_SHXYM.
    Uscc,
    /// XK_XDR_GSZC (legacy).
    BusinessRegNo,
    /// XK_XDR_ZZJG (legacy).
    OrgCode,
    /// XK_XDR_SWDJ (legacy).
    TaxRegNo,
    /// XK_XDR_SYDW (legacy).
    InstitutionNo,
    /// XK_XDR_SHZZ (legacy).
    SocialOrgNo,
    /// XK_FRDB.
    LegalRep,
    /// XK_FR_ZJLX.
    LegalRepIdType,
    /// XK_FR_ZJHM.
    LegalRepId,
    /// XK_XDR_ZJLX.
    PersonIdType,
    /// XK_XDR_ZJHM.
    PersonId,
    /// XK_XKWS.
    DecisionDocName,
    /// XK_WSH.
    DecisionNo,
    /// XK_XKLB.
    Kind,
    /// XK_XKZS.
    CertificateName,
    /// XK_XKBH.
    LicenceNo,
    /// XK_NR.
    Content,
    /// XK_JDRQ.
    DecisionDate,
    /// XK_YXQZ.
    ValidFrom,
    /// XK_YXQZI.
    ValidTo,
    /// XK_XKJG.
    Authority,
    /// XK_XKJGDM.
    AuthorityUscc,
    /// XK_ZT.
    Status,
    /// XK_LYDW.
    Source,
    /// XK_LYDWDM.
    SourceUscc,
    /// BZ.
    Note,
}

/// Penalty template columns in order: field, code, Chinese label (reference §4.2).
const PENALTY_TEMPLATE: &[(PenaltyField, &str, &str)] = &[
    (PenaltyField::SubjectName, "CF_XDR_MC", "行政相对人名称"),
    (PenaltyField::SubjectCategory, "CF_XDR_LB", "行政相对人类别"),
    (PenaltyField::Uscc, "CF_XDR_SHXYM", "行政相对人代码_1(统一社会信用代码)"),
    (PenaltyField::BusinessRegNo, "CF_XDR_GSZC", "行政相对人代码_2(工商注册号)"),
    (PenaltyField::OrgCode, "CF_XDR_ZZJG", "行政相对人代码_3(组织机构代码)"),
    (PenaltyField::TaxRegNo, "CF_XDR_SWDJ", "行政相对人代码_4(税务登记号)"),
    (PenaltyField::InstitutionNo, "CF_XDR_SYDW", "行政相对人代码_5(事业单位证书号)"),
    (PenaltyField::SocialOrgNo, "CF_XDR_SHZZ", "行政相对人代码_6(社会组织登记证号)"),
    (PenaltyField::LegalRep, "CF_FRDB", "法定代表人"),
    (PenaltyField::LegalRepIdType, "CF_FR_ZJLX", "法定代表人证件类型"),
    (PenaltyField::LegalRepId, "CF_FR_ZJHM", "法定代表人证件号码"),
    (PenaltyField::PersonIdType, "CF_XDR_ZJLX", "证件类型"),
    (PenaltyField::PersonId, "CF_XDR_ZJHM", "证件号码"),
    (PenaltyField::DecisionNo, "CF_WSH", "行政处罚决定书文号"),
    (PenaltyField::ViolationType, "CF_WFXW", "违法行为类型"),
    (PenaltyField::Facts, "CF_SY", "违法事实"),
    (PenaltyField::Basis, "CF_YJ", "处罚依据"),
    (PenaltyField::Categories, "CF_CFLB", "处罚类别"),
    (PenaltyField::Content, "CF_NR", "处罚内容"),
    (PenaltyField::Fine, "CF_NR_FK", "罚款金额(万元)"),
    (PenaltyField::Confiscated, "CF_NR_WFFF", "没收违法所得、没收非法财物的金额(万元)"),
    (PenaltyField::SuspendedLicence, "CF_NR_ZKDX", "暂扣或吊销证照名称及编号"),
    (PenaltyField::DecisionDate, "CF_JDRQ", "处罚决定日期"),
    (PenaltyField::ValidUntil, "CF_YXQ", "处罚有效期"),
    (PenaltyField::Authority, "CF_CFJG", "处罚机关"),
    (PenaltyField::AuthorityUscc, "CF_CFJGDM", "处罚机关统一社会信用代码"),
    (PenaltyField::Source, "CF_SJLY", "数据来源单位"),
    (PenaltyField::SourceUscc, "CF_SJLYDM", "数据来源单位统一社会信用代码"),
    (PenaltyField::Note, "BZ", "备注"),
    (PenaltyField::Severity, "SEVERITY", "失信程度"),
];

/// Penalty columns recognised on upload but not part of the template.
const PENALTY_EXTRA: &[(PenaltyField, &str, &str)] =
    &[(PenaltyField::PublicationEnd, "CF_GSJZQ", "公示截止期"), (PenaltyField::Ignored, "CF_ZT", "当前状态")];

/// 2016-era codes and common shortened labels → field.
const PENALTY_ALIASES: &[(&str, PenaltyField)] = &[
    ("CF_CFLB1", PenaltyField::Categories),
    ("CF_CFLB2", PenaltyField::Categories),
    ("处罚类别1", PenaltyField::Categories),
    ("处罚类别2", PenaltyField::Categories),
    ("CF_JG", PenaltyField::Content),
    ("处罚结果", PenaltyField::Content),
    ("CF_XZJG", PenaltyField::Authority),
    ("CF_AJMC", PenaltyField::ViolationType),
    ("案件名称", PenaltyField::ViolationType),
    ("统一社会信用代码", PenaltyField::Uscc),
    ("工商注册号", PenaltyField::BusinessRegNo),
    ("组织机构代码", PenaltyField::OrgCode),
    ("税务登记号", PenaltyField::TaxRegNo),
    ("事业单位证书号", PenaltyField::InstitutionNo),
    ("社会组织登记证号", PenaltyField::SocialOrgNo),
];

/// Licence template columns in order: field, code, Chinese label (reference §4.2).
const LICENCE_TEMPLATE: &[(LicenceField, &str, &str)] = &[
    (LicenceField::SubjectName, "XK_XDR_MC", "行政相对人名称"),
    (LicenceField::SubjectCategory, "XK_XDR_LB", "行政相对人类别"),
    (LicenceField::Uscc, "XK_XDR_SHXYM", "行政相对人代码_1(统一社会信用代码)"),
    (LicenceField::BusinessRegNo, "XK_XDR_GSZC", "行政相对人代码_2(工商注册号)"),
    (LicenceField::OrgCode, "XK_XDR_ZZJG", "行政相对人代码_3(组织机构代码)"),
    (LicenceField::TaxRegNo, "XK_XDR_SWDJ", "行政相对人代码_4(税务登记号)"),
    (LicenceField::InstitutionNo, "XK_XDR_SYDW", "行政相对人代码_5(事业单位证书号)"),
    (LicenceField::SocialOrgNo, "XK_XDR_SHZZ", "行政相对人代码_6(社会组织登记证号)"),
    (LicenceField::LegalRep, "XK_FRDB", "法定代表人"),
    (LicenceField::LegalRepIdType, "XK_FR_ZJLX", "法定代表人证件类型"),
    (LicenceField::LegalRepId, "XK_FR_ZJHM", "法定代表人证件号码"),
    (LicenceField::PersonIdType, "XK_XDR_ZJLX", "证件类型"),
    (LicenceField::PersonId, "XK_XDR_ZJHM", "证件号码"),
    (LicenceField::DecisionDocName, "XK_XKWS", "行政许可决定文书名称"),
    (LicenceField::DecisionNo, "XK_WSH", "行政许可决定文书号"),
    (LicenceField::Kind, "XK_XKLB", "许可类别"),
    (LicenceField::CertificateName, "XK_XKZS", "许可证书名称"),
    (LicenceField::LicenceNo, "XK_XKBH", "许可编号"),
    (LicenceField::Content, "XK_NR", "许可内容"),
    (LicenceField::DecisionDate, "XK_JDRQ", "许可决定日期"),
    (LicenceField::ValidFrom, "XK_YXQZ", "有效期自"),
    (LicenceField::ValidTo, "XK_YXQZI", "有效期至"),
    (LicenceField::Authority, "XK_XKJG", "许可机关"),
    (LicenceField::AuthorityUscc, "XK_XKJGDM", "许可机关统一社会信用代码"),
    (LicenceField::Status, "XK_ZT", "当前状态"),
    (LicenceField::Source, "XK_LYDW", "数据来源单位"),
    (LicenceField::SourceUscc, "XK_LYDWDM", "数据来源单位统一社会信用代码"),
    (LicenceField::Note, "BZ", "备注"),
];

/// Common shortened licence labels → field.
const LICENCE_ALIASES: &[(&str, LicenceField)] = &[
    ("统一社会信用代码", LicenceField::Uscc),
    ("工商注册号", LicenceField::BusinessRegNo),
    ("组织机构代码", LicenceField::OrgCode),
    ("税务登记号", LicenceField::TaxRegNo),
    ("事业单位证书号", LicenceField::InstitutionNo),
    ("社会组织登记证号", LicenceField::SocialOrgNo),
];

/// Drops the field from a template table, keeping (code, label), at compile time.
macro_rules! headers_of {
    ($table:expr) => {{
        const N: usize = $table.len();
        let mut out = [("", ""); N];
        let mut i = 0;
        while i < N {
            out[i] = ($table[i].1, $table[i].2);
            i += 1;
        }
        out
    }};
}

/// Penalty template headers in order: (national code, Chinese label). CF_GSJZQ is absent (we
/// compute it); `SEVERITY` / 失信程度 is last (ours).
pub const PENALTY_HEADERS: &[(&str, &str)] = &headers_of!(PENALTY_TEMPLATE);

/// Licence template headers in order: (national code, Chinese label).
pub const LICENCE_HEADERS: &[(&str, &str)] = &headers_of!(LICENCE_TEMPLATE);

/// Canonical form of a header for comparison: no whitespace, no required-field asterisks,
/// full-width brackets as ASCII, ASCII upper case (codes are case-insensitive; Chinese is
/// unaffected).
fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*' && *c != '＊')
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

/// The header without a trailing parenthesised note: "罚款金额(万元)" → "罚款金额".
fn without_note(h: &str) -> &str {
    match (h.ends_with(')'), h.rfind('(')) {
        (true, Some(i)) if i > 0 => &h[..i],
        _ => h,
    }
}

/// Finds the field named by `header` in the tables: exact code or label first, then aliases,
/// then the label without its bracketed note (e.g. "行政相对人代码_1").
fn lookup<F: Copy>(header: &str, tables: &[&[(F, &'static str, &'static str)]], aliases: &[(&str, F)]) -> Option<F> {
    let h = normalise(header);
    if h.is_empty() {
        return None;
    }
    let rows = || tables.iter().flat_map(|t| t.iter());
    rows()
        .find(|(_, code, label)| normalise(code) == h || normalise(label) == h)
        .map(|(f, _, _)| *f)
        .or_else(|| aliases.iter().find(|(a, _)| normalise(a) == h).map(|(_, f)| *f))
        .or_else(|| {
            rows().find(|(_, _, label)| without_note(&normalise(label)) == without_note(&h)).map(|(f, _, _)| *f)
        })
}

/// The penalty field a sheet header names, by national code (any case), Chinese label, or
/// legacy 2016 code. `None` for an unknown header.
pub fn penalty_field(header: &str) -> Option<PenaltyField> {
    lookup(header, &[PENALTY_TEMPLATE, PENALTY_EXTRA], PENALTY_ALIASES)
}

/// The licence field a sheet header names, by national code (any case) or Chinese label.
pub fn licence_field(header: &str) -> Option<LicenceField> {
    lookup(header, &[LICENCE_TEMPLATE], LICENCE_ALIASES)
}

impl PenaltyField {
    /// The national field code (`"SEVERITY"` for our column, `"CF_ZT"` for [`Self::Ignored`]).
    pub fn code(self) -> &'static str {
        PENALTY_TEMPLATE.iter().chain(PENALTY_EXTRA).find(|(f, _, _)| *f == self).map_or("", |(_, code, _)| code)
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        PENALTY_TEMPLATE.iter().chain(PENALTY_EXTRA).find(|(f, _, _)| *f == self).map_or("", |(_, _, label)| label)
    }
}

impl LicenceField {
    /// The national field code.
    pub fn code(self) -> &'static str {
        LICENCE_TEMPLATE.iter().find(|(f, _, _)| *f == self).map_or("", |(_, code, _)| code)
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        LICENCE_TEMPLATE.iter().find(|(f, _, _)| *f == self).map_or("", |(_, _, label)| label)
    }
}
