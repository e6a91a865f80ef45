//! Rotating an environment's token data key (issue 30): every sealed token, and the demo
//! Antom's records, opened with the current key and sealed again with a new one, so a copy of
//! the old key (a stolen till's, an old backup's keyring) opens nothing in the database any more.
//!
//! Crash-safe and resumable, in this order:
//! 1. the new key is written to the keyring (`data-key-next`) before anything in the database;
//! 2. tokens are re-sealed in small transactions, each only if it is still what was read; a
//!    token already under the new key is skipped, so a rotation started again carries on;
//! 3. the database's key check becomes the new key's;
//! 4. the keyring's data key becomes the new one and `data-key-next` goes.
//!
//! A stop between 3 and 4 is finished by [`crate::secrets::Secrets::data_key_for`]; a stop before
//! 3 by [`resume`], which the app runs before it builds the flows. The till's connection is held
//! for the whole rotation, so nothing of this till reads a token meanwhile. Other tills of a
//! shared database hold the old key: they are paired again afterwards (README, the runbook).

use crate::db::Connection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::Secrets;
use crate::store;

/// Tokens re-sealed per transaction.
const BATCH: i64 = 200;

/// How a rotation went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotated {
    /// Tokens sealed again with the new key.
    pub resealed: u64,
    /// Tokens the current key does not open (they could never be charged from here either):
    /// left as they are, and counted in the activity log.
    pub unreadable: u64,
    /// Finished (false: stopped after `limit` tokens; [`resume`] finishes it).
    pub done: bool,
}

/// Rotate `secrets`' environment's data key for the database `conn`: a new key, or the one a
/// rotation under way had made. `limit`: stop after that many tokens (a test's crash); `None`
/// for all.
pub fn rotate(conn: &Connection, secrets: &Secrets, by: Option<i64>, limit: Option<u64>) -> AppResult<Rotated> {
    let demo_context = store::demo_antom::STATE_CONTEXT;
    let old = secrets.data_key_for(conn)?;
    let next = secrets.data_key_next_or_new()?;
    let (mut resealed, mut unreadable) = (0u64, 0u64);
    let mut after = 0i64;
    loop {
        let batch = store::cards::sealed_tokens_after(conn, after, BATCH)?;
        let Some(last) = batch.last().map(|b| b.0) else { break };
        let tx = conn.unchecked_transaction()?;
        for (id, vr, sealed) in &batch {
            if next.sealed_this(sealed) || !old.sealed_this(sealed) {
                unreadable += u64::from(!next.sealed_this(sealed));
                continue;
            }
            if limit.is_some_and(|l| resealed >= l) {
                tx.commit()?;
                return Ok(Rotated { resealed, unreadable, done: false });
            }
            let Ok(plain) = old.open(sealed, vr.as_bytes()) else {
                tracing::warn!(card = id, "a token the data key does not open was left as it is");
                unreadable += 1;
                continue;
            };
            let fresh = next.seal(plain.expose(), vr.as_bytes());
            store::cards::reseal_token(&tx, *id, sealed, &fresh)?;
            resealed += 1;
        }
        tx.commit()?;
        after = last;
    }
    // the demo Antom's records (demo mode on a shared database keeps them sealed here)
    let tx = conn.unchecked_transaction()?;
    if let Ok((_, Some(state))) = store::demo_antom::latest(&tx, None) {
        if !next.sealed_this(&state) && old.sealed_this(&state) {
            store::demo_antom::hold(&tx)?;
            let plain = old
                .open(&state, demo_context)
                .map_err(|e| AppError::new(ErrorCode::TokenUnreadable, format!("the demo records: {e}")))?;
            store::demo_antom::save(&tx, &next.seal(plain.expose(), demo_context))?;
        }
    }
    store::key_checks::replace(&tx, secrets.environment().as_str(), &secrets.data_key_check(&next))?;
    let detail = format!(
        "{}: {resealed} tokens sealed again, {unreadable} unreadable left as they were",
        secrets.environment().as_str()
    );
    store::audit(&tx, by, "settings.data_key_rotated", None, Some(&detail))?;
    tx.commit()?;
    secrets.promote_data_key_next()?;
    tracing::info!(resealed, "the data key was rotated");
    Ok(Rotated { resealed, unreadable, done: true })
}

/// Finish a rotation that stopped (a crash, a power cut) before the database named its new key.
pub fn resume(conn: &Connection, secrets: &Secrets) -> AppResult<Option<Rotated>> {
    if secrets.data_key_next()?.is_none() {
        return Ok(None);
    }
    // stopped after the database named the new key: reading the key finishes it
    secrets.data_key_for(conn)?;
    if secrets.data_key_next()?.is_none() {
        return Ok(None);
    }
    tracing::warn!("a data key rotation was interrupted: finishing it");
    rotate(conn, secrets, None, None).map(Some)
}
