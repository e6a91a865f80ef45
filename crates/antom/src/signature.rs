//! Antom's RSA256 signature scheme (`antom-protocol.md` §3).
//!
//! Content to sign: `POST <path[?query]>\n<client-id>.<time>.<exact body bytes>`, hashed with
//! SHA-256, signed with PKCS#1 v1.5, base64 (standard alphabet, padded), then form-URL-encoded,
//! and sent as `Signature: algorithm=RSA256,keyVersion=<n>,signature=<value>`.

use crate::keys::{MerchantPrivateKey, PublicKey};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use std::fmt;

/// The one algorithm Antom documents.
pub const ALGORITHM: &str = "RSA256";
/// What the official SDKs send when nothing else is configured.
pub const DEFAULT_KEY_VERSION: &str = "1";

/// The exact bytes that are signed. `method` is `POST` for every Antom call.
pub fn content_to_sign(method: &str, path: &str, client_id: &str, time: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(method.len() + path.len() + client_id.len() + time.len() + body.len() + 4);
    out.extend_from_slice(method.as_bytes());
    out.push(b' ');
    out.extend_from_slice(path.as_bytes());
    out.push(b'\n');
    out.extend_from_slice(client_id.as_bytes());
    out.push(b'.');
    out.extend_from_slice(time.as_bytes());
    out.push(b'.');
    out.extend_from_slice(body);
    out
}

/// Why a signature header could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the signature header is missing")]
    Missing,
    #[error("the signature header has no signature= item")]
    NoSignatureItem,
    #[error("unsupported signature algorithm {0:?}; only RSA256 is used by Antom")]
    UnsupportedAlgorithm(String),
    #[error("the signature value is not URL-encoded base64")]
    NotBase64,
    #[error("the signature value is not URL-encoded: its '+' characters are read as spaces by Antom's verifier, as by every official SDK (URL-encode the base64 value: + is %2B, / is %2F, = is %3D)")]
    NotUrlEncoded,
    #[error("the signature does not match the content and key")]
    Mismatch,
}

/// A parsed `Signature` header. The raw signature bytes are not secret (they travel in the clear)
/// but they are never logged: `Debug` shows only their length.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureHeader {
    pub algorithm: String,
    pub key_version: String,
    pub signature: Vec<u8>,
}

impl fmt::Debug for SignatureHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignatureHeader")
            .field("algorithm", &self.algorithm)
            .field("key_version", &self.key_version)
            .field("signature", &format_args!("<{} bytes>", self.signature.len()))
            .finish()
    }
}

impl SignatureHeader {
    /// Parse tolerantly: items split on `,` and trimmed (the docs put a space after each comma,
    /// the SDKs do not), keys matched case-insensitively, each item split on its first `=` (the
    /// base64 value may contain raw `=` when a sender did not URL-encode it). `keyVersion`
    /// defaults to 1; `algorithm`, when present, must be RSA256.
    ///
    /// The value is decoded strictly, as every official verifier does (`URLDecoder`,
    /// `unquote_plus`, `QueryUnescape`): URL-decoded, then base64-decoded. A raw base64 value
    /// with `+` is corrupted by that decode (`+` becomes a space) and fails as it would at Antom,
    /// with [`SignatureError::NotUrlEncoded`] to say why; one without `+` decodes to itself.
    pub fn parse(header: &str) -> Result<Self, SignatureError> {
        if header.trim().is_empty() {
            return Err(SignatureError::Missing);
        }
        let mut algorithm = None;
        let mut key_version = None;
        let mut signature = None;
        for item in header.split(',') {
            let item = item.trim();
            let Some((key, value)) = item.split_once('=') else { continue };
            let key = key.trim();
            let value = value.trim();
            if key.eq_ignore_ascii_case("algorithm") {
                algorithm = Some(value.to_string());
            } else if key.eq_ignore_ascii_case("keyVersion") {
                key_version = Some(value.to_string());
            } else if key.eq_ignore_ascii_case("signature") {
                signature = Some(value.to_string());
            }
        }
        let algorithm = algorithm.unwrap_or_else(|| ALGORITHM.to_string());
        if !algorithm.eq_ignore_ascii_case(ALGORITHM) {
            return Err(SignatureError::UnsupportedAlgorithm(algorithm));
        }
        let encoded = signature.ok_or(SignatureError::NoSignatureItem)?;
        if encoded.contains('+') {
            return Err(SignatureError::NotUrlEncoded);
        }
        let b64 = form_url_decode(&encoded)?;
        let signature = STANDARD.decode(b64.trim().as_bytes()).map_err(|_| SignatureError::NotBase64)?;
        if signature.is_empty() {
            return Err(SignatureError::NotBase64);
        }
        Ok(SignatureHeader {
            algorithm: ALGORITHM.to_string(),
            key_version: key_version.filter(|v| !v.is_empty()).unwrap_or_else(|| DEFAULT_KEY_VERSION.to_string()),
            signature,
        })
    }

    /// The header value exactly as the SDKs send it: no spaces, this order (the Java SDK takes the
    /// third comma-separated item), value URL-encoded so that it contains no raw `=`.
    pub fn to_header_value(&self) -> String {
        format!(
            "algorithm={},keyVersion={},signature={}",
            self.algorithm,
            self.key_version,
            form_url_encode(&STANDARD.encode(&self.signature))
        )
    }
}

/// Sign a request (or, in the simulator, a response or notification).
pub fn sign(
    key: &MerchantPrivateKey,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
    key_version: &str,
) -> SignatureHeader {
    let content = content_to_sign("POST", path, client_id, time, body);
    SignatureHeader {
        algorithm: ALGORITHM.to_string(),
        key_version: key_version.to_string(),
        signature: key.sign(&content),
    }
}

