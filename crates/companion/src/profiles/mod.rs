//! Profiles: one Feishu/Lark custom app each. The non-secret half (name, platform, App ID, the
//! integration's URLs, wizard progress, check history) lives in SQLite; App Secret,
//! Verification Token and Encrypt Key live only in a [`SecretStore`] (the OS keychain), keyed by
//! the profile's never-changing uid.
//!
//! Order of writes, so that a failure never leaves a half-made profile: secrets are written
//! first (rolled back if one fails) and the SQLite row last; deleting removes the keychain
//! entries first and the row last, so a failed delete can simply be retried.

mod credentials;
mod model;
mod rows;
mod transfer;
mod types;

use chrono::{DateTime, Utc};
use ts_rs::TS;

/// Re-exported so the shells can build [`SecretsInput`] without depending on lark-platform.
pub use lark_platform::secret::Secret;

pub use credentials::{
    Credentials, APP_ID_ENV, APP_SECRET_ENV, ENCRYPT_KEY_ENV, PLATFORM_ENV, VERIFICATION_TOKEN_ENV,
};
pub use model::{parse_app_id, parse_name, parse_url, IntegrationUrls, Platform, ProfileUid};
pub use transfer::{
    export, export_json, import, import_json, ExportDocument, ExportedProfile, EXPORT_VERSION,
};
pub use types::{
    CheckRecord, CheckStatus, ImportReport, ImportedProfile, ProfileInput, ProfileSummary,
    RunScope, SecretPresence, SecretsInput, WizardProgress,
};

use crate::db::Database;
use crate::ipc::Language;
use crate::keychain::{SecretKind, SecretStore};
use crate::problem::{Problem, ProblemCode as C};
use crate::{Error, Result};
use rows::{NewRow, Row};

/// Creates a profile. Nothing is written unless everything is: with no reachable keychain the
/// result is [`Error::KeychainUnavailable`] and neither secrets nor the row exist afterwards.
pub fn add(
    db: &Database,
    store: &dyn SecretStore,
    input: ProfileInput,
    now: DateTime<Utc>,
) -> Result<ProfileSummary> {
    let name = parse_name(&input.name)?;
    let platform = input.platform.validated()?;
    let app_id = parse_app_id(&input.app_id)?;
    let urls = input.urls.unwrap_or_default().validated()?;
    let secrets = input.secrets.entered();
    if let Some(existing) = rows::find(&db.conn(), &name)? {
        return Err(Error::ProfileExists {
            name: existing.name,
        });
    }

    let uid = ProfileUid::generate();
    write_secrets(store, &uid, &secrets)?;
    let new = NewRow {
        uid: &uid,
        name: &name,
        platform: &platform,
        app_id: &app_id,
        urls: &urls,
        now,
    };
    let id = match rows::insert(&db.conn(), &new) {
        Ok(id) => id,
        Err(e) => {
            restore(
                store,
                &uid,
                secrets.iter().map(|(k, _)| (*k, None)).collect(),
            );
            return Err(e);
        }
    };
    tracing::info!(profile = %name, %uid, "profile created");
    let mut presence = SecretPresence::default();
    for (kind, _) in &secrets {
        presence.set(*kind, true);
    }
    rows::set_presence(&db.conn(), id, presence)?;
    Ok(summary(
        Row {
            id,
            uid,
            name,
            platform,
            app_id,
            urls,
            card_language: None,
            created_at: now,
            updated_at: now,
            secret_presence: Some(presence),
        },
        presence,
    ))
}

/// Every profile, sorted by name, with which secrets the keychain holds (as the app last wrote
/// them: the keychain is only asked for a profile saved before the app kept track).
pub fn list(db: &Database, store: &dyn SecretStore) -> Result<Vec<ProfileSummary>> {
    let all = rows::all(&db.conn())?;
    all.into_iter()
        .map(|row| {
            let presence = presence(db, store, &row)?;
            Ok(summary(row, presence))
        })
        .collect()
}

