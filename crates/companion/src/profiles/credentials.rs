//! Everything needed to talk to one app, from a saved profile or, on servers and in containers
//! where no keychain exists, from environment variables.

use lark_platform::secret::Secret;

use super::model::{parse_app_id, Platform};
use crate::problem::{Problem, ProblemCode as C};
use crate::{redact, Error, Result};

pub const APP_ID_ENV: &str = "LARK_APP_ID";
pub const APP_SECRET_ENV: &str = "LARK_APP_SECRET";
pub const VERIFICATION_TOKEN_ENV: &str = "LARK_VERIFICATION_TOKEN";
pub const ENCRYPT_KEY_ENV: &str = "LARK_ENCRYPT_KEY";
/// `feishu` (default), `lark`, or a base URL.
pub const PLATFORM_ENV: &str = "LARK_PLATFORM";

/// An app's identity and secrets. `Debug` shows no secret value ([`Secret`] redacts itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub platform: Platform,
    pub app_id: String,
    pub app_secret: Secret,
    /// Needed to verify callbacks in plain (unencrypted) mode.
    pub verification_token: Option<Secret>,
    /// Needed when the app encrypts events and callbacks (recommended).
    pub encrypt_key: Option<Secret>,
}

impl Credentials {
    /// Reads LARK_APP_ID, LARK_APP_SECRET, LARK_VERIFICATION_TOKEN, LARK_ENCRYPT_KEY and
    /// LARK_PLATFORM. App ID and App Secret are required; empty variables count as unset.
    pub fn from_env() -> Result<Self> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// [`Credentials::from_env`] over any variable lookup (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self> {
        let var = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let missing =
            |name: &str| Error::from(Problem::invalid(name, C::EnvMissing).param("name", name));
        let platform = match var(PLATFORM_ENV) {
            Some(value) => Platform::parse(&value).map_err(|e| rename_field(e, PLATFORM_ENV))?,
            None => Platform::Feishu,
        };
        let app_id = var(APP_ID_ENV).ok_or_else(|| missing(APP_ID_ENV))?;
        let app_id = parse_app_id(&app_id).map_err(|e| rename_field(e, APP_ID_ENV))?;
        let secret = |name: &str| {
            var(name).map(|v| {
                let s = Secret::new(v.trim());
                redact::register(&s);
                s
            })
        };
        Ok(Self {
            platform,
            app_id,
            app_secret: secret(APP_SECRET_ENV).ok_or_else(|| missing(APP_SECRET_ENV))?,
            verification_token: secret(VERIFICATION_TOKEN_ENV),
            encrypt_key: secret(ENCRYPT_KEY_ENV),
        })
    }
}

/// Names the environment variable instead of the form field in a validation error.
fn rename_field(error: Error, variable: &str) -> Error {
    match error {
        Error::Problem(problem) if problem.field.is_some() => problem.field(variable).into(),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn full_environment_is_read_and_secrets_are_registered_for_scrubbing() {
        let c = Credentials::from_lookup(env(&[
            (APP_ID_ENV, "cli_a1b2c3d4e5f60718"),
            (APP_SECRET_ENV, "env-app-secret-value"),
            (VERIFICATION_TOKEN_ENV, "env-verification-token"),
            (ENCRYPT_KEY_ENV, "env-encrypt-key-value"),
            (PLATFORM_ENV, "lark"),
        ]))
        .unwrap();
        assert_eq!(c.platform, Platform::Lark);
        assert_eq!(c.app_id, "cli_a1b2c3d4e5f60718");
        assert_eq!(c.app_secret.expose(), "env-app-secret-value");
        assert_eq!(
            c.encrypt_key.as_ref().map(Secret::expose),
            Some("env-encrypt-key-value")
        );
        assert!(!format!("{c:?}").contains("env-app-secret-value"));
        assert_eq!(
            redact::scrub("leak env-verification-token"),
            "leak <redacted>"
        );
    }

    #[test]
    fn defaults_to_feishu_and_optional_secrets_may_be_absent() {
        let c = Credentials::from_lookup(env(&[
            (APP_ID_ENV, "cli_a1b2c3d4e5f60718"),
            (APP_SECRET_ENV, "s3cr3t-value"),
            (ENCRYPT_KEY_ENV, ""),
        ]))
        .unwrap();
        assert_eq!(c.platform, Platform::Feishu);
        assert_eq!(c.verification_token, None);
        assert_eq!(c.encrypt_key, None);
    }

    #[test]
    fn missing_or_bad_values_name_the_variable() {
        let err =
            Credentials::from_lookup(env(&[(APP_ID_ENV, "cli_a1b2c3d4e5f60718")])).unwrap_err();
        assert!(err.to_string().starts_with("LARK_APP_SECRET:"), "{err}");
        let err = Credentials::from_lookup(env(&[(APP_ID_ENV, "abc"), (APP_SECRET_ENV, "x")]))
            .unwrap_err();
        assert!(err.to_string().starts_with("LARK_APP_ID:"), "{err}");
        let err = Credentials::from_lookup(env(&[
            (APP_ID_ENV, "cli_a1b2c3d4e5f60718"),
            (APP_SECRET_ENV, "x"),
            (PLATFORM_ENV, "weixin"),
        ]))
        .unwrap_err();
        assert!(err.to_string().starts_with("LARK_PLATFORM:"), "{err}");
    }
}
