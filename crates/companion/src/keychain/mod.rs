//! Where a profile's secrets live: the OS keychain (macOS Keychain, Windows Credential Manager,
//! the Secret Service on Linux) through the `keyring` crate, and nowhere else.
//!
//! One entry per secret per profile: service [`SERVICE`], user `<profile uid>/<secret>`. The uid
//! never changes, so a renamed profile keeps its entries. When no keychain is reachable every
//! call fails with [`Error::KeychainUnavailable`]; there is deliberately no plain-text fallback.
//!
//! Every call runs on one keychain thread ([`worker`]) that keeps the connection open, and no
//! caller waits longer than [`worker::DEADLINE`]: a keychain that is slow to answer becomes
//! [`Error::KeychainTimeout`] ("did not answer in time"), never "no keychain". Callers are
//! async commands and CLI code, never the UI's main thread.

#[cfg(target_os = "linux")]
mod secret_service;
pub mod worker;

use lark_platform::secret::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ids::ProfileUid;
use crate::{redact, Error, Result};

/// The keychain service name of every entry the app writes.
pub const SERVICE: &str = "lark-companion";

/// The secrets a Feishu/Lark custom app has, as named in the developer console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecretKind {
    AppSecret,
    VerificationToken,
    EncryptKey,
}

impl SecretKind {
    pub const ALL: [SecretKind; 3] = [
        SecretKind::AppSecret,
        SecretKind::VerificationToken,
        SecretKind::EncryptKey,
    ];

    /// The suffix of the keychain entry's user name; stable, never translated.
    pub fn entry_suffix(self) -> &'static str {
        match self {
            SecretKind::AppSecret => "app_secret",
            SecretKind::VerificationToken => "verification_token",
            SecretKind::EncryptKey => "encrypt_key",
        }
    }

    /// The name the developer console uses, for prompts and messages.
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::AppSecret => "App Secret",
            SecretKind::VerificationToken => "Verification Token",
            SecretKind::EncryptKey => "Encrypt Key",
        }
    }
}

/// The keychain entry's user name for one secret of one profile.
pub fn entry_user(uid: &ProfileUid, kind: SecretKind) -> String {
    format!("{uid}/{}", kind.entry_suffix())
}

/// Secret storage keyed by (profile uid, secret kind). The product uses [`OsKeychain`]; unit
/// tests use an in-memory store that only exists under `cfg(test)`.
pub trait SecretStore: Send + Sync {
    /// A cheap read that fails with [`Error::KeychainUnavailable`] when nothing could be stored,
    /// so callers can refuse before writing anything.
    fn probe(&self) -> Result<()>;
    /// The stored secret, registered with [`redact`], or `None` when there is no entry.
    fn get(&self, uid: &ProfileUid, kind: SecretKind) -> Result<Option<Secret>>;
    /// Creates or replaces the entry.
    fn set(&self, uid: &ProfileUid, kind: SecretKind, value: &Secret) -> Result<()>;
    /// Removes the entry; removing a missing entry is not an error.
    fn delete(&self, uid: &ProfileUid, kind: SecretKind) -> Result<()>;
}

/// The operating system's keychain, through the one keychain thread. Clones share the thread.
#[derive(Clone)]
pub struct OsKeychain {
    worker: std::sync::Arc<worker::Worker>,
}

impl Default for OsKeychain {
    fn default() -> Self {
        Self::new()
    }
}

impl OsKeychain {
    /// Starts the keychain thread; nothing is asked of the keychain until the first call.
    pub fn new() -> Self {
        #[cfg(target_os = "linux")]
        let backend = secret_service::SecretServiceBackend::default();
        #[cfg(not(target_os = "linux"))]
        let backend = native::KeyringBackend;
        Self {
            worker: std::sync::Arc::new(worker::Worker::spawn(backend, worker::DEADLINE)),
        }
    }
}

impl std::fmt::Debug for OsKeychain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OsKeychain")
    }
}

impl SecretStore for OsKeychain {
    fn probe(&self) -> Result<()> {
        self.worker.probe()
    }

    fn get(&self, uid: &ProfileUid, kind: SecretKind) -> Result<Option<Secret>> {
        let secret = self.worker.get(&entry_user(uid, kind))?;
        if let Some(secret) = &secret {
            redact::register(secret);
        }
        Ok(secret)
    }

    fn set(&self, uid: &ProfileUid, kind: SecretKind, value: &Secret) -> Result<()> {
        let user = entry_user(uid, kind);
        redact::register(value);
        self.worker.set(&user, value)?;
        tracing::debug!(entry = %user, "secret stored in the keychain");
        Ok(())
    }

    fn delete(&self, uid: &ProfileUid, kind: SecretKind) -> Result<()> {
        self.worker.delete(&entry_user(uid, kind))
    }
}

/// macOS Keychain and Windows Credential Manager, through the `keyring` crate.
#[cfg_attr(target_os = "linux", allow(dead_code))]
mod native {
    use super::*;

    pub struct KeyringBackend;

    fn entry(user: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(SERVICE, user).map_err(|e| map_error(user, e))
    }

