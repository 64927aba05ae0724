//! The simulator's mutable world, shared by the Open API, the control surface, callbacks and the
//! long connection. One mutex: every handler holds it briefly and never across an `.await`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard, PoisonError};

use rand::rngs::StdRng;
use serde::{Deserialize, Serialize};

use crate::api::ApiError;
use crate::application::AppProfile;
use crate::challenge::{ChallengeJob, ChallengeRecord};
use crate::clock::Clock;
use crate::limits::{Limiter, LimitsConfig};
use crate::quota::Quota;
use crate::registration::Registrations;
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
    /// `POST /oauth/v1/app/registration` on either accounts host (not an Open API: no gate).
    AppRegistration,
    ApplicationGet,
    AppVersionList,
    AppVersionGet,
    ScopeList,
    ScopeApply,
    ApplicationAbilityPatch,
    ApplicationConfigPatch,
    ApplicationBasePatch,
    ApplicationPublish,
}

/// The application API's own per-app ceilings (the platform documents them per API).
pub const ABILITY_PATCH_PER_MINUTE: u32 = 100;
pub const PUBLISH_PER_MINUTE: u32 = 20;

impl Endpoint {
    pub fn name(self) -> &'static str {
        match self {
            Self::TenantAccessToken => "tenant_access_token",
            Self::BotInfo => "bot_info",
            Self::ChatsList => "chats_list",
            Self::MessageSend => "message_send",
            Self::MessagePatch => "message_patch",
            Self::WsEndpoint => "ws_endpoint",
            Self::AppRegistration => "app_registration",
            Self::ApplicationGet => "application_get",
            Self::AppVersionList => "app_version_list",
            Self::AppVersionGet => "app_version_get",
            Self::ScopeList => "scope_list",
            Self::ScopeApply => "scope_apply",
            Self::ApplicationAbilityPatch => "application_ability_patch",
            Self::ApplicationConfigPatch => "application_config_patch",
            Self::ApplicationBasePatch => "application_base_patch",
            Self::ApplicationPublish => "application_publish",
        }
    }

    /// A per-app, per-minute ceiling on top of the per-second one: ability PATCH 100/min,
    /// publish 20/min.
    pub fn per_app_minute_limit(self) -> Option<u32> {
        match self {
            Self::ApplicationAbilityPatch => Some(ABILITY_PATCH_PER_MINUTE),
            Self::ApplicationPublish => Some(PUBLISH_PER_MINUTE),
            _ => None,
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

/// A tenant access token: bound to the app whose credentials obtained it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedToken {
    pub app_id: String,
    /// Expiry, ms since the Unix epoch (simulated clock).
    pub expires_ms: i64,
}

/// A message the app sent, as `/_sim/messages` shows it.
#[derive(Clone, Debug, Serialize)]
pub struct MessageRecord {
    pub message_id: String,
    /// The app whose bot sent it.
    pub app_id: String,
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
    /// Live tenant access tokens: the app each is bound to and when it expires.
    pub tokens: HashMap<String, IssuedToken>,
    /// Per app: the token the token endpoint hands out while it has enough life left.
    pub current_tokens: HashMap<String, String>,
    pub token_expire_secs: u64,
    pub latency_ms: u64,
    pub failures: Vec<InjectedFailure>,
    pub stats: Stats,
    pub messages: Vec<MessageRecord>,
    /// `app_id/uuid` of a send → (message id, when it was first used).
    pub uuids: HashMap<String, (String, i64)>,
    /// p2p chat id per user open id.
    pub p2p_chats: HashMap<String, String>,
    /// Console base for deep links in error messages, e.g. `https://open.feishu.cn`.
    pub console: String,
    /// The application API's view of every app, by App ID.
    pub profiles: BTreeMap<String, AppProfile>,
    pub app_api: AppApiSettings,
    /// App registrations (device flow) begun on the accounts endpoint.
    pub registrations: Registrations,
    /// URL-verification challenges sent on saving a request URL, oldest first.
    pub challenges: Vec<ChallengeRecord>,
    /// Challenges to send once the handler that queued them has released the lock.
    pub challenge_outbox: Vec<ChallengeJob>,
    pub rng: StdRng,
    log_seq: u64,
}

/// Switches of the application API (`/_sim/config`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct AppApiSettings {
    /// Publishing waits under review for `/_sim/versions/approve`; default false (online at
    /// once, as when the admin publishing is the tenant admin).
    pub publish_review: bool,
    /// `GET .../applications/:app_id` leaves out the event and callback request URLs (and
    /// versions the card request URL): integrators report they are not reliably returned.
    pub hide_request_urls: bool,
    /// Every application API path answers 404 (`/_sim/config` `application_api_supported:
    /// false`): a platform without the API.
    pub unsupported: bool,
}

impl Inner {
    pub fn new(tenant: Tenant, quota: Quota, rng: StdRng) -> Self {
        Self {
            tenant,
            limits: LimitsConfig::default(),
            limiter: Limiter::default(),
            quota,
            tokens: HashMap::new(),
            current_tokens: HashMap::new(),
            token_expire_secs: 7200,
            latency_ms: 0,
            failures: Vec::new(),
            stats: Stats::default(),
            messages: Vec::new(),
            uuids: HashMap::new(),
            p2p_chats: HashMap::new(),
            console: "https://open.feishu.cn".to_string(),
            profiles: BTreeMap::new(),
            app_api: AppApiSettings::default(),
            registrations: Registrations::default(),
            challenges: Vec::new(),
            challenge_outbox: Vec::new(),
            rng,
            log_seq: 0,
        }
    }

    /// Gives every app of the tenant without one a profile: its granted scopes requested, the
    /// guide's event and callback subscribed, one online version "1.0.0".
    pub fn ensure_profiles(&mut self, now_ms: i64) {
        for app_id in self.tenant.app_ids() {
            if self.profiles.contains_key(&app_id) {
                continue;
            }
            let Some(app) = self.tenant.find_app(&app_id) else {
                continue;
            };
            let settings = AppProfile::primary_settings(&app.bot.app_name, app.scopes);
            let version_id = self.new_id("oav_", 32);
            let profile = AppProfile::new(&app_id, settings, version_id, now_ms);
            self.profiles.insert(app_id, profile);
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
