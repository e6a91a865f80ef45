//! Settings and keys: all or nothing.

use super::common::prelude::*;

/// What Settings shows: the settings, which keys are in the keyring, and the merchant public
/// key to register with Antom (never the private key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsView {
    pub settings: Settings,
    pub locale: String,
    pub merchant_key_set: bool,
    pub antom_public_key_set: bool,
    /// Base64 SPKI of the merchant key pair, for Antom's portal.
    pub merchant_public_key: Option<String>,
    /// Why the keyring could not be read, if it could not.
    pub keyring_error: Option<AppError>,
}

/// Settings to save, with keys to import into the keyring for the target environment.
#[derive(Debug, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingsUpdate {
    pub settings: Settings,
    /// A merchant RSA private key in Antom's format (bare base64 PKCS#8) or PEM.
    #[ts(type = "string | null")]
    pub merchant_private_key: Option<Sensitive<String>>,
    /// Antom's public key as shown in Antom's portal (bare base64 SPKI) or PEM.
    pub antom_public_key: Option<String>,
    /// A new passphrase for scheduled backups (kept in the OS keyring).
    #[serde(default)]
    #[ts(type = "string | null")]
    pub backup_passphrase: Option<Sensitive<String>>,
    /// An owner's PIN: switching to production needs it.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub owner_pin: Option<Sensitive<String>>,
}

fn key_view(settings: &crate::settings::Settings) -> (bool, bool, Option<String>, Option<AppError>) {
    let env = settings.environment;
    let secrets = Secrets::for_settings(settings, env);
    let merchant = secrets.merchant_key();
    let antom = if env == Environment::Demo { Ok(None) } else { secrets.antom_public_key() };
    match (merchant, antom) {
        (Ok(m), Ok(a)) => {
            (m.is_some(), a.is_some() || env == Environment::Demo, m.map(|k| k.public_key().to_spki_base64()), None)
        }
        (Err(e), _) | (_, Err(e)) => (false, false, None, Some(e)),
    }
}

pub fn settings_get(ctx: &AppContext) -> AppResult<SettingsView> {
    access::staff(ctx)?;
    Ok(settings_view(ctx))
}

pub(super) fn settings_view(ctx: &AppContext) -> SettingsView {
    let settings = ctx.settings();
    let (merchant_key_set, antom_public_key_set, merchant_public_key, keyring_error) = key_view(&settings);
    SettingsView {
        settings,
        locale: ctx.locale(),
        merchant_key_set,
        antom_public_key_set,
        merchant_public_key,
        keyring_error,
    }
}

