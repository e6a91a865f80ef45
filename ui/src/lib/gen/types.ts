// Generated from crates/core/src/api.rs by `make gen`. Do not edit by hand.

export type ErrorCode = "INTERNAL" | "DATA_DIR_UNAVAILABLE" | "STORAGE_FULL" | "STORAGE_FAILED" | "DATABASE_UNREACHABLE" | "SHARED_DATABASE_NOT_EMPTY" | "BACKUP_ON_SERVER" | "PAIRING_REFUSED" | "SHOP_MISMATCH" | "PASSPHRASE_WEAK" | "TILL_REVOKED" | "ROW_TAMPERED" | "STAFF_LIST_MISSING" | "SHOP_KEY_MISSING" | "NOT_FOUND" | "INVALID_INPUT" | "SETTINGS_INVALID" | "KEYRING_UNAVAILABLE" | "KEYRING_LOCKED" | "KEY_MISSING" | "KEY_INVALID" | "TOKEN_UNREADABLE" | "DATA_KEY_MISSING" | "ANTOM_UNREACHABLE" | "ANTOM_REJECTED_SIGNATURE" | "ANTOM_RESPONSE_INVALID" | "ANTOM_FAILED" | "ANTOM_UNKNOWN" | "BINDING_DECLINED" | "BINDING_EXPIRED" | "BINDING_PENDING" | "NOTIFICATION_INVALID" | "SIGN_IN_REQUIRED" | "PERMISSION_DENIED" | "PIN_WRONG" | "PIN_LOCKED" | "PIN_WEAK" | "PIN_IN_USE" | "KIOSK_LOCKED" | "STAFF_REQUIRED" | "KIOSK_CODE_WRONG" | "KIOSK_CODE_PAUSED" | "OWNER_PIN_REQUIRED" | "BACKUP_PASSPHRASE_WRONG" | "BACKUP_DAMAGED" | "BACKUP_TOO_NEW" | "AMOUNT_INVALID" | "CARD_NOT_CHARGEABLE" | "REFUND_NOT_POSSIBLE" | "CANCEL_NOT_POSSIBLE" | "REQUEST_INCONSISTENT" | "RECEIPT_NOT_AVAILABLE" | "PRINT_FAILED";

export type AppError = { code: ErrorCode, message: string, 
/**
 * The input field the error is about (`clientId`, `backup.folder`, ...), as data: the UI
 * marks that field without reading the message.
 */
field?: string, };

export type Environment = "demo" | "sandbox" | "production";

export type ListenerStatus = { 
/**
 * The address it listens on (`ip:port`).
 */
address: string, 
/**
 * It listens on an address other than loopback: reachable from the shop's network, not
 * only through the reverse proxy or tunnel on this computer (Settings warns).
 */
exposed: boolean, 
/**
 * When the last notification was acknowledged (UTC, RFC 3339).
 */
lastNotificationAt: string | null, 
/**
 * Notifications acknowledged since the listener started.
 */
acknowledged: number, 
/**
 * The last refusal or failure (never a body): when and why.
 */
lastError: string | null, 
/**
 * Verified notifications of kinds cardbind does not act on (disputes, …), newest first.
 */
unhandled: Array<UnhandledNotification>, };

export type UnhandledNotification = { notifyType: string, at: string, 
/**
 * `paymentId`, `disputeId`, … as the body names them (never the body itself).
 */
ids: Array<string>, };

export type AppInfo = { name: string, version: string, dataDir: string, 
/**
 * The active environment's card database (each environment has its own).
 */
database: string, 
/**
 * The shop's shared database (several tills): lists are read again every few seconds.
 */
sharedDatabase: boolean, configDir: string, environment: Environment, 
/**
 * `os/arch`, e.g. `linux/x86_64`.
 */
platform: string, 
/**
 * Demo mode: the in-process Antom simulator's address (loopback).
 */
simulatorUrl: string | null, 
/**
 * The UI language (`en`, `pt`, ...): chosen in the app, else the OS's.
 */
locale: string, 
/**
 * Why cards cannot be bound right now (no keyring, keys missing, ...); `None` when they can.
 */
bindingUnavailable: AppError | null, 
/**
 * The notifyVaulting listener, when the settings name an address for it.
 */
listener: ListenerStatus | null, 
/**
 * A first start: show the welcome screen (language, shop name, owner PIN, or explore).
 */
firstRun: boolean, 
/**
 * Kiosk mode was asked for at start-up but needs a manager or owner first.
 */
kioskBlocked: boolean, 
/**
 * The web SDK's `environment` and `locale` for the app's language (for warming the SDK up
 * before the first card form).
 */
sdkEnvironment: string, sdkLocale: string, 
/**
 * The shop's currency (ISO 4217), which charges are made in; none until it is chosen.
 */
currency: string | null, };

