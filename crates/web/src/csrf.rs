//! CSRF protection for forms.
//!
//! Logged-in users: the token is stored with the session (synchronizer token). Visitors
//! (the login form): a random token in a `SameSite=Strict` cookie that the form must echo
//! (double submit). Comparison is constant-time.

use base64::Engine;
use rand::RngCore;
use subtle::ConstantTimeEq;

pub const COOKIE: &str = "qy_csrf";
pub const FIELD: &str = "csrf";

/// A fresh random token (256 bits, base64url).
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Does the submitted token match the expected one?
pub fn matches(expected: &str, submitted: &str) -> bool {
    !expected.is_empty()
        && expected.len() == submitted.len()
        && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tokens_are_random_and_compared_exactly() {
        let a = super::new_token();
        let b = super::new_token();
        assert_ne!(a, b);
        assert!(super::matches(&a, &a));
        assert!(!super::matches(&a, &b));
        assert!(!super::matches("", ""));
    }
}
