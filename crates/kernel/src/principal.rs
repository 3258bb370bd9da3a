//! Who is making a request. Every module's handlers receive a `Principal`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

use crate::region::RegionScope;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// A resident, herder or tourist, identified by resident ID.
    Citizen,
    /// An enterprise, cooperative or farm, identified by USCC.
    Enterprise,
    /// Department staff: bounded by their department and region subtree.
    Staff,
    /// The platform operator (大数据局).
    Operator,
    /// Another system, through a personal access token.
    System,
}

impl PrincipalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Citizen => "citizen",
            Self::Enterprise => "enterprise",
            Self::Staff => "staff",
            Self::Operator => "operator",
            Self::System => "system",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "citizen" => Self::Citizen,
            "enterprise" => Self::Enterprise,
            "staff" => Self::Staff,
            "operator" => Self::Operator,
            "system" => Self::System,
            _ => return None,
        })
    }
}

/// A permission names what may be done, e.g. `identity.staff.manage`. Roles are sets of
/// permissions; the region scope and department bound where they apply.
pub type Permission = String;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Principal {
    pub account_id: String,
    pub username: String,
    pub display_name: String,
    pub kind: PrincipalKind,
    pub permissions: BTreeSet<Permission>,
    /// The region subtree the principal acts in. Citizens and enterprises have their home
    /// region; operators the whole province.
    pub scope: RegionScope,
    pub department_id: Option<String>,
    /// The organisation an enterprise account speaks for (its unified social credit code).
    #[serde(default)]
    pub uscc: Option<String>,
    /// Set when authenticated by a token: the token's scopes further restrict permissions.
    pub token_scopes: Option<BTreeSet<String>>,
}

impl Principal {
    /// May this principal do `permission`? Operators may do everything; a token may do only
    /// what both its account and its scopes allow.
    pub fn can(&self, permission: &str) -> bool {
        let by_account = self.kind == PrincipalKind::Operator || self.permissions.contains(permission);
        let by_token = match &self.token_scopes {
            None => true,
            Some(scopes) => scopes.iter().any(|s| scope_allows(s, permission)),
        };
        by_account && by_token
    }

    /// May this principal act on something located in region `code`?
    pub fn can_in_region(&self, permission: &str, code: &str) -> bool {
        self.can(permission) && self.scope.contains(code)
    }

    pub fn is_operator(&self) -> bool {
        self.kind == PrincipalKind::Operator
    }
}

/// A token scope allows a permission when it names it exactly or is a prefix ending in `*`
/// (`identity.*`).
fn scope_allows(scope: &str, permission: &str) -> bool {
    match scope.strip_suffix('*') {
        Some(prefix) => permission.starts_with(prefix),
        None => scope == permission,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(perms: &[&str], scopes: Option<&[&str]>) -> Principal {
        Principal {
            account_id: "a".into(),
            username: "u".into(),
            display_name: "U".into(),
            kind: PrincipalKind::Staff,
            permissions: perms.iter().map(|p| p.to_string()).collect(),
            scope: RegionScope::province(),
            department_id: None,
            uscc: None,
            token_scopes: scopes.map(|s| s.iter().map(|p| p.to_string()).collect()),
        }
    }

    #[test]
    fn token_scope_narrows_account_permissions() {
        let p = staff(&["identity.staff.read", "identity.staff.manage"], Some(&["identity.staff.read"]));
        assert!(p.can("identity.staff.read"));
        assert!(!p.can("identity.staff.manage"));
    }

    #[test]
    fn wildcard_scope_allows_prefix() {
        let p = staff(&["identity.staff.read"], Some(&["identity.*"]));
        assert!(p.can("identity.staff.read"));
    }

    #[test]
    fn scope_never_grants_what_the_account_lacks() {
        let p = staff(&[], Some(&["*"]));
        assert!(!p.can("identity.staff.read"));
    }
}
