//! The binding flow against the simulator over loopback: success, every failure outcome, 3DS,
//! expiry, notifications before and after polling, duplicates, cancel, reconciliation, a full disk.

use crate::support::*;
use antom::model::{InquireVaultingRequest, NOTIFY_ACK_BODY};
use antom_sim::cards::{Outcome, TEST_CARDS};
use cardbind_core::flows::binding::{AttemptState, BindingFlow, Outcome as FlowOutcome};
use cardbind_core::store::{self, CardQuery};
use cardbind_core::ErrorCode;
use std::sync::Arc;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test]
async fn success_binds_one_card_with_an_encrypted_token() {
    let w = world().await;
    let started = w.flow.start(w.customer, None, &consent()).await.unwrap();
    assert_eq!(started.attempt.state, AttemptState::SessionOpen);
    assert_eq!(started.session_data.split("&&").count(), 4);
    assert_eq!(buyer_submits(&w.sim, &started.session_data, "5555555555554444").await["status"], "SUCCESS");
    let a = w.flow.wait_for_result(started.attempt.id, WAIT).await.unwrap();
    assert_eq!(a.state, AttemptState::Succeeded);
    let card = store::get_card(&cardbind_core::db::lock(&w.db), a.card_id.unwrap()).unwrap();
    assert_eq!(
        (card.brand.as_str(), card.masked_card_no.as_str(), card.last4.as_str()),
        ("MASTERCARD", "************4444", "4444")
    );
    assert_eq!((card.expiry_month, card.expiry_year), (Some(9), Some(2033)));

    // the token decrypts to what Antom holds, and is not in the database file in clear
    let antom_side = client(w.sim.base_url(), 1)
        .call(&InquireVaultingRequest { vaulting_request_id: a.vaulting_request_id.clone(), merchant_account_id: None })
        .await
        .unwrap()
        .body
        .payment_method_detail
        .unwrap()
        .card
        .unwrap()
        .card_token
        .unwrap();
    assert_eq!(w.till.card_token(card.id).unwrap().expose(), antom_side.expose());
    let consents = count(&w.db, "SELECT COUNT(*) FROM consents WHERE text_version = 'card-on-file-v1'");
    assert_eq!(consents, 1, "consent recorded with the attempt");
    let audit = store::list_audit(&cardbind_core::db::lock(&w.db), None, 50).unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"binding.start") && actions.contains(&"card.bind") && actions.contains(&"consent.accept"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn every_decline_fails_the_attempt_and_stores_nothing() {
    let w = world().await;
    for card in TEST_CARDS.iter().filter(|c| matches!(c.outcome, Outcome::Decline(_))) {
        let Outcome::Decline(code) = card.outcome else { unreachable!() };
        let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
        buyer_submits(&w.sim, &s.session_data, card.number).await;
        let a = w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap();
        assert_eq!(a.state, AttemptState::Failed, "{}", card.number);
        assert_eq!(a.result_code.as_deref(), Some(code));
        assert!(a.card_id.is_none());
    }
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 0);
}

#[tokio::test]
async fn three_ds_stays_processing_until_answered() {
    let w = world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    assert_eq!(buyer_submits(&w.sim, &s.session_data, "4000000000003220").await["status"], "CHALLENGE");
    let a = w.flow.wait_for_result(s.attempt.id, Duration::from_millis(300)).await.unwrap();
    assert_eq!(a.state, AttemptState::Processing, "the deadline passes without a final answer");
    buyer_answers_3ds(&w.sim, &s.session_data, true).await;
    assert_eq!(w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap().state, AttemptState::Succeeded);

    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4000000000003220").await;
    buyer_answers_3ds(&w.sim, &s.session_data, false).await;
    let a = w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap();
    assert_eq!((a.state, a.result_code.as_deref()), (AttemptState::Failed, Some("USER_PAYMENT_VERIFICATION_FAILED")));
}

