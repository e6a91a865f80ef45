//! The connection check and the go-live checklist.

use super::common::prelude::*;
use super::settings::SettingsUpdate;

pub use crate::connection::ConnectionCheck;

/// Check the Antom set-up with one signed call that changes nothing ([`crate::connection`]):
/// the saved settings, or `draft` (the Settings form before saving: its pasted keys, else the
/// keyring's). Any signed-in staff member; the result is remembered for the go-live checklist
/// and audited.
pub async fn connection_check(ctx: &AppContext, draft: Option<SettingsUpdate>) -> AppResult<ConnectionCheck> {
    let by = access::staff(ctx)?;
    let target = check_target(ctx, draft)?;
    let timeouts = antom::transport::Timeouts { connect: Duration::from_secs(10), total: Duration::from_secs(20) };
    let transport = antom::transport::ReqwestTransport::new(timeouts, !target.gateway.is_loopback())
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let check = crate::connection::run(&target, &transport).await;
    let last = crate::connection::LastCheck {
        fingerprint: target.fingerprint(),
        ok: check.ok,
        checked_at: check.checked_at.clone(),
    };
    crate::connection::save_last(&ctx.paths().config_dir, &last)?;
    let failed: Vec<&str> = check
        .verdicts
        .iter()
        .filter(|v| v.status == crate::connection::CheckStatus::Fail)
        .map(|v| v.code.as_str())
        .collect();
    let detail = format!("{}: {}", target.environment.as_str(), if check.ok { "ok".into() } else { failed.join(", ") });
    store::audit(&lock(&ctx.db()), by, "settings.connection_check", None, Some(&detail))?;
    Ok(check)
}

/// What a check (or the checklist) looks at: the draft's or the saved settings, with the keys
/// pasted in the draft or else the keyring's; demo mode's in-process simulator as it runs.
fn check_target(ctx: &AppContext, draft: Option<SettingsUpdate>) -> AppResult<crate::connection::Target> {
    let current = ctx.settings();
    let (settings, merchant_text, antom_text) = match draft {
        Some(u) => (u.settings, u.merchant_private_key, u.antom_public_key),
        None => (current.clone(), None, None),
    };
    if settings.environment == Environment::Demo {
        if current.environment != Environment::Demo {
            return Err(AppError::new(ErrorCode::InvalidInput, "save the switch to demo mode first"));
        }
        let flows = ctx.flows()?;
        let c = flows.till.client().config();
        return Ok(crate::connection::Target {
            environment: Environment::Demo,
            gateway: c.gateway.clone(),
            client_id: c.client_id.clone(),
            merchant_key: (*c.merchant_key).clone(),
            antom_public_key: (*c.antom_public_key).clone(),
            merchant_account_id: settings.merchant_account_id.clone(),
        });
    }
    let secrets = Secrets::for_settings(&current, settings.environment);
    let missing = |what: &str| AppError::new(ErrorCode::KeyMissing, format!("{what}: paste or import it"));
    let merchant_key = match merchant_text.as_ref().map(|k| k.expose().trim().to_string()).filter(|k| !k.is_empty()) {
        Some(text) => MerchantPrivateKey::parse(text.as_bytes())
            .map_err(|e| AppError::in_field(ErrorCode::KeyInvalid, "merchantPrivateKey", e))?,
        None => secrets.merchant_key()?.ok_or_else(|| missing("merchant private key"))?,
    };
    let antom_public_key = match nonblank(&antom_text) {
        Some(text) => PublicKey::parse(text.as_bytes())
            .map_err(|e| AppError::in_field(ErrorCode::KeyInvalid, "antomPublicKey", e))?,
        None => secrets.antom_public_key()?.ok_or_else(|| missing("Antom public key"))?,
    };
    let client_id = settings
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            AppError::in_field(ErrorCode::SettingsInvalid, "clientId", "required for the Antom sandbox and production")
        })?
        .to_string();
    Ok(crate::connection::Target {
        environment: settings.environment,
        gateway: settings.gateway()?,
        client_id,
        merchant_key,
        antom_public_key,
        merchant_account_id: settings.merchant_account_id.clone(),
    })
}

crate::wire_enum! {
    /// The go-live checklist's lines, in order.
    pub enum GoLiveItem {
        ShopName = "SHOP_NAME",
        Currency = "CURRENCY",
        OwnerPin = "OWNER_PIN",
        AntomKeys = "ANTOM_KEYS",
        ConnectionChecked = "CONNECTION_CHECKED",
        /// `merchantAccountId`: the token APIs need it to revoke a removed card.
        MerchantAccount = "MERCHANT_ACCOUNT",
        Notifications = "NOTIFICATIONS",
        Backups = "BACKUPS",
        /// What a cashier may charge alone: per charge and per 24 hours (there is always a
        /// limit; the line shows it).
        CashierLimits = "CASHIER_LIMITS",
    }
}

