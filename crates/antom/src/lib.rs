//! Antom (Ant International) Open API client for card vaulting ("independent card binding") and
//! paying with a saved card (pay, inquiry, cancel, refund, token deletion).
//!
//! * [`keys`]: merchant private key and Antom public key in Antom's formats.
//! * [`signature`]: the RSA256 scheme, header formatting and tolerant parsing.
//! * [`gateway`]: region hosts, custom base URLs, the `SANDBOX_` path rule.
//! * [`model`] and [`api`]: typed requests and responses, endpoints as data.
//! * [`client`]: signing, sending through a [`transport::Transport`], verifying, retrying.
//! * [`notify`]: verifying `notifyVaulting`, `notifyPayment` and `notifyRefund`.
//! * [`codes`]: the result codes acted on, named once; [`outcome`]: Antom's answers read as what
//!   happened to a vaulting, a payment or a refund.
//!
//! No Tauri, no storage: this crate is shared by the app, the simulator and the `antom` CLI.

pub mod api;
pub mod client;
pub mod codes;
pub mod currency;
#[doc(hidden)]
pub mod fuzzing;
pub mod gateway;
pub mod keys;
pub mod locale;
pub mod model;
pub mod notify;
pub mod outcome;
pub mod sensitive;
pub mod signature;
pub mod times;
pub mod transport;

pub use client::{AntomClient, AntomError, ClientConfig, PreparedRequest, Response, RetryPolicy};
pub use gateway::{Gateway, Region};
pub use keys::{KeyError, MerchantPrivateKey, PublicKey};
pub use sensitive::Sensitive;
