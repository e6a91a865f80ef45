//! `kiosk_codes`: one-time codes staff give a customer so that, at the kiosk, the card they
//! save goes to their own customer record ([`crate::staff::kiosk_codes`] makes and checks them).

use crate::db::{Connection, OptionalExtension};
use crate::error::AppResult;
use crate::params;

/// Record a new code for `customer_id`; the customer's earlier unused codes stop working.
pub fn issue(
    conn: &Connection,
    customer_id: i64,
    code_hash: &str,
    by: Option<i64>,
    expires_at_ms: i64,
) -> AppResult<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM kiosk_codes WHERE customer_id = ?1 AND used_at IS NULL", [customer_id])?;
    tx.execute(
        "INSERT INTO kiosk_codes (customer_id, code_hash, issued_by, issued_at, expires_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![customer_id, code_hash, by, crate::db::now(), expires_at_ms],
    )?;
    tx.commit()?;
    Ok(())
}

/// Whether an unused, unexpired code with this hash exists (for any customer).
pub fn is_open(conn: &Connection, code_hash: &str, now_ms: i64) -> AppResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM kiosk_codes WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![code_hash, now_ms],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Use the open code with this hash: the customer it was for, or `None`. One use only.
pub fn redeem(conn: &Connection, code_hash: &str, now_ms: i64) -> AppResult<Option<i64>> {
    let tx = conn.unchecked_transaction()?;
    let found: Option<(i64, i64)> = tx
        .query_row(
            "SELECT id, customer_id FROM kiosk_codes WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
            params![code_hash, now_ms],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, customer)) = found else { return Ok(None) };
    tx.execute("UPDATE kiosk_codes SET used_at = ?2 WHERE id = ?1", params![id, crate::db::now()])?;
    tx.commit()?;
    Ok(Some(customer))
}
