//! How a relay is set up: where it listens, the profiles it serves (one path each, with their
//! callback secrets and upstream), the deadlines it keeps, and an injectable clock.

use crate::problem::{Problem, ProblemCode as C};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lark_platform::envelope::{CallbackKeys, DEFAULT_MAX_BODY};
use lark_platform::secret::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::claim::RelayProgram;
use super::error::RelayError;
pub use super::limits::ListenLimits;
use super::upstream::{display_url, url_secrets};
use crate::ipc::Language;
use crate::profiles::Credentials;

/// The port the relay listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 9400;
/// The address the relay listens on unless told otherwise: loopback only, [`DEFAULT_PORT`].
pub const DEFAULT_LISTEN: SocketAddr =
    SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), DEFAULT_PORT);
/// [`DEFAULT_CARD_BUDGET`] in milliseconds.
pub const DEFAULT_CARD_BUDGET_MS: u64 = 2500;
/// Feishu waits about 3 s for a card answer; 2.5 s leaves room for the network back.
pub const DEFAULT_CARD_BUDGET: Duration = Duration::from_millis(DEFAULT_CARD_BUDGET_MS);
/// The shortest card budget a relay keeps, in milliseconds.
pub const MIN_CARD_BUDGET_MS: u64 = 100;
/// The longest card budget a relay keeps, in milliseconds: under the platform's 3 s deadline.
pub const MAX_CARD_BUDGET_MS: u64 = 2900;
/// [`DEFAULT_MAX_SKEW`] in seconds.
pub const DEFAULT_MAX_SKEW_SECS: u64 = 300;
/// Older (or newer) signature timestamps than this are refused as replays.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(DEFAULT_MAX_SKEW_SECS);
/// The smallest clock skew a relay allows, in seconds.
pub const MIN_MAX_SKEW_SECS: u64 = 1;
/// Records kept before the oldest are pruned.
pub const DEFAULT_RETENTION: u32 = 10_000;
/// The fewest records a relay keeps.
pub const MIN_RETENTION: u32 = 1;
/// What the records may take on disk, in MB, before the oldest are pruned: the count alone let
/// 10,000 records of 1 MiB rejected bodies reach about 10 GB.
pub const DEFAULT_RETENTION_MB: u32 = 200;
/// The smallest byte budget, in MB.
pub const MIN_RETENTION_MB: u32 = 1;
/// Rejected records may hold at most this share (1/n) of the retention, in records and in bytes,
/// and are pruned first beyond it: a flood of refused requests cannot push accepted records out.
pub const REJECTED_SHARE_DIVISOR: u32 = 10;
/// A rejected request's body is kept to this prefix (its size is still recorded), and its
/// decrypted JSON only when it is no larger: enough to see what was sent, not a disk to fill.
pub const REJECTED_BODY_PREFIX: usize = 4 * 1024;
/// A rejected request's header values are kept to this many bytes each.
pub const REJECTED_HEADER_VALUE_PREFIX: usize = 256;
/// Event types and ids longer than this are cut in the record (real ones are under 100).
pub const RECORDED_FIELD_LIMIT: usize = 256;
/// Card clicks remembered to refuse one sent again (`relay/seen_clicks.rs`): two keys a click
/// (nonce and signature, event id), each for twice `max_skew`; beyond it the oldest go first.
pub const SEEN_CLICKS: usize = 20_000;
/// Rejected requests recorded per peer (IP address) in a burst; beyond it, at
/// [`REJECTED_RECORDS_PER_MINUTE`]. The rest are answered the same but not recorded (logged).
pub const REJECTED_RECORDS_BURST: u32 = 20;
/// The steady rate of recorded rejections per peer.
pub const REJECTED_RECORDS_PER_MINUTE: u32 = 20;
/// The console's URL check wants its answer within about 1 s.
pub const CHALLENGE_DEADLINE_MS: u32 = 1000;
/// Card callbacks are answered within about 3 s or the user sees an error on the card.
pub const CARD_DEADLINE_MS: u32 = 3000;

// The listener's limits (relay/limits.rs, relay/listener.rs; docs/architecture.md, "The
// relay's limits"). Anyone who can reach the relay can open connections, so each resource a
// connection can hold is bounded, and one peer (IP address) can hold only part of it.

