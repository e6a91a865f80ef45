//! Payments: charge → result against the in-process simulator (as demo mode runs it), and the
//! payments list with one million payments (first page, deep page, searches). Prints p50/p99;
//! run with `cargo bench -p cardbind-core --bench payments`.

mod common;

use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, ClientConfig, Gateway, MerchantPrivateKey};
use antom_sim::{SimConfig, Simulator};
use cardbind_core::crypto::DataKey;
use cardbind_core::flows::payments::{ChargeInput, PaymentFlow, PaymentQuery, PaymentState};
use cardbind_core::flows::{BindingFlow, PollPolicy, Till};
use cardbind_core::store::{self, ConsentInput, CustomerInput};
use common::percentiles;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CUSTOMERS: i64 = 10_000;
const CARDS: i64 = 100_000;
const PAYMENTS: i64 = 1_000_000;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    charge_to_result();
    list_at_a_million();
}

fn charge_to_result() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let antom = MerchantPrivateKey::generate(2048).unwrap();
        let merchant = MerchantPrivateKey::generate(2048).unwrap();
        let sim = Simulator::start(SimConfig::new(antom.clone()).with_client("SANDBOX_BENCH", merchant.public_key()))
            .await
            .unwrap();
        let client = AntomClient::new(
            ClientConfig::new(Gateway::custom(sim.base_url()).unwrap(), "SANDBOX_BENCH", merchant, antom.public_key()),
            Arc::new(ReqwestTransport::new(Timeouts::default(), false).unwrap()),
        );
        let dir = tempfile::tempdir().unwrap();
        let conn = cardbind_core::db::open(&dir.path().join("cards.db")).unwrap();
        let customer = store::create_customer(&conn, &CustomerInput { name: "Bench".into(), ..Default::default() }, None)
            .unwrap()
            .id;
        let till = Arc::new(Till::new(Arc::new(Mutex::new(conn)), Arc::new(client), DataKey::generate()));
        let binding = BindingFlow::new(till.clone(), "https://m.example/n")
            .with_poll(PollPolicy { initial: Duration::from_millis(20), max: Duration::from_millis(100) });
        let consent = ConsentInput { text_version: "v1".into(), locale: "en".into() };
        let s = binding.start(customer, None, &consent).await.unwrap();
        let token = s.session_data.split("&&").next().unwrap().to_string();
        let card = serde_json::json!({ "number": "4111111111111111", "expiryMonth": "09", "expiryYear": "33", "cvv": "123", "holderName": "B" });
        cardbind_testkit::element_call(sim.base_url(), "submit", serde_json::json!({ "token": token, "card": card })).await;
        let card_id = binding.wait_for_result(s.attempt.id, Duration::from_secs(10)).await.unwrap().card_id.unwrap();
        let payments = PaymentFlow::new(till, "https://m.example/return", None);
        let input = ChargeInput {
            card_id,
            amount: 1250,
            currency: "EUR".into(),
            description: "bench".into(),
            reference: None,
            customer_present: true,
            device: None,
            charge_key: None,
        };
        let mut times = Vec::new();
        for _ in 0..201 {
            let t = Instant::now();
            let p = payments.charge(&input, None).await.unwrap();
            assert_eq!(p.state, PaymentState::Authorised);
            times.push(t.elapsed());
        }
        times.sort();
        println!("== charge → result, demo (in-process simulator, signed and verified, durable commits), 201 charges ==");
        println!("p50 {:>8.2} ms   p99 {:>8.2} ms", ms(times[100]), ms(times[198]));
    });
}

fn list_at_a_million() {
    let dir = tempfile::tempdir().unwrap();
    let conn = cardbind_core::db::open(&dir.path().join("cards.db")).unwrap();
    let fill = Instant::now();
    cardbind_core::synthetic::fill(&conn, CUSTOMERS, CARDS).unwrap();
    cardbind_core::synthetic::fill_payments(&conn, CARDS, PAYMENTS).unwrap();
    println!(
        "== payments list, {PAYMENTS} payments of {CARDS} cards (filled in {:.1} s); p50 / p99 of 201 runs ==",
        fill.elapsed().as_secs_f64()
    );
    let page = |q: &PaymentQuery| store::payments::list(&conn, q).unwrap();
    let report = |what: &str, q: &PaymentQuery| {
        let n = page(q).rows.len();
        let (p50, p99) = percentiles(|| drop(page(q)), 201);
        println!("{what:<44} {:>7.3} ms {:>7.3} ms  ({n} rows)", ms(p50), ms(p99));
    };
    report("first page (50, newest)", &PaymentQuery { limit: Some(50), ..Default::default() });
    let mut q = PaymentQuery { limit: Some(500), ..Default::default() };
    for _ in 0..1000 {
        q.after = page(&q).next;
    }
    report("page at row 500,000 (keyset cursor)", &PaymentQuery { limit: Some(50), ..q });
    report("search last four 0042", &PaymentQuery { text: Some("0042".into()), limit: Some(50), ..Default::default() });
    report(
        "search an Antom payment id",
        &PaymentQuery { text: Some(format!("2026{:020}", 654_321)), limit: Some(50), ..Default::default() },
    );
    report(
        "search an order reference",
        &PaymentQuery { text: Some("order-0654321".into()), limit: Some(50), ..Default::default() },
    );
    report(
        "search a customer name prefix",
        &PaymentQuery { text: Some("Customer 004321".into()), limit: Some(50), ..Default::default() },
    );
    report(
        "status filter: pending",
        &PaymentQuery { state: Some(PaymentState::Pending), limit: Some(50), ..Default::default() },
    );
    report("one customer's payments", &PaymentQuery { customer_id: Some(4321), limit: Some(50), ..Default::default() });
}
