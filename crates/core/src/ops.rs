//! The use cases behind the desktop commands: one function per command, over an [`AppContext`].
//! The Tauri shell only unpacks its state and calls these, so everything here is tested without a
//! window (`tests/ops.rs`).

use crate::access::{self, Actor};
use crate::binding::Attempt;
use crate::context::AppContext;
use crate::db::lock;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::i18n::{self, ConsentText};
use crate::secrets::Secrets;
use crate::settings::{Environment, Settings};
use crate::staff::{self, Operator, Permission, Role, StaffInput, StaffMember};
use crate::store::{self, AuditEntry, CardPage, CardQuery, CardRow, ConsentInput, Customer, CustomerInput};
use antom::{MerchantPrivateKey, PublicKey, Sensitive};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use ts_rs::TS;

/// How long `binding_confirm` polls inquireVaulting before handing back a pending attempt (the
/// UI then keeps asking with `binding_refresh`).
pub const CONFIRM_WAIT: Duration = Duration::from_secs(12);

/// Card brands Antom reports, for the card list's brand filter.
pub const BRANDS: [&str; 8] = ["VISA", "MASTERCARD", "AMEX", "JCB", "CUP", "DISCOVER", "DINERS", "MAESTRO"];

// ----- the app -----

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
    pub listener: Option<crate::listener::ListenerStatus>,
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
        data_dir: ctx.paths.data_dir.display().to_string(),
        database: ctx.database_label(),
        shared_database: ctx.settings().shop_database.shared,
        config_dir: ctx.paths.config_dir.display().to_string(),
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
        kiosk_blocked: ctx.kiosk_wanted.load(std::sync::atomic::Ordering::Relaxed)
            && !ctx.session().kiosk
            && !staff::manager_exists(&lock(&ctx.db())).unwrap_or(false),
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
        && !staff::configured(&lock(&ctx.db())).unwrap_or(true)
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
) -> AppResult<()> {
    access::not_kiosk(ctx)?;
    if !first_run(ctx) {
        return Err(AppError::new(ErrorCode::InvalidInput, "the welcome screen is for a first start only"));
    }
    let mut s = ctx.settings();
    s.shop_name = shop_name.map(|n| n.trim().to_string()).filter(|n| !n.is_empty());
    s.currency = currency.filter(|c| !c.is_empty());
    s.welcome_done = true;
    s.validate()?;
    if let Some(o) = &owner {
        if o.role != Role::Owner {
            return Err(AppError::new(ErrorCode::InvalidInput, "role: the first staff member is the owner"));
        }
        staff::validate_pin(o.pin.expose())?;
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
                ctx.kiosk_wanted.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            false
        }
    }
}

// ----- customers -----

pub fn customers_search(ctx: &AppContext, text: &str, limit: u32) -> AppResult<Vec<Customer>> {
    access::staff(ctx)?;
    store::search_customers(&lock(&ctx.db()), text, limit)
}

pub fn customer_get(ctx: &AppContext, id: i64) -> AppResult<Customer> {
    access::staff(ctx)?;
    store::get_customer(&lock(&ctx.db()), id)
}

pub fn customer_create(ctx: &AppContext, input: &CustomerInput) -> AppResult<Customer> {
    let by = access::staff(ctx)?;
    store::create_customer(&lock(&ctx.db()), input, by)
}

pub fn customer_update(ctx: &AppContext, id: i64, input: &CustomerInput) -> AppResult<Customer> {
    let by = access::staff(ctx)?;
    store::update_customer(&lock(&ctx.db()), id, input, by)
}

// ----- cards -----

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
/// this record ([`crate::kiosk`]). Any signed-in staff member; audited.
pub fn customer_kiosk_code(ctx: &AppContext, customer_id: i64) -> AppResult<crate::kiosk::KioskCode> {
    let by = access::staff(ctx)?;
    crate::kiosk::issue_code(&ctx.db(), customer_id, by)
}

/// Remove a card: deleteToken at Antom first, then the local erase. `Pending` when Antom could
/// not confirm (the card can no longer be charged; cardbind keeps asking Antom).
pub async fn card_remove(ctx: &AppContext, id: i64) -> AppResult<CardRemoval> {
    let actor = access::authorize(ctx, Permission::RemoveCards)?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("card:{id}"))?;
    remove_at_antom(ctx, id, actor.staff_id).await
}

