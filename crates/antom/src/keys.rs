//! RSA keys in the forms Antom's Dashboard and common tools produce.
//!
//! * Merchant private key: PKCS#8 (what Antom's Dashboard and Java SDK use) or PKCS#1 (what the
//!   Python SDK's PEM label suggests), as bare base64 (the Dashboard's form), PEM or DER.
//! * Public keys (Antom's, or a merchant's for the simulator): X.509 SubjectPublicKeyInfo as bare
//!   base64, PEM or DER; a PKCS#1 `RSA PUBLIC KEY` is accepted too (tolerant reading).
//!
//! Sizes from 2048 to 4096 bits are accepted. Antom's key size is UNCONFIRMED (2048 assumed); a
//! smaller key is refused because it no longer meets common security baselines.

use crate::sensitive::Sensitive;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use rsa::sha2::Sha256;
use rsa::traits::PublicKeyParts;
use std::fmt;

pub const MIN_BITS: usize = 2048;
pub const MAX_BITS: usize = 4096;

/// Why a key could not be loaded. Messages name what was wrong and never echo key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is empty")]
    Empty,
    #[error("the key is not valid base64, PEM or DER ({0})")]
    NotDecodable(String),
    #[error("expected a {expected}, but this is a {found}")]
    WrongType { expected: &'static str, found: &'static str },
    #[error("the PEM block is an encrypted private key; export it without a passphrase")]
    Encrypted,
    #[error("the key is not an RSA key ({0})")]
    NotRsa(String),
    #[error("the key is truncated or malformed ({0})")]
    Malformed(String),
    #[error("the RSA key has {bits} bits; {MIN_BITS} to {MAX_BITS} bits are supported")]
    UnsupportedSize { bits: usize },
}

/// The shapes a key's bytes can come in, after removing any PEM armour.
struct Decoded {
    der: Sensitive<Vec<u8>>,
    /// The PEM label, when the input was PEM.
    label: Option<String>,
}

fn decode_input(input: &[u8]) -> Result<Decoded, KeyError> {
    // DER starts with a SEQUENCE tag (0x30); base64 and PEM text never do ('0' is 0x30 too, but a
    // base64 RSA key starts with "MII"). DER is binary and taken as it is: trimming it would cut
    // a last byte that happens to be 0x20 or 0x0a.
    if input.first() == Some(&0x30) && std::str::from_utf8(input).is_err() {
        return Ok(Decoded { der: Sensitive::new(input.to_vec()), label: None });
    }
    let trimmed = trim_ascii(input);
    if trimmed.is_empty() {
        return Err(KeyError::Empty);
    }
    let text = std::str::from_utf8(trimmed).map_err(|_| KeyError::NotDecodable("neither text nor DER".into()))?;
    if let Some(rest) = text.strip_prefix("-----BEGIN ") {
        let (label, after) =
            rest.split_once("-----").ok_or_else(|| KeyError::NotDecodable("broken PEM header".into()))?;
        let end_marker = format!("-----END {label}-----");
        let body = after
            .split_once(end_marker.as_str())
            .map(|(b, _)| b)
            .ok_or_else(|| KeyError::Malformed(format!("PEM block has no \"{end_marker}\" line")))?;
        if label == "ENCRYPTED PRIVATE KEY" || body.contains("Proc-Type: 4,ENCRYPTED") {
            return Err(KeyError::Encrypted);
        }
        let der = b64_decode(body)?;
        return Ok(Decoded { der, label: Some(label.to_string()) });
    }
    Ok(Decoded { der: b64_decode(text)?, label: None })
}

fn b64_decode(text: &str) -> Result<Sensitive<Vec<u8>>, KeyError> {
    let compact: String = text.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let compact = Sensitive::new(compact);
    if compact.expose().is_empty() {
        return Err(KeyError::Empty);
    }
    STANDARD
        .decode(compact.expose().as_bytes())
        .map(Sensitive::new)
        .map_err(|e| KeyError::NotDecodable(format!("base64: {e}")))
}

fn trim_ascii(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    &b[start..end]
}

fn check_size(bits: usize) -> Result<(), KeyError> {
    if (MIN_BITS..=MAX_BITS).contains(&bits) {
        Ok(())
    } else {
        Err(KeyError::UnsupportedSize { bits })
    }
}

fn looks_like_public(der: &[u8]) -> bool {
    rsa::PublicKey::from_public_key_der(der).is_ok() || rsa::PublicKey::from_pkcs1_der(der).is_ok()
}

