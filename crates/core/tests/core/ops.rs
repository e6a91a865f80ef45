//! The use cases behind the desktop commands, without a window: consent checking, settings
//! validation before anything is written, key import into the real keyring, switching
//! environments and languages without a restart.

use cardbind_core::app::ops::{self, SettingsUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::paths::AppPaths;
use cardbind_core::settings::Environment;
use cardbind_core::store::{ConsentInput, CustomerInput};
use cardbind_core::ErrorCode;
use cardbind_testkit::{in_private_keyring, test_key};

/// Save settings with the test merchant key and the test "Antom" key imported.
async fn save_with_test_keys(ctx: &AppContext, settings: cardbind_core::settings::Settings) {
    let update = SettingsUpdate {
        settings,
        merchant_private_key: Some(antom::Sensitive::new(test_key(0).to_pkcs8_base64().expose().clone())),
        antom_public_key: Some(test_key(1).public_key().to_spki_base64()),
        backup_passphrase: None,
        owner_pin: None,
    };
    ops::settings_save(ctx, update).await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn binding_needs_the_current_consent_and_settings_are_all_or_nothing() {
    if in_private_keyring("ops::binding_needs_the_current_consent_and_settings_are_all_or_nothing") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    let c = ops::customer_create(&ctx, &CustomerInput { name: "Ana".into(), ..Default::default() }).unwrap();

    // the consent accepted must be the text shown, in its language
    let de = ops::consent_get(&ctx, "de");
    assert!(de.text.contains("dieses Geschäft"), "{}", de.text);
    let stale = ConsentInput { text_version: "consent-v1-000000000000".into(), locale: "de".into() };
    assert_eq!(ops::binding_start(&ctx, c.id, &stale).await.unwrap_err().code, ErrorCode::InvalidInput);
    let ok = ConsentInput { text_version: de.version.clone(), locale: "de".into() };
    let s = ops::binding_start(&ctx, c.id, &ok).await.unwrap();
    assert_eq!(s.sdk.locale, "de_DE", "the SDK speaks the language the consent was read in");
    assert!(s.sdk.element_link.unwrap().starts_with("http://127.0.0.1:"));
    assert_eq!(s.sdk.environment, "sandbox");
    let cancelled = ops::binding_cancel(&ctx, s.attempt.id).unwrap();
    assert_eq!(cancelled.state, cardbind_core::flows::binding::AttemptState::Cancelled);

    // language: switched now, remembered, the SDK's locale follows
    assert_eq!(ops::locale_set(&ctx, "ko").await.unwrap(), "ko");
    assert_eq!(ops::locale_set(&ctx, "xx").await.unwrap_err().code, ErrorCode::InvalidInput);
    let s = ops::binding_start(
        &ctx,
        c.id,
        &ConsentInput { text_version: ops::consent_get(&ctx, "ko").version, locale: "ko".into() },
    )
    .await
    .unwrap();
    assert_eq!(s.sdk.locale, "ko_KR");

    // sandbox without keys: refused, nothing written
    let before = std::fs::read(paths.config_dir.join("settings.json")).unwrap();
    let mut sandbox = ctx.settings();
    sandbox.environment = Environment::Sandbox;
    sandbox.client_id = Some("SANDBOX_5YBZ1Y2ZLF7A02341".into());
    sandbox.region = Some("SG".into());
    let no_keys = SettingsUpdate::settings_only(sandbox.clone());
    assert_eq!(ops::settings_save(&ctx, no_keys).await.unwrap_err().code, ErrorCode::KeyMissing);
    // a malformed key: refused with KEY_INVALID, nothing written
    let bad = SettingsUpdate {
        settings: sandbox.clone(),
        merchant_private_key: Some(antom::Sensitive::new("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC".to_string())),
        antom_public_key: Some(test_key(1).public_key().to_spki_base64()),
        backup_passphrase: None,
        owner_pin: None,
    };
    assert_eq!(ops::settings_save(&ctx, bad).await.unwrap_err().code, ErrorCode::KeyInvalid);
    // an invalid setting: SETTINGS_INVALID naming the field
    let mut wrong = sandbox.clone();
    wrong.client_id = Some("2188120000000000".into());
    let err = ops::settings_save(&ctx, SettingsUpdate::settings_only(wrong)).await.unwrap_err();
    assert_eq!((err.code, err.message.split(':').next().unwrap()), (ErrorCode::SettingsInvalid, "clientId"));
    assert_eq!(std::fs::read(paths.config_dir.join("settings.json")).unwrap(), before, "nothing written");
    assert_eq!(ctx.environment(), Environment::Demo);

    // valid keys in Antom's format: imported into the keyring, saved, switched without a restart
    let good = SettingsUpdate {
        settings: sandbox,
        merchant_private_key: Some(antom::Sensitive::new(test_key(0).to_pkcs8_base64().expose().clone())),
        antom_public_key: Some(test_key(1).public_key().to_spki_base64()),
        backup_passphrase: None,
        owner_pin: None,
    };
    let view = ops::settings_save(&ctx, good).await.unwrap();
    assert!(view.merchant_key_set && view.antom_public_key_set);
    assert_eq!(view.merchant_public_key.unwrap(), test_key(0).public_key().to_spki_base64());
    assert_eq!(ctx.environment(), Environment::Sandbox);
    assert!(ctx.element_link().is_none(), "the demo simulator stopped");
    assert!(ctx.flow().is_ok(), "binding is ready with the imported keys");
    let text = std::fs::read_to_string(paths.config_dir.join("settings.json")).unwrap();
    assert!(!text.contains(test_key(0).to_pkcs8_base64().expose().as_str()), "no key in the settings file");
    let audit = ops::audit_list(&ctx, None, 10).unwrap();
    assert!(audit.iter().any(|a| a.action == "settings.import_keys"));

    // and back to demo
    let mut demo = ctx.settings();
    demo.environment = Environment::Demo;
    ops::settings_save(&ctx, SettingsUpdate::settings_only(demo)).await.unwrap();
    assert!(ctx.element_link().is_some(), "the simulator runs again");
    assert_eq!(ctx.locale(), "ko", "the language survived the switches");
}

/// Demo, sandbox and production keep their data apart: after a switch the other environment's
/// customers and cards are not listed, its open attempts are not reconciled by this
/// environment's Antom (which never heard of them), and everything is back when switching back.
/// Staff come along to a new environment's database, so nobody is locked out.
#[tokio::test(flavor = "multi_thread")]
async fn each_environment_keeps_its_own_data() {
    if in_private_keyring("ops::each_environment_keeps_its_own_data") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    let owner = ops::staff_create(
        &ctx,
        &cardbind_core::staff::StaffInput {
            name: "Olga".into(),
            role: cardbind_core::staff::Role::Owner,
            pin: antom::Sensitive::new("2580".into()),
        },
    )
    .unwrap();
    let demo_customer =
        ops::customer_create(&ctx, &CustomerInput { name: "Demo Ana".into(), ..Default::default() }).unwrap();
    let en = ops::consent_get(&ctx, "en");
    let consent = ConsentInput { text_version: en.version, locale: "en".into() };
    let open = ops::binding_start(&ctx, demo_customer.id, &consent).await.unwrap().attempt;

    // The sandbox: a second simulator that has never seen the demo attempt.
    let mut cfg = antom_sim::SimConfig::new(test_key(1).clone())
        .with_client("SANDBOX_5YBZ1Y2ZLF7A02341", test_key(0).public_key());
    cfg.time_scale = 0.001;
    let sandbox_antom = antom_sim::Simulator::start(cfg).await.unwrap();
    let mut sandbox = ctx.settings();
    sandbox.environment = Environment::Sandbox;
    sandbox.client_id = Some("SANDBOX_5YBZ1Y2ZLF7A02341".into());
    sandbox.base_url = Some(sandbox_antom.base_url().to_string());
    save_with_test_keys(&ctx, sandbox).await;
    assert_eq!(ctx.environment(), Environment::Sandbox);
    assert_eq!(ops::staff_status(&ctx).unwrap().operator.map(|o| o.id), Some(owner.id), "still signed in");
    assert!(ops::customers_search(&ctx, "", 50).unwrap().is_empty(), "no demo customer in the sandbox");
    assert!(ops::cards_list(&ctx, &Default::default()).unwrap().rows.is_empty());
    let sandbox_customer =
        ops::customer_create(&ctx, &CustomerInput { name: "Sandbox Bo".into(), ..Default::default() }).unwrap();
    // Give the sandbox flow's start-up reconciliation time to run: it must not touch the demo
    // attempt (on one shared database it would end it as never created at this Antom).
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;

    let mut demo = ctx.settings();
    demo.environment = Environment::Demo;
    ops::settings_save(&ctx, SettingsUpdate::settings_only(demo)).await.unwrap();
    let names: Vec<String> = ops::customers_search(&ctx, "", 50).unwrap().into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec!["Demo Ana".to_string()], "{sandbox_customer:?} stays in the sandbox");
    let a = cardbind_core::db::lock(&ctx.db())
        .query_row("SELECT state FROM binding_attempts WHERE id = ?1", [open.id], |r| r.get::<String>(0))
        .unwrap();
    // Left alone by the sandbox (which would have closed it as never created there); back in
    // demo mode the demo Antom, which keeps its records across restarts, may already have been
    // asked about it and answered that it is still being processed: open either way.
    let state = cardbind_core::flows::binding::AttemptState::parse(&a).unwrap();
    assert!(!state.is_closed(), "the demo attempt was left alone while the sandbox was active, and is still open: {a}");
    assert!(paths.database(Environment::Demo).exists() && paths.database(Environment::Sandbox).exists());
    sandbox_antom.stop().await;
}

/// The notifyVaulting listener runs when the settings name an address for it, and About shows
/// its address, the last notification acknowledged and the last refusal.
#[tokio::test(flavor = "multi_thread")]
async fn the_notification_listener_starts_from_the_settings_and_reports_its_state() {
    if in_private_keyring("ops::the_notification_listener_starts_from_the_settings_and_reports_its_state") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    assert!(ops::app_info(&ctx, "t").listener.is_none(), "off until configured");
    let client_id = "SANDBOX_5YBZ1Y2ZLF7A02341";
    let antom = antom_sim::Simulator::start(
        antom_sim::SimConfig::new(test_key(1).clone()).with_client(client_id, test_key(0).public_key()),
    )
    .await
    .unwrap();
    let port = cardbind_testkit::free_port();
    let mut s = ctx.settings();
    s.environment = Environment::Sandbox;
    s.client_id = Some(client_id.into());
    s.base_url = Some(antom.base_url().to_string());
    s.notification_url = Some("https://shop.example/antom/notify".into());
    s.listener_bind = Some(format!("127.0.0.1:{port}"));
    save_with_test_keys(&ctx, s).await;
    let listener = ops::app_info(&ctx, "t").listener.expect("listening");
    assert_eq!(listener.address, format!("127.0.0.1:{port}"));
    assert_eq!((listener.acknowledged, listener.last_error.as_deref()), (0, None));

    // Antom's notification, signed with Antom's key over the notify URL's path
    let body = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"vaultingRequestId":"not-ours","paymentMethodDetail":{"paymentMethodType":"CARD"}}"#;
    let post = |key: &'static antom::MerchantPrivateKey| async move {
        let time = antom::client::request_time_now();
        let sig = antom::signature::sign(key, "/antom/notify", client_id, &time, body.as_bytes(), "1");
        reqwest::Client::builder()
            .no_proxy()
            .build()
            .unwrap()
            .post(format!("http://127.0.0.1:{port}/antom/notify"))
            .header("client-id", client_id)
            .header("request-time", time)
            .header("signature", sig.to_header_value())
            .body(body)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    };
    assert_eq!(post(test_key(1)).await, 200, "acknowledged");
    let after = ops::app_info(&ctx, "t").listener.unwrap();
    assert_eq!(after.acknowledged, 1);
    assert!(after.last_notification_at.is_some());
    assert_eq!(post(test_key(2)).await, 401, "a forged one is refused");
    assert!(ops::app_info(&ctx, "t").listener.unwrap().last_error.unwrap().contains("signature"));
    antom.stop().await;
}

