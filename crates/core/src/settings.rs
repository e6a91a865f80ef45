//! Settings in the platform's config directory (`settings.json`), validated on load and before
//! every save. A file that cannot be read is reported, never overwritten, so nothing is lost.
//! No secret is ever stored here: keys live in the OS keyring ([`crate::secrets`]).

use crate::error::{AppError, AppResult, ErrorCode};
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

pub const FILE: &str = "settings.json";
pub use crate::i18n::LOCALES;

crate::wire_enum! {
    /// Which Antom the app talks to. Its name (`as_str`) is the one in settings, the keyring and
    /// the database file names.
    pub enum Environment {
        /// The embedded Antom simulator on loopback: no real cards, no real money.
        Demo = "demo",
        /// Antom's sandbox (`SANDBOX_` client ids).
        Sandbox = "sandbox",
        /// Antom production.
        Production = "production",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct KioskSettings {
    pub enabled: bool,
    /// Seconds without input before "Are you still there?".
    pub idle_seconds: u32,
    /// How long "Are you still there?" counts down before the kiosk starts over.
    pub countdown_seconds: u32,
}

impl Default for KioskSettings {
    fn default() -> Self {
        KioskSettings { enabled: false, idle_seconds: 60, countdown_seconds: 20 }
    }
}

/// Where the shop's cards, payments, staff and activity log are kept ([`crate::db`]). Changed
/// only by `ops::shop_database_set` (an owner's PIN, a connection test, the move if asked):
/// saving the rest of the settings keeps it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct ShopDatabase {
    /// The shop's shared PostgreSQL, whose address (with its password) is in the OS keyring;
    /// false: this computer's own database files.
    pub shared: bool,
    /// `host:port/database` of the shared server, for people to read (never the password).
    pub server: Option<String>,
    /// A CA certificate (PEM file) trusted for the server's certificate besides the system's.
    pub ca_file: Option<String>,
}

/// Scheduled encrypted backups ([`crate::backup`]). The passphrase is kept in the OS keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct BackupSettings {
    /// Where backups go (an absolute path); unset: backups are made by hand only.
    pub folder: Option<String>,
    /// Hours between scheduled backups (0: none scheduled).
    pub every_hours: u32,
    /// How many scheduled backups to keep in the folder (the oldest are removed).
    pub keep: u32,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings { folder: None, every_hours: 0, keep: 7 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    pub environment: Environment,
    /// Antom region for sandbox and production: SG, NA, US or DE.
    pub region: Option<String>,
    /// Overrides the region's host (a proxy or another Antom host).
    pub base_url: Option<String>,
    pub client_id: Option<String>,
    /// `merchantRegion` sent with card sessions and payments: the ISO 3166 alpha-2 code of the
    /// country the shop trades in (`SG`, `BR`), for Antom's acquirer routing; none: not sent.
    /// UNCONFIRMED which codes Antom accepts beyond the shape: any two capital letters are
    /// sent as typed (the tolerant reading), and Antom's answer says if one is refused.
    pub merchant_region: Option<String>,
    /// `merchantAccountId`, which Antom's token APIs (deleteToken, inquireToken) require: the
    /// shop's merchant account (at most 64 characters; Antom's sample is a 16-digit number).
    /// Where a merchant without sub-accounts finds it (Antom Dashboard or Antom support) is
    /// UNCONFIRMED. Without it a removed card stays "removal pending".
    pub merchant_account_id: Option<String>,
    /// `settlementStrategy.settlementCurrency`: the currency Antom settles to the shop in, for a
    /// contract with several (ISO 4217); none: not sent, the contract decides.
    pub settlement_currency: Option<String>,
    /// `env.clientIp` on card charges: the shop's public address as Antom sees it, when the
    /// owner knows it; none: the till's own address on the route to Antom.
    pub client_ip: Option<String>,
    /// The shop's name as customers know it (named in the consent text).
    pub shop_name: Option<String>,
    /// The shop's currency, ISO 4217 (`EUR`); amounts are in its minor units ([`crate::money`]).
    pub currency: Option<String>,
    /// The first-run screen was finished or skipped.
    pub welcome_done: bool,
    /// A cashier's charge above this many minor units of the shop's currency needs a manager's
    /// approval. None: [`DEFAULT_CHARGE_LIMIT`] major units. There is always a limit (issue 29).
    #[ts(type = "number | null")]
    pub charge_limit: Option<i64>,
    /// What a cashier may charge alone within 24 hours, in minor units; beyond it each charge
    /// needs a manager's approval. None: [`DEFAULT_DAILY_LIMIT`] major units.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub daily_charge_limit: Option<i64>,
    /// Where Antom posts notifyVaulting. Required by Antom; a desktop without a public address
    /// polls inquireVaulting and may leave the default. Outside demo mode it must be https.
    pub notification_url: Option<String>,
    /// The local address the notification listener listens on (`127.0.0.1:8787`, behind a
    /// reverse proxy or tunnel that serves the notification URL); no listener when unset.
    pub listener_bind: Option<String>,
    /// UI language; chosen from the OS at first start when unset.
    pub locale: Option<String>,
    pub kiosk: KioskSettings,
    /// Minutes without a touch or key before a signed-in staff member is signed out: 1 to
    /// [`crate::staff::MAX_LOCK_MINUTES`] (earlier versions' 0, "never", is read as the maximum).
    pub lock_minutes: u32,
    pub backup: BackupSettings,
    pub shop_database: ShopDatabase,
    /// Which keyring key set holds each environment's Antom keys (`sandbox` → `k…`); an
    /// environment not named here uses the unversioned entries of earlier versions. Chosen by
    /// the backend when keys are imported, never by the UI ([`crate::secrets::Secrets::stage_keys`]).
    #[ts(skip)]
    pub key_sets: std::collections::BTreeMap<String, String>,
}

/// A key set's name: `k` and 1–40 of `[0-9a-z-]` (the settings file is outside data; a name
/// could otherwise reach any keyring entry).
pub fn is_key_set_name(name: &str) -> bool {
    name.len() <= 41
        && name.strip_prefix('k').is_some_and(|r| {
            !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-')
        })
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            environment: Environment::Demo,
            region: None,
            base_url: None,
            client_id: None,
            merchant_region: None,
            merchant_account_id: None,
            settlement_currency: None,
            client_ip: None,
            shop_name: None,
            currency: None,
            welcome_done: false,
            charge_limit: None,
            daily_charge_limit: None,
            notification_url: None,
            listener_bind: None,
            locale: None,
            kiosk: KioskSettings::default(),
            lock_minutes: 5,
            backup: BackupSettings::default(),
            shop_database: ShopDatabase::default(),
            key_sets: Default::default(),
        }
    }
}

