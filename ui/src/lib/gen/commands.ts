// Generated from crates/core/src/api.rs by `make gen`. Do not edit by hand.

import type * as T from "./types";
import { invoke } from "../ipc";

/**
 * What the app is, which Antom it talks to and where it keeps its data.
 */
export function appInfo(): Promise<T.AppInfo> {
  return invoke<T.AppInfo>("app_info", {});
}

/**
 * Customers whose name, phone or reference starts with `text` (all when empty), by name.
 */
export function customersSearch(text: string, limit: number): Promise<Array<T.Customer>> {
  return invoke<Array<T.Customer>>("customers_search", { text, limit });
}

/**
 * One customer.
 */
export function customerGet(id: number): Promise<T.Customer> {
  return invoke<T.Customer>("customer_get", { id });
}

/**
 * Add a customer (validated; audited).
 */
export function customerCreate(input: T.CustomerInput): Promise<T.Customer> {
  return invoke<T.Customer>("customer_create", { input });
}

/**
 * Change a customer's details (validated; audited).
 */
export function customerUpdate(id: number, input: T.CustomerInput): Promise<T.Customer> {
  return invoke<T.Customer>("customer_update", { id, input });
}

/**
 * A one-time code the customer types at the kiosk to save a card to this record.
 */
export function customerKioskCode(customerId: number): Promise<T.KioskCode> {
  return invoke<T.KioskCode>("customer_kiosk_code", { customerId });
}

/**
 * One page of bound cards: search, brand and expiry filters, sort, keyset paging.
 */
export function cardsList(query: T.CardQuery): Promise<T.CardPage> {
  return invoke<T.CardPage>("cards_list", { query });
}

/**
 * One bound card (masked data only).
 */
export function cardGet(id: number): Promise<T.CardRow> {
  return invoke<T.CardRow>("card_get", { id });
}

/**
 * Remove a card: deleteToken at Antom first, then the token is erased here (the masked row
 * stays for the audit trail); `pending` while Antom has not confirmed (not chargeable).
 */
export function cardRemove(id: number): Promise<T.CardRemoval> {
  return invoke<T.CardRemoval>("card_remove", { id });
}

/**
 * Keep a card flagged as a duplicate of an earlier one.
 */
export function cardKeepDuplicate(id: number): Promise<null> {
  return invoke<null>("card_keep_duplicate", { id });
}

/**
 * Keep this duplicate and remove the earlier card (at Antom first).
 */
export function cardReplaceDuplicate(id: number): Promise<T.CardRemoval> {
  return invoke<T.CardRemoval>("card_replace_duplicate", { id });
}

/**
 * Charge a saved card in the shop's currency (manager: customer not present, above the limit).
 */
export function paymentCharge(request: T.ChargeRequest): Promise<T.Payment> {
  return invoke<T.Payment>("payment_charge", { request });
}

/**
 * One payment with its refunds.
 */
export function paymentGet(id: number): Promise<T.PaymentDetail> {
  return invoke<T.PaymentDetail>("payment_get", { id });
}

/**
 * One page of payments: search, state and date filters, keyset paging.
 */
export function paymentsList(query: T.PaymentQuery): Promise<T.PaymentPage> {
  return invoke<T.PaymentPage>("payments_list", { query });
}

/**
 * Ask Antom about a payment (and its refunds) not settled yet.
 */
export function paymentRefresh(id: number): Promise<T.PaymentDetail> {
  return invoke<T.PaymentDetail>("payment_refresh", { id });
}

/**
 * Refund a payment, fully or in part (manager).
 */
export function paymentRefund(id: number, amount: number, reason: string | null): Promise<T.PaymentDetail> {
  return invoke<T.PaymentDetail>("payment_refund", { id, amount, reason });
}

/**
 * Cancel a payment before it settles (manager).
 */
export function paymentCancel(id: number): Promise<T.PaymentDetail> {
  return invoke<T.PaymentDetail>("payment_cancel", { id });
}

/**
 * A payment's receipt, or one of its refunds', in `locale` (none: the customer's language).
 */
export function receiptGet(paymentId: number, refundId: number | null, locale: string | null): Promise<T.Receipt> {
  return invoke<T.Receipt>("receipt_get", { paymentId, refundId, locale });
}

/**
 * Save the receipt on screen as a PDF in the user's Downloads folder (audited).
 */
export function receiptSavePdf(paymentId: number, refundId: number | null, locale: string | null): Promise<T.ReceiptFile> {
  return invoke<T.ReceiptFile>("receipt_save_pdf", { paymentId, refundId, locale });
}

/**
 * Card brands for the brand filter.
 */
