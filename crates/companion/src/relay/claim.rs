//! One relay per data folder and profile. Two relays serving one profile from one data folder
//! (two `lark-companion-cli relay` processes, or the app and the CLI) both delivered the
//! profile's outbox rows, so every event reached the upstream twice. A relay therefore claims
//! each profile it serves before serving, in either mode ([`Relay::start`],
//! [`LongConnectionRelay::start`], which both the app and the CLI call): an OS lock on
//! `relay-<slug>.lock` in the data folder ([`lock_path`]), held until the relay stops. The OS
//! releases it when the process dies, so there is never a stale lock to clean up.
//!
//! Who holds the lock is written beside it, in `relay-<slug>.holder` ([`holder_path`]: pid,
//! program, address), so that a refused start names the relay to stop. It is not in the lock
//! file itself because on Windows a locked file cannot be read by another process. A store
//! without a folder (in memory, for tests) claims nothing.
//!
//! [`Relay::start`]: super::Relay::start
//! [`LongConnectionRelay::start`]: super::LongConnectionRelay::start

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::error::RelayError;
use super::state::RelayCore;

/// Which program runs a relay, as the refusal of a second one names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RelayProgram {
    /// The desktop app (`App::relay_start`, `App::relay_start_long_connection`).
    #[default]
    App,
    /// `lark-companion-cli relay`.
    Cli,
}

impl RelayProgram {
    pub fn as_str(self) -> &'static str {
        match self {
            RelayProgram::App => "lark-companion",
            RelayProgram::Cli => "lark-companion-cli relay",
        }
    }
}

/// The relay holding a profile, as its holder file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub program: String,
    /// The address it listens on (HTTP), or the platform it dials (long connection).
    pub listen: String,
}

/// The lock file of profile `slug` in `data_dir`.
pub fn lock_path(data_dir: &Path, slug: &str) -> PathBuf {
    data_dir.join(format!("relay-{slug}.lock"))
}

/// The file naming the holder of profile `slug`'s lock.
pub fn holder_path(data_dir: &Path, slug: &str) -> PathBuf {
    data_dir.join(format!("relay-{slug}.holder"))
}

/// The profiles a relay holds. Dropping it releases them.
pub(crate) struct Claim {
    held: Vec<Held>,
    holder: Holder,
}

struct Held {
    /// Locked while open: closing the file (or the process's death) releases the lock.
    _lock: File,
    holder_path: PathBuf,
}

/// How long a refused start waits for the holder file of a relay that has just taken the lock.
const HOLDER_WAIT: Duration = Duration::from_millis(200);

/// Claims every profile `core` serves, for a relay at `listen`; refused with
/// [`RelayError::AlreadyRunning`] (naming the holder) when another relay, in this process or
/// another, serves one of them from the same data folder.
pub(crate) fn claim(core: &RelayCore, listen: &str) -> Result<Claim, RelayError> {
    let holder = Holder {
        pid: std::process::id(),
        program: core.config.program.as_str().to_owned(),
        listen: listen.to_owned(),
    };
    let mut claim = Claim {
        held: Vec::new(),
        holder,
    };
    let Some(dir) = core.store.data_dir() else {
        return Ok(claim);
    };
    let mut profiles: Vec<_> = core.profiles().collect();
    profiles.sort_by(|a, b| a.slug.cmp(&b.slug));
    for profile in profiles {
        let path = lock_path(dir, &profile.slug);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|source| folder_error(&path, source))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                return Err(RelayError::AlreadyRunning {
                    profile: profile.name.clone(),
                    holder: read_holder(&holder_path(dir, &profile.slug)),
                });
            }
            Err(TryLockError::Error(source)) => return Err(folder_error(&path, source)),
        }
        let held = Held {
            _lock: file,
            holder_path: holder_path(dir, &profile.slug),
        };
        write_holder(&held.holder_path, &claim.holder)?;
        claim.held.push(held);
    }
    Ok(claim)
}

