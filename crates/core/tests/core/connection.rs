//! Issue 21: "Check connection" driven through each cause a merchant meets when going live,
//! against the simulator (as strict as Antom on client ids, paths and signatures): every line
//! passes for a good set-up; a wrong merchant key, a wrong or swapped Antom key, a sandbox id on
//! the production path and the reverse, an unknown id, an unreachable host and a clock far from
//! the answer's response-time each give their own verdict and code. Plus the go-live checklist
//! and the owner's PIN for production.

use antom::{PublicKey, Sensitive};
use antom_sim::faults::Faults;
use antom_sim::{SimConfig, SimHandle, Simulator};
use cardbind_core::app::ops::{self, GoLiveItem, GoLiveState, SettingsUpdate};
use cardbind_core::app::AppContext;
use cardbind_core::connection::{CheckCode, CheckItem, CheckStatus, ConnectionCheck};
use cardbind_core::paths::AppPaths;
use cardbind_core::settings::{Environment, Settings};
use cardbind_core::staff::{Role, StaffInput};
use cardbind_core::ErrorCode;
use cardbind_testkit::{in_private_keyring, test_key};

const SANDBOX_ID: &str = "SANDBOX_5YBZ1Y2ZLF7A02341";
const LIVE_ID: &str = "2188120000000000";

async fn sim() -> SimHandle {
    let cfg = SimConfig::new(test_key(1).clone())
        .with_client(SANDBOX_ID, test_key(0).public_key())
        .with_client(LIVE_ID, test_key(0).public_key());
    Simulator::start(cfg).await.unwrap()
}

fn draft(env: Environment, base_url: &str, client_id: &str, merchant: usize, antom: &PublicKey) -> SettingsUpdate {
    SettingsUpdate {
        settings: Settings {
            environment: env,
            base_url: Some(base_url.to_string()),
            client_id: Some(client_id.to_string()),
            ..Settings::default()
        },
        merchant_private_key: Some(Sensitive::new(test_key(merchant).to_pkcs8_base64().expose().clone())),
        antom_public_key: Some(antom.to_spki_base64()),
        backup_passphrase: None,
        owner_pin: None,
    }
}

fn copy(u: &SettingsUpdate) -> SettingsUpdate {
    let keep = |k: &Option<Sensitive<String>>| k.as_ref().map(|k| Sensitive::new(k.expose().clone()));
    SettingsUpdate {
        settings: u.settings.clone(),
        merchant_private_key: keep(&u.merchant_private_key),
        antom_public_key: u.antom_public_key.clone(),
        backup_passphrase: keep(&u.backup_passphrase),
        owner_pin: keep(&u.owner_pin),
    }
}

fn line(c: &ConnectionCheck, item: CheckItem) -> (CheckStatus, CheckCode) {
    let v = c.verdicts.iter().find(|v| v.item == item).unwrap();
    (v.status, v.code)
}

