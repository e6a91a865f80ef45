//! The binding flow as a persisted state machine.
//!
//! ```text
//! CREATED ──create S──▶ SESSION_OPEN ──inquire/notify──▶ PROCESSING ──▶ SUCCEEDED | FAILED | EXPIRED
//!    │                       │                                 ▲
//!    └─ VAULTING_NOT_EXIST ─▶ ABANDONED      CANCELLED (staff) ┘ (a later SUCCESS still binds)
//! ```
//!
//! * The attempt and its `vaultingRequestId` are committed before createVaultingSession is sent,
//!   so a crash at any point leaves a row that [`BindingFlow::reconcile_pending`] settles with
//!   inquireVaulting on the next start.
//! * Every transition is one transaction. inquireVaulting answers and notifyVaulting messages go
//!   through the same [`BindingFlow::apply`]; a card is inserted at most once per
//!   `vaultingRequestId` (a UNIQUE column), so duplicates and races are harmless.
//! * Nothing is finalised on the app's own say-so except a staff cancel; expiry and failure come
//!   from Antom's answers.

use super::sending::{self, persist, PollPolicy, Report, Settled};
use super::till::{Item, Till};
use crate::db::lock;
use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::cards::NewCard;
use crate::store::{self, attempts, ConsentInput};
use antom::codes;
use antom::model::{CardDetail, CreateVaultingSessionRequest, InquireVaultingRequest, NotifyVaulting, ResultClass};
use antom::outcome::ReadError;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use ts_rs::TS;

pub use crate::store::attempts::{Attempt, AttemptState};
/// Antom's word on a vaulting (read in one place: [`antom::outcome`]).
pub use antom::outcome::VaultingOutcome as Outcome;

/// What the UI needs to mount Antom's element.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartedBinding {
    pub attempt: Attempt,
    pub session_data: String,
    pub session_expires_at: Option<String>,
}

pub struct BindingFlow {
    till: Arc<Till>,
    notification_url: String,
    /// `merchantRegion` (Settings), when the shop set one.
    merchant_region: Option<String>,
    poll: PollPolicy,
    /// How long after its session's expiry an attempt that never reached a card is closed by
    /// the app itself (see [`BindingFlow::refresh`]).
    expiry_grace: Duration,
}

/// One attempt, by id.
pub fn get_attempt(conn: &Connection, id: i64) -> AppResult<Attempt> {
    attempts::get(conn, id)
}

/// An attempt whose session opened but never reached a card is closed by the app itself this
/// long after the session's `vaultingSessionExpiryTime`, once Antom, asked once more, still has
/// no result: whether Antom ever reports an abandoned session is UNCONFIRMED, and nothing may stay
/// open forever.
pub const EXPIRY_GRACE: Duration = Duration::from_secs(10 * 60);

/// The result code the app records when it closes an abandoned session itself.
pub const CLOSED_LOCALLY: &str = "SESSION_EXPIRED";

/// A fresh `vaultingRequestId`: `cb-` and 32 hex digits.
pub fn new_vaulting_request_id() -> String {
    sending::new_request_id("cb")
}

fn parse_expiry(card: &CardDetail) -> (Option<i64>, Option<i64>, Option<i64>) {
    let m = card.expiry_month.as_deref().and_then(|m| m.trim().parse::<i64>().ok()).filter(|m| (1..=12).contains(m));
    let y =
        card.expiry_year
            .as_deref()
            .and_then(|y| y.trim().parse::<i64>().ok())
            .map(|y| if y < 100 { 2000 + y } else { y });
    let yyyymm = match (m, y) {
        (Some(m), Some(y)) => Some(y * 100 + m),
        _ => None,
    };
    (m, y, yyyymm)
}

impl BindingFlow {
    pub fn new(till: Arc<Till>, notification_url: impl Into<String>) -> Self {
        BindingFlow {
            till,
            notification_url: notification_url.into(),
            merchant_region: None,
            poll: PollPolicy::default(),
            expiry_grace: EXPIRY_GRACE,
        }
    }

    pub fn with_poll(mut self, poll: PollPolicy) -> Self {
        self.poll = poll;
        self
    }

