//! cardbind-core's integration tests, one binary (one link of the crate on CI's two cores),
//! a module per area, as `tests/e2e` is. `support` builds the worlds they share: a simulator on
//! loopback, a card database in a temp dir, the till and its flows between them.
//!
//! Tests that need a private keyring, no keyring, or a child process re-run this binary with
//! their full name (`module::test`).

mod support;

mod access;
mod backup;
mod connection;
mod context;
mod crash;
mod crash_payments;
mod durability;
mod flow;
mod fuzz_regressions;
mod insider;
mod locales;
mod no_plaintext_secrets;
mod notifications;
mod ops;
mod payments;
mod secrets;
mod shared;
mod shared_tills;
mod trust;
