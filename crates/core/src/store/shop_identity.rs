//! The `shop_identity` table: the one row naming the shop a database belongs to
//! ([`crate::shop::identity`]).

use crate::db::{Connection, OptionalExtension};
use crate::error::AppResult;

pub fn get(conn: &Connection) -> AppResult<Option<String>> {
    Ok(conn.query_row("SELECT identity FROM shop_identity WHERE id = 1", (), |r| r.get(0)).optional()?)
}

/// Write the identity (replacing one that is there: only [`crate::shop::identity::create`] does).
pub fn set(conn: &Connection, identity: &str) -> AppResult<()> {
    conn.execute(
        "INSERT INTO shop_identity (id, identity, created_at) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO UPDATE SET identity = excluded.identity, created_at = excluded.created_at",
        crate::params![identity, crate::db::now()],
    )?;
    Ok(())
}
