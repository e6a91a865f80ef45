//! The till's work with Antom: persisted state machines that send, then apply Antom's word
//! idempotently, and reconcile what is left open.
//!
//! * [`till`]: one [`Till`] (database, name, claims, data key, Antom client) that every machine
//!   works on; the claim registry and its three modes.
//! * [`sending`]: the shared skeleton (request ids, persist + audit + claim, wait until final,
//!   the reconcile loop and its [`Report`]).
//! * [`binding`], [`payments`] (charges and cancels), [`capture`] (of an authorised charge),
//!   [`refunds`], [`removal`]: sibling machines on one `Till`; [`listener`]: Antom's
//!   notifications into them.
//!
//! A new Antom operation is a new sibling file that uses [`sending`] and is added to [`Flows`].

pub mod binding;
pub mod capture;
pub mod listener;
pub mod payments;
pub mod refunds;
pub mod removal;
pub mod sending;
pub mod till;

pub use binding::BindingFlow;
pub use capture::CaptureFlow;
pub use payments::PaymentFlow;
pub use refunds::RefundFlow;
pub use removal::{CardRemoval, RemovalFlow};
pub use sending::{PollPolicy, Report};
pub use till::{Claims, Item, Mode, Till};

use crate::error::AppResult;
use serde::Serialize;
use std::sync::Arc;
use ts_rs::TS;

/// How the machines are set up, besides their till.
#[derive(Debug, Clone, Default)]
pub struct FlowOptions {
    /// `notifyUrl` of createVaultingSession (Antom requires one).
    pub notification_url: String,
    /// `paymentRedirectUrl` of pay.
    pub redirect_url: String,
    /// `paymentNotifyUrl` / `refundNotifyUrl`, when the shop has a listener.
    pub notify_url: Option<String>,
    pub merchant_region: Option<String>,
    /// `merchantAccountId` of the token APIs (deleteToken, inquireToken).
    pub merchant_account_id: Option<String>,
    /// `settlementStrategy.settlementCurrency`, when the contract has several.
    pub settlement_currency: Option<String>,
    /// `env.clientIp` as the shop set it (else the till's route address).
    pub client_ip: Option<String>,
    /// `None`: each machine's default.
    pub poll: Option<PollPolicy>,
}

/// Every machine of one till, built together.
pub struct Flows {
    pub till: Arc<Till>,
    pub binding: Arc<BindingFlow>,
    pub payments: Arc<PaymentFlow>,
    pub capture: Arc<CaptureFlow>,
    pub refunds: Arc<RefundFlow>,
    pub removal: Arc<RemovalFlow>,
}

/// What one reconciliation of everything open did, per kind of item.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Reconciled {
    pub attempts: Report,
    pub payments: Report,
    pub captures: Report,
    pub cancels: Report,
    pub refunds: Report,
    pub removals: Report,
}

impl Flows {
    pub fn new(till: Arc<Till>, o: &FlowOptions) -> Flows {
        let mut binding =
            BindingFlow::new(till.clone(), o.notification_url.clone()).with_merchant_region(o.merchant_region.clone());
        let mut payments = PaymentFlow::new(till.clone(), o.redirect_url.clone(), o.notify_url.clone())
            .with_merchant_region(o.merchant_region.clone())
            .with_contract(o.settlement_currency.clone(), o.client_ip.clone());
        if let Some(poll) = o.poll {
            binding = binding.with_poll(poll);
            payments = payments.with_poll(poll);
        }
        Flows {
            binding: Arc::new(binding),
            payments: Arc::new(payments),
            capture: Arc::new(CaptureFlow::new(till.clone())),
            refunds: Arc::new(RefundFlow::new(till.clone(), o.notify_url.clone())),
            removal: Arc::new(RemovalFlow::new(till.clone(), o.merchant_account_id.clone())),
            till,
        }
    }

    /// Settle everything left open: attempts, payments, captures, cancels, refunds and card removals
    /// (after a crash, a power cut or a lost connection; the app runs it at start and every few
    /// minutes). Each kind goes on when another failed.
    pub async fn reconcile(&self) -> AppResult<Reconciled> {
        let attempts = self.binding.reconcile_pending().await;
        let (payments, cancels) = self.payments.reconcile().await?;
        let captures = self.capture.reconcile().await?;
        let refunds = self.refunds.reconcile().await?;
        let removals = self.removal.reconcile().await?;
        let r = Reconciled { attempts: attempts?, payments, captures, cancels, refunds, removals };
        tracing::info!(?r, "reconciled");
        Ok(r)
    }
}
