//! Several simulators on one shared store behave as one Antom (a shop's tills in demo mode, each
//! with its own simulator, on one shared database), and a store out of reach never lets an
//! answer claim what was not kept.
//!
//! The store here is an in-memory one with an off switch, written for this test: the app's real
//! one (on PostgreSQL) is exercised by crates/core/tests/shared.rs and shared_tills.rs.

mod common;

use antom::model::*;
use antom_sim::{Saved, StateStore};
use common::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

const NOTIFY: &str = "https://merchant.example/antom/notify";
const RETURN: &str = "https://merchant.example/return";

#[derive(Default)]
struct MemoryStore {
    saved: Mutex<(u64, Option<Vec<u8>>)>,
    down: AtomicBool,
}

impl MemoryStore {
    fn check(&self) -> std::io::Result<()> {
        if self.down.load(Ordering::SeqCst) {
            return Err(std::io::Error::other("the store is down (test switch)"));
        }
        Ok(())
    }

    fn saved(held: &(u64, Option<Vec<u8>>), known: u64) -> Saved {
        match held {
            (0, _) => Saved::Absent,
            (v, _) if *v == known => Saved::Same,
            (v, bytes) => Saved::Other(*v, bytes.clone().unwrap_or_default()),
        }
    }
}

impl StateStore for MemoryStore {
    fn latest(&self, known: u64) -> std::io::Result<Saved> {
        self.check()?;
        Ok(Self::saved(&self.saved.lock().unwrap(), known))
    }

    fn exclusive(&self, known: u64, change: &mut dyn FnMut(Saved) -> Option<Vec<u8>>) -> std::io::Result<u64> {
        self.check()?;
        let mut held = self.saved.lock().unwrap();
        if let Some(bytes) = change(Self::saved(&held, known)) {
            *held = (held.0 + 1, Some(bytes));
        }
        Ok(held.0)
    }
}

fn shared(store: &Arc<MemoryStore>) -> antom_sim::SimConfig {
    let mut c = config();
    c.shared_state = Some(store.clone());
    c
}

async fn bind(sim: &antom_sim::SimHandle, id: &str) -> CardToken {
    let c = client(sim);
    let session = create(&c, id, NOTIFY).await.vaulting_session_data.unwrap();
    submit(sim, &session, "4111111111111111", "123").await;
    inquire(&c, id).await.payment_method_detail.unwrap().card.unwrap().card_token.unwrap()
}

#[tokio::test]
async fn two_simulators_on_one_store_answer_as_one_antom() {
    let store = Arc::new(MemoryStore::default());
    let (a, b) = (start(shared(&store)).await, start(shared(&store)).await);
    let id = new_id("shared");
    let token = bind(&a, &id).await;
    // the other simulator knows the binding and the token
    assert_eq!(inquire(&client(&b), &id).await.vaulting_status, Some(VaultingStatus::Success));
    let pay_id = new_id("pay");
    let paid = client(&b)
        .call(&PayRequest::card_on_file(&pay_id, token.clone(), Amount::new("USD", 1000), "a sale", RETURN))
        .await
        .unwrap()
        .body;
    assert!(paid.result.is_success(), "{:?}", paid.result);
    // the same request at the first is the same payment (idempotent across them), not a second
    let again = client(&a)
        .call(&PayRequest::card_on_file(&pay_id, token, Amount::new("USD", 1000), "a sale", RETURN))
        .await
        .unwrap()
        .body;
    assert_eq!(again.payment_id, paid.payment_id);
    assert_eq!(a.payments(CLIENT).len(), 1);
    assert_eq!(b.payments(CLIENT).len(), 1);
}

#[tokio::test]
async fn a_store_out_of_reach_answers_unknown_and_keeps_nothing_half_done() {
    let store = Arc::new(MemoryStore::default());
    let sim = start(shared(&store)).await;
    let c = client(&sim);
    let id = new_id("down");
    let session = create(&c, &id, NOTIFY).await.vaulting_session_data.unwrap();
    store.down.store(true, Ordering::SeqCst);
    // the Open API says "unknown" (status U), never success
    let created = c.call(&CreateVaultingSessionRequest::card(new_id("while-down"), NOTIFY)).await.unwrap().body;
    assert_eq!(created.result.result_code, "UNKNOWN_EXCEPTION");
    assert_eq!(created.result.result_status, ResultStatus::U);
    // the element page gets 503 for a card it could not record
    let token = session.split("&&").next().unwrap();
    let card = serde_json::json!({ "number": "4111111111111111", "expiryMonth": "12", "expiryYear": "34", "cvv": "123", "holderName": "A S" });
    let r = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}/element/api/submit", sim.base_url()))
        .json(&serde_json::json!({ "token": token, "card": card }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), reqwest::StatusCode::SERVICE_UNAVAILABLE);
    // back: the card was not bound behind the page's back; the buyer submits again and it is
    store.down.store(false, Ordering::SeqCst);
    assert_ne!(inquire(&c, &id).await.vaulting_status, Some(VaultingStatus::Success));
    submit(&sim, &session, "4111111111111111", "123").await;
    assert_eq!(inquire(&c, &id).await.vaulting_status, Some(VaultingStatus::Success));
}

#[tokio::test]
async fn a_simulators_own_records_seed_an_empty_store() {
    let dir = tempfile::tempdir().unwrap();
    let mut own = config();
    own.state_dir = Some(dir.path().to_path_buf());
    let id = new_id("seed");
    {
        let sim = start(own.clone()).await;
        bind(&sim, &id).await;
        sim.stop().await;
    }
    let store = Arc::new(MemoryStore::default());
    own.shared_state = Some(store.clone());
    let _first = start(own).await;
    // a second simulator with no records of its own finds them in the store
    let other = start(shared(&store)).await;
    assert_eq!(inquire(&client(&other), &id).await.vaulting_status, Some(VaultingStatus::Success));
}
