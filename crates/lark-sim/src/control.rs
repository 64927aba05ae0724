//! The `/_sim/` control surface: change the world (limits, quota, clock, faults, bot, scopes,
//! memberships, long-connection settings, the apps, app registration and publishing switches),
//! read what happened (stats, delivered cards), and make the platform talk (callbacks,
//! long-connection pushes). JSON in, JSON out, loopback only.
//!
//! The person's and the tenant admin's sides of app registration and publishing have their own
//! routes: [`crate::registration::control`] (`/_sim/registration/*`) and
//! [`crate::application::control`] (`/_sim/versions/*`); sent URL-verification challenges are
//! at `/_sim/challenges` ([`crate::challenge`]).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use lark_platform::ws_types::ClientConfig;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::api::{parse_body, ApiError};
use crate::callbacks;
use crate::state::{InjectedFailure, SimState, Stats};
use crate::ws;

/// `null` → `Some(None)`, absent → `None`: lets `quota_cap: null` mean "unlimited".
fn double_option<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// `POST /_sim/config`: every field optional; only the given ones change.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPatch {
    /// Rate ceilings: any of `api_per_second`, `send_per_minute`, `per_receiver_per_second`,
    /// `patch_per_message_per_second`.
    pub limits: Option<LimitsPatch>,
    /// Monthly cap; `null` = unlimited.
    #[serde(default, deserialize_with = "double_option")]
    pub quota_cap: Option<Option<u64>>,
    /// Month-to-date counted calls.
    pub quota_used: Option<u64>,
    pub clock_offset_ms: Option<i64>,
    pub clock_frozen: Option<bool>,
    pub advance_ms: Option<i64>,
    /// Added before every Open API answer.
    pub latency_ms: Option<u64>,
    /// Appended to the armed failures.
    pub fail: Option<Vec<InjectedFailure>>,
    pub clear_failures: Option<bool>,
    pub bot_enabled: Option<bool>,
    pub bot_activate_status: Option<u8>,
    /// Replaces the primary app's granted scopes, as the console's "save and publish" does:
    /// its requested tenant-identity scopes (current configuration, draft, online version)
    /// become the same set.
    pub scopes: Option<Vec<String>>,
    /// chat_id → whether the bot is a member.
    pub bot_chats: Option<BTreeMap<String, bool>>,
    /// open_id → inside the app's availability.
    pub user_available: Option<BTreeMap<String, bool>>,
    pub token_expire_secs: Option<u64>,
    /// Invalidates every issued tenant access token.
    pub revoke_tokens: Option<bool>,
    /// Forgets admitted calls of every rate window.
    pub reset_limits: Option<bool>,
    pub reset_stats: Option<bool>,
    pub ws_client_config: Option<ClientConfig>,
    pub ws_max_connections: Option<usize>,
    pub ws_answer_timeout_ms: Option<u64>,
    pub ws_max_repushes: Option<u32>,
    pub ws_ignore_pings: Option<bool>,
    /// `false`: the app registration endpoint answers 404 (a platform without the API).
    pub registration_supported: Option<bool>,
    /// `false`: every application API path answers 404 (a platform without the API).
    pub application_api_supported: Option<bool>,
    /// `interval` handed out by registration `begin`, seconds (at least 1).
    pub registration_interval_secs: Option<u64>,
    /// `expires_in` handed out by registration `begin`, seconds (at least 1).
    pub registration_expires_secs: Option<u64>,
    /// Forgets every registration and every sent challenge.
    pub reset_registrations: Option<bool>,
    /// Publishing waits under review (true) or goes online at once (false, the default).
    pub publish_review: Option<bool>,
    /// `GET` app leaves out the request URLs (and versions the card request URL).
    pub hide_request_urls: Option<bool>,
    /// Per App ID: changes to that app (any app of the tenant, the primary one included).
    pub apps: Option<BTreeMap<String, AppPatch>>,
}

/// `POST /_sim/config` `apps.<app_id>`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppPatch {
    /// E.g. `base` or `bot_builder`: an app the v7 API must refuse to change.
    pub create_source: Option<String>,
    /// Replaces the app's granted (tenant identity) scopes, like the top-level `scopes`.
    pub scopes: Option<Vec<String>>,
    pub bot_enabled: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsPatch {
    pub api_per_second: Option<u32>,
    pub send_per_minute: Option<u32>,
    pub per_receiver_per_second: Option<u32>,
    pub patch_per_message_per_second: Option<u32>,
}

