//! Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), never in files or logs: the merchant private key, Antom's public key and the data
//! key that encrypts card tokens. Each environment has its own entries, so demo keys never mix
//! with sandbox or production keys.

use crate::crypto::DataKey;
use crate::db::Connection;
use crate::error::{AppError, ErrorCode};
use crate::settings::Environment;
use crate::store;
use antom::{MerchantPrivateKey, PublicKey, Sensitive};

pub const SERVICE: &str = crate::APP_IDENTIFIER;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    MerchantPrivateKey,
    AntomPublicKey,
    DataKey,
    /// Demo mode only: the in-process simulator's "Antom" private key.
    SimulatorPrivateKey,
    /// The data key a rotation is moving the tokens to ([`crate::rotation`]), until it is done.
    DataKeyNext,
}

impl SecretName {
    const ALL: [SecretName; 5] = [
        SecretName::MerchantPrivateKey,
        SecretName::AntomPublicKey,
        SecretName::DataKey,
        SecretName::SimulatorPrivateKey,
        SecretName::DataKeyNext,
    ];

    fn as_str(self) -> &'static str {
        match self {
            SecretName::MerchantPrivateKey => "merchant-private-key",
            SecretName::AntomPublicKey => "antom-public-key",
            SecretName::DataKey => "data-key",
            SecretName::SimulatorPrivateKey => "simulator-private-key",
            SecretName::DataKeyNext => "data-key-next",
        }
    }

    fn user(self, env: Environment) -> String {
        format!("{}/{}", env.as_str(), self.as_str())
    }

    /// The two Antom keys live in key sets ([`Secrets::stage_keys`]); the data key and the demo
    /// simulator's key are never switched.
    fn in_key_set(self) -> bool {
        matches!(self, SecretName::MerchantPrivateKey | SecretName::AntomPublicKey)
    }
}

/// The keyring entry of the passphrase scheduled backups are encrypted with (one for the
/// computer, never itself put in a backup).
const BACKUP_PASSPHRASE_USER: &str = "backup/passphrase";

fn backup_entry() -> Result<keyring::Entry, AppError> {
    keyring::Entry::new(SERVICE, BACKUP_PASSPHRASE_USER).map_err(|e| keyring_error(e, "backup passphrase"))
}

/// The passphrase scheduled backups use, if one was set.
pub fn backup_passphrase() -> Result<Option<Sensitive<String>>, AppError> {
    match backup_entry()?.get_password() {
        Ok(v) => Ok(Some(Sensitive::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e, "backup passphrase")),
    }
}

pub fn set_backup_passphrase(p: &Sensitive<String>) -> Result<(), AppError> {
    backup_entry()?.set_password(p.expose()).map_err(|e| keyring_error(e, "backup passphrase"))
}

/// The keyring entry of the shared database's address (it holds the password); one for the
/// computer, like the backup passphrase.
const SHOP_DATABASE_USER: &str = "shop-database/url";

fn shop_database_entry() -> Result<keyring::Entry, AppError> {
    keyring::Entry::new(SERVICE, SHOP_DATABASE_USER).map_err(|e| keyring_error(e, "shared database address"))
}

/// The shared database's address, if this computer was joined to one.
pub fn shop_database_url() -> Result<Option<Sensitive<String>>, AppError> {
    match shop_database_entry()?.get_password() {
        Ok(v) => Ok(Some(Sensitive::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e, "shared database address")),
    }
}

pub fn set_shop_database_url(url: &Sensitive<String>) -> Result<(), AppError> {
    shop_database_entry()?.set_password(url.expose()).map_err(|e| keyring_error(e, "shared database address"))
}

pub fn delete_shop_database_url() -> Result<(), AppError> {
    match shop_database_entry()?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e, "shared database address")),
    }
}

/// The identity of the shop this till belongs to ([`crate::shop::identity`]).
const SHOP_IDENTITY_USER: &str = "shop/identity";

fn shop_identity_entry() -> Result<keyring::Entry, AppError> {
    keyring::Entry::new(SERVICE, SHOP_IDENTITY_USER).map_err(|e| keyring_error(e, "shop identity"))
}

pub fn shop_identity() -> Result<Option<Sensitive<String>>, AppError> {
    match shop_identity_entry()?.get_password() {
        Ok(v) => Ok(Some(Sensitive::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e, "shop identity")),
    }
}

pub fn set_shop_identity(id: &Sensitive<String>) -> Result<(), AppError> {
    shop_identity_entry()?.set_password(id.expose()).map_err(|e| keyring_error(e, "shop identity"))
}

