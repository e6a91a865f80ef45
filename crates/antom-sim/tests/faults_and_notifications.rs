//! Every fault switch, and notifyVaulting: signed as Antom signs, verified by a real loopback
//! listener with crates/antom, resent on the (scaled) schedule until acknowledged.

mod common;

use antom::model::*;
use antom::AntomError;
use antom_sim::faults::Faults;
use antom_sim::RESEND_SCHEDULE_SECS;
use axum::body::Bytes;
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use common::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const NOTIFY: &str = "https://merchant.example/antom/notify";

#[tokio::test]
async fn http_5xx_and_unknown_exception_are_retried_to_success() {
    let sim = start(config()).await;
    let c = client_for(&sim, CLIENT, 4);
    sim.set_faults(Faults { http_5xx: 1, unknown_exception: 1, ..Faults::default() });
    let id = new_id("retry");
    let r = c.call(&CreateVaultingSessionRequest::card(&id, NOTIFY)).await.unwrap();
    assert_eq!(r.attempts, 3, "503, then UNKNOWN_EXCEPTION, then success");
    assert!(r.body.result.is_success());
    assert_eq!(sim.faults(), Faults::default(), "the switches counted down");

    // with no retries left the unknown result reaches the caller
    let c1 = client_for(&sim, CLIENT, 1);
    sim.set_faults(Faults { unknown_exception: 1, ..Faults::default() });
    let r =
        c1.call(&InquireVaultingRequest { vaulting_request_id: id.clone(), merchant_account_id: None }).await.unwrap();
    assert_eq!(r.body.result.result_code, "UNKNOWN_EXCEPTION");
    assert_eq!(r.body.result.class(), ResultClass::RetrySame);
    sim.set_faults(Faults { http_5xx: 1, ..Faults::default() });
    assert!(matches!(
        c1.call(&InquireVaultingRequest { vaulting_request_id: id, merchant_account_id: None }).await,
        Err(AntomError::HttpStatus { status: 503, .. })
    ));
}

#[tokio::test]
async fn a_dropped_connection_after_processing_is_retried_idempotently() {
    let sim = start(config()).await;
    let c = client_for(&sim, CLIENT, 3);
    sim.set_faults(Faults { drop_connection: 1, ..Faults::default() });
    let id = new_id("drop");
    let r = c.call(&CreateVaultingSessionRequest::card(&id, NOTIFY)).await.unwrap();
    assert_eq!(r.attempts, 2);
    // the first, dropped, attempt had created the session; the retry got that same session
    let again = c.call(&CreateVaultingSessionRequest::card(&id, NOTIFY)).await.unwrap();
    assert_eq!(again.body.vaulting_session_id, r.body.vaulting_session_id);

    let c1 = client_for(&sim, CLIENT, 1);
    sim.set_faults(Faults { drop_connection: 1, ..Faults::default() });
    let err =
        c1.call(&InquireVaultingRequest { vaulting_request_id: id, merchant_account_id: None }).await.unwrap_err();
    assert!(matches!(err, AntomError::Transport { .. }), "{err:?}");
}

#[tokio::test]
async fn a_wrongly_signed_response_is_rejected_not_retried() {
    let sim = start(config()).await;
    let c = client_for(&sim, CLIENT, 3);
    sim.set_faults(Faults { bad_signature: 1, ..Faults::default() });
    let err = c.call(&CreateVaultingSessionRequest::card(new_id("badsig"), NOTIFY)).await.unwrap_err();
    assert!(matches!(err, AntomError::ResponseSignature(antom::signature::SignatureError::Mismatch)), "{err:?}");
    assert_eq!(sim.faults().bad_signature, 0);
}

