//! Staff and the wrong-PIN throttle (`staff`, `pin_throttle`). The rules (roles, PIN strength,
//! hashing, how long a pause lasts) are in [`crate::staff`]; this module only reads and writes.

use crate::db::now;
use crate::db::{Connection, OptionalExtension};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::Serialize;
use ts_rs::TS;

crate::wire_enum! {
    /// Staff roles, ordered: cashier < manager < owner (the declaration order). Stored in the
    /// `role` column, whose CHECK constraint allows only these.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Cashier = "cashier",
        Manager = "manager",
        Owner = "owner",
    }
}

/// A staff member as the rest of the app sees them (never the PIN or its hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffMember {
    pub id: i64,
    pub name: String,
    pub role: Role,
    pub created_at: String,
    pub disabled_at: Option<String>,
}

/// Who is signed in (or approved an action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

fn member(r: &crate::db::Row) -> crate::db::Result<StaffMember> {
    Ok(StaffMember { id: r.get(0)?, name: r.get(1)?, role: r.get(2)?, created_at: r.get(3)?, disabled_at: r.get(4)? })
}

/// Everyone, active first, by name.
pub fn list(conn: &Connection) -> AppResult<Vec<StaffMember>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, role, created_at, disabled_at FROM staff ORDER BY disabled_at IS NOT NULL, {}, id",
        super::sql::nocase(conn.dialect(), "name")
    ))?;
    let rows = stmt.query_map((), member)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> AppResult<StaffMember> {
    conn.query_row("SELECT id, name, role, created_at, disabled_at FROM staff WHERE id = ?1", [id], member)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("staff member {id}")))
}

/// Staff are set up: someone active has a PIN (otherwise the app is in open mode).
pub fn configured(conn: &Connection) -> AppResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE disabled_at IS NULL AND pin_hash IS NOT NULL)",
        (),
        |r| r.get(0),
    )?)
}

/// A manager or owner can sign in (needed before kiosk mode may start).
pub fn manager_exists(conn: &Connection) -> AppResult<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM staff WHERE disabled_at IS NULL AND pin_hash IS NOT NULL AND role IN (?1, ?2))",
        params![Role::Manager, Role::Owner],
        |r| r.get(0),
    )?)
}

/// Active owners who can sign in.
pub fn active_owners(conn: &Connection) -> AppResult<i64> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM staff WHERE role = ?1 AND disabled_at IS NULL AND pin_hash IS NOT NULL",
        [Role::Owner],
        |r| r.get(0),
    )?)
}

