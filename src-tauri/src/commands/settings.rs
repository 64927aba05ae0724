//! Settings screen: language, theme, and facts about this installation.

use companion::ipc::{AppInfo, IpcError, Language, Settings, Theme};
use tauri::State;

use crate::AppState;

#[tauri::command]
pub fn get_settings(state: State<'_, AppState>) -> Result<Settings, IpcError> {
    companion::settings::load(&state.db()).map_err(Into::into)
}

#[tauri::command]
pub fn set_language(
    state: State<'_, AppState>,
    language: Option<Language>,
) -> Result<Settings, IpcError> {
    companion::settings::set_language(&state.db(), language).map_err(Into::into)
}

#[tauri::command]
pub fn set_theme(state: State<'_, AppState>, theme: Theme) -> Result<Settings, IpcError> {
    companion::settings::set_theme(&state.db(), theme).map_err(Into::into)
}

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> Result<AppInfo, IpcError> {
    companion::settings::app_info(&state.db(), &state.paths).map_err(Into::into)
}