#[tokio::test]
async fn latency_and_endpoint_filter() {
    let sim = start(config()).await;
    let c = client(&sim);
    let id = new_id("lat");
    sim.set_faults(Faults {
        latency_ms: 300,
        http_5xx: 1,
        only_endpoint: Some("inquireVaulting".into()),
        ..Faults::default()
    });
    let t = Instant::now();
    create(&c, &id, NOTIFY).await; // not inquireVaulting: no latency, no 5xx consumed
    assert!(t.elapsed() < Duration::from_millis(300));
    assert_eq!(sim.faults().http_5xx, 1);
    let t = Instant::now();
    assert!(c.call(&InquireVaultingRequest { vaulting_request_id: id, merchant_account_id: None }).await.is_err());
    assert!(t.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn faults_can_be_set_over_the_admin_endpoint() {
    let sim = start(config()).await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let set: serde_json::Value = http
        .post(format!("{}/sim/faults", sim.base_url()))
        .json(&serde_json::json!({ "unknownException": 2 }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(set["unknownException"], 2);
    assert_eq!(sim.faults().unknown_exception, 2);
    let cards: serde_json::Value =
        http.get(format!("{}/sim/test-cards", sim.base_url())).send().await.unwrap().json().await.unwrap();
    assert!(cards.as_array().unwrap().len() >= 20);
    let key = http.get(format!("{}/sim/antom-public-key", sim.base_url())).send().await.unwrap().text().await.unwrap();
    assert_eq!(antom::PublicKey::parse(key.as_bytes()).unwrap(), sim.antom_public_key());
}

// ---------------------------------------------------------------------------------------------
// notifications

#[derive(Clone)]
struct Listener {
    /// Verified notifications: (vaultingRequestId, resultCode, has card token).
    got: Arc<Mutex<Vec<(String, String, bool)>>>,
    rejected: Arc<Mutex<u32>>,
    ack: Arc<Mutex<bool>>,
    antom_public_key: antom::PublicKey,
    client_id: String,
}

async fn on_notify(
    State(l): State<Listener>,
    uri: OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let path = uri.path_and_query().unwrap().as_str().to_string();
    let lookup = |n: &str| headers.get(n).and_then(|v| v.to_str().ok());
    match antom::notify::verify_notification(&l.antom_public_key, &l.client_id, &path, lookup, &body) {
        Ok(n) => {
            let token = n.payment_method_detail.and_then(|d| d.card).and_then(|c| c.card_token).is_some();
            l.got.lock().unwrap().push((n.vaulting_request_id, n.result.result_code, token));
            if *l.ack.lock().unwrap() {
                (StatusCode::OK, NOTIFY_ACK_BODY.into())
            } else {
                (StatusCode::INTERNAL_SERVER_ERROR, "not now".into())
            }
        }
        Err(_) => {
            *l.rejected.lock().unwrap() += 1;
            (StatusCode::BAD_REQUEST, "bad signature".into())
        }
    }
}

async fn listen(sim: &antom_sim::SimHandle, ack: bool) -> (Listener, String) {
    listen_for(sim, CLIENT, ack).await
}

async fn listen_for(sim: &antom_sim::SimHandle, client_id: &str, ack: bool) -> (Listener, String) {
    let l = Listener {
        client_id: client_id.into(),
        got: Default::default(),
        rejected: Default::default(),
        ack: Arc::new(Mutex::new(ack)),
        antom_public_key: sim.antom_public_key(),
    };
    let app = Router::new().route("/antom/notify", post(on_notify)).with_state(l.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/antom/notify?shop=7", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (l, url)
}

async fn bind_card(sim: &antom_sim::SimHandle, client_id: &str, url: &str, number: &str) -> String {
    let c = client_for(sim, client_id, 1);
    let id = new_id("notify");
    let session = create(&c, &id, url).await.vaulting_session_data.unwrap();
    submit(sim, &session, number, "123").await;
    id
}

fn production_config() -> antom_sim::SimConfig {
    // notification tests register the listener's client as a production (non-SANDBOX_) id so the
    // resend schedule applies; CLIENT is reused as the id the listener expects.
    let mut c = config();
    c.time_scale = 0.00005; // the 24 h schedule in about 4.4 s
    c
}

#[tokio::test]
async fn notifications_are_signed_verified_and_acknowledged() {
    let sim = start(production_config()).await;
    let (l, url) = listen(&sim, true).await;
    let ok = bind_card(&sim, CLIENT, &url, "4111111111111111").await;
    let declined = bind_card(&sim, CLIENT, &url, "4000000000000069").await;
    wait_until("two notifications", || l.got.lock().unwrap().len() == 2).await;
    let got = l.got.lock().unwrap().clone();
    assert!(got.contains(&(ok.clone(), "SUCCESS".into(), true)), "{got:?}");
    assert!(got.contains(&(declined.clone(), "CARD_EXPIRED".into(), false)), "{got:?}");
    assert_eq!(*l.rejected.lock().unwrap(), 0, "every signature verified over the path and query");
    // the simulator records an acknowledgement once the listener's answer is back, a moment
    // after the listener has seen the notification
    wait_until("two acknowledgements in the log", || {
        sim.notifications().iter().filter(|a| a.outcome == "ACKNOWLEDGED").count() == 2
    })
    .await;
}

#[tokio::test]
async fn unacknowledged_notifications_follow_antoms_schedule_except_in_sandbox() {
    let prod = "2188120000000009";
    let sim = start(production_config().with_client(prod, merchant_key().public_key())).await;
    let (l, url) = listen_for(&sim, prod, false).await;
    let id = bind_card(&sim, prod, &url, "4111111111111111").await;
    let n = RESEND_SCHEDULE_SECS.len();
    wait_until("8 attempts", || sim.notifications().iter().filter(|a| a.request_id == id).count() == n).await;
    let attempts: Vec<_> = sim.notifications().into_iter().filter(|a| a.request_id == id).collect();
    assert!(attempts.iter().all(|a| a.outcome == "NOT_ACKNOWLEDGED"), "{attempts:?}");
    assert_eq!(l.got.lock().unwrap().len(), n, "each send verified by the listener");
    assert_eq!(*l.rejected.lock().unwrap(), 0);
    // the gaps grow as the schedule says (scaled): 2 min < 1 h < 6 h
    let gaps: Vec<i128> = attempts.windows(2).map(|w| (w[1].at - w[0].at).whole_milliseconds()).collect();
    assert!(gaps[4] > gaps[1] && gaps[6] > gaps[4], "{gaps:?}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sim.notifications().iter().filter(|a| a.request_id == id).count(), n, "at most 8 sends");

    // sandbox: one attempt, never resent
    let (l2, url2) = listen(&sim, false).await;
    let sid = bind_card(&sim, CLIENT, &url2, "4111111111111111").await;
    wait_until("the sandbox attempt", || l2.got.lock().unwrap().len() == 1).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(sim.notifications().iter().filter(|a| a.request_id == sid).count(), 1);
}

#[tokio::test]
async fn acknowledging_a_resend_stops_the_schedule() {
    let prod = "2188120000000010";
    let mut cfg = production_config().with_client(prod, merchant_key().public_key());
    cfg.time_scale = 0.001; // second send after 120 ms, third after 600 ms more
    let sim = start(cfg).await;
    let (l, url) = listen_for(&sim, prod, false).await;
    let id = bind_card(&sim, prod, &url, "4111111111111111").await;
    wait_until("first attempt", || l.got.lock().unwrap().len() == 1).await;
    *l.ack.lock().unwrap() = true;
    wait_until("the acknowledged resend", || {
        sim.notifications().iter().any(|a| a.request_id == id && a.outcome == "ACKNOWLEDGED")
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let outcomes: Vec<String> =
        sim.notifications().into_iter().filter(|a| a.request_id == id).map(|a| a.outcome).collect();
    assert_eq!(outcomes, ["NOT_ACKNOWLEDGED", "ACKNOWLEDGED"], "nothing after the acknowledgement");
}

#[tokio::test]
async fn dropped_duplicated_and_non_loopback_notifications() {
    let sim = start(production_config()).await;
    let (l, url) = listen(&sim, true).await;
    sim.set_faults(Faults { drop_notifications: 1, ..Faults::default() });
    let dropped = bind_card(&sim, CLIENT, &url, "4111111111111111").await;
    sim.set_faults(Faults { duplicate_notifications: 1, ..Faults::default() });
    let duplicated = bind_card(&sim, CLIENT, &url, "4111111111111111").await;
    wait_until("the duplicate pair", || l.got.lock().unwrap().iter().filter(|g| g.0 == duplicated).count() == 2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(l.got.lock().unwrap().iter().filter(|g| g.0 == dropped).count(), 0);
    assert!(sim.notifications().iter().any(|a| a.request_id == dropped && a.outcome == "DROPPED"));

    let remote = bind_card(&sim, CLIENT, NOTIFY, "4111111111111111").await;
    wait_until("the NOT_LOOPBACK record", || {
        sim.notifications().iter().any(|a| a.request_id == remote && a.outcome == "NOT_LOOPBACK")
    })
    .await;
}

#[tokio::test]
async fn expiry_and_slow_verification_notify_without_being_asked() {
    let mut cfg = production_config();
    cfg.session_ttl = Duration::from_millis(200);
    cfg.time_scale = 0.01; // slow card: 20 s → 200 ms
    let sim = start(cfg).await;
    let (l, url) = listen(&sim, true).await;
    let c = client(&sim);
    let expired = new_id("exp");
    create(&c, &expired, &url).await;
    let slow = bind_card(&sim, CLIENT, &url, "4000000000000077").await;
    wait_until("both notifications", || l.got.lock().unwrap().len() == 2).await;
    let got = l.got.lock().unwrap().clone();
    assert!(got.contains(&(expired, "ORDER_IS_CLOSED".into(), false)), "{got:?}");
    assert!(got.contains(&(slow, "SUCCESS".into(), true)), "{got:?}");
}
