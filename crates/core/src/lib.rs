//! cardbind's domain, without Tauri: what the desktop shell's commands call, testable without a
//! window.
//!
//! Layers, from the top; a layer names only those below it (`crates/testkit/tests/architecture.rs`):
//!
//! * [`app`]: the only layer that sees the [`app::AppContext`] (the composition root; demo mode's
//!   simulator behind the `demo` feature), switching settings at runtime, background jobs, and
//!   [`app::ops`], the use cases, one function per command, by area; [`api`]: the typed command
//!   schema the UI's TypeScript, the shell's permissions and its capability file are made from.
//! * [`flows`]: the till's work with Antom: one [`flows::Till`], the shared sending skeleton, and
//!   the binding, payment, refund and removal machines; the notification listener.
//! * [`staff`]: roles, PINs and their throttle, access checks, the session, kiosk codes;
//!   [`shop`]: pairing tills and what a joining till adopts.
//! * [`store`]: every SQL statement, one module per table family; [`db`]: the connection and
//!   migrations.
//! * [`settings`], [`secrets`] (the OS keyring), [`crypto`] (token sealing), [`i18n`],
//!   [`export`], [`backup`] (encrypted backup and restore), [`paths`], [`error`] (`{code, message}` with stable codes), [`vocab`] (one
//!   declaration per vocabulary).

pub mod api;
pub mod app;
pub mod backup;
pub mod connection;
pub mod crypto;
pub mod db;
pub mod error;
pub mod export;
pub mod flows;
#[doc(hidden)]
pub mod fuzzing;
pub mod i18n;
pub mod money;
pub mod paths;
pub mod receipts;
pub mod rotation;
pub mod secrets;
pub mod settings;
pub mod shop;
pub mod staff;
pub mod store;
pub mod synthetic;
pub mod vocab;

pub use error::{AppError, ErrorCode};

/// The bundle identifier. It names the app's directories and keyring service; never change it.
pub const APP_IDENTIFIER: &str = "dev.cardbind.app";
