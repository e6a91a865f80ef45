//! Notifications, Antom → merchant (§6, §9.2, §9.4, §9.5), and the merchant's acknowledgement.

use super::payments::{Amount, PaymentResultInfo, TransactionStatus};
use super::vaulting::*;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// notifyVaulting (§6), Antom → merchant

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyVaulting {
    /// UNCONFIRMED for vaulting; kept when present, never relied on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_type: Option<String>,
    pub result: AntomResult,
    pub vaulting_request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_detail: Option<PaymentMethodDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_status: Option<VaultingStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

/// The fixed acknowledgement a merchant returns for a notification (§6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyAck {
    pub result: AntomResult,
}

/// The exact acknowledgement body Antom expects.
pub const NOTIFY_ACK_BODY: &str = r#"{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"success"}}"#;

impl NotifyAck {
    pub fn is_acknowledged(&self) -> bool {
        self.result.result_status == ResultStatus::S && self.result.result_code == crate::codes::SUCCESS
    }
}

// ---------------------------------------------------------------------------------------------
// notifyPayment and notifyRefund (§9.2), Antom → merchant

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyPayment {
    /// `PAYMENT_RESULT` (final) or `PAYMENT_PENDING` (the buyer is done; wait for the result).
    pub notify_type: String,
    pub result: AntomResult,
    pub payment_request_id: String,
    pub payment_id: String,
    pub payment_amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_info: Option<PaymentResultInfo>,
}

/// The `notifyType` of a final payment result.
pub const PAYMENT_RESULT: &str = "PAYMENT_RESULT";
/// The `notifyType` of a payment the buyer finished that is not final yet.
pub const PAYMENT_PENDING: &str = "PAYMENT_PENDING";
/// The `notifyType` of notifyCapture.
pub const CAPTURE_RESULT: &str = "CAPTURE_RESULT";
/// The `notifyType` of notifyRefund.
pub const REFUND_RESULT: &str = "REFUND_RESULT";

/// notifyCapture (§9.4): the capture of an authorised card payment reached `S` or `F`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyCapture {
    pub notify_type: String,
    /// `S` captured, `F` the capture failed.
    pub result: AntomResult,
    pub capture_request_id: String,
    pub payment_id: String,
    pub capture_id: String,
    pub capture_amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub acquirer_reference_no: Option<String>,
}

/// Which notification a verified body is (§9.5): by `notifyType` first; without a known one,
/// `vaultingRequestId` makes it notifyVaulting and `disputeNotificationType` notifyDispute
/// (what those two put in `notifyType` is UNCONFIRMED, so neither is relied on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotificationKind {
    Payment,
    Capture,
    Refund,
    Vaulting,
    /// Verified, but nothing cardbind acts on (disputes, `UPDATE_AMOUNT_RESULT`, types Antom
    /// adds later): acknowledged and logged by its type.
    Other(String),
}

impl NotificationKind {
    pub fn of(body: &serde_json::Value) -> Self {
        let notify_type = body.get("notifyType").and_then(|t| t.as_str());
        match notify_type {
            Some(PAYMENT_RESULT | PAYMENT_PENDING) => NotificationKind::Payment,
            Some(CAPTURE_RESULT) => NotificationKind::Capture,
            Some(REFUND_RESULT) => NotificationKind::Refund,
            _ if body.get("vaultingRequestId").is_some() => NotificationKind::Vaulting,
            _ if body.get("disputeNotificationType").is_some() => {
                NotificationKind::Other(format!("DISPUTE/{}", body["disputeNotificationType"].as_str().unwrap_or("?")))
            }
            Some(other) => NotificationKind::Other(other.chars().take(64).collect()),
            None => NotificationKind::Other("(no notifyType)".into()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotifyRefund {
    /// UNCONFIRMED whether refund notifications carry `notifyType`; kept when present.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_type: Option<String>,
    pub result: AntomResult,
    pub refund_request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_status: Option<TransactionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ack_body_is_an_acknowledgement() {
        let ack: NotifyAck = serde_json::from_str(NOTIFY_ACK_BODY).unwrap();
        assert!(ack.is_acknowledged());
    }
}
