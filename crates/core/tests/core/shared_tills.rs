//! Two tills on one PostgreSQL (issue 19): two app cores in two processes (this test binary in
//! child mode: a binding flow and a payment flow over their own connection, keys from the real
//! keyring) bind cards for the same customer and charge them, at the same time. One till is
//! SIGKILLed and started again, again and again, while the other goes on and reconciles what
//! the killed one left: half the kills at random moments, the others aimed at the middle of a
//! binding or of a charge (the till reports what it is doing; the test counts where each kill
//! landed and insists on both). The server itself is stopped and started once in the middle. Afterwards every binding and payment the simulator holds is in the
//! database exactly once (same amount, same outcome), and nothing else is.

use crate::support::*;
use antom_sim::state::{PayStatus, Status};
use cardbind_core::flows::payments::ChargeInput;
use cardbind_core::flows::Till;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CHILD: &str = "CARDBIND_TILL_CHILD";
const KILLS: u32 = 16;
const CARDS: [&str; 5] =
    ["4111111111111111", "5555555555554444", "4000000000000002", "4000000000003220", "4000000000000077"];

/// What a till child says it is doing (its last `PHASE` line): `binding` from before it starts
/// an attempt until its result is recorded, `charging` likewise for a charge, `idle` between.
type Phase = Arc<Mutex<String>>;

fn spawn_till(
    mode: &str,
    url: &str,
    sim_url: &str,
    customer: i64,
    seed: u64,
    log: &std::path::Path,
) -> (Child, Phase, std::thread::JoinHandle<()>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["shared_tills::till_child", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD, mode)
        .env("TILL_DB", url)
        .env("TILL_SIM", sim_url)
        .env("TILL_CUSTOMER", customer.to_string())
        .env("TILL_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(std::fs::OpenOptions::new().create(true).append(true).open(log).unwrap())
        .spawn()
        .unwrap();
    // wait until it has its keys and its connection, so a kill lands in its work
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let phase: Phase = Arc::new(Mutex::new("idle".into()));
    let seen = phase.clone();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.contains("READY") {
                let _ = tx.send(());
            } else if let Some(p) = line.strip_prefix("PHASE ") {
                *seen.lock().unwrap() = p.to_string();
            }
        }
    });
    rx.recv_timeout(Duration::from_secs(60))
        .unwrap_or_else(|_| panic!("a till never got ready: {}", std::fs::read_to_string(log).unwrap_or_default()));
    (child, phase, reader)
}

/// The attempts and payments still open, each with the till that holds its claim (a failure
/// then says which and who holds them).
fn open_rows(c: &cardbind_core::db::Connection) -> Vec<String> {
    c.query_map(
        "SELECT 'attempt:' || a.id || ' ' || a.state || ' ' || COALESCE((SELECT holder || ' until ' || held_until FROM claims WHERE item = 'attempt:' || a.id), 'unclaimed')
           FROM binding_attempts a WHERE a.state NOT IN ('SUCCEEDED','FAILED','EXPIRED','ABANDONED')
         UNION ALL
         SELECT 'payment:' || p.id || ' ' || p.state || ' ' || COALESCE((SELECT holder || ' until ' || held_until FROM claims WHERE item = 'payment:' || p.id), 'unclaimed')
           FROM payments p WHERE p.state IN ('SENDING','PENDING','AUTHORISED')",
        (),
        |r| r.get::<String>(0),
    )
    .unwrap()
}

