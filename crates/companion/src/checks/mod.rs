//! Setup checks, shared by the wizard (one step at a time) and the doctor (all at once).
//!
//! Every check ends in one of four states: pass; fail with the reason and the fix (and a link to
//! the console page where it is fixed); unknown: the Open API cannot see that setting, and the
//! reason says what to look at instead; or skipped: the check could not run this time (the
//! platform was unreachable, the app was rate limited or out of quota, an earlier check failed),
//! and the reason says why. Nothing here guesses: a check that could not reach the platform says
//! so rather than passing or failing.
//!
//! An outcome carries no sentence: a closed `finding` with the values its words need. The words
//! are in the UI's catalogue in every language it has; the CLI says them in English from the same
//! file (`words.rs`).

mod api;
mod config;
mod guide;
mod local;
mod words;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lark_platform::client::Client;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};
use ts_rs::TS;

pub use crate::console::{console_link, console_origin, scope_grant_link, ConsolePage};
pub use guide::{bot_chats, setup_guide, BotChat, ConsoleLinks, SetupGuide};

use crate::db::Database;
use crate::ipc::{Fix, Language};
use crate::profiles::{self, CheckRecord, CheckStatus, Credentials, IntegrationUrls, RunScope};
use crate::Result;

/// Scopes the integration cannot work without, and ones some of its features use.
pub use crate::appsetup::target::{CALLBACKS, EVENTS, OPTIONAL_SCOPES, REQUIRED_SCOPES};

/// The checks, in the platform's own setup order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CheckId {
    /// App ID and App Secret obtain a tenant access token.
    Credentials,
    /// Verification Token and Encrypt Key are stored (the relay and the integration need them).
    CallbackSecrets,
    /// The three URLs from the integration are pasted and well-formed.
    IntegrationUrls,
    /// Web App capability with the Web Configuration URL as homepage (not visible to the API).
    WebApp,
    /// Bot capability is on and active.
    Bot,
    /// Redirect URL in Security Settings (not visible to the API).
    RedirectUrl,
    /// Request URL with its events and callbacks (not visible to the API).
    CallbackUrl,
    /// im:chat is granted: the bot's chats can be listed.
    ChatScope,
    /// The bot is in at least one group.
    BotInGroups,
    /// im:message is granted: a test card reaches the chosen group.
    MessageScope,
    /// A version is published and approved.
    Published,
    /// People who receive alerts are in the availability range and linked their accounts.
    Availability,
}

impl CheckId {
    pub const ALL: [CheckId; 12] = [
        CheckId::Credentials,
        CheckId::CallbackSecrets,
        CheckId::IntegrationUrls,
        CheckId::WebApp,
        CheckId::Bot,
        CheckId::RedirectUrl,
        CheckId::CallbackUrl,
        CheckId::ChatScope,
        CheckId::BotInGroups,
        CheckId::MessageScope,
        CheckId::Published,
        CheckId::Availability,
    ];

    /// The id stored in the check history.
    pub fn as_str(self) -> &'static str {
        match self {
            CheckId::Credentials => "credentials",
            CheckId::CallbackSecrets => "callbackSecrets",
            CheckId::IntegrationUrls => "integrationUrls",
            CheckId::WebApp => "webApp",
            CheckId::Bot => "bot",
            CheckId::RedirectUrl => "redirectUrl",
            CheckId::CallbackUrl => "callbackUrl",
            CheckId::ChatScope => "chatScope",
            CheckId::BotInGroups => "botInGroups",
            CheckId::MessageScope => "messageScope",
            CheckId::Published => "published",
            CheckId::Availability => "availability",
        }
    }

    /// The check's title in English, from the catalogue (`checks.titles.*`), for the CLI.
    pub fn title(self) -> &'static str {
        crate::problem::catalogue_str(&["checks", "titles", self.as_str()]).unwrap_or(self.as_str())
    }
}

