//! The SQLite database: one file, WAL, foreign keys on, ordered migrations embedded in the binary
//! and recorded in `schema_migrations`.

use crate::error::{AppError, AppResult, ErrorCode};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The app's one read-write connection, shared by the use cases, the binding flow and the
/// notification listener. Hold the guard only for the statements at hand, never across an await
/// or a call to Antom.
pub type Db = Arc<Mutex<Connection>>;

/// Lock the connection (a poisoned lock is taken over: SQLite's own transactions keep the data
/// consistent whatever a panicking holder was doing).
pub fn lock(db: &Db) -> MutexGuard<'_, Connection> {
    db.lock().unwrap_or_else(|p| p.into_inner())
}

/// Wrap an open connection as the shared handle.
pub fn shared(conn: Connection) -> Db {
    Arc::new(Mutex::new(conn))
}

/// Ordered, embedded migrations: (version, SQL). Append only; never edit a released one.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_initial", include_str!("../migrations/0001_initial.sql")),
    ("0002_expiry_indexes", include_str!("../migrations/0002_expiry_indexes.sql")),
    ("0003_staff_pins", include_str!("../migrations/0003_staff_pins.sql")),
    ("0004_data_key_checks", include_str!("../migrations/0004_data_key_checks.sql")),
    ("0005_pin_throttle_decay", include_str!("../migrations/0005_pin_throttle_decay.sql")),
    ("0006_kiosk_codes", include_str!("../migrations/0006_kiosk_codes.sql")),
    ("0007_payments", include_str!("../migrations/0007_payments.sql")),
    ("0008_payment_request_pins", include_str!("../migrations/0008_payment_request_pins.sql")),
];

pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339).expect("formatting UTC time cannot fail")
}

/// Open (creating if needed) and migrate.
pub fn open(path: &Path) -> AppResult<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            AppError::new(ErrorCode::DataDirUnavailable, format!("cannot create {}: {e}", dir.display()))
        })?;
    }
    let conn = Connection::open(path)?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

/// Move a database of an earlier version (`legacy`, with its WAL and shared-memory files) to
/// `target`, unless `target` exists already. Returns whether it moved. Nothing is copied or
/// rewritten: the files are renamed, WAL first, so a crash in between leaves a database SQLite
/// can open either way.
pub fn adopt_legacy(legacy: &Path, target: &Path) -> AppResult<bool> {
    if !legacy.exists() || target.exists() {
        return Ok(false);
    }
    let moved = |e: std::io::Error| {
        AppError::new(
            ErrorCode::StorageFailed,
            format!("cannot move {} to {}: {e}", legacy.display(), target.display()),
        )
    };
    for suffix in ["-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", legacy.display()));
        if from.exists() {
            std::fs::rename(&from, format!("{}{suffix}", target.display())).map_err(moved)?;
        }
    }
    std::fs::rename(legacy, target).map_err(moved)?;
    tracing::info!(from = %legacy.display(), to = %target.display(), "adopted the database of an earlier version");
    Ok(true)
}

/// A second, read-only connection to an open database, for long reads (exports): in WAL mode it
/// reads a consistent snapshot while the app's own connection keeps writing.
pub fn open_read_only(path: &Path) -> AppResult<Connection> {
    use rusqlite::OpenFlags;
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

pub fn open_in_memory() -> AppResult<Connection> {
    let conn = Connection::open_in_memory()?;
    configure(&conn)?;
    migrate(&conn)?;
    Ok(conn)
}

fn configure(conn: &Connection) -> AppResult<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: in WAL mode every commit syncs the WAL before it returns, so what the app has
    // committed (an attempt before its call to Antom, a bound card) survives a power cut.
    // NORMAL would sync only at checkpoints and could lose the last commits.
    // `tests/durability.rs` observes the syncs; the store bench prints what one costs.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let fk: i64 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    if fk != 1 {
        return Err(AppError::new(ErrorCode::StorageFailed, "SQLite refused to enable foreign keys"));
    }
    Ok(())
}

pub fn migrate(conn: &Connection) -> AppResult<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let applied: Vec<String> = conn
        .prepare("SELECT version FROM schema_migrations ORDER BY version")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    if let Some(unknown) = applied.iter().find(|v| !MIGRATIONS.iter().any(|(m, _)| m == v)) {
        return Err(AppError::new(
            ErrorCode::StorageFailed,
            format!("the database was written by a newer cardbind (migration {unknown}); update the app"),
        ));
    }
    for (version, sql) in MIGRATIONS {
        if applied.iter().any(|v| v == version) {
            continue;
        }
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(sql)?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", (version, now()))?;
        tx.commit()?;
        tracing::info!(version, "applied migration");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_apply_once_in_order_with_wal_and_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cards.db");
        let c = open(&path).unwrap();
        let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = c.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!(sync, 2, "synchronous = FULL");
        drop(c);
        let c = open(&path).unwrap();
        let n: i64 = c.query_row("SELECT COUNT(*) FROM schema_migrations", [], |r| r.get(0)).unwrap();
        assert_eq!(n as usize, MIGRATIONS.len());
        let mut sorted: Vec<_> = MIGRATIONS.iter().map(|m| m.0).collect();
        sorted.sort();
        assert_eq!(sorted, MIGRATIONS.iter().map(|m| m.0).collect::<Vec<_>>(), "migrations are listed in order");
        // foreign keys are enforced
        let err = c
            .execute(
                "INSERT INTO consents (customer_id, text_version, locale, accepted_at) VALUES (999, 'v1', 'en', 'x')",
                [],
            )
            .unwrap_err();
        assert!(err.to_string().contains("FOREIGN KEY"), "{err}");
    }

    #[test]
    fn an_earlier_database_is_adopted_once_with_its_wal() {
        let dir = tempfile::tempdir().unwrap();
        let legacy = dir.path().join("cards.db");
        let target = dir.path().join("cards-demo.db");
        {
            let c = open(&legacy).unwrap();
            c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'kept')", []).unwrap();
            std::mem::forget(c); // as after a crash: the row is only in the WAL
        }
        assert!(adopt_legacy(&legacy, &target).unwrap());
        assert!(!legacy.exists());
        let c = open(&target).unwrap();
        let n: i64 = c.query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'kept'", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "the WAL came along");
        assert!(!adopt_legacy(&legacy, &target).unwrap(), "only once");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let c = open_in_memory().unwrap();
        c.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')", []).unwrap();
        let e = migrate(&c).unwrap_err();
        assert_eq!(e.code, ErrorCode::StorageFailed);
        assert!(e.message.contains("newer cardbind"));
    }

    #[test]
    fn the_audit_log_is_append_only() {
        let c = open_in_memory().unwrap();
        c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'x')", []).unwrap();
        assert!(c.execute("UPDATE audit_log SET action = 'y'", []).is_err());
        assert!(c.execute("DELETE FROM audit_log", []).is_err());
    }
}