/// A keyring entry of this computer's (not an environment's): its value, if set.
fn computer_entry(user: &str, what: &str) -> Result<Option<Sensitive<String>>, AppError> {
    let entry = keyring::Entry::new(SERVICE, user).map_err(|e| keyring_error(e, what))?;
    match entry.get_password() {
        Ok(v) => Ok(Some(Sensitive::new(v))),
        Err(keyring::Error::NoEntry) => Ok(None),
        Err(e) => Err(keyring_error(e, what)),
    }
}

fn set_computer_entry(user: &str, value: &str, what: &str) -> Result<(), AppError> {
    keyring::Entry::new(SERVICE, user).and_then(|e| e.set_password(value)).map_err(|e| keyring_error(e, what))
}

fn delete_computer_entry(user: &str, what: &str) -> Result<(), AppError> {
    match keyring::Entry::new(SERVICE, user).and_then(|e| e.delete_credential()) {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(keyring_error(e, what)),
    }
}

/// The shared database's admin address (the role that owns the shop's schemas), kept only on the
/// till that set the shared database up: it migrates, and admits and revokes tills' roles
/// ([`crate::db::roles`]). Every till works through its own role ([`shop_database_url`]).
const SHOP_DATABASE_ADMIN_USER: &str = "shop-database/admin-url";

pub fn shop_database_admin_url() -> Result<Option<Sensitive<String>>, AppError> {
    computer_entry(SHOP_DATABASE_ADMIN_USER, "shared database admin address")
}

pub fn set_shop_database_admin_url(url: &Sensitive<String>) -> Result<(), AppError> {
    set_computer_entry(SHOP_DATABASE_ADMIN_USER, url.expose(), "shared database admin address")
}

pub fn delete_shop_database_admin_url() -> Result<(), AppError> {
    delete_computer_entry(SHOP_DATABASE_ADMIN_USER, "shared database admin address")
}

/// The shop's row key ([`crate::shop::seals`]): one for the till, whichever environment.
const ROW_KEY_USER: &str = "shop/row-key";

pub fn row_key() -> Result<Option<crate::crypto::RowKey>, AppError> {
    computer_entry(ROW_KEY_USER, "row key")?
        .map(|v| {
            crate::crypto::RowKey::from_hex(v.expose())
                .map_err(|_| AppError::new(ErrorCode::KeyInvalid, "the shop's row key in the keyring is malformed"))
        })
        .transpose()
}

pub fn set_row_key(key: &crate::crypto::RowKey) -> Result<(), AppError> {
    set_computer_entry(ROW_KEY_USER, key.to_hex().expose(), "row key")
}

/// A revoked till forgets the shop: the shared database's address (with its password), the
/// row key and the shop's identity (the Antom and data keys are each
/// environment's: [`Secrets::delete_all`]); its own pairing key too, so it can never answer
/// for the till it was.
pub fn forget_shop() -> Result<(), AppError> {
    for (user, what) in [
        (SHOP_DATABASE_USER, "shop database address"),
        (SHOP_DATABASE_ADMIN_USER, "shared database admin address"),
        (ROW_KEY_USER, "row key"),
        (SHOP_IDENTITY_USER, "shop identity"),
        (TILL_KEY_USER, "till key"),
    ] {
        delete_computer_entry(user, what)?;
    }
    Ok(())
}

/// This till's pairing key ([`crate::shop::pairing`]): one for the computer, created on first use.
const TILL_KEY_USER: &str = "terminal/key";

pub fn till_key() -> Result<crate::shop::pairing::TillKey, AppError> {
    let entry = keyring::Entry::new(SERVICE, TILL_KEY_USER).map_err(|e| keyring_error(e, "till key"))?;
    match entry.get_password() {
        Ok(v) => crate::shop::pairing::TillKey::from_hex(&v),
        Err(keyring::Error::NoEntry) => {
            let k = crate::shop::pairing::TillKey::generate();
            entry.set_password(k.to_hex().expose()).map_err(|e| keyring_error(e, "till key"))?;
            Ok(k)
        }
        Err(e) => Err(keyring_error(e, "till key")),
    }
}

