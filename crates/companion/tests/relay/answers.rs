//! What an upstream answers is stored and shown with secret values masked, like the requests:
//! an upstream that echoes what it received must not put the Verification Token (or a
//! card-update token) into the record, the inspector or the database.

use axum::body::Bytes;
use axum::http::HeaderMap;
use companion::relay::{ForwardMode, RequestKind, TriggerKind, TriggerRequest};
use serde_json::json;

use crate::common::*;

/// An upstream that answers every POST with the body and headers it received.
async fn echo_upstream() -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/echo", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/echo",
        axum::routing::post(|headers: HeaderMap, body: Bytes| async move {
            let headers: Vec<(String, String)> = headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                .collect();
            axum::Json(json!({"echo": String::from_utf8_lossy(&body), "headers": headers}))
        }),
    );
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (url, task)
}

#[tokio::test]
async fn an_echoing_upstream_leaves_no_secret_in_the_record() {
    let (url, _echo) = echo_upstream().await;
    let h = start_one(Some((url.clone(), ForwardMode::Transparent))).await;
    let (ek, vt) = (
        h.sim.app.encrypt_key.clone().unwrap(),
        h.sim.app.verification_token.clone(),
    );
    // Plain bodies: the Verification Token travels in the clear, and comes back in the echo.
    let card = h
        .deliver("main", json!({"kind": "card_action", "encrypt": false}))
        .await;
    assert!(
        card["body"].to_string().contains(&vt),
        "the platform gets the upstream's answer unchanged: {card}"
    );
    let update_token = card["sent"]["plaintext"]["event"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    h.deliver("main", json!({"kind": "event", "encrypt": false}))
        .await;
    h.deliver(
        "main",
        json!({"kind": "url_verification", "encrypt": false}),
    )
    .await;
    // The event's delivery and the challenge's copy are answered in the background.
    wait_for("both background answers recorded", || {
        let records = h.records();
        records
            .iter()
            .filter(|r| r.kind != RequestKind::CardAction && r.upstream_status == Some(200))
            .count()
            .eq(&2)
            .then_some(())
    })
    .await;
    let card_id = h
        .records()
        .iter()
        .find(|r| r.kind == RequestKind::CardAction)
        .unwrap()
        .id;
    let replayed = h.relay.replay(card_id, None).await.unwrap();
    let trigger = h
        .relay
        .trigger(
            "main",
            &TriggerRequest {
                kind: TriggerKind::Event,
                encrypt: Some(false),
                url: Some(url.clone()),
                ..Default::default()
            },
        )
        .await
        .unwrap();

    let mut shown = serde_json::to_string(&replayed).unwrap();
    shown.push_str(&serde_json::to_string(&trigger).unwrap());
    for record in h.records() {
        let detail = h.relay.detail(record.id).unwrap();
        assert!(
            detail.upstream_answer.is_some() || record.kind == RequestKind::CardAction,
            "{detail:?}"
        );
        shown.push_str(&serde_json::to_string(&detail).unwrap());
    }
    for secret in [&ek, &vt, &update_token] {
        assert!(
            !shown.contains(secret.as_str()),
            "a secret value is shown: {shown}"
        );
    }
    assert!(shown.contains("echo"), "the answers are there, masked");

    h.relay.stop().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for secret in [&vt, &update_token] {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "a secret value is stored in the database");
    }
}
