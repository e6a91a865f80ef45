//! A shop moves into a shared PostgreSQL from Settings, in the real window (issue 19): the Shop
//! database panel, the owner's PIN, the moved counts, and the tills' panel that follows; then
//! two tills (two app processes, each with its own window and keyring) on one database: the
//! second joins and pairs from its window, a card saved at the first is charged at the second,
//! then the first revokes the second while it runs, and the second is refused.

use crate::flows::*;
use crate::harness::App;
use crate::kiosk::{enter_pin, set_up_staff, tap_digits, OWNER_PIN};
use crate::payments::{charge, shop, wait_state};

/// Settings → Shop database → a shared PostgreSQL at `url`, with the owner's PIN.
async fn use_shared_database(app: &App, url: &str, move_data: bool) {
    app.click("[data-testid=nav-settings]").await;
    app.wait_text("[data-testid=shopdb-current]", |t| !t.is_empty()).await;
    app.click("[data-testid=shopdb-shared]").await;
    type_into(app, "[data-testid=shopdb-url]", url).await;
    if !move_data {
        app.click("[data-testid=shopdb-move]").await;
    }
    app.click("[data-testid=shopdb-save]").await;
    app.find("[data-testid=shopdb-pin]").await;
    tap_digits(app, "pin", OWNER_PIN).await;
    app.click("[data-testid=pin-ok]").await;
}

#[tokio::test]
async fn the_shop_moves_into_a_shared_database_from_settings() {
    let url = cardbind_testkit::pg::fresh_database();
    let app = App::launch("shared-db").await;
    set_up_staff(&app, 5).await;
    create_customer(&app, "Ana Souza").await;
    app.click("[data-testid=nav-settings]").await;
    app.wait_text("[data-testid=shopdb-current]", |t| !t.is_empty()).await;
    app.click("[data-testid=shopdb-shared]").await;
    type_into(&app, "[data-testid=shopdb-url]", &url).await;
    app.click("[data-testid=shopdb-save]").await;
    app.find("[data-testid=shopdb-pin]").await;
    tap_digits(&app, "pin", OWNER_PIN).await;
    app.click("[data-testid=pin-ok]").await;
    let moved = app.wait_text("[data-testid=shopdb-moved]", |t| !t.is_empty()).await;
    assert!(moved.contains("3 staff") && moved.contains("1 customers"), "{moved}");
    let current = app.wait_text("[data-testid=shopdb-current]", |t| t.contains("127.0.0.1:")).await;
    assert!(!current.contains("sslmode") && !current.contains("pw"), "no password on screen: {current}");
    app.find("[data-testid=tills-panel]").await;
    app.find("[data-testid=tills-offer]").await;
    app.screenshot("shop-database").await;
    // the card list now reads the shared database, with what was moved
    app.click("[data-testid=nav-customers]").await;
    app.wait_text("body", |t| t.contains("Ana Souza")).await;
    app.close().await;
}

/// Two tills, two processes, one database: till 2 joins the shop's database and pairs with
/// the owner's till from its window (its keys arrive sealed to it, into its own keyring); a
/// card saved at till 1 appears at till 2 without a restart and is charged there; the payment
/// shows at till 1.
#[tokio::test(flavor = "multi_thread")]
async fn a_card_saved_at_one_till_is_charged_at_the_other() {
    let url = cardbind_testkit::pg::fresh_database();
    let till1 = shop("two-tills-1").await;
    set_up_staff(&till1, 240).await;
    use_shared_database(&till1, &url, true).await;
    till1.find("[data-testid=shopdb-moved]").await;
    till1.click("[data-testid=tills-offer]").await;
    let code = till1.wait_text("[data-testid=tills-code]", |t| t.len() == 19).await;

    // till 2: a fresh computer joins the shop's database (the owner says so with the PIN
    // everyone has on every till), signs in, and asks to pair with the code
    let till2 = App::launch("two-tills-2").await;
    wait_ready(&till2).await;
    use_shared_database(&till2, &url, false).await;
    till2.find("[data-testid=sign-in]").await;
    enter_pin(&till2, OWNER_PIN).await;
    till2.wait_text("[data-testid=operator]", |t| t.starts_with("Olga Owner")).await;
    till2.click("[data-testid=nav-settings]").await;
    type_into(&till2, "[data-testid=tills-join-code]", &code).await;
    type_into(&till2, "[data-testid=tills-join-name]", "Till 2").await;
    till2.click("[data-testid=tills-join-submit]").await;
    let joining = till2.wait_text("[data-testid=tills-joining]", |t| !t.is_empty()).await;

    // till 1: the same fingerprint on both screens, then admitted
    let asked = till1.wait_text("[data-testid=tills-asked]", |t| t.contains("Till 2")).await;
    let fingerprint: String = joining
        .split_whitespace()
        .find(|w| w.matches(':').count() == 5)
        .expect("a fingerprint")
        .chars()
        .filter(|c| c.is_ascii_hexdigit() || *c == ':')
        .collect();
    assert_eq!(fingerprint.len(), 17, "{joining}");
    assert!(asked.contains(&fingerprint), "{asked} / {joining}");
    till1.click("[data-testid=tills-approve]").await;
    till1.wait_text("[data-testid=tills-admitted]", |t| t.contains("Till 2")).await;
    till2.find("[data-testid=tills-joined]").await;
    // till 2's card list is open, and empty, before till 1 saves anything
    open_cards(&till2).await;
    till2.find("[data-testid=cards-empty]").await;

    // a card saved at till 1
    create_customer(&till1, "Ana Souza").await;
    open_element(&till1).await;
    enter_card(&till1, "4111111111111111").await;
    till1.find("[data-testid=binding-bound]").await;

    // appears in till 2's open list by itself (it reads the shared database's first page again
    // every few seconds) and is charged there
    till2.wait_text("[data-testid=card-row] [data-testid=card-masked]", |t| t.ends_with("1111")).await;
    till2.click("[data-testid=card-row] [data-testid=card-charge]").await;
    till2.find("[data-testid=charge-dialog]").await;
    let confirm = charge(&till2, "12.50").await;
    assert!(confirm.contains("€12.50") && confirm.contains("1111"), "{confirm}");
    wait_state(&till2, "CAPTURED").await;
    till2.screenshot("two-tills-charged").await;
    till2.click("[data-testid=charge-done]").await;

    // and the payment is in the shop's one list, at till 1
    till1.click("[data-testid=nav-payments]").await;
    till1.wait_text("[data-testid=payment-row] [data-testid=payment-amount]", |t| t == "€12.50").await;

    // till 1's owner revokes till 2 while it runs (issue 30): its next action is refused, in
    // its own words, and it no longer holds the shop's keys or database address
    till1.click("[data-testid=nav-settings]").await;
    till1.click("[data-testid^=tills-revoke-]").await;
    till1.wait_text("[data-testid=tills-list]", |t| t.contains("Till 2")).await;
    till1.find("[data-testid=tills-list] .muted").await;
    till2.click("[data-testid=nav-payments]").await;
    till2.find("[data-testid=error-alert][data-code=TILL_REVOKED]").await;
    till2.screenshot("two-tills-revoked").await;
    // and till 1 goes on: its own list still reads
    till1.click("[data-testid=nav-payments]").await;
    till1.wait_text("[data-testid=payment-row] [data-testid=payment-amount]", |t| t == "€12.50").await;
    till2.close().await;
    till1.close().await;
}
