//! The tills of a shop on a shared database: pairing and revoking.

use super::common::prelude::*;

pub use crate::store::tills::ShopTill;

/// What an owner's till shows while it offers to pair.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PairingOffer {
    /// The one-time code to type on the new till (`ABCDE-FGHJK`).
    pub code: String,
    /// RFC 3339; the offer closes then.
    pub expires_at: String,
    /// A till asked with the code: its name and key fingerprint (compare with what it shows).
    pub asked_by: Option<String>,
    pub fingerprint: Option<String>,
}

/// What a joining till shows: its own fingerprint, and whether its keys arrived.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PairingJoin {
    pub fingerprint: String,
    pub done: bool,
}

fn shared_only(ctx: &AppContext) -> AppResult<()> {
    if !ctx.settings().shop_database.shared {
        return Err(AppError::new(ErrorCode::InvalidInput, "tills are paired on a shop's shared database"));
    }
    Ok(())
}

/// Each environment's schema on the shared server, for what is the shop's whatever the
/// environment (tills).
fn each_schema(ctx: &AppContext) -> AppResult<Vec<crate::db::Connection>> {
    let s = ctx.settings();
    Environment::ALL
        .iter()
        .filter(|e| **e != s.environment)
        .map(|e| crate::app::shared_connection(&s.shop_database, *e, false))
        .collect()
}

/// An owner's till offers to pair a new one: a code valid for ten minutes (any earlier offer
/// closes).
pub fn till_offer(ctx: &AppContext) -> AppResult<PairingOffer> {
    let actor = access::authorize(ctx, Action::new("till_offer", Permission::ManageBackups))?;
    shared_only(ctx)?;
    crate::shop::identity::check(&lock(&ctx.db()), &each_schema(ctx)?)?;
    let (id, code) = crate::shop::pairing::offer(&lock(&ctx.db()), actor.staff_id)?;
    store::audit(&lock(&ctx.db()), actor.staff_id, "till.offer", Some(&format!("pairing:{id}")), None)?;
    let shown = code.expose().clone();
    ctx.pairing().offer(id, code);
    offer_view(ctx, id, shown)
}

fn offer_view(ctx: &AppContext, id: i64, code: String) -> AppResult<PairingOffer> {
    let db = ctx.db();
    let conn = lock(&db);
    let p = store::tills::get_pairing(&conn, id)?;
    let expires_at = crate::db::rfc3339_ms(p.expires_at);
    let (asked_by, fingerprint) = match crate::shop::pairing::check_request(&conn, id, &code)? {
        crate::shop::pairing::OfferState::Waiting => (None, None),
        crate::shop::pairing::OfferState::Asked { name, fingerprint } => (Some(name), Some(fingerprint)),
    };
    Ok(PairingOffer { code, expires_at, asked_by, fingerprint })
}

/// The offer as it stands (the UI asks every second or two).
pub fn till_offer_status(ctx: &AppContext) -> AppResult<PairingOffer> {
    access::authorize(ctx, Action::new("till_offer_status", Permission::ManageBackups))?;
    let (id, code) = ctx.pairing().current_offer()?;
    offer_view(ctx, id, code)
}

