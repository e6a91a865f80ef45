//! Paying with a saved card against the simulator, over HTTP with the crates/antom client (and
//! hand-made bodies where the typed client would never send them): every test card's payment
//! outcome, 3D Secure, pending payments, idempotency, amounts and currencies, refunds, cancel,
//! deleteToken, notifyPayment and notifyRefund.

mod common;

use antom::model::*;
use antom::outcome::{PaymentOutcome, RefundOutcome};
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use common::*;
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const NOTIFY: &str = "https://merchant.example/antom/notify";
const RETURN: &str = "https://merchant.example/return";
const PAY: &str = "/ams/sandbox/api/v1/payments/pay";

async fn bind(sim: &antom_sim::SimHandle, number: &str) -> CardToken {
    let c = client(sim);
    let id = new_id("bind");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    submit(sim, &session, number, "123").await;
    inquire(&c, &id).await.payment_method_detail.unwrap().card.unwrap().card_token.unwrap()
}

fn usd(minor: u64) -> Amount {
    Amount::new("USD", minor)
}

async fn pay(c: &antom::AntomClient, id: &str, token: &CardToken, amount: Amount) -> PayResponse {
    c.call(&PayRequest::card_on_file(id, token.clone(), amount, "a sale", RETURN)).await.unwrap().body
}

async fn inquiry(c: &antom::AntomClient, id: &str) -> InquiryPaymentResponse {
    c.call(&InquiryPaymentRequest { payment_request_id: Some(id.into()), ..Default::default() }).await.unwrap().body
}