/// Validate everything first (settings, both keys, that sandbox/production will have both keys),
/// then import the keys, save the settings and switch to them. Nothing is written when anything
/// is invalid.
pub async fn settings_save(ctx: &AppContext, update: SettingsUpdate) -> AppResult<SettingsView> {
    let before = ctx.settings();
    let mut settings = update.settings;
    settings.locale = Some(ctx.locale());
    // Which keyring entries hold the keys is the backend's business: whatever the caller sent
    // is replaced by the current choice (and changed below only by importing keys).
    settings.key_sets = ctx.settings().key_sets;
    // Where the data is kept changes only through shop_database_set (an owner's PIN, a test).
    settings.shop_database = ctx.settings().shop_database;
    settings.validate()?;
    let keys_given = update.merchant_private_key.as_ref().is_some_and(|k| !k.expose().trim().is_empty())
        || nonblank(&update.antom_public_key).is_some();
    let passphrase_given = update.backup_passphrase.as_ref().is_some_and(|p| !p.expose().is_empty());
    let changes = changed_settings(&before, &settings);
    let going_live_now =
        settings.environment == Environment::Production && before.environment != Environment::Production;
    let actor = match owners_part(&before, &settings, &changes, keys_given, passphrase_given) {
        // going live confirms an owner's PIN below, which decides the rest of this save too
        Some(_) if going_live_now => access::authorize(ctx, Action::new("settings_save", Permission::ChangeSettings))?,
        Some(permission) => {
            let mut subject =
                format!("settings:{}", changes.iter().map(|c| c.field.as_str()).collect::<Vec<_>>().join(","));
            if keys_given {
                subject.push_str(",keys");
            }
            if passphrase_given {
                subject.push_str(",backupPassphrase");
            }
            subject.push_str(&format!("#{}", digest(&changes)));
            access::authorize(ctx, Action::new("settings_save", permission).on(subject))?
        }
        None => access::authorize(ctx, Action::new("settings_save", Permission::ChangeSettings))?,
    };
    if settings.kiosk.enabled && !staff_rules::manager_exists(&lock(&ctx.db()))? {
        return Err(staff_required());
    }
    let going_live = if settings.environment == Environment::Production && ctx.environment() != Environment::Production
    {
        Some(confirm_going_live(ctx, update.owner_pin.as_ref())?)
    } else {
        None
    };
    let merchant =
        match update.merchant_private_key.as_ref().and_then(|k| Some(k.expose().trim()).filter(|k| !k.is_empty())) {
            Some(text) => Some(
                MerchantPrivateKey::parse(text.as_bytes())
                    .map_err(|e| AppError::in_field(ErrorCode::KeyInvalid, "merchantPrivateKey", e))?,
            ),
            None => None,
        };
    let antom = match nonblank(&update.antom_public_key) {
        Some(text) => Some(
            PublicKey::parse(text.as_bytes())
                .map_err(|e| AppError::in_field(ErrorCode::KeyInvalid, "antomPublicKey", e))?,
        ),
        None => None,
    };
    let backup_passphrase = update
        .backup_passphrase
        .as_ref()
        .filter(|p| !p.expose().is_empty())
        .map(|p| Sensitive::new(p.expose().clone()));
    if let Some(p) = &backup_passphrase {
        crate::backup::check_passphrase(p.expose(), settings.shop_name.as_deref())?;
    }
    if settings.backup.every_hours > 0 && backup_passphrase.is_none() && crate::secrets::backup_passphrase()?.is_none()
    {
        return Err(AppError::in_field(
            ErrorCode::KeyMissing,
            "backupPassphrase",
            "scheduled backups need a passphrase",
        ));
    }
    let secrets = Secrets::for_settings(&settings, settings.environment);
    if settings.environment == Environment::Demo {
        if merchant.is_some() || antom.is_some() {
            return Err(AppError::new(
                ErrorCode::InvalidInput,
                "demo mode makes its own keys; import keys for the sandbox or production",
            ));
        }
    } else {
        if merchant.is_none() && secrets.merchant_key()?.is_none() {
            return Err(AppError::in_field(ErrorCode::KeyMissing, "merchantPrivateKey", "paste or import it"));
        }
        if antom.is_none() && secrets.antom_public_key()?.is_none() {
            return Err(AppError::in_field(ErrorCode::KeyMissing, "antomPublicKey", "paste or import it"));
        }
    }
    // New keys: a complete new pair under a new key set, which the settings then name; the
    // pair in use stays untouched until the settings are saved (issue 15, item 7).
    let keys_changed = merchant.is_some() || antom.is_some();
    let staged = if keys_changed {
        let staged = secrets.stage_keys(merchant.as_ref(), antom.as_ref())?;
        let name = staged.key_set().expect("a staged key set has a name").to_string();
        settings.key_sets.insert(settings.environment.as_str().to_string(), name);
        Some(staged)
    } else {
        None
    };
    if let Some(p) = &backup_passphrase {
        if let Err(e) = crate::secrets::set_backup_passphrase(p) {
            if let Some(s) = &staged {
                s.discard_keys();
            }
            return Err(e);
        }
    }
    // new keys are a new key set, which the flows are built from: they are rebuilt with them
    if let Err(e) = ctx.apply_settings(settings).await {
        if let Some(s) = &staged {
            s.discard_keys();
        }
        return Err(e);
    }
    if staged.is_some() {
        // the settings name the new pair now: the old one is no longer used
        secrets.discard_keys();
    }
    {
        let db = ctx.db();
        let conn = lock(&db);
        let mut detail = format!("environment: {}", ctx.environment().as_str());
        for c in &changes {
            detail.push_str(&format!("; {}: {} → {}", c.field, c.old, c.new));
        }
        if backup_passphrase.is_some() {
            detail.push_str("; backupPassphrase: replaced");
        }
        store::audit(&conn, actor.staff_id, "settings.save", None, Some(&detail))?;
        if let Some(owner) = &going_live {
            // in the production database: the one that goes live
            store::audit(&conn, Some(owner.id), "settings.go_live", None, None)?;
        }
        if keys_changed {
            store::audit(&conn, actor.staff_id, "settings.import_keys", None, None)?;
        }
        audit_approval(&conn, &actor, "settings")?;
    }
    Ok(settings_view(ctx))
}

