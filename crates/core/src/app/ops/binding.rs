//! Binding a card: consent, the Antom session, confirming and cancelling.

use super::common::prelude::*;
use super::info::sdk_environment;
use crate::flows::binding::Attempt;

/// How long `binding_confirm` polls inquireVaulting before handing back a pending attempt (the
/// UI then keeps asking with `binding_refresh`).
pub const CONFIRM_WAIT: Duration = Duration::from_secs(12);

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
