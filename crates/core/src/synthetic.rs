//! Synthetic customers, cards and payments for benchmarks (the store bench, the start-up bench). The
//! sealed tokens are placeholder bytes of a real sealed token's size: these rows are for
//! measuring lists, never for paying. Never used by the app itself.

use crate::db::now;
use crate::db::Connection;
use crate::error::AppResult;
use crate::params;

/// Insert `customers` customers and `cards` bound cards (ids from 1), in one transaction, then
/// ANALYZE and checkpoint as after any bulk import.
pub fn fill(conn: &Connection, customers: i64, cards: i64) -> AppResult<()> {
    let brands = ["VISA", "MASTERCARD", "AMEX", "JCB", "CUP", "DISCOVER"];
    {
        let tx = conn.unchecked_transaction()?;
        {
            let mut c = tx.prepare(
                "INSERT INTO customers (id, name, phone, created_at, updated_at) VALUES (?1, ?2, ?3, 't', 't')",
            )?;
            for i in 1..=customers {
                c.execute(params![i, format!("Customer {i:06}"), format!("+1 555 {i:07}")])?;
            }
            let mut a = tx
                .prepare("INSERT INTO binding_attempts (id, vaulting_request_id, customer_id, state, created_at, updated_at) VALUES (?1, ?2, ?3, 'SUCCEEDED', 't', 't')")
                ?;
            let mut k = tx
                .prepare(
                    "INSERT INTO cards (customer_id, attempt_id, vaulting_request_id, brand, masked_card_no, last4, expiry_month, expiry_year,
                     expiry_yyyymm, token_sealed, bound_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                ?;
            let sealed = vec![7u8; 120]; // the size of a sealed token
            for i in 1..=cards {
                let vr = format!("cb-{i:032x}");
                let customer = (i * 7919) % customers + 1;
                a.execute(params![i, vr, customer])?;
                let last4 = format!("{:04}", (i * 31) % 10_000);
                let (m, y) = (i % 12 + 1, 2026 + i % 8);
                let secs = 1_700_000_000 + i * 30;
                let bound = time::OffsetDateTime::from_unix_timestamp(secs)
                    .ok()
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                    .unwrap_or_else(now);
                k.execute(params![
                    customer,
                    i,
                    vr,
                    brands[(i % 6) as usize],
                    format!("************{last4}"),
                    last4,
                    m,
                    y,
                    y * 100 + m,
                    sealed,
                    bound
                ])?;
            }
        }
        // as the app writes them: sealed, where the connection holds the shop's row key
        if let Some(k) = tx.row_key() {
            crate::store::cards::seal_unsealed(&tx, &k)?;
        }
        tx.commit()?;
    }
    after_bulk_load(conn)?;
    Ok(())
}

/// Insert `payments` payments of the first `cards` cards (ids from 1), most of them captured, a
/// few declined, pending or cancelled, one every 20 s; then ANALYZE and checkpoint.
pub fn fill_payments(conn: &Connection, cards: i64, payments: i64) -> AppResult<()> {
    let states = [
        "CAPTURED",
        "CAPTURED",
        "CAPTURED",
        "CAPTURED",
        "CAPTURED",
        "CAPTURED",
        "DECLINED",
        "CAPTURED",
        "CANCELLED",
        "PENDING",
    ];
    {
        let tx = conn.unchecked_transaction()?;
        {
            let mut p = tx.prepare(
                "INSERT INTO payments (payment_request_id, card_id, customer_id, currency, amount, description, reference,
                     customer_present, state, payment_id, brand, masked_card_no, last4, created_at, updated_at)
                 SELECT ?1, k.id, k.customer_id, 'EUR', ?2, 'Synthetic sale', ?3, TRUE, ?4, ?5, k.brand, k.masked_card_no, k.last4, ?6, ?6
                 FROM cards k WHERE k.id = ?7",
            )?;
            for i in 1..=payments {
                let card = (i * 104_729) % cards + 1;
                let at = time::OffsetDateTime::from_unix_timestamp(1_760_000_000 + i * 20)
                    .ok()
                    .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
                    .unwrap_or_else(now);
                p.execute(params![
                    format!("pay-{i:032x}"),
                    100 + (i * 37) % 20_000,
                    format!("order-{i:07}"),
                    states[(i % 10) as usize],
                    format!("2026{i:020}"),
                    at,
                    card
                ])?;
            }
        }
        tx.commit()?;
    }
    after_bulk_load(conn)?;
    Ok(())
}

/// Fresh statistics after a bulk load (and on SQLite, the WAL folded into the file).
fn after_bulk_load(conn: &Connection) -> AppResult<()> {
    conn.execute_batch(match conn.dialect() {
        crate::db::Dialect::Sqlite => "ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);",
        crate::db::Dialect::Postgres => "ANALYZE",
    })?;
    crate::db::resync_ids(conn)
}
