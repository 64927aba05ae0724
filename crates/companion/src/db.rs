//! The one SQLite database of the app: opened here only, in WAL mode, brought to the current
//! schema by embedded, numbered migrations (tracked in SQLite's `user_version`).
//!
//! Opening takes turns: several processes (the app, `lark-companion-cli` commands) and threads
//! may open one data folder at once, and creating the file, switching it to WAL and migrating
//! are not safe to race (two first starts both ran migration 1, and one failed with "table
//! settings already exists"). [`Database::open`] holds an OS lock on [`OPEN_LOCK`] in the data
//! folder while it does them; the OS drops the lock if the holder dies.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use parking_lot::{ReentrantMutex, ReentrantMutexGuard};
use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, Migrations, M};

use crate::{Error, Result};

/// The file name inside the data folder.
pub const FILE_NAME: &str = "lark-companion.sqlite3";

/// The file locked while a connection is opened and migrated (see the module's comment).
pub const OPEN_LOCK: &str = "db.lock";

/// How long an open waits for another one to finish migrating before it goes ahead on SQLite's
/// own locking (a migration takes milliseconds; a holder stuck this long is not migrating).
const OPEN_LOCK_WAIT: Duration = Duration::from_secs(30);

/// Every schema change, in order. Append only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_settings.sql"),
    include_str!("../migrations/0002_profiles.sql"),
    include_str!("../migrations/0003_relay.sql"),
    include_str!("../migrations/0004_quota.sql"),
    include_str!("../migrations/0005_check_findings.sql"),
    include_str!("../migrations/0006_first_hour.sql"),
    CARD_LANGUAGE,
];

/// 0007: the profiles' card language, and 'skipped' in the check history (rebuilt by
/// [`allow_skipped_checks`]).
const CARD_LANGUAGE: &str = include_str!("../migrations/0007_card_language.sql");

fn migrations() -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS
            .iter()
            .map(|sql| match *sql {
                CARD_LANGUAGE => M::up_with_hook(sql, allow_skipped_checks),
                _ => M::up(sql),
            })
            .collect(),
    )
}

const STATUS_CHECK: &str = "CHECK (status IN ('pass', 'fail', 'unknown'))";
const STATUS_CHECK_SKIPPED: &str = "CHECK (status IN ('pass', 'fail', 'unknown', 'skipped'))";

/// Lets `check_history.status` be 'skipped'. SQLite cannot alter a CHECK constraint, so the
/// table is rebuilt from its own stored definition (with whatever columns earlier migrations
/// added) and its indexes are made again: SQLite's documented way to change a table.
fn allow_skipped_checks(tx: &Transaction) -> HookResult {
    let table: String = tx.query_row(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'check_history'",
        [],
        |r| r.get(0),
    )?;
    if !table.contains(STATUS_CHECK) {
        return Ok(());
    }
    let indexes: Vec<String> = tx
        .prepare(
            "SELECT sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'check_history' \
             AND sql IS NOT NULL",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rebuilt = table
        .replacen(
            "CREATE TABLE check_history",
            "CREATE TABLE check_history_new",
            1,
        )
        .replace(STATUS_CHECK, STATUS_CHECK_SKIPPED);
    tx.execute_batch(&rebuilt)?;
    tx.execute_batch(
        "INSERT INTO check_history_new SELECT * FROM check_history;
         DROP TABLE check_history;
         ALTER TABLE check_history_new RENAME TO check_history;",
    )?;
    for index in indexes {
        tx.execute_batch(&index)?;
    }
    Ok(())
}

/// The schema version this build expects.
pub fn latest_version() -> u32 {
    MIGRATIONS.len() as u32
}

/// The connection sits behind a re-entrant lock, so a `&Database` can be shared by every
/// thread and each `conn()` holds the lock only for the statements it runs: a caller that talks
/// to the keychain or the network in between never blocks other readers meanwhile.
pub struct Database {
    conn: ReentrantMutex<Connection>,
    path: Option<PathBuf>,
}

impl Database {
    /// Opens (creating if needed) the database in `data_dir` and migrates it.
    pub fn open(data_dir: &Path) -> Result<Self> {
        std::fs::create_dir_all(data_dir).map_err(|source| Error::Folder {
            path: data_dir.display().to_string(),
            source,
        })?;
        let path = data_dir.join(FILE_NAME);
        let turn = open_turn(data_dir);
        let mut conn = Connection::open(&path).map_err(|source| Error::DatabaseOpen {
            path: path.display().to_string(),
            source,
        })?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        drop(turn);
        Ok(Self {
            conn: ReentrantMutex::new(conn),
            path: Some(path),
        })
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Self> {
        let mut conn = Connection::open_in_memory()?;
        configure(&conn)?;
        migrations().to_latest(&mut conn)?;
        Ok(Self {
            conn: ReentrantMutex::new(conn),
            path: None,
        })
    }

    /// The connection, locked until the guard is dropped (re-entrant on the same thread).
    pub fn conn(&self) -> ReentrantMutexGuard<'_, Connection> {
        self.conn.lock()
    }

    /// The connection for transactions, through exclusive access to the database.
    pub fn conn_mut(&mut self) -> &mut Connection {
        self.conn.get_mut()
    }

    /// The row id of the profile named `name` (trimmed), for tables that refer to a profile by
    /// id, so a rename keeps the reference and a delete drops it.
    pub(crate) fn profile_id(&self, name: &str) -> Result<i64> {
        use rusqlite::OptionalExtension;
        self.conn()
            .query_row(
                "SELECT id FROM profiles WHERE name = ?1",
                [name.trim()],
                |r| r.get(0),
            )
            .optional()?
            .ok_or_else(|| Error::ProfileNotFound {
                name: name.trim().to_owned(),
            })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn version(&self) -> Result<u32> {
        Ok(self
            .conn()
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }
}

/// Waits for this process's turn to open and migrate the database in `data_dir`: the lock on
/// [`OPEN_LOCK`], released when the file is dropped (or the process dies). `None` when the
/// lock cannot be had (a file system without locks, or a holder stuck for [`OPEN_LOCK_WAIT`]):
/// the open then goes ahead on SQLite's own locking and busy timeout.
fn open_turn(data_dir: &Path) -> Option<File> {
    let path = data_dir.join(OPEN_LOCK);
    let file = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "no database open lock");
            return None;
        }
    };
    let deadline = Instant::now() + OPEN_LOCK_WAIT;
    loop {
        match file.try_lock() {
            Ok(()) => return Some(file),
            Err(TryLockError::WouldBlock) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "no database open lock");
                return None;
            }
        }
    }
}

