//! Encrypted backup and restore, with the real keyring and a simulator that outlives the
//! computer: bind a card, back up, see a wrong passphrase, a truncated file, a tampered file and a
//! backup from a newer version refused with nothing changed; then wipe the database, the settings
//! and the keyring, restore on the "new computer", and charge the restored card at the same Antom.

use antom::Sensitive;
use cardbind_core::app::ops::{self, SettingsUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::flows::binding::AttemptState;
use cardbind_core::paths::AppPaths;
use cardbind_core::secrets::Secrets;
use cardbind_core::settings::Environment;
use cardbind_core::store::{CardQuery, ConsentInput, CustomerInput};
use cardbind_core::ErrorCode;
use cardbind_testkit::{in_private_keyring, test_key};
use std::path::Path;
use std::time::Duration;

const CLIENT: &str = "SANDBOX_5YBZ1Y2ZLF7A02341";
const PASS: &str = "correct horse battery staple";

fn pass(p: &str) -> Sensitive<String> {
    Sensitive::new(p.to_string())
}

fn card_ids(ctx: &AppContext) -> Vec<i64> {
    ops::cards_list(ctx, &CardQuery::default()).unwrap().rows.into_iter().map(|r| r.id).collect()
}

/// What a failed restore must leave exactly as it was.
fn snapshot(paths: &AppPaths) -> (Vec<u8>, Vec<(String, String)>) {
    let settings = std::fs::read(paths.config_dir.join("settings.json")).unwrap();
    let mut keys: Vec<(String, String)> = Vec::new();
    for env in [Environment::Demo, Environment::Sandbox] {
        for (n, v) in Secrets::new(env).export().unwrap() {
            keys.push((n, v.expose().clone()));
        }
    }
    (settings, keys)
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_wipe_restore_and_the_card_still_pays() {
    if in_private_keyring("backup::backup_wipe_restore_and_the_card_still_pays") {
        return;
    }
    let mut cfg = antom_sim::SimConfig::new(test_key(1).clone()).with_client(CLIENT, test_key(0).public_key());
    cfg.time_scale = 0.001;
    let antom = antom_sim::Simulator::start(cfg).await.unwrap();

    // The shop: demo first (its database exists too), then the sandbox with imported keys.
    let old = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(old.path());
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    ops::customer_create(&ctx, &CustomerInput { name: "Demo Only".into(), ..Default::default() }).unwrap();
    let mut sandbox = ctx.settings();
    sandbox.environment = Environment::Sandbox;
    sandbox.client_id = Some(CLIENT.into());
    sandbox.base_url = Some(antom.base_url().to_string());
    sandbox.shop_name = Some("Loja da Ana".into());
    ops::settings_save(
        &ctx,
        SettingsUpdate {
            settings: sandbox,
            merchant_private_key: Some(Sensitive::new(test_key(0).to_pkcs8_base64().expose().clone())),
            antom_public_key: Some(test_key(1).public_key().to_spki_base64()),
            backup_passphrase: None,
            owner_pin: None,
        },
    )
    .await
    .unwrap();
    let customer = ops::customer_create(&ctx, &CustomerInput { name: "Ana".into(), ..Default::default() }).unwrap();
    let en = ops::consent_get(&ctx, "en");
    let consent = ConsentInput { text_version: en.version, locale: "en".into() };
    let started = ops::binding_start(&ctx, customer.id, &consent).await.unwrap();
    let token = started.session_data.split("&&").next().unwrap();
    cardbind_testkit::element_call(
        antom.base_url(),
        "submit",
        serde_json::json!({ "token": token, "card": { "number": "4111111111111111", "expiryMonth": "10", "expiryYear": "31", "cvv": "123" } }),
    )
    .await;
    let bound = ctx.flow().unwrap().wait_for_result(started.attempt.id, Duration::from_secs(10)).await.unwrap();
    assert_eq!(bound.state, AttemptState::Succeeded);
    let card_id = bound.card_id.unwrap();
    let vaulting_request_id = bound.vaulting_request_id.clone();

    // Back up (a short passphrase is refused).
    let out = tempfile::tempdir().unwrap();
    assert_eq!(ops::backup_create(&ctx, &pass("short"), out.path()).unwrap_err().code, ErrorCode::PassphraseWeak);
    let made = ops::backup_create(&ctx, &pass(PASS), out.path()).unwrap();
    assert_eq!(made.environments, vec![Environment::Demo, Environment::Sandbox]);
    let file = Path::new(&made.path).to_path_buf();
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1\n-> scrypt "), "an age file with a passphrase");
    for needle in
        [test_key(0).to_pkcs8_base64().expose().as_bytes(), b"Loja da Ana".as_slice(), b"SQLite format".as_slice()]
    {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle), "nothing readable in the file");
    }

    // Bad files: refused, nothing changed (cards, settings, keys).
    let before = snapshot(&paths);
    let bad = |name: &str, content: &[u8]| {
        let p = out.path().join(name);
        std::fs::write(&p, content).unwrap();
        p
    };
    let truncated = bad("truncated.age", &bytes[..bytes.len() - 100]);
    let mut altered = bytes.clone();
    let at = altered.len() - 40;
    altered[at] ^= 0x55;
    let tampered = bad("tampered.age", &altered);
    let newer = bad("newer.age", &{
        let enc = age::Encryptor::with_user_passphrase(age::secrecy::SecretString::from(PASS.to_string()));
        let mut buf = Vec::new();
        let mut w = enc.wrap_output(&mut buf).unwrap();
        use std::io::Write;
        w.write_all(br#"{"format":"cardbind-backup","version":99,"appVersion":"9.0.0","createdAt":"2030-01-01T00:00:00Z","settings":{},"secrets":[],"databases":[]}"#).unwrap();
        w.write_all(b"\n").unwrap();
        w.finish().unwrap();
        buf
    });
    let garbage = bad("garbage.age", b"this is not a backup at all");
    let cases = [
        ("wrong passphrase", file.clone(), "wrong passphrase here", ErrorCode::BackupPassphraseWrong),
        ("truncated", truncated, PASS, ErrorCode::BackupDamaged),
        ("tampered", tampered, PASS, ErrorCode::BackupDamaged),
        ("from a newer cardbind", newer, PASS, ErrorCode::BackupTooNew),
        ("not a backup", garbage, PASS, ErrorCode::BackupDamaged),
    ];
    for (what, path, pw, code) in cases {
        let e = ops::backup_restore(&ctx, path.to_str().unwrap(), &pass(pw)).await.unwrap_err();
        assert_eq!(e.code, code, "{what}: {e}");
        assert_eq!(card_ids(&ctx), vec![card_id], "{what}: the cards are untouched");
        assert_eq!(snapshot(&paths), before, "{what}: settings and keys untouched");
    }

    // Scheduled backups: one when due, none when not, and only the newest `keep` stay.
    let sched = tempfile::tempdir().unwrap();
    let run = |every: u64| {
        cardbind_core::backup::run_schedule(
            &paths,
            &ctx.settings(),
            &pass(PASS),
            sched.path(),
            Duration::from_secs(every),
            2,
            "test",
        )
        .unwrap()
    };
    assert!(run(3600).is_some(), "none yet: one is due");
    assert!(run(3600).is_none(), "the last one is recent");
    std::thread::sleep(Duration::from_millis(1100));
    assert!(run(1).is_some());
    std::thread::sleep(Duration::from_millis(1100));
    assert!(run(1).is_some());
    assert_eq!(cardbind_core::backup::list(sched.path()).len(), 2, "only the newest two are kept");

    // Wipe: the computer is gone (database, settings, every key in the keyring).
    let settings = ctx.settings();
    drop(ctx);
    for &env in Environment::ALL {
        Secrets::for_settings(&settings, env).delete_all().unwrap();
        Secrets::new(env).delete_all().unwrap();
    }
    assert!(Secrets::for_settings(&settings, Environment::Sandbox).merchant_key().unwrap().is_none(), "wiped");
    drop(old);

    // A new computer: restore, and the card is there and can still pay at the same Antom.
    let new = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(new.path());
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    assert!(card_ids(&ctx).is_empty());
    let restored = ops::backup_restore(&ctx, file.to_str().unwrap(), &pass(PASS)).await.unwrap();
    assert_eq!(restored.cards, 1);
    assert_eq!(ctx.environment(), Environment::Sandbox);
    assert_eq!(ctx.settings().shop_name.as_deref(), Some("Loja da Ana"));
    assert_eq!(card_ids(&ctx), vec![card_id]);
    let flow = ctx.flow().unwrap();
    assert_eq!(flow.attempt(bound.id).unwrap().vaulting_request_id, vaulting_request_id);
    let token = flow.till().card_token(card_id).unwrap();
    // Antom (the same simulator) still knows the card: a card-on-file payment with the
    // restored token succeeds.
    let client = antom::AntomClient::new(
        antom::ClientConfig::new(
            antom::Gateway::custom(antom.base_url()).unwrap(),
            CLIENT,
            test_key(0).clone(),
            test_key(1).public_key(),
        ),
        std::sync::Arc::new(antom::transport::ReqwestTransport::new(Default::default(), false).unwrap()),
    );
    let pay = antom::model::PayRequest::card_on_file(
        "pay-after-restore",
        token,
        antom::model::Amount { currency: "USD".into(), value: "1000".into() },
        "after restore",
        "https://merchant.example/return",
    );
    let answer = client.call(&pay).await.unwrap().body;
    assert_eq!(answer.result.result_code, "SUCCESS", "{answer:?}");
    // The demo environment's data came back too.
    assert!(paths.database(Environment::Demo).exists());
    antom.stop().await;
}
