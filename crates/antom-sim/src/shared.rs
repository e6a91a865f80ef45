//! What every route and the state machine share: the configuration, the registered clients, the
//! state, the fault switches, the simulator's own address and an HTTP client for notifications.

use crate::config::SimConfig;
use crate::faults::Faults;
use crate::state::State;
use antom::PublicKey;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use time::OffsetDateTime;

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
                if let Err(e) = st.save(dir, self.config.state_seal.as_ref()) {
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
