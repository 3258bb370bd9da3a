//! Accounts, departments, roles and the rules on them.

use qy_kernel::{Error, PrincipalKind, Result};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Permissions this module checks. Operators hold every permission.
pub mod perm {
    /// Read staff accounts inside one's region subtree.
    pub const STAFF_READ: &str = "identity.staff.read";
    /// Create and disable staff in one's own department (inside one's region subtree).
    pub const STAFF_MANAGE: &str = "identity.staff.manage";
    /// Create departments and manage staff of any department inside one's region subtree.
    pub const DEPARTMENTS_MANAGE: &str = "identity.departments.manage";
    /// Read citizen and enterprise accounts inside one's region subtree.
    pub const PUBLIC_READ: &str = "identity.public.read";
    /// Reveal unmasked resident ID numbers (audited, with a reason).
    pub const PERSONAL_DATA_READ: &str = "identity.personal_data.read";
    /// Define roles.
    pub const ROLES_MANAGE: &str = "identity.roles.manage";

    pub const ALL: &[&str] =
        &[STAFF_READ, STAFF_MANAGE, DEPARTMENTS_MANAGE, PUBLIC_READ, PERSONAL_DATA_READ, ROLES_MANAGE, "audit.read"];
}

/// Roles every installation starts with.
pub const BUILTIN_ROLES: &[(&str, &str, &[&str])] = &[
    ("officer", "Department officer: sees colleagues in their region", &[perm::STAFF_READ]),
    (
        "department_admin",
        "Department administrator: manages their department's staff",
        &[perm::STAFF_READ, perm::STAFF_MANAGE],
    ),
    (
        "region_admin",
        "Regional administrator: departments, staff and audit of a region subtree",
        &[
            perm::STAFF_READ,
            perm::STAFF_MANAGE,
            perm::DEPARTMENTS_MANAGE,
            perm::PUBLIC_READ,
            perm::PERSONAL_DATA_READ,
            "audit.read",
        ],
    ),
];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub display_name: String,
    /// citizen, enterprise, staff, operator or system
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department_name: Option<String>,
    pub region_code: String,
    /// Resident ID with all but the first 6 and last 4 characters masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resident_id_masked: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uscc: Option<String>,
    pub disabled: bool,
    pub roles: Vec<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Department {
    pub id: String,
    pub name: String,
    pub region_code: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_name: Option<String>,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccessToken {
    pub id: String,
    pub name: String,
    pub scopes: Vec<String>,
    pub created_at: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<i64>,
}

/// What is needed to create an account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    pub username: String,
    pub password: String,
    pub display_name: String,
    /// citizen, enterprise, staff or operator
    pub kind: String,
    /// Staff: the department they belong to (its region becomes theirs).
    #[serde(default)]
    pub department_id: Option<String>,
    /// Citizens and enterprises: home region code. Defaults to the province.
    #[serde(default)]
    pub region_code: Option<String>,
    /// Citizens: 18-character resident ID (GB 11643).
    #[serde(default)]
    pub resident_id: Option<String>,
    /// Enterprises: unified social credit code (GB 32100).
    #[serde(default)]
    pub uscc: Option<String>,
    /// Role names to grant (staff).
    #[serde(default)]
    pub roles: Vec<String>,
}

pub fn parse_kind(kind: &str) -> Result<PrincipalKind> {
    match PrincipalKind::parse(kind) {
        Some(k) if k != PrincipalKind::System => Ok(k),
        _ => Err(Error::bad_request(
            "identity.invalid_kind",
            format!("kind must be citizen, enterprise, staff or operator, not {kind:?}"),
        )),
    }
}

/// User names: 3–64 of `a-z 0-9 . _ -`, starting with a letter or digit.
pub fn validate_username(u: &str) -> Result<()> {
    let ok = (3..=64).contains(&u.len())
        && u.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
        && u.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric());
    if ok {
        Ok(())
    } else {
        Err(Error::bad_request(
            "identity.invalid_username",
            "user names have 3–64 characters: lower-case letters, digits, '.', '_', '-'",
        ))
    }
}

/// Passwords: at least 10 characters (NIST SP 800-63B: length over composition rules).
pub fn validate_password(p: &str) -> Result<()> {
    if p.chars().count() >= 10 && p.len() <= 1024 {
        Ok(())
    } else {
        Err(Error::bad_request("identity.weak_password", "passwords need at least 10 characters"))
    }
}

pub fn validate_display_name(n: &str) -> Result<()> {
    let count = n.trim().chars().count();
    if (1..=100).contains(&count) {
        Ok(())
    } else {
        Err(Error::bad_request("identity.invalid_display_name", "the display name needs 1–100 characters"))
    }
}

/// Consecutive failed logins before an account locks, and for how long.
pub const LOCK_AFTER_FAILURES: i64 = 5;
pub const LOCK_MS: i64 = 15 * 60 * 1000;
pub const SESSION_MS: i64 = 12 * 60 * 60 * 1000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_follow_the_rule() {
        assert!(validate_username("zhang.san").is_ok());
        assert!(validate_username("Zhang").is_err());
        assert!(validate_username("ab").is_err());
        assert!(validate_username("-abc").is_err());
        assert!(validate_username("张三").is_err());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(validate_password("short").is_err());
        assert!(validate_password("long enough pass").is_ok());
    }

    #[test]
    fn system_kind_cannot_be_created_directly() {
        assert!(parse_kind("system").is_err());
        assert!(parse_kind("staff").is_ok());
    }
}
