//! Tills of a shop (`tills`) and the pairing offers that let a new one join (`pairings`).
//! What the rows mean and how they are sealed is [`crate::shop::pairing`]'s; here is only the SQL.

use crate::db::{now, Connection, OptionalExtension};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::params;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShopTill {
    pub id: i64,
    pub name: String,
    /// The first bytes of its public key in hex, to compare with what the till shows.
    pub fingerprint: String,
    pub joined_at: String,
    pub revoked_at: Option<String>,
}

/// A pairing row as the two tills read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pairing {
    pub id: i64,
    pub expires_at: i64,
    pub till_name: Option<String>,
    pub till_key: Option<Vec<u8>>,
    pub request_mac: Option<Vec<u8>>,
    pub sealed: Option<Vec<u8>>,
    pub answer_mac: Option<Vec<u8>>,
    pub finished: bool,
}

pub fn fingerprint(public_key: &[u8]) -> String {
    public_key.iter().take(6).map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

const PAIRING_COLS: &str =
    "id, expires_at, till_name, till_key, request_mac, sealed, answer_mac, finished_at IS NOT NULL";

fn pairing_row(r: &crate::db::Row) -> crate::db::Result<Pairing> {
    Ok(Pairing {
        id: r.get(0)?,
        expires_at: r.get(1)?,
        till_name: r.get(2)?,
        till_key: r.get(3)?,
        request_mac: r.get(4)?,
        sealed: r.get(5)?,
        answer_mac: r.get(6)?,
        finished: r.get(7)?,
    })
}

/// A new offer; any offer still open is closed first (one at a time).
pub fn open_pairing(conn: &Connection, by: Option<i64>, expires_at: i64) -> AppResult<i64> {
    let tx = conn.unchecked_transaction()?;
    let t = now();
    tx.execute("UPDATE pairings SET finished_at = ?1 WHERE finished_at IS NULL", [&t])?;
    // nothing of an earlier offer stays to be searched (closed, expired or answered long ago)
    tx.execute(
        "UPDATE pairings SET request_mac = NULL, sealed = NULL, answer_mac = NULL
         WHERE request_mac IS NOT NULL OR sealed IS NOT NULL OR answer_mac IS NOT NULL",
        (),
    )?;
    let id: i64 = tx.query_row(
        "INSERT INTO pairings (created_by, created_at, expires_at) VALUES (?1, ?2, ?3) RETURNING id",
        params![by, t, expires_at],
        |r| r.get(0),
    )?;
    tx.commit()?;
    Ok(id)
}

pub fn get_pairing(conn: &Connection, id: i64) -> AppResult<Pairing> {
    conn.query_row(&format!("SELECT {PAIRING_COLS} FROM pairings WHERE id = ?1"), [id], pairing_row)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("pairing {id}")))
}

/// The open offer, if one is open and not expired at `now_ms`.
pub fn open_offer(conn: &Connection, now_ms: i64) -> AppResult<Option<Pairing>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {PAIRING_COLS} FROM pairings WHERE finished_at IS NULL AND expires_at > ?1 ORDER BY id DESC LIMIT 1"
            ),
            [now_ms],
            pairing_row,
        )
        .optional()?)
}

/// The new till's request, written once: a second till cannot take an offer already asked for.
pub fn request(conn: &Connection, id: i64, name: &str, key: &[u8], mac: &[u8]) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE pairings SET till_name = ?2, till_key = ?3, request_mac = ?4
         WHERE id = ?1 AND till_key IS NULL AND finished_at IS NULL",
        params![id, name, key.to_vec(), mac.to_vec()],
    )? == 1)
}

/// The pairing row, locked until the caller's transaction ends (PostgreSQL; SQLite's file has one
/// writer, this till): what is checked is what is answered.
pub fn lock_pairing(conn: &Connection, id: i64) -> AppResult<Pairing> {
    let lock = match conn.dialect() {
        crate::db::Dialect::Postgres => " FOR UPDATE",
        crate::db::Dialect::Sqlite => "",
    };
    conn.query_row(&format!("SELECT {PAIRING_COLS} FROM pairings WHERE id = ?1{lock}"), [id], pairing_row)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("pairing {id}")))
}

