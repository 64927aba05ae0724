//! The one way a problem is reported: a closed [`ProblemCode`], the values its sentence needs,
//! the form field it belongs to, and what to do about it ([`ProblemFix`]).
//!
//! No sentence lives here. Every sentence a person reads is in the UI's catalogue,
//! `ui/src/i18n/en.json` and `zh-CN.json`, under `problems.<code>` and `fixes.<code>`, with
//! `{{name}}` placeholders for the params. The window translates; the CLI and the log render the
//! English one from the same file, embedded at build time ([`english`]). The tests below fail
//! when a code lacks a sentence in either language or the two name different placeholders.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

/// What went wrong. Params hold values (names, URLs, numbers, platform codes and the
/// platform's own message), never English words of ours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    pub code: ProblemCode,
    /// The kind, for branching (Retry for the keychain) and the CLI's exit status.
    pub kind: ProblemKind,
    pub params: BTreeMap<String, String>,
    /// The form field the problem is about (`appId`, `profiles[2].name`); the UI shows the
    /// sentence under that field instead of in the banner.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<ProblemFix>,
}

/// What to do: a sentence from the catalogue and, when there is one, the console page to open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ProblemFix {
    pub code: FixCode,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// The kind of a problem: what the user can do about it in general.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS, EnumIter)]
#[serde(rename_all = "snake_case")]
pub enum ProblemKind {
    /// Bad input from the user; nothing was changed.
    InvalidInput,
    /// The local database or data folder failed.
    Storage,
    /// No OS keychain could be reached; nothing was stored.
    KeychainUnavailable,
    /// The keychain is there but did not answer in time; trying again is safe.
    KeychainTimeout,
    /// The named thing does not exist.
    NotFound,
    /// The name is taken; nothing was changed.
    AlreadyExists,
    /// Feishu/Lark refused the call or could not be reached.
    Platform,
    /// Something unexpected; details are in the log.
    Internal,
}

impl ProblemKind {
    /// The CLI's exit status for this kind (documented in `lark-companion-cli --help`). 1 stays
    /// for "a check failed", 3 for "changes are pending".
    pub fn exit_status(self) -> u8 {
        match self {
            ProblemKind::InvalidInput => 2,
            ProblemKind::NotFound => 4,
            ProblemKind::AlreadyExists => 5,
            ProblemKind::Platform => 6,
            ProblemKind::KeychainUnavailable | ProblemKind::KeychainTimeout => 7,
            ProblemKind::Storage => 8,
            ProblemKind::Internal => 70,
        }
    }
}

macro_rules! problem_codes {
    ($($variant:ident => $kind:ident, $fix:expr;)*) => {
        /// Every problem the app can report. The sentence of `foo_bar` is `problems.foo_bar`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, EnumIter, IntoStaticStr)]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        pub enum ProblemCode { $($variant,)* }

        impl ProblemCode {
            pub fn kind(self) -> ProblemKind {
                match self { $(ProblemCode::$variant => ProblemKind::$kind,)* }
            }

            /// The fix shown unless the reporter gives another.
            pub fn default_fix(self) -> Option<FixCode> {
                match self { $(ProblemCode::$variant => $fix,)* }
            }
        }
    };
}

use FixCode as F;

