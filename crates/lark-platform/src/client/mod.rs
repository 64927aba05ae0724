//! The Feishu/Lark Open API client: tenant token, bot info, chat list, card send and update, and
//! the app's own configuration (application v6/v7, in [`application`]).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use lark_platform::client::{Client, ReceiveId, FEISHU_BASE_URL};
//! let client = Client::builder(FEISHU_BASE_URL, "cli_a1b2c3d4e5f60718", "app secret".into()).build()?;
//! let bot = client.bot_info().await?;
//! let card = serde_json::json!({"elements": [{"tag": "markdown", "content": "hello"}]});
//! let sent = client.send_card(&ReceiveId::ChatId("oc_...".into()), &card, None).await?;
//! client.update_card(&sent.message_id, &card).await?;
//! # let _ = bot; Ok(()) }
//! ```
//!
//! Why it looks the way it does:
//! - One tenant token per client, cached and refreshed ahead of expiry by a single caller
//!   (`token.rs`); a call refused for an invalid token refreshes once and retries once, like the
//!   SDKs.
//! - Failures are an [`ApiError`] classified from the strongest signal first (see [`error`]), so
//!   the wizard and the doctor can name the fix instead of echoing a code.
//! - Every HTTP exchange, token calls and retries included, goes to the [`CallObserver`]: the
//!   quota ledger must see what the platform counted, not what the caller asked for.
//! - Every HTTP exchange first awaits the optional [`RateGate`] (see [`gate`]): the platform's
//!   ceilings are per app, so the limiter that keeps calls under them lives outside the client
//!   and is shared by every client of the app.
//! - Every call has a timeout (default 10 s, connect 5 s). HTTP proxies come from the
//!   environment (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, as reqwest reads them)
//!   unless [`ProxyMode`] says otherwise; a loopback base URL (lark-sim) is always reached
//!   directly, since a proxy cannot reach our loopback.
//! - The App Secret and tokens are [`Secret`]s: they never show in `Debug`, errors or logs.

pub mod application;
mod bot;
mod chats;
pub mod error;
pub mod gate;
mod messages;
mod observer;
mod token;

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use url::Url;

pub use bot::BotInfo;
pub use chats::{Chat, ChatPage, MAX_PAGE_SIZE};
pub use error::{ApiError, BuildError, CredentialField, RateLimitHeaders};
pub use gate::{CallTarget, GateCall, GateFuture, GatePass, RateGate};
pub use messages::{ReceiveId, SentMessage};
pub use observer::{CallObserver, CallRecord, Endpoint};

use crate::secret::Secret;
use token::TokenCache;

/// Feishu (mainland China).
pub const FEISHU_BASE_URL: &str = "https://open.feishu.cn";
/// Lark (international).
pub const LARK_BASE_URL: &str = "https://open.larksuite.com";
/// Whole-request timeout unless set otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Connect timeout unless set otherwise.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the client reads time: monotonic time for token expiry, wall time for call records.
/// Injected so tests can move past a token's refresh point without waiting for it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Instant;
    fn utc(&self) -> DateTime<Utc>;
}

/// The real clocks.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::now()
    }

    fn utc(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// How the client finds an HTTP proxy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ProxyMode {
    /// The environment's `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` / `NO_PROXY` (and the
    /// system settings reqwest knows), except for loopback base URLs.
    #[default]
    System,
    /// No proxy at all.
    Direct,
    /// This proxy for every request (`http://`, `https://` URL, credentials allowed).
    Url(String),
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    app_id: String,
    app_secret: Secret,
    request_timeout: Duration,
    connect_timeout: Duration,
    proxy: ProxyMode,
    observer: Option<Arc<dyn CallObserver>>,
    gate: Option<Arc<dyn RateGate>>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("app_id", &self.app_id)
            .field("app_secret", &self.app_secret)
            .field("request_timeout", &self.request_timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("proxy", &self.proxy)
            .field("observer", &self.observer.is_some())
            .field("gate", &self.gate.is_some())
            .finish()
    }
}

impl ClientBuilder {
    /// Timeout of a whole call: connecting, sending and reading the answer.
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    pub fn proxy(mut self, proxy: ProxyMode) -> Self {
        self.proxy = proxy;
        self
    }

    /// Receives a [`CallRecord`] of every HTTP exchange.
    pub fn observer(mut self, observer: Arc<dyn CallObserver>) -> Self {
        self.observer = Some(observer);
        self
    }