export type Customer = { id: number, name: string, phone: string | null, email: string | null, reference: string | null, notes: string | null, createdAt: string, cardCount: number, };

export type CustomerInput = { name: string, phone: string | null, email: string | null, 
/**
 * The shop's own reference, e.g. a loyalty number.
 */
reference: string | null, notes: string | null, };

export type CardRow = { id: number, customerId: number, customerName: string, brand: string, maskedCardNo: string, last4: string, expiryMonth: number | null, expiryYear: number | null, funding: string | null, issuerName: string | null, boundAt: string, 
/**
 * Set when the same card was already bound for this customer; staff keep or replace it.
 */
duplicateOf: number | null, 
/**
 * Staff removed it and Antom has not confirmed the token's deletion yet: it can no longer
 * be charged, and cardbind keeps asking Antom to delete the token.
 */
removalPending: boolean, };

export type CardSort = "recent" | "expiry";

export type CardQuery = { customerId: number | null, 
/**
 * Four digits search the last four; anything else the customer's name, phone or reference.
 */
text: string | null, brand: string | null, 
/**
 * Expiry window, inclusive, as YYYYMM.
 */
expiresFrom: number | null, expiresTo: number | null, sort: CardSort, 
/**
 * The `next` cursor of the previous page.
 */
after: string | null, limit: number | null, };

export type CardPage = { rows: Array<CardRow>, 
/**
 * Pass as `after` for the next page; absent on the last page.
 */
next: string | null, };

export type AuditEntry = { id: number, at: string, staffId: number | null, 
/**
 * Who did it (the staff member's name); none in open mode and for the app's own actions.
 */
staffName: string | null, action: string, subject: string | null, detail: string | null, };

export type ChainReport = { 
/**
 * Rows whose link holds.
 */
sealed: number, 
/**
 * Rows from before the chain began (written before seals existed), not checked.
 */
beforeChain: number, 
/**
 * Rows after the chain began that carry no link: written by a till without the shop's
 * row key, or inserted by someone else.
 */
unsealed: number, 
/**
 * The first row whose link fails: edited, or a sealed row before it deleted.
 */
brokenAt: number | null, };

export type IntegrityReport = { 
/**
 * This till holds the shop's row key and checked with it (false: a till about to join,
 * which checks nothing).
 */
checked: boolean, 
/**
 * The activity log's chain.
 */
audit: ChainReport, 
/**
 * Staff rows whose seal fails (they sign no one in).
 */
tamperedStaff: number, 
/**
 * Something is wrong: show it.
 */
alert: boolean, };

export type DataKeyRotation = { environment: Environment, 
/**
 * Tokens sealed again with the new key.
 */
resealed: number, };

export type ConsentText = { locale: string, version: string, title: string, text: string, };

export type ConsentInput = { 
/**
 * The version of the consent text shown (e.g. `card-on-file-v1`).
 */
textVersion: string, 
/**
 * The language it was shown in.
 */
locale: string, };

export type AttemptState = "CREATED" | "SESSION_OPEN" | "PROCESSING" | "SUCCEEDED" | "FAILED" | "EXPIRED" | "CANCELLED" | "ABANDONED";

export type Attempt = { id: number, vaultingRequestId: string, customerId: number, state: AttemptState, resultCode: string | null, resultMessage: string | null, 
/**
 * The bound card, once SUCCEEDED.
 */
cardId: number | null, 
/**
 * Set when the bound card duplicates one the customer already has.
 */
duplicateOf: number | null, createdAt: string, updatedAt: string, };

