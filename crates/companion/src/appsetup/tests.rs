//! The plan's rules on plain values (the integration tests run the same against lark-sim).

use lark_platform::client::application::{AppInfo, AppVersion, ScopeGrant};
use lark_platform::secret::Secret;
use serde_json::json;

use super::plan::{plan, LocalKeys, Wanted};
use super::read::Snapshot;
use super::target::{OPTIONAL_SCOPES, REQUIRED_SCOPES};
use super::*;

const WEB: &str = "https://duty.example.com/feishu/web";
const REDIRECT: &str = "https://duty.example.com/feishu/redirect";
const CARD: &str = "https://duty.example.com/feishu/card";

fn wanted() -> Wanted {
    Wanted {
        urls: IntegrationUrls {
            web_config_url: Some(WEB.into()),
            redirect_url: Some(REDIRECT.into()),
            card_request_url: Some(CARD.into()),
        },
        keys: LocalKeys {
            can_store: true,
            ..LocalKeys::default()
        },
    }
}

fn grants(granted: &[&str]) -> Option<Vec<ScopeGrant>> {
    Some(
        granted
            .iter()
            .map(|s| ScopeGrant {
                scope_name: (*s).into(),
                grant_status: 1,
                scope_type: Some("tenant".into()),
            })
            .collect(),
    )
}

fn bare() -> Snapshot {
    Snapshot {
        app: Some(
            serde_json::from_value(json!({
                "app_id": "cli_0123456789abcdef", "create_source": "developer_console",
                "online_version_id": "oav_1", "unaudit_version_id": "",
                "scopes": [], "security": {"redirect_urls": []},
                "event": {"subscription_type": "websocket", "subscribed_events": []},
                "callback_info": {"callback_type": "websocket", "subscribed_callbacks": []},
                "encryption": {"encryption_key": "", "verification_token": "vt"}
            }))
            .unwrap(),
        ),
        app_error: None,
        newest: Some(
            serde_json::from_value(json!({"version_id": "oav_1", "status": 1, "ability": {}}))
                .unwrap(),
        ),
        online: None,
        versions_read: true,
        grants: grants(&[
            "application:application:self_manage",
            "application:application:patch",
        ]),
    }
}

fn configured() -> Snapshot {
    let mut snap = bare();
    snap.app = Some(
        serde_json::from_value::<AppInfo>(json!({
            "app_id": "cli_0123456789abcdef", "online_version_id": "oav_2",
            "scopes": [{"scope": "im:chat"}, {"scope": "im:message"},
                       {"scope": "contact:user.id:readonly"}, {"scope": "im:message.group_msg"}],
            "security": {"redirect_urls": [REDIRECT]},
            "event": {"subscription_type": "webhook", "request_url": CARD,
                      "subscribed_events": ["im.chat.disbanded_v1", "im.message.receive_v1"]},
            "callback_info": {"callback_type": "webhook", "request_url": CARD,
                              "subscribed_callbacks": ["card.action.trigger", "card.action.trigger_v1"]},
            "encryption": {"encryption_key": "ek", "verification_token": "vt"}
        }))
        .unwrap(),
    );
    let version: AppVersion = serde_json::from_value(json!({
        "version_id": "oav_2", "status": 1, "events": ["im.chat.disbanded_v1", "im.message.receive_v1"],
        "ability": {"web_app": {"pc_url": WEB, "mobile_url": WEB}, "bot": {"card_request_url": CARD}}
    }))
    .unwrap();
    snap.newest = Some(version.clone());
    snap.online = Some(version);
    let mut all = vec![
        "application:application:self_manage",
        "application:application:patch",
    ];
    all.extend(REQUIRED_SCOPES);
    all.extend(OPTIONAL_SCOPES);
    snap.grants = grants(&all);
    snap
}

fn keys(ek: &str, vt: &str) -> LocalKeys {
    LocalKeys {
        encrypt_key: Some(Secret::new(ek)),
        verification_token: Some(Secret::new(vt)),
        can_store: true,
    }
}

#[test]
fn a_bare_app_plans_every_item() {
    let plan = plan(&bare(), &wanted());
    let ids: std::collections::BTreeSet<String> =
        plan.pending().map(|i| format!("{:?}", i.id)).collect();
    for id in <ItemId as strum::IntoEnumIterator>::iter() {
        assert!(
            ids.contains(&format!("{id:?}")),
            "{id:?} missing from {ids:?}"
        );
    }
    assert_eq!(plan.pending().filter(|i| i.id == ItemId::Scope).count(), 4);
    assert!(plan.has_changes() && plan.needs_publish());
    let bot = plan.items.iter().find(|i| i.id == ItemId::Bot).unwrap();
    assert_eq!(
        (bot.action, bot.effect, bot.blocking),
        (Action::Add, Effect::AfterPublish, true)
    );
    let redirect = plan
        .items
        .iter()
        .find(|i| i.id == ItemId::RedirectUrl)
        .unwrap();
    assert_eq!(redirect.effect, Effect::AtOnce);
    assert_eq!(redirect.api, "application.v7.config.patch");
}

