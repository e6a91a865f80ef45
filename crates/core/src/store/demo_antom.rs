//! The demo Antom's shared records (`demo_antom`): one sealed blob with a version, which the
//! demo simulators of a shop's tills read and change one at a time (see
//! `context::SharedDemoRecords`). Only the SQL is here; the blob is the simulator's.

use crate::db::Connection;

/// What the blob is sealed under (with the environment's data key), besides the key.
pub const STATE_CONTEXT: &[u8] = b"cardbind demo-antom state v1";
use crate::error::AppResult;
use crate::params;

/// What the row holds compared with version `known` (`None` for any): (version, state), the
/// state only when the version differs. Version 0 is "nothing saved yet".
pub fn latest(conn: &Connection, known: Option<i64>) -> AppResult<(i64, Option<Vec<u8>>)> {
    Ok(conn.query_row(
        "SELECT version, CASE WHEN version = ?1 THEN NULL ELSE state END FROM demo_antom WHERE id = 1",
        [known.unwrap_or(-1)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

/// Hold the row for the rest of the transaction `tx` (a write lock in SQLite, the row's lock in
/// PostgreSQL): another till's change waits until this one commits.
pub fn hold(tx: &Connection) -> AppResult<()> {
    tx.execute("UPDATE demo_antom SET version = version WHERE id = 1", ())?;
    Ok(())
}

/// Save `state` as the next version; the new version.
pub fn save(tx: &Connection, state: &[u8]) -> AppResult<i64> {
    Ok(tx.query_row(
        "UPDATE demo_antom SET version = version + 1, state = ?1 WHERE id = 1 RETURNING version",
        params![state.to_vec()],
        |r| r.get(0),
    )?)
}
