//! The main window's life beside the tray: closing it while a relay or long connection runs
//! keeps them running with the app in the tray (the window is hidden), or stops them and quits,
//! as Settings says; the first such close asks in the window (`app://close-asked`) and
//! remembers the answer. With no relay running, closing the window quits as before.

use companion::app::TrayAction;
use companion::ipc::CloseAction;
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};

use crate::AppState;

pub const MAIN: &str = "main";
/// Asks the window what closing it should do (payload: the running relay's profile).
pub const CLOSE_ASKED_EVENT: &str = "app://close-asked";

/// Shows the main window and brings it to the front.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

fn hide<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.hide();
    }
}

/// The window's close button (or the window manager's close) on the main window.
pub fn on_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::CloseRequested { api, .. } = event else {
        return;
    };
    if window.label() != MAIN {
        return;
    }
    // Decided off the main thread: reading the relay's state and the setting may wait.
    api.prevent_close();
    let app = window.app_handle().clone();
    tauri::async_runtime::spawn(async move { close_requested(&app).await });
}

async fn close_requested<R: Runtime>(app: &AppHandle<R>) {
    let state = app.state::<AppState>();
    let running = state.app.tray_view().await.ok().and_then(|v| v.running);
    let Some(running) = running else {
        app.exit(0);
        return;
    };
    let action = state.app.settings().await.ok().and_then(|s| s.close_action);
    match action {
        Some(action) => apply(app, action).await,
        None => {
            if app.emit(CLOSE_ASKED_EVENT, running.profile).is_err() {
                apply(app, CloseAction::Tray).await;
            }
        }
    }
}

/// Keeps running in the tray (the window hides) or stops the relays and quits.
pub async fn apply<R: Runtime>(app: &AppHandle<R>, action: CloseAction) {
    match action {
        CloseAction::Tray => {
            tracing::info!("the window is closed: the relay keeps running in the tray");
            hide(app);
        }
        CloseAction::Quit => crate::tray::run_action(app, TrayAction::Quit).await,
    }
}
