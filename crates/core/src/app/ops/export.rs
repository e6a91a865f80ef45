//! CSV exports of the card list and the activity log.

use super::common::prelude::*;

pub use crate::export::{ExportKind, ExportResult};

/// Write the card list (masked data, never tokens) or the activity log as CSV into `dir`.
pub fn export(ctx: &AppContext, kind: ExportKind, dir: &std::path::Path) -> AppResult<ExportResult> {
    let actor = access::authorize(ctx, Action::new("export_csv", Permission::Export).on(kind.audit_action()))?;
    // Its own read-only connection: a million cards take seconds to write, and the app's
    // connection (card list, binding flow, notifications) must not wait for that.
    let result = crate::export::write(&ctx.read_connection()?, kind, ctx.environment(), dir)?;
    let db = ctx.db();
    let conn = lock(&db);
    let file = std::path::Path::new(&result.path).file_name().unwrap_or_default().to_string_lossy();
    store::audit(&conn, actor.staff_id, kind.audit_action(), None, Some(&format!("{} rows to {file}", result.rows)))?;
    audit_approval(&conn, &actor, kind.audit_action())?;
    Ok(result)
}
