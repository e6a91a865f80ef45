//! Encrypted backups: one file with everything a shop needs to get its saved cards back on
//! another computer — every environment's card database (SQLite's online backup, consistent
//! while the app runs), the settings and the keys from the OS keyring (the Antom keys and the
//! token data keys) — encrypted under a passphrase with `age` (scrypt, memory-hard, then
//! ChaCha20-Poly1305 in a STREAM), no framing of our own around the cryptography.
//!
//! Inside the age stream: one line of JSON (the [`Manifest`]), then each database's bytes in the
//! manifest's order. A restore reads and checks everything (passphrase, integrity, checksums,
//! that each database opens and is not from a newer cardbind) before it changes anything.
//!
//! Without a backup, a lost or broken computer loses the shop's list of which customer owns which
//! saved card: Antom still holds the cards, but the tokens that reach them are only here.

use crate::crypto::hex;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::paths::AppPaths;
use crate::secrets::Secrets;
use crate::settings::{Environment, Settings};
use age::secrecy::SecretString;
use antom::Sensitive;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::io::{BufRead, Read, Write};
use std::path::{Path, PathBuf};
use ts_rs::TS;

/// What a backup file says of itself.
pub const FORMAT: &str = "cardbind-backup";
/// The newest format this version writes and reads.
pub const VERSION: u32 = 1;
/// Backup files are named `cardbind-backup-<UTC timestamp>.age`.
pub const PREFIX: &str = "cardbind-backup-";
pub const SUFFIX: &str = ".age";
/// Passphrases shorter than this are refused (they are all that protects the keys).
pub const MIN_PASSPHRASE: usize = 10;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    format: String,
    version: u32,
    app_version: String,
    created_at: String,
    settings: serde_json::Value,
    /// Keyring entries (`<environment>/<name>`) and their values.
    secrets: Vec<(String, String)>,
    databases: Vec<DatabaseEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DatabaseEntry {
    environment: Environment,
    bytes: u64,
    sha256: String,
}

/// The fuzz target's way in: a backup's manifest line (after decryption), parsed.
#[doc(hidden)]
pub fn fuzz_manifest(data: &[u8]) {
    if let Ok(m) = serde_json::from_slice::<Manifest>(data) {
        let _ = serde_json::from_value::<Settings>(m.settings);
    }
}

/// A backup written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupResult {
    pub path: String,
    /// The file's size in bytes.
    pub bytes: i64,
    /// Environments whose databases it holds.
    pub environments: Vec<Environment>,
}

/// A backup restored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RestoreResult {
    pub created_at: String,
    pub environments: Vec<Environment>,
    /// Saved cards (not removed) in the restored databases.
    pub cards: i64,
}

fn io_error(what: &str, e: std::io::Error) -> AppError {
    crate::error::io_error(e, ErrorCode::StorageFailed, what)
}

fn damaged(why: impl std::fmt::Display) -> AppError {
    AppError::new(
        ErrorCode::BackupDamaged,
        format!("the backup file is damaged or not a cardbind backup ({why}); nothing was changed"),
    )
}

/// A backup passphrase is all that protects every key in the file, against an offline search
/// at leisure: at least [`MIN_PASSPHRASE`] characters, and rated "very unguessable" (score 4,
/// about 10^10 guesses or more) by zxcvbn, Dropbox's estimator (dictionaries, names, keyboard
/// walks, dates, l33t): a length rule alone lets "aaaaaaaaaa" and "password12" through
/// (issue 29, item 13). The shop's name is among the words it knows.
pub fn check_passphrase(p: &str, shop_name: Option<&str>) -> AppResult<()> {
    if p.chars().count() < MIN_PASSPHRASE {
        return Err(AppError::in_field(
            ErrorCode::PassphraseWeak,
            "backupPassphrase",
            format!("at least {MIN_PASSPHRASE} characters (it is all that protects the keys in the file)"),
        ));
    }
    let mut words = vec!["cardbind", "antom", "backup", "passphrase"];
    words.extend(shop_name.iter().flat_map(|n| n.split_whitespace()));
    let score = zxcvbn::zxcvbn(p, &words).score();
    if score < zxcvbn::Score::Four {
        return Err(AppError::in_field(
            ErrorCode::PassphraseWeak,
            "backupPassphrase",
            "too easy to guess: use four or more unrelated words, or a long random one",
        ));
    }
    Ok(())
}

