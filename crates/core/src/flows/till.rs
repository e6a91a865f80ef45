//! One till of the shop: its database, its name among the shop's tills, its claims, the token
//! data key and the Antom client. Every machine in [`crate::flows`] (binding, payments, refunds,
//! card removal) works on one `Till`; none reaches another machine to get at these.
//!
//! **Claims** say who is working on an open item right now. On the database ([`store::claims`])
//! a claim is a lease: one till of the shop at a time. Inside this process, [`Claims`] (one
//! registry per database, kept across rebuilds of the flows) says which step holds it and how, so
//! three questions have one answer each:
//!
//! * [`Mode::Send`]: a new send (a new attempt, charge, refund, cancel or removal): exclusive, here
//!   and across tills. The claim is taken in the transaction that records the row.
//! * [`Mode::Within`]: a step that may run under a claim this process already holds (a
//!   reconciler found a payment Antom never saw and sends it again): it goes on under that claim,
//!   marked as sending until it ends; refused while another step of this process sends the item.
//! * [`Mode::Reconcile`]: a reconciler; it skips what any step of this process holds, and what
//!   another till holds.
//!
//! The step that took a claim lets it go when it is done (the guard's drop), however it ended; a
//! claim this till left behind (a release that did not reach the server, a run that was killed)
//! is taken over by the next step of this till that works on the item, and let go by it.

use crate::crypto::DataKey;
use crate::db::{lock, Connection, Db};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store;
use antom::{AntomClient, Sensitive};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The till a flow is unless told otherwise: one computer, as with the embedded database.
pub const THIS_TILL: &str = "this-till";

/// How long a claim holds: longer than any call to Antom with its retries takes.
pub const CLAIM_LEASE: Duration = Duration::from_secs(120);

/// What a claim is on. Its text (`attempt:12`) is the `claims` table's key and the audit log's
/// subject, written in one place ([`fmt::Display`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    /// A binding attempt.
    Attempt(i64),
    /// A payment: its pay, and reading Antom's word on it.
    Payment(i64),
    /// A cancel asked for a payment (the payment's row id).
    Cancel(i64),
    /// A refund.
    Refund(i64),
    /// A card's token being deleted at Antom (the card's id).
    Removal(i64),
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Item::Attempt(id) => write!(f, "attempt:{id}"),
            Item::Payment(id) => write!(f, "payment:{id}"),
            Item::Cancel(id) => write!(f, "cancel:{id}"),
            Item::Refund(id) => write!(f, "refund:{id}"),
            Item::Removal(id) => write!(f, "removal:{id}"),
        }
    }
}

/// How a step claims an item (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Send,
    Within,
    Reconcile,
}

/// How a step of this process holds an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Holder {
    /// Sending it to Antom (Antom may not know it yet).
    Sending,
    /// Asking Antom about it.
    Reconciling,
}

/// The claims the steps of this process hold on one database: the one registry. Cloning shares
/// it; the app keeps one per database, so flows built again (a settings change) mid-send see
/// what the old ones hold.
#[derive(Debug, Clone, Default)]
pub struct Claims(Arc<Mutex<HashMap<Item, Holder>>>);

impl Claims {
    pub fn new() -> Claims {
        Claims::default()
    }

    fn held(&self) -> std::sync::MutexGuard<'_, HashMap<Item, Holder>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A step of this process is sending `item` right now.
    pub fn sending(&self, item: Item) -> bool {
        self.held().get(&item) == Some(&Holder::Sending)
    }

    /// Any step of this process holds `item`.
    pub fn holds(&self, item: Item) -> bool {
        self.held().contains_key(&item)
    }
}

/// A step's claim on an item, let go when dropped (see [`Mode`]). The release in the database
/// waits briefly for the connection; when it cannot have it, the lease runs out (or this till
/// lets it go when it next works on the item).
pub struct Claim {
    db: Db,
    claims: Claims,
    item: Item,
    till: String,
    /// This step took it (in the database too) and lets it go; otherwise it went on under an
    /// outer claim, which it hands back as it found it.
    release: bool,
}

impl Drop for Claim {
    fn drop(&mut self) {
        if !self.release {
            // a step under a reconciler's claim: the reconciler holds it again
            self.claims.held().insert(self.item, Holder::Reconciling);
            return;
        }
        self.release_in_database();
        self.claims.held().remove(&self.item);
    }
}

