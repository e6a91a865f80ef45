//! Staff and the wrong-PIN throttle (`staff`, `pin_throttle`). The rules (roles, PIN strength,
//! hashing, how long a pause lasts) are in [`crate::staff`]; this module only reads and writes.

use crate::crypto::{Field, RowKey};
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
    /// The row's seal holds (false: someone changed it in the database; never believed).
    pub sealed: bool,
}

/// Who is signed in (or approved an action).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Operator {
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// A staff row as stored, with its seal.
struct Stored {
    member: StaffMember,
    pin_hash: Option<String>,
    mac: Option<Vec<u8>>,
}

const COLS: &str = "id, name, role, created_at, disabled_at, pin_hash, row_mac";

fn stored(r: &crate::db::Row) -> crate::db::Result<Stored> {
    Ok(Stored {
        member: StaffMember {
            id: r.get(0)?,
            name: r.get(1)?,
            role: r.get(2)?,
            created_at: r.get(3)?,
            disabled_at: r.get(4)?,
            sealed: true,
        },
        pin_hash: r.get(5)?,
        mac: r.get(6)?,
    })
}

/// What a staff row's MAC covers: who they are, their role, their PIN hash and whether they
/// are disabled ([`crate::shop::seals`]).
fn seal_fields<'a>(m: &'a StaffMember, pin_hash: Option<&'a str>) -> [Field<'a>; 6] {
    [
        Field::Int(m.id),
        m.name.as_str().into(),
        m.role.as_str().into(),
        pin_hash.into(),
        m.created_at.as_str().into(),
        m.disabled_at.as_deref().into(),
    ]
}

fn mac_of(key: &RowKey, m: &StaffMember, pin_hash: Option<&str>) -> Vec<u8> {
    key.mac("staff", &seal_fields(m, pin_hash))
}

/// Every row, each marked whether its seal holds (always, on a connection without the row key).
fn all(conn: &Connection) -> AppResult<Vec<Stored>> {
    let key = conn.row_key();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLS} FROM staff ORDER BY disabled_at IS NOT NULL, {}, id",
        super::sql::nocase(conn.dialect(), "name")
    ))?;
    let mut rows = stmt.query_map((), stored)?.collect::<Result<Vec<_>, _>>()?;
    if let Some(k) = key {
        for r in &mut rows {
            r.member.sealed = k.verify("staff", &seal_fields(&r.member, r.pin_hash.as_deref()), r.mac.as_deref());
        }
    }
    Ok(rows)
}

/// Staff who can sign in: active, with a PIN, and a seal that holds.
fn able(conn: &Connection) -> AppResult<Vec<Stored>> {
    Ok(all(conn)?
        .into_iter()
        .filter(|r| r.member.sealed && r.member.disabled_at.is_none() && r.pin_hash.is_some())
        .collect())
}

/// Everyone, active first, by name (rows whose seal fails marked, never believed).
pub fn list(conn: &Connection) -> AppResult<Vec<StaffMember>> {
    Ok(all(conn)?.into_iter().map(|r| r.member).collect())
}

fn stored_row(conn: &Connection, id: i64) -> AppResult<Stored> {
    let mut r = conn
        .query_row(&format!("SELECT {COLS} FROM staff WHERE id = ?1"), [id], stored)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("staff member {id}")))?;
    if let Some(k) = conn.row_key() {
        r.member.sealed = k.verify("staff", &seal_fields(&r.member, r.pin_hash.as_deref()), r.mac.as_deref());
    }
    Ok(r)
}

/// A staff member whose row's seal holds (`ROW_TAMPERED` otherwise).
pub fn get(conn: &Connection, id: i64) -> AppResult<StaffMember> {
    let r = stored_row(conn, id)?;
    if !r.member.sealed {
        return Err(super::sql::tampered(&format!("staff member {id}")));
    }
    Ok(r.member)
}

/// Staff are set up: someone active has a PIN and a sealed row (otherwise the app is in open
/// mode, or — on a till that has had staff — in the "staff list missing" state).
pub fn configured(conn: &Connection) -> AppResult<bool> {
    Ok(!able(conn)?.is_empty())
}

/// Whether the table holds any row at all (sealed or not, disabled or not).
pub fn any_rows(conn: &Connection) -> AppResult<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM staff)", (), |r| r.get(0))?)
}

/// A manager or owner can sign in (needed before kiosk mode may start).
pub fn manager_exists(conn: &Connection) -> AppResult<bool> {
    Ok(able(conn)?.iter().any(|r| r.member.role >= Role::Manager))
}

