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
    /// Minutes without use before the signed-in staff member is signed out.
    pub lock_minutes: u32,
    /// The shop's language, which a kiosk returns to after each visitor.
    pub default_locale: String,
    /// The protected action just refused to the signed-in staff member: what the approval pad
    /// shows, and the one thing an approval would allow.
    pub pending_approval: Option<ApprovalRequest>,
}

/// What a manager is asked to approve, as the PIN pad shows it ("Refund €1.00 of payment … to
/// Visa •••• 1111"): the command, the amount, and what it is done to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalRequest {
    /// The command (`payment_refund`, `payment_charge`, `card_remove`, ...).
    pub command: String,
    pub permission: Permission,
    /// Minor units of `currency`, for the actions that move money.
    #[ts(type = "number | null")]
    pub amount: Option<i64>,
    pub currency: Option<String>,
    /// The card it is about: brand and last four digits.
    pub card_brand: Option<String>,
    pub card_last4: Option<String>,
    /// The payment it is about: its reference, as on the receipt.
    pub payment_reference: Option<String>,
    /// The customer it is about.
    pub customer_name: Option<String>,
    /// Anything else it is about (`staff:3`, `till:2`), as the audit log names it.
    pub subject: Option<String>,
}

fn approval_request(ctx: &AppContext, action: &staff_rules::Action) -> ApprovalRequest {
    let mut r = ApprovalRequest {
        command: action.command.to_string(),
        permission: action.permission,
        amount: action.amount,
        currency: None,
        card_brand: None,
        card_last4: None,
        payment_reference: None,
        customer_name: None,
        subject: action.subject.clone(),
    };
    let db = ctx.db();
    let conn = lock(&db);
    let mut card = None;
    match action.subject.as_deref().and_then(|s| s.split_once(':')) {
        Some(("payment", id)) => {
            if let Some(p) = id.parse().ok().and_then(|id| store::payments::get(&conn, id).ok()) {
                r.currency = Some(p.currency.clone());
                r.card_brand = Some(p.brand.clone());
                r.card_last4 = Some(p.last4.clone());
                r.payment_reference = Some(p.reference.clone());
                card = Some(p.card_id);
            }
        }
        Some(("card", id)) => card = id.parse().ok(),
        _ => {}
    }
    if let Some(c) = card.and_then(|id| store::get_card(&conn, id).ok()) {
        r.card_brand = Some(c.brand.clone());
        r.card_last4 = Some(c.last4.clone());
        r.customer_name = Some(c.customer_name.clone());
    }
    if r.currency.is_none() && r.amount.is_some() {
        r.currency = ctx.settings().currency;
    }
    r
}

pub fn staff_status(ctx: &AppContext) -> AppResult<StaffStatus> {
    let (configured, kiosk_available, locked) = {
        let db = ctx.db();
        let conn = lock(&db);
        let locked = staff_rules::locked_for(&conn, &ctx.till_name(), access::pad(ctx))?;
        (staff_rules::configured(&conn)?, staff_rules::manager_exists(&conn)?, locked)
    };
    let settings = ctx.settings();
    let refused = ctx.session().refused.clone();
    let pending_approval = refused.as_ref().map(|a| approval_request(ctx, a));
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
        pending_approval,
    })
}

/// Sign in with a personal PIN (throttled).
pub fn staff_sign_in(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    access::not_kiosk(ctx)?;
    let op = access::identify(ctx, pin.expose())?;
    {
        let mut session = ctx.session();
        *session = staff_rules::Session { operator: Some(op.clone()), ..Default::default() };
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
        session.refused = None;
        session.binding_since_activity = false;
        session.operator.take()
    };
    if let Some(op) = was {
        let action = if idle { "staff.auto_lock" } else { "staff.sign_out" };
        store::audit(&lock(&ctx.db()), Some(op.id), action, Some(&format!("staff:{}", op.id)), None)?;
    }
    Ok(())
}

/// A manager or owner enters their PIN so the protected action the signed-in staff member was
/// just refused runs (that action, on that subject, for that amount, once, within
/// [`staff_rules::APPROVAL_TTL`]).
pub fn staff_approve(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    access::not_kiosk(ctx)?;
    let cashier = match ctx.session().operator.clone() {
        Some(op) => op,
        None => return Err(AppError::new(ErrorCode::SignInRequired, "sign in first")),
    };
    let approver = access::identify(ctx, pin.expose())?;
    if approver.role < Role::Manager || approver.id == cashier.id {
        return Err(AppError::new(ErrorCode::PermissionDenied, "approval needs another manager's or owner's PIN"));
    }
    let action = access::approve(ctx, approver.clone())?;
    let detail = format!(
        "{} {}{}{}",
        action.command,
        action.permission.as_str(),
        action.subject.as_deref().map(|s| format!(" {s}")).unwrap_or_default(),
        action.amount.map(|a| format!("; {a} minor units")).unwrap_or_default()
    );
    store::audit(
        &lock(&ctx.db()),
        Some(approver.id),
        "staff.approval_given",
        Some(&format!("staff:{}", cashier.id)),
        Some(&detail),
    )?;
    Ok(approver)
}

pub fn staff_list(ctx: &AppContext) -> AppResult<Vec<StaffMember>> {
    access::authorize(ctx, staff_rules::Action::new("staff_list", Permission::ManageStaff))?;
    staff_rules::list(&lock(&ctx.db()))
}

/// Add a staff member. The first one (an owner) ends open mode and is signed in at once.
pub fn staff_create(ctx: &AppContext, input: &StaffInput) -> AppResult<StaffMember> {
    let first = !staff_rules::configured(&lock(&ctx.db()))?;
    let actor = if first {
        access::not_kiosk(ctx)?;
        Actor::NOBODY
    } else {
        access::authorize(ctx, staff_rules::Action::new("staff_create", Permission::ManageStaff))?
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
    let actor = access::authorize(
        ctx,
        staff_rules::Action::new("staff_set_pin", Permission::ManageStaff).on(format!("staff:{id}")),
    )?;
    let db = ctx.db();
    let conn = lock(&db);
    staff_rules::set_pin(&conn, id, pin, actor.staff_id)?;
    audit_approval(&conn, &actor, &format!("staff:{id}"))
}

pub fn staff_disable(ctx: &AppContext, id: i64) -> AppResult<()> {
    let actor = access::authorize(
        ctx,
        staff_rules::Action::new("staff_disable", Permission::ManageStaff).on(format!("staff:{id}")),
    )?;
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
