//! End-to-end tests: the real cardbind binary in a real WebKitGTK window under Xvfb, driven over
//! WebDriver. Run with `cargo test -p cardbind --test e2e` (the harness starts Xvfb, a private
//! keyring and tauri-driver itself). Screenshots land in target/screenshots.

mod harness;

use harness::App;

#[tokio::test(flavor = "multi_thread")]
async fn about_screen_shows_what_the_backend_returns() {
    let app = App::launch("about").await;

    assert_eq!(app.client.title().await.unwrap(), "cardbind");
    // The environment badge is filled from app_info on start.
    let badge = app.wait_text("[data-testid=env-badge]", |t| !t.is_empty()).await;
    assert_eq!(badge, "Demo — simulated Antom");

    // The round trip: click, the command runs in Rust, the window shows its answer.
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
