//! The application API on the simulated app: v6 reads, v7 writes into the draft, publishing and
//! review, the refusals (scope, other app, non-console app, under review, validation) and the
//! two per-app ceilings.

use serde_json::{json, Value};

use crate::common::{start, Answer, Harness};

const SELF_MANAGE: &str = "application:application:self_manage";
const PATCH: &str = "application:application:patch";

/// A harness whose primary app may read and change itself, and its token.
async fn manageable() -> (Harness, String, String) {
    let h = start().await;
    h.grant(&[SELF_MANAGE, PATCH]).await;
    let token = h.token().await;
    let app_id = h.sim.app.app_id.clone();
    (h, token, app_id)
}

async fn app(h: &Harness, token: &str, app_id: &str) -> Value {
    let answer = h
        .get(
            &format!("/open-apis/application/v6/applications/{app_id}?lang=en_us"),
            Some(token),
        )
        .await;
    assert_eq!(answer.code(), 0, "{}", answer.body);
    answer.body["data"]["app"].clone()
}

async fn versions(h: &Harness, token: &str, app_id: &str, query: &str) -> Answer {
    h.get(
        &format!("/open-apis/application/v6/applications/{app_id}/app_versions?lang=zh_cn{query}"),
        Some(token),
    )
    .await
}

async fn v7(h: &Harness, token: &str, app_id: &str, what: &str, body: Value) -> Answer {
    h.patch(
        &format!("/open-apis/application/v7/applications/{app_id}/{what}"),
        Some(token),
        &body,
    )
    .await
}

async fn publish(h: &Harness, token: &str, app_id: &str, body: Value) -> Answer {
    h.post(
        &format!("/open-apis/application/v7/applications/{app_id}/publish"),
        Some(token),
        &body,
    )
    .await
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .filter_map(|v| {
            v.as_str()
                .map(String::from)
                .or_else(|| v["scope"].as_str().map(String::from))
        })
        .collect()
}

#[tokio::test]
async fn get_app_answers_the_sdk_shape() {
    let (h, token, app_id) = manageable().await;
    let data = app(&h, &token, &app_id).await;
    assert_eq!(data["app_id"], app_id.as_str());
    assert_eq!(data["app_name"], "Lark Companion Sandbox");
    assert_eq!(
        (data["status"].as_i64(), data["scene_type"].as_i64()),
        (Some(1), Some(0))
    );
    assert_eq!(data["create_source"], "developer_console");
    assert_eq!(data["primary_language"], "zh_cn");
    assert_eq!(data["unaudit_version_id"], "");
    assert!(data["online_version_id"]
        .as_str()
        .unwrap()
        .starts_with("oav_"));
    assert_eq!(data["online_version_id"].as_str().unwrap().len(), 36);
    let scope = &data["scopes"][0];
    assert!(
        scope["scope"].is_string()
            && scope["level"].is_number()
            && scope["description"].is_string()
    );
    assert_eq!(scope["token_types"], json!(["tenant"]));
    assert!(names(&data["scopes"]).contains(&"im:message".to_string()));
    assert_eq!(data["event"]["subscription_type"], "websocket");
    assert_eq!(
        data["event"]["subscribed_events"],
        json!(["im.message.receive_v1"])
    );
    assert_eq!(
        data["callback_info"]["subscribed_callbacks"],
        json!(["card.action.trigger"])
    );
    assert_eq!(
        data["encryption"]["encryption_key"],
        h.sim.app.encrypt_key.clone().unwrap().as_str()
    );
    assert_eq!(
        data["encryption"]["verification_token"],
        h.sim.app.verification_token.as_str()
    );
    assert_eq!(data["security"]["redirect_urls"], json!([]));
    assert!(data.get("secret").is_none(), "the secret is never returned");

    // lang is required and checked.
    let path = format!("/open-apis/application/v6/applications/{app_id}");
    let missing = h.get(&path, Some(&token)).await;
    assert_eq!((missing.status, missing.code()), (400, 99992402));
    assert_eq!(
        missing.body["error"]["field_violations"][0]["field"],
        "lang"
    );
    let wrong = h.get(&format!("{path}?lang=fr_fr"), Some(&token)).await;
    assert_eq!(wrong.code(), 99992402);
    assert_eq!(
        h.get(&format!("{path}?lang=zh_cn"), Some(&token))
            .await
            .code(),
        0
    );
    let stats = h.get("/_sim/stats", None).await.body;
    assert_eq!(stats["endpoints"]["application_get"]["ok"], 2);
    assert_eq!(
        stats["endpoints"]["application_get"]["rejected"]["99992402"],
        2
    );
}

