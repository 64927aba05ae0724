//! The app's own configuration: application v6 reads (the app, its versions, its scopes) and v7
//! writes (ability, config, base, publish). A tenant token reads and changes only its own app.
//!
//! Every field the platform may leave out is an `Option`: a missing field is *unknown*, never
//! "not set" (integrators report that request URLs are not reliably returned). Secrets the
//! platform returns (Encrypt Key, Verification Token) are [`Secret`]s; the request bodies that
//! carry them are built here and never logged.
//!
//! Shapes: lark-oapi 1.7.5 `lark_oapi/api/application/v6` and `v7`, and docs/protocol.md.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::{payload, ApiError, Client, Endpoint};
use crate::secret::Secret;

/// Reading the app needs one of these (self_manage also covers versions).
pub const READ_SCOPES: &[&str] = &[
    "application:application:self_manage",
    "admin:app.info:readonly",
];
/// Reading versions needs one of these.
pub const VERSION_READ_SCOPES: &[&str] = &[
    "application:application.app_version:readonly",
    "application:application:self_manage",
];
/// Every v7 write and publishing need this.
pub const PATCH_SCOPE: &str = "application:application:patch";

/// One scope in the app's configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AppScope {
    pub scope: String,
    pub token_types: Option<Vec<String>>,
}

/// Event subscription: how events arrive and which.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct EventSubscription {
    pub subscription_type: Option<String>,
    pub request_url: Option<String>,
    pub subscribed_events: Option<Vec<String>>,
}

/// Callback subscription (card actions and the like).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CallbackSubscription {
    pub callback_type: Option<String>,
    pub request_url: Option<String>,
    pub subscribed_callbacks: Option<Vec<String>>,
}

/// The app's event and callback encryption, when the platform returns it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Encryption {
    pub encryption_key: Option<Secret>,
    pub verification_token: Option<Secret>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Security {
    pub redirect_urls: Option<Vec<String>>,
    pub allowed_ips: Option<Vec<String>>,
}

/// `GET /open-apis/application/v6/applications/:app_id` → `data.app`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AppInfo {
    pub app_id: String,
    pub app_name: Option<String>,
    pub description: Option<String>,
    pub avatar_url: Option<String>,
    /// 0 stopped, 1 in use, 2 deleted.
    pub status: Option<i64>,
    /// Where the app was made; only console-made apps can be changed by API.
    pub create_source: Option<String>,
    #[serde(deserialize_with = "empty_is_none")]
    pub online_version_id: Option<String>,
    /// The version under review, if any.
    #[serde(deserialize_with = "empty_is_none")]
    pub unaudit_version_id: Option<String>,
    pub scopes: Option<Vec<AppScope>>,
    pub redirect_urls: Option<Vec<String>>,
    pub event: Option<EventSubscription>,
    pub callback_info: Option<CallbackSubscription>,
    /// The older name of `callback_info` in some answers.
    pub callback: Option<CallbackSubscription>,
    pub encryption: Option<Encryption>,
    pub security: Option<Security>,
}

impl AppInfo {
    /// Made in the developer console (the only apps the v7 writes accept). Unknown counts as
    /// yes: the write itself will say otherwise.
    pub fn console_made(&self) -> bool {
        self.create_source
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == "developer_console")
    }

    pub fn under_review(&self) -> bool {
        self.unaudit_version_id.is_some()
    }

    /// The callback subscription under either name.
    pub fn callbacks(&self) -> Option<&CallbackSubscription> {
        self.callback_info.as_ref().or(self.callback.as_ref())
    }

    /// Redirect URLs from wherever the answer put them.
    pub fn redirects(&self) -> Option<&Vec<String>> {
        self.security
            .as_ref()
            .and_then(|s| s.redirect_urls.as_ref())
            .or(self.redirect_urls.as_ref())
    }
}

fn empty_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(match value {
        Some(Value::String(s)) if !s.is_empty() && s != "0" => Some(s),
        Some(Value::Number(n)) if n.as_i64() != Some(0) => Some(n.to_string()),
        _ => None,
    })
}

