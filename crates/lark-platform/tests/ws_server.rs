//! `lark_platform::ws_client` against a tiny long-connection server written here, on a loopback
//! port, that says what lark-sim never would: a `ClientConfig` with absurd numbers (in the
//! endpoint answer and in pongs), and data frames without a `message_id`. Every wait is bounded.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use lark_platform::frame::{header_keys, Frame, FrameType, METHOD_CONTROL, METHOD_DATA};
use lark_platform::secret::Secret;
use lark_platform::ws_client::{
    ConnectionState, DataMessage, Handler, HandlerAnswer, WsClient, WsClientOptions,
};
use lark_platform::ws_types::ResponsePayload;
use serde_json::{json, Value};
use tokio::sync::mpsc;

const WAIT: Duration = Duration::from_secs(10);

/// What the server says and what it saw.
#[derive(Default)]
struct Server {
    /// `ClientConfig` in the endpoint answer, as raw JSON.
    endpoint_config: Mutex<Value>,
    /// `ClientConfig` in every pong (none when null).
    pong_config: Mutex<Value>,
    /// Endpoint discovery answers "busy" while set.
    busy: Mutex<bool>,
    /// The open connection's outgoing frames.
    connection: Mutex<Option<mpsc::UnboundedSender<Message>>>,
    /// Response frames from the client, in order.
    answers: Mutex<Vec<Frame>>,
    connections: AtomicU64,
    pongs: AtomicU64,
    addr: Mutex<String>,
}

impl Server {
    async fn start(endpoint_config: Value, pong_config: Value) -> Arc<Self> {
        let server = Arc::new(Server {
            endpoint_config: Mutex::new(endpoint_config),
            pong_config: Mutex::new(pong_config),
            ..Server::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        *server.addr.lock().unwrap() = listener.local_addr().unwrap().to_string();
        let app = axum::Router::new()
            .route("/callback/ws/endpoint", post(endpoint))
            .route("/ws", get(upgrade))
            .with_state(server.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        server
    }

    fn base_url(&self) -> String {
        format!("http://{}", self.addr.lock().unwrap())
    }

    fn send(&self, frame: &Frame) {
        let tx = self.connection.lock().unwrap().clone().expect("connected");
        tx.send(Message::Binary(frame.encode_bytes().into()))
            .unwrap();
    }

    /// Closes the open connection from the server's side.
    fn drop_connection(&self) {
        if let Some(tx) = self.connection.lock().unwrap().take() {
            let _ = tx.send(Message::Close(None));
        }
    }

    fn answers(&self) -> Vec<Frame> {
        self.answers.lock().unwrap().clone()
    }
}

async fn endpoint(State(server): State<Arc<Server>>) -> impl IntoResponse {
    if *server.busy.lock().unwrap() {
        return axum::Json(json!({"code": 1, "msg": "system busy"}));
    }
    let addr = server.addr.lock().unwrap().clone();
    let config = server.endpoint_config.lock().unwrap().clone();
    axum::Json(json!({"code": 0, "msg": "ok", "data": {
        "URL": format!("ws://{addr}/ws?device_id=d1&service_id=7"),
        "ClientConfig": config,
    }}))
}

async fn upgrade(State(server): State<Arc<Server>>, ws: WebSocketUpgrade) -> impl IntoResponse {
    ws.on_upgrade(move |socket| serve(server, socket))
}

async fn serve(server: Arc<Server>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    *server.connection.lock().unwrap() = Some(tx.clone());
    server.connections.fetch_add(1, Ordering::SeqCst);
    let writer = tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
        }
        let _ = sink.close().await;
    });
    while let Some(Ok(message)) = stream.next().await {
        let Message::Binary(bytes) = message else {
            if matches!(message, Message::Close(_)) {
                break;
            }
            continue;
        };
        let Ok(frame) = Frame::decode_bytes(&bytes) else {
            continue;
        };
        if frame.method == METHOD_CONTROL && frame.frame_type() == Some(FrameType::Ping) {
            let config = server.pong_config.lock().unwrap().clone();
            let payload = (!config.is_null()).then(|| config.to_string().into_bytes());
            let pong = Frame::pong(frame.service, payload);
            server.pongs.fetch_add(1, Ordering::SeqCst);
            let _ = tx.send(Message::Binary(pong.encode_bytes().into()));
        } else if frame.method == METHOD_DATA {
            server.answers.lock().unwrap().push(frame);
        }
    }
    writer.abort();
}

/// Counts messages and answers each with its own payload, so a cached answer shows.
#[derive(Default)]
struct Echo {
    handled: Mutex<Vec<DataMessage>>,
}

