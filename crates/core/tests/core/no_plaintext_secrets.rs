//! After a full flow (bind through the element, notification, polling, a forged notification,
//! settings saved), scan the database (with its WAL), the settings file and everything the
//! process wrote to stdout and stderr (the log of every thread, the notification listener's
//! included) for secrets in plaintext: the merchant private key, the card token, the data key
//! and request or response signatures.

use crate::support::*;
use cardbind_core::flows::binding::AttemptState;
use cardbind_core::settings::Environment;
use cardbind_core::settings::Settings;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The longest run of base64 characters (an RSA-2048 signature is 344 of them).
fn longest_base64_run(hay: &[u8]) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for &b in hay {
        if b.is_ascii_alphanumeric() || b == b'+' || b == b'/' || b == b'=' || b == b'%' {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

const CHILD: &str = "CARDBIND_SECRETS_CHILD";

/// The parent: runs the flow in a child process (this test binary) whose whole output, from
/// every thread (the notification listener's among them), goes to files that are scanned with
/// the database, its WAL and the settings.
#[test]
fn no_secret_is_stored_or_logged_in_plaintext() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let scanned = tempfile::tempdir().unwrap();
    let private = tempfile::tempdir().unwrap(); // what the child tells the parent, never scanned
    let out = scanned.path().join("stdout.log");
    let err = scanned.path().join("stderr.log");
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["no_plaintext_secrets::secrets_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, scanned.path())
        .env("SECRETS_NEEDLES", private.path())
        .env("RUST_LOG", "trace")
        .stdout(std::fs::File::create(&out).unwrap())
        .stderr(std::fs::File::create(&err).unwrap())
        .status()
        .unwrap();
    assert!(status.success(), "the child failed:\n{}", std::fs::read_to_string(&err).unwrap_or_default());
    let log = [std::fs::read(&out).unwrap(), std::fs::read(&err).unwrap()].concat();
    assert!(log.len() > 200, "the flow logged something to scan");
    // The listener's own threads write to the same output: what it logged is in the scan.
    assert!(
        contains(&log, b"notification rejected"),
        "the notification listener's log (its own threads) must be part of the scan"
    );
    assert!(contains(&log, b"card bound"), "the binding flow's log is part of the scan");

    let token = std::fs::read(private.path().join("token")).unwrap();
    let data_key = std::fs::read(private.path().join("data-key")).unwrap();
    let private_key = merchant_key().to_pkcs8_base64();
    let pk = private_key.expose().as_bytes();
    let needles: Vec<(&str, &[u8])> = vec![
        ("card token", &token),
        ("card token (inner part)", &token[6..token.len() - 4]),
        ("merchant private key", pk),
        ("merchant private key (a line of it)", &pk[100..164]),
        ("data key", &data_key),
        ("signature header", b"signature="),
        ("signature header", b"algorithm=RSA256"),
    ];
    let files = walk(scanned.path());
    let db_files = files.iter().filter(|f| f.to_string_lossy().contains("cards.db")).count();
    assert!(db_files >= 2, "the database and its WAL are scanned: {files:?}");
    assert!(files.iter().any(|f| f.ends_with("settings.json")), "the settings are scanned: {files:?}");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for (what, needle) in &needles {
            assert!(!contains(&bytes, needle), "{what} found in plaintext in {}", f.display());
        }
        assert!(longest_base64_run(&bytes) < 300, "something signature-sized in {}", f.display());
    }
}

/// The child: the flow as the app runs it, with one global log subscriber (as the app installs)
/// at TRACE, writing to stderr.
#[test]
#[ignore = "child process of no_secret_is_stored_or_logged_in_plaintext"]
fn secrets_child() {
    let Some(scanned) = std::env::var_os(CHILD).map(std::path::PathBuf::from) else { return };
    let needles = std::path::PathBuf::from(std::env::var_os("SECRETS_NEEDLES").unwrap());
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .with_max_level(tracing::Level::TRACE)
        .init();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (addr, url) = notify_address("/antom/notify");
        let w = world_with(sim_config(), &url).await;
        let _l =
            cardbind_core::flows::listener::start(addr, &url, w.payments(), antom_key().public_key(), CLIENT.into())
                .await
                .unwrap();
        let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
        buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
        let a = w.flow.wait_for_result(s.attempt.id, Duration::from_secs(10)).await.unwrap();
        assert_eq!(a.state, AttemptState::Succeeded);
        tokio::time::sleep(Duration::from_millis(300)).await; // let the notification land
                                                              // A forged notification: the listener rejects it on its own thread and logs that.
        let forged = reqwest::Client::new()
            .post(&url)
            .header("client-id", CLIENT)
            .header("request-time", "1700000000000")
            .header("signature", "algorithm=RSA256,keyVersion=1,signature=AAAA")
            .body(r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingRequestId":"x"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(forged.status(), 401);
        let token = w.till.card_token(a.card_id.unwrap()).unwrap();
        std::fs::write(needles.join("token"), token.expose()).unwrap();
        std::fs::write(needles.join("data-key"), w.key.to_hex().expose()).unwrap();
        let settings = Settings {
            environment: Environment::Demo,
            notification_url: Some(url.clone()),
            locale: Some("de".into()),
            ..Settings::default()
        };
        settings.save(&scanned.join("config")).unwrap();
        // Keep the database and its WAL where the parent scans (the connection stays open, so
        // the WAL is there as while the app runs).
        for f in ["cards.db", "cards.db-wal"] {
            std::fs::copy(w.dir.path().join(f), scanned.join(f)).unwrap();
        }
    });
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_scan_would_see_a_plaintext_token() {
    // the scanner itself: a token written in clear is found
    let token = b"ALIPAYabcDEF+/==";
    let mut file = b"....".to_vec();
    file.extend_from_slice(token);
    assert!(contains(&file, token));
    assert!(longest_base64_run(&[b'A'; 344]) >= 300);
    let _ = Arc::new(());
}
