//! The activity log (`audit_log`): append-only (triggers refuse UPDATE and DELETE; on a shared
//! database the tills' roles may only INSERT). `detail` never holds secrets: tokens, keys,
//! signatures or request bodies.
//!
//! Where this till holds the shop's row key, each row carries `chain`: a MAC over the chain of
//! the sealed row before it and this row's fields ([`crate::shop::seals`]), so a row edited or
//! deleted in the database breaks the chain at that row ([`verify_chain`]). Rows are chained
//! one at a time: on PostgreSQL under a transaction-scoped advisory lock (which needs no
//! privilege), in SQLite under its write lock.

use crate::crypto::{Field, RowKey};
use crate::db::now;
use crate::db::{Connection, OptionalExtension};
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
    let Some(key) = conn.row_key() else {
        conn.execute(
            "INSERT INTO audit_log (at, staff_id, action, subject, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), staff_id, action, subject, detail],
        )?;
        return Ok(());
    };
    crate::db::atomically(conn, |conn| {
        // on a shared database, tills append one at a time (SQLite's file has one writer: this
        // till, under its connection lock)
        if conn.dialect() == crate::db::Dialect::Postgres {
            conn.execute("SELECT pg_advisory_xact_lock(?1)", [CHAIN_LOCK])?;
        }
        let prev = head(conn)?;
        let at = now();
        let chain = link(&key, &prev, &at, staff_id, action, subject, detail);
        conn.execute(
            "INSERT INTO audit_log (at, staff_id, action, subject, detail, chain) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![at, staff_id, action, subject, detail, chain],
        )?;
        Ok(())
    })
}

/// The advisory lock appends to the chain are made under (any number no other lock uses).
const CHAIN_LOCK: i64 = 0x6361_7264_6175_6474;

/// The chain of the last sealed row (empty before the first).
fn head(conn: &Connection) -> AppResult<Vec<u8>> {
    Ok(conn
        .query_row("SELECT chain FROM audit_log WHERE chain IS NOT NULL ORDER BY id DESC LIMIT 1", (), |r| {
            r.get::<Vec<u8>>(0)
        })
        .optional()?
        .unwrap_or_default())
}

fn link(
    key: &RowKey,
    prev: &[u8],
    at: &str,
    staff_id: Option<i64>,
    action: &str,
    subject: Option<&str>,
    detail: Option<&str>,
) -> Vec<u8> {
    key.mac(
        "audit_log",
        &[Field::Bytes(prev), at.into(), staff_id.into(), action.into(), subject.into(), detail.into()],
    )
}

/// How the activity log's chain stands (About, and at start).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainReport {
    /// Rows whose link holds.
    #[ts(type = "number")]
    pub sealed: u64,
    /// Rows from before the chain began (written before seals existed), not checked.
    #[ts(type = "number")]
    pub before_chain: u64,
    /// Rows after the chain began that carry no link: written by a till without the shop's
    /// row key, or inserted by someone else.
    #[ts(type = "number")]
    pub unsealed: u64,
    /// The first row whose link fails: edited, or a sealed row before it deleted.
    #[ts(type = "number | null")]
    pub broken_at: Option<i64>,
}

/// Walk the whole log and check every link with `key`.
pub fn verify_chain(conn: &Connection, key: &RowKey) -> AppResult<ChainReport> {
    let mut report = ChainReport::default();
    let mut prev: Option<Vec<u8>> = None;
    let mut stmt =
        conn.prepare("SELECT id, at, staff_id, action, subject, detail, chain FROM audit_log ORDER BY id")?;
    let mut rows = stmt.query(())?;
    while let Some(r) = rows.next()? {
        let chain: Option<Vec<u8>> = r.get(6)?;
        let Some(chain) = chain else {
            if prev.is_none() {
                report.before_chain += 1;
            } else {
                report.unsealed += 1;
            }
            continue;
        };
        let (id, at, staff_id, action, subject, detail): (
            i64,
            String,
            Option<i64>,
            String,
            Option<String>,
            Option<String>,
        ) = (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?);
        let p = prev.clone().unwrap_or_default();
        let fields = [
            Field::Bytes(&p),
            at.as_str().into(),
            staff_id.into(),
            action.as_str().into(),
            subject.as_deref().into(),
            detail.as_deref().into(),
        ];
        if report.broken_at.is_none() && !key.verify("audit_log", &fields, Some(&chain)) {
            report.broken_at = Some(id);
        }
        report.sealed += u64::from(report.broken_at.is_none());
        prev = Some(chain);
    }
    Ok(report)
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
