//! The private keyring session works with the `keyring` crate's Secret Service backend: a secret
//! written is read back by a fresh entry and deleted, and nothing reaches a real login keyring.

#[test]
fn secret_service_round_trip() {
    if cardbind_testkit::in_private_keyring("secret_service_round_trip") {
        return;
    }
    assert!(std::env::var("DBUS_SESSION_BUS_ADDRESS").unwrap().contains("unix:"));
    let entry = keyring::Entry::new("dev.cardbind.test", "round-trip").unwrap();
    entry.set_password("s3cr3t \u{1f511}").unwrap();
    let again = keyring::Entry::new("dev.cardbind.test", "round-trip").unwrap();
    assert_eq!(again.get_password().unwrap(), "s3cr3t \u{1f511}");
    again.delete_credential().unwrap();
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
}

#[test]
fn each_session_starts_empty() {
    if cardbind_testkit::in_private_keyring("each_session_starts_empty") {
        return;
    }
    let entry = keyring::Entry::new("dev.cardbind.test", "leftover").unwrap();
    assert!(matches!(entry.get_password(), Err(keyring::Error::NoEntry)));
    entry.set_password("left behind on purpose").unwrap();
}

#[test]
fn xvfb_gives_a_private_display() {
    let x = cardbind_testkit::Xvfb::start(320, 200);
    assert!(x.display().starts_with(':'));
    let out = std::process::Command::new("xdpyinfo").env("DISPLAY", x.display()).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("320x200 pixels"));
}