/// The profile's keychain uid (never changes, even when the profile is renamed).
pub fn uid_of(db: &Database, name: &str) -> Result<ProfileUid> {
    Ok(rows::require(&db.conn(), name)?.uid)
}

/// The profile names, sorted; reads no secret (so it works without a keychain).
pub fn names(db: &Database) -> Result<Vec<String>> {
    Ok(rows::all(&db.conn())?.into_iter().map(|r| r.name).collect())
}

/// One profile by name (not case-sensitive).
pub fn get(db: &Database, store: &dyn SecretStore, name: &str) -> Result<ProfileSummary> {
    let row = rows::require(&db.conn(), name)?;
    let presence = presence(db, store, &row)?;
    Ok(summary(row, presence))
}

/// Renames a profile. Its keychain entries are keyed by uid, so they need no change.
pub fn rename(db: &Database, name: &str, new_name: &str, now: DateTime<Utc>) -> Result<()> {
    let new_name = parse_name(new_name)?;
    let row = rows::require(&db.conn(), name)?;
    if let Some(other) = rows::find(&db.conn(), &new_name)? {
        if other.id != row.id {
            return Err(Error::ProfileExists { name: other.name });
        }
    }
    rows::rename(&db.conn(), row.id, &new_name, now)?;
    tracing::info!(from = %row.name, to = %new_name, uid = %row.uid, "profile renamed");
    Ok(())
}

/// Deletes a profile: its keychain entries first, then its row (check history and wizard
/// progress go with it). Refuses with [`Error::KeychainUnavailable`] rather than leave secrets
/// behind in a keychain that cannot be reached now.
pub fn delete(db: &Database, store: &dyn SecretStore, name: &str) -> Result<()> {
    let row = rows::require(&db.conn(), name)?;
    store.probe()?;
    for kind in SecretKind::ALL {
        store.delete(&row.uid, kind)?;
    }
    rows::delete(&db.conn(), row.id)?;
    tracing::info!(profile = %row.name, uid = %row.uid, "profile deleted with its secrets");
    Ok(())
}

/// Stores (or replaces) the entered secrets of an existing profile, e.g. after an import.
/// All or nothing: if one write fails, the earlier ones get their previous values back.
pub fn set_secrets(
    db: &Database,
    store: &dyn SecretStore,
    name: &str,
    secrets: SecretsInput,
    now: DateTime<Utc>,
) -> Result<SecretPresence> {
    let row = rows::require(&db.conn(), name)?;
    let entered = secrets.entered();
    if entered.is_empty() {
        return Err(Error::invalid("secrets", C::SecretsEmpty));
    }
    let mut presence = presence(db, store, &row)?;
    write_secrets(store, &row.uid, &entered)?;
    for (kind, _) in &entered {
        presence.set(*kind, true);
    }
    let conn = db.conn();
    rows::touch(&conn, row.id, now)?;
    rows::set_presence(&conn, row.id, presence)?;
    Ok(presence)
}

/// Like [`set_secrets`], but writes only the secrets that are missing or differ from what the
/// keychain holds (each keychain write is slow: gnome-keyring fsyncs it). Returns how many were
/// written.
pub fn sync_secrets(
    db: &Database,
    store: &dyn SecretStore,
    name: &str,
    secrets: SecretsInput,
    now: DateTime<Utc>,
) -> Result<usize> {
    let row = rows::require(&db.conn(), name)?;
    let mut changed = SecretsInput::default();
    let mut count = 0;
    for (kind, value) in secrets.entered() {
        if store.get(&row.uid, kind)?.as_ref() != Some(&value) {
            changed.set(kind, Some(value));
            count += 1;
        }
    }
    if count > 0 {
        set_secrets(db, store, name, changed, now)?;
    } else if row.secret_presence.is_none() {
        presence(db, store, &row)?;
    }
    Ok(count)
}

