//! The simulator's mutable world, shared by the Open API, the control surface, callbacks and the
//! long connection. One mutex: every handler holds it briefly and never across an `.await`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::clock::Clock;
use crate::limits::{Limiter, LimitsConfig};
use crate::quota::Quota;
use crate::tenant::{random_id, Tenant};

/// The APIs the simulator serves, named as in stats, injected failures and rate windows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    TenantAccessToken,
    BotInfo,
    ChatsList,
    MessageSend,
    MessagePatch,
    WsEndpoint,
}

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Self::TenantAccessToken => "tenant_access_token",
            Self::BotInfo => "bot_info",
            Self::ChatsList => "chats_list",
            Self::MessageSend => "message_send",
            Self::MessagePatch => "message_patch",
            Self::WsEndpoint => "ws_endpoint",
        }
    }

    /// Whether refusals keep an empty `data` object. The long-connection endpoint's do: the
    /// official Node SDK reads `data.URL` before `code` and would crash into a retry loop.
    pub fn refusals_carry_data(self) -> bool {
        self == Self::WsEndpoint
    }
}

/// "The next `count` calls to `endpoint` fail with `code`" (control surface).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct InjectedFailure {
    pub endpoint: Endpoint,
    pub code: i64,
    /// HTTP status of the failure, default 400.
    #[serde(default = "default_failure_status")]
    pub http_status: u16,
    /// How many calls fail, default 1.
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub msg: Option<String>,
}

fn default_failure_status() -> u16 {
    400
}

fn one() -> u32 {
    1
}

/// Per-endpoint counters.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EndpointStats {
    pub calls: u64,
    pub ok: u64,
    /// Refused calls by code (as a string key, for JSON).
    pub rejected: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Stats {
    pub endpoints: BTreeMap<&'static str, EndpointStats>,
}

impl Stats {
    pub fn endpoint(&mut self, endpoint: Endpoint) -> &mut EndpointStats {
        self.endpoints.entry(endpoint.name()).or_default()
    }
}

/// One version of a sent card.
#[derive(Clone, Debug, Serialize)]
pub struct MessageUpdate {
    pub content: String,
    pub update_time: i64,
}

/// A message the app sent, as `/_sim/messages` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct MessageRecord {
    pub message_id: String,
    pub receive_id_type: String,
    pub receive_id: String,
    /// The group chat, or the p2p chat with the user.
    pub chat_id: String,
    pub msg_type: String,
    /// The current content string.
    pub content: String,
    pub create_time: i64,
    pub uuid: Option<String>,
    /// Earlier versions are not kept apart: `updates` lists every PATCH in order.
    pub updates: Vec<MessageUpdate>,
}

/// The mutable world.
pub struct Inner {
    pub tenant: Tenant,
    pub limits: LimitsConfig,
    pub limiter: Limiter,
    pub quota: Quota,
    /// Live tenant access tokens and when they expire (ms).
    pub tokens: HashMap<String, i64>,
    /// The token the token endpoint hands out while it has enough life left.
    pub current_token: Option<String>,
    pub token_expire_secs: u64,
    pub latency_ms: u64,
    pub failures: Vec<InjectedFailure>,
    pub stats: Stats,
    pub messages: Vec<MessageRecord>,
    /// `uuid` of a send → (message id, when it was first used).
    pub uuids: HashMap<String, (String, i64)>,
    /// p2p chat id per user open id.
    pub p2p_chats: HashMap<String, String>,
    /// Console base for deep links in error messages, e.g. `https://open.feishu.cn`.
    pub console: String,
    pub rng: StdRng,
    log_seq: u64,
}

impl Inner {
    pub fn new(tenant: Tenant, quota: Quota, rng: StdRng) -> Self {
        Self {
            tenant,
            limits: LimitsConfig::default(),
            limiter: Limiter::default(),
            quota,
            tokens: HashMap::new(),
            current_token: None,
            token_expire_secs: 7200,
            latency_ms: 0,
            failures: Vec::new(),
            stats: Stats::default(),
            messages: Vec::new(),
            uuids: HashMap::new(),
            p2p_chats: HashMap::new(),
            console: "https://open.feishu.cn".to_string(),
            rng,
            log_seq: 0,
        }
    }

    /// A log id for the `x-tt-logid` header, unique per response.
    pub fn next_log_id(&mut self) -> String {
        self.log_seq += 1;
        format!("2026{:016x}", self.log_seq)
    }

    /// Takes one injected failure for `endpoint`, if any is armed.
    pub fn take_injected_failure(&mut self, endpoint: Endpoint) -> Option<ApiError> {
        let index = self
            .failures
            .iter()
            .position(|f| f.endpoint == endpoint && f.count > 0)?;
        let failure = &mut self.failures[index];
        failure.count -= 1;
        let status = axum::http::StatusCode::from_u16(failure.http_status)
            .unwrap_or(axum::http::StatusCode::BAD_REQUEST);
        let error = ApiError::new(
            status,
            failure.code,
            failure
                .msg
                .clone()
                .unwrap_or_else(|| format!("injected failure {}", failure.code)),
        );
        if failure.count == 0 {
            self.failures.remove(index);
        }
        Some(error)
    }

    /// A fresh id with the platform's prefix.
    pub fn new_id(&mut self, prefix: &str, len: usize) -> String {
        random_id(&mut self.rng, prefix, len)
    }

    /// The p2p chat between the bot and a user (created on first use).
    pub fn p2p_chat(&mut self, open_id: &str) -> String {
        if let Some(chat) = self.p2p_chats.get(open_id) {
            return chat.clone();
        }
        let chat = self.new_id("oc_", 32);
        self.p2p_chats.insert(open_id.to_string(), chat.clone());
        chat
    }
}

/// Everything a handler can reach.
pub struct SimState {
    pub clock: Clock,
    inner: Mutex<Inner>,
    /// The simulator's own base URL (`http://127.0.0.1:PORT`), for the long-connection URL.
    pub base_url: String,
    pub http: reqwest::Client,
    pub ws: crate::ws::Hub,
}

impl SimState {
    pub fn new(clock: Clock, inner: Inner, base_url: String) -> Self {
        Self {
            clock,
            inner: Mutex::new(inner),
            base_url,
            http: reqwest::Client::builder()
                .no_proxy()
                .timeout(std::time::Duration::from_secs(10))
                .build()
                .unwrap_or_default(),
            ws: crate::ws::Hub::default(),
        }
    }

    /// The world, even if a previous holder panicked (the data stays usable for a simulator).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
