//! The typed command schema: every command the UI may invoke, with its arguments and result. The
//! `commands!` list below is the one hand-written list of commands; everything else is made
//! from it:
//!
//! * `ui/src/lib/gen/types.ts` (every type that crosses the IPC edge, through ts-rs, and the
//!   vocabularies the UI needs: error codes, languages, closed attempt states) and
//!   `ui/src/lib/gen/commands.ts` (one typed wrapper per command);
//! * `src-tauri/capabilities/main.json` (the main window's permission for each command).
//!
//! These are committed; the test `generated_files_are_current` fails when one is stale and
//! rewrites them when run with `UPDATE_GENERATED=1` (`make gen`). The shell's `build.rs` reads
//! the command names from this file to generate their permissions and the handler list, and a
//! test in `src-tauri` checks it read the same list.

use crate::app::ops::{AppInfo, BindingSession, SdkOptions, SettingsUpdate, SettingsView, StaffStatus};
use crate::app::ops::{CardRemoval, ChargeRequest, PaymentDetail};
use crate::app::ops::{DataKeyRotation, GoLiveItem, GoLiveLine, GoLiveState, IntegrityReport};
use crate::app::ops::{EnvironmentMove, ShopDatabaseResult, ShopDatabaseUpdate, TableCount};
use crate::app::ops::{PairingJoin, PairingOffer, ShopTill};
use crate::backup::{BackupResult, RestoreResult};
use crate::connection::{CheckCode, CheckItem, CheckStatus, ConnectionCheck, Verdict};
use crate::error::{AppError, ErrorCode};
use crate::export::{ExportKind, ExportResult};
use crate::flows::binding::{Attempt, AttemptState};
use crate::flows::payments::{Payment, PaymentPage, PaymentQuery, PaymentState, Refund, RefundState};
use crate::i18n::{ConsentText, LOCALES};
use crate::receipts::{Receipt, ReceiptFile, ReceiptKind};
use crate::settings::{BackupSettings, Environment, KioskSettings, Settings, ShopDatabase};
use crate::staff::kiosk_codes::KioskCode;
use crate::staff::{Operator, Passphrase, Permission, Pin, Role, StaffInput, StaffMember};
use crate::store::{AuditEntry, CardPage, CardQuery, CardRow, CardSort, ConsentInput, Customer, CustomerInput};
use ts_rs::{Config, TS};

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $name:ident ( $( $arg:ident : $argty:ty ),* ) -> $ret:ty ; )*) => {
        /// Every command name, as registered with Tauri.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        fn command_wrappers(cfg: &Config) -> String {
            let mut out = String::new();
            $(
                let docs: &[&str] = &[$($doc),*];
                let args: Vec<(String, String)> = vec![$((camel(stringify!($arg)), qualify(&<$argty as TS>::name(cfg)))),*];
                out.push_str(&wrapper(stringify!($name), docs, &args, &qualify(&<$ret as TS>::name(cfg))));
            )*
            out
        }
    };
}

