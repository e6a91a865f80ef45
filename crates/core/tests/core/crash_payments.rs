//! Crash safety of charges and refunds, proven like bindings' (tests/crash.rs): a child process
//! (this test binary in child mode) charges saved cards and refunds payments against the
//! simulator, with the real keyring and a real database file, and is killed with SIGKILL at a
//! random moment, at least 50 times. After restarts reconcile, every payment and refund the
//! simulator holds is in the database exactly once with the same amount, nothing else is, and no
//! sale was charged twice.

use crate::support::*;
use antom_sim::state::PayStatus;
use cardbind_core::flows::payments::ChargeInput;
use cardbind_core::flows::{BindingFlow, Flows, Till};
use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const ROUNDS: u32 = 50;
const CHILD: &str = "CARDBIND_PAY_CRASH_CHILD";

/// Payments and refunds Antom has not settled yet.
fn open_money(db_path: &std::path::Path) -> i64 {
    cardbind_core::db::open(db_path)
        .unwrap()
        .query_row(
            "SELECT (SELECT COUNT(*) FROM payments WHERE state IN ('SENDING','PENDING'))
                  + (SELECT COUNT(*) FROM refunds WHERE state IN ('SENDING','PENDING'))",
            (),
            |r| r.get(0),
        )
        .unwrap()
}