/// What a check found. The sentence of `fooBar` is `checks.findings.fooBar` in the UI's
/// catalogue (ui/src/i18n), and its fix, for those that have one ([`CheckFinding::has_fix`]),
/// `checks.fixes.fooBar`; the CLI says them in English from the same file ([`words`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, EnumIter, IntoStaticStr,
)]
#[serde(rename_all = "camelCase")]
#[strum(serialize_all = "camelCase")]
pub enum CheckFinding {
    AppUnavailable,
    AvailabilityNotVisible,
    BlockedByChatScope,
    BlockedByCredentials,
    BotActive,
    BotDisabled,
    BotInGroups,
    BotInactive,
    BotNotInAnyGroup,
    BotNotInChat,
    CallbackSecretsStored,
    CallbackSubscriptionsMissing,
    CallbackUrlDiffers,
    CallbackUrlMatches,
    CallbackUrlNotVisible,
    ChatsListed,
    EncryptKeyMissing,
    IntegrationUrlsMissing,
    IntegrationUrlsPasted,
    InvalidAppId,
    InvalidAppIdOrSecret,
    InvalidAppSecret,
    KeysDiffer,
    MessageSentRecently,
    MissingScopes,
    NoTestChat,
    PlatformError,
    PublishedNone,
    PublishedOnline,
    PublishedUnderReview,
    QuotaExhausted,
    RateLimited,
    RedirectUrlListed,
    RedirectUrlMissing,
    RedirectUrlNotVisible,
    SettingsNotReadable,
    TestCardSent,
    TokenIssued,
    Unreachable,
    VerificationTokenMissing,
    VersionLive,
    VersionUnknown,
    WebAppDiffers,
    WebAppMatches,
    WebAppNotSet,
    WebAppNotVisible,
}

