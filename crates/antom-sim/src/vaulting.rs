//! The vaulting state machine, the one place its transitions happen:
//!
//! ```text
//! SESSION_CREATED ──submit──▶ SUCCESS | FAIL            (decline, or a card the merchant asked 3DS for ▼)
//!        │            └──────▶ PROCESSING ──3DS code / slow issuer──▶ SUCCESS | FAIL
//!        └── session expires ─▶ FAIL (ORDER_IS_CLOSED; an open 3DS challenge: USER_PAYMENT_VERIFICATION_FAILED)
//! ```
//!
//! createVaultingSession and vaultPaymentMethod create vaultings, the element page submits cards
//! and answers challenges, the clock (`advance`, and a sweeper a few times a second) expires and
//! finishes them; a vaulting that becomes final is notified ([`crate::notify`]). Routes parse
//! their input, call these functions and render what they return.

use crate::cards::{self, Outcome};
use crate::cards::{CHALLENGE_CODE, CHALLENGE_TRIES};
use crate::shared::Inner;
use crate::state::{key, Card, Status, Vaulting};
use crate::{notify, session, wire};
use antom::codes;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

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

/// A card's fingerprint: the same card at the same merchant gives the same value; keyed, so
/// the value cannot be searched back to a number without the key.
fn fingerprint(key: &[u8; 32], client_id: &str, number: &str) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let mut m = <Hmac<Sha256>>::new_from_slice(key).expect("HMAC takes any key length");
    m.update(format!("cardbind-sim\u{1f}{client_id}\u{1f}{number}").as_bytes());
    wire::hex(&m.finalize().into_bytes()[..16])
}

/// The element's code when a demo is given a number outside the test-card table.
pub const DEMO_TEST_CARDS_ONLY: &str = "DEMO_TEST_CARDS_ONLY";

