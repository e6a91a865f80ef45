//! The use cases behind the desktop commands: one function per command, over an [`AppContext`].
//! The Tauri shell only unpacks its state and calls these, so everything here is tested without a
//! window (`tests/ops.rs`).

use crate::app::Environment;
use crate::binding::{lock, Attempt};
use crate::context::AppContext;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::i18n::{self, ConsentText};
use crate::secrets::Secrets;
use crate::settings::Settings;
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

// ----- customers -----

pub fn customers_search(ctx: &AppContext, text: &str, limit: u32) -> AppResult<Vec<Customer>> {
    store::search_customers(&lock(&ctx.db), text, limit)
}

pub fn customer_get(ctx: &AppContext, id: i64) -> AppResult<Customer> {
    store::get_customer(&lock(&ctx.db), id)
}

pub fn customer_create(ctx: &AppContext, input: &CustomerInput) -> AppResult<Customer> {
    store::create_customer(&lock(&ctx.db), input, None)
}

pub fn customer_update(ctx: &AppContext, id: i64, input: &CustomerInput) -> AppResult<Customer> {
    store::update_customer(&lock(&ctx.db), id, input, None)
}

// ----- cards -----

pub fn cards_list(ctx: &AppContext, query: &CardQuery) -> AppResult<CardPage> {
    store::list_cards(&lock(&ctx.db), query)
}

pub fn card_get(ctx: &AppContext, id: i64) -> AppResult<CardRow> {
    store::get_card(&lock(&ctx.db), id)
}

pub fn card_remove(ctx: &AppContext, id: i64) -> AppResult<()> {
    store::remove_card(&lock(&ctx.db), id, None)
}

pub fn card_keep_duplicate(ctx: &AppContext, id: i64) -> AppResult<()> {
    store::keep_duplicate(&lock(&ctx.db), id, None)
}

pub fn card_replace_duplicate(ctx: &AppContext, id: i64) -> AppResult<()> {
    store::replace_with_duplicate(&lock(&ctx.db), id, None)
}

pub fn card_brands() -> Vec<String> {
    BRANDS.iter().map(|b| b.to_string()).collect()
}

pub fn audit_list(ctx: &AppContext, before_id: Option<i64>, limit: u32) -> AppResult<Vec<AuditEntry>> {
    store::list_audit(&lock(&ctx.db), before_id, limit)
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
    let current = consent_get(ctx, &consent.locale);
    if current.version != consent.text_version || current.locale != consent.locale {
        return Err(AppError::new(
            ErrorCode::InvalidInput,
            "consent: the text accepted is not the current consent text; show it again",
        ));
    }
    let flow = ctx.flow()?;
    let started = flow.start(customer_id, None, consent).await?;
    let environment = match ctx.environment() {
        Environment::Production => "prod",
        Environment::Demo | Environment::Sandbox => "sandbox",
    };
    Ok(BindingSession {
        attempt: started.attempt,
        session_data: started.session_data,
        session_expires_at: started.session_expires_at,
        sdk: SdkOptions {
            environment: environment.into(),
            locale: i18n::sdk_locale(&ctx.locale()).into(),
            element_link: ctx.element_link(),
        },
    })
}

/// The element reported an outcome: ask Antom (inquireVaulting) until it is final or
/// [`CONFIRM_WAIT`] passes. Only this answer, never the page's event, binds a card.
pub async fn binding_confirm(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    ctx.flow()?.wait_for_result(attempt_id, CONFIRM_WAIT).await
}

/// One inquireVaulting for a pending attempt (the UI polls while 3D Secure or the issuer runs).
pub async fn binding_refresh(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    let flow = ctx.flow()?;
    let a = flow.attempt(attempt_id)?;
    if a.state.is_final() {
        return Ok(a);
    }
    flow.refresh(attempt_id).await
}

/// The customer or staff gave up. Antom is still asked later: a card bound anyway is recorded.
pub fn binding_cancel(ctx: &AppContext, attempt_id: i64) -> AppResult<Attempt> {
    ctx.flow()?.cancel(attempt_id, None)
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
}

fn key_view(env: Environment) -> (bool, bool, Option<String>, Option<AppError>) {
    let secrets = Secrets::new(env);
    let merchant = secrets.merchant_key();
    let antom = if env == Environment::Demo { Ok(None) } else { secrets.antom_public_key() };
    match (merchant, antom) {
        (Ok(m), Ok(a)) => {
            (m.is_some(), a.is_some() || env == Environment::Demo, m.map(|k| k.public_key().to_spki_base64()), None)
        }
        (Err(e), _) | (_, Err(e)) => (false, false, None, Some(e)),
    }
}

pub fn settings_get(ctx: &AppContext) -> SettingsView {
    let settings = ctx.settings();
    let (merchant_key_set, antom_public_key_set, merchant_public_key, keyring_error) = key_view(settings.environment);
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
    let mut settings = update.settings;
    settings.locale = Some(ctx.locale());
    settings.validate()?;
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
    let secrets = Secrets::new(settings.environment);
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
    if let Some(k) = &merchant {
        secrets.store_merchant_key(k)?;
    }
    if let Some(k) = &antom {
        secrets.store_antom_public_key(k)?;
    }
    let keys_changed = merchant.is_some() || antom.is_some();
    let before = ctx.settings();
    ctx.apply_settings(settings).await?;
    if keys_changed && before.environment == ctx.environment() {
        ctx.reconnect().await;
    }
    {
        let conn = lock(&ctx.db);
        store::audit(&conn, None, "settings.save", None, Some(&format!("environment: {:?}", ctx.environment())))?;
        if keys_changed {
            store::audit(&conn, None, "settings.import_keys", None, None)?;
        }
    }
    Ok(settings_get(ctx))
}

/// Switch the UI language (and the SDK's) without a restart; remembered for the next start.
pub async fn locale_set(ctx: &AppContext, locale: &str) -> AppResult<String> {
    if !i18n::LOCALES.contains(&locale) {
        return Err(AppError::new(ErrorCode::InvalidInput, format!("locale: one of {}", i18n::LOCALES.join(", "))));
    }
    let mut s = ctx.settings();
    s.locale = Some(locale.to_string());
    ctx.apply_settings(s).await?;
    Ok(ctx.locale())
}
