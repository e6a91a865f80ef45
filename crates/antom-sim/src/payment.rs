//! Paying with a saved card (§9): pay, inquiryPayment, cancel and the automatic capture; refunds
//! are [`crate::refund`]'s, the token lifecycle [`crate::tokens`]'s. The state machine and its answers; the routes in
//! [`crate::openapi`] authenticate and sign.
//!
//! As strict as Antom's pages and SDKs are clear:
//! * `paymentRequestId` / `refundRequestId` are idempotency keys. As at Antom, a repeat is
//!   compared on the key fields only (pay: `paymentRequestId`, `paymentAmount`,
//!   `paymentMethodId`; refund: `refundRequestId`, `paymentId`, `refundAmount`): the same keys get
//!   the (current) answer whatever else differs (`env`, the description), other keys
//!   `REPEAT_REQ_INCONSISTENT`. The full key list is UNCONFIRMED ("such as").
//! * card pays are authorisations with automatic capture: the capture follows
//!   (`SimConfig::capture_delay`) and is notified (notifyCapture, `CAPTURE_RESULT`) and shown in
//!   inquiryPayment's `transactions[]`; only a captured payment can be refunded.
//! * the SDK's lengths: `paymentMethodId` ≤ 128, deleteToken/inquireToken `token` ≤ 255 and
//!   `merchantAccountId` REQUIRED there (≤ 64).
//! * a CARD pay without `env.clientIp` is logged as a warning, not refused (the SDK asks for it;
//!   whether Antom refuses is UNCONFIRMED).
//! * amounts are `{currency, value}` with an ISO 4217 currency (`antom::currency`, unknown ones
//!   `CURRENCY_NOT_SUPPORT`) and a value of integer minor units (digits only, no sign, no
//!   point, no leading zero, above zero); the order amount equals the payment amount.
//! * a saved token is charged only with `paymentMethodMetaData.isCardOnFile = true`, and only
//!   while it is bound for this client and not deleted.
//! * `paymentFactor` is required for CARD; automatic capture only (MANUAL would need `capture`,
//!   which this simulator does not offer: PARAM_ILLEGAL says so).
//! * refunds never exceed what was captured (partial refunds summed); cancel only before
//!   settlement (`SimConfig::settlement_delay`) and before any refund.
//!
//! UNCONFIRMED choices (Antom does not document them; marked where made): the codes for a
//! deleted token, for cancelling a settled payment, for refunding more than is left, and
//! deleteToken's answer for a token already deleted (success, as a repeat).

use crate::cards::{self, PayOutcome, CHALLENGE_CODE, CHALLENGE_TRIES};
use crate::notify;
use crate::session;
use crate::shared::Inner;
use crate::state::{key, PayStatus, Payment, Refund, State};
use crate::wire::{hex, iso, param_illegal, result, success, Checked, Fields};
use antom::codes;
use serde_json::{json, Map, Value};
use std::sync::Arc;
use time::OffsetDateTime;

/// A 3D Secure challenge of a payment stays open this long (× the time scale), then fails:
/// Antom's window is UNCONFIRMED.
const CHALLENGE_TTL: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub(crate) fn err(code: &str, message: &str) -> Value {
    result(code, "F", message)
}

/// `{currency, value}`: a known ISO 4217 code and integer minor units above zero.
pub(crate) fn amount(f: &Fields, name: &str) -> Checked<(String, u64)> {
    let a = f.obj(name)?;
    let currency = a.req_str("currency", 3)?;
    let value = a.req_str("value", 16)?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(param_illegal(format!("{name}.currency must be an ISO 4217 code")));
    }
    let digits = value.bytes().all(|b| b.is_ascii_digit());
    if !digits || value.starts_with('0') {
        return Err(param_illegal(format!(
            "{name}.value must be a positive integer of minor units (no sign, point or leading zero), not {value:?}"
        )));
    }
    if antom::currency::exponent(&currency).is_none() {
        return Err(err(codes::CURRENCY_NOT_SUPPORT, &format!("{currency} is not a supported currency")));
    }
    let v: u64 = value.parse().map_err(|_| param_illegal(format!("{name}.value is too large")))?;
    Ok((currency, v))
}

