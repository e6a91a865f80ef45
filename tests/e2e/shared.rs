//! A shop moves into a shared PostgreSQL from Settings, in the real window (issue 19): the Shop
//! database panel, the owner's PIN, the moved counts, and the tills' panel that follows.

use crate::flows::*;
use crate::harness::App;
use crate::kiosk::{set_up_staff, tap_digits, OWNER_PIN};

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
