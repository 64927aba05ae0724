//! Sandbox mode: with no profile yet (or on request) the app runs against an in-process lark-sim
//! tenant, so every screen works on a fresh machine with no network. The sandbox is an ordinary
//! profile whose platform is the simulator's loopback URL; it is labelled wherever it is on.

use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::db::Database;
use crate::keychain::SecretStore;
use crate::profiles::{self, IntegrationUrls, Platform, ProfileInput, Secret, SecretsInput};
use crate::Result;

/// The profile name the sandbox tenant uses.
pub const PROFILE_NAME: &str = "Sandbox";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxStatus {
    pub active: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// Example integration URLs for the wizard's "Fill with sandbox values".
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub examples: Option<IntegrationUrls>,
    /// The simulated tenant's people, offered as card recipients.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub people: Option<Vec<SandboxPerson>>,
}

/// A person of the simulated tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SandboxPerson {
    pub name: String,
    pub open_id: String,
}

impl SandboxStatus {
    pub fn off() -> Self {
        Self {
            active: false,
            profile: None,
            base_url: None,
            examples: None,
            people: None,
        }
    }
}

/// What the integration form would give back, for the sandbox (nothing answers there: the
/// sandbox has no Flashduty; the relay's upstream can be left empty to use the built-in handler).
pub fn example_urls() -> IntegrationUrls {
    IntegrationUrls {
        web_config_url: Some(
            "https://flashduty.example.com/lark/webapp?integration=sandbox".into(),
        ),
        redirect_url: Some("https://flashduty.example.com/lark/oauth/callback".into()),
        card_request_url: Some(
            "https://flashduty.example.com/lark/card/callback?integration=sandbox".into(),
        ),
    }
}

pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "SandboxStatus.ts",
            SandboxStatus::export_to_string().unwrap_or_default(),
        ),
        (
            "SandboxPerson.ts",
            SandboxPerson::export_to_string().unwrap_or_default(),
        ),
    ]
}

/// The simulated app the sandbox profile talks to (its secrets are nobody's real ones).
pub struct SandboxApp<'a> {
    pub base_url: &'a str,
    pub app_id: &'a str,
    pub app_secret: &'a str,
    pub verification_token: &'a str,
    pub encrypt_key: Option<&'a str>,
    pub people: Vec<SandboxPerson>,
}

/// Whether the app should start its sandbox: asked for (`LARK_COMPANION_SANDBOX=1`), or no
/// profile exists yet, or the sandbox profile is still there from an earlier start.
/// `LARK_COMPANION_SANDBOX=0` turns it off.
pub fn wanted(db: &Database, env: Option<&str>) -> Result<bool> {
    match env.map(str::trim) {
        Some("1") | Some("true") => return Ok(true),
        Some("0") | Some("false") => return Ok(false),
        _ => {}
    }
    let names = profiles::names(db)?;
    Ok(names.is_empty() || names.iter().any(|n| n.eq_ignore_ascii_case(PROFILE_NAME)))
}

