//! The app's composition root, without Tauri: settings, the card database, keyring secrets, the
//! Antom client and the binding flow, and in demo mode the Antom simulator running in-process on
//! loopback with demo keys kept in the OS keyring.
//!
//! The context always opens when the database does: without a keyring (or keys) the card list
//! stays readable and [`AppContext::flow`] says why binding is unavailable.

use crate::binding::BindingFlow;
#[cfg(feature = "demo")]
use crate::crypto::DataKey;
use crate::db::Db;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::paths::AppPaths;
use crate::secrets::Secrets;
use crate::settings::Environment;
use crate::settings::Settings;
use antom::transport::{ReqwestTransport, Timeouts};
#[cfg(feature = "demo")]
use antom::Gateway;
use antom::{AntomClient, ClientConfig};
#[cfg(feature = "demo")]
use antom_sim::{SimConfig, SimHandle, Simulator};

/// The simulator demo mode runs (the `demo` feature); without it there is never one.
#[cfg(feature = "demo")]
type DemoSim = SimHandle;
#[cfg(not(feature = "demo"))]
type DemoSim = std::convert::Infallible;
use crate::payments::PaymentFlow;
use std::sync::{Arc, Mutex, RwLock};

/// What the demo simulator's sealed state is bound to (its AEAD context).
#[cfg(feature = "demo")]
const DEMO_STATE_CONTEXT: &[u8] = b"cardbind demo-antom state v1";
/// The demo merchant's client id (a sandbox-style id: demo traffic uses the sandbox paths).
pub const DEMO_CLIENT_ID: &str = "SANDBOX_CARDBIND_DEMO";
/// Antom requires a notification URL; a desktop without a public address polls instead, and the
/// simulator never posts outside loopback.
pub const DEFAULT_NOTIFICATION_URL: &str = "https://notifications.invalid/antom/notify";
/// `paymentRedirectUrl`, which Antom requires: where a 3D Secure page sends the buyer when it is
/// done. cardbind never reads a result from it (inquiryPayment and notifyPayment decide) and
/// closes the challenge itself, so it names no real page; whether Antom checks the host is
/// UNCONFIRMED.
pub const PAYMENT_RETURN_URL: &str = "https://payments.invalid/cardbind/return";
/// How often open binding attempts, payments, refunds and card removals are reconciled with
/// Antom while the app runs.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);

pub struct AppContext {
    pub paths: AppPaths,
    /// The active environment's card database (each environment has its own).
    db: RwLock<Db>,
    settings: RwLock<Settings>,
    antom: RwLock<AntomSide>,
    /// Serialises reconfiguration (settings saved with new keys or another environment).
    reconfiguring: tokio::sync::Mutex<()>,
    /// Who is signed in, a pending manager approval, and whether kiosk mode is on.
    pub session: Mutex<crate::staff::Session>,
    /// Kiosk mode was asked for at start-up (`--kiosk`, the setting) and could not start for
    /// want of a manager: the UI says so instead of quietly opening the staff app.
    pub kiosk_wanted: std::sync::atomic::AtomicBool,
    /// A pairing in progress on this till ([`crate::pairing`]): the offer's id and its code,
    /// which lives only here (never in the database); after a join, that it joined.
    pub pairing: Mutex<Option<Pairing>>,
    /// A joining till's "has the owner answered?" is answered one at a time: the answer that
    /// takes the keys in rebuilds the flows, and a question meanwhile waits for it.
    pub join_answer: tokio::sync::Mutex<()>,
}

/// Which side of a pairing this till is on.
pub enum Pairing {
    /// An owner's till showing a code.
    Offering { id: i64, code: antom::Sensitive<String> },
    /// A new till that asked with a code and waits for the owner's answer.
    Joining { id: i64, code: antom::Sensitive<String> },
    /// A till that joined (with this key fingerprint): asked again, it says so.
    Joined { fingerprint: String },
}

