//! Who may run a command right now. Every use case (`crate::app::ops`) starts with one of these
//! checks, so the rules hold whatever the UI shows:
//!
//! * [`staff`]: ordinary staff work (lists, customers, adding cards). Refused while the till
//!   is in kiosk mode (`KIOSK_LOCKED`), and when staff are set up but nobody signed in
//!   (`SIGN_IN_REQUIRED`).
//! * [`staff_or_kiosk`]: the binding steps a kiosk visitor also runs.
//! * [`authorize`]: the protected actions ([`Permission`]): the signed-in staff member's role,
//!   or else a manager's one-time approval entered for this action (`PERMISSION_DENIED`).
//!
//! In open mode (no staff set up) everything is allowed and audited without a name. On a shared
//! database every check first asks whether this till is still admitted ([`Gate::admitted`]).

use crate::db::Db;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::staff::{self, Action, Operator, Pad, Session};
use std::sync::MutexGuard;
use std::time::{Duration, Instant};

/// What the checks read: the session, the active database's staff and the lock time. The app's
/// context is one (`crate::app`); the checks see nothing else of it.
pub trait Gate {
    /// Who is signed in, approvals, kiosk mode (poisoning ignored: plain data).
    fn session(&self) -> MutexGuard<'_, Session>;
    /// The active database.
    fn db(&self) -> Db;
    /// Minutes without use before the signed-in staff member is signed out.
    fn lock_minutes(&self) -> u32;
    /// This till's name among the shop's tills (each till's PIN pads are throttled apart).
    fn till_name(&self) -> String;
    /// This till is still one of the shop's: on a shared database, an owner may have revoked
    /// it since the last command (`TILL_REVOKED`, and it forgets the shop's keys).
    fn admitted(&self) -> AppResult<()> {
        Ok(())
    }
}

/// Who acts, for the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The staff member the action is recorded under (the approving manager, if one approved).
    pub staff_id: Option<i64>,
    /// When a manager approved a cashier's action: the cashier.
    pub approved_for: Option<Operator>,
}

impl Actor {
    /// Open mode: allowed, recorded without a name.
    pub const NOBODY: Actor = Actor { staff_id: None, approved_for: None };

    /// The audit detail that records an approval.
    pub fn detail(&self) -> Option<String> {
        self.approved_for.as_ref().map(|c| format!("approved for staff:{} ({})", c.id, c.name))
    }
}

fn configured(ctx: &impl Gate) -> AppResult<bool> {
    staff::configured(&crate::db::lock(&ctx.db()))
}

fn kiosk_locked() -> AppError {
    AppError::new(ErrorCode::KioskLocked, "kiosk mode is on: a manager must leave it first")
}

/// Refused while the till is a kiosk (`KIOSK_LOCKED`).
pub fn not_kiosk(ctx: &impl Gate) -> AppResult<()> {
    if ctx.session().kiosk {
        return Err(kiosk_locked());
    }
    Ok(())
}

/// Ordinary staff work.
pub fn staff(ctx: &impl Gate) -> AppResult<Option<i64>> {
    ctx.admitted()?;
    not_kiosk(ctx)?;
    signed_in(ctx)
}

fn signed_in(ctx: &impl Gate) -> AppResult<Option<i64>> {
    if let Some(op) = active_operator(ctx)? {
        return Ok(Some(op.id));
    }
    if configured(ctx)? {
        return Err(AppError::new(ErrorCode::SignInRequired, "sign in with your PIN"));
    }
    Ok(None)
}

/// The signed-in staff member, if any: one idle longer than the lock time
/// ([`crate::settings::Settings::lock_minutes`]) is signed out here, in the backend, whatever the
/// UI's own timer did (audited as `staff.auto_lock`). Using a command counts as activity.
fn active_operator(ctx: &impl Gate) -> AppResult<Option<Operator>> {
    let lock = lock_time(ctx);
    let expired = {
        let mut session = ctx.session();
        let Some(op) = session.operator.clone() else { return Ok(None) };
        let allowed = if session.binding_since_activity { lock + staff::BINDING_GRACE } else { lock };
        if idle(&session) > allowed {
            sign_out(&mut session);
            Some(op)
        } else {
            session.last_activity = Some(Instant::now());
            session.binding_since_activity = false;
            return Ok(Some(op));
        }
    };
    if let Some(op) = expired {
        audit_auto_lock(ctx, &op)?;
    }
    Ok(None)
}

/// The lock time; a settings file from an earlier version may say 0 ("never"), which is read as
/// the longest lock time there is ([`staff::MAX_LOCK_MINUTES`]).
fn lock_time(ctx: &impl Gate) -> Duration {
    let minutes = match ctx.lock_minutes() {
        0 => staff::MAX_LOCK_MINUTES,
        m => m.min(staff::MAX_LOCK_MINUTES),
    };
    Duration::from_secs(u64::from(minutes) * 60)
}

fn idle(session: &Session) -> Duration {
    session.last_activity.map(|t| t.elapsed()).unwrap_or_default()
}

fn sign_out(session: &mut Session) {
    session.operator = None;
    session.approval = None;
    session.refused = None;
    session.binding_since_activity = false;
}

fn audit_auto_lock(ctx: &impl Gate, op: &Operator) -> AppResult<()> {
    crate::store::audit(
        &crate::db::lock(&ctx.db()),
        Some(op.id),
        "staff.auto_lock",
        Some(&format!("staff:{}", op.id)),
        Some("signed out by the backend after the lock time without use"),
    )
}

