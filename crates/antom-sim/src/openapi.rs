//! The Open API: request authentication, field validation, signed responses, fault injection;
//! and the simulator's admin endpoints under `/sim`. Each endpoint parses its fields, calls the
//! state machine ([`crate::vaulting`], [`crate::payment`]) and renders Antom's answer.

use crate::cards;
use crate::faults::{Faults, RequestFaults};
use crate::payment;
use crate::shared::Inner;
use crate::state::{Status, Vaulting};
use crate::vaulting::{self, CardForm, NewSession, VaultRefused};
use crate::wire::{self, card_json, iso, param_illegal, success, Checked, Fields};
use antom::{codes, signature};
use axum::body::{Body, Bytes};
use axum::extract::{OriginalUri, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use std::time::Duration;
use time::format_description::well_known::Iso8601;
use time::OffsetDateTime;

pub fn routes() -> Router<Arc<Inner>> {
    Router::new()
        .route("/ams/api/v1/{*rest}", post(handle))
        .route("/ams/sandbox/api/v1/{*rest}", post(handle))
        .route("/sim/health", get(health))
        .route("/sim/faults", get(get_faults).post(set_faults))
        .route("/sim/notifications", get(notifications))
        .route("/sim/vaultings", get(vaultings))
        .route("/sim/test-cards", get(test_cards))
        .route("/sim/antom-public-key", get(antom_public_key))
}

/// An unsigned answer, as Antom gives when it cannot (or will not) sign: bad signature, unknown
/// client.
fn unsigned(body: Value) -> Response {
    let mut r = (StatusCode::OK, body.to_string()).into_response();
    r.headers_mut().insert("content-type", HeaderValue::from_static("application/json; charset=UTF-8"));
    r
}

fn header<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Request times are opaque strings in the signature; the value must still be a time: Unix
/// epoch milliseconds (Java/Go SDKs) or ISO 8601 (Python SDK, older docs). Clock skew is not
/// checked, because Antom's window is UNCONFIRMED.
fn valid_request_time(t: &str) -> bool {
    (t.len() >= 10 && t.len() <= 16 && t.bytes().all(|b| b.is_ascii_digit()))
        || OffsetDateTime::parse(t, &Iso8601::DEFAULT).is_ok()
}

const ENDPOINTS: &[&str] = &[
    "vaults/createVaultingSession",
    "vaults/inquireVaulting",
    "vaults/vaultPaymentMethod",
    "vaults/deleteToken",
    "vaults/inquireToken",
    "payments/pay",
    "payments/inquiryPayment",
    "payments/cancel",
    "payments/refund",
    "payments/inquiryRefund",
];

async fn handle(State(inner): State<Arc<Inner>>, uri: OriginalUri, headers: HeaderMap, body: Bytes) -> Response {
    let path = uri.path().to_string();
    let signed_path = uri.path_and_query().map_or(path.clone(), |p| p.as_str().to_string());
    let rest = path.split("/api/v1/").nth(1).unwrap_or("");
    let endpoint = ENDPOINTS.iter().find(|e| **e == rest).map(|e| e.rsplit('/').next().unwrap_or(e));
    let faults = inner.faults.lock().unwrap_or_else(|p| p.into_inner()).take_for_request(endpoint.unwrap_or(rest));
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if faults.http_5xx {
        return (StatusCode::SERVICE_UNAVAILABLE, "").into_response();
    }
    let Some(endpoint) = endpoint else {
        return unsigned(result(codes::NO_INTERFACE_DEF, "F", &format!("no API at {path}")));
    };

    // Authentication, in Antom's order: who is calling, then is it really them.
    let Some(client_id) = header(&headers, "client-id").map(str::to_string) else {
        return unsigned(param_illegal("the client-id header is required"));
    };
    let Some(key) = inner.clients.read().unwrap_or_else(|p| p.into_inner()).get(&client_id).cloned() else {
        return unsigned(result(codes::INVALID_CLIENT, "F", "the client id is not registered"));
    };
    // Sandbox ids are served only under /ams/sandbox/api, others only under /ams/api (every
    // official SDK pairs them so). The code Antom gives the wrong pair is UNCONFIRMED:
    // INVALID_CLIENT, unsigned, as for an id that environment does not know.
    if let Some(why) = antom::gateway::path_mismatch(&client_id, &path) {
        tracing::info!(endpoint, %client_id, "client id on the wrong path");
        return unsigned(result(codes::INVALID_CLIENT, "F", &why));
    }
    let request_time = header(&headers, "request-time").unwrap_or("").to_string();
    if let Err(e) =
        signature::verify(&key, &signed_path, &client_id, &request_time, &body, header(&headers, "signature"))
    {
        tracing::info!(endpoint, %client_id, reason = %e, "request signature rejected");
        return unsigned(result(codes::INVALID_SIGNATURE, "F", "Invalid signature."));
    }
    let reply = if !valid_request_time(&request_time) {
        param_illegal("request-time must be Unix epoch milliseconds or an ISO 8601 time")
    } else if faults.unknown_exception {
        result(codes::UNKNOWN_EXCEPTION, "U", "An unknown exception occurred (simulated fault).")
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(fields)) => {
                let f = Fields(&fields);
                let (r, unreliable) = inner.unreliable(|| match endpoint {
                    "createVaultingSession" => create_session(&inner, &client_id, &f),
                    "inquireVaulting" => inquire(&inner, &client_id, &f),
                    "vaultPaymentMethod" => vault_payment_method(&inner, &client_id, &f),
                    "deleteToken" => crate::tokens::delete_token(&inner, &client_id, &f),
                    "inquireToken" => crate::tokens::inquire_token(&inner, &client_id, &f),
                    "pay" => payment::pay(&inner, &client_id, &f),
                    "inquiryPayment" => payment::inquiry_payment(&inner, &client_id, &f),
                    "cancel" => payment::cancel(&inner, &client_id, &f),
                    "refund" => crate::refund::refund(&inner, &client_id, &f),
                    _ => crate::refund::inquiry_refund(&inner, &client_id, &f),
                });
                if unreliable {
                    // the shared records were out of reach: whatever happened is not known
                    result(codes::UNKNOWN_EXCEPTION, "U", "An unknown exception occurred.")
                } else {
                    r.unwrap_or_else(|e| e)
                }
            }
            _ => param_illegal("the body must be a JSON object"),
        }
    };
    tracing::info!(endpoint, %client_id, code = %reply["result"]["resultCode"], "answered");
    signed(&inner, &signed_path, &client_id, reply, &faults)
}