#[tokio::test]
async fn reads_and_writes_need_their_scopes_and_only_touch_the_calling_app() {
    let h = start().await;
    let token = h.token().await;
    let app_id = h.sim.app.app_id.clone();
    let refused = h
        .get(
            &format!("/open-apis/application/v6/applications/{app_id}?lang=zh_cn"),
            Some(&token),
        )
        .await;
    assert_eq!((refused.status, refused.code()), (400, 99991672));
    let msg = refused.body["msg"].as_str().unwrap();
    assert!(msg.contains("Access denied. One of the following scopes is required: [application:application:self_manage, admin:app.info:readonly]"), "{msg}");
    assert_eq!(
        refused.body["error"]["permission_violations"][0]["subject"],
        SELF_MANAGE
    );
    let listed = versions(&h, &token, &app_id, "").await;
    assert_eq!(listed.code(), 99991672);
    assert!(listed.body["msg"]
        .as_str()
        .unwrap()
        .contains("application:application.app_version:readonly"));
    let write = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": true}}),
    )
    .await;
    assert_eq!(write.code(), 99991672);
    assert_eq!(
        write.body["error"]["permission_violations"][0]["subject"],
        PATCH
    );
    let published = publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
    assert_eq!(published.code(), 99991672);
    // The scopes list needs nothing more.
    let scopes = h
        .get("/open-apis/application/v6/scopes", Some(&token))
        .await;
    assert_eq!(scopes.code(), 0, "{}", scopes.body);
    let rows = scopes.body["data"]["scopes"].as_array().unwrap();
    assert!(
        rows.contains(&json!({"scope_name": "im:chat", "grant_status": 1, "scope_type": "tenant"}))
    );

    // admin:app.info:readonly reads the app, the version scope reads versions.
    h.grant(&[
        "admin:app.info:readonly",
        "application:application.app_version:readonly",
    ])
    .await;
    assert_eq!(
        h.get(
            &format!("/open-apis/application/v6/applications/{app_id}?lang=zh_cn"),
            Some(&token)
        )
        .await
        .code(),
        0
    );
    assert_eq!(versions(&h, &token, &app_id, "").await.code(), 0);

    // Another app's id in the path.
    h.grant(&[SELF_MANAGE, PATCH]).await;
    let other = "cli_0123456789abcdef";
    let read = h
        .get(
            &format!("/open-apis/application/v6/applications/{other}?lang=zh_cn"),
            Some(&token),
        )
        .await;
    assert_eq!((read.status, read.code()), (400, 210502));
    assert_eq!(
        v7(&h, &token, other, "config", json!({})).await.code(),
        210502
    );
}

