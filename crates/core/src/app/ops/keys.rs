//! The owner rotates the token data key ([`crate::rotation`]).

use super::common::prelude::*;

/// What a data key rotation did.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DataKeyRotation {
    pub environment: Environment,
    /// Tokens sealed again with the new key.
    #[ts(type = "number")]
    pub resealed: u64,
}

/// Seal every saved card's token of the active environment again with a new data key (owner):
/// a copy of the old key (a stolen till's, an old keyring backup's) then opens nothing in the
/// database. The flows are built again with the new key.
pub async fn data_key_rotate(ctx: &AppContext) -> AppResult<DataKeyRotation> {
    let actor = access::authorize(ctx, Action::new("data_key_rotate", Permission::OwnerSettings))?;
    let settings = ctx.settings();
    let secrets = Secrets::for_settings(&settings, settings.environment);
    let done = {
        let db = ctx.db();
        let conn = lock(&db);
        let done = crate::rotation::rotate(&conn, &secrets, actor.staff_id, None)?;
        audit_approval(&conn, &actor, "settings")?;
        done
    };
    ctx.reconnect().await;
    Ok(DataKeyRotation { environment: settings.environment, resealed: done.resealed })
}