/// Creates the sandbox profile, or points the existing one at this start's simulator.
pub fn ensure_profile(
    db: &Database,
    store: &dyn SecretStore,
    app: &SandboxApp<'_>,
    now: DateTime<Utc>,
) -> Result<SandboxStatus> {
    let platform = Platform::Custom {
        base_url: app.base_url.to_owned(),
    };
    if profiles::names(db)?
        .iter()
        .any(|n| n.eq_ignore_ascii_case(PROFILE_NAME))
    {
        profiles::set_platform(db, PROFILE_NAME, platform, now)?;
        // An older version's sandbox had another App ID (the seed is per installation now).
        if profiles::get(db, store, PROFILE_NAME)?.app_id != app.app_id {
            profiles::set_app_id(db, store, PROFILE_NAME, app.app_id, now)?;
        }
    } else {
        let input = ProfileInput {
            name: PROFILE_NAME.into(),
            platform,
            app_id: app.app_id.into(),
            urls: None,
            secrets: SecretsInput::default(),
        };
        profiles::add(db, store, input, now)?;
    }
    // Write what is missing or changed (a keychain reset must not leave the sandbox half-made),
    // and nothing else: on a normal start every secret is already there.
    let secrets = SecretsInput {
        app_secret: Some(Secret::new(app.app_secret)),
        verification_token: Some(Secret::new(app.verification_token)),
        encrypt_key: app.encrypt_key.map(Secret::new),
    };
    profiles::sync_secrets(db, store, PROFILE_NAME, secrets, now)?;
    Ok(SandboxStatus {
        active: true,
        profile: Some(PROFILE_NAME.into()),
        base_url: Some(app.base_url.into()),
        examples: Some(example_urls()),
        people: Some(app.people.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keychain::memory::MemoryStore;
    use crate::keychain::SecretKind;

    fn app(base_url: &str) -> SandboxApp<'_> {
        SandboxApp {
            base_url,
            app_id: "cli_a1b2c3d4e5f60718",
            app_secret: "sim-secret",
            verification_token: "sim-token",
            encrypt_key: Some("sim-key"),
            people: vec![SandboxPerson {
                name: "Ada".into(),
                open_id: "ou_ada".into(),
            }],
        }
    }

    #[test]
    fn a_fresh_install_gets_a_sandbox_that_follows_the_simulator_between_starts() {
        let db = Database::open_in_memory().unwrap();
        let store = MemoryStore::default();
        assert!(wanted(&db, None).unwrap(), "no profile yet: sandbox on");
        assert!(
            !wanted(&db, Some("0")).unwrap(),
            "LARK_COMPANION_SANDBOX=0 turns it off"
        );

        let status =
            ensure_profile(&db, &store, &app("http://127.0.0.1:4001"), Utc::now()).unwrap();
        assert_eq!(status.profile.as_deref(), Some(PROFILE_NAME));
        assert_eq!(status.people.as_ref().map(Vec::len), Some(1));
        let examples = status.examples.clone().unwrap();
        assert_eq!(
            examples.clone().validated().unwrap(),
            examples,
            "the example URLs pass the integration form's own checks"
        );
        let mut moved = app("http://127.0.0.1:4002");
        moved.app_id = "cli_0000000000000abc";
        ensure_profile(&db, &store, &moved, Utc::now()).unwrap();
        let profile = profiles::get(&db, &store, PROFILE_NAME).unwrap();
        assert_eq!(profile.platform.base_url(), "http://127.0.0.1:4002");
        assert_eq!(
            profile.app_id, "cli_0000000000000abc",
            "the sandbox app of this start"
        );
        assert_eq!(
            profiles::names(&db).unwrap().len(),
            1,
            "one sandbox profile, not one per start"
        );
        let creds = profiles::credentials(&db, &store, PROFILE_NAME).unwrap();
        assert_eq!(creds.app_secret.expose(), "sim-secret");
        assert!(profile.secrets.get(SecretKind::EncryptKey));
        assert!(
            wanted(&db, None).unwrap(),
            "the sandbox profile keeps the sandbox on"
        );
    }

    #[test]
    fn a_restart_writes_no_secret_that_is_already_stored_and_restores_a_lost_one() {
        use std::sync::atomic::Ordering::SeqCst;
        let db = Database::open_in_memory().unwrap();
        let store = MemoryStore::default();
        ensure_profile(&db, &store, &app("http://127.0.0.1:4001"), Utc::now()).unwrap();
        let first = store.writes.load(SeqCst);
        assert_eq!(first, 3, "a first start stores the three secrets");

        ensure_profile(&db, &store, &app("http://127.0.0.1:4002"), Utc::now()).unwrap();
        assert_eq!(
            store.writes.load(SeqCst),
            first,
            "a restart rewrites nothing"
        );

        // The keychain lost one entry (reset by the user): only that one is written again.
        store
            .entries
            .lock()
            .unwrap()
            .retain(|k, _| !k.ends_with("encrypt_key"));
        ensure_profile(&db, &store, &app("http://127.0.0.1:4003"), Utc::now()).unwrap();
        assert_eq!(store.writes.load(SeqCst), first + 1);
        assert_eq!(store.len(), 3);
    }

    #[test]
    fn a_real_profile_turns_the_sandbox_off_unless_asked_for() {
        let db = Database::open_in_memory().unwrap();
        let store = MemoryStore::default();
        let input = ProfileInput {
            name: "Prod".into(),
            platform: Platform::Feishu,
            app_id: "cli_a1b2c3d4e5f60718".into(),
            urls: None,
            secrets: SecretsInput::default(),
        };
        profiles::add(&db, &store, input, Utc::now()).unwrap();
        assert!(!wanted(&db, None).unwrap());
        assert!(wanted(&db, Some("1")).unwrap());
    }
}