#[test]
fn a_configured_app_plans_nothing_and_a_different_url_is_a_change() {
    let mut w = wanted();
    w.keys = keys("ek", "vt");
    let done = plan(&configured(), &w);
    assert!(
        !done.has_changes(),
        "{:#?}",
        done.pending().collect::<Vec<_>>()
    );
    assert!(!done.needs_publish());
    w.urls.card_request_url = Some("https://other.example.com/card".into());
    let changed = plan(&configured(), &w);
    let item = changed
        .items
        .iter()
        .find(|i| i.id == ItemId::CallbackUrl)
        .unwrap();
    assert_eq!(item.action, Action::Change);
    assert_eq!(item.current, Current::Value { text: CARD.into() });
}

#[test]
fn without_the_patch_scope_changes_are_not_allowed_and_name_it() {
    let mut snap = bare();
    snap.grants = grants(&["application:application:self_manage"]);
    let plan = plan(&snap, &wanted());
    assert_eq!(plan.pending().count(), 0);
    let bot = plan.items.iter().find(|i| i.id == ItemId::Bot).unwrap();
    assert_eq!(bot.action, Action::NotAllowed);
    assert_eq!(
        bot.blocker,
        Some(Blocker::MissingScope {
            scope: "application:application:patch".into()
        })
    );
    assert!(plan.has_changes());
}

#[test]
fn under_review_and_not_console_made_block_every_write() {
    let mut snap = bare();
    snap.app.as_mut().unwrap().unaudit_version_id = Some("oav_9".into());
    let p = plan(&snap, &wanted());
    assert!(p.under_review && p.pending().count() == 0);
    assert!(p
        .items
        .iter()
        .filter(|i| i.action == Action::NotAllowed)
        .all(|i| i.blocker == Some(Blocker::UnderReview)));
    let mut snap = bare();
    snap.app.as_mut().unwrap().create_source = Some("base".into());
    let p = plan(&snap, &wanted());
    assert!(!p.console_made && p.pending().count() == 0);
}

#[test]
fn what_the_platform_does_not_return_is_unknown_not_unset() {
    let mut snap = bare();
    snap.app = Some(serde_json::from_value(json!({"app_id": "cli_0123456789abcdef"})).unwrap());
    snap.versions_read = false;
    let p = plan(&snap, &wanted());
    for id in [
        ItemId::Bot,
        ItemId::WebApp,
        ItemId::RedirectUrl,
        ItemId::CallbackUrl,
        ItemId::Encryption,
    ] {
        let item = p.items.iter().find(|i| i.id == id).unwrap();
        assert_eq!(
            (item.current.clone(), item.action),
            (Current::Unknown, Action::CantTell),
            "{id:?}"
        );
    }
    // A read refused for a scope names the scope.
    let mut snap = bare();
    snap.app = None;
    snap.app_error = Some(lark_platform::client::ApiError::MissingScopes {
        code: 99991672,
        scopes: vec![],
        console_link: None,
    });
    assert_eq!(
        plan(&snap, &wanted()).missing_read_scope.as_deref(),
        Some("application:application:self_manage")
    );
}

#[test]
fn missing_urls_are_named_and_keys_are_compared_without_showing_them() {
    let mut w = wanted();
    w.urls.web_config_url = None;
    let p = plan(&bare(), &w);
    let web = p.items.iter().find(|i| i.id == ItemId::WebApp).unwrap();
    assert_eq!(
        web.blocker,
        Some(Blocker::MissingInput {
            field: "webConfigUrl".into()
        })
    );

    let mut w = wanted();
    w.keys = keys("ours", "vt");
    let p = plan(&configured(), &w);
    let enc = p.items.iter().find(|i| i.id == ItemId::Encryption).unwrap();
    assert_eq!(enc.action, Action::Mismatch);
    let text = serde_json::to_string(&p).unwrap();
    assert!(!text.contains("\"ours\"") && !text.contains("\"ek\""));
    // No keys here and the app has both: copying them into the keychain needs no API.
    let p = plan(&configured(), &wanted());
    let enc = p.items.iter().find(|i| i.id == ItemId::Encryption).unwrap();
    assert_eq!((enc.action, enc.api.as_str()), (Action::Add, "keychain"));
}

#[test]
fn urls_must_be_https_and_each_in_its_own_field() {
    let ok = checked_urls(wanted().urls).unwrap();
    assert_eq!(ok.card_request_url.as_deref(), Some(CARD));
    let mut urls = wanted().urls;
    urls.redirect_url = Some("http://duty.example.com/r".into());
    assert!(matches!(checked_urls(urls), Err(e) if e.field().as_deref() == Some("redirectUrl")));
    let mut urls = wanted().urls;
    urls.card_request_url = Some(WEB.into());
    assert!(matches!(checked_urls(urls), Err(e) if e.field().as_deref() == Some("cardRequestUrl")));
    let local = IntegrationUrls {
        card_request_url: Some("http://127.0.0.1:9400/callback".into()),
        ..IntegrationUrls::default()
    };
    assert!(checked_urls(local).is_ok());
}

/// The CLI's changelog names each waiting item the way the window's English does.
#[test]
fn the_changelog_names_items_in_the_catalogues_english() {
    let text = super::publish::changelog(&plan(&bare(), &wanted()));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Lark Companion: settings for the alert integration"
    );
    assert!(lines.contains(&"- Bot"), "{text}");
    assert!(lines.contains(&"- Web App homepage"), "{text}");
    assert!(lines.contains(&"- Scope im:chat"), "{text}");
}
