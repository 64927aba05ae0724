//! The one core that both faces build once: the desktop shell (`src-tauri`) and the headless
//! CLI (`companion-cli`). [`App`] owns the database, the keychain, the call meter and the
//! running relays, and it holds the rules that span them (at most one relay per app in one
//! mode, where curl exports point while the relay is stopped, the lab's and triggers' fallbacks
//! when no relay serves the profile, the quota view). A face only parses its input, calls one
//! method and shows the answer.
//!
//! Every method that may touch the keychain or the disk is `async` and runs that work on
//! tokio's blocking pool ([`App::blocking`]), so no caller's thread — above all not the UI's
//! main thread — waits on a keychain that is slow to answer.

mod checks;
pub mod handover;
mod notices;
mod profiles;
mod quota;
mod registration;
mod relay;
mod setup;
mod tray;

use std::sync::{Arc, RwLock};

use lark_platform::secret::Secret;

use crate::db::Database;
use crate::ipc::{AppInfo, CloseAction, Language, Settings, Theme};
use crate::keychain::{OsKeychain, SecretKind, SecretStore};
use crate::paths::AppPaths;
use crate::quota::{LedgerOptions, Meter};
use crate::sandbox::SandboxStatus;
use crate::{Error, Result};

pub use quota::QuotaView;

/// The core's own IPC types (see `tests/bindings.rs`).
pub fn bindings() -> Vec<(&'static str, String)> {
    use ts_rs::TS;
    let mut list = vec![(
        "QuotaView.ts",
        QuotaView::export_to_string().unwrap_or_default(),
    )];
    list.extend(registration::bindings());
    list.extend(crate::notices::bindings());
    list
}
pub use notices::WatchTiming;
pub use registration::{RegistrationPhase, RegistrationStarted, RegistrationStatus};
pub use relay::RelayStarted;
pub use setup::{AppOverview, SetupInput, SetupSubject};
pub use tray::{RunningRelay, StartedRelay, TrayAction, TrayOutcome, TrayState, TrayView};

/// Cheap to clone: clones share everything.
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

struct Inner {
    paths: AppPaths,
    db: Database,
    store: Arc<dyn SecretStore>,
    meter: Meter,
    relays: relay::Relays,
    registrations: registration::Registrations,
    sandbox: RwLock<SandboxStatus>,
    notices: crate::notices::NoticeBoard,
    /// The profile whose relay was taken over, and when (`handover`).
    relay_hold: std::sync::Mutex<Option<(String, std::time::Instant)>>,
    /// False while a face is still starting the sandbox (which may create a profile): the
    /// profile list and the sandbox status wait for it instead of showing an empty app.
    ready: tokio::sync::watch::Sender<bool>,
}

impl App {
    /// Opens the data folder (database, call ledger) with the OS keychain.
    pub fn open(paths: AppPaths) -> Result<Self> {
        Self::with_store(paths, Arc::new(OsKeychain::new()))
    }

    /// [`App::open`] with another secret store (tests pass a keychain double).
    pub fn with_store(paths: AppPaths, store: Arc<dyn SecretStore>) -> Result<Self> {
        let db = Database::open(&paths.data_dir)?;
        let meter = Meter::open(&paths.data_dir, LedgerOptions::default())?;
        let notices = crate::notices::NoticeBoard::default();
        for kind in crate::notices::load_off(&db)? {
            notices.set_enabled(kind, false);
        }
        Ok(Self {
            inner: Arc::new(Inner {
                paths,
                db,
                store,
                meter,
                relays: relay::Relays::default(),
                registrations: registration::Registrations::default(),
                sandbox: RwLock::new(SandboxStatus::off()),
                notices,
                relay_hold: std::sync::Mutex::new(None),
                ready: tokio::sync::watch::Sender::new(true),
            }),
        })
    }

    pub fn paths(&self) -> &AppPaths {
        &self.inner.paths
    }

    pub fn db(&self) -> &Database {
        &self.inner.db
    }

