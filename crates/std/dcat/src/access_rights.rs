//! Open-data class (开放属性) → EU access-right authority table, used by DCAT-AP for
//! `dct:accessRights`.

use serde::{Deserialize, Serialize};

const BASE: &str = "http://publications.europa.eu/resource/authority/access-right/";

/// Who may access a dataset: the three open-data classes of the provincial regulations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum AccessRights {
    /// 无条件开放: anyone may download or call it.
    Public,
    /// 有条件开放 / 受限开放: on application, under a data-use agreement.
    Restricted,
    /// 不予开放 / 非开放 / 禁止开放. The default, so that a record nobody classified is never
    /// advertised as public.
    #[default]
    NonPublic,
}

impl AccessRights {
    /// The EU authority code (`PUBLIC`, `RESTRICTED`, `NON_PUBLIC`).
    pub fn code(self) -> &'static str {
        match self {
            AccessRights::Public => "PUBLIC",
            AccessRights::Restricted => "RESTRICTED",
            AccessRights::NonPublic => "NON_PUBLIC",
        }
    }

    /// Full IRI in the EU access-right authority table.
    pub fn uri(self) -> String {
        format!("{BASE}{}", self.code())
    }

    /// From a Chinese open-data class label (无条件开放, 有条件开放, 受限开放, 不予开放, 非开放,
    /// 禁止开放) or an EU code, case-insensitive; `None` when unknown.
    pub fn from_label(label: &str) -> Option<Self> {
        let l = label.trim();
        match l {
            "无条件开放" => return Some(AccessRights::Public),
            "有条件开放" | "受限开放" => return Some(AccessRights::Restricted),
            "不予开放" | "非开放" | "禁止开放" => return Some(AccessRights::NonPublic),
            _ => {}
        }
        let code = l.rsplit('/').next().unwrap_or(l).to_ascii_uppercase();
        match code.as_str() {
            "PUBLIC" => Some(AccessRights::Public),
            "RESTRICTED" => Some(AccessRights::Restricted),
            "NON_PUBLIC" | "NON-PUBLIC" | "NONPUBLIC" => Some(AccessRights::NonPublic),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eu_uris() {
        let base = "http://publications.europa.eu/resource/authority/access-right/";
        assert_eq!(AccessRights::Public.uri(), format!("{base}PUBLIC"));
        assert_eq!(AccessRights::Restricted.uri(), format!("{base}RESTRICTED"));
        assert_eq!(AccessRights::NonPublic.uri(), format!("{base}NON_PUBLIC"));
        assert_eq!(AccessRights::default(), AccessRights::NonPublic);
    }

    #[test]
    fn chinese_open_data_classes() {
        assert_eq!(AccessRights::from_label("无条件开放"), Some(AccessRights::Public));
        assert_eq!(AccessRights::from_label("有条件开放"), Some(AccessRights::Restricted));
        assert_eq!(AccessRights::from_label(" 受限开放 "), Some(AccessRights::Restricted));
        for l in ["不予开放", "非开放", "禁止开放"] {
            assert_eq!(AccessRights::from_label(l), Some(AccessRights::NonPublic));
        }
        assert_eq!(AccessRights::from_label("public"), Some(AccessRights::Public));
        assert_eq!(AccessRights::from_label(&AccessRights::NonPublic.uri()), Some(AccessRights::NonPublic));
        assert_eq!(AccessRights::from_label("开放"), None);
    }

    #[test]
    fn serde_names() {
        assert_eq!(serde_json::to_string(&AccessRights::NonPublic).ok().as_deref(), Some("\"non_public\""));
    }
}