impl CheckFinding {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Whether the finding comes with what to do (a failure's fix, or for a setting the API
    /// cannot see, what to look at).
    pub fn has_fix(self) -> bool {
        matches!(
            self,
            CheckFinding::AppUnavailable
                | CheckFinding::AvailabilityNotVisible
                | CheckFinding::BotDisabled
                | CheckFinding::BotInactive
                | CheckFinding::BotNotInAnyGroup
                | CheckFinding::BotNotInChat
                | CheckFinding::CallbackSubscriptionsMissing
                | CheckFinding::CallbackUrlDiffers
                | CheckFinding::CallbackUrlNotVisible
                | CheckFinding::EncryptKeyMissing
                | CheckFinding::IntegrationUrlsMissing
                | CheckFinding::InvalidAppId
                | CheckFinding::InvalidAppIdOrSecret
                | CheckFinding::InvalidAppSecret
                | CheckFinding::KeysDiffer
                | CheckFinding::MissingScopes
                | CheckFinding::PublishedNone
                | CheckFinding::PublishedUnderReview
                | CheckFinding::RedirectUrlMissing
                | CheckFinding::RedirectUrlNotVisible
                | CheckFinding::SettingsNotReadable
                | CheckFinding::VerificationTokenMissing
                | CheckFinding::VersionLive
                | CheckFinding::VersionUnknown
                | CheckFinding::WebAppDiffers
                | CheckFinding::WebAppNotSet
                | CheckFinding::WebAppNotVisible
        )
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CheckOutcome {
    pub id: CheckId,
    pub status: CheckStatus,
    /// What was found (e.g. `botNotInAnyGroup`), said by the catalogue.
    pub finding: CheckFinding,
    /// Values the finding's text needs (URLs, names, counts, codes, scopes), never English
    /// words: a list of keys or identifiers is joined with `,` (`missing` holds the keys
    /// `webConfigUrl`, `redirectUrl`, `cardRequestUrl`, which the UI names in its language;
    /// `scopes`, `events`, `callbacks` hold platform identifiers), group `names` one per line;
    /// a URL that is not saved is `field` (its key) instead of `url`.
    pub params: BTreeMap<String, String>,
    /// Set when the finding has a fix ([`CheckFinding::has_fix`]), with its console page.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
}

impl CheckOutcome {
    fn new(id: CheckId, status: CheckStatus, finding: CheckFinding) -> Self {
        Self {
            id,
            status,
            finding,
            params: BTreeMap::new(),
            fix: None,
        }
    }

    pub(crate) fn pass(id: CheckId, finding: CheckFinding) -> Self {
        Self::new(id, CheckStatus::Pass, finding)
    }

    pub(crate) fn fail(id: CheckId, finding: CheckFinding) -> Self {
        Self::new(id, CheckStatus::Fail, finding)
    }

    pub(crate) fn unknown(id: CheckId, finding: CheckFinding) -> Self {
        Self::new(id, CheckStatus::Unknown, finding)
    }

    pub(crate) fn skipped(id: CheckId, finding: CheckFinding) -> Self {
        Self::new(id, CheckStatus::Skipped, finding)
    }

    pub(crate) fn param(mut self, key: &str, value: impl ToString) -> Self {
        self.params.insert(key.to_owned(), value.to_string());
        self
    }

    /// The finding's fix (its sentence is in the catalogue), with the console page.
    pub(crate) fn fix(mut self, link: Option<String>) -> Self {
        debug_assert!(
            self.finding.has_fix(),
            "{:?} has no fix sentence",
            self.finding
        );
        self.fix = Some(Fix { link });
        self
    }

    /// The finding in English, from the catalogue (what the CLI prints).
    pub fn english(&self) -> String {
        words::finding(self.finding, &self.params)
    }

    /// The fix in English, when there is one.
    pub fn english_fix(&self) -> Option<String> {
        self.fix
            .as_ref()
            .map(|_| words::fix(self.finding, &self.params))
    }

    fn record(&self, run_at: DateTime<Utc>, scope: RunScope) -> CheckRecord {
        CheckRecord {
            check_id: self.id.as_str().to_owned(),
            status: self.status,
            finding: Some(self.finding.as_str().to_owned()),
            params: self.params.clone(),
            reason: Some(self.english()),
            run_at,
            scope: Some(scope),
        }
    }
}

/// Everything the checks look at for one profile.
pub struct Subject<'a> {
    pub credentials: &'a Credentials,
    pub urls: &'a IntegrationUrls,
    /// The group to send the test card to; without one the message scope is judged by
    /// `message_sent_at`, and stays unknown without that too.
    pub test_chat: Option<&'a str>,
    /// When the app last sent a message successfully, from the quota ledger
    /// ([`message_evidence`]): proof that im:message is granted.
    pub message_sent_at: Option<DateTime<Utc>>,
    /// The language of the test card (the profile's card language).
    pub card_language: Language,
}

/// How far back a successful send in the quota ledger counts as proof of im:message.
pub const SEND_EVIDENCE_DAYS: i64 = 30;

/// When the app `app_id` last sent a message successfully within [`SEND_EVIDENCE_DAYS`] of
/// `now`, by the quota ledger (every Open API call the app made through Lark Companion).
pub fn message_evidence(
    db: &Database,
    app_id: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    crate::quota::ledger::last_successful_send(
        &db.conn(),
        app_id,
        now - chrono::Duration::days(SEND_EVIDENCE_DAYS),
    )
}

/// All checks of one doctor run.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DoctorReport {
    pub profile: String,
    #[ts(type = "string")]
    pub ran_at: DateTime<Utc>,
    pub outcomes: Vec<CheckOutcome>,
}

impl DoctorReport {
    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.status == CheckStatus::Fail)
            .count()
    }
}

/// Runs every check against the platform with `client`, in setup order. Checks that depend on
/// an earlier one (no token, no chats) say so instead of repeating its failure.
pub async fn run_all(client: &Client, subject: &Subject<'_>) -> Vec<CheckOutcome> {
    run(client, subject, true).await
}

