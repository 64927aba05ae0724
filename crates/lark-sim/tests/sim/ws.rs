//! The long connection with a protobuf WebSocket client written here.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use lark_platform::frame::{Frame, FrameType};
use lark_platform::ws_types::ResponsePayload;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::common::{start, Harness};

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn endpoint(h: &Harness) -> Value {
    let app = &h.sim.app;
    let answer = h
        .post(
            "/callback/ws/endpoint",
            None,
            &json!({"AppID": app.app_id, "AppSecret": app.app_secret}),
        )
        .await;
    assert_eq!(answer.status, 200);
    answer.body
}

async fn connect(h: &Harness) -> (Ws, i32) {
    let body = endpoint(h).await;
    assert_eq!(body["code"], 0, "{body}");
    let url = body["data"]["URL"].as_str().unwrap().to_string();
    let service: i32 = url::Url::parse(&url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "service_id")
        .unwrap()
        .1
        .parse()
        .unwrap();
    let (ws, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("ws connects");
    (ws, service)
}

/// The next binary frame, or `None` after `wait`.
async fn next_frame(ws: &mut Ws, wait: Duration) -> Option<Frame> {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let message = tokio::time::timeout_at(deadline, ws.next())
            .await
            .ok()??
            .ok()?;
        match message {
            Message::Binary(bytes) => return Frame::decode_bytes(&bytes).ok(),
            Message::Close(_) => return None,
            _ => continue,
        }
    }
}

const WAIT: Duration = Duration::from_secs(5);

