//! App registration (device authorization grant) on the accounts endpoint, the person's side
//! through `/_sim/registration/*` and the scan page, and what a confirmation creates.

use lark_sim::registration::addons::{encode, Addons};
use serde_json::{json, Value};

use crate::common::{start, Answer, Harness};

const FEISHU: &str = "/oauth/v1/app/registration";
const LARK: &str = "/_lark/oauth/v1/app/registration";

async fn begin(h: &Harness) -> Value {
    let answer = h
        .form(
            FEISHU,
            &[
                ("action", "begin"),
                ("archetype", "PersonalAgent"),
                ("auth_method", "client_secret"),
                ("request_user_info", "open_id"),
            ],
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

async fn poll(h: &Harness, host: &str, device_code: &str) -> Answer {
    h.form(host, &[("action", "poll"), ("device_code", device_code)])
        .await
}

fn error(answer: &Answer) -> &str {
    answer.body["error"].as_str().unwrap_or("")
}

fn addons(value: Value) -> String {
    let addons: Addons = serde_json::from_value(value).expect("an addons object");
    encode(&addons)
}

/// A pollable registration on a running clock: interval 1 s, so tests only wait past it.
async fn quick(h: &Harness) -> (String, String) {
    h.config(json!({"registration_interval_secs": 1})).await;
    let begun = begin(h).await;
    (
        begun["device_code"].as_str().unwrap().to_string(),
        begun["user_code"].as_str().unwrap().to_string(),
    )
}

#[tokio::test]
async fn init_and_begin_answer_the_documented_shapes() {
    let h = start().await;
    let init = h.form(FEISHU, &[("action", "init")]).await;
    assert_eq!(init.status, 200);
    assert_eq!(
        init.body,
        json!({"supported_auth_methods": ["client_secret"]})
    );
    let begun = begin(&h).await;
    let code = begun["user_code"].as_str().unwrap();
    assert_eq!(code.len(), 9, "XXXX-XXXX: {code}");
    assert_eq!(
        begun["verification_uri_complete"],
        format!("{}/app/scan?user_code={code}", h.sim.base_url)
    );
    assert_eq!(
        begun["verification_uri"],
        format!("{}/app/scan", h.sim.base_url)
    );
    assert_eq!(
        (begun["interval"].as_u64(), begun["expires_in"].as_u64()),
        (Some(5), Some(600))
    );
    assert!(begun["device_code"].as_str().unwrap().len() >= 32);
    // The Lark host serves the same endpoint.
    let init = h.form(LARK, &[("action", "init")]).await;
    assert_eq!(init.body["supported_auth_methods"][0], "client_secret");
    // Missing and unknown actions.
    let none = h.form(FEISHU, &[]).await;
    assert_eq!((none.status, error(&none)), (400, "invalid_request"));
    let bad = h.form(FEISHU, &[("action", "steal")]).await;
    assert_eq!((bad.status, error(&bad)), (400, "invalid_request"));
    let stats = h.get("/_sim/stats", None).await.body;
    assert_eq!(stats["endpoints"]["app_registration"]["ok"], 3);
    assert_eq!(
        stats["endpoints"]["app_registration"]["rejected"]["invalid_request"],
        2
    );
}

#[tokio::test]
async fn a_platform_without_the_api_answers_404() {
    let h = start().await;
    h.config(json!({"registration_supported": false})).await;
    for host in [FEISHU, LARK] {
        let init = h.form(host, &[("action", "init")]).await;
        assert_eq!(init.status, 404, "{host}");
        assert_eq!(init.body["error"], "not_found");
    }
}

#[tokio::test]
async fn polling_too_fast_slows_down_per_host_and_confirming_hands_out_credentials() {
    let h = start().await;
    let (device, user_code) = quick(&h).await;
    let first = poll(&h, FEISHU, &device).await;
    assert_eq!(
        (first.status, error(&first)),
        (400, "authorization_pending")
    );
    assert!(first.body["error_description"].is_string());
    // At once again on the same host: slow_down, and the interval grows to 6 s.
    let fast = poll(&h, FEISHU, &device).await;
    assert_eq!(error(&fast), "slow_down");
    // The other host has its own previous poll.
    let lark = poll(&h, LARK, &device).await;
    assert_eq!(error(&lark), "authorization_pending");
    // 1.2 s later is still too soon for the grown interval.
    h.config(json!({"advance_ms": 1_200})).await;
    assert_eq!(error(&poll(&h, FEISHU, &device).await), "slow_down");
    h.config(json!({"advance_ms": 11_000})).await;
    assert_eq!(
        error(&poll(&h, FEISHU, &device).await),
        "authorization_pending"
    );

    let confirmed = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"user_code": user_code}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let app_id = confirmed.body["app_id"].as_str().unwrap().to_string();
    assert_eq!(confirmed.body["created"], true);
    assert!(
        confirmed.body.get("client_secret").is_none() && confirmed.body.get("app_secret").is_none()
    );
    h.config(json!({"advance_ms": 20_000})).await;
    let done = poll(&h, FEISHU, &device).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["client_id"], app_id.as_str());
    let secret = done.body["client_secret"].as_str().unwrap().to_string();
    assert_eq!(done.body["user_info"]["tenant_brand"], "feishu");
    assert_eq!(
        done.body["user_info"]["open_id"],
        h.sim.tenant().users[0].open_id.as_str()
    );
    // Used up.
    h.config(json!({"advance_ms": 20_000})).await;
    assert_eq!(error(&poll(&h, FEISHU, &device).await), "expired_token");

    // The new app works: its own token, its own bot, no Encrypt Key.
    let tenant = h.sim.tenant();
    let created = tenant.find_app(&app_id).expect("the app exists");
    assert_eq!(created.app.app_secret, secret);
    assert!(app_id.starts_with("cli_") && app_id.len() == 20);
    assert_eq!(created.app.encrypt_key, None);
    assert!(!created.app.verification_token.is_empty());
    assert_ne!(app_id, h.sim.app.app_id);
    let token = h.token_for(&app_id, &secret).await;
    let bot = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!(bot.body["bot"]["app_name"], "Untitled app");
    // The base template grants sending but not listing chats.
    let chats = h.get("/open-apis/im/v1/chats", Some(&token)).await;
    assert_eq!(chats.code(), 99991672);
    let (chat, _) = h.chats();
    let sent = h.send_card(&token, "chat_id", &chat).await;
    assert_eq!(sent.code(), 0, "{}", sent.body);
    assert_eq!(sent.body["data"]["sender"]["id"], app_id.as_str());
    let messages = h.get("/_sim/messages", None).await.body;
    assert_eq!(messages["messages"][0]["app_id"], app_id.as_str());
}

