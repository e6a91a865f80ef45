//! The card store with one million cards: page, search and insert times. Run with
//! `cargo bench -p cardbind-core --bench store`; prints figures (median of repeated runs).

use cardbind_core::params;
use cardbind_core::store::{self, CardQuery, CardSort};
mod common;

use common::{header, median, row};
use std::time::Instant;

const CUSTOMERS: i64 = 100_000;
const CARDS: i64 = 1_000_000;
const RUNS: usize = 201;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cards.db");
    let conn = cardbind_core::db::open(&path).unwrap();
    let fill = Instant::now();
    cardbind_core::synthetic::fill(&conn, CUSTOMERS, CARDS).unwrap();
    println!(
        "== card store, {CARDS} cards, {CUSTOMERS} customers (filled in {:.1} s) ==",
        fill.elapsed().as_secs_f64()
    );

    header();
    let page = |q: &CardQuery| store::list_cards(&conn, q).unwrap();
    let first = CardQuery { limit: Some(50), ..Default::default() };
    row("first page (50, most recent)", || drop(page(&first)), RUNS);

    // walk to row 500,000 with the cursor, then time that page
    let mut q = CardQuery { limit: Some(500), ..Default::default() };
    for _ in 0..1000 {
        q.after = page(&q).next;
    }
    let deep = CardQuery { limit: Some(50), ..q.clone() };
    let (at, id) = deep.after.as_deref().unwrap().rsplit_once('|').unwrap();
    let plan: Vec<String> = conn
        .prepare("EXPLAIN QUERY PLAN SELECT k.id FROM cards k CROSS JOIN customers c ON c.id = k.customer_id WHERE k.removed_at IS NULL AND (k.bound_at, k.id) < (?1, ?2) ORDER BY k.bound_at DESC, k.id DESC LIMIT 51")
        .unwrap()
        .query_map(params![at, id.parse::<i64>().unwrap()], |r| r.get::<String>(3))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    println!("(deep page plan: {})", plan.join("; "));
    row("page at row 500,000 (keyset cursor)", || drop(page(&deep)), RUNS);

    let last4 = CardQuery { text: Some("4242".into()), limit: Some(50), ..Default::default() };
    let n = page(&last4).rows.len();
    row(&format!("search last four 4242 ({n} shown)"), || drop(page(&last4)), RUNS);

    let name = CardQuery { text: Some("Customer 04321".into()), limit: Some(50), ..Default::default() };
    let n = page(&name).rows.len();
    row(&format!("search customer name prefix ({n} shown)"), || drop(page(&name)), RUNS);

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

    // insert: one card per transaction (attempt + card + audit), as a binding commits it; with the
    // app's durable commits (synchronous = FULL: the WAL is synced at every commit), then with
    // NORMAL for comparison (what the app ran before commits were made durable).
    let mut i = CARDS;
    let mut insert_one = || {
        i += 1;
        let tx = conn.unchecked_transaction().unwrap();
        let vr = format!("cb-new-{i}");
        tx.execute("INSERT INTO binding_attempts (id, vaulting_request_id, customer_id, state, created_at, updated_at) VALUES (?1, ?2, 1, 'SUCCEEDED', 't', 't')", params![i, vr]).unwrap();
        tx.execute(
            "INSERT INTO cards (customer_id, attempt_id, vaulting_request_id, brand, masked_card_no, last4, token_sealed, bound_at) VALUES (1, ?1, ?2, 'VISA', '************1111', '1111', x'00', '2030-01-01T00:00:00Z')",
            params![i, vr],
        )
        .unwrap();
        store::audit(&tx, None, "card.bind", Some("bench"), None).unwrap();
        tx.commit().unwrap();
    };
    let durable = median(&mut insert_one, 501);
    println!("insert one bound card, durable (FULL)   {:>8.3} ms", durable.as_secs_f64() * 1e3);
    conn.execute_batch("PRAGMA synchronous = NORMAL").unwrap();
    let normal = median(&mut insert_one, 501);
    conn.execute_batch("PRAGMA synchronous = FULL").unwrap();
    println!("insert one bound card, NORMAL (before)  {:>8.3} ms", normal.as_secs_f64() * 1e3);
    let size = std::fs::metadata(&path).unwrap().len()
        + std::fs::metadata(path.with_extension("db-wal")).map(|m| m.len()).unwrap_or(0);
    println!("database size                           {:>8.1} MB", size as f64 / 1e6);
}
