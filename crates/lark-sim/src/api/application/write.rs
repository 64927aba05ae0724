//! The v7 writes and publishing.
//!
//! - `PATCH /open-apis/application/v7/applications/:app_id/ability` (100/min per app):
//!   `web_app{enable,pc_url,mobile_url,pc_new_page_open_mode}` and `bot{enable,...}` go into the
//!   draft; `bot.message_card_callback_url` takes effect at once (and shows in the newest
//!   version) and is sent the URL-verification challenge.
//! - `PATCH .../config`: `scope{add_scopes,remove_scopes}`, `event{add_events,remove_events}`,
//!   `callback{add_callbacks,remove_callbacks}`, `visibility`, `contacts` go into the draft;
//!   `event{subscription_type,request_url}`, `callback{callback_type,request_url}`,
//!   `security{add,remove,allow_refresh_token}` and `event_and_callback_encrypt_strategy` take
//!   effect at once. A request URL saved with the webhook mode is sent the challenge.
//! - `PATCH .../base`: `i18ns` (the primary language's entry names the app), `avatar_url`,
//!   `homepage_url`, into the draft.
//! - `POST .../publish` (20/min per app): `{remark, changelog, version?, pc_default_ability?,
//!   mobile_default_ability?}` → `data{version_id, version}`; online at once, or under review
//!   with `/_sim/config` `publish_review: true`.
//!
//! Every body is validated before anything changes (99992402 `field_violations`); request URLs
//! must be absolute http(s) URLs. Adding what is already there, or removing what is not, is fine.
//! An Encrypt Key of `""` removes it; the Verification Token cannot be emptied.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::json;

use super::{own_app, profile, require_scope, NOT_CONSOLE_APP, PATCH, UNDER_REVIEW};
use crate::api::{ok_data, parse_body, run, ApiError, Call, Gate};
use crate::application::{go_online, I18nInfo, Submission, TokenType, Visibility, WebApp};
use crate::challenge::{self, ChallengeKind};
use crate::state::{Endpoint, Inner, SimState};

fn gate(endpoint: Endpoint, headers: &HeaderMap) -> Gate<'_> {
    Gate {
        endpoint,
        needs_token: true,
        counted: true,
        headers,
    }
}

/// Scope, own app, console app, nothing under review.
fn writable(inner: &mut Inner, call: &Call, path_app_id: &str) -> Result<(), ApiError> {
    require_scope(inner, call, &[PATCH])?;
    own_app(call, path_app_id)?;
    let profile = profile(inner, call)?;
    if !profile.is_console_app() {
        return Err(ApiError::bad_request(
            NOT_CONSOLE_APP,
            format!(
                "only apps created in the developer console can be changed through the API; this app's create_source is {}",
                profile.create_source
            ),
        ));
    }
    if let Some(version) = profile.under_review() {
        return Err(ApiError::bad_request(
            UNDER_REVIEW,
            format!(
                "app is under review (version {}): it cannot be changed until the review ends",
                version.version
            ),
        ));
    }
    Ok(())
}

/// An absolute http(s) URL (http is accepted: loopback receivers in tests), or `""` to clear.
fn check_url(field: &str, url: &str) -> Result<(), ApiError> {
    if url.is_empty() {
        return Ok(());
    }
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(())
        }
        _ => Err(ApiError::field_violation(
            field,
            "must be an absolute http:// or https:// URL",
        )),
    }
}

fn check_mode(field: &str, mode: Option<&str>) -> Result<String, ApiError> {
    match mode {
        Some(mode @ ("webhook" | "websocket")) => Ok(mode.to_string()),
        Some(_) => Err(ApiError::field_violation(
            field,
            "must be webhook or websocket",
        )),
        None => Err(ApiError::field_violation(field, "is required")),
    }
}

fn new_version_id(inner: &mut Inner) -> String {
    inner.new_id("oav_", 32)
}

