//! After a full flow (bind through the element, notification, polling, settings saved), scan the
//! database (with its WAL), the settings file and the log for secrets in plaintext: the merchant
//! private key, the card token, the data key and request or response signatures.

mod common;

use cardbind_core::binding::AttemptState;
use cardbind_core::settings::Environment;
use cardbind_core::settings::Settings;
use common::*;
use std::path::Path;
use std::sync::{Arc, Mutex};
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

#[tokio::test(flavor = "multi_thread")]
async fn no_secret_is_stored_or_logged_in_plaintext() {
    let log_dir = tempfile::tempdir().unwrap();
    let log_path = log_dir.path().join("cardbind.log");
    let file = std::fs::File::create(&log_path).unwrap();
    let _guard = tracing::subscriber::set_default(
        tracing_subscriber::fmt()
            .with_writer(Mutex::new(file))
            .with_ansi(false)
            .with_max_level(tracing::Level::TRACE)
            .finish(),
    );

    let (addr, url) = notify_address("/antom/notify");
    let w = world_with(sim_config(), &url).await;
    let _l = cardbind_core::listener::start(addr, &url, w.flow.clone(), antom_key().public_key(), CLIENT.into())
        .await
        .unwrap();
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    let a = w.flow.wait_for_result(s.attempt.id, Duration::from_secs(10)).await.unwrap();
    assert_eq!(a.state, AttemptState::Succeeded);
    tokio::time::sleep(Duration::from_millis(300)).await; // let the notification land
    let token = w.flow.card_token(a.card_id.unwrap()).unwrap();
    let settings = Settings {
        environment: Environment::Demo,
        notification_url: Some(url.clone()),
        locale: Some("de".into()),
        ..Settings::default()
    };
    settings.save(&w.dir.path().join("config")).unwrap();

    let private_key = merchant_key().to_pkcs8_base64();
    let data_key = w.key.to_hex();
    let tok = token.expose().as_bytes();
    let pk = private_key.expose().as_bytes();
    let needles: Vec<(&str, &[u8])> = vec![
        ("card token", tok),
        ("card token (inner part)", &tok[6..tok.len() - 4]),
        ("merchant private key", pk),
        ("merchant private key (a line of it)", &pk[100..164]),
        ("data key", data_key.expose().as_bytes()),
        ("signature header", b"signature="),
        ("signature header", b"algorithm=RSA256"),
    ];
    let mut files: Vec<std::path::PathBuf> = Vec::new();
    for d in [w.dir.path(), log_dir.path()] {
        for e in walk(d) {
            files.push(e);
        }
    }
    let db_files = files.iter().filter(|f| f.to_string_lossy().contains("cards.db")).count();
    assert!(db_files >= 2, "the database and its WAL are scanned: {files:?}");
    drop(_guard);
    let log = std::fs::read(&log_path).unwrap();
    assert!(log.len() > 200, "the flow logged something to scan");
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        for (what, needle) in &needles {
            assert!(!contains(&bytes, needle), "{what} found in plaintext in {}", f.display());
        }
        assert!(longest_base64_run(&bytes) < 300, "something signature-sized in {}", f.display());
    }
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