/// A version's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionStatus {
    Unknown,
    /// Approved: online.
    Online,
    Rejected,
    UnderReview,
    /// Created, not submitted (changes waiting to be published).
    NotSubmitted,
}

impl VersionStatus {
    pub fn from_code(code: i64) -> Self {
        match code {
            1 => Self::Online,
            2 => Self::Rejected,
            3 => Self::UnderReview,
            4 => Self::NotSubmitted,
            _ => Self::Unknown,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct WebAppAbility {
    pub pc_url: Option<String>,
    pub mobile_url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct BotAbility {
    pub card_request_url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Ability {
    pub web_app: Option<WebAppAbility>,
    pub bot: Option<BotAbility>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct VersionRemark {
    pub remark: Option<String>,
    pub update_remark: Option<String>,
}

/// An app version (`app_versions` list items and `app_version`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AppVersion {
    pub version_id: String,
    pub version: Option<String>,
    status: Option<i64>,
    pub create_time: Option<Value>,
    pub publish_time: Option<Value>,
    pub scopes: Option<Vec<AppScope>>,
    pub events: Option<Vec<String>>,
    pub ability: Option<Ability>,
    pub remark: Option<VersionRemark>,
}

impl AppVersion {
    pub fn status(&self) -> VersionStatus {
        self.status
            .map_or(VersionStatus::Unknown, VersionStatus::from_code)
    }

    /// Creation time as seconds, when given (the platform sends strings).
    pub fn created(&self) -> i64 {
        match &self.create_time {
            Some(Value::String(s)) => s.parse().unwrap_or(0),
            Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
            _ => 0,
        }
    }
}

/// One page of versions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct VersionPage {
    pub items: Vec<AppVersion>,
    pub has_more: bool,
    pub page_token: Option<String>,
}

/// The app's grant state of one scope (`GET /application/v6/scopes`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct ScopeGrant {
    pub scope_name: String,
    /// 1 granted, 2 not granted.
    pub grant_status: i64,
    pub scope_type: Option<String>,
}

impl ScopeGrant {
    pub fn granted(&self) -> bool {
        self.grant_status == 1
    }
}

/// `PATCH /application/v7/applications/:app_id/ability`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AbilityPatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web_app: Option<WebAppPatch>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotPatch>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct WebAppPatch {
    pub enable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pc_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile_url: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BotPatch {
    pub enable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_card_callback_url: Option<String>,
}

impl AbilityPatch {
    pub fn is_empty(&self) -> bool {
        self.web_app.is_none() && self.bot.is_none()
    }
}

/// `PATCH /application/v7/applications/:app_id/config`, built field by field. Not `Serialize`:
/// the encryption strategy carries secrets, so the body is made by [`ConfigPatch::body`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConfigPatch {
    /// `(scope_name, token_type)`.
    pub add_scopes: Vec<(String, String)>,
    /// `subscription_type`, `request_url`, events to add.
    pub event: Option<SubscriptionPatch>,
    pub callback: Option<SubscriptionPatch>,
    pub add_redirect_urls: Vec<String>,
    pub encryption: Option<(Secret, Secret)>,
}

/// The event or callback part of a config patch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubscriptionPatch {
    /// `webhook` or `websocket`.
    pub kind: Option<String>,
    pub request_url: Option<String>,
    pub add: Vec<String>,
}

impl ConfigPatch {
    pub fn is_empty(&self) -> bool {
        self.add_scopes.is_empty()
            && self.event.is_none()
            && self.callback.is_none()
            && self.add_redirect_urls.is_empty()
            && self.encryption.is_none()
    }

