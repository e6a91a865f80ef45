//! Payments with a saved card (`pay`, card on file): the payment state machine. Idempotent on
//! `paymentRequestId`: the same body gets the same answer (the first answer is kept and
//! replayed), a different amount or card gets `REPEAT_REQ_INCONSISTENT`.

use crate::session;
use crate::shared::Inner;
use crate::state::{key, Payment};
use crate::wire::iso;
use crate::wire::{hex, param_illegal, result, success, Checked, Fields};
use antom::codes;
use serde_json::{json, Value};
use std::sync::Arc;

pub(crate) fn pay(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    f.req_str("productCode", 32)?;
    let request_id = f.req_str("paymentRequestId", 64)?;
    let amount = f.obj("paymentAmount")?;
    let currency = amount.req_str("currency", 3)?;
    let value = amount.req_str("value", 16)?;
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(param_illegal("paymentAmount.currency must be an ISO 4217 code"));
    }
    if !value.bytes().all(|b| b.is_ascii_digit()) || value.parse::<u64>().map_or(true, |v| v == 0) {
        return Err(param_illegal("paymentAmount.value must be a positive integer in minor units"));
    }
    let order = f.obj("order")?;
    order.req_str("referenceOrderId", 64)?;
    let method = f.obj("paymentMethod")?;
    if method.req_str("paymentMethodType", 64)? != "CARD" {
        return Err(param_illegal("paymentMethod.paymentMethodType must be CARD to pay with a card token"));
    }
    let token = method.req_str("paymentMethodId", 2048)?;
    let pk = format!("pay\u{1f}{}", key(client_id, &request_id));
    let fingerprint = crate::wire::fingerprint(f.0);
    Ok(inner.with_state(|st| {
        if let Some(p) = st.payments.get(&pk) {
            // Every field counts (a payment saved by an earlier version: amount and card only).
            let same = if p.request_fingerprint.is_empty() {
                p.amount_currency == currency && p.amount_value == value && p.card_token == token
            } else {
                p.request_fingerprint == fingerprint
            };
            if !same {
                return result(
                    codes::REPEAT_REQ_INCONSISTENT,
                    "F",
                    "paymentRequestId was used with a different amount or card",
                );
            }
            return p.response.clone();
        }
        let reply = if st.card_by_token(client_id, &token).is_none() {
            result(codes::PROCESS_FAIL, "F", "The card token is unknown or was not bound for this client.")
        } else {
            let now = iso(Inner::now());
            let mut m = success();
            m.insert("paymentRequestId".into(), request_id.clone().into());
            m.insert("paymentId".into(), format!("P{}", hex(&session::random_bytes::<12>())).into());
            m.insert("paymentAmount".into(), json!({ "currency": currency, "value": value }));
            m.insert("paymentCreateTime".into(), now.clone().into());
            m.insert("paymentTime".into(), now.into());
            Value::Object(m)
        };
        st.payments.insert(
            pk.clone(),
            Payment {
                payment_id: reply["paymentId"].as_str().unwrap_or("").into(),
                amount_currency: currency,
                amount_value: value,
                card_token: token,
                request_fingerprint: fingerprint,
                response: reply.clone(),
            },
        );
        reply
    }))
}