export type CardRemoval = "removed" | "pending" | "refused";

export type ChargeRequest = { cardId: number, amount: number, description: string, reference: string | null, 
/**
 * The customer is at the till (the cashier's word: bounded by the limits); otherwise the
 * charge is merchant-initiated (a manager's).
 */
customerPresent: boolean, 
/**
 * The till's screen as the page reports it (3D Secure 2 data; authorises nothing).
 */
device: DeviceInfo | null, 
/**
 * The charge dialog's key (a random id per dialog): the dialog's one charge is one
 * payment, however often the page sends it.
 */
key: string, };

export type DeviceInfo = { screenWidth: number | null, screenHeight: number | null, colorDepth: number | null, 
/**
 * Minutes as `Date.getTimezoneOffset()` gives them (UTC+2 → -120).
 */
timeZoneOffset: number | null, userAgent: string | null, 
/**
 * BCP 47, e.g. `pt-BR`.
 */
language: string | null, };

export type PaymentState = "SENDING" | "PENDING" | "AUTHORISED" | "CAPTURED" | "CAPTURE_FAILED" | "DECLINED" | "REFUSED" | "CANCELLED";

export type RefundState = "SENDING" | "PENDING" | "SUCCEEDED" | "FAILED";

export type Payment = { id: number, paymentRequestId: string, cardId: number, customerId: number, customerName: string, currency: string, 
/**
 * Minor units in the currency's exponent.
 */
amount: number, 
/**
 * Minor units refunded so far (succeeded refunds).
 */
refunded: number, description: string, reference: string, customerPresent: boolean, state: PaymentState, 
/**
 * Antom's `paymentId`, once known.
 */
paymentId: string | null, resultCode: string | null, resultMessage: string | null, 
/**
 * Where the buyer passes 3D Secure, while the payment waits for it.
 */
challengeUrl: string | null, authorizationCode: string | null, brand: string, maskedCardNo: string, last4: string, threeDs: boolean, staffId: number | null, createdAt: string, updatedAt: string, paidAt: string | null, 
/**
 * `merchantRegion` as sent with this payment (the shop's setting when it was made).
 */
merchantRegion: string | null, 
/**
 * Antom's capture id, once captured.
 */
captureId: string | null, 
/**
 * Why the capture failed (Antom's code), when it did.
 */
captureCode: string | null, capturedAt: string | null, };

export type Refund = { id: number, refundRequestId: string, paymentRow: number, amount: number, reason: string | null, state: RefundState, refundId: string | null, resultCode: string | null, resultMessage: string | null, staffId: number | null, createdAt: string, updatedAt: string, refundedAt: string | null, };

export type PaymentDetail = { payment: Payment, refunds: Array<Refund>, 
/**
 * Minor units a refund may still take (succeeded and unanswered refunds count); only a
 * captured payment can be refunded.
 */
refundable: number, cancellable: boolean, };

export type PaymentQuery = { customerId: number | null, cardId: number | null, 
/**
 * Four digits search the last four; an Antom payment id or the order reference (exact), or
 * the customer's name (prefix).
 */
text: string | null, state: PaymentState | null, 
/**
 * Made on or after / before these times (RFC 3339, as stored).
 */
from: string | null, to: string | null, 
/**
 * The `next` cursor of the previous page.
 */
after: string | null, limit: number | null, };

export type PaymentPage = { rows: Array<Payment>, 
/**
 * Pass as `after` for the next page; absent on the last page.
 */
next: string | null, };

export type ReceiptKind = "PAYMENT" | "REFUND";

