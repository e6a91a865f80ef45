//! Refunds of a captured payment (§9.2): refund, inquiryRefund, the slow-refund card's
//! PROCESSING refunds and notifyRefund. Idempotent on the key fields, as pay is
//! ([`crate::payment`]).

use crate::cards::{self, PayOutcome};
use crate::notify;
use crate::payment::{advance, amount, amount_json, err, key_fields};
use crate::session;
use crate::shared::Inner;
use crate::state::{key, PayStatus, Refund};
use crate::wire::{hex, iso, param_illegal, result, success, Checked, Fields};
use antom::codes;
use serde_json::{json, Value};
use std::sync::Arc;

fn refund_reply(r: &Refund) -> Value {
    if r.ready_at.is_some() {
        // UNCONFIRMED: Antom's answer to a refund it has not finished; the simulator's choice is
        // U with REFUND_IN_PROCESS (the refund id given), to be followed by inquiryRefund.
        let Value::Object(mut m) = result("REFUND_IN_PROCESS", "U", "The refund is being processed.") else {
            unreachable!()
        };
        m.insert("refundRequestId".into(), r.refund_request_id.clone().into());
        m.insert("refundId".into(), r.refund_id.clone().into());
        m.insert("paymentId".into(), r.payment_id.clone().into());
        m.insert("refundAmount".into(), amount_json(&r.currency, &r.amount.to_string()));
        return Value::Object(m);
    }
    let mut m = success();
    m.insert("refundRequestId".into(), r.refund_request_id.clone().into());
    m.insert("refundId".into(), r.refund_id.clone().into());
    m.insert("paymentId".into(), r.payment_id.clone().into());
    m.insert("refundAmount".into(), amount_json(&r.currency, &r.amount.to_string()));
    m.insert("refundTime".into(), iso(r.refunded_at).into());
    Value::Object(m)
}

pub(crate) fn refund(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let request_id = f.req_str("refundRequestId", 64)?;
    let payment_id = f.req_str("paymentId", 64)?;
    let (currency, value) = amount(f, "refundAmount")?;
    f.opt_str("referenceRefundId", 64)?;
    f.opt_str("refundReason", 256)?;
    let notify_url = f.url("refundNotifyUrl", false)?;
    let rk = key(client_id, &request_id);
    let fingerprint = key_fields(f.0, &["refundRequestId", "paymentId", "refundAmount"], None);
    let now = Inner::now();
    if let Some(pk) = inner.read_state(|st| st.payment_key_by_id(client_id, &payment_id)) {
        advance(inner, &pk);
    }
    let (reply, done) = inner.with_state(|st| {
        if let Some(r) = st.refunds.get(&rk) {
            if r.request_fingerprint != fingerprint {
                return (
                    err(codes::REPEAT_REQ_INCONSISTENT, "refundRequestId was used with a different request"),
                    false,
                );
            }
            return (refund_reply(r), false);
        }
        let Some(pk) = st.payment_key_by_id(client_id, &payment_id) else {
            return (err(codes::ORDER_NOT_EXIST, "No payment with this id."), false);
        };
        let p = &st.payments[&pk];
        if p.status != PayStatus::Success || !p.capture.as_ref().is_some_and(|c| c.succeeded) {
            // UNCONFIRMED code: only a captured payment can be refunded.
            return (err(codes::ORDER_STATUS_INVALID, "Only a captured payment can be refunded."), false);
        }
        let slow = st
            .card_by_token(client_id, &p.card_token)
            .is_some_and(|c| cards::pay_outcome(&c.bin, &c.last4) == PayOutcome::SlowRefunds);
        if currency != p.amount_currency {
            return (param_illegal("refundAmount.currency must be the payment's currency"), false);
        }
        let captured: u64 = p.amount_value.parse().unwrap_or(0);
        let left = captured.saturating_sub(st.refunded(&payment_id));
        if value > left {
            // UNCONFIRMED code.
            return (
                err(codes::REFUND_AMOUNT_EXCEED, &format!("Only {left} {currency} (minor units) is left to refund.")),
                false,
            );
        }
        let r = Refund {
            refund_id: format!("R2026{}", hex(&session::random_bytes::<9>())),
            refund_request_id: request_id.clone(),
            client_id: client_id.into(),
            payment_id: payment_id.clone(),
            currency: currency.clone(),
            amount: value,
            request_fingerprint: fingerprint.clone(),
            refunded_at: now,
            notify_url,
            ready_at: slow.then(|| now + inner.config.scaled(inner.config.slow_verification)),
        };
        let reply = refund_reply(&r);
        st.refunds.insert(rk.clone(), r);
        (reply, !slow)
    });
    if done {
        notify_refund(inner, &rk);
    }
    Ok(reply)
}

pub(crate) fn inquiry_refund(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    f.opt_str("merchantAccountId", 64)?;
    let by_id = f.opt_str("refundId", 64)?;
    let by_request = f.opt_str("refundRequestId", 64)?;
    if by_id.is_none() && by_request.is_none() {
        return Err(param_illegal("refundId or refundRequestId is required"));
    }
    advance_refunds(inner);
    Ok(inner.read_state(|st| {
        let found = match (&by_id, &by_request) {
            (Some(id), _) => st.refunds.values().find(|r| r.client_id == client_id && &r.refund_id == id),
            (None, Some(r)) => st.refunds.get(&key(client_id, r)),
            (None, None) => None,
        };
        match found {
            None => err(codes::REFUND_NOT_EXIST, "No refund with this id."),
            Some(r) => {
                let processing = Refund { ready_at: None, ..r.clone() };
                let Value::Object(mut m) = refund_reply(&processing) else { unreachable!() };
                m.insert("refundStatus".into(), if r.ready_at.is_some() { "PROCESSING" } else { "SUCCESS" }.into());
                if r.ready_at.is_some() {
                    m.remove("refundTime");
                }
                Value::Object(m)
            }
        }
    }))
}

/// Finish the slow refunds that are due, and notify them.
pub fn advance_refunds(inner: &Arc<Inner>) {
    let now = Inner::now();
    let due: Vec<String> = inner.maybe_change_state(|st| {
        let due: Vec<String> =
            st.refunds.iter().filter(|(_, r)| r.ready_at.is_some_and(|t| now >= t)).map(|(k, _)| k.clone()).collect();
        for k in &due {
            let r = st.refunds.get_mut(k).expect("key from the scan");
            r.ready_at = None;
            r.refunded_at = now;
        }
        let changed = !due.is_empty();
        (due, changed)
    });
    for k in due {
        notify_refund(inner, &k);
    }
}

fn notify_refund(inner: &Arc<Inner>, rk: &str) {
    let found = inner.read_state(|st| {
        let r = st.refunds.get(rk)?;
        Some((
            r.client_id.clone(),
            r.refund_request_id.clone(),
            r.notify_url.clone()?,
            refund_notify_body(r).to_string(),
        ))
    });
    if let Some((client_id, request_id, url, body)) = found {
        notify::spawn_body(inner.clone(), client_id, request_id, url, body);
    }
}

/// notifyRefund's body.
pub fn refund_notify_body(r: &Refund) -> Value {
    json!({
        "notifyType": "REFUND_RESULT",
        "result": { "resultCode": codes::SUCCESS, "resultStatus": "S", "resultMessage": "success." },
        "refundStatus": "SUCCESS",
        "refundRequestId": r.refund_request_id,
        "refundId": r.refund_id,
        "paymentId": r.payment_id,
        "refundAmount": amount_json(&r.currency, &r.amount.to_string()),
        "refundTime": iso(r.refunded_at),
    })
}
