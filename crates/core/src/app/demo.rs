//! Demo mode: the Antom simulator in-process on loopback, with demo keys kept in the OS keyring;
//! on a shop's shared database, the simulators of its tills keep one set of records there. The
//! one user of `antom_sim` in the domain crate (behind the `demo` feature).

use super::{shared_connection, DEMO_CLIENT_ID};
use crate::crypto::DataKey;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::paths::AppPaths;
use crate::secrets::Secrets;
use crate::settings::{Environment, ShopDatabase};
use antom::Gateway;
use antom_sim::{SimConfig, SimHandle, Simulator};
use std::sync::{Arc, Mutex};

/// What the demo simulator's sealed state is bound to (its AEAD context).
use crate::store::demo_antom::STATE_CONTEXT as DEMO_STATE_CONTEXT;

/// A running demo simulator.
pub(crate) struct DemoSim(SimHandle);

impl DemoSim {
    pub(crate) fn element_link(&self) -> String {
        self.0.element_link()
    }

    pub(crate) fn base_url(&self) -> String {
        self.0.base_url().to_string()
    }

    pub(crate) async fn stop(self) {
        self.0.stop().await;
    }
}

/// Start the simulator; the gateway, client id and keys the till's Antom client uses with it.
pub(crate) async fn start(
    shop_database: &ShopDatabase,
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
    // Demo Antom keeps its records (bindings, tokens, payments, refunds) across restarts, as the
    // real one does, so a saved card can be charged and a payment refunded after a restart. The
    // file is sealed with this computer's data key: it holds the simulated Antom's card tokens.
    let mut sim = SimConfig::new(sim_key.clone()).with_client(DEMO_CLIENT_ID, merchant.public_key());
    sim.state_dir = Some(paths.data_dir.join("demo-antom"));
    // Demo mode saves no real card: only the simulator's test cards bind, and its card
    // fingerprints are keyed per install (from the simulator's key in the keyring, which a
    // shop's tills share), never an unkeyed hash of the number (issue 29, item 10).
    sim.test_cards_only = true;
    sim.fingerprint_key = {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"cardbind demo card fingerprints\x1f");
        h.update(sim_key.to_pkcs8_base64().expose().as_bytes());
        h.finalize().into()
    };
    let (seal_key, open_key) = (data_key.clone(), data_key.clone());
    sim.state_seal = Some(antom_sim::StateSeal {
        seal: Arc::new(move |plain| seal_key.seal(plain, DEMO_STATE_CONTEXT)),
        open: Arc::new(move |sealed| open_key.open(sealed, DEMO_STATE_CONTEXT).ok().map(|p| p.expose().clone())),
    });
    // A shop's tills on a shared database share one demo Antom's records there (each till still
    // runs its own simulator, for its own element page): a card saved at one till is charged at
    // another, as with the real Antom. This till's file seeds them when the shop has none yet
    // (the till that moved the shop).
    if shop_database.shared {
        let conn = shared_connection(shop_database, Environment::Demo, true)?;
        sim.shared_state = Some(Arc::new(SharedDemoRecords(Mutex::new(conn))));
    }
    let handle = Simulator::start(sim)
        .await
        .map_err(|e| AppError::new(ErrorCode::Internal, format!("the demo simulator did not start: {e}")))?;
    let gateway = Gateway::custom(handle.base_url()).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
    *demo = Some(DemoSim(handle));
    Ok((gateway, DEMO_CLIENT_ID.to_string(), merchant, sim_key.public_key()))
}

/// The demo Antom's records on the shop's shared database ([`crate::store::demo_antom`]), on a
/// connection of their own: the tills' demo simulators change them one at a time.
struct SharedDemoRecords(Mutex<crate::db::Connection>);

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

fn io_error(e: AppError) -> std::io::Error {
    std::io::Error::other(format!("{}: {}", e.code, e.message))
}

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