/// A consistent copy of a live database (SQLite's online backup), as bytes.
fn snapshot(db: &Path, scratch: &Path) -> AppResult<Vec<u8>> {
    let src = crate::db::open_read_only(db)?;
    let src = src.sqlite().expect("open_read_only opens an SQLite file");
    let tmp = scratch.join("snapshot.db");
    let _ = std::fs::remove_file(&tmp);
    {
        let mut dst = rusqlite::Connection::open(&tmp)?;
        let b = rusqlite::backup::Backup::new(src, &mut dst)?;
        b.run_to_completion(256, std::time::Duration::ZERO, None)?;
    }
    let bytes = std::fs::read(&tmp).map_err(|e| io_error("cannot read the database copy", e))?;
    let _ = std::fs::remove_file(&tmp);
    Ok(bytes)
}

/// Write a backup of everything into `dir` (created if needed) as `cardbind-backup-<UTC>.age`.
pub fn create(
    paths: &AppPaths,
    settings: &Settings,
    passphrase: &Sensitive<String>,
    dir: &Path,
    app_version: &str,
) -> AppResult<BackupResult> {
    check_passphrase(passphrase.expose(), settings.shop_name.as_deref())?;
    std::fs::create_dir_all(dir).map_err(|e| io_error("cannot create the backup folder", e))?;
    let scratch = tempfile::Builder::new()
        .prefix(".cardbind-backup-")
        .tempdir_in(dir)
        .map_err(|e| io_error("cannot write into the backup folder", e))?;
    let mut databases = Vec::new();
    let mut blobs = Vec::new();
    for &env in Environment::ALL {
        let path = paths.database(env);
        if path.exists() {
            let bytes = snapshot(&path, scratch.path())?;
            databases.push(DatabaseEntry {
                environment: env,
                bytes: bytes.len() as u64,
                sha256: hex(&Sha256::digest(&bytes)),
            });
            blobs.push(bytes);
        }
    }
    let mut secrets = Vec::new();
    for &env in Environment::ALL {
        for (name, value) in Secrets::for_settings(settings, env).export()? {
            secrets.push((name, value.expose().clone()));
        }
    }
    let created_at = crate::db::now();
    let manifest = Manifest {
        format: FORMAT.into(),
        version: VERSION,
        app_version: app_version.into(),
        created_at: created_at.clone(),
        settings: serde_json::to_value(settings).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?,
        secrets,
        databases: databases.clone(),
    };
    let mut line = serde_json::to_vec(&manifest).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    line.push(b'\n');
    let line = Sensitive::new(line); // it holds keys: zeroised on drop

    let stamp = created_at.replace([':', '-'], "").replace('T', "-").trim_end_matches('Z').to_string();
    let path = dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
    let tmp = scratch.path().join("backup.part");
    let write = || -> std::io::Result<()> {
        let file = crate::paths::create_private(&tmp)?;
        let encryptor = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.expose().clone()));
        let mut w = encryptor.wrap_output(std::io::BufWriter::new(file))?;
        w.write_all(line.expose())?;
        for b in &blobs {
            w.write_all(b)?;
        }
        let mut inner = w.finish()?;
        inner.flush()?;
        inner.get_ref().sync_all()?;
        Ok(())
    };
    write().map_err(|e| io_error("the backup could not be written", e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io_error("the backup could not be written", e))?;
    let bytes = std::fs::metadata(&path).map(|m| m.len() as i64).unwrap_or(0);
    tracing::info!(path = %path.display(), bytes, "backup written");
    Ok(BackupResult {
        path: path.display().to_string(),
        bytes,
        environments: databases.iter().map(|d| d.environment).collect(),
    })
}

/// A backup read, decrypted and checked, not applied yet.
pub struct Verified {
    manifest: Manifest,
    /// The databases, written to temporary files beside their targets and checked.
    staged: Vec<(Environment, PathBuf)>,
    pub cards: i64,
    _scratch: tempfile::TempDir,
}

impl Verified {
    pub fn created_at(&self) -> &str {
        &self.manifest.created_at
    }

    pub fn environments(&self) -> Vec<Environment> {
        self.staged.iter().map(|(e, _)| *e).collect()
    }
}