/// A cashier's per-charge limit of a new shop, in major units of its currency (the welcome
/// screen and Settings show it; a shop may change it, never remove it).
pub const DEFAULT_CHARGE_LIMIT: i64 = 100;
/// A cashier's 24-hour total of a new shop, in major units.
pub const DEFAULT_DAILY_LIMIT: i64 = 500;
/// The largest limit a shop can set, in minor units (as the largest charge).
const MAX_AMOUNT: i64 = 9_999_999_999_999;

fn bad(field: &str, why: impl std::fmt::Display) -> AppError {
    AppError::in_field(ErrorCode::SettingsInvalid, field, why)
}

impl Settings {
    pub fn validate(&self) -> AppResult<()> {
        if let Some(c) = &self.currency {
            if crate::money::exponent(c).is_none() {
                return Err(bad("currency", "an ISO 4217 code from the list"));
            }
        }
        if let Some(r) = &self.merchant_region {
            if !antom::model::is_merchant_region(r) {
                return Err(bad("merchantRegion", "a two-letter ISO 3166 country code in capitals, e.g. SG"));
            }
        }
        if let Some(a) = &self.merchant_account_id {
            if a.is_empty() || a.len() > 64 || !a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-') {
                return Err(bad("merchantAccountId", "1 to 64 letters, digits, - or _ (as Antom gave it)"));
            }
        }
        if let Some(c) = &self.settlement_currency {
            if crate::money::exponent(c).is_none() {
                return Err(bad("settlementCurrency", "an ISO 4217 code from the list, or none"));
            }
        }
        if let Some(ip) = &self.client_ip {
            if ip.parse::<std::net::IpAddr>().is_err() {
                return Err(bad("clientIp", "an IPv4 or IPv6 address, or none"));
            }
        }
        if self.charge_limit.is_some_and(|l| !(1..=MAX_AMOUNT).contains(&l)) {
            return Err(bad("chargeLimit", "a positive amount in minor units (none: the default limit)"));
        }
        if self.daily_charge_limit.is_some_and(|l| !(1..=MAX_AMOUNT).contains(&l)) {
            return Err(bad("dailyChargeLimit", "a positive amount in minor units (none: the default limit)"));
        }
        for (env, set) in &self.key_sets {
            if Environment::parse(env).is_none() || !is_key_set_name(set) {
                return Err(bad("keySets", "names an unknown environment or a malformed key set"));
            }
        }
        if self.environment != Environment::Demo {
            let id = self.client_id.as_deref().map(str::trim).unwrap_or("");
            if id.is_empty() {
                return Err(bad("clientId", "required for the Antom sandbox and production"));
            }
            let sandbox_id = antom::gateway::is_sandbox_client(id);
            if self.environment == Environment::Sandbox && !sandbox_id {
                return Err(bad("clientId", "sandbox client ids start with SANDBOX_"));
            }
            if self.environment == Environment::Production && sandbox_id {
                return Err(bad("clientId", "a SANDBOX_ client id cannot be used in production"));
            }
            if self.region.is_none() && self.base_url.is_none() {
                return Err(bad("region", "choose a region (SG, NA, US, DE) or a base URL"));
            }
        }
        if let Some(n) = &self.shop_name {
            if n.trim().is_empty() || n.chars().count() > 80 {
                return Err(bad("shopName", "1 to 80 characters"));
            }
        }
        if let Some(r) = &self.region {
            r.parse::<antom::Region>().map_err(|e| bad("region", e))?;
        }
        if let Some(u) = &self.base_url {
            antom::Gateway::custom(u).map_err(|e| bad("baseUrl", e))?;
        }
        if let Some(b) = &self.listener_bind {
            b.trim()
                .parse::<std::net::SocketAddr>()
                .map_err(|_| bad("listenerBind", "an address and port, e.g. 127.0.0.1:8787"))?;
        }
        if self.environment != Environment::Demo
            && self.notification_url.as_deref().is_some_and(|u| !u.starts_with("https://"))
        {
            return Err(bad("notificationUrl", "Antom posts card results only to an https address outside demo mode"));
        }
        if self.listener_bind.is_some() && self.notification_url.is_none() {
            return Err(bad("notificationUrl", "the listener needs the public notification URL Antom posts to"));
        }
        if let Some(u) = &self.notification_url {
            if !(u.starts_with("https://") || u.starts_with("http://")) || u.len() > 2048 {
                return Err(bad("notificationUrl", "an http(s) URL of at most 2048 characters"));
            }
        }
        if let Some(l) = &self.locale {
            if !LOCALES.contains(&l.as_str()) {
                return Err(bad("locale", format!("one of {}", LOCALES.join(", "))));
            }
        }
        if !(15..=900).contains(&self.kiosk.idle_seconds) {
            return Err(bad("kiosk.idleSeconds", "between 15 and 900"));
        }
        if let Some(f) = &self.backup.folder {
            if !Path::new(f).is_absolute() || f.len() > 4096 {
                return Err(bad("backup.folder", "an absolute folder path"));
            }
        }
        if self.backup.every_hours > 24 * 7 {
            return Err(bad("backup.everyHours", "0 (not scheduled) to 168"));
        }
        if self.backup.every_hours > 0 && self.backup.folder.is_none() {
            return Err(bad("backup.folder", "choose a folder for scheduled backups"));
        }
        if !(1..=100).contains(&self.backup.keep) {
            return Err(bad("backup.keep", "1 to 100"));
        }
        if !(1..=crate::staff::MAX_LOCK_MINUTES).contains(&self.lock_minutes) {
            return Err(bad("lockMinutes", format!("1 to {} minutes", crate::staff::MAX_LOCK_MINUTES)));
        }
        if !(5..=60).contains(&self.kiosk.countdown_seconds) {
            return Err(bad("kiosk.countdownSeconds", "between 5 and 60"));
        }
        Ok(())
    }

    /// The gateway for sandbox and production.
    pub fn gateway(&self) -> AppResult<antom::Gateway> {
        gateway(self.base_url.as_deref(), self.region.as_deref())
    }

    /// Load, or the defaults (demo mode) when there is no file yet.
    pub fn load(config_dir: &Path) -> AppResult<Settings> {
        let path = config_dir.join(FILE);
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(e) => {
                return Err(AppError::new(ErrorCode::SettingsInvalid, format!("cannot read {}: {e}", path.display())))
            }
        };
        let s: Settings = serde_json::from_slice(&bytes).map_err(|e| {
            AppError::new(
                ErrorCode::SettingsInvalid,
                format!("{} is not valid settings ({e}); it was left untouched", path.display()),
            )
        })?;
        let mut s = s;
        if s.lock_minutes == 0 {
            // "never", which earlier versions offered: the longest lock time there is now
            s.lock_minutes = crate::staff::MAX_LOCK_MINUTES;
        }
        s.validate()?;
        Ok(s)
    }

    /// A cashier's limits in `currency`'s minor units: per charge, and per 24 hours. What the
    /// shop chose, else the defaults ([`DEFAULT_CHARGE_LIMIT`], [`DEFAULT_DAILY_LIMIT`] major
    /// units): never none.
    pub fn cashier_limits(&self, currency: &str) -> (i64, i64) {
        let unit = 10i64.pow(u32::from(crate::money::exponent(currency).unwrap_or(2)));
        (
            self.charge_limit.unwrap_or(DEFAULT_CHARGE_LIMIT * unit),
            self.daily_charge_limit.unwrap_or(DEFAULT_DAILY_LIMIT * unit),
        )
    }

    /// Validate, then write atomically (temp file, fsync, rename).
    pub fn save(&self, config_dir: &Path) -> AppResult<()> {
        self.validate()?;
        std::fs::create_dir_all(config_dir).map_err(|e| {
            AppError::new(ErrorCode::DataDirUnavailable, format!("cannot create {}: {e}", config_dir.display()))
        })?;
        let tmp = config_dir.join(format!("{FILE}.tmp"));
        let write = || -> std::io::Result<()> {
            use std::io::Write;
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&serde_json::to_vec_pretty(self).expect("settings serialise"))?;
            f.sync_all()?;
            std::fs::rename(&tmp, config_dir.join(FILE))
        };
        write().map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            let code =
                if crate::error::is_disk_full(&e) { ErrorCode::StorageFull } else { ErrorCode::DataDirUnavailable };
            AppError::new(code, format!("cannot save settings: {e}; the previous settings are unchanged"))
        })
    }
}