async fn remove_at_antom(ctx: &AppContext, id: i64, staff_id: Option<i64>) -> AppResult<CardRemoval> {
    match ctx.payments() {
        Ok(flow) => flow.remove_card(id, staff_id).await,
        // No Antom to ask (keys missing, no keyring): the card is fenced now and revoked when
        // Antom is configured again.
        Err(e) => {
            tracing::warn!(code = %e.code, "card removal waits for Antom");
            store::cards::request_removal(&lock(&ctx.db()), id, staff_id)?;
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
    let actor = access::authorize(ctx, Permission::RemoveCards)?;
    let old = {
        let db = ctx.db();
        let conn = lock(&db);
        let old = store::replace_with_duplicate(&conn, id, actor.staff_id)?;
        audit_approval(&conn, &actor, &format!("card:{id}"))?;
        old
    };
    remove_at_antom(ctx, old, actor.staff_id).await
}

// ----- payments -----

pub use crate::payments::{CardRemoval, Payment, PaymentPage, PaymentQuery, PaymentState, Refund, RefundState};

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
}

/// A payment with its refunds and what can still be done to it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaymentDetail {
    pub payment: Payment,
    pub refunds: Vec<Refund>,
    /// Minor units a refund may still take (succeeded and unanswered refunds count).
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
        &crate::payments::ChargeInput {
            card_id: req.card_id,
            amount: req.amount,
            currency,
            description,
            reference: req.reference.clone(),
            customer_present: req.customer_present,
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
    let succeeded = payment.state == PaymentState::Succeeded;
    Ok(PaymentDetail {
        refundable: if succeeded { payment.amount - committed } else { 0 },
        cancellable: (succeeded || payment.state == PaymentState::Pending) && committed == 0,
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
    let flow = ctx.payments()?;
    flow.refresh(id).await?;
    let open: Vec<i64> =
        payment_detail(ctx, id)?.refunds.iter().filter(|r| !r.state.is_final()).map(|r| r.id).collect();
    for r in open {
        flow.refresh_refund(r).await?;
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
    ctx.payments()?.refund(id, amount, reason.as_deref(), actor.staff_id).await?;
    payment_detail(ctx, id)
}

/// Cancel (void) a payment before it settles (a manager's).
pub async fn payment_cancel(ctx: &AppContext, id: i64) -> AppResult<PaymentDetail> {
    let actor = access::authorize(ctx, Permission::RefundPayments)?;
    audit_approval(&lock(&ctx.db()), &actor, &format!("payment:{id}"))?;
    ctx.payments()?.cancel(id, actor.staff_id).await?;
    payment_detail(ctx, id)
}

pub fn card_brands() -> Vec<String> {
    BRANDS.iter().map(|b| b.to_string()).collect()
}

pub fn audit_list(ctx: &AppContext, before_id: Option<i64>, limit: u32) -> AppResult<Vec<AuditEntry>> {
    access::staff(ctx)?;
    store::list_audit(&lock(&ctx.db()), before_id, limit)
}

// ----- binding -----

/// The consent text to show before a card is bound, in `locale`.
pub fn consent_get(ctx: &AppContext, locale: &str) -> ConsentText {
    let settings = ctx.settings();
    let shop = settings.shop_name.clone().unwrap_or_else(|| i18n::message(locale, "consent-default-shop", &[]));
    i18n::consent_text(locale, &shop)
}

/// How the UI constructs the Antom SDK for a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SdkOptions {
    /// The SDK's `environment`: `sandbox` (demo and sandbox) or `prod`.
    pub environment: String,
    /// The SDK's `locale` (`en_US`, `pt_BR`, ...), from the app's language.
    pub locale: String,
    /// Demo mode: the simulator's element page, passed as `elementProps.elementLink`.
    pub element_link: Option<String>,
}

/// What the binding page needs to mount Antom's element.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BindingSession {
    pub attempt: Attempt,
    pub session_data: String,
    pub session_expires_at: Option<String>,
    pub sdk: SdkOptions,
}

/// Check the consent shown is the current text in its language, then open an Antom session.
pub async fn binding_start(ctx: &AppContext, customer_id: i64, consent: &ConsentInput) -> AppResult<BindingSession> {
    let by = access::staff_or_kiosk(ctx)?;
    access::kiosk_customer(ctx, customer_id)?;
    let current = consent_get(ctx, &consent.locale);
    if current.version != consent.text_version || current.locale != consent.locale {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "consent: the text accepted is not the current consent text; show it again",
        ));
    }
    let flow = ctx.flow()?;
    let started = flow.start(customer_id, by, consent).await?;
    {
        let mut session = ctx.session();
        if session.kiosk {
            session.kiosk_attempt = Some(started.attempt.id);
        }
    }
    let environment = sdk_environment(ctx.environment());
    Ok(BindingSession {
        attempt: started.attempt,
        session_data: started.session_data,
        session_expires_at: started.session_expires_at,
        sdk: SdkOptions {
            environment: environment.into(),
            // The language the consent was read in: the app's, or a kiosk visitor's choice.
            locale: i18n::sdk_locale(&consent.locale).into(),
            element_link: ctx.element_link(),
        },
    })
}

/// The element reported an outcome: ask Antom (inquireVaulting) until it is final or
/// [`CONFIRM_WAIT`] passes. Only this answer, never the page's event, binds a card.
pub async fn binding_confirm(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    access::attempt(ctx, attempt_id)?;
    ctx.flow()?.wait_for_result(attempt_id, CONFIRM_WAIT).await
}

/// One inquireVaulting for a pending attempt (the UI polls while 3D Secure or the issuer runs).
pub async fn binding_refresh(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    access::attempt(ctx, attempt_id)?;
    let flow = ctx.flow()?;
    let a = flow.attempt(attempt_id)?;
    if a.state.is_final() {
        return Ok(a);
    }
    flow.refresh(attempt_id).await
}

/// The customer or staff gave up. Antom is still asked later: a card bound anyway is recorded.
pub fn binding_cancel(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    let by = access::attempt(ctx, attempt_id)?;
    ctx.flow()?.cancel(attempt_id, by)
}

// ----- settings -----

/// What Settings shows: the settings, which keys are in the keyring, and the merchant public
/// key to register with Antom (never the private key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    pub locale: String,
    pub merchant_key_set: bool,
    pub antom_public_key_set: bool,
    /// Base64 SPKI of the merchant key pair, for Antom's portal.
    pub merchant_public_key: Option<String>,
    /// Why the keyring could not be read, if it could not.
    pub keyring_error: Option<AppError>,
}

/// Settings to save, with keys to import into the keyring for the target environment.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsUpdate {
    pub settings: Settings,
    /// A merchant RSA private key in Antom's format (bare base64 PKCS#8) or PEM.
    #[ts(type = "string | null")]
    pub merchant_private_key: Option<Sensitive<String>>,
    /// Antom's public key as shown in Antom's portal (bare base64 SPKI) or PEM.
    pub antom_public_key: Option<String>,
    /// A new passphrase for scheduled backups (kept in the OS keyring).
    #[serde(default)]
    #[ts(type = "string | null")]
    pub backup_passphrase: Option<Sensitive<String>>,
    /// An owner's PIN: switching to production needs it.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub owner_pin: Option<Sensitive<String>>,
}

