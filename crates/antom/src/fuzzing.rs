//! What the fuzz targets (`fuzz/`, `make fuzz`) feed arbitrary bytes to, and what the regression
//! test (`tests/fuzz_regressions.rs`) replays every saved input through: each parser that reads
//! bytes from outside. None may panic, whatever it is given.

use crate::keys::{MerchantPrivateKey, PublicKey};
use crate::model::*;
use crate::signature::{self, SignatureHeader};
use std::sync::OnceLock;

fn key() -> &'static MerchantPrivateKey {
    static K: OnceLock<MerchantPrivateKey> = OnceLock::new();
    K.get_or_init(|| MerchantPrivateKey::generate(2048).expect("a key"))
}

/// A `signature` header (requests, responses, notifications), decoded and verified.
pub fn signature_header(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(h) = SignatureHeader::parse(text) {
        let again = SignatureHeader::parse(&h.to_header_value()).expect("what we write, we read");
        assert_eq!(again.signature, h.signature);
    }
    let _ = signature::form_url_decode(text);
    let public = key().public_key();
    let _ = signature::verify(&public, "/ams/api/v1/vaults/inquireVaulting", "C", "1", data, Some(text));
    let _ = crate::client::parse_time(text);
}

/// Keys as a merchant pastes or imports them: PEM, DER, bare base64, PKCS#1, PKCS#8, SPKI.
pub fn keys(data: &[u8]) {
    if let Ok(k) = MerchantPrivateKey::parse(data) {
        let _ = k.public_key();
    }
    if let Ok(k) = PublicKey::parse(data) {
        let again = PublicKey::parse(k.to_spki_base64().as_bytes()).expect("what we write, we read");
        assert_eq!(again, k);
    }
}

/// Antom's answers and notifications, parsed and read for their outcome, and a notification
/// verified with headers taken from the input.
pub fn messages(data: &[u8]) {
    let _ = serde_json::from_slice::<CreateVaultingSessionResponse>(data);
    if let Ok(r) = serde_json::from_slice::<InquireVaultingResponse>(data) {
        let _ = r.outcome();
    }
    let _ = serde_json::from_slice::<VaultPaymentMethodResponse>(data);
    if let Ok(r) = serde_json::from_slice::<PayResponse>(data) {
        let _ = r.outcome();
    }
    if let Ok(r) = serde_json::from_slice::<InquiryPaymentResponse>(data) {
        let _ = r.outcome();
    }
    if let Ok(r) = serde_json::from_slice::<RefundResponse>(data) {
        let _ = r.outcome();
    }
    if let Ok(r) = serde_json::from_slice::<InquiryRefundResponse>(data) {
        let _ = r.outcome();
    }
    if let Ok(n) = serde_json::from_slice::<NotifyPayment>(data) {
        let _ = n.outcome();
    }
    if let Ok(n) = serde_json::from_slice::<NotifyRefund>(data) {
        let _ = n.outcome();
    }
    let _ = serde_json::from_slice::<CancelResponse>(data);
    let _ = serde_json::from_slice::<DeleteTokenResponse>(data);
    let _ = serde_json::from_slice::<InquireTokenResponse>(data);
    let _ = serde_json::from_slice::<ErrorResponse>(data);
    let _ = serde_json::from_slice::<NotifyAck>(data);
    if let Ok(n) = serde_json::from_slice::<NotifyVaulting>(data) {
        let _ = n.outcome();
    }
    // headers from the first line, the body after it
    let (head, body) = match data.iter().position(|&b| b == b'\n') {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    let head = String::from_utf8_lossy(head);
    let mut parts = head.splitn(3, '|');
    let (cid, time, sig) = (parts.next(), parts.next(), parts.next());
    let lookup = |n: &str| match n {
        "client-id" => cid,
        "request-time" => time,
        "signature" => sig,
        _ => None,
    };
    let _ = crate::notify::verify_notification(&key().public_key(), "C", "/notify", lookup, body);
}
