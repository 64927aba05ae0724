//! Callbacks delivered to a receiver in the test, checked with `lark_platform::crypto`.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use lark_platform::crypto;
use serde_json::{json, Value};

use crate::common::{start, start_with, Harness};

/// What the receiver saw.
#[derive(Clone, Debug)]
struct Seen {
    headers: HeaderMap,
    body: Vec<u8>,
}

struct Receiver {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

/// A tiny app endpoint: decrypts when it can and answers the challenge, else a toast.
async fn receiver(encrypt_key: Option<String>) -> Receiver {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/callback",
        post(move |headers: HeaderMap, body: Bytes| {
            let log = log.clone();
            let key = encrypt_key.clone();
            async move {
                log.lock().unwrap().push(Seen {
                    headers,
                    body: body.to_vec(),
                });
                let mut value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                if let (Some(encrypted), Some(key)) = (value["encrypt"].as_str(), key.as_deref()) {
                    let plain = crypto::decrypt(key, encrypted).unwrap_or_default();
                    value = serde_json::from_slice(&plain).unwrap_or(Value::Null);
                }
                if value["type"] == "url_verification" {
                    axum::Json(json!({"challenge": value["challenge"]}))
                } else {
                    axum::Json(json!({"toast": {"type": "success", "content": "acked"}}))
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Receiver { url, seen }
}

fn header<'a>(seen: &'a Seen, name: &str) -> Option<&'a str> {
    seen.headers.get(name).and_then(|v| v.to_str().ok())
}

fn decrypt(h: &Harness, seen: &Seen) -> Value {
    let key = h.sim.app.encrypt_key.as_deref().unwrap();
    let outer: Value = serde_json::from_slice(&seen.body).unwrap();
    let plain = crypto::decrypt(key, outer["encrypt"].as_str().expect("encrypted body")).unwrap();
    serde_json::from_slice(&plain).unwrap()
}

async fn deliver(h: &Harness, body: Value) -> Value {
    let answer = h.post("/_sim/callbacks", None, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

#[tokio::test]
async fn url_verification_is_encrypted_and_unsigned() {
    let h = start().await;
    let r = receiver(h.sim.app.encrypt_key.clone()).await;
    let result = deliver(&h, json!({"url": r.url, "kind": "url_verification"})).await;
    assert_eq!(result["status"], 200);
    let seen = r.seen.lock().unwrap()[0].clone();
    assert!(header(&seen, "X-Lark-Signature").is_none());
    let plain = decrypt(&h, &seen);
    assert_eq!(plain["type"], "url_verification");
    assert_eq!(plain["token"], h.sim.app.verification_token.as_str());
    assert!(plain.get("header").is_none());
    assert_eq!(result["body"]["challenge"], plain["challenge"]);
    assert!(result["latency_ms"].is_u64());
}

#[tokio::test]
async fn events_are_encrypted_and_signed_with_the_encrypt_key() {
    let h = start().await;
    let key = h.sim.app.encrypt_key.clone().unwrap();
    let r = receiver(Some(key.clone())).await;
    for event_type in ["im.message.receive_v1", "im.chat.disbanded_v1"] {
        deliver(
            &h,
            json!({"url": r.url, "kind": "event", "event_type": event_type}),
        )
        .await;
    }
    let seen = r.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for (seen, event_type) in seen
        .iter()
        .zip(["im.message.receive_v1", "im.chat.disbanded_v1"])
    {
        let ts = header(seen, "X-Lark-Request-Timestamp").unwrap();
        let nonce = header(seen, "X-Lark-Request-Nonce").unwrap();
        let signature = header(seen, "X-Lark-Signature").unwrap();
        assert_eq!(
            crypto::event_signature(ts, nonce, &key, &seen.body),
            signature
        );
        let plain = decrypt(&h, seen);
        assert_eq!(plain["schema"], "2.0");
        assert_eq!(plain["header"]["event_type"], event_type);
        assert_eq!(
            plain["header"]["token"],
            h.sim.app.verification_token.as_str()
        );
        assert_eq!(plain["header"]["app_id"], h.sim.app.app_id.as_str());
    }
}

#[tokio::test]
async fn card_action_refers_to_the_sent_card_and_returns_the_answer() {
    let h = start().await;
    let key = h.sim.app.encrypt_key.clone().unwrap();
    let token = h.token().await;
    let (chat, _) = h.chats();
    let sent = h.send_card(&token, "chat_id", &chat).await;
    let message_id = sent.body["data"]["message_id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = receiver(Some(key.clone())).await;
    let result = deliver(
        &h,
        json!({"url": r.url, "kind": "card_action", "value": {"action": "resolve", "incident": 7}}),
    )
    .await;
    assert_eq!(result["body"]["toast"]["content"], "acked");
    let seen = r.seen.lock().unwrap()[0].clone();
    let ts = header(&seen, "X-Lark-Request-Timestamp").unwrap();
    let nonce = header(&seen, "X-Lark-Request-Nonce").unwrap();
    assert_eq!(
        crypto::event_signature(ts, nonce, &key, &seen.body),
        header(&seen, "X-Lark-Signature").unwrap()
    );
    let plain = decrypt(&h, &seen);
    assert_eq!(plain["header"]["event_type"], "card.action.trigger");
    assert_eq!(
        plain["event"]["context"]["open_message_id"],
        message_id.as_str()
    );
    assert_eq!(plain["event"]["context"]["open_chat_id"], chat.as_str());
    assert_eq!(plain["event"]["action"]["value"]["incident"], 7);
    assert!(plain["event"]["token"].as_str().unwrap().starts_with("c-"));
}

#[tokio::test]
async fn legacy_card_action_is_plain_and_sha1_signed_with_the_verification_token() {
    let h = start().await;
    let r = receiver(None).await;
    deliver(
        &h,
        json!({"url": r.url, "kind": "legacy_card_action", "message_id": "om_given"}),
    )
    .await;
    let seen = r.seen.lock().unwrap()[0].clone();
    let ts = header(&seen, "X-Lark-Request-Timestamp").unwrap();
    let nonce = header(&seen, "X-Lark-Request-Nonce").unwrap();
    let expected =
        crypto::legacy_card_signature(ts, nonce, &h.sim.app.verification_token, &seen.body);
    assert_eq!(header(&seen, "X-Lark-Signature").unwrap(), expected);
    let plain: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(plain["open_message_id"], "om_given");
    assert!(
        plain["token"].as_str().unwrap().starts_with("c-"),
        "card-update token, not the verification token"
    );
    assert!(plain.get("encrypt").is_none());
}

#[tokio::test]
async fn unencrypted_delivery_and_apps_without_a_key() {
    let h = start().await;
    let key = h.sim.app.encrypt_key.clone().unwrap();
    let r = receiver(None).await;
    deliver(
        &h,
        json!({"url": r.url, "kind": "im.message.receive_v1", "encrypt": false, "text": "hi"}),
    )
    .await;
    let seen = r.seen.lock().unwrap()[0].clone();
    let plain: Value = serde_json::from_slice(&seen.body).unwrap();
    assert_eq!(plain["header"]["event_type"], "im.message.receive_v1");
    assert_eq!(plain["event"]["message"]["content"], r#"{"text":"hi"}"#);
    let ts = header(&seen, "X-Lark-Request-Timestamp").unwrap();
    let nonce = header(&seen, "X-Lark-Request-Nonce").unwrap();
    assert_eq!(
        crypto::event_signature(ts, nonce, &key, &seen.body),
        header(&seen, "X-Lark-Signature").unwrap()
    );

    let plain_app = start_with(lark_sim::SimConfig {
        credentials: lark_sim::CredentialChoice {
            encrypt_key: Some(String::new()),
            ..Default::default()
        },
        ..Default::default()
    })
    .await;
    let r = receiver(None).await;
    let result = deliver(
        &plain_app,
        json!({"url": r.url, "kind": "url_verification"}),
    )
    .await;
    assert_eq!(result["status"], 200);
    deliver(&plain_app, json!({"url": r.url, "kind": "event"})).await;
    let seen = r.seen.lock().unwrap().clone();
    let challenge: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(challenge["type"], "url_verification");
    assert!(
        header(&seen[1], "X-Lark-Signature").is_none(),
        "no key, no signature"
    );
    let refused = plain_app
        .post(
            "/_sim/callbacks",
            None,
            &json!({"url": r.url, "kind": "event", "encrypt": true}),
        )
        .await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn only_loopback_targets() {
    let h = start().await;
    for url in [
        "http://example.com/cb",
        "https://127.0.0.1/cb",
        "http://10.0.0.1/cb",
        "nonsense",
    ] {
        let refused = h
            .post(
                "/_sim/callbacks",
                None,
                &json!({"url": url, "kind": "event"}),
            )
            .await;
        assert_eq!(refused.status, 400, "{url}");
    }
    let bad_kind = h
        .post(
            "/_sim/callbacks",
            None,
            &json!({"url": "http://127.0.0.1:1/cb", "kind": "nope"}),
        )
        .await;
    assert_eq!(bad_kind.status, 400);
    let unreachable = h
        .post(
            "/_sim/callbacks",
            None,
            &json!({"url": "http://127.0.0.1:1/cb", "kind": "event"}),
        )
        .await;
    assert_eq!(unreachable.status, 502);
}