/// Map the keyring crate's errors to stable codes with messages a person can act on.
fn keyring_error(e: keyring::Error, what: &str) -> AppError {
    use keyring::Error as E;
    let text = e.to_string();
    let locked = text.to_ascii_lowercase().contains("lock");
    match e {
        E::NoStorageAccess(_) | E::PlatformFailure(_) if locked => AppError::new(
            ErrorCode::KeyringLocked,
            format!("the OS keyring is locked; unlock it (log in to the desktop session) to read the {what}"),
        ),
        E::NoStorageAccess(_) | E::PlatformFailure(_) => AppError::new(
            ErrorCode::KeyringUnavailable,
            format!("no OS keyring is available ({text}); on Linux, start a Secret Service such as gnome-keyring"),
        ),
        other => AppError::new(ErrorCode::KeyringUnavailable, format!("the OS keyring failed for the {what}: {other}")),
    }
}

/// Access to one environment's secrets.
///
/// The Antom keys are kept in *key sets*: importing keys writes a complete new pair under a new
/// name (`<environment>/<set>/merchant-private-key`, …), the settings are then switched to that
/// set, and only after that succeeded is the previous pair deleted. A failure at any step
/// leaves the settings naming a pair that is complete in the keyring (issue 15, item 7).
#[derive(Debug, Clone)]
pub struct Secrets {
    env: Environment,
    /// The key set holding the Antom keys; `None`: the unversioned entries of earlier versions.
    set: Option<String>,
}

impl Secrets {
    /// The unversioned entries (demo mode, and settings that name no key set).
    pub fn new(env: Environment) -> Self {
        Secrets { env, set: None }
    }

    /// `env`'s secrets with the key set `settings` names for it.
    pub fn for_settings(settings: &crate::settings::Settings, env: Environment) -> Self {
        Self::for_key_sets(&settings.key_sets, env)
    }

    /// `env`'s secrets with the key set `key_sets` (the settings' choice) names for it.
    pub fn for_key_sets(key_sets: &std::collections::BTreeMap<String, String>, env: Environment) -> Self {
        Secrets { env, set: key_sets.get(env.as_str()).filter(|s| crate::settings::is_key_set_name(s)).cloned() }
    }

    /// The environment these secrets are.
    pub fn environment(&self) -> Environment {
        self.env
    }

    /// The key set this reads the Antom keys from.
    pub fn key_set(&self) -> Option<&str> {
        self.set.as_deref()
    }

    fn entry(&self, name: SecretName) -> Result<keyring::Entry, AppError> {
        let user = match (&self.set, name.in_key_set()) {
            (Some(set), true) => format!("{}/{set}/{}", self.env.as_str(), name.as_str()),
            _ => name.user(self.env),
        };
        keyring::Entry::new(SERVICE, &user).map_err(|e| keyring_error(e, "secret"))
    }