export function cardBrands(): Promise<Array<string>> {
  return invoke<Array<string>>("card_brands", {});
}

/**
 * The audit log, newest first, before `beforeId`.
 */
export function auditList(beforeId: number | null, limit: number): Promise<Array<T.AuditEntry>> {
  return invoke<Array<T.AuditEntry>>("audit_list", { beforeId, limit });
}

/**
 * Whether the records that authorise are as the tills wrote them: the activity log's chain
 * and the staff rows' seals (shown in About, and at start when something is wrong).
 */
export function integrityReport(): Promise<T.IntegrityReport> {
  return invoke<T.IntegrityReport>("integrity_report", {});
}

/**
 * The consent text to show before binding, in `locale`, with its version.
 */
export function consentGet(locale: string): Promise<T.ConsentText> {
  return invoke<T.ConsentText>("consent_get", { locale });
}

/**
 * Record consent and open an Antom vaulting session; what the SDK needs to mount.
 */
export function bindingStart(customerId: number, consent: T.ConsentInput): Promise<T.BindingSession> {
  return invoke<T.BindingSession>("binding_start", { customerId, consent });
}

/**
 * Confirm an outcome with Antom (inquireVaulting) before anything is shown as bound.
 */
export function bindingConfirm(attemptId: number): Promise<T.Attempt> {
  return invoke<T.Attempt>("binding_confirm", { attemptId });
}

/**
 * One inquireVaulting for a pending attempt.
 */
export function bindingRefresh(attemptId: number): Promise<T.Attempt> {
  return invoke<T.Attempt>("binding_refresh", { attemptId });
}

/**
 * Give up on an attempt (Antom is still asked later).
 */
export function bindingCancel(attemptId: number): Promise<T.Attempt> {
  return invoke<T.Attempt>("binding_cancel", { attemptId });
}

/**
 * Clear the webview's storage (cookies, local storage, caches) after a binding.
 */
export function bindingClearStorage(): Promise<null> {
  return invoke<null>("binding_clear_storage", {});
}

/**
 * Settings, key status and the merchant public key.
 */
export function settingsGet(): Promise<T.SettingsView> {
  return invoke<T.SettingsView>("settings_get", {});
}

/**
 * Validate, import keys into the keyring, save and switch, all or nothing.
 */
export function settingsSave(update: T.SettingsUpdate): Promise<T.SettingsView> {
  return invoke<T.SettingsView>("settings_save", { update });
}

/**
 * Seal every saved card's token again with a new data key (owner).
 */
export function dataKeyRotate(): Promise<T.DataKeyRotation> {
  return invoke<T.DataKeyRotation>("data_key_rotate", {});
}

/**
 * Where the shop's data is kept: this computer, or the shop's shared PostgreSQL (connected
 * to and migrated first, this computer's data moved when asked; an owner's PIN).
 */
export function shopDatabaseSet(update: T.ShopDatabaseUpdate): Promise<T.ShopDatabaseResult> {
  return invoke<T.ShopDatabaseResult>("shop_database_set", { update });
}

/**
 * An owner's till offers to pair a new till: a one-time code for ten minutes.
 */
export function tillOffer(): Promise<T.PairingOffer> {
  return invoke<T.PairingOffer>("till_offer", {});
}

/**
 * The offer as it stands: who asked with the code, with their key fingerprint.
 */
export function tillOfferStatus(): Promise<T.PairingOffer> {
  return invoke<T.PairingOffer>("till_offer_status", {});
}

/**
 * Admit the till that asked, the one shown with `fingerprint`: the keys sealed to it
 * through the shared database.
 */
export function tillOfferApprove(fingerprint: string): Promise<T.ShopTill> {
  return invoke<T.ShopTill>("till_offer_approve", { fingerprint });
}

/**
 * A new till asks to join with the code an owner's till shows.
 */
export function tillJoin(code: string, name: string): Promise<T.PairingJoin> {
  return invoke<T.PairingJoin>("till_join", { code, name });
}

/**
 * Whether the owner answered; then the keys go into this till's keyring.
 */
export function tillJoinStatus(): Promise<T.PairingJoin> {
  return invoke<T.PairingJoin>("till_join_status", {});
}

/**
 * The shop's tills.
 */
export function tillList(): Promise<Array<T.ShopTill>> {
  return invoke<Array<T.ShopTill>>("till_list", {});
}

/**
 * Revoke a till: it stops using the shop's keys.
 */
export function tillRevoke(id: number): Promise<null> {
  return invoke<null>("till_revoke", { id });
}

/**
 * Check the Antom set-up (the saved settings, or the form's draft) with one signed call
 * that changes nothing; a verdict per cause.
 */
