//! What runs in the background while the app runs: reconciling what is open with Antom, the
//! scheduled backups, and healing a till whose shared database went away. The shell only keeps
//! the timer of the heal loop ([`HEAL_EVERY`], [`AppContext::heal`]).

use super::{read, AppContext};
use crate::error::{AppError, AppResult, ErrorCode};
use crate::flows::Flows;
use crate::paths::AppPaths;
use crate::settings::Settings;
use std::sync::Arc;
use std::time::Duration;

/// How often open binding attempts, payments, cancels, refunds and card removals are reconciled
/// with Antom while the app runs.
pub const RECONCILE_EVERY: Duration = Duration::from_secs(5 * 60);

/// How often the shell asks [`AppContext::heal`] whether the flows need building again.
pub const HEAL_EVERY: Duration = Duration::from_secs(5);

/// How often the backup schedule looks whether a backup is due.
const BACKUP_CHECK_EVERY: Duration = Duration::from_secs(60);

/// Reconcile `flows` now (what an earlier run left open), then every [`RECONCILE_EVERY`] while
/// they are the app's (the loop ends when settings replace them).
pub(crate) fn start_reconciling(flows: &Arc<Flows>) {
    let weak = Arc::downgrade(flows);
    tokio::spawn(async move {
        loop {
            let Some(flows) = weak.upgrade() else { return };
            if let Err(e) = flows.reconcile().await {
                tracing::warn!(code = %e.code, "reconciliation failed; it runs again later");
            }
            drop(flows);
            tokio::time::sleep(RECONCILE_EVERY).await;
        }
    });
}

impl AppContext {
    /// When the flows are unavailable because the shop's shared database could not be reached,
    /// build them again: the till resumes by itself once the server is back. Whether it tried.
    pub async fn heal(&self) -> bool {
        let down =
            matches!(read(&self.antom).flows.as_ref().err().map(|e| e.code), Some(ErrorCode::DatabaseUnreachable));
        if down {
            self.reconnect().await;
        }
        down
    }

    /// Make scheduled backups when they are due (settings read from disk each time, the
    /// passphrase from the keyring), checking once a minute while the app runs.
    pub fn start_backup_schedule(paths: AppPaths, app_version: &'static str) {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(BACKUP_CHECK_EVERY).await;
                let paths = paths.clone();
                match tokio::task::spawn_blocking(move || scheduled_backup(&paths, app_version)).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::warn!(code = %e.code, "scheduled backup failed: {}", e.message),
                    Err(e) => tracing::warn!("scheduled backup task failed: {e}"),
                }
            }
        });
    }
}

/// One look at the schedule: a backup when one is due.
fn scheduled_backup(paths: &AppPaths, app_version: &'static str) -> AppResult<()> {
    let settings = Settings::load(&paths.config_dir)?;
    let (Some(folder), hours) = (settings.backup.folder.clone(), settings.backup.every_hours) else {
        return Ok(());
    };
    if hours == 0 {
        return Ok(());
    }
    let Some(pass) = crate::secrets::backup_passphrase()? else {
        return Err(AppError::new(ErrorCode::KeyMissing, "no passphrase for scheduled backups"));
    };
    let every = Duration::from_secs(u64::from(hours) * 3600);
    let keep = settings.backup.keep as usize;
    crate::backup::run_schedule(paths, &settings, &pass, std::path::Path::new(&folder), every, keep, app_version)?;
    Ok(())
}
