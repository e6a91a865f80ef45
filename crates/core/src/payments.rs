//! Charging saved cards, refunds, cancels, and revoking a card's token at Antom: the payment
//! state machine, shaped like the binding's ([`crate::binding`]).
//!
//! ```text
//! SENDING ──pay S──────────▶ SUCCEEDED ──cancel──▶ CANCELLED
//!    │    ──pay U (3DS…)───▶ PENDING ──inquiryPayment / notifyPayment──▶ SUCCEEDED | DECLINED | CANCELLED
//!    │    ──pay F──────────▶ DECLINED (the card) | REFUSED (the request)
//!    └─ answer lost (crash, network): stays SENDING; inquiryPayment settles it, and when Antom
//!       never saw it (ORDER_NOT_EXIST) the very same pay is sent again (same request id, same body)
//! ```
//!
//! * The payment, its `paymentRequestId` and amount are committed before pay is sent; a refund's
//!   `refundRequestId` and amount before refund is sent. A request id is never re-used with
//!   another body: a resend rebuilds the body from the committed row.
//! * `PAYMENT_IN_PROCESS` is never re-sent as a new payment: it is followed by inquiryPayment
//!   (with backoff and a deadline for the person waiting, and by reconciliation at start-up and
//!   every few minutes after).
//! * inquiryPayment answers and notifyPayment messages go through the same [`PaymentFlow::apply`];
//!   a final state is never overwritten by a late or replayed answer (only a success becomes
//!   cancelled, by a cancel), and a refund adds to the payment's `refunded` once, in the same
//!   transaction that marks it succeeded.
//! * Removing a card calls deleteToken first; until Antom confirms, the card is "removal pending"
//!   and cannot be charged, and reconciliation keeps asking.

use crate::binding::{BindingFlow, PollPolicy};
use crate::db::{lock, Db};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::{self, payments as rows};
use antom::model::{
    Amount, CancelRequest, ChargeDetails, DeleteTokenRequest, InquiryPaymentRequest, InquiryRefundRequest,
    NotifyPayment, NotifyRefund, PayRequest, RefundRequest, ResultStatus,
};
use antom::outcome::{MoneyReadError, PaymentOutcome, RefundOutcome};
use antom::{codes, AntomClient};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use ts_rs::TS;

pub use crate::store::payments::{Payment, PaymentPage, PaymentQuery, PaymentState, Refund, RefundState};

/// A charge to make.
#[derive(Debug, Clone)]
pub struct ChargeInput {
    pub card_id: i64,
    /// Minor units in `currency`'s exponent.
    pub amount: i64,
    pub currency: String,
    pub description: String,
    /// The shop's order reference (Antom's `referenceOrderId`); the request id when empty.
    pub reference: Option<String>,
    /// The customer is at the till (customer-initiated); otherwise merchant-initiated.
    pub customer_present: bool,
}

/// What removing a card came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CardRemoval {
    /// Antom deleted the token and the card is gone from this computer.
    Removed,
    /// Antom could not be reached or did not confirm: the card cannot be charged, and cardbind
    /// keeps asking Antom to delete the token.
    Pending,
}

/// What reconciliation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyReconcileReport {
    pub payments_checked: u32,
    pub refunds_checked: u32,
    pub removals_checked: u32,
    pub still_open: u32,
    pub unreachable: u32,
    /// Left to the till working on them (another till on a shared database, or a step of this
    /// one that is sending them).
    pub elsewhere: u32,
}

/// The request id of a new payment or refund: a prefix and 32 hex digits (Antom allows 64).
fn new_request_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// Marks a request id as being sent by this process for as long as it lives: Antom may not know
/// it yet, so "never seen" must not lead to a second send meanwhile.
struct InFlight<'a>(&'a Mutex<HashSet<String>>, String);

