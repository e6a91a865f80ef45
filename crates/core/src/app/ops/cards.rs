//! The card list, one card, and removing cards (at Antom first).

use super::common::prelude::*;
pub use crate::flows::CardRemoval;

/// Card brands Antom reports, for the card list's brand filter.
pub const BRANDS: [&str; 8] = ["VISA", "MASTERCARD", "AMEX", "JCB", "CUP", "DISCOVER", "DINERS", "MAESTRO"];

pub fn cards_list(ctx: &AppContext, query: &CardQuery) -> AppResult<CardPage> {
    access::staff(ctx)?;
    store::list_cards(&lock(&ctx.db()), query)
}

/// One card. At a kiosk only the card this visit bound, and without the customer's name: a
/// visitor sees only what they typed in this visit (issue 15, item 5).
pub fn card_get(ctx: &AppContext, id: i64) -> AppResult<CardRow> {
    access::staff_or_kiosk(ctx)?;
    let mut card = store::get_card(&lock(&ctx.db()), id)?;
    let visit = {
        let session = ctx.session();
        session.kiosk.then_some(session.kiosk_attempt)
    };
    if let Some(attempt) = visit {
        let bound_now = match (attempt, ctx.flow()) {
            (Some(a), Ok(flow)) => flow.attempt(a)?.card_id == Some(id),
            _ => false,
        };
        if !bound_now {
            return Err(AppError::new(ErrorCode::KioskLocked, "kiosk: only the card saved in this visit"));
        }
        card.customer_name = String::new();
        card.duplicate_of = None;
    }
    Ok(card)
}

/// A one-time code for this customer to type at the kiosk, so the card they save there goes to
/// this record ([`crate::staff::kiosk_codes`]). Any signed-in staff member; audited.
pub fn customer_kiosk_code(ctx: &AppContext, customer_id: i64) -> AppResult<crate::staff::kiosk_codes::KioskCode> {
    let by = access::staff(ctx)?;
    crate::staff::kiosk_codes::issue_code(&ctx.db(), customer_id, by)
}

/// Remove a card: deleteToken at Antom first, then the local erase. `Pending` when Antom could
/// not confirm (the card can no longer be charged; cardbind keeps asking Antom).
pub async fn card_remove(ctx: &AppContext, id: i64) -> AppResult<CardRemoval> {
    let actor = access::authorize(ctx, Action::new("card_remove", Permission::RemoveCards).on(format!("card:{id}")))?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("card:{id}"))?;
    remove_at_antom(ctx, id, actor.staff_id).await
}

async fn remove_at_antom(ctx: &AppContext, id: i64, staff_id: Option<i64>) -> AppResult<CardRemoval> {
    match ctx.flows() {
        Ok(flows) => flows.removal.remove_card(id, staff_id).await,
        // No Antom to ask (keys missing, no keyring): the card is fenced now and revoked when
        // Antom is configured again.
        Err(e) => {
            tracing::warn!(code = %e.code, "card removal waits for Antom");
            crate::flows::removal::fence(&ctx.db(), id, staff_id)?;
            Ok(CardRemoval::Pending)
        }
    }
}

pub fn card_keep_duplicate(ctx: &AppContext, id: i64) -> AppResult<()> {
    let by = access::staff(ctx)?;
    store::keep_duplicate(&lock(&ctx.db()), id, by)
}

/// Keep this duplicate and remove the earlier card (at Antom first, as [`card_remove`]).
pub async fn card_replace_duplicate(ctx: &AppContext, id: i64) -> AppResult<CardRemoval> {
    let action = Action::new("card_replace_duplicate", Permission::RemoveCards).on(format!("card:{id}"));
    let actor = access::authorize(ctx, action)?;
    let old = {
        let db = ctx.db();
        let conn = lock(&db);
        let old = store::replace_with_duplicate(&conn, id, actor.staff_id)?;
        audit_approval(&conn, &actor, &format!("card:{id}"))?;
        old
    };
    remove_at_antom(ctx, old, actor.staff_id).await
}

pub fn card_brands() -> Vec<String> {
    BRANDS.iter().map(|b| b.to_string()).collect()
}