/// A client has this long to send a request's headers; it is also how long an idle keep-alive
/// connection stays open (hyper restarts the same timer while it waits for the next request).
/// Without it, trickling connections stayed open for minutes.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// A client has this long to send a request's body, counted from when its headers arrived
/// (waiting for an admission included).
pub const BODY_TIMEOUT: Duration = Duration::from_secs(5);
/// A connection is closed after this long (after its current request), so that no client can
/// keep a slot by never reading its answers.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(60);
/// Connections open at once; more are closed as soon as they are accepted. Far below the file
/// handles a process gets (about 20,000 idle sockets exhausted them before).
pub const MAX_CONNECTIONS: usize = 256;
/// Connections one peer may hold open at once.
pub const MAX_CONNECTIONS_PER_PEER: usize = 32;
/// Bodies declaring at most this many bytes are "small" (every real callback is a few KB) and
/// read on their own admissions, so large uploads cannot hold up the platform's requests.
pub const SMALL_BODY_LIMIT: usize = 64 * 1024;
/// Small bodies read at once.
pub const SMALL_BODY_READS: usize = 64;
/// Large bodies (or bodies of unknown length) read at once: each may buffer up to `max_body`.
pub const LARGE_BODY_READS: usize = 4;
/// Small bodies one peer may have read at once.
pub const SMALL_BODY_READS_PER_PEER: usize = 8;
/// Large bodies one peer may have read at once.
pub const LARGE_BODY_READS_PER_PEER: usize = 1;
/// How long a request waits for a free admission before it is answered 503 (Retry-After).
pub const ADMISSION_WAIT: Duration = Duration::from_millis(500);
/// hyper's read buffer per connection (headers must fit in it; the body is read through it).
pub const HTTP1_BUFFER: usize = 16 * 1024;

/// How a request is passed to the upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ForwardMode {
    /// The original bytes and headers, so the upstream's own signature check still passes.
    #[default]
    Transparent,
    /// A fresh body encrypted and signed with the profile's keys (new timestamp and nonce).
    Resign,
}

impl ForwardMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Transparent => "transparent",
            Self::Resign => "resign",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "transparent" => Some(Self::Transparent),
            "resign" | "re-sign" => Some(Self::Resign),
            _ => None,
        }
    }
}

/// A profile's callback secrets. `Debug` shows no value (see [`Secret`]).
#[derive(Debug, Clone, Default)]
pub struct RelayKeys {
    pub encrypt_key: Option<Secret>,
    pub verification_token: Option<Secret>,
}

impl RelayKeys {
    pub fn new(encrypt_key: Option<&str>, verification_token: Option<&str>) -> Self {
        let keep = |v: Option<&str>| v.filter(|s| !s.is_empty()).map(Secret::new);
        Self {
            encrypt_key: keep(encrypt_key),
            verification_token: keep(verification_token),
        }
    }

    pub fn from_credentials(credentials: &Credentials) -> Self {
        Self {
            encrypt_key: credentials.encrypt_key.clone(),
            verification_token: credentials.verification_token.clone(),
        }
    }

    pub fn callback_keys(&self) -> CallbackKeys<'_> {
        CallbackKeys {
            encrypt_key: self.encrypt_key.as_ref(),
            verification_token: self.verification_token.as_ref(),
        }
    }

    pub(crate) fn encrypt_key(&self) -> Option<&str> {
        self.encrypt_key
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(Secret::expose)
    }

    pub(crate) fn verification_token(&self) -> Option<&str> {
        self.verification_token
            .as_ref()
            .filter(|s| !s.is_empty())
            .map(Secret::expose)
    }

    /// Every configured secret value, for masking.
    pub(crate) fn values(&self) -> Vec<&str> {
        self.encrypt_key()
            .into_iter()
            .chain(self.verification_token())
            .collect()
    }
}

/// Where a profile's requests go on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    pub url: url::Url,
    pub mode: ForwardMode,
}

impl Upstream {
    /// Accepts http and https URLs only.
    pub fn parse(url: &str, mode: ForwardMode) -> Result<Self, RelayError> {
        let parsed = super::upstream::parse_typed_url("upstream", url)?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(RelayError::invalid(
                "upstream",
                Problem::new(C::RelayUrlNotHttp).param("value", display_url(&parsed)),
            ));
        }
        // The keys in it are masked wherever the relay shows the URL (`display_url`); this is
        // the last line of defence for any log line that would carry them otherwise.
        for secret in url_secrets(&parsed) {
            crate::redact::register(&Secret::new(secret));
        }
        Ok(Self { url: parsed, mode })
    }
}

