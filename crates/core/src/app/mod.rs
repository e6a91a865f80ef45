//! The app: the only layer that sees [`AppContext`], the composition root of settings, the
//! card database, keyring secrets, the till's flows and, in demo mode, the Antom simulator
//! running in-process on loopback.
//!
//! * here: the context, its accessors, and where its parts are found (database, till name);
//! * [`runtime`]: switching settings, databases and keys while the app runs (and which
//!   settings rebuild the flows: [`runtime::FlowConfig`]);
//! * [`jobs`]: what runs in the background (reconciliation, scheduled backups, healing a lost
//!   shared database);
//! * [`demo`]: demo mode's simulator and its shared records (the `demo` feature);
//! * [`ops`]: the use cases, one function per command, by area.
//!
//! The context always opens when the database does: without a keyring (or keys) the card list
//! stays readable and [`AppContext::flows`] says why binding is unavailable.

#[cfg(feature = "demo")]
mod demo;
pub mod jobs;
pub mod ops;
pub mod runtime;

use crate::db::Db;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::flows::{BindingFlow, Claims, Flows, PaymentFlow};
use crate::paths::AppPaths;
use crate::settings::{Environment, Settings, ShopDatabase};
use crate::shop::{shared_schema, PairingState};
use crate::staff::Session;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

/// The demo merchant's client id (a sandbox-style id: demo traffic uses the sandbox paths).
pub const DEMO_CLIENT_ID: &str = "SANDBOX_CARDBIND_DEMO";
/// Antom requires a notification URL; a desktop without a public address polls instead, and the
/// simulator never posts outside loopback.
pub const DEFAULT_NOTIFICATION_URL: &str = "https://notifications.invalid/antom/notify";
/// The demo merchant's `merchantAccountId` (the token APIs require one).
pub const DEMO_MERCHANT_ACCOUNT_ID: &str = "2188000000000001";
/// `paymentRedirectUrl` outside demo mode without a listener: where a 3D Secure page sends the
/// buyer's frame when it is done. cardbind never reads a result from it (inquiryPayment and
/// notifyPayment decide); it is the app's own page ("verification finished"), served by the
/// app's web view on Linux at this address. Whether Antom accepts a `tauri:` address there, and
/// whether its page may navigate the frame to it, is UNCONFIRMED (check first in the sandbox).
pub const PAYMENT_RETURN_URL: &str = "tauri://localhost/payment-done.html";

/// The active environment's database and the registry of the claims this process holds on it
/// ([`crate::flows::till`]): one per database, kept across rebuilds of the flows.
#[derive(Clone)]
pub(crate) struct Database {
    db: Db,
    claims: Claims,
}

impl Database {
    fn new(db: Db) -> Database {
        Database { db, claims: Claims::new() }
    }
}

pub struct AppContext {
    paths: AppPaths,
    /// The active environment's card database (each environment has its own).
    database: RwLock<Database>,
    settings: RwLock<Settings>,
    antom: RwLock<runtime::AntomSide>,
    /// Serialises reconfiguration (settings saved with new keys or another environment).
    reconfiguring: tokio::sync::Mutex<()>,
    /// Who is signed in, a pending manager approval, and whether kiosk mode is on.
    session: Mutex<Session>,
    /// Kiosk mode was asked for at start-up (`--kiosk`, the setting) and could not start for
    /// want of a manager: the UI says so instead of quietly opening the staff app.
    kiosk_wanted: AtomicBool,
    /// A pairing in progress on this till ([`crate::shop::pairing`]).
    pairing: PairingState,
    /// An owner revoked this till while it ran: everything is refused from then on.
    revoked: AtomicBool,
    /// This till's pairing public key, read from the keyring once (every command on a shared
    /// database asks whether it was revoked).
    till_public: std::sync::OnceLock<[u8; 32]>,
}

