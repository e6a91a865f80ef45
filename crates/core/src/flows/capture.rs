//! The capture of an authorised charge: a sibling of the payment machine on the same skeleton
//! ([`super::sending`]).
//!
//! ```text
//! AUTHORISED ──notifyCapture S / inquiryPayment CAPTURE SUCCESS──▶ CAPTURED
//!            ──notifyCapture F / inquiryPayment CAPTURE FAIL─────▶ CAPTURE_FAILED
//! ```
//!
//! Card charges are sent as authorisations with automatic capture (reference §9.1), so pay's
//! `S` (and notifyPayment's) says *authorised*; the capture is reported on its own, by
//! notifyCapture or by the `CAPTURE` entry of inquiryPayment's `transactions[]`, whichever comes
//! first. Both go through [`apply`]: Antom's word is recorded on the payment once (the first
//! word stays), and an AUTHORISED payment moves on in the same transaction. A capture reported
//! before pay's answer was applied is kept and taken up when the authorisation is
//! ([`super::payments`] calls [`settle`]). Only a CAPTURED payment can be refunded.

use super::sending::{self, Report, Settled};
use super::till::{Item, Till};
use crate::db::{lock, Connection};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::{self, payments as rows};
use antom::model::{InquiryPaymentRequest, NotifyCapture};
use antom::outcome::CaptureOutcome;
use std::sync::Arc;

pub use crate::store::payments::{Payment, PaymentState};

/// Record Antom's word on the capture of payment `id` and settle it, in the caller's
/// transaction.
pub fn apply(conn: &Connection, id: i64, outcome: &CaptureOutcome) -> AppResult<()> {
    match outcome {
        CaptureOutcome::Captured { capture_id, capture_time } => {
            let at = capture_time.clone().unwrap_or_else(crate::db::now);
            rows::record_capture(conn, id, "S", capture_id.as_deref(), None, Some(&at))?;
        }
        CaptureOutcome::Failed { code, .. } => rows::record_capture(conn, id, "F", None, Some(code), None)?,
    }
    settle(conn, id)
}

/// Move an AUTHORISED payment whose capture is known on, once, with its audit line.
pub fn settle(conn: &Connection, id: i64) -> AppResult<()> {
    if rows::settle_capture(conn, id)? {
        let p = rows::get(conn, id)?;
        let (what, detail) = match p.state {
            PaymentState::Captured => ("payment.captured", p.capture_id.clone()),
            _ => ("payment.capture_failed", p.capture_code.clone()),
        };
        store::audit(conn, None, what, Some(&Item::Payment(id).to_string()), detail.as_deref())?;
    }
    Ok(())
}

pub struct CaptureFlow {
    till: Arc<Till>,
}

impl CaptureFlow {
    pub fn new(till: Arc<Till>) -> Self {
        CaptureFlow { till }
    }

    /// Apply a verified notifyCapture. `None` for a payment this app never made.
    pub fn apply_notification(&self, n: &NotifyCapture) -> AppResult<Option<Payment>> {
        let conn = lock(self.till.db());
        let Some(p) = rows::by_payment_id(&conn, &n.payment_id)? else { return Ok(None) };
        // A capture of another amount than ours is not this payment's.
        if n.capture_amount.currency != p.currency || n.capture_amount.minor() != u64::try_from(p.amount).ok() {
            return Err(AppError::new(ErrorCode::NotificationInvalid, "the capture's amount is not the payment's"));
        }
        let Some(outcome) = n.outcome() else { return Ok(Some(p)) };
        let tx = conn.unchecked_transaction()?;
        apply(&tx, p.id, &outcome)?;
        tx.commit()?;
        rows::get(&conn, p.id).map(Some)
    }

    pub async fn refresh(&self, payment_row: i64) -> AppResult<Payment> {
        refresh(&self.till, payment_row).await
    }

    /// Ask about every AUTHORISED payment of the capture window.
    pub async fn reconcile(&self) -> AppResult<Report> {
        let open = rows::awaiting_capture(&lock(self.till.db()))?;
        sending::reconcile(&self.till, open, Item::Payment, false, |id| async move {
            let p = refresh(&self.till, id).await?;
            Ok(if p.state.is_settled() { Settled::Final } else { Settled::Open })
        })
        .await
    }
}

/// Ask Antom about the capture of an AUTHORISED payment (inquiryPayment's `transactions[]`) and
/// apply what it says; the payment as it now stands (any other payment as it is).
pub async fn refresh(till: &Till, payment_row: i64) -> AppResult<Payment> {
    let p = rows::get(&lock(till.db()), payment_row)?;
    if p.state != PaymentState::Authorised {
        return Ok(p);
    }
    let resp = till
        .client()
        .call(&InquiryPaymentRequest { payment_request_id: Some(p.payment_request_id.clone()), ..Default::default() })
        .await?
        .body;
    let conn = lock(till.db());
    if let Some(outcome) = resp.capture() {
        let tx = conn.unchecked_transaction()?;
        apply(&tx, p.id, &outcome)?;
        tx.commit()?;
    }
    rows::get(&conn, payment_row)
}