/// The profile's stored secrets as [`Credentials`]; the App Secret is required.
pub fn credentials(db: &Database, store: &dyn SecretStore, name: &str) -> Result<Credentials> {
    let row = rows::require(&db.conn(), name)?;
    store.probe()?;
    let app_secret = store.get(&row.uid, SecretKind::AppSecret)?.ok_or_else(|| {
        Problem::invalid("appSecret", C::SecretNotStored)
            .param("name", &row.name)
            .param("secret", "App Secret")
    })?;
    Ok(Credentials {
        platform: row.platform,
        app_id: row.app_id,
        app_secret,
        verification_token: store.get(&row.uid, SecretKind::VerificationToken)?,
        encrypt_key: store.get(&row.uid, SecretKind::EncryptKey)?,
    })
}

/// The credentials a headless command uses: the named profile's, or with no profile named, the
/// LARK_* environment variables (servers and containers have no keychain).
pub fn resolve_credentials(
    db: &Database,
    store: &dyn SecretStore,
    profile: Option<&str>,
) -> Result<Credentials> {
    match profile {
        Some(name) => credentials(db, store, name),
        None => Credentials::from_env(),
    }
}

/// Saves the three URLs the integration gave back.
pub fn set_urls(
    db: &Database,
    name: &str,
    urls: IntegrationUrls,
    now: DateTime<Utc>,
) -> Result<IntegrationUrls> {
    let urls = urls.validated()?;
    let row = rows::require(&db.conn(), name)?;
    rows::set_urls(&db.conn(), row.id, &urls, now)?;
    Ok(urls)
}

/// Corrects the App ID (a typo found by the credentials check); secrets and history stay.
pub fn set_app_id(
    db: &Database,
    store: &dyn SecretStore,
    name: &str,
    app_id: &str,
    now: DateTime<Utc>,
) -> Result<ProfileSummary> {
    let app_id = parse_app_id(app_id)?;
    let row = rows::require(&db.conn(), name)?;
    rows::set_app_id(&db.conn(), row.id, &app_id, now)?;
    tracing::info!(profile = %row.name, %app_id, "profile App ID changed");
    get(db, store, name)
}

/// Points the profile at another platform (the sandbox's simulator moves port on every start).
pub fn set_platform(
    db: &Database,
    name: &str,
    platform: Platform,
    now: DateTime<Utc>,
) -> Result<()> {
    let platform = platform.validated()?;
    let row = rows::require(&db.conn(), name)?;
    rows::set_platform(&db.conn(), row.id, &platform, now)
}

/// Sets the language of the profile's alert cards (the templates the Cards screen and the CLI
/// render, and the relay's built-in answer card); `None` follows the app's language.
pub fn set_card_language(
    db: &Database,
    name: &str,
    language: Option<Language>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = rows::require(&db.conn(), name)?;
    rows::set_card_language(&db.conn(), row.id, language, now)?;
    tracing::info!(profile = %row.name, ?language, "profile card language changed");
    Ok(())
}

/// The profile's own card language (`None`: it follows the app's).
pub fn card_language(db: &Database, name: &str) -> Result<Option<Language>> {
    Ok(rows::require(&db.conn(), name)?.card_language)
}

/// The language the profile's cards are drawn in: its own, else the app's, else English.
pub fn effective_card_language(db: &Database, name: &str) -> Result<Language> {
    Ok(match card_language(db, name)? {
        Some(language) => language,
        None => crate::settings::load(db)?
            .language
            .unwrap_or(Language::English),
    })
}

pub fn wizard_progress(db: &Database, name: &str) -> Result<WizardProgress> {
    let row = rows::require(&db.conn(), name)?;
    rows::wizard_progress(&db.conn(), row.id)
}

pub fn set_wizard_progress(
    db: &Database,
    name: &str,
    progress: &WizardProgress,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = rows::require(&db.conn(), name)?;
    rows::set_wizard_progress(&db.conn(), row.id, progress, now)
}

/// Appends one check result to the profile's history.
pub fn record_check(db: &Database, name: &str, record: &CheckRecord) -> Result<()> {
    let row = rows::require(&db.conn(), name)?;
    rows::record_check(&db.conn(), row.id, record)
}

