//! Claims (`claims`): which till is working on an open attempt, payment, refund or card removal
//! right now, so that on a shop's shared database each is sent or reconciled by one till at a
//! time: the one that sends it, or whichever reconciler gets to it first. A claim is a lease
//! (`held_until`, Unix milliseconds) taken with one conditional statement (no database lock is held
//! across a call to Antom); a till that died holding one loses it when it runs out. Only the
//! SQL is here; the flows take and release them (`binding::Claim`).

use crate::db::Connection;
use crate::error::AppResult;
use crate::params;

/// What [`take`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taken {
    /// Free or run out: now this till's.
    New,
    /// Already this till's (renewed).
    Mine,
    /// Another till's, still running.
    Elsewhere,
}

/// Take `item` for `till` until `until`, unless another till holds it past `now`.
pub fn take(conn: &Connection, item: &str, till: &str, now: i64, until: i64) -> AppResult<Taken> {
    if conn.execute("UPDATE claims SET held_until = ?3 WHERE item = ?1 AND holder = ?2", params![item, till, until])?
        == 1
    {
        return Ok(Taken::Mine);
    }
    // run out: the first till to ask takes it over (the row's lock orders two that ask at once;
    // the second finds `until` renewed and changes nothing)
    if conn.execute(
        "UPDATE claims SET holder = ?2, held_until = ?3 WHERE item = ?1 AND held_until < ?4",
        params![item, till, until, now],
    )? == 1
    {
        return Ok(Taken::New);
    }
    let inserted = conn.execute(
        "INSERT INTO claims (item, holder, held_until) VALUES (?1, ?2, ?3) ON CONFLICT (item) DO NOTHING",
        params![item, till, until],
    )?;
    Ok(if inserted == 1 { Taken::New } else { Taken::Elsewhere })
}

/// Whether another till holds `item` past `now`.
pub fn held_elsewhere(conn: &Connection, item: &str, till: &str, now: i64) -> AppResult<bool> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM claims WHERE item = ?1 AND holder <> ?2 AND held_until >= ?3",
        params![item, till, now],
        |r| r.get::<i64>(0),
    )? > 0)
}

/// Let go of `item` (if this till still holds it).
pub fn release(conn: &Connection, item: &str, till: &str) -> AppResult<()> {
    conn.execute("DELETE FROM claims WHERE item = ?1 AND holder = ?2", params![item, till])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_till_at_a_time_until_the_lease_runs_out() {
        let c = crate::db::open_for_test();
        assert_eq!(take(&c, "payment:1", "a", 1_000, 2_000).unwrap(), Taken::New);
        assert_eq!(take(&c, "payment:1", "b", 1_500, 2_500).unwrap(), Taken::Elsewhere);
        assert!(held_elsewhere(&c, "payment:1", "b", 1_500).unwrap());
        assert!(!held_elsewhere(&c, "payment:1", "a", 1_500).unwrap());
        assert_eq!(take(&c, "payment:1", "a", 1_600, 2_600).unwrap(), Taken::Mine);
        // another item is free
        assert_eq!(take(&c, "payment:2", "b", 1_600, 2_600).unwrap(), Taken::New);
        // released: the other till gets it
        release(&c, "payment:1", "a").unwrap();
        assert!(!held_elsewhere(&c, "payment:1", "b", 1_700).unwrap());
        assert_eq!(take(&c, "payment:1", "b", 1_700, 2_700).unwrap(), Taken::New);
        // a till that died holding it: after its lease, the next till takes it over
        assert_eq!(take(&c, "payment:1", "a", 2_000, 3_000).unwrap(), Taken::Elsewhere);
        assert!(!held_elsewhere(&c, "payment:1", "a", 2_701).unwrap());
        assert_eq!(take(&c, "payment:1", "a", 2_701, 3_701).unwrap(), Taken::New);
        // releasing what another till holds changes nothing
        release(&c, "payment:1", "b").unwrap();
        assert_eq!(take(&c, "payment:1", "b", 2_800, 3_800).unwrap(), Taken::Elsewhere);
    }
}
