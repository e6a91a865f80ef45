//! The use cases behind the desktop commands: one function per command, over an
//! [`AppContext`], grouped by area, each file with the IPC view types of its commands. The Tauri
//! shell only unpacks its state and calls these, so everything here is tested without a window
//! (`crates/core/tests/all/ops.rs` and the suites beside it).
//!
//! Every use case starts with its access check ([`crate::staff::access`]); what a role may do is
//! decided there and in [`crate::staff::Permission`], never by the UI.

mod backup;
mod binding;
mod cards;
mod common;
mod customers;
mod export;
mod golive;
mod info;
mod keys;
mod kiosk;
mod payments;
mod receipts;
mod settings;
mod shop_database;
mod staff;
mod tills;

pub use backup::*;
pub use binding::*;
pub use cards::*;
pub use customers::*;
pub use export::*;
pub use golive::*;
pub use info::*;
pub use keys::*;
pub use kiosk::*;
pub use payments::*;
pub use receipts::*;
pub use settings::*;
pub use shop_database::*;
pub use staff::*;
pub use tills::*;
