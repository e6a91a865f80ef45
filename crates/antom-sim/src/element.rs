//! The card-binding element page (what Antom hosts at ac.alipay.com) and its backend: the page
//! the genuine web SDK loads through `elementProps.elementLink`, a 3DS challenge page, and the
//! JSON calls those pages make to the simulator (unsigned, same-origin, like Antom's own page).

use crate::cards::{self, Outcome};
use crate::state::{Card, Status};
use crate::{i18n, notify, session, Inner};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

const PAGE: &str = include_str!("../assets/element.html");
const SCRIPT: &str = include_str!("../assets/element.js");
const STYLE: &str = include_str!("../assets/element.css");

/// The code the simulated 3DS challenge accepts (shown on the challenge page as a test hint).
pub const CHALLENGE_CODE: &str = "1234";
/// Wrong codes allowed before the verification fails.
pub const CHALLENGE_TRIES: u32 = 3;

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

/// The card form as the buyer typed it. `Debug` never shows the number or the CVV.
#[derive(Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardForm {
    pub number: String,
    pub expiry_month: String,
    pub expiry_year: String,
    #[serde(default)]
    pub cvv: String,
    #[serde(default)]
    pub holder_name: Option<String>,
}

impl fmt::Debug for CardForm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last4 = self.number.get(self.number.len().saturating_sub(4)..).unwrap_or("");
        write!(f, "CardForm(****{last4}, {}/{})", self.expiry_month, self.expiry_year)
    }
}

/// What the page learns after a submit or a challenge answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitReply {
    /// `SUCCESS`, `FAIL`, `CHALLENGE`, `PROCESSING`, `RETRY` (wrong 3DS code), `INVALID` (form
    /// rejected), `EXPIRED`, `USED`, `UNKNOWN_SESSION`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub masked_card_no: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_url: Option<String>,
}

impl SubmitReply {
    fn status(s: &str) -> Self {
        SubmitReply {
            status: s.into(),
            result_code: None,
            message: None,
            masked_card_no: None,
            brand: None,
            challenge_url: None,
        }
    }

    fn with_code(mut self, code: &str, message: &str) -> Self {
        self.result_code = Some(code.into());
        self.message = Some(message.into());
        self
    }

    fn with_card(mut self, c: &Card) -> Self {
        self.masked_card_no = Some(c.masked());
        self.brand = Some(c.brand.clone());
        self
    }
}

/// The checks the page also makes in the browser; repeated here because the page is untrusted.
pub fn validate(form: &CardForm) -> Result<&'static str, String> {
    let number = &form.number;
    if !cards::luhn_ok(number) {
        return Err("the card number is not valid".into());
    }
    let Some(brand) = cards::brand_of(number) else {
        return Err("this card brand is not supported".into());
    };
    let month: u32 = form.expiry_month.parse().map_err(|_| "the expiry month must be 01-12".to_string())?;
    if !(1..=12).contains(&month) || form.expiry_month.len() > 2 {
        return Err("the expiry month must be 01-12".into());
    }
    let year: i32 = form.expiry_year.parse().map_err(|_| "the expiry year must have 2 or 4 digits".to_string())?;
    let year = match form.expiry_year.len() {
        2 => 2000 + year,
        4 => year,
        _ => return Err("the expiry year must have 2 or 4 digits".into()),
    };
    let now = Inner::now();
    if (year, month) < (now.year(), u8::from(now.month()) as u32) {
        return Err("the card has expired".into());
    }
    if !form.cvv.is_empty()
        && (form.cvv.len() != cards::cvv_len(brand) || !form.cvv.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(format!("the security code must have {} digits", cards::cvv_len(brand)));
    }
    Ok(brand)
}

fn fingerprint(client_id: &str, number: &str) -> String {
    let digest = Sha256::digest(format!("cardbind-sim\u{1f}{client_id}\u{1f}{number}").as_bytes());
    crate::openapi::hex(&digest[..16])
}