#[tokio::test]
async fn a_lark_confirmation_is_only_handed_out_by_the_lark_host() {
    let h = start().await;
    let (device, user_code) = quick(&h).await;
    let confirmed = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"user_code": user_code, "brand": "lark"}),
        )
        .await;
    assert_eq!(confirmed.body["brand"], "lark");
    let feishu = poll(&h, FEISHU, &device).await;
    assert_eq!(feishu.status, 400);
    assert_eq!(error(&feishu), "authorization_pending");
    assert_eq!(feishu.body["user_info"]["tenant_brand"], "lark");
    assert!(feishu.body.get("client_secret").is_none());
    // The SDKs switch and poll the Lark host at once: its first poll is not too soon.
    let lark = poll(&h, LARK, &device).await;
    assert_eq!(lark.status, 200, "{}", lark.body);
    assert_eq!(lark.body["client_id"], confirmed.body["app_id"]);
    assert_eq!(lark.body["user_info"]["tenant_brand"], "lark");
}

#[tokio::test]
async fn denied_expired_and_unknown_codes() {
    let h = start().await;
    h.config(json!({"registration_interval_secs": 1, "registration_expires_secs": 30}))
        .await;
    let a = begin(&h).await;
    let b = begin(&h).await;
    let c = begin(&h).await;
    let code = |v: &Value| v["user_code"].as_str().unwrap().to_string();
    let device = |v: &Value| v["device_code"].as_str().unwrap().to_string();

    // Without a code, deny acts on the newest pending registration: c.
    let denied = h.post("/_sim/registration/deny", None, &json!({})).await;
    assert_eq!(denied.body["user_code"], code(&c));
    assert_eq!(error(&poll(&h, FEISHU, &device(&c)).await), "access_denied");
    // Confirming a denied one is a conflict.
    let late = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"user_code": code(&c)}),
        )
        .await;
    assert_eq!(late.status, 409, "{}", late.body);

    let expired = h
        .post(
            "/_sim/registration/expire",
            None,
            &json!({"user_code": code(&b)}),
        )
        .await;
    assert_eq!(expired.status, 200);
    assert_eq!(error(&poll(&h, FEISHU, &device(&b)).await), "expired_token");

    // Time runs out for a (simulated clock).
    assert_eq!(
        error(&poll(&h, FEISHU, &device(&a)).await),
        "authorization_pending"
    );
    h.config(json!({"advance_ms": 30_000})).await;
    assert_eq!(error(&poll(&h, FEISHU, &device(&a)).await), "expired_token");
    let none = h.post("/_sim/registration/confirm", None, &json!({})).await;
    assert_eq!(none.status, 404, "nothing pending: {}", none.body);

    let unknown = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"user_code": "ZZZZ-ZZZZ"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        error(&poll(&h, FEISHU, "no-such-device-code").await),
        "expired_token"
    );
    let missing = h.form(FEISHU, &[("action", "poll")]).await;
    assert_eq!(error(&missing), "invalid_request");
}