/// Decrypt and check a backup file. Nothing is changed.
pub fn verify(paths: &AppPaths, file: &Path, passphrase: &Sensitive<String>) -> AppResult<Verified> {
    let f = std::fs::File::open(file)
        .map_err(|e| AppError::new(ErrorCode::NotFound, format!("cannot open {}: {e}", file.display())))?;
    let decryptor = age::Decryptor::new_buffered(std::io::BufReader::new(f)).map_err(damaged)?;
    if !decryptor.is_scrypt() {
        return Err(damaged("not encrypted with a passphrase"));
    }
    let mut identity = age::scrypt::Identity::new(SecretString::from(passphrase.expose().clone()));
    // Tolerate a backup made on a faster computer (a higher work factor), within reason.
    identity.set_max_work_factor(22);
    let mut reader = match decryptor.decrypt(std::iter::once(&identity as &dyn age::Identity)) {
        Ok(r) => std::io::BufReader::new(r),
        Err(
            age::DecryptError::DecryptionFailed
            | age::DecryptError::NoMatchingKeys
            | age::DecryptError::KeyDecryptionFailed,
        ) => {
            return Err(AppError::new(
                ErrorCode::BackupPassphraseWrong,
                "the passphrase does not open this backup (or its header is damaged); nothing was changed",
            ))
        }
        Err(e) => return Err(damaged(e)),
    };
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line).map_err(damaged)?;
    let line = Sensitive::new(line);
    let manifest: Manifest = serde_json::from_slice(line.expose()).map_err(|_| damaged("no manifest"))?;
    if manifest.format != FORMAT {
        return Err(damaged("not a cardbind backup"));
    }
    if manifest.version > VERSION {
        return Err(AppError::new(
            ErrorCode::BackupTooNew,
            format!(
                "this backup was made by a newer cardbind ({}); update the app first. Nothing was changed",
                manifest.app_version
            ),
        ));
    }
    std::fs::create_dir_all(&paths.data_dir).map_err(|e| io_error("cannot create the data folder", e))?;
    let scratch = tempfile::Builder::new()
        .prefix(".cardbind-restore-")
        .tempdir_in(&paths.data_dir)
        .map_err(|e| io_error("cannot write into the data folder", e))?;
    let mut staged = Vec::new();
    let mut cards = 0;
    for d in &manifest.databases {
        let mut bytes = vec![0u8; usize::try_from(d.bytes).map_err(|_| damaged("size"))?];
        reader.read_exact(&mut bytes).map_err(damaged)?;
        if hex(&Sha256::digest(&bytes)) != d.sha256 {
            return Err(damaged("a database does not match its checksum"));
        }
        let path = scratch.path().join(format!("{}.db", d.environment.as_str()));
        std::fs::write(&path, &bytes).map_err(|e| io_error("cannot stage the restored database", e))?;
        let conn = crate::db::Connection::from(rusqlite::Connection::open(&path).map_err(damaged)?);
        let ok: String = conn.query_row("PRAGMA integrity_check", (), |r| r.get(0)).map_err(damaged)?;
        if ok != "ok" {
            return Err(damaged(format!("a database fails its integrity check: {ok}")));
        }
        crate::db::migrate(&conn).map_err(|e| {
            if e.message.contains("newer cardbind") {
                AppError::new(ErrorCode::BackupTooNew, format!("{}; nothing was changed", e.message))
            } else {
                damaged(e.message)
            }
        })?;
        cards += conn.query_row("SELECT COUNT(*) FROM cards WHERE removed_at IS NULL", (), |r| r.get::<i64>(0))?;
        staged.push((d.environment, path));
    }
    // Anything after the last database is not ours: the stream must end here.
    let mut rest = [0u8; 1];
    match reader.read(&mut rest) {
        Ok(0) => {}
        Ok(_) => return Err(damaged("data after the last database")),
        Err(e) => return Err(damaged(e)),
    }
    serde_json::from_value::<Settings>(manifest.settings.clone()).map_err(|_| damaged("settings"))?;
    Ok(Verified { manifest, staged, cards, _scratch: scratch })
}

