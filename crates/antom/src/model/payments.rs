//! pay with a stored card token, inquiryPayment, cancel, capture, refund, inquiryRefund (§9.1, §9.2, §9.4).

use super::vaulting::*;
use crate::sensitive::expose_opt;
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// pay with a stored card token, inquiryPayment, cancel, refund, inquiryRefund (§9.1, §9.2)
//
// Field names and nesting follow Antom's official server SDKs (Go `request/pay`, `response/pay`,
// `model`; Java `request/ams/pay`). Every field Antom may leave out is optional, and fields we
// do not read are not modelled (unknown fields are ignored).

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Amount {
    /// ISO 4217 alphabetic code, e.g. `USD`.
    pub currency: String,
    /// Minor units as a string, e.g. `"1000"` for 10.00 USD, `"1000"` for ¥1000 (JPY has no
    /// minor unit), `"1000"` for 1.000 BHD (three).
    pub value: String,
}

impl Amount {
    pub fn new(currency: impl Into<String>, minor: u64) -> Self {
        Amount { currency: currency.into(), value: minor.to_string() }
    }

    /// The value as an integer of minor units, when it is one (digits only, no sign, no point).
    pub fn minor(&self) -> Option<u64> {
        (!self.value.is_empty() && self.value.len() <= 19 && self.value.bytes().all(|b| b.is_ascii_digit()))
            .then(|| self.value.parse().ok())
            .flatten()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Buyer {
    /// The merchant's own id of the customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_buyer_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Order {
    pub reference_order_id: String,
    pub order_description: String,
    pub order_amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub buyer: Option<Buyer>,
}

/// `paymentMethod.paymentMethodMetaData` of a pay with a saved card (§9.1, §9.6). The SDKs model
/// it as a free map; the fields here are the ones Antom's pages show.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodMetaData {
    #[serde(default, deserialize_with = "de_bool_lenient", skip_serializing_if = "Option::is_none")]
    pub is_card_on_file: Option<bool>,
    /// A merchant-initiated charge's schedule (the MIT page's `SCHEDULED`). Its other values and
    /// whether it is required are UNCONFIRMED (§9.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recurring_type: Option<String>,
    /// The scheme's transaction id of the card's first customer-initiated charge, sent back on
    /// merchant-initiated charges (the MIT page's example; §9.6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_transaction_id: Option<String>,
    /// "Antom 3DS-Retry": when the scheme asks for 3D Secure, Antom challenges instead of
    /// declining. The SDK models carry it on `CardPaymentMethodDetail`; for a pay whose
    /// `paymentMethodId` is a card token its place is UNCONFIRMED. Our choice: here, in
    /// `paymentMethodMetaData`, where the MIT page puts `is3DSAuthentication` (§9.6). A string,
    /// as the Java model types it; read as `true` or `"true"`.
    #[serde(
        default,
        deserialize_with = "de_bool_lenient",
        serialize_with = "bool_as_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub enable_authentication_upgrade: Option<bool>,
    #[serde(
        rename = "is3DSAuthentication",
        default,
        deserialize_with = "de_bool_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_3ds_authentication: Option<bool>,
}

fn bool_as_string<S: serde::Serializer>(b: &Option<bool>, s: S) -> Result<S::Ok, S::Error> {
    match b {
        Some(b) => s.serialize_str(if *b { "true" } else { "false" }),
        None => s.serialize_none(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethod {
    pub payment_method_type: String,
    /// The card token when paying with a stored card.
    #[serde(default, serialize_with = "expose_opt", skip_serializing_if = "Option::is_none")]
    pub payment_method_id: Option<CardToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_meta_data: Option<PaymentMethodMetaData>,
}

/// `paymentFactor`: required for card payments (§9.1).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentFactor {
    #[serde(default, deserialize_with = "de_bool_lenient", skip_serializing_if = "Option::is_none")]
    pub is_authorization: Option<bool>,
    /// `AUTOMATIC` (captured with the authorisation) or `MANUAL` (`capture` later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_mode: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SettlementStrategy {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_currency: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayRequest {
    pub product_code: String,
    pub payment_request_id: String,
    pub payment_amount: Amount,
    pub order: Order,
    pub payment_method: PaymentMethod,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_factor: Option<PaymentFactor>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settlement_strategy: Option<SettlementStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub env: Option<Env>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_notify_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_redirect_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_region: Option<String>,
}

/// Who starts a charge of a saved card, in the card schemes' terms (§9.6).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Initiator {
    /// The customer takes part (at the till): customer-initiated (CIT). Sent with
    /// `enableAuthenticationUpgrade`, so a scheme that wants 3D Secure gets a challenge.
    #[default]
    Customer,
    /// The merchant charges under the customer's earlier agreement, the customer absent (MIT):
    /// no 3D Secure. `network_transaction_id` is the card's first customer-initiated charge's;
    /// for a card that has none yet (bound by createVaultingSession, never charged with the
    /// customer present) what to send is UNCONFIRMED: our choice is to send `isCardOnFile` alone.
    Merchant { network_transaction_id: Option<String>, recurring_type: Option<String> },
}

/// What a card-on-file charge says about itself, beyond amount and token.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ChargeDetails {
    pub reference_order_id: Option<String>,
    pub description: String,
    pub reference_buyer_id: Option<String>,
    pub initiator: Initiator,
    pub notify_url: Option<String>,
    pub merchant_region: Option<String>,
    /// `settlementStrategy.settlementCurrency`: a contract matter (several settlement
    /// currencies), not the charge's currency; absent unless the shop set one.
    pub settlement_currency: Option<String>,
    pub env: Option<Env>,
}

impl PayRequest {
    /// A customer-initiated card-on-file payment with a vaulted token (`isCardOnFile = true`),
    /// captured automatically. `redirect_url` (`paymentRedirectUrl`, required by Antom) is where
    /// a 3D Secure page sends the buyer afterwards.
    pub fn card_on_file(
        payment_request_id: impl Into<String>,
        token: CardToken,
        amount: Amount,
        order_description: impl Into<String>,
        redirect_url: impl Into<String>,
    ) -> Self {
        Self::charge(
            payment_request_id,
            token,
            amount,
            redirect_url,
            ChargeDetails { description: order_description.into(), ..ChargeDetails::default() },
        )
    }

