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

    /// Whether `sealed` was sealed with this key (its envelope names this key's id).
    pub fn sealed_this(&self, sealed: &[u8]) -> bool {
        sealed.len() >= HEADER && &sealed[..3] == MAGIC && sealed[4..12] == self.id
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

/// The shop's row key (issue 30): an HMAC-SHA256 key that lives in each till's keyring (and
/// travels to a new till only sealed, through pairing), never in the database. The rows that
/// authorise carry a MAC under it ([`crate::shop::seals`]), so whoever can write the database
/// but holds no till cannot make a row the tills believe.
#[derive(Clone)]
pub struct RowKey(Sensitive<Vec<u8>>);

impl fmt::Debug for RowKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RowKey(<redacted>)")
    }
}

/// One field of a sealed row: absent (NULL) and empty differ.
pub enum Field<'a> {
    Null,
    Bytes(&'a [u8]),
    Int(i64),
}

impl<'a> From<&'a str> for Field<'a> {
    fn from(s: &'a str) -> Self {
        Field::Bytes(s.as_bytes())
    }
}

impl<'a> From<Option<&'a str>> for Field<'a> {
    fn from(s: Option<&'a str>) -> Self {
        s.map_or(Field::Null, Field::from)
    }
}

impl From<i64> for Field<'_> {
    fn from(i: i64) -> Self {
        Field::Int(i)
    }
}

impl From<Option<i64>> for Field<'_> {
    fn from(i: Option<i64>) -> Self {
        i.map_or(Field::Null, Field::Int)
    }
}

type HmacSha256 = hmac::Hmac<antom_sha::Sha256>;

impl RowKey {
    pub fn generate() -> Self {
        let mut k = vec![0u8; 32];
        getrandom::fill(&mut k).expect("the OS random source works");
        RowKey(Sensitive::new(k))
    }

    pub fn from_hex(s: &str) -> Result<Self, CryptoError> {
        DataKey::from_hex(s).map(|k| RowKey(k.key))
    }

    pub fn to_hex(&self) -> Sensitive<String> {
        Sensitive::new(hex(self.0.expose()))
    }

    fn keyed(&self, what: &str, fields: &[Field]) -> HmacSha256 {
        use hmac::{KeyInit, Mac};
        let mut m = <HmacSha256 as KeyInit>::new_from_slice(self.0.expose()).expect("HMAC takes any key length");
        m.update(b"cardbind row seal v1\0");
        m.update(what.as_bytes());
        for f in fields {
            match f {
                Field::Null => m.update(&[0]),
                Field::Int(i) => {
                    m.update(&[1]);
                    m.update(&i.to_le_bytes());
                }
                Field::Bytes(b) => {
                    m.update(&[2]);
                    m.update(&(b.len() as u64).to_le_bytes());
                    m.update(b);
                }
            }
        }
        m
    }

    /// The MAC of a row of `what` (a table, or another use) over its fields, in order.
    pub fn mac(&self, what: &str, fields: &[Field]) -> Vec<u8> {
        use hmac::Mac;
        self.keyed(what, fields).finalize().into_bytes().to_vec()
    }

    /// Whether `given` is the MAC of these fields (in constant time); a missing MAC is not.
    pub fn verify(&self, what: &str, fields: &[Field], given: Option<&[u8]>) -> bool {
        use hmac::Mac;
        given.is_some_and(|g| self.keyed(what, fields).verify_slice(g).is_ok())
    }

    /// A value only this key makes, kept in the database so a till knows whether its key is the
    /// one the rows were sealed with.
    pub fn check_value(&self) -> Vec<u8> {
        self.mac("row key check", &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_macs_bind_every_field_and_tell_null_from_empty() {
        let k = RowKey::generate();
        let m = k.mac("staff", &[Field::Int(1), "Ana".into(), Field::Null]);
        assert!(k.verify("staff", &[Field::Int(1), "Ana".into(), Field::Null], Some(&m)));
        assert!(!k.verify("staff", &[Field::Int(1), "Ana".into(), "".into()], Some(&m)), "NULL is not empty");
        assert!(!k.verify("staff", &[Field::Int(2), "Ana".into(), Field::Null], Some(&m)));
        assert!(!k.verify("cards", &[Field::Int(1), "Ana".into(), Field::Null], Some(&m)), "bound to its table");
        assert!(!k.verify("staff", &[Field::Int(1), "Ana".into(), Field::Null], None), "a missing MAC fails");
        assert!(!RowKey::generate().verify("staff", &[Field::Int(1), "Ana".into(), Field::Null], Some(&m)));
        let again = RowKey::from_hex(k.to_hex().expose()).unwrap();
        assert_eq!(again.check_value(), k.check_value());
        assert!(format!("{k:?}").contains("<redacted>"));
    }

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
