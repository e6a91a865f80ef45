//! The card database: the embedded SQLite file (one till) or a shared PostgreSQL server
//! (several tills). The store writes its SQL once against [`Connection`]; this module holds the
//! two backends, the ordered migrations (one list, each written for both where SQL differs) and
//! the few places where the dialects part ([`Dialect`]).
//!
//! SQLite: one file, WAL, `synchronous = FULL`, foreign keys on. PostgreSQL: see [`postgres`].

mod postgres;
pub mod roles;
pub mod transfer;
pub mod value;

pub use value::{Error, FromSql, OptionalExtension, Params, Result, Row, ToSql, Value};

use crate::error::{AppError, AppResult, ErrorCode};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// The app's one read-write connection, shared by the use cases, the binding flow and the
/// notification listener. Hold the guard only for the statements at hand, never across an await
/// or a call to Antom.
pub type Db = Arc<Mutex<Connection>>;

/// Lock the connection (a poisoned lock is taken over: the database's own transactions keep the
/// data consistent whatever a panicking holder was doing).
pub fn lock(db: &Db) -> MutexGuard<'_, Connection> {
    db.lock().unwrap_or_else(|p| p.into_inner())
}

/// Wrap an open connection as the shared handle.
pub fn shared(conn: Connection) -> Db {
    Arc::new(Mutex::new(conn))
}

/// Which SQL a statement must be written in where the two differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// What a connection checks the database's rows with ([`crate::shop::seals`]).
pub struct Seal {
    pub key: crate::crypto::RowKey,
    /// This till's mark that it has had staff (a file in its data folder, never the database's).
    staff_mark: PathBuf,
}

impl Seal {
    /// The staff mark's file in a data folder.
    const STAFF_MARK: &'static str = "had-staff";

    pub fn new(key: crate::crypto::RowKey, data_dir: &Path) -> Seal {
        Seal { key, staff_mark: data_dir.join(Self::STAFF_MARK) }
    }

    /// This till has had staff.
    pub fn had_staff(&self) -> bool {
        self.staff_mark.exists()
    }

    /// Remember that this till has had staff (once; not a secret).
    pub fn mark_had_staff(&self) {
        Self::mark_in(self.staff_mark.parent().unwrap_or(Path::new(".")));
    }

    /// The same, for a data folder (a till that joined a shop that has had staff).
    pub fn mark_in(data_dir: &Path) {
        let mark = data_dir.join(Self::STAFF_MARK);
        if mark.exists() {
            return;
        }
        if let Err(e) = std::fs::write(&mark, b"1\n") {
            tracing::warn!(error = %e, "cannot keep this till's staff mark");
        }
    }
}

/// One connection to the card database, SQLite or PostgreSQL. Statements are written with
/// SQLite's numbered parameters (`?1`, `?2`, …); the PostgreSQL backend renumbers them (`$1`).
pub struct Connection {
    inner: Inner,
    /// A shared database opened while its server was away: migrated before the first statement
    /// that reaches it ([`open_shared_lazy`]).
    unmigrated: std::sync::atomic::AtomicBool,
    /// The shop's row key, when this till holds the one the rows were sealed with
    /// ([`crate::shop::seals`]): the rows that authorise are sealed and checked with it.
    seal: std::sync::RwLock<Option<Arc<Seal>>>,
    /// A transaction is open ([`Connection::unchecked_transaction`] until commit or rollback).
    in_tx: std::sync::atomic::AtomicBool,
    /// What must succeed before the first statement reaches a database that was away when it
    /// was opened (the seal check, [`Connection::when_ready`]).
    on_ready: Mutex<Option<ReadyCheck>>,
    /// What runs before a connection opened while the server was away migrates (the admin
    /// role's migration: [`Connection::before_migrating`]).
    on_migrate: Mutex<Option<ReadyCheck>>,
}

type ReadyCheck = Box<dyn Fn(&Connection) -> AppResult<()> + Send>;

enum Inner {
    Sqlite(rusqlite::Connection),
    Postgres(postgres::PgConn),
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Connection({:?})", self.dialect())
    }
}

impl From<rusqlite::Connection> for Connection {
    fn from(c: rusqlite::Connection) -> Self {
        Connection::new(Inner::Sqlite(c), false)
    }
}