/// One setting that a save changes, for the audit log ("baseUrl: null → \"https://…\"") and the
/// approval it needs. Settings hold no key or secret (those are in the keyring), so old and new
/// values may be written down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Change {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// Every setting that differs, as `field` or `group.field` (the backend's own entries,
/// `keySets` and `locale`, are left out: they are not the form's).
pub(crate) fn changed_settings(before: &Settings, after: &Settings) -> Vec<Change> {
    fn walk(prefix: &str, a: &serde_json::Value, b: &serde_json::Value, out: &mut Vec<Change>) {
        match (a, b) {
            (serde_json::Value::Object(x), serde_json::Value::Object(y)) => {
                let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
                for k in keys {
                    if prefix.is_empty() && (k == "keySets" || k == "locale") {
                        continue;
                    }
                    let field = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
                    let null = serde_json::Value::Null;
                    walk(&field, x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null), out);
                }
            }
            (a, b) if a != b => out.push(Change { field: prefix.to_string(), old: a.to_string(), new: b.to_string() }),
            _ => {}
        }
    }
    let (a, b) = (serde_json::to_value(before), serde_json::to_value(after));
    let mut out = Vec::new();
    if let (Ok(a), Ok(b)) = (a, b) {
        walk("", &a, &b, &mut out);
    }
    out
}

/// Where production's requests go and whose keys sign and verify them: a manager may not change
/// these while production is (or becomes) the environment (issue 29, item 7).
const PRODUCTION_FIELDS: [&str; 5] = ["baseUrl", "region", "clientId", "merchantAccountId", "merchantRegion"];

/// What more than a manager a save needs, if anything: the owner's backups (folder, schedule,
/// keep, passphrase: they hold every key; item 5), production's address, client and keys
/// (item 7), leaving production, and kiosk mode outside production (item 8).
fn owners_part(
    before: &Settings,
    after: &Settings,
    changes: &[Change],
    keys_given: bool,
    passphrase_given: bool,
) -> Option<Permission> {
    let production = before.environment == Environment::Production || after.environment == Environment::Production;
    let owner = (production && (keys_given || changes.iter().any(|c| PRODUCTION_FIELDS.contains(&c.field.as_str()))))
        || (before.environment == Environment::Production && after.environment != Environment::Production)
        || (after.kiosk.enabled
            && after.environment != Environment::Production
            && changes.iter().any(|c| c.field == "kiosk.enabled" || c.field == "environment"));
    if owner {
        return Some(Permission::OwnerSettings);
    }
    if passphrase_given || changes.iter().any(|c| c.field.starts_with("backup.")) {
        return Some(Permission::ManageBackups);
    }
    None
}

/// A short digest of what a save changes (the new values), so an approval of one change does
/// not approve another. Keys and passphrases are not part of it (it is in the audit log with
/// the approval): the approval names that they come with the save.
fn digest(changes: &[Change]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for c in changes {
        h.update(c.field.as_bytes());
        h.update([0]);
        h.update(c.new.as_bytes());
        h.update([0]);
    }
    h.finalize().iter().take(6).map(|b| format!("{b:02x}")).collect()
}

impl SettingsUpdate {
    /// Settings alone: no key, passphrase or PIN with them.
    pub fn settings_only(settings: Settings) -> Self {
        SettingsUpdate {
            settings,
            merchant_private_key: None,
            antom_public_key: None,
            backup_passphrase: None,
            owner_pin: None,
        }
    }
}

/// Going live moves real money: an owner confirms with their PIN (throttled like any PIN),
/// whoever is signed in; a shop with no owner adds one first.
fn confirm_going_live(ctx: &AppContext, pin: Option<&Sensitive<String>>) -> AppResult<Operator> {
    if store::staff::active_owners(&lock(&ctx.db()))? == 0 {
        return Err(AppError::new(
            ErrorCode::OwnerPinRequired,
            "switching to production needs an owner with a PIN: add one under Staff first",
        ));
    }
    confirm_owner(ctx, pin, "switching to production")
}