problem_codes! {
    // The data folder, the database and the keychain.
    DatabaseOpen => Storage, Some(F::DataFolder);
    DatabaseUpgrade => Storage, Some(F::DatabaseNewer);
    Database => Storage, None;
    Folder => Storage, Some(F::DataFolder);
    KeychainUnavailable => KeychainUnavailable, Some(keychain_fix());
    KeychainTimeout => KeychainTimeout, Some(F::KeychainBusy);
    KeychainEntry => Storage, Some(F::KeychainEntry);
    SecretNotStored => NotFound, Some(F::EnterSecret);
    Internal => Internal, None;
    ClipboardFailed => Internal, None;
    AutostartFailed => Internal, None;
    // Profiles and their export files.
    ProfileNotFound => NotFound, Some(F::ProfileName);
    ProfileExists => AlreadyExists, Some(F::ProfileRename);
    ImportConflict => AlreadyExists, Some(F::ImportRename);
    ProfileNameEmpty => InvalidInput, None;
    ProfileNameTooLong => InvalidInput, None;
    ProfileNameControl => InvalidInput, None;
    AppIdFormat => InvalidInput, Some(F::CopyCredentials);
    PlatformChoice => InvalidInput, None;
    PlatformUrlInvalid => InvalidInput, None;
    PlatformUrlNotHttps => InvalidInput, None;
    UrlNotFull => InvalidInput, None;
    UrlNotHttp => InvalidInput, None;
    EnvMissing => InvalidInput, Some(F::EnvCredentials);
    SecretsEmpty => InvalidInput, None;
    ExportNotJson => InvalidInput, None;
    ExportVersion => InvalidInput, Some(F::UpdateApp);
    ExportNoVersion => InvalidInput, None;
    ExportInvalid => InvalidInput, None;
    ExportDuplicate => InvalidInput, None;
    // Settings and quota.
    ProxyNotUrl => InvalidInput, None;
    ProxyScheme => InvalidInput, None;
    ProxyNoHost => InvalidInput, None;
    ProxyCredentials => InvalidInput, None;
    TimeZone => InvalidInput, None;
    ThresholdRange => InvalidInput, None;
    BaselineFuture => InvalidInput, None;
    // Setting up the app by API.
    AppNameEmpty => InvalidInput, None;
    RegistrationFailed => Platform, None;
    RegistrationOtherApp => InvalidInput, None;
    KeysNeedProfile => InvalidInput, None;
    CallbackUrlNotHttps => InvalidInput, None;
    UrlInTwoFields => InvalidInput, None;
    // Cards.
    AlertMissing => InvalidInput, None;
    TemplateUnknown => InvalidInput, None;
    CardWrite => Internal, None;
    CardNotJson => InvalidInput, None;
    CardNotObject => InvalidInput, None;
    TargetsEmpty => InvalidInput, None;
    TargetInvalid => InvalidInput, None;
    TargetNotEmail => InvalidInput, None;
    MessageIdMissing => InvalidInput, None;
    PayloadEmpty => InvalidInput, Some(F::PastePayload);
    PayloadNotJson => InvalidInput, Some(F::PastePayload);
    PayloadNotObject => InvalidInput, Some(F::PastePayload);
    PayloadNoAlerts => InvalidInput, Some(F::PastePayload);
    PayloadUnrecognized => InvalidInput, Some(F::PastePayload);
    TemplateRead => Storage, Some(F::TemplatesFolder);
    TemplateWrite => Storage, Some(F::TemplatesFolder);
    TemplateInvalid => InvalidInput, Some(F::TemplateFile);
    TemplateInvalidAt => InvalidInput, Some(F::TemplateFile);
    TemplateOutputNotJson => InvalidInput, Some(F::TemplateFile);
    // The relay.
    RelayNotRunning => InvalidInput, None;
    RelayBind => InvalidInput, Some(F::RelayPort);
    RelayAlreadyRunning => AlreadyExists, Some(F::StopOtherRelay);
    RelayBindAddress => InvalidInput, None;
    RelayOpsAddress => InvalidInput, None;
    ConfigFileInvalid => InvalidInput, None;
    ResignNotCallback => InvalidInput, None;
    RelayPathTwice => InvalidInput, None;
    RelayUrlInvalid => InvalidInput, None;
    RelayUrlNotHttp => InvalidInput, None;
    RelayNotCallbackUrl => InvalidInput, None;
    RelayRecordNotFound => NotFound, None;
    RelayUnknownProfile => NotFound, None;
    RelayNoUpstream => InvalidInput, Some(F::SetUpstream);
    ReplayNothing => InvalidInput, None;
    ReplayRejected => InvalidInput, Some(F::SignInLab);
    ReplayUnverified => InvalidInput, Some(F::SignInLab);
    RelaySendFailed => Platform, None;
    UpstreamFailed => Platform, None;
    RelayBeyondLoopback => InvalidInput, None;
    RelayUpstreamFileRead => InvalidInput, None;
    RelayUpstreamFileEmpty => InvalidInput, None;
    RelayConnectionEnded => Internal, None;
    // Feishu/Lark's answers (lark-platform's error kinds).
    AppIdUnknown => Platform, Some(F::CopyCredentials);
    AppSecretMismatch => Platform, Some(F::CopyCredentials);
    AppCredentialsWrong => Platform, Some(F::CopyCredentials);
    MissingScopes => Platform, Some(F::GrantScopes);
    BotNotInChat => Platform, Some(F::AddBot);
    ReceiverUnavailable => Platform, Some(F::WidenAvailability);
    RateLimited => Platform, None;
    RateLimitedMoment => Platform, None;
    QuotaExhausted => Platform, Some(F::QuotaReset);
    AppUnavailable => Platform, Some(F::EnableApp);
    BotDisabled => Platform, Some(F::EnableBot);
    TokenInvalid => Platform, Some(F::TokenClock);
    ContentInvalid => Platform, None;
    ContentTooLarge => Platform, Some(F::CardSize);
    UnderReview => Platform, Some(F::WaitForReview);
    NotConsoleApp => Platform, Some(F::UseConsole);
    NotSupported => Platform, Some(F::UseConsole);
    PlatformError => Platform, None;
    NetworkUnreachable => Platform, Some(F::CheckNetwork);
    NetworkTimeout => Platform, Some(F::CheckNetwork);
    ServerError => Platform, Some(F::TryLater);
    AnswerUnreadable => Platform, None;
    ClientSetup => InvalidInput, None;
}

