//! Secrets against the real Secret Service (gnome-keyring in a private D-Bus session): round
//! trips, per-environment isolation, malformed entries, a locked keyring and no keyring at all.

use cardbind_core::secrets::{Secrets, SERVICE};
use cardbind_core::settings::Environment;
use cardbind_core::ErrorCode;
use cardbind_testkit::in_private_keyring;
use std::process::Command;

#[test]
fn keys_round_trip_per_environment() {
    if in_private_keyring("secrets::keys_round_trip_per_environment") {
        return;
    }
    let demo = Secrets::new(Environment::Demo);
    let sandbox = Secrets::new(Environment::Sandbox);
    assert!(demo.merchant_key().unwrap().is_none(), "a fresh keyring is empty");
    let k = antom::MerchantPrivateKey::generate(2048).unwrap();
    demo.store_merchant_key(&k).unwrap();
    demo.store_antom_public_key(&k.public_key()).unwrap();
    assert_eq!(demo.merchant_key().unwrap().unwrap().public_key(), k.public_key());
    assert_eq!(demo.antom_public_key().unwrap().unwrap(), k.public_key());
    assert!(sandbox.merchant_key().unwrap().is_none(), "environments do not share keys");
    let d1 = demo.data_key().unwrap();
    let d2 = demo.data_key().unwrap();
    assert_eq!(d1.id_hex(), d2.id_hex(), "created once, then reused");
    assert_ne!(sandbox.data_key().unwrap().id_hex(), d1.id_hex());
    demo.delete_all().unwrap();
    assert!(demo.merchant_key().unwrap().is_none());
}

#[test]
fn a_malformed_entry_is_key_invalid() {
    if in_private_keyring("secrets::a_malformed_entry_is_key_invalid") {
        return;
    }
    keyring::Entry::new(SERVICE, "production/merchant-private-key").unwrap().set_password("not a key").unwrap();
    keyring::Entry::new(SERVICE, "production/data-key").unwrap().set_password("abcd").unwrap();
    let s = Secrets::new(Environment::Production);
    assert_eq!(s.merchant_key().unwrap_err().code, ErrorCode::KeyInvalid);
    assert_eq!(s.data_key().unwrap_err().code, ErrorCode::KeyInvalid);
}

#[test]
fn a_locked_keyring_is_keyring_locked() {
    if in_private_keyring("secrets::a_locked_keyring_is_keyring_locked") {
        return;
    }
    let s = Secrets::new(Environment::Demo);
    s.data_key().unwrap(); // creates the login collection entry
    let out = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.secrets",
            "/org/freedesktop/secrets",
            "org.freedesktop.Secret.Service.Lock",
            "array:objpath:/org/freedesktop/secrets/collection/login",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let e = s.data_key().unwrap_err();
    assert_eq!(e.code, ErrorCode::KeyringLocked, "{e:?}");
}

#[test]
fn no_keyring_is_keyring_unavailable_and_the_card_list_still_reads() {
    if cardbind_testkit::without_keyring("secrets::no_keyring_is_keyring_unavailable_and_the_card_list_still_reads") {
        return;
    }
    let e = Secrets::new(Environment::Demo).data_key().unwrap_err();
    assert_eq!(e.code, ErrorCode::KeyringUnavailable, "{e:?}");
    assert!(e.message.contains("keyring"), "{}", e.message);
    let conn = cardbind_core::db::open_in_memory().unwrap();
    let c = cardbind_core::store::create_customer(
        &conn,
        &cardbind_core::store::CustomerInput { name: "A".into(), ..Default::default() },
        None,
    )
    .unwrap();
    let page = cardbind_core::store::list_cards(&conn, &Default::default()).unwrap();
    assert!(page.rows.is_empty() && c.id > 0, "the card list needs no secret");
}
