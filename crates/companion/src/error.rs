//! The crate's error type. Messages are written for people and never contain a secret value.

use crate::ipc::{ErrorCode, Fix, IpcError};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("The database at {path} could not be opened: {source}")]
    DatabaseOpen {
        path: String,
        #[source]
        source: rusqlite::Error,
    },
    #[error("The database could not be upgraded to the current version: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    #[error("Database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("The folder {path} could not be used: {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// No OS keychain could be reached (no Secret Service on the bus, a locked collection, a
    /// denied prompt). `detail` is the platform's own words and never holds a secret value.
    #[error("The OS keychain is not available, so no secret was stored: {detail}")]
    KeychainUnavailable { detail: String },
    /// The keychain is there but did not answer within the deadline (a busy daemon or disk).
    /// A write may or may not have been kept; trying again is safe.
    #[error(
        "The OS keychain did not answer within {seconds} s. It is running but busy; a secret \
         being saved may or may not have been stored."
    )]
    KeychainTimeout { seconds: u64 },
    /// The keychain answered, but an entry of ours is unusable (not text, or duplicated).
    #[error("The keychain entry {entry} is unusable: {detail}")]
    KeychainEntry { entry: String, detail: String },
    #[error("The profile \"{name}\" has no {secret} in the keychain.")]
    SecretNotStored { name: String, secret: &'static str },
    /// Something that should not happen (a background task panicked); details are logged.
    #[error("An unexpected problem occurred inside the app: {detail}")]
    Internal { detail: String },
    #[error("There is no profile named \"{name}\".")]
    ProfileNotFound { name: String },
    #[error("A profile named \"{name}\" already exists.")]
    ProfileExists { name: String },
    #[error("Nothing was imported: profiles named {names} already exist.")]
    ImportConflict { names: String },
    /// Feishu/Lark answered with an error (or did not answer); the message says which.
    #[error("{0}")]
    Platform(#[from] lark_platform::client::ApiError),
    /// The HTTP client could not be set up (a bad base URL or proxy setting).
    #[error("{0}")]
    ClientSetup(#[from] lark_platform::client::BuildError),
    /// A feature module's own error, put in words by that module, which converts its errors
    /// into this one (so this module needs to know no feature: e.g. a card template that could
    /// not be read, or a pasted alert payload that could not be parsed).
    #[error("{message}")]
    Feature {
        code: ErrorCode,
        message: String,
        fix: Option<Fix>,
    },
}

impl Error {
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn code(&self) -> ErrorCode {
        match self {
            Error::DatabaseOpen { .. } | Error::Migration(_) | Error::Database(_) => {
                ErrorCode::Storage
            }
            Error::Invalid { .. } => ErrorCode::InvalidInput,
            Error::Folder { .. } => ErrorCode::Storage,
            Error::KeychainUnavailable { .. } => ErrorCode::KeychainUnavailable,
            Error::KeychainTimeout { .. } => ErrorCode::KeychainTimeout,
            Error::KeychainEntry { .. } => ErrorCode::Storage,
            Error::ProfileNotFound { .. } | Error::SecretNotStored { .. } => ErrorCode::NotFound,
            Error::Internal { .. } => ErrorCode::Internal,
            Error::ProfileExists { .. } | Error::ImportConflict { .. } => ErrorCode::AlreadyExists,
            Error::Platform(_) => ErrorCode::Platform,
            Error::ClientSetup(_) => ErrorCode::InvalidInput,
            Error::Feature { code, .. } => *code,
        }
    }

    fn fix(&self) -> Option<Fix> {
        match self {
            Error::DatabaseOpen { .. } | Error::Folder { .. } => Some(Fix::text(
                "Check that the data folder exists and is writable, or choose another one with \
                 LARK_COMPANION_DATA_DIR.",
            )),
            Error::Migration(_) => Some(Fix::text(
                "The database may come from a newer version of Lark Companion. Update the app, \
                 or move the data folder aside to start fresh.",
            )),
            Error::KeychainUnavailable { .. } => Some(Fix::text(keychain_fix())),
            Error::KeychainTimeout { .. } => Some(Fix::text(
                "Try again in a moment (Retry). If it keeps happening, the keychain daemon may \
                 be stuck or the disk overloaded: restart the keyring (on Linux, gnome-keyring) \
                 or wait until the disk is less busy.",
            )),
            Error::KeychainEntry { .. } => Some(Fix::text(
                "Delete the entries of service \"lark-companion\" for this profile in your \
                 keychain app (Keychain Access, Credential Manager, Seahorse), then enter the \
                 profile's secrets again.",
            )),
            Error::SecretNotStored { .. } => Some(Fix::text(
                "Enter it in the setup wizard's credentials step (or with lark-companion-cli \
                 profile set-secrets).",
            )),
            Error::ProfileNotFound { .. } => Some(Fix::text(
                "Check the name (see the profile list); names are not case-sensitive.",
            )),
            Error::ProfileExists { .. } => Some(Fix::text(
                "Choose another name, or rename or delete the existing profile first.",
            )),
            Error::ImportConflict { .. } => Some(Fix::text(
                "Rename or delete the existing profiles, or change the names in the file, then \
                 import again.",
            )),
            Error::Feature { fix, .. } => fix.clone(),
            _ => None,
        }
    }
}

/// What to do when no keychain is reachable, for the OS this build runs on.
fn keychain_fix() -> &'static str {
    if cfg!(target_os = "macos") {
        "Open Keychain Access and unlock the login keychain (File > Unlock Keychain \"login\"), \
         then try again. If macOS asked whether Lark Companion may use the keychain, choose \
         Allow."
    } else if cfg!(target_os = "windows") {
        "Open Credential Manager (Control Panel > User Accounts > Credential Manager) and check \
         that Windows Credentials can be opened; sign in with your own account rather than a \
         guest or service account, then try again."
    } else {
        "Lark Companion keeps secrets in the Secret Service. Install and start gnome-keyring \
         (or another Secret Service provider such as KeePassXC) and unlock the login keyring, \
         e.g. by logging in to a desktop session. On a server or in a container, pass the \
         secrets as LARK_APP_ID, LARK_APP_SECRET, LARK_VERIFICATION_TOKEN and LARK_ENCRYPT_KEY \
         instead of saving a profile."
    }
}

impl From<Error> for IpcError {
    fn from(error: Error) -> Self {
        IpcError {
            code: error.code(),
            message: error.to_string(),
            fix: error.fix(),
        }
    }
}