/// One profile the relay serves at `/callback/<slug>`.
#[derive(Debug, Clone)]
pub struct RelayProfile {
    pub name: String,
    pub slug: String,
    pub keys: RelayKeys,
    pub upstream: Option<Upstream>,
    /// The language of the built-in handler's answer cards (English unless set).
    pub card_language: Language,
}

impl RelayProfile {
    pub fn new(name: &str, keys: RelayKeys, upstream: Option<Upstream>) -> Self {
        Self {
            name: name.to_string(),
            slug: slugify(name),
            keys,
            upstream,
            card_language: Language::English,
        }
    }

    /// Answers card clicks (with no upstream) in `language`.
    pub fn with_card_language(mut self, language: Language) -> Self {
        self.card_language = language;
        self
    }

    /// A saved profile with its secrets from the keychain (what the Relay screen starts with),
    /// answering in its card language (its own, else the app's, else English).
    pub fn load(
        db: &crate::db::Database,
        secrets: &dyn crate::keychain::SecretStore,
        name: &str,
        upstream: Option<Upstream>,
    ) -> crate::Result<Self> {
        let credentials = crate::profiles::credentials(db, secrets, name)?;
        let summary = crate::profiles::get(db, secrets, name)?;
        Ok(Self::new(
            &summary.name,
            RelayKeys::from_credentials(&credentials),
            upstream,
        )
        .with_card_language(crate::profiles::effective_card_language(db, name)?))
    }
}

/// A profile name as a URL path segment: lowercase ASCII letters and digits, other runs of
/// characters become one `-` (names may be Chinese, so an empty result falls back to a hash).
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        // FNV-1a: stable across runs and builds, unlike the std hasher.
        let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("p-{:08x}", hash as u32)
    } else {
        slug
    }
}

/// "Now", injected so tests can put the relay's clock anywhere (stale-timestamp checks).
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(Utc::now))
    }

    /// The system clock shifted by `offset`.
    pub fn offset(offset: chrono::Duration) -> Self {
        Self(Arc::new(move || Utc::now() + offset))
    }

    pub fn from_fn(f: impl Fn() -> DateTime<Utc> + Send + Sync + 'static) -> Self {
        Self(Arc::new(f))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }
}

impl Default for Clock {
    fn default() -> Self {
        Self::system()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// Retries of the event outbox: exponential backoff from `first_retry`, capped at `max_delay`,
/// given up (state `failed`) after `max_attempts`.
#[derive(Debug, Clone, Copy)]
pub struct OutboxPolicy {
    pub first_retry: Duration,
    pub max_delay: Duration,
    pub max_attempts: u32,
    /// Delivered rows are kept this long so redeliveries of the same event id stay suppressed.
    pub dedup_window: Duration,
    /// Deliveries in flight at once.
    pub concurrency: usize,
}

impl Default for OutboxPolicy {
    fn default() -> Self {
        Self {
            first_retry: Duration::from_millis(500),
            max_delay: Duration::from_secs(300),
            max_attempts: 30,
            dedup_window: Duration::from_secs(24 * 3600),
            concurrency: 8,
        }
    }
}

impl OutboxPolicy {
    /// The wait after the `attempts`-th failed attempt (1-based).
    pub fn delay_after(&self, attempts: u32) -> Duration {
        let exp = attempts.saturating_sub(1).min(30);
        self.first_retry
            .saturating_mul(1u32 << exp)
            .min(self.max_delay)
    }
}

/// How much history the relay keeps: the newest `records`, within `bytes` on disk (bodies,
/// decrypted JSON, headers and answers), whichever is smaller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub records: u32,
    pub bytes: u64,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            records: DEFAULT_RETENTION,
            bytes: u64::from(DEFAULT_RETENTION_MB) * 1_000_000,
        }
    }
}

impl Retention {
    /// What rejected records may take of it ([`REJECTED_SHARE_DIVISOR`]).
    pub fn rejected_share(&self) -> Self {
        Self {
            records: (self.records / REJECTED_SHARE_DIVISOR).max(1),
            bytes: self.bytes / u64::from(REJECTED_SHARE_DIVISOR),
        }
    }
}

