//! Where Antom's official SDKs and API pages are clear, the simulator is as strict as Antom:
//! client ids and paths go together, signature values are URL-decoded as every official verifier
//! does, unknown vaultings still echo their id, failure notifications carry the payment method,
//! URL fields take what Antom's own examples send, and a repeated request id is compared on
//! every field.

mod common;

use antom::model::*;
use axum::body::Bytes;
use axum::extract::State;
use axum::routing::post;
use axum::Router;
use base64::Engine as _;
use common::*;
use serde_json::Value;
use std::sync::{Arc, Mutex};

const NOTIFY: &str = "https://merchant.example/antom/notify";

/// POST a body signed by `client_id` over `path`, with a header value built by `header`.
async fn post_as(
    sim: &antom_sim::SimHandle,
    client_id: &str,
    path: &str,
    body: &str,
    header: impl Fn(&antom::signature::SignatureHeader) -> String,
) -> Value {
    let time = antom::client::request_time_now();
    let sig = antom::signature::sign(merchant_key(), path, client_id, &time, body.as_bytes(), "1");
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{path}", sim.base_url()))
        .header("client-id", client_id)
        .header("request-time", &time)
        .header("signature", header(&sig))
        .body(body.to_string())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn encoded(h: &antom::signature::SignatureHeader) -> String {
    h.to_header_value()
}

#[tokio::test]
async fn a_client_id_is_served_only_on_its_own_paths() {
    let sim = start(config()).await;
    let body = r#"{"vaultingRequestId":"nope"}"#;
    // the pairs every official SDK sends
    let ok = post_as(&sim, CLIENT, "/ams/sandbox/api/v1/vaults/inquireVaulting", body, encoded).await;
    assert_eq!(ok["result"]["resultCode"], "VAULTING_NOT_EXIST");
    let ok = post_as(&sim, PROD_CLIENT, "/ams/api/v1/vaults/inquireVaulting", body, encoded).await;
    assert_eq!(ok["result"]["resultCode"], "VAULTING_NOT_EXIST");
    // and the pairs none sends, correctly signed over the path requested
    for (client, path) in
        [(CLIENT, "/ams/api/v1/vaults/inquireVaulting"), (PROD_CLIENT, "/ams/sandbox/api/v1/vaults/inquireVaulting")]
    {
        let refused = post_as(&sim, client, path, body, encoded).await;
        assert_eq!(refused["result"]["resultCode"], "INVALID_CLIENT", "{client} on {path}");
        assert_eq!(refused["result"]["resultStatus"], "F");
    }
}

#[tokio::test]
async fn a_signature_value_that_is_not_url_encoded_is_refused() {
    let sim = start(config()).await;
    let path = "/ams/sandbox/api/v1/vaults/inquireVaulting";
    // find a request whose signature's base64 has a `+` (URL-decoding turns it into a space)
    for i in 0..100 {
        let body = format!(r#"{{"vaultingRequestId":"plus-{i}"}}"#);
        let raw = |h: &antom::signature::SignatureHeader| {
            format!(
                "algorithm=RSA256,keyVersion=1,signature={}",
                base64::engine::general_purpose::STANDARD.encode(&h.signature)
            )
        };
        let time = antom::client::request_time_now();
        let sig = antom::signature::sign(merchant_key(), path, CLIENT, &time, body.as_bytes(), "1");
        if !raw(&sig).contains('+') {
            continue;
        }
        let v = post_as(&sim, CLIENT, path, &body, raw).await;
        assert_eq!(v["result"]["resultCode"], "INVALID_SIGNATURE", "a raw base64 value with + fails at Antom");
        let v = post_as(&sim, CLIENT, path, &body, encoded).await;
        assert_eq!(v["result"]["resultCode"], "VAULTING_NOT_EXIST", "the URL-encoded value is fine");
        return;
    }
    panic!("no signature with a + in 100 tries");
}

#[tokio::test]
async fn an_unknown_vaulting_still_echoes_its_request_id() {
    let sim = start(config()).await;
    let r = inquire(&client(&sim), "never-created-42").await;
    assert_eq!(r.result.result_code, "VAULTING_NOT_EXIST");
    assert_eq!(r.vaulting_request_id.as_deref(), Some("never-created-42"), "vaultingRequestId is REQUIRED");
}

#[tokio::test]
async fn url_fields_take_what_antoms_examples_send() {
    let sim = start(config()).await;
    let c = client(&sim);
    for url in ["www.test.com", "https://merchant.example/n?x=1", "http://127.0.0.1:9/n"] {
        let r = c.call(&CreateVaultingSessionRequest::card(new_id("url"), url)).await.unwrap().body;
        assert_eq!(r.result.result_code, "SUCCESS", "{url}");
    }
    for url in ["ftp://x", "javascript:alert(1)", "www.test.com/with space"] {
        let r = c.call(&CreateVaultingSessionRequest::card(new_id("url"), url)).await.unwrap().body;
        assert_eq!(r.result.result_code, "PARAM_ILLEGAL", "{url}");
    }
}

#[tokio::test]
async fn a_repeated_request_id_is_compared_on_every_field() {
    let sim = start(config()).await;
    let c = client(&sim);
    let id = new_id("same");
    let first = c.call(&CreateVaultingSessionRequest::card(&id, NOTIFY)).await.unwrap().body;
    assert_eq!(first.result.result_code, "SUCCESS");
    let same = c.call(&CreateVaultingSessionRequest::card(&id, NOTIFY)).await.unwrap().body;
    assert_eq!(same.vaulting_session_id, first.vaulting_session_id, "the same request: the same answer");
    let changes: Vec<(&str, CreateVaultingSessionRequest)> = vec![
        (
            "redirectUrl",
            CreateVaultingSessionRequest {
                redirect_url: Some("https://m.example/r".into()),
                ..CreateVaultingSessionRequest::card(&id, NOTIFY)
            },
        ),
        (
            "merchantRegion",
            CreateVaultingSessionRequest {
                merchant_region: Some("SG".into()),
                ..CreateVaultingSessionRequest::card(&id, NOTIFY)
            },
        ),
        (
            "is3DSAuthentication",
            CreateVaultingSessionRequest {
                is_3ds_authentication: Some(true),
                ..CreateVaultingSessionRequest::card(&id, NOTIFY)
            },
        ),
        ("vaultingNotificationUrl", CreateVaultingSessionRequest::card(&id, "https://other.example/n")),
    ];
    for (field, req) in changes {
        let r = c.call(&req).await.unwrap().body;
        assert_eq!(r.result.result_code, "REPEAT_REQ_INCONSISTENT", "{field} changed");
    }
}

#[derive(Clone, Default)]
struct Bodies(Arc<Mutex<Vec<Value>>>);

async fn keep(State(b): State<Bodies>, body: Bytes) -> &'static str {
    b.0.lock().unwrap().push(serde_json::from_slice(&body).unwrap());
    NOTIFY_ACK_BODY
}

#[tokio::test]
async fn failure_notifications_carry_the_payment_method() {
    let sim = start(config()).await;
    let bodies = Bodies::default();
    let app = Router::new().route("/n", post(keep)).with_state(bodies.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/n", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let c = client(&sim);
    let id = new_id("declined");
    let session = create(&c, &id, &url).await.vaulting_session_data.unwrap();
    submit(&sim, &session, "4000000000000069", "123").await; // declined: CARD_EXPIRED
    wait_until("the notification", || !bodies.0.lock().unwrap().is_empty()).await;
    let n = bodies.0.lock().unwrap()[0].clone();
    assert_eq!(n["result"]["resultStatus"], "F");
    assert_eq!(n["vaultingStatus"], "FAIL");
    assert_eq!(n["paymentMethodDetail"]["paymentMethodType"], "CARD", "{n}");
    assert!(n["paymentMethodDetail"]["card"]["cardToken"].is_null(), "no token for a card that was not bound: {n}");
    let parsed: NotifyVaulting = serde_json::from_value(n).unwrap();
    assert!(parsed.payment_method_detail.is_some());
}