impl<'a> InFlight<'a> {
    fn new(set: &'a Mutex<HashSet<String>>, id: &str) -> Option<Self> {
        set.lock().unwrap_or_else(|p| p.into_inner()).insert(id.to_string()).then(|| InFlight(set, id.to_string()))
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.1);
    }
}

fn inconsistent(what: &str, id: &str) -> AppError {
    AppError::new(
        ErrorCode::RequestInconsistent,
        format!("Antom says {what} {id} was used before with another request (REPEAT_REQ_INCONSISTENT); nothing was sent again"),
    )
}

pub struct PaymentFlow {
    binding: Arc<BindingFlow>,
    /// `paymentRedirectUrl`: where a 3D Secure page sends the buyer afterwards. The app never
    /// reads the result from there (only inquiryPayment and notifyPayment count).
    redirect_url: String,
    /// `paymentNotifyUrl` / `refundNotifyUrl`, when the shop has a notification listener.
    notify_url: Option<String>,
    /// `merchantRegion` (Settings), when the shop set one.
    merchant_region: Option<String>,
    poll: PollPolicy,
    in_flight: Mutex<HashSet<String>>,
}

impl PaymentFlow {
    pub fn new(binding: Arc<BindingFlow>, redirect_url: impl Into<String>, notify_url: Option<String>) -> Self {
        PaymentFlow {
            binding,
            redirect_url: redirect_url.into(),
            notify_url,
            merchant_region: None,
            poll: PollPolicy::default(),
            in_flight: Mutex::new(HashSet::new()),
        }
    }

