//! Long-connection input end to end: lark-sim pushes events and card clicks down its WebSocket,
//! the relay records them, forwards them (re-signed) to an HTTP upstream that verifies them with
//! the profile's keys, and sends card answers back down the socket. Two relays share the
//! traffic; a stream survives 20 dropped connections with every event delivered exactly once.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use companion::relay::long_connection::FRAME_HEADER;
use companion::relay::{
    ForwardMode, LongConnectionApp, LongConnectionRelay, RecordFilter, RecordSummary, RelayCore,
    RelayProfile, RelayStore, RequestKind, Upstream, Verdict,
};
use lark_platform::secret::Secret;
use lark_platform::ws_client::ConnectionState;
use lark_sim::SimHandle;
use serde_json::{json, Value};

use crate::common::*;

struct Lc {
    relay: LongConnectionRelay,
    _dir: tempfile::TempDir,
}

fn app(sim: &SimHandle) -> LongConnectionApp {
    LongConnectionApp {
        base_url: sim.base_url.clone(),
        app_id: sim.app.app_id.clone(),
        app_secret: Secret::new(sim.app.app_secret.clone()),
    }
}

/// A long-connection relay for profile `main` with the simulator's keys.
async fn relay(sim: &SimHandle, upstream: Option<&TestUpstream>) -> Lc {
    let dir = tempfile::tempdir().unwrap();
    let store = RelayStore::open(dir.path()).unwrap();
    let upstream = upstream.map(|u| Upstream::parse(&u.url, ForwardMode::Transparent).unwrap());
    let profile = RelayProfile::new("main", keys_of(sim), upstream);
    let core = RelayCore::new(quick_config(), vec![profile], store).unwrap();
    let relay = LongConnectionRelay::start(core, "main", app(sim)).unwrap();
    assert!(
        relay.wait_connected(WAIT).await,
        "{:?}",
        *relay.state().borrow()
    );
    Lc { relay, _dir: dir }
}

fn records(lc: &Lc) -> Vec<RecordSummary> {
    lc.relay
        .core()
        .store()
        .list(&RecordFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .unwrap()
}

/// POSTs `body` to one of lark-sim's control endpoints and expects 200.
async fn sim_post(sim: &SimHandle, path: &str, body: &Value) -> reqwest::Response {
    let response = reqwest::Client::builder()
        .no_proxy()
        .build()
        .unwrap()
        .post(format!("{}{path}", sim.base_url))
        .json(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response
}

async fn push(sim: &SimHandle, body: Value) -> Value {
    sim_post(sim, "/_sim/ws/push", &body)
        .await
        .json()
        .await
        .unwrap()
}

async fn sim_config(sim: &SimHandle, patch: Value) {
    sim_post(sim, "/_sim/config", &patch).await;
}

#[tokio::test]
async fn events_and_card_actions_reach_the_upstream_and_answers_come_back() {
    let sim = sim().await;
    let upstream = TestUpstream::start(keys_of(&sim)).await;
    let lc = relay(&sim, Some(&upstream)).await;

    let event = push(
        &sim,
        json!({"kind": "event", "event_type": "im.message.receive_v1", "fragments": 3}),
    )
    .await;
    assert_eq!(event["answered"], true, "{event}");
    assert_eq!(event["answer"]["code"], 200);
    let seen = wait_for("the event upstream", || {
        upstream
            .seen()
            .into_iter()
            .find(|s| s.kind == Some(RequestKind::EventV2))
    })
    .await;
    assert_eq!(seen.verify_error, None, "re-signed with the profile's keys");
    assert!(seen
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("x-lark-signature")));

    let card = push(
        &sim,
        json!({"kind": "card_action", "value": {"action": "ack"}}),
    )
    .await;
    assert_eq!(card["answered"], true, "{card}");
    assert_eq!(card["answer"]["code"], 200);
    assert_eq!(
        card["answer"]["data"]["toast"]["content"], "from upstream",
        "the upstream's answer went back down the socket"
    );
    assert!(card["answer"]["biz_rt"].as_u64().unwrap() < 3000);

    let legacy = push(&sim, json!({"kind": "legacy_card_action"})).await;
    assert_eq!(legacy["answered"], true, "{legacy}");
    assert_eq!(
        legacy["answer"]["data"]["toast"]["content"],
        "from upstream"
    );
    wait_for("the legacy card upstream", || {
        upstream
            .seen()
            .into_iter()
            .find(|s| s.kind == Some(RequestKind::LegacyCardAction))
    })
    .await;
    assert!(upstream.seen().iter().all(|s| s.verify_error.is_none()));

    let all = records(&lc);
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|r| r.verdict == Verdict::Accepted));
    let legacy_record = all
        .iter()
        .find(|r| r.kind == RequestKind::LegacyCardAction)
        .unwrap();
    let detail = lc.relay.core().store().detail(legacy_record.id).unwrap();
    assert_eq!(detail.path, "/long-connection/main");
    let frame = detail
        .headers
        .iter()
        .find(|h| h.name == FRAME_HEADER)
        .unwrap();
    assert!(frame.value.starts_with("card (legacy"), "{}", frame.value);
    assert_eq!(detail.forward_mode, Some(ForwardMode::Resign));
    lc.relay.stop().await;
}

