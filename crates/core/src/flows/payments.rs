//! Charging saved cards, refunds, cancels, and revoking a card's token at Antom: the payment
//! state machine, shaped like the binding's ([`super::binding`]).
//!
//! ```text
//! SENDING ──pay S──────────▶ AUTHORISED ──capture (super::capture)──▶ CAPTURED | CAPTURE_FAILED
//!    │    ──pay U (3DS…)───▶ PENDING ──inquiryPayment / notifyPayment──▶ AUTHORISED | DECLINED | CANCELLED
//!    │    ──pay F──────────▶ DECLINED (the card) | REFUSED (the request)
//!    └─ answer lost (crash, network): stays SENDING; inquiryPayment settles it, and when Antom
//!       never saw it (ORDER_NOT_EXIST) the very same pay is sent again (same request id, same body)
//! AUTHORISED | CAPTURED ──cancel──▶ CANCELLED
//! ```
//!
//! * A charge with the customer at the till is customer-initiated (CIT): sent with
//!   `enableAuthenticationUpgrade`, so a scheme that wants 3D Secure challenges instead of
//!   declining, and with the device data the till honestly has (`env`). The first successful
//!   CIT's `networkTransactionId` is kept on the card; a merchant-initiated charge (MIT) sends
//!   it back (reference §9.6).
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
//! * A cancel is recorded on the payment (`cancel_requested_at`) and claimed before it is sent;
//!   an answer lost leaves it asked for, and reconciliation sends the same cancel again until
//!   Antom says it is done or refuses it.
//! * Refunds are their sibling ([`super::refunds`]), card removal theirs ([`super::removal`]).

use super::sending::{self, persist, persist_request, PollPolicy, Report, Settled};
use super::till::{Item, Mode, Till};
use crate::db::lock;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::{self, payments as rows};
use antom::codes;
use antom::model::{
    Amount, BrowserInfo, CancelRequest, ChargeDetails, Env, Initiator, InquiryPaymentRequest, NotifyPayment,
    PayRequest, ResultStatus,
};
use antom::outcome::{MoneyReadError, PaymentOutcome};
use std::sync::Arc;
use std::time::Duration;

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
    /// What the till's screen says of itself, for 3D Secure 2 (customer-initiated charges).
    pub device: Option<DeviceInfo>,
    /// The charge dialog's key: one dialog, one payment, however often the page sends it
    /// ([`PaymentFlow::charge`]). None for charges made without a dialog.
    pub charge_key: Option<String>,
}

/// A charge dialog's key as the page sends it: 16 to 64 letters, digits and `-`.
pub fn check_charge_key(key: &str) -> AppResult<()> {
    if !(16..=64).contains(&key.len()) || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(AppError::in_field(ErrorCode::InvalidInput, "key", "16 to 64 letters, digits or -"));
    }
    Ok(())
}

/// The device the customer pays on, as the till's web view reports it (screen, colour depth,
/// time zone, user agent, language): 3D Secure 2 and risk data that authorises nothing. Its
/// shape is checked, and a value out of range is left out rather than refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceInfo {
    pub screen_width: Option<u32>,
    pub screen_height: Option<u32>,
    pub color_depth: Option<u32>,
    /// Minutes as `Date.getTimezoneOffset()` gives them (UTC+2 → -120).
    pub time_zone_offset: Option<i32>,
    pub user_agent: Option<String>,
    /// BCP 47, e.g. `pt-BR`.
    pub language: Option<String>,
}

