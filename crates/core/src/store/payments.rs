//! Payments and refunds (`payments`, `refunds`): the rows of the payment state machine in
//! [`crate::flows::payments`], which decides the transitions; this module only reads and writes them.
//! The list uses keyset paging on indexed orders, so a page costs the same at row 10 and at row
//! 1,000,000.

use super::sql::{invalid, ordered_join, prefix};
use crate::db::now;
use crate::db::Value as Sql;
use crate::db::{Connection, OptionalExtension, Row};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

crate::wire_enum! {
    /// Where a charge of a saved card is. The UI's list is generated from this one.
    pub enum PaymentState {
        /// Recorded; pay not answered yet (or the answer was lost): Antom is asked again.
        Sending = "SENDING",
        /// Antom answered PAYMENT_IN_PROCESS (3D Secure, a slow issuer) or did not know yet.
        Pending = "PENDING",
        /// Authorised: the card's issuer holds the amount; the automatic capture is not known yet.
        Authorised = "AUTHORISED",
        /// Authorised and captured: the money is the shop's (less what refunds took back).
        Captured = "CAPTURED",
        /// Authorised, but the capture failed: nothing is owed, nothing can be refunded.
        CaptureFailed = "CAPTURE_FAILED",
        /// The card was declined; nothing was charged.
        Declined = "DECLINED",
        /// Antom refused the request itself (a set-up or program error); nothing was charged.
        Refused = "REFUSED",
        /// Cancelled (voided) before settlement; nothing stays charged.
        Cancelled = "CANCELLED",
    }
}

impl PaymentState {
    /// pay's answer is known (authorised or not): only the capture (of an authorised payment)
    /// or a cancel changes it any more.
    pub fn is_final(self) -> bool {
        !matches!(self, PaymentState::Sending | PaymentState::Pending)
    }

    /// Nothing is left to learn from Antom: final, and not waiting for its capture.
    pub fn is_settled(self) -> bool {
        self.is_final() && self != PaymentState::Authorised
    }

    /// The card was charged (authorised, or captured): a cancel may void it.
    pub fn is_charged(self) -> bool {
        matches!(self, PaymentState::Authorised | PaymentState::Captured)
    }
}

/// How long after it is made an AUTHORISED payment is still asked about by reconciliation: the
/// capture window Antom documents for other products is 7 days (One-time Payments' is
/// UNCONFIRMED), and a day more for clocks and late reports. Older ones are asked on demand.
pub const CAPTURE_WINDOW_DAYS: i64 = 8;

crate::wire_enum! {
    /// Where a refund is.
    pub enum RefundState {
        /// Recorded; refund not answered yet: Antom is asked again.
        Sending = "SENDING",
        /// Antom has not finished it.
        Pending = "PENDING",
        Succeeded = "SUCCEEDED",
        /// Refused (more than is left, a cancelled payment, …); nothing was refunded.
        Failed = "FAILED",
    }
}