commands! {
    /// What the app is, which Antom it talks to and where it keeps its data.
    app_info() -> AppInfo;
    /// Customers whose name, phone or reference starts with `text` (all when empty), by name.
    customers_search(text: String, limit: u32) -> Vec<Customer>;
    /// One customer.
    customer_get(id: i64) -> Customer;
    /// Add a customer (validated; audited).
    customer_create(input: CustomerInput) -> Customer;
    /// Change a customer's details (validated; audited).
    customer_update(id: i64, input: CustomerInput) -> Customer;
    /// A one-time code the customer types at the kiosk to save a card to this record.
    customer_kiosk_code(customer_id: i64) -> KioskCode;
    /// One page of bound cards: search, brand and expiry filters, sort, keyset paging.
    cards_list(query: CardQuery) -> CardPage;
    /// One bound card (masked data only).
    card_get(id: i64) -> CardRow;
    /// Remove a card: deleteToken at Antom first, then the token is erased here (the masked row
    /// stays for the audit trail); `pending` while Antom has not confirmed (not chargeable).
    card_remove(id: i64) -> CardRemoval;
    /// Keep a card flagged as a duplicate of an earlier one.
    card_keep_duplicate(id: i64) -> ();
    /// Keep this duplicate and remove the earlier card (at Antom first).
    card_replace_duplicate(id: i64) -> CardRemoval;
    /// Charge a saved card in the shop's currency (manager: customer not present, above the limit).
    payment_charge(request: ChargeRequest) -> Payment;
    /// One payment with its refunds.
    payment_get(id: i64) -> PaymentDetail;
    /// One page of payments: search, state and date filters, keyset paging.
    payments_list(query: PaymentQuery) -> PaymentPage;
    /// Ask Antom about a payment (and its refunds) not settled yet.
    payment_refresh(id: i64) -> PaymentDetail;
    /// Refund a payment, fully or in part (manager).
    payment_refund(id: i64, amount: i64, reason: Option<String>) -> PaymentDetail;
    /// Cancel a payment before it settles (manager).
    payment_cancel(id: i64) -> PaymentDetail;
    /// A payment's receipt, or one of its refunds', in `locale` (none: the customer's language).
    receipt_get(payment_id: i64, refund_id: Option<i64>, locale: Option<String>) -> Receipt;
    /// Save the receipt on screen as a PDF in the user's Downloads folder (audited).
    receipt_save_pdf(payment_id: i64, refund_id: Option<i64>, locale: Option<String>) -> ReceiptFile;
    /// Card brands for the brand filter.
    card_brands() -> Vec<String>;
    /// The audit log, newest first, before `beforeId`.
    audit_list(before_id: Option<i64>, limit: u32) -> Vec<AuditEntry>;
    /// Whether the records that authorise are as the tills wrote them: the activity log's chain
    /// and the staff rows' seals (shown in About, and at start when something is wrong).
    integrity_report() -> IntegrityReport;
    /// The consent text to show before binding, in `locale`, with its version.
    consent_get(locale: String) -> ConsentText;
    /// Record consent and open an Antom vaulting session; what the SDK needs to mount.
    binding_start(customer_id: i64, consent: ConsentInput) -> BindingSession;
    /// Confirm an outcome with Antom (inquireVaulting) before anything is shown as bound.
    binding_confirm(attempt_id: i64) -> Attempt;
    /// One inquireVaulting for a pending attempt.
    binding_refresh(attempt_id: i64) -> Attempt;
    /// Give up on an attempt (Antom is still asked later).
    binding_cancel(attempt_id: i64) -> Attempt;
    /// Clear the webview's storage (cookies, local storage, caches) after a binding.
    binding_clear_storage() -> ();
    /// Settings, key status and the merchant public key.
    settings_get() -> SettingsView;
    /// Validate, import keys into the keyring, save and switch, all or nothing.
    settings_save(update: SettingsUpdate) -> SettingsView;
    /// Seal every saved card's token again with a new data key (owner).
    data_key_rotate() -> DataKeyRotation;
    /// Where the shop's data is kept: this computer, or the shop's shared PostgreSQL (connected
    /// to and migrated first, this computer's data moved when asked; an owner's PIN).
    shop_database_set(update: ShopDatabaseUpdate) -> ShopDatabaseResult;
    /// An owner's till offers to pair a new till: a one-time code for ten minutes.
    till_offer() -> PairingOffer;
    /// The offer as it stands: who asked with the code, with their key fingerprint.
    till_offer_status() -> PairingOffer;
    /// Admit the till that asked, the one shown with `fingerprint`: the keys sealed to it
    /// through the shared database.
    till_offer_approve(fingerprint: String) -> ShopTill;
    /// A new till asks to join with the code an owner's till shows.
    till_join(code: String, name: String) -> PairingJoin;
    /// Whether the owner answered; then the keys go into this till's keyring.
    till_join_status() -> PairingJoin;
    /// The shop's tills.
    till_list() -> Vec<ShopTill>;
    /// Revoke a till: it stops using the shop's keys.
    till_revoke(id: i64) -> ();
    /// Check the Antom set-up (the saved settings, or the form's draft) with one signed call
    /// that changes nothing; a verdict per cause.
    connection_check(draft: Option<SettingsUpdate>) -> ConnectionCheck;
    /// The go-live checklist.
    go_live() -> Vec<GoLiveLine>;
    /// The first-run screen's answers (or a skip): shop name, currency, the owner, a cashier's
    /// per-charge limit (minor units; none: the default).
    welcome_finish(shop_name: Option<String>, currency: Option<String>, owner: Option<StaffInput>, charge_limit: Option<i64>) -> ();
    /// Switch the language now and for the next start.
    locale_set(locale: String) -> String;
    /// The UI reports the card list is interactive (start-up time, logged).
    ui_ready(since_start_ms: f64) -> ();
    /// Who is signed in, whether kiosk mode is on, the kiosk's timings, the PIN pause.
    staff_status() -> StaffStatus;
    /// Sign in with a personal PIN (throttled after wrong PINs).
    staff_sign_in(pin: Pin) -> Operator;
    /// Lock the till (`idle`: locked after the lock time without use).
    staff_sign_out(idle: bool) -> ();
    /// A manager's or owner's PIN approves the signed-in cashier's next protected action.
    staff_approve(pin: Pin) -> Operator;
    /// Staff members (owner).
    staff_list() -> Vec<StaffMember>;
    /// Add a staff member (owner; the first one, an owner, ends open mode).
    staff_create(input: StaffInput) -> StaffMember;
    /// Give a staff member a new PIN (owner).
    staff_set_pin(id: i64, pin: Pin) -> ();
    /// Disable a staff member (owner; never the last owner).
    staff_disable(id: i64) -> ();
    /// Turn this till into a customer kiosk (needs a manager or owner to exist).
    kiosk_enter() -> StaffStatus;
    /// Leave kiosk mode with a manager's or owner's PIN (throttled).
    kiosk_leave(pin: Pin) -> Operator;
    /// A kiosk visitor's phone or loyalty number: a new customer record for this visit (a
    /// number never unlocks an existing customer).
    kiosk_identify(number: String) -> i64;
    /// A kiosk visitor's one-time code from staff: the customer record it was made for.
    kiosk_redeem(code: Pin) -> i64;
    /// The kiosk starts over: forget the visitor.
    kiosk_reset() -> ();
    /// Export the card list (masked) or the activity log as CSV (manager or owner).
    export_csv(kind: ExportKind) -> ExportResult;
    /// Make an encrypted backup now (owner): into the backup folder, else Downloads.
    backup_create(passphrase: Passphrase) -> BackupResult;
    /// Restore an encrypted backup file (owner): replaces cards, keys and settings.
    backup_restore(path: String, passphrase: Passphrase) -> RestoreResult;
}