/// Either id, at most 64 characters; `paymentId` wins when both are given (inquiryPayment page).
fn payment_key(st: &State, client_id: &str, f: &Fields) -> Checked<Option<String>> {
    let by_id = f.opt_str("paymentId", 64)?;
    let by_request = f.opt_str("paymentRequestId", 64)?;
    match (by_id, by_request) {
        (Some(id), _) => Ok(st.payment_key_by_id(client_id, &id)),
        (None, Some(r)) => Ok(Some(key(client_id, &r)).filter(|k| st.payments.contains_key(k))),
        (None, None) => Err(param_illegal("paymentId or paymentRequestId is required")),
    }
}

pub(crate) fn pay(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let product = f.req_str("productCode", 32)?;
    if product != "CASHIER_PAYMENT" {
        return Err(param_illegal("productCode must be CASHIER_PAYMENT to pay with a saved card"));
    }
    let request_id = f.req_str("paymentRequestId", 64)?;
    let (currency, value) = amount(f, "paymentAmount")?;
    let order = f.obj("order")?;
    order.req_str("referenceOrderId", 64)?;
    order.req_str("orderDescription", 256)?;
    let (order_currency, order_value) = amount(&order, "orderAmount")?;
    if (order_currency.as_str(), order_value) != (currency.as_str(), value) {
        return Err(param_illegal("order.orderAmount must equal paymentAmount"));
    }
    if order.0.contains_key("buyer") {
        order.obj("buyer")?.opt_str("referenceBuyerId", 64)?;
    }
    let method = f.obj("paymentMethod")?;
    if method.req_str("paymentMethodType", 64)? != "CARD" {
        return Err(param_illegal("paymentMethod.paymentMethodType must be CARD to pay with a card token"));
    }
    let token = method.req_str("paymentMethodId", 128)?;
    let meta = method.obj("paymentMethodMetaData").map_err(|_| {
        param_illegal("paymentMethod.paymentMethodMetaData.isCardOnFile must be true to pay with a saved card token")
    })?;
    if meta.opt_bool("isCardOnFile")? != Some(true) {
        return Err(param_illegal(
            "paymentMethod.paymentMethodMetaData.isCardOnFile must be true to pay with a saved card token",
        ));
    }
    let upgrade = meta.opt_bool("enableAuthenticationUpgrade")? == Some(true);
    let three_ds_asked = meta.opt_bool("is3DSAuthentication")? == Some(true);
    let network_transaction_id = meta.opt_str("networkTransactionId", 256)?;
    let recurring_type = meta.opt_str("recurringType", 32)?;
    let merchant_initiated = network_transaction_id.is_some() || recurring_type.is_some();
    let factor = f.obj("paymentFactor").map_err(|_| param_illegal("paymentFactor is required for CARD payments"))?;
    factor.opt_bool("isAuthorization")?;
    if let Some(mode) = factor.opt_str("captureMode", 32)? {
        match mode.as_str() {
            "AUTOMATIC" => {}
            "MANUAL" => {
                return Err(param_illegal("captureMode MANUAL needs capture, which this simulator does not offer"))
            }
            _ => return Err(param_illegal("paymentFactor.captureMode must be AUTOMATIC or MANUAL")),
        }
    }
    let redirect_url = f.url("paymentRedirectUrl", true)?;
    let notify_url = f.url("paymentNotifyUrl", false)?;
    if f.0.contains_key("settlementStrategy") {
        if let Some(c) = f.obj("settlementStrategy")?.opt_str("settlementCurrency", 3)? {
            if antom::currency::exponent(&c).is_none() {
                return Err(err(codes::CURRENCY_NOT_SUPPORT, &format!("{c} is not a settlement currency")));
            }
        }
    }
    let mut client_ip = None;
    if f.0.contains_key("env") {
        let env = f.obj("env")?;
        if let Some(t) = env.opt_str("terminalType", 16)? {
            if !["WEB", "WAP", "APP", "MINI_APP"].contains(&t.as_str()) {
                return Err(param_illegal("env.terminalType must be WEB, WAP, APP or MINI_APP"));
            }
        }
        client_ip = env.opt_str("clientIp", 64)?;
        env.opt_str("userAgent", 1024)?;
    }
    if client_ip.is_none() {
        tracing::warn!(payment_request_id = %request_id, "a CARD pay without env.clientIp (the SDK says to send it)");
    }
    let merchant_region = f.merchant_region()?;

    let pk = key(client_id, &request_id);
    let fingerprint = key_fields(f.0, &["paymentRequestId", "paymentAmount"], Some(&token));
    let now = Inner::now();
    let (reply, became_final) = inner.with_state(|st| {
        if let Some(p) = st.payments.get(&pk) {
            if p.request_fingerprint != fingerprint {
                return (
                    err(codes::REPEAT_REQ_INCONSISTENT, "paymentRequestId was used with a different key field"),
                    None,
                );
            }
            return (pay_reply(inner, p), None);
        }
        let Some(card) = st.card_by_token(client_id, &token).cloned() else {
            // UNCONFIRMED code: Antom's answer for a deleted or unknown token is not documented.
            return (
                err(
                    codes::INVALID_PAYMENT_METHOD_ID,
                    "The card token is unknown, was deleted, or was not bound for this client.",
                ),
                None,
            );
        };
        let mut p = Payment {
            payment_id: format!("2026{}", hex(&session::random_bytes::<10>())),
            client_id: client_id.into(),
            payment_request_id: request_id.clone(),
            amount_currency: currency.clone(),
            amount_value: value.to_string(),
            card_token: token.clone(),
            request_fingerprint: fingerprint.clone(),
            response: Value::Null,
            status: PayStatus::Success,
            result_code: None,
            result_message: None,
            created_at: now,
            paid_at: None,
            ready_at: None,
            decline_when_ready: None,
            merchant_region: merchant_region.clone(),
            challenge_code: None,
            challenge_failures: 0,
            settles_at: now + time::Duration::try_from(inner.config.settlement_delay).unwrap_or(time::Duration::DAY),
            notify_url,
            redirect_url: redirect_url.clone(),
            brand: card.brand.clone(),
            masked_card_no: card.masked(),
            network_transaction_id: hex(&session::random_bytes::<8>()),
            authorization_code: String::new(),
            cancelled_at: None,
            three_ds: false,
            capture_at: None,
            capture: None,
            merchant_initiated,
        };
        let challenge = |p: &mut Payment| {
            p.status = PayStatus::Processing;
            p.three_ds = true;
            p.challenge_code = Some(CHALLENGE_CODE.into());
        };
        match cards::pay_outcome(&card.bin, &card.last4) {
            PayOutcome::Approve | PayOutcome::CaptureFails | PayOutcome::SlowRefunds => approve(inner, &mut p, now),
            PayOutcome::Decline(code) => decline(&mut p, code),
            PayOutcome::ThreeDs => challenge(&mut p),
            PayOutcome::ScaRequired if merchant_initiated => approve(inner, &mut p, now),
            PayOutcome::ScaRequired if upgrade || three_ds_asked => challenge(&mut p),
            PayOutcome::ScaRequired => decline(&mut p, cards::SCA_REQUIRED_CODE),
            PayOutcome::Slow(decline_code) => {
                p.status = PayStatus::Processing;
                p.ready_at = Some(now + inner.config.scaled(inner.config.slow_verification));
                p.decline_when_ready = decline_code.map(str::to_string);
            }
        }
        let reply = pay_reply(inner, &p);
        p.response = reply.clone();
        let final_now = p.status != PayStatus::Processing;
        let pending_now = p.ready_at.is_some();
        st.payments.insert(pk.clone(), p);
        (reply, if final_now { Some(true) } else { pending_now.then_some(false) })
    });
    match became_final {
        Some(true) => notify_payment(inner, &pk),
        // the issuer is at it: PAYMENT_PENDING first, the result when it comes
        Some(false) => notify_pending(inner, &pk),
        None => {}
    }
    Ok(reply)
}