/// The checks whose outcome the application API can replace (see [`apply_readings`]).
const READ_FROM_APP: [CheckId; 5] = [
    CheckId::CallbackSecrets,
    CheckId::WebApp,
    CheckId::RedirectUrl,
    CheckId::CallbackUrl,
    CheckId::Published,
];

/// [`run_all`]; `read_app` reads the app's configuration (three or four counted calls), which
/// only the checks in [`READ_FROM_APP`] use.
async fn run(client: &Client, subject: &Subject<'_>, read_app: bool) -> Vec<CheckOutcome> {
    let creds = subject.credentials;
    let mut out = vec![
        api::credentials(client, creds).await,
        local::callback_secrets(creds),
        local::integration_urls(subject.urls),
        local::web_app(creds, subject.urls),
    ];
    let token_ok = out[0].status == CheckStatus::Pass;
    if !token_ok {
        let skipped = [
            CheckId::Bot,
            CheckId::ChatScope,
            CheckId::BotInGroups,
            CheckId::MessageScope,
            CheckId::Published,
        ];
        out.push(local::redirect_url(creds, subject.urls));
        out.push(local::callback_url(creds, subject.urls));
        out.extend(skipped.into_iter().map(api::blocked_by_credentials));
        out.push(local::availability(creds));
        out.sort_by_key(|o| CheckId::ALL.iter().position(|id| *id == o.id));
        return out;
    }
    let bot = api::bot(client, creds).await;
    let bot_active = bot.status == CheckStatus::Pass;
    out.push(bot);
    out.push(local::redirect_url(creds, subject.urls));
    out.push(local::callback_url(creds, subject.urls));
    let (chat_scope, groups) = api::chats(client, creds).await;
    out.push(chat_scope);
    out.push(groups);
    out.push(
        api::message_scope(
            client,
            creds,
            subject.test_chat,
            subject.message_sent_at,
            subject.card_language,
        )
        .await,
    );
    out.push(api::published(creds, bot_active));
    out.push(local::availability(creds));
    // What the application API can answer replaces "check it in the console".
    if read_app {
        if let Ok(snapshot) = crate::appsetup::read::read(client).await {
            apply_readings(&mut out, config::readings(&snapshot, creds, subject.urls));
        }
    }
    out
}

/// Puts the platform's answers in place of the outcomes that could only say "look in the
/// console"; when the app may not read itself, those say which scope would let it.
fn apply_readings(out: &mut [CheckOutcome], readings: config::Readings) {
    let config::Readings {
        web_app,
        redirect_url,
        callback_url,
        published,
        keys_differ,
        missing_read_scope,
    } = readings;
    let replace = |out: &mut [CheckOutcome], new: CheckOutcome| {
        if let Some(slot) = out.iter_mut().find(|o| o.id == new.id) {
            *slot = new;
        }
    };
    for reading in [web_app, redirect_url, callback_url, published, keys_differ]
        .into_iter()
        .flatten()
    {
        replace(out, reading);
    }
    if let Some(scope) = missing_read_scope {
        for outcome in out.iter_mut().filter(|o| {
            o.status == CheckStatus::Unknown
                && matches!(
                    o.id,
                    CheckId::WebApp | CheckId::RedirectUrl | CheckId::CallbackUrl
                )
        }) {
            outcome.finding = CheckFinding::SettingsNotReadable;
            outcome.params.insert("scope".into(), scope.clone());
        }
    }
}

/// The checks that need no network (what the profile holds and what the API cannot see).
pub fn local_outcomes(creds: &Credentials, urls: &IntegrationUrls) -> Vec<CheckOutcome> {
    vec![
        local::callback_secrets(creds),
        local::integration_urls(urls),
        local::web_app(creds, urls),
        local::redirect_url(creds, urls),
        local::callback_url(creds, urls),
        local::availability(creds),
    ]
}

