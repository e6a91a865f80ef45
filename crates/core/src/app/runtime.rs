//! Switching what the app runs on while it runs: settings, the environment's database, keys,
//! a restored backup. Which settings the flows are built from is one list, [`FlowConfig`]: a
//! change to any of them rebuilds the flows (and in demo mode restarts the simulator), and the
//! builders read nothing else of the settings, so a new one cannot be forgotten.

use super::{
    read, shared_connection, till_name, write, AppContext, Database, DEFAULT_NOTIFICATION_URL, PAYMENT_RETURN_URL,
};
use crate::db::Db;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::flows::listener::{ListenerHandle, ListenerStatus};
use crate::flows::{FlowOptions, Flows, Till};
use crate::paths::AppPaths;
use crate::secrets::Secrets;
use crate::settings::{Environment, Settings, ShopDatabase};
use crate::shop::shared_schema;
use antom::transport::{ReqwestTransport, Timeouts};
use antom::{AntomClient, ClientConfig};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Demo mode's simulator, when one runs (the `demo` feature; without it there is never one).
#[cfg(feature = "demo")]
pub(crate) type DemoSim = super::demo::DemoSim;
#[cfg(not(feature = "demo"))]
pub(crate) type DemoSim = NoDemo;

/// A build without the `demo` feature has no simulator.
#[cfg(not(feature = "demo"))]
pub(crate) enum NoDemo {}

#[cfg(not(feature = "demo"))]
impl NoDemo {
    pub(crate) fn element_link(&self) -> String {
        match *self {}
    }
    pub(crate) fn base_url(&self) -> String {
        match *self {}
    }
}

/// What the flows are built from: every setting the builders read, and nothing else. Saving
/// settings compares the old and the new: any difference rebuilds the flows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowConfig {
    pub environment: Environment,
    pub region: Option<String>,
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    pub merchant_region: Option<String>,
    pub merchant_account_id: Option<String>,
    pub settlement_currency: Option<String>,
    pub client_ip: Option<String>,
    pub notification_url: Option<String>,
    pub listener_bind: Option<String>,
    pub shop_database: ShopDatabase,
    /// Which keyring entries hold the Antom keys (new keys are a new key set).
    pub key_sets: BTreeMap<String, String>,
}

impl FlowConfig {
    pub fn of(s: &Settings) -> FlowConfig {
        FlowConfig {
            environment: s.environment,
            region: s.region.clone(),
            base_url: s.base_url.clone(),
            client_id: s.client_id.clone(),
            merchant_region: s.merchant_region.clone(),
            merchant_account_id: s.merchant_account_id.clone(),
            settlement_currency: s.settlement_currency.clone(),
            client_ip: s.client_ip.clone(),
            notification_url: s.notification_url.clone(),
            listener_bind: s.listener_bind.clone(),
            shop_database: s.shop_database.clone(),
            key_sets: s.key_sets.clone(),
        }
    }

    /// The active environment's secrets, with the key set these settings name.
    fn secrets(&self) -> Secrets {
        Secrets::for_key_sets(&self.key_sets, self.environment)
    }

    /// The gateway for sandbox and production.
    fn gateway(&self) -> AppResult<antom::Gateway> {
        crate::settings::gateway(self.base_url.as_deref(), self.region.as_deref())
    }
}

/// What depends on the environment: the flows (with their Antom client) and, in demo mode, the
/// simulator they talk to.
pub(crate) struct AntomSide {
    pub(crate) flows: Result<Arc<Flows>, AppError>,
    /// The notification listener, when the settings name an address for it (or why it could
    /// not listen).
    pub(crate) listener: Option<Result<ListenerHandle, ListenerStatus>>,
    pub(crate) demo: Option<DemoSim>,
}

/// Build the flows for `settings` on `database`, start reconciling what an earlier run left
/// open, and listen for notifications when the settings say so.
pub(crate) async fn connect(settings: &Settings, database: &Database, paths: &AppPaths) -> AntomSide {
    let config = FlowConfig::of(settings);
    let mut demo = None;
    let flows = match build_flows(&config, database, paths, &mut demo).await {
        Ok(f) => Ok(f),
        Err(e) => {
            tracing::warn!(code = %e.code, "binding unavailable");
            Err(e)
        }
    };
    if let Ok(flows) = &flows {
        super::jobs::start_reconciling(flows);
    }
    let listener = match (&flows, config.listener_bind.as_deref(), config.notification_url.as_deref()) {
        (Ok(flows), Some(bind), Some(url)) => Some(listen(flows, bind, url).await),
        _ => None,
    };
    AntomSide { flows, listener, demo }
}