/// A request's key fields for idempotency (and the token, kept out of the map it came in).
pub(crate) fn key_fields(f: &Map<String, Value>, names: &[&str], token: Option<&str>) -> String {
    let mut m: Map<String, Value> = names.iter().filter_map(|n| Some(((*n).to_string(), f.get(*n)?.clone()))).collect();
    if let Some(t) = token {
        m.insert("paymentMethodId".into(), t.into());
    }
    crate::wire::fingerprint(&m)
}

/// notifyPayment `PAYMENT_PENDING` for a payment the issuer is still deciding.
fn notify_pending(inner: &Arc<Inner>, pk: &str) {
    let Some((client_id, request_id, url, body)) = inner.read_state(|st| {
        let p = st.payments.get(pk)?;
        let mut body = notify_body(p);
        body["notifyType"] = antom::model::PAYMENT_PENDING.into();
        body["result"] = json!({ "resultCode": codes::PAYMENT_IN_PROCESS, "resultStatus": "U", "resultMessage": "payment in process" });
        Some((p.client_id.clone(), format!("{}#pending", p.payment_request_id), p.notify_url.clone()?, body.to_string()))
    }) else {
        return;
    };
    notify::spawn_body(inner.clone(), client_id, request_id, url, body);
}

/// notifyCapture for a payment whose automatic capture ended.
fn notify_capture(inner: &Arc<Inner>, pk: &str) {
    let Some((client_id, request_id, url, body)) = inner.read_state(|st| {
        let p = st.payments.get(pk)?;
        let c = p.capture.as_ref()?;
        let (code, status, message) = if c.succeeded {
            (codes::SUCCESS, "S", "success.")
        } else {
            // UNCONFIRMED: the code of a failed automatic capture; the simulator's choice.
            ("CAPTURE_FAILED", "F", "The capture failed.")
        };
        let body = json!({
            "notifyType": antom::model::CAPTURE_RESULT,
            "result": { "resultCode": code, "resultStatus": status, "resultMessage": message },
            "captureRequestId": c.capture_request_id,
            "paymentId": p.payment_id,
            "captureId": c.capture_id,
            "captureAmount": amount_json(&p.amount_currency, &p.amount_value),
            "captureTime": iso(c.at),
            "acquirerReferenceNo": format!("ARN{}", &c.capture_id[..12.min(c.capture_id.len())]),
        });
        Some((p.client_id.clone(), c.capture_request_id.clone(), p.notify_url.clone()?, body.to_string()))
    }) else {
        return;
    };
    notify::spawn_body(inner.clone(), client_id, request_id, url, body);
}

