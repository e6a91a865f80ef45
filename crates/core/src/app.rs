//! The `app_info` use case: what the app is and where it keeps its data.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Which Antom the app talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    /// The embedded Antom simulator on loopback: no real cards, no real money.
    Demo,
    /// Antom's sandbox (`SANDBOX_` client ids).
    Sandbox,
    /// Antom production.
    Production,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub data_dir: String,
    pub config_dir: String,
    pub environment: Environment,
    /// `os/arch`, e.g. `linux/x86_64`.
    pub platform: String,
    /// Demo mode: the in-process Antom simulator's address (loopback).
    pub simulator_url: Option<String>,
    /// The UI language (`en`, `pt`, ...): chosen in the app, else the OS's.
    pub locale: String,
    /// Why cards cannot be bound right now (no keyring, keys missing, ...); `None` when they can.
    pub binding_unavailable: Option<crate::error::AppError>,
}

pub fn app_info(version: &str, ctx: &crate::context::AppContext) -> AppInfo {
    AppInfo {
        name: "cardbind".into(),
        version: version.into(),
        data_dir: ctx.paths.data_dir.display().to_string(),
        config_dir: ctx.paths.config_dir.display().to_string(),
        environment: ctx.environment(),
        platform: format!("{}/{}", std::env::consts::OS, std::env::consts::ARCH),
        simulator_url: ctx.simulator_url(),
        locale: ctx.locale(),
        binding_unavailable: ctx.flow().err(),
    }
}