    pub fn with_poll(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// `merchantRegion` for new payments (ISO 3166 alpha-2; validated by Settings).
    pub fn with_merchant_region(mut self, region: Option<String>) -> Self {
        self.merchant_region = region;
        self
    }

    /// The binding flow this one charges the cards of.
    pub fn binding(&self) -> &Arc<BindingFlow> {
        &self.binding
    }

    fn db(&self) -> &Db {
        self.binding.db()
    }

    fn client(&self) -> &AntomClient {
        self.binding.antom()
    }

    pub fn payment(&self, id: i64) -> AppResult<Payment> {
        rows::get(&lock(self.db()), id)
    }

    pub fn refund_row(&self, id: i64) -> AppResult<Refund> {
        rows::get_refund(&lock(self.db()), id)
    }

    /// Record the charge, then send pay and apply the answer. A lost answer leaves the payment
    /// SENDING (returned as it is); reconciliation settles it.
    pub async fn charge(&self, input: &ChargeInput, staff_id: Option<i64>) -> AppResult<Payment> {
        let exponent = antom::currency::exponent(&input.currency)
            .ok_or_else(|| AppError::new(ErrorCode::AmountInvalid, format!("{} is not a currency", input.currency)))?;
        if input.amount <= 0 || input.amount > 9_999_999_999_999 {
            return Err(AppError::new(
                ErrorCode::AmountInvalid,
                format!("the amount must be above zero, in {} minor units ({exponent} decimals)", input.currency),
            ));
        }
        let description = input.description.trim();
        if description.is_empty() || description.chars().count() > 256 {
            return Err(AppError::new(ErrorCode::InvalidInput, "description: 1 to 256 characters"));
        }
        let reference = input.reference.as_deref().map(str::trim).filter(|r| !r.is_empty());
        if reference.is_some_and(|r| r.chars().count() > 64) {
            return Err(AppError::new(ErrorCode::InvalidInput, "reference: at most 64 characters"));
        }
        let id = new_request_id("pay");
        let _in_flight = InFlight::new(&self.in_flight, &id);
        let (payment_row, _claim) = {
            let conn = lock(self.db());
            let card = store::get_card(&conn, input.card_id)
                .map_err(|_| AppError::new(ErrorCode::CardNotChargeable, "the card was removed"))?;
            if card.removal_pending {
                return Err(AppError::new(
                    ErrorCode::CardNotChargeable,
                    "the card is being removed (Antom has not confirmed yet): it cannot be charged",
                ));
            }
            let tx = conn.unchecked_transaction()?;
            let row = rows::insert(
                &tx,
                &rows::NewPayment {
                    payment_request_id: &id,
                    card_id: card.id,
                    customer_id: card.customer_id,
                    currency: &input.currency,
                    amount: input.amount,
                    description,
                    reference: reference.unwrap_or(&id),
                    customer_present: input.customer_present,
                    brand: &card.brand,
                    masked_card_no: &card.masked_card_no,
                    last4: &card.last4,
                    staff_id,
                    merchant_region: self.merchant_region.as_deref(),
                    notify_url: self.notify_url.as_deref(),
                },
            )?;
            let detail = format!(
                "{} {} minor units; {} {}; {}",
                input.amount,
                input.currency,
                card.brand,
                card.masked_card_no,
                if input.customer_present { "customer present" } else { "merchant-initiated" }
            );
            store::audit(&tx, staff_id, "payment.charge", Some(&format!("payment:{row}")), Some(&detail))?;
            // this till sends it: other tills' reconcilers leave it alone meanwhile
            let claim = self.binding.claim(&tx, &format!("payment:{row}"))?;
            tx.commit()?;
            (row, claim)
        };
        tracing::info!(payment_request_id = %id, "pay");
        self.send_pay(payment_row).await
    }

    /// pay's body for a recorded payment; the same row always gives the same body (region and
    /// notification address as recorded with it, whatever the settings say now).
    fn pay_request(&self, p: &Payment) -> AppResult<PayRequest> {
        let token = self.binding.card_token(p.card_id)?;
        let amount = Amount::new(&p.currency, u64::try_from(p.amount).unwrap_or(0));
        Ok(PayRequest::charge(
            &p.payment_request_id,
            token,
            amount,
            &self.redirect_url,
            ChargeDetails {
                reference_order_id: Some(p.reference.clone()),
                description: p.description.clone(),
                reference_buyer_id: Some(format!("customer-{}", p.customer_id)),
                merchant_initiated: !p.customer_present,
                notify_url: p.notify_url.clone(),
                merchant_region: p.merchant_region.clone(),
                env: None,
            },
        ))
    }

    async fn send_pay(&self, payment_row: i64) -> AppResult<Payment> {
        let p = self.payment(payment_row)?;
        let request = self.pay_request(&p)?;
        match self.client().call(&request).await {
            Ok(resp) => self.apply_read(&p.payment_request_id, resp.body.outcome()),
            // Nothing is known: the payment stays SENDING and is asked about again.
            Err(e) if matches!(e, antom::AntomError::Transport { .. } | antom::AntomError::HttpStatus { .. }) => {
                tracing::info!(error = %e, "pay unanswered; the payment will be checked with inquiryPayment");
                self.payment(payment_row)
            }
            Err(antom::AntomError::RequestSignatureRejected) => {
                self.refuse(&p, "INVALID_SIGNATURE", "Antom rejected the request signature")?;
                Err(AppError::from(antom::AntomError::RequestSignatureRejected))
            }
            // An answer that was not trusted: not applied; asked about again.
            Err(e) => {
                tracing::warn!(error = %e, "pay's answer was not trusted; the payment will be checked again");
                self.payment(payment_row)
            }
        }
    }

    fn refuse(&self, p: &Payment, code: &str, message: &str) -> AppResult<()> {
        let conn = lock(self.db());
        let tx = conn.unchecked_transaction()?;
        rows::set_state(
            &tx,
            p.id,
            PaymentState::Refused,
            &rows::PaymentUpdate { result_code: Some(code), result_message: Some(message), ..Default::default() },
        )?;
        store::audit(&tx, None, "payment.refused", Some(&format!("payment:{}", p.id)), Some(code))?;
        tx.commit()?;
        Ok(())
    }

    /// An answer read (or why it could not be): applied; the payment as it now stands.
    fn apply_read(&self, request_id: &str, read: Result<PaymentOutcome, MoneyReadError>) -> AppResult<Payment> {
        let p = rows::by_request(&lock(self.db()), request_id)?
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "the payment disappeared"))?;
        match read {
            Ok(outcome) => Ok(self.apply(request_id, outcome)?.unwrap_or(p)),
            // Unknown for now, or a success without an id: asked about again.
            Err(MoneyReadError::Unknown(_) | MoneyReadError::MissingId(_)) => {
                if p.state == PaymentState::Sending {
                    let conn = lock(self.db());
                    rows::set_state(&conn, p.id, PaymentState::Pending, &rows::PaymentUpdate::default())?;
                }
                self.payment(p.id)
            }
            Err(MoneyReadError::Refused(code)) => {
                if !p.state.is_final() {
                    self.refuse(&p, &code, "Antom refused the request")?;
                }
                Err(AppError::new(ErrorCode::AntomFailed, format!("Antom refused the payment request: {code}")))
            }
            Err(MoneyReadError::Inconsistent) => Err(inconsistent("paymentRequestId", request_id)),
        }
    }

    /// Apply Antom's word on a payment, idempotently. `None` for a request id this app never made.
    pub fn apply(&self, request_id: &str, outcome: PaymentOutcome) -> AppResult<Option<Payment>> {
        let conn = lock(self.db());
        let Some(p) = rows::by_request(&conn, request_id)? else { return Ok(None) };
        let open = !p.state.is_final();
        let tx = conn.unchecked_transaction()?;
        let audit = |tx: &crate::db::Connection, what: &str, detail: Option<&str>| {
            store::audit(tx, None, what, Some(&format!("payment:{}", p.id)), detail)
        };
        match outcome {
            PaymentOutcome::Succeeded { payment_id, payment_time, info } if open => {
                let paid = payment_time.unwrap_or_else(crate::db::now);
                rows::set_state(
                    &tx,
                    p.id,
                    PaymentState::Succeeded,
                    &rows::PaymentUpdate {
                        payment_id: Some(&payment_id),
                        result_code: Some(codes::SUCCESS),
                        authorization_code: info.authorization_code.as_deref(),
                        network_transaction_id: info.network_transaction_id.as_deref(),
                        three_ds: info.three_ds_result.is_some() || p.challenge_url.is_some(),
                        paid_at: Some(&paid),
                        ..Default::default()
                    },
                )?;
                audit(&tx, "payment.succeeded", Some(&payment_id))?;
            }
            PaymentOutcome::Declined { payment_id, code, message } if open => {
                rows::set_state(
                    &tx,
                    p.id,
                    PaymentState::Declined,
                    &rows::PaymentUpdate {
                        payment_id: payment_id.as_deref(),
                        result_code: Some(&code),
                        result_message: Some(&message),
                        three_ds: p.challenge_url.is_some(),
                        ..Default::default()
                    },
                )?;
                audit(&tx, "payment.declined", Some(&code))?;
            }
            PaymentOutcome::Pending { payment_id, challenge_url } if open => {
                rows::set_state(
                    &tx,
                    p.id,
                    PaymentState::Pending,
                    &rows::PaymentUpdate {
                        payment_id: payment_id.as_deref(),
                        challenge_url: challenge_url.as_deref().or(p.challenge_url.as_deref()),
                        ..Default::default()
                    },
                )?;
            }
            PaymentOutcome::Cancelled { payment_id } if p.state != PaymentState::Cancelled => {
                if matches!(p.state, PaymentState::Declined | PaymentState::Refused) {
                    tracing::warn!(payment = p.id, "Antom reports a cancel of a payment recorded as not charged");
                }
                rows::set_state(
                    &tx,
                    p.id,
                    PaymentState::Cancelled,
                    &rows::PaymentUpdate { payment_id: payment_id.as_deref(), ..Default::default() },
                )?;
                audit(&tx, "payment.cancelled", None)?;
            }
            // NotFound: handled by the caller (resend when nothing is in flight); any other
            // outcome for a final payment changes nothing (a late or replayed answer).
            _ => {}
        }
        tx.commit()?;
        Ok(Some(rows::get(&conn, p.id)?))
    }

    /// One inquiryPayment for a payment, applied. Antom never saw it: the same pay is sent again
    /// (unless this process is sending it right now).
    pub async fn refresh(&self, payment_row: i64) -> AppResult<Payment> {
        let p = self.payment(payment_row)?;
        if p.state.is_final() {
            return Ok(p);
        }
        let resp = self
            .client()
            .call(&InquiryPaymentRequest {
                payment_request_id: Some(p.payment_request_id.clone()),
                ..Default::default()
            })
            .await?
            .body;
        match resp.outcome() {
            Ok(PaymentOutcome::NotFound) => match InFlight::new(&self.in_flight, &p.payment_request_id) {
                Some(_sending) if p.state == PaymentState::Sending => {
                    // another till may be sending it this moment: only one till sends again
                    let Some(_claim) = self.binding.claim(&lock(self.db()), &format!("payment:{}", p.id))? else {
                        return Ok(p);
                    };
                    tracing::info!(payment = p.id, "Antom never saw this payment; sending the same pay again");
                    self.send_pay(p.id).await
                }
                _ => Ok(p),
            },
            read => self.apply_read(&p.payment_request_id, read),
        }
    }

    /// Poll with backoff until the payment is final or `timeout` passes; the latest state.
    pub async fn wait_for_result(&self, payment_row: i64, timeout: Duration) -> AppResult<Payment> {
        let deadline = Instant::now() + timeout;
        let mut delay = self.poll.initial;
        loop {
            match self.refresh(payment_row).await {
                Ok(p) if p.state.is_final() => return Ok(p),
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::AntomUnreachable && Instant::now() < deadline => {}
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            if now >= deadline {
                return self.payment(payment_row);
            }
            tokio::time::sleep(delay.min(deadline - now)).await;
            delay = delay.mul_f32(1.5).min(self.poll.max);
        }
    }

    /// Apply a verified notifyPayment.
    pub fn apply_notification(&self, n: &NotifyPayment) -> AppResult<Option<Payment>> {
        let outcome = n.outcome().map_err(|e| AppError::new(ErrorCode::NotificationInvalid, e.to_string()))?;
        if let Some(p) = rows::by_request(&lock(self.db()), &n.payment_request_id)? {
            // A notification about another amount than ours is not about this payment.
            if n.payment_amount.currency != p.currency || n.payment_amount.minor() != u64::try_from(p.amount).ok() {
                return Err(AppError::new(
                    ErrorCode::NotificationInvalid,
                    "the notification's amount is not the payment's",
                ));
            }
        }
        self.apply(&n.payment_request_id, outcome)
    }

    /// Record a refund, then send it. Only a successful payment, and never more than is left
    /// (what succeeded and pending refunds already hold counts).
    pub async fn refund(
        &self,
        payment_row: i64,
        amount: i64,
        reason: Option<&str>,
        staff_id: Option<i64>,
    ) -> AppResult<Refund> {
        let id = new_request_id("refund");
        let _in_flight = InFlight::new(&self.in_flight, &id);
        let (refund_row, _claim) = {
            let conn = lock(self.db());
            let p = rows::get(&conn, payment_row)?;
            if p.state != PaymentState::Succeeded {
                return Err(AppError::new(ErrorCode::RefundNotPossible, "only a successful payment can be refunded"));
            }
            let left = p.amount - rows::refunds_committed(&conn, p.id)?;
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
            let tx = conn.unchecked_transaction()?;
            let row = rows::insert_refund(&tx, &id, p.id, amount, reason, staff_id, self.notify_url.as_deref())?;
            store::audit(
                &tx,
                staff_id,
                "refund.request",
                Some(&format!("payment:{}", p.id)),
                Some(&format!("refund:{row}; {amount} {} minor units", p.currency)),
            )?;
            let claim = self.binding.claim(&tx, &format!("refund:{row}"))?;
            tx.commit()?;
            (row, claim)
        };
        self.send_refund(refund_row).await
    }

    async fn send_refund(&self, refund_row: i64) -> AppResult<Refund> {
        let (r, p) = {
            let conn = lock(self.db());
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
        match self.client().call(&request).await {
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
        let conn = lock(self.db());
        let Some(r) = rows::refund_by_request(&conn, refund_request_id)? else { return Ok(None) };
        if r.state.is_final() {
            return Ok(Some(r));
        }
        let tx = conn.unchecked_transaction()?;
        let target = format!("payment:{}", r.payment_row);
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
                store::audit(&tx, None, "refund.succeeded", Some(&target), Some(&format!("refund:{}", r.id)))?;
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
            .client()
            .call(&InquiryRefundRequest { refund_request_id: Some(r.refund_request_id.clone()), ..Default::default() })
            .await?
            .body;
        match resp.outcome() {
            Ok(RefundOutcome::NotFound) => match InFlight::new(&self.in_flight, &r.refund_request_id) {
                Some(_sending) if r.state == RefundState::Sending => {
                    let Some(_claim) = self.binding.claim(&lock(self.db()), &format!("refund:{}", r.id))? else {
                        return Ok(r);
                    };
                    self.send_refund(r.id).await
                }
                _ => Ok(r),
            },
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

    /// Void a payment before it settles. Antom refusing (settled, refunded): CANCEL_NOT_POSSIBLE.
    pub async fn cancel(&self, payment_row: i64, staff_id: Option<i64>) -> AppResult<Payment> {
        let p = self.payment(payment_row)?;
        match p.state {
            PaymentState::Cancelled => return Ok(p),
            PaymentState::Declined | PaymentState::Refused => {
                return Err(AppError::new(
                    ErrorCode::CancelNotPossible,
                    "nothing was charged: there is nothing to cancel",
                ))
            }
            _ if p.refunded > 0 => {
                return Err(AppError::new(
                    ErrorCode::CancelNotPossible,
                    "the payment was partly refunded: refund the rest",
                ))
            }
            _ => {}
        }
        store::audit(&lock(self.db()), staff_id, "payment.cancel", Some(&format!("payment:{}", p.id)), None)?;
        let resp = self
            .client()
            .call(&CancelRequest { payment_request_id: Some(p.payment_request_id.clone()), ..Default::default() })
            .await?
            .body;
        match resp.result.result_status {
            ResultStatus::S => {
                self.apply(&p.payment_request_id, PaymentOutcome::Cancelled { payment_id: resp.payment_id })?;
                self.payment(p.id)
            }
            ResultStatus::F if resp.result.result_code == codes::REPEAT_REQ_INCONSISTENT => {
                Err(inconsistent("paymentRequestId", &p.payment_request_id))
            }
            ResultStatus::F => Err(AppError::new(
                ErrorCode::CancelNotPossible,
                format!("Antom cannot cancel it ({}): refund it instead", resp.result.result_code),
            )),
            ResultStatus::U => Err(AppError::new(
                ErrorCode::AntomUnknown,
                format!(
                    "Antom's answer to the cancel is unknown ({}); check the payment again",
                    resp.result.result_code
                ),
            )),
        }
    }

    /// Remove a card: deleteToken at Antom first, then the local erase. Until Antom confirms the
    /// card is "removal pending" (it cannot be charged) and reconciliation keeps asking.
    pub async fn remove_card(&self, card_id: i64, staff_id: Option<i64>) -> AppResult<CardRemoval> {
        store::cards::request_removal(&lock(self.db()), card_id, staff_id)?;
        self.revoke(card_id).await
    }

    async fn revoke(&self, card_id: i64) -> AppResult<CardRemoval> {
        let token = match self.binding.card_token(card_id) {
            Ok(t) => t,
            // A token this computer cannot open can never be charged from here, nor revoked:
            // it is erased here, and the audit line says it was not revoked at Antom.
            Err(e) if e.code == ErrorCode::TokenUnreadable => {
                let conn = lock(self.db());
                let by = store::cards::removal_requested_by(&conn, card_id)?;
                store::remove_card(&conn, card_id, by)?;
                store::audit(
                    &conn,
                    by,
                    "card.not_revoked",
                    Some(&format!("card:{card_id}")),
                    Some("the token could not be read: not revoked at Antom"),
                )?;
                return Ok(CardRemoval::Removed);
            }
            Err(e) => return Err(e),
        };
        let resp = match self.client().call(&DeleteTokenRequest { token, merchant_account_id: None }).await {
            Ok(r) => r.body,
            Err(e) => {
                tracing::info!(card = card_id, error = %e, "deleteToken unanswered; the card stays removal-pending");
                return Ok(CardRemoval::Pending);
            }
        };
        // UNCONFIRMED: Antom's answer for a token it no longer knows. The tolerant reading: the
        // code the simulator gives an unknown or deleted token means it is gone already.
        let gone =
            resp.result.result_status == ResultStatus::S || resp.result.result_code == codes::INVALID_PAYMENT_METHOD_ID;
        if !gone {
            tracing::warn!(card = card_id, code = %resp.result.result_code, "Antom did not delete the token; the card stays removal-pending");
            return Ok(CardRemoval::Pending);
        }
        let conn = lock(self.db());
        let by = store::cards::removal_requested_by(&conn, card_id)?;
        store::remove_card(&conn, card_id, by)?;
        Ok(CardRemoval::Removed)
    }

    /// Settle every open payment and refund, and retry every pending card removal (after a
    /// crash, a power cut or a lost connection).
    pub async fn reconcile(&self) -> AppResult<MoneyReconcileReport> {
        let (payments, refunds, removals) = {
            let conn = lock(self.db());
            (rows::unsettled(&conn)?, rows::unsettled_refunds(&conn)?, store::cards::removals_pending(&conn)?)
        };
        let mut report = MoneyReconcileReport::default();
        // whichever till gets to each first; the others skip it, and so does this till while a
        // step of it (a charge, a refund, a removal) is working on it
        let claim = |item: String| self.binding.claim_to_reconcile(&lock(self.db()), &item);
        for id in payments {
            let Some(_claim) = claim(format!("payment:{id}"))? else {
                report.elsewhere += 1;
                continue;
            };
            report.payments_checked += 1;
            match self.refresh(id).await {
                Ok(p) if p.state.is_final() => {}
                Ok(_) => report.still_open += 1,
                Err(e) if e.code == ErrorCode::AntomUnreachable => report.unreachable += 1,
                Err(e) => tracing::warn!(payment = id, code = %e.code, "a payment could not be reconciled"),
            }
        }
        for id in refunds {
            let Some(_claim) = claim(format!("refund:{id}"))? else {
                report.elsewhere += 1;
                continue;
            };
            report.refunds_checked += 1;
            match self.refresh_refund(id).await {
                Ok(r) if r.state.is_final() => {}
                Ok(_) => report.still_open += 1,
                Err(e) if e.code == ErrorCode::AntomUnreachable => report.unreachable += 1,
                Err(e) => tracing::warn!(refund = id, code = %e.code, "a refund could not be reconciled"),
            }
        }
        for id in removals {
            let Some(_claim) = claim(format!("removal:{id}"))? else {
                report.elsewhere += 1;
                continue;
            };
            report.removals_checked += 1;
            match self.revoke(id).await {
                Ok(CardRemoval::Removed) => {}
                Ok(CardRemoval::Pending) => report.still_open += 1,
                Err(e) => tracing::warn!(card = id, code = %e.code, "a card removal could not be retried"),
            }
        }
        tracing::info!(?report, "reconciled payments, refunds and card removals");
        Ok(report)
    }
}