    pub fn charge(
        payment_request_id: impl Into<String>,
        token: CardToken,
        amount: Amount,
        redirect_url: impl Into<String>,
        d: ChargeDetails,
    ) -> Self {
        let id = payment_request_id.into();
        let meta = match d.initiator {
            Initiator::Customer => PaymentMethodMetaData {
                is_card_on_file: Some(true),
                enable_authentication_upgrade: Some(true),
                ..PaymentMethodMetaData::default()
            },
            Initiator::Merchant { network_transaction_id, recurring_type } => PaymentMethodMetaData {
                is_card_on_file: Some(true),
                network_transaction_id,
                recurring_type,
                ..PaymentMethodMetaData::default()
            },
        };
        PayRequest {
            product_code: "CASHIER_PAYMENT".into(),
            payment_request_id: id.clone(),
            payment_amount: amount.clone(),
            order: Order {
                reference_order_id: d.reference_order_id.unwrap_or(id),
                order_description: d.description,
                order_amount: amount.clone(),
                buyer: d.reference_buyer_id.map(|b| Buyer { reference_buyer_id: Some(b) }),
            },
            payment_method: PaymentMethod {
                payment_method_type: "CARD".into(),
                payment_method_id: Some(token),
                payment_method_meta_data: Some(meta),
            },
            payment_factor: Some(PaymentFactor {
                is_authorization: Some(true),
                capture_mode: Some("AUTOMATIC".into()),
            }),
            settlement_strategy: d.settlement_currency.map(|c| SettlementStrategy { settlement_currency: Some(c) }),
            env: Some(d.env.unwrap_or(Env { terminal_type: Some("WEB".into()), ..Env::default() })),
            payment_notify_url: d.notify_url,
            payment_redirect_url: Some(redirect_url.into()),
            merchant_region: d.merchant_region,
        }
    }
}

/// `redirectActionForm`: where the buyer goes for a 3D Secure challenge.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectActionForm {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameters: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ThreeDsResult {
    #[serde(default, rename = "threeDSVersion", skip_serializing_if = "Option::is_none")]
    pub three_ds_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eci: Option<String>,
}

/// `paymentResultInfo` of a card payment. `cardNo` here is Antom's *masked* number; the
/// `cardToken` Antom may echo is not kept (the app has it already).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentResultInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card_brand: Option<String>,
    #[serde(default, rename = "cardNo", skip_serializing_if = "Option::is_none")]
    pub masked_card_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_four: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub network_transaction_id: Option<String>,
    #[serde(default, rename = "threeDSResult", skip_serializing_if = "Option::is_none")]
    pub three_ds_result: Option<ThreeDsResult>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_code_raw: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reason_raw: Option<String>,
    /// The issuer's authorisation code. UNCONFIRMED: the SDKs' PaymentResultInfo has no such
    /// field (it may come as `acquirerInfo`); read when present, never required.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_action_form: Option<RedirectActionForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_info: Option<PaymentResultInfo>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryPaymentRequest {
    /// Ours; `paymentId` wins when both are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_id: Option<String>,
}

/// `paymentStatus` / `refundStatus` (Go `TransactionStatusType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TransactionStatus {
    Success,
    Fail,
    Processing,
    Cancelled,
    /// "Completed by the buyer, waiting for the final result": still open.
    Pending,
    /// A value Antom has not documented: read as still open (asked about again).
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryPaymentResponse {
    /// Whether the *inquiry* worked, not the payment's result.
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_status: Option<TransactionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_create_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_action_form: Option<RedirectActionForm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_result_info: Option<PaymentResultInfo>,
    /// The payment's captures, refunds, cancels once there are any (§9.1): how a client without a
    /// listener learns the capture's result.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transactions: Vec<Transaction>,
}

/// One entry of inquiryPayment's `transactions[]` (Java `model/ams/Transaction.java`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// `PAYMENT`, `REFUND`, `CAPTURE`, `CANCEL`, `AUTHORIZATION`, `VOID`, `INCREMENTAL`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_status: Option<TransactionStatus>,
    /// `captureId` for a capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_id: Option<String>,
    /// `captureRequestId` for a capture.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_result: Option<AntomResult>,
}

/// The `transactionType` of a capture.
pub const CAPTURE: &str = "CAPTURE";

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CancelResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// The idempotency key of the refund.
    pub refund_request_id: String,
    pub payment_id: String,
    pub refund_amount: Amount,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_notify_url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefundResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryRefundRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquiryRefundResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_amount: Option<Amount>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_status: Option<TransactionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_time: Option<String>,
}
