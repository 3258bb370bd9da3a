//! The 行政相对人 (the party a decision is about) and the identity rules shared by penalties and
//! licences.
//!
//! Source: reference §4.2 (XK_XDR_LB / CF_XDR_LB values) and §7.2 rule 1: organisations are
//! identified by a valid 统一社会信用代码; natural persons by 证件类型 + 证件号码, the number checked
//! against GB 11643 when the type is the resident identity card.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::RuleError;
use crate::field_error::{blank, require_uscc, FieldError, PERSON_ID_INVALID};

/// 行政相对人类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectCategory {
    /// 法人及非法人组织.
    LegalEntity,
    /// 自然人.
    NaturalPerson,
    /// 个体工商户.
    IndividualBusiness,
}

impl SubjectCategory {
    /// The national value, e.g. `"法人及非法人组织"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectCategory::LegalEntity => "法人及非法人组织",
            SubjectCategory::NaturalPerson => "自然人",
            SubjectCategory::IndividualBusiness => "个体工商户",
        }
    }
}

impl fmt::Display for SubjectCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubjectCategory {
    type Err = RuleError;

    /// Accepts the national values, their halves (法人, 非法人组织), the pre-2017 wording
    /// 法人及其他组织 still found in old feeds, and our snake_case names.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Ok(match t {
            "法人及非法人组织" | "法人" | "非法人组织" | "法人及其他组织" | "legal_entity" => {
                SubjectCategory::LegalEntity
            }
            "自然人" | "natural_person" => SubjectCategory::NaturalPerson,
            "个体工商户" | "individual_business" => SubjectCategory::IndividualBusiness,
            _ => return Err(RuleError::UnknownSubjectCategory(t.to_owned())),
        })
    }
}

/// Names of 证件类型 that mean the mainland resident identity card, whose number we can check.
const RESIDENT_ID_TYPES: &[&str] = &["身份证", "居民身份证", "公民身份号码", "身份证号"];

/// Whether a 证件类型 value denotes the resident identity card.
pub fn is_resident_id_type(id_type: &str) -> bool {
    RESIDENT_ID_TYPES.contains(&id_type.trim())
}

/// The subject part of a record, with the national field codes of the record type.
pub(crate) struct SubjectCheck<'a> {
    pub category: SubjectCategory,
    pub name: &'a str,
    pub uscc: Option<&'a str>,
    pub person_id_type: Option<&'a str>,
    pub person_id: Option<&'a str>,
    /// Field codes: name, USCC, person id type, person id number.
    pub fields: [&'static str; 4],
}

/// Rule 1 of reference §7.2.
///
/// An individual business without a USCC (older registrations) is identified by its operator's
/// identity document instead — our choice, so that every record names its subject somehow.
pub(crate) fn check_subject(s: &SubjectCheck<'_>, out: &mut Vec<FieldError>) {
    let [name_f, uscc_f, type_f, id_f] = s.fields;
    if s.name.trim().is_empty() {
        out.push(FieldError::required(name_f, "the subject name"));
    }
    let has_uscc = !blank(s.uscc);
    let needs_uscc = match s.category {
        SubjectCategory::LegalEntity => true,
        SubjectCategory::IndividualBusiness => has_uscc,
        SubjectCategory::NaturalPerson => false,
    };
    if needs_uscc {
        require_uscc(out, uscc_f, "the subject's unified social credit code", s.uscc.unwrap_or(""));
        return;
    }
    if has_uscc {
        // Not needed here, but a code we store and publish must still be a real one.
        require_uscc(out, uscc_f, "the subject's unified social credit code", s.uscc.unwrap_or(""));
    }
    if blank(s.person_id_type) {
        out.push(FieldError::required(type_f, "the identity document type"));
    }
    match s.person_id {
        Some(id) if !id.trim().is_empty() => {
            if s.person_id_type.is_some_and(is_resident_id_type) {
                if let Err(e) = qy_cnid::ResidentId::parse(id) {
                    // IdError never echoes the whole number, so the detail is safe to log.
                    out.push(FieldError::new(
                        id_f,
                        PERSON_ID_INVALID,
                        format!("the resident identity number is invalid: {e}"),
                    ));
                }
            }
        }
        _ => out.push(FieldError::required(id_f, "the identity document number")),
    }
}