    /// Awaited before every HTTP exchange (see [`RateGate`]); pass the app's shared limiter.
    pub fn rate_gate(mut self, gate: Arc<dyn RateGate>) -> Self {
        self.gate = Some(gate);
        self
    }

    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    pub fn build(self) -> Result<Client, BuildError> {
        let invalid = || BuildError::InvalidBaseUrl {
            url: self.base_url.clone(),
        };
        let base = Url::parse(self.base_url.trim()).map_err(|_| invalid())?;
        if !matches!(base.scheme(), "http" | "https") || base.host().is_none() {
            return Err(invalid());
        }
        let mut http = reqwest::Client::builder()
            .timeout(self.request_timeout)
            .connect_timeout(self.connect_timeout)
            .user_agent(concat!("lark-companion/", env!("CARGO_PKG_VERSION")));
        http = match &self.proxy {
            ProxyMode::System if is_loopback(&base) => http.no_proxy(),
            ProxyMode::System => http,
            ProxyMode::Direct => http.no_proxy(),
            ProxyMode::Url(url) => {
                let proxy = reqwest::Proxy::all(url).map_err(|e| BuildError::InvalidProxy {
                    url: url.clone(),
                    detail: e.to_string(),
                })?;
                http.proxy(proxy)
            }
        };
        let http = http.build().map_err(|e| BuildError::Http {
            detail: e.to_string(),
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                app_id: self.app_id,
                app_secret: self.app_secret,
                tokens: TokenCache::default(),
                observer: self.observer,
                gate: self.gate,
                clock: self.clock,
            }),
        })
    }
}

/// Whether the URL names this computer (`localhost`, 127.0.0.0/8, `::1`): such a base URL is
/// never sent through a proxy, and is the only place plain http is acceptable.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// An Open API client for one app. Cheap to clone; clones share the token and the connections.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    app_id: String,
    app_secret: Secret,
    tokens: TokenCache,
    observer: Option<Arc<dyn CallObserver>>,
    gate: Option<Arc<dyn RateGate>>,
    clock: Arc<dyn Clock>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base.as_str())
            .field("app_id", &self.inner.app_id)
            .finish_non_exhaustive()
    }
}

/// The token endpoint's answer (not wrapped in `data`).
#[derive(Deserialize)]
struct TokenAnswer {
    tenant_access_token: Secret,
    expire: u64,
}

impl Client {
    /// A builder for the app `app_id` at `base_url` ([`FEISHU_BASE_URL`], [`LARK_BASE_URL`], or
    /// a simulator's `http://127.0.0.1:PORT`).
    pub fn builder(
        base_url: impl Into<String>,
        app_id: impl Into<String>,
        app_secret: Secret,
    ) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            app_id: app_id.into(),
            app_secret,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            proxy: ProxyMode::default(),
            observer: None,
            gate: None,
            clock: Arc::new(SystemClock),
        }
    }

    pub fn app_id(&self) -> &str {
        &self.inner.app_id
    }

    /// The base URL, e.g. `https://open.feishu.cn/`.
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str()
    }

    /// The current tenant access token, fetched if there is no fresh one. Fetching it is also
    /// the cheapest check of the App ID and App Secret (token calls do not count).
    pub async fn tenant_access_token(&self) -> Result<Secret, ApiError> {
        let clock = self.inner.clock.clone();
        self.inner
            .tokens
            .get(move || clock.now(), || self.fetch_token())
            .await
    }

    async fn fetch_token(&self) -> Result<(Secret, Duration), ApiError> {
        let body = json!({
            "app_id": self.inner.app_id,
            "app_secret": self.inner.app_secret.expose(),
        });
        let url = self.url(Endpoint::TenantAccessToken.path_template());
        let answer = self
            .exchange(Endpoint::TenantAccessToken, None, url, None, Some(&body))
            .await?;
        let answer: TokenAnswer = serde_json::from_value(answer)
            .map_err(|e| ApiError::decode(format!("token answer: {e}")))?;
        if answer.tenant_access_token.is_empty() {
            return Err(ApiError::decode("token answer: empty tenant_access_token"));
        }
        Ok((
            answer.tenant_access_token,
            Duration::from_secs(answer.expire),
        ))
    }

    /// `path` on the base URL.
    fn url(&self, path: &str) -> Url {
        let mut url = self.inner.base.clone();
        url.set_path(path);
        url.set_query(None);
        url
    }

    /// An authorized call: bearer token, and on a token-invalid answer one refresh and one retry.
    /// Returns the whole answer body (code 0).
    async fn call(
        &self,
        endpoint: Endpoint,
        target: Option<&CallTarget>,
        url: Url,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let token = self.tenant_access_token().await?;
        match self
            .exchange(endpoint, target, url.clone(), Some(&token), body)
            .await
        {
            Err(error) if error.wants_token_refresh() => {
                tracing::debug!(
                    endpoint = endpoint.name(),
                    code = error.code(),
                    "token refused; refreshing once"
                );
                self.inner.tokens.invalidate(&token);
                let token = self.tenant_access_token().await?;
                self.exchange(endpoint, target, url, Some(&token), body)
                    .await
            }
            other => other,
        }
    }

    /// One HTTP exchange: wait for the gate, send, read, classify, report to the gate and the
    /// observer.
    async fn exchange(
        &self,
        endpoint: Endpoint,
        target: Option<&CallTarget>,
        url: Url,
        token: Option<&Secret>,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let method = match endpoint.method() {
            "GET" => reqwest::Method::GET,
            "PATCH" => reqwest::Method::PATCH,
            _ => reqwest::Method::POST,
        };
        let mut request = self.inner.http.request(method, url);
        if let Some(token) = token {
            // reqwest marks this header sensitive, so it never shows in its Debug output.
            request = request.bearer_auth(token.expose());
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let pass = match &self.inner.gate {
            Some(gate) => Some(gate.admit(GateCall { endpoint, target }).await?),
            None => None,
        };
        let at = self.inner.clock.utc();
        let started = Instant::now();
        let mut record = CallRecord {
            endpoint,
            http_status: None,
            code: None,
            latency: Duration::ZERO,
            counted: false,
            error_kind: None,
            rate_limit: RateLimitHeaders::default(),
            log_id: None,
            at,
            target: target.cloned(),
        };
        let result = self.read(request, &mut record).await;
        record.latency = started.elapsed();
        match &result {
            Ok(_) => record.counted = endpoint.counted(),
            Err(error) => record.error_kind = Some(error.kind()),
        }
        tracing::debug!(
            endpoint = endpoint.name(),
            status = record.http_status,
            code = record.code,
            latency_ms = u64::try_from(record.latency.as_millis()).unwrap_or(u64::MAX),
            error = record.error_kind,
            "open api call"
        );
        if let Some(pass) = pass {
            pass.finish(&record);
        }
        if let Some(observer) = &self.inner.observer {
            observer.observe(&record);
        }
        result
    }

    async fn read(
        &self,
        request: reqwest::RequestBuilder,
        record: &mut CallRecord,
    ) -> Result<Value, ApiError> {
        let response = request
            .send()
            .await
            .map_err(|e| ApiError::from_reqwest(&e))?;
        let status = response.status().as_u16();
        record.http_status = Some(status);
        record.rate_limit = RateLimitHeaders::from_headers(response.headers());
        record.log_id = response
            .headers()
            .get("x-tt-logid")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let bytes = response
            .bytes()
            .await
            .map_err(|e| ApiError::from_reqwest(&e))?;
        let body: Option<Value> = serde_json::from_slice(&bytes).ok();
        record.code = body
            .as_ref()
            .and_then(|b| b.get("code"))
            .and_then(Value::as_i64);
        error::classify(status, &record.rate_limit, body.as_ref())?;
        Ok(body.unwrap_or(Value::Null))
    }
}

