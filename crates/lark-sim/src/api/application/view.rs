//! The JSON shapes of the v6 reads, field for field as the SDK models name them
//! (lark-oapi `application/v6/model`, node-sdk `types/index.d.ts`).

use serde_json::{json, Map, Value};

use crate::application::{AppProfile, AppVersion, Settings, VersionStatus};
use crate::tenant::AppCredentials;

/// Name and description in `lang`, from the i18n entries, else the defaults.
fn localized(settings: &Settings, lang: &str) -> (String, String) {
    match settings.i18n.iter().find(|i| i.i18n_key == lang) {
        Some(entry) => (
            if entry.name.is_empty() {
                settings.app_name.clone()
            } else {
                entry.name.clone()
            },
            if entry.description.is_empty() {
                settings.description.clone()
            } else {
                entry.description.clone()
            },
        ),
        None => (settings.app_name.clone(), settings.description.clone()),
    }
}

fn scopes(settings: &Settings) -> Vec<Value> {
    settings
        .scopes
        .iter()
        .map(|(name, types)| {
            json!({
                "scope": name,
                "description": "",
                "level": 1,
                "token_types": types.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect()
}

fn i18n(settings: &Settings) -> Vec<Value> {
    settings
        .i18n
        .iter()
        .map(|i| {
            json!({"i18n_key": i.i18n_key, "name": i.name, "description": i.description, "help_use": i.help_use})
        })
        .collect()
}

fn secs(ms: i64) -> String {
    (ms / 1000).to_string()
}

/// `data.app` of `GET /open-apis/application/v6/applications/:app_id`.
pub fn app(
    profile: &AppProfile,
    credentials: &AppCredentials,
    lang: &str,
    hide_request_urls: bool,
) -> Value {
    let current = &profile.current;
    let now = &profile.immediate;
    let (name, description) = localized(current, lang);
    let mut event = json!({
        "subscription_type": now.subscription_type,
        "subscribed_events": current.events,
    });
    let mut callback = json!({
        "callback_type": now.callback_type,
        "subscribed_callbacks": current.callbacks,
    });
    if !hide_request_urls {
        event["request_url"] = json!(now.event_request_url);
        callback["request_url"] = json!(now.callback_request_url);
    }
    let mut app = json!({
        "app_id": profile.app_id,
        "status": 1,
        "scene_type": 0,
        "payment_type": 0,
        "create_source": profile.create_source,
        "redirect_urls": now.redirect_urls,
        "online_version_id": profile.online().map(|v| v.version_id.clone()).unwrap_or_default(),
        "unaudit_version_id": profile.under_review().map(|v| v.version_id.clone()).unwrap_or_default(),
        "app_name": name,
        "avatar_url": current.avatar_url,
        "description": description,
        "scopes": scopes(current),
        "back_home_url": current.homepage_url,
        "i18n": i18n(current),
        "primary_language": profile.primary_language,
        "common_categories": [],
        "event": event,
        "callback_info": callback,
        "encryption": {
            "encryption_key": credentials.encrypt_key.clone().unwrap_or_default(),
            "verification_token": credentials.verification_token,
        },
        "security": {
            "redirect_urls": now.redirect_urls,
            "allowed_ips": now.allowed_ips,
            "h5_trusted_domains": now.h5_trusted_domains,
            "web_view_trusted_domains": now.web_view_trusted_domains,
            "allowed_schemas": now.allowed_schemas,
            "allowed_server_domains": now.allowed_server_domains,
        },
        "allow_refresh_token": now.allow_refresh_token,
    });
    if let Some(ability) = &current.pc_default_ability {
        app["pc_default_ability"] = json!(ability);
    }
    if let Some(ability) = &current.mobile_default_ability {
        app["mobile_default_ability"] = json!(ability);
    }
    app
}

/// One item of the versions list, or `data.app_version`.
pub fn version(
    profile: &AppProfile,
    version: &AppVersion,
    lang: &str,
    hide_request_urls: bool,
) -> Value {
    let settings = &version.settings;
    let (name, description) = localized(settings, lang);
    let mut ability = Map::new();
    if let Some(web) = &settings.web_app {
        ability.insert(
            "web_app".into(),
            json!({"pc_url": web.pc_url, "mobile_url": web.mobile_url}),
        );
    }
    if settings.bot {
        let mut bot = json!({});
        if !hide_request_urls {
            bot["card_request_url"] = json!(version.card_request_url);
        }
        ability.insert("bot".into(), bot);
    }
    let mut remark = json!({"remark": version.remark, "update_remark": version.update_remark});
    if let Some(visibility) = &settings.visibility {
        remark["visibility"] = json!({
            "is_all": visibility.is_visible_to_all,
            "visible_list": {
                "open_ids": visibility.user_ids,
                "department_ids": visibility.department_ids,
                "group_ids": visibility.group_ids,
            },
        });
    }
    let mut value = json!({
        "app_id": profile.app_id,
        "version": version.version,
        "version_id": version.version_id,
        "app_name": name,
        "avatar_url": settings.avatar_url,
        "description": description,
        "scopes": scopes(settings),
        "back_home_url": settings.homepage_url,
        "i18n": i18n(settings),
        "common_categories": [],
        "events": settings.events,
        "status": u8::from(version.status),
        "create_time": secs(version.create_time_ms),
        "ability": ability,
        "remark": remark,
        "event_infos": settings.events.iter().map(|e| json!({"event_type": e, "event_name": e, "event_description": ""})).collect::<Vec<_>>(),
    });
    if let Some(published) = version.publish_time_ms {
        value["publish_time"] = json!(secs(published));
    }
    if version.status == VersionStatus::Rejected {
        if let Some(reason) = &version.reject_reason {
            value["remark"]["reject_reason"] = json!(reason);
        }
    }
    value
}
