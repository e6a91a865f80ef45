//! Refunds of a captured payment, in full or in part: a sibling of the payment machine
//! ([`super::payments`]) on the same skeleton ([`super::sending`]).
//!
//! ```text
//! SENDING ──refund S──▶ SUCCEEDED      (adds to the payment's `refunded`, once)
//!    │    ──refund F──▶ FAILED
//!    │    ──refund U──▶ PENDING ──inquiryRefund / notifyRefund──▶ SUCCEEDED | FAILED
//!    └─ answer lost: stays SENDING; inquiryRefund settles it, and when Antom never saw it the
//!       very same refund is sent again (same request id, same body)
//! ```
//!
//! A refund's `refundRequestId` and amount are committed before refund is sent, never more than
//! is left of the payment (succeeded and unanswered refunds count).

use super::payments::inconsistent;
use super::sending::{self, persist, Report, Settled};
use super::till::{Item, Mode, Till};
use crate::db::lock;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::{self, payments as rows};
use antom::codes;
use antom::model::{Amount, InquiryRefundRequest, NotifyRefund, RefundRequest};
use antom::outcome::{MoneyReadError, RefundOutcome};
use std::sync::Arc;

pub use crate::store::payments::{PaymentState, Refund, RefundState};

/// How long a refund waits for the capture of a payment authorised moments ago.
const CAPTURE_WAIT: std::time::Duration = std::time::Duration::from_secs(6);

pub struct RefundFlow {
    till: Arc<Till>,
    /// `refundNotifyUrl`, when the shop has a notification listener.
    notify_url: Option<String>,
}

impl RefundFlow {
    pub fn new(till: Arc<Till>, notify_url: Option<String>) -> Self {
        RefundFlow { till, notify_url }
    }

    pub fn refund_row(&self, id: i64) -> AppResult<Refund> {
        rows::get_refund(&lock(self.till.db()), id)
    }