/// The owner admits the till that asked, the one whose `fingerprint` was shown: this till's keys
/// (every environment's) and the shop's row key, sealed to it, and the shop's Antom settings;
/// the till is listed in every environment.
pub fn till_offer_approve(ctx: &AppContext, fingerprint: &str) -> AppResult<ShopTill> {
    let actor = access::authorize(ctx, Action::new("till_offer_approve", Permission::ManageBackups))?;
    shared_only(ctx)?;
    let (id, code) = ctx.pairing().current_offer()?;
    let others = each_schema(ctx)?;
    let db = ctx.db();
    let conn = lock(&db);
    // only into the shop's own database (issue 29, item 6)
    let shop = crate::shop::identity::check(&conn, &others)?;
    let had_staff = staff_rules::configured(&conn)?;
    // the new till's own database role (issue 30): made for the key asked with; approve below
    // seals only to that key, and the role is disabled again if it does not
    let asked = store::tills::get_pairing(&conn, id)?.till_key.unwrap_or_default();
    let settings = ctx.settings();
    let role_url = crate::shop::roles::admit(&settings.shop_database, settings.environment, &asked)?;
    let payload = crate::shop::payload::offer(&settings, &shop, had_staff, role_url.as_ref())?;
    let till = match crate::shop::pairing::approve(&conn, id, &code, fingerprint, payload.expose(), actor.staff_id) {
        Ok(t) => t,
        Err(e) => {
            if role_url.is_some() {
                if let Err(e) = crate::shop::roles::revoke(&settings.shop_database, settings.environment, &asked) {
                    tracing::warn!(code = %e.code, "a database role made for a refused pairing could not be disabled");
                }
            }
            return Err(e);
        }
    };
    let key = store::tills::public_key(&conn, till)?;
    let row = store::tills::list(&conn)?.into_iter().find(|t| t.id == till).expect("just admitted");
    store::audit(&conn, actor.staff_id, "till.pair", Some(&format!("till:{till}")), Some(&row.name))?;
    drop(conn);
    for other in each_schema(ctx)? {
        store::tills::register(&other, &row.name, &key, None)?;
    }
    ctx.pairing().clear();
    Ok(row)
}

/// A new till on the shop's shared database asks to join with the code an owner's till shows.
/// Joining replaces this till's keys and Antom account with the shop's: the owner's (signed in
/// at this till, from the shop's staff) (issue 29, item 9).
pub fn till_join(ctx: &AppContext, code: &str, name: &str) -> AppResult<PairingJoin> {
    access::authorize(ctx, Action::new("till_join", Permission::OwnerSettings))?;
    shared_only(ctx)?;
    let me = crate::secrets::till_key()?;
    let code = crate::shop::pairing::normalize(code)?;
    let id = crate::shop::pairing::request(&lock(&ctx.db()), &me, &code, name)?;
    ctx.pairing().join(id, code);
    Ok(PairingJoin { fingerprint: store::tills::fingerprint(&me.public()), done: false })
}

/// Whether the owner answered: then the keys go into this till's keyring, it takes the shop's
/// Antom settings and reconnects.
pub async fn till_join_status(ctx: &AppContext) -> AppResult<PairingJoin> {
    access::staff(ctx)?;
    // one answer at a time: a question asked while the keys are taken in waits, then reads
    // "joined" (the screen asks every 1.5 s; taking the keys in can take longer)
    let _one_at_a_time = ctx.pairing().one_answer_at_a_time().await;
    let me = crate::secrets::till_key()?;
    let fingerprint = store::tills::fingerprint(&me.public());
    let (id, code) = match ctx.pairing().current_join()? {
        crate::shop::Join::Waiting { id, code } => (id, code),
        crate::shop::Join::Joined { fingerprint } => return Ok(PairingJoin { fingerprint, done: true }),
    };
    let Some(payload) = crate::shop::pairing::collect(&lock(&ctx.db()), &me, id, &code)? else {
        return Ok(PairingJoin { fingerprint, done: false });
    };
    let received = crate::shop::payload::read(payload.expose())?;
    let before = ctx.settings();
    let settings = received.adopt(&before);
    // This till's own keys stay until the shop's have been checked to work: kept in memory,
    // put back if the shop's keys do not open the shop's data or the switch fails (item 9).
    let kept = keep_keys(&before)?;
    let kept_row_key = crate::secrets::row_key()?;
    let taken = (|| -> AppResult<()> {
        received.import_keys(&settings)?;
        check_keys(ctx, &settings)?;
        if let Some(shop) = received.shop_identity() {
            crate::shop::identity::adopt(&lock(&ctx.db()), shop)?;
        }
        // from now on this till checks the shop's rows with the shop's row key
        let secrets = Secrets::for_settings(&settings, settings.environment);
        crate::shop::seals::attach(&lock(&ctx.db()), &secrets, false, &ctx.paths().data_dir, &|| Ok(vec![]))?;
        if received.had_staff() {
            crate::shop::seals::mark_had_staff(&ctx.paths().data_dir);
        }
        Ok(())
    })();
    let own_role = received.database_url();
    if let Err(e) = taken {
        put_back(&before, &kept);
        if let Some(k) = &kept_row_key {
            if let Err(e) = crate::secrets::set_row_key(k) {
                tracing::warn!(code = %e.code, "this till's own row key could not be put back after a failed join");
            }
        }
        return Err(e);
    }
    // the keys are new: the flows are built again with them (once); a failure leaves the join
    // open (and this till's keys as they were), so asking again takes the keys in again
    match ctx.apply_settings(settings).await {
        Ok(true) => {}
        Ok(false) => ctx.reconnect().await,
        Err(e) => {
            put_back(&before, &kept);
            return Err(e);
        }
    }
    if let Some(url) = own_role {
        // from now on this till works through its own database role, and forgets the address
        // it joined with (and any admin address of a shop it belonged to before)
        crate::secrets::set_shop_database_url(&url)?;
        crate::secrets::delete_shop_database_admin_url()?;
        ctx.reopen_database().await?;
    }
    ctx.pairing().joined(fingerprint.clone());
    store::audit(&lock(&ctx.db()), None, "till.join", None, Some(&fingerprint))?;
    Ok(PairingJoin { fingerprint, done: true })
}