fn looks_like_private(der: &[u8]) -> bool {
    rsa::PrivateKey::from_pkcs8_der(der).is_ok() || rsa::PrivateKey::from_pkcs1_der(der).is_ok()
}

fn describe_der_error(err: impl fmt::Display, der_len: usize) -> KeyError {
    let text = err.to_string();
    let lower = text.to_ascii_lowercase();
    if lower.contains("oid") || lower.contains("algorithm") {
        KeyError::NotRsa(text)
    } else if lower.contains("length") || lower.contains("truncated") || lower.contains("incomplete") {
        KeyError::Malformed(format!("{text}; {der_len} bytes decoded"))
    } else {
        KeyError::Malformed(text)
    }
}

/// The merchant's RSA private key, used to sign requests to Antom.
#[derive(Clone)]
pub struct MerchantPrivateKey {
    key: rsa::PrivateKey,
}

impl fmt::Debug for MerchantPrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MerchantPrivateKey(<redacted>, {} bits)", self.bits())
    }
}

impl MerchantPrivateKey {
    /// Load from bare base64, PEM or DER; PKCS#8 first, then PKCS#1.
    pub fn parse(input: &[u8]) -> Result<Self, KeyError> {
        let decoded = decode_input(input)?;
        let der = decoded.der.expose();
        if let Some(label) = decoded.label.as_deref() {
            if label.contains("PUBLIC KEY") || label == "CERTIFICATE" {
                return Err(KeyError::WrongType { expected: "private key", found: "public key" });
            }
        }
        let key = match rsa::PrivateKey::from_pkcs8_der(der) {
            Ok(k) => k,
            Err(pkcs8_err) => match rsa::PrivateKey::from_pkcs1_der(der) {
                Ok(k) => k,
                Err(_) => {
                    if looks_like_public(der) {
                        return Err(KeyError::WrongType { expected: "private key", found: "public key" });
                    }
                    return Err(describe_der_error(pkcs8_err, der.len()));
                }
            },
        };
        check_size(key.size() * 8)?;
        Ok(MerchantPrivateKey { key })
    }

    /// A fresh key pair (for demo mode, the simulator and `antom keygen`).
    pub fn generate(bits: usize) -> Result<Self, KeyError> {
        check_size(bits)?;
        let key = rsa::PrivateKey::new(&mut getrandom::SysRng, bits)
            .map_err(|e| KeyError::Malformed(format!("key generation failed: {e}")))?;
        Ok(MerchantPrivateKey { key })
    }

    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey { key: self.key.to_public_key() }
    }

    /// PKCS#8 DER in bare base64, the form Antom's Dashboard shows.
    pub fn to_pkcs8_base64(&self) -> Sensitive<String> {
        let der = self.key.to_pkcs8_der().expect("an RSA key always encodes as PKCS#8");
        Sensitive::new(STANDARD.encode(der.as_bytes()))
    }

    /// PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`).
    pub fn to_pkcs8_pem(&self) -> Sensitive<String> {
        let b64 = self.to_pkcs8_base64();
        Sensitive::new(pem_wrap("PRIVATE KEY", b64.expose()))
    }

    /// SHA256withRSA, PKCS#1 v1.5. Deterministic: the same key and content give the same bytes.
    pub fn sign(&self, content: &[u8]) -> Vec<u8> {
        self.key
            .pkcs1v15_sign::<Sha256>(content)
            .expect("keys of 2048+ bits always fit a SHA-256 PKCS#1 v1.5 signature")
    }
}

/// An RSA public key: Antom's (to verify responses and notifications) or a merchant's (in the
/// simulator, to verify requests).
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    key: rsa::PublicKey,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKey({} bits)", self.bits())
    }
}

impl PublicKey {
    /// Load from bare base64, PEM or DER: X.509 SPKI first, then PKCS#1.
    pub fn parse(input: &[u8]) -> Result<Self, KeyError> {
        let decoded = decode_input(input)?;
        let der = decoded.der.expose();
        if let Some(label) = decoded.label.as_deref() {
            if label.contains("PRIVATE KEY") {
                return Err(KeyError::WrongType { expected: "public key", found: "private key" });
            }
        }
        let key = match rsa::PublicKey::from_public_key_der(der) {
            Ok(k) => k,
            Err(spki_err) => match rsa::PublicKey::from_pkcs1_der(der) {
                Ok(k) => k,
                Err(_) => {
                    if looks_like_private(der) {
                        return Err(KeyError::WrongType { expected: "public key", found: "private key" });
                    }
                    return Err(describe_der_error(spki_err, der.len()));
                }
            },
        };
        check_size(key.size() * 8)?;
        Ok(PublicKey { key })
    }

