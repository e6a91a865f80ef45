//! The endpoints, as data: each request type knows its production path and response type.

use crate::model::*;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// An Antom Open API call.
pub trait Endpoint: Serialize {
    /// The production path; [`crate::gateway::api_path`] turns it into the sandbox path.
    const PATH: &'static str;
    /// A short name for logs and errors.
    const NAME: &'static str;
    type Response: DeserializeOwned + HasResult + Send + 'static;

    /// Whether a `U` result may be retried with the very same request (same request id). True for
    /// every vaulting call but `vaultPaymentMethod`, whose `U` needs a new request id (§8).
    fn retry_same_on_unknown(&self) -> bool {
        true
    }
}

pub const CREATE_VAULTING_SESSION: &str = "/ams/api/v1/vaults/createVaultingSession";
pub const INQUIRE_VAULTING: &str = "/ams/api/v1/vaults/inquireVaulting";
pub const VAULT_PAYMENT_METHOD: &str = "/ams/api/v1/vaults/vaultPaymentMethod";
pub const PAY: &str = "/ams/api/v1/payments/pay";

impl Endpoint for CreateVaultingSessionRequest {
    const PATH: &'static str = CREATE_VAULTING_SESSION;
    const NAME: &'static str = "createVaultingSession";
    type Response = CreateVaultingSessionResponse;
}

impl Endpoint for InquireVaultingRequest {
    const PATH: &'static str = INQUIRE_VAULTING;
    const NAME: &'static str = "inquireVaulting";
    type Response = InquireVaultingResponse;
}

impl Endpoint for VaultPaymentMethodRequest {
    const PATH: &'static str = VAULT_PAYMENT_METHOD;
    const NAME: &'static str = "vaultPaymentMethod";
    type Response = VaultPaymentMethodResponse;
    fn retry_same_on_unknown(&self) -> bool {
        false
    }
}

impl Endpoint for PayRequest {
    const PATH: &'static str = PAY;
    const NAME: &'static str = "pay";
    type Response = PayResponse;
}
