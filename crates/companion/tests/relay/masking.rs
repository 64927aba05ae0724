//! Integrations put keys into the upstream URL: in the query, the user name and password, or a
//! path segment (`/hook/<key>/...`). The relay sends to the real URL but shows and stores it
//! with those parts masked: status, records, outbox rows, replays, errors and the database.

use std::sync::{Arc, Mutex};

use axum::http::{HeaderMap, Uri};
use companion::relay::{ForwardMode, OutboxState, RequestKind};
use serde_json::json;

use crate::common::*;

const USER: &str = "hookuser";
const PASSWORD: &str = "s3cr3tpw";
const PATH_KEY: &str = "AbC123dEf456GhI789jkl";
const QUERY_KEY: &str = "qv-secret-1";

fn upstream_url(addr: std::net::SocketAddr) -> String {
    format!("http://{USER}:{PASSWORD}@{addr}/hook/{PATH_KEY}/x?key={QUERY_KEY}")
}

fn assert_masked(what: &str, text: &str) {
    for secret in [USER, PASSWORD, PATH_KEY, QUERY_KEY] {
        assert!(!text.contains(secret), "{what} shows {secret}: {text}");
    }
}

/// Answers `{}` to any POST and remembers the path and query it was sent to, and whether
/// credentials came along.
async fn any_path_upstream() -> (std::net::SocketAddr, Arc<Mutex<Vec<(String, bool)>>>) {
    let seen: Arc<Mutex<Vec<(String, bool)>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
        let log = log.clone();
        async move {
            let authorized = headers.contains_key("authorization");
            log.lock().unwrap().push((uri.to_string(), authorized));
            axum::Json(json!({}))
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    (addr, seen)
}

#[tokio::test]
async fn keys_in_the_upstream_url_are_sent_but_never_shown() {
    let (addr, seen) = any_path_upstream().await;
    let down = free_port().await;
    let sim = sim().await;
    let keys = keys_of(&sim);
    let h = start(
        sim,
        quick_config(),
        vec![
            ProfileSpec {
                name: "main",
                keys: keys.clone(),
                upstream: Some((upstream_url(addr), ForwardMode::Resign)),
            },
            ProfileSpec {
                name: "down",
                keys,
                upstream: Some((upstream_url(down), ForwardMode::Resign)),
            },
        ],
    )
    .await;

    // The status names the upstream readably, keys masked.
    let status = h.relay.status().unwrap();
    for url in &status.urls {
        let shown = url.upstream.clone().unwrap();
        assert_masked("the status", &shown);
        assert!(
            shown.contains("/hook/<redacted>/x?key=<redacted>"),
            "{shown}"
        );
    }

    h.deliver("main", json!({"kind": "event"})).await;
    h.deliver("main", json!({"kind": "card_action"})).await;
    h.deliver("down", json!({"kind": "event"})).await;
    wait_for("the event delivered and the other tried", || {
        let records = h.records();
        let delivered = records
            .iter()
            .any(|r| r.profile == "main" && r.outbox == Some(OutboxState::Delivered));
        let tried = records
            .iter()
            .any(|r| r.profile == "down" && r.attempts >= 1);
        (delivered && tried).then_some(())
    })
    .await;
    // The upstream got the real URL, and the credentials (as basic auth).
    let got = seen.lock().unwrap().clone();
    assert_eq!(got.len(), 2, "{got:?}");
    for (uri, authorized) in &got {
        assert_eq!(uri, &format!("/hook/{PATH_KEY}/x?key={QUERY_KEY}"));
        assert!(authorized);
    }

    // Records, errors, replays and curl exports show it masked.
    let event = h
        .records()
        .into_iter()
        .find(|r| r.profile == "main" && r.kind == RequestKind::EventV2)
        .unwrap();
    let replayed = h.relay.replay(event.id, None).await.unwrap();
    assert_eq!(replayed.status, Some(200), "{replayed:?}");
    assert_masked("the replay's URL", &replayed.url);
    for record in h.records() {
        let detail = h.relay.detail(record.id).unwrap();
        let text = format!("{detail:?}");
        assert_masked("a record", &text);
        assert!(detail.upstream_url.is_some(), "{text}");
        assert_masked("a curl export", &h.relay.export_curl(record.id).unwrap());
    }
    let failed = h
        .records()
        .into_iter()
        .find(|r| r.profile == "down")
        .unwrap();
    let error = h.relay.detail(failed.id).unwrap().upstream_error.unwrap();
    assert!(error.contains("connect"), "{error}");

    // Nor is any of it in the database files (outbox rows and WAL included).
    h.relay.stop().await;
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(h.dir.path()).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    for secret in [USER, PASSWORD, PATH_KEY, QUERY_KEY] {
        let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
        assert!(!found, "{secret} is stored in the database");
    }
}
