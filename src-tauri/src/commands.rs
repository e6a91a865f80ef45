//! Thin Tauri commands: each unpacks state and calls one use case in `cardbind_core`. No logic
//! lives here; errors cross as `cardbind_core::AppError` (`{code, message}`).

use crate::AppState;
use cardbind_core::app::{self, AppInfo};
use cardbind_core::AppError;
use tauri::State;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, AppError> {
    Ok(app::app_info(env!("CARGO_PKG_VERSION"), &state.ctx))
}
