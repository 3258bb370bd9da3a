//! Passwords, tokens and sealed personal data.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use qy_kernel::{Error, Result};
use rand::RngCore;
use sha2::{Digest, Sha256};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Argon2id with the crate defaults (m = 19 MiB, t = 2, p = 1: OWASP's first choice).
/// CPU-heavy: call from `spawn_blocking`.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("argon2: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// A PHC string that no password matches, verified against for unknown user names so that
/// they take as long as known ones (no user enumeration by timing).
pub fn dummy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0M4tB9eJNPCC0q2Y0e9/3G5g3xZxV2Sc2yk3k0JQmEE"
}

/// A new bearer token: `<prefix>` + 256 random bits. Only its SHA-256 is stored.
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", B64.encode(bytes))
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Seals personal data (resident ID numbers) at rest with XChaCha20-Poly1305 under the
/// platform secret, and derives a keyed blind index so that uniqueness and look-ups work
/// without decrypting.
#[derive(Clone)]
pub struct Sealer {
    key: [u8; 32],
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Sealer(**redacted**)")
    }
}

impl Sealer {
    pub fn new(secret: [u8; 32]) -> Self {
        // Separate keys for encryption and for the index, both derived from the secret.
        let key = Sha256::new().chain_update(b"qingyun/identity/seal/v1").chain_update(secret).finalize();
        Self { key: key.into() }
    }

    pub fn seal(&self, plain: &str) -> Result<String> {
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        let mut nonce = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(XNonce::from_slice(&nonce), plain.as_bytes())
            .map_err(|_| Error::internal("sealing failed"))?;
        let mut out = nonce.to_vec();
        out.extend(ct);
        Ok(format!("v1.{}", B64.encode(out)))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let bad = || Error::internal("sealed value is corrupt or was sealed under another secret");
        let raw = B64.decode(sealed.strip_prefix("v1.").ok_or_else(bad)?).map_err(|_| bad())?;
        if raw.len() < 24 {
            return Err(bad());
        }
        let (nonce, ct) = raw.split_at(24);
        let cipher = XChaCha20Poly1305::new((&self.key).into());
        let plain = cipher.decrypt(XNonce::from_slice(nonce), ct).map_err(|_| bad())?;
        String::from_utf8(plain).map_err(|_| bad())
    }

    pub fn blind_index(&self, plain: &str) -> Result<String> {
        // HMAC takes keys of any length, so this never fails with our 32-byte key.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key)
            .map_err(|_| Error::internal("HMAC refused the blind-index key"))?;
        mac.update(b"index:");
        mac.update(plain.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }
}

/// Other modules seal personal data through the kernel port with the same keys, so a
/// resident ID's blind index is the same everywhere.
impl qy_kernel::vault::PersonalDataVault for Sealer {
    fn seal(&self, plain: &str) -> Result<String> {
        Sealer::seal(self, plain)
    }
    fn open(&self, sealed: &str) -> Result<String> {
        Sealer::open(self, sealed)
    }
    fn blind_index(&self, plain: &str) -> Result<String> {
        Sealer::blind_index(self, plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let h = hash_password("correct horse").unwrap_or_default();
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", dummy_hash()));
    }

    #[test]
    fn sealing_round_trips_and_detects_tampering() {
        let s = Sealer::new([7; 32]);
        let sealed = s.seal("630102199001011234").unwrap_or_default();
        assert!(!sealed.contains("630102"));
        assert_eq!(s.open(&sealed).ok().as_deref(), Some("630102199001011234"));
        assert!(Sealer::new([8; 32]).open(&sealed).is_err());
        assert_eq!(s.blind_index("a").ok(), s.blind_index("a").ok());
        assert_ne!(s.blind_index("a").ok(), Sealer::new([8; 32]).blind_index("a").ok());
    }

    #[test]
    fn tokens_are_unique_and_only_hashes_compare() {
        let a = new_token("qy_pat_");
        assert!(a.starts_with("qy_pat_") && a.len() > 40);
        assert_ne!(a, new_token("qy_pat_"));
        assert_eq!(token_hash(&a).len(), 64);
    }
}