    /// Record a refund, then send it. Only a captured payment (an AUTHORISED one is asked about
    /// its capture first), and never more than is left (what succeeded and pending refunds
    /// already hold counts).
    pub async fn refund(
        &self,
        payment_row: i64,
        amount: i64,
        reason: Option<&str>,
        staff_id: Option<i64>,
    ) -> AppResult<Refund> {
        let id = sending::new_request_id("refund");
        // A refund asked right after the sale: the automatic capture follows the authorisation
        // within moments, so it is waited for (a few seconds) before the refund is refused.
        let deadline = std::time::Instant::now() + CAPTURE_WAIT;
        while rows::get(&lock(self.till.db()), payment_row)?.state == PaymentState::Authorised {
            if super::capture::refresh(&self.till, payment_row).await?.state != PaymentState::Authorised
                || std::time::Instant::now() >= deadline
            {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        let (refund_row, _claim) = persist(&self.till, Item::Refund, |tx| {
            // Taken before what is left is read: on a shared database two tills refunding this
            // payment at once go one after the other, and the second sees the first's refund
            // (issue 29, item 4).
            rows::lock_row(tx, payment_row)?;
            let p = rows::get(tx, payment_row)?;
            match p.state {
                PaymentState::Captured => {}
                PaymentState::Authorised => return Err(AppError::new(
                    ErrorCode::RefundNotPossible,
                    "Antom has not confirmed the capture yet: there is nothing to refund until it does (or cancel it)",
                )),
                PaymentState::CaptureFailed => {
                    return Err(AppError::new(
                        ErrorCode::RefundNotPossible,
                        "the capture failed: nothing was taken from the card, so there is nothing to refund",
                    ))
                }
                _ => {
                    return Err(AppError::new(ErrorCode::RefundNotPossible, "only a captured payment can be refunded"))
                }
            }
            let left = p.amount - rows::refunds_committed(tx, p.id)?;
            if amount <= 0 || amount > left {
                return Err(AppError::new(
                    ErrorCode::RefundNotPossible,
                    format!(
                        "the refund must be above zero and at most {left} {} minor units (what is left)",
                        p.currency
                    ),
                ));
            }
            let reason = reason.map(str::trim).filter(|r| !r.is_empty());
            if reason.is_some_and(|r| r.chars().count() > 256) {
                return Err(AppError::new(ErrorCode::InvalidInput, "reason: at most 256 characters"));
            }
            let row = rows::insert_refund(tx, &id, p.id, amount, reason, staff_id, self.notify_url.as_deref())?;
            store::audit(
                tx,
                staff_id,
                "refund.request",
                Some(&Item::Payment(p.id).to_string()),
                Some(&format!("{}; {amount} {} minor units", Item::Refund(row), p.currency)),
            )?;
            Ok(row)
        })?;
        self.send_refund(refund_row).await
    }

    async fn send_refund(&self, refund_row: i64) -> AppResult<Refund> {
        let (r, p) = {
            let conn = lock(self.till.db());
            let r = rows::get_refund(&conn, refund_row)?;
            let p = rows::get(&conn, r.payment_row)?;
            (r, p)
        };
        let payment_id = p
            .payment_id
            .clone()
            .ok_or_else(|| AppError::new(ErrorCode::RefundNotPossible, "the payment has no Antom payment id"))?;
        let request = RefundRequest {
            refund_request_id: r.refund_request_id.clone(),
            payment_id,
            refund_amount: Amount::new(&p.currency, u64::try_from(r.amount).unwrap_or(0)),
            reference_refund_id: None,
            refund_reason: r.reason.clone(),
            refund_notify_url: r.notify_url.clone(),
        };
        match self.till.client().call(&request).await {
            Ok(resp) => match resp.body.outcome() {
                Ok(o) => Ok(self.apply_refund(&r.refund_request_id, o)?.unwrap_or(r)),
                Err(MoneyReadError::Inconsistent) => Err(inconsistent("refundRequestId", &r.refund_request_id)),
                Err(MoneyReadError::Refused(code)) => {
                    self.apply_refund(
                        &r.refund_request_id,
                        RefundOutcome::Failed { code: code.clone(), message: String::new() },
                    )?;
                    Err(AppError::new(ErrorCode::AntomFailed, format!("Antom refused the refund request: {code}")))
                }
                Err(_) => {
                    self.apply_refund(&r.refund_request_id, RefundOutcome::Pending { refund_id: None })?;
                    self.refund_row(r.id)
                }
            },
            Err(e) if e.is_transient() => self.refund_row(r.id),
            Err(e) => Err(e.into()),
        }
    }

    /// Apply Antom's word on a refund, idempotently.
    pub fn apply_refund(&self, refund_request_id: &str, outcome: RefundOutcome) -> AppResult<Option<Refund>> {
        let conn = lock(self.till.db());
        let Some(r) = rows::refund_by_request(&conn, refund_request_id)? else { return Ok(None) };
        if r.state.is_final() {
            return Ok(Some(r));
        }
        let tx = conn.unchecked_transaction()?;
        let target = Item::Payment(r.payment_row).to_string();
        match outcome {
            RefundOutcome::Succeeded { refund_id, .. } => {
                rows::set_refund_state(
                    &tx,
                    r.id,
                    RefundState::Succeeded,
                    Some(&refund_id),
                    Some(codes::SUCCESS),
                    None,
                )?;
                store::audit(&tx, None, "refund.succeeded", Some(&target), Some(&Item::Refund(r.id).to_string()))?;
            }
            RefundOutcome::Failed { code, message } => {
                rows::set_refund_state(&tx, r.id, RefundState::Failed, None, Some(&code), Some(&message))?;
                store::audit(&tx, None, "refund.failed", Some(&target), Some(&code))?;
            }
            RefundOutcome::Pending { refund_id } => {
                rows::set_refund_state(&tx, r.id, RefundState::Pending, refund_id.as_deref(), None, None)?;
            }
            RefundOutcome::NotFound => {}
        }
        tx.commit()?;
        Ok(Some(rows::get_refund(&conn, r.id)?))
    }

    /// One inquiryRefund, applied; Antom never saw it: the same refund is sent again.
    pub async fn refresh_refund(&self, refund_row: i64) -> AppResult<Refund> {
        let r = self.refund_row(refund_row)?;
        if r.state.is_final() {
            return Ok(r);
        }
        let resp = self
            .till
            .client()
            .call(&InquiryRefundRequest { refund_request_id: Some(r.refund_request_id.clone()), ..Default::default() })
            .await?
            .body;
        match resp.outcome() {
            Ok(RefundOutcome::NotFound) if r.state == RefundState::Sending => {
                // only one step of one till sends it again
                let Some(_claim) = self.till.claim(&lock(self.till.db()), Item::Refund(r.id), Mode::Within)? else {
                    return Ok(r);
                };
                self.send_refund(r.id).await
            }
            Ok(RefundOutcome::NotFound) => Ok(r),
            Ok(o) => Ok(self.apply_refund(&r.refund_request_id, o)?.unwrap_or(r)),
            Err(MoneyReadError::Inconsistent) => Err(inconsistent("refundRequestId", &r.refund_request_id)),
            Err(_) => Ok(r),
        }
    }

    /// Apply a verified notifyRefund.
    pub fn apply_refund_notification(&self, n: &NotifyRefund) -> AppResult<Option<Refund>> {
        let outcome = n.outcome().map_err(|e| AppError::new(ErrorCode::NotificationInvalid, e.to_string()))?;
        self.apply_refund(&n.refund_request_id, outcome)
    }

    /// Settle every open refund (after a crash, a power cut or a lost connection).
    pub async fn reconcile(&self) -> AppResult<Report> {
        let open = rows::unsettled_refunds(&lock(self.till.db()))?;
        sending::reconcile(&self.till, open, Item::Refund, false, |id| async move {
            let r = self.refresh_refund(id).await?;
            Ok(if r.state.is_final() { Settled::Final } else { Settled::Open })
        })
        .await
    }
}