fn read<T>(l: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(l: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(|p| p.into_inner())
}

impl AppContext {
    /// Open everything for the configured environment.
    pub async fn open(paths: AppPaths) -> AppResult<AppContext> {
        paths.ensure()?;
        let settings = Settings::load(&paths.config_dir)?;
        // The single database of an earlier version becomes the configured environment's (it
        // may hold rows bound in other environments before they were kept apart).
        crate::db::adopt_legacy(&paths.legacy_database(), &paths.database(settings.environment))?;
        let database = Database::new(runtime::open_database(&paths, &settings, settings.environment, None)?);
        let antom = runtime::connect(&settings, &database, &paths).await;
        Ok(AppContext {
            paths,
            database: RwLock::new(database),
            settings: RwLock::new(settings),
            antom: RwLock::new(antom),
            reconfiguring: tokio::sync::Mutex::new(()),
            session: Mutex::new(Session::default()),
            kiosk_wanted: AtomicBool::new(false),
            pairing: PairingState::default(),
            revoked: AtomicBool::new(false),
            till_public: std::sync::OnceLock::new(),
        })
    }

    /// Where this computer keeps the app's data, settings and logs.
    pub fn paths(&self) -> &AppPaths {
        &self.paths
    }

    /// The active environment's card database.
    pub fn db(&self) -> Db {
        read(&self.database).db.clone()
    }

    /// The current settings (a copy).
    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
    }

    pub fn environment(&self) -> Environment {
        read(&self.settings).environment
    }

    /// The UI language: the one chosen in the app, else the OS's (first start).
    pub fn locale(&self) -> String {
        read(&self.settings).locale.clone().unwrap_or_else(|| crate::i18n::os_locale().to_string())
    }

    /// This till's name among the shop's tills (kept in the data folder).
    pub fn till_name(&self) -> String {
        till_name(&self.paths)
    }

    /// The staff session (poisoning is ignored: the session is plain data).
    pub fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// This till's side of a pairing in progress.
    pub fn pairing(&self) -> &PairingState {
        &self.pairing
    }

    /// Kiosk mode was asked for at start-up but needs a manager or owner first.
    pub fn kiosk_wanted(&self) -> bool {
        self.kiosk_wanted.load(Ordering::Relaxed)
    }

    pub(crate) fn set_kiosk_wanted(&self) {
        self.kiosk_wanted.store(true, Ordering::Relaxed);
    }

    /// Every machine of the till (binding, payments, refunds, removal), or why they are
    /// unavailable (no keyring, missing keys, bad settings, the shared database away).
    pub fn flows(&self) -> AppResult<Arc<Flows>> {
        read(&self.antom).flows.clone()
    }

    /// The binding flow, or why binding is unavailable.
    pub fn flow(&self) -> AppResult<Arc<BindingFlow>> {
        self.flows().map(|f| f.binding.clone())
    }

    /// The payment flow (charges and cancels), or why it is unavailable (as binding).
    pub fn payments(&self) -> AppResult<Arc<PaymentFlow>> {
        self.flows().map(|f| f.payments.clone())
    }

    /// The notification listener's state, when one is configured.
    pub fn listener_status(&self) -> Option<crate::flows::listener::ListenerStatus> {
        read(&self.antom).listener.as_ref().map(|l| match l {
            Ok(h) => h.status(),
            Err(s) => s.clone(),
        })
    }

    /// Demo mode: the simulator's element page, for the SDK's `elementProps.elementLink`.
    pub fn element_link(&self) -> Option<String> {
        read(&self.antom).demo.as_ref().map(|d| d.element_link())
    }

    /// Demo mode: the simulator's origin (the CSP and tests need it).
    pub fn simulator_url(&self) -> Option<String> {
        read(&self.antom).demo.as_ref().map(|d| d.base_url())
    }

    /// Where the active environment's data is, for people to read: the file, or the shared
    /// server and schema.
    pub fn database_label(&self) -> String {
        let s = self.settings();
        match (&s.shop_database.shared, &s.shop_database.server) {
            (true, Some(server)) => format!("PostgreSQL {server} ({})", shared_schema(s.environment)),
            _ => self.database_path().display().to_string(),
        }
    }

    /// Where the active environment's database file is (on this computer).
    pub fn database_path(&self) -> std::path::PathBuf {
        self.paths.database(self.environment())
    }

    /// A second connection for long reads (exports), on a snapshot, so the app's own keeps
    /// serving the till meanwhile.
    pub fn read_connection(&self) -> AppResult<crate::db::Connection> {
        let s = self.settings();
        if !s.shop_database.shared {
            return crate::db::open_read_only(&self.database_path());
        }
        let conn = shared_connection(&s.shop_database, s.environment, false)?;
        conn.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        Ok(conn)
    }
}

