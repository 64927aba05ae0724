//! App-wide preferences (language, theme, proxy, what closing the window does, the relay started
//! at login), stored in the `settings` table as JSON values.

use rusqlite::OptionalExtension;
use serde::{de::DeserializeOwned, Serialize};

use crate::db::Database;
use crate::ipc::{CloseAction, Language, Settings, Theme};
use crate::Result;

const LANGUAGE: &str = "language";
const THEME: &str = "theme";
const PROXY: &str = "proxy";
const CLOSE_ACTION: &str = "closeAction";
/// The profile's row id, so a rename keeps the choice and a deleted profile drops it.
const LOGIN_RELAY: &str = "loginRelay";

pub fn load(db: &Database) -> Result<Settings> {
    Ok(Settings {
        language: get(db, LANGUAGE)?,
        theme: get::<Theme>(db, THEME)?.unwrap_or_default(),
        proxy: get(db, PROXY)?,
        close_action: get(db, CLOSE_ACTION)?,
        login_relay: login_relay(db)?,
    })
}

/// What closing the window does while a relay runs (`None`: ask at the next such close).
pub fn set_close_action(db: &Database, action: Option<CloseAction>) -> Result<Settings> {
    match action {
        Some(action) => put(db, CLOSE_ACTION, &action)?,
        None => remove(db, CLOSE_ACTION)?,
    }
    load(db)
}

/// The name of the profile whose relay starts at login, if that profile still exists.
pub fn login_relay(db: &Database) -> Result<Option<String>> {
    let Some(id) = get::<i64>(db, LOGIN_RELAY)? else {
        return Ok(None);
    };
    Ok(db
        .conn()
        .query_row("SELECT name FROM profiles WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Starts profile `name`'s relay at login (`on`), or no longer (`!on`, when it was that
/// profile). One profile at most: choosing another replaces the previous choice.
pub fn set_login_relay(db: &Database, name: &str, on: bool) -> Result<Settings> {
    let id = db.profile_id(name)?;
    if on {
        put(db, LOGIN_RELAY, &id)?;
    } else if get::<i64>(db, LOGIN_RELAY)? == Some(id) {
        remove(db, LOGIN_RELAY)?;
    }
    load(db)
}

/// Sets the proxy for platform calls (`None` or blank = the system's). Only `http://`,
/// `https://` URLs with a host are accepted, and no user name or password:
/// the database is no place for a credential (put an authenticating proxy in HTTPS_PROXY).
pub fn set_proxy(db: &Database, proxy: Option<&str>) -> Result<Settings> {
    match proxy.map(str::trim).filter(|p| !p.is_empty()) {
        None => remove(db, PROXY)?,
        Some(text) => {
            let url = parse_proxy(text)?;
            put(db, PROXY, &url)?;
        }
    }
    load(db)
}

fn parse_proxy(text: &str) -> Result<String> {
    use crate::problem::ProblemCode as C;
    let invalid = |code| crate::Error::invalid("proxy", code);
    let url = url::Url::parse(text).map_err(|_| invalid(C::ProxyNotUrl))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid(C::ProxyScheme));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid(C::ProxyNoHost));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(C::ProxyCredentials));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// How platform clients reach the network, from the proxy setting.
pub fn proxy_mode(db: &Database) -> Result<lark_platform::client::ProxyMode> {
    Ok(match get::<String>(db, PROXY)? {
        Some(url) => lark_platform::client::ProxyMode::Url(url),
        None => lark_platform::client::ProxyMode::System,
    })
}

pub fn set_language(db: &Database, language: Option<Language>) -> Result<Settings> {
    match language {
        Some(lang) => put(db, LANGUAGE, &lang)?,
        None => remove(db, LANGUAGE)?,
    }
    load(db)
}

pub fn set_theme(db: &Database, theme: Theme) -> Result<Settings> {
    put(db, THEME, &theme)?;
    load(db)
}

/// This installation's sandbox seed: random on the first start, then kept, so the sandbox's
/// simulated app (its App ID and secrets) is the same across starts but differs between
/// installations (a fixed seed would give every install the same sandbox secrets).
pub fn sandbox_seed(db: &Database) -> Result<u64> {
    if let Some(seed) = get::<u64>(db, "sandboxSeed")? {
        return Ok(seed);
    }
    let seed = rand::random::<u64>() >> 11; // Fits a JSON number exactly.
    put(db, "sandboxSeed", &seed)?;
    Ok(seed)
}

pub(crate) fn get<T: DeserializeOwned>(db: &Database, key: &str) -> Result<Option<T>> {
    let raw: Option<String> = db
        .conn()
        .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
            r.get(0)
        })
        .optional()?;
    // A value this build cannot read (from a newer version, or hand-edited) falls back to the
    // default rather than locking the user out of the app.
    Ok(raw.and_then(|v| serde_json::from_str(&v).ok()))
}

