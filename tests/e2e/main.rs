//! End-to-end tests: the real cardbind binary in a real WebKitGTK window under Xvfb, driven over
//! WebDriver. Run with `cargo test -p cardbind --test e2e` (the harness starts Xvfb, a private
//! keyring and tauri-driver itself). Screenshots land in target/screenshots.

mod bench;
mod flows;
mod golive;
mod harness;
mod insider;
mod installed;
mod kiosk;
mod lockdown;
mod payments;
mod shared;

use flows::*;
use harness::App;
use std::path::PathBuf;

#[tokio::test(flavor = "multi_thread")]
async fn about_screen_shows_what_the_backend_returns() {
    let app = App::launch("about").await;

    assert_eq!(app.client.title().await.unwrap(), "cardbind");
    // The environment badge is filled from app_info on start.
    let badge = app.wait_text("[data-testid=env-badge]", |t| !t.is_empty()).await;
    assert_eq!(badge, "Demo — simulated Antom");

    // The round trip: click, the command runs in Rust, the window shows its answer.
    app.click("[data-testid=nav-about]").await;
    assert!(
        app.client.find(fantoccini::Locator::Css("[data-testid=app-info]")).await.is_err(),
        "nothing shown before the click"
    );
    app.click("[data-testid=load-app-info]").await;
    let version = app.wait_text("[data-testid=app-info-version]", |t| !t.is_empty()).await;
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let data_dir = app.wait_text("[data-testid=app-info-data-dir]", |t| !t.is_empty()).await;
    assert_eq!(
        std::path::PathBuf::from(&data_dir),
        app.data_dir(),
        "the data dir follows XDG_DATA_HOME and the app identifier"
    );
    assert!(app.data_dir().is_dir(), "the app created its data directory");
    let config_dir = app.wait_text("[data-testid=app-info-config-dir]", |t| !t.is_empty()).await;
    assert_eq!(std::path::PathBuf::from(config_dir), app.home().join("config").join("dev.cardbind.app"));
    let env = app.wait_text("[data-testid=app-info-environment]", |t| !t.is_empty()).await;
    assert_eq!(env, "Demo — simulated Antom");
    let platform = app.wait_text("[data-testid=app-info-platform]", |t| !t.is_empty()).await;
    assert_eq!(platform, format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH));

    // demo mode runs the Antom simulator inside the app, with demo keys in the (private) keyring
    let binding = app.wait_text("[data-testid=app-info-binding]", |t| !t.is_empty()).await;
    assert_eq!(binding, "Ready");
    let sim = app.wait_text("[data-testid=app-info-simulator]", |t| !t.is_empty()).await;
    assert!(sim.starts_with("http://127.0.0.1:"), "{sim}");
    let health = cardbind_testkit::get_json(&format!("{sim}/sim/health")).await;
    assert_eq!(health["clients"][0], "SANDBOX_CARDBIND_DEMO");

    let shot = app.screenshot("about").await;
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a real page, not a blank window");
    app.close().await;
}

/// The README's screenshots are copied from here by `make screenshots`.
fn shot_ok(path: PathBuf) {
    assert!(std::fs::metadata(&path).unwrap().len() > 10_000, "{}: a real page, not a blank window", path.display());
}

