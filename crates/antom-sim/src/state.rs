//! The simulator's memory: vaultings per (client id, vaultingRequestId), card tokens, payments and
//! a log of notification attempts. Optionally saved to a state directory after every change.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Status {
    /// Session created; no card submitted yet.
    SessionCreated,
    /// A card was submitted and is being verified (3DS challenge open, or a slow issuer).
    Processing,
    Success,
    Fail,
}

impl Status {
    pub fn is_final(self) -> bool {
        matches!(self, Status::Success | Status::Fail)
    }
}

/// A bound card as "Antom" keeps it. The token is the simulator's own; it is Antom's side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    pub token: String,
    pub brand: String,
    pub bin: String,
    pub last4: String,
    pub expiry_month: String,
    pub expiry_year: String,
    pub fingerprint: String,
    pub holder_name: Option<String>,
    pub funding: String,
    pub issuing_country: String,
}

impl Card {
    pub fn masked(&self) -> String {
        format!("************{}", self.last4)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vaulting {
    pub client_id: String,
    pub request_id: String,
    /// createVaultingSession or vaultPaymentMethod.
    pub via_session: bool,
    pub token: String,
    pub session_id: String,
    pub session_data: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    pub notification_url: String,
    pub redirect_url: Option<String>,
    pub merchant_region: Option<String>,
    pub is_3ds: Option<bool>,
    pub status: Status,
    pub result_code: Option<String>,
    pub result_message: Option<String>,
    /// The bound card (SUCCESS), or the card under verification (PROCESSING).
    pub card: Option<Card>,
    /// The code the 3DS challenge expects, while one is open.
    pub challenge_code: Option<String>,
    /// When a slow verification completes.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ready_at: Option<OffsetDateTime>,
    /// Wrong 3DS codes entered.
    #[serde(default)]
    pub challenge_failures: u32,
    /// The creating request's fingerprint (idempotency compares every field).
    #[serde(default)]
    pub request_fingerprint: String,
    /// deleteToken was called: the token can no longer be charged or inquired.
    #[serde(default)]
    pub token_deleted: bool,
}

/// Where a payment is (Antom's `paymentStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PayStatus {
    /// 3D Secure open, or the issuer is slow.
    Processing,
    /// Authorised and captured (automatic capture).
    #[default]
    Success,
    Fail,
    /// Voided before settlement.
    Cancelled,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_id: String,
    #[serde(default)]
    pub client_id: String,
    #[serde(default)]
    pub payment_request_id: String,
    pub amount_currency: String,
    pub amount_value: String,
    pub card_token: String,
    /// The request's fingerprint (idempotency compares every field).
    #[serde(default)]
    pub request_fingerprint: String,
    /// The first answer (kept for the record; repeats are answered from the current state).
    pub response: serde_json::Value,
    #[serde(default)]
    pub status: PayStatus,
    #[serde(default)]
    pub result_code: Option<String>,
    #[serde(default)]
    pub result_message: Option<String>,
    #[serde(default = "epoch", with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub paid_at: Option<OffsetDateTime>,
    /// When a slow issuer answers, and what (`None`: approves).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ready_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub decline_when_ready: Option<String>,
    /// `merchantRegion` as the merchant sent it.
    #[serde(default)]
    pub merchant_region: Option<String>,
    /// The code the payment's 3DS challenge expects, while one is open.
    #[serde(default)]
    pub challenge_code: Option<String>,
    #[serde(default)]
    pub challenge_failures: u32,
    /// Before this the payment can be cancelled; after it, only refunded.
    #[serde(default = "epoch", with = "time::serde::rfc3339")]
    pub settles_at: OffsetDateTime,
    #[serde(default)]
    pub notify_url: Option<String>,
    /// `paymentRedirectUrl`: where the 3D Secure page sends the buyer once the challenge is over.
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub brand: String,
    #[serde(default)]
    pub masked_card_no: String,
    #[serde(default)]
    pub network_transaction_id: String,
    #[serde(default)]
    pub authorization_code: String,
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub cancelled_at: Option<OffsetDateTime>,
    /// The payment went through a 3D Secure challenge.
    #[serde(default)]
    pub three_ds: bool,
    /// The automatic capture that follows an authorisation: when it happens, and how it ended.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub capture_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub capture: Option<Capture>,
    /// The pay was merchant-initiated (`networkTransactionId` or `recurringType` sent).
    #[serde(default)]
    pub merchant_initiated: bool,
}

/// The automatic capture of an authorised payment (§9.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Capture {
    pub capture_id: String,
    /// Which `captureRequestId` Antom gives an automatic capture is UNCONFIRMED: the simulator
    /// makes one of its own from the payment id.
    pub capture_request_id: String,
    pub succeeded: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

fn epoch() -> OffsetDateTime {
    OffsetDateTime::UNIX_EPOCH
}

/// A refund. Refunds are decided at once, except for the slow-refund test card's payments, which
/// stay PROCESSING for a while (how long Antom takes is UNCONFIRMED); notified when final and a
/// `refundNotifyUrl` was given.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Refund {
    pub refund_id: String,
    pub refund_request_id: String,
    pub client_id: String,
    pub payment_id: String,
    pub currency: String,
    /// Minor units.
    pub amount: u64,
    pub request_fingerprint: String,
    #[serde(with = "time::serde::rfc3339")]
    pub refunded_at: OffsetDateTime,
    pub notify_url: Option<String>,
    /// Still PROCESSING until then (the slow-refund test card).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub ready_at: Option<OffsetDateTime>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationAttempt {
    pub client_id: String,
    pub request_id: String,
    pub attempt: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// `ACKNOWLEDGED`, `NOT_ACKNOWLEDGED`, `UNREACHABLE`, `DROPPED` (fault), `DUPLICATE`,
    /// `NOT_LOOPBACK` (the simulator posts only to loopback addresses).
    pub outcome: String,
    pub detail: Option<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct State {
    pub vaultings: HashMap<String, Vaulting>,
    /// Keyed by [`key`] (client id, paymentRequestId).
    pub payments: HashMap<String, Payment>,
    /// Keyed by [`key`] (client id, refundRequestId).
    #[serde(default)]
    pub refunds: HashMap<String, Refund>,
    #[serde(default)]
    pub notifications: Vec<NotificationAttempt>,
}

pub fn key(client_id: &str, request_id: &str) -> String {
    format!("{client_id}\u{1f}{request_id}")
}

impl State {
    pub fn by_token(&self, token: &str) -> Option<&Vaulting> {
        self.vaultings.values().find(|v| v.token == token)
    }