/// Capture an authorised payment once its capture is due; true when it happened now.
fn capture_if_due(p: &mut Payment, now: OffsetDateTime, card_outcome: PayOutcome) -> bool {
    if p.status != PayStatus::Success || p.capture.is_some() || p.capture_at.is_none_or(|t| now < t) {
        return false;
    }
    p.capture = Some(crate::state::Capture {
        capture_id: format!("C{}", hex(&session::random_bytes::<10>())),
        capture_request_id: format!("auto-capture-{}", p.payment_id),
        succeeded: card_outcome != PayOutcome::CaptureFails,
        at: now,
    });
    true
}

/// Send notifyPayment for a payment that became final, when it named a `paymentNotifyUrl`.
fn notify_payment(inner: &Arc<Inner>, pk: &str) {
    let Some((client_id, request_id, url, body)) = inner.read_state(|st| {
        let p = st.payments.get(pk)?;
        Some((p.client_id.clone(), p.payment_request_id.clone(), p.notify_url.clone()?, notify_body(p).to_string()))
    }) else {
        return;
    };
    notify::spawn_body(inner.clone(), client_id, request_id, url, body);
}

fn approve(inner: &Inner, p: &mut Payment, now: OffsetDateTime) {
    p.status = PayStatus::Success;
    p.capture_at = Some(now + inner.config.scaled(inner.config.capture_delay));
    p.paid_at = Some(now);
    p.challenge_code = None;
    p.ready_at = None;
    p.result_code = Some(codes::SUCCESS.into());
    p.result_message = Some("success.".into());
    let digits = session::random_bytes::<3>();
    p.authorization_code = format!("{:06}", u32::from_be_bytes([0, digits[0], digits[1], digits[2]]) % 1_000_000);
}

fn decline(p: &mut Payment, code: &str) {
    p.status = PayStatus::Fail;
    p.challenge_code = None;
    p.ready_at = None;
    p.result_code = Some(code.into());
    p.result_message = Some(decline_message(code).into());
}

pub fn decline_message(code: &str) -> &'static str {
    match code {
        codes::DO_NOT_HONOR => "The issuing bank declined the payment.",
        codes::USER_BALANCE_NOT_ENOUGH => "Insufficient funds.",
        codes::INVALID_EXPIRATION_DATE => "The card has expired.",
        codes::USER_PAYMENT_VERIFICATION_FAILED => "The cardholder did not complete 3D Secure verification.",
        _ => "The payment was declined.",
    }
}

