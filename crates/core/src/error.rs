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
}

impl ErrorCode {
    pub const ALL: &'static [ErrorCode] = &[ErrorCode::Internal, ErrorCode::DataDirUnavailable];

    /// The code as it appears on the wire, e.g. `DATA_DIR_UNAVAILABLE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::DataDirUnavailable => "DATA_DIR_UNAVAILABLE",
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
