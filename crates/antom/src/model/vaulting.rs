//! The shared pieces of every body (the result envelope, lenient booleans, `env`, names) and
//! the vaulting APIs (§4–§8): createVaultingSession, inquireVaulting, vaultPaymentMethod.

use crate::sensitive::{expose, expose_opt, Sensitive};
use serde::{Deserialize, Deserializer, Serialize};

/// A card token: sensitive, never logged.
pub type CardToken = Sensitive<String>;

/// `resultStatus`: S success, F failure, U unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ResultStatus {
    S,
    F,
    /// Also what any status value we do not recognise becomes: an unknown outcome is the safe
    /// reading (a tolerant choice; Antom documents only S, F and U).
    #[serde(other)]
    U,
}

/// The `result` object of every response and notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AntomResult {
    pub result_code: String,
    pub result_status: ResultStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_message: Option<String>,
}

/// What a caller should do with a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultClass {
    /// `S`.
    Success,
    /// `F`: final. Do not retry with the same request id.
    Failed,
    /// `U` that the same request may be sent again for (same `vaultingRequestId`).
    RetrySame,
    /// `U` that must not be repeated as is: `VERIFICATION_IN_PROCESS`, `PAYMENT_IN_PROCESS`
    /// (wait for the buyer or the issuer, and poll or wait for the notification).
    Pending,
}

impl AntomResult {
    pub fn new(code: &str, status: ResultStatus, message: &str) -> Self {
        AntomResult { result_code: code.into(), result_status: status, result_message: Some(message.into()) }
    }

    pub fn success() -> Self {
        AntomResult::new(crate::codes::SUCCESS, ResultStatus::S, "success.")
    }

    pub fn is_success(&self) -> bool {
        self.result_status == ResultStatus::S
    }

    /// Classification per the reference's result-code tables (§4.3, §5.3, §7.3, §12).
    pub fn class(&self) -> ResultClass {
        match self.result_status {
            ResultStatus::S => ResultClass::Success,
            ResultStatus::F => ResultClass::Failed,
            ResultStatus::U => match self.result_code.as_str() {
                crate::codes::VERIFICATION_IN_PROCESS | crate::codes::PAYMENT_IN_PROCESS => ResultClass::Pending,
                // UNKNOWN_EXCEPTION, REQUEST_TRAFFIC_EXCEED_LIMIT (UNCONFIRMED, conventionally
                // retryable) and any other U: retry with the same request id.
                _ => ResultClass::RetrySame,
            },
        }
    }
}

/// Every response body has a `result`.
pub trait HasResult {
    fn result(&self) -> &AntomResult;
}

