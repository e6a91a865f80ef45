//! `row_key_check`: a value only the shop's row key makes (see [`crate::shop::seals`]).

use crate::db::now;
use crate::db::{Connection, OptionalExtension};
use crate::error::AppResult;
use crate::params;

pub fn get(conn: &Connection) -> AppResult<Option<Vec<u8>>> {
    Ok(conn.query_row("SELECT key_check FROM row_key_check WHERE id = 1", (), |r| r.get(0)).optional()?)
}

/// Record the check value (only the first one is kept); whether this one was.
pub fn insert(conn: &Connection, key_check: &[u8]) -> AppResult<bool> {
    Ok(conn.execute(
        "INSERT INTO row_key_check (id, key_check, created_at) VALUES (1, ?1, ?2) ON CONFLICT (id) DO NOTHING",
        params![key_check, now()],
    )? == 1)
}

/// The key was rotated: the new key's value replaces the old one's.
pub fn replace(conn: &Connection, key_check: &[u8]) -> AppResult<()> {
    conn.execute("UPDATE row_key_check SET key_check = ?1, created_at = ?2 WHERE id = 1", params![key_check, now()])?;
    Ok(())
}
