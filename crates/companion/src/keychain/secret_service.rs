//! The Secret Service (gnome-keyring, KeePassXC, …) on Linux, over one D-Bus connection and one
//! encrypted session that live as long as the app, through the `secret-service` crate.
//!
//! Why not the `keyring` crate here, as on macOS and Windows: its Linux backend opens a new D-Bus
//! connection and key exchange for every secret, and gives each D-Bus call a fixed 2 s deadline
//! with no retry; gnome-keyring fsyncs twice before it answers a write, so on a busy disk a
//! write that succeeded was reported as "no keychain". Here the only deadline is the worker's
//! (`worker::DEADLINE`), a dropped connection is re-opened once, and a write is read back.
//!
//! Items are written the way `keyring` writes them (attributes `service`, `username`,
//! `target = default`, `application = rust-keyring`, in the default collection), so entries
//! saved by earlier versions of the app are found, and the keychain test reads ours with
//! `keyring` itself.

use std::collections::HashMap;

use lark_platform::secret::Secret;
use secret_service::blocking::{Item, SecretService};
use secret_service::{EncryptionType, Error as SsError};

use super::worker::Backend;
use super::SERVICE;
use crate::{Error, Result};

const TARGET: &str = "default";
const APPLICATION: &str = "rust-keyring";

#[derive(Default)]
pub struct SecretServiceBackend {
    service: Option<SecretService<'static>>,
}

impl SecretServiceBackend {
    /// Runs `op` on the open connection (opening it first). A transport error drops the
    /// connection and runs `op` once more on a fresh one: the daemon may have restarted.
    fn with_service<T>(
        &mut self,
        op: impl Fn(&SecretService<'static>) -> std::result::Result<T, SsError>,
    ) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            if self.service.is_none() {
                self.service =
                    Some(SecretService::connect(EncryptionType::Dh).map_err(unavailable)?);
            }
            let service = self.service.as_ref().expect("connected above");
            match op(service) {
                Ok(value) => return Ok(value),
                Err(error @ (SsError::Zbus(_) | SsError::ZbusFdo(_))) => {
                    self.service = None;
                    if attempt >= 2 {
                        return Err(unavailable(error));
                    }
                    tracing::debug!(%error, "keychain connection lost; opening a new one");
                }
                Err(error) => return Err(unavailable(error)),
            }
        }
    }
}

fn attributes(user: &str) -> HashMap<&str, &str> {
    HashMap::from([("service", SERVICE), ("username", user), ("target", TARGET)])
}

/// The unique item of `user`, unlocked; `None` when there is none.
fn find<'a>(
    service: &'a SecretService<'static>,
    user: &str,
) -> std::result::Result<Option<Item<'a>>, SsError> {
    let found = service.search_items(attributes(user))?;
    let mut items = found.unlocked;
    for item in found.locked {
        item.unlock()?;
        items.push(item);
    }
    // Duplicates are not ours to resolve silently: use the first, as keyring's own search
    // would refuse; they only arise from tools other than this app.
    Ok(items.into_iter().next())
}

fn read(
    service: &SecretService<'static>,
    user: &str,
) -> std::result::Result<Option<Vec<u8>>, SsError> {
    match find(service, user)? {
        Some(item) => item.get_secret().map(Some),
        None => Ok(None),
    }
}

impl Backend for SecretServiceBackend {
    fn probe(&mut self) -> Result<()> {
        self.with_service(|service| {
            let collection = service.get_default_collection()?;
            if collection.is_locked()? {
                collection.unlock()?;
            }
            Ok(())
        })
    }

    fn get(&mut self, user: &str) -> Result<Option<Secret>> {
        match self.with_service(|service| read(service, user))? {
            Some(bytes) => String::from_utf8(bytes)
                .map(|text| Some(Secret::new(text)))
                .map_err(|_| Error::KeychainEntry {
                    entry: user.to_owned(),
                    detail: "its value is not UTF-8 text".into(),
                }),
            None => Ok(None),
        }
    }

    fn set(&mut self, user: &str, value: &Secret) -> Result<()> {
        let bytes = value.expose().as_bytes();
        self.with_service(|service| {
            match find(service, user)? {
                Some(item) => item.set_secret(bytes, "text/plain")?,
                None => {
                    let mut attrs = attributes(user);
                    attrs.insert("application", APPLICATION);
                    let label = format!("{user}@{SERVICE}:{TARGET} (lark-companion)");
                    let collection = service.get_default_collection()?;
                    if collection.is_locked()? {
                        collection.unlock()?;
                    }
                    collection.create_item(&label, attrs, bytes, true, "text/plain")?;
                }
            }
            Ok(())
        })?;
        // Read back: a write the daemon acknowledged but did not keep must not count as stored.
        let kept = self.with_service(|service| read(service, user))?;
        if kept.as_deref() == Some(bytes) {
            Ok(())
        } else {
            Err(Error::KeychainEntry {
                entry: user.to_owned(),
                detail: "the keychain did not keep the value written".into(),
            })
        }
    }

    fn delete(&mut self, user: &str) -> Result<()> {
        self.with_service(|service| {
            if let Some(item) = find(service, user)? {
                item.delete()?;
            }
            Ok(())
        })
    }
}

/// No reachable Secret Service, a locked collection, a dismissed prompt. The crate's messages
/// carry no secret bytes.
fn unavailable(error: SsError) -> Error {
    let detail = match error {
        SsError::Locked => "the keyring is locked".to_owned(),
        SsError::Prompt => "the unlock prompt was dismissed".to_owned(),
        SsError::Unavailable => "no Secret Service is running on the session bus".to_owned(),
        other => other.to_string(),
    };
    Error::KeychainUnavailable { detail }
}