/// Submit the card form for an open session.
pub fn submit(inner: &Arc<Inner>, token: &str, form: CardForm) -> SubmitReply {
    let Some(k) = inner.read_state(|st| st.key_by_token(token)) else {
        return SubmitReply::status("UNKNOWN_SESSION");
    };
    notify::advance(inner, &k);
    let brand = match validate(&form) {
        Ok(b) => b,
        Err(msg) => return SubmitReply::status("INVALID").with_code("PARAM_ILLEGAL", &msg),
    };
    let (reply, became_final) = inner.with_state(|st| {
        let v = st.vaultings.get_mut(&k).expect("key from the token lookup");
        if v.status != Status::SessionCreated {
            return match v.status {
                Status::Fail if v.result_code.as_deref() == Some(notify::EXPIRED_CODE) => {
                    (SubmitReply::status("EXPIRED"), false)
                }
                _ => (SubmitReply::status("USED"), false),
            };
        }
        let number = form.number.as_str();
        let year =
            if form.expiry_year.len() == 2 { form.expiry_year.clone() } else { form.expiry_year[2..].to_string() };
        let card = Card {
            token: session::new_card_token(),
            brand: brand.into(),
            bin: number[..6].into(),
            last4: number[number.len() - 4..].into(),
            expiry_month: format!("{:0>2}", form.expiry_month),
            expiry_year: year,
            fingerprint: fingerprint(&v.client_id, number),
            holder_name: form.holder_name.clone().filter(|n| !n.trim().is_empty()),
            funding: if number.starts_with("4000056") { "DEBIT".into() } else { "CREDIT".into() },
            issuing_country: "US".into(),
        };
        let mut outcome = cards::lookup(number).map_or(Outcome::Success, |c| c.outcome);
        if v.is_3ds == Some(true) && outcome == Outcome::Success {
            outcome = Outcome::ThreeDs; // the merchant asked for 3D Secure on binding
        }
        match outcome {
            Outcome::Success => {
                v.status = Status::Success;
                v.result_code = Some("SUCCESS".into());
                v.result_message = Some("success.".into());
                let r = SubmitReply::status("SUCCESS").with_code("SUCCESS", "success.").with_card(&card);
                v.card = Some(card);
                (r, true)
            }
            Outcome::Decline(code) => {
                v.status = Status::Fail;
                v.result_code = Some(code.into());
                v.result_message = Some(decline_message(code).into());
                (SubmitReply::status("FAIL").with_code(code, decline_message(code)).with_card(&card), true)
            }
            Outcome::ThreeDs => {
                v.status = Status::Processing;
                v.challenge_code = Some(CHALLENGE_CODE.into());
                let mut r = SubmitReply::status("CHALLENGE")
                    .with_code("VERIFICATION_IN_PROCESS", "3D Secure verification required.")
                    .with_card(&card);
                r.challenge_url = Some(crate::openapi::challenge_url(inner, v));
                v.card = Some(card);
                (r, false)
            }
            Outcome::Slow => {
                v.status = Status::Processing;
                v.ready_at = Some(Inner::now() + inner.config.scaled(inner.config.slow_verification));
                let r = SubmitReply::status("PROCESSING")
                    .with_code("VERIFICATION_IN_PROCESS", "The verification is still under process.")
                    .with_card(&card);
                v.card = Some(card);
                (r, false)
            }
        }
    });
    tracing::info!(status = %reply.status, code = ?reply.result_code, "card submitted");
    if became_final {
        notify::spawn(inner.clone(), k);
    }
    reply
}