    /// The request body (exposes the encryption secrets: send it, never log it).
    pub fn body(&self) -> Value {
        let mut body = serde_json::Map::new();
        if !self.add_scopes.is_empty() {
            let scopes: Vec<Value> = self
                .add_scopes
                .iter()
                .map(|(name, token)| json!({"scope_name": name, "token_type": token}))
                .collect();
            body.insert("scope".into(), json!({"add_scopes": scopes}));
        }
        let subscription = |patch: &SubscriptionPatch, kind: &str, url: &str, add: &str| {
            let mut part = serde_json::Map::new();
            if let Some(k) = &patch.kind {
                part.insert(kind.into(), json!(k));
            }
            if let Some(u) = &patch.request_url {
                part.insert(url.into(), json!(u));
            }
            if !patch.add.is_empty() {
                part.insert(add.into(), json!(patch.add));
            }
            Value::Object(part)
        };
        if let Some(event) = &self.event {
            let part = subscription(event, "subscription_type", "request_url", "add_events");
            body.insert("event".into(), part);
        }
        if let Some(callback) = &self.callback {
            let part = subscription(callback, "callback_type", "request_url", "add_callbacks");
            body.insert("callback".into(), part);
        }
        if !self.add_redirect_urls.is_empty() {
            body.insert(
                "security".into(),
                json!({"add": {"redirect_urls": self.add_redirect_urls}}),
            );
        }
        if let Some((key, token)) = &self.encryption {
            body.insert(
                "event_and_callback_encrypt_strategy".into(),
                json!({"encryption_key": key.expose(), "verification_token": token.expose()}),
            );
        }
        Value::Object(body)
    }
}

/// `PATCH /application/v7/applications/:app_id/base`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BasePatch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avatar_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage_url: Option<String>,
}

/// `POST /application/v7/applications/:app_id/publish`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PublishRequest {
    pub remark: String,
    pub changelog: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// What publishing created.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Published {
    pub version_id: String,
    pub version: Option<String>,
}

impl Client {
    /// `/open-apis/application/{suffix}` with `:app_id` filled in.
    fn app_url(&self, suffix: &str) -> url::Url {
        let id = url::form_urlencoded::byte_serialize(self.app_id().as_bytes()).collect::<String>();
        self.url(&format!("/open-apis/application/{suffix}").replace(":app_id", &id))
    }

    /// The app's configuration (`lang`: `zh_cn`, `en_us` or `ja_jp`).
    pub async fn application(&self, lang: &str) -> Result<AppInfo, ApiError> {
        let endpoint = Endpoint::ApplicationGet;
        let mut url = self.app_url("v6/applications/:app_id");
        url.query_pairs_mut().append_pair("lang", lang);
        let answer = self.call(endpoint, None, url, None).await?;
        let data: Value = payload(answer, &["data"], "application")?;
        payload(data, &["app"], "application")
    }