/// The gateway a base URL (first) or a region names, for sandbox and production.
pub fn gateway(base_url: Option<&str>, region: Option<&str>) -> AppResult<antom::Gateway> {
    if let Some(u) = base_url {
        return antom::Gateway::custom(u).map_err(|e| bad("baseUrl", e));
    }
    let r = region.ok_or_else(|| bad("region", "not set"))?;
    Ok(antom::Gateway::region(r.parse().map_err(|e| bad("region", e))?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_validate_and_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), Settings::default());
        let s = Settings {
            environment: Environment::Sandbox,
            region: Some("SG".into()),
            client_id: Some("SANDBOX_5X00000000000000".into()),
            locale: Some("ko".into()),
            ..Settings::default()
        };
        s.save(dir.path()).unwrap();
        assert_eq!(Settings::load(dir.path()).unwrap(), s);
        assert_eq!(s.gateway().unwrap().origin(), "https://open-sea-global.alipay.com");
    }

    #[test]
    fn the_notification_url_is_https_outside_demo_and_the_listener_needs_one() {
        let sandbox = Settings {
            environment: Environment::Sandbox,
            client_id: Some("SANDBOX_1".into()),
            region: Some("SG".into()),
            ..Settings::default()
        };
        let http = Settings { notification_url: Some("http://shop.example/n".into()), ..sandbox.clone() };
        assert!(http.validate().unwrap_err().message.starts_with("notificationUrl"));
        let https = Settings { notification_url: Some("https://shop.example/n".into()), ..sandbox.clone() };
        https.validate().unwrap();
        let demo_http = Settings { notification_url: Some("http://127.0.0.1:9/n".into()), ..Settings::default() };
        demo_http.validate().unwrap();
        let no_url = Settings { listener_bind: Some("127.0.0.1:8787".into()), ..sandbox.clone() };
        assert!(no_url.validate().unwrap_err().message.starts_with("notificationUrl"));
        let bad_bind = Settings { listener_bind: Some("nowhere".into()), ..https.clone() };
        assert!(bad_bind.validate().unwrap_err().message.starts_with("listenerBind"));
        Settings { listener_bind: Some("127.0.0.1:8787".into()), ..https }.validate().unwrap();
    }

    #[test]
    fn the_merchant_region_is_two_capital_letters_or_none() {
        for bad in ["sg", "S", "SGP", "S1", "É1", ""] {
            let s = Settings { merchant_region: Some(bad.into()), ..Settings::default() };
            assert!(s.validate().unwrap_err().message.starts_with("merchantRegion"), "{bad:?}");
        }
        for good in [None, Some("SG"), Some("BR")] {
            Settings { merchant_region: good.map(Into::into), ..Settings::default() }.validate().unwrap();
        }
    }

    #[test]
    fn a_file_from_an_earlier_version_still_loads() {
        // Fields a version does not know are ignored, so a file written by another version keeps
        // loading with everything else it holds.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            br#"{"environment":"demo","shopName":"Loja","somethingNewer":"127.0.0.1:9"}"#,
        )
        .unwrap();
        let s = Settings::load(dir.path()).unwrap();
        assert_eq!(s.shop_name.as_deref(), Some("Loja"));
    }

    #[test]
    fn invalid_settings_name_the_field_and_a_broken_file_is_kept() {
        let cases = [
            (Settings { environment: Environment::Sandbox, ..Settings::default() }, "clientId"),
            (
                Settings {
                    environment: Environment::Production,
                    client_id: Some("SANDBOX_1".into()),
                    region: Some("SG".into()),
                    ..Settings::default()
                },
                "clientId",
            ),
            (
                Settings {
                    environment: Environment::Production,
                    client_id: Some("2188".into()),
                    ..Settings::default()
                },
                "region",
            ),
            (Settings { base_url: Some("http://example.com".into()), ..Settings::default() }, "baseUrl"),
            (Settings { locale: Some("xx".into()), ..Settings::default() }, "locale"),
            (
                Settings {
                    kiosk: KioskSettings { enabled: true, idle_seconds: 1, countdown_seconds: 20 },
                    ..Settings::default()
                },
                "kiosk.idleSeconds",
            ),
            (Settings { lock_minutes: 241, ..Settings::default() }, "lockMinutes"),
            (Settings { lock_minutes: 0, ..Settings::default() }, "lockMinutes"),
        ];
        for (s, field) in cases {
            let e = s.validate().unwrap_err();
            assert_eq!(e.code, ErrorCode::SettingsInvalid);
            assert!(e.message.starts_with(field), "{field}: {}", e.message);
        }
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), b"{ not json").unwrap();
        let e = Settings::load(dir.path()).unwrap_err();
        assert_eq!(e.code, ErrorCode::SettingsInvalid);
        assert_eq!(std::fs::read(dir.path().join(FILE)).unwrap(), b"{ not json", "left untouched");
    }
}