/// The owner's answer for the till that asked with `key` (as checked), and that till admitted;
/// the caller holds the row ([`lock_pairing`]) in its transaction. The answer is written only
/// onto the request as it was checked.
pub fn answer(
    conn: &Connection,
    id: i64,
    name: &str,
    key: &[u8],
    sealed: &[u8],
    mac: &[u8],
    by: Option<i64>,
) -> AppResult<i64> {
    let t = now();
    let n = conn.execute(
        "UPDATE pairings SET sealed = ?2, answer_mac = ?3
         WHERE id = ?1 AND till_key = ?4 AND till_name = ?5 AND sealed IS NULL AND finished_at IS NULL",
        params![id, sealed.to_vec(), mac.to_vec(), key.to_vec(), name],
    )?;
    if n != 1 {
        return Err(AppError::new(ErrorCode::PairingRefused, "this pairing was already answered, closed or changed"));
    }
    Ok(conn.query_row(
        "INSERT INTO tills (name, public_key, joined_at, approved_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (public_key) DO UPDATE SET name = excluded.name, revoked_at = NULL, revoked_by = NULL
         RETURNING id",
        params![name, key.to_vec(), t, by],
        |r| r.get(0),
    )?)
}

/// Record a till admitted in another environment's schema (tills are the shop's, whichever
/// environment the pairing ran in).
pub fn register(conn: &Connection, name: &str, public_key: &[u8], by: Option<i64>) -> AppResult<()> {
    conn.execute(
        "INSERT INTO tills (name, public_key, joined_at, approved_by) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (public_key) DO UPDATE SET name = excluded.name, revoked_at = NULL, revoked_by = NULL",
        params![name, public_key.to_vec(), now(), by],
    )?;
    Ok(())
}

/// Revoke by public key (in another environment's schema); whether a row was there.
pub fn revoke_key(conn: &Connection, public_key: &[u8], by: Option<i64>) -> AppResult<bool> {
    Ok(conn.execute(
        "UPDATE tills SET revoked_at = ?2, revoked_by = ?3 WHERE public_key = ?1 AND revoked_at IS NULL",
        params![public_key.to_vec(), now(), by],
    )? == 1)
}

pub fn public_key(conn: &Connection, id: i64) -> AppResult<Vec<u8>> {
    conn.query_row("SELECT public_key FROM tills WHERE id = ?1", [id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| AppError::new(ErrorCode::NotFound, format!("till {id} does not exist")))
}

/// Close an offer, wiping what could be searched for its code (the request's and the answer's
/// MACs, the sealed keys).
pub fn finish(conn: &Connection, id: i64) -> AppResult<()> {
    conn.execute(
        "UPDATE pairings SET finished_at = COALESCE(finished_at, ?2), request_mac = NULL, sealed = NULL, answer_mac = NULL
         WHERE id = ?1",
        params![id, now()],
    )?;
    Ok(())
}

pub fn list(conn: &Connection) -> AppResult<Vec<ShopTill>> {
    Ok(conn.query_map(
        "SELECT id, name, public_key, joined_at, revoked_at FROM tills ORDER BY revoked_at IS NOT NULL, id",
        (),
        |r| {
            Ok(ShopTill {
                id: r.get(0)?,
                name: r.get(1)?,
                fingerprint: fingerprint(&r.get::<Vec<u8>>(2)?),
                joined_at: r.get(3)?,
                revoked_at: r.get(4)?,
            })
        },
    )?)
}

pub fn revoke(conn: &Connection, id: i64, by: Option<i64>) -> AppResult<()> {
    let n = conn.execute(
        "UPDATE tills SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now(), by],
    )?;
    if n == 0 {
        return Err(AppError::new(ErrorCode::NotFound, format!("till {id} does not exist or was revoked already")));
    }
    Ok(())
}

/// Whether the till with this public key was revoked.
pub fn is_revoked(conn: &Connection, public_key: &[u8]) -> AppResult<bool> {
    Ok(conn
        .query_row("SELECT revoked_at IS NOT NULL FROM tills WHERE public_key = ?1", [public_key.to_vec()], |r| {
            r.get::<bool>(0)
        })
        .optional()?
        .unwrap_or(false))
}