impl Handler for Echo {
    async fn handle(&self, message: DataMessage) -> HandlerAnswer {
        let payload = message.payload.clone();
        self.handled.lock().unwrap().push(message);
        HandlerAnswer::Ok(Some(payload))
    }
}

fn client(server: &Server) -> (WsClient, Arc<Echo>) {
    let echo = Arc::new(Echo::default());
    let options = WsClientOptions::new(&server.base_url(), "cli_test", Secret::new("s3cret"));
    (WsClient::start(options, echo.clone()), echo)
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

/// The client's task is alive: its state channel still has a sender (a panic drops it).
fn alive(client: &WsClient) -> bool {
    client.state().has_changed().is_ok()
}

/// A data frame of one fragment; `message_id` `None` leaves the header out.
fn data(seq: u64, message_id: Option<&str>, payload: &Value) -> Frame {
    let mut frame = Frame::data(
        seq,
        7,
        FrameType::Event,
        message_id.unwrap_or(""),
        "trace",
        1,
        0,
        payload.to_string().into_bytes(),
    );
    if message_id.is_none() {
        frame.headers.retain(|h| h.key != header_keys::MESSAGE_ID);
    }
    frame
}

/// The echoed payload of the `n`th answer.
fn answer(server: &Server, n: usize) -> Value {
    let frame = &server.answers()[n];
    let payload = ResponsePayload::from_json_bytes(frame.payload_bytes()).unwrap();
    assert_eq!(payload.code, 200);
    serde_json::from_slice(&payload.decoded_data().unwrap().unwrap()).unwrap()
}

/// PingInterval i64::MAX in the endpoint answer overflowed `every * 3` on the first ping (the
/// client's task panicked); a huge reconnect interval and nonce overflowed the next try's time.
/// The client clamps them and keeps serving.
#[tokio::test]
async fn absurd_numbers_from_endpoint_discovery_are_clamped() {
    let huge = json!({"PingInterval": i64::MAX, "ReconnectInterval": u64::MAX,
        "ReconnectNonce": 1_000_000_000_000_000_000u64, "ReconnectCount": i64::MAX});
    let server = Server::start(huge, Value::Null).await;
    let (client, echo) = client(&server);
    assert!(
        client.wait_connected(WAIT).await,
        "{:?}",
        *client.state().borrow()
    );
    until("the first pong", || {
        server.pongs.load(Ordering::SeqCst) >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(alive(&client), "the client's task ended");
    let config = client.client_config();
    assert_eq!(config.ping_interval, 600, "{config:?}");
    assert_eq!(config.reconnect_interval, 600, "{config:?}");
    assert_eq!(config.reconnect_nonce, 60, "{config:?}");

    // Still serving messages.
    server.send(&data(1, Some("m-1"), &json!({"n": 1})));
    until("an answer", || server.answers().len() == 1).await;
    assert_eq!(answer(&server, 0), json!({"n": 1}));
    assert_eq!(echo.handled.lock().unwrap().len(), 1);

    // Lost: the first try waits the nonce, at most a minute, and the client lives on.
    let mut states = client.state();
    states.borrow_and_update();
    server.drop_connection();
    let state = tokio::time::timeout(
        WAIT,
        states.wait_for(|s| matches!(s, ConnectionState::Reconnecting { .. })),
    )
    .await
    .expect("reconnecting reported")
    .expect("the client is alive")
    .clone();
    let ConnectionState::Reconnecting { next_try, .. } = state else {
        unreachable!()
    };
    assert!(
        next_try <= Utc::now() + chrono::Duration::seconds(61),
        "{next_try}"
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(alive(&client), "the client's task ended");
    client.stop().await;
}

/// The same numbers carried by a pong, then a lost connection, a busy endpoint and a second
/// try at the (clamped) reconnect interval.
#[tokio::test]
async fn absurd_numbers_in_a_pong_are_clamped() {
    let sane = json!({"PingInterval": 1, "ReconnectInterval": 1, "ReconnectNonce": 0,
        "ReconnectCount": -1});
    let huge = json!({"PingInterval": 1_000_000_000_000_000_000u64,
        "ReconnectInterval": 1_000_000_000_000_000u64, "ReconnectNonce": 0,
        "ReconnectCount": -5});
    let server = Server::start(sane, huge).await;
    let (client, _echo) = client(&server);
    assert!(client.wait_connected(WAIT).await);
    until("the config from a pong", || {
        client.counters().config_updates >= 1
    })
    .await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(alive(&client), "the client's task ended");
    let config = client.client_config();
    assert_eq!(config.ping_interval, 600, "{config:?}");
    assert_eq!(config.reconnect_interval, 600, "{config:?}");
    assert_eq!(
        config.reconnect_count, -1,
        "negative means forever: {config:?}"
    );

    // Lost, and the endpoint busy: the first try comes at once (nonce 0) and fails, the second
    // waits the reconnect interval, ten minutes at most.
    *server.busy.lock().unwrap() = true;
    let mut states = client.state();
    states.borrow_and_update();
    server.drop_connection();
    let state = tokio::time::timeout(
        WAIT,
        states.wait_for(|s| matches!(s, ConnectionState::Reconnecting { attempt: 2, .. })),
    )
    .await
    .expect("a second try planned")
    .expect("the client is alive")
    .clone();
    let ConnectionState::Reconnecting { next_try, .. } = state else {
        unreachable!()
    };
    assert!(
        next_try <= Utc::now() + chrono::Duration::seconds(601),
        "{next_try}"
    );
    assert!(
        next_try >= Utc::now() + chrono::Duration::seconds(500),
        "{next_try}"
    );
    assert!(alive(&client), "the client's task ended");
    client.stop().await;
}

/// Negative and fractional numbers are read too (they failed the whole endpoint answer, so the
/// client never connected), then brought into range.
#[tokio::test]
async fn negative_and_fractional_numbers_are_read_and_clamped() {
    let odd = json!({"PingInterval": -3, "ReconnectInterval": -1.5, "ReconnectNonce": 2.9,
        "ReconnectCount": i64::MIN});
    let server = Server::start(odd, Value::Null).await;
    let (client, _echo) = client(&server);
    assert!(
        client.wait_connected(WAIT).await,
        "{:?}",
        *client.state().borrow()
    );
    let config = client.client_config();
    assert_eq!(config.ping_interval, 1, "{config:?}");
    assert_eq!(config.reconnect_interval, 0, "{config:?}");
    assert_eq!(config.reconnect_nonce, 2, "{config:?}");
    assert_eq!(config.reconnect_count, -1, "{config:?}");
    client.stop().await;
}

/// A message with no `message_id` (or an empty one) is handled every time and never answered
/// from the cache of answers: the cache used to key it by "", so the second such message got
/// the first one's answer without being handled.
#[tokio::test]
async fn messages_without_an_id_are_handled_every_time() {
    let sane = json!({"PingInterval": 120, "ReconnectInterval": 1, "ReconnectNonce": 0,
        "ReconnectCount": -1});
    let server = Server::start(sane, Value::Null).await;
    let (client, echo) = client(&server);
    assert!(client.wait_connected(WAIT).await);

    server.send(&data(1, None, &json!({"n": 1})));
    until("the first answer", || server.answers().len() == 1).await;
    server.send(&data(2, None, &json!({"n": 2})));
    until("the second answer", || server.answers().len() == 2).await;
    server.send(&data(3, Some(""), &json!({"n": 3})));
    until("the third answer", || server.answers().len() == 3).await;
    server.send(&data(4, Some(""), &json!({"n": 4})));
    until("the fourth answer", || server.answers().len() == 4).await;
    for n in 0..4 {
        assert_eq!(answer(&server, n), json!({"n": n + 1}), "answer {n}");
    }
    assert_eq!(echo.handled.lock().unwrap().len(), 4, "each one handled");
    assert_eq!(client.counters().repeats, 0);
    assert_eq!(client.counters().messages, 4);

    // Two at once without an id: both handled, each its own answer.
    server.send(&data(5, None, &json!({"n": 5})));
    server.send(&data(6, None, &json!({"n": 6})));
    until("both answers", || server.answers().len() == 6).await;
    let mut last: Vec<Value> = (4..6).map(|n| answer(&server, n)).collect();
    last.sort_by_key(|v| v["n"].as_u64());
    assert_eq!(last, vec![json!({"n": 5}), json!({"n": 6})]);
    assert_eq!(echo.handled.lock().unwrap().len(), 6);

    // A message with an id pushed again is still answered from the cache, not handled twice.
    server.send(&data(7, Some("m-7"), &json!({"n": 7})));
    until("the answer to m-7", || server.answers().len() == 7).await;
    server.send(&data(8, Some("m-7"), &json!({"n": 7})));
    until("m-7 answered again", || server.answers().len() == 8).await;
    assert_eq!(answer(&server, 7), json!({"n": 7}));
    assert_eq!(echo.handled.lock().unwrap().len(), 7);
    assert_eq!(client.counters().repeats, 1);
    client.stop().await;
}