impl Connection {
    fn new(inner: Inner, unmigrated: bool) -> Self {
        Connection {
            inner,
            unmigrated: unmigrated.into(),
            seal: Default::default(),
            in_tx: false.into(),
            on_ready: Mutex::new(None),
            on_migrate: Mutex::new(None),
        }
    }

    /// The row key rows are sealed and checked with on this connection (none: a till that does
    /// not hold the shop's, and tests of the store alone).
    pub fn row_key(&self) -> Option<crate::crypto::RowKey> {
        self.seal().map(|s| s.key.clone())
    }

    pub fn seal(&self) -> Option<Arc<Seal>> {
        self.seal.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_seal(&self, seal: Option<Seal>) {
        *self.seal.write().unwrap_or_else(|p| p.into_inner()) = seal.map(Arc::new);
    }

    /// Check rows with what `other` checks them with (a second connection to the same database).
    pub fn share_seal_of(&self, other: &Connection) {
        *self.seal.write().unwrap_or_else(|p| p.into_inner()) = other.seal();
    }

    /// Whether a transaction is open on this connection.
    pub fn in_transaction(&self) -> bool {
        self.in_tx.load(std::sync::atomic::Ordering::SeqCst)
    }

    pub fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Sqlite(_) => Dialect::Sqlite,
            Inner::Postgres(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection underneath, for what only SQLite has (backups of the file, pragmas).
    pub fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Sqlite(c) => Some(c),
            Inner::Postgres(_) => None,
        }
    }

    /// Run `check` before the first statement that reaches the database (it may run
    /// statements itself); until it succeeds every statement fails with its error.
    pub fn when_ready(&self, check: impl Fn(&Connection) -> AppResult<()> + Send + 'static) {
        *self.on_ready.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(check));
    }

    /// Run `f` before this connection, opened while the server was away, migrates (once it
    /// succeeds). A connection that migrated when it was opened never runs it.
    pub fn before_migrating(&self, f: impl Fn(&Connection) -> AppResult<()> + Send + 'static) {
        if self.unmigrated.load(std::sync::atomic::Ordering::SeqCst) {
            *self.on_migrate.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(f));
        }
    }

    /// Migrate first if this connection was opened while the server was away, then run what
    /// must succeed before it is used ([`Connection::when_ready`]).
    fn ready(&self) -> Result<()> {
        use std::sync::atomic::Ordering;
        if self.unmigrated.swap(false, Ordering::SeqCst) {
            let first = self.on_migrate.lock().unwrap_or_else(|p| p.into_inner()).take();
            if let Some(first) = first {
                if let Err(e) = first(self) {
                    *self.on_migrate.lock().unwrap_or_else(|p| p.into_inner()) = Some(first);
                    self.unmigrated.store(true, Ordering::SeqCst);
                    return Err(Error::Unreachable(e.message));
                }
            }
            if let Err(e) = migrate(self) {
                self.unmigrated.store(true, Ordering::SeqCst);
                return Err(Error::Unreachable(e.message));
            }
        }
        let check = self.on_ready.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(check) = check {
            if let Err(e) = check(self) {
                *self.on_ready.lock().unwrap_or_else(|p| p.into_inner()) = Some(check);
                return Err(match e.code {
                    ErrorCode::DatabaseUnreachable => Error::Unreachable(e.message),
                    _ => Error::Refused { code: e.code.as_str(), message: e.message },
                });
            }
        }
        Ok(())
    }

    /// Run one statement; the number of rows it changed.
    pub fn execute<P: Params>(&self, sql: &str, params: P) -> Result<usize> {
        self.ready()?;
        match &self.inner {
            Inner::Sqlite(c) => {
                let values = params.into_values();
                let mut stmt = c.prepare_cached(sql)?;
                Ok(stmt.execute(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?)
            }
            Inner::Postgres(c) => c.execute(sql, params.into_values()),
        }
    }

    /// Every row of a query, each turned into `T` by `f`.
    pub fn query_map<T, P: Params, F: FnMut(&Row) -> Result<T>>(
        &self,
        sql: &str,
        params: P,
        mut f: F,
    ) -> Result<Vec<T>> {
        self.ready()?;
        match &self.inner {
            Inner::Sqlite(c) => {
                let values = params.into_values();
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?;
                let mut out = Vec::new();
                while let Some(r) = rows.next()? {
                    let values = (0..n).map(|i| r.get_ref(i).map(from_sqlite)).collect::<Result<_, _>>()?;
                    out.push(f(&Row { values })?);
                }
                Ok(out)
            }
            Inner::Postgres(c) => c.query(sql, params.into_values())?.iter().map(f).collect(),
        }
    }

    /// The first row of a query turned into `T`; [`Error::NoRows`] when there is none.
    pub fn query_row<T, P: Params, F: FnOnce(&Row) -> Result<T>>(&self, sql: &str, params: P, f: F) -> Result<T> {
        self.ready()?;
        let first = match &self.inner {
            Inner::Sqlite(c) => {
                let values = params.into_values();
                let mut stmt = c.prepare_cached(sql)?;
                let n = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(values.iter().map(sqlite_value)))?;
                match rows.next()? {
                    Some(r) => {
                        Some(Row { values: (0..n).map(|i| r.get_ref(i).map(from_sqlite)).collect::<Result<_, _>>()? })
                    }
                    None => None,
                }
            }
            Inner::Postgres(c) => c.query(sql, params.into_values())?.into_iter().next(),
        };
        f(&first.ok_or(Error::NoRows)?)
    }

    /// A statement to run several times (each backend keeps it prepared).
    pub fn prepare<'c>(&'c self, sql: &str) -> Result<Statement<'c>> {
        Ok(Statement { conn: self, sql: sql.to_owned() })
    }

    /// The same as [`Connection::prepare`]: both backends cache every statement.
    pub fn prepare_cached<'c>(&'c self, sql: &str) -> Result<Statement<'c>> {
        self.prepare(sql)
    }

    /// Several statements without parameters (migrations, transaction control).
    pub fn execute_batch(&self, sql: &str) -> Result<()> {
        self.ready()?;
        match &self.inner {
            Inner::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Inner::Postgres(c) => c.batch(sql),
        }
    }

    /// Start a transaction on a shared reference (the caller holds the connection's lock):
    /// committed by [`Transaction::commit`], rolled back when dropped without it.
    pub fn unchecked_transaction(&self) -> Result<Transaction<'_>> {
        self.execute_batch("BEGIN")?;
        self.in_tx.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(Transaction { conn: self, done: false })
    }
}