/// Submit the card form for an open session.
pub fn submit(inner: &Arc<Inner>, token: &str, form: CardForm) -> SubmitReply {
    let Some(k) = inner.read_state(|st| st.key_by_token(token)) else {
        return SubmitReply::status("UNKNOWN_SESSION");
    };
    advance(inner, &k);
    let brand = match validate(&form) {
        Ok(b) => b,
        Err(msg) => return SubmitReply::status("INVALID").with_code("PARAM_ILLEGAL", &msg),
    };
    if inner.config.test_cards_only && cards::lookup(&form.number).is_none() {
        return SubmitReply::status("INVALID").with_code(
            DEMO_TEST_CARDS_ONLY,
            "this is a demo: only the test cards in its help are taken, and nothing was saved",
        );
    }
    let (reply, became_final) = inner.with_state(|st| {
        let v = st.vaultings.get_mut(&k).expect("key from the token lookup");
        if v.status != Status::SessionCreated {
            return match v.status {
                Status::Fail if v.result_code.as_deref() == Some(codes::ORDER_IS_CLOSED) => {
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
            fingerprint: fingerprint(&inner.config.fingerprint_key, &v.client_id, number),
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
                v.result_code = Some(codes::SUCCESS.into());
                v.result_message = Some("success.".into());
                let r = SubmitReply::status("SUCCESS").with_code(codes::SUCCESS, "success.").with_card(&card);
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
                    .with_code(codes::VERIFICATION_IN_PROCESS, "3D Secure verification required.")
                    .with_card(&card);
                r.challenge_url = Some(challenge_url(inner, v));
                v.card = Some(card);
                (r, false)
            }
            Outcome::Slow => {
                v.status = Status::Processing;
                v.ready_at = Some(Inner::now() + inner.config.scaled(inner.config.slow_verification));
                let r = SubmitReply::status("PROCESSING")
                    .with_code(codes::VERIFICATION_IN_PROCESS, "The verification is still under process.")
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
    advance(inner, &k);
    let (reply, became_final) = inner.with_state(|st| {
        let v = st.vaultings.get_mut(&k).expect("key from the token lookup");
        let Some(expected) = v.challenge_code.clone().filter(|_| v.status == Status::Processing) else {
            return (SubmitReply::status(if v.status.is_final() { "USED" } else { "UNKNOWN_SESSION" }), false);
        };
        let fail = |v: &mut crate::state::Vaulting, message: &str| {
            v.status = Status::Fail;
            v.challenge_code = None;
            v.card = None;
            v.result_code = Some(codes::USER_PAYMENT_VERIFICATION_FAILED.into());
            v.result_message = Some(message.into());
            (SubmitReply::status("FAIL").with_code(codes::USER_PAYMENT_VERIFICATION_FAILED, message), true)
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
                SubmitReply::status("RETRY").with_code(codes::VERIFICATION_IN_PROCESS, "Wrong verification code."),
                false,
            );
        }
        v.status = Status::Success;
        v.challenge_code = None;
        v.result_code = Some(codes::SUCCESS.into());
        v.result_message = Some("success.".into());
        let card = v.card.clone().expect("a card is pending during a challenge");
        (SubmitReply::status("SUCCESS").with_code(codes::SUCCESS, "success.").with_card(&card), true)
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

/// Move a vaulting on by the clock: expire an unused session, finish a slow verification.
/// Sends the notification when that makes it final.
pub fn advance(inner: &Arc<Inner>, key: &str) {
    let now = Inner::now();
    let became_final = inner.maybe_change_state(|st| {
        let Some(v) = st.vaultings.get_mut(key) else { return (false, false) };
        let changed = match v.status {
            Status::SessionCreated if now > v.expires_at && inner.config.report_expired_sessions => {
                v.status = Status::Fail;
                v.result_code = Some(codes::ORDER_IS_CLOSED.into());
                v.result_message = Some("The vaulting session expired before a card was bound.".into());
                true
            }
            Status::Processing if v.challenge_code.is_some() && now > v.expires_at => {
                // An abandoned 3DS challenge ends with the session.
                v.status = Status::Fail;
                v.challenge_code = None;
                v.card = None;
                v.result_code = Some(codes::USER_PAYMENT_VERIFICATION_FAILED.into());
                v.result_message = Some("3D Secure verification was not completed in time.".into());
                true
            }
            Status::Processing if v.ready_at.is_some_and(|t| now >= t) => {
                v.status = Status::Success;
                v.ready_at = None;
                v.result_code = Some(codes::SUCCESS.into());
                v.result_message = Some("success.".into());
                true
            }
            _ => false,
        };
        (changed, changed)
    });
    if became_final {
        notify::spawn(inner.clone(), key.to_string());
    }
}

/// Advance every open vaulting a few times a second, so expiries and slow verifications notify
/// on time even when nobody asks.
pub fn start_sweeper(inner: Arc<Inner>) {
    let weak = Arc::downgrade(&inner);
    drop(inner);
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let Some(inner) = weak.upgrade() else { return };
            let open: Vec<String> = inner.read_state(|st| {
                st.vaultings.iter().filter(|(_, v)| !v.status.is_final()).map(|(k, _)| k.clone()).collect()
            });
            for k in open {
                advance(&inner, &k);
            }
            for k in crate::payment::open_payments(&inner) {
                crate::payment::advance(&inner, &k);
            }
            crate::refund::advance_refunds(&inner);
        }
    });
}

pub(crate) fn new_vaulting(
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
        session_id: format!("VS{}", wire::hex(&session::random_bytes::<12>())),
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
        request_fingerprint: String::new(),
        token_deleted: false,
    }
}

pub fn challenge_url(inner: &Inner, v: &Vaulting) -> String {
    format!("{}/element/3ds.html?token={}", inner.base_url, v.token)
}

/// The element page's word for a vaulting's state.
pub fn page_status(v: &Vaulting) -> &'static str {
    match v.status {
        Status::SessionCreated => "OPEN",
        Status::Processing if v.challenge_code.is_some() => "CHALLENGE",
        Status::Processing => "PROCESSING",
        Status::Success => "SUCCESS",
        Status::Fail if v.result_code.as_deref() == Some(codes::ORDER_IS_CLOSED) => "EXPIRED",
        Status::Fail => "FAIL",
    }
}

/// A vaulting by its session token, moved on by the clock first.
pub fn by_token(inner: &Arc<Inner>, token: &str) -> Option<Vaulting> {
    let k = inner.read_state(|st| st.key_by_token(token))?;
    advance(inner, &k);
    inner.read_state(|st| st.vaultings.get(&k).cloned())
}

/// A vaulting by its request id, moved on by the clock first.
pub fn find(inner: &Arc<Inner>, client_id: &str, request_id: &str) -> Option<Vaulting> {
    let k = key(client_id, request_id);
    advance(inner, &k);
    inner.read_state(|st| st.vaultings.get(&k).cloned())
}

/// What createVaultingSession asks for.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub request_id: String,
    pub notification_url: String,
    pub redirect_url: Option<String>,
    pub merchant_region: Option<String>,
    pub is_3ds: Option<bool>,
    /// The request's [`crate::wire::fingerprint`]: a repeat must be the same request.
    pub fingerprint: String,
}

/// A request id re-used with a different meaning (Antom's `REPEAT_REQ_INCONSISTENT`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inconsistent(pub &'static str);

/// Open a session, idempotently on `vaultingRequestId`: the same session while it is open, the
/// same answer once final. A repeat that changes what the id means is refused (the simulator's
/// strict reading; Antom's consistency check for vaulting is UNCONFIRMED).
pub fn create_session(inner: &Arc<Inner>, client_id: &str, s: NewSession) -> Result<Vaulting, Inconsistent> {
    let k = key(client_id, &s.request_id);
    advance(inner, &k);
    inner.with_state(|st| {
        if let Some(v) = st.vaultings.get(&k) {
            // Every field counts, as for every other request id (a state saved by an earlier
            // version has no fingerprint: its notification URL is compared, as then).
            let same = if v.request_fingerprint.is_empty() {
                v.notification_url == s.notification_url
            } else {
                v.request_fingerprint == s.fingerprint
            };
            if !v.via_session || !same {
                return Err(Inconsistent("this vaultingRequestId was used with different parameters"));
            }
            return Ok(v.clone());
        }
        let mut v = new_vaulting(inner, client_id, &s.request_id, s.notification_url, true);
        v.request_fingerprint = s.fingerprint;
        v.redirect_url = s.redirect_url;
        v.merchant_region = s.merchant_region;
        v.is_3ds = s.is_3ds;
        st.vaultings.insert(k.clone(), v.clone());
        Ok(v)
    })
}

/// Why vaultPaymentMethod stored nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultRefused {
    Inconsistent(Inconsistent),
    /// The card data is invalid (the message says why).
    Invalid(String),
}