/// Everything a relay needs besides its profiles and its store.
#[derive(Debug, Clone)]
pub struct RelayConfig {
    pub listen: SocketAddr,
    /// How long a card callback waits for the upstream before the relay answers `{}`.
    pub card_budget: Duration,
    pub max_skew: Duration,
    pub max_body: usize,
    /// Records kept (by count and by bytes); older ones are pruned.
    pub retention: Retention,
    /// Upper bound of any one upstream call (events, late card answers, replays).
    pub upstream_timeout: Duration,
    pub outbox: OutboxPolicy,
    /// Timeouts and caps of the listener.
    pub limits: ListenLimits,
    pub clock: Clock,
    /// Which program runs the relay: the holder of the profiles' locks (`claim`) says so.
    pub program: RelayProgram,
    /// `/healthz` turns unhealthy when the upstream has failed for this long without a success
    /// in between, or the long connection has been down this long.
    pub unhealthy_after: Duration,
}

/// [`RelayConfig::unhealthy_after`] unless set: five minutes.
pub const DEFAULT_UNHEALTHY_AFTER_SECS: u64 = 300;
/// Where the headless relay serves `/healthz` and `/metrics` unless told otherwise: loopback
/// only, for a local agent or a reverse proxy that chooses what to expose.
pub const DEFAULT_OPS_LISTEN: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 9465);

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            listen: DEFAULT_LISTEN,
            card_budget: DEFAULT_CARD_BUDGET,
            max_skew: DEFAULT_MAX_SKEW,
            max_body: DEFAULT_MAX_BODY,
            retention: Retention::default(),
            upstream_timeout: Duration::from_secs(30),
            outbox: OutboxPolicy::default(),
            limits: ListenLimits::default(),
            clock: Clock::system(),
            program: RelayProgram::default(),
            unhealthy_after: Duration::from_secs(DEFAULT_UNHEALTHY_AFTER_SECS),
        }
    }
}

impl RelayConfig {
    /// The default config listening on `listen` with these limits, each brought into its range
    /// ([`MIN_CARD_BUDGET_MS`]..=[`MAX_CARD_BUDGET_MS`], at least [`MIN_MAX_SKEW_SECS`],
    /// [`MIN_RETENTION`] and [`MIN_RETENTION_MB`]). The Relay screen's settings and the CLI's
    /// arguments both go through it, so a limit changed here changes for both.
    pub fn with_limits(
        listen: SocketAddr,
        card_budget_ms: u64,
        max_skew_secs: u64,
        retention: u32,
        retention_mb: u32,
    ) -> Self {
        Self {
            listen,
            card_budget: Duration::from_millis(
                card_budget_ms.clamp(MIN_CARD_BUDGET_MS, MAX_CARD_BUDGET_MS),
            ),
            max_skew: Duration::from_secs(max_skew_secs.max(MIN_MAX_SKEW_SECS)),
            retention: Retention {
                records: retention.max(MIN_RETENTION),
                bytes: u64::from(retention_mb.max(MIN_RETENTION_MB)) * 1_000_000,
            },
            ..Self::default()
        }
    }
}

/// What the Relay screen sends to start a relay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
pub struct RelaySettings {
    /// 0 picks a free port.
    pub port: u16,
    /// Listen on every interface instead of 127.0.0.1 (logged as a warning).
    pub listen_all: bool,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upstream_url: Option<String>,
    pub mode: ForwardMode,
    pub card_budget_ms: u32,
    pub max_skew_secs: u32,
    pub retention: u32,
    /// What the records may take on disk, in MB (default [`DEFAULT_RETENTION_MB`]).
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_mb: Option<u32>,
}

impl Default for RelaySettings {
    fn default() -> Self {
        Self {
            port: DEFAULT_PORT,
            listen_all: false,
            upstream_url: None,
            mode: ForwardMode::Transparent,
            card_budget_ms: DEFAULT_CARD_BUDGET.as_millis() as u32,
            max_skew_secs: DEFAULT_MAX_SKEW.as_secs() as u32,
            retention: DEFAULT_RETENTION,
            retention_mb: None,
        }
    }
}

