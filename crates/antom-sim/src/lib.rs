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

//!
//! Where things are: `vaulting` owns the vaulting state machine (sessions, card submission, 3D
//! Secure, expiry) and `payment` the payments; the route modules `openapi` (the signed Open
//! API and `/sim` admin) and `element` (the element and 3DS pages) only parse, call them and
//! render; `notify` delivers notifications; `wire` holds the JSON and time helpers; `shared`
//! what they all read (and, with a [`StateStore`], how several simulators keep one set of
//! records: a shop's tills in demo mode); [`state`] the data.

pub mod cards;
pub mod config;
mod element;
pub mod faults;
#[doc(hidden)]
pub mod fuzzing;
mod i18n;
mod notify;
mod openapi;
mod payment;
mod refund;
pub mod session;
mod shared;
pub mod state;
mod tokens;
mod vaulting;
mod wire;

use antom::PublicKey;
use faults::Faults;
use shared::Inner;
use state::State;
use std::net::SocketAddr;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::sync::oneshot;

pub use config::{Saved, SimConfig, SimError, StateSeal, StateStore};
pub use notify::RESEND_SCHEDULE_SECS;

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
            Some(dir) => State::load(dir, config.state_seal.as_ref()).map_err(SimError::State)?,
            None => State::default(),
        };
        let (state, known) = match &config.shared_state {
            Some(store) => shared_start(store.as_ref(), state, config.state_seal.as_ref())?,
            None => (state, shared::UNKNOWN),
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
            known: AtomicU64::new(known),
            base_url: format!("http://{addr}"),
            http,
            config,
        });
        vaulting::start_sweeper(inner.clone());
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

/// The records to start from with a shared store: the store's; when it holds nothing yet, this
/// simulator's own (from `state_dir`) seed it. A store out of reach is read again on the first
/// request (the start does not wait for it).
fn shared_start(store: &dyn StateStore, local: State, seal: Option<&StateSeal>) -> Result<(State, u64), SimError> {
    let seed = (!local.is_empty()).then(|| local.to_bytes(seal)).transpose().map_err(SimError::State)?;
    let mut theirs = None;
    let held = store.exclusive(shared::UNKNOWN, &mut |saved| match saved {
        Saved::Other(_, bytes) => {
            theirs = Some(State::from_bytes(&bytes, seal));
            None
        }
        // nothing shared yet: this simulator's own records (if any) seed the store
        _ => seed.clone(),
    });
    match (held, theirs) {
        (Ok(version), None) => Ok((local, version)),
        (Ok(version), Some(Ok(st))) => Ok((st, version)),
        (Ok(_), Some(Err(e))) => Err(SimError::State(std::io::Error::other(format!("the shared records: {e}")))),
        (Err(e), _) => {
            tracing::warn!(error = %e, "the shared records are out of reach; they are read on the first request");
            Ok((local, shared::UNKNOWN))
        }
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

    /// Every vaulting of one client: (vaultingRequestId, status), in no particular order.
    pub fn vaultings(&self, client_id: &str) -> Vec<(String, state::Status)> {
        self.inner.read_state(|s| {
            s.vaultings
                .values()
                .filter(|v| v.client_id == client_id)
                .map(|v| (v.request_id.clone(), v.status))
                .collect()
        })
    }

    /// One vaulting as the simulator holds it (its state's copy), for tests.
    pub fn vaulting(&self, client_id: &str, request_id: &str) -> Option<state::Vaulting> {
        self.inner.read_state(|s| s.vaultings.get(&state::key(client_id, request_id)).cloned())
    }

    /// Every payment of one client (its state's copy), in no particular order.
    pub fn payments(&self, client_id: &str) -> Vec<state::Payment> {
        self.inner.read_state(|s| s.payments.values().filter(|p| p.client_id == client_id).cloned().collect())
    }

    /// Every refund of one client, in no particular order.
    pub fn refunds(&self, client_id: &str) -> Vec<state::Refund> {
        self.inner.read_state(|s| s.refunds.values().filter(|r| r.client_id == client_id).cloned().collect())
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