#[test]
fn two_tills_bind_and_charge_together_through_kills_and_a_server_restart() {
    if cardbind_testkit::in_private_keyring(
        "shared_tills::two_tills_bind_and_charge_together_through_kills_and_a_server_restart",
    ) {
        return;
    }
    let mut rng = Lcg::seeded("two tills");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut cfg = sim_config();
    cfg.session_ttl = Duration::from_millis(1500);
    let sim = rt.block_on(antom_sim::Simulator::start(cfg)).unwrap();
    // both tills have the shop's keys (as after pairing)
    store_keys_for_children();

    let server = cardbind_testkit::pg::PgServer::start();
    let url = server.fresh_database();
    let conn = cardbind_core::db::open_postgres(&url).unwrap();
    let input = cardbind_core::store::CustomerInput { name: "Shared Customer".into(), ..Default::default() };
    let customer = cardbind_core::store::create_customer(&conn, &input, None).unwrap().id;
    drop(conn);
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("tills.log");

    // till B works through the whole run; till A is killed and started again
    let (mut b, _, _) = spawn_till("work-40", &url, sim.base_url(), customer, rng.next(), &log);
    let mut killed = 0;
    let (mut mid_binding, mut mid_charge) = (0, 0);
    let mut restarted_server = false;
    // at least KILLS kills, and until one landed mid-binding and one mid-charge
    while killed < KILLS || mid_binding == 0 || mid_charge == 0 {
        assert!(
            killed < 4 * KILLS,
            "{killed} kills and still none mid-binding ({mid_binding}) or mid-charge ({mid_charge})"
        );
        let (mut a, phase, reader) = spawn_till("work-1000", &url, sim.base_url(), customer, rng.next(), &log);
        // every other kill lands at a random moment; the rest wait for the till to be in the
        // middle of a binding or of a charge, then strike within a few milliseconds
        let target = match killed % 4 {
            1 => Some("binding"),
            3 => Some("charging"),
            _ => None,
        };
        match target {
            None => std::thread::sleep(Duration::from_millis(50 + rng.next() % 400)),
            Some(want) => {
                let deadline = Instant::now() + Duration::from_secs(20);
                while *phase.lock().unwrap() != want && Instant::now() < deadline {
                    std::thread::sleep(Duration::from_millis(1));
                }
                std::thread::sleep(Duration::from_millis(rng.next() % 20));
            }
        }
        let _ = a.kill(); // SIGKILL
        let _ = a.wait();
        // the last phase it reported before it died (its output is read to the end)
        reader.join().unwrap();
        let at = phase.lock().unwrap().clone();
        match at.as_str() {
            "binding" => mid_binding += 1,
            "charging" => mid_charge += 1,
            _ => {}
        }
        killed += 1;
        if killed == KILLS / 2 {
            // the server goes away for a moment while B (and the next A) work
            server.stop();
            std::thread::sleep(Duration::from_millis(1200));
            server.resume();
            restarted_server = true;
        }
    }
    let deadline = Instant::now() + Duration::from_secs(180);
    while b.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "till B never finished: {}", std::fs::read_to_string(&log).unwrap());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(b.wait().unwrap().success(), "till B failed: {}", std::fs::read_to_string(&log).unwrap());

    // a till starts and reconciles until Antom has settled everything
    let conn = cardbind_core::db::open_postgres(&url).unwrap();
    // beyond a claim lease (CLAIM_LEASE, 120 s): a release lost in the server restart is taken
    // over when its lease runs out
    let deadline = Instant::now() + Duration::from_secs(200);
    loop {
        let open = open_rows(&conn);
        if open.is_empty() {
            break;
        }
        assert!(Instant::now() < deadline, "never settled (now {}): {open:?}", cardbind_core::db::now_ms());
        let status = spawn_till("settle", &url, sim.base_url(), customer, 0, &log).0.wait().unwrap();
        assert!(status.success(), "settling failed: {}", std::fs::read_to_string(&log).unwrap());
        std::thread::sleep(Duration::from_millis(300));
    }

    // bindings: Antom's and ours, both directions, each once
    let ours: HashMap<String, (String, i64)> = conn
        .query_map(
            "SELECT a.vaulting_request_id, a.state, (SELECT COUNT(*) FROM cards k WHERE k.vaulting_request_id = a.vaulting_request_id)
             FROM binding_attempts a",
            (),
            |r| Ok((r.get::<String>(0)?, (r.get(1)?, r.get(2)?))),
        )
        .unwrap()
        .into_iter()
        .collect();
    let at_antom = sim.vaultings(CLIENT);
    let mut bound = 0;
    for (vr, status) in &at_antom {
        let (state, cards) = ours.get(vr).unwrap_or_else(|| panic!("{vr}: at Antom ({status:?}), not here"));
        match status {
            Status::Success => {
                bound += 1;
                assert_eq!((state.as_str(), *cards), ("SUCCEEDED", 1), "{vr}: bound at Antom, one card here");
            }
            Status::Fail => assert_eq!(*cards, 0, "{vr}"),
            other => panic!("{vr}: Antom still has it {other:?}"),
        }
    }
    for (vr, (state, cards)) in &ours {
        if !at_antom.iter().any(|(v, _)| v == vr) {
            assert_eq!((state.as_str(), *cards), ("ABANDONED", 0), "{vr}: never reached Antom");
        }
    }
    let cards_here: i64 = conn.query_row("SELECT COUNT(*) FROM cards", (), |r| r.get(0)).unwrap();
    assert_eq!(cards_here, bound, "every card here is a binding at Antom, once");

    // payments: the same set, amounts and outcomes
    let pays: HashMap<String, (i64, String)> = conn
        .query_map("SELECT payment_request_id, amount, state FROM payments", (), |r| {
            Ok((r.get::<String>(0)?, (r.get(1)?, r.get(2)?)))
        })
        .unwrap()
        .into_iter()
        .collect();
    let antoms = sim.payments(CLIENT);
    for p in &antoms {
        let (amount, state) =
            pays.get(&p.payment_request_id).unwrap_or_else(|| panic!("{}: at Antom, not here", p.payment_request_id));
        assert_eq!(amount.to_string(), p.amount_value, "{}", p.payment_request_id);
        let want = match p.status {
            // authorised; captured once a reconciliation after the capture asked
            PayStatus::Success if state == "AUTHORISED" => "AUTHORISED",
            PayStatus::Success => "CAPTURED",
            PayStatus::Fail => "DECLINED",
            PayStatus::Cancelled => "CANCELLED",
            PayStatus::Processing => panic!("{}: still processing at Antom", p.payment_request_id),
        };
        assert_eq!(state, want, "{}", p.payment_request_id);
    }
    let unsent = pays.values().filter(|(_, s)| s == "REFUSED").count();
    assert_eq!(pays.len(), antoms.len() + unsent, "every payment here reached Antom once, or Antom refused it");
    assert!(restarted_server);
    assert!(bound > 0 && !antoms.is_empty(), "the tills did work: {bound} bound, {} charged", antoms.len());
    eprintln!(
        "figure: {killed} kills of till A ({mid_binding} mid-binding, {mid_charge} mid-charge), one server restart: \
         {} vaultings at Antom ({bound} bound), {} payments at Antom; all here once, nothing else",
        at_antom.len(),
        antoms.len()
    );
    rt.block_on(sim.stop());
}