impl DeviceInfo {
    fn printable(s: &Option<String>, max: usize) -> Option<String> {
        s.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.len() <= max && v.chars().all(|c| !c.is_control()))
            .map(str::to_string)
    }

    /// `env` for a customer-initiated charge: `terminalType` WEB (the till's web view), the
    /// client address, and what the device reported, each within its range.
    pub fn env(&self, client_ip: Option<String>) -> Env {
        let num = |v: Option<u32>, max: u32| v.filter(|v| (1..=max).contains(v)).map(|v| v.to_string());
        let language =
            Self::printable(&self.language, 35).filter(|l| l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        let user_agent = Self::printable(&self.user_agent, 512);
        let offset = self.time_zone_offset.filter(|m| (-840..=840).contains(m));
        Env {
            terminal_type: Some("WEB".into()),
            client_ip,
            user_agent: user_agent.clone(),
            browser_info: Some(BrowserInfo {
                accept_header: None,
                java_enabled: Some(false),
                java_script_enabled: Some(true),
                language: language.clone(),
                user_agent,
            }),
            device_language: language,
            time_zone_offset: offset.map(|m| m.to_string()),
            screen_width: num(self.screen_width, 100_000),
            screen_height: num(self.screen_height, 100_000),
            color_depth: num(self.color_depth, 64),
            ..Env::default()
        }
    }
}