/// The commands that need more than a cashier, and what they need. `tests/access.rs` checks
/// each one is refused to a cashier and to nobody signed in, and allowed to the right role.
/// `payment_charge` needs one only when the customer is not present or the amount is above the
/// shop's limit.
pub const PROTECTED: &[(&str, Permission)] = &[
    ("card_remove", Permission::RemoveCards),
    ("card_replace_duplicate", Permission::RemoveCards),
    ("payment_charge", Permission::ChargeNotPresent),
    ("payment_charge", Permission::ChargeAboveLimit),
    ("payment_refund", Permission::RefundPayments),
    ("payment_cancel", Permission::RefundPayments),
    ("settings_save", Permission::ChangeSettings),
    ("settings_save", Permission::ManageBackups),
    ("settings_save", Permission::OwnerSettings),
    ("shop_database_set", Permission::OwnerSettings),
    ("data_key_rotate", Permission::OwnerSettings),
    ("till_join", Permission::OwnerSettings),
    ("till_offer", Permission::ManageBackups),
    ("till_offer_status", Permission::ManageBackups),
    ("till_offer_approve", Permission::ManageBackups),
    ("till_list", Permission::ManageBackups),
    ("till_revoke", Permission::ManageBackups),
    ("export_csv", Permission::Export),
    ("kiosk_leave", Permission::LeaveKiosk),
    ("staff_list", Permission::ManageStaff),
    ("staff_create", Permission::ManageStaff),
    ("staff_set_pin", Permission::ManageStaff),
    ("staff_disable", Permission::ManageStaff),
    ("backup_create", Permission::ManageBackups),
    ("backup_restore", Permission::ManageBackups),
];

