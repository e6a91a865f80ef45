//! What a new till receives when an owner admits it (sealed to it by [`super::pairing`]), and
//! what it adopts: every environment's keys, and the shop's Antom account and money rules. The
//! format is written and read here only.

use crate::error::{AppError, AppResult, ErrorCode};
use crate::secrets::Secrets;
use crate::settings::{Environment, Settings};
use antom::Sensitive;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Keys {
    /// (environment, keyring entry name, value) of each of the shop's secrets.
    secrets: Vec<(String, String, String)>,
    settings: Settings,
    /// The shop's identity ([`super::identity`]); none from a version before it.
    #[serde(default)]
    shop: Option<String>,
    /// The shop's row key ([`super::seals`]), hex; none from a version before it.
    #[serde(default)]
    row_key: Option<String>,
    /// The shop has had staff: the new till never opens in open mode on it.
    #[serde(default)]
    had_staff: bool,
    /// The address the new till works through: its own database role's (none where the owner's
    /// till holds no admin address: it keeps the one it joined with).
    #[serde(default)]
    database_url: Option<String>,
}

/// What an owner's till hands a new till: its keys (every environment's), the shop's row key,
/// its settings and the shop's identity.
pub fn offer(
    settings: &Settings,
    shop: &str,
    had_staff: bool,
    database_url: Option<&Sensitive<String>>,
) -> AppResult<Sensitive<Vec<u8>>> {
    let mut secrets = Vec::new();
    for env in Environment::ALL {
        for (user, value) in Secrets::for_settings(settings, *env).export()? {
            let name = user.split_once('/').map(|(_, n)| n.to_string()).unwrap_or(user);
            secrets.push((env.as_str().to_string(), name, value.expose().clone()));
        }
    }
    let row_key = crate::secrets::row_key()?.map(|k| k.to_hex().expose().clone());
    let database_url = database_url.map(|u| u.expose().clone());
    let keys =
        Keys { secrets, settings: settings.clone(), shop: Some(shop.to_string()), row_key, had_staff, database_url };
    serde_json::to_vec(&keys).map(Sensitive::new).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))
}

/// A payload a joining till received, read.
pub struct Received(Keys);

/// Read what the owner's till sent.
pub fn read(payload: &[u8]) -> AppResult<Received> {
    serde_json::from_slice(payload).map(Received).map_err(|e| {
        AppError::new(ErrorCode::PairingRefused, format!("the owner's till sent keys this till cannot read: {e}"))
    })
}

impl Received {
    /// The shop's identity the owner's till sent.
    pub fn shop_identity(&self) -> Option<&str> {
        self.0.shop.as_deref()
    }

    /// This till's settings with the shop's Antom account and money rules; the till keeps its
    /// own language, kiosk, listener, backups and database address.
    pub fn adopt(&self, mine: &Settings) -> Settings {
        let shop = &self.0.settings;
        let mut s = mine.clone();
        s.environment = shop.environment;
        s.region = shop.region.clone();
        s.base_url = shop.base_url.clone();
        s.client_id = shop.client_id.clone();
        s.merchant_region = shop.merchant_region.clone();
        s.shop_name = shop.shop_name.clone();
        s.currency = shop.currency.clone();
        s.charge_limit = shop.charge_limit;
        s.daily_charge_limit = shop.daily_charge_limit;
        s.merchant_account_id = shop.merchant_account_id.clone();
        s.settlement_currency = shop.settlement_currency.clone();
        s.notification_url = shop.notification_url.clone();
        s.welcome_done = true;
        s
    }

    /// The address of the new till's own database role, if the owner's till made one.
    pub fn database_url(&self) -> Option<Sensitive<String>> {
        self.0.database_url.clone().map(Sensitive::new)
    }

    /// The shop has had staff.
    pub fn had_staff(&self) -> bool {
        self.0.had_staff
    }

    /// Put the keys into this till's keyring, under the key sets `settings` names (the row key
    /// first: it is what this till checks the shop's rows with).
    pub fn import_keys(&self, settings: &Settings) -> AppResult<()> {
        if let Some(hex) = &self.0.row_key {
            let key = crate::crypto::RowKey::from_hex(hex)
                .map_err(|_| AppError::new(ErrorCode::PairingRefused, "the owner's till sent a malformed row key"))?;
            crate::secrets::set_row_key(&key)?;
        }
        for env in Environment::ALL {
            let entries: Vec<(String, Sensitive<String>)> = self
                .0
                .secrets
                .iter()
                .filter(|(e, _, _)| e == env.as_str())
                .map(|(_, n, v)| (n.clone(), Sensitive::new(v.clone())))
                .collect();
            Secrets::for_settings(settings, *env).import(&entries)?;
        }
        Ok(())
    }
}