/// Applies a patch. Unknown chat ids or users are an error, so a typo does not pass silently.
pub fn apply(state: &SimState, patch: ConfigPatch) -> Result<(), ApiError> {
    if let Some(offset) = patch.clock_offset_ms {
        state.clock.set_offset_ms(offset);
    }
    if let Some(frozen) = patch.clock_frozen {
        state.clock.set_frozen(frozen);
    }
    if let Some(ms) = patch.advance_ms {
        state.clock.advance_ms(ms);
    }
    let now = state.clock.now();
    let now_ms = state.clock.now_ms();
    let mut inner = state.lock();
    if let Some(chats) = &patch.bot_chats {
        if let Some(unknown) = chats.keys().find(|id| inner.tenant.find_chat(id).is_none()) {
            return Err(ApiError::field_violation(
                "bot_chats",
                &format!("unknown chat {unknown}"),
            ));
        }
    }
    if let Some(apps) = &patch.apps {
        if let Some(unknown) = apps.keys().find(|id| inner.tenant.find_app(id).is_none()) {
            return Err(ApiError::field_violation(
                "apps",
                &format!("unknown app {unknown}"),
            ));
        }
    }
    if let Some(users) = &patch.user_available {
        if let Some(unknown) = users
            .keys()
            .find(|id| !inner.tenant.users.iter().any(|u| &u.open_id == *id))
        {
            return Err(ApiError::field_violation(
                "user_available",
                &format!("unknown user {unknown}"),
            ));
        }
    }
    apply_app_api(&mut inner, &patch, now_ms);
    if let Some(limits) = patch.limits {
        let current = &mut inner.limits;
        current.api_per_second = limits.api_per_second.unwrap_or(current.api_per_second);
        current.send_per_minute = limits.send_per_minute.unwrap_or(current.send_per_minute);
        current.per_receiver_per_second = limits
            .per_receiver_per_second
            .unwrap_or(current.per_receiver_per_second);
        current.patch_per_message_per_second = limits
            .patch_per_message_per_second
            .unwrap_or(current.patch_per_message_per_second);
    }
    if let Some(cap) = patch.quota_cap {
        inner.quota.cap = cap;
    }
    if let Some(used) = patch.quota_used {
        inner.quota.set_used(used, now);
    }
    if let Some(latency) = patch.latency_ms {
        inner.latency_ms = latency.min(60_000);
    }
    if patch.clear_failures == Some(true) {
        inner.failures.clear();
    }
    if let Some(failures) = patch.fail {
        inner.failures.extend(failures);
    }
    if let Some(enabled) = patch.bot_enabled {
        inner.tenant.bot.enabled = enabled;
    }
    if let Some(status) = patch.bot_activate_status {
        inner.tenant.bot.activate_status = status;
    }
    if let Some(scopes) = patch.scopes {
        let primary = inner.tenant.app.app_id.clone();
        let scopes = scopes.into_iter().collect();
        crate::application::console_grant(&mut inner, &primary, &scopes);
    }
    for (chat_id, member) in patch.bot_chats.unwrap_or_default() {
        if let Some(chat) = inner.tenant.chats.iter_mut().find(|c| c.chat_id == chat_id) {
            chat.bot_member = member;
        }
    }
    for (open_id, available) in patch.user_available.unwrap_or_default() {
        if let Some(user) = inner.tenant.users.iter_mut().find(|u| u.open_id == open_id) {
            user.available = available;
        }
    }
    if let Some(secs) = patch.token_expire_secs {
        inner.token_expire_secs = secs.max(1);
    }
    if patch.revoke_tokens == Some(true) {
        inner.tokens.clear();
        inner.current_tokens.clear();
    }
    if patch.reset_limits == Some(true) {
        inner.limiter.reset();
    }
    if patch.reset_stats == Some(true) {
        inner.stats = Stats::default();
    }
    drop(inner);
    let mut ws = state.ws.config();
    if let Some(config) = patch.ws_client_config {
        ws.client_config = config;
    }
    if let Some(max) = patch.ws_max_connections {
        ws.max_connections = max;
    }
    if let Some(timeout) = patch.ws_answer_timeout_ms {
        ws.answer_timeout_ms = timeout.clamp(10, 600_000);
    }
    if let Some(max) = patch.ws_max_repushes {
        ws.max_repushes = max.min(100);
    }
    if let Some(ignore) = patch.ws_ignore_pings {
        ws.ignore_pings = ignore;
    }
    state.ws.set_config(ws);
    Ok(())
}