impl crate::staff::access::Gate for AppContext {
    fn session(&self) -> MutexGuard<'_, Session> {
        AppContext::session(self)
    }

    fn db(&self) -> Db {
        AppContext::db(self)
    }

    fn lock_minutes(&self) -> u32 {
        read(&self.settings).lock_minutes
    }

    fn till_name(&self) -> String {
        AppContext::till_name(self)
    }

    fn admitted(&self) -> AppResult<()> {
        if self.revoked.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(crate::shop::revocation::revoked());
        }
        let settings = self.settings();
        if !settings.shop_database.shared {
            return Ok(());
        }
        let me = match self.till_public.get() {
            Some(k) => *k,
            None => {
                let k = crate::secrets::till_key()?.public();
                *self.till_public.get_or_init(|| k)
            }
        };
        let checked = crate::shop::revocation::refuse_if_revoked(&crate::db::lock(&self.db()), &settings, &me);
        if let Err(e) = &checked {
            if e.code == ErrorCode::TillRevoked {
                self.revoked.store(true, std::sync::atomic::Ordering::SeqCst);
                // its role can no longer log in (or its row says revoked): the shop's keys go
                // (pairing again brings them back, should a DBA have caused this)
                if let Err(e) = crate::shop::revocation::forget(&settings) {
                    tracing::warn!(code = %e.code, "a revoked till could not delete the shop's keys");
                }
                // the connection (and the password it logged in with) goes too
                *crate::db::lock(&self.db()) = rusqlite::Connection::open_in_memory()?.into();
                *self.session() = Session::default();
            }
        }
        checked
    }
}

/// This till's name among the shop's tills ([`crate::flows::Till::named`]): random once, then
/// kept in the data folder (not a secret), so a restarted till takes back what it was working
/// on. A folder that cannot be written gives a name for this run only.
fn till_name(paths: &AppPaths) -> String {
    let file = paths.data_dir.join("till-name");
    if let Ok(name) = std::fs::read_to_string(&file) {
        let name = name.trim();
        if !name.is_empty() && name.len() <= 64 {
            return name.to_string();
        }
    }
    let name = format!("till-{}", uuid::Uuid::new_v4().simple());
    if let Err(e) = std::fs::create_dir_all(&paths.data_dir).and_then(|()| std::fs::write(&file, &name)) {
        tracing::warn!(error = %e, "cannot keep this till's name; it is new with each start");
    }
    name
}

/// A connection to environment `env`'s schema on the shop's shared database: its address from
/// this computer's keyring, the CA file from `shop`. `lazy`: the server may be away now, and
/// the connection is made with the first statement (DATABASE_UNREACHABLE until then).
pub(crate) fn shared_connection(shop: &ShopDatabase, env: Environment, lazy: bool) -> AppResult<crate::db::Connection> {
    let url = crate::secrets::shop_database_url()?.ok_or_else(|| {
        AppError::new(
            ErrorCode::KeyMissing,
            "the shared database's address is not in this computer's keyring: set it again under Settings",
        )
    })?;
    let ca = shop.ca_file.as_deref().map(std::path::Path::new);
    let schema = shared_schema(env);
    if lazy {
        crate::db::open_shared_lazy(url.expose(), Some(&schema), ca)
    } else {
        crate::db::open_shared(url.expose(), Some(&schema), ca)
    }
}