/// Takes the payload from the first of `keys` present in a success answer and decodes it.
fn payload<T: serde::de::DeserializeOwned>(
    mut answer: Value,
    keys: &[&str],
    what: &str,
) -> Result<T, ApiError> {
    let value = keys
        .iter()
        .find_map(|key| answer.get_mut(*key).map(Value::take))
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::decode(format!("{what}: no `{}` in the answer", keys[0])))?;
    serde_json::from_value(value).map_err(|e| ApiError::decode(format!("{what}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_checks_the_base_url_and_never_prints_the_secret() {
        let builder = Client::builder("https://open.feishu.cn", "cli_x", Secret::new("hunter2"));
        assert!(!format!("{builder:?}").contains("hunter2"));
        let client = builder.build().unwrap();
        assert!(!format!("{client:?}").contains("hunter2"));
        assert_eq!(client.base_url(), "https://open.feishu.cn/");
        for bad in ["", "open.feishu.cn", "ftp://open.feishu.cn", "http://"] {
            let result = Client::builder(bad, "cli_x", Secret::new("s")).build();
            assert!(
                matches!(result, Err(BuildError::InvalidBaseUrl { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn loopback_hosts_are_recognised() {
        for (url, loopback) in [
            ("http://127.0.0.1:8080", true),
            ("http://[::1]:80", true),
            ("http://localhost:1", true),
            ("https://open.feishu.cn", false),
        ] {
            assert_eq!(is_loopback(&Url::parse(url).unwrap()), loopback, "{url}");
        }
    }

    #[test]
    fn payload_reads_the_first_key_present() {
        let bot: BotInfo = payload(
            json!({"code": 0, "bot": {"app_name": "A", "open_id": "ou_1", "activate_status": 2}}),
            &["bot", "data"],
            "bot info",
        )
        .unwrap();
        assert_eq!(bot.app_name, "A");
        assert!(bot.is_active());
        let missing = payload::<BotInfo>(json!({"code": 0}), &["bot", "data"], "bot info");
        assert!(matches!(missing, Err(ApiError::Decode { .. })));
    }
}
