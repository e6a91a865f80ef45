//! Charging a saved card in the real window (issue 14): approved, declined with the reason in
//! words a customer may hear, and a 3D Secure challenge answered in the app's frame with the
//! result taken from the backend (inquiryPayment), never from the page.

use crate::flows::*;
use crate::harness::App;

/// A shop that has chosen its currency (EUR) and skipped the welcome screen.
async fn shop(name: &str) -> App {
    let home = tempfile::Builder::new().prefix("cardbind-e2e-").tempdir().unwrap();
    let config = home.path().join("config").join(cardbind_core::APP_IDENTIFIER);
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("settings.json"), r#"{"currency":"EUR","welcomeDone":true,"shopName":"Café Lisboa"}"#)
        .unwrap();
    let app = App::launch_in(name, home).await;
    wait_ready(&app).await;
    app
}

/// Bind a card for a new customer and open the Charge dialog on it from the card list.
async fn charge_dialog(app: &App, customer: &str, number: &str) {
    create_customer(app, customer).await;
    open_element(app).await;
    enter_card(app, number).await;
    app.find("[data-testid=binding-bound]").await;
    open_cards(app).await;
    let last4 = &number[number.len() - 4..];
    let row = "[data-testid=card-row] [data-testid=card-charge]";
    // the newest card is the first row
    let masked = app.wait_text("[data-testid=card-row] [data-testid=card-masked]", |t| t.ends_with(last4)).await;
    assert!(masked.ends_with(last4));
    app.click(row).await;
    app.find("[data-testid=charge-dialog]").await;
}

async fn charge(app: &App, amount: &str) -> String {
    type_into(app, "[data-testid=charge-amount]", amount).await;
    type_into(app, "[data-testid=charge-description]", "Two coffees").await;
    app.click("[data-testid=charge-review]").await;
    let confirm = app.wait_text("[data-testid=charge-confirm-text]", |t| !t.is_empty()).await;
    app.click("[data-testid=charge-confirm]").await;
    confirm
}

async fn result_state(app: &App) -> String {
    let el = app.find("[data-testid=charge-result]").await;
    el.attr("data-state").await.unwrap().unwrap_or_default()
}

async fn wait_state(app: &App, want: &str) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        if result_state(app).await == want {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "the charge never reached {want}");
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn charge_approved_and_declined_with_the_reason() {
    let app = shop("charge").await;
    charge_dialog(&app, "Ana Souza", "4111111111111111").await;
    // a typed amount that is not one is refused before anything is sent
    type_into(&app, "[data-testid=charge-amount]", "12.345").await;
    app.find("[data-testid=charge-amount-invalid]").await;
    app.find("[data-testid=charge-amount]").await.clear().await.unwrap();
    let confirm = charge(&app, "12.50").await;
    assert!(confirm.contains("€12.50") && confirm.contains("1111"), "{confirm}");
    wait_state(&app, "SUCCEEDED").await;
    let detail = app.wait_text("[data-testid=charge-approved-detail]", |t| !t.is_empty()).await;
    assert!(detail.contains("Authorization code"), "{detail}");
    app.screenshot("charge-approved").await;
    app.click("[data-testid=charge-done]").await;

    charge_dialog(&app, "Bruno Costa", "4000000000005209").await;
    charge(&app, "8").await;
    wait_state(&app, "DECLINED").await;
    let reason = app.wait_text("[data-testid=charge-decline-reason]", |t| !t.is_empty()).await;
    assert_eq!(reason, ftl("en", "pay-decline-do-not-honor"));
    app.screenshot("charge-declined").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_3ds_challenge_is_answered_in_the_app_and_the_result_comes_from_antom() {
    let app = shop("charge-3ds").await;
    charge_dialog(&app, "Carla Dias", "4000000000003162").await;
    charge(&app, "20.00").await;
    wait_state(&app, "PENDING").await;
    let frame = app.find("[data-testid=charge-3ds-frame]").await;
    frame.enter_frame().await.unwrap();
    app.find("[data-testid=pay-3ds-form]:not([hidden]) [data-testid=pay-3ds-code]").await;
    type_into(&app, "[data-testid=pay-3ds-code]", "1234").await;
    app.click("[data-testid=pay-3ds-submit]").await;
    app.client.enter_parent_frame().await.unwrap();
    // the page says nothing to the app: the dialog learns it by asking the backend
    wait_state(&app, "SUCCEEDED").await;
    app.screenshot("charge-3ds-approved").await;
    app.close().await;
}