/// Like [`run_all`], keeping only `ids` (all when empty). The wizard checks one step at a time,
/// but dependencies (the token before the bot) still run first, so a step's verdict is the same
/// as the doctor's.
pub async fn run_selected(
    client: &Client,
    subject: &Subject<'_>,
    ids: &[CheckId],
) -> Vec<CheckOutcome> {
    let read_app = ids.is_empty() || ids.iter().any(|id| READ_FROM_APP.contains(id));
    let mut outcomes = run(client, subject, read_app).await;
    if !ids.is_empty() {
        outcomes.retain(|o| ids.contains(&o.id));
    }
    outcomes
}

/// A saved profile's credentials and URLs, read up front so no database lock is held while the
/// checks wait on the network.
pub struct ProfileContext {
    pub credentials: Credentials,
    pub urls: IntegrationUrls,
    /// The app's last successful send in the quota ledger ([`message_evidence`]).
    pub message_sent_at: Option<DateTime<Utc>>,
    /// The profile's card language (its own, else the app's, else English).
    pub card_language: Language,
    /// The proxy setting (Settings), for every client built from this context.
    pub proxy: lark_platform::client::ProxyMode,
}

impl ProfileContext {
    pub fn load(
        db: &Database,
        store: &dyn crate::keychain::SecretStore,
        name: &str,
    ) -> Result<Self> {
        let credentials = profiles::credentials(db, store, name)?;
        let message_sent_at = message_evidence(db, &credentials.app_id, Utc::now())?;
        Ok(Self {
            credentials,
            urls: profiles::get(db, store, name)?.urls,
            message_sent_at,
            card_language: profiles::effective_card_language(db, name)?,
            proxy: crate::settings::proxy_mode(db)?,
        })
    }

    /// The app's client, metered: its calls are recorded in the ledger and held to the app's
    /// ceilings by the limiter every other client of the app shares.
    pub fn client(&self, meter: &crate::quota::Meter) -> Result<Client> {
        crate::platform_client::for_credentials_metered_via(&self.credentials, meter, &self.proxy)
    }

    pub fn subject<'a>(&'a self, test_chat: Option<&'a str>) -> Subject<'a> {
        Subject {
            credentials: &self.credentials,
            urls: &self.urls,
            test_chat,
            message_sent_at: self.message_sent_at,
            card_language: self.card_language,
        }
    }
}

/// Appends one run's results to the profile's history and returns them as a report.
pub fn record_run(
    db: &Database,
    name: &str,
    outcomes: Vec<CheckOutcome>,
    scope: RunScope,
    now: DateTime<Utc>,
) -> Result<DoctorReport> {
    for outcome in &outcomes {
        profiles::record_check(db, name, &outcome.record(now, scope))?;
    }
    Ok(DoctorReport {
        profile: name.to_owned(),
        ran_at: now,
        outcomes,
    })
}

/// One earlier run, as the doctor's history lists it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DoctorRun {
    #[ts(type = "string")]
    pub ran_at: DateTime<Utc>,
    pub passed: u32,
    pub failed: u32,
    pub unknown: u32,
    /// Checks that could not run (network, rate limit, quota, an earlier check failed).
    pub skipped: u32,
    /// A full Doctor run, or the checks of one wizard step.
    pub scope: RunScope,
    pub records: Vec<CheckRecord>,
}