impl RelaySettings {
    /// The config these settings describe (budgets clamped to what the platform allows).
    pub fn config(&self) -> RelayConfig {
        let ip = if self.listen_all {
            IpAddr::V4(Ipv4Addr::UNSPECIFIED)
        } else {
            IpAddr::V4(Ipv4Addr::LOCALHOST)
        };
        RelayConfig::with_limits(
            SocketAddr::new(ip, self.port),
            u64::from(self.card_budget_ms),
            u64::from(self.max_skew_secs),
            self.retention,
            self.retention_mb.unwrap_or(DEFAULT_RETENTION_MB),
        )
    }

    /// The upstream these settings name, if any.
    pub fn upstream(&self) -> Result<Option<Upstream>, RelayError> {
        match self.upstream_url.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(url) => Upstream::parse(url, self.mode).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_path_safe_and_stable() {
        assert_eq!(slugify("Prod App"), "prod-app");
        assert_eq!(slugify("  a__b--c "), "a-b-c");
        assert_eq!(slugify("Sandbox"), "sandbox");
        let chinese = slugify("生产环境");
        assert!(
            chinese.starts_with("p-") && chinese.len() == 10,
            "{chinese}"
        );
        assert_eq!(chinese, slugify("生产环境"));
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = OutboxPolicy {
            first_retry: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            ..OutboxPolicy::default()
        };
        assert_eq!(p.delay_after(1), Duration::from_millis(100));
        assert_eq!(p.delay_after(2), Duration::from_millis(200));
        assert_eq!(p.delay_after(4), Duration::from_millis(800));
        assert_eq!(p.delay_after(5), Duration::from_secs(1));
        assert_eq!(p.delay_after(500), Duration::from_secs(1));
    }

    #[test]
    fn upstream_must_be_http() {
        assert!(Upstream::parse("http://127.0.0.1:1/x", ForwardMode::Resign).is_ok());
        assert!(Upstream::parse("ftp://host/x", ForwardMode::Resign).is_err());
        assert!(Upstream::parse("nonsense", ForwardMode::Resign).is_err());
    }

    #[test]
    fn settings_default_to_loopback() {
        let config = RelaySettings::default().config();
        assert!(config.listen.ip().is_loopback());
        assert_eq!(config.card_budget, DEFAULT_CARD_BUDGET);
    }

    #[test]
    fn limits_are_brought_into_their_ranges() {
        let config = RelayConfig::with_limits(DEFAULT_LISTEN, 0, 0, 0, 0);
        assert_eq!(
            config.card_budget,
            Duration::from_millis(MIN_CARD_BUDGET_MS)
        );
        assert_eq!(config.max_skew, Duration::from_secs(MIN_MAX_SKEW_SECS));
        assert_eq!(config.retention.records, MIN_RETENTION);
        assert_eq!(
            config.retention.bytes,
            u64::from(MIN_RETENTION_MB) * 1_000_000
        );
        let config =
            RelayConfig::with_limits(DEFAULT_LISTEN, u64::MAX, u64::MAX, u32::MAX, u32::MAX);
        assert_eq!(
            config.card_budget,
            Duration::from_millis(MAX_CARD_BUDGET_MS)
        );
        assert_eq!(config.max_skew, Duration::from_secs(u64::MAX));
        assert!(config.card_budget.as_millis() < u128::from(CARD_DEADLINE_MS));

        // The settings' defaults are the constants, and in range already.
        let settings = RelaySettings::default();
        let config = settings.config();
        assert_eq!(config.listen, DEFAULT_LISTEN);
        assert_eq!(config.card_budget, DEFAULT_CARD_BUDGET);
        assert_eq!(config.max_skew, DEFAULT_MAX_SKEW);
        assert_eq!(config.retention, Retention::default());
        let out_of_range = RelaySettings {
            card_budget_ms: 5000,
            max_skew_secs: 0,
            retention: 0,
            retention_mb: Some(0),
            ..settings
        };
        let config = out_of_range.config();
        assert_eq!(
            config.card_budget,
            Duration::from_millis(MAX_CARD_BUDGET_MS)
        );
        assert_eq!(config.max_skew, Duration::from_secs(MIN_MAX_SKEW_SECS));
        assert_eq!(config.retention.records, MIN_RETENTION);
        assert_eq!(config.retention.bytes, 1_000_000);
    }
}
