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

    /// Whether a verified answer is the answer to *this* request (the request id it echoes):
    /// a signed answer for another request, played back by anything on the path, is refused.
    fn check_answer(&self, _response: &Self::Response) -> Result<(), String> {
        Ok(())
    }
}

/// An echoed request id must be ours; `required`: it must be there at all.
fn echoed(name: &str, ours: &str, echoed: Option<&str>, required: bool) -> Result<(), String> {
    match echoed {
        Some(e) if e == ours => Ok(()),
        Some(e) => Err(format!("the answer is for {name} {e:?}, not {ours:?}")),
        None if required => Err(format!("the answer names no {name}")),
        None => Ok(()),
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
    /// `vaultingRequestId` is REQUIRED in the response: a success must name ours. (Tolerant
    /// choice: an F or U answer without it is still read, since it binds nothing.)
    fn check_answer(&self, r: &InquireVaultingResponse) -> Result<(), String> {
        let required = r.result.result_status == ResultStatus::S;
        echoed("vaultingRequestId", &self.vaulting_request_id, r.vaulting_request_id.as_deref(), required)
    }
}

impl Endpoint for VaultPaymentMethodRequest {
    const PATH: &'static str = VAULT_PAYMENT_METHOD;
    const NAME: &'static str = "vaultPaymentMethod";
    type Response = VaultPaymentMethodResponse;
    fn retry_same_on_unknown(&self) -> bool {
        false
    }
    fn check_answer(&self, r: &VaultPaymentMethodResponse) -> Result<(), String> {
        echoed("vaultingRequestId", &self.vaulting_request_id, r.vaulting_request_id.as_deref(), false)
    }
}

impl Endpoint for PayRequest {
    const PATH: &'static str = PAY;
    const NAME: &'static str = "pay";
    type Response = PayResponse;
    /// Whether pay always echoes `paymentRequestId` is UNCONFIRMED: checked when present.
    fn check_answer(&self, r: &PayResponse) -> Result<(), String> {
        echoed("paymentRequestId", &self.payment_request_id, r.payment_request_id.as_deref(), false)
    }
}
