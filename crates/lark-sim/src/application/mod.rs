//! What the application API (v6 reads, v7 writes) knows about each app of the tenant, apart from
//! its credentials, bot and granted scopes (those live in [`crate::tenant`], where the IM APIs
//! read them).
//!
//! The model follows the console's: an app has a *current configuration* ([`Settings`]: what
//! the next version will publish), a few settings that take effect the moment they are saved
//! ([`Immediate`]: request URLs, redirect URLs, IP lists, subscription modes), and a list of
//! versions. A write whose effect needs publishing changes the current configuration and the
//! pending *draft* version (status 4, "not submitted"), created by the first such write; a client
//! reads the newest version of any status to see what will be published. Publishing submits the
//! draft (or a version made from the current configuration): it goes online at once or waits
//! under review, per `/_sim/config` `publish_review`. Going online is what changes the tenant:
//! granted scopes become the version's, the bot follows the bot ability.

pub mod control;
pub mod version;

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::state::Inner;
pub use version::{next_version, AppVersion, VersionStatus};

/// `create_source` of apps made in the developer console; only those may be changed by API.
pub const DEVELOPER_CONSOLE: &str = "developer_console";

/// Whose identity a scope is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenType {
    Tenant,
    User,
}

impl TokenType {
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "tenant" => Some(Self::Tenant),
            "user" => Some(Self::User),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tenant => "tenant",
            Self::User => "user",
        }
    }
}

/// The web app ability.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct WebApp {
    pub pc_url: String,
    pub mobile_url: String,
    pub pc_new_page_open_mode: String,
}

/// Who can use the app (the version's availability).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Visibility {
    pub is_visible_to_all: bool,
    pub user_ids: Vec<String>,
    pub department_ids: Vec<String>,
    pub group_ids: Vec<String>,
}

/// Name and description in one language.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct I18nInfo {
    pub i18n_key: String,
    pub name: String,
    pub description: String,
    pub help_use: String,
}

/// What a version publishes.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Settings {
    pub app_name: String,
    pub description: String,
    pub avatar_url: String,
    pub homepage_url: String,
    pub i18n: Vec<I18nInfo>,
    /// Requested scopes and the identities they are requested for.
    pub scopes: BTreeMap<String, BTreeSet<TokenType>>,
    pub events: BTreeSet<String>,
    pub callbacks: BTreeSet<String>,
    pub bot: bool,
    pub web_app: Option<WebApp>,
    /// `None` until a write sets it (then going online applies it).
    pub visibility: Option<Visibility>,
    pub contacts_range_type: Option<String>,
    pub pc_default_ability: Option<String>,
    pub mobile_default_ability: Option<String>,
}

impl Settings {
    /// Requested scopes for one identity.
    pub fn scopes_for(&self, token_type: TokenType) -> BTreeSet<String> {
        self.scopes
            .iter()
            .filter(|(_, types)| types.contains(&token_type))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Adds a scope for an identity (idempotent).
    pub fn add_scope(&mut self, name: &str, token_type: TokenType) {
        self.scopes
            .entry(name.to_string())
            .or_default()
            .insert(token_type);
    }

    /// Removes a scope for an identity; the scope goes when no identity is left.
    pub fn remove_scope(&mut self, name: &str, token_type: TokenType) {
        if let Some(types) = self.scopes.get_mut(name) {
            types.remove(&token_type);
            if types.is_empty() {
                self.scopes.remove(name);
            }
        }
    }
}

/// Settings that take effect when saved, without a version.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Immediate {
    /// `websocket` or `webhook`.
    pub subscription_type: String,
    pub event_request_url: String,
    /// `websocket` or `webhook`.
    pub callback_type: String,
    pub callback_request_url: String,
    /// The bot's `message_card_callback_url` (legacy card callbacks).
    pub card_request_url: String,
    pub redirect_urls: Vec<String>,
    pub allowed_ips: Vec<String>,
    pub h5_trusted_domains: Vec<String>,
    pub web_view_trusted_domains: Vec<String>,
    pub allowed_schemas: Vec<String>,
    pub allowed_server_domains: Vec<String>,
    pub allow_refresh_token: bool,
}

/// The application API's view of one app.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct AppProfile {
    pub app_id: String,
    /// `developer_console` unless a test says otherwise (`/_sim/config` `apps`).
    pub create_source: String,
    pub primary_language: String,
    /// The configuration the next version will publish (draft changes included).
    pub current: Settings,
    pub immediate: Immediate,
    /// Granted user-identity scopes (tenant-identity ones are in the tenant).
    pub granted_user_scopes: BTreeSet<String>,
    /// Oldest first.
    pub versions: Vec<AppVersion>,
    /// `POST /scopes/apply` calls per online version id.
    pub scope_applies: BTreeMap<String, u32>,
}

/// The events and callbacks a primary app starts with: what the integration guide subscribes.
pub const PRIMARY_EVENTS: &[&str] = &["im.message.receive_v1"];
pub const PRIMARY_CALLBACKS: &[&str] = &["card.action.trigger"];