/// What depends on the environment: the binding flow (with its Antom client) and, in demo mode,
/// the simulator it talks to.
struct AntomSide {
    flow: Result<Arc<BindingFlow>, AppError>,
    /// Charges, refunds and card removal, over the binding flow's client (and its errors).
    payments: Result<Arc<PaymentFlow>, AppError>,
    /// The notifyVaulting listener, when the settings name an address for it (or why it could
    /// not listen).
    listener: Option<Result<crate::listener::ListenerHandle, crate::listener::ListenerStatus>>,
    #[cfg_attr(not(feature = "demo"), allow(dead_code))]
    demo: Option<DemoSim>,
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
        let db = Self::open_database(&paths, &settings, settings.environment, None)?;
        let antom = Self::connect(&settings, &db, &paths).await;
        Ok(AppContext {
            paths,
            db: RwLock::new(db),
            settings: RwLock::new(settings),
            antom: RwLock::new(antom),
            reconfiguring: tokio::sync::Mutex::new(()),
            session: Mutex::new(crate::staff::Session::default()),
            kiosk_wanted: std::sync::atomic::AtomicBool::new(false),
            pairing: Mutex::new(None),
            join_answer: tokio::sync::Mutex::new(()),
        })
    }

    /// Build the binding side for `settings`, and settle attempts left open by an earlier run.
    async fn connect(settings: &Settings, db: &Db, paths: &AppPaths) -> AntomSide {
        let mut demo = None;
        let flow = match Self::binding_flow(settings, db, paths, &mut demo).await {
            Ok(f) => Ok(f),
            Err(e) => {
                tracing::warn!(code = %e.code, "binding unavailable");
                Err(e)
            }
        };
        let payments = flow.clone().map(|f| {
            // notifyPayment and notifyRefund go where notifyVaulting goes, when the shop has a
            // listener; otherwise payments are polled, like bindings.
            let notify = settings.listener_bind.as_ref().and(settings.notification_url.clone());
            Arc::new(
                PaymentFlow::new(f, PAYMENT_RETURN_URL, notify).with_merchant_region(settings.merchant_region.clone()),
            )
        });
        if let Ok(payments) = &payments {
            // Now (attempts, payments, refunds and removals left open by an earlier run), then
            // every few minutes while this flow is the app's (it stops when settings replace
            // it): they settle without waiting for the next start.
            let weak = Arc::downgrade(payments);
            tokio::spawn(async move {
                loop {
                    let Some(payments) = weak.upgrade() else { return };
                    if let Err(e) = payments.binding().reconcile_pending().await {
                        tracing::warn!(code = %e.code, "reconciliation failed; it runs again later");
                    }
                    if let Err(e) = payments.reconcile().await {
                        tracing::warn!(code = %e.code, "payment reconciliation failed; it runs again later");
                    }
                    drop(payments);
                    tokio::time::sleep(RECONCILE_EVERY).await;
                }
            });
        }
        let listener = match (&payments, settings.listener_bind.as_deref(), settings.notification_url.as_deref()) {
            (Ok(payments), Some(bind), Some(url)) => Some(Self::listen(payments, bind, url).await),
            _ => None,
        };
        AntomSide { flow, payments, listener, demo }
    }

    /// Open (creating and migrating) an environment's database. A new one starts with the staff
    /// of `previous` (the database of the environment the shop comes from), so the same people
    /// can sign in.
    ///
    /// On the shop's shared database each environment is a schema of its own
    /// ([`shared_schema`]); otherwise a file of this computer's.
    fn open_database(
        paths: &AppPaths,
        settings: &Settings,
        env: Environment,
        previous: Option<Environment>,
    ) -> AppResult<Db> {
        if settings.shop_database.shared {
            // The server may be away right now: the till starts anyway, says so with each action
            // (DATABASE_UNREACHABLE) and resumes when it is back ([`AppContext::heal`]).
            let conn = shared_connection(settings, env, true)?;
            // A till an owner revoked stops using the shop's keys (checked again at the next
            // start when the server cannot be asked now).
            let me = crate::secrets::terminal_key()?;
            let revoked = match crate::store::terminals::is_revoked(&conn, &me.public()) {
                Err(e) if e.code == ErrorCode::DatabaseUnreachable => false,
                other => other?,
            };
            if revoked {
                for e in Environment::ALL {
                    Secrets::for_settings(settings, *e).delete_all()?;
                }
                return Err(AppError::new(
                    ErrorCode::TerminalRevoked,
                    "an owner revoked this till; its keys were deleted",
                ));
            }
            if let Some(previous) = previous {
                let n = crate::store::staff::copy_from_schema(&conn, &shared_schema(previous))?;
                if n > 0 {
                    let detail = format!("{n} from another environment");
                    crate::store::audit(&conn, None, "staff.copy", None, Some(&detail))?;
                }
            }
            return Ok(crate::db::shared(conn));
        }
        let path = paths.database(env);
        let new = !path.exists();
        let conn = crate::db::open(&path)?;
        if let (true, Some(previous)) = (new, previous) {
            let n = crate::store::staff::copy_from(&conn, &paths.database(previous))?;
            if n > 0 {
                crate::store::audit(&conn, None, "staff.copy", None, Some(&format!("{n} from another environment")))?;
            }
        }
        Ok(crate::db::shared(conn))
    }

    async fn listen(
        payments: &Arc<PaymentFlow>,
        bind: &str,
        url: &str,
    ) -> Result<crate::listener::ListenerHandle, crate::listener::ListenerStatus> {
        let failed = |why: String| crate::listener::ListenerStatus {
            address: bind.to_string(),
            last_error: Some(why),
            ..Default::default()
        };
        let addr: std::net::SocketAddr = bind.trim().parse().map_err(|_| failed("not an address".into()))?;
        let config = payments.binding().antom().config();
        let public = (*config.antom_public_key).clone();
        crate::listener::start(addr, url, payments.clone(), public, config.client_id.clone()).await.map_err(|e| {
            tracing::warn!(%addr, error = %e, "the notification listener could not start");
            failed(format!("cannot listen on {addr}: {e}"))
        })
    }

    /// The notification listener's state, when one is configured.
    pub fn listener_status(&self) -> Option<crate::listener::ListenerStatus> {
        read(&self.antom).listener.as_ref().map(|l| match l {
            Ok(h) => h.status(),
            Err(s) => s.clone(),
        })
    }

    /// Save validated settings and switch to them without a restart: the flow is rebuilt (and in
    /// demo mode the simulator restarted) when the environment, gateway or client changed; a new
    /// environment also switches to its own database (opened before anything is saved, so a
    /// database that cannot be opened changes nothing). Whether the flow was rebuilt (a caller
    /// that changed keys too rebuilds it only when this did not).
    pub async fn apply_settings(&self, new: Settings) -> AppResult<bool> {
        let _one_at_a_time = self.reconfiguring.lock().await;
        let old = self.settings();
        new.validate()?;
        let switched_db = if old.environment != new.environment {
            Some(Self::open_database(&self.paths, &new, new.environment, Some(old.environment))?)
        } else if old.shop_database != new.shop_database {
            Some(Self::open_database(&self.paths, &new, new.environment, None)?)
        } else {
            None
        };
        new.save(&self.paths.config_dir)?;
        // A new database (another environment's, or the shop's shared one) needs flows over it.
        let rebuild = old.environment != new.environment
            || old.shop_database != new.shop_database
            || old.region != new.region
            || old.base_url != new.base_url
            || old.client_id != new.client_id
            || old.notification_url != new.notification_url
            || old.merchant_region != new.merchant_region
            || old.listener_bind != new.listener_bind;
        *write(&self.settings) = new.clone();
        if let Some(db) = switched_db {
            *write(&self.db) = db;
            self.keep_operator_if_known();
        }
        if rebuild {
            self.reconnect().await;
        }
        Ok(rebuild)
    }

    /// After a switch of database: the signed-in staff member stays signed in only if the new
    /// database knows them as the same person with the same role (a pending approval is dropped).
    fn keep_operator_if_known(&self) {
        let op = {
            let mut session = self.session();
            session.approval = None;
            session.operator.clone()
        };
        let Some(op) = op else { return };
        let same = crate::store::staff::get(&crate::db::lock(&self.db()), op.id)
            .is_ok_and(|m| m.name == op.name && m.role == op.role && m.disabled_at.is_none());
        if !same {
            self.session().operator = None;
        }
    }

    /// Restore a backup: everything is read and checked first (a wrong passphrase or a damaged
    /// file changes nothing); then the databases, keys and settings are put in place, the app
    /// switches to them and everyone is signed out (the staff list is the backup's).
    pub async fn restore_backup(
        &self,
        file: &std::path::Path,
        passphrase: &antom::Sensitive<String>,
    ) -> AppResult<crate::backup::RestoreResult> {
        let _one_at_a_time = self.reconfiguring.lock().await;
        let verified = crate::backup::verify(&self.paths, file, passphrase)?;
        let result = crate::backup::RestoreResult {
            created_at: verified.created_at().to_string(),
            environments: verified.environments(),
            cards: verified.cards,
        };
        // Close the files the backup replaces: the active database's connection is swapped for
        // an empty one until the restored database is opened.
        let current = self.db();
        *crate::db::lock(&current) = rusqlite::Connection::open_in_memory()?.into();
        let applied = crate::backup::apply(&self.paths, verified);
        let settings = match applied {
            Ok(s) => s,
            Err(e) => {
                // Put back what is there (the old database, or whatever part was restored).
                *crate::db::lock(&current) = crate::db::open(&self.database_path())?;
                return Err(e);
            }
        };
        let db = Self::open_database(&self.paths, &settings, settings.environment, None)?;
        *write(&self.settings) = settings;
        *write(&self.db) = db;
        *self.session() = crate::staff::Session::default();
        self.reconnect().await;
        Ok(result)
    }

    /// Make scheduled backups when they are due (settings read from disk each time, the
    /// passphrase from the keyring), checking once a minute while the app runs.
    pub fn start_backup_schedule(paths: AppPaths, app_version: &'static str) {
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(60)).await;
                let paths = paths.clone();
                let outcome = tokio::task::spawn_blocking(move || -> AppResult<()> {
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
                    let every = std::time::Duration::from_secs(u64::from(hours) * 3600);
                    let keep = settings.backup.keep as usize;
                    crate::backup::run_schedule(
                        &paths,
                        &settings,
                        &pass,
                        std::path::Path::new(&folder),
                        every,
                        keep,
                        app_version,
                    )?;
                    Ok(())
                })
                .await;
                match outcome {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::warn!(code = %e.code, "scheduled backup failed: {}", e.message),
                    Err(e) => tracing::warn!("scheduled backup task failed: {e}"),
                }
            }
        });
    }

    /// The active environment's card database.
    pub fn db(&self) -> Db {
        read(&self.db).clone()
    }

    /// Where the active environment's card database is.
    /// Where the active environment's data is, for people to read: the file, or the shared
    /// server and schema.
    pub fn database_label(&self) -> String {
        let s = self.settings();
        match (&s.shop_database.shared, &s.shop_database.server) {
            (true, Some(server)) => format!("PostgreSQL {server} ({})", shared_schema(s.environment)),
            _ => self.database_path().display().to_string(),
        }
    }

    /// A second connection for long reads (exports), on a snapshot, so the app's own keeps
    /// serving the till meanwhile.
    pub fn read_connection(&self) -> AppResult<crate::db::Connection> {
        let s = self.settings();
        if !s.shop_database.shared {
            return crate::db::open_read_only(&self.database_path());
        }
        let conn = shared_connection(&s, s.environment, false)?;
        conn.execute_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?;
        Ok(conn)
    }

    pub fn database_path(&self) -> std::path::PathBuf {
        self.paths.database(self.environment())
    }

    /// Rebuild the binding side from the current settings and keyring (after keys were imported).
    /// When binding and payments are unavailable because the shop's shared database could not
    /// be reached, build them again: the till resumes by itself once the server is back. The
    /// shell calls this every few seconds; whether it tried.
    pub async fn heal(&self) -> bool {
        let down =
            matches!(read(&self.antom).flow.as_ref().err().map(|e| e.code), Some(ErrorCode::DatabaseUnreachable));
        if down {
            self.reconnect().await;
        }
        down
    }

    pub async fn reconnect(&self) {
        let settings = self.settings();
        let fresh = Self::connect(&settings, &self.db(), &self.paths).await;
        let old = std::mem::replace(&mut *write(&self.antom), fresh);
        #[cfg(feature = "demo")]
        if let Some(sim) = old.demo {
            sim.stop().await;
        }
        #[cfg(not(feature = "demo"))]
        drop(old);
    }

    /// The UI language: the one chosen in the app, else the OS's (first start).
    pub fn locale(&self) -> String {
        read(&self.settings).locale.clone().unwrap_or_else(|| crate::i18n::os_locale().to_string())
    }

    /// The current settings (a copy).
    pub fn settings(&self) -> Settings {
        read(&self.settings).clone()
    }

    async fn binding_flow(
        settings: &Settings,
        db: &Db,
        paths: &AppPaths,
        demo: &mut Option<DemoSim>,
    ) -> AppResult<Arc<BindingFlow>> {
        let secrets = Secrets::for_settings(settings, settings.environment);
        let data_key = secrets.data_key_for(&crate::db::lock(db))?;
        let (gateway, client_id, merchant_key, antom_key) = match settings.environment {
            #[cfg(feature = "demo")]
            Environment::Demo => Self::start_demo(settings, &secrets, &data_key, paths, demo).await?,
            #[cfg(not(feature = "demo"))]
            Environment::Demo => {
                let _ = (demo, paths);
                return Err(AppError::new(
                    ErrorCode::SettingsInvalid,
                    "environment: this build has no demo simulator (the `demo` feature); choose the sandbox or production",
                ));
            }
            Environment::Sandbox | Environment::Production => {
                let missing = |what: &str| {
                    AppError::new(
                        ErrorCode::KeyMissing,
                        format!("the {what} is not set up for this environment; import it in Settings"),
                    )
                };
                let merchant = secrets.merchant_key()?.ok_or_else(|| missing("merchant private key"))?;
                let antom_key = secrets.antom_public_key()?.ok_or_else(|| missing("Antom public key"))?;
                let client_id = settings
                    .client_id
                    .clone()
                    .ok_or_else(|| AppError::new(ErrorCode::SettingsInvalid, "clientId: not set"))?;
                (settings.gateway()?, client_id, merchant, antom_key)
            }
        };
        let use_proxy = !gateway.is_loopback();
        let transport = ReqwestTransport::new(Timeouts::default(), use_proxy)
            .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        let client =
            AntomClient::new(ClientConfig::new(gateway, client_id, merchant_key, antom_key), Arc::new(transport));
        let notification_url =
            settings.notification_url.clone().unwrap_or_else(|| DEFAULT_NOTIFICATION_URL.to_string());
        Ok(Arc::new(
            BindingFlow::new(db.clone(), Arc::new(client), data_key, notification_url)
                .with_till(till_name(paths))
                .with_merchant_region(settings.merchant_region.clone()),
        ))
    }

    /// Demo mode: the simulator in-process on loopback, with demo keys kept in the keyring.
    #[cfg(feature = "demo")]
    async fn start_demo(
        settings: &Settings,
        secrets: &Secrets,
        data_key: &DataKey,
        paths: &AppPaths,
        demo: &mut Option<DemoSim>,
    ) -> AppResult<(Gateway, String, antom::MerchantPrivateKey, antom::PublicKey)> {
        let merchant = match secrets.merchant_key()? {
            Some(k) => k,
            None => {
                let k = antom::MerchantPrivateKey::generate(2048)
                    .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
                secrets.store_merchant_key(&k)?;
                k
            }
        };
        let sim_key = secrets.simulator_key()?;
        // Demo Antom keeps its records (bindings, tokens, payments, refunds) across restarts, as
        // the real one does, so a saved card can be charged and a payment refunded after a
        // restart. The file is sealed with this computer's data key: it holds the simulated
        // Antom's card tokens.
        let mut config = SimConfig::new(sim_key.clone()).with_client(DEMO_CLIENT_ID, merchant.public_key());
        config.state_dir = Some(paths.data_dir.join("demo-antom"));
        let (seal_key, open_key) = (data_key.clone(), data_key.clone());
        config.state_seal = Some(antom_sim::StateSeal {
            seal: Arc::new(move |plain| seal_key.seal(plain, DEMO_STATE_CONTEXT)),
            open: Arc::new(move |sealed| open_key.open(sealed, DEMO_STATE_CONTEXT).ok().map(|p| p.expose().clone())),
        });
        // A shop's tills on a shared database share one demo Antom's records there (each till
        // still runs its own simulator, for its own element page): a card saved at one till is
        // charged at another, as with the real Antom. This till's file seeds them when the
        // shop has none yet (the till that moved the shop).
        if settings.shop_database.shared {
            let conn = shared_connection(settings, Environment::Demo, true)?;
            config.shared_state = Some(Arc::new(SharedDemoRecords(Mutex::new(conn))));
        }
        let sim = Simulator::start(config)
            .await
            .map_err(|e| AppError::new(ErrorCode::Internal, format!("the demo simulator did not start: {e}")))?;
        let gateway = Gateway::custom(sim.base_url()).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        *demo = Some(sim);
        Ok((gateway, DEMO_CLIENT_ID.to_string(), merchant, sim_key.public_key()))
    }

    /// The staff session (poisoning is ignored: the session is plain data).
    pub fn session(&self) -> std::sync::MutexGuard<'_, crate::staff::Session> {
        self.session.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn environment(&self) -> Environment {
        read(&self.settings).environment
    }

    /// The binding flow, or why binding is unavailable (no keyring, missing keys, bad settings).
    pub fn flow(&self) -> AppResult<Arc<BindingFlow>> {
        read(&self.antom).flow.clone()
    }

    /// The payment flow (charges, refunds, card removal), or why it is unavailable (as binding).
    pub fn payments(&self) -> AppResult<Arc<PaymentFlow>> {
        read(&self.antom).payments.clone()
    }

    /// Demo mode: the simulator's element page, for the SDK's `elementProps.elementLink`.
    pub fn element_link(&self) -> Option<String> {
        #[cfg(feature = "demo")]
        return read(&self.antom).demo.as_ref().map(SimHandle::element_link);
        #[cfg(not(feature = "demo"))]
        None
    }

    /// Demo mode: the simulator's origin (the CSP and tests need it).
    pub fn simulator_url(&self) -> Option<String> {
        #[cfg(feature = "demo")]
        return read(&self.antom).demo.as_ref().map(|s| s.base_url().to_string());
        #[cfg(not(feature = "demo"))]
        None
    }
}