    /// `merchantRegion` for createVaultingSession (ISO 3166 alpha-2; validated by Settings).
    pub fn with_merchant_region(mut self, region: Option<String>) -> Self {
        self.merchant_region = region;
        self
    }

    pub fn with_expiry_grace(mut self, grace: Duration) -> Self {
        self.expiry_grace = grace;
        self
    }

    /// The till this flow works on (its database, claims, data key and Antom client).
    pub fn till(&self) -> &Arc<Till> {
        &self.till
    }

    pub fn attempt(&self, id: i64) -> AppResult<Attempt> {
        get_attempt(&lock(self.till.db()), id)
    }

    /// Record consent and the attempt, then open a session with Antom.
    pub async fn start(
        &self,
        customer_id: i64,
        staff_id: Option<i64>,
        consent: &ConsentInput,
    ) -> AppResult<StartedBinding> {
        let vr = new_vaulting_request_id();
        let (attempt_id, _claim) = persist(&self.till, Item::Attempt, |tx| {
            let consent_id = store::record_consent(tx, customer_id, consent, staff_id)?;
            let id = attempts::insert(tx, &vr, customer_id, staff_id, consent_id)?;
            store::audit(tx, staff_id, "binding.start", Some(&Item::Attempt(id).to_string()), Some(&vr))?;
            Ok(id)
        })?;
        tracing::info!(vaulting_request_id = %vr, "createVaultingSession");
        let mut request = CreateVaultingSessionRequest::card(&vr, &self.notification_url);
        request.merchant_region = self.merchant_region.clone();
        let resp = self.till.client().call(&request).await?.body;
        let conn = lock(self.till.db());
        match resp.result.class() {
            ResultClass::Success => {
                let data = resp.vaulting_session_data.filter(|d| !d.is_empty()).ok_or_else(|| {
                    AppError::new(
                        ErrorCode::AntomResponseInvalid,
                        "Antom created a session but sent no vaultingSessionData",
                    )
                })?;
                attempts::open_session(
                    &conn,
                    attempt_id,
                    resp.vaulting_session_id.as_deref(),
                    resp.vaulting_session_expiry_time.as_deref(),
                )?;
                Ok(StartedBinding {
                    attempt: get_attempt(&conn, attempt_id)?,
                    session_data: data,
                    session_expires_at: resp.vaulting_session_expiry_time,
                })
            }
            ResultClass::Failed => {
                let code = resp.result.result_code.clone();
                let msg = resp.result.result_message.clone().unwrap_or_default();
                self.finish(&conn, attempt_id, AttemptState::Failed, Some(&code), Some(&msg))?;
                Err(AppError::new(
                    ErrorCode::AntomFailed,
                    format!("Antom refused to open a card session: {code} {msg}"),
                ))
            }
            ResultClass::RetrySame | ResultClass::Pending => Err(AppError::new(
                ErrorCode::AntomUnknown,
                format!("Antom's answer is unknown ({}); the attempt will be checked again", resp.result.result_code),
            )),
        }
    }

