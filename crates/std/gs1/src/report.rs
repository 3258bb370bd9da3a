//! The answer of [`crate::check`]: what a value is, whether it is valid, and why not.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};

use crate::cert_codes::CertKind;
use crate::keys::KeyKind;

/// What a checked value was taken to be. Serialises as one snake_case word (`"gtin"`,
/// `"digital_link"`, `"ear_tag"`, `"green_food"` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A bare GS1 key (or an element string such as `(414)…`).
    Key(KeyKind),
    /// A GS1 Digital Link URI.
    DigitalLink,
    /// An EPC pure-identity, class or pattern URN.
    EpcUrn,
    /// A Chinese livestock ear tag number (畜禽标识).
    EarTag,
    /// A Chinese certification code.
    Certificate(CertKind),
    /// Not recognised.
    Unknown,
}

impl Kind {
    /// snake_case name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Key(k) => k.as_str(),
            Self::DigitalLink => "digital_link",
            Self::EpcUrn => "epc_urn",
            Self::EarTag => "ear_tag",
            Self::Certificate(c) => c.as_str(),
            Self::Unknown => "unknown",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Kind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Result of checking one value. `details` carries the parts that were recognised (even when the
/// value is invalid, as far as they could be read). Keys are stable: snake_case for fixed parts
/// (`gtin14`, `county_code` …), `qualifier {AI} ({name})` and `attribute {AI} ({name})` for the
/// data of a Digital Link, so that the CLI output reads naturally.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What the value was taken to be.
    pub kind: Kind,
    /// Whether it is valid.
    pub valid: bool,
    /// Why it is not valid (`None` when valid).
    pub reason: Option<String>,
    /// The value in normal form: canonical Digital Link for URIs and URNs, the cleaned-up code
    /// otherwise. `None` when the value is invalid.
    pub normalised: Option<String>,
    /// Recognised parts and derived forms.
    pub details: BTreeMap<String, String>,
}

impl Report {
    /// A valid report.
    pub(crate) fn valid(kind: Kind, normalised: String, details: BTreeMap<String, String>) -> Report {
        Report { kind, valid: true, reason: None, normalised: Some(normalised), details }
    }

    /// An invalid report.
    pub(crate) fn invalid(kind: Kind, reason: impl ToString, details: BTreeMap<String, String>) -> Report {
        Report { kind, valid: false, reason: Some(reason.to_string()), normalised: None, details }
    }
}

/// Build a details map from pairs.
pub(crate) fn details<const N: usize>(pairs: [(&str, String); N]) -> BTreeMap<String, String> {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}