/// A statement bound to its connection, as rusqlite's: run it with different parameters.
pub struct Statement<'c> {
    conn: &'c Connection,
    sql: String,
}

impl Statement<'_> {
    pub fn execute<P: Params>(&mut self, params: P) -> Result<usize> {
        self.conn.execute(&self.sql, params)
    }

    /// Each row turned into `T` (collect into `Result<Vec<T>>`).
    pub fn query_map<T, P: Params, F: FnMut(&Row) -> Result<T>>(
        &mut self,
        params: P,
        mut f: F,
    ) -> Result<std::vec::IntoIter<Result<T>>> {
        let rows = self.conn.query_map(&self.sql, params, |r| Ok(r.clone()))?;
        Ok(rows.iter().map(&mut f).collect::<Vec<_>>().into_iter())
    }

    /// The rows, to walk with [`Rows::next`].
    pub fn query<P: Params>(&mut self, params: P) -> Result<Rows> {
        Ok(Rows { rows: self.conn.query_map(&self.sql, params, |r| Ok(r.clone()))?.into_iter(), current: None })
    }
}

/// Rows of [`Statement::query`].
pub struct Rows {
    rows: std::vec::IntoIter<Row>,
    current: Option<Row>,
}

impl Rows {
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Option<&Row>> {
        self.current = self.rows.next();
        Ok(self.current.as_ref())
    }
}

/// A name read from somewhere (a schema, a table) as an SQL identifier: quoted, with any quote
/// inside doubled, so it can never be read as SQL.
pub fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A text as an SQL string literal (for the few statements that take no parameters).
pub fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// Run `f` in a transaction: the caller's, when one is open, else a new one committed when `f`
/// succeeds (for what must be written together, whoever calls).
pub fn atomically<T>(conn: &Connection, f: impl FnOnce(&Connection) -> AppResult<T>) -> AppResult<T> {
    if conn.in_transaction() {
        return f(conn);
    }
    let tx = conn.unchecked_transaction()?;
    let out = f(&tx)?;
    tx.commit()?;
    Ok(out)
}