    /// One page of the app's versions, newest first.
    pub async fn app_versions(&self, page_token: Option<&str>) -> Result<VersionPage, ApiError> {
        let endpoint = Endpoint::AppVersionsList;
        let mut url = self.app_url("v6/applications/:app_id/app_versions");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("lang", "en_us")
                .append_pair("page_size", "20")
                .append_pair("order", "1");
            if let Some(token) = page_token {
                q.append_pair("page_token", token);
            }
        }
        let answer = self.call(endpoint, None, url, None).await?;
        payload(answer, &["data"], "app versions")
    }

    /// One version.
    pub async fn app_version(&self, version_id: &str) -> Result<AppVersion, ApiError> {
        let endpoint = Endpoint::AppVersionGet;
        let id: String = url::form_urlencoded::byte_serialize(version_id.as_bytes()).collect();
        let mut url = self.app_url(&format!("v6/applications/:app_id/app_versions/{id}"));
        url.query_pairs_mut().append_pair("lang", "en_us");
        let answer = self.call(endpoint, None, url, None).await?;
        let data: Value = payload(answer, &["data"], "app version")?;
        payload(data, &["app_version"], "app version")
    }

    /// The app's scopes and whether each is granted.
    pub async fn scope_grants(&self) -> Result<Vec<ScopeGrant>, ApiError> {
        let endpoint = Endpoint::ScopesList;
        let answer = self
            .call(endpoint, None, self.url(endpoint.path_template()), None)
            .await?;
        #[derive(Deserialize)]
        struct Page {
            #[serde(default)]
            scopes: Vec<ScopeGrant>,
        }
        payload::<Page>(answer, &["data"], "scopes").map(|p| p.scopes)
    }

    /// Asks the tenant admin to grant the scopes that need approval.
    pub async fn apply_scopes(&self) -> Result<(), ApiError> {
        let endpoint = Endpoint::ScopesApply;
        self.call(
            endpoint,
            None,
            self.url(endpoint.path_template()),
            Some(&json!({})),
        )
        .await
        .map(drop)
    }

    pub async fn patch_ability(&self, patch: &AbilityPatch) -> Result<(), ApiError> {
        let endpoint = Endpoint::AbilityPatch;
        let url = self.app_url("v7/applications/:app_id/ability");
        let body = serde_json::to_value(patch).expect("ability patch serializes");
        self.call(endpoint, None, url, Some(&body)).await.map(drop)
    }

    pub async fn patch_config(&self, patch: &ConfigPatch) -> Result<(), ApiError> {
        let endpoint = Endpoint::ConfigPatch;
        let url = self.app_url("v7/applications/:app_id/config");
        self.call(endpoint, None, url, Some(&patch.body()))
            .await
            .map(drop)
    }

    pub async fn patch_base(&self, patch: &BasePatch) -> Result<(), ApiError> {
        let endpoint = Endpoint::BasePatch;
        let url = self.app_url("v7/applications/:app_id/base");
        let body = serde_json::to_value(patch).expect("base patch serializes");
        self.call(endpoint, None, url, Some(&body)).await.map(drop)
    }

    /// Creates a version from the pending changes (if none is pending) and submits it.
    pub async fn publish(&self, request: &PublishRequest) -> Result<Published, ApiError> {
        let endpoint = Endpoint::Publish;
        let url = self.app_url("v7/applications/:app_id/publish");
        let body = serde_json::to_value(request).expect("publish request serializes");
        let answer = self.call(endpoint, None, url, Some(&body)).await?;
        payload(answer, &["data"], "publish")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_fields_stay_unknown_and_empty_ids_are_none() {
        let app: AppInfo = serde_json::from_value(json!({
            "app_id": "cli_1", "online_version_id": "oav_1", "unaudit_version_id": "",
            "encryption": {"encryption_key": "k", "verification_token": "t"}
        }))
        .unwrap();
        assert_eq!(app.online_version_id.as_deref(), Some("oav_1"));
        assert!(!app.under_review());
        assert!(app.event.is_none() && app.callbacks().is_none() && app.redirects().is_none());
        assert!(app.console_made());
        assert!(!format!("{app:?}").contains("\"k\""));
        let base: AppInfo =
            serde_json::from_value(json!({"app_id": "x", "create_source": "base"})).unwrap();
        assert!(!base.console_made());
    }

    #[test]
    fn config_body_has_only_what_changes() {
        let patch = ConfigPatch {
            add_scopes: vec![("im:chat".into(), "tenant".into())],
            callback: Some(SubscriptionPatch {
                kind: Some("webhook".into()),
                request_url: Some("https://relay.example/callback".into()),
                add: vec!["card.action.trigger".into()],
            }),
            encryption: Some((Secret::new("key"), Secret::new("token"))),
            ..ConfigPatch::default()
        };
        assert_eq!(
            patch.body(),
            json!({
                "scope": {"add_scopes": [{"scope_name": "im:chat", "token_type": "tenant"}]},
                "callback": {"callback_type": "webhook", "request_url": "https://relay.example/callback",
                             "add_callbacks": ["card.action.trigger"]},
                "event_and_callback_encrypt_strategy": {"encryption_key": "key", "verification_token": "token"}
            })
        );
        assert!(!format!("{patch:?}").contains("\"key\""));
        assert!(ConfigPatch::default().is_empty());
    }
}