/// The application API and registration parts of a patch.
fn apply_app_api(inner: &mut crate::state::Inner, patch: &ConfigPatch, now_ms: i64) {
    let settings = &mut inner.registrations.settings;
    if let Some(supported) = patch.registration_supported {
        settings.supported = supported;
    }
    if let Some(supported) = patch.application_api_supported {
        inner.app_api.unsupported = !supported;
    }
    if let Some(secs) = patch.registration_interval_secs {
        settings.interval_secs = secs.clamp(1, 3600);
    }
    if let Some(secs) = patch.registration_expires_secs {
        settings.expires_secs = secs.clamp(1, 86_400);
    }
    if patch.reset_registrations == Some(true) {
        inner.registrations.list.clear();
        inner.challenges.clear();
        inner.challenge_outbox.clear();
    }
    if let Some(review) = patch.publish_review {
        inner.app_api.publish_review = review;
    }
    if let Some(hide) = patch.hide_request_urls {
        inner.app_api.hide_request_urls = hide;
    }
    inner.ensure_profiles(now_ms);
    for (app_id, change) in patch.apps.iter().flatten() {
        if let Some(source) = &change.create_source {
            if let Some(profile) = inner.profiles.get_mut(app_id) {
                profile.create_source.clone_from(source);
            }
        }
        if let Some(scopes) = &change.scopes {
            let scopes = scopes.iter().cloned().collect();
            crate::application::console_grant(inner, app_id, &scopes);
        }
        if let Some(enabled) = change.bot_enabled {
            if let Some(app) = inner.tenant.find_app_mut(app_id) {
                app.bot.enabled = enabled;
            }
        }
    }
}

/// Every app: credentials, bot, granted scopes and the application API's profile.
fn apps_view(inner: &crate::state::Inner) -> Vec<Value> {
    inner
        .tenant
        .app_ids()
        .iter()
        .filter_map(|id| {
            let app = inner.tenant.find_app(id)?;
            Some(json!({
                "app": app.app,
                "bot": app.bot,
                "scopes": app.scopes,
                "primary": app.primary,
                "profile": inner.profiles.get(id),
            }))
        })
        .collect()
}

/// The whole configuration and tenant, as `GET`/`POST /_sim/config` answer it.
pub fn view(state: &SimState) -> Value {
    let clock = state.clock.state();
    let now_ms = state.clock.now_ms();
    let now = state.clock.now();
    let ws = state.ws.config();
    let mut inner = state.lock();
    let quota = inner.quota.view(now);
    json!({
        "base_url": state.base_url,
        "app": inner.tenant.app,
        "tenant": inner.tenant,
        "limits": inner.limits,
        "quota": quota,
        "clock": {"offset_ms": clock.offset_ms, "frozen_at_ms": clock.frozen_at_ms, "now_ms": now_ms},
        "latency_ms": inner.latency_ms,
        "failures": inner.failures,
        "token_expire_secs": inner.token_expire_secs,
        "ws": ws,
        "apps": apps_view(&inner),
        "app_api": inner.app_api,
        "registration": inner.registrations.settings,
    })
}

fn ok_json(value: Value) -> Response {
    axum::Json(value).into_response()
}

pub async fn get_config(State(state): State<Arc<SimState>>) -> Response {
    ok_json(view(&state))
}

pub async fn post_config(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let result = parse_body::<ConfigPatch>(&body).and_then(|patch| apply(&state, patch));
    match result {
        Ok(()) => ok_json(view(&state)),
        Err(error) => error.into_response(),
    }
}

pub async fn stats(State(state): State<Arc<SimState>>) -> Response {
    let now = state.clock.now();
    let mut inner = state.lock();
    let quota = inner.quota.view(now);
    ok_json(json!({"endpoints": inner.stats.endpoints, "quota": quota}))
}

/// `GET /_sim/messages[?chat_id=..][&receive_id=..]`.
pub async fn messages(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let inner = state.lock();
    let messages: Vec<_> = inner
        .messages
        .iter()
        .filter(|m| query.get("chat_id").is_none_or(|c| &m.chat_id == c))
        .filter(|m| query.get("receive_id").is_none_or(|r| &m.receive_id == r))
        .map(|m| {
            let mut value = json!(m);
            value["card"] = serde_json::from_str(&m.content).unwrap_or(Value::Null);
            value
        })
        .collect();
    ok_json(json!({ "messages": messages }))
}

pub async fn post_callback(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let request = match parse_body::<callbacks::DeliverRequest>(&body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    match callbacks::deliver(&state, request).await {
        Ok(value) => ok_json(value),
        Err(error) => error.into_response(),
    }
}

pub async fn ws_push(State(state): State<Arc<SimState>>, body: Bytes) -> Response {
    let request = match parse_body::<ws::PushRequest>(&body) {
        Ok(request) => request,
        Err(error) => return error.into_response(),
    };
    match ws::push(&state, request).await {
        Ok(value) => ok_json(value),
        Err(error) => error.into_response(),
    }
}

pub async fn ws_drop(State(state): State<Arc<SimState>>) -> Response {
    ok_json(json!({ "dropped": state.ws.drop_all() }))
}

pub async fn ws_stats(State(state): State<Arc<SimState>>) -> Response {
    ok_json(state.ws.stats())
}
