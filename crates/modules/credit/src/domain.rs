//! What the module keeps and shows: subjects, records, list entries, repairs, objections.
//! Rules on them live in `qy-credit-rules` (pure) and `service/` (with the store).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Permissions this module checks. Operators hold every permission.
pub mod perm {
    /// Enter, import and correct 双公示 records for one's department.
    pub const RECORDS_WRITE: &str = "credit.records.write";
    /// Propose list entries and exits.
    pub const LISTS_PROPOSE: &str = "credit.lists.propose";
    /// Approve list entries and exits (must be another person than the proposer).
    pub const LISTS_APPROVE: &str = "credit.lists.approve";
    /// Review repair applications and answer objections for one's department's records.
    pub const REPAIRS_REVIEW: &str = "credit.repairs.review";
    /// Read the internal view: every record, natural persons' masked IDs, history, checks.
    pub const INTERNAL_READ: &str = "credit.internal.read";
    /// Reveal a natural person's ID number (audited, with a reason).
    pub const PERSONAL_DATA_READ: &str = "credit.personal_data.read";
    /// Call the joint rewards and punishments check through the API.
    pub const CHECK: &str = "credit.check";
    /// Edit the measure catalogue.
    pub const MEASURES_MANAGE: &str = "credit.measures.manage";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    /// 法人及非法人组织.
    LegalEntity,
    /// 个体工商户.
    IndividualBusiness,
    /// 自然人: never shown to the public.
    NaturalPerson,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LegalEntity => "legal_entity",
            Self::IndividualBusiness => "individual_business",
            Self::NaturalPerson => "natural_person",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "legal_entity" => Self::LegalEntity,
            "individual_business" => Self::IndividualBusiness,
            "natural_person" => Self::NaturalPerson,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Subject {
    pub id: String,
    pub kind: SubjectKind,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    /// Natural persons: `630102********1234`. Internal views only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_id_masked: Option<String>,
    /// Legal representative, masked (`王*国`) in every view.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_rep: Option<String>,
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registered_on: Option<String>,
    /// Former names, most recent first.
    pub former_names: Vec<String>,
}

/// 王建国 → 王*国; 才让多杰 → 才**杰; 李梅 → 李*.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// 行政许可.
    Licence,
    /// 行政处罚.
    Penalty,
}

impl RecordKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Licence => "licence",
            Self::Penalty => "penalty",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "licence" => Some(Self::Licence),
            "penalty" => Some(Self::Penalty),
            _ => None,
        }
    }
}

/// A record as stored, with its publication state.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    pub id: String,
    pub subject_id: String,
    pub kind: RecordKind,
    pub decision_no: String,
    pub decision_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    pub authority: String,
    pub authority_uscc: String,
    /// The national 双公示 fields (natural-person ID numbers removed).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub published_on: String,
    /// Published later than 7 working days after the decision.
    pub late_publication: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regime: Option<String>,
    /// Penalties: whether the rules publish it at all (minor ones under the 2026 rules are not).
    pub published: bool,
    /// Earliest date a repair can end publication.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_end: Option<String>,
    /// Publication ends on this date (CF_GSJZQ).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_end: Option<String>,
    pub repairable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repaired_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
    #[serde(skip)]
    pub department_id: Option<String>,
    pub received_at: i64,
}

impl Record {
    /// Is it in the public view on `today` (`YYYY-MM-DD`)? Licences stay public; penalties
    /// while inside their publication window and not repaired or withdrawn.
    pub fn is_public(&self, today: &str) -> bool {
        if self.withdrawn_at.is_some() {
            return false;
        }
        match self.kind {
            RecordKind::Licence => true,
            RecordKind::Penalty => {
                self.published && self.repaired_at.is_none() && self.max_end.as_deref().is_some_and(|end| today < end)
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ListKind {
    /// 红名单 / 守信激励对象.
    Red,
    /// 严重失信主体名单 (formerly 黑名单).
    SeriousDishonest,
    /// 重点关注名单.
    KeyAttention,
}

impl ListKind {
    pub const ALL: [ListKind; 3] = [ListKind::Red, ListKind::SeriousDishonest, ListKind::KeyAttention];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Red => "red",
            Self::SeriousDishonest => "serious_dishonest",
            Self::KeyAttention => "key_attention",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "red" => Self::Red,
            "serious_dishonest" => Self::SeriousDishonest,
            "key_attention" => Self::KeyAttention,
            _ => return None,
        })
    }
}

/// Entry workflow: proposed → active (approved by another person) or rejected; an active
/// entry leaves by exit: exit_requested → removed (approved) — or expires at `valid_to`.
/// A red-list entry is suspended while its subject is on the serious-dishonesty list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ListEntry {
    pub id: String,
    pub subject_id: String,
    pub list: ListKind,
    /// proposed, active, rejected, exit_requested, removed, suspended
    pub status: String,
    pub legal_basis: String,
    pub reason: String,
    pub authority: String,
    pub authority_uscc: String,
    pub decided_on: String,
    pub valid_from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed_on: Option<String>,
    #[serde(skip)]
    pub department_id: Option<String>,
    #[serde(skip)]
    pub proposed_by: String,
}

impl ListEntry {
    /// In force on `today`: approved, not removed or suspended, inside its validity.
    pub fn in_force(&self, today: &str) -> bool {
        matches!(self.status.as_str(), "active" | "exit_requested")
            && self.valid_from.as_str() <= today
            && self.valid_to.as_deref().is_none_or(|end| today < end)
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Repair {
    pub id: String,
    pub record_id: String,
    pub subject_id: String,
    /// submitted, not_accepted, accepted, approved, denied
    pub status: String,
    pub applicant: String,
    pub obligations: String,
    pub commitment: String,
    pub submitted_at: i64,
    pub submitted_on: String,
    /// The department decides by this date (working days from submission).
    pub due_on: String,
    /// The deadline fell partly in a year whose holiday calendar is not yet published.
    pub due_provisional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub record_id: String,
    pub subject_id: String,
    /// open, upheld, rejected
    pub status: String,
    pub grounds: String,
    pub raised_at: i64,
    pub due_on: String,
    pub due_provisional: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MeasureDef {
    pub code: String,
    /// reward or punishment
    pub kind: String,
    pub name: String,
    pub basis: String,
    /// `list:red`, `list:serious_dishonest`, `list:key_attention`, `grade:A` … `grade:D`
    pub trigger: String,
    /// Scenarios it applies to, or `*`.
    pub scenarios: Vec<String>,
    pub active: bool,
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_masked_but_keep_their_shape() {
        assert_eq!(super::mask_name("王建国"), "王*国");
        assert_eq!(super::mask_name("才让多杰"), "才**杰");
        assert_eq!(super::mask_name("李梅"), "李*");
    }
}
