//! App-wide preferences (language, theme), stored in the `settings` table as JSON values.

use rusqlite::OptionalExtension;
use serde::{de::DeserializeOwned, Serialize};

use crate::db::Database;
use crate::ipc::{Language, Settings, Theme};
use crate::Result;

const LANGUAGE: &str = "language";
const THEME: &str = "theme";

pub fn load(db: &Database) -> Result<Settings> {
    Ok(Settings {
        language: get(db, LANGUAGE)?,
        theme: get::<Theme>(db, THEME)?.unwrap_or_default(),
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

fn get<T: DeserializeOwned>(db: &Database, key: &str) -> Result<Option<T>> {
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

fn put<T: Serialize>(db: &Database, key: &str, value: &T) -> Result<()> {
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
}
