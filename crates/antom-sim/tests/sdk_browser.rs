//! The genuine `@alipay/ams-checkout` SDK (1.47.2, from ui/node_modules, never vendored) in
//! headless Chromium, mounted on a host page with `elementProps.elementLink` pointing at the
//! simulator's element page. The test types a card into the element as a buyer would, sees
//! SDK_END_OF_LOADING and then the result event on the host page, and confirms it with
//! inquireVaulting. Chromium resolves no host names (`--host-resolver-rules`), so the SDK's calls
//! to Antom's real hosts fail on this machine instead of leaving it.

mod common;

use antom::model::*;
use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use cardbind_testkit::{free_port, terminate, workspace_root};
use common::*;
use fantoccini::{Client, Locator};
use serde_json::Value;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Driver(Child);
impl Drop for Driver {
    fn drop(&mut self) {
        terminate(&mut self.0);
    }
}

async fn host_server() -> String {
    let bundle_path = workspace_root().join("ui/node_modules/@alipay/ams-checkout/dist/umd/ams-checkout.min.js");
    let bundle = std::fs::read(&bundle_path)
        .unwrap_or_else(|e| panic!("{}: {e}; run `make test` (npm ci installs the SDK)", bundle_path.display()));
    let app = Router::new().route("/host.html", get(|| async { Html(include_str!("fixtures/host.html")) })).route(
        "/sdk/ams-checkout.min.js",
        get(move || {
            let b = bundle.clone();
            async move { ([("content-type", "text/javascript")], b).into_response() }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

async fn browser() -> (Driver, Client, tempfile::TempDir) {
    let port = free_port();
    let driver = Driver(
        Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver (apt chromium-driver; make test installs it)"),
    );
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert("browserName".into(), "chrome".into());
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-quic", "--no-first-run", "--window-size=1024,900",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                format!("--user-data-dir={}", profile.path().display()),
            ]
        }),
    );
    (driver, cardbind_testkit::webdriver_session(port, caps).await, profile)
}

async fn events(c: &Client) -> Vec<Value> {
    c.execute("return window.__events || []", vec![]).await.unwrap().as_array().cloned().unwrap_or_default()
}

async fn wait_event(c: &Client, code: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ev = events(c).await;
        if let Some(e) = ev.iter().find(|e| e["code"] == code) {
            return e.clone();
        }
        assert!(Instant::now() < deadline, "no {code} event; saw {ev:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn type_into(c: &Client, css: &str, text: &str) {
    let el = c.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css(css)).await.unwrap();
    el.send_keys(text).await.unwrap();
}

/// Mount the SDK, fill the element, submit; return the host page's events.
async fn bind_in_browser(cls: &str, locale: &str, number: &str) -> (common::Simulated, Vec<Value>, String) {
    let sim = start(config()).await;
    let host = host_server().await;
    let c = client(&sim);
    let id = new_id("browser");
    let session = create(&c, &id, "https://merchant.example/notify").await.vaulting_session_data.unwrap();
    let (_driver, browser, _profile) = browser().await;
    let url = format!(
        "{host}/host.html?cls={cls}&env=sandbox&locale={locale}&sessionData={}&elementLink={}",
        urlencode(&session),
        urlencode(&sim.element_link())
    );
    browser.goto(&url).await.unwrap();
    wait_event(&browser, "SDK_END_OF_LOADING").await;

    let frame_css = format!("iframe[src^=\"{}\"]", sim.element_link());
    let frame = browser.wait().at_most(Duration::from_secs(15)).for_element(Locator::Css(&frame_css)).await.unwrap();
    frame.enter_frame().await.unwrap();
    let label = browser.find(Locator::Css("label[for=card-number]")).await.unwrap().text().await.unwrap();
    type_into(&browser, "#card-number", number).await;
    type_into(&browser, "#expiry", "1234").await;
    type_into(&browser, "#cvv", "123").await;
    type_into(&browser, "#holder", "Ana Souza").await;
    let shots = workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    std::fs::write(shots.join(format!("sim-element-{locale}.png")), browser.screenshot().await.unwrap()).unwrap();
    browser.find(Locator::Css("#submit")).await.unwrap().click().await.unwrap();
    browser.enter_parent_frame().await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let evs = loop {
        let evs = events(&browser).await;
        if evs
            .iter()
            .any(|e| e["code"].as_str().is_some_and(|c| c == "SDK_PAYMENT_SUCCESSFUL" || c == "SDK_PAYMENT_FAIL"))
        {
            break evs;
        }
        assert!(Instant::now() < deadline, "no result event; saw {evs:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    browser.close().await.unwrap();
    (common::Simulated { sim, id }, evs, label)
}

fn urlencode(s: &str) -> String {
    antom::signature::form_url_encode(s)
}

#[tokio::test(flavor = "multi_thread")]
async fn genuine_sdk_binds_a_card_through_the_simulator_element() {
    let (s, evs, label) = bind_in_browser("AMSVaulting", "en_US", "4111111111111111").await;
    assert_eq!(label, "Card number");
    let codes: Vec<&str> = evs.iter().filter_map(|e| e["code"].as_str()).collect();
    let end = codes.iter().position(|c| *c == "SDK_END_OF_LOADING").unwrap();
    let ok = codes.iter().position(|c| *c == "SDK_PAYMENT_SUCCESSFUL").unwrap();
    assert!(end < ok, "{codes:?}");
    let success = &evs[ok];
    assert_eq!(success["result"]["result"]["resultCode"], "SUCCESS");
    assert_eq!(success["result"]["paymentMethodDetail"]["card"]["maskedCardNo"], "************1111");

    // the authoritative answer: inquireVaulting, signed and verified
    let inq = inquire(&client(&s.sim), &s.id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Success));
    let card = inq.payment_method_detail.unwrap().card.unwrap();
    assert!(card.card_token.unwrap().expose().starts_with("ALIPAY"));
    assert_eq!(card.brand.as_deref(), Some("VISA"));
}

#[tokio::test(flavor = "multi_thread")]
async fn genuine_sdk_reports_a_decline_in_the_buyers_language() {
    let (s, evs, label) = bind_in_browser("AMSCashierPayment", "pt_BR", "4000000000000002").await;
    assert_eq!(label, "Número do cartão");
    let fail = evs.iter().find(|e| e["code"] == "SDK_PAYMENT_FAIL").unwrap();
    assert_eq!(fail["result"]["result"]["resultCode"], "DO_NOT_HONOR");
    let inq = inquire(&client(&s.sim), &s.id).await;
    assert_eq!(inq.vaulting_status, Some(VaultingStatus::Fail));
    assert_eq!(inq.vaulting_result_code.as_deref(), Some("DO_NOT_HONOR"));
}