impl Claim {
    /// Records where the relay listens once it is bound (port 0 becomes the real port).
    pub(crate) fn set_listen(&mut self, listen: &str) {
        self.holder.listen = listen.to_owned();
        for held in &self.held {
            if let Err(e) = write_holder(&held.holder_path, &self.holder) {
                tracing::warn!(error = %e, "the relay's holder file could not be updated");
            }
        }
    }
}

fn folder_error(path: &Path, source: std::io::Error) -> RelayError {
    RelayError::Storage(crate::Error::Folder {
        path: path.display().to_string(),
        source,
    })
}

/// Writes the holder file whole (a temporary file renamed over it), so a reader never sees half.
fn write_holder(path: &Path, holder: &Holder) -> Result<(), RelayError> {
    let text = serde_json::to_string(holder).unwrap_or_default();
    let temporary = path.with_extension(format!("holder.{}.tmp", holder.pid));
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|source| folder_error(path, source))
}

/// The holder of a lock another relay has. It writes the file right after taking the lock, so a
/// start that lost the race by microseconds waits a moment for it; `None` if it never comes.
fn read_holder(path: &Path) -> Option<Holder> {
    let deadline = std::time::Instant::now() + HOLDER_WAIT;
    loop {
        let holder = std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok());
        if holder.is_some() || std::time::Instant::now() >= deadline {
            return holder;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::relay::{RelayConfig, RelayProfile, RelayStore};

    fn core(dir: &Path, names: &[&str], program: RelayProgram) -> RelayCore {
        let config = RelayConfig {
            program,
            ..RelayConfig::default()
        };
        let profiles = names
            .iter()
            .map(|n| RelayProfile::new(n, Default::default(), None))
            .collect();
        RelayCore::new(config, profiles, RelayStore::open(dir).unwrap()).unwrap()
    }

    #[test]
    fn a_claimed_profile_is_refused_naming_the_holder_until_released() {
        let dir = tempfile::tempdir().unwrap();
        let mut first = claim(&core(dir.path(), &["Prod"], RelayProgram::Cli), "x").unwrap();
        first.set_listen("127.0.0.1:9401");
        let err = claim(&core(dir.path(), &["prod"], RelayProgram::App), "y")
            .err()
            .expect("the slug is claimed");
        let problem = err.problem();
        assert_eq!(problem.code, crate::ProblemCode::RelayAlreadyRunning);
        assert_eq!(problem.params["profile"], "prod");
        assert_eq!(problem.params["pid"], std::process::id().to_string());
        assert_eq!(problem.params["program"], "lark-companion-cli relay");
        assert_eq!(problem.params["listen"], "127.0.0.1:9401");
        assert_eq!(problem.kind, crate::ProblemKind::AlreadyExists);

        // Claiming several is all or nothing: "other" is free again after the refusal.
        let err = claim(
            &core(dir.path(), &["other", "prod"], RelayProgram::App),
            "z",
        );
        assert!(err.is_err());
        let other = claim(&core(dir.path(), &["other"], RelayProgram::App), "z").unwrap();
        drop(other);

        drop(first);
        claim(&core(dir.path(), &["prod"], RelayProgram::App), "y").expect("released");
    }

    #[test]
    fn a_holder_that_cannot_be_read_still_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let _first = claim(&core(dir.path(), &["main"], RelayProgram::App), "a").unwrap();
        std::fs::remove_file(holder_path(dir.path(), "main")).unwrap();
        let problem = claim(&core(dir.path(), &["main"], RelayProgram::App), "b")
            .err()
            .expect("refused")
            .problem();
        assert_eq!(problem.code, crate::ProblemCode::RelayAlreadyRunning);
        assert_eq!(problem.params["pid"], "?");
    }

    #[test]
    fn a_store_in_memory_claims_nothing() {
        let config = RelayConfig::default();
        let profiles = vec![RelayProfile::new("main", Default::default(), None)];
        let store = RelayStore::in_memory().unwrap();
        let core = RelayCore::new(config, profiles, store).unwrap();
        let _a = claim(&core, "a").unwrap();
        let _b = claim(&core, "b").unwrap();
    }
}
