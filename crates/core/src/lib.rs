//! cardbind's domain, without Tauri: what the desktop shell's commands call, testable without a
//! window.
//!
//! * [`error`]: the error that crosses the IPC edge as `{code, message}` with stable codes.
//! * [`paths`]: where the app keeps its files.
//! * [`app`]: the `app_info` use case.
//! * [`api`]: the one typed command schema; the UI's TypeScript bindings are generated from it.

pub mod access;
pub mod api;
pub mod app;
pub mod binding;
pub mod context;
pub mod crypto;
pub mod db;
pub mod error;
pub mod export;
pub mod i18n;
pub mod listener;
pub mod ops;
pub mod paths;
pub mod secrets;
pub mod settings;
pub mod staff;
pub mod store;
pub mod synthetic;

pub use error::{AppError, ErrorCode};

/// The bundle identifier. It names the app's directories and keyring service; never change it.
pub const APP_IDENTIFIER: &str = "dev.cardbind.app";