/// The latest `limit` check results, newest first.
pub fn check_history(db: &Database, name: &str, limit: u32) -> Result<Vec<CheckRecord>> {
    let row = rows::require(&db.conn(), name)?;
    rows::check_history(&db.conn(), row.id, limit)
}

/// The TypeScript declarations of the profile types, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "Platform.ts",
            Platform::export_to_string().unwrap_or_default(),
        ),
        (
            "IntegrationUrls.ts",
            IntegrationUrls::export_to_string().unwrap_or_default(),
        ),
        (
            "SecretKind.ts",
            SecretKind::export_to_string().unwrap_or_default(),
        ),
        (
            "SecretPresence.ts",
            SecretPresence::export_to_string().unwrap_or_default(),
        ),
        (
            "ProfileSummary.ts",
            ProfileSummary::export_to_string().unwrap_or_default(),
        ),
        (
            "ProfileInput.ts",
            ProfileInput::export_to_string().unwrap_or_default(),
        ),
        (
            "SecretsInput.ts",
            SecretsInput::export_to_string().unwrap_or_default(),
        ),
        (
            "CheckStatus.ts",
            CheckStatus::export_to_string().unwrap_or_default(),
        ),
        (
            "RunScope.ts",
            RunScope::export_to_string().unwrap_or_default(),
        ),
        (
            "CheckRecord.ts",
            CheckRecord::export_to_string().unwrap_or_default(),
        ),
        (
            "WizardProgress.ts",
            WizardProgress::export_to_string().unwrap_or_default(),
        ),
        (
            "ExportDocument.ts",
            ExportDocument::export_to_string().unwrap_or_default(),
        ),
        (
            "ExportedProfile.ts",
            ExportedProfile::export_to_string().unwrap_or_default(),
        ),
        (
            "ImportReport.ts",
            ImportReport::export_to_string().unwrap_or_default(),
        ),
        (
            "ImportedProfile.ts",
            ImportedProfile::export_to_string().unwrap_or_default(),
        ),
    ]
}

fn summary(row: Row, secrets: SecretPresence) -> ProfileSummary {
    ProfileSummary {
        name: row.name,
        platform: row.platform,
        app_id: row.app_id,
        urls: row.urls,
        secrets,
        card_language: row.card_language,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// Which secrets the store holds for the profile: what the app recorded at its last write, or,
/// for a profile from before it kept track, asked of the keychain once and then recorded.
fn presence(db: &Database, store: &dyn SecretStore, row: &Row) -> Result<SecretPresence> {
    if let Some(known) = row.secret_presence {
        return Ok(known);
    }
    let mut presence = SecretPresence::default();
    for kind in SecretKind::ALL {
        presence.set(kind, store.get(&row.uid, kind)?.is_some());
    }
    rows::set_presence(&db.conn(), row.id, presence)?;
    Ok(presence)
}

/// Writes `secrets` after a probe; on the first failure puts back what was there before.
fn write_secrets(
    store: &dyn SecretStore,
    uid: &ProfileUid,
    secrets: &[(SecretKind, Secret)],
) -> Result<()> {
    if secrets.is_empty() {
        return Ok(());
    }
    store.probe()?;
    let mut previous = Vec::new();
    for (kind, value) in secrets {
        let step = store
            .get(uid, *kind)
            .and_then(|before| store.set(uid, *kind, value).map(|()| before));
        match step {
            Ok(before) => previous.push((*kind, before)),
            Err(e) => {
                restore(store, uid, previous);
                return Err(e);
            }
        }
    }
    Ok(())
}

/// Best-effort undo of [`write_secrets`]: `None` deletes the entry.
fn restore(store: &dyn SecretStore, uid: &ProfileUid, previous: Vec<(SecretKind, Option<Secret>)>) {
    for (kind, before) in previous.into_iter().rev() {
        let undone = match &before {
            Some(value) => store.set(uid, kind, value),
            None => store.delete(uid, kind),
        };
        if let Err(e) = undone {
            tracing::warn!(%uid, secret = kind.label(), "could not undo a keychain write: {e}");
        }
    }
}

#[cfg(test)]
mod tests;