/// The binding steps: a kiosk visitor, or staff as for [`staff`].
pub fn staff_or_kiosk(ctx: &impl Gate) -> AppResult<Option<i64>> {
    ctx.admitted()?;
    if ctx.session().kiosk {
        return Ok(None);
    }
    signed_in(ctx)
}

/// At a kiosk, only the customer the visitor's number named (staff may act for anyone).
pub fn kiosk_customer(ctx: &impl Gate, customer_id: i64) -> AppResult<()> {
    let session = ctx.session();
    if session.kiosk && session.kiosk_customer != Some(customer_id) {
        return Err(AppError::new(ErrorCode::KioskLocked, "kiosk: only for the customer who entered their number"));
    }
    Ok(())
}

/// The binding steps on one attempt: at a kiosk only the current visitor's attempt.
pub fn attempt(ctx: &impl Gate, attempt_id: i64) -> AppResult<Option<i64>> {
    ctx.admitted()?;
    let session = ctx.session();
    if session.kiosk {
        return if session.kiosk_attempt == Some(attempt_id) {
            Ok(None)
        } else {
            Err(AppError::new(ErrorCode::KioskLocked, "kiosk: not this visitor's attempt"))
        };
    }
    // Antom's element (or 3D Secure) may keep a customer busy for longer than the lock time
    // without a command reaching the app: the steps that finish an attempt are allowed up to
    // the lock time plus BINDING_GRACE after the last use by staff, and they do not count as
    // use (polling cannot keep a session open for ever: issue 29, item 11).
    if let Some(op) = session.operator.clone() {
        if idle(&session) > lock_time(ctx) + staff::BINDING_GRACE {
            let mut session = session;
            sign_out(&mut session);
            drop(session);
            audit_auto_lock(ctx, &op)?;
            return Err(AppError::new(ErrorCode::SignInRequired, "sign in with your PIN"));
        }
        drop(session);
        ctx.session().binding_since_activity = true;
        return Ok(Some(op.id));
    }
    drop(session);
    signed_in(ctx)
}

/// A protected action: the signed-in role suffices, or a manager (an owner, for an owner's
/// action) approved exactly this action — the same command, subject and amount — once, within
/// [`staff::APPROVAL_TTL`].
pub fn authorize(ctx: &impl Gate, action: Action) -> AppResult<Actor> {
    let needed = action.permission.min_role();
    ctx.admitted()?;
    if ctx.session().kiosk {
        return Err(kiosk_locked());
    }
    let operator = active_operator(ctx)?;
    let mut session = ctx.session();
    let Some(op) = operator else {
        drop(session);
        return if configured(ctx)? {
            Err(AppError::new(ErrorCode::SignInRequired, "sign in with your PIN"))
        } else {
            Ok(Actor::NOBODY)
        };
    };
    if op.role >= needed {
        return Ok(Actor { staff_id: Some(op.id), approved_for: None });
    }
    if let Some(a) = session.approval.take() {
        if a.action == action && a.approver.role >= needed && a.at.elapsed() <= staff::APPROVAL_TTL {
            session.refused = None;
            return Ok(Actor { staff_id: Some(a.approver.id), approved_for: Some(op) });
        }
        // For another action, subject or amount, too weak or stale: dropped either way, so an
        // approval is never used twice nor for anything but the action it was given for.
    }
    let message = format!(
        "{}: needs a {} (a manager or owner can approve with their PIN)",
        action.permission.as_str(),
        needed.as_str()
    );
    session.refused = Some(action);
    Err(AppError::new(ErrorCode::PermissionDenied, message))
}

/// Record a manager's approval for the protected action the signed-in staff member was just
/// refused (that one action, once). `PERMISSION_DENIED` when nothing was refused, or when the
/// approver's role is below what that action needs.
pub fn approve(ctx: &impl Gate, approver: Operator) -> AppResult<Action> {
    let mut session = ctx.session();
    let Some(action) = session.refused.clone() else {
        return Err(AppError::new(ErrorCode::PermissionDenied, "there is no refused action to approve"));
    };
    let permission = action.permission;
    if approver.role < permission.min_role() {
        return Err(AppError::new(
            ErrorCode::PermissionDenied,
            format!(
                "{}: only {} can approve it",
                permission.as_str(),
                if permission.min_role() == staff::Role::Owner { "an owner" } else { "a manager or an owner" }
            ),
        ));
    }
    session.approval = Some(staff::Approval { approver, action: action.clone(), at: Instant::now() });
    Ok(action)
}

/// Which PIN pad of this till a PIN is typed at now: the kiosk's, the approval pad of the
/// signed-in staff member, or the lock screen.
pub fn pad(ctx: &impl Gate) -> Pad {
    let session = ctx.session();
    if session.kiosk {
        Pad::Kiosk
    } else if let Some(op) = &session.operator {
        Pad::Approval { staff_id: op.id }
    } else {
        Pad::SignIn
    }
}

/// Whose PIN `pin` is, typed at this till's current pad (throttled per till and pad).
pub fn identify(ctx: &impl Gate, pin: &str) -> AppResult<Operator> {
    staff::identify(&ctx.db(), &ctx.till_name(), pad(ctx), pin)
}
