//! Encrypted backups of this till and restoring one.

use super::common::prelude::*;

/// This computer's backups hold its own database files; a shared database is backed up on its
/// server (pg_dump, or the managed service's snapshots).
fn not_on_shared_database(ctx: &AppContext) -> AppResult<()> {
    if ctx.settings().shop_database.shared {
        return Err(AppError::new(
            ErrorCode::BackupOnServer,
            "the shop's shared database is backed up on its server, not from a till",
        ));
    }
    Ok(())
}

pub use crate::backup::{BackupResult, RestoreResult};

/// Make an encrypted backup now (owner): into the backup folder of the settings, else `dir`.
pub fn backup_create(
    ctx: &AppContext,
    passphrase: &Sensitive<String>,
    dir: &std::path::Path,
) -> AppResult<BackupResult> {
    let actor = access::authorize(ctx, Action::new("backup_create", Permission::ManageBackups))?;
    not_on_shared_database(ctx)?;
    let settings = ctx.settings();
    let folder = settings.backup.folder.clone().map(std::path::PathBuf::from).unwrap_or_else(|| dir.to_path_buf());
    let result = crate::backup::create(&ctx.paths, &settings, passphrase, &folder, env!("CARGO_PKG_VERSION"))?;
    let db = ctx.db();
    let conn = lock(&db);
    let file = std::path::Path::new(&result.path).file_name().unwrap_or_default().to_string_lossy();
    store::audit(&conn, actor.staff_id, "backup.create", None, Some(&file))?;
    audit_approval(&conn, &actor, "backup")?;
    Ok(result)
}

/// Restore an encrypted backup (owner, or anyone on a computer without staff yet): replaces
/// every environment's cards, the keys and the settings; everyone is signed out.
pub async fn backup_restore(ctx: &AppContext, path: &str, passphrase: &Sensitive<String>) -> AppResult<RestoreResult> {
    let actor = access::authorize(ctx, Action::new("backup_restore", Permission::ManageBackups))?;
    not_on_shared_database(ctx)?;
    let result = ctx.restore_backup(std::path::Path::new(path.trim()), passphrase).await?;
    let file = std::path::Path::new(path.trim()).file_name().unwrap_or_default().to_string_lossy().to_string();
    let detail = format!("{file} ({}; {} cards)", result.created_at, result.cards);
    store::audit(&lock(&ctx.db()), actor.staff_id, "backup.restore", None, Some(&detail))?;
    Ok(result)
}
