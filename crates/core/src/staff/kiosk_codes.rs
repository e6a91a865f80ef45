//! Kiosk codes: how a kiosk visitor saves a card to *their* existing customer record.
//!
//! A phone or loyalty number is no secret (anyone may know a neighbour's), so at the kiosk a
//! number never unlocks an existing customer: it always starts a new customer record for this
//! visit, and the visitor sees nothing but what they typed (`kiosk_identify` among the use cases).
//! To add a card to an existing record, staff give the customer a one-time code from the
//! customer's page ([`issue_code`]); typed at the kiosk it names that customer for one visit
//! ([`redeem`]). Codes are [`CODE_DIGITS`] digits, work once, expire after [`CODE_TTL`], and a
//! new code replaces the customer's earlier ones; wrong codes are throttled like PINs, on a
//! counter of their own. Only a SHA-256 hash of a code is stored (a short-lived 6-digit code
//! gains little from a slow hash; the throttle is what stops guessing at the kiosk).

use crate::db::{lock, Db};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::staff::{self, Guessing};
use crate::store;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::time::Duration;
use ts_rs::TS;

/// Digits in a kiosk code.
pub const CODE_DIGITS: usize = 6;
/// How long a kiosk code works.
pub const CODE_TTL: Duration = Duration::from_secs(30 * 60);

/// A code to read out or hand to the customer.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KioskCode {
    pub code: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

/// What the database keeps of a code: an HMAC under the shop's row key where this till holds it
/// (issue 30: an unkeyed hash of six digits inverts in 10^6 tries; this one needs a till's key),
/// else a plain hash (a till with no shop: its own file).
fn hash(conn: &crate::db::Connection, code: &str) -> String {
    match conn.row_key() {
        Some(k) => crate::crypto::hex(&k.mac("kiosk code", &[code.into()])),
        None => crate::crypto::hex(&Sha256::digest(format!("cardbind kiosk code:{code}").as_bytes())),
    }
}

/// A new code for `customer_id` (which must exist), replacing their earlier unused codes.
pub fn issue_code(db: &Db, customer_id: i64, by: Option<i64>) -> AppResult<KioskCode> {
    let conn = lock(db);
    store::get_customer(&conn, customer_id)?;
    let now = crate::db::now_ms();
    // a code open for another customer is never handed out twice
    let code = loop {
        let mut r = [0u8; 4];
        getrandom::fill(&mut r).map_err(|e| AppError::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
        let code = format!("{:0width$}", u32::from_be_bytes(r) % 10u32.pow(CODE_DIGITS as u32), width = CODE_DIGITS);
        if !store::kiosk_codes::is_open(&conn, &hash(&conn, &code), now)? {
            break code;
        }
    };
    let expires = now + CODE_TTL.as_millis() as i64;
    store::kiosk_codes::issue(&conn, customer_id, &hash(&conn, &code), by, expires)?;
    store::audit(&conn, by, "customer.kiosk_code", Some(&format!("customer:{customer_id}")), None)?;
    Ok(KioskCode { code, expires_at: crate::db::rfc3339_ms(expires) })
}

/// The customer a code typed at the kiosk names; it is used up. Wrong, used and expired codes
/// are one error (a guesser learns nothing) and count towards the pause.
pub fn redeem(db: &Db, till: &str, code: &str) -> AppResult<i64> {
    let conn = lock(db);
    let now = crate::db::now_ms();
    let g = Guessing::KioskCode { till: till.to_string() };
    staff::check_not_paused(&conn, &g, now)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let found = if code.len() == CODE_DIGITS && code.bytes().all(|b| b.is_ascii_digit()) {
        store::kiosk_codes::redeem(&conn, &hash(&conn, &code), now)?
    } else {
        None
    };
    match found {
        Some(customer) => {
            store::audit(&conn, None, "kiosk.code_used", Some(&format!("customer:{customer}")), None)?;
            Ok(customer)
        }
        None => Err(staff::record_failure(&conn, &g, now)?),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_with_customer() -> (Db, i64) {
        let db = crate::db::shared(crate::db::open_for_test());
        let id = store::create_customer(
            &lock(&db),
            &store::CustomerInput { name: "Rita".into(), ..Default::default() },
            None,
        )
        .unwrap()
        .id;
        (db, id)
    }

    #[test]
    fn a_code_works_once_until_it_expires_and_a_new_one_replaces_it() {
        let (db, rita) = db_with_customer();
        let first = issue_code(&db, rita, None).unwrap();
        let second = issue_code(&db, rita, None).unwrap();
        let now = crate::db::now_ms();
        let conn = lock(&db);
        if first.code != second.code {
            assert_eq!(store::kiosk_codes::redeem(&conn, &hash(&conn, &first.code), now).unwrap(), None, "replaced");
        }
        let late = now + CODE_TTL.as_millis() as i64 + 1_000;
        assert_eq!(store::kiosk_codes::redeem(&conn, &hash(&conn, &second.code), late).unwrap(), None, "expired");
        assert_eq!(store::kiosk_codes::redeem(&conn, &hash(&conn, &second.code), now).unwrap(), Some(rita));
        assert_eq!(store::kiosk_codes::redeem(&conn, &hash(&conn, &second.code), now).unwrap(), None, "once");
        let stored: String = conn.query_row("SELECT code_hash FROM kiosk_codes LIMIT 1", (), |r| r.get(0)).unwrap();
        assert!(!stored.contains(&second.code), "only a hash is kept");
    }
}
