//! The state every command can reach: cheap handles over `companion`'s parts.

use std::sync::{Mutex, MutexGuard};

use companion::db::Database;
use companion::paths::AppPaths;

pub struct AppState {
    pub paths: AppPaths,
    db: Mutex<Database>,
}

impl AppState {
    pub fn open(paths: AppPaths) -> companion::Result<Self> {
        let db = Database::open(&paths.data_dir)?;
        Ok(Self {
            paths,
            db: Mutex::new(db),
        })
    }

    /// The database; a poisoned lock only means another command panicked mid-call, and SQLite's
    /// own transactions keep the data consistent, so carry on.
    pub fn db(&self) -> MutexGuard<'_, Database> {
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }
}