/// An open transaction; derefs to its connection.
pub struct Transaction<'c> {
    conn: &'c Connection,
    done: bool,
}

impl Transaction<'_> {
    pub fn commit(mut self) -> Result<()> {
        self.done = true;
        self.conn.in_tx.store(false, std::sync::atomic::Ordering::SeqCst);
        self.conn.execute_batch("COMMIT")
    }
}

impl std::ops::Deref for Transaction<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Transaction<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.conn.in_tx.store(false, std::sync::atomic::Ordering::SeqCst);
            if let Err(e) = self.conn.execute_batch("ROLLBACK") {
                tracing::warn!(error = %e, "rolling back a transaction failed");
            }
        }
    }
}

// What the database said, as the app's error: a full disk (either database's) is STORAGE_FULL,
// a shared database that cannot be reached is DATABASE_UNREACHABLE.
impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        Error::from(e).into()
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        use rusqlite::ffi::ErrorCode as C;
        use Error as E;
        let code = match &e {
            E::NoRows | E::Sqlite(rusqlite::Error::QueryReturnedNoRows) => ErrorCode::NotFound,
            E::Sqlite(s) if s.sqlite_error_code() == Some(C::DiskFull) => ErrorCode::StorageFull,
            // 53100: the server's disk is full.
            E::Postgres(p) if p.code().is_some_and(|c| c.code() == "53100") => ErrorCode::StorageFull,
            E::Unreachable(_) => ErrorCode::DatabaseUnreachable,
            E::Refused { code, message } => {
                return AppError::new(ErrorCode::parse(code).unwrap_or(ErrorCode::Internal), message.clone())
            }
            _ => ErrorCode::StorageFailed,
        };
        let message = match code {
            ErrorCode::StorageFull => "the disk is full; free some space and try again (nothing was saved)".to_string(),
            ErrorCode::NotFound => "not found".to_string(),
            ErrorCode::DatabaseUnreachable => {
                format!("the shop's shared database cannot be reached; nothing was started ({e})")
            }
            _ => format!("the card database failed: {e}"),
        };
        AppError::new(code, message)
    }
}

fn sqlite_value(v: &Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as S;
    match v {
        Value::Null => S::Null,
        Value::Integer(i) => S::Integer(*i),
        Value::Real(r) => S::Real(*r),
        Value::Text(t) => S::Text(t.clone()),
        Value::Blob(b) => S::Blob(b.clone()),
        Value::Bool(b) => S::Integer(i64::from(*b)),
    }
}

fn from_sqlite(v: rusqlite::types::ValueRef<'_>) -> Value {
    use rusqlite::types::ValueRef as S;
    match v {
        S::Null => Value::Null,
        S::Integer(i) => Value::Integer(i),
        S::Real(r) => Value::Real(r),
        S::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        S::Blob(b) => Value::Blob(b.to_vec()),
    }
}

/// One schema change, written for each dialect. The two must leave the same tables, columns,
/// constraints and indexes (types as each database spells them); `tests/store_backends.rs`
/// compares what each backend reports.
pub struct Migration {
    pub version: &'static str,
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// A migration by its version: `migrations/<version>.sql` and `migrations/postgres/<version>.sql`.
macro_rules! migration {
    ($version:literal) => {
        Migration {
            version: $version,
            sqlite: include_str!(concat!("../../migrations/", $version, ".sql")),
            postgres: include_str!(concat!("../../migrations/postgres/", $version, ".sql")),
        }
    };
}

/// Ordered, embedded migrations. Append only; never edit a released one.
pub const MIGRATIONS: &[Migration] = &[
    migration!("0001_initial"),
    migration!("0002_expiry_indexes"),
    migration!("0003_staff_pins"),
    migration!("0004_data_key_checks"),
    migration!("0005_pin_throttle_decay"),
    migration!("0006_kiosk_codes"),
    migration!("0007_payments"),
    migration!("0008_payment_request_pins"),
    migration!("0009_terminals"),
    migration!("0010_demo_antom"),
    migration!("0011_claims"),
    migration!("0012_tills_and_cancels"),
    migration!("0013_capture_and_card_on_file"),
    migration!("0014_charge_keys_and_shop_identity"),
    migration!("0015_row_seals"),
];

pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    t.format(&time::format_description::well_known::Rfc3339).expect("formatting UTC time cannot fail")
}

