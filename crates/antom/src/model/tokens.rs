//! The token lifecycle (§9.3): deleteToken, inquireToken.

use super::vaulting::*;
use crate::sensitive::{expose, expose_opt};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------------------------------------
// token lifecycle (§9.3): deleteToken, inquireToken (Java `request/ams/vaults/*`)

/// deleteToken: both fields REQUIRED (§9.3; an earlier reading had the account optional).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteTokenRequest {
    /// The merchant account (≤ 64), a setting of the shop's.
    pub merchant_account_id: String,
    /// The card token (≤ 255 here, though a `cardToken` may be documented up to 2048).
    #[serde(serialize_with = "expose")]
    pub token: CardToken,
}

/// deleteToken's answer is `result` alone: it says whether the *call* worked, and echoes nothing
/// that ties it to the token asked about. What binds it instead: the signed `response-time`
/// (checked against the request's own time, `Endpoint::unbound_answer` in `api.rs`) and the
/// inquireToken that follows it (which echoes the token while it exists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteTokenResponse {
    pub result: AntomResult,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquireTokenRequest {
    pub merchant_account_id: String,
    #[serde(serialize_with = "expose")]
    pub token: CardToken,
}

/// inquireToken's answer, flat (Java `AlipayInquireTokenResponse`): `token` is there while the
/// token exists. Reading an S answer *without* `token` as "no such token" is our reading of
/// "present when the token exists" (UNCONFIRMED).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InquireTokenResponse {
    pub result: AntomResult,
    #[serde(default, serialize_with = "expose_opt", skip_serializing_if = "Option::is_none")]
    pub token: Option<CardToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_holder_name: Option<UserName>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuing_country: Option<String>,
    /// Whether this is the card's or the token's expiry is UNCONFIRMED.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_expiry_time: Option<String>,
}
