//! Issue 21 in the window: the first start (welcome screen, in German, with the owner's PIN),
//! the go-live checklist, "Check connection" with its verdicts in two languages (German: the
//! demo Antom, every line passes; Portuguese: a host where nothing listens), and `--kiosk` on a
//! till with no manager yet.

use crate::flows::*;
use crate::harness::App;
use fantoccini::Locator;

async fn verdicts(app: &App) -> Vec<(String, String, String)> {
    app.find("[data-testid=check-summary]").await;
    let mut out = vec![];
    for li in app.client.find_all(Locator::Css("[data-testid=check-verdict]")).await.unwrap() {
        let code = li.attr("data-code").await.unwrap().unwrap_or_default();
        let status = li.attr("data-status").await.unwrap().unwrap_or_default();
        let text = li.find(Locator::Css("[data-testid=check-text]")).await.unwrap().text().await.unwrap();
        out.push((code, status, text));
    }
    out
}

fn kebab(code: &str) -> String {
    code.to_ascii_lowercase().replace('_', "-")
}

#[tokio::test(flavor = "multi_thread")]
async fn first_start_in_german_then_the_checklist_and_the_connection_check_in_two_languages() {
    let app = App::launch_first_start("golive-first-start", &[]).await;
    app.find("[data-testid=welcome]").await;
    app.screenshot("welcome").await;
    // the whole form, with its Start button, fits the default window (1200×780)
    let fits = app
        .client
        .execute(
            "const b = document.querySelector('[data-testid=welcome-start]').getBoundingClientRect();
             return [b.bottom, window.innerHeight];",
            vec![],
        )
        .await
        .unwrap();
    assert!(fits[0].as_f64().unwrap() <= fits[1].as_f64().unwrap(), "Start is below the fold: {fits}");
    app.click("[data-testid=welcome-lang-de]").await;
    app.find("html[lang=de]").await;
    let title = app.wait_text("#welcome-title", |t| !t.is_empty()).await;
    assert_eq!(title, ftl("de", "welcome-title"));
    app.find("[data-testid=welcome-shop-name]").await.send_keys("Bäckerei Braun").await.unwrap();
    app.find("[data-testid=welcome-currency]").await.select_by_value("EUR").await.unwrap();
    // a cashier's per-charge limit, chosen here (issue 29)
    app.find("[data-testid=welcome-charge-limit]").await.send_keys("80").await.unwrap();
    app.find("[data-testid=welcome-owner-name]").await.send_keys("Olga Owner").await.unwrap();
    app.find("[data-testid=welcome-owner-pin]").await.send_keys("2580").await.unwrap();
    app.find("[data-testid=welcome-owner-pin2]").await.send_keys("2581").await.unwrap();
    app.click("[data-testid=welcome-start]").await;
    let mismatch = app.wait_text("[data-testid=welcome-mismatch]", |t| !t.is_empty()).await;
    assert_eq!(mismatch, ftl("de", "welcome-pin-mismatch"));
    let again = app.find("[data-testid=welcome-owner-pin2]").await;
    again.clear().await.unwrap();
    again.send_keys("2580").await.unwrap();
    app.click("[data-testid=welcome-start]").await;
    // the owner is signed in, in German, and the shop has its name
    app.wait_text("[data-testid=operator]", |t| t.starts_with("Olga Owner")).await;
    app.find("html[lang=de]").await;

    // the go-live checklist: name, currency and owner done; keys not in demo mode
    app.click("[data-testid=nav-about]").await;
    app.find("[data-testid=golive-line]").await;
    let mut states = vec![];
    for li in app.client.find_all(Locator::Css("[data-testid=golive-line]")).await.unwrap() {
        states.push((li.attr("data-item").await.unwrap().unwrap(), li.attr("data-state").await.unwrap().unwrap()));
    }
    for (item, state) in [
        ("SHOP_NAME", "DONE"),
        ("CURRENCY", "DONE"),
        ("OWNER_PIN", "DONE"),
        ("ANTOM_KEYS", "NOT_IN_DEMO"),
        ("CASHIER_LIMITS", "DEFAULT_LIMITS"),
    ] {
        assert!(states.contains(&(item.into(), state.into())), "{item} {state}: {states:?}");
    }
    let limits = app.wait_text("[data-testid=golive-limits]", |t| !t.is_empty()).await;
    assert!(limits.contains("80,00") && limits.contains("500,00"), "the limit chosen, the default total: {limits}");
    app.screenshot("golive-checklist").await;

    // German: the demo Antom passes every line
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=check-connection]").await;
    let lines = verdicts(&app).await;
    assert_eq!(lines.len(), 5, "{lines:?}");
    for (code, status, text) in &lines {
        assert_eq!(status, "PASS", "{lines:?}");
        if code != "CLOCK_OK" {
            assert_eq!(text, &ftl("de", &format!("check-{}", kebab(code))));
        }
    }
    let summary = app.wait_text("[data-testid=check-summary]", |t| !t.is_empty()).await;
    assert_eq!(summary, ftl("de", "settings-check-ok"));
    app.screenshot("check-connection-de").await;

    // Portuguese: the sandbox at a host where nothing listens (a draft, not saved)
    select_locale(&app, "pt").await;
    app.click("[data-testid=nav-settings]").await;
    app.click("[data-testid=settings-env-sandbox]").await;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    app.find("[data-testid=settings-client-id]").await.send_keys("SANDBOX_5YBZ1Y2ZLF7A02341").await.unwrap();
    app.find("[data-testid=settings-base-url]").await.send_keys(&format!("http://127.0.0.1:{closed}")).await.unwrap();
    let merchant = cardbind_testkit::test_key(0).to_pkcs8_base64().expose().clone();
    let antom = cardbind_testkit::test_key(1).public_key().to_spki_base64();
    app.client
        .execute(
            "const [m, a] = arguments; for (const [id, v] of [['settings-merchant-key', m], ['settings-antom-key', a]]) {
               const el = document.querySelector(`[data-testid=${id}]`); el.value = v; el.dispatchEvent(new Event('input', { bubbles: true })); }",
            vec![serde_json::json!(merchant), serde_json::json!(antom)],
        )
        .await
        .unwrap();
    app.click("[data-testid=check-connection]").await;
    let lines = verdicts(&app).await;
    assert_eq!(lines[0].0, "CONNECT_FAILED", "{lines:?}");
    assert_eq!(lines[0].2, ftl("pt", "check-connect-failed"));
    assert!(lines[1..].iter().all(|(_, s, t)| s == "SKIPPED" && t == &ftl("pt", "check-not-checked")), "{lines:?}");
    let summary = app.wait_text("[data-testid=check-summary]", |t| !t.is_empty()).await;
    assert_eq!(summary, ftl("pt", "settings-check-failed"));
    app.screenshot("check-connection-pt").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn kiosk_flag_without_a_manager_says_so_and_leads_to_staff() {
    let app = App::launch_first_start("golive-kiosk-blocked", &["--kiosk"]).await;
    let title = app.wait_text("#kiosk-blocked-title", |t| !t.is_empty()).await;
    assert_eq!(title, ftl("en", "kiosk-blocked-title"));
    assert!(app.client.find(Locator::Css("[data-testid=kiosk]")).await.is_err(), "no kiosk nobody could leave");
    app.screenshot("kiosk-blocked").await;
    app.click("[data-testid=kiosk-blocked-staff]").await;
    app.find("[data-testid=staff-open-mode]").await;
    app.close().await;
}