/// Now in Unix milliseconds (the columns that hold deadlines: PIN pauses, codes, claims).
pub fn now_ms() -> i64 {
    i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

/// Unix milliseconds as RFC 3339, for people and the UI ("" for a time out of range).
pub fn rfc3339_ms(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

/// Open (creating if needed) and migrate.
pub fn open(path: &Path) -> AppResult<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            AppError::new(ErrorCode::DataDirUnavailable, format!("cannot create {}: {e}", dir.display()))
        })?;
    }
    let conn = rusqlite::Connection::open(path)?;
    configure(&conn)?;
    let conn = Connection::from(conn);
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
    let conn = rusqlite::Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn.into())
}

pub fn open_in_memory() -> AppResult<Connection> {
    let conn = rusqlite::Connection::open_in_memory()?;
    configure(&conn)?;
    let conn = Connection::from(conn);
    migrate(&conn)?;
    Ok(conn)
}

/// Connect to a shared PostgreSQL database and migrate it (see [`postgres`] for TLS and what
/// happens when the server goes away).
pub fn open_postgres(url: &str) -> AppResult<Connection> {
    open_shared(url, None, None)
}

/// The same, working in one schema of the database (`cardbind_demo`, `cardbind_sandbox`,
/// `cardbind_production`: each environment keeps its own data on one server, as each keeps its
/// own SQLite file on one till), trusting `ca_file` for the server's certificate besides the
/// system's roots.
pub fn open_shared(url: &str, schema: Option<&str>, ca_file: Option<&Path>) -> AppResult<Connection> {
    let conn = Connection::new(Inner::Postgres(postgres::PgConn::connect(url, schema, ca_file)?), false);
    migrate(&conn)?;
    Ok(conn)
}

/// The same, but a server that cannot be reached now is not an error: the connection is made,
/// and the database migrated, by the first statement after it is back (each statement until
/// then fails with DATABASE_UNREACHABLE). A till starts while the shop's server is down and
/// says so, instead of not starting.
pub fn open_shared_lazy(url: &str, schema: Option<&str>, ca_file: Option<&Path>) -> AppResult<Connection> {
    match open_shared(url, schema, ca_file) {
        Err(e) if e.code == ErrorCode::DatabaseUnreachable => {
            tracing::warn!("the shared database cannot be reached; this till retries with each action");
            Ok(Connection::new(Inner::Postgres(postgres::PgConn::start(url, schema, ca_file)?), true))
        }
        other => other,
    }
}

/// Refuse (`INVALID_INPUT`, field `url`) an address that asks for no TLS to another computer.
pub fn check_transport(url: &str) -> AppResult<()> {
    let config: ::postgres::Config = url
        .parse()
        .map_err(|e| AppError::in_field(ErrorCode::InvalidInput, "url", format!("not a PostgreSQL address: {e}")))?;
    postgres::plain_text_allowed(&config)
}

