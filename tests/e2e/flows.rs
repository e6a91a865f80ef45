//! Steps shared by the end-to-end tests: what a member of staff does in the window.

use crate::harness::{App, TIMEOUT};
use fantoccini::Locator;
use std::time::{Duration, Instant};

/// The strings of a locale's app.ftl (single-line messages), to compare with the window.
pub fn ftl(locale: &str, id: &str) -> String {
    let path = cardbind_testkit::workspace_root().join(format!("locales/{locale}/app.ftl"));
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{id} = ")))
        .unwrap_or_else(|| panic!("{id} is not a one-line message in {}", path.display()))
        .to_string()
}

pub async fn wait_ready(app: &App) {
    app.find("[data-testid=app-ready][data-ready=true]").await;
}

/// Create a customer from the Customers screen; ends on the customer's page.
pub async fn create_customer(app: &App, name: &str) {
    app.click("[data-testid=nav-customers]").await;
    app.click("[data-testid=customer-new]").await;
    app.find("[data-testid=customer-name]").await.send_keys(name).await.unwrap();
    app.find("[data-testid=customer-phone]").await.send_keys("+351 912 345 678").await.unwrap();
    app.click("[data-testid=customer-save]").await;
    app.wait_text("[data-testid=customer-title]", |t| t == name).await;
}

/// From a customer's page: Add card, accept the consent, wait for Antom's element to show.
pub async fn open_element(app: &App) {
    app.click("[data-testid=add-card]").await;
    app.find("[data-testid=consent-text]").await;
    app.click("[data-testid=consent-accept]").await;
    app.click("[data-testid=consent-continue]").await;
    wait_element_loaded(app).await;
}

pub async fn wait_element_loaded(app: &App) {
    app.find("[data-testid=antom-element] iframe").await;
    wait_gone(app, "[data-testid=binding-loading]").await;
}

pub async fn wait_gone(app: &App, css: &str) {
    let deadline = Instant::now() + TIMEOUT;
    while app.client.find(Locator::Css(css)).await.is_ok() {
        assert!(Instant::now() < deadline, "{css} is still there after {TIMEOUT:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Type a card into the element (Antom's frame; in demo mode the simulator's page) and submit.
pub async fn enter_card(app: &App, number: &str) {
    let frame = app.find("[data-testid=antom-element] iframe").await;
    frame.enter_frame().await.unwrap();
    app.find("#card-form:not([hidden]) #card-number").await;
    for (css, text) in [("#card-number", number), ("#expiry", "1234"), ("#cvv", "123"), ("#holder", "Ana Souza")] {
        type_into(app, css, text).await;
    }
    // In a longer language (Portuguese) the form's button sits below the window's fold, and
    // WebKitWebDriver scrolls only inside the frame: bring the frame's bottom into view first.
    app.client.enter_parent_frame().await.unwrap();
    app.client
        .execute("arguments[0].scrollIntoView({block: 'end'})", vec![serde_json::to_value(&frame).unwrap()])
        .await
        .unwrap();
    frame.enter_frame().await.unwrap();
    app.click("#submit").await;
    app.client.enter_parent_frame().await.unwrap();
}

/// Answer the simulator's 3D Secure challenge inside the element.
pub async fn answer_challenge(app: &App, code: &str) {
    let frame = app.find("[data-testid=antom-element] iframe").await;
    frame.enter_frame().await.unwrap();
    app.find("#challenge:not([hidden]) #challenge-code").await;
    type_into(app, "#challenge-code", code).await;
    app.click("#challenge-approve").await;
    app.client.enter_parent_frame().await.unwrap();
}

/// The simulator's address, as the About screen shows it.
pub async fn simulator_url(app: &App) -> String {
    app.click("[data-testid=nav-about]").await;
    app.click("[data-testid=load-app-info]").await;
    app.wait_text("[data-testid=app-info-simulator]", |t| t.starts_with("http://127.0.0.1:")).await
}

/// The card rows' masked numbers, as shown.
pub async fn card_rows(app: &App) -> Vec<String> {
    app.texts("[data-testid=card-row] [data-testid=card-masked]").await
}

/// Go to the Cards screen and wait until its list (or empty state) has loaded.
pub async fn open_cards(app: &App) {
    app.click("[data-testid=nav-cards]").await;
    app.find("[data-testid=card-table], [data-testid=cards-empty]").await;
}

pub async fn select_locale(app: &App, locale: &str) {
    let select = app.find("[data-testid=locale-select]").await;
    select.select_by_value(locale).await.unwrap();
    let lang = format!("html[lang={locale}]");
    app.find(&lang).await;
}

/// Type into a field, waiting while the SDK fades its iframe in (WebKitWebDriver refuses to
/// type into a field it does not yet consider focusable).
pub async fn type_into(app: &App, css: &str, text: &str) {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let el = app.find(css).await;
        let _ = el.click().await;
        match el.send_keys(text).await {
            Ok(()) => return,
            Err(e) if Instant::now() < deadline && e.to_string().contains("not focusable") => {
                tokio::time::sleep(Duration::from_millis(200)).await
            }
            Err(e) => panic!("typing into {css}: {e}"),
        }
    }
}