/// The 3DS challenge page of a payment.
pub fn challenge_url(inner: &Inner, p: &Payment) -> String {
    format!("{}/element/pay-3ds.html?payment={}", inner.base_url, p.payment_id)
}

pub(crate) fn amount_json(currency: &str, value: &str) -> Value {
    json!({ "currency": currency, "value": value })
}

fn result_info(p: &Payment) -> Value {
    let mut info = json!({
        "cardBrand": p.brand,
        "cardNo": p.masked_card_no,
        "funding": "CREDIT",
        "networkTransactionId": p.network_transaction_id,
        "authorizationCode": p.authorization_code,
    });
    if p.three_ds {
        info["threeDSResult"] = json!({ "threeDSVersion": "2.2.0", "eci": "05" });
    }
    info
}

/// pay's answer for the payment as it stands (a repeat of the same request gets this too).
fn pay_reply(inner: &Inner, p: &Payment) -> Value {
    let mut m: Map<String, Value> = match p.status {
        PayStatus::Success => success(),
        PayStatus::Processing => {
            let Value::Object(m) = result(codes::PAYMENT_IN_PROCESS, "U", "payment in process") else { unreachable!() };
            m
        }
        PayStatus::Fail | PayStatus::Cancelled => {
            let code = p.result_code.clone().unwrap_or_else(|| codes::PROCESS_FAIL.into());
            let Value::Object(m) = err(&code, p.result_message.as_deref().unwrap_or("")) else { unreachable!() };
            m
        }
    };
    m.insert("paymentRequestId".into(), p.payment_request_id.clone().into());
    m.insert("paymentId".into(), p.payment_id.clone().into());
    m.insert("paymentAmount".into(), amount_json(&p.amount_currency, &p.amount_value));
    m.insert("paymentCreateTime".into(), iso(p.created_at).into());
    if let Some(t) = p.paid_at {
        m.insert("paymentTime".into(), iso(t).into());
    }
    if p.challenge_code.is_some() && p.status == PayStatus::Processing {
        let url = challenge_url(inner, p);
        m.insert("normalUrl".into(), url.clone().into());
        m.insert("redirectActionForm".into(), json!({ "method": "GET", "redirectUrl": url }));
    }
    if p.status == PayStatus::Success {
        m.insert("paymentResultInfo".into(), result_info(p));
    }
    Value::Object(m)
}

/// Move a payment on by the clock: a slow issuer answers, an abandoned challenge fails.
pub fn advance(inner: &Arc<Inner>, pk: &str) {
    let now = Inner::now();
    let hold = inner.faults.lock().unwrap_or_else(|p| p.into_inner()).hold_captures;
    let (became_final, captured) = inner.maybe_change_state(|st| {
        let outcome = st.payments.get(pk).and_then(|p| {
            st.card_by_token(&p.client_id, &p.card_token)
                .or_else(|| st.by_token(&p.card_token).and_then(|v| v.card.as_ref()))
                .map(|c| cards::pay_outcome(&c.bin, &c.last4))
        });
        let Some(p) = st.payments.get_mut(pk) else { return ((false, false), false) };
        let outcome = outcome.unwrap_or(PayOutcome::Approve);
        if p.status != PayStatus::Processing {
            let captured = !hold && capture_if_due(p, now, outcome);
            return ((false, captured), captured);
        }
        if p.ready_at.is_some_and(|t| now >= t) {
            match p.decline_when_ready.clone() {
                Some(code) => decline(p, &code),
                None => approve(inner, p, now),
            }
            let captured = !hold && capture_if_due(p, now, outcome);
            return ((true, captured), true);
        }
        let ttl = time::Duration::try_from(inner.config.scaled(CHALLENGE_TTL)).unwrap_or(time::Duration::MAX);
        if p.challenge_code.is_some() && now > p.created_at + ttl {
            decline(p, codes::USER_PAYMENT_VERIFICATION_FAILED);
            return ((true, false), true);
        }
        ((false, false), false)
    });
    if became_final {
        notify_payment(inner, pk);
    }
    if captured {
        notify_capture(inner, pk);
    }
}

/// Keys of payments still processing or waiting for their capture (the sweeper advances them).
pub fn open_payments(inner: &Inner) -> Vec<String> {
    inner.read_state(|st| {
        st.payments
            .iter()
            .filter(|(_, p)| {
                p.status == PayStatus::Processing || (p.status == PayStatus::Success && p.capture.is_none())
            })
            .map(|(k, _)| k.clone())
            .collect()
    })
}

