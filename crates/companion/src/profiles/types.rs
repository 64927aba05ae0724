//! What the UI sends and receives about profiles. Nothing here can carry a secret value back to
//! the UI: secrets only come in ([`SecretsInput`] is deserialize-only and holds [`Secret`]s,
//! which cannot be serialized) and go out as "stored or not" booleans.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lark_platform::secret::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::model::{IntegrationUrls, Platform};
use crate::ipc::Language;
use crate::keychain::SecretKind;

/// A profile as lists and detail views show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub name: String,
    pub platform: Platform,
    pub app_id: String,
    pub urls: IntegrationUrls,
    pub secrets: SecretPresence,
    /// The language of this profile's alert cards; `None` follows the app's language.
    pub card_language: Option<Language>,
    #[ts(type = "string")]
    pub created_at: DateTime<Utc>,
    #[ts(type = "string")]
    pub updated_at: DateTime<Utc>,
}

/// Which secrets the keychain holds for a profile (never their values).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SecretPresence {
    pub app_secret: bool,
    pub verification_token: bool,
    pub encrypt_key: bool,
}

impl SecretPresence {
    pub fn get(&self, kind: SecretKind) -> bool {
        match kind {
            SecretKind::AppSecret => self.app_secret,
            SecretKind::VerificationToken => self.verification_token,
            SecretKind::EncryptKey => self.encrypt_key,
        }
    }

    pub fn set(&mut self, kind: SecretKind, present: bool) {
        match kind {
            SecretKind::AppSecret => self.app_secret = present,
            SecretKind::VerificationToken => self.verification_token = present,
            SecretKind::EncryptKey => self.encrypt_key = present,
        }
    }

    /// The stored kinds as a JSON array (`["appSecret", ...]`), for the profiles table.
    pub(crate) fn to_json(self) -> String {
        serde_json::to_string(&self.stored()).unwrap_or_else(|_| "[]".into())
    }

    /// The inverse of [`SecretPresence::to_json`]; `None` for anything else.
    pub(crate) fn from_json(json: &str) -> Option<Self> {
        let kinds: Vec<SecretKind> = serde_json::from_str(json).ok()?;
        let mut presence = Self::default();
        for kind in kinds {
            presence.set(kind, true);
        }
        Some(presence)
    }

    /// The secrets that are stored, in console order.
    pub fn stored(&self) -> Vec<SecretKind> {
        SecretKind::ALL
            .into_iter()
            .filter(|k| self.get(*k))
            .collect()
    }
}

/// A new profile, as the wizard or the CLI collects it.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileInput {
    pub name: String,
    pub platform: Platform,
    pub app_id: String,
    #[serde(default)]
    #[ts(optional)]
    pub urls: Option<IntegrationUrls>,
    #[serde(default)]
    pub secrets: SecretsInput,
}

/// Secret values typed by the user. Absent or empty means "not entered (yet)".
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretsInput {
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub app_secret: Option<Secret>,
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub verification_token: Option<Secret>,
    #[serde(default)]
    #[ts(optional, as = "Option<String>")]
    pub encrypt_key: Option<Secret>,
}

impl SecretsInput {
    /// The entered (non-empty, trimmed) secrets, in console order.
    pub fn entered(&self) -> Vec<(SecretKind, Secret)> {
        [
            (SecretKind::AppSecret, &self.app_secret),
            (SecretKind::VerificationToken, &self.verification_token),
            (SecretKind::EncryptKey, &self.encrypt_key),
        ]
        .into_iter()
        .filter_map(|(kind, value)| {
            let trimmed = value.as_ref()?.expose().trim();
            (!trimmed.is_empty()).then(|| (kind, Secret::new(trimmed)))
        })
        .collect()
    }

    pub fn set(&mut self, kind: SecretKind, value: Option<Secret>) {
        match kind {
            SecretKind::AppSecret => self.app_secret = value,
            SecretKind::VerificationToken => self.verification_token = value,
            SecretKind::EncryptKey => self.encrypt_key = value,
        }
    }
}

/// A check's outcome. `Unknown` is for what the Open API cannot check; the reason then says what
/// to look at in the console. `Skipped` is for a check that could not run this time (the
/// platform was unreachable, the app was rate limited or out of quota, an earlier check failed);
/// the reason says why, and running it again later may well pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckStatus {
    Pass,
    Fail,
    Unknown,
    Skipped,
}

impl CheckStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "fail",
            CheckStatus::Unknown => "unknown",
            CheckStatus::Skipped => "skipped",
        }
    }

    pub(crate) fn from_stored(value: &str) -> Self {
        match value {
            "pass" => CheckStatus::Pass,
            "fail" => CheckStatus::Fail,
            "skipped" => CheckStatus::Skipped,
            _ => CheckStatus::Unknown,
        }
    }
}

/// Where the setup wizard is for a profile, so it can be left and resumed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct WizardProgress {
    pub current_step: Option<String>,
    pub steps: BTreeMap<String, CheckStatus>,
    /// Check ids the admin confirmed by hand ("I checked this") where the API cannot check.
    pub confirmed: Vec<String>,
}

/// One run of one setup check (wizard or doctor).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckRecord {
    pub check_id: String,
    pub status: CheckStatus,
    /// The outcome's stable finding key, so the UI can translate old runs; `None` for runs
    /// recorded before findings were kept.
    #[serde(default)]
    pub finding: Option<String>,
    #[serde(default)]
    #[ts(type = "{ [key in string]?: string }")]
    pub params: BTreeMap<String, String>,
    pub reason: Option<String>,
    #[ts(type = "string")]
    pub run_at: DateTime<Utc>,
    /// Whether the run was a full Doctor run or one wizard step (`None` on older rows).
    #[serde(skip)]
    #[ts(skip)]
    pub scope: Option<RunScope>,
}

/// What a run of checks covered: every check (the Doctor), or one wizard step's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RunScope {
    Full,
    Step,
}

impl RunScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RunScope::Full => "full",
            RunScope::Step => "step",
        }
    }

    pub fn from_stored(text: &str) -> Option<Self> {
        match text {
            "full" => Some(RunScope::Full),
            "step" => Some(RunScope::Step),
            _ => None,
        }
    }
}

/// What an import created, and which secrets the user must now enter for each profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportReport {
    pub profiles: Vec<ImportedProfile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedProfile {
    pub name: String,
    pub secrets_to_enter: Vec<SecretKind>,
}