/// `env.clientIp`: the buyer device's address as Antom would see it. A till does not know the
/// shop's public address (NAT is between them), so cardbind sends the one the shop set in
/// Settings, else the till's own address on the route to Antom's gateway (found by the system's
/// routing, nothing is sent), which is honest if private. Which value Antom's risk checks want
/// from an in-store till is UNCONFIRMED.
async fn route_address(origin: &str) -> Option<String> {
    let rest = origin.split_once("://").map_or(origin, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let target = if authority.rsplit_once(':').is_some_and(|(_, p)| p.parse::<u16>().is_ok()) {
        authority.to_string()
    } else {
        format!("{authority}:443")
    };
    let socket = tokio::net::UdpSocket::bind("0.0.0.0:0").await.ok()?;
    socket.connect(target).await.ok()?;
    Some(socket.local_addr().ok()?.ip().to_string())
}

pub(crate) fn inconsistent(what: &str, id: &str) -> AppError {
    AppError::new(
        ErrorCode::RequestInconsistent,
        format!("Antom says {what} {id} was used before with another request (REPEAT_REQ_INCONSISTENT); nothing was sent again"),
    )
}

pub struct PaymentFlow {
    till: Arc<Till>,
    /// `paymentRedirectUrl`: where a 3D Secure page sends the buyer afterwards. The app never
    /// reads the result from there (only inquiryPayment and notifyPayment count).
    redirect_url: String,
    /// `paymentNotifyUrl`, when the shop has a notification listener.
    notify_url: Option<String>,
    /// `merchantRegion` (Settings), when the shop set one.
    merchant_region: Option<String>,
    /// `settlementStrategy.settlementCurrency` (Settings): not sent unless the shop set one.
    settlement_currency: Option<String>,
    /// `env.clientIp` as the shop set it; else found once ([`route_address`]).
    client_ip: Option<String>,
    route_ip: tokio::sync::OnceCell<Option<String>>,
    poll: PollPolicy,
}

impl PaymentFlow {
    pub fn new(till: Arc<Till>, redirect_url: impl Into<String>, notify_url: Option<String>) -> Self {
        PaymentFlow {
            till,
            redirect_url: redirect_url.into(),
            notify_url,
            merchant_region: None,
            settlement_currency: None,
            client_ip: None,
            route_ip: tokio::sync::OnceCell::new(),
            poll: PollPolicy::default(),
        }
    }

    /// The settlement currency to ask for (a contract with several), and the client address.
    pub fn with_contract(mut self, settlement_currency: Option<String>, client_ip: Option<String>) -> Self {
        self.settlement_currency = settlement_currency;
        self.client_ip = client_ip;
        self
    }

    async fn client_ip(&self) -> Option<String> {
        if let Some(ip) = &self.client_ip {
            return Some(ip.clone());
        }
        let origin = self.till.client().config().gateway.origin().to_string();
        self.route_ip.get_or_init(|| route_address(&origin)).await.clone()
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

    pub fn payment(&self, id: i64) -> AppResult<Payment> {
        rows::get(&lock(self.till.db()), id)
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
        if let Some(key) = &input.charge_key {
            check_charge_key(key)?;
            if let Some(p) = self.made_with_key(key, input)? {
                return Ok(p);
            }
        }
        let id = sending::new_request_id("pay");
        let env = if input.customer_present {
            input.device.clone().unwrap_or_default().env(self.client_ip().await)
        } else {
            // merchant-initiated: the customer's device is not part of it
            Env { terminal_type: Some("WEB".into()), client_ip: self.client_ip().await, ..Env::default() }
        };
        let env = serde_json::to_string(&env).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let persisted = persist(&self.till, Item::Payment, |tx| {
            let card = store::get_card(tx, input.card_id).map_err(|e| match e.code {
                // a card row changed outside the tills says so (issue 30)
                ErrorCode::RowTampered => e,
                _ => AppError::new(ErrorCode::CardNotChargeable, "the card was removed"),
            })?;
            if card.removal_pending {
                return Err(AppError::new(
                    ErrorCode::CardNotChargeable,
                    "the card is being removed (Antom has not confirmed yet): it cannot be charged",
                ));
            }
            let row = rows::insert(
                tx,
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
                    env: Some(&env),
                    charge_key: input.charge_key.as_deref(),
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
            store::audit(tx, staff_id, "payment.charge", Some(&Item::Payment(row).to_string()), Some(&detail))?;
            Ok(row)
        });
        let (payment_row, _claim) = match persisted {
            Ok(p) => p,
            // the same dialog's key from two calls at once (two tills cannot share a dialog):
            // the unique key let one in; the other answers with its payment
            Err(e) => match input.charge_key.as_deref().map(|k| self.made_with_key(k, input)) {
                Some(Ok(Some(p))) => return Ok(p),
                _ => return Err(e),
            },
        };
        tracing::info!(payment_request_id = %id, "pay");
        self.send_pay(self.payment(payment_row)?).await
    }

    /// The payment a charge dialog's key already made: the page sent the dialog's one charge
    /// again (a retried call, a double click, a script). The same card and amount answer with
    /// that payment as it stands; anything else under the key is refused.
    fn made_with_key(&self, key: &str, input: &ChargeInput) -> AppResult<Option<Payment>> {
        let Some((row, card, amount)) = rows::by_charge_key(&lock(self.till.db()), key)? else { return Ok(None) };
        if card != input.card_id || amount != input.amount {
            return Err(AppError::in_field(
                ErrorCode::InvalidInput,
                "key",
                "this charge dialog already charged another card or amount: open a new one",
            ));
        }
        Ok(Some(self.payment(row)?))
    }

    /// pay's body for a recorded payment: key fields, region, notification address and device
    /// data as recorded with it, whatever the settings say now. (Antom compares a resend on its
    /// key fields only, so the card's network transaction id, read now, may differ harmlessly.)
    fn pay_request(&self, p: &Payment) -> AppResult<PayRequest> {
        let (token, nti) = {
            let token = self.till.card_token(p.card_id)?;
            (token, store::cards::network_transaction_id(&lock(self.till.db()), p.card_id)?)
        };
        let amount = Amount::new(&p.currency, u64::try_from(p.amount).unwrap_or(0));
        // The nature of a charge is in our records (customer_present); Antom sees it as the MIT
        // page shows: isCardOnFile with the first CIT's networkTransactionId. A card with none
        // (bound without a payment, never charged with the customer there) sends isCardOnFile
        // alone (UNCONFIRMED what Antom expects then). `recurringType` is for scheduled charges,
        // which cardbind does not make yet.
        let initiator = if p.customer_present {
            Initiator::Customer
        } else {
            Initiator::Merchant { network_transaction_id: nti, recurring_type: None }
        };
        let env = p.env.as_deref().and_then(|e| serde_json::from_str::<Env>(e).ok());
        Ok(PayRequest::charge(
            &p.payment_request_id,
            token,
            amount,
            &self.redirect_url,
            ChargeDetails {
                reference_order_id: Some(p.reference.clone()),
                description: p.description.clone(),
                reference_buyer_id: Some(format!("customer-{}", p.customer_id)),
                initiator,
                notify_url: p.notify_url.clone(),
                merchant_region: p.merchant_region.clone(),
                settlement_currency: self.settlement_currency.clone(),
                env,
            },
        ))
    }

    async fn send_pay(&self, p: Payment) -> AppResult<Payment> {
        let request = self.pay_request(&p)?;
        match self.till.client().call(&request).await {
            Ok(resp) => self.apply_read(p, resp.body.outcome()),
            // Nothing is known: the payment stays SENDING and is asked about again.
            Err(e) if matches!(e, antom::AntomError::Transport { .. } | antom::AntomError::HttpStatus { .. }) => {
                tracing::info!(error = %e, "pay unanswered; the payment will be checked with inquiryPayment");
                Ok(p)
            }
            Err(antom::AntomError::RequestSignatureRejected) => {
                self.refuse(&p, "INVALID_SIGNATURE", "Antom rejected the request signature")?;
                Err(AppError::from(antom::AntomError::RequestSignatureRejected))
            }
            // An answer that was not trusted: not applied; asked about again.
            Err(e) => {
                tracing::warn!(error = %e, "pay's answer was not trusted; the payment will be checked again");
                Ok(p)
            }
        }
    }

    fn refuse(&self, p: &Payment, code: &str, message: &str) -> AppResult<()> {
        let conn = lock(self.till.db());
        let tx = conn.unchecked_transaction()?;
        rows::set_state(
            &tx,
            p.id,
            PaymentState::Refused,
            &rows::PaymentUpdate { result_code: Some(code), result_message: Some(message), ..Default::default() },
        )?;
        store::audit(&tx, None, "payment.refused", Some(&Item::Payment(p.id).to_string()), Some(code))?;
        tx.commit()?;
        Ok(())
    }

    /// An answer read (or why it could not be) for the payment `p` as its caller read it:
    /// applied; the payment as it now stands.
    fn apply_read(&self, p: Payment, read: Result<PaymentOutcome, MoneyReadError>) -> AppResult<Payment> {
        match read {
            Ok(outcome) => self.apply_to(&p, outcome),
            // Unknown for now, or a success without an id: asked about again.
            Err(MoneyReadError::Unknown(_) | MoneyReadError::MissingId(_)) => {
                if p.state == PaymentState::Sending {
                    let conn = lock(self.till.db());
                    rows::set_state(&conn, p.id, PaymentState::Pending, &rows::PaymentUpdate::default())?;
                    return rows::get(&conn, p.id);
                }
                Ok(p)
            }
            Err(MoneyReadError::Refused(code)) => {
                if !p.state.is_final() {
                    self.refuse(&p, &code, "Antom refused the request")?;
                }
                Err(AppError::new(ErrorCode::AntomFailed, format!("Antom refused the payment request: {code}")))
            }
            Err(MoneyReadError::Inconsistent) => Err(inconsistent("paymentRequestId", &p.payment_request_id)),
        }
    }

    /// Apply Antom's word on a payment, idempotently. `None` for a request id this app never made.
    pub fn apply(&self, request_id: &str, outcome: PaymentOutcome) -> AppResult<Option<Payment>> {
        let Some(p) = rows::by_request(&lock(self.till.db()), request_id)? else { return Ok(None) };
        self.apply_to(&p, outcome).map(Some)
    }

    /// Apply Antom's word on the payment `p` (as its caller read it) in one transaction; the
    /// state is checked again on the row itself, so a stale `p` changes nothing twice.
    fn apply_to(&self, p: &Payment, outcome: PaymentOutcome) -> AppResult<Payment> {
        let conn = lock(self.till.db());
        let p = &rows::get(&conn, p.id)?;
        let open = !p.state.is_final();
        let tx = conn.unchecked_transaction()?;
        let audit = |tx: &crate::db::Connection, what: &str, detail: Option<&str>| {
            store::audit(tx, None, what, Some(&Item::Payment(p.id).to_string()), detail)
        };
        match outcome {
            PaymentOutcome::Authorised { payment_id, payment_time, info, capture } if open => {
                let paid = payment_time.unwrap_or_else(crate::db::now);
                rows::set_state(
                    &tx,
                    p.id,
                    PaymentState::Authorised,
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
                audit(&tx, "payment.authorised", Some(&payment_id))?;
                if let (true, Some(nti)) = (p.customer_present, info.network_transaction_id.as_deref()) {
                    store::cards::keep_network_transaction_id(&tx, p.card_id, nti)?;
                }
                match capture {
                    Some(c) => super::capture::apply(&tx, p.id, &c)?,
                    // a capture reported before this answer was applied
                    None => super::capture::settle(&tx, p.id)?,
                }
            }
            PaymentOutcome::Authorised { capture: Some(c), .. } if p.state == PaymentState::Authorised => {
                super::capture::apply(&tx, p.id, &c)?;
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
                rows::cancel_done(&tx, p.id)?;
                audit(&tx, "payment.cancelled", None)?;
            }
            // NotFound: handled by the caller (resend when nothing is in flight); any other
            // outcome for a final payment changes nothing (a late or replayed answer).
            _ => {}
        }
        tx.commit()?;
        rows::get(&conn, p.id)
    }

    /// One inquiryPayment for a payment, applied. Antom never saw it: the same pay is sent again
    /// (unless a step of this process, or another till, is sending it right now).
    pub async fn refresh(&self, payment_row: i64) -> AppResult<Payment> {
        let p = self.payment(payment_row)?;
        if p.state == PaymentState::Authorised {
            return super::capture::refresh(&self.till, payment_row).await;
        }
        if p.state.is_final() {
            return Ok(p);
        }
        let resp = self
            .till
            .client()
            .call(&InquiryPaymentRequest {
                payment_request_id: Some(p.payment_request_id.clone()),
                ..Default::default()
            })
            .await?
            .body;
        match resp.outcome() {
            Ok(PaymentOutcome::NotFound) if p.state == PaymentState::Sending => {
                // only one step of one till sends it again
                let Some(_claim) = self.till.claim(&lock(self.till.db()), Item::Payment(p.id), Mode::Within)? else {
                    return Ok(p);
                };
                tracing::info!(payment = p.id, "Antom never saw this payment; sending the same pay again");
                self.send_pay(p).await
            }
            Ok(PaymentOutcome::NotFound) => Ok(p),
            read => self.apply_read(p, read),
        }
    }

    /// Poll with backoff until the payment is final or `timeout` passes; the latest state.
    pub async fn wait_for_result(&self, payment_row: i64, timeout: Duration) -> AppResult<Payment> {
        sending::wait_until_final(
            self.poll,
            timeout,
            || self.refresh(payment_row),
            |p: &Payment| p.state.is_final(),
            || self.payment(payment_row),
        )
        .await
    }

    /// Apply a verified notifyPayment.
    pub fn apply_notification(&self, n: &NotifyPayment) -> AppResult<Option<Payment>> {
        let outcome = n.outcome().map_err(|e| AppError::new(ErrorCode::NotificationInvalid, e.to_string()))?;
        let Some(p) = rows::by_request(&lock(self.till.db()), &n.payment_request_id)? else { return Ok(None) };
        // A notification about another amount than ours is not about this payment.
        if n.payment_amount.currency != p.currency || n.payment_amount.minor() != u64::try_from(p.amount).ok() {
            return Err(AppError::new(
                ErrorCode::NotificationInvalid,
                "the notification's amount is not the payment's",
            ));
        }
        self.apply_to(&p, outcome).map(Some)
    }

    /// Void a payment before it settles. The cancel is recorded and claimed first; Antom
    /// refusing (settled, refunded): CANCEL_NOT_POSSIBLE; an answer lost: it stays asked for and
    /// reconciliation sends it again.
    pub async fn cancel(&self, payment_row: i64, staff_id: Option<i64>) -> AppResult<Payment> {
        let p = self.payment(payment_row)?;
        match p.state {
            PaymentState::Cancelled => return Ok(p),
            PaymentState::Declined | PaymentState::Refused | PaymentState::CaptureFailed => {
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
        let claim = persist_request(&self.till, Item::Cancel(p.id), |tx| {
            rows::request_cancel(tx, p.id, staff_id)?;
            store::audit(tx, staff_id, "payment.cancel", Some(&Item::Payment(p.id).to_string()), None)
        })?;
        let Some(_claim) = claim else {
            return Err(AppError::new(
                ErrorCode::AntomUnknown,
                "a cancel of this payment is already on its way; check the payment again",
            ));
        };
        self.send_cancel(p).await
    }

    /// Send the cancel recorded for `p` and apply the answer.
    async fn send_cancel(&self, p: Payment) -> AppResult<Payment> {
        let resp = self
            .till
            .client()
            .call(&CancelRequest { payment_request_id: Some(p.payment_request_id.clone()), ..Default::default() })
            .await?
            .body;
        match resp.result.result_status {
            ResultStatus::S => {
                let p = self.apply_to(&p, PaymentOutcome::Cancelled { payment_id: resp.payment_id })?;
                // cancelled before by another way (a notification): this request is answered too
                rows::cancel_done(&lock(self.till.db()), p.id)?;
                Ok(p)
            }
            ResultStatus::F => {
                let conn = lock(self.till.db());
                let tx = conn.unchecked_transaction()?;
                rows::cancel_done(&tx, p.id)?;
                let code = &resp.result.result_code;
                store::audit(&tx, None, "payment.cancel_refused", Some(&Item::Payment(p.id).to_string()), Some(code))?;
                tx.commit()?;
                Err(if *code == codes::REPEAT_REQ_INCONSISTENT {
                    inconsistent("paymentRequestId", &p.payment_request_id)
                } else {
                    AppError::new(
                        ErrorCode::CancelNotPossible,
                        format!("Antom cannot cancel it ({code}): refund it instead"),
                    )
                })
            }
            ResultStatus::U => Err(AppError::new(
                ErrorCode::AntomUnknown,
                format!(
                    "Antom's answer to the cancel is unknown ({}); it is sent again later",
                    resp.result.result_code
                ),
            )),
        }
    }

    /// Settle every open payment, and send every cancel still asked for again (after a crash, a
    /// power cut or a lost connection).
    pub async fn reconcile(&self) -> AppResult<(Report, Report)> {
        let (open, cancels) = {
            let conn = lock(self.till.db());
            (rows::unsettled(&conn)?, rows::cancels_pending(&conn)?)
        };
        let payments = sending::reconcile(&self.till, open, Item::Payment, false, |id| async move {
            let p = self.refresh(id).await?;
            Ok(if p.state.is_final() { Settled::Final } else { Settled::Open })
        })
        .await?;
        let cancels = sending::reconcile(&self.till, cancels, Item::Cancel, false, |id| async move {
            let p = self.payment(id)?;
            if p.state == PaymentState::Cancelled {
                rows::cancel_done(&lock(self.till.db()), id)?;
                return Ok(Settled::Final);
            }
            match self.send_cancel(p).await {
                Ok(_) => Ok(Settled::Final),
                Err(e) if matches!(e.code, ErrorCode::CancelNotPossible | ErrorCode::RequestInconsistent) => {
                    Ok(Settled::Final)
                }
                Err(e) if e.code == ErrorCode::AntomUnknown => Ok(Settled::Open),
                Err(e) => Err(e),
            }
        })
        .await?;
        Ok((payments, cancels))
    }
}
