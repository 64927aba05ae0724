//! The state every command can reach: the one `companion::App` core, and the sandbox's
//! simulated tenant kept alive for as long as the app runs, and the tray's wake-up.

use std::sync::Mutex;

use companion::App;

use crate::sandbox::Sandbox;

pub struct AppState {
    pub app: App,
    /// Dropping it stops the simulated tenant.
    sandbox: Mutex<Option<Sandbox>>,
    /// Wakes the tray to redraw now (a relay started or stopped).
    pub tray_changed: tokio::sync::Notify,
    /// The app runs in the tray without a window (closed into it, or started at login).
    pub in_tray: std::sync::atomic::AtomicBool,
}

impl AppState {
    pub fn new(app: App) -> Self {
        Self {
            app,
            sandbox: Mutex::new(None),
            tray_changed: tokio::sync::Notify::new(),
            in_tray: std::sync::atomic::AtomicBool::new(false),
        }
    }

    pub fn keep_sandbox(&self, sandbox: Option<Sandbox>) {
        *self.sandbox.lock().unwrap_or_else(|e| e.into_inner()) = sandbox;
    }

    /// The port the sandbox's simulated tenant listens on, if it runs.
    pub fn sandbox_port(&self) -> Option<u16> {
        self.sandbox
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(Sandbox::port)
    }
}