/// What to do about a problem. The sentence of `foo_bar` is `fixes.foo_bar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS, EnumIter, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FixCode {
    DataFolder,
    DatabaseNewer,
    KeychainLinux,
    KeychainMacos,
    KeychainWindows,
    KeychainBusy,
    KeychainEntry,
    EnterSecret,
    ProfileName,
    ProfileRename,
    ImportRename,
    CopyCredentials,
    EnvCredentials,
    UpdateApp,
    PastePayload,
    TemplatesFolder,
    TemplateFile,
    RelayPort,
    StopOtherRelay,
    SetUpstream,
    SignInLab,
    GrantScopes,
    AddBot,
    WidenAvailability,
    QuotaReset,
    EnableApp,
    EnableBot,
    TokenClock,
    CardSize,
    WaitForReview,
    UseConsole,
    CheckNetwork,
    TryLater,
    CardAddBot,
    CardTooLarge,
    CardWaitAndResend,
    CardAvailability,
    CardCopyCredentials,
    CardUpdateRules,
    CardCheckChat,
    CardCheckPerson,
    CardTryAgain,
    CardTargetChat,
    CardTargetId,
    CardTargetEmail,
}

/// What to do when no keychain is reachable, for the OS this build runs on.
const fn keychain_fix() -> FixCode {
    if cfg!(target_os = "macos") {
        FixCode::KeychainMacos
    } else if cfg!(target_os = "windows") {
        FixCode::KeychainWindows
    } else {
        FixCode::KeychainLinux
    }
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl FixCode {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

impl Problem {
    pub fn new(code: ProblemCode) -> Self {
        Self {
            code,
            kind: code.kind(),
            params: BTreeMap::new(),
            field: None,
            fix: code
                .default_fix()
                .map(|code| ProblemFix { code, link: None }),
        }
    }

    /// A problem with a value the user entered.
    pub fn invalid(field: impl Into<String>, code: ProblemCode) -> Self {
        Self::new(code).field(field)
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// Another fix than the code's default, or a fix where it has none.
    pub fn fix(mut self, code: FixCode) -> Self {
        let link = self.fix.take().and_then(|f| f.link);
        self.fix = Some(ProblemFix { code, link });
        self
    }

    /// The console page that fixes it (kept only when the problem has a fix sentence).
    pub fn link(mut self, link: Option<String>) -> Self {
        if let Some(fix) = self.fix.as_mut() {
            fix.link = link;
        }
        self
    }

    /// The problem in English, from the catalogue: the sentence, then the fix.
    pub fn english(&self) -> String {
        english(self.code, &self.params)
    }

    /// The fix in English (without its link), when there is one.
    pub fn english_fix(&self) -> Option<String> {
        self.fix
            .as_ref()
            .map(|fix| catalogue_text(&["fixes", fix.code.as_str()], &self.params))
    }
}

/// The English sentence, after the field it is about (`appId: An App ID is …`), for the CLI
/// and the log.
impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(field) = &self.field {
            write!(f, "{field}: ")?;
        }
        f.write_str(&self.english())
    }
}

/// The English catalogue, embedded at build time from the UI's own file.
const ENGLISH: &str = include_str!("../../../ui/src/i18n/en.json");

fn english_catalogue() -> &'static serde_json::Value {
    static CATALOGUE: OnceLock<serde_json::Value> = OnceLock::new();
    CATALOGUE.get_or_init(|| serde_json::from_str(ENGLISH).unwrap_or_default())
}

