//! Every Open API endpoint and its error codes.

use std::time::Instant;

use serde_json::json;

use crate::common::{card, start, start_with};

const TOKEN_PATH: &str = "/open-apis/auth/v3/tenant_access_token/internal";

#[tokio::test]
async fn token_is_issued_and_reused_while_fresh() {
    let h = start().await;
    let app = &h.sim.app;
    let body = json!({"app_id": app.app_id, "app_secret": app.app_secret});
    let first = h.post(TOKEN_PATH, None, &body).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.code(), 0);
    assert_eq!(first.body["msg"], "ok");
    assert_eq!(first.body["expire"], 7200);
    let token = first.body["tenant_access_token"].as_str().unwrap();
    assert!(token.starts_with("t-"));
    assert!(first.header("x-tt-logid").is_some());
    let second = h.post(TOKEN_PATH, None, &body).await;
    assert_eq!(second.body["tenant_access_token"], token);
}

#[tokio::test]
async fn token_with_bad_credentials_is_http_200_with_a_code() {
    let h = start().await;
    let app = &h.sim.app;
    let unknown = h
        .post(
            TOKEN_PATH,
            None,
            &json!({"app_id": "cli_0000000000000000", "app_secret": app.app_secret}),
        )
        .await;
    assert_eq!((unknown.status, unknown.code()), (200, 10003));
    let wrong = h
        .post(
            TOKEN_PATH,
            None,
            &json!({"app_id": app.app_id, "app_secret": "nope"}),
        )
        .await;
    assert_eq!((wrong.status, wrong.code()), (200, 10014));
    let garbage = h.post_raw(TOKEN_PATH, "{not json").await;
    assert_eq!(garbage.status, 400);
    assert_eq!(garbage.code(), 9499);
}

#[tokio::test]
async fn missing_unknown_and_expired_tokens_are_refused() {
    let h = start().await;
    let missing = h.get("/open-apis/bot/v3/info", None).await;
    assert_eq!((missing.status, missing.code()), (400, 99991661));
    let malformed = h.get("/open-apis/bot/v3/info", Some("abc")).await;
    assert_eq!(malformed.code(), 99991671);
    let unknown = h.get("/open-apis/bot/v3/info", Some("t-unknown")).await;
    assert_eq!((unknown.status, unknown.code()), (400, 99991663));

    h.config(json!({"token_expire_secs": 60, "clock_frozen": true}))
        .await;
    let token = h.token().await;
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        0
    );
    h.config(json!({"advance_ms": 60_000})).await;
    let expired = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!(expired.code(), 99991663);
    // A short-lived token is replaced once less than a quarter of its life is left.
    let fresh = h.token().await;
    assert_ne!(fresh, token);
}

#[tokio::test]
async fn bot_info_reports_the_bot_or_230006() {
    let h = start().await;
    let token = h.token().await;
    let info = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!(info.code(), 0);
    assert_eq!(info.body["bot"]["activate_status"], 2);
    assert!(info.body["bot"]["open_id"]
        .as_str()
        .unwrap()
        .starts_with("ou_"));
    assert!(
        info.body.get("data").is_none(),
        "the payload sits under `bot`"
    );
    h.config(json!({"bot_enabled": false})).await;
    let disabled = h.get("/open-apis/bot/v3/info", Some(&token)).await;
    assert_eq!((disabled.status, disabled.code()), (400, 230006));
}