#[tokio::test]
async fn slow_verification_and_session_expiry_end_cleanly() {
    let mut cfg = sim_config();
    cfg.session_ttl = Duration::from_millis(400);
    cfg.time_scale = 0.01;
    let w = world_with(cfg, "https://merchant.example/n").await;
    let slow = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &slow.session_data, "4000000000000077").await;
    let idle = w.flow.start(w.customer, None, &consent()).await.unwrap();
    assert_eq!(w.flow.wait_for_result(slow.attempt.id, WAIT).await.unwrap().state, AttemptState::Succeeded);
    let a = w.flow.wait_for_result(idle.attempt.id, WAIT).await.unwrap();
    assert_eq!((a.state, a.result_code.as_deref()), (AttemptState::Expired, Some("ORDER_IS_CLOSED")));
}

async fn notify_world() -> (World, cardbind_core::flows::listener::ListenerHandle) {
    // The listener's address comes first so the notification URL is known before the flow is built.
    let (addr, url) = notify_address("/antom/notify?shop=1");
    let w = world_with(sim_config(), &url).await;
    let l = cardbind_core::flows::listener::start(addr, &url, w.payments(), antom_key().public_key(), CLIENT.into())
        .await
        .unwrap();
    (w, l)
}

#[tokio::test]
async fn a_notification_before_polling_binds_and_polling_changes_nothing() {
    let (w, _l) = notify_world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    let deadline = std::time::Instant::now() + WAIT;
    while w.flow.attempt(s.attempt.id).unwrap().state != AttemptState::Succeeded {
        assert!(std::time::Instant::now() < deadline, "the notification never arrived");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // the simulator records the acknowledgement once the listener's answer is back, a moment
    // after the listener applied the notification (a loaded machine makes the moment longer)
    while !w.sim.notifications().iter().any(|n| n.outcome == "ACKNOWLEDGED") {
        assert!(std::time::Instant::now() < deadline, "the notification was never acknowledged");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let after = w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap();
    assert_eq!(after.state, AttemptState::Succeeded);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 1);
}

#[tokio::test]
async fn a_notification_after_polling_and_a_duplicate_change_nothing() {
    let mut cfg = sim_config();
    cfg.faults.duplicate_notifications = 5;
    let (addr, url) = notify_address("/antom/notify");
    let w = world_with(cfg, &url).await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    // poll first (the listener is not up yet: the notification fails and is resent)
    assert_eq!(w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap().state, AttemptState::Succeeded);
    let _l = cardbind_core::flows::listener::start(addr, &url, w.payments(), antom_key().public_key(), CLIENT.into())
        .await
        .unwrap();
    let deadline = std::time::Instant::now() + WAIT;
    while !w.sim.notifications().iter().any(|n| n.outcome.ends_with("ACKNOWLEDGED") && !n.outcome.contains("NOT_")) {
        assert!(std::time::Instant::now() < deadline, "no acknowledged resend: {:?}", w.sim.notifications());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 1);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'card.bind'"), 1);
}

#[tokio::test]
async fn forged_notifications_are_refused() {
    let (w, l) = notify_world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    let body = format!(
        r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"ok"}},"vaultingRequestId":"{}","paymentMethodDetail":{{"paymentMethodType":"CARD","card":{{"cardToken":"ALIPAYforged","maskedCardNo":"************0000","brand":"VISA"}}}}}}"#,
        s.attempt.vaulting_request_id
    );
    let forger = antom::MerchantPrivateKey::generate(2048).unwrap();
    let sig =
        antom::signature::sign(&forger, "/antom/notify?shop=1", CLIENT, "2026-11-23T10:00:00Z", body.as_bytes(), "1");
    let resp = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("http://{}/antom/notify?shop=1", l.addr))
        .header("client-id", CLIENT)
        .header("request-time", "2026-11-23T10:00:00Z")
        .header("signature", sig.to_header_value())
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    assert_ne!(resp.text().await.unwrap(), NOTIFY_ACK_BODY);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 0);
    assert_eq!(w.flow.attempt(s.attempt.id).unwrap().state, AttemptState::SessionOpen);
}