#[tokio::test]
async fn without_an_upstream_the_builtin_handler_answers_down_the_socket() {
    let sim = sim().await;
    let lc = relay(&sim, None).await;
    let card = push(
        &sim,
        json!({"kind": "card_action", "value": {"action": "ack"}}),
    )
    .await;
    assert_eq!(card["answered"], true, "{card}");
    assert_eq!(card["answer"]["code"], 200);
    assert!(card["answer"]["data"].is_object(), "{card}");
    let all = records(&lc);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].answered_by.as_str(), "built_in");
    lc.relay.stop().await;
}

#[tokio::test]
async fn auth_failure_is_a_clear_error() {
    let sim = sim().await;
    let dir = tempfile::tempdir().unwrap();
    let store = RelayStore::open(dir.path()).unwrap();
    let core = RelayCore::new(
        quick_config(),
        vec![RelayProfile::new("main", keys_of(&sim), None)],
        store,
    )
    .unwrap();
    let mut bad = app(&sim);
    bad.app_secret = Secret::new("not-the-secret-42");
    let relay = LongConnectionRelay::start(core, "main", bad).unwrap();
    assert!(!relay.wait_connected(WAIT).await);
    let ConnectionState::Failed { reason } = relay.state().borrow().clone() else {
        panic!("failed expected");
    };
    assert!(reason.contains("514"), "{reason}");
    assert!(!reason.contains("not-the-secret-42"));
    relay.stop().await;
}

#[tokio::test]
async fn two_relays_share_the_traffic_with_nothing_lost_or_duplicated() {
    let sim = sim().await;
    let upstream = TestUpstream::start(keys_of(&sim)).await;
    let a = relay(&sim, Some(&upstream)).await;
    let b = relay(&sim, Some(&upstream)).await;
    let pushed = push(&sim, json!({"kind": "event", "count": 200})).await;
    assert_eq!(pushed["message_ids"].as_array().unwrap().len(), 200);
    wait_for("200 events upstream", || {
        (upstream.event_ids().len() >= 200).then_some(())
    })
    .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let ids = upstream.event_ids();
    assert_eq!(ids.len(), 200, "nothing duplicated");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 200);
    let (ra, rb) = (records(&a).len(), records(&b).len());
    assert_eq!(ra + rb, 200);
    assert!(ra > 0 && rb > 0, "both relays got traffic: {ra} / {rb}");
    a.relay.stop().await;
    b.relay.stop().await;
}

