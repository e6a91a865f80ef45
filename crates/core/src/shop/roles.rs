//! Each till on its own database role (issue 30; the SQL is [`crate::db::roles`]). The till that
//! moved the shop into its shared database keeps the address it was given — the shop's admin
//! role, which the shop's DBA made once (README, "The shared database") — only to migrate and to
//! admit and revoke tills; it works, as every till does, through a role of its own. A new till
//! receives its role's address sealed with the shop's keys ([`super::payload`]) and forgets the
//! address it joined with.
//!
//! An address whose role may not make roles (a DBA who gave one role to everyone) is used as it
//! is, with a warning: the README says what that gives up.

use crate::db::{roles, Connection};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::settings::{Environment, ShopDatabase};
use antom::Sensitive;

fn shop_identity() -> AppResult<String> {
    crate::secrets::shop_identity()?
        .map(|s| s.expose().clone())
        .ok_or_else(|| AppError::new(ErrorCode::ShopMismatch, "this till holds no shop identity"))
}

/// The admin role's connection to `env`'s schema (migrated, and the tills' group granted what
/// it needs there), on the till that holds the admin address.
pub fn admin_connection(shop: &ShopDatabase, env: Environment) -> AppResult<Option<Connection>> {
    let Some(url) = crate::secrets::shop_database_admin_url()? else { return Ok(None) };
    let ca = shop.ca_file.as_deref().map(std::path::Path::new);
    let conn = crate::db::open_shared(url.expose(), Some(&super::shared_schema(env)), ca)?;
    roles::grant(&conn, &roles::group(&shop_identity()?))?;
    Ok(Some(conn))
}

/// The shop moved into its shared database through `url` (`schemas`: each environment's, opened
/// with it): when that role may make roles, it becomes the admin address and this till gets a
/// role of its own; the address this till works through (its own, or `url` as it is).
pub fn set_up(url: &Sensitive<String>, schemas: &[Connection]) -> AppResult<Sensitive<String>> {
    let Some(first) = schemas.first() else { return Ok(url.clone()) };
    if !roles::may_manage(first)? {
        tracing::warn!("the shared database's role may not make roles: every till works through it");
        crate::secrets::delete_shop_database_admin_url()?;
        return Ok(url.clone());
    }
    let group = roles::group(&shop_identity()?);
    for s in schemas {
        roles::grant(s, &group)?;
    }
    let me = crate::secrets::till_key()?.public();
    let own = admit_on(first, &group, url, &me)?;
    crate::secrets::set_shop_database_admin_url(url)?;
    Ok(own)
}

fn admit_on(admin: &Connection, group: &str, url: &Sensitive<String>, key: &[u8]) -> AppResult<Sensitive<String>> {
    let role = roles::till_role(&shop_identity()?, key);
    let password = roles::new_password()?;
    roles::admit(admin, group, &role, &password)?;
    roles::url_for(url.expose(), &role, &password).map(Sensitive::new)
}

/// A role for the till being admitted, whose public key is `key`: the address it will work
/// through (none where this till holds no admin address: the new till keeps the one it joined
/// with).
pub fn admit(shop: &ShopDatabase, env: Environment, key: &[u8]) -> AppResult<Option<Sensitive<String>>> {
    let Some(admin) = admin_connection(shop, env)? else { return Ok(None) };
    let url = crate::secrets::shop_database_admin_url()?.expect("admin_connection found it");
    let group = roles::group(&shop_identity()?);
    admit_on(&admin, &group, &url, key).map(Some)
}

/// A revoked till's role can no longer log in (where this till holds the admin address).
pub fn revoke(shop: &ShopDatabase, env: Environment, key: &[u8]) -> AppResult<()> {
    if let Some(admin) = admin_connection(shop, env)? {
        roles::disable(&admin, &roles::till_role(&shop_identity()?, key))?;
    }
    Ok(())
}