/// Post a notification signed with Antom's key (the simulator's), as Antom would send it.
async fn authentic_notification(addr: std::net::SocketAddr, body: &str) -> (u16, String) {
    let (status, _, text) = post_notification(addr, "/antom/notify?shop=1", "/antom/notify?shop=1", body).await;
    (status, text)
}

/// notifyVaulting is read as inquireVaulting is: S with vaultingStatus FAIL or PROCESSING binds
/// nothing, and a status value nobody documented is acknowledged and read as still processing
/// (an authentic message answered 401 would be resent eight times).
#[tokio::test]
async fn notifications_are_read_by_their_vaulting_status() {
    let (w, l) = notify_world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    let vr = &s.attempt.vaulting_request_id;
    let card = r#""paymentMethodDetail":{"paymentMethodType":"CARD","card":{"cardToken":"ALIPAYnotbound","maskedCardNo":"************0000","brand":"VISA"}}"#;
    for status in ["PROCESSING", "UNDER_REVIEW"] {
        let body = format!(
            r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"{vr}","vaultingStatus":"{status}",{card}}}"#
        );
        let (code, text) = authentic_notification(l.addr, &body).await;
        assert_eq!((code, text.as_str()), (200, NOTIFY_ACK_BODY), "{status}: acknowledged");
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 0, "{status}: no card");
        assert_eq!(w.flow.attempt(s.attempt.id).unwrap().state, AttemptState::Processing, "{status}");
    }
    let body = format!(
        r#"{{"result":{{"resultCode":"SUCCESS","resultStatus":"S"}},"vaultingRequestId":"{vr}","vaultingStatus":"FAIL",{card}}}"#
    );
    assert_eq!(authentic_notification(l.addr, &body).await.0, 200);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 0, "FAIL binds nothing");
    assert_eq!(w.flow.attempt(s.attempt.id).unwrap().state, AttemptState::Failed);
}

#[tokio::test]
async fn the_same_card_twice_is_flagged_and_staff_choose() {
    let w = world().await;
    let mut ids = vec![];
    for _ in 0..3 {
        let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
        buyer_submits(&w.sim, &s.session_data, "4242424242424242").await;
        ids.push(w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap());
    }
    assert_eq!(ids[0].duplicate_of, None);
    assert_eq!(ids[1].duplicate_of, ids[0].card_id, "same fingerprint, same customer");
    let old = {
        let conn = cardbind_core::db::lock(&w.db);
        store::keep_duplicate(&conn, ids[1].card_id.unwrap(), None).unwrap();
        store::replace_with_duplicate(&conn, ids[2].card_id.unwrap(), None).unwrap()
    };
    assert_eq!(Some(old), ids[0].card_id);
    // the replaced card is revoked at Antom, then erased here
    let removal = w.payments().removal.remove_card(old, None).await.unwrap();
    assert_eq!(removal, cardbind_core::flows::CardRemoval::Removed);
    let conn = cardbind_core::db::lock(&w.db);
    let page = store::list_cards(&conn, &CardQuery { customer_id: Some(w.customer), ..Default::default() }).unwrap();
    let left: Vec<i64> = page.rows.iter().map(|r| r.id).collect();
    assert_eq!(left, vec![ids[2].card_id.unwrap(), ids[1].card_id.unwrap()], "the first was replaced");
    assert!(page.rows.iter().all(|r| r.duplicate_of.is_none()));
}

#[tokio::test]
async fn a_cancelled_attempt_still_records_a_card_antom_bound() {
    let w = world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    assert_eq!(w.flow.cancel(s.attempt.id, None).unwrap().state, AttemptState::Cancelled);
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    let r = w.flow.reconcile_pending().await.unwrap();
    assert_eq!((r.checked, r.finished), (1, 1));
    assert_eq!(w.flow.attempt(s.attempt.id).unwrap().state, AttemptState::Succeeded);
}