crate::wire_enum! {
    /// Where a checklist line stands.
    pub enum GoLiveState {
        Done = "DONE",
        Missing = "MISSING",
        /// Demo mode has no keys or connection of its own to check.
        NotInDemo = "NOT_IN_DEMO",
        /// The last check found a problem.
        CheckFailed = "CHECK_FAILED",
        /// The settings or keys changed since the last check.
        CheckStale = "CHECK_STALE",
        /// No notification listener: the app asks Antom (inquireVaulting) instead; fine.
        PollingOnly = "POLLING_ONLY",
        /// A listener and an https notification URL are set (reachability from outside is the
        /// tunnel's or proxy's; it cannot be seen from here).
        Listening = "LISTENING",
        /// The cashier limits are the defaults a new shop starts with (fine; change them in
        /// Settings).
        DefaultLimits = "DEFAULT_LIMITS",
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GoLiveLine {
    pub item: GoLiveItem,
    pub state: GoLiveState,
    /// Whether this line counts as done.
    pub done: bool,
    /// For [`GoLiveItem::CashierLimits`]: per charge and per 24 hours, in minor units of
    /// `currency`.
    #[ts(type = "number | null")]
    pub limit: Option<i64>,
    #[ts(type = "number | null")]
    pub daily_limit: Option<i64>,
    pub currency: Option<String>,
}

/// The go-live checklist: what a shop should have before the first real customer.
pub fn go_live(ctx: &AppContext) -> AppResult<Vec<GoLiveLine>> {
    access::staff(ctx)?;
    let s = ctx.settings();
    let line = |item, state| GoLiveLine {
        item,
        state,
        done: matches!(
            state,
            GoLiveState::Done | GoLiveState::PollingOnly | GoLiveState::Listening | GoLiveState::DefaultLimits
        ),
        limit: None,
        daily_limit: None,
        currency: None,
    };
    let set = |b: bool| if b { GoLiveState::Done } else { GoLiveState::Missing };
    let owners = store::staff::active_owners(&lock(&ctx.db()))?;
    let demo = s.environment == Environment::Demo;
    let keys = if demo {
        GoLiveState::NotInDemo
    } else {
        let secrets = Secrets::for_settings(&s, s.environment);
        set(matches!((secrets.merchant_key(), secrets.antom_public_key()), (Ok(Some(_)), Ok(Some(_)))))
    };
    let checked = if demo {
        GoLiveState::NotInDemo
    } else {
        match (check_target(ctx, None), crate::connection::load_last(&ctx.paths().config_dir)) {
            (Ok(t), Some(last)) if last.fingerprint == t.fingerprint() => {
                if last.ok {
                    GoLiveState::Done
                } else {
                    GoLiveState::CheckFailed
                }
            }
            (_, Some(_)) => GoLiveState::CheckStale,
            (_, None) => GoLiveState::Missing,
        }
    };
    let notifications = if s.listener_bind.is_some() && s.notification_url.is_some() {
        GoLiveState::Listening
    } else {
        GoLiveState::PollingOnly
    };
    Ok(vec![
        line(GoLiveItem::ShopName, set(s.shop_name.is_some())),
        line(GoLiveItem::Currency, set(s.currency.is_some())),
        line(GoLiveItem::OwnerPin, set(owners > 0)),
        line(GoLiveItem::AntomKeys, keys),
        line(GoLiveItem::ConnectionChecked, checked),
        line(
            GoLiveItem::MerchantAccount,
            if demo { GoLiveState::NotInDemo } else { set(s.merchant_account_id.is_some()) },
        ),
        line(GoLiveItem::Notifications, notifications),
        line(GoLiveItem::Backups, set(s.backup.every_hours > 0 && s.backup.folder.is_some())),
        {
            let chosen = s.charge_limit.is_some() && s.daily_charge_limit.is_some();
            let mut l =
                line(GoLiveItem::CashierLimits, if chosen { GoLiveState::Done } else { GoLiveState::DefaultLimits });
            if let Some(c) = &s.currency {
                let (per, daily) = s.cashier_limits(c);
                (l.limit, l.daily_limit, l.currency) = (Some(per), Some(daily), Some(c.clone()));
            }
            l
        },
    ])
}