fn key_view(settings: &crate::settings::Settings) -> (bool, bool, Option<String>, Option<AppError>) {
    let env = settings.environment;
    let secrets = Secrets::for_settings(settings, env);
    let merchant = secrets.merchant_key();
    let antom = if env == Environment::Demo { Ok(None) } else { secrets.antom_public_key() };
    match (merchant, antom) {
        (Ok(m), Ok(a)) => {
            (m.is_some(), a.is_some() || env == Environment::Demo, m.map(|k| k.public_key().to_spki_base64()), None)
        }
        (Err(e), _) | (_, Err(e)) => (false, false, None, Some(e)),
    }
}

pub fn settings_get(ctx: &AppContext) -> AppResult<SettingsView> {
    access::staff(ctx)?;
    Ok(settings_view(ctx))
}

fn settings_view(ctx: &AppContext) -> SettingsView {
    let settings = ctx.settings();
    let (merchant_key_set, antom_public_key_set, merchant_public_key, keyring_error) = key_view(&settings);
    SettingsView {
        settings,
        locale: ctx.locale(),
        merchant_key_set,
        antom_public_key_set,
        merchant_public_key,
        keyring_error,
    }
}

fn nonblank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Validate everything first (settings, both keys, that sandbox/production will have both keys),
/// then import the keys, save the settings and switch to them. Nothing is written when anything
/// is invalid.
pub async fn settings_save(ctx: &AppContext, update: SettingsUpdate) -> AppResult<SettingsView> {
    let actor = access::authorize(ctx, Permission::ChangeSettings)?;
    let mut settings = update.settings;
    settings.locale = Some(ctx.locale());
    // Which keyring entries hold the keys is the backend's business: whatever the caller sent
    // is replaced by the current choice (and changed below only by importing keys).
    settings.key_sets = ctx.settings().key_sets;
    // Where the data is kept changes only through shop_database_set (an owner's PIN, a test).
    settings.shop_database = ctx.settings().shop_database;
    settings.validate()?;
    if settings.kiosk.enabled && !staff::manager_exists(&lock(&ctx.db()))? {
        return Err(staff_required());
    }
    let going_live = if settings.environment == Environment::Production && ctx.environment() != Environment::Production
    {
        Some(confirm_going_live(ctx, update.owner_pin.as_ref())?)
    } else {
        None
    };
    let merchant =
        match update.merchant_private_key.as_ref().and_then(|k| Some(k.expose().trim()).filter(|k| !k.is_empty())) {
            Some(text) => Some(
                MerchantPrivateKey::parse(text.as_bytes())
                    .map_err(|e| AppError::new(ErrorCode::KeyInvalid, format!("merchant private key: {e}")))?,
            ),
            None => None,
        };
    let antom = match nonblank(&update.antom_public_key) {
        Some(text) => Some(
            PublicKey::parse(text.as_bytes())
                .map_err(|e| AppError::new(ErrorCode::KeyInvalid, format!("Antom public key: {e}")))?,
        ),
        None => None,
    };
    let backup_passphrase = update
        .backup_passphrase
        .as_ref()
        .filter(|p| !p.expose().is_empty())
        .map(|p| Sensitive::new(p.expose().clone()));
    if let Some(p) = &backup_passphrase {
        if p.expose().chars().count() < crate::backup::MIN_PASSPHRASE {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                format!("backupPassphrase: at least {} characters", crate::backup::MIN_PASSPHRASE),
            ));
        }
    }
    if settings.backup.every_hours > 0 && backup_passphrase.is_none() && crate::secrets::backup_passphrase()?.is_none()
    {
        return Err(AppError::new(ErrorCode::KeyMissing, "backupPassphrase: scheduled backups need a passphrase"));
    }
    let secrets = Secrets::for_settings(&settings, settings.environment);
    if settings.environment == Environment::Demo {
        if merchant.is_some() || antom.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "demo mode makes its own keys; import keys for the sandbox or production",
            ));
        }
    } else {
        if merchant.is_none() && secrets.merchant_key()?.is_none() {
            return Err(AppError::new(ErrorCode::KeyMissing, "merchant private key: paste or import it"));
        }
        if antom.is_none() && secrets.antom_public_key()?.is_none() {
            return Err(AppError::new(ErrorCode::KeyMissing, "Antom public key: paste or import it"));
        }
    }
    // New keys: a complete new pair under a new key set, which the settings then name; the
    // pair in use stays untouched until the settings are saved (issue 15, item 7).
    let keys_changed = merchant.is_some() || antom.is_some();
    let staged = if keys_changed {
        let staged = secrets.stage_keys(merchant.as_ref(), antom.as_ref())?;
        let name = staged.key_set().expect("a staged key set has a name").to_string();
        settings.key_sets.insert(settings.environment.as_str().to_string(), name);
        Some(staged)
    } else {
        None
    };
    if let Some(p) = &backup_passphrase {
        if let Err(e) = crate::secrets::set_backup_passphrase(p) {
            if let Some(s) = &staged {
                s.discard_keys();
            }
            return Err(e);
        }
    }
    let rebuilt = match ctx.apply_settings(settings).await {
        Ok(rebuilt) => rebuilt,
        Err(e) => {
            if let Some(s) = &staged {
                s.discard_keys();
            }
            return Err(e);
        }
    };
    if staged.is_some() {
        // the settings name the new pair now: the old one is no longer used
        secrets.discard_keys();
    }
    if keys_changed && !rebuilt {
        ctx.reconnect().await;
    }
    {
        let db = ctx.db();
        let conn = lock(&db);
        let detail = format!("environment: {:?}", ctx.environment());
        store::audit(&conn, actor.staff_id, "settings.save", None, Some(&detail))?;
        if let Some(owner) = &going_live {
            // in the production database: the one that goes live
            store::audit(&conn, Some(owner.id), "settings.go_live", None, None)?;
        }
        if keys_changed {
            store::audit(&conn, actor.staff_id, "settings.import_keys", None, None)?;
        }
        audit_approval(&conn, &actor, "settings")?;
    }
    Ok(settings_view(ctx))
}

