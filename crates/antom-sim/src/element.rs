//! The card-binding element page (what Antom hosts at ac.alipay.com): the page the genuine web
//! SDK loads through `elementProps.elementLink`, a 3DS challenge page, and the JSON calls those
//! pages make to the simulator (unsigned, same-origin, like Antom's own page). These routes parse
//! and render; [`crate::vaulting`] decides.

use crate::cards::CHALLENGE_CODE;
use crate::shared::Inner;
use crate::state::Card;
use crate::vaulting::{self, CardForm, SubmitReply};
use crate::{i18n, wire};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

const PAGE: &str = include_str!("../assets/element.html");
const SCRIPT: &str = include_str!("../assets/element.js");
const STYLE: &str = include_str!("../assets/element.css");
const PAY_PAGE: &str = include_str!("../assets/pay-3ds.html");
const PAY_SCRIPT: &str = include_str!("../assets/pay-3ds.js");
/// The app's own "verification finished" page (demo mode's `paymentRedirectUrl` stands in for
/// the merchant's page, so it is the merchant's page).
const DONE_PAGE: &str = include_str!("../../../ui/public/payment-done.html");

pub fn routes() -> Router<Arc<Inner>> {
    Router::new()
        .route("/element/vaulting.html", get(page))
        .route("/element/3ds.html", get(page))
        .route("/element/element.js", get(script))
        .route("/element/element.css", get(style))
        .route("/element/i18n/{locale}", get(strings))
        .route("/element/api/session", post(session_info))
        .route("/element/api/submit", post(submit_route))
        .route("/element/api/challenge", post(challenge_route))
        .route("/element/pay-3ds.html", get(pay_page))
        .route("/element/pay-3ds.js", get(pay_script))
        .route("/element/payment-done.html", get(done_page))
        .route("/element/api/pay-status", post(pay_status))
        .route("/element/api/pay-challenge", post(pay_challenge))
}

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    h.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    r
}

async fn page() -> Response {
    let mut r = asset(PAGE, "text/html; charset=utf-8");
    // Like Antom's element: framed by the merchant's page (any origin, tauri:// included), and
    // allowed to run only its own script. CSP's `*` matches network schemes only, so a Tauri
    // app's `tauri://localhost` parent (Linux, macOS) needs the `tauri:` scheme named.
    r.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors * tauri:; form-action 'none'; base-uri 'none'"),
    );
    r
}

/// A payment's 3D Secure page: framed by the merchant's app like the element.
async fn pay_page() -> Response {
    let mut r = asset(PAY_PAGE, "text/html; charset=utf-8");
    r.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static("default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; frame-ancestors * tauri:; form-action 'none'; base-uri 'none'"),
    );
    r
}

/// A stand-in for the merchant's `paymentRedirectUrl` page (demo mode sends pays there).
async fn done_page() -> Response {
    let mut r = asset(DONE_PAGE, "text/html; charset=utf-8");
    r.headers_mut().insert(
        "content-security-policy",
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors * tauri:; base-uri 'none'",
        ),
    );
    r
}

async fn pay_script() -> Response {
    asset(PAY_SCRIPT, "text/javascript; charset=utf-8")
}

#[derive(Deserialize)]
struct PaymentBody {
    payment: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    approve: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PayPageStatus {
    status: &'static str,
    amount: Option<String>,
    currency: Option<String>,
    brand: Option<String>,
    masked_card_no: Option<String>,
    challenge_hint: Option<&'static str>,
    /// The payment's `paymentRedirectUrl`: where the page sends the buyer once they answered.
    redirect_url: Option<String>,
}

async fn pay_status(State(inner): State<Arc<Inner>>, Json(b): Json<PaymentBody>) -> Json<PayPageStatus> {
    use crate::state::PayStatus;
    Json(match crate::payment::challenge_status(&inner, &b.payment) {
        None => PayPageStatus {
            status: "UNKNOWN",
            amount: None,
            currency: None,
            brand: None,
            masked_card_no: None,
            challenge_hint: None,
            redirect_url: None,
        },
        Some((status, open, p)) => PayPageStatus {
            status: match (status, open) {
                (PayStatus::Processing, true) => "CHALLENGE",
                (PayStatus::Success, _) => "SUCCESS",
                (PayStatus::Fail, _) => "FAIL",
                _ => "USED",
            },
            amount: Some(p.amount_value.clone()),
            currency: Some(p.amount_currency.clone()),
            brand: Some(p.brand.clone()),
            masked_card_no: Some(p.masked_card_no.clone()),
            challenge_hint: open.then_some(CHALLENGE_CODE),
            redirect_url: p.redirect_url.clone(),
        },
    })
}

#[derive(Serialize)]
struct PayChallengeReply {
    status: &'static str,
}

async fn pay_challenge(
    State(inner): State<Arc<Inner>>,
    Json(b): Json<PaymentBody>,
) -> Result<Json<PayChallengeReply>, StatusCode> {
    kept(&inner, || PayChallengeReply {
        status: crate::payment::answer_challenge(&inner, &b.payment, &b.code, b.approve),
    })
}

/// The page's answer, or 503 when the shared records were out of reach (the page says the
/// service is unavailable and the buyer tries again).
fn kept<T>(inner: &Inner, f: impl FnOnce() -> T) -> Result<Json<T>, StatusCode> {
    match inner.unreliable(f) {
        (r, false) => Ok(Json(r)),
        (_, true) => Err(StatusCode::SERVICE_UNAVAILABLE),
    }
}

async fn script() -> Response {
    asset(SCRIPT, "text/javascript; charset=utf-8")
}

async fn style() -> Response {
    asset(STYLE, "text/css; charset=utf-8")
}

async fn strings(Path(locale): Path<String>) -> Response {
    let mut r = asset("", "application/json; charset=utf-8");
    *r.body_mut() = i18n::element_strings_json(&locale).into();
    r
}

#[derive(Deserialize)]
struct TokenBody {
    token: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SessionInfo {
    status: &'static str,
    expires_at: Option<String>,
    masked_card_no: Option<String>,
    brand: Option<String>,
    challenge_hint: Option<&'static str>,
}

async fn session_info(State(inner): State<Arc<Inner>>, Json(b): Json<TokenBody>) -> Json<SessionInfo> {
    Json(match vaulting::by_token(&inner, &b.token) {
        None => SessionInfo {
            status: "UNKNOWN_SESSION",
            expires_at: None,
            masked_card_no: None,
            brand: None,
            challenge_hint: None,
        },
        Some(v) => SessionInfo {
            status: vaulting::page_status(&v),
            expires_at: Some(wire::iso(v.expires_at)),
            masked_card_no: v.card.as_ref().map(Card::masked),
            brand: v.card.as_ref().map(|c| c.brand.clone()),
            challenge_hint: v.challenge_code.as_ref().map(|_| CHALLENGE_CODE),
        },
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitBody {
    token: String,
    card: CardForm,
}

async fn submit_route(
    State(inner): State<Arc<Inner>>,
    Json(b): Json<SubmitBody>,
) -> Result<Json<SubmitReply>, StatusCode> {
    kept(&inner, || vaulting::submit(&inner, &b.token, b.card))
}

#[derive(Deserialize)]
struct ChallengeBody {
    token: String,
    #[serde(default)]
    code: String,
    approve: bool,
}

async fn challenge_route(
    State(inner): State<Arc<Inner>>,
    Json(b): Json<ChallengeBody>,
) -> Result<Json<SubmitReply>, StatusCode> {
    kept(&inner, || vaulting::challenge(&inner, &b.token, &b.code, b.approve))
}
