//! The relay's errors. Each is a `Problem` when it reaches a person, and none carries a
//! secret value.

use std::net::SocketAddr;

use crate::problem::{Problem, ProblemCode as C};

#[derive(Debug)]
pub enum RelayError {
    /// The port is taken or not allowed; never a panic.
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    InvalidInput {
        problem: Problem,
    },
    /// Another relay (in this process or another) serves the profile from the same data folder
    /// (`claim`); `holder` is `None` when its holder file could not be read.
    AlreadyRunning {
        profile: String,
        holder: Option<super::claim::Holder>,
    },
    RecordNotFound(i64),
    UnknownProfile(String),
    NoUpstream(String),
    NothingToReplay(i64),
    /// Replay seals the recorded body with the profile's real keys and Verification Token: for a
    /// request the relay refused, that would make a forgery genuine.
    ReplayRejected {
        id: i64,
        code: String,
    },
    /// Accepted before the relay refused unverifiable kinds, with no check that authenticated
    /// the sender: replaying would sign it all the same.
    ReplayUnverified(i64),
    Send {
        url: String,
        detail: String,
    },
    Storage(crate::Error),
}

impl std::error::Error for RelayError {}

impl From<crate::Error> for RelayError {
    fn from(e: crate::Error) -> Self {
        Self::Storage(e)
    }
}

impl From<rusqlite::Error> for RelayError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Storage(crate::Error::Database(e))
    }
}

impl RelayError {
    /// The problem a person reads.
    pub fn problem(&self) -> Problem {
        match self {
            RelayError::Bind { addr, source } => Problem::new(C::RelayBind)
                .param("addr", addr)
                .param("detail", source),
            RelayError::InvalidInput { problem } => problem.clone(),
            RelayError::AlreadyRunning { profile, holder } => {
                let unknown = || "?".to_owned();
                Problem::new(C::RelayAlreadyRunning)
                    .param("profile", profile)
                    .param(
                        "pid",
                        holder.as_ref().map_or_else(unknown, |h| h.pid.to_string()),
                    )
                    .param(
                        "program",
                        holder.as_ref().map_or_else(unknown, |h| h.program.clone()),
                    )
                    .param(
                        "listen",
                        holder.as_ref().map_or_else(unknown, |h| h.listen.clone()),
                    )
            }
            RelayError::RecordNotFound(id) => Problem::new(C::RelayRecordNotFound).param("id", id),
            RelayError::UnknownProfile(name) => {
                Problem::new(C::RelayUnknownProfile).param("name", name)
            }
            RelayError::NoUpstream(name) => Problem::new(C::RelayNoUpstream).param("name", name),
            RelayError::NothingToReplay(id) => Problem::new(C::ReplayNothing).param("id", id),
            RelayError::ReplayRejected { id, code } => Problem::new(C::ReplayRejected)
                .param("id", id)
                .param("reason", code),
            RelayError::ReplayUnverified(id) => Problem::new(C::ReplayUnverified).param("id", id),
            RelayError::Send { url, detail } => Problem::new(C::RelaySendFailed)
                .param("url", url)
                .param("detail", detail),
            RelayError::Storage(inner) => inner.problem(),
        }
    }

    /// A refused value of the relay's settings.
    pub fn invalid(field: &str, problem: Problem) -> Self {
        RelayError::InvalidInput {
            problem: problem.field(field),
        }
    }
}

impl std::fmt::Display for RelayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem().fmt(f)
    }
}

impl From<RelayError> for Problem {
    fn from(error: RelayError) -> Self {
        error.problem()
    }
}