impl SettingsUpdate {
    /// Settings alone: no key, passphrase or PIN with them.
    pub fn settings_only(settings: Settings) -> Self {
        SettingsUpdate {
            settings,
            merchant_private_key: None,
            antom_public_key: None,
            backup_passphrase: None,
            owner_pin: None,
        }
    }
}

/// Going live moves real money: an owner confirms with their PIN (throttled like any PIN),
/// whoever is signed in; a shop with no owner adds one first.
fn confirm_going_live(ctx: &AppContext, pin: Option<&Sensitive<String>>) -> AppResult<Operator> {
    if store::staff::active_owners(&lock(&ctx.db()))? == 0 {
        return Err(AppError::new(
            ErrorCode::OwnerPinRequired,
            "switching to production needs an owner with a PIN: add one under Staff first",
        ));
    }
    confirm_owner(&ctx.db(), pin, "switching to production")
}

// ----- connection check and going live -----

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
    crate::connection::save_last(&ctx.paths.config_dir, &last)?;
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
        let flow = ctx.flow()?;
        let c = flow.client().config();
        return Ok(crate::connection::Target {
            environment: Environment::Demo,
            gateway: c.gateway.clone(),
            client_id: c.client_id.clone(),
            merchant_key: (*c.merchant_key).clone(),
            antom_public_key: (*c.antom_public_key).clone(),
        });
    }
    let secrets = Secrets::for_settings(&current, settings.environment);
    let missing = |what: &str| AppError::new(ErrorCode::KeyMissing, format!("{what}: paste or import it"));
    let merchant_key = match merchant_text.as_ref().map(|k| k.expose().trim().to_string()).filter(|k| !k.is_empty()) {
        Some(text) => MerchantPrivateKey::parse(text.as_bytes())
            .map_err(|e| AppError::new(ErrorCode::KeyInvalid, format!("merchant private key: {e}")))?,
        None => secrets.merchant_key()?.ok_or_else(|| missing("merchant private key"))?,
    };
    let antom_public_key = match nonblank(&antom_text) {
        Some(text) => PublicKey::parse(text.as_bytes())
            .map_err(|e| AppError::new(ErrorCode::KeyInvalid, format!("Antom public key: {e}")))?,
        None => secrets.antom_public_key()?.ok_or_else(|| missing("Antom public key"))?,
    };
    let client_id = settings
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            AppError::new(ErrorCode::SettingsInvalid, "clientId: required for the Antom sandbox and production")
        })?
        .to_string();
    Ok(crate::connection::Target {
        environment: settings.environment,
        gateway: settings.gateway()?,
        client_id,
        merchant_key,
        antom_public_key,
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
        Notifications = "NOTIFICATIONS",
        Backups = "BACKUPS",
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
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GoLiveLine {
    pub item: GoLiveItem,
    pub state: GoLiveState,
    /// Whether this line counts as done.
    pub done: bool,
}

/// The go-live checklist: what a shop should have before the first real customer.
pub fn go_live(ctx: &AppContext) -> AppResult<Vec<GoLiveLine>> {
    access::staff(ctx)?;
    let s = ctx.settings();
    let line = |item, state| GoLiveLine {
        item,
        state,
        done: matches!(state, GoLiveState::Done | GoLiveState::PollingOnly | GoLiveState::Listening),
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
        match (check_target(ctx, None), crate::connection::load_last(&ctx.paths.config_dir)) {
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
        line(GoLiveItem::Notifications, notifications),
        line(GoLiveItem::Backups, set(s.backup.every_hours > 0 && s.backup.folder.is_some())),
    ])
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

/// A manager's approval of a cashier's protected action gets its own audit row (the action's
/// row is under the manager's name).
fn audit_approval(conn: &crate::db::Connection, actor: &Actor, subject: &str) -> AppResult<()> {
    match actor.detail() {
        Some(detail) => store::audit(conn, actor.staff_id, "staff.approve", Some(subject), Some(&detail)),
        None => Ok(()),
    }
}

fn staff_required() -> AppError {
    AppError::new(ErrorCode::StaffRequired, "kiosk mode needs a manager or owner with a PIN: add one under Staff")
}

// ----- staff -----

/// What the shell and the UI need to know about who is at the terminal.
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
        (staff::configured(&conn)?, staff::manager_exists(&conn)?, staff::locked_for(&conn)?)
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
    let op = staff::identify(&ctx.db(), pin.expose())?;
    {
        let mut session = ctx.session();
        session.operator = Some(op.clone());
        session.approval = None;
    }
    store::audit(&lock(&ctx.db()), Some(op.id), "staff.sign_in", Some(&format!("staff:{}", op.id)), None)?;
    Ok(op)
}

/// Lock the terminal: the next person signs in with their own PIN. `idle`: the UI locked it
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
/// refused runs (that action only, once, within [`staff::APPROVAL_TTL`]).
pub fn staff_approve(ctx: &AppContext, pin: &Sensitive<String>) -> AppResult<Operator> {
    access::not_kiosk(ctx)?;
    let cashier = match ctx.session().operator.clone() {
        Some(op) => op,
        None => return Err(AppError::new(ErrorCode::SignInRequired, "sign in first")),
    };
    let approver = staff::identify(&ctx.db(), pin.expose())?;
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
    staff::list(&lock(&ctx.db()))
}

/// Add a staff member. The first one (an owner) ends open mode and is signed in at once.
pub fn staff_create(ctx: &AppContext, input: &StaffInput) -> AppResult<StaffMember> {
    let first = !staff::configured(&lock(&ctx.db()))?;
    let actor = if first {
        access::not_kiosk(ctx)?;
        Actor::NOBODY
    } else {
        access::authorize(ctx, Permission::ManageStaff)?
    };
    let db = ctx.db();
    let conn = lock(&db);
    let member = staff::create(&conn, input, actor.staff_id)?;
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
    staff::set_pin(&conn, id, pin, actor.staff_id)?;
    audit_approval(&conn, &actor, &format!("staff:{id}"))
}

pub fn staff_disable(ctx: &AppContext, id: i64) -> AppResult<()> {
    let actor = access::authorize(ctx, Permission::ManageStaff)?;
    {
        let db = ctx.db();
        let conn = lock(&db);
        staff::disable(&conn, id, actor.staff_id)?;
        audit_approval(&conn, &actor, &format!("staff:{id}"))?;
    }
    let mut session = ctx.session();
    if session.operator.as_ref().is_some_and(|o| o.id == id) {
        session.operator = None;
    }
    Ok(())
}

// ----- kiosk -----

/// Turn the terminal into a kiosk (the `--kiosk` flag and the kiosk setting do it at start-up):
/// staff are signed out and only the customer's steps run until a manager leaves it.
pub fn kiosk_enter(ctx: &AppContext) -> AppResult<StaffStatus> {
    let by = if ctx.session().kiosk { None } else { access::staff(ctx)? };
    start_kiosk(ctx, by)?;
    staff_status(ctx)
}

/// Kiosk mode at start-up (no one is signed in yet). Refused with `STAFF_REQUIRED` when no
/// manager or owner could leave it.
pub fn start_kiosk(ctx: &AppContext, by: Option<i64>) -> AppResult<()> {
    if !staff::manager_exists(&lock(&ctx.db()))? {
        return Err(staff_required());
    }
    let was = {
        let mut session = ctx.session();
        let was = session.kiosk;
        *session = staff::Session { kiosk: true, ..Default::default() };
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
    let op = staff::identify(&ctx.db(), pin.expose())?;
    if op.role < Permission::LeaveKiosk.min_role() {
        store::audit(&lock(&ctx.db()), Some(op.id), "kiosk.leave_refused", None, Some(op.role.as_str()))?;
        return Err(AppError::new(ErrorCode::PermissionDenied, "leaving kiosk mode needs a manager's or owner's PIN"));
    }
    *ctx.session() = staff::Session { operator: Some(op.clone()), ..Default::default() };
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
    let id = crate::kiosk::redeem(&ctx.db(), code.expose())?;
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

// ----- backup -----

/// This computer's backups hold its own database files; a shared database is backed up on its
/// server (pg_dump, or the managed service's snapshots).
fn not_on_shared_database(ctx: &AppContext) -> AppResult<()> {
    if ctx.settings().shop_database.shared {
        return Err(AppError::new(
            ErrorCode::BackupOnServer,
            "the shop's shared database is backed up on its server, not from a till",
        ));
    }
    Ok(())
}

pub use crate::backup::{BackupResult, RestoreResult};

/// Make an encrypted backup now (owner): into the backup folder of the settings, else `dir`.
pub fn backup_create(
    ctx: &AppContext,
    passphrase: &Sensitive<String>,
    dir: &std::path::Path,
) -> AppResult<BackupResult> {
    let actor = access::authorize(ctx, Permission::ManageBackups)?;
    not_on_shared_database(ctx)?;
    let settings = ctx.settings();
    let folder = settings.backup.folder.clone().map(std::path::PathBuf::from).unwrap_or_else(|| dir.to_path_buf());
    let result = crate::backup::create(&ctx.paths, &settings, passphrase, &folder, env!("CARGO_PKG_VERSION"))?;
    let db = ctx.db();
    let conn = lock(&db);
    let file = std::path::Path::new(&result.path).file_name().unwrap_or_default().to_string_lossy();
    store::audit(&conn, actor.staff_id, "backup.create", None, Some(&file))?;
    audit_approval(&conn, &actor, "backup")?;
    Ok(result)
}

/// Restore an encrypted backup (owner, or anyone on a computer without staff yet): replaces
/// every environment's cards, the keys and the settings; everyone is signed out.
pub async fn backup_restore(ctx: &AppContext, path: &str, passphrase: &Sensitive<String>) -> AppResult<RestoreResult> {
    let actor = access::authorize(ctx, Permission::ManageBackups)?;
    not_on_shared_database(ctx)?;
    let result = ctx.restore_backup(std::path::Path::new(path.trim()), passphrase).await?;
    let file = std::path::Path::new(path.trim()).file_name().unwrap_or_default().to_string_lossy().to_string();
    let detail = format!("{file} ({}; {} cards)", result.created_at, result.cards);
    store::audit(&lock(&ctx.db()), actor.staff_id, "backup.restore", None, Some(&detail))?;
    Ok(result)
}

// ----- export -----

pub use crate::export::{ExportKind, ExportResult};

/// Write the card list (masked data, never tokens) or the activity log as CSV into `dir`.
pub fn export(ctx: &AppContext, kind: ExportKind, dir: &std::path::Path) -> AppResult<ExportResult> {
    let actor = access::authorize(ctx, Permission::Export)?;
    // Its own read-only connection: a million cards take seconds to write, and the app's
    // connection (card list, binding flow, notifications) must not wait for that.
    let result = crate::export::write(&ctx.read_connection()?, kind, ctx.environment(), dir)?;
    let db = ctx.db();
    let conn = lock(&db);
    let file = std::path::Path::new(&result.path).file_name().unwrap_or_default().to_string_lossy();
    store::audit(&conn, actor.staff_id, kind.audit_action(), None, Some(&format!("{} rows to {file}", result.rows)))?;
    audit_approval(&conn, &actor, kind.audit_action())?;
    Ok(result)
}

// ----- receipts -----

pub use crate::receipts::{Receipt, ReceiptFile, ReceiptKind};

/// A payment's receipt, or one of its refunds', in `locale` (else the customer's language).
pub fn receipt_get(
    ctx: &AppContext,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
) -> AppResult<Receipt> {
    access::staff(ctx)?;
    crate::receipts::build(&lock(&ctx.db()), &ctx.settings(), payment_id, refund_id, locale.as_deref())
}

/// Save a receipt as a PDF in `dir`: `print` writes the PDF (the shell prints the receipt on
/// screen); audited as `receipt.pdf` with the file's name.
pub async fn receipt_save_pdf<F, Fut>(
    ctx: &AppContext,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
    dir: &std::path::Path,
    print: F,
) -> AppResult<ReceiptFile>
where
    F: FnOnce(std::path::PathBuf) -> Fut,
    Fut: std::future::Future<Output = AppResult<()>>,
{
    let staff_id = access::staff(ctx)?;
    let receipt = crate::receipts::build(&lock(&ctx.db()), &ctx.settings(), payment_id, refund_id, locale.as_deref())?;
    let file = crate::receipts::save_pdf(&receipt, dir, print).await?;
    let subject = match refund_id {
        Some(r) => format!("refund:{r}"),
        None => format!("payment:{payment_id}"),
    };
    store::audit(&lock(&ctx.db()), staff_id, "receipt.pdf", Some(&subject), Some(&receipt.file_name))?;
    Ok(file)
}

// ----- shop database -----

pub use crate::db::transfer::TableCount;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShopDatabaseUpdate {
    /// The shop's shared PostgreSQL; false: back to this computer's own database files (what
    /// is on the server stays there).
    pub shared: bool,
    /// `postgresql://user:password@host:5432/database`; TLS with certificate checks unless it
    /// says `?sslmode=disable`. Kept in the OS keyring, never in the settings file.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub url: Option<Sensitive<String>>,
    /// A CA certificate (PEM file) the server's certificate may be issued by.
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Move this computer's cards, payments, staff and activity log (every environment's)
    /// into the shared database, which must be empty.
    #[serde(default)]
    pub move_data: bool,
    /// An owner's PIN: where every card is kept is the owner's decision.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub owner_pin: Option<Sensitive<String>>,
}

/// One environment's move: the rows of each table here and on the server.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentMove {
    pub environment: Environment,
    pub tables: Vec<TableCount>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShopDatabaseResult {
    pub settings: SettingsView,
    pub moved: Vec<EnvironmentMove>,
}

/// Point this terminal at the shop's shared database (or back at its own files): the address is
/// checked by connecting (TLS unless opted out) and migrating every environment's schema; when
/// asked, this computer's data moves first (all of it or, per environment, nothing; counts
/// compared); then the address goes into the keyring and the app switches. An owner's PIN.
pub async fn shop_database_set(ctx: &AppContext, update: ShopDatabaseUpdate) -> AppResult<ShopDatabaseResult> {
    let actor = access::authorize(ctx, Permission::ChangeSettings)?;
    const WHAT: &str = "changing where the shop's data is kept";
    let mut settings = ctx.settings();
    // Whose owner decides: this computer's when its data moves or it leaves the shared
    // database; the shared database's when a till joins a shop that is already there.
    let mut owner = None;
    if !update.shared || update.move_data || ctx.settings().shop_database.shared {
        owner = Some(confirm_owner(&ctx.db(), update.owner_pin.as_ref(), WHAT)?);
    }
    let mut moved = Vec::new();
    if update.shared {
        let url = update
            .url
            .as_ref()
            .map(|u| Sensitive::new(u.expose().trim().to_string()))
            .filter(|u| !u.expose().is_empty())
            .ok_or_else(|| AppError::new(ErrorCode::InvalidInput, "url: the shared database's address"))?;
        let server = crate::db::server_label(url.expose())?;
        let ca_file = update.ca_file.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if let Some(ca) = &ca_file {
            if !std::path::Path::new(ca).is_file() {
                return Err(AppError::new(ErrorCode::InvalidInput, format!("caFile: {ca} is not a file")));
            }
        }
        let ca = ca_file.as_deref().map(std::path::Path::new);
        if owner.is_none() {
            let here = crate::context::shared_schema(ctx.environment());
            let target = crate::db::shared(crate::db::open_shared(url.expose(), Some(&here), ca)?);
            owner = Some(confirm_owner(&target, update.owner_pin.as_ref(), WHAT)?);
        }
        for env in Environment::ALL {
            let pg = crate::db::open_shared(url.expose(), Some(&crate::context::shared_schema(*env)), ca)?;
            let file = ctx.paths.database(*env);
            if update.move_data && file.exists() {
                let local = crate::db::open(&file)?;
                let tables = crate::db::transfer::move_to_postgres(&local, &pg)?;
                moved.push(EnvironmentMove { environment: *env, tables });
            }
        }
        crate::secrets::set_shop_database_url(&url)?;
        settings.shop_database = crate::settings::ShopDatabase { shared: true, server: Some(server), ca_file };
    } else {
        settings.shop_database = crate::settings::ShopDatabase::default();
    }
    let detail = match &settings.shop_database.server {
        Some(s) => format!("shared: {s}; {} environments moved", moved.len()),
        None => "this computer".to_string(),
    };
    // Recorded where the owner who decided is known: in the database this till joins, or in
    // the one it leaves.
    let record = |db: &crate::db::Db| -> AppResult<()> {
        let conn = lock(db);
        store::audit(&conn, owner.as_ref().map(|o| o.id), "settings.shop_database", None, Some(&detail))?;
        audit_approval(&conn, &actor, "settings")
    };
    if !update.shared {
        record(&ctx.db())?;
    }
    ctx.apply_settings(settings).await?;
    if update.shared {
        record(&ctx.db())?;
    } else {
        crate::secrets::delete_shop_database_url()?;
    }
    Ok(ShopDatabaseResult { settings: settings_view(ctx), moved })
}

/// An owner's PIN for `what`, checked against the staff of `db` (wrong PINs count towards its
/// pause like any other).
fn confirm_owner(db: &crate::db::Db, pin: Option<&Sensitive<String>>, what: &str) -> AppResult<Operator> {
    let Some(pin) = pin.filter(|p| !p.expose().is_empty()) else {
        return Err(AppError::new(ErrorCode::OwnerPinRequired, format!("{what} needs an owner's PIN")));
    };
    let owner = staff::identify(db, pin.expose())?;
    if owner.role != Role::Owner {
        return Err(AppError::new(ErrorCode::PermissionDenied, format!("only an owner's PIN allows {what}")));
    }
    Ok(owner)
}

// ----- tills of a shop on a shared database (pairing) -----

pub use crate::store::terminals::Terminal;

/// What an owner's till shows while it offers to pair.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PairingOffer {
    /// The one-time code to type on the new till (`ABCDE-FGHJK`).
    pub code: String,
    /// RFC 3339; the offer closes then.
    pub expires_at: String,
    /// A till asked with the code: its name and key fingerprint (compare with what it shows).
    pub asked_by: Option<String>,
    pub fingerprint: Option<String>,
}

/// What a joining till shows: its own fingerprint, and whether its keys arrived.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PairingJoin {
    pub fingerprint: String,
    pub done: bool,
}

fn shared_only(ctx: &AppContext) -> AppResult<()> {
    if !ctx.settings().shop_database.shared {
        return Err(AppError::new(ErrorCode::InvalidInput, "tills are paired on a shop's shared database"));
    }
    Ok(())
}

/// Each environment's schema on the shared server, for what is the shop's whatever the
/// environment (tills).
fn each_schema(ctx: &AppContext) -> AppResult<Vec<crate::db::Connection>> {
    let s = ctx.settings();
    Environment::ALL
        .iter()
        .filter(|e| **e != s.environment)
        .map(|e| crate::context::shared_connection(&s, *e, false))
        .collect()
}

/// An owner's till offers to pair a new one: a code valid for ten minutes (any earlier offer
/// closes).
pub fn terminal_offer(ctx: &AppContext) -> AppResult<PairingOffer> {
    let actor = access::authorize(ctx, Permission::ManageBackups)?;
    shared_only(ctx)?;
    let (id, code) = crate::pairing::offer(&lock(&ctx.db()), actor.staff_id)?;
    store::audit(&lock(&ctx.db()), actor.staff_id, "terminal.offer", Some(&format!("pairing:{id}")), None)?;
    let shown = code.expose().clone();
    *ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) = Some(crate::context::Pairing::Offering { id, code });
    offer_view(ctx, id, shown)
}