#[tokio::test]
async fn unreachable_antom_leaves_a_pending_attempt_that_reconciles() {
    let w = world().await;
    w.sim.set_faults(antom_sim::faults::Faults { http_5xx: 10, ..Default::default() });
    let e = w.flow.start(w.customer, None, &consent()).await.unwrap_err();
    assert_eq!(e.code, ErrorCode::AntomUnreachable);
    assert_eq!(
        count(&w.db, "SELECT COUNT(*) FROM binding_attempts WHERE state = 'CREATED'"),
        1,
        "written before the call"
    );
    w.sim.set_faults(Default::default());
    let r = w.flow.reconcile_pending().await.unwrap();
    assert_eq!(r.finished, 1);
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM binding_attempts WHERE state = 'ABANDONED'"), 1);

    // a dropped connection after Antom created the session: the retry gets the same session
    w.sim.set_faults(antom_sim::faults::Faults { drop_connection: 1, ..Default::default() });
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    assert_eq!(w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap().state, AttemptState::Succeeded);
}

#[tokio::test]
async fn a_full_disk_is_a_clear_error_and_loses_nothing() {
    if cardbind_testkit::pg::wants_postgres() {
        // A full disk is simulated by capping the SQLite file; a PostgreSQL server's full disk
        // is the server's (SQLSTATE 53100, mapped to STORAGE_FULL in error.rs).
        eprintln!("SQLite only: the disk of a PostgreSQL server cannot be filled from here");
        return;
    }
    let w = world().await;
    let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
    buyer_submits(&w.sim, &s.session_data, "4111111111111111").await;
    let attempts_before = count(&w.db, "SELECT COUNT(*) FROM binding_attempts");
    let customers_before = count(&w.db, "SELECT COUNT(*) FROM customers");
    let mut written = 0;
    {
        // cap the database at its current size: the next page allocation fails with SQLITE_FULL
        let conn = cardbind_core::db::lock(&w.db);
        let pages: i64 = conn.query_row("PRAGMA page_count", (), |r| r.get(0)).unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
        conn.sqlite()
            .expect("a full disk is simulated on the SQLite file")
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let big = "x".repeat(1900);
        let mut err = None;
        for i in 0..200 {
            if let Err(e) = store::create_customer(
                &conn,
                &store::CustomerInput { name: format!("{i}"), notes: Some(big.clone()), ..Default::default() },
                None,
            ) {
                err = Some(e);
                break;
            }
            written += 1;
        }
        let e = err.expect("the capped database fills up");
        assert_eq!(e.code, ErrorCode::StorageFull, "{e:?}");
    }
    // what was committed before the disk filled is all there; the refused write left nothing behind
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM binding_attempts"), attempts_before, "no attempt lost");
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM customers"), customers_before + written, "no half-written customer");
    let state = w.flow.attempt(s.attempt.id).unwrap().state;
    assert!(
        matches!(state, AttemptState::SessionOpen | AttemptState::Succeeded),
        "the attempt kept its state: {state:?}"
    );
    cardbind_core::db::lock(&w.db).sqlite().unwrap().pragma_update(None, "max_page_count", 1_073_741_823i64).unwrap();
    let a = w.flow.wait_for_result(s.attempt.id, WAIT).await.unwrap();
    assert_eq!(a.state, AttemptState::Succeeded, "once space is back the binding completes");
}

#[test]
fn apply_is_idempotent_and_ignores_strangers() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let w = world().await;
        let s = w.flow.start(w.customer, None, &consent()).await.unwrap();
        let card = antom::model::CardDetail {
            card_token: Some(antom::Sensitive::new("ALIPAYabc".into())),
            masked_card_no: Some("************1111".into()),
            brand: Some("VISA".into()),
            ..Default::default()
        };
        for _ in 0..3 {
            w.flow.apply(&s.attempt.vaulting_request_id, FlowOutcome::Success(Box::new(card.clone()))).unwrap();
        }
        // a late failure after success changes nothing
        w.flow
            .apply(
                &s.attempt.vaulting_request_id,
                FlowOutcome::Failed { code: "DO_NOT_HONOR".into(), message: String::new() },
            )
            .unwrap();
        assert_eq!(w.flow.attempt(s.attempt.id).unwrap().state, AttemptState::Succeeded);
        assert_eq!(count(&w.db, "SELECT COUNT(*) FROM cards"), 1);
        assert!(w.flow.apply("not-ours", FlowOutcome::Processing).unwrap().is_none());
        let _: &BindingFlow = &w.flow;
    });
}