impl RefundState {
    pub fn is_final(self) -> bool {
        matches!(self, RefundState::Succeeded | RefundState::Failed)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub id: i64,
    pub payment_request_id: String,
    pub card_id: i64,
    pub customer_id: i64,
    pub customer_name: String,
    pub currency: String,
    /// Minor units in the currency's exponent.
    #[ts(type = "number")]
    pub amount: i64,
    /// Minor units refunded so far (succeeded refunds).
    #[ts(type = "number")]
    pub refunded: i64,
    pub description: String,
    pub reference: String,
    pub customer_present: bool,
    pub state: PaymentState,
    /// Antom's `paymentId`, once known.
    pub payment_id: Option<String>,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    /// Where the buyer passes 3D Secure, while the payment waits for it.
    pub challenge_url: Option<String>,
    pub authorization_code: Option<String>,
    pub brand: String,
    pub masked_card_no: String,
    pub last4: String,
    pub three_ds: bool,
    pub staff_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub paid_at: Option<String>,
    /// `merchantRegion` as sent with this payment (the shop's setting when it was made).
    pub merchant_region: Option<String>,
    /// `paymentNotifyUrl` as sent with this payment; the backend's business only.
    #[serde(skip)]
    #[ts(skip)]
    pub notify_url: Option<String>,
    /// Antom's capture id, once captured.
    pub capture_id: Option<String>,
    /// Why the capture failed (Antom's code), when it did.
    pub capture_code: Option<String>,
    pub captured_at: Option<String>,
    /// What Antom said of the capture ("S", "F"), also when it came before the authorisation
    /// was applied; the state says it once the payment is authorised.
    #[serde(skip)]
    #[ts(skip)]
    pub capture_status: Option<String>,
    /// `env` as sent (JSON); the backend's business only.
    #[serde(skip)]
    #[ts(skip)]
    pub env: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub id: i64,
    pub refund_request_id: String,
    pub payment_row: i64,
    #[ts(type = "number")]
    pub amount: i64,
    pub reason: Option<String>,
    pub state: RefundState,
    pub refund_id: Option<String>,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    pub staff_id: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
    pub refunded_at: Option<String>,
    /// `refundNotifyUrl` as sent with this refund; the backend's business only.
    #[serde(skip)]
    #[ts(skip)]
    pub notify_url: Option<String>,
}

const PAYMENT_COLS: &str = "p.id, p.payment_request_id, p.card_id, p.customer_id, c.name, p.currency, p.amount, \
    p.refunded, p.description, p.reference, p.customer_present, p.state, p.payment_id, p.result_code, \
    p.result_message, p.challenge_url, p.authorization_code, p.brand, p.masked_card_no, p.last4, p.three_ds, \
    p.staff_id, p.created_at, p.updated_at, p.paid_at, p.merchant_region, p.notify_url, p.capture_id, \
    p.capture_code, p.captured_at, p.capture_status, p.env";

fn payment_row(r: &Row) -> crate::db::Result<Payment> {
    Ok(Payment {
        id: r.get(0)?,
        payment_request_id: r.get(1)?,
        card_id: r.get(2)?,
        customer_id: r.get(3)?,
        customer_name: r.get(4)?,
        currency: r.get(5)?,
        amount: r.get(6)?,
        refunded: r.get(7)?,
        description: r.get(8)?,
        reference: r.get(9)?,
        customer_present: r.get(10)?,
        // An unknown state (a newer version's) reads as one that is asked about again.
        state: PaymentState::parse(&r.get::<String>(11)?).unwrap_or(PaymentState::Pending),
        payment_id: r.get(12)?,
        result_code: r.get(13)?,
        result_message: r.get(14)?,
        challenge_url: r.get(15)?,
        authorization_code: r.get(16)?,
        brand: r.get(17)?,
        masked_card_no: r.get(18)?,
        last4: r.get(19)?,
        three_ds: r.get(20)?,
        staff_id: r.get(21)?,
        created_at: r.get(22)?,
        updated_at: r.get(23)?,
        paid_at: r.get(24)?,
        merchant_region: r.get(25)?,
        notify_url: r.get(26)?,
        capture_id: r.get(27)?,
        capture_code: r.get(28)?,
        captured_at: r.get(29)?,
        capture_status: r.get(30)?,
        env: r.get(31)?,
    })
}

const REFUND_COLS: &str = "id, refund_request_id, payment_row, amount, reason, state, refund_id, result_code, \
    result_message, staff_id, created_at, updated_at, refunded_at, notify_url";

fn refund_row(r: &Row) -> crate::db::Result<Refund> {
    Ok(Refund {
        id: r.get(0)?,
        refund_request_id: r.get(1)?,
        payment_row: r.get(2)?,
        amount: r.get(3)?,
        reason: r.get(4)?,
        state: RefundState::parse(&r.get::<String>(5)?).unwrap_or(RefundState::Pending),
        refund_id: r.get(6)?,
        result_code: r.get(7)?,
        result_message: r.get(8)?,
        staff_id: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        refunded_at: r.get(12)?,
        notify_url: r.get(13)?,
    })
}

/// A charge as it is recorded before pay is sent.
#[derive(Debug, Clone)]
pub struct NewPayment<'a> {
    pub payment_request_id: &'a str,
    pub card_id: i64,
    pub customer_id: i64,
    pub currency: &'a str,
    pub amount: i64,
    pub description: &'a str,
    pub reference: &'a str,
    pub customer_present: bool,
    pub brand: &'a str,
    pub masked_card_no: &'a str,
    pub last4: &'a str,
    pub staff_id: Option<i64>,
    pub merchant_region: Option<&'a str>,
    pub notify_url: Option<&'a str>,
    pub env: Option<&'a str>,
    /// The charge dialog's key (none: a charge made without a dialog, e.g. by a schedule).
    pub charge_key: Option<&'a str>,
}

