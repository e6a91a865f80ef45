//! The activity log (`audit_log`): append-only (triggers refuse UPDATE and DELETE). `detail`
//! never holds secrets: tokens, keys, signatures or request bodies.

use crate::db::now;
use crate::db::Connection;
use crate::error::AppResult;
use crate::params;
use serde::Serialize;
use ts_rs::TS;

/// Append to the audit log. `detail` must never hold secrets (tokens, keys, signatures, bodies).
pub fn audit(
    conn: &Connection,
    staff_id: Option<i64>,
    action: &str,
    subject: Option<&str>,
    detail: Option<&str>,
) -> AppResult<()> {
    conn.execute(
        "INSERT INTO audit_log (at, staff_id, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![now(), staff_id, action, subject, detail],
    )?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub staff_id: Option<i64>,
    /// Who did it (the staff member's name); none in open mode and for the app's own actions.
    pub staff_name: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub detail: Option<String>,
}

fn entry(r: &crate::db::Row) -> crate::db::Result<AuditEntry> {
    Ok(AuditEntry {
        id: r.get(0)?,
        at: r.get(1)?,
        staff_id: r.get(2)?,
        action: r.get(3)?,
        subject: r.get(4)?,
        detail: r.get(5)?,
        staff_name: r.get(6)?,
    })
}

pub fn list_audit(conn: &Connection, before_id: Option<i64>, limit: u32) -> AppResult<Vec<AuditEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.id, a.at, a.staff_id, a.action, a.subject, a.detail, s.name FROM audit_log a \
         LEFT JOIN staff s ON s.id = a.staff_id WHERE a.id < ?1 ORDER BY a.id DESC LIMIT ?2",
    )?;
    let rows = stmt
        .query_map(params![before_id.unwrap_or(i64::MAX), limit.clamp(1, 500)], entry)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// Every audit row, oldest first, one at a time, with the staff member's name (for the CSV
/// export).
pub fn for_each_exported(conn: &Connection, mut f: impl FnMut(AuditEntry) -> AppResult<()>) -> AppResult<()> {
    let mut stmt = conn.prepare(
        "SELECT a.id, a.at, a.staff_id, a.action, a.subject, a.detail, s.name \
         FROM audit_log a LEFT JOIN staff s ON s.id = a.staff_id ORDER BY a.id",
    )?;
    let mut rows = stmt.query(())?;
    while let Some(r) = rows.next()? {
        f(entry(r)?)?;
    }
    Ok(())
}