fn configure(conn: &Connection) -> Result<()> {
    // First, so that the statements below wait for another connection's lock instead of
    // failing at once.
    conn.busy_timeout(Duration::from_secs(5))?;
    // WAL lets the relay record requests while the UI reads them; NORMAL sync is durable across
    // app crashes (only an OS crash can lose the last transaction).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(())
}

/// Migrates an open connection to `version` (tests use it to build older databases).
pub fn migrate_to(conn: &mut Connection, version: u32) -> Result<()> {
    migrations().to_version(conn, version as usize)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_list_is_valid() {
        assert!(migrations().validate().is_ok());
    }

    #[test]
    fn empty_database_reaches_latest_version_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path()).unwrap();
        assert_eq!(db.version().unwrap(), latest_version());
        let mode: String = db
            .conn()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        assert!(dir.path().join(FILE_NAME).exists());
    }

    /// Ten first opens of one fresh folder at once (threads here; processes in
    /// `companion-cli/tests/relay_lock.rs`): each waits for the one migrating, none fails.
    #[test]
    fn concurrent_first_opens_of_a_fresh_folder_all_succeed() {
        for _ in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            let barrier = std::sync::Barrier::new(10);
            let results: Vec<Result<u32>> = std::thread::scope(|s| {
                let handles: Vec<_> = (0..10)
                    .map(|_| {
                        s.spawn(|| {
                            barrier.wait();
                            Database::open(dir.path())?.version()
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            for result in results {
                assert_eq!(result.unwrap(), latest_version());
            }
        }
    }

    #[test]
    fn previous_version_database_is_upgraded_keeping_its_data() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let mut conn = Connection::open(&path).unwrap();
            // Version 1 is the oldest schema with user data; every later migration must keep it.
            migrate_to(&mut conn, 1).unwrap();
            conn.execute(
                "INSERT INTO settings(key, value) VALUES ('language', '\"zh-CN\"')",
                [],
            )
            .unwrap();
        }
        let db = Database::open(dir.path()).unwrap();
        assert_eq!(db.version().unwrap(), latest_version());
        let lang: String = db
            .conn()
            .query_row("SELECT value FROM settings WHERE key='language'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(lang, "\"zh-CN\"");
    }

    #[test]
    fn database_from_a_newer_app_is_refused_with_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        {
            let conn = Connection::open(dir.path().join(FILE_NAME)).unwrap();
            conn.pragma_update(None, "user_version", latest_version() + 5)
                .unwrap();
        }
        let err = Database::open(dir.path()).err().expect("must refuse");
        assert_eq!(err.problem().kind, crate::problem::ProblemKind::Storage);
        assert!(err.to_string().contains("upgraded"), "{err}");
    }
}