/// Verify a signature header value over the given parts.
pub fn verify(
    key: &PublicKey,
    path: &str,
    client_id: &str,
    time: &str,
    body: &[u8],
    header: Option<&str>,
) -> Result<SignatureHeader, SignatureError> {
    let parsed = SignatureHeader::parse(header.ok_or(SignatureError::Missing)?)?;
    let content = content_to_sign("POST", path, client_id, time, body);
    if key.verify(&content, &parsed.signature) {
        Ok(parsed)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// `application/x-www-form-urlencoded` encoding as Java's `URLEncoder`, Python's `quote_plus`
/// and Go's `url.QueryEscape` do it: `A-Z a-z 0-9 - _ . *` (and `~` for Go/Python; never in
/// base64) stay, space becomes `+`, everything else `%XX` upper-case.
pub fn form_url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The inverse of [`form_url_encode`]: `+` is a space, `%XX` a byte.
pub fn form_url_decode(s: &str) -> Result<String, SignatureError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or(SignatureError::NotBase64)?;
                let hex = std::str::from_utf8(hex).map_err(|_| SignatureError::NotBase64)?;
                out.push(u8::from_str_radix(hex, 16).map_err(|_| SignatureError::NotBase64)?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| SignatureError::NotBase64)
}

/// Render the content to sign for humans: the newline is shown as `\n` followed by a real line
/// break, and the parts are labelled (used by `antom explain`).
pub fn explain(path: &str, client_id: &str, time: &str, body: &[u8]) -> String {
    let content = content_to_sign("POST", path, client_id, time, body);
    let shown = String::from_utf8_lossy(&content).replacen('\n', "\\n\n", 1);
    format!(
        "String to sign ({len} bytes, UTF-8; \\n is one LF byte, no trailing newline):\n\
         ----8<----\n{shown}\n----8<----\n\
         method      : POST\n\
         path        : {path}\n\
         client-id   : {client_id}\n\
         request-time: {time}\n\
         body        : {blen} bytes{crlf}\n",
        len = content.len(),
        blen = body.len(),
        crlf = if body.windows(2).any(|w| w == b"\r\n") {
            " (contains CRLF line endings: they are signed as sent)"
        } else {
            ""
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MerchantPrivateKey;

    #[test]
    fn content_matches_the_documented_example() {
        let c = content_to_sign(
            "POST",
            "/ams/sandbox/api/v1/vaults/inquireVaulting",
            "SANDBOX_5X00000000000000",
            "1685599933871",
            br#"{"vaultingRequestId":"vr-001"}"#,
        );
        assert_eq!(
            c,
            b"POST /ams/sandbox/api/v1/vaults/inquireVaulting\nSANDBOX_5X00000000000000.1685599933871.{\"vaultingRequestId\":\"vr-001\"}"
        );
    }

    #[test]
    fn header_round_trip_and_tolerant_forms() {
        let h = SignatureHeader {
            algorithm: ALGORITHM.into(),
            key_version: "1".into(),
            signature: vec![0xfb, 0xff, 0xbf, 0x00, 0x10],
        };
        let v = h.to_header_value();
        assert_eq!(v, "algorithm=RSA256,keyVersion=1,signature=%2B%2F%2B%2FABA%3D");
        assert_eq!(SignatureHeader::parse(&v).unwrap(), h);
        for variant in [
            "algorithm=RSA256, keyVersion=1, signature=%2B%2F%2B%2FABA%3D",
            "signature=%2b%2f%2b%2fABA%3d,ALGORITHM=rsa256,KeyVersion=1",
            "signature=%2B%2F%2B%2FABA%3D",
        ] {
            assert_eq!(SignatureHeader::parse(variant).unwrap(), h, "{variant}");
        }
        // Decoded as every official verifier does: a raw `+` would be read as a space.
        assert_eq!(
            SignatureHeader::parse("keyVersion=1,signature=+/+/ABA=").unwrap_err(),
            SignatureError::NotUrlEncoded
        );
        // A raw value without `+` URL-decodes to itself and is fine (as at Antom).
        let no_plus = SignatureHeader { signature: vec![0xff, 0xff, 0x00, 0x10], ..h.clone() };
        assert_eq!(SignatureHeader::parse("signature=//8AEA==").unwrap(), no_plus);
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA,signature=AA%3D%3D").unwrap_err(),
            SignatureError::UnsupportedAlgorithm("RSA".into())
        );
        assert_eq!(
            SignatureHeader::parse("algorithm=RSA256,keyVersion=1").unwrap_err(),
            SignatureError::NoSignatureItem
        );
        assert_eq!(SignatureHeader::parse("signature=%ZZ").unwrap_err(), SignatureError::NotBase64);
        assert_eq!(SignatureHeader::parse("  ").unwrap_err(), SignatureError::Missing);
    }

    #[test]
    fn sign_then_verify_and_tamper() {
        let key = MerchantPrivateKey::generate(2048).unwrap();
        let pubk = key.public_key();
        let h = sign(&key, "/ams/api/v1/vaults/inquireVaulting", "C1", "1700000000000", b"{}", "1");
        let v = h.to_header_value();
        verify(&pubk, "/ams/api/v1/vaults/inquireVaulting", "C1", "1700000000000", b"{}", Some(&v)).unwrap();
        assert_eq!(
            verify(&pubk, "/ams/api/v1/vaults/inquireVaulting", "C1", "1700000000001", b"{}", Some(&v)).unwrap_err(),
            SignatureError::Mismatch
        );
        assert_eq!(
            verify(&pubk, "/ams/api/v1/vaults/inquireVaulting", "C1", "1", b"{}", None).unwrap_err(),
            SignatureError::Missing
        );
    }
}
