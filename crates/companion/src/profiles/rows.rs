//! The `profiles` and `check_history` tables. Only non-secret columns exist; see
//! migrations/0002_profiles.sql.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::model::{IntegrationUrls, Platform, ProfileUid};
use super::types::{CheckRecord, CheckStatus, RunScope, SecretPresence, WizardProgress};
use crate::ipc::Language;
use crate::{Error, Result};

/// A `profiles` row.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub id: i64,
    pub uid: ProfileUid,
    pub name: String,
    pub platform: Platform,
    pub app_id: String,
    pub urls: IntegrationUrls,
    pub card_language: Option<Language>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Which secrets the keychain holds, as last written by the app; `None` = not known yet.
    pub secret_presence: Option<SecretPresence>,
}

const COLUMNS: &str = "id, uid, name, platform, base_url, app_id, web_config_url, redirect_url, \
                       card_request_url, created_at, updated_at, card_language, secret_presence";

/// The stored form of a card language ('en', 'zh-CN'; the column's CHECK allows no other).
fn language_column(language: Language) -> &'static str {
    match language {
        Language::English => "en",
        Language::SimplifiedChinese => "zh-CN",
    }
}

fn parse_language(value: Option<String>) -> Option<Language> {
    match value.as_deref() {
        Some("zh-CN") => Some(Language::SimplifiedChinese),
        Some("en") => Some(Language::English),
        _ => None,
    }
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_timestamp(index: usize, text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
        })
}

fn from_sql(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    let platform: String = r.get(3)?;
    let base_url: Option<String> = r.get(4)?;
    let platform = match (platform.as_str(), base_url) {
        ("feishu", _) => Platform::Feishu,
        ("lark", _) => Platform::Lark,
        (_, base_url) => Platform::Custom {
            base_url: base_url.unwrap_or_default(),
        },
    };
    Ok(Row {
        id: r.get(0)?,
        uid: ProfileUid::from_stored(r.get(1)?),
        name: r.get(2)?,
        platform,
        app_id: r.get(5)?,
        urls: IntegrationUrls {
            web_config_url: r.get(6)?,
            redirect_url: r.get(7)?,
            card_request_url: r.get(8)?,
        },
        card_language: parse_language(r.get(11)?),
        created_at: parse_timestamp(9, &r.get::<_, String>(9)?)?,
        updated_at: parse_timestamp(10, &r.get::<_, String>(10)?)?,
        secret_presence: r
            .get::<_, Option<String>>(12)?
            .and_then(|json| SecretPresence::from_json(&json)),
    })
}

/// Remembers which secrets the keychain holds for the profile (never their values).
pub(crate) fn set_presence(conn: &Connection, id: i64, presence: SecretPresence) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET secret_presence = ?1 WHERE id = ?2",
        params![presence.to_json(), id],
    )?;
    Ok(())
}

fn platform_columns(platform: &Platform) -> (&'static str, Option<&str>) {
    match platform {
        Platform::Feishu => ("feishu", None),
        Platform::Lark => ("lark", None),
        Platform::Custom { base_url } => ("custom", Some(base_url)),
    }
}

pub(crate) fn find(conn: &Connection, name: &str) -> Result<Option<Row>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM profiles WHERE name = ?1"),
            [name.trim()],
            from_sql,
        )
        .optional()?)
}

pub(crate) fn require(conn: &Connection, name: &str) -> Result<Row> {
    find(conn, name)?.ok_or_else(|| Error::ProfileNotFound {
        name: name.trim().to_owned(),
    })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<Row>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM profiles ORDER BY name, id"))?;
    let rows = stmt.query_map([], from_sql)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Maps a UNIQUE violation on the name to [`Error::ProfileExists`] (two writers raced).
fn name_conflict(name: &str) -> impl Fn(rusqlite::Error) -> Error + '_ {
    move |e| match &e {
        rusqlite::Error::SqliteFailure(f, _)
            if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE =>
        {
            Error::ProfileExists {
                name: name.to_owned(),
            }
        }
        _ => Error::Database(e),
    }
}

pub(crate) struct NewRow<'a> {
    pub uid: &'a ProfileUid,
    pub name: &'a str,
    pub platform: &'a Platform,
    pub app_id: &'a str,
    pub urls: &'a IntegrationUrls,
    pub now: DateTime<Utc>,
}

