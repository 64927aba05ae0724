//! What each profile's relay was last started with, and the callback URL the admin last copied,
//! kept in the app's database (table `relay_saved`, migration 0006) so the Relay screen starts
//! from the same port and upstream next time, whichever window or data folder it runs in. A
//! stable port keeps the URL pasted into the console valid; when the URL does change, the last
//! copied one says what the console still holds.

use rusqlite::{params, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use super::config::RelaySettings;
use crate::db::Database;
use crate::problem::ProblemCode as C;
use crate::{Error, Result};

/// The Relay screen's form for one profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SavedRelaySettings {
    pub settings: RelaySettings,
    /// The listen address typed last (empty = the settings' default).
    pub bind: Option<String>,
    /// The callback URL the admin last copied for the console.
    pub last_copied_url: Option<String>,
}

/// The profile's saved form, or the defaults (port 9400) when its relay never started.
pub fn load(db: &Database, name: &str) -> Result<SavedRelaySettings> {
    let id = db.profile_id(name)?;
    let row: Option<(String, Option<String>, Option<String>)> = db
        .conn()
        .query_row(
            "SELECT settings, bind, last_copied_url FROM relay_saved WHERE profile_id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        // A form this build cannot read falls back to the defaults.
        Some((json, bind, last_copied_url)) => SavedRelaySettings {
            settings: serde_json::from_str(&json).unwrap_or_default(),
            bind,
            last_copied_url,
        },
        None => SavedRelaySettings {
            settings: RelaySettings::default(),
            bind: None,
            last_copied_url: None,
        },
    })
}

/// Remembers what the profile's relay was started with. An upstream URL with a query, a user
/// name/password or a path segment that looks like a key (`upstream::display_url`) is left
/// out: integrations put their keys there, and the database is no place for a key.
pub fn save(db: &Database, name: &str, settings: &RelaySettings, bind: Option<&str>) -> Result<()> {
    let id = db.profile_id(name)?;
    let mut kept = settings.clone();
    if kept
        .upstream_url
        .as_deref()
        .is_some_and(upstream_carries_key)
    {
        kept.upstream_url = None;
    }
    let json = serde_json::to_string(&kept).expect("relay settings serialize");
    let bind = bind.map(str::trim).filter(|b| !b.is_empty());
    db.conn().execute(
        "INSERT INTO relay_saved (profile_id, settings, bind) VALUES (?1, ?2, ?3)
         ON CONFLICT(profile_id) DO UPDATE SET settings = excluded.settings, bind = excluded.bind",
        params![id, json, bind],
    )?;
    Ok(())
}

/// Remembers the callback URL the admin copied for the console.
pub fn mark_copied(db: &Database, name: &str, url: &str) -> Result<()> {
    let id = db.profile_id(name)?;
    let url = url.trim();
    if url::Url::parse(url).is_err() || carries_credentials(url) {
        return Err(Error::invalid("url", C::RelayNotCallbackUrl));
    }
    let defaults = serde_json::to_string(&RelaySettings::default()).expect("serializes");
    db.conn().execute(
        "INSERT INTO relay_saved (profile_id, settings, last_copied_url) VALUES (?1, ?2, ?3)
         ON CONFLICT(profile_id) DO UPDATE SET last_copied_url = excluded.last_copied_url",
        params![id, defaults, url],
    )?;
    Ok(())
}

/// An upstream URL that holds a key somewhere [`super::upstream::display_url`] masks.
fn upstream_carries_key(url: &str) -> bool {
    match url::Url::parse(url.trim()) {
        Ok(u) => super::upstream::carries_secrets(&u),
        Err(_) => true,
    }
}

fn carries_credentials(url: &str) -> bool {
    match url::Url::parse(url.trim()) {
        Ok(u) => u.query().is_some() || !u.username().is_empty() || u.password().is_some(),
        // Not a URL: the relay refuses it at start; keep nothing that might hold a key.
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::keychain::memory::MemoryStore;
    use crate::profiles::{self, Platform, ProfileInput, SecretsInput};

    fn with_profile(name: &str) -> Database {
        let db = Database::open_in_memory().unwrap();
        let input = ProfileInput {
            name: name.into(),
            platform: Platform::Feishu,
            app_id: "cli_a1b2c3d4e5f60718".into(),
            urls: None,
            secrets: SecretsInput::default(),
        };
        profiles::add(&db, &MemoryStore::default(), input, Utc::now()).unwrap();
        db
    }

    #[test]
    fn a_profile_whose_relay_never_ran_starts_on_the_fixed_port() {
        let db = with_profile("Prod");
        let saved = load(&db, "Prod").unwrap();
        assert_eq!(
            saved.settings.port, 9400,
            "not 0: the console URL must stay put"
        );
        assert_eq!(saved.last_copied_url, None);
        assert!(matches!(
            load(&db, "Nope"),
            Err(Error::ProfileNotFound { .. })
        ));
    }

    #[test]
    fn the_form_is_remembered_per_profile_without_an_upstream_that_holds_a_key() {
        let db = with_profile("Prod");
        let settings = RelaySettings {
            port: 9411,
            upstream_url: Some("https://flashduty.example.com/hook?token=secret-key".into()),
            ..RelaySettings::default()
        };
        save(&db, "Prod", &settings, Some(" 0.0.0.0 ")).unwrap();
        let saved = load(&db, "Prod").unwrap();
        assert_eq!(saved.settings.port, 9411);
        assert_eq!(saved.bind.as_deref(), Some("0.0.0.0"));
        assert_eq!(saved.settings.upstream_url, None, "a query may hold a key");
        let stored: String = db
            .conn()
            .query_row("SELECT settings FROM relay_saved", [], |r| r.get(0))
            .unwrap();
        assert!(!stored.contains("secret-key"));

        let plain = RelaySettings {
            upstream_url: Some("https://flashduty.example.com/hook".into()),
            ..settings
        };
        save(&db, "Prod", &plain, None).unwrap();
        assert_eq!(
            load(&db, "Prod").unwrap().settings.upstream_url.as_deref(),
            Some("https://flashduty.example.com/hook")
        );

        for keyed in [
            "https://hooks.example.com/hook/AbC123dEf456GhI789jkl/x",
            "https://user:pass@hooks.example.com/hook",
            "https://user@hooks.example.com/hook",
        ] {
            let keyed = RelaySettings {
                upstream_url: Some(keyed.into()),
                ..plain.clone()
            };
            save(&db, "Prod", &keyed, None).unwrap();
            assert_eq!(
                load(&db, "Prod").unwrap().settings.upstream_url,
                None,
                "{keyed:?}"
            );
        }
    }

    #[test]
    fn the_copied_url_is_kept_apart_from_the_form() {
        let db = with_profile("Prod");
        mark_copied(&db, "Prod", "https://relay.example.com/lark/prod").unwrap();
        save(&db, "Prod", &RelaySettings::default(), None).unwrap();
        assert_eq!(
            load(&db, "Prod").unwrap().last_copied_url.as_deref(),
            Some("https://relay.example.com/lark/prod"),
            "starting the relay again does not forget what the console holds"
        );
        assert!(mark_copied(&db, "Prod", "not a url").is_err());
    }
}
