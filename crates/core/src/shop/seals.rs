//! The shared database is storage, not the root of trust (issue 30). Whoever holds its password
//! (a stolen or revoked till, someone who saw the address) can write any row; what authorises
//! money or keys is therefore checked with a key only the tills hold:
//!
//! * **the row key** ([`crate::crypto::RowKey`]), one per shop, in each till's OS keyring (made by
//!   the first till, handed to each new till sealed through [`super::pairing`]), never in the
//!   database. Staff rows (name, role, PIN hash, disabled), the card → customer binding (card id,
//!   customer id, vaulting request id; the token's own seal binds the request id) and the
//!   activity log's chain carry a MAC under it. A row whose MAC fails is refused
//!   (`ROW_TAMPERED`), listed as such, and never believed: it signs no one in, charges no card.
//! * **the row key check** (`row_key_check`): a value only the key makes, so a till knows before
//!   it trusts a row whether the key it holds is the one the rows were sealed with.
//! * **the staff mark**: a file in this till's data folder, written once it has had staff. From
//!   then on a database with no one who can sign in is `STAFF_LIST_MISSING`, never open mode
//!   (open mode exists only on a till that has never had staff).
//!
//! How [`attach`] decides, for this till's key K and the database's check C:
//!
//! | K | C | what happens |
//! | --- | --- | --- |
//! | held | K's | rows are sealed and checked with K |
//! | held | none | C := K's; in this computer's own file the rows from before seals are sealed now (the file is as trusted as the keyring beside it); on a shared database nothing is sealed (whoever removed C must not get their rows sealed) |
//! | none | none | a database and a till from before seals: K is made, C recorded, and the rows as they are sealed once, in every environment's schema (the one moment the rows are trusted as found; written down in the README) |
//! | none or another | another's | a till that holds this database's data key (it could open its tokens) is refused: `SHOP_KEY_MISSING`, pair it again. A till that does not (one about to join the shop) checks nothing and can open no token: it may only ask to join |

use crate::db::{Connection, Seal};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::Secrets;
use crate::store;
use std::path::Path;

pub use crate::store::tampered;

fn key_missing() -> AppError {
    AppError::new(
        ErrorCode::ShopKeyMissing,
        "this till holds the shop's card key but not the key the shop's records are sealed with: \
         pair it again from an owner's till (Settings → Tills)",
    )
}

/// Check this till's row key against `conn`'s database and attach it (see the table above).
/// `local`: this computer's own file; `others`: the shop's other schemas on the same server,
/// sealed too when the key is made.
pub fn attach(
    conn: &Connection,
    secrets: &Secrets,
    local: bool,
    data_dir: &Path,
    others: &dyn Fn() -> AppResult<Vec<Connection>>,
) -> AppResult<()> {
    let seal = |key| Seal::new(key, data_dir);
    let held = match crate::secrets::row_key() {
        // this computer's own file, with no keyring to hold keys: nothing is sealed or checked
        // (and no token can be opened) until the keyring is back
        Err(e) if local && matches!(e.code, ErrorCode::KeyringUnavailable | ErrorCode::KeyringLocked) => {
            tracing::warn!(code = %e.code, "no keyring: this till's records are not sealed until it is back");
            return Ok(());
        }
        other => other?,
    };
    let check = store::row_key_check::get(conn)?;
    match (held, check) {
        (Some(k), Some(c)) if k.verify("row key check", &[], Some(&c)) => conn.set_seal(Some(seal(k))),
        (Some(k), None) => {
            crate::db::atomically(conn, |c| {
                if store::row_key_check::insert(c, &k.check_value())? && local {
                    seal_as_found(c, &k)?;
                }
                Ok(())
            })?;
            return attach(conn, secrets, local, data_dir, others);
        }
        (None, None) => {
            let k = crate::crypto::RowKey::generate();
            crate::secrets::set_row_key(&k)?;
            let mut all = vec![];
            if !local {
                all = others()?;
            }
            for c in std::iter::once(conn).chain(all.iter()) {
                crate::db::atomically(c, |c| {
                    if store::row_key_check::insert(c, &k.check_value())? {
                        seal_as_found(c, &k)?;
                    }
                    Ok(())
                })?;
            }
            tracing::info!("made the shop's row key; the records as they are were sealed with it");
            return attach(conn, secrets, local, data_dir, &|| Ok(vec![]));
        }
        (_, Some(_)) => {
            if secrets.holds_data_key_of(conn)? {
                return Err(key_missing());
            }
            // a till about to join: it checks nothing, and holds nothing of the shop's
            conn.set_seal(None);
        }
    }
    Ok(())
}

/// This till moved its own data into a shared database: the rows came sealed with its key, so
/// the database's check is this key's (replacing one a till that merely connected before wrote).
pub fn claim(conn: &Connection) -> AppResult<()> {
    let Some(k) = crate::secrets::row_key()? else { return Ok(()) };
    if !store::row_key_check::insert(conn, &k.check_value())? {
        store::row_key_check::replace(conn, &k.check_value())?;
    }
    Ok(())
}

fn seal_as_found(conn: &Connection, key: &crate::crypto::RowKey) -> AppResult<()> {
    let staff = store::staff::seal_unsealed(conn, key)?;
    let cards = store::cards::seal_unsealed(conn, key)?;
    if staff + cards > 0 {
        store::audit(conn, None, "till.seal", None, Some(&format!("{staff} staff, {cards} cards sealed as found")))?;
    }
    Ok(())
}

/// This till joined a shop that has had staff (its owner's till said so, sealed).
pub fn mark_had_staff(data_dir: &Path) {
    Seal::mark_in(data_dir);
}

/// The activity log's chain as it stands, where this till holds the row key.
pub fn audit_chain(conn: &Connection) -> AppResult<Option<store::audit::ChainReport>> {
    conn.row_key().map(|k| store::audit::verify_chain(conn, &k)).transpose()
}
