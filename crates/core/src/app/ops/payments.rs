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
    /// The customer is at the till; otherwise the charge is merchant-initiated (a manager's).
    pub customer_present: bool,
    /// The till's screen as the page reports it (3D Secure 2 data; authorises nothing).
    #[serde(default)]
    pub device: Option<crate::flows::payments::DeviceInfo>,
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

/// Which protected action a charge is: merchant-initiated (the customer is not there) or above
/// the shop's per-payment limit need a manager; both are the manager's role, so one approval
/// covers a charge that is both.
fn charge_permission(present: bool, amount: i64, limit: Option<i64>) -> Option<Permission> {
    if !present {
        Some(Permission::ChargeNotPresent)
    } else if limit.is_some_and(|l| amount > l) {
        Some(Permission::ChargeAboveLimit)
    } else {
        None
    }
}

/// Charge a saved card in the shop's currency. Cashiers charge a customer who is present up to
/// the limit; anything else needs a manager (the approval flow). Never at the kiosk.
pub async fn payment_charge(ctx: &AppContext, req: &ChargeRequest) -> AppResult<Payment> {
    let settings = ctx.settings();
    let mut staff_id = access::staff(ctx)?;
    if let Some(permission) = charge_permission(req.customer_present, req.amount, settings.charge_limit) {
        let actor = access::authorize(ctx, permission)?;
        audit_approval(&lock(&ctx.db()), &actor, &format!("card:{}", req.card_id))?;
        staff_id = actor.staff_id;
    }
    let currency = settings.currency.clone().ok_or_else(|| {
        AppError::new(ErrorCode::AmountInvalid, "the shop has no currency yet: choose it in Settings")
    })?;
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
    let actor = access::authorize(ctx, Permission::RefundPayments)?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("payment:{id}"))?;
    ctx.flows()?.refunds.refund(id, amount, reason.as_deref(), actor.staff_id).await?;
    payment_detail(ctx, id)
}

/// Cancel (void) a payment before it settles (a manager's).
pub async fn payment_cancel(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    let actor = access::authorize(ctx, Permission::RefundPayments)?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("payment:{id}"))?;
    ctx.payments()?.cancel(id, actor.staff_id).await?;
    payment_detail(ctx, id)
}