export type Receipt = { kind: ReceiptKind, 
/**
 * The receipt's language: one of the app's.
 */
locale: string, 
/**
 * The shop's name as customers know it (none: the receipt has no shop line).
 */
shopName: string | null, 
/**
 * Demo mode: the receipt says no real money moved.
 */
demo: boolean, 
/**
 * When Antom completed the payment (or the refund).
 */
at: string, brand: string, maskedCardNo: string, last4: string, currency: string, 
/**
 * What this receipt is for, in minor units: the payment's amount, or the refund's.
 */
amount: number, 
/**
 * The payment's amount (on a refund receipt: what was paid originally).
 */
paymentAmount: number, description: string, reference: string, 
/**
 * Antom's `paymentId`.
 */
paymentId: string | null, 
/**
 * AUTHORISED (the capture not confirmed yet) or CAPTURED: the receipt says which.
 */
status: PaymentState, authorizationCode: string | null, 
/**
 * Antom's `refundId` (refund receipts).
 */
refundId: string | null, 
/**
 * The PDF's file name: `receipt-<payment id>[-refund-<refund id>]-<locale>.pdf`.
 */
fileName: string, };

export type ReceiptFile = { path: string, };

export type SdkOptions = { 
/**
 * The SDK's `environment`: `sandbox` (demo and sandbox) or `prod`.
 */
environment: string, 
/**
 * The SDK's `locale` (`en_US`, `pt_BR`, ...), from the app's language.
 */
locale: string, 
/**
 * Demo mode: the simulator's element page, passed as `elementProps.elementLink`.
 */
elementLink: string | null, };

export type BindingSession = { attempt: Attempt, sessionData: string, sessionExpiresAt: string | null, sdk: SdkOptions, };

export type KioskSettings = { enabled: boolean, 
/**
 * Seconds without input before "Are you still there?".
 */
idleSeconds: number, 
/**
 * How long "Are you still there?" counts down before the kiosk starts over.
 */
countdownSeconds: number, };

export type BackupSettings = { 
/**
 * Where backups go (an absolute path); unset: backups are made by hand only.
 */
folder: string | null, 
/**
 * Hours between scheduled backups (0: none scheduled).
 */
everyHours: number, 
/**
 * How many scheduled backups to keep in the folder (the oldest are removed).
 */
keep: number, };

export type ShopDatabase = { 
/**
 * The shop's shared PostgreSQL, whose address (with its password) is in the OS keyring;
 * false: this computer's own database files.
 */
shared: boolean, 
/**
 * `host:port/database` of the shared server, for people to read (never the password).
 */
server: string | null, 
/**
 * A CA certificate (PEM file) trusted for the server's certificate besides the system's.
 */
caFile: string | null, };

export type Settings = { environment: Environment, 
/**
 * Antom region for sandbox and production: SG, NA, US or DE.
 */
region: string | null, 
/**
 * Overrides the region's host (a proxy or another Antom host).
 */
baseUrl: string | null, clientId: string | null, 
/**
 * `merchantRegion` sent with card sessions and payments: the ISO 3166 alpha-2 code of the
 * country the shop trades in (`SG`, `BR`), for Antom's acquirer routing; none: not sent.
 * UNCONFIRMED which codes Antom accepts beyond the shape: any two capital letters are
 * sent as typed (the tolerant reading), and Antom's answer says if one is refused.
 */
merchantRegion: string | null, 
/**
 * `merchantAccountId`, which Antom's token APIs (deleteToken, inquireToken) require: the
 * shop's merchant account (at most 64 characters; Antom's sample is a 16-digit number).
 * Where a merchant without sub-accounts finds it (Antom Dashboard or Antom support) is
 * UNCONFIRMED. Without it a removed card stays "removal pending".
 */
merchantAccountId: string | null, 
/**
 * `settlementStrategy.settlementCurrency`: the currency Antom settles to the shop in, for a
 * contract with several (ISO 4217); none: not sent, the contract decides.
 */
settlementCurrency: string | null, 
/**
 * `env.clientIp` on card charges: the shop's public address as Antom sees it, when the
 * owner knows it; none: the till's own address on the route to Antom.
 */
clientIp: string | null, 
/**
 * The shop's name as customers know it (named in the consent text).
 */
shopName: string | null, 
/**
 * The shop's currency, ISO 4217 (`EUR`); amounts are in its minor units ([`crate::money`]).
 */
currency: string | null, 
/**
 * The first-run screen was finished or skipped.
 */
welcomeDone: boolean, 
/**
 * A cashier's charge above this many minor units of the shop's currency needs a manager's
 * approval. None: [`DEFAULT_CHARGE_LIMIT`] major units. There is always a limit (issue 29).
 */
chargeLimit: number | null, 
/**
 * What a cashier may charge alone within 24 hours, in minor units; beyond it each charge
 * needs a manager's approval. None: [`DEFAULT_DAILY_LIMIT`] major units.
 */
dailyChargeLimit: number | null, 
/**
 * Where Antom posts notifyVaulting. Required by Antom; a desktop without a public address
 * polls inquireVaulting and may leave the default. Outside demo mode it must be https.
 */
notificationUrl: string | null, 
/**
 * The local address the notification listener listens on (`127.0.0.1:8787`, behind a
 * reverse proxy or tunnel that serves the notification URL); no listener when unset.
 */
listenerBind: string | null, 
/**
 * UI language; chosen from the OS at first start when unset.
 */
locale: string | null, kiosk: KioskSettings, 
/**
 * Minutes without a touch or key before a signed-in staff member is signed out: 1 to
 * [`crate::staff::MAX_LOCK_MINUTES`] (earlier versions' 0, "never", is read as the maximum).
 */
lockMinutes: number, backup: BackupSettings, shopDatabase: ShopDatabase, };