async fn build_flows(
    config: &FlowConfig,
    database: &Database,
    paths: &AppPaths,
    demo: &mut Option<DemoSim>,
) -> AppResult<Arc<Flows>> {
    let secrets = config.secrets();
    let data_key = {
        let conn = crate::db::lock(&database.db);
        // a data key rotation that was interrupted is finished before any token is read
        crate::rotation::resume(&conn, &secrets)?;
        secrets.data_key_for(&conn)?
    };
    let (gateway, client_id, merchant_key, antom_key) = match config.environment {
        #[cfg(feature = "demo")]
        Environment::Demo => super::demo::start(&config.shop_database, &secrets, &data_key, paths, demo).await?,
        #[cfg(not(feature = "demo"))]
        Environment::Demo => {
            let _ = demo;
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
            let client_id = config
                .client_id
                .clone()
                .ok_or_else(|| AppError::in_field(ErrorCode::SettingsInvalid, "clientId", "not set"))?;
            (config.gateway()?, client_id, merchant, antom_key)
        }
    };
    let gateway_origin = gateway.origin().to_string();
    let use_proxy = !gateway.is_loopback();
    let transport = ReqwestTransport::new(Timeouts::default(), use_proxy)
        .map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    let client = AntomClient::new(ClientConfig::new(gateway, client_id, merchant_key, antom_key), Arc::new(transport));
    let till = Till::new(database.db.clone(), Arc::new(client), data_key)
        .named(till_name(paths))
        .with_claims(database.claims.clone());
    let options = FlowOptions {
        notification_url: config.notification_url.clone().unwrap_or_else(|| DEFAULT_NOTIFICATION_URL.to_string()),
        redirect_url: payment_return_url(config, &gateway_origin),
        // notifyPayment and notifyRefund go where notifyVaulting goes, when the shop has a
        // listener; otherwise payments are polled, like bindings.
        notify_url: config.listener_bind.as_ref().and(config.notification_url.clone()),
        merchant_region: config.merchant_region.clone(),
        merchant_account_id: config.merchant_account_id.clone().or_else(|| match config.environment {
            Environment::Demo => Some(super::DEMO_MERCHANT_ACCOUNT_ID.to_string()),
            _ => None,
        }),
        settlement_currency: config.settlement_currency.clone(),
        client_ip: config.client_ip.clone(),
        poll: None,
    };
    Ok(Arc::new(Flows::new(Arc::new(till), &options)))
}

/// `paymentRedirectUrl`: a page that says the verification is finished, never a DNS error. In
/// demo mode the simulator's; with a notification listener the listener's own page (on the
/// public address Antom already posts to); otherwise the app's page ([`PAYMENT_RETURN_URL`]).
fn payment_return_url(config: &FlowConfig, gateway_origin: &str) -> String {
    if config.environment == Environment::Demo {
        return format!("{gateway_origin}/element/payment-done.html");
    }
    match (&config.listener_bind, &config.notification_url) {
        (Some(_), Some(url)) => {
            let rest = url.split_once("://").map_or(url.as_str(), |(_, r)| r);
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            let scheme = url.split_once("://").map_or("https", |(s, _)| s);
            format!("{scheme}://{host}{}", crate::flows::listener::PAYMENT_DONE_PATH)
        }
        _ => PAYMENT_RETURN_URL.to_string(),
    }
}

async fn listen(flows: &Arc<Flows>, bind: &str, url: &str) -> Result<ListenerHandle, ListenerStatus> {
    let failed =
        |why: String| ListenerStatus { address: bind.to_string(), last_error: Some(why), ..Default::default() };
    let addr: std::net::SocketAddr = bind.trim().parse().map_err(|_| failed("not an address".into()))?;
    let config = flows.till.client().config();
    let public = (*config.antom_public_key).clone();
    crate::flows::listener::start(addr, url, flows.clone(), public, config.client_id.clone()).await.map_err(|e| {
        tracing::warn!(%addr, error = %e, "the notification listener could not start");
        failed(format!("cannot listen on {addr}: {e}"))
    })
}