#[tokio::test]
async fn writes_go_into_a_draft_that_publishing_puts_online() {
    let (h, token, app_id) = manageable().await;
    let before = app(&h, &token, &app_id).await;
    let online = before["online_version_id"].as_str().unwrap().to_string();

    let changed = v7(
        &h,
        &token,
        &app_id,
        "config",
        json!({
            "scope": {"add_scopes": [{"scope_name": "im:chat:readonly", "token_type": "tenant"}, {"scope_name": "contact:user.base:readonly", "token_type": "user"}],
                      "remove_scopes": [{"scope_name": "contact:user.id:readonly", "token_type": "tenant"}]},
            "event": {"subscription_type": "websocket", "add_events": ["im.chat.disbanded_v1"]},
            "callback": {"callback_type": "websocket", "add_callbacks": ["card.action.trigger"]},
            "security": {"add": {"redirect_urls": ["https://example.com/cb"], "allowed_ips": ["10.0.0.1"]}},
            "visibility": {"is_visible_to_all": true},
        }),
    )
    .await;
    assert_eq!(changed.code(), 0, "{}", changed.body);
    // Idempotent: the same PATCH again changes nothing and is fine.
    let again = v7(&h, &token, &app_id, "config", json!({"scope": {"add_scopes": [{"scope_name": "im:chat:readonly", "token_type": "tenant"}]}})).await;
    assert_eq!(again.code(), 0);

    // GET app shows the current configuration, draft included; redirect URLs took effect.
    let now = app(&h, &token, &app_id).await;
    let scopes = names(&now["scopes"]);
    assert!(scopes.contains(&"im:chat:readonly".to_string()));
    assert!(!scopes.contains(&"contact:user.id:readonly".to_string()));
    assert_eq!(
        now["event"]["subscribed_events"],
        json!(["im.chat.disbanded_v1", "im.message.receive_v1"])
    );
    assert_eq!(
        now["security"]["redirect_urls"],
        json!(["https://example.com/cb"])
    );
    assert_eq!(now["redirect_urls"], json!(["https://example.com/cb"]));
    assert_eq!(now["security"]["allowed_ips"], json!(["10.0.0.1"]));
    assert_eq!(
        now["online_version_id"],
        online.as_str(),
        "nothing published yet"
    );
    // ... but the tenant still runs the online version.
    assert!(!h.sim.tenant().scopes.contains("im:chat:readonly"));

    // The draft: newest first, status 4, holding the change.
    let listed = versions(&h, &token, &app_id, "").await;
    let items = listed.body["data"]["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 2);
    assert_eq!(
        (items[0]["status"].as_u64(), items[0]["version"].as_str()),
        (Some(4), Some("1.0.1"))
    );
    assert!(items[0].get("publish_time").is_none());
    assert!(names(&items[0]["scopes"]).contains(&"im:chat:readonly".to_string()));
    assert!(!names(&items[1]["scopes"]).contains(&"im:chat:readonly".to_string()));
    assert_eq!(items[1]["status"], 1);
    assert!(
        items[1]["publish_time"]
            .as_str()
            .unwrap()
            .parse::<i64>()
            .unwrap()
            > 1_600_000_000
    );
    let draft_id = items[0]["version_id"].as_str().unwrap().to_string();
    let oldest_first = versions(&h, &token, &app_id, "&order=1&page_size=1").await;
    assert_eq!(
        oldest_first.body["data"]["items"][0]["version_id"],
        online.as_str()
    );
    assert_eq!(oldest_first.body["data"]["has_more"], true);
    let token_page = oldest_first.body["data"]["page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let second = versions(
        &h,
        &token,
        &app_id,
        &format!("&order=1&page_size=1&page_token={token_page}"),
    )
    .await;
    assert_eq!(
        second.body["data"]["items"][0]["version_id"],
        draft_id.as_str()
    );
    assert_eq!(second.body["data"]["has_more"], false);

    // Publishing submits the draft and (by default) puts it online.
    let published = publish(
        &h,
        &token,
        &app_id,
        json!({"remark": "more scopes", "changelog": "adds im:chat:readonly"}),
    )
    .await;
    assert_eq!(published.code(), 0, "{}", published.body);
    assert_eq!(
        published.body["data"],
        json!({"version_id": draft_id, "version": "1.0.1"})
    );
    let got = h
        .get(&format!("/open-apis/application/v6/applications/{app_id}/app_versions/{draft_id}?lang=zh_cn"), Some(&token))
        .await;
    let version = &got.body["data"]["app_version"];
    assert_eq!(version["status"], 1);
    assert_eq!(version["remark"]["remark"], "more scopes");
    assert_eq!(version["remark"]["update_remark"], "adds im:chat:readonly");
    assert_eq!(version["remark"]["visibility"]["is_all"], true);
    assert_eq!(
        version["events"],
        json!(["im.chat.disbanded_v1", "im.message.receive_v1"])
    );
    assert_eq!(
        version["event_infos"][0]["event_type"],
        "im.chat.disbanded_v1"
    );
    assert!(version["ability"]["bot"].is_object());
    assert_eq!(
        app(&h, &token, &app_id).await["online_version_id"],
        draft_id.as_str()
    );
    let tenant = h.sim.tenant();
    assert!(
        tenant.scopes.contains("im:chat:readonly"),
        "granted = requested once online"
    );
    assert!(!tenant.scopes.contains("contact:user.id:readonly"));
    assert!(tenant.users.iter().all(|u| u.available), "visible to all");
    let scopes = h
        .get("/open-apis/application/v6/scopes", Some(&token))
        .await;
    assert!(scopes.body["data"]["scopes"].as_array().unwrap().contains(&json!({"scope_name": "contact:user.base:readonly", "grant_status": 1, "scope_type": "user"})));

    // Unknown version id.
    let missing = h
        .get(
            &format!(
                "/open-apis/application/v6/applications/{app_id}/app_versions/oav_0?lang=zh_cn"
            ),
            Some(&token),
        )
        .await;
    assert_eq!(missing.code(), 210504);
    // Publishing with nothing pending makes a version from the current configuration.
    let again = publish(
        &h,
        &token,
        &app_id,
        json!({"remark": "", "changelog": "", "version": "2.0.0"}),
    )
    .await;
    assert_eq!(again.body["data"]["version"], "2.0.0");
    let reused = publish(
        &h,
        &token,
        &app_id,
        json!({"remark": "", "changelog": "", "version": "2.0.0"}),
    )
    .await;
    assert_eq!(reused.code(), 99992402);
}

#[tokio::test]
async fn under_review_refuses_writes_until_approved_or_rejected() {
    let (h, token, app_id) = manageable().await;
    h.config(json!({"publish_review": true})).await;
    v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": false}}),
    )
    .await;
    let submitted = publish(
        &h,
        &token,
        &app_id,
        json!({"remark": "r", "changelog": "c"}),
    )
    .await;
    let version_id = submitted.body["data"]["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    let data = app(&h, &token, &app_id).await;
    assert_eq!(data["unaudit_version_id"], version_id.as_str());
    assert_ne!(data["online_version_id"], version_id.as_str());
    assert!(h.sim.tenant().bot.enabled, "not online yet");
    for (what, body) in [
        ("ability", json!({"bot": {"enable": true}})),
        (
            "config",
            json!({"event": {"subscription_type": "websocket"}}),
        ),
        ("base", json!({"avatar_url": "https://example.com/x.png"})),
    ] {
        let refused = v7(&h, &token, &app_id, what, body).await;
        assert_eq!(
            (refused.status, refused.code()),
            (400, 210040),
            "{what}: {}",
            refused.body
        );
        assert!(refused.body["msg"]
            .as_str()
            .unwrap()
            .contains("under review"));
    }
    assert_eq!(
        publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""}))
            .await
            .code(),
        210040
    );
    // Reads still work.
    let listed = versions(&h, &token, &app_id, "").await;
    assert_eq!(listed.body["data"]["items"][0]["status"], 3);

    let approved = h.post("/_sim/versions/approve", None, &json!({})).await;
    assert_eq!(approved.status, 200, "{}", approved.body);
    assert_eq!(approved.body["version_id"], version_id.as_str());
    assert_eq!(approved.body["status"], 1);
    let data = app(&h, &token, &app_id).await;
    assert_eq!(
        (
            data["online_version_id"].as_str(),
            data["unaudit_version_id"].as_str()
        ),
        (Some(version_id.as_str()), Some(""))
    );
    assert!(
        !h.sim.tenant().bot.enabled,
        "the bot follows the approved version"
    );
    let bot = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!(bot.code(), 230006);

    // Rejection: status 2, writes possible again, nothing applied.
    v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": true}}),
    )
    .await;
    let second = publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
    let second_id = second.body["data"]["version_id"]
        .as_str()
        .unwrap()
        .to_string();
    let rejected = h
        .post(
            "/_sim/versions/reject",
            None,
            &json!({"reason": "too broad"}),
        )
        .await;
    assert_eq!(rejected.body["status"], 2);
    let got = h
        .get(&format!("/open-apis/application/v6/applications/{app_id}/app_versions/{second_id}?lang=zh_cn"), Some(&token))
        .await;
    assert_eq!(got.body["data"]["app_version"]["status"], 2);
    assert!(!h.sim.tenant().bot.enabled);
    assert_eq!(app(&h, &token, &app_id).await["unaudit_version_id"], "");
    assert_eq!(
        v7(
            &h,
            &token,
            &app_id,
            "ability",
            json!({"bot": {"enable": true}})
        )
        .await
        .code(),
        0
    );
    let nothing = h.post("/_sim/versions/approve", None, &json!({})).await;
    assert_eq!(nothing.status, 404);
}

