//! Shared test set-up: a simulator on loopback, a merchant key registered with it, and an Antom
//! client pointed at it over real HTTP.
#![allow(dead_code)]

use antom::model::*;
use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, ClientConfig, Gateway, MerchantPrivateKey, RetryPolicy};
use antom_sim::{SimConfig, SimHandle, Simulator};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

pub fn merchant_key() -> &'static MerchantPrivateKey {
    cardbind_testkit::test_key(0)
}

pub fn antom_key() -> &'static MerchantPrivateKey {
    cardbind_testkit::test_key(1)
}

pub const CLIENT: &str = "SANDBOX_5X00000000000000";
pub const PROD_CLIENT: &str = "2188120000000001";

pub fn config() -> SimConfig {
    let mut c = SimConfig::new(antom_key().clone())
        .with_client(CLIENT, merchant_key().public_key())
        .with_client(PROD_CLIENT, merchant_key().public_key());
    c.time_scale = 0.001;
    c
}

pub async fn start(config: SimConfig) -> SimHandle {
    Simulator::start(config).await.unwrap()
}

pub fn client_for(sim: &SimHandle, client_id: &str, attempts: u32) -> AntomClient {
    let mut cfg = ClientConfig::new(
        Gateway::custom(sim.base_url()).unwrap(),
        client_id,
        merchant_key().clone(),
        sim.antom_public_key(),
    );
    cfg.retry = RetryPolicy {
        max_attempts: attempts,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
    };
    let t = ReqwestTransport::new(Timeouts { connect: Duration::from_secs(2), total: Duration::from_secs(10) }, false)
        .unwrap();
    AntomClient::new(cfg, Arc::new(t))
}

pub fn client(sim: &SimHandle) -> AntomClient {
    client_for(sim, CLIENT, 1)
}

pub fn new_id(tag: &str) -> String {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    format!("vr-{tag}-{}-{}", std::process::id(), N.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
}

pub async fn create(c: &AntomClient, id: &str, notify_url: &str) -> CreateVaultingSessionResponse {
    let resp = c.call(&CreateVaultingSessionRequest::card(id, notify_url)).await.unwrap().body;
    assert!(resp.result.is_success(), "{:?}", resp.result);
    resp
}

pub async fn inquire(c: &AntomClient, id: &str) -> InquireVaultingResponse {
    c.call(&InquireVaultingRequest { vaulting_request_id: id.into(), merchant_account_id: None }).await.unwrap().body
}

/// The element page's own call, as the buyer's browser makes it.
pub async fn submit(sim: &SimHandle, session_data: &str, number: &str, cvv: &str) -> Value {
    let token = session_data.split("&&").next().unwrap();
    post_element(
        sim,
        "submit",
        json!({
            "token": token,
            "card": { "number": number, "expiryMonth": "12", "expiryYear": "34", "cvv": cvv, "holderName": "Ana Souza" }
        }),
    )
    .await
}

pub async fn challenge(sim: &SimHandle, session_data: &str, code: &str, approve: bool) -> Value {
    let token = session_data.split("&&").next().unwrap();
    post_element(sim, "challenge", json!({ "token": token, "code": code, "approve": approve })).await
}

pub async fn post_element(sim: &SimHandle, api: &str, body: Value) -> Value {
    cardbind_testkit::element_call(sim.base_url(), api, body).await
}

/// POST a hand-made body to the simulator, signed as the merchant would sign it with the given
/// request time (for bodies and times the typed client would never send).
pub async fn signed_post(sim: &SimHandle, path: &str, time: &str, body: &str) -> reqwest::Response {
    let sig = antom::signature::sign(merchant_key(), path, CLIENT, time, body.as_bytes(), "1");
    reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{path}", sim.base_url()))
        .header("client-id", CLIENT)
        .header("request-time", time)
        .header("signature", sig.to_header_value())
        .body(body.to_string())
        .send()
        .await
        .unwrap()
}

pub async fn wait_until<F: Fn() -> bool>(what: &str, f: F) {
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while !f() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A simulator with one vaulting of interest.
pub struct Simulated {
    pub sim: SimHandle,
    pub id: String,
}
