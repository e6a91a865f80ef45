//! cardbind's domain, without Tauri: what the desktop shell's commands call, testable without a
//! window.
//!
//! * [`ops`]: the use cases, one function per command; [`api`]: the typed command schema the UI's
//!   TypeScript, the shell's permissions and its capability file are generated from.
//! * [`access`]: who may run a command (roles, kiosk fence); [`staff`]: roles, PINs, throttling.
//! * [`binding`]: the binding state machine; [`payments`]: charges, refunds, cancels and token
//!   revocation, shaped the same way; [`listener`]: Antom's notifications into both.
//! * [`store`]: every SQL statement, one module per table family; [`db`]: the connection and
//!   migrations.
//! * [`context`]: the composition root (settings, database, keyring, Antom client, and in demo
//!   mode the simulator: the `demo` feature).
//! * [`settings`], [`secrets`] (the OS keyring), [`crypto`] (token sealing), [`i18n`],
//!   [`export`], [`backup`] (encrypted backup and restore), [`paths`], [`error`] (`{code, message}` with stable codes), [`vocab`] (one
//!   declaration per vocabulary).

pub mod access;
pub mod api;
pub mod backup;
pub mod binding;
pub mod connection;
pub mod context;
pub mod crypto;
pub mod db;
pub mod error;
pub mod export;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod kiosk;
pub mod listener;
pub mod money;
pub mod ops;
pub mod pairing;
pub mod paths;
pub mod payments;
pub mod receipts;
pub mod secrets;
pub mod settings;
pub mod staff;
pub mod store;
pub mod synthetic;
pub mod vocab;

pub use error::{AppError, ErrorCode};

/// The bundle identifier. It names the app's directories and keyring service; never change it.
pub const APP_IDENTIFIER: &str = "dev.cardbind.app";
