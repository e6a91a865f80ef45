//! The shop's tills on a shared database: what only the tills hold and every row that authorises
//! is checked with ([`seals`]), which shop a database is ([`identity`]), pairing a new
//! till with an owner's ([`pairing`]), what the new till receives and adopts ([`payload`]), this till's side of a pairing in progress
//! ([`PairingState`]), and how each environment's schema is named ([`shared_schema`]).

pub mod identity;
pub mod pairing;
pub mod payload;
pub mod revocation;
pub mod roles;
pub mod seals;

use crate::error::{AppError, AppResult, ErrorCode};
use crate::settings::Environment;
use antom::Sensitive;
use std::sync::{Mutex, MutexGuard};

/// The schema of an environment on the shop's shared database.
pub fn shared_schema(env: Environment) -> String {
    format!("cardbind_{}", env.as_str())
}

/// Which side of a pairing this till is on.
enum Pairing {
    /// An owner's till showing a code.
    Offering { id: i64, code: Sensitive<String> },
    /// A new till that asked with a code and waits for the owner's answer.
    Joining { id: i64, code: Sensitive<String> },
    /// A till that joined (with this key fingerprint): asked again, it says so.
    Joined { fingerprint: String },
}

/// Where a joining till's pairing stands.
pub enum Join {
    /// Waiting for the owner: the offer and the code typed.
    Waiting { id: i64, code: String },
    /// Joined already, with this key fingerprint.
    Joined { fingerprint: String },
}

/// A pairing in progress on this till: the offer's id and its code, which lives only here
/// (never in the database); after a join, that it joined. A joining till's "has the owner
/// answered?" is answered one at a time ([`PairingState::one_answer_at_a_time`]): the answer
/// that takes the keys in rebuilds the flows, and a question meanwhile waits for it.
#[derive(Default)]
pub struct PairingState {
    now: Mutex<Option<Pairing>>,
    answering: tokio::sync::Mutex<()>,
}

impl PairingState {
    fn now(&self) -> MutexGuard<'_, Option<Pairing>> {
        self.now.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// This till offers pairing `id` with `code` (any earlier offer or join is forgotten).
    pub fn offer(&self, id: i64, code: Sensitive<String>) {
        *self.now() = Some(Pairing::Offering { id, code });
    }

    /// The offer this till shows: its id and code.
    pub fn current_offer(&self) -> AppResult<(i64, String)> {
        match &*self.now() {
            Some(Pairing::Offering { id, code }) => Ok((*id, code.expose().clone())),
            _ => Err(AppError::new(ErrorCode::InvalidInput, "this till is not offering to pair")),
        }
    }

    /// This till asked to join with `code` (pairing `id`).
    pub fn join(&self, id: i64, code: String) {
        *self.now() = Some(Pairing::Joining { id, code: Sensitive::new(code) });
    }

    /// The join this till waits on, or that it joined.
    pub fn current_join(&self) -> AppResult<Join> {
        match &*self.now() {
            Some(Pairing::Joining { id, code }) => Ok(Join::Waiting { id: *id, code: code.expose().clone() }),
            Some(Pairing::Joined { fingerprint }) => Ok(Join::Joined { fingerprint: fingerprint.clone() }),
            _ => Err(AppError::new(ErrorCode::InvalidInput, "this till is not joining a shop")),
        }
    }

    /// The join is done: asked again, it says so.
    pub fn joined(&self, fingerprint: String) {
        *self.now() = Some(Pairing::Joined { fingerprint });
    }

    /// Nothing in progress any more (the offer was answered).
    pub fn clear(&self) {
        *self.now() = None;
    }

    /// Held while a join's answer is read and taken in.
    pub async fn one_answer_at_a_time(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.answering.lock().await
    }
}
