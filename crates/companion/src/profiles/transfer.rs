//! Moving profiles between machines as a JSON file that holds no secret value: secrets are
//! listed by name only, and the importer is told which ones to enter. The file is safe to mail
//! or commit; the keychain stays the only place a secret lives.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{parse_app_id, parse_name, IntegrationUrls, Platform, ProfileUid};
use super::rows::{self, NewRow};
use super::types::{ImportReport, ImportedProfile};
use crate::db::Database;
use crate::keychain::{SecretKind, SecretStore};
use crate::problem::{Problem, ProblemCode as C};
use crate::{Error, Result};

/// The document version this build writes and reads.
pub const EXPORT_VERSION: u32 = 1;

/// `{"version": 1, "profiles": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportDocument {
    pub version: u32,
    pub profiles: Vec<ExportedProfile>,
}

/// One profile without its secrets. Unknown fields are refused, so a hand-made file that tries
/// to carry a secret value (`"appSecret": "..."`) fails to import instead of being half-read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExportedProfile {
    pub name: String,
    pub platform: Platform,
    pub app_id: String,
    #[serde(default)]
    pub urls: IntegrationUrls,
    /// Which secrets the profile had stored on the exporting machine (names, never values).
    #[serde(default)]
    pub secrets: Vec<SecretKind>,
}

/// Every profile, sorted by name.
pub fn export(db: &Database, store: &dyn SecretStore) -> Result<ExportDocument> {
    let mut profiles = Vec::new();
    let all = rows::all(&db.conn())?;
    for row in all {
        let presence = super::presence(db, store, &row)?;
        profiles.push(ExportedProfile {
            name: row.name,
            platform: row.platform,
            app_id: row.app_id,
            urls: row.urls,
            secrets: presence.stored(),
        });
    }
    Ok(ExportDocument {
        version: EXPORT_VERSION,
        profiles,
    })
}

/// [`export`] as pretty JSON text.
pub fn export_json(db: &Database, store: &dyn SecretStore) -> Result<String> {
    Ok(serde_json::to_string_pretty(&export(db, store)?).expect("export serializes"))
}

/// Parses and imports an export document. All or nothing.
pub fn import_json(db: &Database, text: &str, now: DateTime<Utc>) -> Result<ImportReport> {
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| Problem::invalid("file", C::ExportNotJson).param("detail", e))?;
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(EXPORT_VERSION) => {}
        Some(v) => {
            return Err(Problem::invalid("version", C::ExportVersion)
                .param("found", v)
                .param("supported", EXPORT_VERSION)
                .into())
        }
        None => return Err(Error::invalid("version", C::ExportNoVersion)),
    }
    let document: ExportDocument = serde_json::from_str(text).map_err(|e| {
        Problem::invalid("file", C::ExportInvalid)
            .param("line", e.line())
            .param("column", e.column())
            .param("detail", describe(&e))
    })?;
    import(db, document, now)
}

/// serde's words about a bad document, unless they would quote a value from it (an unknown
/// variant or a wrongly typed value can be a pasted secret).
fn describe(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let text = text.split(" at line ").next().unwrap_or_default();
    if text.starts_with("missing field") || text.starts_with("unknown field") {
        text.to_owned()
    } else {
        "a value has the wrong form".to_owned()
    }
}

/// Validates every profile, refuses names that exist (here or twice in the file), then creates
/// them in one transaction.
pub fn import(db: &Database, document: ExportDocument, now: DateTime<Utc>) -> Result<ImportReport> {
    let in_profile = |i: usize, e: Error| match e {
        Error::Problem(problem) if problem.field.is_some() => {
            let field = format!("profiles[{i}].{}", problem.field.as_deref().unwrap_or(""));
            problem.field(field).into()
        }
        other => other,
    };
    let mut prepared = Vec::new();
    let mut seen = BTreeSet::new();
    for (i, p) in document.profiles.into_iter().enumerate() {
        let name = parse_name(&p.name).map_err(|e| in_profile(i, e))?;
        if !seen.insert(name.to_lowercase()) {
            return Err(
                Problem::invalid(format!("profiles[{i}].name"), C::ExportDuplicate)
                    .param("name", name)
                    .into(),
            );
        }
        let platform = p.platform.validated().map_err(|e| in_profile(i, e))?;
        let app_id = parse_app_id(&p.app_id).map_err(|e| in_profile(i, e))?;
        let urls = p.urls.validated().map_err(|e| in_profile(i, e))?;
        let mut to_enter: BTreeSet<SecretKind> = p.secrets.into_iter().collect();
        // Nothing works without the App Secret, whether or not the file mentions it.
        to_enter.insert(SecretKind::AppSecret);
        prepared.push((name, platform, app_id, urls, to_enter));
    }

    let conn = db.conn();
    let mut taken = Vec::new();
    for (name, ..) in &prepared {
        if let Some(row) = rows::find(&conn, name)? {
            taken.push(format!("\"{}\"", row.name));
        }
    }
    if !taken.is_empty() {
        return Err(Error::ImportConflict {
            names: taken.join(", "),
        });
    }

    let tx = conn.unchecked_transaction()?;
    let mut report = ImportReport {
        profiles: Vec::new(),
    };
    for (name, platform, app_id, urls, to_enter) in prepared {
        let uid = ProfileUid::generate();
        rows::insert(
            &tx,
            &NewRow {
                uid: &uid,
                name: &name,
                platform: &platform,
                app_id: &app_id,
                urls: &urls,
                now,
            },
        )?;
        tracing::info!(profile = %name, %uid, "profile imported");
        report.profiles.push(ImportedProfile {
            name,
            secrets_to_enter: to_enter.into_iter().collect(),
        });
    }
    tx.commit()?;
    Ok(report)
}