/// Open (creating and migrating) an environment's database. A new one starts with the staff of
/// `previous` (the database of the environment the shop comes from), so the same people can
/// sign in.
///
/// On the shop's shared database each environment is a schema of its own ([`shared_schema`]);
/// otherwise a file of this computer's.
pub(crate) fn open_database(
    paths: &AppPaths,
    settings: &Settings,
    env: Environment,
    previous: Option<Environment>,
) -> AppResult<Db> {
    if settings.shop_database.shared {
        // The server may be away right now: the till starts anyway, says so with each action
        // (DATABASE_UNREACHABLE) and resumes when it is back ([`AppContext::heal`]).
        // The admin role (on the till that holds it) migrates first: a till's own role may not
        // (crate::shop::roles); when the server is away, it does so when the server is back.
        // every environment's schema: the tills' roles reach the others too (tills, key checks)
        let admin_all = |shop: &crate::settings::ShopDatabase| -> AppResult<()> {
            for e in Environment::ALL {
                crate::shop::roles::admin_connection(shop, *e)?;
            }
            Ok(())
        };
        let admin_done = match admin_all(&settings.shop_database) {
            Ok(()) => true,
            Err(e) if e.code == ErrorCode::DatabaseUnreachable => false,
            Err(e) => return Err(e),
        };
        let conn = shared_connection(&settings.shop_database, env, true)?;
        if !admin_done {
            let shop = settings.shop_database.clone();
            conn.before_migrating(move |_| {
                for e in Environment::ALL {
                    crate::shop::roles::admin_connection(&shop, *e)?;
                }
                Ok(())
            });
        }
        // Before any row is read: this till's row key against the database's (issue 30); run
        // by the first statement that reaches the server (it may be away now).
        let (secrets, data_dir, shop) =
            (Secrets::for_settings(settings, env), paths.data_dir.clone(), settings.shop_database.clone());
        conn.when_ready(move |c| {
            crate::shop::seals::attach(c, &secrets, false, &data_dir, &|| {
                Environment::ALL.iter().filter(|e| **e != env).map(|e| shared_connection(&shop, *e, false)).collect()
            })
        });
        // A till an owner revoked forgets the shop's keys and stops (asked again with every
        // command: crate::shop::revocation).
        let me = crate::secrets::till_key()?;
        match crate::shop::revocation::refuse_if_revoked(&conn, settings, &me.public()) {
            Err(e) if e.code == ErrorCode::DatabaseUnreachable => {}
            other => other?,
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
    crate::shop::seals::attach(&conn, &Secrets::for_settings(settings, env), true, &paths.data_dir, &|| Ok(vec![]))?;
    if let (true, Some(previous)) = (new, previous) {
        let n = crate::store::staff::copy_from(&conn, &paths.database(previous))?;
        if n > 0 {
            crate::store::audit(&conn, None, "staff.copy", None, Some(&format!("{n} from another environment")))?;
        }
    }
    Ok(crate::db::shared(conn))
}

impl AppContext {
    /// Save validated settings and switch to them without a restart: the flows are rebuilt
    /// (and in demo mode the simulator restarted) when their [`FlowConfig`] changed; a new
    /// environment also switches to its own database (opened before anything is saved, so a
    /// database that cannot be opened changes nothing). Whether the flows were rebuilt.
    pub async fn apply_settings(&self, new: Settings) -> AppResult<bool> {
        let _one_at_a_time = self.reconfiguring.lock().await;
        let old = self.settings();
        new.validate()?;
        let switched_db = if old.environment != new.environment {
            Some(open_database(&self.paths, &new, new.environment, Some(old.environment))?)
        } else if old.shop_database != new.shop_database {
            Some(open_database(&self.paths, &new, new.environment, None)?)
        } else {
            None
        };
        new.save(&self.paths.config_dir)?;
        let rebuild = FlowConfig::of(&old) != FlowConfig::of(&new);
        *write(&self.settings) = new;
        if let Some(db) = switched_db {
            *write(&self.database) = Database::new(db);
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
        let settings = match crate::backup::apply(&self.paths, verified) {
            Ok(s) => s,
            Err(e) => {
                // Put back what is there (the old database, or whatever part was restored).
                *crate::db::lock(&current) = crate::db::open(&self.database_path())?;
                return Err(e);
            }
        };
        let db = open_database(&self.paths, &settings, settings.environment, None)?;
        *write(&self.settings) = settings;
        *write(&self.database) = Database::new(db);
        *self.session() = crate::staff::Session::default();
        self.reconnect().await;
        Ok(result)
    }

    /// Open the active environment's database again (this till's database address changed in
    /// the keyring: a joined till's own role), and rebuild the flows on it.
    pub(crate) async fn reopen_database(&self) -> AppResult<()> {
        let settings = self.settings();
        let db = open_database(&self.paths, &settings, settings.environment, None)?;
        *write(&self.database) = Database::new(db);
        self.reconnect().await;
        Ok(())
    }

    /// Build the flows again from the current settings and keyring (after keys were imported,
    /// or when the shared database is back).
    pub async fn reconnect(&self) {
        let settings = self.settings();
        let database = read(&self.database).clone();
        let fresh = connect(&settings, &database, &self.paths).await;
        let old = std::mem::replace(&mut *write(&self.antom), fresh);
        #[cfg(feature = "demo")]
        if let Some(sim) = old.demo {
            sim.stop().await;
        }
        #[cfg(not(feature = "demo"))]
        drop(old);
    }
}