/// Prefix generated type names with the `T.` namespace import (`AppInfo` → `T.AppInfo`,
/// `Array<CardRow>` → `Array<T.CardRow>`); TypeScript's own types stay as they are.
fn qualify(ts: &str) -> String {
    const BUILTIN: &[&str] = &[
        "string",
        "number",
        "boolean",
        "null",
        "void",
        "undefined",
        "Array",
        "Record",
        "Partial",
        "unknown",
        "bigint",
    ];
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            if word.chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !BUILTIN.contains(&word.as_str()) {
                out.push_str("T.");
            }
            out.push_str(word);
            word.clear();
        }
    };
    for c in ts.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn wrapper(name: &str, docs: &[&str], args: &[(String, String)], ret: &str) -> String {
    let mut out = String::from("\n/**");
    for d in docs {
        out.push_str(&format!("\n *{d}"));
    }
    out.push_str("\n */\n");
    let params: Vec<String> = args.iter().map(|(n, t)| format!("{n}: {t}")).collect();
    let names: Vec<&str> = args.iter().map(|(n, _)| n.as_str()).collect();
    out.push_str(&format!(
        "export function {}({}): Promise<{ret}> {{\n  return invoke<{ret}>(\"{name}\", {});\n}}\n",
        camel(name),
        params.join(", "),
        if names.is_empty() { "{}".to_string() } else { format!("{{ {} }}", names.join(", ")) }
    ));
    out
}

const HEADER: &str = "// Generated from crates/core/src/api.rs by `make gen`. Do not edit by hand.\n";

fn ts_list(name: &str, ty: &str, items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("\"{i}\"")).collect();
    format!("export const {name}: readonly {ty}[] = [{}];\n", items.join(", "))
}

/// `ui/src/lib/gen/types.ts`: every type that crosses the IPC edge, and the vocabularies the UI
/// needs, each from its one Rust list.
pub fn typescript_types() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = format!("{HEADER}\n");
    for decl in [
        ErrorCode::decl(&cfg),
        AppError::decl(&cfg),
        Environment::decl(&cfg),
        crate::flows::listener::ListenerStatus::decl(&cfg),
        crate::flows::listener::UnhandledNotification::decl(&cfg),
        AppInfo::decl(&cfg),
        Customer::decl(&cfg),
        CustomerInput::decl(&cfg),
        CardRow::decl(&cfg),
        CardSort::decl(&cfg),
        CardQuery::decl(&cfg),
        CardPage::decl(&cfg),
        AuditEntry::decl(&cfg),
        crate::store::audit::ChainReport::decl(&cfg),
        IntegrityReport::decl(&cfg),
        DataKeyRotation::decl(&cfg),
        ConsentText::decl(&cfg),
        ConsentInput::decl(&cfg),
        AttemptState::decl(&cfg),
        Attempt::decl(&cfg),
        CardRemoval::decl(&cfg),
        ChargeRequest::decl(&cfg),
        crate::flows::payments::DeviceInfo::decl(&cfg),
        PaymentState::decl(&cfg),
        RefundState::decl(&cfg),
        Payment::decl(&cfg),
        Refund::decl(&cfg),
        PaymentDetail::decl(&cfg),
        PaymentQuery::decl(&cfg),
        PaymentPage::decl(&cfg),
        ReceiptKind::decl(&cfg),
        Receipt::decl(&cfg),
        ReceiptFile::decl(&cfg),
        SdkOptions::decl(&cfg),
        BindingSession::decl(&cfg),
        KioskSettings::decl(&cfg),
        BackupSettings::decl(&cfg),
        ShopDatabase::decl(&cfg),
        Settings::decl(&cfg),
        SettingsView::decl(&cfg),
        SettingsUpdate::decl(&cfg),
        ShopDatabaseUpdate::decl(&cfg),
        TableCount::decl(&cfg),
        EnvironmentMove::decl(&cfg),
        ShopDatabaseResult::decl(&cfg),
        PairingOffer::decl(&cfg),
        PairingJoin::decl(&cfg),
        ShopTill::decl(&cfg),
        Role::decl(&cfg),
        Permission::decl(&cfg),
        Operator::decl(&cfg),
        StaffMember::decl(&cfg),
        Pin::decl(&cfg),
        StaffInput::decl(&cfg),
        StaffStatus::decl(&cfg),
        crate::app::ops::ApprovalRequest::decl(&cfg),
        KioskCode::decl(&cfg),
        ExportKind::decl(&cfg),
        ExportResult::decl(&cfg),
        Passphrase::decl(&cfg),
        BackupResult::decl(&cfg),
        RestoreResult::decl(&cfg),
        CheckItem::decl(&cfg),
        CheckStatus::decl(&cfg),
        CheckCode::decl(&cfg),
        Verdict::decl(&cfg),
        ConnectionCheck::decl(&cfg),
        GoLiveItem::decl(&cfg),
        GoLiveState::decl(&cfg),
        GoLiveLine::decl(&cfg),
    ] {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str(&ts_list("ERROR_CODES", "ErrorCode", ErrorCode::ALL.iter().map(|c| c.as_str().to_string())));
    out.push_str("/** The app's languages, English first (`i18n::LOCALES`). */\n");
    out.push_str(&ts_list("LOCALES", "string", LOCALES.iter().map(|l| l.to_string())));
    out.push_str("/** The currencies a shop may choose, ISO 4217 (`money::CURRENCIES`). */\n");
    out.push_str(&ts_list("CURRENCIES", "string", crate::money::CURRENCIES.iter().map(|(c, _)| c.to_string())));
    out.push_str("/** The connection check's lines, in order (`connection::CheckItem`). */\n");
    out.push_str(&ts_list("CHECK_ITEMS", "CheckItem", CheckItem::ALL.iter().map(|c| c.as_str().to_string())));
    out.push_str("/** Attempts nobody waits for any more: final, or cancelled (`AttemptState::is_closed`). */\n");
    out.push_str(&ts_list(
        "CLOSED_ATTEMPT_STATES",
        "AttemptState",
        AttemptState::ALL.iter().filter(|s| s.is_closed()).map(|s| s.as_str().to_string()),
    ));
    out.push_str("/** Payments Antom has more to say about (the pay's answer, or an authorisation's capture): asked about again (`PaymentState::is_settled`). */\n");
    out.push_str(&ts_list(
        "OPEN_PAYMENT_STATES",
        "PaymentState",
        PaymentState::ALL.iter().filter(|s| !s.is_settled()).map(|s| s.as_str().to_string()),
    ));
    out
}

