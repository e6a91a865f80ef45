//! tauri.conf.json lives at the workspace root (the design card's layout); point tauri-build at
//! it. The command list generates one `allow-<command>` permission per command, which the
//! capability in `capabilities/main.json` grants to the app's own window only.

/// Must equal `cardbind_core::api::COMMANDS` (checked by a test in src/lib.rs).
const COMMANDS: &[&str] = &[
    "app_info",
    "customers_search",
    "customer_get",
    "customer_create",
    "customer_update",
    "cards_list",
    "card_get",
    "card_remove",
    "card_keep_duplicate",
    "card_replace_duplicate",
    "card_brands",
    "audit_list",
    "consent_get",
    "binding_start",
    "binding_confirm",
    "binding_refresh",
    "binding_cancel",
    "binding_clear_storage",
    "settings_get",
    "settings_save",
    "locale_set",
    "ui_ready",
    "staff_status",
    "staff_sign_in",
    "staff_sign_out",
    "staff_approve",
    "staff_list",
    "staff_create",
    "staff_set_pin",
    "staff_disable",
    "kiosk_enter",
    "kiosk_leave",
    "kiosk_identify",
    "kiosk_reset",
    "export_csv",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .config_path("../tauri.conf.json")
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}. Build the UI first (`make ui`): tauri.conf.json embeds ui/dist");
    }
}