/// Active owners who can sign in.
pub fn active_owners(conn: &Connection) -> AppResult<i64> {
    Ok(able(conn)?.iter().filter(|r| r.member.role == Role::Owner).count() as i64)
}

/// Active staff who can sign in, with their PIN hashes.
pub fn active_hashes(conn: &Connection) -> AppResult<Vec<(Operator, String)>> {
    let mut rows: Vec<(Operator, String)> = able(conn)?
        .into_iter()
        .map(|r| {
            let m = r.member;
            (Operator { id: m.id, name: m.name, role: m.role }, r.pin_hash.unwrap_or_default())
        })
        .collect();
    rows.sort_by_key(|(op, _)| op.id);
    Ok(rows)
}

/// A new staff member with a PIN hash; their id. Sealed in the same transaction.
pub fn insert(conn: &Connection, name: &str, role: Role, pin_hash: &str) -> AppResult<i64> {
    crate::db::atomically(conn, |conn| {
        let created_at = now();
        let id: i64 = conn.query_row(
            "INSERT INTO staff (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
            params![name, role, pin_hash, created_at],
            |r| r.get(0),
        )?;
        if let Some(k) = conn.row_key() {
            let m = StaffMember { id, name: name.to_string(), role, created_at, disabled_at: None, sealed: true };
            conn.execute("UPDATE staff SET row_mac = ?1 WHERE id = ?2", params![mac_of(&k, &m, Some(pin_hash)), id])?;
        }
        Ok(id)
    })
}

/// Change a sealed row: read and checked (a row whose seal fails is refused, never resealed),
/// changed, sealed again; the update applies only to the row as it was read.
fn change(conn: &Connection, id: i64, f: impl FnOnce(&mut StaffMember, &mut Option<String>)) -> AppResult<()> {
    crate::db::atomically(conn, |conn| {
        let r = stored_row(conn, id)?;
        if !r.member.sealed {
            return Err(super::sql::tampered(&format!("staff member {id}")));
        }
        let (mut m, mut pin_hash) = (r.member.clone(), r.pin_hash.clone());
        f(&mut m, &mut pin_hash);
        let mac = conn.row_key().map(|k| mac_of(&k, &m, pin_hash.as_deref()));
        let n = conn.execute(
            "UPDATE staff SET pin_hash = ?1, disabled_at = ?2, row_mac = ?3
             WHERE id = ?4 AND pin_hash IS NOT DISTINCT FROM ?5 AND disabled_at IS NOT DISTINCT FROM ?6",
            params![pin_hash, m.disabled_at, mac, id, r.pin_hash, r.member.disabled_at],
        )?;
        if n != 1 {
            return Err(AppError::new(
                ErrorCode::StorageFailed,
                format!("staff member {id} changed meanwhile: try again"),
            ));
        }
        Ok(())
    })
}

pub fn set_pin_hash(conn: &Connection, id: i64, pin_hash: &str) -> AppResult<()> {
    change(conn, id, |_, h| *h = Some(pin_hash.to_string()))
}

pub fn set_disabled(conn: &Connection, id: i64) -> AppResult<()> {
    change(conn, id, |m, _| m.disabled_at = Some(now()))
}

/// Seal the rows written before seals existed, with a key just made ([`crate::shop::seals`]):
/// done once, when this till creates the shop's row key, never on a database already sealed.
pub fn seal_unsealed(conn: &Connection, key: &RowKey) -> AppResult<usize> {
    let rows: Vec<Stored> =
        conn.query_map(&format!("SELECT {COLS} FROM staff WHERE row_mac IS NULL"), (), stored)?.into_iter().collect();
    for r in &rows {
        conn.execute(
            "UPDATE staff SET row_mac = ?1 WHERE id = ?2 AND row_mac IS NULL",
            params![mac_of(key, &r.member, r.pin_hash.as_deref()), r.member.id],
        )?;
    }
    Ok(rows.len())
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
            "INSERT INTO staff (id, name, role, pin_hash, created_at, disabled_at, row_mac)
             SELECT id, name, role, pin_hash, created_at, disabled_at, row_mac FROM {}.staff",
            crate::db::ident(schema)
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
            "INSERT INTO main.staff (id, name, role, pin_hash, created_at, disabled_at, row_mac)
             SELECT id, name, role, pin_hash, created_at, disabled_at, row_mac FROM other.staff",
            (),
        )?;
        tx.commit()?;
        Ok(n)
    })();
    conn.execute("DETACH DATABASE other", ())?;
    copied
}