#[tokio::test(flavor = "multi_thread")]
async fn bind_a_card_remove_one_and_see_the_same_list_after_a_restart() {
    let app = App::launch("bind").await;
    wait_ready(&app).await;
    // first start: the card list is the home screen, and it says what to do
    app.wait_text("[data-testid=cards-empty]", |t| t.contains("Add card")).await;
    shot_ok(app.screenshot("cards-empty").await);

    create_customer(&app, "Ana Souza").await;
    app.click("[data-testid=add-card]").await;
    let consent = app.wait_text("[data-testid=consent-text]", |t| !t.is_empty()).await;
    assert!(consent.contains("this shop"), "{consent}");
    shot_ok(app.screenshot("consent").await);
    app.click("[data-testid=consent-accept]").await;
    app.click("[data-testid=consent-continue]").await;
    wait_element_loaded(&app).await;
    shot_ok(app.screenshot("element").await);
    enter_card(&app, "4111111111111111").await;
    // shown as bound only once Antom confirmed it (inquireVaulting)
    app.find("[data-testid=binding-bound]").await;
    assert_eq!(app.wait_text("[data-testid=bound-brand]", |t| !t.is_empty()).await, "VISA");
    assert_eq!(app.wait_text("[data-testid=bound-masked]", |t| !t.is_empty()).await, "•••• 1111");
    assert_eq!(app.wait_text("[data-testid=bound-expiry]", |t| !t.is_empty()).await, "Expires 12/34");
    shot_ok(app.screenshot("bound").await);
    // the SDK's storage is cleared after the binding (it writes AMSSDK_* keys while mounted)
    let stored = app.client.execute("return localStorage.length + sessionStorage.length", vec![]).await.unwrap();
    assert_eq!(stored, serde_json::json!(0), "the webview's storage was cleared after the binding");
    assert!(app.client.find(fantoccini::Locator::Css("#antom-element iframe")).await.is_err(), "the SDK was unmounted");

    // a second card, a Mastercard, through "Add another card"
    app.click("[data-testid=bound-another]").await;
    app.click("[data-testid=consent-accept]").await;
    app.click("[data-testid=consent-continue]").await;
    wait_element_loaded(&app).await;
    enter_card(&app, "5555555555554444").await;
    assert_eq!(app.wait_text("[data-testid=bound-masked]", |t| !t.is_empty()).await, "•••• 4444");
    app.click("[data-testid=bound-done]").await;
    app.find("[data-testid=card-row]").await;
    assert_eq!(card_rows(&app).await, ["•••• 4444", "•••• 1111"], "the customer's cards, newest first");
    shot_ok(app.screenshot("customer").await);

    // the card list across customers: search by the last four
    open_cards(&app).await;
    assert_eq!(card_rows(&app).await, ["•••• 4444", "•••• 1111"]);
    app.find("[data-testid=card-search]").await.send_keys("1111").await.unwrap();
    let deadline = std::time::Instant::now() + harness::TIMEOUT;
    while card_rows(&app).await != ["•••• 1111"] {
        assert!(std::time::Instant::now() < deadline, "search by last four did not narrow the list");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    app.find("[data-testid=card-search]").await.clear().await.unwrap();
    app.find("[data-testid=card-search]").await.send_keys(" ").await.unwrap();
    while card_rows(&app).await.len() != 2 {
        assert!(std::time::Instant::now() < deadline, "clearing the search did not bring the list back");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    shot_ok(app.screenshot("cards").await);

    // remove the Visa, with confirmation (No first: nothing happens)
    let visa = "[data-testid=card-row]:nth-child(2) [data-testid=card-remove]";
    app.click(visa).await;
    app.find("[data-testid=confirm-dialog]").await;
    app.click("[data-testid=confirm-no]").await;
    wait_gone(&app, "[data-testid=confirm-dialog]").await;
    assert_eq!(card_rows(&app).await.len(), 2);
    app.click(visa).await;
    shot_ok(app.screenshot("remove-confirm").await);
    app.click("[data-testid=confirm-yes]").await;
    app.wait_text("[data-testid=cards-notice]", |t| t.contains("1111")).await;
    assert_eq!(card_rows(&app).await, ["•••• 4444"]);

    // audited
    app.click("[data-testid=nav-audit]").await;
    app.find("[data-testid=audit-row][data-action='card.remove']").await;
    app.find("[data-testid=audit-row][data-action='card.bind']").await;
    shot_ok(app.screenshot("audit").await);
    app.click("[data-testid=nav-settings]").await;
    app.find("[data-testid=settings-form]").await;
    shot_ok(app.screenshot("settings").await);
    app.click("[data-testid=nav-customers]").await;
    app.find("[data-testid=customer-row]").await;
    shot_ok(app.screenshot("customers").await);

    // restart on the same data: the same list
    let home = app.close().await;
    let app = App::launch_in("bind-restart", home).await;
    wait_ready(&app).await;
    app.find("[data-testid=card-row]").await;
    assert_eq!(card_rows(&app).await, ["•••• 4444"]);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_declined_card_shows_the_alert_page_and_stores_nothing() {
    let app = App::launch("declined").await;
    wait_ready(&app).await;
    create_customer(&app, "Bruno Costa").await;
    open_element(&app).await;
    enter_card(&app, "4000000000000002").await;
    app.find("[data-testid=alert-page][data-kind=declined][data-code=DO_NOT_HONOR]").await;
    assert_eq!(app.wait_text("[data-testid=alert-text]", |t| !t.is_empty()).await, ftl("en", "decline-do-not-honor"));
    shot_ok(app.screenshot("alert-declined").await);
    // "Try again" opens a fresh element; a good card then binds
    app.click("[data-testid=alert-retry]").await;
    wait_element_loaded(&app).await;
    app.click("[data-testid=binding-cancel]").await;
    app.find("[data-testid=alert-page][data-kind=cancelled]").await;
    app.click("[data-testid=alert-back]").await;
    app.wait_text("[data-testid=cards-empty]", |t| !t.is_empty()).await;
    open_cards(&app).await;
    app.find("[data-testid=cards-empty]").await;
    assert!(card_rows(&app).await.is_empty(), "nothing stored for a declined card");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn three_d_secure_then_bound() {
    let app = App::launch("3ds").await;
    wait_ready(&app).await;
    create_customer(&app, "Chloé Martin").await;
    open_element(&app).await;
    enter_card(&app, "4000000000003220").await;
    // the challenge runs inside the element, which stays mounted
    answer_challenge(&app, "1234").await;
    app.find("[data-testid=binding-bound]").await;
    assert_eq!(app.wait_text("[data-testid=bound-masked]", |t| !t.is_empty()).await, "•••• 3220");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancel_and_a_simulator_fault_then_retry_succeeds() {
    let app = App::launch("fault").await;
    wait_ready(&app).await;
    let sim = simulator_url(&app).await;
    create_customer(&app, "Dieter Braun").await;

    // cancel from the element
    open_element(&app).await;
    app.click("[data-testid=binding-cancel]").await;
    app.find("[data-testid=alert-page][data-kind=cancelled]").await;
    shot_ok(app.screenshot("alert-cancelled").await);

    // Antom answers 503 to every retry of createVaultingSession: the alert page, then a retry works
    cardbind_testkit::post_json(
        &format!("{sim}/sim/faults"),
        serde_json::json!({ "http5xx": 4, "onlyEndpoint": "createVaultingSession" }),
    )
    .await;
    app.click("[data-testid=alert-retry]").await;
    let kind = app.find("[data-testid=alert-page]:not([data-kind=cancelled])").await;
    let code = kind.attr("data-code").await.unwrap().unwrap_or_default();
    assert!(["ANTOM_UNREACHABLE", "ANTOM_UNKNOWN"].contains(&code.as_str()), "{code}");
    shot_ok(app.screenshot("alert-fault").await);
    app.click("[data-testid=alert-retry]").await;
    wait_element_loaded(&app).await;
    enter_card(&app, "4242424242424242").await;
    assert_eq!(app.wait_text("[data-testid=bound-masked]", |t| !t.is_empty()).await, "•••• 4242");
    app.click("[data-testid=bound-done]").await;
    app.find("[data-testid=card-row]").await;
    assert_eq!(card_rows(&app).await, ["•••• 4242"], "one card: the failed and cancelled attempts stored nothing");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_language_on_the_card_list_and_the_alert_page() {
    let app = App::launch("languages").await;
    wait_ready(&app).await;
    const LOCALES: [&str; 8] = ["en", "pt", "ko", "es", "fr", "de", "it", "nl"];
    open_cards(&app).await;
    for l in LOCALES {
        select_locale(&app, l).await;
        let title = app.wait_text("#cards-title", |t| t == ftl(l, "cards-title")).await;
        let empty = app.wait_text("[data-testid=cards-empty]", |t| t.contains(&ftl(l, "cards-empty-action"))).await;
        if l != "en" {
            assert_ne!(title, ftl("en", "cards-title"), "{l}: translated");
            assert!(!empty.contains(&ftl("en", "cards-empty-action")), "{l}: translated");
        }
    }
    select_locale(&app, "en").await;
    create_customer(&app, "Eva de Vries").await;
    open_element(&app).await;
    app.click("[data-testid=binding-cancel]").await;
    app.find("[data-testid=alert-page][data-kind=cancelled]").await;
    for l in LOCALES {
        select_locale(&app, l).await;
        let title = app.wait_text("[data-testid=alert-title]", |t| t == ftl(l, "alert-cancelled-title")).await;
        app.wait_text("[data-testid=alert-retry]", |t| t == ftl(l, "alert-retry")).await;
        if l != "en" {
            assert_ne!(title, ftl("en", "alert-cancelled-title"), "{l}: translated");
        }
        if l == "pt" {
            shot_ok(app.screenshot("alert-pt").await);
        }
    }
    // the choice survives a restart
    let home = app.close().await;
    let app = App::launch_in("languages-restart", home).await;
    wait_ready(&app).await;
    app.wait_text("#cards-title", |t| t == ftl("nl", "cards-title")).await;
    app.close().await;
}

/// The app answers `--version` and `--help` without a display: no window is opened (the
/// packaged app's contract too).
#[test]
fn version_and_help_answer_without_a_window() {
    for (arg, expect) in [("--version", format!("cardbind {}", env!("CARGO_PKG_VERSION"))), ("--help", "Usage:".into())]
    {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cardbind"))
            .arg(arg)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .env("HOME", "/nonexistent")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains(&expect), "{arg}: {out:?}");
    }
}
