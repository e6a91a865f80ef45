//! The Open API: request authentication, field validation, the vaulting state machine, signed
//! responses, fault injection; and the simulator's admin endpoints under `/sim`.

use crate::cards;
use crate::faults::Faults;
use crate::state::{key, Card, Payment, Status, Vaulting};
use crate::{notify, session, Inner};
use antom::signature;
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

/// `2026-11-23T10:00:00+00:00`: ISO 8601 with an offset, as in Antom's examples.
pub fn iso(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}+00:00",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

fn result(code: &str, status: &str, message: &str) -> Value {
    json!({ "result": { "resultCode": code, "resultStatus": status, "resultMessage": message } })
}

fn success() -> Map<String, Value> {
    let Value::Object(m) = result("SUCCESS", "S", "success.") else { unreachable!() };
    m
}

fn param_illegal(message: impl Into<String>) -> Value {
    result("PARAM_ILLEGAL", "F", &message.into())
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

const ENDPOINTS: &[&str] =
    &["vaults/createVaultingSession", "vaults/inquireVaulting", "vaults/vaultPaymentMethod", "payments/pay"];

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
        return unsigned(result("NO_INTERFACE_DEF", "F", &format!("no API at {path}")));
    };

    // Authentication, in Antom's order: who is calling, then is it really them.
    let Some(client_id) = header(&headers, "client-id").map(str::to_string) else {
        return unsigned(param_illegal("the client-id header is required"));
    };
    let Some(key) = inner.clients.read().unwrap_or_else(|p| p.into_inner()).get(&client_id).cloned() else {
        return unsigned(result("INVALID_CLIENT", "F", "the client id is not registered"));
    };
    let request_time = header(&headers, "request-time").unwrap_or("").to_string();
    if let Err(e) =
        signature::verify(&key, &signed_path, &client_id, &request_time, &body, header(&headers, "signature"))
    {
        tracing::info!(endpoint, %client_id, reason = %e, "request signature rejected");
        return unsigned(result("INVALID_SIGNATURE", "F", "Invalid signature."));
    }
    let reply = if !valid_request_time(&request_time) {
        param_illegal("request-time must be Unix epoch milliseconds or an ISO 8601 time")
    } else if faults.unknown_exception {
        result("UNKNOWN_EXCEPTION", "U", "An unknown exception occurred (simulated fault).")
    } else {
        match serde_json::from_slice::<Value>(&body) {
            Ok(Value::Object(fields)) => {
                let f = Fields(&fields);
                let r = match endpoint {
                    "createVaultingSession" => create_session(&inner, &client_id, &f),
                    "inquireVaulting" => inquire(&inner, &client_id, &f),
                    "vaultPaymentMethod" => vault_payment_method(&inner, &client_id, &f),
                    _ => pay(&inner, &client_id, &f),
                };
                r.unwrap_or_else(|e| e)
            }
            _ => param_illegal("the body must be a JSON object"),
        }
    };
    tracing::info!(endpoint, %client_id, code = %reply["result"]["resultCode"], "answered");
    signed(&inner, &signed_path, &client_id, reply, faults.bad_signature, faults.drop_connection)
}

fn signed(
    inner: &Inner,
    path: &str,
    client_id: &str,
    reply: Value,
    bad_signature: bool,
    drop_connection: bool,
) -> Response {
    let body = reply.to_string();
    let response_time = iso(Inner::now());
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

/// Typed access to a request's fields with Antom's validation rules.
pub(crate) struct Fields<'a>(pub &'a Map<String, Value>);

type Checked<T> = Result<T, Value>;

impl Fields<'_> {
    fn opt_str(&self, name: &str, max: usize) -> Checked<Option<String>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.chars().count() > max => {
                Err(param_illegal(format!("{name} is longer than {max} characters")))
            }
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(param_illegal(format!("{name} must be a string"))),
        }
    }

    fn req_str(&self, name: &str, max: usize) -> Checked<String> {
        match self.opt_str(name, max)? {
            Some(s) if !s.trim().is_empty() => Ok(s),
            _ => Err(param_illegal(format!("{name} is required"))),
        }
    }

    /// `true`, `false`, `"true"` or `"false"`.
    fn opt_bool(&self, name: &str) -> Checked<Option<bool>> {
        match self.0.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(param_illegal(format!("{name} must be true or false"))),
        }
    }

    fn obj(&self, name: &str) -> Checked<Fields<'_>> {
        match self.0.get(name) {
            Some(Value::Object(m)) => Ok(Fields(m)),
            None | Some(Value::Null) => Err(param_illegal(format!("{name} is required"))),
            Some(_) => Err(param_illegal(format!("{name} must be an object"))),
        }
    }

    fn url(&self, name: &str, required: bool) -> Checked<Option<String>> {
        let v = if required { Some(self.req_str(name, 2048)?) } else { self.opt_str(name, 2048)? };
        if let Some(u) = &v {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                return Err(param_illegal(format!("{name} must be an http(s) URL")));
            }
        }
        Ok(v)
    }
}