    pub fn key_by_token(&self, token: &str) -> Option<String> {
        self.vaultings.iter().find(|(_, v)| v.token == token).map(|(k, _)| k.clone())
    }

    /// The card a token stands for, if this client bound it and has not deleted it.
    pub fn card_by_token(&self, client_id: &str, card_token: &str) -> Option<&Card> {
        self.vaultings
            .values()
            .filter(|v| v.client_id == client_id && v.status == Status::Success && !v.token_deleted)
            .filter_map(|v| v.card.as_ref())
            .find(|c| c.token == card_token)
    }

    /// A payment of this client by Antom's `paymentId`.
    pub fn payment_key_by_id(&self, client_id: &str, payment_id: &str) -> Option<String> {
        self.payments
            .iter()
            .find(|(_, p)| p.client_id == client_id && p.payment_id == payment_id)
            .map(|(k, _)| k.clone())
    }

    /// What has been refunded of a payment, in minor units.
    pub fn refunded(&self, payment_id: &str) -> u64 {
        self.refunds.values().filter(|r| r.payment_id == payment_id).map(|r| r.amount).sum()
    }

    fn file(seal: Option<&crate::config::StateSeal>) -> &'static str {
        if seal.is_some() {
            "state.sealed"
        } else {
            "state.json"
        }
    }

    /// Load the saved state (sealed when `seal` is given). A sealed file that does not open
    /// (another key: the keyring was reset) starts a fresh state, with a warning.
    pub fn load(dir: &Path, seal: Option<&crate::config::StateSeal>) -> std::io::Result<State> {
        let path = dir.join(Self::file(seal));
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(State::default()),
            Err(e) => return Err(e),
        };
        match Self::from_bytes(&bytes, seal) {
            Ok(st) => Ok(st),
            Err(FromBytes::DoesNotOpen) => {
                tracing::warn!(path = %path.display(), "the saved simulator state does not open; starting afresh");
                Ok(State::default())
            }
            Err(FromBytes::Garbled(e)) => Err(std::io::Error::other(format!("{}: {e}", path.display()))),
        }
    }

    /// Saved bytes back to a state: opened with `seal` when given, then JSON.
    pub fn from_bytes(bytes: &[u8], seal: Option<&crate::config::StateSeal>) -> Result<State, FromBytes> {
        let opened;
        let json = match seal {
            Some(s) => {
                opened = (s.open)(bytes).ok_or(FromBytes::DoesNotOpen)?;
                &opened[..]
            }
            None => bytes,
        };
        serde_json::from_slice(json).map_err(|e| FromBytes::Garbled(e.to_string()))
    }

    /// The state as saved bytes: JSON, sealed with `seal` when given.
    pub fn to_bytes(&self, seal: Option<&crate::config::StateSeal>) -> std::io::Result<Vec<u8>> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        Ok(match seal {
            Some(s) => (s.seal)(&json),
            None => json,
        })
    }

    /// Nothing recorded yet.
    pub fn is_empty(&self) -> bool {
        self.vaultings.is_empty()
            && self.payments.is_empty()
            && self.refunds.is_empty()
            && self.notifications.is_empty()
    }

    /// Write atomically (temp file, then rename).
    pub fn save(&self, dir: &Path, seal: Option<&crate::config::StateSeal>) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let file = Self::file(seal);
        let tmp: PathBuf = dir.join(format!("{file}.tmp"));
        std::fs::write(&tmp, self.to_bytes(seal)?)?;
        std::fs::rename(&tmp, dir.join(file))
    }
}

/// Why saved bytes did not give a state.
#[derive(Debug)]
pub enum FromBytes {
    /// Sealed with another key, or damaged.
    DoesNotOpen,
    /// Opened, but not a state this simulator reads.
    Garbled(String),
}

impl std::fmt::Display for FromBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FromBytes::DoesNotOpen => f.write_str("the saved records do not open with this key"),
            FromBytes::Garbled(e) => write!(f, "the saved records do not read: {e}"),
        }
    }
}
