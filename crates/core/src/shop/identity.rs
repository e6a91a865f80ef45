//! The shop a shared database belongs to (issue 29, item 6). A random identity is made when a
//! shop first moves its data to a shared database: one copy in that database, one in the OS
//! keyring of each of its tills (the first till's, and each joining till's through pairing).
//! Before this till offers the shop's keys to another till, the database it is on must hold the
//! identity this till holds: a database someone else set up (their own PostgreSQL with an
//! "owner" of their own) holds none or another, and gets no keys.
//!
//! A shop paired before this check existed has no identity anywhere: its first offer makes one
//! (both copies at once). A till that holds an identity never adopts another one silently.

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use antom::Sensitive;

fn random_identity() -> AppResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

/// The identity `conn`'s database holds, if any.
pub fn of_database(conn: &Connection) -> AppResult<Option<String>> {
    crate::store::shop_identity::get(conn)
}

/// A shop moves to a shared database for the first time: a new identity, in each of its
/// environments' schemas (`conns`: a till may later switch environment) and in this till's
/// keyring (replacing any earlier one: this till now belongs to this shop).
pub fn create(conns: &[&Connection]) -> AppResult<()> {
    let id = random_identity()?;
    for c in conns {
        crate::store::shop_identity::set(c, &id)?;
    }
    crate::secrets::set_shop_identity(&Sensitive::new(id))
}

/// A joining till takes the identity the owner's till sent, after checking that the database
/// it joined holds the same.
pub fn adopt(conn: &Connection, id: &str) -> AppResult<()> {
    match of_database(conn)? {
        Some(db) if constant_time_eq(db.as_bytes(), id.as_bytes()) => {
            crate::secrets::set_shop_identity(&Sensitive::new(id.to_string()))
        }
        _ => Err(mismatch()),
    }
}

fn mismatch() -> AppError {
    AppError::new(
        ErrorCode::ShopMismatch,
        "this database is not the one this till's shop moved to: the shop's keys are not offered into it",
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Refuse (`SHOP_MISMATCH`) unless `conn`'s database is this till's shop's own; returns the
/// identity, for the payload a joining till receives. `others`: the shop's other environments'
/// schemas, which a shop paired before identities existed gets its new identity in as well.
pub fn check(conn: &Connection, others: &[Connection]) -> AppResult<String> {
    match (crate::secrets::shop_identity()?, of_database(conn)?) {
        (Some(mine), Some(db)) if constant_time_eq(mine.expose().as_bytes(), db.as_bytes()) => Ok(db),
        (None, None) => {
            // paired before identities existed (no schema of the shop has one): this offer
            // makes the shop's
            for o in others {
                if of_database(o)?.is_some() {
                    return Err(mismatch());
                }
            }
            let all: Vec<&Connection> = std::iter::once(conn).chain(others.iter()).collect();
            create(&all)?;
            of_database(conn)?.ok_or_else(mismatch)
        }
        _ => Err(mismatch()),
    }
}
