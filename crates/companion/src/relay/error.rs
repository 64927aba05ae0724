//! The relay's errors. Each maps to the one IPC error type with a stable code, and none carries a
//! secret value.

use std::net::SocketAddr;

use crate::ipc::{ErrorCode, Fix, IpcError};

#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The port is taken or not allowed; never a panic.
    #[error("The relay cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("{field}: {message}")]
    InvalidInput {
        field: &'static str,
        message: String,
    },
    #[error("No relay request with id {0} is recorded (it may have been pruned).")]
    RecordNotFound(i64),
    #[error("No profile named \"{0}\" is served by this relay.")]
    UnknownProfile(String),
    #[error("The profile \"{0}\" has no upstream URL to send to.")]
    NoUpstream(String),
    #[error("Record {0} has no readable body to replay (it could not be decrypted or parsed).")]
    NothingToReplay(i64),
    /// Replay seals the recorded body with the profile's real keys and Verification Token: for a
    /// request the relay refused, that would make a forgery genuine.
    #[error(
        "Record {id} was rejected ({code}); replaying it would sign a request the relay refused \
         with the profile's real keys, so it is not replayed."
    )]
    ReplayRejected { id: i64, code: String },
    /// Accepted before the relay refused unverifiable kinds, with no check that authenticated
    /// the sender: replaying would sign it all the same.
    #[error(
        "Record {0} was accepted with no signature or token check (the profile lacked the \
         secret), so it is not replayed."
    )]
    ReplayUnverified(i64),
    #[error("The request to {url} failed: {detail}")]
    Send { url: String, detail: String },
    #[error(transparent)]
    Storage(#[from] crate::Error),
}

impl From<rusqlite::Error> for RelayError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Storage(crate::Error::Database(e))
    }
}

impl RelayError {
    pub fn code(&self) -> ErrorCode {
        match self {
            RelayError::Bind { .. } | RelayError::InvalidInput { .. } => ErrorCode::InvalidInput,
            RelayError::RecordNotFound(_) | RelayError::UnknownProfile(_) => ErrorCode::NotFound,
            RelayError::NoUpstream(_)
            | RelayError::NothingToReplay(_)
            | RelayError::ReplayRejected { .. }
            | RelayError::ReplayUnverified(_) => ErrorCode::InvalidInput,
            RelayError::Send { .. } => ErrorCode::Platform,
            RelayError::Storage(e) => e.code(),
        }
    }

    fn fix(&self) -> Option<Fix> {
        match self {
            RelayError::Bind { .. } => Some(Fix::text(
                "Choose another port (or 0 for any free one), or stop the program using it.",
            )),
            RelayError::NoUpstream(_) => Some(Fix::text(
                "Set an upstream URL (for example the integration's Message Card Request URL) \
                 and start the relay again.",
            )),
            RelayError::ReplayRejected { .. } | RelayError::ReplayUnverified(_) => Some(Fix::text(
                "To send this body on anyway, edit it in the signature lab and sign it there \
                 yourself: the lab says that it is then signed with your keys.",
            )),
            _ => None,
        }
    }
}

impl From<RelayError> for IpcError {
    fn from(error: RelayError) -> Self {
        if let RelayError::Storage(inner) = error {
            return inner.into();
        }
        IpcError {
            code: error.code(),
            message: error.to_string(),
            fix: error.fix(),
        }
    }
}
