//! Errors as the UI sees them: `{code, message}`, where `code` is a stable identifier the UI can
//! match on and translate, and `message` a human-readable explanation that never contains
//! secrets, request bodies or signatures.

use serde::Serialize;
use std::fmt;
use ts_rs::TS;

/// Stable error codes. Adding one is fine; renaming or removing one is a breaking change for the
/// UI and for translations (each code has a message id `error-<code in kebab case>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// A bug or an unexpected state; the message says what.
    Internal,
    /// The app's data or config directory cannot be found or created.
    DataDirUnavailable,
    /// The disk is full: nothing was written, nothing was lost.
    StorageFull,
    /// The card database cannot be opened or written (corrupt, read-only, locked).
    StorageFailed,
    /// The customer, card or attempt does not exist (or was removed).
    NotFound,
    /// A field is missing or malformed; the message names it.
    InvalidInput,
    /// The settings file or a setting is invalid; the message names it.
    SettingsInvalid,
    /// No OS keyring (Secret Service) is reachable.
    KeyringUnavailable,
    /// The OS keyring is locked.
    KeyringLocked,
    /// A key the environment needs is not in the keyring yet.
    KeyMissing,
    /// A key is malformed, of the wrong type or size, or does not match.
    KeyInvalid,
    /// A stored card token cannot be decrypted with this computer's data key.
    TokenUnreadable,
    /// Antom could not be reached (network, timeout, HTTP 5xx).
    AntomUnreachable,
    /// Antom answered INVALID_SIGNATURE: wrong merchant key or client id.
    AntomRejectedSignature,
    /// Antom's answer was unsigned, wrongly signed or garbled; it was not trusted.
    AntomResponseInvalid,
    /// Antom refused the request (an F result); the message has its code.
    AntomFailed,
    /// Antom's result is unknown (U) after retries; try again later.
    AntomUnknown,
    /// The card was declined; the message has Antom's code.
    BindingDeclined,
    /// The card form expired before a card was entered.
    BindingExpired,
    /// The bank is still verifying the card.
    BindingPending,
    /// A notification failed its signature check or was malformed.
    NotificationInvalid,
    /// Staff are set up and nobody is signed in: enter a PIN.
    SignInRequired,
    /// The signed-in staff member's role may not do this; a manager or owner must approve.
    PermissionDenied,
    /// No active staff member has this PIN.
    PinWrong,
    /// Too many wrong PINs: PIN entry is paused for a while.
    PinLocked,
    /// A new PIN is too short, not digits, or too easy to guess.
    PinWeak,
    /// Another staff member already uses this PIN (PINs identify their owner).
    PinInUse,
    /// The terminal is in kiosk mode: only the customer's steps run until a manager leaves it.
    KioskLocked,
    /// Kiosk mode needs a manager or owner with a PIN (someone must be able to leave it).
    StaffRequired,
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[
        ErrorCode::Internal,
        ErrorCode::DataDirUnavailable,
        ErrorCode::StorageFull,
        ErrorCode::StorageFailed,
        ErrorCode::NotFound,
        ErrorCode::InvalidInput,
        ErrorCode::SettingsInvalid,
        ErrorCode::KeyringUnavailable,
        ErrorCode::KeyringLocked,
        ErrorCode::KeyMissing,
        ErrorCode::KeyInvalid,
        ErrorCode::TokenUnreadable,
        ErrorCode::AntomUnreachable,
        ErrorCode::AntomRejectedSignature,
        ErrorCode::AntomResponseInvalid,
        ErrorCode::AntomFailed,
        ErrorCode::AntomUnknown,
        ErrorCode::BindingDeclined,
        ErrorCode::BindingExpired,
        ErrorCode::BindingPending,
        ErrorCode::NotificationInvalid,
        ErrorCode::SignInRequired,
        ErrorCode::PermissionDenied,
        ErrorCode::PinWrong,
        ErrorCode::PinLocked,
        ErrorCode::PinWeak,
        ErrorCode::PinInUse,
        ErrorCode::KioskLocked,
        ErrorCode::StaffRequired,
    ];

    /// The code as it appears on the wire, e.g. `DATA_DIR_UNAVAILABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::DataDirUnavailable => "DATA_DIR_UNAVAILABLE",
            ErrorCode::StorageFull => "STORAGE_FULL",
            ErrorCode::StorageFailed => "STORAGE_FAILED",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::SettingsInvalid => "SETTINGS_INVALID",
            ErrorCode::KeyringUnavailable => "KEYRING_UNAVAILABLE",
            ErrorCode::KeyringLocked => "KEYRING_LOCKED",
            ErrorCode::KeyMissing => "KEY_MISSING",
            ErrorCode::KeyInvalid => "KEY_INVALID",
            ErrorCode::TokenUnreadable => "TOKEN_UNREADABLE",
            ErrorCode::AntomUnreachable => "ANTOM_UNREACHABLE",
            ErrorCode::AntomRejectedSignature => "ANTOM_REJECTED_SIGNATURE",
            ErrorCode::AntomResponseInvalid => "ANTOM_RESPONSE_INVALID",
            ErrorCode::AntomFailed => "ANTOM_FAILED",
            ErrorCode::AntomUnknown => "ANTOM_UNKNOWN",
            ErrorCode::BindingDeclined => "BINDING_DECLINED",
            ErrorCode::BindingExpired => "BINDING_EXPIRED",
            ErrorCode::BindingPending => "BINDING_PENDING",
            ErrorCode::NotificationInvalid => "NOTIFICATION_INVALID",
            ErrorCode::SignInRequired => "SIGN_IN_REQUIRED",
            ErrorCode::PermissionDenied => "PERMISSION_DENIED",
            ErrorCode::PinWrong => "PIN_WRONG",
            ErrorCode::PinLocked => "PIN_LOCKED",
            ErrorCode::PinWeak => "PIN_WEAK",
            ErrorCode::PinInUse => "PIN_IN_USE",
            ErrorCode::KioskLocked => "KIOSK_LOCKED",
            ErrorCode::StaffRequired => "STAFF_REQUIRED",
        }
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
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError { code, message: message.into() }
    }
}

pub type AppResult<T> = Result<T, AppError>;

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
            | E::MalformedResponse { .. } => ErrorCode::AntomResponseInvalid,
        };
        AppError::new(code, e.to_string())
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        let code = match e.sqlite_error_code() {
            Some(C::DiskFull) => ErrorCode::StorageFull,
            Some(_) => ErrorCode::StorageFailed,
            None => match e {
                rusqlite::Error::QueryReturnedNoRows => ErrorCode::NotFound,
                _ => ErrorCode::StorageFailed,
            },
        };
        let message = match code {
            ErrorCode::StorageFull => "the disk is full; free some space and try again (nothing was saved)".to_string(),
            ErrorCode::NotFound => "not found".to_string(),
            _ => format!("the card database failed: {e}"),
        };
        AppError::new(code, message)
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
    fn wire_names_match_as_str() {
        for code in ErrorCode::ALL {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
    }
}