/// Apply a verified backup: keys into the keyring, databases into place (the app must have
/// closed its connection to them), settings saved. Returns the restored settings.
pub fn apply(paths: &AppPaths, v: Verified) -> AppResult<Settings> {
    let settings: Settings = serde_json::from_value(v.manifest.settings.clone()).map_err(|_| damaged("settings"))?;
    for &env in Environment::ALL {
        let prefix = format!("{}/", env.as_str());
        let entries: Vec<(String, Sensitive<String>)> = v
            .manifest
            .secrets
            .iter()
            .filter_map(|(n, val)| n.strip_prefix(&prefix).map(|name| (name.to_string(), Sensitive::new(val.clone()))))
            .collect();
        // into the key sets the restored settings name
        Secrets::for_settings(&settings, env).import(&entries)?;
    }
    for (env, staged) in &v.staged {
        let target = paths.database(*env);
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        std::fs::rename(staged, &target).map_err(|e| io_error("cannot put the restored database in place", e))?;
    }
    settings.save(&paths.config_dir)?;
    tracing::info!(environments = v.staged.len(), cards = v.cards, "backup restored");
    Ok(settings)
}

/// The backups in `dir`, oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(PREFIX) && n.ends_with(SUFFIX))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// The files the schedule wrote, one path a line, in the data folder (not in the backup folder,
/// which anyone may point elsewhere): the schedule only ever deletes what it wrote.
fn written_by_schedule(paths: &AppPaths) -> PathBuf {
    paths.data_dir.join("scheduled-backups")
}

fn read_written(paths: &AppPaths) -> Vec<PathBuf> {
    std::fs::read_to_string(written_by_schedule(paths))
        .map(|s| s.lines().filter(|l| !l.trim().is_empty()).map(PathBuf::from).collect())
        .unwrap_or_default()
}

/// A scheduled backup: when the newest backup the schedule wrote into `dir` is older than `every`
/// (or there is none), make one, then keep only its newest `keep`. Files it did not write (an
/// owner's own backups, anything else in the folder) are never deleted (issue 29, item 5).
/// Returns the backup made, if one was due.
pub fn run_schedule(
    paths: &AppPaths,
    settings: &Settings,
    passphrase: &Sensitive<String>,
    dir: &Path,
    every: std::time::Duration,
    keep: usize,
    app_version: &str,
) -> AppResult<Option<BackupResult>> {
    let in_dir = list(dir);
    let mut mine: Vec<PathBuf> = read_written(paths).into_iter().filter(|p| in_dir.contains(p)).collect();
    mine.sort();
    let newest = mine.last().and_then(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    let due = newest.is_none_or(|t| t.elapsed().unwrap_or_default() >= every);
    if !due {
        return Ok(None);
    }
    let made = create(paths, settings, passphrase, dir, app_version)?;
    mine.push(PathBuf::from(&made.path));
    mine.sort();
    mine.dedup();
    let extra = mine.len().saturating_sub(keep.max(1));
    let mut kept = Vec::new();
    for (i, old) in mine.into_iter().enumerate() {
        if i < extra {
            if let Err(e) = std::fs::remove_file(&old) {
                tracing::warn!(path = %old.display(), error = %e, "cannot remove an old backup");
                kept.push(old);
            }
        } else {
            kept.push(old);
        }
    }
    let list: String = kept.iter().map(|p| format!("{}\n", p.display())).collect();
    if let Err(e) = std::fs::write(written_by_schedule(paths), list) {
        tracing::warn!(error = %e, "cannot note which backups the schedule wrote");
    }
    Ok(Some(made))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 29, item 13: a passphrase is judged by an estimator, not by its length alone.
    #[test]
    fn passphrases_must_be_hard_to_guess_not_only_long() {
        for weak in ["short", "aaaaaaaaaaaa", "password1234", "qwertyuiop123", "lojadaana1", "1234567890123"] {
            let e = check_passphrase(weak, Some("Loja da Ana")).expect_err(weak);
            assert_eq!(e.code, ErrorCode::PassphraseWeak, "{weak:?}");
            assert_eq!(e.field.as_deref(), Some("backupPassphrase"));
        }
        for strong in ["correct horse battery staple", "a long enough passphrase", "v8#Lq2!zR9@mW4&k"] {
            check_passphrase(strong, Some("Loja da Ana")).unwrap_or_else(|e| panic!("{strong:?}: {e:?}"));
        }
    }
}
