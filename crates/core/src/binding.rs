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

use crate::crypto::DataKey;
use crate::db::Connection;
use crate::db::{lock, Db};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store::cards::NewCard;
use crate::store::{self, attempts, ConsentInput};
use antom::codes;
use antom::model::{CardDetail, CreateVaultingSessionRequest, InquireVaultingRequest, NotifyVaulting, ResultClass};
use antom::outcome::ReadError;
use antom::{AntomClient, Sensitive};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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

/// How to poll inquireVaulting: exponential backoff, capped.
#[derive(Debug, Clone, Copy)]
pub struct PollPolicy {
    pub initial: Duration,
    pub max: Duration,
}

impl Default for PollPolicy {
    fn default() -> Self {
        PollPolicy { initial: Duration::from_millis(800), max: Duration::from_secs(5) }
    }
}

/// What reconciliation did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReconcileReport {
    pub checked: u32,
    pub finished: u32,
    pub still_pending: u32,
    pub unreachable: u32,
    /// Left to the till working on them (another till on a shared database, or a step of this
    /// one that is sending them).
    pub elsewhere: u32,
}

pub struct BindingFlow {
    db: Db,
    client: Arc<AntomClient>,
    data_key: DataKey,
    notification_url: String,
    /// `merchantRegion` (Settings), when the shop set one.
    merchant_region: Option<String>,
    poll: PollPolicy,
    /// How long after its session's expiry an attempt that never reached a card is closed by
    /// the app itself (see [`BindingFlow::refresh`]).
    expiry_grace: Duration,
    /// Request ids whose createVaultingSession is under way in this process: Antom may not know
    /// them yet, so "never created" must not be concluded for them.
    in_flight: Mutex<HashSet<String>>,
    /// This till's name in the shop's `claims`: what it sends or reconciles is its own until it
    /// is done, on every till of a shared database ([`store::claims`]). The same across the
    /// till's restarts (the app keeps it in its data folder), so a till that crashed takes its
    /// own claims back at once; other tills wait for the lease.
    till: String,
    /// How long a claim holds when its till says nothing more (a till that died).
    claim_lease: Duration,
}

/// The till a flow is unless told otherwise: one computer, as with the embedded database.
pub const THIS_TILL: &str = "this-till";

/// How long a claim holds: longer than any call to Antom with its retries takes.
pub const CLAIM_LEASE: Duration = Duration::from_secs(120);

/// This till's claim on an item ([`BindingFlow::claim`], [`store::claims`]), released when
/// dropped however the work ended, if this step is the one that answers for it (see
/// [`WORKING`]). The release waits briefly for the connection; when it cannot have it, the
/// lease runs out (or this till lets it go when it next works on the item).
pub(crate) struct Claim {
    db: Db,
    item: String,
    till: String,
    release: bool,
}

/// The claims a step of this process is working under right now: (database, till, item). The
/// database says "already this till's" both for a claim an outer step of this process holds
/// (that step lets it go) and for one this till left behind: a release that did not reach the
/// server, or a run of this till that was killed. Only this list tells them apart; the step
/// that finds a claim left behind answers for it and lets it go when done, so other tills need
/// not wait out the lease while nobody works on the item.
static WORKING: std::sync::LazyLock<Mutex<HashSet<(usize, String, String)>>> =
    std::sync::LazyLock::new(|| Mutex::new(HashSet::new()));

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.release {
            return;
        }
        self.release_in_database();
        WORKING.lock().unwrap_or_else(|p| p.into_inner()).remove(&Claim::key(&self.db, &self.till, &self.item));
    }
}

impl Claim {
    fn key(db: &Db, till: &str, item: &str) -> (usize, String, String) {
        (Arc::as_ptr(db) as usize, till.to_string(), item.to_string())
    }