export type SettingsView = { settings: Settings, locale: string, merchantKeySet: boolean, antomPublicKeySet: boolean, 
/**
 * Base64 SPKI of the merchant key pair, for Antom's portal.
 */
merchantPublicKey: string | null, 
/**
 * Why the keyring could not be read, if it could not.
 */
keyringError: AppError | null, };

export type SettingsUpdate = { settings: Settings, 
/**
 * A merchant RSA private key in Antom's format (bare base64 PKCS#8) or PEM.
 */
merchantPrivateKey: string | null, 
/**
 * Antom's public key as shown in Antom's portal (bare base64 SPKI) or PEM.
 */
antomPublicKey: string | null, 
/**
 * A new passphrase for scheduled backups (kept in the OS keyring).
 */
backupPassphrase: string | null, 
/**
 * An owner's PIN: switching to production needs it.
 */
ownerPin: string | null, };

export type ShopDatabaseUpdate = { 
/**
 * The shop's shared PostgreSQL; false: back to this computer's own database files (what
 * is on the server stays there).
 */
shared: boolean, 
/**
 * `postgresql://user:password@host:5432/database`; TLS with certificate checks unless it
 * says `?sslmode=disable`. Kept in the OS keyring, never in the settings file.
 */
url: string | null, 
/**
 * A CA certificate (PEM file) the server's certificate may be issued by.
 */
caFile: string | null, 
/**
 * Move this computer's cards, payments, staff and activity log (every environment's)
 * into the shared database, which must be empty.
 */
moveData: boolean, 
/**
 * An owner's PIN: where every card is kept is the owner's decision.
 */
ownerPin: string | null, };

export type TableCount = { table: string, before: number, after: number, };

export type EnvironmentMove = { environment: Environment, tables: Array<TableCount>, };

export type ShopDatabaseResult = { settings: SettingsView, moved: Array<EnvironmentMove>, };

export type PairingOffer = { 
/**
 * The one-time code to type on the new till (`ABCDE-FGHJK`).
 */
code: string, 
/**
 * RFC 3339; the offer closes then.
 */
expiresAt: string, 
/**
 * A till asked with the code: its name and key fingerprint (compare with what it shows).
 */
askedBy: string | null, fingerprint: string | null, };

export type PairingJoin = { fingerprint: string, done: boolean, };

export type ShopTill = { id: number, name: string, 
/**
 * The first bytes of its public key in hex, to compare with what the till shows.
 */
fingerprint: string, joinedAt: string, revokedAt: string | null, };

export type Role = "cashier" | "manager" | "owner";

export type Permission = "removeCards" | "changeSettings" | "export" | "leaveKiosk" | "manageStaff" | "manageBackups" | "refundPayments" | "chargeNotPresent" | "chargeAboveLimit" | "ownerSettings";

export type Operator = { id: number, name: string, role: Role, };

export type StaffMember = { id: number, name: string, role: Role, createdAt: string, disabledAt: string | null, 
/**
 * The row's seal holds (false: someone changed it in the database; never believed).
 */
sealed: boolean, };

