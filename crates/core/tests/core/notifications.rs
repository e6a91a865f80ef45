//! The notification listener as Antom meets it (crates/core/src/flows/listener.rs): signed
//! bodies posted over loopback to the real server, dispatched by `notifyType`: notifyCapture
//! moves a payment to CAPTURED, a type cardbind does not act on is acknowledged, the ack is
//! JSON, a signature over the path alone is accepted, and what is too large is refused.

use crate::support::*;
use antom::model::NOTIFY_ACK_BODY;
use cardbind_core::flows::{FlowOptions, Flows};
use std::sync::Arc;
use std::time::Duration;

const PATH: &str = "/antom/notify?shop=1";

/// A world whose payments name the listener as `paymentNotifyUrl` (the simulator posts there),
/// and the listener, started on that address.
async fn listening() -> (World, Arc<Flows>, cardbind_core::flows::listener::ListenerHandle) {
    let (addr, url) = notify_address(PATH);
    let w = world_with(sim_config(), &url).await;
    let options = FlowOptions {
        notification_url: url.clone(),
        redirect_url: "https://merchant.example/return".into(),
        notify_url: Some(url.clone()),
        merchant_account_id: Some(MERCHANT_ACCOUNT.into()),
        poll: Some(POLL),
        ..Default::default()
    };
    let flows = Arc::new(Flows::new(w.till.clone(), &options));
    let l = cardbind_core::flows::listener::start(addr, &url, flows.clone(), antom_key().public_key(), CLIENT.into())
        .await
        .unwrap();
    (w, flows, l)
}

async fn bound(w: &World, number: &str) -> i64 {
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, number).await;
    w.flow.wait_for_result(s.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap()
}

fn charge(card_id: i64, minor: i64) -> cardbind_core::flows::payments::ChargeInput {
    cardbind_core::flows::payments::ChargeInput {
        card_id,
        amount: minor,
        currency: "USD".into(),
        description: "A sale".into(),
        reference: None,
        customer_present: true,
        device: None,
        charge_key: None,
    }
}

async fn post_signed(addr: std::net::SocketAddr, signed: &str, body: &str) -> (u16, Option<String>, String) {
    post_notification(addr, PATH, signed, body).await
}

fn state_of(w: &World, id: i64) -> String {
    let conn = cardbind_core::db::lock(&w.db);
    conn.query_row("SELECT state FROM payments WHERE id = ?1", [id], |r| r.get(0)).unwrap()
}

/// A signed CAPTURE_RESULT for a payment of ours is acknowledged with HTTP 200 and the JSON ack,
/// and moves the payment from AUTHORISED to CAPTURED.
#[tokio::test]
async fn a_signed_capture_result_is_acknowledged_and_captures_the_payment() {
    let (w, flows, l) = listening().await;
    // this payment names no notification address: only the hand-made notifyCapture reaches us
    let quiet = w.payments();
    let card = bound(&w, "4111111111111111").await;
    let p = quiet.payments.charge(&charge(card, 1250), None).await.unwrap();
    assert_eq!(state_of(&w, p.id), "AUTHORISED");
    let body = serde_json::json!({
        "notifyType": "CAPTURE_RESULT",
        "result": { "resultCode": "SUCCESS", "resultStatus": "S", "resultMessage": "success" },
        "captureRequestId": "auto-1",
        "paymentId": p.payment_id.clone().unwrap(),
        "captureId": "C-42",
        "captureAmount": { "currency": "USD", "value": "1250" },
        "captureTime": "2026-12-07T10:00:00+08:00",
    })
    .to_string();
    let (status, kind, text) = post_signed(l.addr, PATH, &body).await;
    assert_eq!((status, text.as_str()), (200, NOTIFY_ACK_BODY));
    assert_eq!(kind.as_deref(), Some("application/json"));
    assert_eq!(state_of(&w, p.id), "CAPTURED");
    let capture_id: String = cardbind_core::db::lock(&w.db)
        .query_row("SELECT capture_id FROM payments WHERE id = ?1", [p.id], |r| r.get(0))
        .unwrap();
    assert_eq!(capture_id, "C-42");
    // the same notification again changes nothing and is acknowledged again
    assert_eq!(post_signed(l.addr, PATH, &body).await.0, 200);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'payment.captured'"), 1);
    let _ = flows;
}

/// The simulator's own notifications (notifyPayment, then notifyCapture after the automatic
/// capture) bring a charge to CAPTURED without any polling.
#[tokio::test]
async fn antoms_notifications_capture_a_charge_without_polling() {
    let (w, flows, _l) = listening().await;
    let card = bound(&w, "4111111111111111").await;
    let p = flows.payments.charge(&charge(card, 990), None).await.unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while state_of(&w, p.id) != "CAPTURED" {
        assert!(std::time::Instant::now() < deadline, "never captured: {}", state_of(&w, p.id));
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while !w
        .sim
        .notifications()
        .iter()
        .any(|n| n.request_id.starts_with("auto-capture-") && n.outcome == "ACKNOWLEDGED")
    {
        assert!(std::time::Instant::now() < deadline, "notifyCapture not acknowledged: {:?}", w.sim.notifications());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A verified notification of a type cardbind does not act on (a dispute, an amount update) is
/// acknowledged, not answered 500 for a day of resends; About lists it by type and ids.
#[tokio::test]
async fn a_signed_notification_of_another_type_is_acknowledged() {
    let (_w, _flows, l) = listening().await;
    let dispute = r#"{"disputeNotificationType":"DISPUTE_CREATED","disputeId":"D-1","paymentId":"P-9","result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#;
    let (status, kind, text) = post_signed(l.addr, PATH, dispute).await;
    assert_eq!((status, kind.as_deref(), text.as_str()), (200, Some("application/json"), NOTIFY_ACK_BODY));
    let update = r#"{"notifyType":"UPDATE_AMOUNT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"P-8"}"#;
    assert_eq!(post_signed(l.addr, PATH, update).await.0, 200);
    let seen = l.status().unhandled;
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert_eq!(seen[0].notify_type, "UPDATE_AMOUNT_RESULT");
    assert_eq!(seen[1].notify_type, "DISPUTE/DISPUTE_CREATED");
    assert!(seen[1].ids.contains(&"disputeId=D-1".to_string()), "{seen:?}");
}

/// Whether Antom signs the notify URL's query is UNCONFIRMED: a signature over the path alone
/// verifies too; one over another path does not.
#[tokio::test]
async fn a_signature_over_the_path_alone_is_accepted() {
    let (_w, _flows, l) = listening().await;
    let body = r#"{"notifyType":"UPDATE_AMOUNT_RESULT","result":{"resultCode":"SUCCESS","resultStatus":"S"}}"#;
    assert_eq!(post_signed(l.addr, "/antom/notify", body).await.0, 200);
    assert_eq!(post_signed(l.addr, "/antom/other", body).await.0, 401);
}

/// A body above the listener's limit is refused before anything reads it.
#[tokio::test]
async fn a_body_above_the_limit_is_refused() {
    let (_w, _flows, l) = listening().await;
    let big = format!(r#"{{"pad":"{}"}}"#, "x".repeat(cardbind_core::flows::listener::BODY_LIMIT + 1));
    assert_eq!(post_signed(l.addr, PATH, &big).await.0, 413);
}