#[tokio::test]
async fn request_urls_take_effect_at_once_and_can_be_hidden() {
    let (h, token, app_id) = manageable().await;
    let saved = v7(
        &h,
        &token,
        &app_id,
        "config",
        json!({
            "event": {"subscription_type": "webhook", "request_url": "https://hooks.example.com/lark/events"},
            "callback": {"callback_type": "webhook", "request_url": "https://hooks.example.com/lark/cards"},
        }),
    )
    .await;
    assert_eq!(saved.code(), 0, "{}", saved.body);
    let ability = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"web_app": {"enable": true, "pc_url": "https://example.com/pc", "mobile_url": "https://example.com/m"},
               "bot": {"enable": true, "message_card_callback_url": "https://hooks.example.com/lark/legacy"}}),
    )
    .await;
    assert_eq!(ability.code(), 0, "{}", ability.body);
    let data = app(&h, &token, &app_id).await;
    assert_eq!(data["event"]["subscription_type"], "webhook");
    assert_eq!(
        data["event"]["request_url"],
        "https://hooks.example.com/lark/events"
    );
    assert_eq!(data["callback_info"]["callback_type"], "webhook");
    assert_eq!(
        data["callback_info"]["request_url"],
        "https://hooks.example.com/lark/cards"
    );
    let newest = versions(&h, &token, &app_id, "").await.body["data"]["items"][0].clone();
    assert_eq!(newest["status"], 4, "the web app needs publishing");
    assert_eq!(
        newest["ability"]["web_app"],
        json!({"pc_url": "https://example.com/pc", "mobile_url": "https://example.com/m"})
    );
    assert_eq!(
        newest["ability"]["bot"]["card_request_url"],
        "https://hooks.example.com/lark/legacy"
    );

    // Not reliably returned: the switch hides them.
    h.config(json!({"hide_request_urls": true})).await;
    let hidden = app(&h, &token, &app_id).await;
    assert!(hidden["event"].get("request_url").is_none());
    assert!(hidden["callback_info"].get("request_url").is_none());
    assert_eq!(hidden["event"]["subscription_type"], "webhook");
    let newest = versions(&h, &token, &app_id, "").await.body["data"]["items"][0].clone();
    assert!(newest["ability"]["bot"].get("card_request_url").is_none());

    // Validation: a request URL must be an absolute http(s) URL; nothing changes on refusal.
    for body in [
        json!({"event": {"subscription_type": "webhook", "request_url": "hooks.example.com/x"}}),
        json!({"callback": {"callback_type": "webhook", "request_url": "ftp://example.com/x"}}),
        json!({"event": {"subscription_type": "carrier-pigeon"}}),
        json!({"event": {"request_url": "https://example.com"}}),
        json!({"scope": {"add_scopes": [{"scope_name": "im:chat", "token_type": "robot"}]}}),
        json!({"visibility": {"visible_list": {"user_ids": []}}}),
        json!({"event_and_callback_encrypt_strategy": {"verification_token": ""}}),
    ] {
        let refused = v7(&h, &token, &app_id, "config", body.clone()).await;
        assert_eq!(
            (refused.status, refused.code()),
            (400, 99992402),
            "{body}: {}",
            refused.body
        );
        assert!(refused.body["error"]["field_violations"][0]["field"].is_string());
    }
    let bad_ability = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"message_card_callback_url": "https://x"}}),
    )
    .await;
    assert_eq!(bad_ability.code(), 99992402, "bot.enable is required");
    let bad_card = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": true, "message_card_callback_url": "not a url"}}),
    )
    .await;
    assert_eq!(bad_card.code(), 99992402);
    h.config(json!({"hide_request_urls": false})).await;
    let data = app(&h, &token, &app_id).await;
    assert_eq!(
        data["event"]["request_url"],
        "https://hooks.example.com/lark/events"
    );
}