/// The window's Chinese catalogue, for what the core itself shows outside the window (native
/// notifications).
pub(crate) const CHINESE: &str = include_str!("../../../ui/src/i18n/zh-CN.json");

fn chinese_catalogue() -> &'static serde_json::Value {
    static CATALOGUE: OnceLock<serde_json::Value> = OnceLock::new();
    CATALOGUE.get_or_init(|| serde_json::from_str(CHINESE).unwrap_or_default())
}

/// The text at `path` in `language`'s catalogue with `params` filled in (English when the
/// Chinese catalogue lacks it, the dotted path when neither has it).
pub fn catalogue_text_in(
    language: crate::ipc::Language,
    path: &[&str],
    params: &BTreeMap<String, String>,
) -> String {
    if language == crate::ipc::Language::SimplifiedChinese {
        let mut node = Some(chinese_catalogue());
        for key in path {
            node = node.and_then(|n| n.get(*key));
        }
        if let Some(text) = node.and_then(|n| n.as_str()) {
            return interpolate(text, params);
        }
    }
    catalogue_text(path, params)
}

/// The English sentence of `code` with `params` filled in.
pub fn english(code: ProblemCode, params: &BTreeMap<String, String>) -> String {
    catalogue_text(&["problems", code.as_str()], params)
}

/// The English text at `path` of the catalogue (`["checks", "noneValue"]`).
pub(crate) fn catalogue_str(path: &[&str]) -> Option<&'static str> {
    let mut node = english_catalogue();
    for key in path {
        node = node.get(*key)?;
    }
    node.as_str()
}

/// The English text at `path` with `params` filled in; the path itself if there is none, which
/// the tests of every code enum forbid.
pub(crate) fn catalogue_text(path: &[&str], params: &BTreeMap<String, String>) -> String {
    match catalogue_str(path) {
        Some(text) => interpolate(text, params),
        None => path.join("."),
    }
}

/// Fills i18next's `{{name}}` placeholders; unknown names stay as written.
pub fn interpolate(text: &str, params: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else {
            break;
        };
        let name = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        match params.get(name) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[start..start + 4 + len]),
        }
        rest = &rest[start + 4 + len..];
    }
    out.push_str(rest);
    out
}

/// The types of this module for TypeScript.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "Problem.ts",
            Problem::export_to_string().unwrap_or_default(),
        ),
        (
            "ProblemFix.ts",
            ProblemFix::export_to_string().unwrap_or_default(),
        ),
        (
            "ProblemKind.ts",
            ProblemKind::export_to_string().unwrap_or_default(),
        ),
        (
            "ProblemCode.ts",
            ProblemCode::export_to_string().unwrap_or_default(),
        ),
        (
            "FixCode.ts",
            FixCode::export_to_string().unwrap_or_default(),
        ),
    ]
}