export type Pin = string;

export type StaffInput = { name: string, role: Role, pin: string, };

export type StaffStatus = { 
/**
 * Staff are set up, so staff sign in with their PIN (false: open mode).
 */
configured: boolean, operator: Operator | null, 
/**
 * Kiosk mode is on.
 */
kiosk: boolean, 
/**
 * A manager or owner exists, so kiosk mode may start.
 */
kioskAvailable: boolean, 
/**
 * Seconds PIN entry stays paused after too many wrong PINs.
 */
pinLockedSeconds: number | null, idleSeconds: number, countdownSeconds: number, 
/**
 * Minutes without use before the signed-in staff member is signed out.
 */
lockMinutes: number, 
/**
 * The shop's language, which a kiosk returns to after each visitor.
 */
defaultLocale: string, 
/**
 * The protected action just refused to the signed-in staff member: what the approval pad
 * shows, and the one thing an approval would allow.
 */
pendingApproval: ApprovalRequest | null, };

export type ApprovalRequest = { 
/**
 * The command (`payment_refund`, `payment_charge`, `card_remove`, ...).
 */
command: string, permission: Permission, 
/**
 * Minor units of `currency`, for the actions that move money.
 */
amount: number | null, currency: string | null, 
/**
 * The card it is about: brand and last four digits.
 */
cardBrand: string | null, cardLast4: string | null, 
/**
 * The payment it is about: its reference, as on the receipt.
 */
paymentReference: string | null, 
/**
 * The customer it is about.
 */
customerName: string | null, 
/**
 * Anything else it is about (`staff:3`, `till:2`), as the audit log names it.
 */
subject: string | null, };

export type KioskCode = { code: string, 
/**
 * RFC 3339, UTC.
 */
expiresAt: string, };

export type ExportKind = "cards" | "activity";

export type ExportResult = { 
/**
 * Where the file was written.
 */
path: string, 
/**
 * Data rows (the header not counted).
 */
rows: number, };

export type Passphrase = string;

export type BackupResult = { path: string, 
/**
 * The file's size in bytes.
 */
bytes: number, 
/**
 * Environments whose databases it holds.
 */
environments: Array<Environment>, };

export type RestoreResult = { createdAt: string, environments: Array<Environment>, 
/**
 * Saved cards (not removed) in the restored databases.
 */
cards: number, };

export type CheckItem = "REACH" | "CLIENT_HOST" | "SIGNATURE" | "ANSWER" | "CLOCK";

export type CheckStatus = "PASS" | "FAIL" | "SKIPPED";

export type CheckCode = "REACHABLE" | "DNS_FAILED" | "TLS_FAILED" | "PROXY_FAILED" | "CONNECT_FAILED" | "TIMED_OUT" | "HTTP_ERROR" | "CLIENT_HOST_AGREE" | "SANDBOX_ID_ON_PRODUCTION" | "PRODUCTION_ID_ON_SANDBOX" | "CLIENT_UNKNOWN" | "SIGNATURE_ACCEPTED" | "SIGNATURE_REJECTED" | "ANSWER_VERIFIED" | "KEYS_SWAPPED" | "ANSWER_NOT_VERIFIED" | "CLOCK_OK" | "CLOCK_OFF" | "NOT_CHECKED";

export type Verdict = { item: CheckItem, status: CheckStatus, code: CheckCode, 
/**
 * The clock offset in seconds (`CLOCK_*`), or the HTTP status (`HTTP_ERROR`).
 */
value: number | null, };

export type ConnectionCheck = { environment: Environment, 
/**
 * RFC 3339, UTC.
 */
checkedAt: string, 
/**
 * Every line passed.
 */
ok: boolean, verdicts: Array<Verdict>, 
/**
 * For a developer helping the shop: the exact signed string (as `antom explain` prints
 * it), where it went, and what came back. No key and no signature.
 */
details: string, };

export type GoLiveItem = "SHOP_NAME" | "CURRENCY" | "OWNER_PIN" | "ANTOM_KEYS" | "CONNECTION_CHECKED" | "MERCHANT_ACCOUNT" | "NOTIFICATIONS" | "BACKUPS" | "CASHIER_LIMITS";

