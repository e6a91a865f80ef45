//! Thin Tauri commands: each unpacks state and calls one use case in `cardbind_core::app::ops`. No
//! logic lives here; errors cross as `cardbind_core::AppError` (`{code, message}`).

use crate::AppState;
use cardbind_core::app::ops::{
    self, AppInfo, BindingSession, ExportKind, ExportResult, IntegrityReport, SettingsUpdate, SettingsView, StaffStatus,
};
use cardbind_core::app::ops::{BackupResult, DataKeyRotation, RestoreResult};
use cardbind_core::app::ops::{CardRemoval, ChargeRequest, Payment, PaymentDetail, PaymentPage, PaymentQuery};
use cardbind_core::app::ops::{PairingJoin, PairingOffer, ShopDatabaseResult, ShopDatabaseUpdate, ShopTill};
use cardbind_core::flows::binding::Attempt;
use cardbind_core::i18n::ConsentText;
use cardbind_core::staff::{Operator, Passphrase, Pin, StaffInput, StaffMember};
use cardbind_core::store::{AuditEntry, CardPage, CardQuery, CardRow, ConsentInput, Customer, CustomerInput};
use cardbind_core::{AppError, ErrorCode};
use tauri::State;

type R<T> = Result<T, AppError>;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> R<AppInfo> {
    Ok(ops::app_info(&state.ctx, env!("CARGO_PKG_VERSION")))
}

#[tauri::command]
pub fn customers_search(state: State<'_, AppState>, text: String, limit: u32) -> R<Vec<Customer>> {
    ops::customers_search(&state.ctx, &text, limit)
}

#[tauri::command]
pub fn customer_get(state: State<'_, AppState>, id: i64) -> R<Customer> {
    ops::customer_get(&state.ctx, id)
}

#[tauri::command]
pub fn customer_create(state: State<'_, AppState>, input: CustomerInput) -> R<Customer> {
    ops::customer_create(&state.ctx, &input)
}

#[tauri::command]
pub fn customer_update(state: State<'_, AppState>, id: i64, input: CustomerInput) -> R<Customer> {
    ops::customer_update(&state.ctx, id, &input)
}

#[tauri::command]
pub fn cards_list(state: State<'_, AppState>, query: CardQuery) -> R<CardPage> {
    ops::cards_list(&state.ctx, &query)
}

#[tauri::command]
pub fn card_get(state: State<'_, AppState>, id: i64) -> R<CardRow> {
    ops::card_get(&state.ctx, id)
}

#[tauri::command]
pub async fn card_remove(state: State<'_, AppState>, id: i64) -> R<CardRemoval> {
    ops::card_remove(&state.ctx, id).await
}

#[tauri::command]
pub fn card_keep_duplicate(state: State<'_, AppState>, id: i64) -> R<()> {
    ops::card_keep_duplicate(&state.ctx, id)
}

#[tauri::command]
pub async fn card_replace_duplicate(state: State<'_, AppState>, id: i64) -> R<CardRemoval> {
    ops::card_replace_duplicate(&state.ctx, id).await
}

#[tauri::command]
pub async fn payment_charge(state: State<'_, AppState>, request: ChargeRequest) -> R<Payment> {
    ops::payment_charge(&state.ctx, &request).await
}

#[tauri::command]
pub fn payment_get(state: State<'_, AppState>, id: i64) -> R<PaymentDetail> {
    ops::payment_get(&state.ctx, id)
}

#[tauri::command]
pub fn payments_list(state: State<'_, AppState>, query: PaymentQuery) -> R<PaymentPage> {
    ops::payments_list(&state.ctx, &query)
}

#[tauri::command]
pub async fn payment_refresh(state: State<'_, AppState>, id: i64) -> R<PaymentDetail> {
    ops::payment_refresh(&state.ctx, id).await
}

#[tauri::command]
pub async fn payment_refund(
    state: State<'_, AppState>,
    id: i64,
    amount: i64,
    reason: Option<String>,
) -> R<PaymentDetail> {
    ops::payment_refund(&state.ctx, id, amount, reason).await
}

#[tauri::command]
pub async fn payment_cancel(state: State<'_, AppState>, id: i64) -> R<PaymentDetail> {
    ops::payment_cancel(&state.ctx, id).await
}

#[tauri::command]
pub fn card_brands() -> R<Vec<String>> {
    Ok(ops::card_brands())
}

#[tauri::command]
pub fn audit_list(state: State<'_, AppState>, before_id: Option<i64>, limit: u32) -> R<Vec<AuditEntry>> {
    ops::audit_list(&state.ctx, before_id, limit)
}

#[tauri::command]
pub async fn data_key_rotate(state: State<'_, AppState>) -> R<DataKeyRotation> {
    ops::data_key_rotate(&state.ctx).await
}

#[tauri::command]
pub fn integrity_report(state: State<'_, AppState>) -> R<IntegrityReport> {
    ops::integrity_report(&state.ctx)
}