/// The demo Antom's records on the shop's shared database ([`crate::store::demo_antom`]), on a
/// connection of their own: the tills' demo simulators change them one at a time.
#[cfg(feature = "demo")]
struct SharedDemoRecords(Mutex<crate::db::Connection>);

#[cfg(feature = "demo")]
impl SharedDemoRecords {
    fn saved(version: i64, state: Option<Vec<u8>>, known: u64) -> antom_sim::Saved {
        match u64::try_from(version) {
            Ok(0) | Err(_) => antom_sim::Saved::Absent,
            Ok(v) if v == known => antom_sim::Saved::Same,
            Ok(v) => antom_sim::Saved::Other(v, state.unwrap_or_default()),
        }
    }

    /// The simulator's "any version" (`u64::MAX`) is no version the row has.
    fn known(known: u64) -> Option<i64> {
        i64::try_from(known).ok()
    }
}

#[cfg(feature = "demo")]
fn io_error(e: AppError) -> std::io::Error {
    std::io::Error::other(format!("{}: {}", e.code, e.message))
}

#[cfg(feature = "demo")]
impl antom_sim::StateStore for SharedDemoRecords {
    fn latest(&self, known: u64) -> std::io::Result<antom_sim::Saved> {
        let conn = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let (version, state) = crate::store::demo_antom::latest(&conn, Self::known(known)).map_err(io_error)?;
        Ok(Self::saved(version, state, known))
    }