/// Active staff who can sign in, with their PIN hashes.
pub fn active_hashes(conn: &Connection) -> AppResult<Vec<(Operator, String)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, role, pin_hash FROM staff WHERE disabled_at IS NULL AND pin_hash IS NOT NULL ORDER BY id",
    )?;
    let rows = stmt
        .query_map((), |r| Ok((Operator { id: r.get(0)?, name: r.get(1)?, role: r.get(2)? }, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

/// A new staff member with a PIN hash; their id.
pub fn insert(conn: &Connection, name: &str, role: Role, pin_hash: &str) -> AppResult<i64> {
    Ok(conn.query_row(
        "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        params![name, role, pin_hash, now()],
        |r| r.get(0),
    )?)
}

pub fn set_pin_hash(conn: &Connection, id: i64, pin_hash: &str) -> AppResult<()> {
    conn.execute("UPDATE staff SET pin_hash = ?1 WHERE id = ?2", params![pin_hash, id])?;
    Ok(())
}

pub fn set_disabled(conn: &Connection, id: i64) -> AppResult<()> {
    conn.execute("UPDATE staff SET disabled_at = ?1 WHERE id = ?2", params![now(), id])?;
    Ok(())
}

/// The wrong-PIN counter of one scope (the till).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Throttle {
    /// Wrong PINs in a row since the last pause or success.
    pub failures: i64,
    /// Pauses so far (each doubles the next).
    pub lockouts: i64,
    /// Until when PIN entry is paused (ms since the Unix epoch).
    pub locked_until: Option<i64>,
    /// The last wrong PIN (ms since the Unix epoch).
    pub last_failure_at: Option<i64>,
}

pub fn throttle(conn: &Connection, scope: &str) -> AppResult<Throttle> {
    Ok(conn
        .query_row(
            "SELECT failures, lockouts, locked_until, last_failure_at FROM pin_throttle WHERE scope = ?1",
            [scope],
            |r| {
                Ok(Throttle {
                    failures: r.get(0)?,
                    lockouts: r.get(1)?,
                    locked_until: r.get(2)?,
                    last_failure_at: r.get(3)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// Count one wrong PIN for `scope` in one statement (a wrong PIN at another till at the same
/// moment counts too: the update re-reads the row); failures are forgotten when the last was
/// more than `forget_ms` ago. Returns (failures, lockouts so far).
pub fn count_failure(conn: &Connection, scope: &str, now: i64, forget_ms: i64) -> AppResult<(i64, i64)> {
    Ok(conn.query_row(
        "INSERT INTO pin_throttle (scope, failures, lockouts, locked_until, last_failure_at) VALUES (?1, 1, 0, NULL, ?2)
         ON CONFLICT (scope) DO UPDATE SET
             failures = CASE WHEN pin_throttle.last_failure_at IS NOT NULL AND ?2 - pin_throttle.last_failure_at > ?3
                             THEN 1 ELSE pin_throttle.failures + 1 END,
             lockouts = CASE WHEN pin_throttle.last_failure_at IS NOT NULL AND ?2 - pin_throttle.last_failure_at > ?3
                             THEN 0 ELSE pin_throttle.lockouts END,
             locked_until = CASE WHEN pin_throttle.last_failure_at IS NOT NULL AND ?2 - pin_throttle.last_failure_at > ?3
                             THEN NULL ELSE pin_throttle.locked_until END,
             last_failure_at = ?2
         RETURNING failures, lockouts",
        params![scope, now, forget_ms],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Pause PIN entry for `scope` until `until` when `free` or more wrong PINs were counted, once:
/// of two tills that both saw the last free try used, one pauses; whether this one did.
pub fn pause(conn: &Connection, scope: &str, until: i64, free: i64) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE pin_throttle SET failures = 0, lockouts = lockouts + 1, locked_until = ?2
         WHERE scope = ?1 AND failures >= ?3",
        params![scope, until, free],
    )? == 1)
}

/// On a shared server: the staff of another environment's schema (`cardbind_sandbox`) into this
/// connection's, if this one has none yet (as [`copy_from`] does between SQLite files).
pub fn copy_from_schema(conn: &Connection, schema: &str) -> AppResult<usize> {
    if !schema.starts_with("cardbind_") || !schema.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
        return Err(AppError::new(ErrorCode::Internal, format!("{schema:?} is not an environment's schema")));
    }
    let tx = conn.unchecked_transaction()?;
    let mine: i64 = tx.query_row("SELECT COUNT(*) FROM staff", (), |r| r.get(0))?;
    if mine > 0 {
        return Ok(0);
    }
    let n = tx.execute(
        &format!(
            "INSERT INTO staff (id, name, role, pin_hash, created_at, disabled_at)
             SELECT id, name, role, pin_hash, created_at, disabled_at FROM {schema}.staff"
        ),
        (),
    )?;
    crate::db::resync_ids(&tx)?;
    tx.commit()?;
    Ok(n)
}

/// Copy the staff (names, roles, PIN hashes, disabled marks, with their ids) from the database
/// at `other` into this one, which has none yet: a new environment's database starts with the
/// shop's staff. Returns how many were copied.
pub fn copy_from(conn: &Connection, other: &std::path::Path) -> AppResult<usize> {
    conn.execute("ATTACH DATABASE ?1 AS other", [other.to_string_lossy()])?;
    let copied = (|| -> AppResult<usize> {
        let tx = conn.unchecked_transaction()?;
        let mine: i64 = tx.query_row("SELECT COUNT(*) FROM main.staff", (), |r| r.get(0))?;
        if mine > 0 {
            return Ok(0);
        }
        let n = tx.execute(
            "INSERT INTO main.staff (id, name, role, pin_hash, created_at, disabled_at)
             SELECT id, name, role, pin_hash, created_at, disabled_at FROM other.staff",
            (),
        )?;
        tx.commit()?;
        Ok(n)
    })();
    conn.execute("DETACH DATABASE other", ())?;
    copied
}
