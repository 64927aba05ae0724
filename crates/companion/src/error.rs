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
            _ => None,
        }
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
