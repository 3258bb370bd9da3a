//! The personal-data port: modules that hold resident ID numbers (credit subjects, household
//! records) seal them at rest and look them up by a keyed blind index, without each module
//! carrying its own keys. Implemented by the identity module under the platform secret.

use crate::Result;

pub trait PersonalDataVault: Send + Sync + 'static {
    /// Encrypts `plain` (authenticated); the result is safe to store.
    fn seal(&self, plain: &str) -> Result<String>;
    /// Decrypts a value sealed by `seal`. Callers audit every read of the result.
    fn open(&self, sealed: &str) -> Result<String>;
    /// A keyed, deterministic index of `plain`: equal inputs give equal indexes, and the index
    /// reveals nothing without the key.
    fn blind_index(&self, plain: &str) -> Result<String>;
}