export function connectionCheck(draft: T.SettingsUpdate | null): Promise<T.ConnectionCheck> {
  return invoke<T.ConnectionCheck>("connection_check", { draft });
}

/**
 * The go-live checklist.
 */
export function goLive(): Promise<Array<T.GoLiveLine>> {
  return invoke<Array<T.GoLiveLine>>("go_live", {});
}

/**
 * The first-run screen's answers (or a skip): shop name, currency, the owner, a cashier's
 * per-charge limit (minor units; none: the default).
 */
export function welcomeFinish(shopName: string | null, currency: string | null, owner: T.StaffInput | null, chargeLimit: number | null): Promise<null> {
  return invoke<null>("welcome_finish", { shopName, currency, owner, chargeLimit });
}

/**
 * Switch the language now and for the next start.
 */
export function localeSet(locale: string): Promise<string> {
  return invoke<string>("locale_set", { locale });
}

/**
 * The UI reports the card list is interactive (start-up time, logged).
 */
export function uiReady(sinceStartMs: number): Promise<null> {
  return invoke<null>("ui_ready", { sinceStartMs });
}

/**
 * Who is signed in, whether kiosk mode is on, the kiosk's timings, the PIN pause.
 */
export function staffStatus(): Promise<T.StaffStatus> {
  return invoke<T.StaffStatus>("staff_status", {});
}

/**
 * Sign in with a personal PIN (throttled after wrong PINs).
 */
export function staffSignIn(pin: T.Pin): Promise<T.Operator> {
  return invoke<T.Operator>("staff_sign_in", { pin });
}

/**
 * Lock the till (`idle`: locked after the lock time without use).
 */
export function staffSignOut(idle: boolean): Promise<null> {
  return invoke<null>("staff_sign_out", { idle });
}

/**
 * A manager's or owner's PIN approves the signed-in cashier's next protected action.
 */
export function staffApprove(pin: T.Pin): Promise<T.Operator> {
  return invoke<T.Operator>("staff_approve", { pin });
}

/**
 * Staff members (owner).
 */
export function staffList(): Promise<Array<T.StaffMember>> {
  return invoke<Array<T.StaffMember>>("staff_list", {});
}

/**
 * Add a staff member (owner; the first one, an owner, ends open mode).
 */
export function staffCreate(input: T.StaffInput): Promise<T.StaffMember> {
  return invoke<T.StaffMember>("staff_create", { input });
}

/**
 * Give a staff member a new PIN (owner).
 */
export function staffSetPin(id: number, pin: T.Pin): Promise<null> {
  return invoke<null>("staff_set_pin", { id, pin });
}

/**
 * Disable a staff member (owner; never the last owner).
 */
export function staffDisable(id: number): Promise<null> {
  return invoke<null>("staff_disable", { id });
}

/**
 * Turn this till into a customer kiosk (needs a manager or owner to exist).
 */
export function kioskEnter(): Promise<T.StaffStatus> {
  return invoke<T.StaffStatus>("kiosk_enter", {});
}

/**
 * Leave kiosk mode with a manager's or owner's PIN (throttled).
 */
export function kioskLeave(pin: T.Pin): Promise<T.Operator> {
  return invoke<T.Operator>("kiosk_leave", { pin });
}

/**
 * A kiosk visitor's phone or loyalty number: a new customer record for this visit (a
 * number never unlocks an existing customer).
 */
export function kioskIdentify(number: string): Promise<number> {
  return invoke<number>("kiosk_identify", { number });
}

/**
 * A kiosk visitor's one-time code from staff: the customer record it was made for.
 */
export function kioskRedeem(code: T.Pin): Promise<number> {
  return invoke<number>("kiosk_redeem", { code });
}

/**
 * The kiosk starts over: forget the visitor.
 */
export function kioskReset(): Promise<null> {
  return invoke<null>("kiosk_reset", {});
}

/**
 * Export the card list (masked) or the activity log as CSV (manager or owner).
 */
export function exportCsv(kind: T.ExportKind): Promise<T.ExportResult> {
  return invoke<T.ExportResult>("export_csv", { kind });
}

/**
 * Make an encrypted backup now (owner): into the backup folder, else Downloads.
 */
export function backupCreate(passphrase: T.Passphrase): Promise<T.BackupResult> {
  return invoke<T.BackupResult>("backup_create", { passphrase });
}

/**
 * Restore an encrypted backup file (owner): replaces cards, keys and settings.
 */
export function backupRestore(path: string, passphrase: T.Passphrase): Promise<T.RestoreResult> {
  return invoke<T.RestoreResult>("backup_restore", { path, passphrase });
}