/// `host:port/database` of a PostgreSQL address, for people to read (the password and options
/// left out); an address that is not one is INVALID_INPUT.
pub fn server_label(url: &str) -> AppResult<String> {
    let config: ::postgres::Config = url
        .parse()
        .map_err(|e| AppError::new(ErrorCode::InvalidInput, format!("url: not a PostgreSQL address ({e})")))?;
    let host = match config.get_hosts().first() {
        Some(::postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(::postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => return Err(AppError::new(ErrorCode::InvalidInput, "url: names no host")),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    Ok(format!("{host}:{port}/{}", config.get_dbname().unwrap_or("postgres")))
}

/// After rows were written with their ids given (a bulk load, a move from SQLite): PostgreSQL's
/// identity counters continue after the largest id (SQLite's rowids always do). The tables are
/// the ones whose `id` is an identity column, as the database reports them.
pub fn resync_ids(conn: &Connection) -> AppResult<()> {
    if conn.dialect() == Dialect::Postgres {
        let tables: Vec<String> = conn.query_map(
            "SELECT CAST(table_name AS TEXT) FROM information_schema.columns
             WHERE table_schema = current_schema() AND column_name = 'id' AND is_identity = 'YES'",
            (),
            |r| r.get(0),
        )?;
        for t in tables {
            conn.execute_batch(&format!(
                "SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
            ))?;
        }
    }
    Ok(())
}

/// A database for a test: an empty PostgreSQL database on the test server when
/// `CARDBIND_TEST_DB=postgres` (`make test` runs the store, binding, payment and staff suites
/// both ways), else SQLite in memory.
#[cfg(test)]
pub(crate) fn open_for_test() -> Connection {
    if cardbind_testkit::pg::wants_postgres() {
        open_postgres(&cardbind_testkit::pg::fresh_database()).unwrap()
    } else {
        open_in_memory().unwrap()
    }
}

fn configure(conn: &rusqlite::Connection) -> AppResult<()> {
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
    let tx = conn.unchecked_transaction()?;
    if conn.dialect() == Dialect::Postgres {
        // Two tills starting at once: one migrates, the other waits and then finds it done.
        tx.execute_batch("SELECT pg_advisory_xact_lock(7311203)")?;
    }
    // a till's own role may not create tables (issue 30): the table is made only where missing
    let exists = match conn.dialect() {
        Dialect::Sqlite => false,
        Dialect::Postgres => {
            tx.query_row("SELECT to_regclass('schema_migrations') IS NOT NULL", (), |r| r.get::<bool>(0))?
        }
    };
    if !exists {
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
        )?;
    }
    let applied: Vec<String> =
        tx.query_map("SELECT version FROM schema_migrations ORDER BY version", (), |r| r.get(0))?;
    if let Some(unknown) = applied.iter().find(|v| !MIGRATIONS.iter().any(|m| m.version == v.as_str())) {
        return Err(AppError::new(
            ErrorCode::StorageFailed,
            format!("the database was written by a newer cardbind (migration {unknown}); update the app"),
        ));
    }
    let pending = MIGRATIONS.iter().any(|m| !applied.iter().any(|v| v == m.version));
    if pending && conn.dialect() == Dialect::Postgres {
        let may: bool = tx.query_row("SELECT has_schema_privilege(current_schema(), 'CREATE')", (), |r| r.get(0))?;
        if !may {
            return Err(AppError::new(
                ErrorCode::StorageFailed,
                "the shop's database needs the new version's changes, which this till's own database role may not \
                 make: start the till that set the shared database up (the owner's) first, then this one",
            ));
        }
    }
    for m in MIGRATIONS {
        if applied.iter().any(|v| v == m.version) {
            continue;
        }
        tx.execute_batch(match conn.dialect() {
            Dialect::Sqlite => m.sqlite,
            Dialect::Postgres => m.postgres,
        })?;
        tx.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)", (m.version, now()))?;
        tracing::info!(version = m.version, "applied migration");
    }
    tx.commit()?;
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
        let mode: String = c.query_row("PRAGMA journal_mode", (), |r| r.get(0)).unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = c.query_row("PRAGMA synchronous", (), |r| r.get(0)).unwrap();
        assert_eq!(sync, 2, "synchronous = FULL");
        drop(c);
        let c = open(&path).unwrap();
        let n: i64 = c.query_row("SELECT COUNT(*) FROM schema_migrations", (), |r| r.get(0)).unwrap();
        assert_eq!(n as usize, MIGRATIONS.len());
        let mut sorted: Vec<_> = MIGRATIONS.iter().map(|m| m.version).collect();
        sorted.sort();
        assert_eq!(sorted, MIGRATIONS.iter().map(|m| m.version).collect::<Vec<_>>(), "migrations are listed in order");
        // foreign keys are enforced
        let err = c
            .execute(
                "INSERT INTO consents (customer_id, text_version, locale, accepted_at) VALUES (999, 'v1', 'en', 'x')",
                (),
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
            c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'kept')", ()).unwrap();
            std::mem::forget(c); // as after a crash: the row is only in the WAL
        }
        assert!(adopt_legacy(&legacy, &target).unwrap());
        assert!(!legacy.exists());
        let c = open(&target).unwrap();
        let n: i64 = c.query_row("SELECT COUNT(*) FROM audit_log WHERE action = 'kept'", (), |r| r.get(0)).unwrap();
        assert_eq!(n, 1, "the WAL came along");
        assert!(!adopt_legacy(&legacy, &target).unwrap(), "only once");
    }

    #[test]
    fn a_newer_database_is_refused() {
        let c = open_in_memory().unwrap();
        c.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')", ()).unwrap();
        let e = migrate(&c).unwrap_err();
        assert_eq!(e.code, ErrorCode::StorageFailed);
        assert!(e.message.contains("newer cardbind"));
    }

    #[test]
    fn the_audit_log_is_append_only() {
        let c = open_in_memory().unwrap();
        c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'x')", ()).unwrap();
        assert!(c.execute("UPDATE audit_log SET action = 'y'", ()).is_err());
        assert!(c.execute("DELETE FROM audit_log", ()).is_err());
    }

    /// Tables, their columns (name, NOT NULL) and the index names, as the database reports them.
    fn schema(c: &Connection) -> Vec<String> {
        let mut out = Vec::new();
        match c.dialect() {
            Dialect::Sqlite => {
                let tables: Vec<String> = c
                    .query_map(
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                        (),
                        |r| r.get(0),
                    )
                    .unwrap();
                for t in tables {
                    let cols: Vec<(String, bool, bool)> = c
                        .query_map(&format!("PRAGMA table_info({t})"), (), |r| {
                            Ok((r.get(1)?, r.get::<bool>(3)?, r.get::<i64>(5)? > 0))
                        })
                        .unwrap();
                    // SQLite's INTEGER PRIMARY KEY is NOT NULL without saying so.
                    out.extend(cols.into_iter().map(|(n, nn, pk)| format!("{t}.{n} not_null={}", nn || pk)));
                }
                let idx: Vec<String> = c
                    .query_map(
                        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'",
                        (),
                        |r| r.get(0),
                    )
                    .unwrap();
                out.extend(idx.into_iter().map(|i| format!("index {i}")));
                let trg: Vec<String> =
                    c.query_map("SELECT name FROM sqlite_master WHERE type = 'trigger'", (), |r| r.get(0)).unwrap();
                out.extend(trg.into_iter().map(|t| format!("trigger {t}")));
            }
            Dialect::Postgres => {
                let cols: Vec<String> = c
                    .query_map(
                        "SELECT table_name || '.' || column_name || ' not_null=' || CASE WHEN is_nullable = 'NO' THEN 'true' ELSE 'false' END
                         FROM information_schema.columns WHERE table_schema = current_schema()",
                        (),
                        |r| r.get(0),
                    )
                    .unwrap();
                out.extend(cols);
                let idx: Vec<String> = c
                    .query_map(
                        "SELECT CAST(indexname AS TEXT) FROM pg_indexes WHERE schemaname = current_schema() AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
                        (),
                        |r| r.get(0),
                    )
                    .unwrap();
                out.extend(idx.into_iter().map(|i| format!("index {i}")));
                let trg: Vec<String> = c
                    .query_map(
                        "SELECT DISTINCT CAST(trigger_name AS TEXT) FROM information_schema.triggers WHERE trigger_schema = current_schema()",
                        (),
                        |r| r.get(0),
                    )
                    .unwrap();
                out.extend(
                    trg.into_iter().map(|t| format!("trigger {t}")).filter(|t| t != "trigger audit_log_no_truncate"),
                );
            }
        }
        out.sort();
        out
    }

    #[test]
    fn both_backends_get_the_same_tables_columns_indexes_and_guards() {
        let sqlite = open_in_memory().unwrap();
        let pg = open_postgres(&cardbind_testkit::pg::fresh_database()).unwrap();
        let (a, b) = (schema(&sqlite), schema(&pg));
        assert!(a.len() > 100, "{a:?}");
        let only_sqlite: Vec<_> = a.iter().filter(|x| !b.contains(x)).collect();
        let only_pg: Vec<_> = b.iter().filter(|x| !a.contains(x)).collect();
        assert!(
            only_sqlite.is_empty() && only_pg.is_empty(),
            "SQLite only: {only_sqlite:?}\nPostgreSQL only: {only_pg:?}"
        );
        // the audit log is append-only there too, and a second start migrates nothing
        pg.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'x')", ()).unwrap();
        assert!(pg.execute("UPDATE audit_log SET action = 'y'", ()).is_err());
        assert!(pg.execute("DELETE FROM audit_log", ()).is_err());
        assert!(pg.execute_batch("TRUNCATE audit_log").is_err());
        migrate(&pg).unwrap();
        let n: i64 = pg.query_row("SELECT COUNT(*) FROM schema_migrations", (), |r| r.get(0)).unwrap();
        assert_eq!(n as usize, MIGRATIONS.len());
    }

    #[test]
    fn a_newer_shared_database_is_refused() {
        let pg = open_postgres(&cardbind_testkit::pg::fresh_database()).unwrap();
        pg.execute("INSERT INTO schema_migrations VALUES ('9999_future', 'x')", ()).unwrap();
        let e = migrate(&pg).unwrap_err();
        assert!(e.message.contains("newer cardbind"), "{e:?}");
    }

    #[test]
    fn each_environment_keeps_its_own_schema_on_one_server() {
        let url = cardbind_testkit::pg::fresh_database();
        let demo = open_shared(&url, Some("cardbind_demo"), None).unwrap();
        let sandbox = open_shared(&url, Some("cardbind_sandbox"), None).unwrap();
        demo.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'demo only')", ()).unwrap();
        let n = |c: &Connection| -> i64 { c.query_row("SELECT COUNT(*) FROM audit_log", (), |r| r.get(0)).unwrap() };
        assert_eq!((n(&demo), n(&sandbox)), (1, 0));
        let e = open_shared(&url, Some("x; DROP TABLE cards"), None).unwrap_err();
        assert_eq!(e.code, ErrorCode::DatabaseUnreachable, "{e:?}");
    }

    #[test]
    fn a_stopped_server_is_unreachable_and_the_connection_resumes_when_it_is_back() {
        let server = cardbind_testkit::pg::PgServer::start();
        let c = open_postgres(&server.fresh_database()).unwrap();
        c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'before')", ()).unwrap();
        server.stop();
        let e =
            AppError::from(c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'while down')", ()).unwrap_err());
        assert_eq!(e.code, ErrorCode::DatabaseUnreachable, "{e:?}");
        // a transaction begun while the server is down fails at once and leaves nothing
        assert!(c.unchecked_transaction().is_err());
        server.resume();
        c.execute("INSERT INTO audit_log (at, action) VALUES ('t', 'after')", ()).unwrap();
        let actions: Vec<String> = c.query_map("SELECT action FROM audit_log ORDER BY id", (), |r| r.get(0)).unwrap();
        assert_eq!(actions, ["before", "after"]);
    }

    #[test]
    fn tls_is_on_by_default_and_the_certificate_is_checked() {
        let tls = cardbind_testkit::pg::PgServer::start_tls();
        tls.admin("CREATE DATABASE shop").unwrap();
        let ca = tls.ca_file();
        // no TLS mode in the address: TLS, with the shop's CA trusted
        let c = open_shared(&tls.url_bare("shop", "localhost"), None, Some(&ca)).unwrap();
        let on: bool =
            c.query_row("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", (), |r| r.get(0)).unwrap();
        assert!(on, "the connection is encrypted");
        // the certificate is not from a CA this computer trusts: refused
        let e = open_shared(&tls.url_bare("shop", "localhost"), None, None).unwrap_err();
        assert_eq!(e.code, ErrorCode::DatabaseUnreachable);
        assert!(e.message.contains("certificate") || e.message.contains("UnknownIssuer"), "{e:?}");
        // a name the certificate is not for: refused
        let e = open_shared(&tls.url_bare("shop", "127.0.0.2"), None, Some(&ca)).unwrap_err();
        assert_eq!(e.code, ErrorCode::DatabaseUnreachable, "{e:?}");

        // a server without TLS: refused unless the address opts out, also with `prefer`
        let plain = cardbind_testkit::pg::shared();
        let url = plain.fresh_database();
        let bare = url.trim_end_matches("?sslmode=disable").to_string();
        for u in [bare.clone(), format!("{bare}?sslmode=prefer")] {
            let e = open_shared(&u, None, None).unwrap_err();
            assert_eq!(e.code, ErrorCode::DatabaseUnreachable, "{u}: {e:?}");
        }
        open_shared(&url, None, None).unwrap();
    }
}
