//! Card tokens at rest: XChaCha20-Poly1305 under a 256-bit data key kept in the OS keyring.
//!
//! Envelope (version 1): `b"CBT" | 0x01 | key id (8 bytes) | nonce (24 bytes) | ciphertext+tag`.
//! The key id is the first 8 bytes of SHA-256 over the key, so a database opened with another
//! key fails with a clear "wrong key" error instead of a generic authentication failure. The
//! row's `vaultingRequestId` is bound as associated data: a token copied into another row does
//! not decrypt.

use antom::Sensitive;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use std::fmt;

const MAGIC: &[u8; 3] = b"CBT";
const VERSION: u8 = 1;
const HEADER: usize = 3 + 1 + 8 + 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the stored token is not in a format this version understands")]
    UnknownFormat,
    #[error("the stored token was encrypted with a different data key")]
    WrongKey,
    #[error("the stored token failed its integrity check")]
    Tampered,
    #[error("the data key is malformed")]
    BadKey,
}

/// The data key. Never printed, never serialised.
#[derive(Clone)]
pub struct DataKey {
    key: Sensitive<Vec<u8>>,
    id: [u8; 8],
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DataKey(<redacted>, id {})", hex(&self.id))
    }
}

/// Lower-case hex, the one form every digest and key check is written in.
pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn key_id(key: &[u8]) -> [u8; 8] {
    use antom_sha::Digest;
    let d = antom_sha::Sha256::digest(key);
    let mut id = [0u8; 8];
    id.copy_from_slice(&d[..8]);
    id
}

// sha2 comes with the rsa crate through antom; name it once here.
mod antom_sha {
    pub use sha2::{Digest, Sha256};
}

impl DataKey {
    pub fn generate() -> Self {
        let mut k = vec![0u8; 32];
        getrandom::fill(&mut k).expect("the OS random source works");
        Self::from_bytes(k).expect("32 bytes")
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, CryptoError> {
        if bytes.len() != 32 {
            return Err(CryptoError::BadKey);
        }
        let id = key_id(&bytes);
        Ok(DataKey { key: Sensitive::new(bytes), id })
    }

    /// Hex form for the keyring.
    pub fn to_hex(&self) -> Sensitive<String> {
        Sensitive::new(hex(self.key.expose()))
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        let s = s.trim();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(CryptoError::BadKey);
        }
        let bytes = (0..32).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex checked")).collect();
        Self::from_bytes(bytes)
    }

    pub fn id_hex(&self) -> String {
        hex(&self.id)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new_from_slice(self.key.expose()).expect("32-byte key")
    }

    pub fn seal(&self, plaintext: &[u8], context: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("the OS random source works");
        let ct = self
            .cipher()
            .encrypt(&XNonce::from(nonce), Payload { msg: plaintext, aad: context })
            .expect("XChaCha20-Poly1305 encryption of a short message cannot fail");
        let mut out = Vec::with_capacity(HEADER + ct.len());
        out.extend_from_slice(MAGIC);
        out.push(VERSION);
        out.extend_from_slice(&self.id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn open(&self, sealed: &[u8], context: &[u8]) -> Result<Sensitive<Vec<u8>>, CryptoError> {
        if sealed.len() < HEADER + 16 || &sealed[..3] != MAGIC || sealed[3] != VERSION {
            return Err(CryptoError::UnknownFormat);
        }
        if sealed[4..12] != self.id {
            return Err(CryptoError::WrongKey);
        }
        let mut nonce = [0u8; 24];
        nonce.copy_from_slice(&sealed[12..36]);
        self.cipher()
            .decrypt(&XNonce::from(nonce), Payload { msg: &sealed[HEADER..], aad: context })
            .map(Sensitive::new)
            .map_err(|_| CryptoError::Tampered)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_binding_and_failures() {
        let k = DataKey::generate();
        let sealed = k.seal(b"ALIPAYtoken==", b"vr-1");
        assert!(!sealed.windows(6).any(|w| w == b"ALIPAY"), "no plaintext in the envelope");
        assert_eq!(k.open(&sealed, b"vr-1").unwrap().expose(), b"ALIPAYtoken==");
        assert_ne!(k.seal(b"x", b"c"), k.seal(b"x", b"c"), "fresh nonce each time");
        assert_eq!(k.open(&sealed, b"vr-2").unwrap_err(), CryptoError::Tampered);
        let mut bad = sealed.clone();
        *bad.last_mut().unwrap() ^= 1;
        assert_eq!(k.open(&bad, b"vr-1").unwrap_err(), CryptoError::Tampered);
        assert_eq!(DataKey::generate().open(&sealed, b"vr-1").unwrap_err(), CryptoError::WrongKey);
        assert_eq!(k.open(b"plain", b"vr-1").unwrap_err(), CryptoError::UnknownFormat);
        let again = DataKey::from_hex(k.to_hex().expose()).unwrap();
        assert_eq!(again.open(&sealed, b"vr-1").unwrap().expose(), b"ALIPAYtoken==");
        assert!(format!("{k:?}").contains("<redacted>"));
        assert_eq!(DataKey::from_hex("zz").unwrap_err(), CryptoError::BadKey);
    }
}
