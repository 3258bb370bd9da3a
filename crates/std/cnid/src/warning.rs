//! Soft findings: the identifier is accepted, but something about it deserves a look.
//!
//! The shared research (GB 32100 rules for v1) hard-fails only on length, character set and the
//! final check character; an unknown authority/type pair, an odd region code or a wrong embedded
//! GB 11714 check digit are *warnings*, because legacy data of varying quality is legitimate.

use std::fmt;

use serde::Serialize;

/// A soft finding on an otherwise valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// USCC positions 1–2 (registration authority + organisation type) are not in the code list.
    UnknownAuthorityType {
        /// The two characters.
        pair: String,
    },
    /// The region part (USCC positions 3–8, registration-number digits 1–6) is not a
    /// structurally valid GB/T 2260 code (nor the national-level `100000`).
    RegionCode {
        /// The six characters.
        found: String,
        /// What is wrong with them.
        reason: String,
    },
    /// The GB 11714 organisation code embedded in a USCC (positions 9–17) has a wrong check digit.
    OrgCodeCheck {
        /// The embedded code written `XXXXXXXX-C`.
        org_code: String,
        /// Computed check digit.
        expected: char,
        /// Check digit present.
        found: char,
    },
    /// The first two digits of a resident identity number are not a province-level prefix.
    UnknownProvince {
        /// The two digits.
        prefix: String,
    },
    /// A 15-digit registration number fails the ISO 7064 MOD 11,10 check (not enforced).
    RegistrationNoCheck {
        /// Computed check digit.
        expected: char,
        /// Digit present.
        found: char,
    },
}

impl Warning {
    /// Stable machine-readable code, snake_case.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownAuthorityType { .. } => "unknown_authority_type",
            Self::RegionCode { .. } => "region_code",
            Self::OrgCodeCheck { .. } => "org_code_check",
            Self::UnknownProvince { .. } => "unknown_province",
            Self::RegistrationNoCheck { .. } => "registration_no_check",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::UnknownAuthorityType { pair } => write!(
                f,
                "registration authority / organisation type {pair} is not in the GB 32100 code list"
            ),
            Self::RegionCode { found, reason } => write!(
                f,
                "region code {found} is not a valid GB/T 2260 code: {reason}"
            ),
            Self::OrgCodeCheck {
                org_code,
                expected,
                found,
            } => write!(
                f,
                "embedded organisation code {org_code} (GB 11714) has a wrong check digit: expected {expected}, found {found}"
            ),
            Self::UnknownProvince { prefix } => write!(
                f,
                "address code starts with {prefix}, which is not a GB/T 2260 province-level prefix"
            ),
            Self::RegistrationNoCheck { expected, found } => write!(
                f,
                "check digit (ISO 7064 MOD 11,10): expected {expected}, found {found} (not enforced: some genuine older numbers fail it)"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_display() {
        let w = Warning::OrgCodeCheck { org_code: "71040638-0".into(), expected: 'X', found: '0' };
        assert_eq!(w.code(), "org_code_check");
        assert!(w.to_string().contains("expected X, found 0"));
    }
}
