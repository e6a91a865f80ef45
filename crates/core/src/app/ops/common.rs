//! What the use cases of every area share: the names they use (`prelude`) and the helpers
//! several areas call (approvals in the audit log, an owner's PIN, ...).

/// What the use cases of every area name.
pub(super) mod prelude {
    pub(crate) use super::{audit_approval, confirm_owner, nonblank, staff_required};
    pub(crate) use crate::app::AppContext;
    pub(crate) use crate::db::lock;
    pub(crate) use crate::error::{AppError, AppResult, ErrorCode};
    pub(crate) use crate::i18n::{self, ConsentText};
    pub(crate) use crate::secrets::Secrets;
    pub(crate) use crate::settings::{Environment, Settings};
    pub(crate) use crate::staff::access::{self, Actor};
    pub(crate) use crate::staff::{self as staff_rules, Action, Operator, Permission, Role, StaffInput, StaffMember};
    pub(crate) use crate::store::{
        self, AuditEntry, CardPage, CardQuery, CardRow, ConsentInput, Customer, CustomerInput,
    };
    pub(crate) use antom::{MerchantPrivateKey, PublicKey, Sensitive};
    pub(crate) use serde::{Deserialize, Serialize};
    pub(crate) use std::time::Duration;
    pub(crate) use ts_rs::TS;
}

use prelude::*;

/// A manager's approval of a cashier's protected action gets its own audit row (the action's
/// row is under the manager's name).
pub(crate) fn audit_approval(conn: &crate::db::Connection, actor: &Actor, subject: &str) -> AppResult<()> {
    match actor.detail() {
        Some(detail) => store::audit(conn, actor.staff_id, "staff.approve", Some(subject), Some(&detail)),
        None => Ok(()),
    }
}

pub(crate) fn staff_required() -> AppError {
    AppError::new(ErrorCode::StaffRequired, "kiosk mode needs a manager or owner with a PIN: add one under Staff")
}

/// An owner's PIN for `what`, checked against this till's own staff (wrong PINs count towards
/// the pause of the pad it is typed at, like any other).
pub(crate) fn confirm_owner(ctx: &AppContext, pin: Option<&Sensitive<String>>, what: &str) -> AppResult<Operator> {
    let Some(pin) = pin.filter(|p| !p.expose().is_empty()) else {
        return Err(AppError::new(ErrorCode::OwnerPinRequired, format!("{what} needs an owner's PIN")));
    };
    let owner = access::identify(ctx, pin.expose())?;
    if owner.role != Role::Owner {
        return Err(AppError::new(ErrorCode::PermissionDenied, format!("only an owner's PIN allows {what}")));
    }
    Ok(owner)
}

pub(crate) fn nonblank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