/// The world's flow starts a binding whose createVaultingSession Antom answers `latency_ms` late.
fn start_slowly(
    w: &World,
    latency_ms: u64,
) -> tokio::task::JoinHandle<cardbind_core::error::AppResult<cardbind_core::flows::binding::StartedBinding>> {
    w.sim.set_faults(antom_sim::faults::Faults {
        latency_ms,
        only_endpoint: Some("createVaultingSession".into()),
        ..Default::default()
    });
    let flow = w.flow.clone();
    let customer = w.customer;
    tokio::spawn(async move { flow.start(customer, None, &consent()).await })
}

#[tokio::test]
async fn reconciling_during_a_slow_create_does_not_abandon_it() {
    let w = world().await;
    let start = start_slowly(&w, 400);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(
        count(&w.db, "SELECT COUNT(*) FROM binding_attempts WHERE state = 'CREATED'"),
        1,
        "the create is in flight"
    );
    // this till's reconciler leaves the attempt to the start that is sending it: asking Antom
    // meanwhile could read the new session as PROCESSING before the start records it open
    // (seen in a CI run, after a restart: the start-up reconciler met the first new card)
    let report = w.flow.reconcile_pending().await.unwrap();
    assert_eq!((report.checked, report.elsewhere), (0, 1), "{report:?}");
    let started = start.await.unwrap().unwrap();
    assert_eq!(started.attempt.state, AttemptState::SessionOpen);
    // once the start is done, the reconciler checks it like any other
    w.sim.set_faults(Default::default());
    let report = w.flow.reconcile_pending().await.unwrap();
    assert_eq!((report.checked, report.elsewhere), (1, 0), "{report:?}");
}

