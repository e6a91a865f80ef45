//! The skeleton every machine in [`crate::flows`] sends with: persist, then call, then apply
//! Antom's word idempotently; wait with back-off for the person at the till; reconcile what is
//! left open. A new Antom operation (a capture, say) is a sibling file that uses these.
//!
//! 1. [`new_request_id`]: the request's id, minted once and committed with its row.
//! 2. [`persist`]: the row and its audit line, and this till's [`Mode::Send`] claim, in one
//!    transaction, before anything is sent; a crash at any later point leaves a row a reconciler
//!    settles.
//! 3. The machine sends and applies the answer in one transaction of its own (its `apply`).
//! 4. [`wait_until_final`]: asked again with back-off until final or a deadline.
//! 5. [`reconcile`]: every open item, claimed one at a time ([`Mode::Reconcile`]), asked about,
//!    counted in one [`Report`].

use super::till::{Claim, Item, Mode, Till};
use crate::db::{lock, Connection};
use crate::error::{AppError, AppResult, ErrorCode};
use serde::Serialize;
use std::future::Future;
use std::time::{Duration, Instant};
use ts_rs::TS;

/// A fresh request id: a prefix and 32 hex digits (Antom allows 64 characters).
pub fn new_request_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::new_v4().simple())
}

/// How to poll Antom while someone waits: exponential back-off, capped.
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

/// Record a new item and claim it for sending, in one transaction: `write` inserts the row and
/// its audit line and returns the row's id; `item` names the claim.
pub fn persist(
    till: &Till,
    item: impl FnOnce(i64) -> Item,
    write: impl FnOnce(&Connection) -> AppResult<i64>,
) -> AppResult<(i64, Claim)> {
    let conn = lock(till.db());
    let tx = conn.unchecked_transaction()?;
    let id = write(&tx)?;
    // this till sends it: other tills' reconcilers, and this one's, leave it alone meanwhile
    let claim = till
        .claim(&tx, item(id), Mode::Send)?
        .ok_or_else(|| AppError::new(ErrorCode::Internal, "a new row was already claimed"))?;
    tx.commit()?;
    Ok((id, claim))
}

/// Record a request on an existing row (a cancel, a card removal) and claim it for sending, in
/// one transaction. The request is kept either way; `None` when someone else is sending it
/// already (they, or a reconciler after them, answer for it).
pub fn persist_request(
    till: &Till,
    item: Item,
    write: impl FnOnce(&Connection) -> AppResult<()>,
) -> AppResult<Option<Claim>> {
    let conn = lock(till.db());
    let tx = conn.unchecked_transaction()?;
    write(&tx)?;
    let claim = till.claim(&tx, item, Mode::Send)?;
    tx.commit()?;
    Ok(claim)
}

/// Ask with `refresh` (one inquiry, applied) until `is_final` or `timeout` passes; then
/// `current` (the row as it stands). Antom out of reach is waited out until the deadline.
pub async fn wait_until_final<T, R, Fut>(
    poll: PollPolicy,
    timeout: Duration,
    mut refresh: R,
    is_final: impl Fn(&T) -> bool,
    current: impl Fn() -> AppResult<T>,
) -> AppResult<T>
where
    R: FnMut() -> Fut,
    Fut: Future<Output = AppResult<T>>,
{
    let deadline = Instant::now() + timeout;
    let mut delay = poll.initial;
    loop {
        match refresh().await {
            Ok(t) if is_final(&t) => return Ok(t),
            Ok(_) => {}
            Err(e) if e.code == ErrorCode::AntomUnreachable && Instant::now() < deadline => {}
            Err(e) => return Err(e),
        }
        let now = Instant::now();
        if now >= deadline {
            return current();
        }
        tokio::time::sleep(delay.min(deadline - now)).await;
        delay = delay.mul_f32(1.5).min(poll.max);
    }
}

/// What one reconciliation of one kind of item did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub checked: u32,
    /// Final now.
    pub finished: u32,
    /// Asked about, still open.
    pub still_open: u32,
    pub unreachable: u32,
    /// Left to the till working on them (another till on a shared database, or a step of this
    /// one that is sending them).
    pub elsewhere: u32,
}

/// How asking about one item ended.
pub enum Settled {
    Final,
    Open,
}

/// Reconcile the items of `ids` one at a time: each claimed for reconciling (skipped while anyone works on
/// it), then `settle`d. Antom out of reach is counted; other errors are logged and counted as
/// open, unless `stop_on_error` (the binding attempts: an error there is the database's).
pub async fn reconcile<F, Fut>(
    till: &Till,
    ids: Vec<i64>,
    item: impl Fn(i64) -> Item,
    stop_on_error: bool,
    mut settle: F,
) -> AppResult<Report>
where
    F: FnMut(i64) -> Fut,
    Fut: Future<Output = AppResult<Settled>>,
{
    let mut report = Report::default();
    for id in ids {
        let item = item(id);
        let Some(_claim) = till.claim(&lock(till.db()), item, Mode::Reconcile)? else {
            report.elsewhere += 1;
            continue;
        };
        report.checked += 1;
        match settle(id).await {
            Ok(Settled::Final) => report.finished += 1,
            Ok(Settled::Open) => report.still_open += 1,
            Err(e) if e.code == ErrorCode::AntomUnreachable => report.unreachable += 1,
            Err(e) if stop_on_error => return Err(e),
            Err(e) => {
                tracing::warn!(%item, code = %e.code, "an item could not be reconciled; it is tried again later");
                report.still_open += 1;
            }
        }
    }
    Ok(report)
}
