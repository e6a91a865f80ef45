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

    /// Whether the answer echoes nothing that ties it to this request (no request id, no
    /// amount): it is then bound by time, having to be signed after the request was sent
    /// (`ClientConfig::unbound_answer_window`).
    fn unbound_answer(&self) -> bool {
        false
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
pub const INQUIRY_PAYMENT: &str = "/ams/api/v1/payments/inquiryPayment";
pub const CANCEL: &str = "/ams/api/v1/payments/cancel";
pub const REFUND: &str = "/ams/api/v1/payments/refund";
pub const INQUIRY_REFUND: &str = "/ams/api/v1/payments/inquiryRefund";
pub const DELETE_TOKEN: &str = "/ams/api/v1/vaults/deleteToken";
pub const INQUIRE_TOKEN: &str = "/ams/api/v1/vaults/inquireToken";

impl Endpoint for CreateVaultingSessionRequest {
    const PATH: &'static str = CREATE_VAULTING_SESSION;
    const NAME: &'static str = "createVaultingSession";
    type Response = CreateVaultingSessionResponse;
    /// The answer names neither our `vaultingRequestId` nor anything else we sent (the session
    /// data is opaque). Bound instead by time ([`Endpoint::unbound_answer`]) and by its own
    /// expiry: a session that has already expired is not this request's. Whatever the buyer
    /// binds through it counts only through inquireVaulting/notifyVaulting for *our*
    /// `vaultingRequestId`, which echo it.
    fn check_answer(&self, r: &CreateVaultingSessionResponse) -> Result<(), String> {
        if r.result.result_status != ResultStatus::S {
            return Ok(());
        }
        if r.vaulting_session_data.as_deref().is_none_or(str::is_empty) {
            return Err("a success without vaultingSessionData".into());
        }
        // A minute's grace: Antom's times are whole seconds, and clocks differ.
        let stale = time::OffsetDateTime::now_utc() - time::Duration::minutes(1);
        match r.vaulting_session_expiry_time.as_deref().map(|t| (t, crate::times::parse_time(t))) {
            Some((t, Some(at))) if at < stale => {
                Err(format!("the session expired already ({t}): an earlier answer played back"))
            }
            _ => Ok(()),
        }
    }
    fn unbound_answer(&self) -> bool {
        true
    }
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
    /// Whether pay always echoes `paymentRequestId` is UNCONFIRMED. A success or a pending
    /// answer must echo it (it is what makes it this charge's; the SDK's response model has it);
    /// an F answer without it is still read (a refusal binds nothing). An echoed amount must be
    /// ours too.
    fn check_answer(&self, r: &PayResponse) -> Result<(), String> {
        let required =
            r.result.result_status == ResultStatus::S || r.result.result_code == crate::codes::PAYMENT_IN_PROCESS;
        echoed("paymentRequestId", &self.payment_request_id, r.payment_request_id.as_deref(), required)?;
        same_amount("paymentAmount", &self.payment_amount, r.payment_amount.as_ref())
    }
}

/// An echoed amount must be the one asked for (when the answer has one).
fn same_amount(name: &str, ours: &Amount, echoed: Option<&Amount>) -> Result<(), String> {
    match echoed {
        Some(a) if a.currency != ours.currency || a.minor() != ours.minor() => {
            Err(format!("the answer's {name} is {} {}, not {} {}", a.value, a.currency, ours.value, ours.currency))
        }
        _ => Ok(()),
    }
}

impl Endpoint for InquiryPaymentRequest {
    const PATH: &'static str = INQUIRY_PAYMENT;
    const NAME: &'static str = "inquiryPayment";
    type Response = InquiryPaymentResponse;
    /// A success must name the payment we asked about (by whichever id we gave).
    fn check_answer(&self, r: &InquiryPaymentResponse) -> Result<(), String> {
        let required = r.result.result_status == ResultStatus::S;
        if let Some(ours) = &self.payment_request_id {
            echoed("paymentRequestId", ours, r.payment_request_id.as_deref(), required)?;
        }
        if let Some(ours) = &self.payment_id {
            echoed("paymentId", ours, r.payment_id.as_deref(), false)?;
        }
        Ok(())
    }
}

impl Endpoint for CancelRequest {
    const PATH: &'static str = CANCEL;
    const NAME: &'static str = "cancel";
    type Response = CancelResponse;
    fn check_answer(&self, r: &CancelResponse) -> Result<(), String> {
        if let Some(ours) = &self.payment_id {
            echoed("paymentId", ours, r.payment_id.as_deref(), false)?;
        }
        if let Some(ours) = &self.payment_request_id {
            echoed("paymentRequestId", ours, r.payment_request_id.as_deref(), false)?;
        }
        Ok(())
    }
}

impl Endpoint for RefundRequest {
    const PATH: &'static str = REFUND;
    const NAME: &'static str = "refund";
    type Response = RefundResponse;
    fn check_answer(&self, r: &RefundResponse) -> Result<(), String> {
        echoed("refundRequestId", &self.refund_request_id, r.refund_request_id.as_deref(), false)?;
        echoed("paymentId", &self.payment_id, r.payment_id.as_deref(), false)?;
        same_amount("refundAmount", &self.refund_amount, r.refund_amount.as_ref())
    }
}

impl Endpoint for InquiryRefundRequest {
    const PATH: &'static str = INQUIRY_REFUND;
    const NAME: &'static str = "inquiryRefund";
    type Response = InquiryRefundResponse;
    fn check_answer(&self, r: &InquiryRefundResponse) -> Result<(), String> {
        let required = r.result.result_status == ResultStatus::S;
        if let Some(ours) = &self.refund_request_id {
            echoed("refundRequestId", ours, r.refund_request_id.as_deref(), required)?;
        }
        Ok(())
    }
}

impl Endpoint for DeleteTokenRequest {
    const PATH: &'static str = DELETE_TOKEN;
    const NAME: &'static str = "deleteToken";
    type Response = DeleteTokenResponse;
    /// `result` alone: bound by time, and confirmed by an inquireToken that echoes the token.
    fn unbound_answer(&self) -> bool {
        true
    }
}

impl Endpoint for InquireTokenRequest {
    const PATH: &'static str = INQUIRE_TOKEN;
    const NAME: &'static str = "inquireToken";
    type Response = InquireTokenResponse;
    /// A token in the answer must be ours. Without one (the token does not exist, our reading)
    /// it echoes nothing, so it is bound by time as deleteToken is.
    fn check_answer(&self, r: &InquireTokenResponse) -> Result<(), String> {
        match &r.token {
            Some(t) if t.expose() != self.token.expose() => Err("the answer is for another token".into()),
            _ => Ok(()),
        }
    }
    fn unbound_answer(&self) -> bool {
        true
    }
}