/// What the payment's challenge page shows.
pub fn challenge_status(inner: &Arc<Inner>, payment_id: &str) -> Option<(PayStatus, bool, Payment)> {
    let pk =
        inner.read_state(|st| st.payments.iter().find(|(_, p)| p.payment_id == payment_id).map(|(k, _)| k.clone()))?;
    advance(inner, &pk);
    inner.read_state(|st| st.payments.get(&pk).map(|p| (p.status, p.challenge_code.is_some(), p.clone())))
}

/// Answer a payment's 3DS challenge: `approve` false is the buyer giving up. Returns the page
/// status: `SUCCESS`, `FAIL`, `RETRY` (wrong code), `USED` (not open), `UNKNOWN`.
pub fn answer_challenge(inner: &Arc<Inner>, payment_id: &str, code: &str, approve_it: bool) -> &'static str {
    let Some(pk) =
        inner.read_state(|st| st.payments.iter().find(|(_, p)| p.payment_id == payment_id).map(|(k, _)| k.clone()))
    else {
        return "UNKNOWN";
    };
    advance(inner, &pk);
    let now = Inner::now();
    let (status, became_final) = inner.with_state(|st| {
        let p = st.payments.get_mut(&pk).expect("key from the lookup");
        let Some(expected) = p.challenge_code.clone().filter(|_| p.status == PayStatus::Processing) else {
            return ("USED", false);
        };
        if !approve_it {
            decline(p, codes::USER_PAYMENT_VERIFICATION_FAILED);
            return ("FAIL", true);
        }
        if code.trim() != expected {
            p.challenge_failures += 1;
            if p.challenge_failures >= CHALLENGE_TRIES {
                decline(p, codes::USER_PAYMENT_VERIFICATION_FAILED);
                return ("FAIL", true);
            }
            return ("RETRY", false);
        }
        approve(inner, p, now);
        ("SUCCESS", true)
    });
    if became_final {
        notify_payment(inner, &pk);
    }
    status
}

pub(crate) fn inquiry_payment(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    f.opt_str("merchantAccountId", 64)?;
    let Some(pk) = inner.read_state(|st| payment_key(st, client_id, f))? else {
        return Ok(err(codes::ORDER_NOT_EXIST, "No payment with this id."));
    };
    advance(inner, &pk);
    Ok(inner.read_state(|st| {
        let p = &st.payments[&pk];
        let mut m = success();
        let status = match p.status {
            PayStatus::Success => "SUCCESS",
            PayStatus::Fail => "FAIL",
            PayStatus::Processing => "PROCESSING",
            PayStatus::Cancelled => "CANCELLED",
        };
        m.insert("paymentStatus".into(), status.into());
        let (code, message) = match p.status {
            PayStatus::Processing => (codes::PAYMENT_IN_PROCESS.to_string(), "payment in process".to_string()),
            _ => (
                p.result_code.clone().unwrap_or_else(|| codes::SUCCESS.into()),
                p.result_message.clone().unwrap_or_default(),
            ),
        };
        m.insert("paymentResultCode".into(), code.into());
        m.insert("paymentResultMessage".into(), message.into());
        m.insert("paymentRequestId".into(), p.payment_request_id.clone().into());
        m.insert("paymentId".into(), p.payment_id.clone().into());
        m.insert("paymentAmount".into(), amount_json(&p.amount_currency, &p.amount_value));
        m.insert("paymentCreateTime".into(), iso(p.created_at).into());
        if let Some(t) = p.paid_at {
            m.insert("paymentTime".into(), iso(t).into());
        }
        if p.status == PayStatus::Success {
            m.insert("paymentResultInfo".into(), result_info(p));
        }
        if p.challenge_code.is_some() && p.status == PayStatus::Processing {
            m.insert("redirectActionForm".into(), json!({ "method": "GET", "redirectUrl": challenge_url(inner, p) }));
        }
        let transactions = transactions(st, p);
        if !transactions.is_empty() {
            m.insert("transactions".into(), transactions.into());
        }
        Value::Object(m)
    }))
}