#[tauri::command]
pub fn consent_get(state: State<'_, AppState>, locale: String) -> R<ConsentText> {
    Ok(ops::consent_get(&state.ctx, &locale))
}

#[tauri::command]
pub async fn binding_start(state: State<'_, AppState>, customer_id: i64, consent: ConsentInput) -> R<BindingSession> {
    ops::binding_start(&state.ctx, customer_id, &consent).await
}

#[tauri::command]
pub async fn binding_confirm(state: State<'_, AppState>, attempt_id: i64) -> R<Attempt> {
    ops::binding_confirm(&state.ctx, attempt_id).await
}

#[tauri::command]
pub async fn binding_refresh(state: State<'_, AppState>, attempt_id: i64) -> R<Attempt> {
    ops::binding_refresh(&state.ctx, attempt_id).await
}

#[tauri::command]
pub fn binding_cancel(state: State<'_, AppState>, attempt_id: i64) -> R<Attempt> {
    ops::binding_cancel(&state.ctx, attempt_id)
}

/// Antom's element (and in demo mode the simulator's) keeps cookies and local storage in the
/// webview; nothing of one customer's binding may be left for the next.
#[tauri::command]
pub fn binding_clear_storage(window: tauri::WebviewWindow) -> R<()> {
    window
        .clear_all_browsing_data()
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("cannot clear the webview's storage: {e}")))
}

#[tauri::command]
pub fn settings_get(state: State<'_, AppState>) -> R<SettingsView> {
    ops::settings_get(&state.ctx)
}

#[tauri::command]
pub async fn settings_save(state: State<'_, AppState>, update: SettingsUpdate) -> R<SettingsView> {
    ops::settings_save(&state.ctx, update).await
}

#[tauri::command]
pub async fn shop_database_set(state: State<'_, AppState>, update: ShopDatabaseUpdate) -> R<ShopDatabaseResult> {
    ops::shop_database_set(&state.ctx, update).await
}

#[tauri::command]
pub fn till_offer(state: State<'_, AppState>) -> R<PairingOffer> {
    ops::till_offer(&state.ctx)
}

#[tauri::command]
pub fn till_offer_status(state: State<'_, AppState>) -> R<PairingOffer> {
    ops::till_offer_status(&state.ctx)
}

#[tauri::command]
pub fn till_offer_approve(state: State<'_, AppState>, fingerprint: String) -> R<ShopTill> {
    ops::till_offer_approve(&state.ctx, &fingerprint)
}

#[tauri::command]
pub fn till_join(state: State<'_, AppState>, code: String, name: String) -> R<PairingJoin> {
    ops::till_join(&state.ctx, &code, &name)
}

#[tauri::command]
pub async fn till_join_status(state: State<'_, AppState>) -> R<PairingJoin> {
    ops::till_join_status(&state.ctx).await
}

#[tauri::command]
pub fn till_list(state: State<'_, AppState>) -> R<Vec<ShopTill>> {
    ops::till_list(&state.ctx)
}

#[tauri::command]
pub fn till_revoke(state: State<'_, AppState>, id: i64) -> R<()> {
    ops::till_revoke(&state.ctx, id)
}

#[tauri::command]
pub async fn locale_set(state: State<'_, AppState>, locale: String) -> R<String> {
    ops::locale_set(&state.ctx, &locale).await
}

#[tauri::command]
pub fn ui_ready(state: State<'_, AppState>, since_start_ms: f64) -> R<()> {
    let process_ms = state.started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(process_ms, page_ms = since_start_ms, "card list interactive");
    println!("cardbind: card list interactive {process_ms:.0} ms after launch (page {since_start_ms:.0} ms)");
    Ok(())
}

// ----- staff -----
// PIN checks hash with Argon2 (~22 ms per staff member), so those commands are async: they run
// on the async runtime, never on the window's thread.

#[tauri::command]
pub fn staff_status(state: State<'_, AppState>) -> R<StaffStatus> {
    ops::staff_status(&state.ctx)
}

#[tauri::command]
pub async fn staff_sign_in(state: State<'_, AppState>, pin: Pin) -> R<Operator> {
    ops::staff_sign_in(&state.ctx, &pin.0)
}

#[tauri::command]
pub fn staff_sign_out(state: State<'_, AppState>, idle: bool) -> R<()> {
    ops::staff_sign_out(&state.ctx, idle)
}

#[tauri::command]
pub async fn staff_approve(state: State<'_, AppState>, pin: Pin) -> R<Operator> {
    ops::staff_approve(&state.ctx, &pin.0)
}

#[tauri::command]
pub fn staff_list(state: State<'_, AppState>) -> R<Vec<StaffMember>> {
    ops::staff_list(&state.ctx)
}

#[tauri::command]
pub async fn staff_create(state: State<'_, AppState>, input: StaffInput) -> R<StaffMember> {
    ops::staff_create(&state.ctx, &input)
}