/// vaultPaymentMethod: bind a card sent server to server, idempotently on the request id.
pub fn vault_payment_method(
    inner: &Arc<Inner>,
    client_id: &str,
    request_id: &str,
    notification_url: String,
    form: CardForm,
    fingerprint: String,
) -> Result<Vaulting, VaultRefused> {
    let k = key(client_id, request_id);
    advance(inner, &k);
    match inner.read_state(|st| st.vaultings.get(&k).cloned()) {
        Some(v) if v.via_session => {
            Err(VaultRefused::Inconsistent(Inconsistent("this vaultingRequestId belongs to a card-binding session")))
        }
        Some(v) if !v.request_fingerprint.is_empty() && v.request_fingerprint != fingerprint => {
            Err(VaultRefused::Inconsistent(Inconsistent("this vaultingRequestId was used with different parameters")))
        }
        Some(v) => Ok(v),
        None => {
            validate(&form).map_err(VaultRefused::Invalid)?;
            let mut v = new_vaulting(inner, client_id, request_id, notification_url, false);
            v.request_fingerprint = fingerprint;
            let token = v.token.clone();
            inner.with_state(|st| st.vaultings.insert(k.clone(), v));
            submit(inner, &token, form);
            Ok(inner.read_state(|st| st.vaultings.get(&k).cloned()).expect("just inserted"))
        }
    }
}
