//! `vaultingSessionData` in the 4-part form the genuine web SDK (1.47.x) accepts:
//! `<opaque token>&&<hostSign>&&<flag>&&<base64 of JSON metadata>` (web-sdk.md §7).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("the OS random source works");
    b
}

/// A fresh opaque session token (part 0).
pub fn new_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<24>())
}

/// Build the session data. The metadata selects the VAULTING_CARD app and lets the SDK skip its
/// session-query RPC to Antom's gateway (`enableVaultingApiOptimize` + `skipSdkQuery`), which
/// cannot be reached offline.
pub fn session_data(token: &str, host_sign: &str, client_id: &str) -> String {
    let meta = serde_json::json!({
        "clientId": client_id,
        "paymentSessionConfig": {
            "productScene": "VAULTING",
            "paymentMethodCategoryType": "CARD",
            "productSceneVersion": "1.0"
        },
        "extendInfo": "{\"enableVaultingApiOptimize\":true}",
        "action": { "skipSdkQuery": true }
    });
    format!("{token}&&{host_sign}&&111&&{}", STANDARD.encode(meta.to_string()))
}

/// The session token from session data (or from the SDK's `paymentSessionData`, parts 0-2).
pub fn token_of(session_data: &str) -> Option<&str> {
    let token = session_data.split("&&").next()?;
    (!token.is_empty()
        && token.len() <= 64
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then_some(token)
}

/// A card token in Antom's shape: `ALIPAY` + base64.
pub fn new_card_token() -> String {
    format!("ALIPAY{}", STANDARD.encode(random_bytes::<33>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_parts_with_decodable_metadata() {
        let t = new_token();
        let d = session_data(&t, "SG", "SANDBOX_1");
        let parts: Vec<&str> = d.split("&&").collect();
        assert_eq!(parts.len(), 4);
        assert_eq!(token_of(&d), Some(t.as_str()));
        let meta: serde_json::Value = serde_json::from_slice(&STANDARD.decode(parts[3]).unwrap()).unwrap();
        assert_eq!(meta["paymentSessionConfig"]["productScene"], "VAULTING");
        assert_eq!(meta["paymentSessionConfig"]["paymentMethodCategoryType"], "CARD");
        assert!(d.len() <= 4096);
        assert!(new_card_token().starts_with("ALIPAY"));
    }
}