    /// Write a complete new pair of Antom keys under a new key set: the keys given, and the
    /// current ones for any not given. Nothing the current settings name is touched; the caller
    /// points the settings at the returned set, then calls [`Secrets::discard_keys`] on
    /// whichever of the two sets lost (the old one after a switch, the new one after a failure).
    pub fn stage_keys(
        &self,
        merchant: Option<&MerchantPrivateKey>,
        antom: Option<&PublicKey>,
    ) -> Result<Secrets, AppError> {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).map_err(|e| AppError::new(ErrorCode::Internal, format!("no randomness: {e}")))?;
        let name = format!("k{:016x}", u64::from_be_bytes(random));
        let staged = Secrets { env: self.env, set: Some(name) };
        let merchant = match merchant {
            Some(k) => Some(k.clone()),
            None => self.merchant_key()?,
        };
        let antom = match antom {
            Some(k) => Some(k.clone()),
            None => self.antom_public_key()?,
        };
        let written = (|| {
            if let Some(k) = &merchant {
                staged.store_merchant_key(k)?;
            }
            if let Some(k) = &antom {
                staged.store_antom_public_key(k)?;
            }
            Ok(())
        })();
        if let Err(e) = written {
            staged.discard_keys();
            return Err(e);
        }
        Ok(staged)
    }

    /// Delete this set's Antom keys (best effort: a leftover entry is logged, never fatal, as
    /// the settings no longer name it).
    pub fn discard_keys(&self) {
        for n in SecretName::ALL.into_iter().filter(|n| n.in_key_set()) {
            match self.entry(n).and_then(|e| match e.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(keyring_error(e, "old key")),
            }) {
                Ok(()) => {}
                Err(e) => tracing::warn!(code = %e.code, "an unused Antom key stayed in the keyring"),
            }
        }
    }

    fn get(&self, name: SecretName, what: &str) -> Result<Option<Sensitive<String>>, AppError> {
        match self.entry(name)?.get_password() {
            Ok(v) => Ok(Some(Sensitive::new(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e, what)),
        }
    }

    fn set(&self, name: SecretName, value: &str, what: &str) -> Result<(), AppError> {
        self.entry(name)?.set_password(value).map_err(|e| keyring_error(e, what))
    }

    /// Every entry of this environment that is set: (`<environment>/<name>`, value), for a
    /// backup.
    pub fn export(&self) -> Result<Vec<(String, Sensitive<String>)>, AppError> {
        let mut out = Vec::new();
        for n in SecretName::ALL {
            if let Some(v) = self.get(n, n.as_str())? {
                out.push((n.user(self.env), v));
            }
        }
        Ok(out)
    }

    /// Write entries from a backup (`<name>` without the environment, value). Unknown names are
    /// refused before anything is written.
    pub fn import(&self, entries: &[(String, Sensitive<String>)]) -> Result<(), AppError> {
        let named: Vec<(SecretName, &Sensitive<String>)> = entries
            .iter()
            .map(|(name, v)| {
                SecretName::ALL.into_iter().find(|n| n.as_str() == name).map(|n| (n, v)).ok_or_else(|| {
                    AppError::new(ErrorCode::BackupDamaged, format!("the backup names an unknown key ({name})"))
                })
            })
            .collect::<Result<_, _>>()?;
        for (n, v) in named {
            self.set(n, v.expose(), n.as_str())?;
        }
        Ok(())
    }

    pub fn delete_all(&self) -> Result<(), AppError> {
        for n in SecretName::ALL {
            match self.entry(n)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => {}
                Err(e) => return Err(keyring_error(e, "secret")),
            }
        }
        Ok(())
    }

    pub fn merchant_key(&self) -> Result<Option<MerchantPrivateKey>, AppError> {
        let Some(v) = self.get(SecretName::MerchantPrivateKey, "merchant private key")? else { return Ok(None) };
        MerchantPrivateKey::parse(v.expose().as_bytes()).map(Some).map_err(|e| {
            AppError::new(ErrorCode::KeyInvalid, format!("the merchant private key in the keyring is unusable: {e}"))
        })
    }

    pub fn store_merchant_key(&self, key: &MerchantPrivateKey) -> Result<(), AppError> {
        self.set(SecretName::MerchantPrivateKey, key.to_pkcs8_base64().expose(), "merchant private key")
    }

    pub fn antom_public_key(&self) -> Result<Option<PublicKey>, AppError> {
        let Some(v) = self.get(SecretName::AntomPublicKey, "Antom public key")? else { return Ok(None) };
        PublicKey::parse(v.expose().as_bytes()).map(Some).map_err(|e| {
            AppError::new(ErrorCode::KeyInvalid, format!("the Antom public key in the keyring is unusable: {e}"))
        })
    }

    pub fn store_antom_public_key(&self, key: &PublicKey) -> Result<(), AppError> {
        self.set(SecretName::AntomPublicKey, &key.to_spki_base64(), "Antom public key")
    }

    /// The simulator's key (demo mode), created on first use.
    pub fn simulator_key(&self) -> Result<MerchantPrivateKey, AppError> {
        if let Some(v) = self.get(SecretName::SimulatorPrivateKey, "simulator key")? {
            return MerchantPrivateKey::parse(v.expose().as_bytes()).map_err(|e| {
                AppError::new(ErrorCode::KeyInvalid, format!("the demo simulator key in the keyring is unusable: {e}"))
            });
        }
        let k = MerchantPrivateKey::generate(2048).map_err(|e| AppError::new(ErrorCode::Internal, e.to_string()))?;
        self.set(SecretName::SimulatorPrivateKey, k.to_pkcs8_base64().expose(), "simulator key")?;
        Ok(k)
    }

    fn stored_data_key(&self) -> Result<Option<DataKey>, AppError> {
        let Some(v) = self.get(SecretName::DataKey, "data key")? else { return Ok(None) };
        DataKey::from_hex(v.expose())
            .map(Some)
            .map_err(|_| AppError::new(ErrorCode::KeyInvalid, "the data key in the keyring is malformed"))
    }

    /// The data key, created on first use (tools and tests without a database; the app uses
    /// [`Secrets::data_key_for`]).
    pub fn data_key(&self) -> Result<DataKey, AppError> {
        if let Some(k) = self.stored_data_key()? {
            return Ok(k);
        }
        let k = DataKey::generate();
        self.set(SecretName::DataKey, k.to_hex().expose(), "data key")?;
        Ok(k)
    }

    /// The data key a rotation under way moves the tokens to.
    pub fn data_key_next(&self) -> Result<Option<DataKey>, AppError> {
        let Some(v) = self.get(SecretName::DataKeyNext, "next data key")? else { return Ok(None) };
        DataKey::from_hex(v.expose())
            .map(Some)
            .map_err(|_| AppError::new(ErrorCode::KeyInvalid, "the next data key in the keyring is malformed"))
    }

    /// The next data key, made now if no rotation is under way.
    pub fn data_key_next_or_new(&self) -> Result<DataKey, AppError> {
        if let Some(k) = self.data_key_next()? {
            return Ok(k);
        }
        let k = DataKey::generate();
        self.set(SecretName::DataKeyNext, k.to_hex().expose(), "next data key")?;
        Ok(k)
    }

    /// The value the database keeps to check `key` against (see [`Secrets::data_key_for`]).
    pub fn data_key_check(&self, key: &DataKey) -> Vec<u8> {
        key.seal(b"cardbind data key check", format!("cardbind data key check:{}", self.env.as_str()).as_bytes())
    }

    /// The rotation is done: the next key is the data key.
    pub fn promote_data_key_next(&self) -> Result<DataKey, AppError> {
        let next = self
            .data_key_next()?
            .ok_or_else(|| AppError::new(ErrorCode::Internal, "no data key rotation is under way"))?;
        self.set(SecretName::DataKey, next.to_hex().expose(), "data key")?;
        match self.entry(SecretName::DataKeyNext)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => {}
            Err(e) => return Err(keyring_error(e, "next data key")),
        }
        Ok(next)
    }

    /// Whether this till holds the data key `conn`'s saved cards were sealed with (it could open
    /// their tokens): such a till must also hold the shop's row key ([`crate::shop::seals`]).
    pub fn holds_data_key_of(&self, conn: &Connection) -> Result<bool, AppError> {
        let env = self.env.as_str();
        let context = format!("cardbind data key check:{env}");
        Ok(match (self.stored_data_key()?, store::key_checks::get(conn, env)?) {
            (Some(k), Some(check)) => k.open(&check, context.as_bytes()).is_ok(),
            _ => false,
        })
    }

    /// The data key for the saved cards in `conn`, checked against the value the database
    /// recorded when the key was first used with it. A key is created only when the database
    /// has never had one for this environment: a key that went missing from the keyring is never
    /// replaced while sealed data may need it (`DATA_KEY_MISSING`), and a different key is
    /// refused (`KEY_INVALID`); the data stays untouched either way.
    ///
    /// A database from before these checks (none recorded) takes the keyring's key, or a new
    /// one, as earlier versions did, and records it.
    pub fn data_key_for(&self, conn: &Connection) -> Result<DataKey, AppError> {
        let env = self.env.as_str();
        let context = format!("cardbind data key check:{env}");
        match (self.stored_data_key()?, store::key_checks::get(conn, env)?) {
            (Some(k), Some(check)) => {
                // a rotation that recorded its new key and stopped before the keyring said so
                // (crate::rotation): the next key is the one the database names now
                if k.open(&check, context.as_bytes()).is_err() {
                    if let Some(next) = self.data_key_next()? {
                        if next.open(&check, context.as_bytes()).is_ok() {
                            return self.promote_data_key_next();
                        }
                    }
                }
                k.open(&check, context.as_bytes()).map_err(|_| {
                    AppError::new(
                        ErrorCode::KeyInvalid,
                        format!(
                            "the data key in the OS keyring ({env}) is not the one this card database was sealed with; \
                             restore the keyring entry from a backup of this computer. Nothing was changed"
                        ),
                    )
                })?;
                Ok(k)
            }
            (None, Some(_)) => Err(AppError::new(
                ErrorCode::DataKeyMissing,
                format!(
                    "the key that encrypts this computer's saved cards ({env}) is missing from the OS keyring; \
                     saved cards cannot be used until it is restored from a backup of this computer's keyring. \
                     The card list and its data are untouched, and no new key was made"
                ),
            )),
            (existing, None) => {
                let k = match existing {
                    Some(k) => k,
                    None => {
                        let k = DataKey::generate();
                        self.set(SecretName::DataKey, k.to_hex().expose(), "data key")?;
                        k
                    }
                };
                store::key_checks::insert(conn, env, &k.seal(b"cardbind data key check", context.as_bytes()))?;
                Ok(k)
            }
        }
    }
}
