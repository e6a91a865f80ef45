//! Staff: signing in and out, approvals, managing staff.

use super::common::prelude::*;

/// What the shell and the UI need to know about who is at the till.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffStatus {
    /// Staff are set up, so staff sign in with their PIN (false: open mode).
    pub configured: bool,
    pub operator: Option<Operator>,
    /// Kiosk mode is on.
    pub kiosk: bool,
    /// A manager or owner exists, so kiosk mode may start.
    pub kiosk_available: bool,
    /// Seconds PIN entry stays paused after too many wrong PINs.
    pub pin_locked_seconds: Option<u32>,
    pub idle_seconds: u32,
    pub countdown_seconds: u32,
    /// Minutes without use before the signed-in staff member is signed out (0: never).
    pub lock_minutes: u32,
    /// The shop's language, which a kiosk returns to after each visitor.
    pub default_locale: String,
}

pub fn staff_status(ctx: &AppContext) -> AppResult<StaffStatus> {
    let (configured, kiosk_available, locked) = {
        let db = ctx.db();
        let conn = lock(&db);
        (staff_rules::configured(&conn)?, staff_rules::manager_exists(&conn)?, staff_rules::locked_for(&conn)?)
    };
    let settings = ctx.settings();
    let session = ctx.session();
    Ok(StaffStatus {
        configured,
        operator: session.operator.clone(),
        kiosk: session.kiosk,
        kiosk_available,
        pin_locked_seconds: locked.map(|d| d.as_secs_f64().ceil() as u32),
        idle_seconds: settings.kiosk.idle_seconds,
        countdown_seconds: settings.kiosk.countdown_seconds,
        lock_minutes: settings.lock_minutes,
        default_locale: ctx.locale(),
    })
}

/// Sign in with a personal PIN (throttled).
pub fn staff_sign_in(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    access::not_kiosk(ctx)?;
    let op = staff_rules::identify(&ctx.db(), pin.expose())?;
    {
        let mut session = ctx.session();
        session.operator = Some(op.clone());
        session.approval = None;
    }
    store::audit(&lock(&ctx.db()), Some(op.id), "staff.sign_in", Some(&format!("staff:{}", op.id)), None)?;
    Ok(op)
}

/// Lock the till: the next person signs in with their own PIN. `idle`: the UI locked it
/// after [`Settings::lock_minutes`] without use (recorded as such).
pub fn staff_sign_out(ctx: &AppContext, idle: bool) -> AppResult<()> {
    let was = {
        let mut session = ctx.session();
        session.approval = None;
        session.operator.take()
    };
    if let Some(op) = was {
        let action = if idle { "staff.auto_lock" } else { "staff.sign_out" };
        store::audit(&lock(&ctx.db()), Some(op.id), action, Some(&format!("staff:{}", op.id)), None)?;
    }
    Ok(())
}

/// A manager or owner enters their PIN so the protected action the signed-in cashier was just
/// refused runs (that action only, once, within [`staff_rules::APPROVAL_TTL`]).
pub fn staff_approve(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    access::not_kiosk(ctx)?;
    let cashier = match ctx.session().operator.clone() {
        Some(op) => op,
        None => return Err(AppError::new(ErrorCode::SignInRequired, "sign in first")),
    };
    let approver = staff_rules::identify(&ctx.db(), pin.expose())?;
    if approver.role < Role::Manager {
        return Err(AppError::new(ErrorCode::PermissionDenied, "approval needs a manager's or owner's PIN"));
    }
    let permission = access::approve(ctx, approver.clone())?;
    store::audit(
        &lock(&ctx.db()),
        Some(approver.id),
        "staff.approval_given",
        Some(&format!("staff:{}", cashier.id)),
        Some(permission.as_str()),
    )?;
    Ok(approver)
}

pub fn staff_list(ctx: &AppContext) -> AppResult<Vec<StaffMember>> {
    access::authorize(ctx, Permission::ManageStaff)?;
    staff_rules::list(&lock(&ctx.db()))
}

/// Add a staff member. The first one (an owner) ends open mode and is signed in at once.
pub fn staff_create(ctx: &AppContext, input: &StaffInput) -> AppResult<StaffMember> {
    let first = !staff_rules::configured(&lock(&ctx.db()))?;
    let actor = if first {
        access::not_kiosk(ctx)?;
        Actor::NOBODY
    } else {
        access::authorize(ctx, Permission::ManageStaff)?
    };
    let db = ctx.db();
    let conn = lock(&db);
    let member = staff_rules::create(&conn, input, actor.staff_id)?;
    audit_approval(&conn, &actor, &format!("staff:{}", member.id))?;
    if first {
        ctx.session().operator = Some(Operator { id: member.id, name: member.name.clone(), role: member.role });
    }
    Ok(member)
}

pub fn staff_set_pin(ctx: &AppContext, id: i64, pin: &Sensitive<String>) -> AppResult<()> {
    let actor = access::authorize(ctx, Permission::ManageStaff)?;
    let db = ctx.db();
    let conn = lock(&db);
    staff_rules::set_pin(&conn, id, pin, actor.staff_id)?;
    audit_approval(&conn, &actor, &format!("staff:{id}"))
}

pub fn staff_disable(ctx: &AppContext, id: i64) -> AppResult<()> {
    let actor = access::authorize(ctx, Permission::ManageStaff)?;
    {
        let db = ctx.db();
        let conn = lock(&db);
        staff_rules::disable(&conn, id, actor.staff_id)?;
        audit_approval(&conn, &actor, &format!("staff:{id}"))?;
    }
    let mut session = ctx.session();
    if session.operator.as_ref().is_some_and(|o| o.id == id) {
        session.operator = None;
    }
    Ok(())
}