/// Applies a draft change to the calling app's current configuration and syncs the draft.
fn change_draft(
    inner: &mut Inner,
    call: &Call,
    change: impl FnOnce(&mut crate::application::Settings),
) {
    let version_id = new_version_id(inner);
    if let Some(profile) = inner.profiles.get_mut(&call.app_id) {
        change(&mut profile.current);
        profile.sync_draft(|| version_id, call.now_ms);
    }
}

// ---------------------------------------------------------------------------------------------
// ability

#[derive(Debug, Default, Deserialize)]
struct AbilityBody {
    #[serde(default)]
    web_app: Option<WebAppBody>,
    #[serde(default)]
    bot: Option<BotBody>,
}

#[derive(Debug, Default, Deserialize)]
struct WebAppBody {
    #[serde(default)]
    enable: Option<bool>,
    #[serde(default)]
    pc_url: Option<String>,
    #[serde(default)]
    mobile_url: Option<String>,
    #[serde(default)]
    pc_new_page_open_mode: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct BotBody {
    #[serde(default)]
    enable: Option<bool>,
    #[serde(default)]
    message_card_callback_url: Option<String>,
}

pub async fn patch_ability(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    body: Bytes,
) -> Response {
    let response = run(
        &state,
        gate(Endpoint::ApplicationAbilityPatch, &headers),
        |inner, call| {
            writable(inner, call, &app_id)?;
            let request: AbilityBody = parse_body(&body)?;
            let web_enable = match &request.web_app {
                Some(web) => {
                    let enable = web.enable.ok_or_else(|| {
                        ApiError::field_violation("web_app.enable", "is required")
                    })?;
                    check_url("web_app.pc_url", web.pc_url.as_deref().unwrap_or(""))?;
                    check_url(
                        "web_app.mobile_url",
                        web.mobile_url.as_deref().unwrap_or(""),
                    )?;
                    if let Some(mode) = web.pc_new_page_open_mode.as_deref() {
                        if !matches!(mode, "new_tab" | "browser") {
                            return Err(ApiError::field_violation(
                                "web_app.pc_new_page_open_mode",
                                "must be new_tab or browser",
                            ));
                        }
                    }
                    Some(enable)
                }
                None => None,
            };
            let bot_enable = match &request.bot {
                Some(bot) => {
                    let enable = bot
                        .enable
                        .ok_or_else(|| ApiError::field_violation("bot.enable", "is required"))?;
                    if let Some(url) = &bot.message_card_callback_url {
                        check_url("bot.message_card_callback_url", url)?;
                    }
                    Some(enable)
                }
                None => None,
            };
            if web_enable.is_some() || bot_enable.is_some() {
                let web = request.web_app.as_ref();
                change_draft(inner, call, |settings| {
                    if let (Some(enable), Some(web)) = (web_enable, web) {
                        settings.web_app = enable.then(|| {
                            let old = settings.web_app.clone().unwrap_or_default();
                            WebApp {
                                pc_url: web.pc_url.clone().unwrap_or(old.pc_url),
                                mobile_url: web.mobile_url.clone().unwrap_or(old.mobile_url),
                                pc_new_page_open_mode: web
                                    .pc_new_page_open_mode
                                    .clone()
                                    .unwrap_or(old.pc_new_page_open_mode),
                            }
                        });
                    }
                    if let Some(enable) = bot_enable {
                        settings.bot = enable;
                    }
                });
            }
            if let Some(url) = request.bot.and_then(|b| b.message_card_callback_url) {
                if let Some(profile) = inner.profiles.get_mut(&call.app_id) {
                    profile.set_card_request_url(&url);
                }
                if !url.is_empty() {
                    challenge::queue(inner, &call.app_id, ChallengeKind::Card, &url, call.now_ms);
                }
            }
            Ok(ok_data(json!({})))
        },
    )
    .await;
    challenge::dispatch(&state);
    response
}

// ---------------------------------------------------------------------------------------------
// config

#[derive(Debug, Default, Deserialize)]
struct ConfigBody {
    #[serde(default)]
    scope: Option<ScopeChange>,
    #[serde(default)]
    event: Option<SubscriptionChange>,
    #[serde(default)]
    callback: Option<SubscriptionChange>,
    #[serde(default)]
    security: Option<SecurityChange>,
    #[serde(default)]
    visibility: Option<VisibilityChange>,
    #[serde(default)]
    contacts: Option<ContactsChange>,
    #[serde(default)]
    event_and_callback_encrypt_strategy: Option<EncryptStrategy>,
}

#[derive(Debug, Default, Deserialize)]
struct ScopeChange {
    #[serde(default)]
    add_scopes: Vec<ScopeItem>,
    #[serde(default)]
    remove_scopes: Vec<ScopeItem>,
}

#[derive(Debug, Default, Deserialize)]
struct ScopeItem {
    #[serde(default)]
    scope_name: Option<String>,
    #[serde(default)]
    token_type: Option<String>,
}

/// `event` and `callback` share a shape (`subscription_type`/`callback_type`,
/// `add_events`/`add_callbacks`, …): both names are read.
#[derive(Debug, Default, Deserialize)]
struct SubscriptionChange {
    #[serde(default, alias = "callback_type")]
    subscription_type: Option<String>,
    #[serde(default)]
    request_url: Option<String>,
    #[serde(default, alias = "add_callbacks")]
    add_events: Vec<String>,
    #[serde(default, alias = "remove_callbacks")]
    remove_events: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct SecurityChange {
    #[serde(default)]
    add: Option<SecurityLists>,
    #[serde(default)]
    remove: Option<SecurityLists>,
    #[serde(default)]
    allow_refresh_token: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
struct SecurityLists {
    #[serde(default)]
    redirect_urls: Vec<String>,
    #[serde(default)]
    allowed_ips: Vec<String>,
    #[serde(default)]
    h5_trusted_domains: Vec<String>,
    #[serde(default)]
    web_view_trusted_domains: Vec<String>,
    #[serde(default)]
    allowed_schemas: Vec<String>,
    #[serde(default)]
    allowed_server_domains: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct VisibilityChange {
    #[serde(default)]
    is_visible_to_all: Option<bool>,
    #[serde(default)]
    visible_list: Option<IdLists>,
}

#[derive(Debug, Default, Deserialize)]
struct IdLists {
    #[serde(default)]
    user_ids: Vec<String>,
    #[serde(default)]
    department_ids: Vec<String>,
    #[serde(default)]
    group_ids: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
struct ContactsChange {
    #[serde(default)]
    contacts_range_type: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct EncryptStrategy {
    #[serde(default)]
    encryption_key: Option<String>,
    #[serde(default)]
    verification_token: Option<String>,
}

/// Scope items, checked: (name, identity).
fn scope_items(field: &str, items: &[ScopeItem]) -> Result<Vec<(String, TokenType)>, ApiError> {
    items
        .iter()
        .map(|item| {
            let name = item
                .scope_name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| ApiError::field_violation(field, "scope_name is required"))?;
            let token_type = item
                .token_type
                .as_deref()
                .and_then(TokenType::parse)
                .ok_or_else(|| {
                    ApiError::field_violation(field, "token_type must be tenant or user")
                })?;
            Ok((name, token_type))
        })
        .collect()
}

fn merge(list: &mut Vec<String>, add: &[String], remove: &[String]) {
    for item in add {
        if !list.contains(item) {
            list.push(item.clone());
        }
    }
    list.retain(|item| !remove.contains(item));
}

pub async fn patch_config(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    body: Bytes,
) -> Response {
    let response = run(
        &state,
        gate(Endpoint::ApplicationConfigPatch, &headers),
        |inner, call| {
            writable(inner, call, &app_id)?;
            let request: ConfigBody = parse_body(&body)?;
            // Validate everything first: a refused PATCH changes nothing.
            let (add_scopes, remove_scopes) = match &request.scope {
                Some(scope) => (
                    scope_items("scope.add_scopes", &scope.add_scopes)?,
                    scope_items("scope.remove_scopes", &scope.remove_scopes)?,
                ),
                None => (Vec::new(), Vec::new()),
            };
            let event_mode = match &request.event {
                Some(event) => {
                    let mode = check_mode(
                        "event.subscription_type",
                        event.subscription_type.as_deref(),
                    )?;
                    check_url(
                        "event.request_url",
                        event.request_url.as_deref().unwrap_or(""),
                    )?;
                    Some(mode)
                }
                None => None,
            };
            let callback_mode = match &request.callback {
                Some(callback) => {
                    let mode = check_mode(
                        "callback.callback_type",
                        callback.subscription_type.as_deref(),
                    )?;
                    check_url(
                        "callback.request_url",
                        callback.request_url.as_deref().unwrap_or(""),
                    )?;
                    Some(mode)
                }
                None => None,
            };
            if let Some(visibility) = &request.visibility {
                if visibility.is_visible_to_all.is_none() {
                    return Err(ApiError::field_violation(
                        "visibility.is_visible_to_all",
                        "is required",
                    ));
                }
            }
            if let Some(contacts) = &request.contacts {
                if !matches!(
                    contacts.contacts_range_type.as_deref(),
                    Some("equal_to_availability" | "some" | "all")
                ) {
                    return Err(ApiError::field_violation(
                        "contacts.contacts_range_type",
                        "must be equal_to_availability, some or all",
                    ));
                }
            }
            if let Some(strategy) = &request.event_and_callback_encrypt_strategy {
                if strategy.verification_token.as_deref() == Some("") {
                    return Err(ApiError::field_violation(
                        "event_and_callback_encrypt_strategy.verification_token",
                        "cannot be empty",
                    ));
                }
            }

            // Draft changes.
            let draft = !add_scopes.is_empty()
                || !remove_scopes.is_empty()
                || request
                    .event
                    .as_ref()
                    .is_some_and(|e| !e.add_events.is_empty() || !e.remove_events.is_empty())
                || request
                    .callback
                    .as_ref()
                    .is_some_and(|c| !c.add_events.is_empty() || !c.remove_events.is_empty())
                || request.visibility.is_some()
                || request.contacts.is_some();
            if draft {
                change_draft(inner, call, |settings| {
                    for (name, token_type) in &add_scopes {
                        settings.add_scope(name, *token_type);
                    }
                    for (name, token_type) in &remove_scopes {
                        settings.remove_scope(name, *token_type);
                    }
                    if let Some(event) = &request.event {
                        settings.events.extend(event.add_events.iter().cloned());
                        let gone: BTreeSet<&String> = event.remove_events.iter().collect();
                        settings.events.retain(|e| !gone.contains(e));
                    }
                    if let Some(callback) = &request.callback {
                        settings
                            .callbacks
                            .extend(callback.add_events.iter().cloned());
                        let gone: BTreeSet<&String> = callback.remove_events.iter().collect();
                        settings.callbacks.retain(|c| !gone.contains(c));
                    }
                    if let Some(visibility) = &request.visibility {
                        let lists = visibility.visible_list.as_ref();
                        settings.visibility = Some(Visibility {
                            is_visible_to_all: visibility.is_visible_to_all.unwrap_or(false),
                            user_ids: lists.map(|l| l.user_ids.clone()).unwrap_or_default(),
                            department_ids: lists
                                .map(|l| l.department_ids.clone())
                                .unwrap_or_default(),
                            group_ids: lists.map(|l| l.group_ids.clone()).unwrap_or_default(),
                        });
                    }
                    if let Some(contacts) = &request.contacts {
                        settings
                            .contacts_range_type
                            .clone_from(&contacts.contacts_range_type);
                    }
                });
            }

            // Immediate changes.
            let mut challenges = Vec::new();
            if let Some(profile) = inner.profiles.get_mut(&call.app_id) {
                let now = &mut profile.immediate;
                if let (Some(event), Some(mode)) = (&request.event, event_mode) {
                    now.subscription_type = mode;
                    if let Some(url) = &event.request_url {
                        now.event_request_url.clone_from(url);
                    }
                    if now.subscription_type == "webhook"
                        && event.request_url.as_deref().is_some_and(|u| !u.is_empty())
                    {
                        challenges.push((ChallengeKind::Event, now.event_request_url.clone()));
                    }
                }
                if let (Some(callback), Some(mode)) = (&request.callback, callback_mode) {
                    now.callback_type = mode;
                    if let Some(url) = &callback.request_url {
                        now.callback_request_url.clone_from(url);
                    }
                    if now.callback_type == "webhook"
                        && callback
                            .request_url
                            .as_deref()
                            .is_some_and(|u| !u.is_empty())
                    {
                        challenges
                            .push((ChallengeKind::Callback, now.callback_request_url.clone()));
                    }
                }
                if let Some(security) = &request.security {
                    let empty = SecurityLists::default();
                    let add = security.add.as_ref().unwrap_or(&empty);
                    let remove = security.remove.as_ref().unwrap_or(&empty);
                    merge(
                        &mut now.redirect_urls,
                        &add.redirect_urls,
                        &remove.redirect_urls,
                    );
                    merge(&mut now.allowed_ips, &add.allowed_ips, &remove.allowed_ips);
                    merge(
                        &mut now.h5_trusted_domains,
                        &add.h5_trusted_domains,
                        &remove.h5_trusted_domains,
                    );
                    merge(
                        &mut now.web_view_trusted_domains,
                        &add.web_view_trusted_domains,
                        &remove.web_view_trusted_domains,
                    );
                    merge(
                        &mut now.allowed_schemas,
                        &add.allowed_schemas,
                        &remove.allowed_schemas,
                    );
                    merge(
                        &mut now.allowed_server_domains,
                        &add.allowed_server_domains,
                        &remove.allowed_server_domains,
                    );
                    if let Some(allow) = security.allow_refresh_token {
                        now.allow_refresh_token = allow;
                    }
                }
            }
            if let Some(strategy) = &request.event_and_callback_encrypt_strategy {
                if let Some(app) = inner.tenant.find_app_mut(&call.app_id) {
                    if let Some(key) = &strategy.encryption_key {
                        app.app.encrypt_key = Some(key.clone()).filter(|k| !k.is_empty());
                    }
                    if let Some(token) = &strategy.verification_token {
                        app.app.verification_token.clone_from(token);
                    }
                }
            }
            for (kind, url) in challenges {
                challenge::queue(inner, &call.app_id, kind, &url, call.now_ms);
            }
            Ok(ok_data(json!({})))
        },
    )
    .await;
    challenge::dispatch(&state);
    response
}

// ---------------------------------------------------------------------------------------------
// base

#[derive(Debug, Default, Deserialize)]
struct BaseBody {
    #[serde(default)]
    i18ns: Vec<I18nItem>,
    #[serde(default)]
    avatar_url: Option<String>,
    #[serde(default)]
    homepage_url: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct I18nItem {
    #[serde(default)]
    i18n_key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    help_use: Option<String>,
}

pub async fn patch_base(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    body: Bytes,
) -> Response {
    run(
        &state,
        gate(Endpoint::ApplicationBasePatch, &headers),
        |inner, call| {
            writable(inner, call, &app_id)?;
            let request: BaseBody = parse_body(&body)?;
            if request
                .i18ns
                .iter()
                .any(|i| i.i18n_key.as_deref().unwrap_or("").is_empty())
            {
                return Err(ApiError::field_violation("i18ns.i18n_key", "is required"));
            }
            if let Some(url) = &request.avatar_url {
                check_url("avatar_url", url)?;
            }
            if let Some(url) = &request.homepage_url {
                check_url("homepage_url", url)?;
            }
            let primary = inner
                .profiles
                .get(&call.app_id)
                .map(|p| p.primary_language.clone())
                .unwrap_or_default();
            change_draft(inner, call, |settings| {
                for item in &request.i18ns {
                    let key = item.i18n_key.clone().unwrap_or_default();
                    let index = match settings.i18n.iter().position(|i| i.i18n_key == key) {
                        Some(index) => index,
                        None => {
                            settings.i18n.push(I18nInfo {
                                i18n_key: key.clone(),
                                ..I18nInfo::default()
                            });
                            settings.i18n.len() - 1
                        }
                    };
                    let entry = &mut settings.i18n[index];
                    if let Some(name) = &item.name {
                        entry.name.clone_from(name);
                    }
                    if let Some(description) = &item.description {
                        entry.description.clone_from(description);
                    }
                    if let Some(help) = &item.help_use {
                        entry.help_use.clone_from(help);
                    }
                    if key == primary {
                        if let Some(name) = item.name.as_ref().filter(|n| !n.is_empty()) {
                            settings.app_name.clone_from(name);
                        }
                        if let Some(description) = &item.description {
                            settings.description.clone_from(description);
                        }
                    }
                }
                if let Some(url) = &request.avatar_url {
                    settings.avatar_url.clone_from(url);
                }
                if let Some(url) = &request.homepage_url {
                    settings.homepage_url.clone_from(url);
                }
            });
            Ok(ok_data(json!({})))
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// publish

#[derive(Debug, Default, Deserialize)]
struct PublishBody {
    #[serde(default)]
    remark: Option<String>,
    #[serde(default)]
    changelog: Option<String>,
    #[serde(default)]
    version: Option<String>,
    #[serde(default)]
    pc_default_ability: Option<String>,
    #[serde(default)]
    mobile_default_ability: Option<String>,
}

fn check_ability(field: &str, value: Option<&str>) -> Result<(), ApiError> {
    match value {
        None | Some("bot" | "web_app" | "gadget") => Ok(()),
        Some(_) => Err(ApiError::field_violation(
            field,
            "must be bot, web_app or gadget",
        )),
    }
}

pub async fn publish(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    Path(app_id): Path<String>,
    body: Bytes,
) -> Response {
    run(
        &state,
        gate(Endpoint::ApplicationPublish, &headers),
        |inner, call| {
            writable(inner, call, &app_id)?;
            let request: PublishBody = parse_body(&body)?;
            let remark = request
                .remark
                .ok_or_else(|| ApiError::field_violation("remark", "is required"))?;
            let changelog = request
                .changelog
                .ok_or_else(|| ApiError::field_violation("changelog", "is required"))?;
            check_ability("pc_default_ability", request.pc_default_ability.as_deref())?;
            check_ability(
                "mobile_default_ability",
                request.mobile_default_ability.as_deref(),
            )?;
            if let Some(number) = request.version.as_deref().filter(|v| !v.is_empty()) {
                let taken = inner.profiles.get(&call.app_id).is_some_and(|p| {
                    p.versions.iter().any(|v| {
                        v.version == number && v.status != crate::application::VersionStatus::Draft
                    })
                });
                if taken {
                    return Err(ApiError::field_violation(
                        "version",
                        "this version number is already used",
                    ));
                }
            }
            let review = inner.app_api.publish_review;
            let version_id = new_version_id(inner);
            let profile = profile(inner, call)?;
            let index = profile.submit(
                Submission {
                    version: request.version,
                    remark,
                    changelog,
                    pc_default_ability: request.pc_default_ability,
                    mobile_default_ability: request.mobile_default_ability,
                },
                || version_id,
                call.now_ms,
            );
            let submitted = &profile.versions[index];
            let answer = json!({"version_id": submitted.version_id, "version": submitted.version});
            if !review {
                go_online(inner, &call.app_id, index, call.now_ms);
            }
            Ok(ok_data(answer))
        },
    )
    .await
}
