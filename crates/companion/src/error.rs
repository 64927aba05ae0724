//! The crate's error type. Each error is a [`Problem`] (a code and its values) when it reaches a
//! person; its words come from the catalogue (see `problem.rs`), and none holds a secret value.

use lark_platform::client::{ApiError, BuildError, CredentialField};

use crate::problem::{Problem, ProblemCode as C};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug)]
pub enum Error {
    DatabaseOpen {
        path: String,
        source: rusqlite::Error,
    },
    Migration(rusqlite_migration::Error),
    Database(rusqlite::Error),
    Folder {
        path: String,
        source: std::io::Error,
    },
    /// No OS keychain could be reached (no Secret Service on the bus, a locked collection, a
    /// denied prompt). `detail` is the platform's own words and never holds a secret value.
    KeychainUnavailable {
        detail: String,
    },
    /// The keychain is there but did not answer within the deadline (a busy daemon or disk).
    /// A write may or may not have been kept; trying again is safe.
    KeychainTimeout {
        seconds: u64,
    },
    /// The keychain answered, but an entry of ours is unusable (not text, or duplicated).
    KeychainEntry {
        entry: String,
        detail: String,
    },
    SecretNotStored {
        name: String,
        secret: &'static str,
    },
    /// Something that should not happen (a background task panicked); details are logged.
    Internal {
        detail: String,
    },
    ProfileNotFound {
        name: String,
    },
    ProfileExists {
        name: String,
    },
    ImportConflict {
        names: String,
    },
    /// Feishu/Lark answered with an error (or did not answer).
    Platform(ApiError),
    /// The HTTP client could not be set up (a bad base URL or proxy setting).
    ClientSetup(BuildError),
    /// Any other problem, already in its reportable shape: a refused value (with its field) or
    /// a feature module's own error, converted inside that module.
    Problem(Problem),
}

impl Error {
    /// A value the user entered was refused.
    pub fn invalid(field: impl Into<String>, code: C) -> Self {
        Self::Problem(Problem::invalid(field, code))
    }

    /// The problem a person reads (the window translates it; the CLI prints its English).
    pub fn problem(&self) -> Problem {
        let detail = |e: &dyn std::fmt::Display| e.to_string();
        match self {
            Error::DatabaseOpen { path, source } => Problem::new(C::DatabaseOpen)
                .param("path", path)
                .param("detail", detail(source)),
            Error::Migration(e) => Problem::new(C::DatabaseUpgrade).param("detail", detail(e)),
            Error::Database(e) => Problem::new(C::Database).param("detail", detail(e)),
            Error::Folder { path, source } => Problem::new(C::Folder)
                .param("path", path)
                .param("detail", detail(source)),
            Error::KeychainUnavailable { detail } => {
                Problem::new(C::KeychainUnavailable).param("detail", detail)
            }
            Error::KeychainTimeout { seconds } => {
                Problem::new(C::KeychainTimeout).param("seconds", seconds)
            }
            Error::KeychainEntry { entry, detail } => Problem::new(C::KeychainEntry)
                .param("entry", entry)
                .param("detail", detail),
            Error::SecretNotStored { name, secret } => Problem::new(C::SecretNotStored)
                .param("name", name)
                .param("secret", secret),
            Error::Internal { detail } => Problem::new(C::Internal).param("detail", detail),
            Error::ProfileNotFound { name } => Problem::new(C::ProfileNotFound).param("name", name),
            Error::ProfileExists { name } => Problem::new(C::ProfileExists).param("name", name),
            Error::ImportConflict { names } => {
                Problem::new(C::ImportConflict).param("names", names)
            }
            Error::Platform(e) => platform_problem(e),
            Error::ClientSetup(e) => Problem::new(C::ClientSetup).param("detail", detail(e)),
            Error::Problem(problem) => problem.clone(),
        }
    }

    /// The form field a refused value belongs to.
    pub fn field(&self) -> Option<String> {
        match self {
            Error::Problem(problem) => problem.field.clone(),
            _ => None,
        }
    }
}

/// Feishu/Lark's answer as a problem: the platform's code and own message are values.
pub fn platform_problem(error: &ApiError) -> Problem {
    let with_code = |code: C| {
        let problem = Problem::new(code);
        match error.code() {
            Some(c) => problem.param("code", c),
            None => problem,
        }
    };
    match error {
        ApiError::InvalidCredentials { field, .. } => with_code(match field {
            CredentialField::AppId => C::AppIdUnknown,
            CredentialField::AppSecret => C::AppSecretMismatch,
            CredentialField::Either => C::AppCredentialsWrong,
        }),
        ApiError::MissingScopes {
            scopes,
            console_link,
            ..
        } => with_code(C::MissingScopes)
            .param("scopes", scopes.join(", "))
            .link(console_link.clone()),
        ApiError::BotNotInChat { .. } => with_code(C::BotNotInChat),
        ApiError::ReceiverUnavailable { .. } => with_code(C::ReceiverUnavailable),
        ApiError::RateLimited { reset_after, .. } => match reset_after {
            Some(wait) => with_code(C::RateLimited).param("seconds", wait.as_secs_f64().ceil()),
            None => with_code(C::RateLimitedMoment),
        },
        ApiError::QuotaExhausted { .. } => with_code(C::QuotaExhausted),
        ApiError::AppUnavailable { msg, .. } => with_code(C::AppUnavailable).param("detail", msg),
        ApiError::BotCapabilityDisabled { .. } => with_code(C::BotDisabled),
        ApiError::TokenInvalid { msg, .. } => with_code(C::TokenInvalid).param("detail", msg),
        ApiError::ContentInvalid { msg, .. } => with_code(C::ContentInvalid).param("detail", msg),
        ApiError::ContentTooLarge { msg, .. } => with_code(C::ContentTooLarge).param("detail", msg),
        ApiError::UnderReview { .. } => with_code(C::UnderReview),
        ApiError::NotConsoleApp { msg, .. } => with_code(C::NotConsoleApp).param("detail", msg),
        ApiError::NotSupported => Problem::new(C::NotSupported),
        ApiError::Platform {
            msg, http_status, ..
        } => with_code(C::PlatformError)
            .param("http", http_status)
            .param("detail", msg),
        ApiError::Network { timeout, detail } => Problem::new(if *timeout {
            C::NetworkTimeout
        } else {
            C::NetworkUnreachable
        })
        .param("detail", detail),
        ApiError::Server {
            http_status,
            detail,
            ..
        } => Problem::new(C::ServerError)
            .param("http", http_status)
            .param("detail", detail),
        ApiError::Decode { detail } => Problem::new(C::AnswerUnreadable).param("detail", detail),
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.problem().fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::DatabaseOpen { source, .. } | Error::Database(source) => Some(source),
            Error::Migration(e) => Some(e),
            Error::Folder { source, .. } => Some(source),
            Error::Platform(e) => Some(e),
            Error::ClientSetup(e) => Some(e),
            _ => None,
        }
    }
}

impl From<rusqlite_migration::Error> for Error {
    fn from(e: rusqlite_migration::Error) -> Self {
        Self::Migration(e)
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(e)
    }
}

impl From<ApiError> for Error {
    fn from(e: ApiError) -> Self {
        Self::Platform(e)
    }
}

impl From<BuildError> for Error {
    fn from(e: BuildError) -> Self {
        Self::ClientSetup(e)
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Self::Problem(problem)
    }
}

impl From<Error> for Problem {
    fn from(error: Error) -> Self {
        error.problem()
    }
}