export type GoLiveState = "DONE" | "MISSING" | "NOT_IN_DEMO" | "CHECK_FAILED" | "CHECK_STALE" | "POLLING_ONLY" | "LISTENING" | "DEFAULT_LIMITS";

export type GoLiveLine = { item: GoLiveItem, state: GoLiveState, 
/**
 * Whether this line counts as done.
 */
done: boolean, 
/**
 * For [`GoLiveItem::CashierLimits`]: per charge and per 24 hours, in minor units of
 * `currency`.
 */
limit: number | null, dailyLimit: number | null, currency: string | null, };

export const ERROR_CODES: readonly ErrorCode[] = ["INTERNAL", "DATA_DIR_UNAVAILABLE", "STORAGE_FULL", "STORAGE_FAILED", "DATABASE_UNREACHABLE", "SHARED_DATABASE_NOT_EMPTY", "BACKUP_ON_SERVER", "PAIRING_REFUSED", "SHOP_MISMATCH", "PASSPHRASE_WEAK", "TILL_REVOKED", "ROW_TAMPERED", "STAFF_LIST_MISSING", "SHOP_KEY_MISSING", "NOT_FOUND", "INVALID_INPUT", "SETTINGS_INVALID", "KEYRING_UNAVAILABLE", "KEYRING_LOCKED", "KEY_MISSING", "KEY_INVALID", "TOKEN_UNREADABLE", "DATA_KEY_MISSING", "ANTOM_UNREACHABLE", "ANTOM_REJECTED_SIGNATURE", "ANTOM_RESPONSE_INVALID", "ANTOM_FAILED", "ANTOM_UNKNOWN", "BINDING_DECLINED", "BINDING_EXPIRED", "BINDING_PENDING", "NOTIFICATION_INVALID", "SIGN_IN_REQUIRED", "PERMISSION_DENIED", "PIN_WRONG", "PIN_LOCKED", "PIN_WEAK", "PIN_IN_USE", "KIOSK_LOCKED", "STAFF_REQUIRED", "KIOSK_CODE_WRONG", "KIOSK_CODE_PAUSED", "OWNER_PIN_REQUIRED", "BACKUP_PASSPHRASE_WRONG", "BACKUP_DAMAGED", "BACKUP_TOO_NEW", "AMOUNT_INVALID", "CARD_NOT_CHARGEABLE", "REFUND_NOT_POSSIBLE", "CANCEL_NOT_POSSIBLE", "REQUEST_INCONSISTENT", "RECEIPT_NOT_AVAILABLE", "PRINT_FAILED"];
/** The app's languages, English first (`i18n::LOCALES`). */
export const LOCALES: readonly string[] = ["en", "pt", "ko", "es", "fr", "de", "it", "nl"];
/** The currencies a shop may choose, ISO 4217 (`money::CURRENCIES`). */
export const CURRENCIES: readonly string[] = ["AED", "AUD", "BHD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EUR", "GBP", "HKD", "HUF", "IDR", "ILS", "INR", "ISK", "JOD", "JPY", "KRW", "KWD", "MXN", "MYR", "NOK", "NZD", "OMR", "PEN", "PHP", "PLN", "QAR", "SAR", "SEK", "SGD", "THB", "TND", "TRY", "TWD", "USD", "VND", "ZAR"];
/** The connection check's lines, in order (`connection::CheckItem`). */
export const CHECK_ITEMS: readonly CheckItem[] = ["REACH", "CLIENT_HOST", "SIGNATURE", "ANSWER", "CLOCK"];
/** Attempts nobody waits for any more: final, or cancelled (`AttemptState::is_closed`). */
export const CLOSED_ATTEMPT_STATES: readonly AttemptState[] = ["SUCCEEDED", "FAILED", "EXPIRED", "CANCELLED", "ABANDONED"];
/** Payments Antom has more to say about (the pay's answer, or an authorisation's capture): asked about again (`PaymentState::is_settled`). */
export const OPEN_PAYMENT_STATES: readonly PaymentState[] = ["SENDING", "PENDING", "AUTHORISED"];
