//! The app itself: what it is, the welcome screen, the language, the activity log.

use super::common::prelude::*;
use super::kiosk::start_kiosk;
use super::staff::staff_create;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub data_dir: String,
    /// The active environment's card database (each environment has its own).
    pub database: String,
    /// The shop's shared database (several tills): lists are read again every few seconds.
    pub shared_database: bool,
    pub config_dir: String,
    pub environment: Environment,
    /// `os/arch`, e.g. `linux/x86_64`.
    pub platform: String,
    /// Demo mode: the in-process Antom simulator's address (loopback).
    pub simulator_url: Option<String>,
    /// The UI language (`en`, `pt`, ...): chosen in the app, else the OS's.
    pub locale: String,
    /// Why cards cannot be bound right now (no keyring, keys missing, ...); `None` when they can.
    pub binding_unavailable: Option<AppError>,
    /// The notifyVaulting listener, when the settings name an address for it.
    pub listener: Option<crate::flows::listener::ListenerStatus>,
    /// A first start: show the welcome screen (language, shop name, owner PIN, or explore).
    pub first_run: bool,
    /// Kiosk mode was asked for at start-up but needs a manager or owner first.
    pub kiosk_blocked: bool,
    /// The web SDK's `environment` and `locale` for the app's language (for warming the SDK up
    /// before the first card form).
    pub sdk_environment: String,
    pub sdk_locale: String,
    /// The shop's currency (ISO 4217), which charges are made in; none until it is chosen.
    pub currency: Option<String>,
}

/// What the app is, which Antom it talks to and where it keeps its data. `version` is the
/// shell's (the workspace version).
pub fn app_info(ctx: &AppContext, version: &str) -> AppInfo {
    AppInfo {
        name: "cardbind".into(),
        version: version.into(),
        data_dir: ctx.paths().data_dir.display().to_string(),
        database: ctx.database_label(),
        shared_database: ctx.settings().shop_database.shared,
        config_dir: ctx.paths().config_dir.display().to_string(),
        environment: ctx.environment(),
        platform: format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH),
        simulator_url: ctx.simulator_url(),
        locale: ctx.locale(),
        binding_unavailable: ctx.flow().err(),
        listener: ctx.listener_status(),
        first_run: first_run(ctx),
        sdk_environment: sdk_environment(ctx.environment()).into(),
        sdk_locale: i18n::sdk_locale(&ctx.locale()).into(),
        currency: ctx.settings().currency.clone(),
        kiosk_blocked: ctx.kiosk_wanted()
            && !ctx.session().kiosk
            && !staff_rules::manager_exists(&lock(&ctx.db())).unwrap_or(false),
    }
}

/// The web SDK's `environment` for ours: the demo simulator stands in for the sandbox.
pub fn sdk_environment(env: Environment) -> &'static str {
    match env {
        Environment::Production => "prod",
        Environment::Demo | Environment::Sandbox => "sandbox",
    }
}

/// Nothing set up yet: demo mode, no shop name, no staff, and the welcome screen not done.
fn first_run(ctx: &AppContext) -> bool {
    let s = ctx.settings();
    !s.welcome_done
        && s.shop_name.is_none()
        && s.environment == Environment::Demo
        && !staff_rules::configured(&lock(&ctx.db())).unwrap_or(true)
}

/// The welcome screen's answers (first run only; the language is set as it is chosen): the
/// shop's name and currency, and optionally the owner (who is then signed in, ending open
/// mode). Everything is checked before anything is saved. Skipping sends nothing but marks the
/// welcome done.
pub async fn welcome_finish(
    ctx: &AppContext,
    shop_name: Option<String>,
    currency: Option<String>,
    owner: Option<StaffInput>,
    charge_limit: Option<i64>,
) -> AppResult<()> {
    access::not_kiosk(ctx)?;
    if !first_run(ctx) {
        return Err(AppError::new(ErrorCode::InvalidInput, "the welcome screen is for a first start only"));
    }
    let mut s = ctx.settings();
    s.shop_name = shop_name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    s.currency = currency.filter(|c| !c.is_empty());
    // a cashier's per-charge limit, in minor units (none: the default, which the screen shows)
    s.charge_limit = charge_limit;
    s.welcome_done = true;
    s.validate()?;
    if let Some(o) = &owner {
        if o.role != Role::Owner {
            return Err(AppError::new(ErrorCode::InvalidInput, "role: the first staff member is the owner"));
        }
        staff_rules::validate_pin(o.pin.expose())?;
    }
    ctx.apply_settings(s).await?;
    if let Some(o) = &owner {
        staff_create(ctx, o)?;
    }
    store::audit(&lock(&ctx.db()), None, "app.welcome", None, None)?;
    Ok(())
}

/// Kiosk mode at start-up (`--kiosk`, the setting): started, or — without a manager to leave
/// it — remembered as wanted, so the UI explains instead of quietly opening the staff app.
pub fn start_kiosk_at_launch(ctx: &AppContext) -> bool {
    match start_kiosk(ctx, None) {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(code = %e.code, "kiosk mode not started: {}", e.message);
            if e.code == ErrorCode::StaffRequired {
                ctx.set_kiosk_wanted();
            }
            false
        }
    }
}

/// Switch the UI language (and the SDK's) without a restart; remembered for the next start.
pub async fn locale_set(ctx: &AppContext, locale: &str) -> AppResult<String> {
    access::staff(ctx)?;
    if !i18n::LOCALES.contains(&locale) {
        return Err(AppError::new(ErrorCode::InvalidInput, format!("locale: one of {}", i18n::LOCALES.join(", "))));
    }
    let mut s = ctx.settings();
    s.locale = Some(locale.to_string());
    ctx.apply_settings(s).await?;
    Ok(ctx.locale())
}

pub fn audit_list(ctx: &AppContext, before_id: Option<i64>, limit: u32) -> AppResult<Vec<AuditEntry>> {
    access::staff(ctx)?;
    store::list_audit(&lock(&ctx.db()), before_id, limit)
}

/// Whether the records that authorise are as the tills wrote them ([`crate::shop::seals`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrityReport {
    /// This till holds the shop's row key and checked with it (false: a till about to join,
    /// which checks nothing).
    pub checked: bool,
    /// The activity log's chain.
    pub audit: crate::store::audit::ChainReport,
    /// Staff rows whose seal fails (they sign no one in).
    pub tampered_staff: u32,
    /// Something is wrong: show it.
    pub alert: bool,
}

/// The activity log's chain walked and the staff rows checked. Counts only, so it needs no
/// sign-in: a till shows at start that its records were changed (read on a snapshot, beside
/// the till's own connection).
pub fn integrity_report(ctx: &AppContext) -> AppResult<IntegrityReport> {
    let db = ctx.db();
    let key = lock(&db).row_key();
    let Some(key) = key else {
        return Ok(IntegrityReport { checked: false, audit: Default::default(), tampered_staff: 0, alert: false });
    };
    let conn = ctx.read_connection()?;
    conn.share_seal_of(&lock(&db));
    let audit = crate::store::audit::verify_chain(&conn, &key)?;
    let tampered_staff = store::staff::list(&conn)?.iter().filter(|m| !m.sealed).count() as u32;
    let alert = audit.broken_at.is_some() || audit.unsealed > 0 || tampered_staff > 0;
    if alert {
        tracing::warn!(broken_at = ?audit.broken_at, unsealed = audit.unsealed, tampered_staff, "records changed outside the tills");
    }
    Ok(IntegrityReport { checked: true, audit, tampered_staff, alert })
}