/// Answer an open 3DS challenge.
pub fn challenge(inner: &Arc<Inner>, token: &str, code: &str, approve: bool) -> SubmitReply {
    let Some(k) = inner.read_state(|st| st.key_by_token(token)) else {
        return SubmitReply::status("UNKNOWN_SESSION");
    };
    notify::advance(inner, &k);
    let (reply, became_final) = inner.with_state(|st| {
        let v = st.vaultings.get_mut(&k).expect("key from the token lookup");
        let Some(expected) = v.challenge_code.clone().filter(|_| v.status == Status::Processing) else {
            return (SubmitReply::status(if v.status.is_final() { "USED" } else { "UNKNOWN_SESSION" }), false);
        };
        let fail = |v: &mut crate::state::Vaulting, message: &str| {
            v.status = Status::Fail;
            v.challenge_code = None;
            v.card = None;
            v.result_code = Some("USER_PAYMENT_VERIFICATION_FAILED".into());
            v.result_message = Some(message.into());
            (SubmitReply::status("FAIL").with_code("USER_PAYMENT_VERIFICATION_FAILED", message), true)
        };
        if !approve {
            return fail(v, "The cardholder did not complete 3D Secure verification.");
        }
        if code.trim() != expected {
            v.challenge_failures += 1;
            if v.challenge_failures >= CHALLENGE_TRIES {
                return fail(v, "Too many wrong verification codes.");
            }
            return (
                SubmitReply::status("RETRY").with_code("VERIFICATION_IN_PROCESS", "Wrong verification code."),
                false,
            );
        }
        v.status = Status::Success;
        v.challenge_code = None;
        v.result_code = Some("SUCCESS".into());
        v.result_message = Some("success.".into());
        let card = v.card.clone().expect("a card is pending during a challenge");
        (SubmitReply::status("SUCCESS").with_code("SUCCESS", "success.").with_card(&card), true)
    });
    if became_final {
        notify::spawn(inner.clone(), k);
    }
    reply
}

pub fn decline_message(code: &str) -> &'static str {
    match code {
        "CARD_EXPIRED" => "The card has expired.",
        "DO_NOT_HONOR" => "The issuing bank declined the card.",
        "INVALID_CVV" => "The security code is incorrect.",
        "STOLEN_CARD" | "LOST_CARD" | "PICKUP_CARD" => "The card cannot be used.",
        "CARD_NOT_SUPPORTED" => "This card is not supported.",
        "FRAUD_REJECT" => "The card was declined by risk control.",
        "INVALID_CARD_NUMBER" => "The card number is invalid.",
        "RESTRICTED_CARD" => "The card is restricted.",
        _ => "The card could not be verified.",
    }
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
    let k = inner.read_state(|st| st.key_by_token(&b.token));
    if let Some(k) = &k {
        notify::advance(&inner, k);
    }
    Json(inner.read_state(|st| {
        let Some(v) = st.by_token(&b.token) else {
            return SessionInfo {
                status: "UNKNOWN_SESSION",
                expires_at: None,
                masked_card_no: None,
                brand: None,
                challenge_hint: None,
            };
        };
        let status = match v.status {
            Status::SessionCreated => "OPEN",
            Status::Processing if v.challenge_code.is_some() => "CHALLENGE",
            Status::Processing => "PROCESSING",
            Status::Success => "SUCCESS",
            Status::Fail if v.result_code.as_deref() == Some(notify::EXPIRED_CODE) => "EXPIRED",
            Status::Fail => "FAIL",
        };
        SessionInfo {
            status,
            expires_at: Some(crate::openapi::iso(v.expires_at)),
            masked_card_no: v.card.as_ref().map(Card::masked),
            brand: v.card.as_ref().map(|c| c.brand.clone()),
            challenge_hint: v.challenge_code.as_ref().map(|_| CHALLENGE_CODE),
        }
    }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubmitBody {
    token: String,
    card: CardForm,
}

async fn submit_route(State(inner): State<Arc<Inner>>, Json(b): Json<SubmitBody>) -> Json<SubmitReply> {
    Json(submit(&inner, &b.token, b.card))
}

#[derive(Deserialize)]
struct ChallengeBody {
    token: String,
    #[serde(default)]
    code: String,
    approve: bool,
}

async fn challenge_route(State(inner): State<Arc<Inner>>, Json(b): Json<ChallengeBody>) -> Json<SubmitReply> {
    Json(challenge(&inner, &b.token, &b.code, b.approve))
}
