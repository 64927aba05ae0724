//! Settings screen: language, theme, proxy, and facts about this installation.

use companion::ipc::{AppInfo, Language, Settings, Theme};
use companion::Problem;
use tauri::State;

use crate::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn get_settings(state: State<'_, AppState>) -> Result<Settings, Problem> {
    state.app.settings().await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_language(
    state: State<'_, AppState>,
    language: Option<Language>,
) -> Result<Settings, Problem> {
    state.app.set_language(language).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_theme(state: State<'_, AppState>, theme: Theme) -> Result<Settings, Problem> {
    state.app.set_theme(theme).await.map_err(Into::into)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn set_proxy(
    state: State<'_, AppState>,
    proxy: Option<String>,
) -> Result<Settings, Problem> {
    state.app.set_proxy(proxy).await.map_err(Into::into)
}

/// The first screen is painted: logs how long start-up took (once) and returns it, in ms since
/// the process started (the start-up benchmark reads the log line).
#[tauri::command]
pub async fn ui_painted() -> Result<u64, Problem> {
    let ms = crate::STARTED
        .get()
        .map_or(0, |t| t.elapsed().as_millis() as u64);
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| tracing::info!(ms, "first screen painted"));
    Ok(ms)
}

#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn app_info(state: State<'_, AppState>) -> Result<AppInfo, Problem> {
    state.app.app_info().await.map_err(Into::into)
}
