//! `data_key_checks`: per environment, a value sealed with its token data key (see
//! [`crate::secrets::Secrets::data_key_for`]).

use crate::db::now;
use crate::db::{Connection, OptionalExtension};
use crate::error::AppResult;
use crate::params;

pub fn get(conn: &Connection, environment: &str) -> AppResult<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT key_check FROM data_key_checks WHERE environment = ?1", [environment], |r| r.get(0))
        .optional()?)
}

/// Record the check value of an environment's data key (only the first one is kept).
pub fn insert(conn: &Connection, environment: &str, key_check: &[u8]) -> AppResult<()> {
    conn.execute(
        "INSERT INTO data_key_checks (environment, key_check, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (environment) DO NOTHING",
        params![environment, key_check, now()],
    )?;
    Ok(())
}

/// A rotation recorded its new key: the check value is the new key's.
pub fn replace(conn: &Connection, environment: &str, key_check: &[u8]) -> AppResult<()> {
    conn.execute(
        "UPDATE data_key_checks SET key_check = ?2, created_at = ?3 WHERE environment = ?1",
        params![environment, key_check, now()],
    )?;
    Ok(())
}