/// `src-tauri/capabilities/main.json`: the app's own pages in the main window may invoke every
/// command, and nothing else may invoke any.
pub fn capability_json() -> String {
    let permissions: Vec<String> = COMMANDS.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    let value = serde_json::json!({
        "$schema": "../gen/schemas/desktop-schema.json",
        "identifier": "main",
        "description": "Generated from crates/core/src/api.rs by `make gen`. The app's own pages in the main window. Local content only: no remote URL (Antom's frame included) gets any IPC.",
        "local": true,
        "windows": ["main"],
        "permissions": permissions,
    });
    serde_json::to_string_pretty(&value).expect("JSON") + "\n"
}

/// `ui/src/lib/gen/commands.ts`: one typed wrapper per command.
pub fn typescript_commands() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = format!("{HEADER}\nimport type * as T from \"./types\";\nimport {{ invoke }} from \"../ipc\";\n");
    out.push_str(&command_wrappers(&cfg));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn generated_files_are_current() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
        for (file, generated) in [
            ("ui/src/lib/gen/types.ts", typescript_types()),
            ("ui/src/lib/gen/commands.ts", typescript_commands()),
            ("src-tauri/capabilities/main.json", capability_json()),
        ] {
            let path = root.join(file);
            if std::env::var_os("UPDATE_GENERATED").is_some() {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &generated).unwrap();
                continue;
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(committed == generated, "{file} is stale: run `make gen` and commit it");
        }
    }

    #[test]
    fn the_capability_grants_exactly_the_commands() {
        let v: serde_json::Value = serde_json::from_str(&capability_json()).unwrap();
        let granted: Vec<&str> = v["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        assert_eq!(granted.len(), COMMANDS.len());
        assert!(granted.contains(&"allow-binding-clear-storage") && granted.contains(&"allow-app-info"));
        assert_eq!(v["local"], true);
        assert_eq!(v["windows"], serde_json::json!(["main"]));
    }

    #[test]
    fn wrappers_use_camel_case_args() {
        assert_eq!(camel("vaulting_request_id"), "vaultingRequestId");
        let w = wrapper("remove_card", &[" Remove."], &[("cardId".into(), "number".into())], "void");
        assert!(w.contains("export function removeCard(cardId: number): Promise<void>"), "{w}");
        assert!(w.contains("invoke<void>(\"remove_card\", { cardId })"), "{w}");
        assert_eq!(qualify("Array<CardRow> | null"), "Array<T.CardRow> | null");
        assert_eq!(qualify("string"), "string");
    }
}
