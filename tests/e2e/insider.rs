//! Issue 29 in the real window: what a script in the page can try (it has the same IPC as the
//! UI) against the limits, the approvals and the owner's settings, and the approval pad naming
//! what it approves.

use crate::flows::*;
use crate::harness::App;
use crate::kiosk::{enter_pin, set_up_staff};
use crate::payments::{charge, shop, wait_state};
use serde_json::{json, Value};

const MANAGER_PIN: &str = "3690";
const CASHIER_PIN: &str = "1470";

/// Invoke `cmd` from the page as any script there could: `ok <result as JSON>` or the error's
/// code.
async fn invoke(app: &App, cmd: &str, args: Value) -> String {
    let out = app
        .client
        .execute_async(
            "const [cmd, args, done] = arguments;
             window.__TAURI_INTERNALS__.invoke(cmd, args)
               .then((r) => done('ok ' + JSON.stringify(r ?? null)), (e) => done((e && e.code) || String(e)));",
            vec![json!(cmd), args],
        )
        .await
        .unwrap();
    out.as_str().unwrap_or_default().to_string()
}

fn charge_request(card: i64, amount: i64, key: &str) -> Value {
    json!({ "request": { "cardId": card, "amount": amount, "description": "x", "reference": null,
                         "customerPresent": true, "device": null, "key": key } })
}

fn payment_id(answer: &str) -> i64 {
    let v: Value = serde_json::from_str(answer.strip_prefix("ok ").unwrap_or_else(|| panic!("{answer}"))).unwrap();
    v["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_page_script_gets_no_further_than_the_roles_limits_and_approvals_allow() {
    let app = shop("insider").await;
    set_up_staff(&app, 240).await;
    create_customer(&app, "Ana Souza").await;
    open_element(&app).await;
    enter_card(&app, "4111111111111111").await;
    app.find("[data-testid=binding-bound]").await;
    open_cards(&app).await;
    let card: i64 =
        app.find("[data-testid=card-row]").await.attr("data-card-id").await.unwrap().unwrap().parse().unwrap();
    assert!(invoke(&app, "staff_sign_in", json!({ "pin": CASHIER_PIN })).await.starts_with("ok"));

    // item 1: a "customer present" 999,999.99 by a cashier needs a manager
    assert_eq!(
        invoke(&app, "payment_charge", charge_request(card, 99_999_999, "page-script-key-0001")).await,
        "PERMISSION_DENIED"
    );
    // item 2: an approval for 150.00 on this card is not one for 999,999.99
    assert_eq!(
        invoke(&app, "payment_charge", charge_request(card, 15_000, "page-script-key-0002")).await,
        "PERMISSION_DENIED"
    );
    assert!(invoke(&app, "staff_approve", json!({ "pin": MANAGER_PIN })).await.starts_with("ok"));
    assert_eq!(
        invoke(&app, "payment_charge", charge_request(card, 99_999_999, "page-script-key-0003")).await,
        "PERMISSION_DENIED"
    );
    // item 3: the same dialog's charge sent twice at once is one payment
    let twice = app
        .client
        .execute_async(
            "const [args, done] = arguments;
             Promise.all([window.__TAURI_INTERNALS__.invoke('payment_charge', args), window.__TAURI_INTERNALS__.invoke('payment_charge', args)])
               .then(([a, b]) => done([a.id, b.id]), (e) => done(String(e.code || e)));",
            vec![charge_request(card, 500, "page-script-key-0004")],
        )
        .await
        .unwrap();
    assert_eq!(twice[0], twice[1], "{twice}");
    let again = invoke(&app, "payment_charge", charge_request(card, 500, "page-script-key-0004")).await;
    assert_eq!(json!(payment_id(&again)), twice[0]);
    // item 9: a cashier does not start a join
    assert_eq!(invoke(&app, "till_join", json!({ "code": "AAAAA-AAAAA", "name": "Mine" })).await, "PERMISSION_DENIED");

    // items 5 and 8: a manager saves neither the owner's backups nor a kiosk outside production
    assert!(invoke(&app, "staff_sign_in", json!({ "pin": MANAGER_PIN })).await.starts_with("ok"));
    let view: Value =
        serde_json::from_str(invoke(&app, "settings_get", json!({})).await.strip_prefix("ok ").unwrap()).unwrap();
    let mut settings = view["settings"].clone();
    settings["backup"]["keep"] = json!(1);
    let update = json!({ "update": { "settings": settings, "merchantPrivateKey": null, "antomPublicKey": null } });
    assert_eq!(invoke(&app, "settings_save", update).await, "PERMISSION_DENIED");
    assert_eq!(invoke(&app, "kiosk_enter", json!({})).await, "PERMISSION_DENIED");
    let view: Value =
        serde_json::from_str(invoke(&app, "settings_get", json!({})).await.strip_prefix("ok ").unwrap()).unwrap();
    assert_eq!(view["settings"]["backup"]["keep"], json!(7), "nothing saved");

    // the approval pad names what it approves: a cashier's charge above the limit in the UI
    app.click("[data-testid=sign-out]").await;
    app.find("[data-testid=sign-in]").await;
    enter_pin(&app, CASHIER_PIN).await;
    app.wait_text("[data-testid=operator]", |t| t.starts_with("Cy Cashier")).await;
    open_cards(&app).await;
    app.click("[data-testid=card-row] [data-testid=card-charge]").await;
    app.find("[data-testid=charge-dialog]").await;
    charge(&app, "250.00").await;
    let what = app.wait_text("[data-testid=approval-what]", |t| !t.is_empty()).await;
    assert!(what.contains("€250.00") && what.contains("VISA •••• 1111") && what.contains("Ana Souza"), "{what}");
    app.screenshot("approval-names-the-charge").await;
    enter_pin(&app, MANAGER_PIN).await;
    wait_state(&app, "CAPTURED").await;
    app.close().await;
}