/// The latest `runs` runs of the profile, newest first; a run is the checks that share a time.
pub fn history(db: &Database, name: &str, runs: usize) -> Result<Vec<DoctorRun>> {
    let limit = u32::try_from(runs * CheckId::ALL.len()).unwrap_or(u32::MAX);
    let mut out: Vec<DoctorRun> = Vec::new();
    for record in profiles::check_history(db, name, limit)? {
        if out.last().is_none_or(|run| run.ran_at != record.run_at) {
            if out.len() == runs {
                break;
            }
            out.push(DoctorRun {
                ran_at: record.run_at,
                passed: 0,
                failed: 0,
                unknown: 0,
                skipped: 0,
                scope: record.scope.unwrap_or(RunScope::Step),
                records: Vec::new(),
            });
        }
        let Some(run) = out.last_mut() else { break };
        match record.status {
            CheckStatus::Pass => run.passed += 1,
            CheckStatus::Fail => run.failed += 1,
            CheckStatus::Unknown => run.unknown += 1,
            CheckStatus::Skipped => run.skipped += 1,
        }
        run.records.push(record);
    }
    // Rows from before the scope was kept: a run that holds every check was a Doctor run.
    for run in &mut out {
        if run.records.iter().all(|r| r.scope.is_none()) {
            run.scope = if run.records.len() >= CheckId::ALL.len() {
                RunScope::Full
            } else {
                RunScope::Step
            };
        }
    }
    Ok(out)
}

/// The scope list to paste into the console's batch import, required ones first.
pub fn scope_list(include_optional: bool) -> String {
    let mut scopes: Vec<&str> = REQUIRED_SCOPES.to_vec();
    if include_optional {
        scopes.extend(OPTIONAL_SCOPES);
    }
    scopes.join("\n")
}