pub fn insert(conn: &Connection, p: &NewPayment) -> AppResult<i64> {
    let t = now();
    Ok(conn.query_row(
        "INSERT INTO payments (payment_request_id, card_id, customer_id, currency, amount, description, reference,
             customer_present, state, brand, masked_card_no, last4, staff_id, created_at, updated_at,
             merchant_region, notify_url, env, charge_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'SENDING', ?9, ?10, ?11, ?12, ?13, ?13, ?14, ?15, ?16, ?17)
         RETURNING id",
        params![
            p.payment_request_id,
            p.card_id,
            p.customer_id,
            p.currency,
            p.amount,
            p.description,
            p.reference,
            p.customer_present,
            p.brand,
            p.masked_card_no,
            p.last4,
            p.staff_id,
            t,
            p.merchant_region,
            p.notify_url,
            p.env,
            p.charge_key
        ],
        |r| r.get(0),
    )?)
}

/// The payment a charge dialog's key made, if it made one: its row id, card and amount.
pub fn by_charge_key(conn: &Connection, key: &str) -> AppResult<Option<(i64, i64, i64)>> {
    Ok(conn
        .query_row("SELECT id, card_id, amount FROM payments WHERE charge_key = ?1", [key], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .optional()?)
}

/// What `staff_id` charged since `since` (RFC 3339) in `currency`, in minor units: every charge
/// recorded under their name that was not declined, refused or cancelled (pending ones count).
pub fn charged_by_since(conn: &Connection, staff_id: i64, since: &str, currency: &str) -> AppResult<i64> {
    Ok(conn.query_row(
        "SELECT CAST(IFNULL(SUM(amount), 0) AS BIGINT) FROM payments
         WHERE staff_id = ?1 AND created_at >= ?2 AND currency = ?3
           AND state NOT IN ('DECLINED', 'REFUSED', 'CANCELLED')",
        params![staff_id, since, currency],
        |r| r.get(0),
    )?)
}

/// Hold `payment_row` for the rest of the caller's transaction (a row lock on PostgreSQL, the
/// write lock on SQLite): two tills refunding one payment at once are taken one after the other,
/// so the second reads what the first committed.
pub fn lock_row(conn: &Connection, payment_row: i64) -> AppResult<()> {
    conn.execute("UPDATE payments SET updated_at = updated_at WHERE id = ?1", [payment_row])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> AppResult<Payment> {
    conn.query_row(
        &format!("SELECT {PAYMENT_COLS} FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?1"),
        [id],
        payment_row,
    )
    .optional()?
    .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("payment {id} does not exist")))
}

pub fn by_request(conn: &Connection, payment_request_id: &str) -> AppResult<Option<Payment>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {PAYMENT_COLS} FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.payment_request_id = ?1"
            ),
            [payment_request_id],
            payment_row,
        )
        .optional()?)
}

/// The payment Antom calls `payment_id`.
pub fn by_payment_id(conn: &Connection, payment_id: &str) -> AppResult<Option<Payment>> {
    Ok(conn
        .query_row(
            &format!("SELECT {PAYMENT_COLS} FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.payment_id = ?1"),
            [payment_id],
            payment_row,
        )
        .optional()?)
}

/// What Antom said of a payment, written as one update.
#[derive(Debug, Clone, Default)]
pub struct PaymentUpdate<'a> {
    pub payment_id: Option<&'a str>,
    pub result_code: Option<&'a str>,
    pub result_message: Option<&'a str>,
    pub challenge_url: Option<&'a str>,
    pub authorization_code: Option<&'a str>,
    pub network_transaction_id: Option<&'a str>,
    pub three_ds: bool,
    pub paid_at: Option<&'a str>,
}

pub fn set_state(conn: &Connection, id: i64, state: PaymentState, u: &PaymentUpdate) -> AppResult<()> {
    conn.execute(
        "UPDATE payments SET state = ?2, payment_id = IFNULL(?3, payment_id), result_code = IFNULL(?4, result_code),
             result_message = IFNULL(?5, result_message), challenge_url = ?6,
             authorization_code = IFNULL(?7, authorization_code),
             network_transaction_id = IFNULL(?8, network_transaction_id), three_ds = three_ds OR ?9,
             paid_at = IFNULL(?10, paid_at), updated_at = ?11
         WHERE id = ?1",
        params![
            id,
            state.as_str(),
            u.payment_id,
            u.result_code,
            u.result_message,
            u.challenge_url,
            u.authorization_code,
            u.network_transaction_id,
            u.three_ds,
            u.paid_at,
            now()
        ],
    )?;
    Ok(())
}

