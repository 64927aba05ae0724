//! The state every command can reach: cheap handles over `companion`'s parts.

use std::sync::{Mutex, MutexGuard};

use companion::db::Database;
use companion::keychain::OsKeychain;
use companion::paths::AppPaths;
use companion::quota::{LedgerOptions, Meter};
use companion::relay::{LongConnectionRelay, Relay};
use companion::sandbox::SandboxStatus;

use crate::sandbox::Sandbox;

pub struct AppState {
    pub paths: AppPaths,
    pub store: OsKeychain,
    /// Every Open API client of the app records into this ledger and shares its limiters.
    pub meter: Meter,
    db: Mutex<Database>,
    /// Kept alive for as long as the app runs; dropping it stops the simulated tenant.
    sandbox: Option<Sandbox>,
    /// The running callback relay (Relay screen); reads share the lock, start/stop take it alone.
    pub relay: tokio::sync::RwLock<Option<Relay>>,
    /// The relay in long-connection mode (at most one of the two runs).
    pub long_connection: tokio::sync::RwLock<Option<LongConnectionRelay>>,
}

impl AppState {
    pub fn open(paths: AppPaths) -> companion::Result<Self> {
        let db = Database::open(&paths.data_dir)?;
        let meter = Meter::open(&paths.data_dir, LedgerOptions::default())?;
        Ok(Self {
            paths,
            store: OsKeychain::new(),
            meter,
            db: Mutex::new(db),
            sandbox: None,
            relay: tokio::sync::RwLock::new(None),
            long_connection: tokio::sync::RwLock::new(None),
        })
    }

    pub fn with_sandbox(mut self, sandbox: Option<Sandbox>) -> Self {
        self.sandbox = sandbox;
        self
    }

    /// The database; a poisoned lock only means another command panicked mid-call, and SQLite's
    /// own transactions keep the data consistent, so carry on.
    pub fn db(&self) -> MutexGuard<'_, Database> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn sandbox_status(&self) -> SandboxStatus {
        self.sandbox
            .as_ref()
            .map(Sandbox::status)
            .unwrap_or_else(SandboxStatus::off)
    }
}