    fn finish(
        &self,
        conn: &Connection,
        id: i64,
        state: AttemptState,
        code: Option<&str>,
        msg: Option<&str>,
    ) -> AppResult<()> {
        let tx = conn.unchecked_transaction()?;
        attempts::finish(&tx, id, state, code, msg)?;
        store::audit(
            &tx,
            None,
            &format!("binding.{}", state.as_str().to_ascii_lowercase()),
            Some(&Item::Attempt(id).to_string()),
            code,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Apply Antom's word on a vaulting, idempotently. Returns the attempt, or `None` for a
    /// request id this app never started.
    pub fn apply(&self, vaulting_request_id: &str, outcome: Outcome) -> AppResult<Option<Attempt>> {
        let conn = lock(self.till.db());
        let Some(a) = attempts::by_request(&conn, vaulting_request_id)? else {
            return Ok(None);
        };
        if a.state == AttemptState::Succeeded {
            return Ok(Some(a)); // already bound: repeats change nothing
        }
        match outcome {
            Outcome::Success(card) => self.record_card(&conn, &a, &card)?,
            Outcome::Failed { .. } | Outcome::Expired { .. } if a.state.is_final() => {}
            Outcome::Failed { code, message } => {
                self.finish(&conn, a.id, AttemptState::Failed, Some(&code), Some(&message))?
            }
            Outcome::Expired { code, message } => {
                self.finish(&conn, a.id, AttemptState::Expired, Some(&code), Some(&message))?
            }
            Outcome::Processing => {
                if matches!(a.state, AttemptState::Created | AttemptState::SessionOpen) {
                    attempts::set_state(&conn, a.id, AttemptState::Processing)?;
                }
            }
            Outcome::Unknown => {
                // being sent by this process, or by another till: Antom may not know it yet
                if !self.till.being_sent(&conn, Item::Attempt(a.id))?
                    && matches!(a.state, AttemptState::Created | AttemptState::Cancelled)
                {
                    self.finish(
                        &conn,
                        a.id,
                        AttemptState::Abandoned,
                        Some(codes::VAULTING_NOT_EXIST),
                        Some("the session was never created at Antom"),
                    )?;
                }
            }
        }
        Ok(Some(get_attempt(&conn, a.id)?))
    }

    fn record_card(&self, conn: &Connection, a: &Attempt, card: &CardDetail) -> AppResult<()> {
        let token = card.card_token.as_ref().filter(|t| !t.expose().is_empty()).ok_or_else(|| {
            AppError::new(ErrorCode::AntomResponseInvalid, "Antom reported a bound card without a card token")
        })?;
        let last4 = card.last_four().ok_or_else(|| {
            AppError::new(ErrorCode::AntomResponseInvalid, "Antom reported a bound card without its last four digits")
        })?;
        let masked = card.masked_card_no.clone().unwrap_or_else(|| format!("************{last4}"));
        let brand = card.brand.clone().unwrap_or_else(|| "UNKNOWN".into()).to_ascii_uppercase();
        let (month, year, yyyymm) = parse_expiry(card);
        let sealed = self.till.seal_token(token.expose(), &a.vaulting_request_id);
        let new = NewCard {
            customer_id: a.customer_id,
            attempt_id: a.id,
            vaulting_request_id: &a.vaulting_request_id,
            brand: &brand,
            masked_card_no: &masked,
            last4: &last4,
            expiry_month: month,
            expiry_year: year,
            expiry_yyyymm: yyyymm,
            funding: card.funding.as_deref(),
            issuer_name: card.issuer_name.as_deref(),
            issuing_country: card.issuing_country.as_deref(),
            fingerprint: card.fingerprint.as_deref(),
            token_sealed: &sealed,
        };
        let tx = conn.unchecked_transaction()?;
        let duplicate_of = store::cards::find_duplicate(&tx, &new)?;
        let inserted = store::cards::insert_bound(&tx, &new, duplicate_of)?;
        attempts::finish(&tx, a.id, AttemptState::Succeeded, Some(codes::SUCCESS), None)?;
        if let Some(card_id) = inserted {
            let detail = match duplicate_of {
                Some(d) => format!("{brand} {masked}; duplicate of card:{d}"),
                None => format!("{brand} {masked}"),
            };
            store::audit(&tx, None, "card.bind", Some(&format!("card:{card_id}")), Some(&detail))?;
        }
        tx.commit()?;
        tracing::info!(vaulting_request_id = %a.vaulting_request_id, "card bound");
        Ok(())
    }

    /// One inquireVaulting for an attempt, applied.
    pub async fn refresh(&self, attempt_id: i64) -> AppResult<Attempt> {
        let vr = self.attempt(attempt_id)?.vaulting_request_id;
        let resp = self
            .till
            .client()
            .call(&InquireVaultingRequest { vaulting_request_id: vr.clone(), merchant_account_id: None })
            .await?
            .body;
        let outcome = match resp.outcome() {
            Ok(o) => o,
            Err(ReadError::Unknown(_)) => return self.attempt(attempt_id),
            Err(ReadError::Refused(code)) => {
                return Err(AppError::new(ErrorCode::AntomFailed, format!("inquireVaulting was refused: {code}")));
            }
            Err(ReadError::MissingCard) => {
                return Err(AppError::new(ErrorCode::AntomResponseInvalid, "Antom reported SUCCESS without the card"))
            }
        };
        let still_open = matches!(outcome, Outcome::Processing);
        let a =
            self.apply(&vr, outcome)?.ok_or_else(|| AppError::new(ErrorCode::NotFound, "the attempt disappeared"))?;
        // Antom, asked just now, still has no result for a session that expired longer ago than
        // the grace period: close it as expired (audited). Antom answers PROCESSING both for a
        // session nobody used and for a card still being verified, so both are closed; a card
        // Antom binds later still reaches the attempt through notifyVaulting (apply binds a
        // SUCCESS whatever the attempt's state).
        if still_open
            && matches!(a.state, AttemptState::SessionOpen | AttemptState::Processing | AttemptState::Cancelled)
            && self.abandoned(a.id)?
        {
            let conn = lock(self.till.db());
            self.finish(
                &conn,
                a.id,
                AttemptState::Expired,
                Some(CLOSED_LOCALLY),
                Some("the card form expired with no result from Antom; closed by cardbind"),
            )?;
            tracing::info!(attempt = a.id, "abandoned session closed after its expiry and the grace period");
            return get_attempt(&conn, a.id);
        }
        Ok(a)
    }

    /// The attempt's session expired more than the grace period ago.
    fn abandoned(&self, attempt_id: i64) -> AppResult<bool> {
        let expires = attempts::session_expires_at(&lock(self.till.db()), attempt_id)?;
        let Some(at) = expires.as_deref().and_then(antom::client::parse_time) else { return Ok(false) };
        Ok(time::OffsetDateTime::now_utc() > at + self.expiry_grace)
    }

    /// Poll with backoff until the attempt is final or `timeout` passes; returns the latest state.
    /// Transient network errors are waited out until the timeout.
    pub async fn wait_for_result(&self, attempt_id: i64, timeout: Duration) -> AppResult<Attempt> {
        sending::wait_until_final(
            self.poll,
            timeout,
            || self.refresh(attempt_id),
            |a: &Attempt| a.state.is_final(),
            || self.attempt(attempt_id),
        )
        .await
    }

    /// Apply a verified notifyVaulting message.
    pub fn apply_notification(&self, n: &NotifyVaulting) -> AppResult<Option<Attempt>> {
        // Not one of ours: nothing to read (it is acknowledged, so Antom does not resend it).
        if attempts::by_request(&lock(self.till.db()), &n.vaulting_request_id)?.is_none() {
            return Ok(None);
        }
        let outcome = n.outcome().map_err(|e| match e {
            ReadError::MissingCard => {
                AppError::new(ErrorCode::NotificationInvalid, "a success notification without the card")
            }
            other => AppError::new(ErrorCode::NotificationInvalid, other.to_string()),
        })?;
        self.apply(&n.vaulting_request_id, outcome)
    }

    /// Staff gave up on an attempt. It is still reconciled: if Antom bound the card anyway, the
    /// card is recorded.
    pub fn cancel(&self, attempt_id: i64, staff_id: Option<i64>) -> AppResult<Attempt> {
        let conn = lock(self.till.db());
        let a = get_attempt(&conn, attempt_id)?;
        if !a.state.is_final() && a.state != AttemptState::Cancelled {
            let tx = conn.unchecked_transaction()?;
            attempts::set_state(&tx, a.id, AttemptState::Cancelled)?;
            store::audit(&tx, staff_id, "binding.cancel", Some(&Item::Attempt(a.id).to_string()), None)?;
            tx.commit()?;
        }
        get_attempt(&conn, attempt_id)
    }

    /// Settle every attempt that is not final (after a crash, a power cut, or a lost connection):
    /// whichever till gets to each first; the others skip it, and so does this till while it is
    /// sending it.
    pub async fn reconcile_pending(&self) -> AppResult<Report> {
        let pending = attempts::unsettled(&lock(self.till.db()))?;
        let report = sending::reconcile(&self.till, pending, Item::Attempt, true, |id| async move {
            let a = self.refresh(id).await?;
            Ok(if a.state.is_final() { Settled::Final } else { Settled::Open })
        })
        .await?;
        tracing::info!(?report, "reconciled pending binding attempts");
        Ok(report)
    }
}