#[tokio::test]
async fn the_link_names_the_app_and_the_addons_become_its_configuration() {
    let h = start().await;
    let (device, _) = quick(&h).await;
    let begun_link = {
        let registrations = h.get("/_sim/registration", None).await.body;
        let code = registrations["list"][0]["user_code"]
            .as_str()
            .unwrap()
            .to_string();
        format!("{}/app/scan?user_code={code}", h.sim.base_url)
    };
    let encoded = addons(json!({
        "scopes": {"tenant": ["im:chat:readonly", "application:application:self_manage"], "user": ["contact:user.base:readonly"]},
        "events": {"items": {"tenant": ["im.chat.disbanded_v1"]}},
        "callbacks": {"items": ["card.action.trigger"]},
    }));
    let link = url::Url::parse_with_params(
        &begun_link,
        &[
            ("from", "sdk"),
            ("tp", "sdk"),
            ("source", "python-sdk/test"),
            ("name", "Incident bridge"),
            ("desc", "Alerts into chats"),
            ("avatar", "https://example.com/a.png"),
            ("addons", encoded.as_str()),
        ],
    )
    .unwrap();
    let confirmed = h
        .post(
            "/_sim/registration/confirm",
            None,
            &json!({"url": link.as_str()}),
        )
        .await;
    assert_eq!(confirmed.status, 200, "{}", confirmed.body);
    let app_id = confirmed.body["app_id"].as_str().unwrap().to_string();
    let done = poll(&h, FEISHU, &device).await;
    let secret = done.body["client_secret"].as_str().unwrap().to_string();

    let tenant = h.sim.tenant();
    let app = tenant.find_app(&app_id).unwrap();
    assert_eq!(app.bot.app_name, "Incident bridge");
    assert!(app.bot.enabled);
    for scope in [
        "im:message:send_as_bot",
        "im:chat:readonly",
        "application:application:self_manage",
    ] {
        assert!(
            app.scopes.contains(scope),
            "{scope} granted: {:?}",
            app.scopes
        );
    }
    assert!(
        !app.scopes.contains("contact:user.base:readonly"),
        "user scopes are not tenant scopes"
    );

    let token = h.token_for(&app_id, &secret).await;
    let got = h
        .get(
            &format!("/open-apis/application/v6/applications/{app_id}?lang=zh_cn"),
            Some(&token),
        )
        .await;
    assert_eq!(got.code(), 0, "{}", got.body);
    let data = &got.body["data"]["app"];
    assert_eq!(data["app_name"], "Incident bridge");
    assert_eq!(data["description"], "Alerts into chats");
    assert_eq!(data["avatar_url"], "https://example.com/a.png");
    assert_eq!(data["create_source"], "developer_console");
    assert_eq!(data["event"]["subscription_type"], "websocket");
    assert_eq!(data["event"]["request_url"], "");
    let events: Vec<&str> = data["event"]["subscribed_events"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(events, ["im.chat.disbanded_v1", "im.message.receive_v1"]);
    assert_eq!(
        data["callback_info"]["subscribed_callbacks"],
        json!(["card.action.trigger"])
    );
    assert_eq!(data["callback_info"]["callback_type"], "websocket");
    assert_eq!(data["encryption"]["encryption_key"], "");
    let user_scope = data["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scope"] == "contact:user.base:readonly")
        .unwrap();
    assert_eq!(user_scope["token_types"], json!(["user"]));
    let versions = h
        .get(
            &format!("/open-apis/application/v6/applications/{app_id}/app_versions?lang=zh_cn"),
            Some(&token),
        )
        .await;
    let items = versions.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["version"].as_str(), items[0]["status"].as_u64()),
        (Some("1.0.0"), Some(1))
    );
    assert_eq!(data["online_version_id"], items[0]["version_id"]);
    let scopes = h
        .get("/open-apis/application/v6/scopes", Some(&token))
        .await;
    let user_row = scopes.body["data"]["scopes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["scope_name"] == "contact:user.base:readonly")
        .cloned()
        .unwrap();
    assert_eq!(
        user_row,
        json!({"scope_name": "contact:user.base:readonly", "grant_status": 1, "scope_type": "user"})
    );
}

