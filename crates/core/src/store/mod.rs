//! The store: every SQL statement the app runs, one module per table family. Plain functions
//! over a [`crate::db::Connection`] (SQLite or PostgreSQL, the same SQL); each write that matters is one transaction (a caller that
//! needs several writes in one transaction passes its own).
//!
//! | module | tables |
//! | --- | --- |
//! | [`customers`] | `customers`, `consents` |
//! | [`cards`] | `cards` (bound cards, masked data and sealed tokens) |
//! | [`attempts`] | `binding_attempts` (the binding state machine's rows) |
//! | [`audit`] | `audit_log` (append-only) |
//! | [`staff`] | `staff`, `pin_throttle` |
//! | [`key_checks`] | `data_key_checks` (a value sealed with each environment's data key) |
//! | [`kiosk_codes`] | `kiosk_codes` (one-time codes that let a kiosk visitor use their customer record) |
//! | [`payments`] | `payments`, `refunds` (the payment state machine's rows) |
//! | [`tills`] | `tills`, `pairings` (the tills of a shop on a shared database) |
//! | [`shop_identity`] | `shop_identity` (the shop a shared database belongs to) |
//! | [`row_key_check`] | `row_key_check` (a value only the shop's row key makes) |
//!
//! The schema itself is in `crates/core/migrations`, applied by [`crate::db`]. Row types live
//! beside their SQL; the domain modules ([`crate::flows::binding`], [`crate::staff`]) re-export them.

pub mod attempts;
pub mod audit;
pub mod cards;
pub mod claims;
pub mod customers;
pub mod demo_antom;
pub mod key_checks;
pub mod kiosk_codes;
pub mod payments;
pub mod row_key_check;
pub mod shop_identity;
mod sql;
pub mod staff;
pub mod tills;

pub use audit::{audit, list_audit, AuditEntry};
pub use cards::{
    get_card, keep_duplicate, list_cards, remove_card, replace_with_duplicate, CardPage, CardQuery, CardRow, CardSort,
};
pub use customers::{
    create_customer, get_customer, record_consent, search_customers, update_customer, ConsentInput, Customer,
    CustomerInput,
};

pub use sql::tampered;