/// One environment's keyring entries (name without the environment, value).
type KeptKeys = Vec<(Environment, Vec<(String, Sensitive<String>)>)>;

/// Every environment's keyring entries as they are.
fn keep_keys(settings: &Settings) -> AppResult<KeptKeys> {
    Environment::ALL
        .iter()
        .map(|env| {
            let entries = Secrets::for_settings(settings, *env)
                .export()?
                .into_iter()
                .map(|(user, v)| (user.split_once('/').map(|(_, n)| n.to_string()).unwrap_or(user), v))
                .collect();
            Ok((*env, entries))
        })
        .collect()
}

/// Back to the entries [`keep_keys`] read (best effort: a failure is logged).
fn put_back(settings: &Settings, kept: &KeptKeys) {
    for (env, entries) in kept {
        let secrets = Secrets::for_settings(settings, *env);
        if let Err(e) = secrets.delete_all().and_then(|()| secrets.import(entries)) {
            tracing::warn!(code = %e.code, "this till's own keys could not be put back after a failed join");
        }
    }
}

/// The shop's keys work: each environment's Antom keys parse, and its data key is the one the
/// shop's database was sealed with (an environment the shop never used has nothing to check).
fn check_keys(ctx: &AppContext, settings: &Settings) -> AppResult<()> {
    for env in Environment::ALL {
        let secrets = Secrets::for_settings(settings, *env);
        secrets.merchant_key()?;
        secrets.antom_public_key()?;
        let conn = if *env == ctx.environment() {
            None
        } else {
            Some(crate::app::shared_connection(&settings.shop_database, *env, false)?)
        };
        let db = ctx.db();
        let guard;
        let conn = match &conn {
            Some(c) => c,
            None => {
                guard = lock(&db);
                &*guard
            }
        };
        if store::key_checks::get(conn, env.as_str())?.is_some() {
            secrets.data_key_for(conn)?;
        }
    }
    Ok(())
}

/// The shop's tills (owner).
pub fn till_list(ctx: &AppContext) -> AppResult<Vec<ShopTill>> {
    access::authorize(ctx, Action::new("till_list", Permission::ManageBackups))?;
    store::tills::list(&lock(&ctx.db()))
}

/// Revoke a till (owner): it stops using the shop's keys when it next connects.
pub fn till_revoke(ctx: &AppContext, id: i64) -> AppResult<()> {
    let actor = access::authorize(ctx, Action::new("till_revoke", Permission::ManageBackups).on(format!("till:{id}")))?;
    let key = {
        let db = ctx.db();
        let conn = lock(&db);
        let key = store::tills::public_key(&conn, id)?;
        store::tills::revoke(&conn, id, actor.staff_id)?;
        store::audit(&conn, actor.staff_id, "till.revoke", Some(&format!("till:{id}")), None)?;
        key
    };
    let settings = ctx.settings();
    if settings.shop_database.shared {
        for other in each_schema(ctx)? {
            store::tills::revoke_key(&other, &key, None)?;
        }
        // its database role can no longer log in (issue 30)
        crate::shop::roles::revoke(&settings.shop_database, settings.environment, &key)?;
    }
    Ok(())
}
