//! The 行政许可 record of 双公示 and its validation.
//!
//! Fields: reference §4.2 (行政许可 table; national codes in the comments). Rules: reference §7.2
//! rules 1 and 2. 许可类别 and 当前状态 are enums, so "value in the allowed set" is enforced when
//! parsing, not here.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{date, Date};
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::field_error::{require, require_uscc, FieldError, DATE_IN_FUTURE, DATE_ORDER};
use crate::subject::{check_subject, SubjectCategory, SubjectCheck};

/// XK_YXQZI value meaning 长期 (no expiry), per the national template.
pub const LONG_TERM: Date = date(2099, 12, 31);

/// XK_XKLB 许可类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceKind {
    /// 普通.
    General,
    /// 特许.
    Franchise,
    /// 认可.
    Recognition,
    /// 核准.
    Approval,
    /// 登记.
    Registration,
    /// 其他.
    Other,
}

impl LicenceKind {
    /// All kinds, in template order.
    pub const ALL: [LicenceKind; 6] = [
        LicenceKind::General,
        LicenceKind::Franchise,
        LicenceKind::Recognition,
        LicenceKind::Approval,
        LicenceKind::Registration,
        LicenceKind::Other,
    ];

    /// The national value, e.g. `"特许"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceKind::General => "普通",
            LicenceKind::Franchise => "特许",
            LicenceKind::Recognition => "认可",
            LicenceKind::Approval => "核准",
            LicenceKind::Registration => "登记",
            LicenceKind::Other => "其他",
        }
    }
}

impl fmt::Display for LicenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LicenceKind {
    type Err = RuleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        LicenceKind::ALL
            .into_iter()
            .find(|k| k.as_str() == t)
            .ok_or_else(|| RuleError::UnknownLicenceKind(t.to_owned()))
    }
}

/// XK_ZT 当前状态.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LicenceStatus {
    /// `1` 有效.
    Valid,
    /// `2` 无效.
    Invalid,
}

impl LicenceStatus {
    /// The national code, `"1"` or `"2"`.
    pub fn code(self) -> &'static str {
        match self {
            LicenceStatus::Valid => "1",
            LicenceStatus::Invalid => "2",
        }
    }

    /// The Chinese name, `"有效"` or `"无效"`.
    pub fn as_str(self) -> &'static str {
        match self {
            LicenceStatus::Valid => "有效",
            LicenceStatus::Invalid => "无效",
        }
    }
}

impl FromStr for LicenceStatus {
    type Err = RuleError;

    /// Accepts the code (`1`, `2`) or the Chinese name, since sheets use both.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "1" | "有效" => Ok(LicenceStatus::Valid),
            "2" | "无效" => Ok(LicenceStatus::Invalid),
            t => Err(RuleError::UnknownLicenceStatus(t.to_owned())),
        }
    }
}

/// A 行政许可 decision as published under 双公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    /// XK_XDR_MC 行政相对人名称.
    pub subject_name: String,
    /// XK_XDR_LB 行政相对人类别.
    pub subject_category: SubjectCategory,
    /// XK_XDR_SHXYM 统一社会信用代码.
    pub uscc: Option<String>,
    /// XK_FRDB 法定代表人.
    pub legal_rep: Option<String>,
    /// XK_XDR_ZJLX 证件类型 (natural persons).
    pub person_id_type: Option<String>,
    /// XK_XDR_ZJHM 证件号码 (natural persons; never published).
    pub person_id: Option<String>,
    /// XK_XKWS 行政许可决定文书名称.
    pub decision_doc_name: String,
    /// XK_WSH 行政许可决定文书号.
    pub decision_no: String,
    /// XK_XKLB 许可类别.
    pub kind: LicenceKind,
    /// XK_XKZS 许可证书名称.
    pub certificate_name: String,
    /// XK_XKBH 许可编号.
    pub licence_no: String,
    /// XK_NR 许可内容.
    pub content: String,
    /// XK_JDRQ 许可决定日期.
    pub decision_date: Date,
    /// XK_YXQZ 有效期自.
    pub valid_from: Option<Date>,
    /// XK_YXQZI 有效期至 ([`LONG_TERM`] = 长期).
    pub valid_to: Option<Date>,
    /// XK_XKJG 许可机关.
    pub authority: String,
    /// XK_XKJGDM 许可机关统一社会信用代码.
    pub authority_uscc: String,
    /// XK_ZT 当前状态.
    pub status: LicenceStatus,
    /// XK_LYDW 数据来源单位.
    pub source: String,
    /// XK_LYDWDM 数据来源单位统一社会信用代码.
    pub source_uscc: String,
    /// BZ 备注.
    pub note: Option<String>,
}

impl Licence {
    /// Every rule finding for this record; empty means valid. `today` bounds the decision date.
    pub fn validate(&self, today: Date) -> Vec<FieldError> {
        let mut out = Vec::new();
        check_subject(
            &SubjectCheck {
                category: self.subject_category,
                name: &self.subject_name,
                uscc: self.uscc.as_deref(),
                person_id_type: self.person_id_type.as_deref(),
                person_id: self.person_id.as_deref(),
                fields: ["XK_XDR_MC", "XK_XDR_SHXYM", "XK_XDR_ZJLX", "XK_XDR_ZJHM"],
            },
            &mut out,
        );
        require(&mut out, "XK_WSH", "the decision number", &self.decision_no);
        require(&mut out, "XK_NR", "the licence content", &self.content);
        if self.decision_date > today {
            out.push(FieldError::new(
                "XK_JDRQ",
                DATE_IN_FUTURE,
                format!("the decision date {} is after today ({today})", self.decision_date),
            ));
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to) {
            if to < from {
                out.push(FieldError::new(
                    "XK_YXQZI",
                    DATE_ORDER,
                    format!("the validity end {to} is before the validity start {from}"),
                ));
            }
        }
        require(&mut out, "XK_XKJG", "the licensing authority", &self.authority);
        require_uscc(&mut out, "XK_XKJGDM", "the authority's code", &self.authority_uscc);
        require(&mut out, "XK_LYDW", "the data source", &self.source);
        require_uscc(&mut out, "XK_LYDWDM", "the data source's code", &self.source_uscc);
        out
    }

    /// Whether the licence is marked 长期 (有效期至 = 2099-12-31). An absent end date is unknown,
    /// not long-term.
    pub fn is_long_term(&self) -> bool {
        self.valid_to == Some(LONG_TERM)
    }

    /// Whether the licence is in force on `on`: status 有效 and `on` inside the validity dates.
    pub fn is_valid_on(&self, on: Date) -> bool {
        self.status == LicenceStatus::Valid
            && self.valid_from.is_none_or(|f| f <= on)
            && self.valid_to.is_none_or(|t| on <= t)
    }
}