#[tokio::test]
async fn preset_false_is_the_bot_only_and_client_id_adds_to_an_existing_app() {
    let h = start().await;
    let (device, code) = quick(&h).await;
    let bot_only = addons(json!({"preset": false}));
    let link = format!(
        "{}/app/scan?user_code={code}&addons={bot_only}&name=Bare",
        h.sim.base_url
    );
    let confirmed = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    let bare = confirmed.body["app_id"].as_str().unwrap().to_string();
    assert!(h.sim.tenant().find_app(&bare).unwrap().scopes.is_empty());
    poll(&h, FEISHU, &device).await;

    // Re-confirm the primary app with more scopes: same credentials, no new app.
    let primary = h.sim.app.clone();
    let before = h.sim.tenant().more_apps.len();
    let (device, code) = quick(&h).await;
    let more = addons(json!({"scopes": {"tenant": ["im:chat:readonly"]}}));
    let link = format!(
        "{}/app/scan?user_code={code}&addons={more}&clientID={}",
        h.sim.base_url, primary.app_id
    );
    let confirmed = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    assert_eq!(confirmed.body["app_id"], primary.app_id.as_str());
    assert_eq!(confirmed.body["created"], false);
    let done = poll(&h, FEISHU, &device).await;
    assert_eq!(done.body["client_secret"], primary.app_secret.as_str());
    let tenant = h.sim.tenant();
    assert_eq!(tenant.more_apps.len(), before);
    assert!(tenant.scopes.contains("im:chat:readonly"));
    assert!(
        tenant.scopes.contains("im:chat"),
        "the existing grants stay"
    );

    // A clientID that is not an app of the tenant cannot be honoured.
    let (_, code) = quick(&h).await;
    let link = format!(
        "{}/app/scan?user_code={code}&clientID=cli_ffffffffffffffff",
        h.sim.base_url
    );
    let refused = h
        .post("/_sim/registration/confirm", None, &json!({"url": link}))
        .await;
    assert_eq!(refused.status, 400, "{}", refused.body);
}