impl AppProfile {
    /// A profile whose current configuration is `settings`, with one online version "1.0.0"
    /// holding it, both subscriptions on the long connection and no request URLs.
    pub fn new(app_id: &str, settings: Settings, version_id: String, now_ms: i64) -> Self {
        let version = AppVersion {
            version_id,
            version: "1.0.0".to_string(),
            status: VersionStatus::Online,
            create_time_ms: now_ms,
            publish_time_ms: Some(now_ms),
            settings: settings.clone(),
            card_request_url: String::new(),
            remark: String::new(),
            update_remark: String::new(),
            reject_reason: None,
        };
        Self {
            app_id: app_id.to_string(),
            create_source: DEVELOPER_CONSOLE.to_string(),
            primary_language: "zh_cn".to_string(),
            current: settings,
            immediate: Immediate {
                subscription_type: "websocket".to_string(),
                callback_type: "websocket".to_string(),
                ..Immediate::default()
            },
            granted_user_scopes: BTreeSet::new(),
            versions: vec![version],
            scope_applies: BTreeMap::new(),
        }
    }

    /// The settings of an app the simulator starts with: its granted scopes requested for the
    /// tenant identity, the guide's event and callback, the bot on.
    pub fn primary_settings(name: &str, granted: &BTreeSet<String>) -> Settings {
        let mut settings = Settings {
            app_name: name.to_string(),
            bot: true,
            events: PRIMARY_EVENTS.iter().map(|e| e.to_string()).collect(),
            callbacks: PRIMARY_CALLBACKS.iter().map(|c| c.to_string()).collect(),
            ..Settings::default()
        };
        for scope in granted {
            settings.add_scope(scope, TokenType::Tenant);
        }
        settings
    }

    pub fn is_console_app(&self) -> bool {
        self.create_source == DEVELOPER_CONSOLE
    }

    /// The version under review, if any.
    pub fn under_review(&self) -> Option<&AppVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::UnderReview)
    }

    /// The version online now: the newest approved one.
    pub fn online(&self) -> Option<&AppVersion> {
        self.versions
            .iter()
            .rev()
            .find(|v| v.status == VersionStatus::Online)
    }

    pub fn find_version(&self, version_id: &str) -> Option<&AppVersion> {
        self.versions.iter().find(|v| v.version_id == version_id)
    }

    /// Makes the pending draft hold the current configuration, creating the draft (status 4)
    /// with the next version number when there is none.
    pub fn sync_draft(&mut self, new_version_id: impl FnOnce() -> String, now_ms: i64) {
        let current = self.current.clone();
        if let Some(draft) = self
            .versions
            .iter_mut()
            .rev()
            .find(|v| v.status == VersionStatus::Draft)
        {
            draft.settings = current;
            return;
        }
        let version = next_version(&self.versions);
        self.versions.push(AppVersion {
            version_id: new_version_id(),
            version,
            status: VersionStatus::Draft,
            create_time_ms: now_ms,
            publish_time_ms: None,
            settings: current,
            card_request_url: self.immediate.card_request_url.clone(),
            remark: String::new(),
            update_remark: String::new(),
            reject_reason: None,
        });
    }

    /// Sets the bot's card request URL, now and in the newest version (which shows it).
    pub fn set_card_request_url(&mut self, url: &str) {
        self.immediate.card_request_url = url.to_string();
        if let Some(newest) = self.versions.last_mut() {
            newest.card_request_url = url.to_string();
        }
    }

    /// Submits the draft, or a version made from the current configuration when there is none;
    /// answers its index. The caller decides between online and under review.
    pub fn submit(
        &mut self,
        submission: Submission,
        new_version_id: impl FnOnce() -> String,
        now_ms: i64,
    ) -> usize {
        self.sync_draft(new_version_id, now_ms);
        let index = self
            .versions
            .iter()
            .rposition(|v| v.status == VersionStatus::Draft)
            .unwrap_or(self.versions.len().saturating_sub(1));
        let version = &mut self.versions[index];
        if let Some(number) = submission.version.filter(|v| !v.is_empty()) {
            version.version = number;
        }
        version.remark = submission.remark;
        version.update_remark = submission.changelog;
        if submission.pc_default_ability.is_some() {
            version.settings.pc_default_ability = submission.pc_default_ability;
        }
        if submission.mobile_default_ability.is_some() {
            version.settings.mobile_default_ability = submission.mobile_default_ability;
        }
        version.status = VersionStatus::UnderReview;
        self.current.pc_default_ability = version.settings.pc_default_ability.clone();
        self.current.mobile_default_ability = version.settings.mobile_default_ability.clone();
        index
    }
}

/// What `POST .../publish` submits.
#[derive(Clone, Debug, Default)]
pub struct Submission {
    pub version: Option<String>,
    pub remark: String,
    pub changelog: String,
    pub pc_default_ability: Option<String>,
    pub mobile_default_ability: Option<String>,
}

