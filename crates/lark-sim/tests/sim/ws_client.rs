//! `lark_platform::ws_client` against lark-sim's long connection: discovery codes, ping/pong and
//! a config change carried by a pong, fragments, answers, legacy card frames, server-side close
//! and reconnect, a silent connection replaced, clean stop. Every wait is bounded.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lark_platform::frame::FrameType;
use lark_platform::secret::Secret;
use lark_platform::ws_client::{
    discover, ConnectionState, DataMessage, Handler, HandlerAnswer, WsClient, WsClientOptions,
    WsError,
};
use serde_json::{json, Value};

use crate::common::{start, Harness};

const WAIT: Duration = Duration::from_secs(10);

/// Records every message and answers card callbacks with a toast.
#[derive(Default)]
struct Recorder {
    got: Mutex<Vec<DataMessage>>,
}

impl Handler for Recorder {
    async fn handle(&self, message: DataMessage) -> HandlerAnswer {
        let body: Value = serde_json::from_slice(&message.payload).unwrap_or(Value::Null);
        let card = message.kind == FrameType::Card
            || body["header"]["event_type"] == "card.action.trigger";
        self.got.lock().unwrap().push(message);
        if card {
            HandlerAnswer::Ok(Some(
                json!({"toast": {"type": "success", "content": "handled"}})
                    .to_string()
                    .into_bytes(),
            ))
        } else {
            HandlerAnswer::Ok(None)
        }
    }
}

fn options(h: &Harness) -> WsClientOptions {
    WsClientOptions::new(
        &h.sim.base_url,
        &h.sim.app.app_id,
        Secret::new(h.sim.app.app_secret.clone()),
    )
}

async fn connected(h: &Harness) -> (WsClient, Arc<Recorder>) {
    let recorder = Arc::new(Recorder::default());
    let client = WsClient::start(options(h), recorder.clone());
    assert!(
        client.wait_connected(WAIT).await,
        "{:?}",
        *client.state().borrow()
    );
    (client, recorder)
}

async fn until(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = tokio::time::Instant::now() + WAIT;
    while !check() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits (bounded by [`WAIT`]) for the client to report a state `pick` accepts.
async fn state_where(
    states: &mut tokio::sync::watch::Receiver<ConnectionState>,
    what: &str,
    pick: impl FnMut(&ConnectionState) -> bool,
) -> ConnectionState {
    tokio::time::timeout(WAIT, states.wait_for(pick))
        .await
        .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
        .expect("the client is alive")
        .clone()
}

async fn push(h: &Harness, body: Value) -> Value {
    let answer = h.post("/_sim/ws/push", None, &body).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.body
}

#[tokio::test]
async fn discovery_codes_are_typed_errors_without_the_secret() {
    let h = start().await;
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let wrong = Secret::new("wrong-secret-123");
    let e = discover(&http, &h.sim.base_url, &h.sim.app.app_id, &wrong)
        .await
        .unwrap_err();
    assert_eq!(e, WsError::AuthFailed);
    assert!(!e.to_string().contains("wrong-secret-123"));

    // A client with the wrong secret fails with the reason, and does not retry.
    let mut bad = options(&h);
    bad.app_secret = wrong;
    let client = WsClient::start(bad, Arc::new(Recorder::default()));
    assert!(!client.wait_connected(WAIT).await);
    let ConnectionState::Failed { reason } = client.state().borrow().clone() else {
        panic!("failed state expected");
    };
    assert!(
        reason.contains("514") && reason.contains("App Secret"),
        "{reason}"
    );
    assert!(!reason.contains("wrong-secret-123"));

    // The connection limit.
    h.config(json!({"ws_max_connections": 1})).await;
    let (first, _) = connected(&h).await;
    let second = WsClient::start(options(&h), Arc::new(Recorder::default()));
    assert!(!second.wait_connected(WAIT).await);
    let ConnectionState::Failed { reason } = second.state().borrow().clone() else {
        panic!("failed state expected");
    };
    assert!(reason.contains("1000040350"), "{reason}");
    first.stop().await;
}

#[tokio::test]
async fn pings_at_the_server_interval_and_applies_config_from_pongs() {
    let h = start().await;
    h.config(
        json!({"ws_client_config": {"ReconnectCount": -1, "ReconnectInterval": 1,
        "ReconnectNonce": 0, "PingInterval": 1}}),
    )
    .await;
    let (client, _) = connected(&h).await;
    assert_eq!(client.client_config().ping_interval, 1);
    until("two pongs", || client.counters().pongs >= 2).await;
    let stats = h.get("/_sim/ws/stats", None).await;
    assert!(stats.body["pings"].as_u64().unwrap() >= 2);
    assert_eq!(client.counters().config_updates, 0);

    h.config(
        json!({"ws_client_config": {"ReconnectCount": 7, "ReconnectInterval": 3,
        "ReconnectNonce": 2, "PingInterval": 1}}),
    )
    .await;
    until("the config from a pong", || {
        client.client_config().reconnect_count == 7
    })
    .await;
    let config = client.client_config();
    assert_eq!((config.reconnect_interval, config.reconnect_nonce), (3, 2));
    assert_eq!(client.counters().config_updates, 1);
    client.stop().await;
}

#[tokio::test]
async fn fragments_are_joined_and_answers_go_back_with_biz_rt() {
    let h = start().await;
    let (client, recorder) = connected(&h).await;
    let answer = push(
        &h,
        json!({"kind": "card_action", "fragments": 4, "value": {"action": "ack"}}),
    )
    .await;
    assert_eq!(answer["answered"], true, "{answer}");
    assert_eq!(answer["answer"]["code"], 200);
    assert_eq!(answer["answer"]["data"]["toast"]["content"], "handled");
    assert!(answer["answer"]["biz_rt"].is_u64());
    let got = recorder.got.lock().unwrap().clone();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].message_id, answer["message_id"].as_str().unwrap());
    let body: Value = serde_json::from_slice(&got[0].payload).expect("joined JSON");
    assert_eq!(body["header"]["event_type"], "card.action.trigger");
    let stats = h.get("/_sim/ws/stats", None).await;
    let id = answer["message_id"].as_str().unwrap();
    assert_eq!(stats.body["messages"][id]["fragments"], 4);

    // An event: answered with code 200 and no data.
    let event = push(
        &h,
        json!({"kind": "event", "event_type": "im.message.receive_v1", "fragments": 2}),
    )
    .await;
    assert_eq!(event["answered"], true);
    assert_eq!(event["answer"]["code"], 200);
    assert!(event["answer"]["data"].is_null());

    // The legacy card callback arrives as a `card` frame and is handled, not dropped.
    let legacy = push(&h, json!({"kind": "legacy_card_action"})).await;
    assert_eq!(legacy["answered"], true);
    assert_eq!(legacy["answer"]["data"]["toast"]["content"], "handled");
    assert_eq!(
        recorder.got.lock().unwrap().last().unwrap().kind,
        FrameType::Card
    );
    assert_eq!(client.counters().messages, 3);
    client.stop().await;
    until("the server saw the close", || {
        h.sim.state.ws.connection_count() == 0
    })
    .await;
}