/// The page's HTML.
async fn page(h: &Harness, path: &str) -> (u16, String) {
    let answer = h.get(path, None).await;
    (
        answer.status,
        answer.body.as_str().unwrap_or_default().to_string(),
    )
}

#[tokio::test]
async fn the_scan_page_shows_what_will_be_created_escaped_and_its_buttons_act() {
    let h = start().await;
    let (device, code) = quick(&h).await;
    let encoded = addons(json!({
        "scopes": {"tenant": ["im:chat:readonly", "<script>alert(1)</script>"]},
        "events": {"items": {"user": ["im.message.receive_v1"]}},
        "callbacks": {"items": ["card.action.trigger"]},
    }));
    let link = url::Url::parse_with_params(
        &format!("{}/app/scan?user_code={code}", h.sim.base_url),
        &[
            ("name", "<img src=x onerror=alert(2)>"),
            ("desc", "Pages \"on-call\" & more"),
            ("avatar", "javascript:alert(3)"),
            ("source", "python-sdk/companion"),
            ("addons", encoded.as_str()),
        ],
    )
    .unwrap();
    let response = h.http.get(link.as_str()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    let html = response.text().await.unwrap();
    assert!(html.contains("im:chat:readonly"));
    assert!(html.contains("card.action.trigger"));
    assert!(html.contains("im.message.receive_v1"));
    assert!(
        html.contains("python-sdk&#x2f;companion"),
        "minijinja escapes the slash too"
    );
    assert!(html.contains(&code));
    assert!(!html.contains("<script>"), "escaped: {html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(html.contains("Pages &quot;on-call&quot; &amp; more"));
    assert!(
        !html.contains("href=\"javascript"),
        "avatars are text, never links"
    );
    assert!(
        html.contains(r#"id="lark""#)
            && html.contains(r#"id="confirm""#)
            && html.contains(r#"id="deny""#)
    );

    // Confirm with the Lark box ticked.
    let done = h
        .form(
            "/app/scan/confirm",
            &[("user_code", code.as_str()), ("lark", "on")],
        )
        .await;
    assert_eq!(done.status, 200);
    let text = done.body.as_str().unwrap();
    assert!(text.contains("Done, you can close this page"), "{text}");
    let lark = poll(&h, LARK, &device).await;
    assert_eq!(
        lark.body["user_info"]["tenant_brand"], "lark",
        "{}",
        lark.body
    );
    let app_id = lark.body["client_id"].as_str().unwrap();
    assert_eq!(
        h.sim.tenant().find_app(app_id).unwrap().bot.app_name,
        "<img src=x onerror=alert(2)>"
    );

    // The page for a used code says so; Deny works on another one; bad addons hide Confirm.
    let (status, _) = page(&h, &format!("/app/scan?user_code={code}")).await;
    assert_eq!(status, 409);
    let (device, code) = quick(&h).await;
    let (status, html) = page(&h, &format!("/app/scan?user_code={code}&addons=not-gzip")).await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"id="addons-error""#) && !html.contains(r#"id="confirm""#));
    let denied = h
        .form("/app/scan/deny", &[("user_code", code.as_str())])
        .await;
    assert!(denied
        .body
        .as_str()
        .unwrap()
        .contains("Done, you can close this page"));
    assert_eq!(error(&poll(&h, FEISHU, &device).await), "access_denied");
    let (status, _) = page(&h, "/app/scan?user_code=ZZZZ-ZZZZ").await;
    assert_eq!(status, 404);
}
