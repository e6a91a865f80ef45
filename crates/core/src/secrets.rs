//! Secrets in the OS keyring (Secret Service on Linux, Keychain on macOS, Credential Manager on
//! Windows), never in files or logs: the merchant private key, Antom's public key and the data
//! key that encrypts card tokens. Each environment has its own entries, so demo keys never mix
//! with sandbox or production keys.

use crate::crypto::DataKey;
use crate::error::{AppError, ErrorCode};
use crate::settings::Environment;
use antom::{MerchantPrivateKey, PublicKey, Sensitive};

pub const SERVICE: &str = crate::APP_IDENTIFIER;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretName {
    MerchantPrivateKey,
    AntomPublicKey,
    DataKey,
    /// Demo mode only: the in-process simulator's "Antom" private key.
    SimulatorPrivateKey,
}

impl SecretName {
    fn user(self, env: Environment) -> String {
        let name = match self {
            SecretName::MerchantPrivateKey => "merchant-private-key",
            SecretName::AntomPublicKey => "antom-public-key",
            SecretName::DataKey => "data-key",
            SecretName::SimulatorPrivateKey => "simulator-private-key",
        };
        let env = match env {
            Environment::Demo => "demo",
            Environment::Sandbox => "sandbox",
            Environment::Production => "production",
        };
        format!("{env}/{name}")
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
#[derive(Debug, Clone, Copy)]
pub struct Secrets {
    env: Environment,
}

impl Secrets {
    pub fn new(env: Environment) -> Self {
        Secrets { env }
    }

    fn entry(&self, name: SecretName) -> Result<keyring::Entry, AppError> {
        keyring::Entry::new(SERVICE, &name.user(self.env)).map_err(|e| keyring_error(e, "secret"))
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

    pub fn delete_all(&self) -> Result<(), AppError> {
        for n in [
            SecretName::MerchantPrivateKey,
            SecretName::AntomPublicKey,
            SecretName::DataKey,
            SecretName::SimulatorPrivateKey,
        ] {
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

    /// The data key, created on first use.
    pub fn data_key(&self) -> Result<DataKey, AppError> {
        if let Some(v) = self.get(SecretName::DataKey, "data key")? {
            return DataKey::from_hex(v.expose())
                .map_err(|_| AppError::new(ErrorCode::KeyInvalid, "the data key in the keyring is malformed"));
        }
        let k = DataKey::generate();
        self.set(SecretName::DataKey, k.to_hex().expose(), "data key")?;
        Ok(k)
    }
}