fn failed(c: &ConnectionCheck) -> Vec<CheckCode> {
    c.verdicts.iter().filter(|v| v.status == CheckStatus::Fail).map(|v| v.code).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_connection_check_names_each_cause() {
    if in_private_keyring("connection::the_connection_check_names_each_cause") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    let sim = sim().await;
    let url = sim.base_url().to_string();
    let antom = sim.antom_public_key();
    let check = |d: SettingsUpdate| {
        let ctx = &ctx;
        async move { ops::connection_check(ctx, Some(d)).await.unwrap() }
    };

    // a good set-up: every line passes; VAULTING_NOT_EXIST proved it
    let good = check(draft(Environment::Sandbox, &url, SANDBOX_ID, 0, &antom)).await;
    assert!(good.ok, "{good:#?}");
    assert_eq!(good.verdicts.len(), CheckItem::ALL.len());
    assert!(good.verdicts.iter().all(|v| v.status == CheckStatus::Pass));
    assert!(good.details.contains("VAULTING_NOT_EXIST"), "{}", good.details);
    assert!(good.details.contains("/ams/sandbox/api/v1/vaults/inquireVaulting"), "the signed string is shown");
    assert!(!good.details.contains(test_key(0).to_pkcs8_base64().expose().as_str()), "no key in the details");
    assert!(line(&good, CheckItem::Clock).0 == CheckStatus::Pass);

    // the key uploaded to Antom is not this private key's
    let c = check(draft(Environment::Sandbox, &url, SANDBOX_ID, 2, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::SignatureRejected]);
    assert_eq!(line(&c, CheckItem::Answer).0, CheckStatus::Skipped);

    // a wrong Antom public key; our own public key in Antom's field
    let c = check(draft(Environment::Sandbox, &url, SANDBOX_ID, 0, &test_key(3).public_key())).await;
    assert_eq!(failed(&c), [CheckCode::AnswerNotVerified]);
    let c = check(draft(Environment::Sandbox, &url, SANDBOX_ID, 0, &test_key(0).public_key())).await;
    assert_eq!(failed(&c), [CheckCode::KeysSwapped]);

    // a sandbox id with production (the production path), a live id with the sandbox, an id
    // Antom does not know
    let c = check(draft(Environment::Production, &url, SANDBOX_ID, 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::SandboxIdOnProduction], "{}", c.details);
    assert!(c.details.contains("INVALID_CLIENT"), "the simulator refused the pair: {}", c.details);
    let c = check(draft(Environment::Sandbox, &url, LIVE_ID, 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::ProductionIdOnSandbox], "{}", c.details);
    let c = check(draft(Environment::Sandbox, &url, "SANDBOX_NOT_REGISTERED1", 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::ClientUnknown]);
    assert_eq!(line(&c, CheckItem::Signature).0, CheckStatus::Skipped);

    // nobody listening there
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let c = check(draft(Environment::Sandbox, &format!("http://127.0.0.1:{closed}"), SANDBOX_ID, 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::ConnectFailed]);
    assert!(c.verdicts.iter().filter(|v| v.item != CheckItem::Reach).all(|v| v.status == CheckStatus::Skipped));
    // a host that answers, but not as Antom (a web server's 404: a wrong base URL)
    let web = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let web_port = web.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        for mut s in web.incoming().flatten() {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf);
            let _ = s.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found");
        }
    });
    let c = check(draft(Environment::Sandbox, &format!("http://127.0.0.1:{web_port}"), SANDBOX_ID, 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::HttpError]);
    assert_eq!(c.verdicts[0].value, Some(404));

    // a clock an hour away from Antom's
    sim.set_faults(Faults { clock_offset_secs: 3600, ..Default::default() });
    let c = check(draft(Environment::Sandbox, &url, SANDBOX_ID, 0, &antom)).await;
    assert_eq!(failed(&c), [CheckCode::ClockOff]);
    let skew = c.verdicts.iter().find(|v| v.item == CheckItem::Clock).unwrap().value.unwrap();
    assert!((-3660..=-3540).contains(&skew), "this clock is an hour behind Antom's: {skew}");
    sim.set_faults(Faults::default());

    // every check is in the activity log, with what failed
    let log = ops::audit_list(&ctx, None, 50).unwrap();
    let checks: Vec<_> = log.iter().filter(|e| e.action == "settings.connection_check").collect();
    assert!(checks.len() >= 9);
    assert!(checks.iter().any(|e| e.detail.as_deref() == Some("sandbox: KEYS_SWAPPED")), "{checks:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_go_live_checklist_follows_the_set_up_and_production_needs_an_owners_pin() {
    if in_private_keyring("connection::the_go_live_checklist_follows_the_set_up_and_production_needs_an_owners_pin") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    let sim = sim().await;
    let state = |ctx: &AppContext, item: GoLiveItem| {
        ops::go_live(ctx).unwrap().into_iter().find(|l| l.item == item).unwrap().state
    };
    assert_eq!(state(&ctx, GoLiveItem::ShopName), GoLiveState::Missing);
    assert_eq!(state(&ctx, GoLiveItem::OwnerPin), GoLiveState::Missing);
    assert_eq!(state(&ctx, GoLiveItem::AntomKeys), GoLiveState::NotInDemo);
    assert_eq!(state(&ctx, GoLiveItem::Notifications), GoLiveState::PollingOnly);

    // production without an owner: refused, and nothing switched
    let mut live = draft(Environment::Production, sim.base_url(), LIVE_ID, 0, &sim.antom_public_key());
    live.settings.shop_name = Some("Loja da Ana".into());
    live.settings.currency = Some("EUR".into());
    let e = ops::settings_save(&ctx, copy(&live)).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::OwnerPinRequired);
    assert_eq!(ctx.environment(), Environment::Demo);
    ops::staff_create(&ctx, &StaffInput { name: "Olga".into(), role: Role::Owner, pin: Sensitive::new("2580".into()) })
        .unwrap();
    ops::staff_create(
        &ctx,
        &StaffInput { name: "Max".into(), role: Role::Manager, pin: Sensitive::new("3690".into()) },
    )
    .unwrap();
    // an owner exists, but no PIN, a manager's PIN or a wrong one does not go live
    assert_eq!(ops::settings_save(&ctx, copy(&live)).await.unwrap_err().code, ErrorCode::OwnerPinRequired);
    live.owner_pin = Some(Sensitive::new("3690".into()));
    assert_eq!(ops::settings_save(&ctx, copy(&live)).await.unwrap_err().code, ErrorCode::PermissionDenied);
    live.owner_pin = Some(Sensitive::new("1111".into()));
    assert_eq!(ops::settings_save(&ctx, copy(&live)).await.unwrap_err().code, ErrorCode::PinWrong);
    assert_eq!(ctx.environment(), Environment::Demo);
    live.owner_pin = Some(Sensitive::new("2580".into()));
    ops::settings_save(&ctx, live).await.unwrap();
    assert_eq!(ctx.environment(), Environment::Production);
    assert!(ops::audit_list(&ctx, None, 20).unwrap().iter().any(|e| e.action == "settings.go_live"));

    // now live: keys in, not checked yet; a check of the saved set-up passes and is remembered
    assert_eq!(state(&ctx, GoLiveItem::ShopName), GoLiveState::Done);
    assert_eq!(state(&ctx, GoLiveItem::Currency), GoLiveState::Done);
    assert_eq!(state(&ctx, GoLiveItem::OwnerPin), GoLiveState::Done);
    assert_eq!(state(&ctx, GoLiveItem::AntomKeys), GoLiveState::Done);
    assert_eq!(state(&ctx, GoLiveItem::ConnectionChecked), GoLiveState::Missing);
    assert!(ops::connection_check(&ctx, None).await.unwrap().ok);
    assert_eq!(state(&ctx, GoLiveItem::ConnectionChecked), GoLiveState::Done);
    // a check that fails, then a change of keys: failed, then stale
    let mut bad = draft(Environment::Production, sim.base_url(), LIVE_ID, 2, &sim.antom_public_key());
    bad.settings = ctx.settings();
    assert!(!ops::connection_check(&ctx, Some(copy(&bad))).await.unwrap().ok);
    assert_eq!(state(&ctx, GoLiveItem::ConnectionChecked), GoLiveState::CheckStale, "that draft is not what is saved");
    ops::settings_save(&ctx, bad).await.unwrap(); // already in production: no PIN asked again
    assert_eq!(state(&ctx, GoLiveItem::ConnectionChecked), GoLiveState::CheckFailed);
    assert_eq!(state(&ctx, GoLiveItem::Backups), GoLiveState::Missing);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_welcome_screen_is_for_a_first_start_only() {
    if in_private_keyring("connection::the_welcome_screen_is_for_a_first_start_only") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let ctx = AppContext::open(AppPaths::under(root.path())).await.unwrap();
    assert!(ops::app_info(&ctx, "0").first_run);
    assert_eq!(
        ops::welcome_finish(&ctx, Some("Loja".into()), Some("XXX".into()), None, None).await.unwrap_err().code,
        ErrorCode::SettingsInvalid
    );
    let weak = StaffInput { name: "Ana".into(), role: Role::Owner, pin: Sensitive::new("1234".into()) };
    let e =
        ops::welcome_finish(&ctx, Some("Loja da Ana".into()), Some("EUR".into()), Some(weak), None).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::PinWeak);
    assert!(ops::app_info(&ctx, "0").first_run, "nothing saved");
    let owner = StaffInput { name: "Ana".into(), role: Role::Owner, pin: Sensitive::new("2580".into()) };
    ops::welcome_finish(&ctx, Some("  Loja da Ana ".into()), Some("EUR".into()), Some(owner), Some(5000))
        .await
        .unwrap();
    assert_eq!(ops::staff_status(&ctx).unwrap().operator.unwrap().name, "Ana", "the owner is signed in");
    let s = ctx.settings();
    assert_eq!((s.shop_name.as_deref(), s.currency.as_deref()), (Some("Loja da Ana"), Some("EUR")));
    assert_eq!(s.cashier_limits("EUR").0, 5000, "the limit chosen on the welcome screen");
    assert!(!ops::app_info(&ctx, "0").first_run);
    // once done, it cannot be used to change settings behind Settings' permission
    assert_eq!(
        ops::welcome_finish(&ctx, Some("Other".into()), None, None, None).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(ctx.settings().shop_name.as_deref(), Some("Loja da Ana"));
}