/// Child process of the two-till test (run only by it): a till's work loop, or settling.
#[test]
#[ignore = "child process of two_tills_bind_and_charge_together_through_kills_and_a_server_restart"]
fn till_child() {
    let Ok(mode) = std::env::var(CHILD) else { return };
    let url = std::env::var("TILL_DB").unwrap();
    let sim_url = std::env::var("TILL_SIM").unwrap();
    let customer: i64 = std::env::var("TILL_CUSTOMER").unwrap().parse().unwrap();
    let mut rng = Lcg(std::env::var("TILL_SEED").unwrap().parse().unwrap());
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let (client, key) = keyring_client(&sim_url);
        // the server may be restarting right now: wait for it, as the app's next command would
        let deadline = Instant::now() + Duration::from_secs(30);
        let conn = loop {
            match cardbind_core::db::open_postgres(&url) {
                Ok(c) => break c,
                Err(e) if Instant::now() < deadline => {
                    eprintln!("till: waiting for the database: {e:?}");
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                Err(e) => panic!("{e:?}"),
            }
        };
        // till A, each start of it (and the settling start) is one till; B another: A takes
        // back what it held when killed, B leaves it until A's lease runs out
        let till = Till::new(Arc::new(Mutex::new(conn)), client, key)
            .named(if mode == "work-40" { "till-b" } else { "till-a" });
        let payments = flows_of(till);
        let binding = payments.binding.clone();
        println!("READY");
        use std::io::Write;
        std::io::stdout().flush().unwrap();
        if mode == "settle" {
            payments.reconcile().await.unwrap();
            return;
        }
        let rounds: u32 = mode.trim_start_matches("work-").parse().unwrap();
        for i in 0..rounds {
            // what another till (or a killed one) left, as the app's reconciler does
            if let Err(e) = payments.reconcile().await {
                eprintln!("till: reconcile: {e:?}");
            }
            let card = CARDS[(rng.next() % CARDS.len() as u64) as usize];
            println!("PHASE binding");
            match binding.start(customer, None, &consent()).await {
                Ok(s) => {
                    let token = s.session_data.split("&&").next().unwrap().to_string();
                    cardbind_testkit::element_call(&sim_url, "submit", serde_json::json!({ "token": token,
                        "card": { "number": card, "expiryMonth": "09", "expiryYear": "33", "cvv": "123", "holderName": "S C" } })).await;
                    if card == "4000000000003220" {
                        cardbind_testkit::element_call(&sim_url, "challenge", serde_json::json!({ "token": token, "code": "1234", "approve": true })).await;
                    }
                    if let Err(e) = binding.wait_for_result(s.attempt.id, Duration::from_secs(5)).await {
                        eprintln!("till: binding {i}: {e:?}");
                    }
                }
                Err(e) => eprintln!("till: start {i}: {e:?}"),
            }
            println!("PHASE idle");
            if i % 2 == 1 {
                let cards: Vec<i64> = match cardbind_core::store::list_cards(
                    &cardbind_core::db::lock(binding.till().db()),
                    &cardbind_core::store::CardQuery { customer_id: Some(customer), ..Default::default() },
                ) {
                    Ok(p) => p.rows.iter().map(|c| c.id).collect(),
                    Err(e) => {
                        eprintln!("till: list: {e:?}");
                        continue;
                    }
                };
                if cards.is_empty() {
                    continue;
                }
                let input = ChargeInput {
                    card_id: cards[(rng.next() % cards.len() as u64) as usize],
                    amount: 100 + (rng.next() % 9_900) as i64,
                    currency: "USD".into(),
                    description: "two tills".into(),
                    reference: None,
                    customer_present: true,
                    device: None,
                    charge_key: None,
                };
                println!("PHASE charging");
                match payments.payments.charge(&input, None).await {
                    Ok(p) => {
                        if let Some(url) = &p.challenge_url {
                            let id = url.split("payment=").nth(1).unwrap();
                            cardbind_testkit::element_call(&sim_url, "pay-challenge", serde_json::json!({ "payment": id, "code": "1234", "approve": true })).await;
                        }
                        if let Err(e) = payments.payments.wait_for_result(p.id, Duration::from_secs(5)).await {
                            eprintln!("till: charge {i}: {e:?}");
                        }
                    }
                    Err(e) => eprintln!("till: charge {i}: {e:?}"),
                }
                println!("PHASE idle");
            }
        }
    });
}