/// Antom's word on the capture of `id` ("S" captured, "F" failed), kept whatever the state
/// (a notifyCapture may come before pay's answer is applied); the first word stays.
pub fn record_capture(
    conn: &Connection,
    id: i64,
    status: &str,
    capture_id: Option<&str>,
    code: Option<&str>,
    at: Option<&str>,
) -> AppResult<()> {
    conn.execute(
        "UPDATE payments SET capture_status = ?2, capture_id = IFNULL(?3, capture_id), capture_code = ?4,
             captured_at = ?5, updated_at = ?6
         WHERE id = ?1 AND capture_status IS NULL",
        params![id, status, capture_id, code, at, now()],
    )?;
    Ok(())
}

/// An AUTHORISED payment whose capture is recorded moves to CAPTURED or CAPTURE_FAILED (once:
/// the state is checked on the row itself). True when it moved now.
pub fn settle_capture(conn: &Connection, id: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE payments SET state = CASE capture_status WHEN 'S' THEN 'CAPTURED' ELSE 'CAPTURE_FAILED' END,
             updated_at = ?2
         WHERE id = ?1 AND state = 'AUTHORISED' AND capture_status IN ('S', 'F')",
        params![id, now()],
    )? == 1)
}

/// AUTHORISED payments made within [`CAPTURE_WINDOW_DAYS`] (oldest first): their capture is
/// asked about.
pub fn awaiting_capture(conn: &Connection) -> AppResult<Vec<i64>> {
    let since = (time::OffsetDateTime::now_utc() - time::Duration::days(CAPTURE_WINDOW_DAYS))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("formatting UTC time cannot fail");
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM payments WHERE state = 'AUTHORISED' AND created_at >= ?1 ORDER BY created_at, id",
    )?;
    let ids = stmt.query_map([since], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

/// A cancel is asked for `id` (kept until Antom answers it; asking again changes nothing).
pub fn request_cancel(conn: &Connection, id: i64, staff_id: Option<i64>) -> AppResult<()> {
    conn.execute(
        "UPDATE payments SET cancel_requested_at = IFNULL(cancel_requested_at, ?2),
             cancel_requested_by = IFNULL(cancel_requested_by, ?3)
         WHERE id = ?1",
        params![id, now(), staff_id],
    )?;
    Ok(())
}

/// Antom answered the cancel of `id` (done or refused): nothing is left to send.
pub fn cancel_done(conn: &Connection, id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE payments SET cancel_requested_at = NULL, cancel_requested_by = NULL WHERE id = ?1",
        params![id],
    )?;
    Ok(())
}