/// inquiryPayment's `transactions[]`: the capture (PROCESSING until it happens), then refunds.
fn transactions(st: &State, p: &Payment) -> Vec<Value> {
    let mut out = Vec::new();
    if p.status == PayStatus::Success || p.capture.is_some() {
        let amount = amount_json(&p.amount_currency, &p.amount_value);
        out.push(match &p.capture {
            Some(c) => {
                let (status, code, rs) =
                    if c.succeeded { ("SUCCESS", codes::SUCCESS, "S") } else { ("FAIL", "CAPTURE_FAILED", "F") };
                json!({
                    "transactionType": antom::model::CAPTURE, "transactionStatus": status,
                    "transactionId": c.capture_id, "transactionRequestId": c.capture_request_id,
                    "transactionAmount": amount, "transactionTime": iso(c.at),
                    "transactionResult": { "resultCode": code, "resultStatus": rs, "resultMessage": "" },
                })
            }
            None => json!({ "transactionType": antom::model::CAPTURE, "transactionStatus": "PROCESSING", "transactionAmount": amount }),
        });
    }
    let mut refunds: Vec<&Refund> =
        st.refunds.values().filter(|r| r.client_id == p.client_id && r.payment_id == p.payment_id).collect();
    refunds.sort_by_key(|r| r.refunded_at);
    for r in refunds {
        out.push(json!({
            "transactionType": "REFUND",
            "transactionStatus": if r.ready_at.is_some() { "PROCESSING" } else { "SUCCESS" },
            "transactionId": r.refund_id, "transactionRequestId": r.refund_request_id,
            "transactionAmount": amount_json(&r.currency, &r.amount.to_string()), "transactionTime": iso(r.refunded_at),
        }));
    }
    out
}

pub(crate) fn cancel(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    f.opt_str("merchantAccountId", 64)?;
    let Some(pk) = inner.read_state(|st| payment_key(st, client_id, f))? else {
        return Ok(err(codes::ORDER_NOT_EXIST, "No payment with this id."));
    };
    advance(inner, &pk);
    let now = Inner::now();
    let (reply, became_final) = inner.with_state(|st| {
        let refunded = st.refunded(&st.payments[&pk].payment_id);
        let p = st.payments.get_mut(&pk).expect("key from the lookup");
        let ok = |p: &Payment| {
            let mut m = success();
            m.insert("paymentId".into(), p.payment_id.clone().into());
            m.insert("paymentRequestId".into(), p.payment_request_id.clone().into());
            m.insert("cancelTime".into(), iso(p.cancelled_at.unwrap_or(now)).into());
            Value::Object(m)
        };
        match p.status {
            PayStatus::Cancelled => (ok(p), false),
            // UNCONFIRMED code for a payment that cannot be cancelled any more.
            PayStatus::Fail => (err(codes::ORDER_STATUS_INVALID, "A failed payment cannot be cancelled."), false),
            PayStatus::Success if now >= p.settles_at || refunded > 0 => {
                (err(codes::ORDER_STATUS_INVALID, "The payment is settled or refunded: refund it instead."), false)
            }
            PayStatus::Success | PayStatus::Processing => {
                p.status = PayStatus::Cancelled;
                p.challenge_code = None;
                p.ready_at = None;
                p.cancelled_at = Some(now);
                p.result_code = Some("ORDER_IS_CANCELLED".into());
                p.result_message = Some("The payment was cancelled.".into());
                (ok(p), true)
            }
        }
    });
    if became_final {
        notify_payment(inner, &pk);
    }
    Ok(reply)
}

/// notifyPayment's body for a payment that is final.
pub fn notify_body(p: &Payment) -> Value {
    let (code, status) = match p.status {
        PayStatus::Success => (codes::SUCCESS.to_string(), "S"),
        _ => (p.result_code.clone().unwrap_or_else(|| codes::PROCESS_FAIL.into()), "F"),
    };
    let mut body = json!({
        "notifyType": antom::model::PAYMENT_RESULT,
        "result": { "resultCode": code, "resultStatus": status, "resultMessage": p.result_message.clone().unwrap_or_default() },
        "paymentRequestId": p.payment_request_id,
        "paymentId": p.payment_id,
        "paymentAmount": amount_json(&p.amount_currency, &p.amount_value),
        "paymentCreateTime": iso(p.created_at),
    });
    if let Some(t) = p.paid_at {
        body["paymentTime"] = iso(t).into();
        body["paymentResultInfo"] = result_info(p);
    }
    body
}
