//! Charging saved cards, refunds and cancels.

use super::common::prelude::*;

pub use crate::flows::payments::{Payment, PaymentPage, PaymentQuery, PaymentState, Refund, RefundState};

/// A charge as the UI sends it: the amount in the shop currency's minor units.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChargeRequest {
    pub card_id: i64,
    #[ts(type = "number")]
    pub amount: i64,
    pub description: String,
    pub reference: Option<String>,
    /// The customer is at the till (the cashier's word: bounded by the limits); otherwise the
    /// charge is merchant-initiated (a manager's).
    pub customer_present: bool,
    /// The till's screen as the page reports it (3D Secure 2 data; authorises nothing).
    #[serde(default)]
    pub device: Option<crate::flows::payments::DeviceInfo>,
    /// The charge dialog's key (a random id per dialog): the dialog's one charge is one
    /// payment, however often the page sends it.
    pub key: String,
}

/// A payment with its refunds and what can still be done to it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetail {
    pub payment: Payment,
    pub refunds: Vec<Refund>,
    /// Minor units a refund may still take (succeeded and unanswered refunds count); only a
    /// captured payment can be refunded.
    #[ts(type = "number")]
    pub refundable: i64,
    pub cancellable: bool,
}

/// Which protected action a charge is. A cashier alone may charge a customer who is present
/// (their word, which nobody checks: so it is bounded) up to the shop's per-charge limit, and
/// only while their charges of the last 24 hours stay within the daily total; a charge without
/// the customer (merchant-initiated), above the limit or beyond the total needs a manager's
/// approval of that one charge. Managers and owners are not limited (issue 29, item 1).
fn charge_permission(present: bool, amount: i64, limit: i64, beyond_daily: bool) -> Option<Permission> {
    if !present {
        Some(Permission::ChargeNotPresent)
    } else if amount > limit || beyond_daily {
        Some(Permission::ChargeAboveLimit)
    } else {
        None
    }
}

/// The window of a cashier's daily total.
const DAILY_WINDOW: Duration = Duration::from_secs(24 * 60 * 60);

/// Charge a saved card in the shop's currency (see [`charge_permission`] for who may). One
/// charge dialog makes one payment: its key is kept with the payment, so the page sending the
/// charge again answers with the same payment. Never at the kiosk.
pub async fn payment_charge(ctx: &AppContext, req: &ChargeRequest) -> AppResult<Payment> {
    let settings = ctx.settings();
    let mut staff_id = access::staff(ctx)?;
    crate::flows::payments::check_charge_key(&req.key)?;
    let currency = settings.currency.clone().ok_or_else(|| {
        AppError::new(ErrorCode::AmountInvalid, "the shop has no currency yet: choose it in Settings")
    })?;
    let (limit, daily) = settings.cashier_limits(&currency);
    let beyond_daily = match staff_id {
        Some(id) => {
            let since = time::OffsetDateTime::now_utc() - DAILY_WINDOW;
            let since = since.format(&time::format_description::well_known::Rfc3339).unwrap_or_default();
            let today = store::payments::charged_by_since(&lock(&ctx.db()), id, &since, &currency)?;
            today.saturating_add(req.amount) > daily
        }
        None => false,
    };
    let already = store::payments::by_charge_key(&lock(&ctx.db()), &req.key)?;
    if let Some(permission) = charge_permission(req.customer_present, req.amount, limit, beyond_daily) {
        if already.is_none() {
            let action =
                Action::new("payment_charge", permission).on(format!("card:{}", req.card_id)).amount(req.amount);
            let actor = access::authorize(ctx, action)?;
            audit_approval(&lock(&ctx.db()), &actor, &format!("card:{}", req.card_id))?;
            staff_id = actor.staff_id;
        }
    }
    let description = if req.description.trim().is_empty() {
        settings.shop_name.clone().unwrap_or_else(|| "Purchase".into())
    } else {
        req.description.clone()
    };
    let flow = ctx.payments()?;
    flow.charge(
        &crate::flows::payments::ChargeInput {
            card_id: req.card_id,
            amount: req.amount,
            currency,
            description,
            reference: req.reference.clone(),
            customer_present: req.customer_present,
            device: req.device.clone(),
            charge_key: Some(req.key.clone()),
        },
        staff_id,
    )
    .await
}

fn payment_detail(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    let db = ctx.db();
    let conn = lock(&db);
    let payment = store::payments::get(&conn, id)?;
    let refunds = store::payments::refunds_of(&conn, id)?;
    let committed = store::payments::refunds_committed(&conn, id)?;
    let captured = payment.state == PaymentState::Captured;
    Ok(PaymentDetail {
        refundable: if captured { payment.amount - committed } else { 0 },
        cancellable: (payment.state.is_charged() || payment.state == PaymentState::Pending) && committed == 0,
        payment,
        refunds,
    })
}

pub fn payment_get(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    access::staff(ctx)?;
    payment_detail(ctx, id)
}

pub fn payments_list(ctx: &AppContext, query: &PaymentQuery) -> AppResult<PaymentPage> {
    access::staff(ctx)?;
    store::payments::list(&lock(&ctx.db()), query)
}

/// Ask Antom about a payment not settled yet (inquiryPayment), and about its open refunds.
pub async fn payment_refresh(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    access::staff(ctx)?;
    let flows = ctx.flows()?;
    flows.payments.refresh(id).await?;
    let open: Vec<i64> =
        payment_detail(ctx, id)?.refunds.iter().filter(|r| !r.state.is_final()).map(|r| r.id).collect();
    for r in open {
        flows.refunds.refresh_refund(r).await?;
    }
    payment_detail(ctx, id)
}

/// Refund a payment, fully or in part (a manager's).
pub async fn payment_refund(
    ctx: &AppContext,
    id: i64,
    amount: i64,
    reason: Option<String>,
) -> AppResult<PaymentDetail> {
    let action = Action::new("payment_refund", Permission::RefundPayments).on(format!("payment:{id}")).amount(amount);
    let actor = access::authorize(ctx, action)?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("payment:{id}"))?;
    ctx.flows()?.refunds.refund(id, amount, reason.as_deref(), actor.staff_id).await?;
    payment_detail(ctx, id)
}

/// Cancel (void) a payment before it settles (a manager's).
pub async fn payment_cancel(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    let actor =
        access::authorize(ctx, Action::new("payment_cancel", Permission::RefundPayments).on(format!("payment:{id}")))?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("payment:{id}"))?;
    ctx.payments()?.cancel(id, actor.staff_id).await?;
    payment_detail(ctx, id)
}