fn region(f: &Fields) -> Checked<Option<String>> {
    let r = f.opt_str("merchantRegion", 2)?;
    if let Some(r) = &r {
        if r.len() != 2 || !r.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(param_illegal("merchantRegion must be an ISO 3166 alpha-2 code"));
        }
    }
    Ok(r)
}

fn session_reply(v: &Vaulting) -> Value {
    let mut m = success();
    m.insert("vaultingSessionData".into(), v.session_data.clone().into());
    m.insert("vaultingSessionId".into(), v.session_id.clone().into());
    m.insert("vaultingSessionExpiryTime".into(), iso(v.expires_at).into());
    Value::Object(m)
}

fn new_vaulting(
    inner: &Inner,
    client_id: &str,
    request_id: &str,
    notification_url: String,
    via_session: bool,
) -> Vaulting {
    let now = Inner::now();
    let token = session::new_token();
    Vaulting {
        client_id: client_id.into(),
        request_id: request_id.into(),
        via_session,
        session_data: session::session_data(&token, &inner.config.host_sign, client_id),
        session_id: format!("VS{}", hex(&session::random_bytes::<12>())),
        token,
        created_at: now,
        expires_at: now + inner.config.session_ttl,
        notification_url,
        redirect_url: None,
        merchant_region: None,
        is_3ds: None,
        status: Status::SessionCreated,
        result_code: None,
        result_message: None,
        card: None,
        challenge_code: None,
        ready_at: None,
        challenge_failures: 0,
    }
}

pub(crate) fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn create_session(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let pmt = f.req_str("paymentMethodType", 64)?;
    if pmt != "CARD" {
        return Err(param_illegal("paymentMethodType must be CARD"));
    }
    let request_id = f.req_str("vaultingRequestId", 64)?;
    let notification_url = f.url("vaultingNotificationUrl", true)?.unwrap_or_default();
    let redirect_url = f.url("redirectUrl", false)?;
    let merchant_region = region(f)?;
    let is_3ds = f.opt_bool("is3DSAuthentication")?;
    let k = key(client_id, &request_id);
    notify::advance(inner, &k);
    Ok(inner.with_state(|st| {
        if let Some(v) = st.vaultings.get(&k) {
            // Idempotent on vaultingRequestId: the same session while it is open, the same answer
            // once final. A repeat that changes what the id means is refused (the simulator's
            // strict reading; Antom's consistency check for vaulting is UNCONFIRMED).
            if !v.via_session || v.notification_url != notification_url {
                return result(
                    "REPEAT_REQ_INCONSISTENT",
                    "F",
                    "this vaultingRequestId was used with different parameters",
                );
            }
            return session_reply(v);
        }
        let mut v = new_vaulting(inner, client_id, &request_id, notification_url, true);
        v.redirect_url = redirect_url;
        v.merchant_region = merchant_region;
        v.is_3ds = is_3ds;
        let reply = session_reply(&v);
        st.vaultings.insert(k.clone(), v);
        reply
    }))
}

pub(crate) fn card_json(c: &Card) -> Value {
    let mut card = json!({
        "cardToken": c.token,
        "maskedCardNo": c.masked(),
        "brand": c.brand,
        "last4": c.last4,
        "expiryMonth": c.expiry_month,
        "expiryYear": c.expiry_year,
        "bin": c.bin,
        "fingerprint": c.fingerprint,
        "funding": c.funding,
        "issuingCountry": c.issuing_country,
    });
    if let Some(name) = &c.holder_name {
        card["cardholderName"] = json!({ "fullName": name });
    }
    json!({ "paymentMethodType": "CARD", "card": card })
}

pub(crate) fn challenge_url(inner: &Inner, v: &Vaulting) -> String {
    format!("{}/element/3ds.html?token={}", inner.base_url, v.token)
}

