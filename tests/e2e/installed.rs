//! The installed package (issue 18). `make package` builds the .deb; `scripts/package-check.sh`
//! unpacks it into a scratch root and runs these tests with `CARDBIND_APP` set to that root's
//! `usr/bin/cardbind`, so they drive the binary a merchant installs, not this build's. They are
//! ignored in a plain `cargo test` (there is no package to test yet).

use crate::harness::{app_binary, App};
use crate::lockdown::right_click_opens;
use cardbind_app::windows::INSPECTOR_SWITCH;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

/// The packaged binary under test; refuses to test this build's binary by mistake.
fn installed() -> PathBuf {
    let app = PathBuf::from(app_binary());
    assert!(
        app.ends_with("usr/bin/cardbind") && !app.starts_with(env!("CARGO_MANIFEST_DIR")),
        "CARDBIND_APP must be an installed package's usr/bin/cardbind (scripts/package-check.sh), not {}",
        app.display()
    );
    app
}

#[test]
#[ignore = "needs an installed package: scripts/package-check.sh"]
fn installed_version_and_help_answer_without_a_window() {
    let app = installed();
    for (arg, want) in
        [("--version", format!("cardbind {}\n", env!("CARGO_PKG_VERSION"))), ("--help", "--kiosk".into())]
    {
        let out = Command::new(&app).arg(arg).env_remove("DISPLAY").env_remove("WAYLAND_DISPLAY").output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{arg}: {out:?}");
        assert!(if arg == "--version" { stdout == want } else { stdout.contains(&want) }, "{arg}: {stdout:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs an installed package: scripts/package-check.sh"]
async fn installed_package_starts_in_demo_mode_keeps_data_per_user_and_has_no_inspector() {
    installed();
    let home = tempfile::Builder::new().prefix("cardbind-installed-").tempdir().unwrap();
    // No XDG_* variables: the OS's per-user defaults under $HOME. The inspector switch is set
    // and must be ignored: it only works in a developer's debug build.
    let unset = [("XDG_DATA_HOME", ""), ("XDG_CONFIG_HOME", ""), ("XDG_CACHE_HOME", ""), (INSPECTOR_SWITCH, "1")];
    let app = App::launch_full("installed", home, &[], &unset).await;
    let badge = app.wait_text("[data-testid=env-badge]", |t| !t.is_empty()).await;
    assert_eq!(badge, "Demo — simulated Antom");
    app.click("[data-testid=nav-cards]").await;
    app.find("[data-testid=card-search]").await;
    app.find("[data-testid=cards-empty]").await;
    app.screenshot("installed-card-list").await;
    let share = app.home().join(".local/share").join(cardbind_core::APP_IDENTIFIER);
    assert!(share.join("cards-demo.db").is_file(), "the demo card list lives in {}", share.display());
    assert!(!app.home().join("data").exists(), "nothing in the test harness's usual folder");
    let (menus, _) = right_click_opens(&app, Duration::from_secs(3)).await;
    assert_eq!(menus, 0, "a release build opened a context menu with {INSPECTOR_SWITCH}=1");
    app.close().await;
}