fn spawn_child(mode: &str, db: &std::path::Path, sim_url: &str, pick: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["crash_payments::pay_crash_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, mode)
        .env("CRASH_DB", db)
        .env("CRASH_SIM", sim_url)
        .env("CRASH_PICK", pick.to_string())
        .stdout(Stdio::piped())
        .stderr(std::fs::OpenOptions::new().create(true).append(true).open(db.with_extension("child.log")).unwrap())
        .spawn()
        .unwrap()
}

/// The flows a child (and the parent's set-up) use: the keys from the real keyring.
fn flows(db_path: &str, sim_url: &str) -> (Arc<BindingFlow>, Arc<Flows>) {
    let (client, key) = keyring_client(sim_url);
    let conn = cardbind_core::db::open(std::path::Path::new(db_path)).unwrap();
    let flows = flows_of(Till::new(Arc::new(Mutex::new(conn)), client, key));
    (flows.binding.clone(), flows)
}

#[test]
fn charges_and_refunds_killed_at_random_points_lose_nothing_and_charge_nothing_twice() {
    if cardbind_testkit::in_private_keyring(
        "crash_payments::charges_and_refunds_killed_at_random_points_lose_nothing_and_charge_nothing_twice",
    ) {
        return;
    }
    let mut rng = Lcg::seeded("payment crash test");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sim = rt.block_on(antom_sim::Simulator::start(sim_config())).unwrap();
    store_keys_for_children();

    // the shop: one customer with four saved cards that pay differently
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("cards.db");
    let db = db_path.to_str().unwrap().to_string();
    let customer = {
        let conn = cardbind_core::db::open(&db_path).unwrap();
        let input = cardbind_core::store::CustomerInput { name: "Crash Test".into(), ..Default::default() };
        cardbind_core::store::create_customer(&conn, &input, None).unwrap().id
    };
    rt.block_on(async {
        let (binding, _) = flows(&db, sim.base_url());
        for number in ["4111111111111111", "4000000000005209", "4000000000007304", "4000000000003162"] {
            let s = binding.start(customer, None, &consent()).await.unwrap();
            buyer_submits(&sim, &s.session_data, number).await;
            binding.wait_for_result(s.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap();
        }
    });

    let mut killed = 0;
    let mut round = 0;
    let mut mid_flight = 0;
    while killed < ROUNDS {
        round += 1;
        assert!(round < ROUNDS * 6, "children finish before the kill too often: {killed} killed in {round} rounds");
        let pick = rng.next();
        let mut child = spawn_child("work", &db_path, sim.base_url(), pick);
        wait_child_ready(&mut child, &db_path.with_extension("child.log"));
        // a charge takes some tens of milliseconds here: kill within the first 60
        let delay = Duration::from_millis(rng.next() % 60);
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(9) {
            killed += 1;
            let open = open_money(&db_path);
            mid_flight += (open > 0) as u32;
        } else {
            assert!(status.success(), "round {round}: the child failed on its own ({status})");
        }
        eprintln!("round {round}: pick {} after {delay:?}: {status}", pick % 8);
    }

    // restart: reconcile until nothing is open
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = spawn_child("reconcile", &db_path, sim.base_url(), 0).wait().unwrap();
        assert!(
            status.success(),
            "the reconcile run failed: {}",
            std::fs::read_to_string(db_path.with_extension("child.log")).unwrap_or_default()
        );
        let open = open_money(&db_path);
        if open == 0 {
            break;
        }
        if Instant::now() >= deadline {
            let conn = cardbind_core::db::open(&db_path).unwrap();
            let states: Vec<String> = conn
                .prepare("SELECT payment_request_id || ' ' || state || ' ' || IFNULL(payment_id, '-') FROM payments WHERE state IN ('SENDING','PENDING')
                          UNION ALL SELECT refund_request_id || ' ' || state FROM refunds WHERE state IN ('SENDING','PENDING')")
                .unwrap()
                .query_map((), |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            panic!("{open} payments or refunds never settled: {states:?}");
        }
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(mid_flight > 0, "no kill landed inside a charge or refund (after it was written, before it settled)");

    let conn = cardbind_core::db::open(&db_path).unwrap();
    // payments: Antom's and ours, the same set, the same amounts, the same outcome
    let ours: HashMap<String, (i64, String, i64)> = conn
        .prepare("SELECT payment_request_id, amount, state, refunded FROM payments")
        .unwrap()
        .query_map((), |r| Ok((r.get::<String>(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let antoms = sim.payments(CLIENT);
    let refunds = sim.refunds(CLIENT);
    for p in &antoms {
        let (amount, state, refunded) =
            ours.get(&p.payment_request_id).unwrap_or_else(|| panic!("{}: at Antom, not here", p.payment_request_id));
        assert_eq!(amount.to_string(), p.amount_value, "{}: the same amount", p.payment_request_id);
        let want = match p.status {
            // authorised; captured once a reconciliation after the capture asked
            PayStatus::Success if state == "AUTHORISED" => "AUTHORISED",
            PayStatus::Success => "CAPTURED",
            PayStatus::Fail => "DECLINED",
            PayStatus::Cancelled => "CANCELLED",
            PayStatus::Processing => panic!("{}: still processing at Antom", p.payment_request_id),
        };
        assert_eq!(state, want, "{}", p.payment_request_id);
        let at_antom: u64 = refunds.iter().filter(|r| r.payment_id == p.payment_id).map(|r| r.amount).sum();
        assert_eq!(*refunded as u64, at_antom, "{}: refunded here = refunded at Antom", p.payment_request_id);
        assert!(at_antom <= p.amount_value.parse::<u64>().unwrap(), "never refunded more than charged");
    }
    assert_eq!(ours.len(), antoms.len(), "every payment here reached Antom once (a sale never became two)");
    // refunds: each of Antom's is here once, succeeded, with the same amount
    let our_refunds: HashMap<String, (i64, String)> = conn
        .prepare("SELECT refund_request_id, amount, state FROM refunds")
        .unwrap()
        .query_map((), |r| Ok((r.get::<String>(0)?, (r.get(1)?, r.get(2)?))))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for r in &refunds {
        let (amount, state) = our_refunds
            .get(&r.refund_request_id)
            .unwrap_or_else(|| panic!("{}: at Antom, not here", r.refund_request_id));
        assert_eq!((*amount as u64, state.as_str()), (r.amount, "SUCCEEDED"), "{}", r.refund_request_id);
    }
    let failed_here = our_refunds.values().filter(|(_, s)| s == "FAILED").count();
    assert_eq!(our_refunds.len(), refunds.len() + failed_here, "every refund here is at Antom, or was refused by it");
    eprintln!(
        "{round} runs, {killed} killed ({mid_flight} mid-flight), {} payments and {} refunds at Antom, all here once with the same amounts",
        antoms.len(),
        refunds.len()
    );
    rt.block_on(sim.stop());
}

/// Child process entry point of the payment crash test (run only by it): reconcile as the app
/// does on start, then one sale (a charge of one of the cards) or one refund.
#[test]
#[ignore = "child process of charges_and_refunds_killed_at_random_points_lose_nothing_and_charge_nothing_twice"]
fn pay_crash_child() {
    let Ok(mode) = std::env::var(CHILD) else { return };
    let db_path = std::env::var("CRASH_DB").unwrap();
    let sim_url = std::env::var("CRASH_SIM").unwrap();
    let pick: u64 = std::env::var("CRASH_PICK").unwrap().parse().unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (_binding, payments) = flows(&db_path, &sim_url);
        println!("READY");
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        payments.reconcile().await.unwrap();
        if mode != "work" {
            return;
        }
        let (cards, refundable): (Vec<i64>, Vec<(i64, i64)>) = {
            let conn = cardbind_core::db::open(std::path::Path::new(&db_path)).unwrap();
            let cards = conn.prepare("SELECT id FROM cards ORDER BY id").unwrap().query_map((), |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap();
            let refundable = conn
                .prepare("SELECT p.id, p.amount - IFNULL((SELECT SUM(amount) FROM refunds r WHERE r.payment_row = p.id AND r.state <> 'FAILED'), 0)
                          FROM payments p WHERE p.state = 'CAPTURED'")
                .unwrap()
                .query_map((), |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .collect::<Result<Vec<(i64, i64)>, _>>()
                .unwrap()
                .into_iter()
                .filter(|(_, left)| *left > 0)
                .collect();
            (cards, refundable)
        };
        let choice = pick % 8;
        if choice >= 6 && !refundable.is_empty() {
            let (payment, left) = refundable[(pick as usize / 8) % refundable.len()];
            let amount = 1 + (pick as i64 / 64) % left;
            let _ = payments.refunds.refund(payment, amount, Some("crash test"), None).await;
            return;
        }
        let card = cards[(choice as usize) % cards.len()];
        let input = ChargeInput {
            card_id: card,
            amount: 100 + (pick as i64 / 8) % 9_900,
            currency: "USD".into(),
            description: "crash test sale".into(),
            reference: None,
            customer_present: true,
            device: None,
            charge_key: None,
        };
        let p = payments.payments.charge(&input, None).await.unwrap();
        if let Some(url) = &p.challenge_url {
            let payment_id = url.split("payment=").nth(1).unwrap();
            cardbind_testkit::element_call(&sim_url, "pay-challenge", serde_json::json!({ "payment": payment_id, "code": "1234", "approve": !pick.is_multiple_of(3) })).await;
        }
        payments.payments.wait_for_result(p.id, Duration::from_secs(5)).await.unwrap();
    });
}
