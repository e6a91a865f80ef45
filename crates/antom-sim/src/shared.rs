//! What every route and the state machine share: the configuration, the registered clients, the
//! state, the fault switches, the simulator's own address and an HTTP client for notifications.

use crate::config::{Saved, SimConfig};
use crate::faults::Faults;
use crate::state::State;
use antom::PublicKey;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock};
use time::OffsetDateTime;

pub(crate) struct Inner {
    pub config: SimConfig,
    pub clients: RwLock<HashMap<String, PublicKey>>,
    pub state: Mutex<State>,
    /// With a shared store: the store's version `state` is (only changed under the `state`
    /// lock); [`UNKNOWN`] makes the next access read it again.
    pub known: AtomicU64,
    pub faults: Mutex<Faults>,
    pub base_url: String,
    pub http: reqwest::Client,
}

/// No version the store ever gives: read the store again.
pub(crate) const UNKNOWN: u64 = u64::MAX;

thread_local! {
    /// Set when this thread's state access could not reach the shared store: the request being
    /// answered must not be reported as done (see [`Inner::unreliable`]).
    static STORE_FAILED: Cell<bool> = const { Cell::new(false) };
}

impl Inner {
    /// Change the state and persist it.
    pub fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        self.maybe_change_state(|st| (f(st), true))
    }

    /// Like [`Inner::with_state`], but the closure says whether it changed anything; the state
    /// is saved only when it did.
    ///
    /// With a shared store the closure runs while the store is held, on its newest records, so
    /// simulators sharing it change them one at a time. When the store cannot be reached the
    /// closure still runs (its result is needed) but on records that are dropped at the next
    /// access, and the thread is marked (see [`Inner::unreliable`]).
    pub fn maybe_change_state<R>(&self, f: impl FnOnce(&mut State) -> (R, bool)) -> R {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let Some(store) = &self.config.shared_state else {
            let (r, changed) = f(&mut st);
            if changed {
                if let Some(dir) = &self.config.state_dir {
                    if let Err(e) = st.save(dir, self.config.state_seal.as_ref()) {
                        tracing::error!(error = %e, "cannot save the simulator state");
                    }
                }
            }
            return r;
        };
        let mut f = Some(f);
        let mut out = None;
        let mut unreadable = None;
        let known = self.known.load(Ordering::SeqCst);
        let saved = store.exclusive(known, &mut |saved| {
            let fresh = self.adopt(&mut st, saved);
            let (r, changed) = (f.take().expect("the store calls the change once"))(&mut st);
            out = Some(r);
            match fresh {
                Ok(()) if changed => match st.to_bytes(self.config.state_seal.as_ref()) {
                    Ok(bytes) => Some(bytes),
                    Err(e) => {
                        unreadable = Some(e.to_string());
                        None
                    }
                },
                Ok(()) => None,
                // never save over records this simulator could not read
                Err(e) => {
                    unreadable = Some(e);
                    None
                }
            }
        });
        match (saved, unreadable) {
            (Ok(version), None) => self.known.store(version, Ordering::SeqCst),
            (Ok(_), Some(e)) => self.store_failed(&e),
            (Err(e), _) => self.store_failed(&e.to_string()),
        }
        match (out, f.take()) {
            (Some(r), _) => r,
            (None, Some(f)) => f(&mut st).0,
            (None, None) => unreachable!("the change ran or is still here"),
        }
    }

    pub fn read_state<R>(&self, f: impl FnOnce(&State) -> R) -> R {
        let mut st = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(store) = &self.config.shared_state {
            let known = self.known.load(Ordering::SeqCst);
            match store.latest(known).map_err(|e| e.to_string()).and_then(|saved| self.adopt(&mut st, saved)) {
                Ok(()) => {}
                Err(e) => self.store_failed(&e),
            }
        }
        f(&st)
    }

    /// Take the store's records when they are another version than `st`.
    fn adopt(&self, st: &mut State, saved: Saved) -> Result<(), String> {
        match saved {
            // nothing shared yet: what this simulator has (its state_dir's) seeds the store
            Saved::Absent | Saved::Same => Ok(()),
            Saved::Other(version, bytes) => {
                *st = State::from_bytes(&bytes, self.config.state_seal.as_ref()).map_err(|e| e.to_string())?;
                self.known.store(version, Ordering::SeqCst);
                Ok(())
            }
        }
    }

    fn store_failed(&self, why: &str) {
        tracing::error!(error = %why, "the simulator's shared records are out of reach");
        self.known.store(UNKNOWN, Ordering::SeqCst);
        STORE_FAILED.with(|f| f.set(true));
    }

    /// Run `f` (the handling of one request, on this thread) and say whether every state access
    /// in it reached the shared store: when one did not, its answer must not go out as if
    /// the records were kept (the caller answers "unknown, try again" instead).
    pub fn unreliable<R>(&self, f: impl FnOnce() -> R) -> (R, bool) {
        STORE_FAILED.with(|flag| flag.set(false));
        let r = f();
        (r, STORE_FAILED.with(|flag| flag.replace(false)))
    }

    pub fn now() -> OffsetDateTime {
        OffsetDateTime::now_utc()
    }
}
