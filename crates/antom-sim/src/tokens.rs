//! The token lifecycle (§9.3): deleteToken and inquireToken.

use crate::payment::err;
use crate::shared::Inner;
use crate::wire::{success, Checked, Fields};
use antom::codes;
use serde_json::{json, Value};
use std::sync::Arc;

/// deleteToken and inquireToken: `merchantAccountId` REQUIRED (≤ 64) and `token` ≤ 255 (§9.3).
/// Whether Antom checks that the account belongs to the client is UNCONFIRMED; any account
/// of the right shape is accepted here.
fn token_fields(f: &Fields) -> Checked<String> {
    f.req_str("merchantAccountId", 64)?;
    f.req_str("token", 255)
}

pub(crate) fn delete_token(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let token = token_fields(f)?;
    Ok(inner.with_state(|st| {
        let found = st.vaultings.values_mut().find(|v| {
            v.client_id == client_id
                && v.status == crate::state::Status::Success
                && v.card.as_ref().is_some_and(|c| c.token == token)
        });
        match found {
            // UNCONFIRMED: a repeat for a deleted token answers success, as an idempotent call would.
            Some(v) => {
                v.token_deleted = true;
                Value::Object(success())
            }
            // The simulator's own code for a token it never bound for this client (Antom's is
            // UNCONFIRMED): the app must not read it as "already deleted".
            None => err(codes::INVALID_PAYMENT_METHOD_ID, "The card token is unknown for this client."),
        }
    }))
}

/// inquireToken's flat answer: `token` and the card's issuer while the token exists; for a
/// deleted or unknown token S without `token` (our reading of "present when the token exists";
/// UNCONFIRMED).
pub(crate) fn inquire_token(inner: &Arc<Inner>, client_id: &str, f: &Fields) -> Checked<Value> {
    let token = token_fields(f)?;
    Ok(inner.read_state(|st| {
        let mut m = success();
        if let Some(card) = st.card_by_token(client_id, &token) {
            m.insert("token".into(), card.token.clone().into());
            if let Some(name) = &card.holder_name {
                m.insert("accountHolderName".into(), json!({ "fullName": name }));
            }
            m.insert("issuingCountry".into(), card.issuing_country.clone().into());
            m.insert("issuerName".into(), format!("{} test issuer", card.brand).into());
            m.insert(
                "tokenExpiryTime".into(),
                format!("20{}-{}-28T23:59:59+08:00", card.expiry_year, card.expiry_month).into(),
            );
        }
        Value::Object(m)
    }))
}
