//! Kiosk mode: entering and leaving it, and the visitor's steps.

use super::common::prelude::*;
use super::staff::{staff_status, StaffStatus};

/// Turn the till into a kiosk (the `--kiosk` flag and the kiosk setting do it at start-up):
/// staff are signed out and only the customer's steps run until a manager leaves it.
/// Outside production a kiosk binds no real card (the demo and sandbox take test cards only),
/// so a customer facing one could be misled: an owner's decision there (issue 29, item 8).
pub fn kiosk_enter(ctx: &AppContext) -> AppResult<StaffStatus> {
    let by = if ctx.session().kiosk {
        None
    } else if ctx.environment() != Environment::Production {
        access::authorize(ctx, Action::new("kiosk_enter", Permission::OwnerSettings))?.staff_id
    } else {
        access::staff(ctx)?
    };
    start_kiosk(ctx, by)?;
    staff_status(ctx)
}

/// Kiosk mode at start-up (no one is signed in yet). Refused with `STAFF_REQUIRED` when no
/// manager or owner could leave it.
pub fn start_kiosk(ctx: &AppContext, by: Option<i64>) -> AppResult<()> {
    if !staff_rules::manager_exists(&lock(&ctx.db()))? {
        return Err(staff_required());
    }
    let was = {
        let mut session = ctx.session();
        let was = session.kiosk;
        *session = staff_rules::Session { kiosk: true, ..Default::default() };
        was
    };
    if !was {
        store::audit(&lock(&ctx.db()), by, "kiosk.enter", None, None)?;
    }
    Ok(())
}

/// Leave kiosk mode with a manager's or owner's PIN (throttled); they are then signed in.
pub fn kiosk_leave(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    if !ctx.session().kiosk {
        return Err(AppError::new(ErrorCode::InvalidInput, "kiosk mode is not on"));
    }
    let op = access::identify(ctx, pin.expose())?;
    if op.role < Permission::LeaveKiosk.min_role() {
        store::audit(&lock(&ctx.db()), Some(op.id), "kiosk.leave_refused", None, Some(op.role.as_str()))?;
        return Err(AppError::new(ErrorCode::PermissionDenied, "leaving kiosk mode needs a manager's or owner's PIN"));
    }
    *ctx.session() = staff_rules::Session { operator: Some(op.clone()), ..Default::default() };
    store::audit(&lock(&ctx.db()), Some(op.id), "kiosk.leave", None, None)?;
    Ok(op)
}

/// A kiosk visitor enters their phone or loyalty number: a new customer record for this visit,
/// with that number as its reference, whether or not the number is already on file. A number
/// is no secret, so it never unlocks an existing customer (their name, their cards, adding to
/// their record): that takes a code from staff ([`kiosk_redeem`]). Staff see the new record,
/// with the number, in the customer list. Only an opaque id comes back.
pub fn kiosk_identify(ctx: &AppContext, number: &str) -> AppResult<i64> {
    if !ctx.session().kiosk {
        return Err(AppError::new(ErrorCode::InvalidInput, "only in kiosk mode"));
    }
    let digits: String = number.chars().filter(|c| !c.is_whitespace()).collect();
    if !(4..=20).contains(&digits.len()) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AppError::new(ErrorCode::InvalidInput, "number: 4 to 20 digits"));
    }
    let name = i18n::message(&ctx.locale(), "kiosk-customer-name", &[]);
    let input = CustomerInput { name, reference: Some(digits), ..Default::default() };
    let id = store::create_customer(&lock(&ctx.db()), &input, None)?.id;
    ctx.session().kiosk_customer = Some(id);
    Ok(id)
}

/// A kiosk visitor types the one-time code staff gave them: their customer record, for this
/// visit (throttled like PINs; wrong, used and expired codes are one error).
pub fn kiosk_redeem(ctx: &AppContext, code: &Sensitive<String>) -> AppResult<i64> {
    if !ctx.session().kiosk {
        return Err(AppError::new(ErrorCode::InvalidInput, "only in kiosk mode"));
    }
    let id = crate::staff::kiosk_codes::redeem(&ctx.db(), &ctx.till_name(), code.expose())?;
    ctx.session().kiosk_customer = Some(id);
    Ok(id)
}

/// The kiosk starts over (idle timeout, or the visitor finished): forget the visitor, and
/// cancel their attempt if it is still open (Antom is still asked later, so a card bound
/// anyway is recorded).
pub fn kiosk_reset(ctx: &AppContext) -> AppResult<()> {
    let attempt = {
        let mut session = ctx.session();
        session.kiosk_customer = None;
        session.kiosk_attempt.take()
    };
    if let Some(id) = attempt {
        if let Ok(flow) = ctx.flow() {
            if !flow.attempt(id)?.state.is_final() {
                flow.cancel(id, None)?;
            }
        }
    }
    Ok(())
}
