//! Removing a card: its token is revoked at Antom (deleteToken) before it is erased here. A
//! sibling of the payment machine on the same skeleton ([`super::sending`]).
//!
//! ```text
//! BOUND ──staff remove──▶ REMOVAL PENDING ──deleteToken S──▶ REMOVED (token erased, row kept)
//!                          (not chargeable)  ──lost / refused──▶ stays; reconciliation asks again
//! ```
//!
//! The request is recorded and claimed in one transaction before deleteToken is sent, so a
//! crash leaves a card that cannot be charged and that reconciliation keeps revoking.

use super::sending::{self, persist_request, Report, Settled};
use super::till::{Item, Till};
use crate::db::lock;
use crate::error::{AppResult, ErrorCode};
use crate::store;
use antom::codes;
use antom::model::{DeleteTokenRequest, ResultStatus};
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

/// What removing a card came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CardRemoval {
    /// Antom deleted the token and the card is gone from this computer.
    Removed,
    /// Antom could not be reached or did not confirm: the card cannot be charged, and cardbind
    /// keeps asking Antom to delete the token.
    Pending,
}

pub struct RemovalFlow {
    till: Arc<Till>,
}

/// Fence a card for removal without asking Antom (no Antom set up now): it cannot be charged,
/// and it is revoked when Antom is configured again (reconciliation).
pub fn fence(db: &crate::db::Db, card_id: i64, staff_id: Option<i64>) -> AppResult<()> {
    let conn = lock(db);
    let tx = conn.unchecked_transaction()?;
    store::cards::request_removal(&tx, card_id, staff_id)?;
    tx.commit()?;
    Ok(())
}

impl RemovalFlow {
    pub fn new(till: Arc<Till>) -> Self {
        RemovalFlow { till }
    }

    /// Remove a card: recorded and claimed, then deleteToken at Antom, then the local erase.
    /// Until Antom confirms the card is "removal pending" (it cannot be charged) and
    /// reconciliation keeps asking.
    pub async fn remove_card(&self, card_id: i64, staff_id: Option<i64>) -> AppResult<CardRemoval> {
        let claim = persist_request(&self.till, Item::Removal(card_id), |tx| {
            store::cards::request_removal(tx, card_id, staff_id)
        })?;
        // someone else is revoking it right now: it is removal-pending until they are done
        let Some(_claim) = claim else { return Ok(CardRemoval::Pending) };
        self.revoke(card_id).await
    }

    async fn revoke(&self, card_id: i64) -> AppResult<CardRemoval> {
        let token = match self.till.card_token(card_id) {
            Ok(t) => t,
            // A token this computer cannot open can never be charged from here, nor revoked:
            // it is erased here, and the audit line says it was not revoked at Antom.
            Err(e) if e.code == ErrorCode::TokenUnreadable => {
                let conn = lock(self.till.db());
                let by = store::cards::removal_requested_by(&conn, card_id)?;
                store::remove_card(&conn, card_id, by)?;
                store::audit(
                    &conn,
                    by,
                    "card.not_revoked",
                    Some(&format!("card:{card_id}")),
                    Some("the token could not be read: not revoked at Antom"),
                )?;
                return Ok(CardRemoval::Removed);
            }
            Err(e) => return Err(e),
        };
        let resp = match self.till.client().call(&DeleteTokenRequest { token, merchant_account_id: None }).await {
            Ok(r) => r.body,
            Err(e) => {
                tracing::info!(card = card_id, error = %e, "deleteToken unanswered; the card stays removal-pending");
                return Ok(CardRemoval::Pending);
            }
        };
        // UNCONFIRMED: Antom's answer for a token it no longer knows. The tolerant reading: the
        // code the simulator gives an unknown or deleted token means it is gone already.
        let gone =
            resp.result.result_status == ResultStatus::S || resp.result.result_code == codes::INVALID_PAYMENT_METHOD_ID;
        if !gone {
            tracing::warn!(card = card_id, code = %resp.result.result_code, "Antom did not delete the token; the card stays removal-pending");
            return Ok(CardRemoval::Pending);
        }
        let conn = lock(self.till.db());
        let by = store::cards::removal_requested_by(&conn, card_id)?;
        store::remove_card(&conn, card_id, by)?;
        Ok(CardRemoval::Removed)
    }

    /// Retry every pending card removal (after a crash, a power cut or a lost connection).
    pub async fn reconcile(&self) -> AppResult<Report> {
        let pending = store::cards::removals_pending(&lock(self.till.db()))?;
        sending::reconcile(&self.till, pending, Item::Removal, false, |id| async move {
            Ok(match self.revoke(id).await? {
                CardRemoval::Removed => Settled::Final,
                CardRemoval::Pending => Settled::Open,
            })
        })
        .await
    }
}