/// Payments whose cancel was asked for and not answered yet, oldest first.
pub fn cancels_pending(conn: &Connection) -> AppResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM payments WHERE cancel_requested_at IS NOT NULL ORDER BY id")?;
    let ids = stmt.query_map((), |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

/// Payments Antom has not settled yet (SENDING, PENDING), oldest first.
pub fn unsettled(conn: &Connection) -> AppResult<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM payments WHERE state IN ('SENDING', 'PENDING') ORDER BY created_at, id")?;
    let ids = stmt.query_map((), |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct PaymentQuery {
    pub customer_id: Option<i64>,
    pub card_id: Option<i64>,
    /// Four digits search the last four; an Antom payment id or the order reference (exact), or
    /// the customer's name (prefix).
    pub text: Option<String>,
    pub state: Option<PaymentState>,
    /// Made on or after / before these times (RFC 3339, as stored).
    pub from: Option<String>,
    pub to: Option<String>,
    /// The `next` cursor of the previous page.
    pub after: Option<String>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentPage {
    pub rows: Vec<Payment>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// Newest first, keyset-paged on (created_at, id).
pub fn list(conn: &Connection, q: &PaymentQuery) -> AppResult<PaymentPage> {
    let limit = q.limit.unwrap_or(50).clamp(1, 500) as i64;
    let mut wh: Vec<String> = Vec::new();
    let mut args: Vec<Sql> = Vec::new();
    let arg = |v: Sql, args: &mut Vec<Sql>| {
        args.push(v);
        format!("?{}", args.len())
    };
    if let Some(id) = q.customer_id {
        wh.push(format!("p.customer_id = {}", arg(Sql::Integer(id), &mut args)));
    }
    if let Some(id) = q.card_id {
        wh.push(format!("p.card_id = {}", arg(Sql::Integer(id), &mut args)));
    }
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let p = arg(Sql::Text(text.into()), &mut args);
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            wh.push(format!("p.last4 = {p}"));
        } else {
            wh.push(format!(
                "p.id IN (SELECT id FROM payments WHERE payment_id = {p} UNION SELECT id FROM payments WHERE reference = {p}
                 UNION SELECT id FROM payments WHERE payment_request_id = {p}
                 UNION SELECT p2.id FROM payments p2 WHERE p2.customer_id IN (SELECT id FROM customers WHERE {}))",
                prefix(conn.dialect(), "name", &p, true)
            ));
        }
    }
    if let Some(s) = q.state {
        wh.push(format!("p.state = {}", arg(Sql::Text(s.as_str().into()), &mut args)));
    }
    if let Some(f) = q.from.as_deref().filter(|f| !f.is_empty()) {
        wh.push(format!("p.created_at >= {}", arg(Sql::Text(f.into()), &mut args)));
    }
    if let Some(t) = q.to.as_deref().filter(|t| !t.is_empty()) {
        wh.push(format!("p.created_at < {}", arg(Sql::Text(t.into()), &mut args)));
    }
    if let Some(cur) = &q.after {
        let bad = || invalid("after: not a cursor from this list");
        let (at, id) = cur.rsplit_once('|').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        let a = arg(Sql::Text(at.into()), &mut args);
        let b = arg(Sql::Integer(id), &mut args);
        wh.push(format!("(p.created_at, p.id) < ({a}, {b})"));
    }
    let lim = arg(Sql::Integer(limit + 1), &mut args);
    let where_sql = if wh.is_empty() { String::new() } else { format!("WHERE {}", wh.join(" AND ")) };
    // CROSS JOIN keeps payments the outer loop, walking the index that matches the ORDER BY.
    let join = ordered_join(conn.dialect());
    let sql = format!(
        "SELECT {PAYMENT_COLS} FROM payments p {join} customers c ON c.id = p.customer_id {where_sql}
         ORDER BY p.created_at DESC, p.id DESC LIMIT {lim}"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows: Vec<Payment> = stmt.query_map(args, payment_row)?.collect::<Result<_, _>>()?;
    let next = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| format!("{}|{}", r.created_at, r.id))
    } else {
        None
    };
    Ok(PaymentPage { rows, next })
}

pub fn insert_refund(
    conn: &Connection,
    refund_request_id: &str,
    payment_row: i64,
    amount: i64,
    reason: Option<&str>,
    staff_id: Option<i64>,
    notify_url: Option<&str>,
) -> AppResult<i64> {
    let t = now();
    Ok(conn.query_row(
        "INSERT INTO refunds (refund_request_id, payment_row, amount, reason, state, staff_id, created_at, updated_at,
             notify_url)
         VALUES (?1, ?2, ?3, ?4, 'SENDING', ?5, ?6, ?6, ?7) RETURNING id",
        params![refund_request_id, payment_row, amount, reason, staff_id, t, notify_url],
        |r| r.get(0),
    )?)
}

pub fn get_refund(conn: &Connection, id: i64) -> AppResult<Refund> {
    conn.query_row(&format!("SELECT {REFUND_COLS} FROM refunds WHERE id = ?1"), [id], refund_row)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("refund {id} does not exist")))
}

pub fn refund_by_request(conn: &Connection, refund_request_id: &str) -> AppResult<Option<Refund>> {
    Ok(conn
        .query_row(
            &format!("SELECT {REFUND_COLS} FROM refunds WHERE refund_request_id = ?1"),
            [refund_request_id],
            refund_row,
        )
        .optional()?)
}

