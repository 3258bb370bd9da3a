//! Identifiers. Entities get UUIDv7 strings: time-ordered (good index locality on both
//! backends) and portable as `TEXT`.

/// A fresh time-ordered identifier, as text.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Is `s` a syntactically valid UUID (any version)? Used to reject bad path parameters
/// with a 400 before they reach SQL.
pub fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}
