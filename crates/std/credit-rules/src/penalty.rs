//! The 行政处罚 record of 双公示 and its validation.
//!
//! Fields: reference §4.2 (行政处罚 table; national codes in the comments). Rules: reference §7.2
//! rules 1 and 3. Legacy identifiers (工商注册号 …) and the legal representative's document are
//! not kept here: they are never published and never decide validity.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::field_error::{
    require, require_uscc, FieldError, AMOUNT_NEGATIVE, CATEGORY_DUPLICATE, CONFISCATION_MISMATCH, DATE_IN_FUTURE,
    DATE_ORDER, FINE_MISMATCH,
};
use crate::money::fen_to_wan_yuan;
use crate::penalty_category::PenaltyCategory;
use crate::publication::{PublicationPolicy, Window};
use crate::severity::Severity;
use crate::subject::{check_subject, SubjectCategory, SubjectCheck};

/// A 行政处罚 decision as published under 双公示.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Penalty {
    /// CF_XDR_MC 行政相对人名称.
    pub subject_name: String,
    /// CF_XDR_LB 行政相对人类别.
    pub subject_category: SubjectCategory,
    /// CF_XDR_SHXYM 统一社会信用代码.
    pub uscc: Option<String>,
    /// CF_FRDB 法定代表人.
    pub legal_rep: Option<String>,
    /// CF_XDR_ZJLX 证件类型 (natural persons).
    pub person_id_type: Option<String>,
    /// CF_XDR_ZJHM 证件号码 (natural persons; never published).
    pub person_id: Option<String>,
    /// CF_WSH 行政处罚决定书文号.
    pub decision_no: String,
    /// CF_WFXW 违法行为类型.
    pub violation_type: String,
    /// CF_SY 违法事实.
    pub facts: String,
    /// CF_YJ 处罚依据.
    pub basis: String,
    /// CF_CFLB 处罚类别.
    pub categories: Vec<PenaltyCategory>,
    /// CF_NR 处罚内容.
    pub content: String,
    /// CF_NR_FK 罚款金额, converted from 万元 to 分.
    pub fine_fen: i64,
    /// CF_NR_WFFF 没收违法所得、没收非法财物的金额, converted from 万元 to 分.
    pub confiscated_fen: i64,
    /// CF_NR_ZKDX 暂扣或吊销证照名称及编号.
    pub suspended_licence: Option<String>,
    /// CF_JDRQ 处罚决定日期.
    pub decision_date: Date,
    /// CF_YXQ 处罚有效期.
    pub valid_until: Option<Date>,
    /// CF_CFJG 处罚机关.
    pub authority: String,
    /// CF_CFJGDM 处罚机关统一社会信用代码.
    pub authority_uscc: String,
    /// CF_SJLY 数据来源单位.
    pub source: String,
    /// CF_SJLYDM 数据来源单位统一社会信用代码.
    pub source_uscc: String,
    /// 失信程度 (ours, not national): drives the publication window.
    pub severity: Severity,
    /// BZ 备注.
    pub note: Option<String>,
}

impl Penalty {
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
                fields: ["CF_XDR_MC", "CF_XDR_SHXYM", "CF_XDR_ZJLX", "CF_XDR_ZJHM"],
            },
            &mut out,
        );
        require(&mut out, "CF_WSH", "the decision number", &self.decision_no);
        require(&mut out, "CF_WFXW", "the violation type", &self.violation_type);
        require(&mut out, "CF_SY", "the facts of the violation", &self.facts);
        require(&mut out, "CF_YJ", "the legal basis", &self.basis);
        require(&mut out, "CF_NR", "the penalty content", &self.content);
        self.check_categories(&mut out);
        self.check_amounts(&mut out);
        self.check_dates(today, &mut out);
        require(&mut out, "CF_CFJG", "the penalising authority", &self.authority);
        require_uscc(&mut out, "CF_CFJGDM", "the authority's code", &self.authority_uscc);
        require(&mut out, "CF_SJLY", "the data source", &self.source);
        require_uscc(&mut out, "CF_SJLYDM", "the data source's code", &self.source_uscc);
        out
    }

    /// The publication window under `policy` (CF_GSJZQ is its `max_end`).
    pub fn window(&self, policy: &PublicationPolicy) -> Result<Window, RuleError> {
        policy.window(self.decision_date, self.severity)
    }

    fn has(&self, pred: impl Fn(PenaltyCategory) -> bool) -> bool {
        self.categories.iter().any(|c| pred(*c))
    }

    fn check_categories(&self, out: &mut Vec<FieldError>) {
        if self.categories.is_empty() {
            out.push(FieldError::required("CF_CFLB", "at least one penalty category"));
        }
        for (i, c) in self.categories.iter().enumerate() {
            if self.categories[..i].contains(c) {
                out.push(FieldError::new(
                    "CF_CFLB",
                    CATEGORY_DUPLICATE,
                    format!("the penalty category {c} is listed twice"),
                ));
            }
        }
        if self.has(PenaltyCategory::touches_licence)
            && self.suspended_licence.as_deref().is_none_or(|s| s.trim().is_empty())
        {
            out.push(FieldError::required("CF_NR_ZKDX", "the name and number of the suspended or revoked licence"));
        }
    }

    /// 罚款 ⇔ fine > 0 and 没收… ⇔ confiscated > 0 (rule 3): an amount without its category, or a
    /// category without its amount, means one of the two was mis-keyed.
    fn check_amounts(&self, out: &mut Vec<FieldError>) {
        let checks = [
            ("CF_NR_FK", FINE_MISMATCH, self.fine_fen, self.has(|c| c == PenaltyCategory::Fine), "罚款"),
            (
                "CF_NR_WFFF",
                CONFISCATION_MISMATCH,
                self.confiscated_fen,
                self.has(PenaltyCategory::is_confiscation),
                "没收违法所得/没收非法财物",
            ),
        ];
        for (field, code, fen, listed, name) in checks {
            let amount = fen_to_wan_yuan(fen);
            if fen < 0 {
                out.push(FieldError::new(
                    field,
                    AMOUNT_NEGATIVE,
                    format!("the amount {amount} (10k yuan) is negative"),
                ));
            } else if listed && fen == 0 {
                out.push(FieldError::new(field, code, format!("the categories include {name} but the amount is zero")));
            } else if !listed && fen > 0 {
                out.push(FieldError::new(
                    field,
                    code,
                    format!("the amount is {amount} (10k yuan) but the categories do not include {name}"),
                ));
            }
        }
    }

    fn check_dates(&self, today: Date, out: &mut Vec<FieldError>) {
        if self.decision_date > today {
            out.push(FieldError::new(
                "CF_JDRQ",
                DATE_IN_FUTURE,
                format!("the decision date {} is after today ({today})", self.decision_date),
            ));
        }
        if let Some(until) = self.valid_until {
            if until < self.decision_date {
                out.push(FieldError::new(
                    "CF_YXQ",
                    DATE_ORDER,
                    format!("the penalty validity end {until} is before the decision date {}", self.decision_date),
                ));
            }
        }
    }
}
