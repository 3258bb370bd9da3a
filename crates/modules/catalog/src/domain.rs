//! The catalog as the 《政务信息资源目录编制指南（试行）》 defines it: entries with their
//! metadata elements and 信息项, the three sharing classes, the open-data classes, update
//! cycles, and the lifecycle draft → review → published → withdrawn.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub mod perm {
    /// Create and edit one's own department's entries, upload their data, submit for review.
    pub const ENTRIES_WRITE: &str = "catalog.entries.write";
    /// Review (publish or send back) entries, withdraw published ones.
    pub const ENTRIES_REVIEW: &str = "catalog.entries.review";
    /// Decide share requests and open-data applications for one's department's entries,
    /// answer objections.
    pub const SHARING_DECIDE: &str = "catalog.sharing.decide";
    /// Register consumer systems and their share requests for one's department.
    pub const SHARING_REQUEST: &str = "catalog.sharing.request";
    /// Read call records and usage statistics.
    pub const CALLS_READ: &str = "catalog.calls.read";
    /// Manage departments (providers) and categories.
    pub const ORGS_MANAGE: &str = "catalog.orgs.manage";
}

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum!(
    /// 共享类型 (国发〔2016〕51号).
    ShareType { Unconditional = "unconditional", Conditional = "conditional", None = "none" }
);
string_enum!(
    /// 开放属性: 无条件开放, 有条件开放 (受限开放), 不予开放.
    OpenType { Unconditional = "unconditional", Conditional = "conditional", None = "none" }
);
string_enum!(
    /// 更新周期.
    UpdateCycle {
        Realtime = "realtime", Daily = "daily", Weekly = "weekly", Monthly = "monthly",
        Quarterly = "quarterly", HalfYearly = "half_yearly", Yearly = "yearly", Irregular = "irregular"
    }
);
string_enum!(
    /// Lifecycle: draft → review → published → withdrawn (review may send back to draft).
    Status { Draft = "draft", Review = "review", Published = "published", Withdrawn = "withdrawn" }
);
string_enum!(
    /// What is behind an entry: an uploaded table, a module's live feed, another system's
    /// endpoint, or nothing yet.
    SourceKind { None = "none", Table = "table", Feed = "feed", Endpoint = "endpoint" }
);
string_enum!(
    /// 共享方式.
    ShareMode { Interface = "interface", Table = "table", File = "file", Offline = "offline" }
);
string_enum!(
    /// 信息资源格式 (category).
    FormatKind {
        Database = "database", Spreadsheet = "spreadsheet", Document = "document", Interface = "interface",
        Image = "image", Media = "media", Other = "other"
    }
);

/// 信息项 data types of the catalog guide, with how values are checked and stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum DataType {
    /// C 字符型
    C,
    /// N 数值型 (exact decimal)
    N,
    /// Y 货币型 (exact decimal, at most 4 places)
    Y,
    /// D 日期型
    D,
    /// T 日期时间型
    T,
    /// L 逻辑型
    L,
    /// M 备注型
    M,
    /// G 通用型 (a reference or link)
    G,
    /// B 双精度型
    B,
    /// I 整型
    I,
    /// F 浮点型
    F,
}

impl DataType {
    pub const ALL: [DataType; 11] =
        [Self::C, Self::N, Self::Y, Self::D, Self::T, Self::L, Self::M, Self::G, Self::B, Self::I, Self::F];