/// Deserialise `true`, `false`, `"true"`, `"false"` (any case) and null.
pub fn de_bool_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum B {
        Bool(bool),
        Str(String),
    }
    match Option::<B>::deserialize(d)? {
        None => Ok(None),
        Some(B::Bool(b)) => Ok(Some(b)),
        Some(B::Str(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(B::Str(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(B::Str(s)) => Err(serde::de::Error::custom(format!("expected true or false, got {s:?}"))),
    }
}

// ---------------------------------------------------------------------------------------------
// createVaultingSession (§5)

/// `merchantRegion` (createVaultingSession, vaultPaymentMethod, pay): an ISO 3166 alpha-2 code,
/// two capital letters (§5.1). Which codes Antom accepts beyond the shape is UNCONFIRMED.
pub fn is_merchant_region(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVaultingSessionRequest {
    /// Fixed `CARD` for Antom card binding.
    pub payment_method_type: String,
    pub vaulting_request_id: String,
    pub vaulting_notification_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_region: Option<String>,
    #[serde(
        rename = "is3DSAuthentication",
        default,
        deserialize_with = "de_bool_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_3ds_authentication: Option<bool>,
}

impl CreateVaultingSessionRequest {
    pub fn card(vaulting_request_id: impl Into<String>, notification_url: impl Into<String>) -> Self {
        CreateVaultingSessionRequest {
            payment_method_type: "CARD".into(),
            vaulting_request_id: vaulting_request_id.into(),
            vaulting_notification_url: notification_url.into(),
            redirect_url: None,
            merchant_region: None,
            is_3ds_authentication: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVaultingSessionResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_session_data: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_session_expiry_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_url: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// inquireVaulting (§7)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquireVaultingRequest {
    pub vaulting_request_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VaultingStatus {
    Success,
    Fail,
    Processing,
    /// A value Antom has not documented: read as still processing (the tolerant choice; the
    /// message stays usable and is asked about again), and logged where it is read.
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquireVaultingResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_status: Option<VaultingStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_detail: Option<PaymentMethodDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applink_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_result_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_result_message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Card data (§10)

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentMethodDetail {
    pub payment_method_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub card: Option<CardDetail>,
}

/// The card data a binding returns. Deliberately no `cardNo`/`cvv`: if Antom ever sends them they
/// are dropped on parsing. Every field is optional because which ones a standalone binding
/// populates is UNCONFIRMED (§10.2).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardDetail {
    #[serde(default, serialize_with = "expose_opt", skip_serializing_if = "Option::is_none")]
    pub card_token: Option<CardToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub masked_card_no: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, alias = "lastFour", skip_serializing_if = "Option::is_none")]
    pub last4: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_month: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiry_year: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardholder_name: Option<UserName>,
    #[serde(
        rename = "is3DSAuthentication",
        default,
        deserialize_with = "de_bool_lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_3ds_authentication: Option<bool>,
}

impl CardDetail {
    /// Last four digits: `last4` when given, else the tail of `maskedCardNo`.
    pub fn last_four(&self) -> Option<String> {
        if let Some(l) = self.last4.as_deref().filter(|l| l.len() == 4) {
            return Some(l.to_string());
        }
        let digits: String = self.masked_card_no.as_deref()?.chars().filter(|c| c.is_ascii_digit()).collect();
        (digits.len() >= 4).then(|| digits[digits.len() - 4..].to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserName {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middle_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// vaultPaymentMethod (§8): server-to-server, for PCI-qualified merchants only. The app never
// sends it; it exists for the simulator and for integrators.

/// Raw card input for `vaultPaymentMethod`. Kept apart from [`CardDetail`]; the number and CVV are
/// [`Sensitive`] and only exposed on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CardInput {
    #[serde(serialize_with = "expose")]
    pub card_no: Sensitive<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub brand: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cardholder_name: Option<UserName>,
    #[serde(default, serialize_with = "expose_opt", skip_serializing_if = "Option::is_none")]
    pub cvv: Option<Sensitive<String>>,
    pub expiry_year: String,
    pub expiry_month: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultPaymentMethodDetail {
    pub payment_method_type: String,
    pub card: CardInput,
}

/// `env`: the buyer's device as 3D Secure 2 and risk checks see it (§9.1, §10.3). Every field is
/// optional; cardbind sends what the till honestly knows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub os_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_info: Option<BrowserInfo>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_language: Option<String>,
    /// Minutes from UTC as `getTimezoneOffset()` gives them (UTC+2 → `-120`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone_offset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_width: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screen_height: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color_depth: Option<String>,
}

/// `env.browserInfo` (Java `model/ams/BrowserInfo.java`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BrowserInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accept_header: Option<String>,
    #[serde(default, deserialize_with = "de_bool_lenient", skip_serializing_if = "Option::is_none")]
    pub java_enabled: Option<bool>,
    #[serde(default, deserialize_with = "de_bool_lenient", skip_serializing_if = "Option::is_none")]
    pub java_script_enabled: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_agent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultPaymentMethodRequest {
    pub vaulting_request_id: String,
    pub vaulting_notification_url: String,
    pub redirect_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_region: Option<String>,
    pub payment_method_detail: VaultPaymentMethodDetail,
    pub env: Env,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merchant_account_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultPaymentMethodResponse {
    pub result: AntomResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vaulting_request_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_method_detail: Option<PaymentMethodDetail>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub normal_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applink_url: Option<String>,
}

/// The body of an error-only response (any endpoint), e.g. `INVALID_SIGNATURE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorResponse {
    pub result: AntomResult,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_as_strings_and_unknown_fields() {
        let r: CreateVaultingSessionRequest = serde_json::from_str(
            r#"{"paymentMethodType":"CARD","vaultingRequestId":"a","vaultingNotificationUrl":"u","is3DSAuthentication":"true","future":1}"#,
        )
        .unwrap();
        assert_eq!(r.is_3ds_authentication, Some(true));
        let r: CreateVaultingSessionRequest = serde_json::from_str(
            r#"{"paymentMethodType":"CARD","vaultingRequestId":"a","vaultingNotificationUrl":"u","is3DSAuthentication":false}"#,
        )
        .unwrap();
        assert_eq!(r.is_3ds_authentication, Some(false));
        assert!(serde_json::from_str::<CreateVaultingSessionRequest>(
            r#"{"paymentMethodType":"CARD","vaultingRequestId":"a","vaultingNotificationUrl":"u","is3DSAuthentication":"yes"}"#
        )
        .is_err());
    }

    #[test]
    fn card_detail_drops_raw_card_data_and_redacts_token() {
        let c: CardDetail = serde_json::from_str(
            r#"{"cardToken":"ALIPAYabc==","maskedCardNo":"************8764","brand":"VISA","cardNo":"4111111111111111","cvv":"123"}"#,
        )
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("ALIPAYabc"), "{dbg}");
        assert!(!dbg.contains("4111"), "{dbg}");
        assert_eq!(c.last_four().as_deref(), Some("8764"));
        let wire = serde_json::to_string(&c).unwrap();
        assert!(!wire.contains("cardNo") && !wire.contains("cvv"), "{wire}");
    }

    #[test]
    fn classification() {
        assert_eq!(AntomResult::success().class(), ResultClass::Success);
        assert_eq!(AntomResult::new("PROCESS_FAIL", ResultStatus::F, "").class(), ResultClass::Failed);
        assert_eq!(AntomResult::new("UNKNOWN_EXCEPTION", ResultStatus::U, "").class(), ResultClass::RetrySame);
        assert_eq!(AntomResult::new("VERIFICATION_IN_PROCESS", ResultStatus::U, "").class(), ResultClass::Pending);
        let odd: AntomResult = serde_json::from_str(r#"{"resultCode":"X","resultStatus":"Q"}"#).unwrap();
        assert_eq!(odd.result_status, ResultStatus::U);
    }
}