#[tokio::test]
async fn endpoint_discovery_and_its_codes() {
    let h = start().await;
    let bad = h
        .post(
            "/callback/ws/endpoint",
            None,
            &json!({"AppID": h.sim.app.app_id, "AppSecret": "wrong"}),
        )
        .await;
    assert_eq!((bad.status, bad.code()), (200, 514));
    let ok = endpoint(&h).await;
    let url = ok["data"]["URL"].as_str().unwrap();
    assert!(url.starts_with(&format!("ws://{}/ws?device_id=", h.sim.addr)));
    assert!(url.contains("&service_id="));
    assert_eq!(ok["data"]["ClientConfig"]["PingInterval"], 120);
    assert_eq!(ok["data"]["ClientConfig"]["ReconnectCount"], -1);
    // A URL is good for one handshake.
    let (_ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let again = tokio_tungstenite::connect_async(url).await;
    assert!(again.is_err());

    h.config(json!({"ws_max_connections": 1})).await;
    let limit = endpoint(&h).await;
    assert_eq!(limit["code"], 1_000_040_350_i64);
}

/// Every refusal of the endpoint keeps a `data` object: the official Node SDK destructures
/// `data.URL` before it looks at `code`, and without `data` it crashes into a retry loop instead
/// of reporting the refusal (514 and the connection limit are not retryable).
#[tokio::test]
async fn endpoint_refusals_keep_a_data_object() {
    let h = start().await;
    let bad = h
        .post(
            "/callback/ws/endpoint",
            None,
            &json!({"AppID": h.sim.app.app_id, "AppSecret": "wrong"}),
        )
        .await;
    assert_eq!(bad.code(), 514);
    assert!(bad.body["data"].is_object(), "{}", bad.body);
    h.config(json!({"ws_max_connections": 0})).await;
    let limit = endpoint(&h).await;
    assert_eq!(limit["code"], 1_000_040_350_i64);
    assert!(limit["data"].is_object(), "{limit}");
    h.config(json!({"fail": [{"endpoint": "ws_endpoint", "code": 1, "http_status": 200}]}))
        .await;
    let busy = endpoint(&h).await;
    assert_eq!(busy["code"], 1);
    assert!(busy["data"].is_object(), "{busy}");
}

#[tokio::test]
async fn ping_gets_a_pong_with_the_client_config() {
    let h = start().await;
    let (mut ws, service) = connect(&h).await;
    ws.send(Message::Binary(Frame::ping(service).encode_bytes().into()))
        .await
        .unwrap();
    let pong = next_frame(&mut ws, WAIT).await.expect("pong");
    assert_eq!(pong.frame_type(), Some(FrameType::Pong));
    assert_eq!(pong.method, 0);
    assert_eq!(pong.service, service);
    let config: Value = serde_json::from_slice(pong.payload_bytes()).unwrap();
    assert_eq!(config["PingInterval"], 120);
    h.config(json!({"ws_client_config": {"ReconnectCount": 3, "ReconnectInterval": 5, "ReconnectNonce": 1, "PingInterval": 7}}))
        .await;
    ws.send(Message::Binary(Frame::ping(service).encode_bytes().into()))
        .await
        .unwrap();
    let pong = next_frame(&mut ws, WAIT).await.expect("pong");
    let config: Value = serde_json::from_slice(pong.payload_bytes()).unwrap();
    assert_eq!(config["PingInterval"], 7);
    assert_eq!(config["ReconnectCount"], 3);
}

#[tokio::test]
async fn fragmented_card_action_and_the_clients_answer() {
    let h = start().await;
    let (mut ws, _) = connect(&h).await;
    let pusher = {
        let http = h.http.clone();
        let url = h.url("/_sim/ws/push");
        tokio::spawn(async move {
            let response = http
                .post(url)
                .json(&json!({"kind": "card_action", "fragments": 3, "value": {"action": "ack"}}))
                .send()
                .await
                .unwrap();
            response.json::<Value>().await.unwrap()
        })
    };
    let mut parts = Vec::new();
    for _ in 0..3 {
        parts.push(next_frame(&mut ws, WAIT).await.expect("data frame"));
    }
    let message_id = parts[0].header("message_id").unwrap().to_string();
    for (i, frame) in parts.iter().enumerate() {
        assert_eq!(frame.method, 1);
        assert_eq!(frame.frame_type(), Some(FrameType::Event));
        assert_eq!(frame.header("sum"), Some("3"));
        assert_eq!(frame.header("seq"), Some(i.to_string().as_str()));
        assert_eq!(frame.header("message_id"), Some(message_id.as_str()));
        assert!(frame.header("trace_id").is_some());
    }
    let joined: Vec<u8> = parts
        .iter()
        .flat_map(|f| f.payload_bytes().to_vec())
        .collect();
    let event: Value = serde_json::from_slice(&joined).unwrap();
    assert_eq!(event["header"]["event_type"], "card.action.trigger");
    let toast = json!({"toast": {"type": "success", "content": "done"}});
    let reply = parts[2].to_response(
        &ResponsePayload::ok_with_json(toast.to_string().as_bytes()),
        12,
    );
    ws.send(Message::Binary(reply.encode_bytes().into()))
        .await
        .unwrap();
    let result = tokio::time::timeout(WAIT, pusher).await.unwrap().unwrap();
    assert_eq!(result["message_id"], message_id.as_str());
    assert_eq!(result["answered"], true);
    assert_eq!(result["answer"]["code"], 200);
    assert_eq!(result["answer"]["biz_rt"], 12);
    assert_eq!(result["answer"]["data"], toast);
    let stats = h.get("/_sim/ws/stats", None).await;
    assert_eq!(stats.body["answered"], 1);
    assert_eq!(stats.body["messages"][&message_id]["pushes"], 1);
}

#[tokio::test]
async fn unanswered_messages_are_pushed_again() {
    let h = start().await;
    h.config(json!({"ws_answer_timeout_ms": 200, "ws_max_repushes": 3}))
        .await;
    let (mut ws, _) = connect(&h).await;
    let push = h
        .post(
            "/_sim/ws/push",
            None,
            &json!({"kind": "event", "wait_ms": 50}),
        )
        .await;
    assert_eq!(push.body["answered"], false);
    let message_id = push.body["message_id"].as_str().unwrap().to_string();
    let first = next_frame(&mut ws, WAIT).await.expect("first push");
    let second = next_frame(&mut ws, WAIT).await.expect("re-push");
    assert_eq!(first.header("message_id"), second.header("message_id"));
    ws.send(Message::Binary(
        second
            .to_response(&ResponsePayload::ok(), 1)
            .encode_bytes()
            .into(),
    ))
    .await
    .unwrap();
    // Bounded wait for the answer to be recorded.
    let mut answered = false;
    for _ in 0..50 {
        let stats = h.get("/_sim/ws/stats", None).await;
        if stats.body["messages"][&message_id]["answer"]["code"] == 200 {
            assert!(
                stats.body["messages"][&message_id]["pushes"]
                    .as_u64()
                    .unwrap()
                    >= 2
            );
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answered);
}

#[tokio::test]
async fn each_message_goes_to_one_client() {
    let h = start().await;
    h.config(json!({"ws_max_repushes": 0})).await;
    let (mut a, _) = connect(&h).await;
    let (mut b, _) = connect(&h).await;
    let push = h
        .post(
            "/_sim/ws/push",
            None,
            &json!({"kind": "event", "count": 20}),
        )
        .await;
    assert_eq!(push.body["message_ids"].as_array().unwrap().len(), 20);
    let mut got = (0, 0);
    while next_frame(&mut a, Duration::from_millis(300))
        .await
        .is_some()
    {
        got.0 += 1;
    }
    while next_frame(&mut b, Duration::from_millis(300))
        .await
        .is_some()
    {
        got.1 += 1;
    }
    assert_eq!(got.0 + got.1, 20);
    assert!(got.0 > 0 && got.1 > 0, "random spread: {got:?}");
    let stats = h.get("/_sim/ws/stats", None).await;
    assert_eq!(stats.body["connections"], 2);
    for message in stats.body["messages"].as_object().unwrap().values() {
        assert_eq!(message["delivered_to"].as_array().unwrap().len(), 1);
    }
}

#[tokio::test]
async fn legacy_cards_travel_as_card_frames_and_drop_closes_everything() {
    let h = start().await;
    let none = h
        .post("/_sim/ws/push", None, &json!({"kind": "event"}))
        .await;
    assert_eq!(none.status, 400, "no client connected");
    let (mut ws, _) = connect(&h).await;
    h.post(
        "/_sim/ws/push",
        None,
        &json!({"kind": "legacy_card_action", "wait_ms": 10}),
    )
    .await;
    let frame = next_frame(&mut ws, WAIT).await.expect("card frame");
    assert_eq!(frame.frame_type(), Some(FrameType::Card));
    let dropped = h.post("/_sim/ws/drop", None, &json!({})).await;
    assert_eq!(dropped.body["dropped"], 1);
    assert!(
        next_frame(&mut ws, WAIT).await.is_none(),
        "server closed the socket"
    );
    let stats = h.get("/_sim/ws/stats", None).await;
    assert_eq!(stats.body["connections"], 0);
}