#[tokio::test]
async fn the_encryption_strategy_and_base_info() {
    let (h, token, app_id) = manageable().await;
    let changed = v7(
        &h,
        &token,
        &app_id,
        "config",
        json!({"event_and_callback_encrypt_strategy": {"encryption_key": "new-key-0123456789", "verification_token": "new-token-0123456789"}}),
    )
    .await;
    assert_eq!(changed.code(), 0);
    let tenant = h.sim.tenant();
    assert_eq!(
        tenant.app.encrypt_key.as_deref(),
        Some("new-key-0123456789")
    );
    assert_eq!(tenant.app.verification_token, "new-token-0123456789");
    let data = app(&h, &token, &app_id).await;
    assert_eq!(
        data["encryption"],
        json!({"encryption_key": "new-key-0123456789", "verification_token": "new-token-0123456789"})
    );
    v7(
        &h,
        &token,
        &app_id,
        "config",
        json!({"event_and_callback_encrypt_strategy": {"encryption_key": ""}}),
    )
    .await;
    assert_eq!(
        h.sim.tenant().app.encrypt_key,
        None,
        "an empty key removes it"
    );

    let base = v7(
        &h,
        &token,
        &app_id,
        "base",
        json!({"i18ns": [{"i18n_key": "zh_cn", "name": "告警桥", "description": "把告警送进群"}, {"i18n_key": "en_us", "name": "Alert bridge", "description": "Alerts into chats"}],
               "avatar_url": "https://example.com/icon.png"}),
    )
    .await;
    assert_eq!(base.code(), 0, "{}", base.body);
    let en = app(&h, &token, &app_id).await;
    assert_eq!(en["app_name"], "Alert bridge");
    assert_eq!(en["avatar_url"], "https://example.com/icon.png");
    assert_eq!(en["i18n"].as_array().unwrap().len(), 2);
    let zh = h
        .get(
            &format!("/open-apis/application/v6/applications/{app_id}?lang=zh_cn"),
            Some(&token),
        )
        .await;
    assert_eq!(zh.body["data"]["app"]["app_name"], "告警桥");
    assert_eq!(zh.body["data"]["app"]["description"], "把告警送进群");
    assert_eq!(
        v7(
            &h,
            &token,
            &app_id,
            "base",
            json!({"i18ns": [{"name": "x"}]})
        )
        .await
        .code(),
        99992402
    );
    // Published, the bot takes the primary language's name.
    publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
    assert_eq!(h.sim.tenant().bot.app_name, "告警桥");
}

