//! The shared card store on PostgreSQL (issue 19) with one million cards: list, deep page and
//! search p50/p99, and bindings per second from one and from two terminals. Run with
//! `cargo bench -p cardbind-core --bench store_postgres` (`make bench`).
//!
//! The server is a private PostgreSQL on loopback with its defaults for durability (`fsync` on,
//! `synchronous_commit` on), so a commit waits for the server's WAL flush as a shop's would.
//! "Two terminals" are two connections from two threads of this process, each committing
//! bindings as the app does (attempt, card and audit row in one transaction); the app adds its
//! calls to Antom, which this measures nothing of.

use cardbind_core::db::Connection;
use cardbind_core::params;
use cardbind_core::store::{self, CardQuery, CardSort};
mod common;

use common::{header, row};
use std::time::Instant;

const CUSTOMERS: i64 = 100_000;
const CARDS: i64 = 1_000_000;
const RUNS: usize = 201;

fn main() {
    let server = cardbind_testkit::pg::PgServer::start_durable();
    let url = server.fresh_database();
    let conn = cardbind_core::db::open_postgres(&url).unwrap();
    let fill = Instant::now();
    cardbind_core::synthetic::fill(&conn, CUSTOMERS, CARDS).unwrap();
    println!(
        "== card store on PostgreSQL (loopback), {CARDS} cards, {CUSTOMERS} customers (filled in {:.1} s) ==",
        fill.elapsed().as_secs_f64()
    );
    header();
    let page = |q: &CardQuery| store::list_cards(&conn, q).unwrap();

    let first = CardQuery { limit: Some(50), ..Default::default() };
    row("first page (50, most recent)", || drop(page(&first)), RUNS);

    let mut q = CardQuery { limit: Some(500), ..Default::default() };
    for _ in 0..1000 {
        q.after = page(&q).next;
    }
    let deep = CardQuery { limit: Some(50), ..q.clone() };
    row("page at row 500,000 (keyset cursor)", || drop(page(&deep)), RUNS);

    let last4 = CardQuery { text: Some("4242".into()), limit: Some(50), ..Default::default() };
    row("search last four 4242", || drop(page(&last4)), RUNS);
    let name = CardQuery { text: Some("customer 04321".into()), limit: Some(50), ..Default::default() };
    assert!(!page(&name).rows.is_empty(), "the name search (any case) finds the customer");
    row("search customer name prefix (any case)", || drop(page(&name)), RUNS);
    let one = CardQuery { customer_id: Some(4321), limit: Some(50), ..Default::default() };
    row("one customer's cards", || drop(page(&one)), RUNS);
    let brand = CardQuery {
        brand: Some("AMEX".into()),
        expires_from: Some(202701),
        expires_to: Some(202706),
        sort: CardSort::Expiry,
        limit: Some(50),
        ..Default::default()
    };
    row("brand + expiry window, by expiry", || drop(page(&brand)), RUNS);
    let soon = CardQuery { sort: CardSort::Expiry, limit: Some(50), ..Default::default() };
    row("first page by soonest expiry", || drop(page(&soon)), RUNS);
    row("customer search (prefix)", || drop(store::search_customers(&conn, "Customer 0999", 20).unwrap()), RUNS);

    // bindings: attempt + card + audit row, one transaction each, as BindingFlow commits them
    let bind = |c: &Connection, terminal: i64, i: i64| {
        let tx = c.unchecked_transaction().unwrap();
        let vr = format!("cb-t{terminal}-{i}");
        let attempt: i64 = tx
            .query_row(
                "INSERT INTO binding_attempts (vaulting_request_id, customer_id, state, created_at, updated_at) VALUES (?1, ?2, 'SUCCEEDED', 't', 't') RETURNING id",
                params![vr, i % CUSTOMERS + 1],
                |r| r.get(0),
            )
            .unwrap();
        tx.execute(
            "INSERT INTO cards (customer_id, attempt_id, vaulting_request_id, brand, masked_card_no, last4, token_sealed, bound_at) VALUES (?1, ?2, ?3, 'VISA', '************1111', '1111', ?4, '2030-01-01T00:00:00Z')",
            params![i % CUSTOMERS + 1, attempt, vr, vec![7u8; 120]],
        )
        .unwrap();
        store::audit(&tx, None, "card.bind", Some("bench"), None).unwrap();
        tx.commit().unwrap();
    };
    const EACH: i64 = 2000;
    let t = Instant::now();
    for i in 0..EACH {
        bind(&conn, 0, i);
    }
    let one = EACH as f64 / t.elapsed().as_secs_f64();
    let t = Instant::now();
    std::thread::scope(|s| {
        for terminal in 1..=2 {
            let url = url.clone();
            s.spawn(move || {
                let c = cardbind_core::db::open_postgres(&url).unwrap();
                for i in 0..EACH {
                    bind(&c, terminal, i);
                }
            });
        }
    });
    let two = (2 * EACH) as f64 / t.elapsed().as_secs_f64();
    println!("bindings committed per second, one terminal   {one:>8.0}");
    println!("bindings committed per second, two terminals  {two:>8.0}");
    let n: i64 = conn.query_row("SELECT COUNT(*) FROM cards", (), |r| r.get(0)).unwrap();
    assert_eq!(n, CARDS + 3 * EACH, "every binding once");
}