/// Puts a version online and makes the tenant follow it: granted scopes become the version's
/// requested ones, the bot follows the bot ability (and takes the app's name), and for the
/// primary app a set availability decides who can receive its messages.
pub fn go_online(inner: &mut Inner, app_id: &str, index: usize, now_ms: i64) {
    let Some(profile) = inner.profiles.get_mut(app_id) else {
        return;
    };
    let Some(version) = profile.versions.get_mut(index) else {
        return;
    };
    version.status = VersionStatus::Online;
    version.publish_time_ms = Some(now_ms);
    version.reject_reason = None;
    let settings = version.settings.clone();
    profile.granted_user_scopes = settings.scopes_for(TokenType::User);
    let Some(app) = inner.tenant.find_app_mut(app_id) else {
        return;
    };
    *app.scopes = settings.scopes_for(TokenType::Tenant);
    app.bot.enabled = settings.bot;
    if !settings.app_name.is_empty() {
        app.bot.app_name.clone_from(&settings.app_name);
    }
    let primary = app.primary;
    if let (true, Some(visibility)) = (primary, settings.visibility) {
        for user in &mut inner.tenant.users {
            user.available = visibility.is_visible_to_all
                || visibility.user_ids.iter().any(|id| id == &user.open_id);
        }
    }
}

/// What the console's "save and publish" on the scopes page does (`/_sim/config` `scopes`):
/// the app's tenant-identity scopes become `scopes`, granted, requested in the current
/// configuration and in the online version alike (user-identity scopes stay as they are).
pub fn console_grant(inner: &mut Inner, app_id: &str, scopes: &BTreeSet<String>) {
    if let Some(app) = inner.tenant.find_app_mut(app_id) {
        app.scopes.clone_from(scopes);
    }
    let Some(profile) = inner.profiles.get_mut(app_id) else {
        return;
    };
    let replace = |settings: &mut Settings| {
        let old: Vec<String> = settings.scopes_for(TokenType::Tenant).into_iter().collect();
        for name in old {
            settings.remove_scope(&name, TokenType::Tenant);
        }
        for name in scopes {
            settings.add_scope(name, TokenType::Tenant);
        }
    };
    replace(&mut profile.current);
    for version in &mut profile.versions {
        if matches!(version.status, VersionStatus::Draft) {
            replace(&mut version.settings);
        }
    }
    if let Some(online) = profile
        .versions
        .iter_mut()
        .rev()
        .find(|v| v.status == VersionStatus::Online)
    {
        replace(&mut online.settings);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile() -> AppProfile {
        let granted = BTreeSet::from(["im:chat".to_string()]);
        AppProfile::new(
            "cli_test",
            AppProfile::primary_settings("Test", &granted),
            "oav_1".to_string(),
            1_000,
        )
    }

    #[test]
    fn the_first_write_makes_a_draft_and_later_ones_update_it() {
        let mut p = profile();
        assert_eq!(p.online().map(|v| v.version.as_str()), Some("1.0.0"));
        p.current.add_scope("im:message", TokenType::Tenant);
        p.sync_draft(|| "oav_2".to_string(), 2_000);
        p.current.events.insert("im.chat.disbanded_v1".to_string());
        p.sync_draft(|| unreachable!("one draft only"), 3_000);
        assert_eq!(p.versions.len(), 2);
        let draft = &p.versions[1];
        assert_eq!(
            (draft.version.as_str(), draft.status),
            ("1.0.1", VersionStatus::Draft)
        );
        assert!(draft.settings.events.contains("im.chat.disbanded_v1"));
        assert!(draft.settings.scopes.contains_key("im:message"));
        assert!(!p.versions[0].settings.scopes.contains_key("im:message"));
    }

    #[test]
    fn submitting_without_a_draft_makes_a_version_from_the_current_configuration() {
        let mut p = profile();
        let index = p.submit(
            Submission {
                version: Some("2.0.0".to_string()),
                remark: "r".to_string(),
                changelog: "c".to_string(),
                ..Submission::default()
            },
            || "oav_3".to_string(),
            5_000,
        );
        let submitted = &p.versions[index];
        assert_eq!(submitted.version, "2.0.0");
        assert_eq!(submitted.status, VersionStatus::UnderReview);
        assert_eq!(
            p.under_review().map(|v| v.version_id.as_str()),
            Some("oav_3")
        );
        assert_eq!(submitted.update_remark, "c");
    }

    #[test]
    fn scopes_are_per_identity() {
        let mut s = Settings::default();
        s.add_scope("a", TokenType::Tenant);
        s.add_scope("a", TokenType::User);
        s.remove_scope("a", TokenType::Tenant);
        assert_eq!(
            s.scopes_for(TokenType::User),
            BTreeSet::from(["a".to_string()])
        );
        assert!(s.scopes_for(TokenType::Tenant).is_empty());
        s.remove_scope("a", TokenType::User);
        assert!(s.scopes.is_empty());
    }
}
