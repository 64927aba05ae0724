//! The main window's life beside the tray: closing it while a relay or long connection runs
//! keeps them running with the app in the tray (the window is closed), or stops them and quits,
//! as Settings says; the first such close asks in the window (`app://close-asked`) and
//! remembers the answer. With no relay running, closing the window quits as before.
//!
//! In the tray the window and its webview are destroyed, not hidden: WebKit's page and its
//! memory go (docs/benchmarks.md, "Memory in the tray"), and opening the window builds it again
//! from its configuration (`tauri.conf.json` has it with `create: false`). While the app is in
//! the tray, the event loop's "no window left" exit is refused (`lib.rs`).

use std::sync::atomic::Ordering;

use companion::app::TrayAction;
use companion::ipc::CloseAction;
use tauri::{
    AppHandle, Emitter, Manager, Runtime, WebviewWindow, WebviewWindowBuilder, Window, WindowEvent,
};

use crate::AppState;

pub const MAIN: &str = "main";
/// Asks the window what closing it should do (payload: the running relay's profile).
pub const CLOSE_ASKED_EVENT: &str = "app://close-asked";

/// The main window, built from its configuration when there is none (at start, or after it
/// went into the tray).
fn ensure<R: Runtime>(app: &AppHandle<R>) -> Option<WebviewWindow<R>> {
    if let Some(window) = app.get_webview_window(MAIN) {
        return Some(window);
    }
    let config = app.config().app.windows.iter().find(|w| w.label == MAIN)?;
    let again = app
        .try_state::<AppState>()
        .is_some_and(|s| s.in_tray.load(Ordering::SeqCst));
    match WebviewWindowBuilder::from_config(app, config).and_then(|b| b.build()) {
        Ok(window) => {
            lean_webview(&window);
            if again {
                tracing::info!("the window is opened again");
            }
            Some(window)
        }
        Err(e) => {
            tracing::error!(error = %e, "could not open the window");
            None
        }
    }
}

/// No GPU compositing in the webview: the screens are forms and tables, which WebKit paints on
/// the CPU just as well, and its web process then keeps no GL rendering state or layer buffers
/// (about 90 MiB of PSS less with the window open under Xvfb's software GL; docs/benchmarks.md,
/// "Memory in the tray"). Tauri's configuration has no such setting, so it is WebKitGTK's own.
#[cfg(target_os = "linux")]
fn lean_webview<R: Runtime>(window: &WebviewWindow<R>) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    let done = window.with_webview(|webview| {
        if let Some(settings) = webview.inner().settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = done {
        tracing::warn!(error = %e, "could not turn off the webview's GPU compositing");
    }
}

#[cfg(not(target_os = "linux"))]
fn lean_webview<R: Runtime>(_window: &WebviewWindow<R>) {}

/// Shows the main window (building it if needed) and brings it to the front.
pub fn show<R: Runtime>(app: &AppHandle<R>) {
    let window = ensure(app);
    if let Some(state) = app.try_state::<AppState>() {
        state.in_tray.store(false, Ordering::SeqCst);
    }
    if let Some(window) = window {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Into the tray: the window and its webview are destroyed; the app stays.
fn to_tray<R: Runtime>(app: &AppHandle<R>) {
    app.state::<AppState>()
        .in_tray
        .store(true, Ordering::SeqCst);
    if let Some(window) = app.get_webview_window(MAIN) {
        if let Err(e) = window.destroy() {
            tracing::warn!(error = %e, "could not close the window");
        }
    }
}

/// Whether a "no window left" exit must be refused: the app went into the tray, or was
/// started at login without a window.
pub fn keeps_running<R: Runtime>(app: &AppHandle<R>) -> bool {
    app.try_state::<AppState>()
        .is_some_and(|s| s.in_tray.load(Ordering::SeqCst))
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
    let running = state.app.running_relay().await;
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

/// Keeps running in the tray (the window is destroyed) or stops the relays and quits.
pub async fn apply<R: Runtime>(app: &AppHandle<R>, action: CloseAction) {
    match action {
        CloseAction::Tray => {
            tracing::info!("the window is closed: the relay keeps running in the tray");
            to_tray(app);
            // A fresh process without the window's leftovers takes over (Linux).
            #[cfg(target_os = "linux")]
            crate::handover::leave(app).await;
        }
        CloseAction::Quit => crate::tray::run_action(app, TrayAction::Quit).await,
    }
}