fn offer_view(ctx: &AppContext, id: i64, code: String) -> AppResult<PairingOffer> {
    let db = ctx.db();
    let conn = lock(&db);
    let p = store::terminals::get_pairing(&conn, id)?;
    let expires_at = crate::db::rfc3339_ms(p.expires_at);
    let (asked_by, fingerprint) = match crate::pairing::check_request(&conn, id, &code)? {
        crate::pairing::OfferState::Waiting => (None, None),
        crate::pairing::OfferState::Asked { name, fingerprint } => (Some(name), Some(fingerprint)),
    };
    Ok(PairingOffer { code, expires_at, asked_by, fingerprint })
}

fn current_offer(ctx: &AppContext) -> AppResult<(i64, String)> {
    match &*ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) {
        Some(crate::context::Pairing::Offering { id, code }) => Ok((*id, code.expose().clone())),
        _ => Err(AppError::new(ErrorCode::InvalidInput, "this till is not offering to pair")),
    }
}

/// The offer as it stands (the UI asks every second or two).
pub fn terminal_offer_status(ctx: &AppContext) -> AppResult<PairingOffer> {
    access::authorize(ctx, Permission::ManageBackups)?;
    let (id, code) = current_offer(ctx)?;
    offer_view(ctx, id, code)
}

/// The owner admits the till that asked: this till's keys (every environment's), sealed to it,
/// and the shop's Antom settings; the till is listed in every environment.
pub fn terminal_offer_approve(ctx: &AppContext) -> AppResult<Terminal> {
    let actor = access::authorize(ctx, Permission::ManageBackups)?;
    shared_only(ctx)?;
    let (id, code) = current_offer(ctx)?;
    let settings = ctx.settings();
    let mut secrets = Vec::new();
    for env in Environment::ALL {
        for (user, value) in Secrets::for_settings(&settings, *env).export()? {
            let name = user.split_once('/').map(|(_, n)| n.to_string()).unwrap_or(user);
            secrets.push((env.as_str().to_string(), name, value.expose().clone()));
        }
    }
    let payload = serde_json::to_vec(&serde_json::json!({ "secrets": secrets, "settings": settings }))
        .map(Sensitive::new)
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let db = ctx.db();
    let conn = lock(&db);
    let terminal = crate::pairing::approve(&conn, id, &code, payload.expose(), actor.staff_id)?;
    let key = store::terminals::public_key(&conn, terminal)?;
    let row = store::terminals::list(&conn)?.into_iter().find(|t| t.id == terminal).expect("just admitted");
    store::audit(&conn, actor.staff_id, "terminal.pair", Some(&format!("terminal:{terminal}")), Some(&row.name))?;
    drop(conn);
    for other in each_schema(ctx)? {
        store::terminals::register(&other, &row.name, &key, None)?;
    }
    *ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) = None;
    Ok(row)
}

