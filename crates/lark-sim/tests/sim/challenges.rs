//! Saving a webhook request URL sends the URL-verification challenge, as the console does;
//! `/_sim/challenges` tells whether it was answered. Also: callbacks to an app's configured
//! request URL, and the long connection for an app other than the primary one.

use std::time::Duration;

use axum::body::Bytes;
use axum::routing::post;
use lark_platform::crypto;
use serde_json::{json, Value};

use crate::common::{start, Harness};

const SELF_MANAGE: &str = "application:application:self_manage";
const PATCH: &str = "application:application:patch";

/// A loopback receiver: `echo` answers challenges (decrypting with `key` when given), anything
/// else answers 500. Returns its base URL.
async fn receiver(key: Option<String>) -> String {
    let app = axum::Router::new()
        .route(
            "/echo",
            post(move |body: Bytes| {
                let key = key.clone();
                async move {
                    let mut value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                    if let (Some(encrypted), Some(key)) =
                        (value["encrypt"].as_str(), key.as_deref())
                    {
                        let plain = crypto::decrypt(key, encrypted).unwrap_or_default();
                        value = serde_json::from_slice(&plain).unwrap_or(Value::Null);
                    }
                    axum::Json(json!({"challenge": value["challenge"]}))
                }
            }),
        )
        .route(
            "/broken",
            post(|| async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "no") }),
        )
        .route(
            "/wrong",
            post(|| async { axum::Json(json!({"challenge": "not-it"})) }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    url
}

/// `/_sim/challenges` once nothing is pending (bounded wait).
async fn settled(h: &Harness, count: usize) -> Vec<Value> {
    for _ in 0..100 {
        let all = h.get("/_sim/challenges", None).await.body["challenges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if all.len() >= count && all.iter().all(|c| c["pending"] == false) {
            return all;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("challenges still pending after 5 s");
}

async fn patch(h: &Harness, token: &str, what: &str, body: Value) {
    let app_id = &h.sim.app.app_id;
    let answer = h
        .patch(
            &format!("/open-apis/application/v7/applications/{app_id}/{what}"),
            Some(token),
            &body,
        )
        .await;
    assert_eq!(
        answer.code(),
        0,
        "the save is never refused for the challenge: {}",
        answer.body
    );
}

#[tokio::test]
async fn a_saved_webhook_url_gets_the_challenge_and_the_answer_is_recorded() {
    let h = start().await;
    h.grant(&[SELF_MANAGE, PATCH]).await;
    let token = h.token().await;
    let base = receiver(h.sim.app.encrypt_key.clone()).await;
    patch(
        &h,
        &token,
        "config",
        json!({"event": {"subscription_type": "webhook", "request_url": format!("{base}/echo")}}),
    )
    .await;
    patch(
        &h,
        &token,
        "config",
        json!({"callback": {"callback_type": "webhook", "request_url": format!("{base}/broken")}}),
    )
    .await;
    patch(
        &h,
        &token,
        "ability",
        json!({"bot": {"enable": true, "message_card_callback_url": format!("{base}/wrong")}}),
    )
    .await;
    // The long-connection mode sends nothing, even with a URL.
    patch(
        &h,
        &token,
        "config",
        json!({"event": {"subscription_type": "websocket", "request_url": format!("{base}/echo")}}),
    )
    .await;
    // A URL that is not loopback is recorded, never contacted.
    patch(&h, &token, "config", json!({"callback": {"callback_type": "webhook", "request_url": "https://hooks.example.com/x"}})).await;

    let all = settled(&h, 4).await;
    assert_eq!(all.len(), 4, "{all:?}");
    let app_id = h.sim.app.app_id.as_str();
    assert_eq!(
        (
            all[0]["kind"].as_str(),
            all[0]["answered"].as_bool(),
            all[0]["status"].as_u64()
        ),
        (Some("event"), Some(true), Some(200))
    );
    assert_eq!(all[0]["app_id"], app_id);
    assert_eq!(all[0]["url"], format!("{base}/echo"));
    assert!(all[0]["at"].as_i64().unwrap() > 0);
    assert_eq!(
        (
            all[1]["kind"].as_str(),
            all[1]["answered"].as_bool(),
            all[1]["status"].as_u64()
        ),
        (Some("callback"), Some(false), Some(500))
    );
    assert_eq!(
        (
            all[2]["kind"].as_str(),
            all[2]["answered"].as_bool(),
            all[2]["status"].as_u64()
        ),
        (Some("card"), Some(false), Some(200))
    );
    assert_eq!(all[3]["answered"], false);
    assert!(all[3]["status"].is_null());
    assert!(all[3]["error"].as_str().unwrap().contains("loopback"));

    // A closed port: not answered, with the reason.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        format!("http://127.0.0.1:{port}/gone")
    };
    patch(
        &h,
        &token,
        "config",
        json!({"event": {"subscription_type": "webhook", "request_url": closed}}),
    )
    .await;
    let all = settled(&h, 5).await;
    assert_eq!(all[4]["answered"], false);
    assert!(all[4]["error"].is_string());
    let filtered = h
        .get(&format!("/_sim/challenges?app_id={app_id}"), None)
        .await
        .body;
    assert_eq!(filtered["challenges"].as_array().unwrap().len(), 5);
    h.config(json!({"reset_registrations": true})).await;
    assert_eq!(
        h.get("/_sim/challenges", None).await.body["challenges"],
        json!([])
    );
}

#[tokio::test]
async fn the_challenge_is_plain_json_without_an_encrypt_key() {
    let h = crate::common::start_with(lark_sim::SimConfig {
        credentials: lark_sim::CredentialChoice {
            encrypt_key: Some(String::new()),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    h.grant(&[SELF_MANAGE, PATCH]).await;
    let token = h.token().await;
    let base = receiver(None).await;
    patch(
        &h,
        &token,
        "config",
        json!({"event": {"subscription_type": "webhook", "request_url": format!("{base}/echo")}}),
    )
    .await;
    let all = settled(&h, 1).await;
    assert_eq!(all[0]["answered"], true, "{all:?}");
    assert_eq!(all[0]["challenge"].as_str().unwrap().len(), 32);
}

#[tokio::test]
async fn callbacks_without_a_url_go_to_the_apps_request_url() {
    let h = start().await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<Value>::new()));
    let log = seen.clone();
    let key = h.sim.app.encrypt_key.clone().unwrap();
    let app = axum::Router::new().route(
        "/cards",
        post(move |body: Bytes| {
            let log = log.clone();
            let key = key.clone();
            async move {
                let outer: Value = serde_json::from_slice(&body).unwrap();
                let plain = crypto::decrypt(&key, outer["encrypt"].as_str().unwrap()).unwrap();
                log.lock()
                    .unwrap()
                    .push(serde_json::from_slice(&plain).unwrap());
                axum::Json(json!({"toast": {"type": "success", "content": "ok"}}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/cards", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let none = h
        .post("/_sim/callbacks", None, &json!({"kind": "card_action"}))
        .await;
    assert_eq!(none.status, 400, "no URL configured: {}", none.body);
    h.grant(&[SELF_MANAGE, PATCH]).await;
    let token = h.token().await;
    patch(
        &h,
        &token,
        "config",
        json!({"callback": {"callback_type": "webhook", "request_url": url}}),
    )
    .await;
    let delivered = h
        .post("/_sim/callbacks", None, &json!({"kind": "card_action"}))
        .await;
    assert_eq!(delivered.status, 200, "{}", delivered.body);
    assert_eq!(delivered.body["body"]["toast"]["content"], "ok");
    let got = seen.lock().unwrap().clone();
    let card = got
        .iter()
        .find(|v| v["header"]["event_type"] == "card.action.trigger")
        .expect("the card action");
    assert_eq!(card["header"]["app_id"], h.sim.app.app_id.as_str());
    let unknown = h
        .post(
            "/_sim/callbacks",
            None,
            &json!({"kind": "card_action", "app_id": "cli_nope"}),
        )
        .await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn a_second_app_has_its_own_long_connection() {
    let h = start().await;
    h.config(json!({"registration_interval_secs": 1})).await;
    h.form("/oauth/v1/app/registration", &[("action", "begin")])
        .await;
    let second = h
        .post("/_sim/registration/confirm", None, &json!({}))
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
    let endpoint = h
        .post(
            "/callback/ws/endpoint",
            None,
            &json!({"AppID": second, "AppSecret": secret}),
        )
        .await;
    assert_eq!(endpoint.body["code"], 0, "{}", endpoint.body);
    let url = endpoint.body["data"]["URL"].as_str().unwrap().to_string();
    let (_ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("connects");
    let stats = h.get("/_sim/ws/stats", None).await.body;
    assert_eq!(stats["connection_ids"][0]["app_id"], second.as_str());
    // A push for the primary app finds no connection of its own.
    let primary = h
        .post(
            "/_sim/ws/push",
            None,
            &json!({"kind": "event", "wait_ms": 100}),
        )
        .await;
    assert_eq!(primary.status, 400, "{}", primary.body);
    let wrong = h
        .post(
            "/callback/ws/endpoint",
            None,
            &json!({"AppID": second, "AppSecret": h.sim.app.app_secret}),
        )
        .await;
    assert_eq!(wrong.body["code"], 514);
}
