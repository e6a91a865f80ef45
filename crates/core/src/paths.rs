//! Where the app keeps its files. The desktop shell passes the directories Tauri resolves
//! (`$XDG_DATA_HOME/dev.cardbind.app` and so on); tools and tests use [`AppPaths::for_user`],
//! which resolves the same locations without Tauri.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::settings::Environment;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// The platform's per-user directories with the app identifier appended, as Tauri's path API
    /// does (`appDataDir = dataDir/identifier`).
    pub fn for_user() -> AppResult<Self> {
        let base = directories::BaseDirs::new()
            .ok_or_else(|| AppError::new(ErrorCode::DataDirUnavailable, "the user's home directory is unknown"))?;
        let data_dir = base.data_dir().join(crate::APP_IDENTIFIER);
        Ok(AppPaths {
            log_dir: data_dir.join("logs"),
            config_dir: base.config_dir().join(crate::APP_IDENTIFIER),
            data_dir,
        })
    }

    /// The card database of one environment (`cards-demo.db`, `cards-sandbox.db`,
    /// `cards-production.db`): each has its own, so demo cards never sit beside real ones and
    /// one environment's open attempts are never reconciled with another's Antom.
    pub fn database(&self, env: Environment) -> PathBuf {
        self.data_dir.join(format!("cards-{}.db", env.as_str()))
    }

    /// The one database of versions before environments were kept apart; on first start it
    /// becomes the database of the environment the settings name ([`crate::db::adopt_legacy`]).
    pub fn legacy_database(&self) -> PathBuf {
        self.data_dir.join("cards.db")
    }

    /// All under one root (portable installs and tests).
    pub fn under(root: &Path) -> Self {
        AppPaths { data_dir: root.join("data"), config_dir: root.join("config"), log_dir: root.join("logs") }
    }

    /// Create the directories (owner-only on Unix).
    pub fn ensure(&self) -> AppResult<()> {
        for dir in [&self.data_dir, &self.config_dir, &self.log_dir] {
            std::fs::create_dir_all(dir).map_err(|e| {
                AppError::new(ErrorCode::DataDirUnavailable, format!("cannot create {}: {e}", dir.display()))
            })?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
            }
        }
        Ok(())
    }
}

/// A new file only its owner can read or write (0600 on Unix): backups, CSV exports and
/// receipts hold the shop's keys or its customers' data, and a shared computer's other
/// accounts must not read them (issue 29, item 13). An existing file is truncated.
pub fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let f = o.open(path)?;
    make_private(path)?;
    Ok(f)
}

/// Make a file written by someone else (the web view's print) owner-only (0600 on Unix).
pub fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ensure_creates_private_directories() {
        let tmp = tempfile::tempdir().unwrap();
        let p = AppPaths::under(tmp.path());
        p.ensure().unwrap();
        assert!(p.data_dir.is_dir() && p.config_dir.is_dir() && p.log_dir.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p.data_dir).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }

    #[test]
    fn an_uncreatable_directory_is_a_clear_error() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("file");
        std::fs::write(&file, b"x").unwrap();
        let err = AppPaths::under(&file).ensure().unwrap_err();
        assert_eq!(err.code, ErrorCode::DataDirUnavailable);
        assert!(err.message.contains("cannot create"), "{}", err.message);
    }
}