/// The TypeScript declarations of the check types, for `tests/bindings.rs`.
pub fn bindings() -> Vec<(&'static str, String)> {
    vec![
        (
            "CheckId.ts",
            CheckId::export_to_string().unwrap_or_default(),
        ),
        (
            "CheckFinding.ts",
            CheckFinding::export_to_string().unwrap_or_default(),
        ),
        (
            "CheckOutcome.ts",
            CheckOutcome::export_to_string().unwrap_or_default(),
        ),
        (
            "DoctorReport.ts",
            DoctorReport::export_to_string().unwrap_or_default(),
        ),
        (
            "DoctorRun.ts",
            DoctorRun::export_to_string().unwrap_or_default(),
        ),
        (
            "SetupGuide.ts",
            SetupGuide::export_to_string().unwrap_or_default(),
        ),
        (
            "ConsoleLinks.ts",
            ConsoleLinks::export_to_string().unwrap_or_default(),
        ),
        (
            "BotChat.ts",
            BotChat::export_to_string().unwrap_or_default(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::keychain::memory::MemoryStore;
    use crate::profiles::{Platform, ProfileInput, SecretsInput};

    fn profile(db: &Database) {
        let input = ProfileInput {
            name: "Prod".into(),
            platform: Platform::Feishu,
            app_id: "cli_a1b2c3d4e5f60718".into(),
            urls: None,
            secrets: SecretsInput::default(),
        };
        profiles::add(db, &MemoryStore::default(), input, Utc::now()).unwrap();
    }

    fn send_call(
        app: &str,
        at: DateTime<Utc>,
        status: u16,
        code: i64,
    ) -> crate::quota::LedgerEntry {
        use lark_platform::client::{CallRecord, Endpoint, RateLimitHeaders};
        crate::quota::LedgerEntry {
            app_id: std::sync::Arc::from(app),
            record: CallRecord {
                endpoint: Endpoint::MessagesCreate,
                http_status: Some(status),
                code: Some(code),
                latency: std::time::Duration::from_millis(30),
                counted: code == 0,
                error_kind: (code != 0).then_some("missing_scopes"),
                rate_limit: RateLimitHeaders::default(),
                log_id: None,
                at,
                target: None,
            },
        }
    }

    /// The im:message check of the profile, with no test chat picked.
    async fn message_check(client: &Client, ctx: &ProfileContext) -> CheckOutcome {
        let subject = ctx.subject(None);
        api::message_scope(
            client,
            subject.credentials,
            None,
            subject.message_sent_at,
            subject.card_language,
        )
        .await
    }

    #[tokio::test]
    async fn a_send_in_the_quota_ledger_within_30_days_passes_the_message_scope() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Database::open(dir.path()).unwrap();
        let store = MemoryStore::default();
        let input: ProfileInput = serde_json::from_value(serde_json::json!({
            "name": "Prod", "platform": {"kind": "feishu"}, "appId": "cli_a1b2c3d4e5f60718",
            "secrets": {"appSecret": "s3cret-value"}
        }))
        .unwrap();
        profiles::add(&db, &store, input, Utc::now()).unwrap();
        let now = Utc::now();
        let days = |n| now - chrono::Duration::days(n);
        // What does not count: a refused send, an old one, another app's.
        crate::quota::ledger::write(
            db.conn_mut(),
            &[
                send_call("cli_a1b2c3d4e5f60718", days(1), 400, 99_991_672),
                send_call("cli_a1b2c3d4e5f60718", days(31), 200, 0),
                send_call("cli_0000000000000000", days(1), 200, 0),
            ],
        )
        .unwrap();
        let ctx = ProfileContext::load(&db, &store, "Prod").unwrap();
        assert_eq!(ctx.message_sent_at, None);
        let client = crate::platform_client::for_credentials(&ctx.credentials).unwrap();
        let outcome = message_check(&client, &ctx).await;
        assert_eq!(
            (outcome.status, outcome.finding),
            (CheckStatus::Unknown, CheckFinding::NoTestChat)
        );

        // The wizard sent a card two days ago: that is proof, and the outcome says when.
        let sent = days(2);
        crate::quota::ledger::write(
            db.conn_mut(),
            &[send_call("cli_a1b2c3d4e5f60718", sent, 200, 0)],
        )
        .unwrap();
        drop(db);
        let db = Database::open(dir.path()).unwrap();
        let ctx = ProfileContext::load(&db, &store, "Prod").unwrap();
        let outcome = message_check(&client, &ctx).await;
        assert_eq!(
            (outcome.status, outcome.finding),
            (CheckStatus::Pass, CheckFinding::MessageSentRecently),
            "{}",
            outcome.english()
        );
        let at = DateTime::parse_from_rfc3339(&outcome.params["at"]).unwrap();
        assert_eq!(at.timestamp(), sent.timestamp());
        assert!(outcome
            .english()
            .contains(&sent.format("%Y-%m-%d").to_string()));
    }

    #[test]
    fn history_groups_runs_newest_first_so_a_break_shows_when_it_happened() {
        let db = Database::open_in_memory().unwrap();
        profile(&db);
        let at = |h| Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap();
        let good = || {
            vec![
                CheckOutcome::pass(CheckId::Credentials, CheckFinding::TokenIssued),
                CheckOutcome::pass(CheckId::Bot, CheckFinding::BotActive),
            ]
        };
        record_run(&db, "Prod", good(), RunScope::Step, at(9)).unwrap();
        record_run(&db, "Prod", good(), RunScope::Full, at(10)).unwrap();
        let broken = vec![
            CheckOutcome::pass(CheckId::Credentials, CheckFinding::TokenIssued),
            CheckOutcome::fail(CheckId::Bot, CheckFinding::BotDisabled),
        ];
        record_run(&db, "Prod", broken, RunScope::Full, at(11)).unwrap();

        let runs = history(&db, "Prod", 2).unwrap();
        assert_eq!(runs.len(), 2, "bounded to the runs asked for");
        assert_eq!(runs[0].ran_at, at(11));
        assert_eq!((runs[0].passed, runs[0].failed), (1, 1));
        assert_eq!(runs[1].ran_at, at(10));
        assert_eq!((runs[1].passed, runs[1].failed), (2, 0));
        assert_eq!(
            (runs[0].scope, runs[1].scope),
            (RunScope::Full, RunScope::Full),
            "a Doctor run is labelled as one"
        );
        let all = history(&db, "Prod", 3).unwrap();
        assert_eq!(
            all[2].scope,
            RunScope::Step,
            "a wizard step's run is labelled as one"
        );
        assert!(runs[0]
            .records
            .iter()
            .any(|r| r.check_id == "bot" && r.status == CheckStatus::Fail));
    }
}
