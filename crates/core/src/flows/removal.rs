//! Removing a card: its token is revoked at Antom (deleteToken) before it is erased here. A
//! sibling of the payment machine on the same skeleton ([`super::sending`]).
//!
//! ```text
//! BOUND ──staff remove──▶ REMOVAL PENDING ──deleteToken, then inquireToken──▶ REMOVED (token erased, row kept)
//!                          (not chargeable)  ──lost / unconfirmed / refused──▶ stays; reconciliation asks again
//! ```
//!
//! The request is recorded and claimed in one transaction before deleteToken is sent, so a
//! crash leaves a card that cannot be charged and that reconciliation keeps revoking.
//!
//! deleteToken's answer is `result` alone: it names no token, so a signed SUCCESS recorded for
//! another removal and played back would otherwise mark this card removed while Antom keeps it
//! chargeable. It is bound by time (signed after the request, [`antom::api::Endpoint::unbound_answer`])
//! and then checked with inquireToken, whose answer echoes the token while it exists:
//!
//! | deleteToken | inquireToken | the card |
//! | --- | --- | --- |
//! | any but U | S without `token` | removed: Antom no longer has it |
//! | S | S with our token | stays pending: Antom still holds it (audit `card.removal_unconfirmed`) |
//! | S | F (codes UNCONFIRMED) | removed: deleteToken said so and nothing says otherwise |
//! | F | S with our token, or F | refused: "ask Antom" for staff (audit `card.removal_refused`) |
//!
//! No F code is read as "already deleted": Antom documents none (reference §9.3).

use super::sending::{self, persist_request, Report, Settled};
use super::till::{Item, Till};
use crate::db::lock;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::store;
use antom::model::{DeleteTokenRequest, InquireTokenRequest, ResultStatus};
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
    /// Antom refused to delete the token (its code is in the audit): the card cannot be
    /// charged; staff should ask Antom. cardbind keeps asking too.
    Refused,
}

pub struct RemovalFlow {
    till: Arc<Till>,
    /// `merchantAccountId`, REQUIRED by deleteToken and inquireToken (Settings).
    merchant_account_id: Option<String>,
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
    pub fn new(till: Arc<Till>, merchant_account_id: Option<String>) -> Self {
        RemovalFlow { till, merchant_account_id }
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
        let Some(account) = self.merchant_account_id.clone() else {
            return Err(AppError::in_field(
                ErrorCode::SettingsInvalid,
                "merchantAccountId",
                "Antom needs the merchant account id to delete a card's token: set it in Settings; until then the card cannot be charged and stays removal-pending",
            ));
        };
        let delete = DeleteTokenRequest { merchant_account_id: account.clone(), token: token.clone() };
        let deleted = match self.till.client().call(&delete).await {
            Ok(r) if r.body.result.result_status != ResultStatus::U => r.body.result,
            Ok(r) => {
                tracing::info!(card = card_id, code = %r.body.result.result_code, "deleteToken unknown for now; the card stays removal-pending");
                return Ok(CardRemoval::Pending);
            }
            Err(e) => {
                tracing::info!(card = card_id, error = %e, "deleteToken unanswered; the card stays removal-pending");
                return Ok(CardRemoval::Pending);
            }
        };
        let held = match self.till.client().call(&InquireTokenRequest { merchant_account_id: account, token }).await {
            Ok(r) if r.body.result.is_success() => Some(r.body.token.is_some()),
            Ok(r) if r.body.result.result_status == ResultStatus::F => None,
            Ok(_) | Err(_) => {
                tracing::info!(card = card_id, "inquireToken unanswered after deleteToken; asked again later");
                return Ok(CardRemoval::Pending);
            }
        };
        let audit = |what: &str, detail: &str| -> AppResult<()> {
            let conn = lock(self.till.db());
            let by = store::cards::removal_requested_by(&conn, card_id)?;
            store::audit(&conn, by, what, Some(&format!("card:{card_id}")), Some(detail))
        };
        match (deleted.result_status, held) {
            (_, Some(false)) | (ResultStatus::S, None) => {}
            (ResultStatus::S, Some(true)) => {
                tracing::warn!(
                    card = card_id,
                    "deleteToken answered SUCCESS but Antom still holds the token; the card stays removal-pending"
                );
                audit("card.removal_unconfirmed", "deleteToken said SUCCESS; inquireToken still shows the token")?;
                return Ok(CardRemoval::Pending);
            }
            _ => {
                tracing::warn!(card = card_id, code = %deleted.result_code, "Antom refused to delete the token; the card stays removal-pending");
                audit("card.removal_refused", &deleted.result_code)?;
                return Ok(CardRemoval::Refused);
            }
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
                CardRemoval::Pending | CardRemoval::Refused => Settled::Open,
            })
        })
        .await
    }
}
