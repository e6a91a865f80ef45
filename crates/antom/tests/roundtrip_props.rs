//! Property tests: signing and verifying round-trip over awkward bodies (non-ASCII, newlines,
//! `+ / =`), header formatting round-trips, and any change to the content breaks verification.

use antom::signature::{self, form_url_decode, form_url_encode, SignatureHeader};
use antom::MerchantPrivateKey;
use proptest::prelude::*;
use std::sync::OnceLock;

fn key() -> &'static MerchantPrivateKey {
    static K: OnceLock<MerchantPrivateKey> = OnceLock::new();
    K.get_or_init(|| MerchantPrivateKey::generate(2048).unwrap())
}

fn body_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,200}",
        "[+/=\\n\\r\\t ]{0,50}",
        "\\PC{0,100}",
        any::<String>(),
        ("[a-z]{1,8}", "\\PC{0,30}").prop_map(|(k, v)| serde_json::json!({ k: v }).to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn sign_verify_round_trip(body in body_strategy(), time in "[0-9]{13}|20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-9:]{8}\\+0[0-9]:00",
                              client in "(SANDBOX_)?[0-9A-Z]{16}", sandbox in any::<bool>()) {
        let path = if sandbox { "/ams/sandbox/api/v1/vaults/createVaultingSession" } else { "/ams/api/v1/vaults/createVaultingSession" };
        let h = signature::sign(key(), path, &client, &time, body.as_bytes(), "1");
        let value = h.to_header_value();
        let parsed = SignatureHeader::parse(&value).unwrap();
        prop_assert_eq!(&parsed, &h);
        prop_assert!(signature::verify(&key().public_key(), path, &client, &time, body.as_bytes(), Some(&value)).is_ok());
        // any appended byte breaks it
        let mut changed = body.clone().into_bytes();
        changed.push(b' ');
        prop_assert!(signature::verify(&key().public_key(), path, &client, &time, &changed, Some(&value)).is_err());
    }

    #[test]
    fn url_encoding_round_trips(s in "\\PC{0,64}") {
        let enc = form_url_encode(&s);
        prop_assert!(enc.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.*%+".contains(&b)));
        prop_assert_eq!(form_url_decode(&enc).unwrap(), s);
    }

    #[test]
    fn header_parse_never_panics(s in "\\PC{0,120}") {
        let _ = SignatureHeader::parse(&s);
    }
}