fn signed(inner: &Inner, path: &str, client_id: &str, reply: Value, faults: &RequestFaults) -> Response {
    let (bad_signature, drop_connection) = (faults.bad_signature, faults.drop_connection);
    let body = reply.to_string();
    let response_time = iso(Inner::now() + time::Duration::seconds(faults.clock_offset_secs));
    let signed_body = if bad_signature { format!("{body} ") } else { body.clone() };
    let sig = signature::sign(&inner.config.antom_key, path, client_id, &response_time, signed_body.as_bytes(), "1");
    let stream_body = if drop_connection {
        // Headers go out, then the body fails: the connection is cut mid-response, after the
        // request was processed (what makes idempotency matter).
        Body::from_stream(futures_util::stream::once(async {
            Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped (simulated fault)"))
        }))
    } else {
        Body::from(body)
    };
    let mut r = Response::new(stream_body);
    let h = r.headers_mut();
    h.insert("content-type", HeaderValue::from_static("application/json; charset=UTF-8"));
    h.insert("client-id", HeaderValue::from_str(client_id).unwrap_or(HeaderValue::from_static("")));
    h.insert("response-time", HeaderValue::from_str(&response_time).expect("ASCII"));
    h.insert("signature", HeaderValue::from_str(&sig.to_header_value()).expect("ASCII"));
    r
}

fn result(code: &str, status: &str, message: &str) -> Value {
    wire::result(code, status, message)
}

fn session_reply(v: &Vaulting) -> Value {
    let mut m = success();
    m.insert("vaultingSessionData".into(), v.session_data.clone().into());
    m.insert("vaultingSessionId".into(), v.session_id.clone().into());
    m.insert("vaultingSessionExpiryTime".into(), iso(v.expires_at).into());
    Value::Object(m)
}

fn inconsistent(why: &str) -> Value {
    result(codes::REPEAT_REQ_INCONSISTENT, "F", why)
}

fn create_session(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let pmt = f.req_str("paymentMethodType", 64)?;
    if pmt != "CARD" {
        return Err(param_illegal("paymentMethodType must be CARD"));
    }
    let request = NewSession {
        request_id: f.req_str("vaultingRequestId", 64)?,
        notification_url: f.url("vaultingNotificationUrl", true)?.unwrap_or_default(),
        redirect_url: f.url("redirectUrl", false)?,
        merchant_region: f.merchant_region()?,
        is_3ds: f.opt_bool("is3DSAuthentication")?,
        fingerprint: wire::fingerprint(f.0),
    };
    Ok(match vaulting::create_session(inner, client_id, request) {
        Ok(v) => session_reply(&v),
        Err(vaulting::Inconsistent(why)) => inconsistent(why),
    })
}