/// What the tests of every code enum share: both catalogues and their placeholders.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::BTreeSet;

    pub(crate) use super::CHINESE;

    /// The English and the Chinese catalogue.
    pub(crate) fn catalogues() -> (serde_json::Value, serde_json::Value) {
        (
            serde_json::from_str(super::ENGLISH).unwrap(),
            serde_json::from_str(CHINESE).unwrap(),
        )
    }

    /// The `{{names}}` a sentence fills in.
    pub(crate) fn placeholders(text: &str) -> BTreeSet<String> {
        text.split("{{")
            .skip(1)
            .filter_map(|part| {
                part.split_once("}}")
                    .map(|(name, _)| name.trim().to_owned())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use strum::IntoEnumIterator;

    use super::*;

    use testing::{placeholders, CHINESE};

    /// Every code of both enums has a sentence in English and in Chinese, and the two name the
    /// same placeholders (a translation that drops `{{name}}` would hide the value).
    #[test]
    fn every_code_has_a_sentence_in_both_languages() {
        let en: serde_json::Value = serde_json::from_str(ENGLISH).unwrap();
        let zh: serde_json::Value = serde_json::from_str(CHINESE).unwrap();
        let keys = ProblemCode::iter()
            .map(|c| ("problems", c.as_str()))
            .chain(FixCode::iter().map(|c| ("fixes", c.as_str())));
        let mut missing = Vec::new();
        for (group, key) in keys {
            let (e, z) = (en[group][key].as_str(), zh[group][key].as_str());
            match (e, z) {
                (Some(e), Some(z)) if !e.trim().is_empty() && !z.trim().is_empty() => {
                    assert_eq!(
                        placeholders(e),
                        placeholders(z),
                        "{group}.{key}: English and Chinese name different values"
                    );
                }
                _ => missing.push(format!("{group}.{key}")),
            }
        }
        assert!(missing.is_empty(), "no sentence for: {missing:?}");
    }

    /// The catalogue holds no sentence for a code that no longer exists.
    #[test]
    fn the_catalogue_has_no_stale_codes() {
        let en: serde_json::Value = serde_json::from_str(ENGLISH).unwrap();
        let codes: BTreeSet<&str> = ProblemCode::iter().map(ProblemCode::as_str).collect();
        let fixes: BTreeSet<&str> = FixCode::iter().map(FixCode::as_str).collect();
        let stale: Vec<&String> = en["problems"]
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| !codes.contains(k.as_str()))
            .chain(
                en["fixes"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .filter(|k| !fixes.contains(k.as_str())),
            )
            .collect();
        assert!(stale.is_empty(), "sentences without a code: {stale:?}");
    }

    #[test]
    fn english_fills_the_params_from_the_catalogue() {
        let problem = Problem::invalid("name", ProblemCode::ProfileExists).param("name", "Prod");
        assert_eq!(
            problem.english(),
            "A profile named \"Prod\" already exists."
        );
        assert_eq!(problem.kind, ProblemKind::AlreadyExists);
        assert_eq!(problem.fix.as_ref().unwrap().code, FixCode::ProfileRename);
        assert!(problem
            .english_fix()
            .unwrap()
            .starts_with("Choose another name"));
    }

    #[test]
    fn interpolation_leaves_unknown_names_and_stray_braces() {
        let params = BTreeMap::from([("a".to_owned(), "1".to_owned())]);
        assert_eq!(interpolate("x {{a}} {{ b }} {{", &params), "x 1 {{ b }} {{");
    }

    #[test]
    fn json_shape_is_stable() {
        let problem = Problem::new(ProblemCode::MissingScopes)
            .param("scopes", "im:chat")
            .link(Some("https://open.feishu.cn/app/cli_x/auth".into()));
        assert_eq!(
            serde_json::to_value(&problem).unwrap(),
            serde_json::json!({"code":"missing_scopes","kind":"platform",
                "params":{"scopes":"im:chat"},
                "fix":{"code":"grant_scopes","link":"https://open.feishu.cn/app/cli_x/auth"}})
        );
    }

    #[test]
    fn exit_statuses_are_distinct_per_kind_and_avoid_1_and_3() {
        let statuses: Vec<u8> = ProblemKind::iter()
            .filter(|k| *k != ProblemKind::KeychainTimeout)
            .map(ProblemKind::exit_status)
            .collect();
        let unique: BTreeSet<u8> = statuses.iter().copied().collect();
        assert_eq!(unique.len(), statuses.len());
        assert!(!unique.contains(&1) && !unique.contains(&3) && !unique.contains(&0));
    }
}
