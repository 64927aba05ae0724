//! Settings screen: language, theme, proxy, what closing the window does, start at login, and
//! facts about this installation.

use companion::app::TrayAction;
use companion::ipc::{AppInfo, CloseAction, Language, Settings, Theme};
use companion::Problem;
use tauri::{AppHandle, Runtime, State};

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

/// What closing the window does while a relay runs (`None`: ask at the next such close).
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_close_action(
    state: State<'_, AppState>,
    action: Option<CloseAction>,
) -> Result<Settings, Problem> {
    state.app.set_close_action(action).await.map_err(Into::into)
}

/// The answer to the first close with a relay running: remembered, then done (close the window
/// into the tray, or stop the relay and quit). `remember: false` does it this once only.
#[tauri::command]
#[tracing::instrument(skip(app, state), err(Debug))]
pub async fn close_window_choice<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    action: CloseAction,
    remember: bool,
) -> Result<(), Problem> {
    if remember {
        state.app.set_close_action(Some(action)).await?;
    }
    crate::window::apply(&app, action).await;
    Ok(())
}

/// Stops the relay cleanly and quits (the tray's Quit).
#[tauri::command]
#[tracing::instrument(skip_all)]
pub async fn quit_app<R: Runtime>(app: AppHandle<R>) -> Result<(), Problem> {
    crate::tray::run_action(&app, TrayAction::Quit).await;
    Ok(())
}

/// Starts profile `name`'s relay when the app starts at login (`on`), or no longer.
#[tauri::command]
#[tracing::instrument(skip(state), err(Debug))]
pub async fn set_login_relay(
    state: State<'_, AppState>,
    name: String,
    on: bool,
) -> Result<Settings, Problem> {
    state
        .app
        .set_login_relay(name, on)
        .await
        .map_err(Into::into)
}

/// Whether the app starts at login.
#[tauri::command]
#[tracing::instrument(skip_all, err(Debug))]
pub async fn autostart_enabled<R: Runtime>(app: AppHandle<R>) -> Result<bool, Problem> {
    crate::autostart::enabled(&app)
}

/// Turns start at login on or off; returns whether it is on now.
#[tauri::command]
#[tracing::instrument(skip(app), err(Debug))]
pub async fn set_autostart<R: Runtime>(app: AppHandle<R>, enabled: bool) -> Result<bool, Problem> {
    crate::autostart::set(&app, enabled)
}