#[tokio::test]
async fn only_console_apps_can_be_changed_and_scopes_applied_ten_times_per_version() {
    let (h, token, app_id) = manageable().await;
    let empty = json!({});
    let apply = || {
        h.post(
            "/open-apis/application/v6/scopes/apply",
            Some(&token),
            &empty,
        )
    };
    for i in 0..10 {
        assert_eq!(apply().await.code(), 0, "apply {i}");
    }
    let exhausted = apply().await;
    assert_eq!((exhausted.status, exhausted.code()), (400, 210505));
    // A new version resets the count.
    publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
    assert_eq!(apply().await.code(), 0);

    h.config(json!({"apps": {app_id.clone(): {"create_source": "base"}}}))
        .await;
    let data = app(&h, &token, &app_id).await;
    assert_eq!(data["create_source"], "base");
    let refused = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": true}}),
    )
    .await;
    assert_eq!((refused.status, refused.code()), (400, 210503));
    assert_eq!(
        publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""}))
            .await
            .code(),
        210503
    );
    let unknown = h
        .post(
            "/_sim/config",
            None,
            &json!({"apps": {"cli_nope": {"create_source": "base"}}}),
        )
        .await;
    assert_eq!(unknown.status, 400);
}

#[tokio::test]
async fn ability_patches_are_capped_at_100_a_minute_and_publishing_at_20() {
    let (h, token, app_id) = manageable().await;
    h.config(json!({"clock_frozen": true, "limits": {"api_per_second": 1000}}))
        .await;
    for i in 0..100 {
        let ok = v7(
            &h,
            &token,
            &app_id,
            "ability",
            json!({"bot": {"enable": true}}),
        )
        .await;
        assert_eq!(ok.code(), 0, "patch {i}: {}", ok.body);
    }
    let limited = v7(
        &h,
        &token,
        &app_id,
        "ability",
        json!({"bot": {"enable": true}}),
    )
    .await;
    assert_eq!((limited.status, limited.code()), (429, 99991400));
    assert_eq!(
        limited.header("x-ogw-ratelimit-limit").as_deref(),
        Some("100")
    );
    assert_eq!(
        limited.header("x-ogw-ratelimit-reset").as_deref(),
        Some("60")
    );
    // Other writes are not behind that ceiling.
    assert_eq!(v7(&h, &token, &app_id, "config", json!({})).await.code(), 0);
    for i in 0..20 {
        let ok = publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
        assert_eq!(ok.code(), 0, "publish {i}: {}", ok.body);
    }
    let limited = publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""})).await;
    assert_eq!(limited.code(), 99991400);
    assert_eq!(
        limited.header("x-ogw-ratelimit-limit").as_deref(),
        Some("20")
    );
    h.config(json!({"advance_ms": 60_000})).await;
    assert_eq!(
        v7(
            &h,
            &token,
            &app_id,
            "ability",
            json!({"bot": {"enable": true}})
        )
        .await
        .code(),
        0
    );
    assert_eq!(
        publish(&h, &token, &app_id, json!({"remark": "", "changelog": ""}))
            .await
            .code(),
        0
    );
    let stats = h.get("/_sim/stats", None).await.body;
    assert_eq!(
        stats["endpoints"]["application_ability_patch"]["rejected"]["99991400"],
        1
    );
    assert_eq!(stats["endpoints"]["application_publish"]["ok"], 21);
}