    fn exclusive(
        &self,
        known: u64,
        change: &mut dyn FnMut(antom_sim::Saved) -> Option<Vec<u8>>,
    ) -> std::io::Result<u64> {
        use crate::store::demo_antom;
        let conn = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let tx = conn.unchecked_transaction().map_err(|e| io_error(e.into()))?;
        demo_antom::hold(&tx).map_err(io_error)?;
        let (version, state) = demo_antom::latest(&tx, Self::known(known)).map_err(io_error)?;
        let version = match change(Self::saved(version, state, known)) {
            Some(bytes) => demo_antom::save(&tx, &bytes).map_err(io_error)?,
            None => version,
        };
        tx.commit().map_err(|e| io_error(e.into()))?;
        Ok(u64::try_from(version).unwrap_or_default())
    }
}

/// This till's name among the shop's tills (`binding::BindingFlow::with_till`): random once,
/// then kept in the data folder (not a secret), so a restarted till takes back what it was
/// working on. A folder that cannot be written gives a name for this run only.
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
/// this computer's keyring, the CA file from `settings`. `lazy`: the server may be away now, and
/// the connection is made with the first statement (DATABASE_UNREACHABLE until then).
pub(crate) fn shared_connection(settings: &Settings, env: Environment, lazy: bool) -> AppResult<crate::db::Connection> {
    let url = crate::secrets::shop_database_url()?.ok_or_else(|| {
        AppError::new(
            ErrorCode::KeyMissing,
            "the shared database's address is not in this computer's keyring: set it again under Settings",
        )
    })?;
    let ca = settings.shop_database.ca_file.as_deref().map(std::path::Path::new);
    let schema = shared_schema(env);
    if lazy {
        crate::db::open_shared_lazy(url.expose(), Some(&schema), ca)
    } else {
        crate::db::open_shared(url.expose(), Some(&schema), ca)
    }
}

/// The schema of an environment on the shop's shared database.
pub fn shared_schema(env: Environment) -> String {
    format!("cardbind_{}", env.as_str())
}
