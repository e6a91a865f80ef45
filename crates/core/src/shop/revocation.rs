//! A till an owner revoked is cut off: at its next command (every check of
//! [`crate::staff::access`] asks, [`crate::staff::access::Gate::admitted`]), at every reconnect
//! and at start it reads its own row, and once revoked it forgets the shop — every
//! environment's Antom and data keys, the row key, the shared database's address with its
//! password, the shop's identity and its own pairing key — and refuses everything
//! (`TILL_REVOKED`). A server that cannot be reached does not count as "not revoked": the
//! command that asked fails (`DATABASE_UNREACHABLE`) and the next one asks again.
//!
//! It cannot take back what a stolen computer already copied: the README's runbook says what to
//! change, in which order.

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::Secrets;
use crate::settings::{Environment, Settings};
use crate::store;

pub fn revoked() -> AppError {
    AppError::new(
        ErrorCode::TillRevoked,
        "an owner revoked this till: it no longer holds the shop's keys or its database's address",
    )
}

/// Refuse (`TILL_REVOKED`, after forgetting the shop) if the till whose public key is `me` was
/// revoked.
pub fn refuse_if_revoked(conn: &Connection, settings: &Settings, me: &[u8]) -> AppResult<()> {
    if !store::tills::is_revoked(conn, me)? {
        return Ok(());
    }
    forget(settings)?;
    Err(revoked())
}

/// Delete everything of the shop's from this computer's keyring.
pub fn forget(settings: &Settings) -> AppResult<()> {
    for env in Environment::ALL {
        Secrets::for_settings(settings, *env).delete_all()?;
        Secrets::new(*env).delete_all()?;
    }
    crate::secrets::forget_shop()?;
    tracing::warn!("an owner revoked this till: the shop's keys were deleted from this computer");
    Ok(())
}