#[tokio::test]
async fn each_app_reads_itself_with_its_own_token() {
    let h = start().await;
    // A second app, made by a registration that asks for self_manage.
    h.config(json!({"registration_interval_secs": 1})).await;
    let begun = h
        .form("/oauth/v1/app/registration", &[("action", "begin")])
        .await
        .body;
    let code = begun["user_code"].as_str().unwrap();
    let addons = lark_sim::registration::addons::encode(
        &serde_json::from_value(json!({"scopes": {"tenant": [SELF_MANAGE]}})).unwrap(),
    );
    let link = format!(
        "{}/app/scan?user_code={code}&addons={addons}&name=Second",
        h.sim.base_url
    );
    let second = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await
        .body["app_id"]
        .as_str()
        .unwrap()
        .to_string();
    let secret = h
        .sim
        .tenant()
        .find_app(&second)
        .unwrap()
        .app
        .app_secret
        .clone();
    let token = h.token_for(&second, &secret).await;
    assert_eq!(app(&h, &token, &second).await["app_name"], "Second");
    let primary = h.sim.app.app_id.clone();
    let other = h
        .get(
            &format!("/open-apis/application/v6/applications/{primary}?lang=zh_cn"),
            Some(&token),
        )
        .await;
    assert_eq!(other.code(), 210502);
    // The primary app's token is still the primary app's, and lacks the scope.
    let primary_token = h.token().await;
    assert_ne!(primary_token, token);
    let refused = h
        .get(
            &format!("/open-apis/application/v6/applications/{primary}?lang=zh_cn"),
            Some(&primary_token),
        )
        .await;
    assert_eq!(refused.code(), 99991672);
}