fn inquire(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let request_id = f.req_str("vaultingRequestId", 64)?;
    f.opt_str("merchantAccountId", 64)?;
    let k = key(client_id, &request_id);
    notify::advance(inner, &k);
    Ok(inner.read_state(|st| {
        let Some(v) = st.vaultings.get(&k) else {
            return result("VAULTING_NOT_EXIST", "F", "The vaulting request does not exist.");
        };
        let mut m = success();
        m.insert("vaultingRequestId".into(), request_id.clone().into());
        let (status, code, message) = match v.status {
            Status::SessionCreated | Status::Processing => {
                ("PROCESSING", "VERIFICATION_IN_PROCESS", "The verification is still under process.")
            }
            Status::Success => ("SUCCESS", "SUCCESS", "success."),
            Status::Fail => (
                "FAIL",
                v.result_code.as_deref().unwrap_or("PROCESS_FAIL"),
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
            m.insert("normalUrl".into(), challenge_url(inner, v).into());
        }
        Value::Object(m)
    }))
}

fn vault_payment_method(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let request_id = f.req_str("vaultingRequestId", 64)?;
    let notification_url = f.url("vaultingNotificationUrl", true)?.unwrap_or_default();
    f.url("redirectUrl", true)?;
    region(f)?;
    f.obj("env")?;
    f.opt_str("merchantAccountId", 64)?;
    f.opt_str("metadata", 2048)?;
    let detail = f.obj("paymentMethodDetail")?;
    if detail.req_str("paymentMethodType", 64)? != "CARD" {
        return Err(param_illegal("paymentMethodDetail.paymentMethodType must be CARD"));
    }
    let card = detail.obj("card")?;
    let form = crate::element::CardForm {
        number: card.req_str("cardNo", 32)?,
        expiry_month: card.req_str("expiryMonth", 2)?,
        // 2 digits per the model, 4 in the Go demo (UNCONFIRMED): both accepted.
        expiry_year: card.req_str("expiryYear", 4)?,
        cvv: card.opt_str("cvv", 4)?.unwrap_or_default(),
        holder_name: card.obj("cardholderName").ok().and_then(|n| n.opt_str("fullName", 128).ok().flatten()),
    };
    let k = key(client_id, &request_id);
    notify::advance(inner, &k);
    let existing = inner.read_state(|st| st.vaultings.get(&k).cloned());
    let v = match existing {
        Some(v) if v.via_session => {
            return Ok(result(
                "REPEAT_REQ_INCONSISTENT",
                "F",
                "this vaultingRequestId belongs to a card-binding session",
            ))
        }
        Some(v) => v,
        None => {
            if let Err(msg) = crate::element::validate(&form) {
                return Ok(param_illegal(msg));
            }
            let v = new_vaulting(inner, client_id, &request_id, notification_url, false);
            let token = v.token.clone();
            inner.with_state(|st| st.vaultings.insert(k.clone(), v));
            crate::element::submit(inner, &token, form);
            inner.read_state(|st| st.vaultings.get(&k).cloned()).expect("just inserted")
        }
    };
    let mut m = Map::new();
    m.insert("vaultingRequestId".into(), request_id.into());
    match v.status {
        Status::Success => {
            m.extend(success());
            if let Some(c) = &v.card {
                m.insert("paymentMethodDetail".into(), card_json(c));
            }
        }
        Status::Fail => {
            let code = v.result_code.clone().unwrap_or_else(|| "PROCESS_FAIL".into());
            m.extend(
                result("VERIFICATION_FAIL", "F", &format!("Card verification failed: {code}"))
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        Status::Processing | Status::SessionCreated => {
            m.extend(
                result("VERIFICATION_IN_PROCESS", "U", "The verification is still under process.")
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
            m.insert("normalUrl".into(), challenge_url(inner, &v).into());
        }
    }
    Ok(Value::Object(m))
}

fn pay(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
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
    Ok(inner.with_state(|st| {
        if let Some(p) = st.payments.get(&pk) {
            if p.amount_currency != currency || p.amount_value != value || p.card_token != token {
                return result(
                    "REPEAT_REQ_INCONSISTENT",
                    "F",
                    "paymentRequestId was used with a different amount or card",
                );
            }
            return p.response.clone();
        }
        let reply = if st.card_by_token(client_id, &token).is_none() {
            result("PROCESS_FAIL", "F", "The card token is unknown or was not bound for this client.")
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
                response: reply.clone(),
            },
        );
        reply
    }))
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
            .map(|v| json!({ "clientId": v.client_id, "vaultingRequestId": v.request_id, "status": v.status, "resultCode": v.result_code, "createdAt": iso(v.created_at) }))
            .collect()
    })))
}

async fn test_cards() -> Json<Value> {
    Json(json!(cards::TEST_CARDS))
}

async fn antom_public_key(State(inner): State<Arc<Inner>>) -> String {
    inner.config.antom_key.public_key().to_spki_base64()
}
