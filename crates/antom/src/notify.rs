//! Receiving Antom's notifications (`notifyVaulting`, `notifyPayment`, `notifyCapture`,
//! `notifyRefund`, and any other type): verify the signature over the notify URL's own path and
//! query, or its path alone (§3.6), then parse. The merchant answers with [`crate::model::NOTIFY_ACK_BODY`], unsigned.

use crate::keys::PublicKey;
use crate::model::NotifyVaulting;
use crate::signature::{self, SignatureError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyError {
    #[error("the notification has no {0} header")]
    MissingHeader(&'static str),
    #[error("the notification signature is invalid: {0}")]
    Signature(SignatureError),
    #[error("the notification is for client id {found:?}, not ours")]
    ClientIdMismatch { found: String },
    #[error("the notification body is not the message expected: {0}")]
    Malformed(String),
}

/// Verify and parse a notification.
///
/// * `path_and_query`: the request target as received (e.g. `/antom/notify?shop=1`), which is what
///   Antom signs ("your webhook endpoint, domain part excluded").
/// * `header`: a case-insensitive header lookup.
pub fn verify_notification<'h>(
    antom_public_key: &PublicKey,
    expected_client_id: &str,
    path_and_query: &str,
    header: impl Fn(&str) -> Option<&'h str>,
    body: &[u8],
) -> Result<NotifyVaulting, NotifyError> {
    verify_as(antom_public_key, expected_client_id, path_and_query, header, body)
}

/// [`verify_notification`] for any notification body: `T` is
/// [`crate::model::NotifyPayment`], [`crate::model::NotifyRefund`] or [`NotifyVaulting`].
pub fn verify_as<'h, T: serde::de::DeserializeOwned>(
    antom_public_key: &PublicKey,
    expected_client_id: &str,
    path_and_query: &str,
    header: impl Fn(&str) -> Option<&'h str>,
    body: &[u8],
) -> Result<T, NotifyError> {
    let client_id = header("client-id").ok_or(NotifyError::MissingHeader("client-id"))?;
    let request_time = header("request-time").ok_or(NotifyError::MissingHeader("request-time"))?;
    let sig = header("signature").ok_or(NotifyError::MissingHeader("signature"))?;
    // Whether Antom signs the query of a notify URL is UNCONFIRMED ("your webhook endpoint,
    // domain part excluded"): the request target as received first, then its path alone.
    let path = path_and_query.split('?').next().unwrap_or(path_and_query);
    signature::verify(antom_public_key, path_and_query, client_id, request_time, body, Some(sig))
        .or_else(|e| match path != path_and_query {
            true => signature::verify(antom_public_key, path, client_id, request_time, body, Some(sig)),
            false => Err(e),
        })
        .map_err(NotifyError::Signature)?;
    if client_id != expected_client_id {
        return Err(NotifyError::ClientIdMismatch { found: client_id.to_string() });
    }
    serde_json::from_slice(body).map_err(|e| NotifyError::Malformed(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::MerchantPrivateKey;

    #[test]
    fn verifies_over_the_notify_path_and_query() {
        let antom = MerchantPrivateKey::generate(2048).unwrap();
        let body = br#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success."},"vaultingRequestId":"vr-1","paymentMethodDetail":{"paymentMethodType":"CARD","card":{"cardToken":"ALIPAYx==","maskedCardNo":"************1111","brand":"VISA"}}}"#;
        let path = "/antom/notify?shop=7";
        let sig = crate::signature::sign(&antom, path, "C1", "2026-11-23T10:00:00Z", body, "1").to_header_value();
        let headers = [("Client-Id", "C1"), ("Request-Time", "2026-11-23T10:00:00Z"), ("Signature", sig.as_str())];
        let lookup = |n: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| *v);
        let n = verify_notification(&antom.public_key(), "C1", path, lookup, body).unwrap();
        assert_eq!(n.vaulting_request_id, "vr-1");
        // another path, another client, a changed body
        assert!(matches!(
            verify_notification(&antom.public_key(), "C1", "/antom/other?shop=7", lookup, body),
            Err(NotifyError::Signature(_))
        ));
        // signed over the path alone (whether Antom signs the query is UNCONFIRMED): accepted
        let sig_path =
            crate::signature::sign(&antom, "/antom/notify", "C1", "2026-11-23T10:00:00Z", body, "1").to_header_value();
        let headers2 =
            [("Client-Id", "C1"), ("Request-Time", "2026-11-23T10:00:00Z"), ("Signature", sig_path.as_str())];
        let lookup2 = |n: &str| headers2.iter().find(|(k, _)| k.eq_ignore_ascii_case(n)).map(|(_, v)| *v);
        assert!(verify_notification(&antom.public_key(), "C1", path, lookup2, body).is_ok());
        assert!(matches!(
            verify_notification(&antom.public_key(), "C2", path, lookup, body),
            Err(NotifyError::ClientIdMismatch { .. })
        ));
        let mut changed = body.to_vec();
        changed[20] ^= 1;
        assert!(matches!(
            verify_notification(&antom.public_key(), "C1", path, lookup, &changed),
            Err(NotifyError::Signature(_))
        ));
        let none = |_: &str| None;
        assert_eq!(
            verify_notification(&antom.public_key(), "C1", path, none, body).unwrap_err(),
            NotifyError::MissingHeader("client-id")
        );
    }
}