    fn release_in_database(&self) {
        for _ in 0..100 {
            match self.db.try_lock() {
                Ok(conn) => {
                    if let Err(e) = store::claims::release(&conn, &self.item, &self.till) {
                        tracing::debug!(item = %self.item, code = %e.code, "a claim is left to run out");
                    }
                    return;
                }
                Err(std::sync::TryLockError::Poisoned(p)) => {
                    let _ = store::claims::release(&p.into_inner(), &self.item, &self.till);
                    return;
                }
                Err(std::sync::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
        tracing::debug!(item = %self.item, "a claim is left to run out (the connection was busy)");
    }
}

/// Marks a request id as in flight for as long as it lives, however `start` ends.
struct InFlight<'a>(&'a Mutex<HashSet<String>>, String);

impl<'a> InFlight<'a> {
    fn new(set: &'a Mutex<HashSet<String>>, vaulting_request_id: &str) -> Self {
        set.lock().unwrap_or_else(|p| p.into_inner()).insert(vaulting_request_id.to_string());
        InFlight(set, vaulting_request_id.to_string())
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).remove(&self.1);
    }
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

/// A fresh request id: `cb-` and 32 hex digits (Antom allows 64 characters).
pub fn new_vaulting_request_id() -> String {
    format!("cb-{}", uuid::Uuid::new_v4().simple())
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
    /// The Antom client this flow calls (the connection check reads its set-up).
    pub fn client(&self) -> &Arc<AntomClient> {
        &self.client
    }

    pub fn new(db: Db, client: Arc<AntomClient>, data_key: DataKey, notification_url: impl Into<String>) -> Self {
        BindingFlow {
            db,
            client,
            data_key,
            notification_url: notification_url.into(),
            merchant_region: None,
            poll: PollPolicy::default(),
            expiry_grace: EXPIRY_GRACE,
            in_flight: Mutex::new(HashSet::new()),
            till: THIS_TILL.to_string(),
            claim_lease: CLAIM_LEASE,
        }
    }

    /// This till's name among the shop's tills (see `till`); [`THIS_TILL`] unless set.
    pub fn with_till(mut self, till: impl Into<String>) -> Self {
        self.till = till.into();
        self
    }

    /// A shorter lease (tests of tills that die).
    pub fn with_claim_lease(mut self, lease: Duration) -> Self {
        self.claim_lease = lease;
        self
    }

    /// Claim `item` ("attempt:12", "payment:3", ...) for this till on `conn` (also inside the
    /// transaction that records a new row, and inside a step of the work that claimed it);
    /// `None` while another till is working on it.
    pub(crate) fn claim(&self, conn: &Connection, item: &str) -> AppResult<Option<Claim>> {
        self.take_claim(conn, item, false)
    }

    /// Claim `item` for a reconciler: `None` also while a step of this till is working on it
    /// (the start that is sending it, a charge waiting for its answer), which answers for it.
    pub(crate) fn claim_to_reconcile(&self, conn: &Connection, item: &str) -> AppResult<Option<Claim>> {
        self.take_claim(conn, item, true)
    }

    fn take_claim(&self, conn: &Connection, item: &str, reconciler: bool) -> AppResult<Option<Claim>> {
        let now = crate::db::now_ms();
        let until = now.saturating_add(i64::try_from(self.claim_lease.as_millis()).unwrap_or(i64::MAX));
        let key = Claim::key(&self.db, &self.till, item);
        // held across the statement, so two steps of this process that claim at once agree on
        // which of them answers for it
        let mut working = WORKING.lock().unwrap_or_else(|p| p.into_inner());
        // a step of this process works on it: a reconciler leaves it alone, a step of that work
        // goes on under it (and leaves the release to the step that took it)
        let busy_here = working.contains(&key);
        if busy_here && reconciler {
            return Ok(None);
        }
        // this step answers for it unless an outer step does: a claim new to the database, and
        // one this till left behind, are this step's to let go
        let release = match store::claims::take(conn, item, &self.till, now, until)? {
            store::claims::Taken::New | store::claims::Taken::Mine => !busy_here,
            store::claims::Taken::Elsewhere => return Ok(None),
        };
        if release {
            working.insert(key);
        }
        Ok(Some(Claim { db: self.db.clone(), item: item.to_string(), till: self.till.clone(), release }))
    }

    /// Whether another till is working on `item` now.
    pub(crate) fn claimed_elsewhere(&self, conn: &Connection, item: &str) -> AppResult<bool> {
        store::claims::held_elsewhere(conn, item, &self.till, crate::db::now_ms())
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

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// The Antom client this flow talks through (its client id and Antom's public key verify
    /// notifications).
    pub fn antom(&self) -> &AntomClient {
        &self.client
    }

    pub fn attempt(&self, id: i64) -> AppResult<Attempt> {
        get_attempt(&lock(&self.db), id)
    }

    /// Record consent and the attempt, then open a session with Antom.
    pub async fn start(
        &self,
        customer_id: i64,
        staff_id: Option<i64>,
        consent: &ConsentInput,
    ) -> AppResult<StartedBinding> {
        let vr = new_vaulting_request_id();
        let _in_flight = InFlight::new(&self.in_flight, &vr);
        let (attempt_id, _claim) = {
            let conn = lock(&self.db);
            let tx = conn.unchecked_transaction()?;
            let consent_id = store::record_consent(&tx, customer_id, consent, staff_id)?;
            let id = attempts::insert(&tx, &vr, customer_id, staff_id, consent_id)?;
            store::audit(&tx, staff_id, "binding.start", Some(&format!("attempt:{id}")), Some(&vr))?;
            // this till sends it: other tills' reconcilers leave it alone meanwhile
            let claim = self.claim(&tx, &format!("attempt:{id}"))?;
            tx.commit()?;
            (id, claim)
        };
        tracing::info!(vaulting_request_id = %vr, "createVaultingSession");
        let mut request = CreateVaultingSessionRequest::card(&vr, &self.notification_url);
        request.merchant_region = self.merchant_region.clone();
        let resp = self.client.call(&request).await?.body;
        let conn = lock(&self.db);
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
            Some(&format!("attempt:{id}")),
            code,
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Apply Antom's word on a vaulting, idempotently. Returns the attempt, or `None` for a
    /// request id this app never started.
    pub fn apply(&self, vaulting_request_id: &str, outcome: Outcome) -> AppResult<Option<Attempt>> {
        let conn = lock(&self.db);
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
                let in_flight = self.in_flight.lock().unwrap_or_else(|p| p.into_inner()).contains(vaulting_request_id)
                    || self.claimed_elsewhere(&conn, &format!("attempt:{}", a.id))?;
                if !in_flight && matches!(a.state, AttemptState::Created | AttemptState::Cancelled) {
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
        let sealed = self.data_key.seal(token.expose().as_bytes(), a.vaulting_request_id.as_bytes());
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
            .client
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
            let conn = lock(&self.db);
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
        let expires = attempts::session_expires_at(&lock(&self.db), attempt_id)?;
        let Some(at) = expires.as_deref().and_then(antom::client::parse_time) else { return Ok(false) };
        Ok(time::OffsetDateTime::now_utc() > at + self.expiry_grace)
    }

    /// Poll with backoff until the attempt is final or `timeout` passes; returns the latest state.
    /// Transient network errors are waited out until the timeout.
    pub async fn wait_for_result(&self, attempt_id: i64, timeout: Duration) -> AppResult<Attempt> {
        let deadline = Instant::now() + timeout;
        let mut delay = self.poll.initial;
        loop {
            match self.refresh(attempt_id).await {
                Ok(a) if a.state.is_final() => return Ok(a),
                Ok(_) => {}
                Err(e) if e.code == ErrorCode::AntomUnreachable && Instant::now() < deadline => {}
                Err(e) => return Err(e),
            }
            let now = Instant::now();
            if now >= deadline {
                return self.attempt(attempt_id);
            }
            tokio::time::sleep(delay.min(deadline - now)).await;
            delay = (delay.mul_f32(1.5)).min(self.poll.max);
        }
    }

    /// Apply a verified notifyVaulting message.
    pub fn apply_notification(&self, n: &NotifyVaulting) -> AppResult<Option<Attempt>> {
        // Not one of ours: nothing to read (it is acknowledged, so Antom does not resend it).
        if attempts::by_request(&lock(&self.db), &n.vaulting_request_id)?.is_none() {
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
        let conn = lock(&self.db);
        let a = get_attempt(&conn, attempt_id)?;
        if !a.state.is_final() && a.state != AttemptState::Cancelled {
            let tx = conn.unchecked_transaction()?;
            attempts::set_state(&tx, a.id, AttemptState::Cancelled)?;
            store::audit(&tx, staff_id, "binding.cancel", Some(&format!("attempt:{}", a.id)), None)?;
            tx.commit()?;
        }
        get_attempt(&conn, attempt_id)
    }

    /// Settle every attempt that is not final (after a crash, a power cut, or a lost connection).
    pub async fn reconcile_pending(&self) -> AppResult<ReconcileReport> {
        let pending = attempts::unsettled(&lock(&self.db))?;
        let mut report = ReconcileReport::default();
        for id in pending {
            // whichever till gets to it first; the others skip it, and so does this till while
            // it is sending it
            let Some(_claim) = self.claim_to_reconcile(&lock(&self.db), &format!("attempt:{id}"))? else {
                report.elsewhere += 1;
                continue;
            };
            report.checked += 1;
            match self.refresh(id).await {
                Ok(a) if a.state.is_final() => report.finished += 1,
                Ok(_) => report.still_pending += 1,
                Err(e) if e.code == ErrorCode::AntomUnreachable => report.unreachable += 1,
                Err(e) => return Err(e),
            }
        }
        tracing::info!(?report, "reconciled pending binding attempts");
        Ok(report)
    }

    /// Decrypt a card's token (to pay with it later). Never log the result.
    pub fn card_token(&self, card_id: i64) -> AppResult<Sensitive<String>> {
        let (vr, sealed) = store::cards::sealed_token(&lock(&self.db), card_id)?;
        let plain = self
            .data_key
            .open(&sealed, vr.as_bytes())
            .map_err(|e| AppError::new(ErrorCode::TokenUnreadable, e.to_string()))?;
        String::from_utf8(plain.expose().clone())
            .map(Sensitive::new)
            .map_err(|_| AppError::new(ErrorCode::TokenUnreadable, "the stored token is not text"))
    }
}