/// Wait until the automatic capture of a payment is known; its outcome.
async fn capture_of(c: &antom::AntomClient, id: &str) -> antom::outcome::CaptureOutcome {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(capture) = inquiry(c, id).await.capture() {
            return capture;
        }
        assert!(std::time::Instant::now() < deadline, "no capture of {id}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

const MERCHANT_ACCOUNT: &str = "2188116129848784";

/// A hand-made pay body (valid unless changed), for what the typed client never sends.
fn raw_pay(token: &CardToken) -> Value {
    json!({
        "productCode": "CASHIER_PAYMENT",
        "paymentRequestId": new_id("raw"),
        "paymentAmount": { "currency": "USD", "value": "1000" },
        "order": { "referenceOrderId": "o-1", "orderDescription": "a sale", "orderAmount": { "currency": "USD", "value": "1000" } },
        "paymentMethod": { "paymentMethodType": "CARD", "paymentMethodId": token.expose(), "paymentMethodMetaData": { "isCardOnFile": "true" } },
        "paymentFactor": { "isAuthorization": "true", "captureMode": "AUTOMATIC" },
        "paymentRedirectUrl": RETURN,
    })
}

async fn raw(sim: &antom_sim::SimHandle, body: &Value) -> Value {
    let r = signed_post(sim, PAY, &antom::client::request_time_now(), &body.to_string()).await;
    r.json().await.unwrap()
}

#[tokio::test]
async fn every_test_cards_payment_outcome() {
    let sim = start(config()).await;
    let c = client(&sim);
    for (number, want) in [
        ("4111111111111111", Ok("")),
        ("4000000000005209", Err("DO_NOT_HONOR")),
        ("4000000000009953", Err("USER_BALANCE_NOT_ENOUGH")),
        ("4000000000004004", Err("INVALID_EXPIRATION_DATE")),
        ("4000000000009219", Err("DO_NOT_HONOR")),
    ] {
        let token = bind(&sim, number).await;
        let r = pay(&c, &new_id("pay"), &token, usd(1250)).await;
        match (want, r.outcome().unwrap()) {
            (Ok(_), PaymentOutcome::Authorised { info, .. }) => {
                assert_eq!(info.masked_card_no.as_deref(), Some("************1111"));
                assert_eq!(info.card_brand.as_deref(), Some("VISA"));
                assert!(info.network_transaction_id.is_some() && info.authorization_code.is_some());
            }
            (Err(code), PaymentOutcome::Declined { code: got, .. }) => assert_eq!(got, code, "{number}"),
            (want, got) => panic!("{number}: wanted {want:?}, got {got:?}"),
        }
    }
}

#[tokio::test]
async fn a_payment_3ds_challenge_is_answered_on_its_page_and_read_by_inquiry() {
    let sim = start(config()).await;
    let c = client(&sim);
    let token = bind(&sim, "4000000000003162").await;
    for (code, approve, want_final) in [("1234", true, "SUCCESS"), ("", false, "FAIL")] {
        let id = new_id("3ds");
        let r = pay(&c, &id, &token, usd(500)).await;
        let PaymentOutcome::Pending { payment_id: Some(payment_id), challenge_url: Some(url) } = r.outcome().unwrap()
        else {
            panic!("{r:?}")
        };
        assert!(url.contains("/element/pay-3ds.html?payment="), "{url}");
        assert!(matches!(
            inquiry(&c, &id).await.outcome().unwrap(),
            PaymentOutcome::Pending { challenge_url: Some(_), .. }
        ));
        // the page knows where to send the buyer afterwards: the pay's paymentRedirectUrl
        let status = post_element(&sim, "pay-status", json!({ "payment": payment_id })).await;
        assert_eq!(status["status"], "CHALLENGE");
        assert_eq!(status["redirectUrl"], RETURN);
        // the page itself is served with the element's fences
        let page = reqwest::get(&url).await.unwrap();
        assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
        // a wrong code first (a retry), then the answer
        if approve {
            assert_eq!(
                post_element(&sim, "pay-challenge", json!({ "payment": payment_id, "code": "0000", "approve": true }))
                    .await["status"],
                "RETRY"
            );
        }
        let answer =
            post_element(&sim, "pay-challenge", json!({ "payment": payment_id, "code": code, "approve": approve }))
                .await;
        assert_eq!(answer["status"], want_final);
        let after = inquiry(&c, &id).await.outcome().unwrap();
        match want_final {
            "SUCCESS" => assert!(
                matches!(after, PaymentOutcome::Authorised { ref info, .. } if info.three_ds_result.is_some()),
                "{after:?}"
            ),
            _ => assert!(
                matches!(after, PaymentOutcome::Declined { ref code, .. } if code == "USER_PAYMENT_VERIFICATION_FAILED"),
                "{after:?}"
            ),
        }
        // the same pay again answers the payment as it now stands, never a second charge
        let again = pay(&c, &id, &token, usd(500)).await;
        assert_eq!(again.payment_id.as_deref(), Some(payment_id.as_str()));
        assert_eq!(again.result.result_status == ResultStatus::S, want_final == "SUCCESS");
    }
}

#[tokio::test]
async fn pending_payments_settle_by_themselves() {
    let mut cfg = config();
    cfg.slow_verification = Duration::from_secs(300); // 300 ms at the test time scale
    let sim = start(cfg).await;
    let c = client(&sim);
    for (number, approved) in [("4000000000007304", true), ("4000000000007312", false)] {
        let token = bind(&sim, number).await;
        let id = new_id("slow");
        let first = pay(&c, &id, &token, usd(990)).await;
        assert_eq!(first.result.result_code, "PAYMENT_IN_PROCESS");
        assert!(matches!(first.outcome().unwrap(), PaymentOutcome::Pending { challenge_url: None, .. }));
        tokio::time::sleep(Duration::from_millis(600)).await;
        let after = inquiry(&c, &id).await.outcome().unwrap();
        assert_eq!(matches!(after, PaymentOutcome::Authorised { .. }), approved, "{number}: {after:?}");
        assert_eq!(matches!(after, PaymentOutcome::Declined { .. }), !approved, "{number}: {after:?}");
    }
}

/// Antom compares a repeat on its key fields (paymentRequestId, paymentAmount,
/// paymentMethodId): another amount, currency or card is REPEAT_REQ_INCONSISTENT; a repeat that
/// differs elsewhere (env, the description) gets the first answer.
#[tokio::test]
async fn idempotent_on_the_key_fields_only() {
    let sim = start(config()).await;
    let c = client(&sim);
    let token = bind(&sim, "4242424242424242").await;
    let other = bind(&sim, "5555555555554444").await;
    let id = new_id("idem");
    let first = pay(&c, &id, &token, usd(1000)).await;
    let again = pay(&c, &id, &token, usd(1000)).await;
    assert_eq!(first.payment_id, again.payment_id);
    assert_eq!(first.payment_result_info, again.payment_result_info);
    for changed in [
        PayRequest::card_on_file(&id, token.clone(), usd(1001), "a sale", RETURN),
        PayRequest::card_on_file(&id, other.clone(), usd(1000), "a sale", RETURN),
        PayRequest::card_on_file(&id, token.clone(), Amount::new("EUR", 1000), "a sale", RETURN),
    ] {
        let r = c.call(&changed).await.unwrap().body;
        assert_eq!(r.result.result_code, "REPEAT_REQ_INCONSISTENT");
        assert!(matches!(r.outcome(), Err(antom::outcome::MoneyReadError::Inconsistent)));
    }
    let mut other_env = PayRequest::card_on_file(&id, token.clone(), usd(1000), "another sale", RETURN);
    other_env.env =
        Some(Env { terminal_type: Some("WEB".into()), client_ip: Some("192.0.2.9".into()), ..Env::default() });
    let replay = c.call(&other_env).await.unwrap().body;
    assert_eq!(replay.result.result_code, "SUCCESS", "{replay:?}");
    assert_eq!(replay.payment_id, first.payment_id, "the original answer");
    // only one payment exists for the id
    assert_eq!(inquiry(&c, &id).await.payment_id, first.payment_id);
}

/// The SDK's lengths: paymentMethodId ≤ 128 (a cardToken may be documented longer).
#[tokio::test]
async fn a_payment_method_id_over_128_characters_is_param_illegal() {
    let sim = start(config()).await;
    let token = bind(&sim, "4111111111111111").await;
    let mut body = raw_pay(&token);
    body["paymentMethod"]["paymentMethodId"] = format!("ALIPAY{}", "x".repeat(123)).into();
    assert_eq!(body["paymentMethod"]["paymentMethodId"].as_str().unwrap().len(), 129);
    assert_eq!(raw(&sim, &body).await["result"]["resultCode"], "PARAM_ILLEGAL");
    // without env.clientIp a CARD pay is only warned about, not refused
    let body = raw_pay(&token);
    assert!(body.get("env").is_none());
    assert_eq!(raw(&sim, &body).await["result"]["resultCode"], "SUCCESS");
}

/// A card whose scheme asks for 3D Secure: a customer-initiated pay without the upgrade is
/// declined; with `enableAuthenticationUpgrade` (what the client sends on a CIT) it is
/// challenged; a merchant-initiated one is approved without 3DS.
#[tokio::test]
async fn an_sca_card_is_challenged_with_the_upgrade_and_declined_without() {
    let sim = start(config()).await;
    let c = client(&sim);
    let token = bind(&sim, "4000000000003188").await;
    let plain = raw(&sim, &raw_pay(&token)).await;
    assert_eq!(plain["result"]["resultCode"], antom_sim::cards::SCA_REQUIRED_CODE, "{plain}");
    let r = pay(&c, &new_id("sca"), &token, usd(700)).await;
    assert!(
        matches!(r.outcome().unwrap(), PaymentOutcome::Pending { challenge_url: Some(_), .. }),
        "challenged, not declined: {r:?}"
    );
    let mit = PayRequest::charge(
        new_id("mit"),
        token.clone(),
        usd(700),
        RETURN,
        ChargeDetails {
            description: "monthly".into(),
            initiator: Initiator::Merchant {
                network_transaction_id: Some("nti-1".into()),
                recurring_type: Some("SCHEDULED".into()),
            },
            ..ChargeDetails::default()
        },
    );
    assert!(c.call(&mit).await.unwrap().body.result.is_success());
}

/// Card pays are authorisations; the automatic capture follows and inquiryPayment shows it. A
/// capture that fails leaves nothing to refund.
#[tokio::test]
async fn the_capture_follows_the_authorisation_and_may_fail() {
    let sim = start(config()).await;
    let c = client(&sim);
    let good = bind(&sim, "4111111111111111").await;
    let id = new_id("cap");
    let paid = pay(&c, &id, &good, usd(800)).await;
    assert!(paid.result.is_success());
    assert!(matches!(capture_of(&c, &id).await, antom::outcome::CaptureOutcome::Captured { capture_id: Some(_), .. }));
    let bad = bind(&sim, "4000000000006249").await;
    let id = new_id("capfail");
    let paid = pay(&c, &id, &bad, usd(800)).await;
    assert!(paid.result.is_success(), "authorised");
    assert!(matches!(capture_of(&c, &id).await, antom::outcome::CaptureOutcome::Failed { .. }));
    let refund = RefundRequest {
        refund_request_id: new_id("r"),
        payment_id: paid.payment_id.unwrap(),
        refund_amount: usd(800),
        reference_refund_id: None,
        refund_reason: None,
        refund_notify_url: None,
    };
    assert_eq!(c.call(&refund).await.unwrap().body.result.result_code, "ORDER_STATUS_INVALID");
}

/// The slow-refund card's refunds are PROCESSING first (U), then succeed.
#[tokio::test]
async fn asynchronous_refunds_are_processing_first() {
    let mut cfg = config();
    cfg.slow_verification = Duration::from_secs(300); // 300 ms at the test time scale
    let sim = start(cfg).await;
    let c = client(&sim);
    let token = bind(&sim, "4000000000007387").await;
    let id = new_id("slowrefund");
    let payment_id = pay(&c, &id, &token, usd(800)).await.payment_id.unwrap();
    capture_of(&c, &id).await;
    let rid = new_id("r");
    let refund = RefundRequest {
        refund_request_id: rid.clone(),
        payment_id,
        refund_amount: usd(300),
        reference_refund_id: None,
        refund_reason: None,
        refund_notify_url: None,
    };
    let first = c.call(&refund).await.unwrap().body;
    assert_eq!(first.result.result_status, ResultStatus::U, "{first:?}");
    let q = InquiryRefundRequest { refund_request_id: Some(rid), ..Default::default() };
    assert!(matches!(c.call(&q).await.unwrap().body.outcome().unwrap(), RefundOutcome::Pending { .. }));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(matches!(c.call(&q).await.unwrap().body.outcome().unwrap(), RefundOutcome::Succeeded { .. }));
}

#[tokio::test]
async fn amounts_currencies_and_card_on_file_are_checked_as_antom_does() {
    let sim = start(config()).await;
    let token = bind(&sim, "4111111111111111").await;
    assert_eq!(raw(&sim, &raw_pay(&token)).await["result"]["resultCode"], "SUCCESS", "the base body is valid");
    // currencies without minor units and with three take integer minor units as they are
    for (cur, value) in [("JPY", "1000"), ("KRW", "15000"), ("BHD", "1250")] {
        let mut b = raw_pay(&token);
        b["paymentAmount"] = json!({ "currency": cur, "value": value });
        b["order"]["orderAmount"] = b["paymentAmount"].clone();
        assert_eq!(raw(&sim, &b).await["result"]["resultCode"], "SUCCESS", "{cur} {value}");
    }
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Change, &str)> = vec![
        ("a decimal point", Box::new(|b| b["paymentAmount"]["value"] = "10.00".into()), "PARAM_ILLEGAL"),
        ("a sign", Box::new(|b| b["paymentAmount"]["value"] = "-1000".into()), "PARAM_ILLEGAL"),
        ("zero", Box::new(|b| b["paymentAmount"]["value"] = "0".into()), "PARAM_ILLEGAL"),
        ("a leading zero", Box::new(|b| b["paymentAmount"]["value"] = "01000".into()), "PARAM_ILLEGAL"),
        ("a number, not a string", Box::new(|b| b["paymentAmount"]["value"] = 1000.into()), "PARAM_ILLEGAL"),
        ("a lower-case currency", Box::new(|b| b["paymentAmount"]["currency"] = "usd".into()), "PARAM_ILLEGAL"),
        (
            "an unknown currency",
            Box::new(|b| {
                b["paymentAmount"]["currency"] = "XYZ".into();
                b["order"]["orderAmount"]["currency"] = "XYZ".into();
            }),
            "CURRENCY_NOT_SUPPORT",
        ),
        (
            "an order amount that differs",
            Box::new(|b| b["order"]["orderAmount"]["value"] = "999".into()),
            "PARAM_ILLEGAL",
        ),
        ("no isCardOnFile", Box::new(|b| b["paymentMethod"]["paymentMethodMetaData"] = json!({})), "PARAM_ILLEGAL"),
        (
            "isCardOnFile false",
            Box::new(|b| b["paymentMethod"]["paymentMethodMetaData"]["isCardOnFile"] = false.into()),
            "PARAM_ILLEGAL",
        ),
        (
            "no paymentFactor",
            Box::new(|b| {
                b.as_object_mut().unwrap().remove("paymentFactor");
            }),
            "PARAM_ILLEGAL",
        ),
        ("manual capture", Box::new(|b| b["paymentFactor"]["captureMode"] = "MANUAL".into()), "PARAM_ILLEGAL"),
        (
            "no redirect URL",
            Box::new(|b| {
                b.as_object_mut().unwrap().remove("paymentRedirectUrl");
            }),
            "PARAM_ILLEGAL",
        ),
        ("another product", Box::new(|b| b["productCode"] = "AGREEMENT_PAYMENT".into()), "PARAM_ILLEGAL"),
        (
            "no order description",
            Box::new(|b| {
                b["order"].as_object_mut().unwrap().remove("orderDescription");
            }),
            "PARAM_ILLEGAL",
        ),
        ("a 65-character request id", Box::new(|b| b["paymentRequestId"] = "x".repeat(65).into()), "PARAM_ILLEGAL"),
        ("a lower-case merchant region", Box::new(|b| b["merchantRegion"] = "sg".into()), "PARAM_ILLEGAL"),
        ("a numeric merchant region", Box::new(|b| b["merchantRegion"] = "65".into()), "PARAM_ILLEGAL"),
    ];
    for (what, change, code) in cases {
        let mut b = raw_pay(&token);
        change(&mut b);
        assert_eq!(raw(&sim, &b).await["result"]["resultCode"], code, "{what}");
    }
}

#[tokio::test]
async fn refunds_are_capped_at_what_was_captured_and_summed() {
    let sim = start(config()).await;
    let c = client(&sim);
    let token = bind(&sim, "4111111111111111").await;
    let id = new_id("refund");
    let payment_id = pay(&c, &id, &token, usd(1000)).await.payment_id.unwrap();
    capture_of(&c, &id).await;
    let refund = |rid: &str, minor: u64| RefundRequest {
        refund_request_id: rid.into(),
        payment_id: payment_id.clone(),
        refund_amount: usd(minor),
        reference_refund_id: None,
        refund_reason: Some("returned".into()),
        refund_notify_url: None,
    };
    let r1 = new_id("r");
    let first = c.call(&refund(&r1, 300)).await.unwrap().body;
    assert!(matches!(first.outcome().unwrap(), RefundOutcome::Succeeded { .. }));
    // a replay is the same refund, not another 3.00
    let replay = c.call(&refund(&r1, 300)).await.unwrap().body;
    assert_eq!(replay.refund_id, first.refund_id);
    assert_eq!(c.call(&refund(&r1, 301)).await.unwrap().body.result.result_code, "REPEAT_REQ_INCONSISTENT");
    // 3.00 refunded: 7.01 is more than is left, 7.00 is exactly what is left
    let over = c.call(&refund(&new_id("r"), 701)).await.unwrap().body;
    assert!(
        matches!(over.outcome().unwrap(), RefundOutcome::Failed { ref code, .. } if code == "REFUND_AMOUNT_EXCEED")
    );
    let rest = c.call(&refund(&new_id("r"), 700)).await.unwrap().body;
    assert!(rest.result.is_success());
    assert_eq!(c.call(&refund(&new_id("r"), 1)).await.unwrap().body.result.result_code, "REFUND_AMOUNT_EXCEED");
    let q =
        c.call(&InquiryRefundRequest { refund_request_id: Some(r1.clone()), ..Default::default() }).await.unwrap().body;
    assert!(matches!(q.outcome().unwrap(), RefundOutcome::Succeeded { .. }));
    let unknown = c
        .call(&InquiryRefundRequest { refund_request_id: Some("nope".into()), ..Default::default() })
        .await
        .unwrap()
        .body;
    assert_eq!(unknown.outcome().unwrap(), RefundOutcome::NotFound);
    // another currency, an unknown payment
    let mut eur = refund(&new_id("r"), 1);
    eur.refund_amount = Amount::new("EUR", 1);
    assert_eq!(c.call(&eur).await.unwrap().body.result.result_code, "PARAM_ILLEGAL");
    let mut nowhere = refund(&new_id("r"), 1);
    nowhere.payment_id = "2026nope".into();
    assert_eq!(c.call(&nowhere).await.unwrap().body.result.result_code, "ORDER_NOT_EXIST");
}

#[tokio::test]
async fn cancel_only_before_settlement_and_before_a_refund() {
    let mut cfg = config();
    cfg.settlement_delay = Duration::from_millis(400);
    let sim = start(cfg).await;
    let c = client(&sim);
    let token = bind(&sim, "4111111111111111").await;
    let id = new_id("cancel");
    pay(&c, &id, &token, usd(1000)).await;
    let cancel = CancelRequest { payment_request_id: Some(id.clone()), ..Default::default() };
    assert!(c.call(&cancel).await.unwrap().body.result.is_success());
    assert!(c.call(&cancel).await.unwrap().body.result.is_success(), "cancelling twice is one cancel");
    assert!(matches!(inquiry(&c, &id).await.outcome().unwrap(), PaymentOutcome::Cancelled { .. }));
    // a cancelled payment cannot be refunded
    let pid = inquiry(&c, &id).await.payment_id.unwrap();
    let r = RefundRequest {
        refund_request_id: new_id("r"),
        payment_id: pid,
        refund_amount: usd(1),
        reference_refund_id: None,
        refund_reason: None,
        refund_notify_url: None,
    };
    assert_eq!(c.call(&r).await.unwrap().body.result.result_code, "ORDER_STATUS_INVALID");
    // once settled, only a refund
    let settled = new_id("settled");
    pay(&c, &settled, &token, usd(1000)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let late = c.call(&CancelRequest { payment_request_id: Some(settled), ..Default::default() }).await.unwrap().body;
    assert_eq!(late.result.result_code, "ORDER_STATUS_INVALID");
    let unknown =
        c.call(&CancelRequest { payment_id: Some("2026nope".into()), ..Default::default() }).await.unwrap().body;
    assert_eq!(unknown.result.result_code, "ORDER_NOT_EXIST");
}

#[tokio::test]
async fn a_deleted_token_can_no_longer_be_charged() {
    let sim = start(config()).await;
    let c = client(&sim);
    let token = bind(&sim, "4111111111111111").await;
    let inquire = InquireTokenRequest { token: token.clone(), merchant_account_id: MERCHANT_ACCOUNT.into() };
    let q = c.call(&inquire).await.unwrap().body;
    assert!(q.result.is_success());
    assert_eq!(q.token.as_ref().map(|t| t.expose().clone()), Some(token.expose().clone()), "the flat answer");
    assert!(pay(&c, &new_id("before"), &token, usd(100)).await.result.is_success());
    let del = DeleteTokenRequest { token: token.clone(), merchant_account_id: MERCHANT_ACCOUNT.into() };
    assert!(c.call(&del).await.unwrap().body.result.is_success());
    assert!(c.call(&del).await.unwrap().body.result.is_success(), "deleting again is still deleted");
    let after = pay(&c, &new_id("after"), &token, usd(100)).await;
    assert_eq!(after.result.result_code, "INVALID_PAYMENT_METHOD_ID");
    assert!(matches!(after.outcome().unwrap(), PaymentOutcome::Declined { .. }));
    let q = c.call(&inquire).await.unwrap().body;
    assert!(q.result.is_success() && q.token.is_none(), "no token any more: {q:?}");
    let never = DeleteTokenRequest {
        token: antom::Sensitive::new("ALIPAYnever".into()),
        merchant_account_id: MERCHANT_ACCOUNT.into(),
    };
    assert_eq!(c.call(&never).await.unwrap().body.result.result_code, "INVALID_PAYMENT_METHOD_ID");
}

/// deleteToken and inquireToken require merchantAccountId (≤ 64) and cap `token` at 255.
#[tokio::test]
async fn the_token_apis_require_the_merchant_account() {
    let sim = start(config()).await;
    let token = bind(&sim, "4111111111111111").await;
    let sim = &sim;
    for path in ["/ams/sandbox/api/v1/vaults/deleteToken", "/ams/sandbox/api/v1/vaults/inquireToken"] {
        let post = |body: Value| async move {
            let r = signed_post(sim, path, &antom::client::request_time_now(), &body.to_string()).await;
            r.json::<Value>().await.unwrap()["result"]["resultCode"].as_str().unwrap().to_string()
        };
        assert_eq!(post(json!({ "token": token.expose() })).await, "PARAM_ILLEGAL", "{path}: no account");
        assert_eq!(
            post(json!({ "token": token.expose(), "merchantAccountId": "1".repeat(65) })).await,
            "PARAM_ILLEGAL",
            "{path}: 65 characters"
        );
        assert_eq!(
            post(json!({ "token": "A".repeat(256), "merchantAccountId": MERCHANT_ACCOUNT })).await,
            "PARAM_ILLEGAL",
            "{path}: a 256-character token"
        );
    }
    // and it is still there: none of those deleted it
    let c = client(sim);
    assert!(pay(&c, &new_id("still"), &token, usd(100)).await.result.is_success());
}

#[tokio::test]
async fn fault_switches_reach_the_payment_endpoints() {
    let sim = start(config()).await;
    let c = client_for(&sim, CLIENT, 3);
    let token = bind(&sim, "4111111111111111").await;
    let id = new_id("fault");
    // the first refund attempt answers U; the client sends the same refundRequestId again
    let pid = pay(&c, &id, &token, usd(1000)).await.payment_id.unwrap();
    capture_of(&c, &id).await;
    sim.set_faults(antom_sim::faults::Faults {
        unknown_exception: 1,
        only_endpoint: Some("refund".into()),
        ..Default::default()
    });
    let r = RefundRequest {
        refund_request_id: new_id("r"),
        payment_id: pid,
        refund_amount: usd(1000),
        reference_refund_id: None,
        refund_reason: None,
        refund_notify_url: None,
    };
    let resp = c.call(&r).await.unwrap();
    assert_eq!(resp.attempts, 2);
    assert!(resp.body.result.is_success());
    // a dropped connection after a pay: the same request again finds the one payment
    sim.set_faults(antom_sim::faults::Faults {
        drop_connection: 1,
        only_endpoint: Some("pay".into()),
        ..Default::default()
    });
    let id2 = new_id("dropped");
    let req = PayRequest::card_on_file(&id2, token.clone(), usd(700), "a sale", RETURN);
    let single = client(&sim);
    assert!(single.call(&req).await.is_err());
    let again = single.call(&req).await.unwrap().body;
    assert!(again.result.is_success());
    assert_eq!(inquiry(&single, &id2).await.payment_id, again.payment_id);
}

#[derive(Clone, Default)]
struct Got(Arc<Mutex<Vec<Value>>>);

async fn on_notify(
    State((got, key)): State<(Got, antom::PublicKey)>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> String {
    let path = uri.path_and_query().unwrap().as_str().to_string();
    let lookup = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    let any: Value = antom::notify::verify_as(&key, CLIENT, &path, lookup, &body).expect("a verified notification");
    let v: Value = if NotificationKind::of(&any) == NotificationKind::Capture {
        let n: NotifyCapture = serde_json::from_value(any).expect("a notifyCapture");
        serde_json::to_value(n).unwrap()
    } else if path.contains("refund") {
        let n: NotifyRefund =
            antom::notify::verify_as(&key, CLIENT, &path, lookup, &body).expect("a verified notifyRefund");
        assert!(matches!(n.outcome().unwrap(), RefundOutcome::Succeeded { .. }));
        serde_json::to_value(n).unwrap()
    } else {
        let n: NotifyPayment =
            antom::notify::verify_as(&key, CLIENT, &path, lookup, &body).expect("a verified notifyPayment");
        serde_json::to_value(n).unwrap()
    };
    got.0.lock().unwrap().push(v);
    NOTIFY_ACK_BODY.into()
}

#[tokio::test]
async fn payments_and_refunds_are_notified_signed() {
    let sim = start(config()).await;
    let c = client(&sim);
    let got = Got::default();
    let app = Router::new()
        .route("/antom/pay", post(on_notify))
        .route("/antom/refund", post(on_notify))
        .with_state((got.clone(), sim.antom_public_key()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let token = bind(&sim, "4111111111111111").await;
    let id = new_id("notified");
    let mut req = PayRequest::card_on_file(&id, token.clone(), usd(1500), "a sale", RETURN);
    req.payment_notify_url = Some(format!("{base}/antom/pay"));
    let payment_id = c.call(&req).await.unwrap().body.payment_id.unwrap();
    capture_of(&c, &id).await;
    let refund = RefundRequest {
        refund_request_id: new_id("r"),
        payment_id: payment_id.clone(),
        refund_amount: usd(500),
        reference_refund_id: None,
        refund_reason: None,
        refund_notify_url: Some(format!("{base}/antom/refund")),
    };
    assert!(c.call(&refund).await.unwrap().body.result.is_success());
    // a slow issuer's payment: PAYMENT_PENDING first, the result when it comes
    let slow = bind(&sim, "4000000000007304").await;
    let slow_id = new_id("pending");
    let mut req = PayRequest::card_on_file(&slow_id, slow, usd(100), "a sale", RETURN);
    req.payment_notify_url = Some(format!("{base}/antom/pay"));
    assert_eq!(c.call(&req).await.unwrap().body.result.result_code, "PAYMENT_IN_PROCESS");
    wait_until("the notifications", || got.0.lock().unwrap().len() >= 4).await;
    let all = got.0.lock().unwrap().clone();
    let capture = all.iter().find(|v| v["notifyType"] == "CAPTURE_RESULT").expect("notifyCapture");
    assert_eq!(capture["paymentId"], Value::from(payment_id.clone()));
    assert_eq!(capture["captureAmount"]["value"], "1500");
    assert_eq!(capture["result"]["resultStatus"], "S");
    let pending = all.iter().find(|v| v["notifyType"] == "PAYMENT_PENDING").expect("PAYMENT_PENDING");
    assert_eq!(pending["paymentRequestId"], Value::from(slow_id));
    let payment =
        all.iter().find(|v| v.get("paymentRequestId").is_some_and(|p| p == &Value::from(id.clone()))).unwrap();
    assert_eq!(payment["notifyType"], "PAYMENT_RESULT");
    assert_eq!(payment["paymentAmount"]["value"], "1500");
    let refunded = all.iter().find(|v| v.get("refundRequestId").is_some()).unwrap();
    assert_eq!(refunded["refundAmount"]["value"], "500");
    assert_eq!(refunded["paymentId"], Value::from(payment_id));
}