pub(crate) fn put<T: Serialize>(db: &Database, key: &str, value: &T) -> Result<()> {
    let json = serde_json::to_string(value).expect("settings values serialize");
    db.conn().execute(
        "INSERT INTO settings(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, &json],
    )?;
    Ok(())
}

fn remove(db: &Database, key: &str) -> Result<()> {
    db.conn()
        .execute("DELETE FROM settings WHERE key = ?1", [key])?;
    Ok(())
}

/// What Settings shows about this installation.
pub fn app_info(db: &Database, paths: &crate::paths::AppPaths) -> Result<crate::ipc::AppInfo> {
    Ok(crate::ipc::AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        data_dir: paths.data_dir.display().to_string(),
        log_dir: paths.log_dir.display().to_string(),
        database_version: db.version()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_is_kept_when_valid_and_a_bad_one_changes_nothing() {
        let db = Database::open_in_memory().unwrap();
        let saved = set_proxy(&db, Some(" http://proxy.corp.example:3128/ ")).unwrap();
        assert_eq!(
            saved.proxy.as_deref(),
            Some("http://proxy.corp.example:3128")
        );
        assert_eq!(
            proxy_mode(&db).unwrap(),
            lark_platform::client::ProxyMode::Url("http://proxy.corp.example:3128".into())
        );
        for bad in ["proxy:3128", "ftp://proxy:21", "http://user:pw@proxy:3128"] {
            let err = set_proxy(&db, Some(bad)).unwrap_err();
            assert!(err.to_string().starts_with("proxy: "), "{err}");
            assert!(!err.to_string().contains("pw@"), "{err}");
        }
        assert_eq!(
            load(&db).unwrap().proxy.as_deref(),
            Some("http://proxy.corp.example:3128"),
            "a refused value leaves the saved one"
        );
        assert_eq!(set_proxy(&db, Some("  ")).unwrap().proxy, None);
        assert_eq!(
            proxy_mode(&db).unwrap(),
            lark_platform::client::ProxyMode::System
        );
    }

    #[test]
    fn defaults_follow_the_system() {
        let db = Database::open_in_memory().unwrap();
        assert_eq!(load(&db).unwrap(), Settings::default());
    }

    #[test]
    fn language_and_theme_are_remembered_across_reopen() {
        let dir = tempfile::tempdir().unwrap();
        {
            let db = Database::open(dir.path()).unwrap();
            set_language(&db, Some(Language::SimplifiedChinese)).unwrap();
            set_theme(&db, Theme::Dark).unwrap();
        }
        let db = Database::open(dir.path()).unwrap();
        let s = load(&db).unwrap();
        assert_eq!(s.language, Some(Language::SimplifiedChinese));
        assert_eq!(s.theme, Theme::Dark);
        assert_eq!(set_language(&db, None).unwrap().language, None);
    }

    #[test]
    fn unreadable_value_falls_back_to_default() {
        let db = Database::open_in_memory().unwrap();
        db.conn()
            .execute("INSERT INTO settings VALUES ('theme', 'not json')", [])
            .unwrap();
        assert_eq!(load(&db).unwrap().theme, Theme::System);
    }

    #[test]
    fn the_sandbox_seed_is_kept_and_differs_between_installations() {
        let one = Database::open_in_memory().unwrap();
        let two = Database::open_in_memory().unwrap();
        let seed = sandbox_seed(&one).unwrap();
        assert_eq!(sandbox_seed(&one).unwrap(), seed, "kept across starts");
        assert_ne!(
            sandbox_seed(&two).unwrap(),
            seed,
            "another installation, another seed"
        );
    }
}