    pub fn store(&self) -> &dyn SecretStore {
        self.inner.store.as_ref()
    }

    /// Every Open API client of the app records into this ledger and shares its limiters.
    pub fn meter(&self) -> &Meter {
        &self.inner.meter
    }

    /// Runs `work` on tokio's blocking pool: database and keychain calls may take seconds (a
    /// busy keychain daemon) and must not hold up the caller's thread.
    pub async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&App) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.on_blocking_pool(work).await?
    }

    /// Runs `work` on tokio's blocking pool; `Err` only when the task itself failed.
    pub(crate) async fn on_blocking_pool<R: Send + 'static>(
        &self,
        work: impl FnOnce(&App) -> R + Send + 'static,
    ) -> Result<R> {
        let app = self.clone();
        tokio::task::spawn_blocking(move || work(&app))
            .await
            .map_err(|e| Error::Internal {
                detail: format!("a background task failed: {e}"),
            })
    }

    // ---- Settings ----

    pub async fn settings(&self) -> Result<Settings> {
        self.blocking(|app| crate::settings::load(app.db())).await
    }

    pub async fn set_language(&self, language: Option<Language>) -> Result<Settings> {
        self.blocking(move |app| crate::settings::set_language(app.db(), language))
            .await
    }

    pub async fn set_theme(&self, theme: Theme) -> Result<Settings> {
        self.blocking(move |app| crate::settings::set_theme(app.db(), theme))
            .await
    }

    pub async fn set_proxy(&self, proxy: Option<String>) -> Result<Settings> {
        self.blocking(move |app| crate::settings::set_proxy(app.db(), proxy.as_deref()))
            .await
    }

    pub async fn set_close_action(&self, action: Option<CloseAction>) -> Result<Settings> {
        self.blocking(move |app| crate::settings::set_close_action(app.db(), action))
            .await
    }

    pub async fn set_login_relay(&self, name: String, on: bool) -> Result<Settings> {
        self.blocking(move |app| crate::settings::set_login_relay(app.db(), &name, on))
            .await
    }

    pub async fn app_info(&self) -> Result<AppInfo> {
        self.blocking(|app| crate::settings::app_info(app.db(), app.paths()))
            .await
    }

    // ---- Keychain ----

    /// Succeeds when the keychain answers now (the banner's Retry).
    pub async fn keychain_status(&self) -> Result<()> {
        self.blocking(|app| app.store().probe()).await
    }

    /// One stored secret of a profile, for the shell to put on the clipboard.
    pub async fn profile_secret(&self, name: String, kind: SecretKind) -> Result<Secret> {
        self.blocking(move |app| {
            let uid = crate::profiles::uid_of(app.db(), &name)?;
            app.store()
                .get(&uid, kind)?
                .ok_or_else(|| Error::SecretNotStored {
                    name: name.trim().to_owned(),
                    secret: kind.label(),
                })
        })
        .await
    }

    // ---- Sandbox ----

    /// Says the sandbox is being started: profile lists wait for [`App::set_sandbox_status`].
    pub fn begin_startup(&self) {
        self.inner.ready.send_replace(false);
    }

    /// Waits (at most 30 s) until start-up work announced by [`App::begin_startup`] is done.
    pub async fn ready(&self) {
        let mut ready = self.inner.ready.subscribe();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(30),
            ready.wait_for(|ready| *ready),
        )
        .await;
    }

    /// What the sandbox is (set by the face that started the simulated tenant), once start-up
    /// is done.
    pub async fn sandbox_status(&self) -> SandboxStatus {
        self.ready().await;
        self.inner
            .sandbox
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Records the sandbox's state and ends start-up.
    pub fn set_sandbox_status(&self, status: SandboxStatus) {
        *self
            .inner
            .sandbox
            .write()
            .unwrap_or_else(|e| e.into_inner()) = status;
        self.inner.ready.send_replace(true);
    }
}

#[cfg(test)]
mod tests;