fn inquire(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let request_id = f.req_str("vaultingRequestId", 64)?;
    f.opt_str("merchantAccountId", 64)?;
    let Some(v) = vaulting::find(inner, client_id, &request_id) else {
        // vaultingRequestId is REQUIRED in every inquireVaulting response, this one included.
        let mut m = Map::new();
        m.extend(
            wire::result(codes::VAULTING_NOT_EXIST, "F", "The vaulting request does not exist.")
                .as_object()
                .cloned()
                .unwrap_or_default(),
        );
        m.insert("vaultingRequestId".into(), request_id.into());
        return Ok(Value::Object(m));
    };
    let mut m = success();
    m.insert("vaultingRequestId".into(), request_id.into());
    let (status, code, message) = match v.status {
        Status::SessionCreated | Status::Processing => {
            ("PROCESSING", codes::VERIFICATION_IN_PROCESS, "The verification is still under process.")
        }
        Status::Success => ("SUCCESS", codes::SUCCESS, "success."),
        Status::Fail => (
            "FAIL",
            v.result_code.as_deref().unwrap_or(codes::PROCESS_FAIL),
            v.result_message.as_deref().unwrap_or("fail"),
        ),
    };
    m.insert("vaultingStatus".into(), status.into());
    m.insert("vaultingResultCode".into(), code.into());
    m.insert("vaultingResultMessage".into(), message.into());
    if v.status == Status::Success {
        if let Some(c) = &v.card {
            m.insert("paymentMethodDetail".into(), card_json(c));
        }
    }
    if v.status == Status::Processing && v.challenge_code.is_some() {
        m.insert("normalUrl".into(), vaulting::challenge_url(inner, &v).into());
    }
    Ok(Value::Object(m))
}

fn vault_payment_method(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let request_id = f.req_str("vaultingRequestId", 64)?;
    let notification_url = f.url("vaultingNotificationUrl", true)?.unwrap_or_default();
    f.url("redirectUrl", true)?;
    f.merchant_region()?;
    f.obj("env")?;
    f.opt_str("merchantAccountId", 64)?;
    f.opt_str("metadata", 2048)?;
    let detail = f.obj("paymentMethodDetail")?;
    if detail.req_str("paymentMethodType", 64)? != "CARD" {
        return Err(param_illegal("paymentMethodDetail.paymentMethodType must be CARD"));
    }
    let card = detail.obj("card")?;
    let form = CardForm {
        number: card.req_str("cardNo", 32)?,
        expiry_month: card.req_str("expiryMonth", 2)?,
        // 2 digits per the model, 4 in the Go demo (UNCONFIRMED): both accepted.
        expiry_year: card.req_str("expiryYear", 4)?,
        cvv: card.opt_str("cvv", 4)?.unwrap_or_default(),
        holder_name: card.obj("cardholderName").ok().and_then(|n| n.opt_str("fullName", 128).ok().flatten()),
    };
    let v = match vaulting::vault_payment_method(
        inner,
        client_id,
        &request_id,
        notification_url,
        form,
        wire::fingerprint(f.0),
    ) {
        Ok(v) => v,
        Err(VaultRefused::Inconsistent(vaulting::Inconsistent(why))) => return Ok(inconsistent(why)),
        Err(VaultRefused::Invalid(msg)) => return Ok(param_illegal(msg)),
    };
    let mut m = Map::new();
    m.insert("vaultingRequestId".into(), request_id.into());
    let extend = |m: &mut Map<String, Value>, v: Value| m.extend(v.as_object().cloned().unwrap_or_default());
    match v.status {
        Status::Success => {
            m.extend(success());
            if let Some(c) = &v.card {
                m.insert("paymentMethodDetail".into(), card_json(c));
            }
        }
        Status::Fail => {
            let code = v.result_code.clone().unwrap_or_else(|| codes::PROCESS_FAIL.into());
            extend(&mut m, result(codes::VERIFICATION_FAIL, "F", &format!("Card verification failed: {code}")));
        }
        Status::Processing | Status::SessionCreated => {
            extend(&mut m, result(codes::VERIFICATION_IN_PROCESS, "U", "The verification is still under process."));
            m.insert("normalUrl".into(), vaulting::challenge_url(inner, &v).into());
        }
    }
    Ok(Value::Object(m))
}

// ----- admin -----

async fn health(State(inner): State<Arc<Inner>>) -> Json<Value> {
    let clients: Vec<String> = inner.clients.read().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect();
    Json(json!({ "ok": true, "clients": clients, "elementLink": format!("{}/element/vaulting.html", inner.base_url) }))
}

async fn get_faults(State(inner): State<Arc<Inner>>) -> Json<Faults> {
    Json(inner.faults.lock().unwrap_or_else(|p| p.into_inner()).clone())
}

async fn set_faults(State(inner): State<Arc<Inner>>, Json(f): Json<Faults>) -> Json<Faults> {
    *inner.faults.lock().unwrap_or_else(|p| p.into_inner()) = f.clone();
    Json(f)
}

async fn notifications(State(inner): State<Arc<Inner>>) -> Json<Value> {
    Json(json!(inner.read_state(|s| s.notifications.clone())))
}

/// Status of every vaulting, without tokens or session data.
async fn vaultings(State(inner): State<Arc<Inner>>) -> Json<Value> {
    Json(Value::Array(inner.read_state(|s| {
        s.vaultings
            .values()
            .map(|v| json!({ "clientId": v.client_id, "vaultingRequestId": v.request_id, "status": v.status, "resultCode": v.result_code, "createdAt": iso(v.created_at), "merchantRegion": v.merchant_region }))
            .collect()
    })))
}

async fn test_cards() -> Json<Value> {
    Json(json!(cards::TEST_CARDS))
}

async fn antom_public_key(State(inner): State<Arc<Inner>>) -> String {
    inner.config.antom_key.public_key().to_spki_base64()
}
