//! A faithful, offline Antom-compatible simulator.
//!
//! * Open API under `/ams/api/v1/...` and `/ams/sandbox/api/v1/...`: createVaultingSession,
//!   inquireVaulting, vaultPaymentMethod and pay (card on file). Requests are authenticated like
//!   Antom does (client id, request time, RSA256 signature against the registered merchant key);
//!   a bad signature gets `INVALID_SIGNATURE` with no response signature; every other response is
//!   signed with the simulator's own "Antom" key, with lowercase `client-id`, `response-time`,
//!   `signature` headers in the order the official SDKs expect.
//! * The card-binding element page the genuine `@alipay/ams-checkout` SDK loads through
//!   `elementProps.elementLink` (`/element/vaulting.html`), and a 3DS challenge page.
//! * notifyVaulting, signed as Antom signs notifications, resent on Antom's schedule.
//! * Test cards ([`cards`]) and fault switches ([`faults::Faults`]).
//!
//! Use it in-process ([`Simulator::start`]) or as the `antom-sim` binary.

pub mod cards;
mod element;
pub mod faults;
mod i18n;
mod notify;
mod openapi;
pub mod session;
pub mod state;

use antom::{MerchantPrivateKey, PublicKey};
use faults::Faults;
use state::State;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::oneshot;

pub use notify::RESEND_SCHEDULE_SECS;

/// How the simulator behaves.
#[derive(Clone)]
pub struct SimConfig {
    /// Must be a loopback address; port 0 picks a free port.
    pub bind: SocketAddr,
    /// The simulator's "Antom" private key: it signs responses and notifications.
    pub antom_key: MerchantPrivateKey,
    /// Registered merchants: client id → merchant public key.
    pub clients: Vec<(String, PublicKey)>,
    /// How long a vaulting session stays usable. Antom's default is UNCONFIRMED; 30 minutes here.
    pub session_ttl: Duration,
    /// Multiplies every scheduled delay (notification resends, slow verification): 1.0 is real
    /// time, 0.001 turns Antom's 2-minute resend into 120 ms.
    pub time_scale: f64,
    /// Unscaled time a "slow verification" test card stays PROCESSING.
    pub slow_verification: Duration,
    /// The region sign put in session data (`SG`, `US`, `DE`).
    pub host_sign: String,
    pub faults: Faults,
    /// Save state here after every change, and load it on start.
    pub state_dir: Option<PathBuf>,
    /// Post notifications to non-loopback hosts too (off: this machine never calls out).
    pub allow_remote_notifications: bool,
}

impl SimConfig {
    /// A config with a fresh Antom key and no clients, on a random loopback port.
    pub fn new(antom_key: MerchantPrivateKey) -> Self {
        SimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            antom_key,
            clients: Vec::new(),
            session_ttl: Duration::from_secs(30 * 60),
            time_scale: 1.0,
            slow_verification: Duration::from_secs(20),
            host_sign: "SG".into(),
            faults: Faults::default(),
            state_dir: None,
            allow_remote_notifications: false,
        }
    }

    pub fn with_client(mut self, client_id: impl Into<String>, key: PublicKey) -> Self {
        self.clients.push((client_id.into(), key));
        self
    }

    pub fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.time_scale.max(0.0))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("the simulator binds only to loopback addresses, not {0}")]
    NotLoopback(SocketAddr),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("cannot load the state directory: {0}")]
    State(std::io::Error),
}

pub(crate) struct Inner {
    pub config: SimConfig,
    pub clients: RwLock<HashMap<String, PublicKey>>,
    pub state: Mutex<State>,
    pub faults: Mutex<Faults>,
    pub base_url: String,
    pub http: reqwest::Client,
}

impl Inner {
    /// Change the state and persist it.
    pub fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        self.maybe_change_state(|st| (f(st), true))
    }

    /// Like [`Inner::with_state`], but the closure says whether it changed anything; the state
    /// file is rewritten only when it did.
    pub fn maybe_change_state<R>(&self, f: impl FnOnce(&mut State) -> (R, bool)) -> R {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (r, changed) = f(&mut st);
        if changed {
            if let Some(dir) = &self.config.state_dir {
                if let Err(e) = st.save(dir) {
                    tracing::error!(error = %e, "cannot save the simulator state");
                }
            }
        }
        r
    }

    pub fn read_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        f(&self.state.lock().unwrap_or_else(|p| p.into_inner()))
    }

    pub fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}

/// Start/stop entry point.
pub struct Simulator;

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    inner: Arc<Inner>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    join: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        if !config.bind.ip().is_loopback() {
            return Err(SimError::NotLoopback(config.bind));
        }
        let state = match &config.state_dir {
            Some(dir) => State::load(dir).map_err(SimError::State)?,
            None => State::default(),
        };
        let listener = tokio::net::TcpListener::bind(config.bind)
            .await
            .map_err(|source| SimError::Bind { addr: config.bind, source })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind { addr: config.bind, source })?;
        let http = reqwest::Client::builder()
            .no_proxy()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(15))
            .build()
            .expect("a plain reqwest client builds");
        let inner = Arc::new(Inner {
            clients: RwLock::new(config.clients.iter().cloned().collect()),
            faults: Mutex::new(config.faults.clone()),
            state: Mutex::new(state),
            base_url: format!("http://{addr}"),
            http,
            config,
        });
        notify::start_sweeper(inner.clone());
        let app = openapi::routes().merge(element::routes()).with_state(inner.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let join = tokio::spawn(async move {
            let server = axum::serve(listener, app).with_graceful_shutdown(async {
                let _ = rx.await;
            });
            if let Err(e) = server.await {
                tracing::error!(error = %e, "simulator server stopped");
            }
        });
        tracing::info!(%addr, "Antom simulator listening");
        Ok(SimHandle { inner, addr, shutdown: Some(tx), join: Some(join) })
    }
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, the gateway origin for an Antom client.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// The element page for the SDK's `elementProps.elementLink`.
    pub fn element_link(&self) -> String {
        format!("{}/element/vaulting.html", self.inner.base_url)
    }

    /// The simulator's "Antom public key", to verify its responses and notifications.
    pub fn antom_public_key(&self) -> PublicKey {
        self.inner.config.antom_key.public_key()
    }

    pub fn register_client(&self, client_id: impl Into<String>, key: PublicKey) {
        self.inner.clients.write().unwrap_or_else(|p| p.into_inner()).insert(client_id.into(), key);
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.inner.faults.lock().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    pub fn faults(&self) -> Faults {
        self.inner.faults.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Every notification attempt so far.
    pub fn notifications(&self) -> Vec<state::NotificationAttempt> {
        self.inner.read_state(|s| s.notifications.clone())
    }

    /// A vaulting's current status, for tests and the admin API.
    pub fn vaulting_status(&self, client_id: &str, request_id: &str) -> Option<state::Status> {
        self.inner.read_state(|s| s.vaultings.get(&state::key(client_id, request_id)).map(|v| v.status))
    }

    /// Stop accepting connections and wait for the server to finish.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(j) = self.join.take() {
            let _ = j.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