    pub fn bits(&self) -> usize {
        self.key.size() * 8
    }

    /// X.509 SPKI DER in bare base64, the form Antom's Dashboard shows.
    pub fn to_spki_base64(&self) -> String {
        let der = self.key.to_public_key_der().expect("an RSA key always encodes as SPKI");
        STANDARD.encode(der.as_bytes())
    }

    /// X.509 SPKI PEM (`-----BEGIN PUBLIC KEY-----`).
    pub fn to_spki_pem(&self) -> String {
        pem_wrap("PUBLIC KEY", &self.to_spki_base64())
    }

    /// Verify a SHA256withRSA PKCS#1 v1.5 signature. The comparison of the recovered digest is
    /// done by the `rsa` crate in constant time.
    pub fn verify(&self, content: &[u8], signature: &[u8]) -> bool {
        self.key.pkcs1v15_verify::<Sha256>(content, signature).is_ok()
    }
}

fn pem_wrap(label: &str, b64: &str) -> String {
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).expect("base64 is ASCII"));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

#[cfg(test)]
mod tests {

    /// Raw DER is binary: a key whose last byte happens to be an ASCII space or newline (about
    /// one key in fifty) must not lose it to the trimming text input gets.
    #[test]
    fn raw_der_keeps_a_last_byte_that_looks_like_whitespace() {
        for last in [b' ', b'\n', b'\t', b'\r', 0x0c] {
            let der = [0x30, 0x82, 0x01, 0xff, 0xfe, last];
            assert_eq!(decode_input(&der).unwrap().der.expose().as_slice(), &der, "last byte {last:#x}");
        }
    }
    use super::*;
    use std::sync::OnceLock;

    pub(crate) fn test_key() -> &'static MerchantPrivateKey {
        static KEY: OnceLock<MerchantPrivateKey> = OnceLock::new();
        KEY.get_or_init(|| MerchantPrivateKey::generate(2048).unwrap())
    }

    #[test]
    fn round_trips_through_every_form() {
        let k = test_key();
        let b64 = k.to_pkcs8_base64();
        let pem = k.to_pkcs8_pem();
        let der = STANDARD.decode(b64.expose()).unwrap();
        for input in [b64.expose().as_bytes(), pem.expose().as_bytes(), der.as_slice()] {
            let parsed = MerchantPrivateKey::parse(input).unwrap();
            assert_eq!(parsed.public_key(), k.public_key());
        }
        let pubk = k.public_key();
        for input in [pubk.to_spki_base64(), pubk.to_spki_pem()] {
            assert_eq!(PublicKey::parse(input.as_bytes()).unwrap(), pubk);
        }
        // bare base64 wrapped over lines, as when pasted from a PDF, still loads
        let wrapped: String =
            b64.expose().as_bytes().chunks(50).map(|c| format!("  {}\r\n", std::str::from_utf8(c).unwrap())).collect();
        MerchantPrivateKey::parse(wrapped.as_bytes()).unwrap();
    }

    #[test]
    fn debug_never_shows_key_material() {
        let k = test_key();
        let dbg = format!("{k:?}");
        assert_eq!(dbg, "MerchantPrivateKey(<redacted>, 2048 bits)");
    }

    #[test]
    fn bad_inputs_are_named() {
        let k = test_key();
        assert_eq!(MerchantPrivateKey::parse(b"   \n").unwrap_err(), KeyError::Empty);
        assert!(matches!(MerchantPrivateKey::parse(b"not a key!").unwrap_err(), KeyError::NotDecodable(_)));
        assert_eq!(
            MerchantPrivateKey::parse(k.public_key().to_spki_base64().as_bytes()).unwrap_err(),
            KeyError::WrongType { expected: "private key", found: "public key" }
        );
        assert_eq!(
            PublicKey::parse(k.to_pkcs8_base64().expose().as_bytes()).unwrap_err(),
            KeyError::WrongType { expected: "public key", found: "private key" }
        );
        let b64 = k.to_pkcs8_base64();
        let truncated = &b64.expose()[..b64.expose().len() / 2];
        let truncated = &truncated[..truncated.len() / 4 * 4];
        assert!(matches!(MerchantPrivateKey::parse(truncated.as_bytes()).unwrap_err(), KeyError::Malformed(_)));
        assert_eq!(
            MerchantPrivateKey::parse(
                b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
            )
            .unwrap_err(),
            KeyError::Encrypted
        );
        assert_eq!(MerchantPrivateKey::generate(1024).unwrap_err(), KeyError::UnsupportedSize { bits: 1024 });
    }
}