#[tokio::test]
async fn reconnects_after_a_server_side_close() {
    let h = start().await;
    h.config(
        json!({"ws_client_config": {"ReconnectCount": -1, "ReconnectInterval": 1,
        "ReconnectNonce": 0, "PingInterval": 120}}),
    )
    .await;
    let (client, recorder) = connected(&h).await;
    let mut states = client.state();
    let first_since = match states.borrow_and_update().clone() {
        ConnectionState::Connected { since } => since,
        other => panic!("{other:?}"),
    };
    let dropped = h.post("/_sim/ws/drop", None, &json!({})).await;
    assert_eq!(dropped.body["dropped"], 1);
    // Reconnecting is reported with the attempt number and the next try.
    let seen = state_where(&mut states, "reconnecting reported", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let ConnectionState::Reconnecting { attempt, .. } = seen else {
        unreachable!()
    };
    assert_eq!(attempt, 1);
    let again = state_where(&mut states, "connected again", |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    let ConnectionState::Connected { since } = again else {
        unreachable!()
    };
    assert!(since > first_since);
    assert_eq!(client.counters().connections, 2);
    let answer = push(&h, json!({"kind": "event"})).await;
    assert_eq!(answer["answered"], true);
    assert_eq!(recorder.got.lock().unwrap().len(), 1);
    let stats = h.get("/_sim/ws/stats", None).await;
    assert_eq!(stats.body["total_connections"], 2);
    client.stop().await;
    until("no connection left", || {
        h.sim.state.ws.connection_count() == 0
    })
    .await;
}

#[tokio::test]
async fn a_silent_connection_counts_as_lost_and_is_replaced() {
    let h = start().await;
    h.config(
        json!({"ws_client_config": {"ReconnectCount": -1, "ReconnectInterval": 1,
        "ReconnectNonce": 0, "PingInterval": 1}}),
    )
    .await;
    let (client, recorder) = connected(&h).await;
    let mut states = client.state();
    states.borrow_and_update();
    // The socket stays open but the server goes quiet, as behind a NAT that forgot it.
    h.config(json!({"ws_ignore_pings": true})).await;
    let seen = state_where(&mut states, "a silent connection is noticed", |s| {
        matches!(s, ConnectionState::Reconnecting { .. })
    })
    .await;
    let ConnectionState::Reconnecting { last_error, .. } = seen else {
        unreachable!()
    };
    let reason = last_error.unwrap_or_default();
    assert!(reason.contains("stopped answering pings"), "{reason}");
    h.config(json!({"ws_ignore_pings": false})).await;
    state_where(&mut states, "connected again", |s| {
        matches!(s, ConnectionState::Connected { .. })
    })
    .await;
    let answer = push(&h, json!({"kind": "event"})).await;
    assert_eq!(answer["answered"], true);
    assert_eq!(recorder.got.lock().unwrap().len(), 1);
    client.stop().await;
}

#[tokio::test]
async fn stop_reports_stopped() {
    let h = start().await;
    let (client, _) = connected(&h).await;
    let states = client.state();
    client.stop().await;
    assert_eq!(*states.borrow(), ConnectionState::Stopped);
    until("no connection left", || {
        h.sim.state.ws.connection_count() == 0
    })
    .await;
}