#[tokio::test]
async fn twenty_dropped_connections_during_1000_events_lose_and_duplicate_nothing() {
    let sim = sim().await;
    sim_config(
        &sim,
        json!({"ws_answer_timeout_ms": 400, "ws_max_repushes": 100,
            "ws_client_config": {"ReconnectCount": -1, "ReconnectInterval": 1,
                "ReconnectNonce": 0, "PingInterval": 120}}),
    )
    .await;
    let upstream = TestUpstream::start(keys_of(&sim)).await;
    let lc = relay(&sim, Some(&upstream)).await;
    let started = Instant::now();
    let mut pushed = Vec::new();
    for _ in 0..20 {
        let deadline = Instant::now() + WAIT;
        while sim.state.ws.connection_count() == 0 {
            assert!(Instant::now() < deadline, "the relay did not reconnect");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let batch = push(&sim, json!({"kind": "event", "count": 50})).await;
        pushed.extend(
            batch["message_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_string()),
        );
        // Drop while the batch is in flight.
        tokio::time::sleep(Duration::from_millis(15)).await;
        assert_eq!(sim.state.ws.drop_all(), 1);
    }
    assert_eq!(pushed.len(), 1000);
    let deadline = Instant::now() + Duration::from_secs(90);
    while upstream.event_ids().len() < 1000 {
        assert!(
            Instant::now() < deadline,
            "only {} of 1000 events delivered",
            upstream.event_ids().len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let ids = upstream.event_ids();
    assert_eq!(ids.len(), 1000, "no event delivered twice");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 1000);
    assert!(upstream.seen().iter().all(|s| s.verify_error.is_none()));
    let stats = sim.state.ws.stats();
    assert!(stats["total_connections"].as_u64().unwrap() >= 21);
    let repushed = stats["messages"]
        .as_object()
        .unwrap()
        .values()
        .filter(|m| m["pushes"].as_u64().unwrap_or(0) > 1)
        .count();
    eprintln!(
        "1000 events, 20 drops: {repushed} messages pushed more than once, {} repeats answered \
         from the cache, {:?}",
        lc.relay.counters().repeats,
        started.elapsed()
    );
    lc.relay.stop().await;
}

/// The watcher behind "the long connection is lost": a connection down longer than the limit is
/// one episode, over once the relay is connected again. The simulator goes away (its port
/// closed) and comes back on the same port with the same app.
#[tokio::test]
async fn a_connection_down_past_the_limit_is_one_notice_cleared_once_it_reconnects() {
    use companion::notices::watch::{RelayLimits, RelayWatch};
    use companion::notices::{NoticeBoard, NoticeKind};
    let config = lark_sim::SimConfig {
        seed: Some(7),
        ws: lark_sim::WsConfig {
            client_config: lark_platform::ws_types::ClientConfig {
                reconnect_interval: 1,
                reconnect_nonce: 0,
                ..Default::default()
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let sim = lark_sim::Sim::start(config.clone()).await.unwrap();
    let addr = sim.addr;
    let lc = relay(&sim, None).await;
    let board = NoticeBoard::default();
    let mut watch = RelayWatch::new(RelayLimits {
        connection_lost: Duration::from_millis(300),
        ..Default::default()
    });
    let lost = || {
        board
            .list()
            .into_iter()
            .filter(|n| n.kind == NoticeKind::LongConnectionLost)
            .collect::<Vec<_>>()
    };
    let mut look = |board: &NoticeBoard| {
        for (kind, finding) in watch.assess(lc.relay.core(), Instant::now()) {
            board.set("main", kind, finding, chrono::Utc::now());
        }
    };
    look(&board);
    assert!(lost().is_empty(), "connected: nothing to report");

    sim.shutdown().await;
    let deadline = Instant::now() + WAIT;
    while lost().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no notice while the connection is down"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        look(&board);
    }
    for _ in 0..5 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        look(&board);
    }
    assert_eq!(lost().len(), 1, "one episode, one notice");

    let back = lark_sim::Sim::start(lark_sim::SimConfig {
        listen: addr,
        ..config
    })
    .await
    .unwrap();
    let deadline = Instant::now() + WAIT;
    while lost()[0].cleared_at.is_none() {
        assert!(
            Instant::now() < deadline,
            "not cleared after reconnecting: {:?}",
            *lc.relay.state().borrow()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        look(&board);
    }
    assert_eq!(lost().len(), 1);
    lc.relay.stop().await;
    back.shutdown().await;
}