    pub fn code(self) -> char {
        match self {
            Self::C => 'C',
            Self::N => 'N',
            Self::Y => 'Y',
            Self::D => 'D',
            Self::T => 'T',
            Self::L => 'L',
            Self::M => 'M',
            Self::G => 'G',
            Self::B => 'B',
            Self::I => 'I',
            Self::F => 'F',
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let mut chars = s.trim().chars();
        let c = chars.next()?.to_ascii_uppercase();
        if chars.next().is_some() {
            return None;
        }
        Self::ALL.into_iter().find(|t| t.code() == c)
    }

    /// How the column is stored: text keeps decimals and dates exact on both stores.
    pub fn storage(self) -> Storage {
        match self {
            Self::I | Self::L => Storage::Integer,
            Self::B | Self::F => Storage::Float,
            _ => Storage::Text,
        }
    }

    /// CKAN DataStore field type (the type clients of `datastore_search` expect).
    pub fn datastore_type(self) -> &'static str {
        match self {
            Self::C | Self::M | Self::G => "text",
            Self::N | Self::Y => "numeric",
            Self::I => "int",
            Self::B | Self::F => "float8",
            Self::L => "bool",
            Self::D => "date",
            Self::T => "timestamp",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Storage {
    Text,
    Integer,
    Float,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Org {
    pub id: String,
    /// CKAN organisation name: lower-case ASCII.
    pub slug: String,
    pub name: String,
    pub uscc: String,
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    pub description: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Category {
    pub code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
    /// basic, theme or department
    pub kind: String,
    pub name: String,
    pub name_en: String,
}

/// 信息项.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct Item {
    /// 001–999, the 细项顺序码.
    pub seq: u32,
    /// Chinese name, e.g. 监测站点.
    pub name: String,
    /// Column name in data and APIs: lower-case ASCII, digits, `_`.
    pub column_name: String,
    #[schema(value_type = String)]
    pub data_type: DataType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
    #[serde(default)]
    pub is_key: bool,
    /// Personal information (PIPL): never open, masked unless granted.
    #[serde(default)]
    pub personal: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Entry {
    pub id: String,
    /// 信息资源代码: 分类码/顺序码, e.g. `201001/000001`.
    pub code: String,
    /// CKAN dataset name (the code cannot be one: it contains "/").
    pub slug: String,
    pub category_code: String,
    pub org_id: String,
    pub name: String,
    #[serde(rename = "abstract")]
    pub summary: String,
    pub keywords: Vec<String>,
    pub format_kind: FormatKind,
    /// e.g. XLSX, CSV, API (JSON).
    pub format_detail: String,
    pub share_type: ShareType,
    /// 共享条件 (required when conditional).
    pub share_condition: String,
    /// Legal basis (required when conditional or not shared).
    pub share_basis: String,
    pub share_modes: Vec<ShareMode>,
    pub open_type: OpenType,
    pub open_condition: String,
    pub update_cycle: UpdateCycle,
    /// The region the data covers.
    pub region_code: String,
    /// 关联资源代码.
    pub related_codes: Vec<String>,
    pub source_kind: SourceKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feed_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_url: Option<String>,
    #[serde(skip)]
    pub data_table: Option<String>,
    pub row_count: i64,
    pub status: Status,
    pub version: i64,
    /// 发布日期 of the current version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_on: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
    pub items: Vec<Item>,
    #[serde(skip)]
    pub created_by: String,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct System {
    pub id: String,
    pub org_id: String,
    pub code: String,
    pub name: String,
    /// The identity account (a technical account of its department) the system calls with.
    pub account_id: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ShareRequest {
    pub id: String,
    pub entry_id: String,
    pub system_id: String,
    /// 用途.
    pub purpose: String,
    /// 履职依据.
    pub basis: String,
    /// Columns wanted (信息项 column names).
    pub columns: Vec<String>,
    /// Rows limited to this region subtree, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_filter: Option<String>,
    /// submitted, approved, refused, withdrawn
    pub status: String,
    pub due_on: String,
    pub due_provisional: bool,
    pub requested_by: String,
    pub requested_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Grant {
    pub id: String,
    pub request_id: String,
    pub entry_id: String,
    pub system_id: String,
    pub columns: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_filter: Option<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Objection {
    pub id: String,
    pub entry_id: String,
    pub raised_by: String,
    pub description: String,
    /// open, corrected, rejected
    pub status: String,
    pub due_on: String,
    pub due_provisional: bool,
    pub raised_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OpenApplication {
    pub id: String,
    pub entry_id: String,
    pub applicant: String,
    pub purpose: String,
    /// submitted, approved, refused
    pub status: String,
    pub due_on: String,
    pub applied_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

/// A column name usable in SQL and APIs: starts with a letter; lower-case ASCII, digits, `_`.
pub fn valid_column_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && s.len() <= 40
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_types_round_trip_and_map_to_storage() {
        for t in DataType::ALL {
            assert_eq!(DataType::parse(&t.code().to_string()), Some(t));
        }
        assert_eq!(DataType::parse("n"), Some(DataType::N));
        assert_eq!(DataType::parse("X"), None);
        assert_eq!(DataType::parse("CN"), None);
        assert_eq!(DataType::I.storage(), Storage::Integer);
        assert_eq!(DataType::Y.storage(), Storage::Text);
    }

    #[test]
    fn column_names_are_plain() {
        assert!(valid_column_name("station_name"));
        assert!(!valid_column_name("Station"));
        assert!(!valid_column_name("1x"));
        assert!(!valid_column_name("a-b"));
        assert!(!valid_column_name("a; drop table"));
    }
}