/// Settings that change the flows build them again while a start is still sending: the new
/// flows' reconciler works on the same till and claim registry (the app keeps one per
/// database), so it leaves the attempt to the start instead of taking it for one Antom never saw.
#[tokio::test]
async fn a_rebuild_of_the_flows_mid_send_does_not_let_the_reconciler_take_it() {
    let w = world().await;
    let start = start_slowly(&w, 600);
    let deadline = std::time::Instant::now() + WAIT;
    while count(&w.db, "SELECT COUNT(*) FROM binding_attempts") == 0 {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // the rebuild: a new client and new flows, this till's name and claims
    let rebuilt = cardbind_core::flows::Till::new(w.db.clone(), client(w.sim.base_url(), 3), w.key.clone())
        .with_claims(w.till.claims().clone());
    let report = flows_of(rebuilt).reconcile().await.unwrap().attempts;
    assert_eq!((report.checked, report.elsewhere), (0, 1), "{report:?}");
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM binding_attempts WHERE state = 'ABANDONED'"), 0);
    let started = start.await.unwrap().unwrap();
    assert_eq!(started.attempt.state, AttemptState::SessionOpen);
}

/// A real Antom may never report a session nobody used (the simulator's ORDER_IS_CLOSED is our
/// own reading): after the session's expiry and a grace period, the app asks once more and then
/// closes the attempt itself, audited, so nothing stays open forever.
#[tokio::test]
async fn an_abandoned_session_is_closed_by_the_app_after_its_expiry() {
    let mut cfg = sim_config();
    cfg.report_expired_sessions = false;
    cfg.session_ttl = Duration::from_millis(300);
    let w = world_with(cfg, "https://merchant.example/antom/notify").await;
    let till = cardbind_core::flows::Till::new(w.db.clone(), client(w.sim.base_url(), 1), w.key.clone());
    let flow = BindingFlow::new(Arc::new(till), "https://merchant.example/n").with_expiry_grace(Duration::from_secs(2)); // expiry times are whole seconds: > 1 s
    let s = flow.start(w.customer, None, &consent()).await.unwrap();
    // within the grace period: still open, Antom still says PROCESSING
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(!flow.refresh(s.attempt.id).await.unwrap().state.is_final(), "not yet");
    tokio::time::sleep(Duration::from_millis(3000)).await;
    let report = flow.reconcile_pending().await.unwrap();
    assert_eq!(report.finished, 1, "{report:?}");
    let a = flow.attempt(s.attempt.id).unwrap();
    assert_eq!(
        (a.state, a.result_code.as_deref()),
        (AttemptState::Expired, Some(cardbind_core::flows::binding::CLOSED_LOCALLY))
    );
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'binding.expired'"), 1, "audited");
    assert_eq!(
        w.sim.vaulting_status(CLIENT, &s.attempt.vaulting_request_id),
        Some(antom_sim::state::Status::SessionCreated)
    );
}

/// Two tills on one database (two tills, each its own claims, one card database): while
/// one is still waiting for Antom to open its session, the other's reconciler must not take the
/// attempt Antom does not know yet for one that was never sent (and close it as abandoned). The
/// sending till's claim on the attempt is in the shared database; the other skips it.
#[tokio::test]
async fn another_tills_reconciler_leaves_an_attempt_in_flight_alone() {
    let w = world().await;
    let other = flows_of(w.other_till("till-2")).binding.clone();
    let sending = start_slowly(&w, 1500);
    // the attempt is recorded; its createVaultingSession is on its way
    let deadline = std::time::Instant::now() + WAIT;
    while count(&w.db, "SELECT COUNT(*) FROM binding_attempts") == 0 {
        assert!(std::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let report = other.reconcile_pending().await.unwrap();
    assert_eq!((report.checked, report.elsewhere), (0, 1), "{report:?}");
    assert_eq!(count(&w.db, "SELECT COUNT(*) FROM binding_attempts WHERE state = 'ABANDONED'"), 0);
    let started = sending.await.unwrap().unwrap();
    assert_eq!(started.attempt.state, AttemptState::SessionOpen);
    // once the sender is done, the other till reconciles it like any other
    w.sim.set_faults(Default::default());
    let report = other.reconcile_pending().await.unwrap();
    assert_eq!((report.checked, report.elsewhere), (1, 0), "{report:?}");
}

/// A claim this till could not let go of (the shop's server was away at that moment, or the
/// till was killed and started again under its name) is released by the step of this till
/// that next works on the item: otherwise the other tills wait out the lease (two minutes)
/// while nobody works on it (a two-till CI run left an attempt open that way).
#[tokio::test]
async fn a_claim_this_till_left_behind_is_let_go_when_it_works_on_the_item_again() {
    use cardbind_core::flows::till::THIS_TILL;
    use cardbind_core::store::claims;
    let w = world().await;
    let started = w.flow.start(w.customer, None, &consent()).await.unwrap();
    let item = format!("attempt:{}", started.attempt.id);
    let now = cardbind_core::db::now_ms();
    let taken = claims::take(&cardbind_core::db::lock(&w.db), &item, THIS_TILL, now, now + 120_000).unwrap();
    assert_eq!(taken, claims::Taken::New, "the start let its own claim go");
    // the release after the work did not reach the database: this till holds it still
    assert!(claims::held_elsewhere(&cardbind_core::db::lock(&w.db), &item, "till-2", now).unwrap());

    let report = w.flow.reconcile_pending().await.unwrap();
    assert_eq!((report.checked, report.elsewhere), (1, 0), "{report:?}");
    let a = cardbind_core::flows::binding::get_attempt(&cardbind_core::db::lock(&w.db), started.attempt.id).unwrap();
    assert!(!a.state.is_final(), "still open ({:?}): the buyer has not entered a card", a.state);
    let now = cardbind_core::db::now_ms();
    assert!(
        !claims::held_elsewhere(&cardbind_core::db::lock(&w.db), &item, "till-2", now).unwrap(),
        "after working on it, this till lets it go: another till may take it now"
    );
}