    impl worker::Backend for KeyringBackend {
        fn probe(&mut self) -> Result<()> {
            match entry("probe")?.get_password() {
                Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(map_error("probe", e)),
            }
        }

        fn get(&mut self, user: &str) -> Result<Option<Secret>> {
            match entry(user)?.get_password() {
                Ok(value) => Ok(Some(Secret::new(value))),
                Err(keyring::Error::NoEntry) => Ok(None),
                Err(e) => Err(map_error(user, e)),
            }
        }

        fn set(&mut self, user: &str, value: &Secret) -> Result<()> {
            entry(user)?
                .set_password(value.expose())
                .map_err(|e| map_error(user, e))
        }

        fn delete(&mut self, user: &str) -> Result<()> {
            match entry(user)?.delete_credential() {
                Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
                Err(e) => Err(map_error(user, e)),
            }
        }
    }
}

/// Turns a keyring error into ours. Unreachable or locked storage becomes
/// `KeychainUnavailable`; the payloads that could carry a secret (`BadEncoding` holds the bytes,
/// `Ambiguous` the matching items) are never formatted.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn map_error(user: &str, error: keyring::Error) -> Error {
    match error {
        keyring::Error::NoStorageAccess(e) | keyring::Error::PlatformFailure(e) => {
            Error::KeychainUnavailable {
                detail: e.to_string(),
            }
        }
        keyring::Error::BadEncoding(_) => Error::KeychainEntry {
            entry: user.to_owned(),
            detail: "its value is not UTF-8 text".into(),
        },
        keyring::Error::Ambiguous(items) => Error::KeychainEntry {
            entry: user.to_owned(),
            detail: format!("{} entries match it", items.len()),
        },
        keyring::Error::NoEntry => Error::KeychainEntry {
            entry: user.to_owned(),
            detail: "it does not exist".into(),
        },
        other => Error::KeychainUnavailable {
            detail: other.to_string(),
        },
    }
}

/// An in-memory [`SecretStore`] for unit tests only; it does not exist in any other build, so
/// the product cannot fall back to it.
#[cfg(test)]
pub(crate) mod memory {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use super::*;

    #[derive(Default)]
    pub struct MemoryStore {
        pub entries: Mutex<HashMap<String, Secret>>,
        /// When set, every call fails as if no keychain were reachable.
        pub unavailable: bool,
        /// When set, `set` fails for this kind (after earlier kinds succeeded).
        pub fail_on: Option<SecretKind>,
        /// How many reads and writes reached the store (each is a D-Bus round trip for real).
        pub reads: std::sync::atomic::AtomicUsize,
        pub writes: std::sync::atomic::AtomicUsize,
    }

    impl MemoryStore {
        pub fn len(&self) -> usize {
            self.entries.lock().unwrap().len()
        }

        fn check(&self) -> Result<()> {
            if self.unavailable {
                return Err(Error::KeychainUnavailable {
                    detail: "test store is unavailable".into(),
                });
            }
            Ok(())
        }
    }

    impl SecretStore for MemoryStore {
        fn probe(&self) -> Result<()> {
            self.check()
        }

        fn get(&self, uid: &ProfileUid, kind: SecretKind) -> Result<Option<Secret>> {
            self.check()?;
            self.reads.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Ok(self
                .entries
                .lock()
                .unwrap()
                .get(&entry_user(uid, kind))
                .cloned())
        }

        fn set(&self, uid: &ProfileUid, kind: SecretKind, value: &Secret) -> Result<()> {
            self.check()?;
            if self.fail_on == Some(kind) {
                return Err(Error::KeychainUnavailable {
                    detail: "test store refused the write".into(),
                });
            }
            self.writes
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            self.entries
                .lock()
                .unwrap()
                .insert(entry_user(uid, kind), value.clone());
            Ok(())
        }

        fn delete(&self, uid: &ProfileUid, kind: SecretKind) -> Result<()> {
            self.check()?;
            self.entries.lock().unwrap().remove(&entry_user(uid, kind));
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_user_is_uid_slash_secret() {
        let uid = ProfileUid::from_stored("0123456789abcdef0123456789abcdef".into());
        assert_eq!(
            entry_user(&uid, SecretKind::VerificationToken),
            "0123456789abcdef0123456789abcdef/verification_token"
        );
    }

    #[test]
    fn unreachable_storage_maps_to_keychain_unavailable_without_secret_bytes() {
        let err = map_error(
            "u/app_secret",
            keyring::Error::NoStorageAccess("collection is locked".into()),
        );
        assert_eq!(
            err.problem().kind,
            crate::problem::ProblemKind::KeychainUnavailable
        );
        let problem = crate::problem::Problem::from(err);
        assert!(problem.english().contains("collection is locked"));
        assert!(!problem.english_fix().unwrap().is_empty());

        let err = map_error(
            "u/app_secret",
            keyring::Error::BadEncoding(b"top-secret-bytes".to_vec()),
        );
        assert!(!err.to_string().contains("top-secret"), "{err}");
    }
}
