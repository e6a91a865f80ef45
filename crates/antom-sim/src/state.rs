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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Payment {
    pub payment_id: String,
    pub amount_currency: String,
    pub amount_value: String,
    pub card_token: String,
    /// The request's fingerprint (idempotency compares every field).
    #[serde(default)]
    pub request_fingerprint: String,
    /// The exact response body first returned, replayed for repeats.
    pub response: serde_json::Value,
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
    pub payments: HashMap<String, Payment>,
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

    /// The card a token stands for, if this client bound it.
    pub fn card_by_token(&self, client_id: &str, card_token: &str) -> Option<&Card> {
        self.vaultings
            .values()
            .filter(|v| v.client_id == client_id && v.status == Status::Success)
            .filter_map(|v| v.card.as_ref())
            .find(|c| c.token == card_token)
    }

    pub fn load(dir: &Path) -> std::io::Result<State> {
        let path = dir.join("state.json");
        match std::fs::read(&path) {
            Ok(bytes) => {
                serde_json::from_slice(&bytes).map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(e),
        }
    }

    /// Write atomically (temp file, then rename).
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let tmp: PathBuf = dir.join("state.json.tmp");
        std::fs::write(&tmp, serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?)?;
        std::fs::rename(&tmp, dir.join("state.json"))
    }
}