impl Claim {
    fn release_in_database(&self) {
        let item = self.item.to_string();
        for _ in 0..100 {
            match self.db.try_lock() {
                Ok(conn) => {
                    if let Err(e) = store::claims::release(&conn, &item, &self.till) {
                        tracing::debug!(%item, code = %e.code, "a claim is left to run out");
                    }
                    return;
                }
                Err(std::sync::TryLockError::Poisoned(p)) => {
                    let _ = store::claims::release(&p.into_inner(), &item, &self.till);
                    return;
                }
                Err(std::sync::TryLockError::WouldBlock) => std::thread::sleep(Duration::from_millis(2)),
            }
        }
        tracing::debug!(%item, "a claim is left to run out (the connection was busy)");
    }
}

pub struct Till {
    db: Db,
    /// This till's name in the shop's `claims`: the same across the till's restarts (the app
    /// keeps it in its data folder), so a till that crashed takes its own claims back at once;
    /// other tills wait for the lease.
    name: String,
    claims: Claims,
    /// How long a claim holds when its till says nothing more (a till that died).
    lease: Duration,
    data_key: DataKey,
    client: Arc<AntomClient>,
}

impl Till {
    /// A till named [`THIS_TILL`] with a registry of its own.
    pub fn new(db: Db, client: Arc<AntomClient>, data_key: DataKey) -> Till {
        Till { db, name: THIS_TILL.to_string(), claims: Claims::new(), lease: CLAIM_LEASE, data_key, client }
    }

    /// This till's name among the shop's tills.
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    /// The registry of the database's claims this process holds (the app's, kept across
    /// rebuilds).
    pub fn with_claims(mut self, claims: Claims) -> Self {
        self.claims = claims;
        self
    }

    /// A shorter lease (tests of tills that die).
    pub fn with_claim_lease(mut self, lease: Duration) -> Self {
        self.lease = lease;
        self
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn claims(&self) -> &Claims {
        &self.claims
    }

    /// The Antom client this till talks through (its client id and Antom's public key verify
    /// notifications; the connection check reads its set-up).
    pub fn client(&self) -> &Arc<AntomClient> {
        &self.client
    }

    /// Claim `item` on `conn` (also inside the transaction that records a new row); `None` when
    /// `mode` says to leave it (see [`Mode`]).
    pub fn claim(&self, conn: &Connection, item: Item, mode: Mode) -> AppResult<Option<Claim>> {
        let now = crate::db::now_ms();
        let until = now.saturating_add(i64::try_from(self.lease.as_millis()).unwrap_or(i64::MAX));
        // held across the statement, so two steps of this process that claim at once agree on
        // which of them answers for it
        let mut held = self.claims.held();
        match (held.get(&item).copied(), mode) {
            (Some(_), Mode::Send | Mode::Reconcile) | (Some(Holder::Sending), Mode::Within) => return Ok(None),
            (Some(Holder::Reconciling), Mode::Within) => {
                // under the reconciler's claim: renewed, marked as sending until this step ends
                // (unless its lease ran out and another till took the item meanwhile)
                if store::claims::take(conn, &item.to_string(), &self.name, now, until)?
                    == store::claims::Taken::Elsewhere
                {
                    return Ok(None);
                }
                held.insert(item, Holder::Sending);
                return Ok(Some(self.guard(item, false)));
            }
            (None, _) => {}
        }
        // a claim new to the database, and one this till left behind, are this step's to let go
        match store::claims::take(conn, &item.to_string(), &self.name, now, until)? {
            store::claims::Taken::New | store::claims::Taken::Mine => {}
            store::claims::Taken::Elsewhere => return Ok(None),
        }
        held.insert(item, if mode == Mode::Reconcile { Holder::Reconciling } else { Holder::Sending });
        Ok(Some(self.guard(item, true)))
    }

    fn guard(&self, item: Item, release: bool) -> Claim {
        Claim { db: self.db.clone(), claims: self.claims.clone(), item, till: self.name.clone(), release }
    }

    /// Whether `item` is being sent: by a step of this process, or by another till holding it.
    /// Antom may not know such an item yet, so "never seen" must not be concluded for it.
    pub fn being_sent(&self, conn: &Connection, item: Item) -> AppResult<bool> {
        Ok(self.claims.sending(item)
            || store::claims::held_elsewhere(conn, &item.to_string(), &self.name, crate::db::now_ms())?)
    }

    /// Seal a card token for the database, bound to its vaulting request id.
    pub fn seal_token(&self, token: &str, vaulting_request_id: &str) -> Vec<u8> {
        self.data_key.seal(token.as_bytes(), vaulting_request_id.as_bytes())
    }

    /// Decrypt a card's token (to pay with it, or revoke it). Never log the result.
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