#[tauri::command]
pub async fn staff_set_pin(state: State<'_, AppState>, id: i64, pin: Pin) -> R<()> {
    ops::staff_set_pin(&state.ctx, id, &pin.0)
}

#[tauri::command]
pub fn staff_disable(state: State<'_, AppState>, id: i64) -> R<()> {
    ops::staff_disable(&state.ctx, id)
}

// ----- kiosk -----

#[tauri::command]
pub fn kiosk_enter(state: State<'_, AppState>, window: tauri::WebviewWindow) -> R<StaffStatus> {
    let status = ops::kiosk_enter(&state.ctx)?;
    crate::kiosk::apply_window(&window, true);
    Ok(status)
}

#[tauri::command]
pub async fn kiosk_leave(state: State<'_, AppState>, window: tauri::WebviewWindow, pin: Pin) -> R<Operator> {
    let op = ops::kiosk_leave(&state.ctx, &pin.0)?;
    crate::kiosk::apply_window(&window, false);
    Ok(op)
}

#[tauri::command]
pub fn kiosk_identify(state: State<'_, AppState>, number: String) -> R<i64> {
    ops::kiosk_identify(&state.ctx, &number)
}

#[tauri::command]
pub fn kiosk_redeem(state: State<'_, AppState>, code: Pin) -> R<i64> {
    ops::kiosk_redeem(&state.ctx, &code.0)
}

#[tauri::command]
pub fn customer_kiosk_code(
    state: State<'_, AppState>,
    customer_id: i64,
) -> R<cardbind_core::staff::kiosk_codes::KioskCode> {
    ops::customer_kiosk_code(&state.ctx, customer_id)
}

#[tauri::command]
pub fn kiosk_reset(state: State<'_, AppState>) -> R<()> {
    ops::kiosk_reset(&state.ctx)
}

// ----- export -----

/// Into the user's Downloads folder (else Documents, else home). Async, so a large export runs
/// on the async runtime, not on the window's thread.
#[tauri::command]
pub async fn export_csv(state: State<'_, AppState>, app: tauri::AppHandle, kind: ExportKind) -> R<ExportResult> {
    let dir = default_folder(&app)?;
    ops::export(&state.ctx, kind, &dir)
}

/// The user's Downloads folder, else Documents, else home.
fn default_folder(app: &tauri::AppHandle) -> R<std::path::PathBuf> {
    use tauri::Manager;
    let path = app.path();
    path.download_dir()
        .or_else(|_| path.document_dir())
        .or_else(|_| path.home_dir())
        .map_err(|e| AppError::new(ErrorCode::DataDirUnavailable, format!("no folder to write into: {e}")))
}

// ----- receipts -----

#[tauri::command]
pub fn receipt_get(
    state: State<'_, AppState>,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
) -> R<ops::Receipt> {
    ops::receipt_get(&state.ctx, payment_id, refund_id, locale)
}

/// The receipt on screen, printed by the webview into a PDF in the user's Downloads folder
/// (else Documents, else home).
#[tauri::command]
pub async fn receipt_save_pdf(
    state: State<'_, AppState>,
    app: tauri::AppHandle,
    window: tauri::WebviewWindow,
    payment_id: i64,
    refund_id: Option<i64>,
    locale: Option<String>,
) -> R<ops::ReceiptFile> {
    let dir = default_folder(&app)?;
    ops::receipt_save_pdf(&state.ctx, payment_id, refund_id, locale, &dir, |path| crate::print::to_pdf(window, path))
        .await
}

// ----- backup -----

/// Into the backup folder of the settings, else the user's Downloads folder. Async: scrypt and
/// copying the databases take a while, off the window's thread.
#[tauri::command]
pub async fn backup_create(
    state: State<'_, AppState>,
    app: tauri::AppHandle,
    passphrase: Passphrase,
) -> R<BackupResult> {
    let dir = default_folder(&app)?;
    ops::backup_create(&state.ctx, &passphrase.0, &dir)
}

#[tauri::command]
pub async fn backup_restore(state: State<'_, AppState>, path: String, passphrase: Passphrase) -> R<RestoreResult> {
    ops::backup_restore(&state.ctx, &path, &passphrase.0).await
}

#[tauri::command]
pub async fn connection_check(
    state: State<'_, AppState>,
    draft: Option<SettingsUpdate>,
) -> R<cardbind_core::app::ops::ConnectionCheck> {
    ops::connection_check(&state.ctx, draft).await
}

#[tauri::command]
pub fn go_live(state: State<'_, AppState>) -> R<Vec<cardbind_core::app::ops::GoLiveLine>> {
    ops::go_live(&state.ctx)
}

#[tauri::command]
pub async fn welcome_finish(
    state: State<'_, AppState>,
    shop_name: Option<String>,
    currency: Option<String>,
    owner: Option<StaffInput>,
    charge_limit: Option<i64>,
) -> R<()> {
    ops::welcome_finish(&state.ctx, shop_name, currency, owner, charge_limit).await
}
