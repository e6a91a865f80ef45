//! Errors as the UI sees them: `{code, message}`, where `code` is a stable identifier the UI can
//! match on and translate, and `message` a human-readable explanation that never contains
//! secrets, request bodies or signatures.

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

crate::wire_enum! {
    /// Stable error codes. Adding one is fine; renaming or removing one is a breaking change for
    /// the UI and for translations (each code has a message id `error-<code in kebab case>`).
    /// The UI's list (`ERROR_CODES`) is generated from this one.
    pub enum ErrorCode {
        /// A bug or an unexpected state; the message says what.
        Internal = "INTERNAL",
        /// The app's data or config directory cannot be found or created.
        DataDirUnavailable = "DATA_DIR_UNAVAILABLE",
        /// The disk is full: nothing was written, nothing was lost.
        StorageFull = "STORAGE_FULL",
        /// The card database cannot be opened or written (corrupt, read-only, locked).
        StorageFailed = "STORAGE_FAILED",
        /// The shop's shared database (PostgreSQL) cannot be reached: nothing was started, and
        /// the till resumes when the server is back.
        DatabaseUnreachable = "DATABASE_UNREACHABLE",
        /// A move into the shared database was refused: it already holds a shop's rows.
        SharedDatabaseNotEmpty = "SHARED_DATABASE_NOT_EMPTY",
        /// Backups are not made from a till of a shop on a shared database: its server has them.
        BackupOnServer = "BACKUP_ON_SERVER",
        /// A pairing of a new till was refused (no code, a wrong or expired one, or an answer
        /// not written by the owner's till); the message says which.
        PairingRefused = "PAIRING_REFUSED",
        /// The shared database is not the one this till's shop moved to (it holds no shop
        /// identity, or another one): the shop's keys are not offered into it.
        ShopMismatch = "SHOP_MISMATCH",
        /// A backup passphrase is too short or too easy to guess (it is all that protects the keys
        /// in a backup file).
        PassphraseWeak = "PASSPHRASE_WEAK",
        /// An owner revoked this till: it no longer uses the shop's keys.
        TillRevoked = "TILL_REVOKED",
        /// A row that authorises (a staff member, a card's customer, the activity log) fails
        /// its seal: someone changed it in the database; it is refused, never believed.
        RowTampered = "ROW_TAMPERED",
        /// This till has had staff, and the database now has none who can sign in: the shop's
        /// staff list is missing (never open mode).
        StaffListMissing = "STAFF_LIST_MISSING",
        /// This till holds the shop's data key but not the row key the shop's rows are sealed
        /// with (or another one): pair it again.
        ShopKeyMissing = "SHOP_KEY_MISSING",
        /// The customer, card or attempt does not exist (or was removed).
        NotFound = "NOT_FOUND",
        /// A field is missing or malformed; the message names it.
        InvalidInput = "INVALID_INPUT",
        /// The settings file or a setting is invalid; the message names it.
        SettingsInvalid = "SETTINGS_INVALID",
        /// No OS keyring (Secret Service) is reachable.
        KeyringUnavailable = "KEYRING_UNAVAILABLE",
        /// The OS keyring is locked.
        KeyringLocked = "KEYRING_LOCKED",
        /// A key the environment needs is not in the keyring yet.
        KeyMissing = "KEY_MISSING",
        /// A key is malformed, of the wrong type or size, or does not match.
        KeyInvalid = "KEY_INVALID",
        /// A stored card token cannot be decrypted with this computer's data key.
        TokenUnreadable = "TOKEN_UNREADABLE",
        /// The data key that encrypts saved cards is gone from the OS keyring while the database
        /// needs it; it is never silently replaced.
        DataKeyMissing = "DATA_KEY_MISSING",
        /// Antom could not be reached (network, timeout, HTTP 5xx).
        AntomUnreachable = "ANTOM_UNREACHABLE",
        /// Antom answered INVALID_SIGNATURE: wrong merchant key or client id.
        AntomRejectedSignature = "ANTOM_REJECTED_SIGNATURE",
        /// Antom's answer was unsigned, wrongly signed or garbled; it was not trusted.
        AntomResponseInvalid = "ANTOM_RESPONSE_INVALID",
        /// Antom refused the request (an F result); the message has its code.
        AntomFailed = "ANTOM_FAILED",
        /// Antom's result is unknown (U) after retries; try again later.
        AntomUnknown = "ANTOM_UNKNOWN",
        /// The card was declined; the message has Antom's code.
        BindingDeclined = "BINDING_DECLINED",
        /// The card form expired before a card was entered.
        BindingExpired = "BINDING_EXPIRED",
        /// The bank is still verifying the card.
        BindingPending = "BINDING_PENDING",
        /// A notification failed its signature check or was malformed.
        NotificationInvalid = "NOTIFICATION_INVALID",
        /// Staff are set up and nobody is signed in: enter a PIN.
        SignInRequired = "SIGN_IN_REQUIRED",
        /// The signed-in staff member's role may not do this; a manager or owner must approve.
        PermissionDenied = "PERMISSION_DENIED",
        /// No active staff member has this PIN.
        PinWrong = "PIN_WRONG",
        /// Too many wrong PINs: PIN entry is paused for a while.
        PinLocked = "PIN_LOCKED",
        /// A new PIN is too short, not digits, or too easy to guess.
        PinWeak = "PIN_WEAK",
        /// Another staff member already uses this PIN (PINs identify their owner).
        PinInUse = "PIN_IN_USE",
        /// The till is in kiosk mode: only the customer's steps run until a manager leaves it.
        KioskLocked = "KIOSK_LOCKED",
        /// Kiosk mode needs a manager or owner with a PIN (someone must be able to leave it).
        StaffRequired = "STAFF_REQUIRED",
        /// A kiosk code that is wrong, already used or expired (which one is not said).
        KioskCodeWrong = "KIOSK_CODE_WRONG",
        /// Too many wrong kiosk codes: code entry is paused for a while.
        KioskCodePaused = "KIOSK_CODE_PAUSED",
        /// Switching to production needs an owner's PIN (and an owner to exist).
        OwnerPinRequired = "OWNER_PIN_REQUIRED",
        /// The passphrase does not open the backup file.
        BackupPassphraseWrong = "BACKUP_PASSPHRASE_WRONG",
        /// The backup file is truncated, altered or not a cardbind backup.
        BackupDamaged = "BACKUP_DAMAGED",
        /// The backup was made by a newer cardbind.
        BackupTooNew = "BACKUP_TOO_NEW",
        /// An amount that is not a whole number of the currency's minor units above zero, or in
        /// another currency than the shop's.
        AmountInvalid = "AMOUNT_INVALID",
        /// The card was removed (or its removal waits for Antom): it cannot be charged.
        CardNotChargeable = "CARD_NOT_CHARGEABLE",
        /// Only a successful payment can be refunded, and never by more than is left.
        RefundNotPossible = "REFUND_NOT_POSSIBLE",
        /// The payment can no longer be cancelled (settled, refunded or declined): refund it.
        CancelNotPossible = "CANCEL_NOT_POSSIBLE",
        /// Antom says a request id was used before with another body (REPEAT_REQ_INCONSISTENT):
        /// a bug, never retried; the message names the request.
        RequestInconsistent = "REQUEST_INCONSISTENT",
        /// Only a payment or a refund Antom reported as succeeded has a receipt.
        ReceiptNotAvailable = "RECEIPT_NOT_AVAILABLE",
        /// The receipt could not be printed to a PDF file (the message says why).
        PrintFailed = "PRINT_FAILED",
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The one error type commands return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{code}: {message}")]
pub struct AppError {
    pub code: ErrorCode,
    pub message: String,
    /// The input field the error is about (`clientId`, `backup.folder`, ...), as data: the UI
    /// marks that field without reading the message.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError { code, message: message.into(), field: None }
    }

    /// An error about one input field: `field` as data, and named in the message for people.
    pub fn in_field(code: ErrorCode, field: &str, why: impl std::fmt::Display) -> Self {
        AppError { code, message: format!("{field}: {why}"), field: Some(field.to_string()) }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The disk (or the user's quota) is full: ENOSPC, or the platform's own kind for it.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull
}

/// A file that could not be written (or read): a full disk is `STORAGE_FULL`, anything else
/// `other`; `what` says what failed and what that means ("the receipt was not saved").
pub fn io_error(e: std::io::Error, other: ErrorCode, what: &str) -> AppError {
    if is_disk_full(&e) {
        AppError::new(ErrorCode::StorageFull, format!("the disk is full; {what}"))
    } else {
        AppError::new(other, format!("{what}: {e}"))
    }
}

impl From<antom::AntomError> for AppError {
    fn from(e: antom::AntomError) -> Self {
        use antom::AntomError as E;
        let code = match &e {
            E::Transport { .. } | E::HttpStatus { .. } => ErrorCode::AntomUnreachable,
            E::RequestSignatureRejected => ErrorCode::AntomRejectedSignature,
            E::Request(_) => ErrorCode::Internal,
            E::ResponseSignature(_)
            | E::ClientIdMismatch { .. }
            | E::MissingHeader(_)
            | E::MalformedResponse { .. }
            | E::AnswerMismatch { .. }
            | E::StaleResponse { .. } => ErrorCode::AntomResponseInvalid,
        };
        AppError::new(code, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_code_and_message() {
        let e = AppError::new(ErrorCode::DataDirUnavailable, "no home directory");
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"code":"DATA_DIR_UNAVAILABLE","message":"no home directory"}"#
        );
    }

    #[test]
    fn a_field_error_carries_its_field_as_data() {
        let e = AppError::in_field(ErrorCode::SettingsInvalid, "clientId", "not set");
        assert_eq!(
            serde_json::to_value(&e).unwrap(),
            serde_json::json!({ "code": "SETTINGS_INVALID", "message": "clientId: not set", "field": "clientId" })
        );
    }

    #[test]
    fn wire_names_match_as_str() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