#[tokio::test]
async fn chats_are_paged_and_only_the_bots() {
    let h = start().await;
    let token = h.token().await;
    let first = h
        .get("/open-apis/im/v1/chats?page_size=2", Some(&token))
        .await;
    assert_eq!(first.code(), 0, "{}", first.body);
    let items = first.body["data"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(first.body["data"]["has_more"], true);
    let page_token = first.body["data"]["page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let second = h
        .get(
            &format!("/open-apis/im/v1/chats?page_size=2&page_token={page_token}"),
            Some(&token),
        )
        .await;
    assert_eq!(second.body["data"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(second.body["data"]["has_more"], false);
    let (_, outside) = h.chats();
    let all = h.get("/open-apis/im/v1/chats", Some(&token)).await;
    let ids: Vec<_> = all.body["data"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chat_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(!ids.contains(&outside));

    // Remove the bot from every chat: the documented "empty group list".
    let mut membership = serde_json::Map::new();
    for chat in h.sim.tenant().chats {
        membership.insert(chat.chat_id, json!(false));
    }
    h.config(json!({"bot_chats": membership})).await;
    let empty = h.get("/open-apis/im/v1/chats", Some(&token)).await;
    assert_eq!(empty.body["data"]["items"], json!([]));

    let bad = h
        .get("/open-apis/im/v1/chats?page_size=0", Some(&token))
        .await;
    assert_eq!((bad.status, bad.code()), (400, 99992402));
}

#[tokio::test]
async fn missing_chat_scope_names_the_scopes_and_links_the_console() {
    let h = start().await;
    let token = h.token().await;
    h.config(json!({"scopes": ["im:message"]})).await;
    let denied = h.get("/open-apis/im/v1/chats", Some(&token)).await;
    assert_eq!((denied.status, denied.code()), (400, 99991672));
    let msg = denied.body["msg"].as_str().unwrap();
    assert!(msg.starts_with(
        "Access denied. One of the following scopes is required: [im:chat, im:chat:readonly]"
    ));
    let app_id = &h.sim.app.app_id;
    assert!(msg.contains(&format!(
        "https://open.feishu.cn/app/{app_id}/auth?q=im:chat,im:chat:readonly"
    )));
    let violations = denied.body["error"]["permission_violations"]
        .as_array()
        .unwrap();
    assert_eq!(violations[0]["subject"], "im:chat");
}

#[tokio::test]
async fn cards_are_sent_recorded_and_updated() {
    let h = start().await;
    let token = h.token().await;
    let (chat, _) = h.chats();
    let sent = h.send_card(&token, "chat_id", &chat).await;
    assert_eq!(sent.code(), 0, "{}", sent.body);
    let message_id = sent.body["data"]["message_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message_id.starts_with("om_"));
    assert_eq!(sent.body["data"]["chat_id"], chat.as_str());
    assert_eq!(sent.body["data"]["sender"]["sender_type"], "app");

    let user = h.sim.tenant().users[0].clone();
    for (id_type, id) in [
        ("open_id", user.open_id.as_str()),
        ("user_id", user.user_id.as_str()),
        ("union_id", user.union_id.as_str()),
        ("email", user.email.as_str()),
    ] {
        let answer = h.send_card(&token, id_type, id).await;
        assert_eq!(answer.code(), 0, "{id_type}: {}", answer.body);
    }

    let mut updated: serde_json::Value = serde_json::from_str(&card()).unwrap();
    updated["header"]["template"] = json!("green");
    let patch = h
        .patch(
            &format!("/open-apis/im/v1/messages/{message_id}"),
            Some(&token),
            &json!({"content": updated.to_string()}),
        )
        .await;
    assert_eq!(patch.code(), 0, "{}", patch.body);
    let missing = h
        .patch(
            "/open-apis/im/v1/messages/om_nope",
            Some(&token),
            &json!({"content": card()}),
        )
        .await;
    assert_eq!(missing.code(), 230001);

    let recorded = h.get(&format!("/_sim/messages?chat_id={chat}"), None).await;
    let messages = recorded.body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["message_id"], message_id.as_str());
    assert_eq!(messages[0]["card"]["header"]["template"], "green");
    assert_eq!(messages[0]["updates"].as_array().unwrap().len(), 1);
    let to_user = h
        .get(&format!("/_sim/messages?receive_id={}", user.email), None)
        .await;
    assert_eq!(to_user.body["messages"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn send_errors_have_the_platform_codes() {
    let h = start().await;
    let token = h.token().await;
    let (chat, outside) = h.chats();
    let tenant = h.sim.tenant();
    let send = |id_type: &'static str, receive_id: String, content: serde_json::Value| {
        let h = &h;
        let token = token.clone();
        async move {
            h.post(
                &format!("/open-apis/im/v1/messages?receive_id_type={id_type}"),
                Some(&token),
                &json!({"receive_id": receive_id, "msg_type": "interactive", "content": content}),
            )
            .await
        }
    };
    let not_member = send("chat_id", outside, json!(card())).await;
    assert_eq!((not_member.status, not_member.code()), (400, 230002));
    assert_eq!(
        send("chat_id", "oc_unknown".into(), json!(card()))
            .await
            .code(),
        230001
    );
    assert_eq!(
        send("chat_id", chat.clone(), json!({"a": 1})).await.code(),
        230001
    );
    assert_eq!(
        send("chat_id", chat.clone(), json!("not json"))
            .await
            .code(),
        230001
    );
    let big =
        json!({"elements": [{"tag": "markdown", "content": "x".repeat(31 * 1024)}]}).to_string();
    let too_long = send("chat_id", chat.clone(), json!(big)).await;
    assert_eq!((too_long.status, too_long.code()), (400, 230025));
    let unavailable = tenant.users.iter().find(|u| !u.available).unwrap();
    assert_eq!(
        send("open_id", unavailable.open_id.clone(), json!(card()))
            .await
            .code(),
        230013
    );
    assert_eq!(
        send("open_id", "ou_nobody".into(), json!(card()))
            .await
            .code(),
        230013
    );
    assert_eq!(
        send("bogus", chat.clone(), json!(card())).await.code(),
        99992402
    );
    let garbage = h
        .http
        .post(h.url("/open-apis/im/v1/messages?receive_id_type=chat_id"))
        .bearer_auth(&token)
        .body("][")
        .send()
        .await
        .unwrap();
    assert_eq!(garbage.status(), 400);
    let body: serde_json::Value = garbage.json().await.unwrap();
    assert_eq!(body["code"], 9499);

    h.config(json!({"scopes": ["im:chat"]})).await;
    assert_eq!(
        send("chat_id", chat.clone(), json!(card())).await.code(),
        99991672
    );
    h.config(json!({"scopes": ["im:message"], "bot_enabled": false}))
        .await;
    assert_eq!(send("chat_id", chat, json!(card())).await.code(), 230006);
    let nothing = h.get("/_sim/messages", None).await;
    assert_eq!(nothing.body["messages"], json!([]));
}

#[tokio::test]
async fn uuid_deduplicates_for_an_hour() {
    let h = start().await;
    h.config(json!({"clock_frozen": true})).await;
    let token = h.token().await;
    let (chat, _) = h.chats();
    let body = json!({"receive_id": chat, "msg_type": "interactive", "content": card(), "uuid": "alert-1"});
    let send = || {
        h.post(
            "/open-apis/im/v1/messages?receive_id_type=chat_id",
            Some(&token),
            &body,
        )
    };
    let first = send().await.body["data"]["message_id"].clone();
    let again = send().await.body["data"]["message_id"].clone();
    assert_eq!(first, again);
    h.config(json!({"advance_ms": 3_600_000})).await;
    let later = send().await.body["data"]["message_id"].clone();
    assert_ne!(first, later);
    let all = h.get("/_sim/messages", None).await;
    assert_eq!(all.body["messages"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn injected_failures_latency_and_stats() {
    let h = start().await;
    let token = h.token().await;
    let (chat, outside) = h.chats();
    h.config(json!({"fail": [{"endpoint": "message_send", "code": 230020, "http_status": 429, "count": 2}]}))
        .await;
    for _ in 0..2 {
        let failed = h.send_card(&token, "chat_id", &chat).await;
        assert_eq!((failed.status, failed.code()), (429, 230020));
    }
    assert_eq!(h.send_card(&token, "chat_id", &chat).await.code(), 0);
    assert_eq!(
        h.send_card(&token, "chat_id", &outside).await.code(),
        230002
    );

    let stats = h.get("/_sim/stats", None).await;
    let send = &stats.body["endpoints"]["message_send"];
    assert_eq!(send["calls"], 4);
    assert_eq!(send["ok"], 1);
    assert_eq!(send["rejected"]["230020"], 2);
    assert_eq!(send["rejected"]["230002"], 1);
    assert_eq!(
        stats.body["quota"]["used"], 1,
        "only the successful send counts"
    );

    h.config(json!({"latency_ms": 150})).await;
    let started = Instant::now();
    assert_eq!(
        h.get("/open-apis/bot/v3/info", Some(&token)).await.code(),
        0
    );
    assert!(started.elapsed().as_millis() >= 150);

    let unknown = h
        .post("/_sim/config", None, &json!({"no_such_knob": 1}))
        .await;
    assert_eq!(unknown.status, 400);
    let missing = h.get("/open-apis/nothing", None).await;
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn chosen_credentials_and_no_encrypt_key() {
    let h = start_with(lark_sim::SimConfig {
        credentials: lark_sim::CredentialChoice {
            app_id: Some("cli_a1b2c3d4e5f60718".into()),
            app_secret: Some("secret".into()),
            verification_token: Some("vt".into()),
            encrypt_key: Some(String::new()),
        },
        ..lark_sim::SimConfig::default()
    })
    .await;
    assert_eq!(h.sim.app.app_id, "cli_a1b2c3d4e5f60718");
    assert_eq!(h.sim.app.encrypt_key, None);
    let config = h.get("/_sim/config", None).await;
    assert_eq!(config.body["app"]["app_secret"], "secret");
    assert!(h.token().await.starts_with("t-"));
}

#[tokio::test]
async fn refuses_to_listen_off_loopback() {
    let result = lark_sim::Sim::start(lark_sim::SimConfig {
        listen: "0.0.0.0:0".parse().unwrap(),
        ..lark_sim::SimConfig::default()
    })
    .await;
    assert!(matches!(result, Err(lark_sim::SimError::NotLoopback(_))));
}
