//! How the simulator behaves ([`SimConfig`]) and why it may fail to start ([`SimError`]).

use crate::faults::Faults;
use antom::{MerchantPrivateKey, PublicKey};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

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
    /// Report a session that expired unused as FAIL / ORDER_IS_CLOSED (inquiry and notification).
    /// That Antom does so is UNCONFIRMED (our own reading); switched off, an unused session stays
    /// PROCESSING forever, as a real Antom may leave it, and the app must close it itself.
    pub report_expired_sessions: bool,
    /// Multiplies every scheduled delay (notification resends, slow verification): 1.0 is real
    /// time, 0.001 turns Antom's 2-minute resend into 120 ms.
    pub time_scale: f64,
    /// Unscaled time a "slow verification" test card stays PROCESSING.
    pub slow_verification: Duration,
    /// How long after it is made a payment settles (unscaled): before that it can be cancelled,
    /// after it only refunded. Antom's window is UNCONFIRMED; a day here.
    pub settlement_delay: Duration,
    /// How long after an authorisation the automatic capture happens (unscaled; notifyCapture
    /// follows). Antom captures "right after"; a few seconds here, so a till shows AUTHORISED
    /// before CAPTURED as it would.
    pub capture_delay: Duration,
    /// The region sign put in session data (`SG`, `US`, `DE`).
    pub host_sign: String,
    pub faults: Faults,
    /// Save state here after every change, and load it on start.
    pub state_dir: Option<PathBuf>,
    /// Seal the saved state (it holds the simulated Antom's card tokens): the app's demo mode
    /// encrypts it with its data key; the standalone binary writes plain JSON for inspection.
    pub state_seal: Option<StateSeal>,
    /// Post notifications to non-loopback hosts too (off: this machine never calls out).
    pub allow_remote_notifications: bool,
    /// Keep the records in a store several simulators share (a shop's tills in demo mode, each
    /// with its own simulator, on one shared database) instead of only in memory and
    /// `state_dir`. `state_dir` then only seeds a store that holds nothing yet.
    pub shared_state: Option<std::sync::Arc<dyn StateStore>>,
    /// Bind only the numbers of the test-card table ([`crate::cards::TEST_CARDS`]); any other
    /// number is refused at the element ("this is a demo") and nothing is recorded. The app's
    /// demo mode sets it, so a real card typed into a demo is never kept (issue 29, item 10).
    pub test_cards_only: bool,
    /// The key of card fingerprints (HMAC-SHA256 over the client id and the number): random per
    /// simulator unless set; the app's demo sets one per install, so a fingerprint in a database
    /// says nothing about the number without it.
    pub fingerprint_key: [u8; 32],
}

impl SimConfig {
    /// A config with a fresh Antom key and no clients, on a random loopback port.
    pub fn new(antom_key: MerchantPrivateKey) -> Self {
        SimConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            antom_key,
            clients: Vec::new(),
            session_ttl: Duration::from_secs(30 * 60),
            report_expired_sessions: true,
            time_scale: 1.0,
            slow_verification: Duration::from_secs(20),
            settlement_delay: Duration::from_secs(24 * 3600),
            capture_delay: Duration::from_secs(2),
            host_sign: "SG".into(),
            faults: Faults::default(),
            state_dir: None,
            state_seal: None,
            allow_remote_notifications: false,
            shared_state: None,
            test_cards_only: false,
            fingerprint_key: {
                let mut k = [0u8; 32];
                getrandom::fill(&mut k).expect("the OS random source works");
                k
            },
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

/// Seals bytes for the state file.
pub type SealFn = std::sync::Arc<dyn Fn(&[u8]) -> Vec<u8> + Send + Sync>;
/// Opens them: `None` when they do not open (another key, damage).
pub type OpenFn = std::sync::Arc<dyn Fn(&[u8]) -> Option<Vec<u8>> + Send + Sync>;

/// How the saved state is sealed and opened (an AEAD the embedding app owns).
#[derive(Clone)]
pub struct StateSeal {
    pub seal: SealFn,
    pub open: OpenFn,
}

/// What a [`StateStore`] holds, compared with the version a simulator last saw.
#[derive(Debug)]
pub enum Saved {
    /// Nothing has been saved yet.
    Absent,
    /// The version the simulator knows is still current.
    Same,
    /// Another version: its number and bytes (sealed when a [`StateSeal`] is configured).
    Other(u64, Vec<u8>),
}

/// A store several simulators share, so that they behave as one Antom: every change runs while
/// the store is held exclusively by one of them, on the newest records.
pub trait StateStore: Send + Sync {
    /// What the store holds, if it is not version `known` (a read, without holding it).
    fn latest(&self, known: u64) -> std::io::Result<Saved>;
    /// Hold the store exclusively (against every simulator sharing it) while `change` runs
    /// with what [`StateStore::latest`] would say; save the bytes it returns, if any, as the
    /// next version. Returns the version current afterwards.
    fn exclusive(&self, known: u64, change: &mut dyn FnMut(Saved) -> Option<Vec<u8>>) -> std::io::Result<u64>;
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