pub(crate) fn insert(conn: &Connection, new: &NewRow<'_>) -> Result<i64> {
    let (platform, base_url) = platform_columns(new.platform);
    let now = timestamp(new.now);
    conn.execute(
        "INSERT INTO profiles (uid, name, platform, base_url, app_id, web_config_url, \
         redirect_url, card_request_url, created_at, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            new.uid.as_str(),
            new.name,
            platform,
            base_url,
            new.app_id,
            new.urls.web_config_url,
            new.urls.redirect_url,
            new.urls.card_request_url,
            now,
        ],
    )
    .map_err(name_conflict(new.name))?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn rename(conn: &Connection, id: i64, name: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET name = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, name, timestamp(now)],
    )
    .map_err(name_conflict(name))?;
    Ok(())
}

pub(crate) fn set_urls(
    conn: &Connection,
    id: i64,
    urls: &IntegrationUrls,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET web_config_url = ?2, redirect_url = ?3, card_request_url = ?4, \
         updated_at = ?5 WHERE id = ?1",
        params![
            id,
            urls.web_config_url,
            urls.redirect_url,
            urls.card_request_url,
            timestamp(now)
        ],
    )?;
    Ok(())
}

pub(crate) fn set_app_id(
    conn: &Connection,
    id: i64,
    app_id: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET app_id = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, app_id, timestamp(now)],
    )?;
    Ok(())
}

pub(crate) fn set_platform(
    conn: &Connection,
    id: i64,
    platform: &Platform,
    now: DateTime<Utc>,
) -> Result<()> {
    let (kind, base_url) = platform_columns(platform);
    conn.execute(
        "UPDATE profiles SET platform = ?2, base_url = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, kind, base_url, timestamp(now)],
    )?;
    Ok(())
}

pub(crate) fn set_card_language(
    conn: &Connection,
    id: i64,
    language: Option<Language>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET card_language = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, language.map(language_column), timestamp(now)],
    )?;
    Ok(())
}

pub(crate) fn touch(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE profiles SET updated_at = ?2 WHERE id = ?1",
        params![id, timestamp(now)],
    )?;
    Ok(())
}

pub(crate) fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM profiles WHERE id = ?1", [id])?;
    Ok(())
}

pub(crate) fn wizard_progress(conn: &Connection, id: i64) -> Result<WizardProgress> {
    let raw: String = conn.query_row(
        "SELECT wizard_progress FROM profiles WHERE id = ?1",
        [id],
        |r| r.get(0),
    )?;
    // Progress this build cannot read (newer app, hand edit) restarts the wizard rather than
    // locking the profile.
    Ok(serde_json::from_str(&raw).unwrap_or_default())
}

pub(crate) fn set_wizard_progress(
    conn: &Connection,
    id: i64,
    progress: &WizardProgress,
    now: DateTime<Utc>,
) -> Result<()> {
    let json = serde_json::to_string(progress).expect("wizard progress serializes");
    conn.execute(
        "UPDATE profiles SET wizard_progress = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, json, timestamp(now)],
    )?;
    Ok(())
}

pub(crate) fn record_check(conn: &Connection, id: i64, record: &CheckRecord) -> Result<()> {
    let params_json = (!record.params.is_empty())
        .then(|| serde_json::to_string(&record.params).expect("params serialize"));
    conn.execute(
        "INSERT INTO check_history \
         (profile_id, run_at, check_id, status, reason, finding, params, scope) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            timestamp(record.run_at),
            record.check_id,
            record.status.as_str(),
            record.reason,
            record.finding,
            params_json,
            record.scope.map(RunScope::as_str)
        ],
    )?;
    Ok(())
}

pub(crate) fn check_history(conn: &Connection, id: i64, limit: u32) -> Result<Vec<CheckRecord>> {
    let mut stmt = conn.prepare(
        "SELECT check_id, status, reason, run_at, finding, params, scope FROM check_history \
         WHERE profile_id = ?1 ORDER BY run_at DESC, id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![id, limit], |r| {
        // Params that no longer parse only cost the translation; the English reason remains.
        let params = r
            .get::<_, Option<String>>(5)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default();
        Ok(CheckRecord {
            check_id: r.get(0)?,
            status: CheckStatus::from_stored(&r.get::<_, String>(1)?),
            reason: r.get(2)?,
            run_at: parse_timestamp(3, &r.get::<_, String>(3)?)?,
            finding: r.get(4)?,
            params,
            scope: r
                .get::<_, Option<String>>(6)?
                .as_deref()
                .and_then(RunScope::from_stored),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
