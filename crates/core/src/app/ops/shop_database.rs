//! Where the shop's data is kept: this computer or the shop's shared PostgreSQL.

use super::common::prelude::*;
use super::settings::SettingsView;

pub use crate::db::transfer::TableCount;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShopDatabaseUpdate {
    /// The shop's shared PostgreSQL; false: back to this computer's own database files (what
    /// is on the server stays there).
    pub shared: bool,
    /// `postgresql://user:password@host:5432/database`; TLS with certificate checks unless it
    /// says `?sslmode=disable`. Kept in the OS keyring, never in the settings file.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub url: Option<Sensitive<String>>,
    /// A CA certificate (PEM file) the server's certificate may be issued by.
    #[serde(default)]
    pub ca_file: Option<String>,
    /// Move this computer's cards, payments, staff and activity log (every environment's)
    /// into the shared database, which must be empty.
    #[serde(default)]
    pub move_data: bool,
    /// An owner's PIN: where every card is kept is the owner's decision.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub owner_pin: Option<Sensitive<String>>,
}

/// One environment's move: the rows of each table here and on the server.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentMove {
    pub environment: Environment,
    pub tables: Vec<TableCount>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ShopDatabaseResult {
    pub settings: SettingsView,
    pub moved: Vec<EnvironmentMove>,
}

/// Point this till at the shop's shared database (or back at its own files): the address is
/// checked by connecting (TLS unless opted out) and migrating every environment's schema; when
/// asked, this computer's data moves first (all of it or, per environment, nothing; counts
/// compared); then the address goes into the keyring and the app switches. This till's owner
/// decides, with their PIN checked against this till's own staff — never against the staff of
/// the database it would move to, which anyone may have filled (issue 29, item 6). A till with
/// no staff yet (open mode, a new till about to join its shop) has no owner to ask.
pub async fn shop_database_set(ctx: &AppContext, update: ShopDatabaseUpdate) -> AppResult<ShopDatabaseResult> {
    let actor = access::authorize(ctx, Action::new("shop_database_set", Permission::OwnerSettings))?;
    const WHAT: &str = "changing where the shop's data is kept";
    let mut settings = ctx.settings();
    let owner = if staff_rules::configured(&lock(&ctx.db()))? {
        Some(confirm_owner(ctx, update.owner_pin.as_ref(), WHAT)?)
    } else {
        None
    };
    let mut moved = Vec::new();
    if update.shared {
        let url = update
            .url
            .as_ref()
            .map(|u| Sensitive::new(u.expose().trim().to_string()))
            .filter(|u| !u.expose().is_empty())
            .ok_or_else(|| AppError::new(ErrorCode::InvalidInput, "url: the shared database's address"))?;
        let server = crate::db::server_label(url.expose())?;
        crate::db::check_transport(url.expose())?;
        let ca_file = update.ca_file.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        if let Some(ca) = &ca_file {
            if !std::path::Path::new(ca).is_file() {
                return Err(AppError::new(ErrorCode::InvalidInput, format!("caFile: {ca} is not a file")));
            }
        }
        let ca = ca_file.as_deref().map(std::path::Path::new);
        let mut schemas = Vec::new();
        for env in Environment::ALL {
            let pg = crate::db::open_shared(url.expose(), Some(&crate::shop::shared_schema(*env)), ca)?;
            let file = ctx.paths().database(*env);
            if update.move_data && file.exists() {
                let local = crate::db::open(&file)?;
                let tables = crate::db::transfer::move_to_postgres(&local, &pg)?;
                moved.push(EnvironmentMove { environment: *env, tables });
            }
            if update.move_data {
                // the rows came sealed with this till's row key: the database's check is its
                crate::shop::seals::claim(&pg)?;
            }
            schemas.push(pg);
        }
        let working = if update.move_data {
            // the shop moves here: this database (each environment's schema: a till may switch
            // environment later) is now the shop's own, and this till knows it
            crate::shop::identity::create(&schemas.iter().collect::<Vec<_>>())?;
            // and this till works through a role of its own, keeping `url` (the admin role) to
            // migrate and to admit and revoke tills (issue 30)
            crate::shop::roles::set_up(&url, &schemas)?
        } else {
            // a till about to join: the address it was given, until pairing hands it its own
            crate::secrets::delete_shop_database_admin_url()?;
            url.clone()
        };
        crate::secrets::set_shop_database_url(&working)?;
        settings.shop_database = crate::settings::ShopDatabase { shared: true, server: Some(server), ca_file };
    } else {
        settings.shop_database = crate::settings::ShopDatabase::default();
    }
    let detail = match &settings.shop_database.server {
        Some(s) => format!("shared: {s}; {} environments moved", moved.len()),
        None => "this computer".to_string(),
    };
    // Recorded where the owner who decided is known: in the database this till joins, or in
    // the one it leaves.
    let record = |db: &crate::db::Db| -> AppResult<()> {
        let conn = lock(db);
        // this till's staff ids mean nothing in a shop's database it joins (its data stays here)
        let joining = update.shared && !update.move_data;
        let by = if joining { None } else { owner.as_ref().map(|o| o.id).or(actor.staff_id) };
        let detail = match (&owner, joining) {
            (Some(o), true) => format!("{detail}; decided by {} (owner of the joining till)", o.name),
            _ => detail.clone(),
        };
        store::audit(&conn, by, "settings.shop_database", None, Some(&detail))?;
        if joining {
            return Ok(());
        }
        audit_approval(&conn, &actor, "settings")
    };
    if !update.shared {
        record(&ctx.db())?;
    }
    ctx.apply_settings(settings).await?;
    if update.shared {
        record(&ctx.db())?;
    } else {
        crate::secrets::delete_shop_database_url()?;
        crate::secrets::delete_shop_database_admin_url()?;
    }
    Ok(ShopDatabaseResult { settings: super::settings::settings_view(ctx), moved })
}