/// Issue 15, item 7: new Antom keys are written under new keyring names, the settings are
/// switched to them, and only then are the old ones deleted. A save that fails after the keys
/// were written leaves the app on the old keys (which the settings still name), with nothing
/// mismatched; a restart reads the same pair the running app uses.
#[tokio::test(flavor = "multi_thread")]
async fn a_key_switch_is_atomic_and_a_failed_save_keeps_the_old_keys() {
    if in_private_keyring("ops::a_key_switch_is_atomic_and_a_failed_save_keeps_the_old_keys") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let paths = AppPaths::under(root.path());
    let ctx = AppContext::open(paths.clone()).await.unwrap();
    let mut sandbox = ctx.settings();
    sandbox.environment = Environment::Sandbox;
    sandbox.client_id = Some("SANDBOX_5YBZ1Y2ZLF7A02341".into());
    sandbox.region = Some("SG".into());
    save_with_test_keys(&ctx, sandbox.clone()).await;
    let old = test_key(0).public_key().to_spki_base64();
    assert_eq!(ops::settings_get(&ctx).unwrap().merchant_public_key.as_deref(), Some(old.as_str()));

    // the settings file cannot be replaced (a directory stands in its way): the save fails
    // after validation, when the new keys would already be in the keyring
    let file = paths.config_dir.join("settings.json");
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    let new_keys = || SettingsUpdate {
        settings: sandbox.clone(),
        merchant_private_key: Some(antom::Sensitive::new(test_key(2).to_pkcs8_base64().expose().clone())),
        antom_public_key: Some(test_key(3).public_key().to_spki_base64()),
        backup_passphrase: None,
        owner_pin: None,
    };
    let err = ops::settings_save(&ctx, new_keys()).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::DataDirUnavailable, "{err:?}");
    let view = ops::settings_get(&ctx).unwrap();
    assert_eq!(view.merchant_public_key.as_deref(), Some(old.as_str()), "the old merchant key is still the one in use");
    assert!(ctx.flow().is_ok());

    // the same save once the file can be written: switched, and a restart agrees
    std::fs::remove_dir(&file).unwrap();
    let view = ops::settings_save(&ctx, new_keys()).await.unwrap();
    let new = test_key(2).public_key().to_spki_base64();
    assert_eq!(view.merchant_public_key.as_deref(), Some(new.as_str()));
    drop(ctx);
    let again = AppContext::open(paths.clone()).await.unwrap();
    assert_eq!(again.environment(), Environment::Sandbox);
    assert_eq!(ops::settings_get(&again).unwrap().merchant_public_key.as_deref(), Some(new.as_str()));

    // the settings file names a key set, never a key, and a hostile settings_save cannot point
    // the app at another key set
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(!text.contains(test_key(2).to_pkcs8_base64().expose().as_str()));
    let mut forged = again.settings();
    forged.key_sets.insert("sandbox".into(), "k-forged".into());
    let view = ops::settings_save(&again, SettingsUpdate::settings_only(forged)).await.unwrap();
    assert_eq!(view.merchant_public_key.as_deref(), Some(new.as_str()), "the key set is the backend's to choose");
}
