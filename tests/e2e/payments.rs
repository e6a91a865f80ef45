//! Charging a saved card in the real window (issue 14): approved, declined with the reason in
//! words a customer may hear, and a 3D Secure challenge answered in the app's frame with the
//! result taken from the backend (inquiryPayment), never from the page.

use crate::flows::*;
use crate::harness::App;

/// A shop that has chosen its currency (EUR) and skipped the welcome screen.
pub(crate) async fn shop(name: &str) -> App {
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
pub(crate) async fn charge_dialog(app: &App, customer: &str, number: &str) {
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

pub(crate) async fn charge(app: &App, amount: &str) -> String {
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

pub(crate) async fn wait_state(app: &App, want: &str) {
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
    // authorised first; the automatic capture follows and the dialog learns it from Antom
    wait_state(&app, "AUTHORISED").await;
    let tag = app.wait_text("[data-testid=charge-capture]", |t| !t.is_empty()).await;
    assert_eq!(tag, ftl("en", "payment-state-authorised"));
    let detail = app.wait_text("[data-testid=charge-approved-detail]", |t| !t.is_empty()).await;
    assert!(detail.contains("Authorization code"), "{detail}");
    app.screenshot("charge-authorised").await;
    wait_state(&app, "CAPTURED").await;
    let tag = app.wait_text("[data-testid=charge-capture]", |t| t != tag).await;
    assert_eq!(tag, ftl("en", "payment-state-captured"));
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
    wait_state(&app, "CAPTURED").await;
    app.screenshot("charge-3ds-approved").await;
    app.close().await;
}

/// The payments screen: the list, then one payment refunded in part and then in full, and
/// another cancelled.
#[tokio::test(flavor = "multi_thread")]
async fn partial_then_full_refund_and_a_cancel_from_the_payments_screen() {
    let app = shop("refunds").await;
    charge_dialog(&app, "Dora Lima", "4111111111111111").await;
    charge(&app, "10.00").await;
    wait_state(&app, "CAPTURED").await;
    app.click("[data-testid=charge-done]").await;
    app.click("[data-testid=card-row] [data-testid=card-charge]").await;
    charge(&app, "5.00").await;
    wait_state(&app, "CAPTURED").await;
    app.click("[data-testid=charge-done]").await;

    app.click("[data-testid=nav-payments]").await;
    app.find("[data-testid=payments-table]").await;
    assert_eq!(
        app.texts("[data-testid=payment-row] [data-testid=payment-amount]").await,
        vec!["€5.00", "€10.00"],
        "newest first"
    );
    // search by the last four finds both; a reference nobody used finds none
    type_into(&app, "[data-testid=payments-search]", "nope-ref").await;
    app.find("[data-testid=payments-empty]").await;
    app.find("[data-testid=payments-search]").await.clear().await.unwrap();
    type_into(&app, "[data-testid=payments-search]", "1111").await;
    app.find("[data-testid=payments-table]").await;
    app.screenshot("payments").await;

    // the 10.00 payment: 4.00 back, then the 6.00 left
    let rows = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=payment-row] [data-testid=payment-open]"))
        .await
        .unwrap();
    rows[1].click().await.unwrap();
    app.find("[data-testid=refund-amount]").await;
    type_into(&app, "[data-testid=refund-amount]", "4").await;
    app.click("[data-testid=refund-submit]").await;
    app.wait_text("[data-testid=payment-refunded]", |t| t.contains("€4.00")).await;
    // more than is left is not offered
    type_into(&app, "[data-testid=refund-amount]", "6.01").await;
    let submit = app.find("[data-testid=refund-submit]").await;
    assert!(submit.attr("disabled").await.unwrap().is_some(), "6.01 is more than the 6.00 left");
    app.find("[data-testid=refund-amount]").await.clear().await.unwrap();
    type_into(&app, "[data-testid=refund-amount]", "6").await;
    app.click("[data-testid=refund-submit]").await;
    app.wait_text("[data-testid=payment-refunded]", |t| t.contains("€10.00")).await;
    wait_gone(&app, "[data-testid=refund-amount]").await;
    assert_eq!(
        app.client
            .find_all(fantoccini::Locator::Css("[data-testid=refund-row][data-state=SUCCEEDED]"))
            .await
            .unwrap()
            .len(),
        2
    );
    app.screenshot("payment-refunded").await;

    // the 5.00 payment is cancelled
    app.click("[data-testid=payments-back]").await;
    app.find("[data-testid=payments-table]").await;
    let rows = app
        .client
        .find_all(fantoccini::Locator::Css("[data-testid=payment-row] [data-testid=payment-open]"))
        .await
        .unwrap();
    rows[0].click().await.unwrap();
    app.click("[data-testid=payment-cancel]").await;
    app.click("[data-testid=confirm-yes]").await;
    app.wait_text("[data-testid=payment-state]", |t| t == "Cancelled").await;
    wait_gone(&app, "[data-testid=refund-amount]").await;
    app.close().await;
}

/// A payment still pending when the app closes is settled after the restart, from Antom's
/// answer (demo Antom keeps its records across restarts, as the real one does).
#[tokio::test(flavor = "multi_thread")]
async fn a_pending_payment_settles_after_an_app_restart() {
    let app = shop("pending-restart").await;
    charge_dialog(&app, "Eva Marques", "4000000000007304").await; // pending ~20 s, then approved
    charge(&app, "15.00").await;
    let charged_at = std::time::Instant::now();
    wait_state(&app, "PENDING").await;
    let home = app.close().await;

    let app = App::launch_in("pending-restart-2", home).await;
    wait_ready(&app).await;
    app.click("[data-testid=nav-payments]").await;
    let row = app.find("[data-testid=payment-row]").await;
    assert_eq!(row.attr("data-state").await.unwrap().as_deref(), Some("PENDING"), "still open at Antom");
    app.click("[data-testid=payment-open]").await;
    // the simulator's slow issuer answers 20 s after the charge; then one check settles it
    let wait = std::time::Duration::from_secs(21).saturating_sub(charged_at.elapsed());
    tokio::time::sleep(wait).await;
    app.click("[data-testid=payment-refresh]").await;
    let settled = [ftl("en", "payment-state-authorised"), ftl("en", "payment-state-captured")];
    app.wait_text("[data-testid=payment-state]", |t| settled.iter().any(|s| s == t)).await;
    assert!(app.wait_text("[data-testid=payment-antom-id]", |t| !t.is_empty()).await.starts_with("2026"));
    app.close().await;
}

/// A card whose removal Antom has not confirmed cannot be charged: the UI offers no Charge, and
/// the backend refuses a charge sent straight through IPC (as any script in the page could).
#[tokio::test(flavor = "multi_thread")]
async fn a_card_being_removed_cannot_be_charged() {
    let app = shop("remove-charge").await;
    let sim = simulator_url(&app).await;
    create_customer(&app, "Filipe Rocha").await;
    open_element(&app).await;
    enter_card(&app, "4111111111111111").await;
    app.find("[data-testid=binding-bound]").await;
    open_cards(&app).await;
    let id: i64 =
        app.find("[data-testid=card-row]").await.attr("data-card-id").await.unwrap().unwrap().parse().unwrap();
    // Antom cannot be reached for deleteToken
    cardbind_testkit::post_json(
        &format!("{sim}/sim/faults"),
        serde_json::json!({ "http5xx": 50, "onlyEndpoint": "deleteToken" }),
    )
    .await;
    app.click("[data-testid=card-remove]").await;
    app.click("[data-testid=confirm-yes]").await;
    app.find("[data-testid=card-removal-pending]").await;
    assert!(app.client.find(fantoccini::Locator::Css("[data-testid=card-charge]")).await.is_err(), "no Charge offered");
    let refused = app
        .client
        .execute_async(
            "const [id, done] = arguments;
             window.__TAURI_INTERNALS__.invoke('payment_charge', { request: { cardId: id, amount: 100, description: 'x', reference: null, customerPresent: true, device: null, key: crypto.randomUUID() } })
               .then(() => done('charged'), (e) => done(e.code || String(e)));",
            vec![serde_json::json!(id)],
        )
        .await
        .unwrap();
    assert_eq!(refused, "CARD_NOT_CHARGEABLE");
    app.close().await;
}

/// The text of a PDF, as `pdftotext` (poppler-utils, installed by `make test`) reads it, with
/// the non-breaking spaces Intl puts into amounts made plain.
fn pdf_text(path: &str) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no PDF at {path}: {e}"));
    assert!(bytes.starts_with(b"%PDF-"), "{path} is not a PDF");
    // kept beside the screenshots, to look at when a check fails
    let name = std::path::Path::new(path).file_name().unwrap();
    std::fs::write(crate::harness::artifacts_dir("screenshots").join(name), &bytes).unwrap();
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", path, "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed by `make test`");
    assert!(out.status.success(), "pdftotext {path}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// Without any white space: the PDF wraps long lines and ids where the page is narrow, and Intl
/// puts non-breaking spaces into amounts; the words and digits must still all be there.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Save the receipt on screen as a PDF; its path, as the dialog shows it.
async fn save_receipt(app: &App) -> String {
    app.click("[data-testid=receipt-save-pdf]").await;
    app.wait_text("[data-testid=receipt-path]", |t| t.ends_with(".pdf")).await
}

/// A receipt in the customer's language (the consent's, Portuguese) while the staff work in
/// English, saved as a PDF and read back; then a refund's receipt in a language staff choose.
#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_saved_as_pdf_reads_back_in_the_customers_language() {
    let app = shop("receipt").await;
    let sim = simulator_url(&app).await;
    create_customer(&app, "Rita Reis").await;
    // the customer reads the consent in Portuguese
    app.click("[data-testid=add-card]").await;
    select_locale(&app, "pt").await;
    app.find("[data-testid=consent-text]").await;
    app.click("[data-testid=consent-accept]").await;
    app.click("[data-testid=consent-continue]").await;
    wait_element_loaded(&app).await;
    enter_card(&app, "4111111111111111").await;
    app.find("[data-testid=binding-bound]").await;
    select_locale(&app, "en").await;
    open_cards(&app).await;
    // the acquirer is slow to capture this one: the receipt says "authorised" until it is done
    cardbind_testkit::post_json(&format!("{sim}/sim/faults"), serde_json::json!({ "holdCaptures": true })).await;
    app.click("[data-testid=card-row] [data-testid=card-charge]").await;
    charge(&app, "12.50").await;
    wait_state(&app, "AUTHORISED").await;
    app.click("[data-testid=charge-done]").await;

    app.click("[data-testid=nav-payments]").await;
    app.click("[data-testid=payment-row] [data-testid=payment-open]").await;
    let payment_id = app.wait_text("[data-testid=payment-antom-id]", |t| t.len() > 4).await;
    app.click("[data-testid=payment-receipt]").await;
    app.find("[data-testid=receipt][data-locale=pt]").await;
    let status = app.wait_text("[data-testid=receipt-status]", |t| !t.is_empty()).await;
    assert_eq!(status, ftl("pt", "receipt-status-authorised"));
    app.screenshot("receipt-authorised").await;
    app.click("[data-testid=receipt-close]").await;
    // captured now: the payment screen learns it, and the receipt says so
    cardbind_testkit::post_json(&format!("{sim}/sim/faults"), serde_json::json!({})).await;
    app.wait_text("[data-testid=payment-state]", |t| t == ftl("en", "payment-state-captured")).await;
    app.click("[data-testid=payment-receipt]").await;
    app.find("[data-testid=receipt][data-locale=pt]").await;
    let status = app.wait_text("[data-testid=receipt-status]", |t| !t.is_empty()).await;
    assert_eq!(status, ftl("pt", "receipt-status-captured"));
    let heading = app.wait_text("[data-testid=receipt-heading]", |t| !t.is_empty()).await;
    assert_eq!(heading, ftl("pt", "receipt-heading-payment"), "the customer's language, not the staff's");
    let amount = app.wait_text("[data-testid=receipt-amount]", |t| !t.is_empty()).await;
    assert!(amount.contains("12,50"), "Portuguese amounts have a decimal comma: {amount}");
    app.screenshot("receipt").await;

    let path = save_receipt(&app).await;
    assert!(path.ends_with("-pt.pdf"), "{path}");
    let text = pdf_text(&path);
    for want in [
        ftl("pt", "receipt-heading-payment"),
        ftl("pt", "receipt-auth-code"),
        ftl("pt", "receipt-demo"),
        ftl("pt", "receipt-status-captured"),
        "Café Lisboa".to_string(),
        "•••• 1111".to_string(),
        amount.clone(),
        payment_id.clone(),
    ] {
        assert!(squash(&text).contains(&squash(&want)), "the PDF lacks {want:?}:\n{text}");
    }
    for never in
        ["Rita Reis", &ftl("en", "receipt-heading-payment"), &ftl("en", "receipt-save-pdf"), "4111111111111111"]
    {
        assert!(!squash(&text).contains(&squash(never)), "the PDF shows {never:?}:\n{text}");
    }
    app.click("[data-testid=receipt-close]").await;

    // a refund's receipt, in German on request
    type_into(&app, "[data-testid=refund-amount]", "2.50").await;
    app.click("[data-testid=refund-submit]").await;
    app.click("[data-testid=refund-row][data-state=SUCCEEDED] [data-testid=refund-receipt]").await;
    app.find("[data-testid=receipt][data-locale=pt]").await;
    app.find("[data-testid=receipt-locale]").await.select_by_value("de").await.unwrap();
    app.find("[data-testid=receipt][data-locale=de]").await;
    let path = save_receipt(&app).await;
    assert!(path.contains("-refund-") && path.ends_with("-de.pdf"), "{path}");
    let text = pdf_text(&path);
    for want in
        [ftl("de", "receipt-heading-refund"), ftl("de", "receipt-original-amount"), "2,50".into(), "12,50".into()]
    {
        assert!(squash(&text).contains(&squash(&want)), "the refund PDF lacks {want:?}:\n{text}");
    }
    app.close().await;
}