pub fn refunds_of(conn: &Connection, payment_row: i64) -> AppResult<Vec<Refund>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {REFUND_COLS} FROM refunds WHERE payment_row = ?1 ORDER BY id"))?;
    let rows = stmt.query_map([payment_row], refund_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

/// What refunds of a payment hold or may still take: succeeded, and those not answered yet.
/// (CAST: PostgreSQL sums BIGINT as NUMERIC.)
pub fn refunds_committed(conn: &Connection, payment_row: i64) -> AppResult<i64> {
    Ok(conn.query_row(
        "SELECT CAST(IFNULL(SUM(amount), 0) AS BIGINT) FROM refunds WHERE payment_row = ?1 AND state <> 'FAILED'",
        [payment_row],
        |r| r.get(0),
    )?)
}

/// Move a refund to `state`; a refund that becomes SUCCEEDED adds its amount to the payment's
/// `refunded` (the caller's transaction makes the two one change).
pub fn set_refund_state(
    conn: &Connection,
    id: i64,
    state: RefundState,
    refund_id: Option<&str>,
    code: Option<&str>,
    message: Option<&str>,
) -> AppResult<()> {
    let t = now();
    let before = get_refund(conn, id)?;
    // The amount is added by the one update that moves the refund to SUCCEEDED: on a shared
    // database another till may be applying the same answer at this moment, and `before` may
    // already be stale. The state condition is checked again on the row itself (PostgreSQL
    // re-reads it after the other till's commit; SQLite has one writer at a time).
    let became_succeeded = state == RefundState::Succeeded
        && conn
            .execute("UPDATE refunds SET state = 'SUCCEEDED' WHERE id = ?1 AND state <> 'SUCCEEDED'", params![id])?
            == 1;
    conn.execute(
        "UPDATE refunds SET state = ?2, refund_id = IFNULL(?3, refund_id), result_code = IFNULL(?4, result_code),
             result_message = IFNULL(?5, result_message), updated_at = ?6,
             refunded_at = CASE WHEN ?2 = 'SUCCEEDED' THEN IFNULL(refunded_at, ?6) ELSE refunded_at END
         WHERE id = ?1",
        params![id, state.as_str(), refund_id, code, message, t],
    )?;
    if became_succeeded {
        conn.execute(
            "UPDATE payments SET refunded = refunded + ?2, updated_at = ?3 WHERE id = ?1",
            params![before.payment_row, before.amount, t],
        )?;
    }
    Ok(())
}

pub fn unsettled_refunds(conn: &Connection) -> AppResult<Vec<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM refunds WHERE state IN ('SENDING', 'PENDING') ORDER BY id")?;
    let ids = stmt.query_map((), |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two tills on one shared database learn at the same moment that a refund succeeded: the
    /// payment's `refunded` grows by the refund's amount once, not once per till.
    #[test]
    fn a_refund_two_tills_see_succeed_is_counted_once() {
        let url = cardbind_testkit::pg::fresh_database();
        let setup = crate::db::open_postgres(&url).unwrap();
        crate::synthetic::fill(&setup, 2, 2).unwrap();
        crate::synthetic::fill_payments(&setup, 2, 4).unwrap();
        let payment: i64 =
            setup.query_row("SELECT MIN(id) FROM payments WHERE state = 'CAPTURED'", (), |r| r.get(0)).unwrap();
        let refund = insert_refund(&setup, "rf-race", payment, 100, None, None, None).unwrap();
        set_refund_state(&setup, refund, RefundState::Pending, Some("r-1"), None, None).unwrap();
        let before = get(&setup, payment).unwrap().refunded;

        let (tx_ready, rx_ready) = std::sync::mpsc::channel();
        let till1 = {
            let url = url.clone();
            std::thread::spawn(move || {
                let c = crate::db::open_postgres(&url).unwrap();
                let tx = c.unchecked_transaction().unwrap();
                set_refund_state(&tx, refund, RefundState::Succeeded, Some("r-1"), None, None).unwrap();
                tx_ready.send(()).unwrap();
                // the other till reads and writes while this one has not committed yet
                std::thread::sleep(std::time::Duration::from_millis(400));
                tx.commit().unwrap();
            })
        };
        rx_ready.recv().unwrap();
        let c2 = crate::db::open_postgres(&url).unwrap();
        let tx = c2.unchecked_transaction().unwrap();
        set_refund_state(&tx, refund, RefundState::Succeeded, Some("r-1"), None, None).unwrap();
        tx.commit().unwrap();
        till1.join().unwrap();
        assert_eq!(get(&setup, payment).unwrap().refunded, before + 100, "counted once");
    }
}