/// A new till on the shop's shared database asks to join with the code an owner's till shows.
pub fn terminal_join(ctx: &AppContext, code: &str, name: &str) -> AppResult<PairingJoin> {
    access::staff(ctx)?;
    shared_only(ctx)?;
    let me = crate::secrets::terminal_key()?;
    let code = crate::pairing::normalize(code)?;
    let id = crate::pairing::request(&lock(&ctx.db()), &me, &code, name)?;
    *ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) =
        Some(crate::context::Pairing::Joining { id, code: Sensitive::new(code) });
    Ok(PairingJoin { fingerprint: store::terminals::fingerprint(&me.public()), done: false })
}

/// Whether the owner answered: then the keys go into this till's keyring, it takes the shop's
/// Antom settings and reconnects.
pub async fn terminal_join_status(ctx: &AppContext) -> AppResult<PairingJoin> {
    access::staff(ctx)?;
    // one answer at a time: a question asked while the keys are taken in waits, then reads
    // "joined" (the screen asks every 1.5 s; taking the keys in can take longer)
    let _one_at_a_time = ctx.join_answer.lock().await;
    let me = crate::secrets::terminal_key()?;
    let fingerprint = store::terminals::fingerprint(&me.public());
    let (id, code) = match &*ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) {
        Some(crate::context::Pairing::Joining { id, code }) => (*id, code.expose().clone()),
        Some(crate::context::Pairing::Joined { fingerprint }) => {
            return Ok(PairingJoin { fingerprint: fingerprint.clone(), done: true })
        }
        _ => return Err(AppError::new(ErrorCode::InvalidInput, "this till is not joining a shop")),
    };
    let Some(payload) = crate::pairing::collect(&lock(&ctx.db()), &me, id, &code)? else {
        return Ok(PairingJoin { fingerprint, done: false });
    };
    #[derive(Deserialize)]
    struct Keys {
        secrets: Vec<(String, String, String)>,
        settings: Settings,
    }
    let keys: Keys = serde_json::from_slice(payload.expose()).map_err(|e| {
        AppError::new(ErrorCode::PairingRefused, format!("the owner's till sent keys this till cannot read: {e}"))
    })?;
    let mut settings = ctx.settings();
    let shop = keys.settings;
    // the shop's Antom account and money rules; this till keeps its own language, kiosk,
    // listener, backups and database address
    settings.environment = shop.environment;
    settings.region = shop.region;
    settings.base_url = shop.base_url;
    settings.client_id = shop.client_id;
    settings.merchant_region = shop.merchant_region;
    settings.shop_name = shop.shop_name;
    settings.currency = shop.currency;
    settings.charge_limit = shop.charge_limit;
    settings.notification_url = shop.notification_url;
    settings.welcome_done = true;
    for env in Environment::ALL {
        let entries: Vec<(String, Sensitive<String>)> = keys
            .secrets
            .iter()
            .filter(|(e, _, _)| e == env.as_str())
            .map(|(_, n, v)| (n.clone(), Sensitive::new(v.clone())))
            .collect();
        Secrets::for_settings(&settings, *env).import(&entries)?;
    }
    // the keys are new: the flows are built again with them (once); a failure leaves the join
    // open, so asking again takes the keys in again
    if !ctx.apply_settings(settings).await? {
        ctx.reconnect().await;
    }
    *ctx.pairing.lock().unwrap_or_else(|p| p.into_inner()) =
        Some(crate::context::Pairing::Joined { fingerprint: fingerprint.clone() });
    store::audit(&lock(&ctx.db()), None, "terminal.join", None, Some(&fingerprint))?;
    Ok(PairingJoin { fingerprint, done: true })
}

/// The shop's tills (owner).
pub fn terminal_list(ctx: &AppContext) -> AppResult<Vec<Terminal>> {
    access::authorize(ctx, Permission::ManageBackups)?;
    store::terminals::list(&lock(&ctx.db()))
}

/// Revoke a till (owner): it stops using the shop's keys when it next connects.
pub fn terminal_revoke(ctx: &AppContext, id: i64) -> AppResult<()> {
    let actor = access::authorize(ctx, Permission::ManageBackups)?;
    let key = {
        let db = ctx.db();
        let conn = lock(&db);
        let key = store::terminals::public_key(&conn, id)?;
        store::terminals::revoke(&conn, id, actor.staff_id)?;
        store::audit(&conn, actor.staff_id, "terminal.revoke", Some(&format!("terminal:{id}")), None)?;
        key
    };
    if ctx.settings().shop_database.shared {
        for other in each_schema(ctx)? {
            store::terminals::revoke_key(&other, &key, None)?;
        }
    }
    Ok(())
}
