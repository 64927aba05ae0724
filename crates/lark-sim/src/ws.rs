//! The long connection: endpoint discovery, the WebSocket that speaks protobuf `pbbp2.Frame`s,
//! cluster-mode delivery (each message to one connected client at random), collection of the
//! clients' answers, and re-pushing of unanswered messages.
//!
//! Payloads on this channel are plain JSON (no encryption, no signature), as on the platform.
//! Every app of the tenant may connect; a connection belongs to the app whose credentials opened
//! it, and a push goes to a connection of the app it is for (the primary app by default).

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use lark_platform::frame::{header_keys, Frame, FrameType, METHOD_CONTROL, METHOD_DATA};
use lark_platform::ws_types::{endpoint_codes, ClientConfig};
use rand::Rng;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::{mpsc, oneshot};

use crate::api::{parse_body, run, ApiError, Gate};
use crate::state::{Endpoint, SimState};

/// Long-connection settings (changeable through `/_sim/config`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct WsConfig {
    /// Sent in the endpoint answer and in every pong.
    pub client_config: ClientConfig,
    /// Connections allowed per app (the platform allows 50).
    pub max_connections: usize,
    /// How long a pushed message waits for an answer before it is pushed again.
    pub answer_timeout_ms: u64,
    /// How many times an unanswered message is pushed again.
    pub max_repushes: u32,
    /// Leaves pings unanswered while keeping connections open: the half-open connection a NAT
    /// or proxy leaves behind when it forgets a long-lived socket.
    pub ignore_pings: bool,
}

impl Default for WsConfig {
    fn default() -> Self {
        Self {
            client_config: ClientConfig::default(),
            max_connections: 50,
            answer_timeout_ms: 3_000,
            max_repushes: 3,
            ignore_pings: false,
        }
    }
}

/// A client's answer to a data frame.
#[derive(Clone, Debug, Serialize)]
pub struct WsAnswer {
    /// `code` of the answer payload (200 ok, 500 handler error).
    pub code: i64,
    /// `data`, base64-decoded and parsed as JSON when possible.
    pub data: Option<Value>,
    /// The `biz_rt` header (handling time in ms).
    pub biz_rt: Option<u64>,
    /// The connection that answered.
    pub connection: u64,
}

/// Per-message delivery record.
#[derive(Debug, Serialize)]
pub struct WsMessageStats {
    pub kind: &'static str,
    pub fragments: usize,
    /// Times the message was pushed (1 + re-pushes).
    pub pushes: u32,
    /// Connection id of each push.
    pub delivered_to: Vec<u64>,
    pub answer: Option<WsAnswer>,
}

struct WsMessage {
    app_id: String,
    kind: FrameType,
    payload: Vec<u8>,
    fragments: usize,
    stats: WsMessageStats,
    waiters: Vec<oneshot::Sender<WsAnswer>>,
}

struct Connection {
    app_id: String,
    device_id: String,
    service_id: i32,
    tx: mpsc::UnboundedSender<Message>,
}

#[derive(Default)]
struct HubInner {
    config: WsConfig,
    /// device_id → (service_id, app_id) handed out by endpoint discovery, waiting for the
    /// handshake.
    issued: HashMap<String, (i32, String)>,
    connections: BTreeMap<u64, Connection>,
    next_connection: u64,
    next_seq: u64,
    messages: BTreeMap<String, WsMessage>,
    total_connections: u64,
    pings: u64,
    frames_pushed: u64,
}

impl HubInner {
    /// Open connections of one app (the limit is per app).
    fn app_connections(&self, app_id: &str) -> usize {
        self.connections
            .values()
            .filter(|c| c.app_id == app_id)
            .count()
    }
}

/// Shared long-connection state.
#[derive(Clone, Default)]
pub struct Hub {
    inner: Arc<Mutex<HubInner>>,
}

/// `GET /_sim/ws/stats`.
#[derive(Serialize)]
pub struct WsStats {
    pub connections: usize,
    pub total_connections: u64,
    pub pings: u64,
    pub frames_pushed: u64,
    pub pushed: usize,
    pub answered: usize,
    pub messages: BTreeMap<String, WsMessageStats>,
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, HubInner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn config(&self) -> WsConfig {
        self.lock().config.clone()
    }

    pub fn set_config(&self, config: WsConfig) {
        self.lock().config = config;
    }

    pub fn connection_count(&self) -> usize {
        self.lock().connections.len()
    }

    /// Closes every connection from the server side (clients should reconnect).
    pub fn drop_all(&self) -> usize {
        let mut inner = self.lock();
        let count = inner.connections.len();
        for connection in inner.connections.values() {
            let _ = connection.tx.send(Message::Close(None));
        }
        inner.connections.clear();
        count
    }

    pub fn stats(&self) -> Value {
        let inner = self.lock();
        let messages: BTreeMap<&String, &WsMessageStats> = inner
            .messages
            .iter()
            .map(|(id, m)| (id, &m.stats))
            .collect();
        json!({
            "connections": inner.connections.len(),
            "connection_ids": inner.connections.iter().map(|(id, c)| json!({"id": id, "app_id": c.app_id, "device_id": c.device_id, "service_id": c.service_id})).collect::<Vec<_>>(),
            "total_connections": inner.total_connections,
            "pings": inner.pings,
            "frames_pushed": inner.frames_pushed,
            "pushed": inner.messages.len(),
            "answered": inner.messages.values().filter(|m| m.stats.answer.is_some()).count(),
            "messages": messages,
        })
    }

    /// Queues a message for `app_id` and pushes it to one random connection of that app. Returns
    /// a receiver for the answer.
    pub fn push(
        &self,
        app_id: &str,
        message_id: String,
        kind: FrameType,
        payload: Vec<u8>,
        fragments: usize,
    ) -> Result<oneshot::Receiver<WsAnswer>, ApiError> {
        let mut inner = self.lock();
        let (tx, rx) = oneshot::channel();
        inner.messages.insert(
            message_id.clone(),
            WsMessage {
                app_id: app_id.to_string(),
                kind,
                payload,
                fragments: fragments.max(1),
                stats: WsMessageStats {
                    kind: kind.as_str(),
                    fragments: fragments.max(1),
                    pushes: 0,
                    delivered_to: Vec::new(),
                    answer: None,
                },
                waiters: vec![tx],
            },
        );
        if !deliver(&mut inner, &message_id) {
            inner.messages.remove(&message_id);
            return Err(ApiError::bad_request(
                400,
                "no long-connection client is connected",
            ));
        }
        Ok(rx)
    }

    /// Re-pushes `message_id` every answer timeout until it is answered, at most
    /// `max_repushes` times.
    pub fn spawn_repush(&self, message_id: String) {
        let hub = self.clone();
        tokio::spawn(async move {
            let (timeout, max) = {
                let config = &hub.lock().config;
                (config.answer_timeout_ms, config.max_repushes)
            };
            for _ in 0..max {
                tokio::time::sleep(Duration::from_millis(timeout)).await;
                let mut inner = hub.lock();
                let answered = inner
                    .messages
                    .get(&message_id)
                    .is_none_or(|m| m.stats.answer.is_some());
                if answered {
                    return;
                }
                deliver(&mut inner, &message_id);
            }
        });
    }

    fn record_answer(&self, connection: u64, frame: &Frame) {
        let Some(message_id) = frame.header(header_keys::MESSAGE_ID) else {
            return;
        };
        let payload: Value = serde_json::from_slice(frame.payload_bytes()).unwrap_or(Value::Null);
        let data = match payload.get("data") {
            Some(Value::String(encoded)) => Some(
                base64::engine::general_purpose::STANDARD
                    .decode(encoded)
                    .ok()
                    .and_then(|bytes| serde_json::from_slice(&bytes).ok())
                    .unwrap_or_else(|| Value::String(encoded.clone())),
            ),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.clone()),
        };
        let answer = WsAnswer {
            code: payload.get("code").and_then(Value::as_i64).unwrap_or(0),
            data,
            biz_rt: frame
                .header(header_keys::BIZ_RT)
                .and_then(|v| v.parse().ok()),
            connection,
        };
        let mut inner = self.lock();
        if let Some(message) = inner.messages.get_mut(message_id) {
            if message.stats.answer.is_none() {
                message.stats.answer = Some(answer.clone());
            }
            for waiter in message.waiters.drain(..) {
                let _ = waiter.send(answer.clone());
            }
        }
    }
}

/// Sends every fragment of a message to one random connection of its app; false when none is
/// connected.
fn deliver(inner: &mut HubInner, message_id: &str) -> bool {
    let Some(message) = inner.messages.get(message_id) else {
        return false;
    };
    let ids: Vec<u64> = inner
        .connections
        .iter()
        .filter(|(_, c)| c.app_id == message.app_id)
        .map(|(id, _)| *id)
        .collect();
    if ids.is_empty() {
        return false;
    }
    let target = ids[rand::thread_rng().gen_range(0..ids.len())];
    let (kind, fragments) = (message.kind, message.fragments);
    let chunks = split(&message.payload, fragments);
    let sum = u32::try_from(chunks.len()).unwrap_or(1);
    let Some(connection) = inner.connections.get(&target) else {
        return false;
    };
    let service = connection.service_id;
    let trace_id = format!("trace-{message_id}");
    let mut frames = Vec::with_capacity(chunks.len());
    for (seq, chunk) in chunks.into_iter().enumerate() {
        inner.next_seq += 1;
        let mut frame = Frame::data(
            inner.next_seq,
            service,
            kind,
            message_id,
            &trace_id,
            sum,
            u32::try_from(seq).unwrap_or(0),
            chunk,
        );
        frame.set_header(
            header_keys::TIMESTAMP,
            chrono::Utc::now().timestamp_millis().to_string(),
        );
        frames.push(frame);
    }
    let sent = frames.len() as u64;
    let mut ok = true;
    if let Some(connection) = inner.connections.get(&target) {
        for frame in frames {
            ok &= connection
                .tx
                .send(Message::Binary(Bytes::from(frame.encode_bytes())))
                .is_ok();
        }
    }
    inner.frames_pushed += sent;
    if let Some(message) = inner.messages.get_mut(message_id) {
        message.stats.pushes += 1;
        message.stats.delivered_to.push(target);
    }
    ok
}

/// Splits a payload into `n` nearly equal non-empty parts (fewer when it is short).
fn split(payload: &[u8], n: usize) -> Vec<Vec<u8>> {
    let n = n.clamp(1, payload.len().max(1));
    let size = payload.len().div_ceil(n).max(1);
    let parts: Vec<Vec<u8>> = payload.chunks(size).map(<[u8]>::to_vec).collect();
    if parts.is_empty() {
        vec![Vec::new()]
    } else {
        parts
    }
}

#[derive(Deserialize)]
struct EndpointRequest {
    #[serde(rename = "AppID", default)]
    app_id: Option<String>,
    #[serde(rename = "AppSecret", default)]
    app_secret: Option<String>,
}

/// `POST /callback/ws/endpoint`: hands out a one-time connection URL.
pub async fn endpoint(
    State(state): State<Arc<SimState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let gate = Gate {
        endpoint: Endpoint::WsEndpoint,
        needs_token: false,
        counted: false,
        headers: &headers,
    };
    let base = state.base_url.replacen("http://", "ws://", 1);
    let hub = state.ws.clone();
    run(&state, gate, |inner, _| {
        let request: EndpointRequest = parse_body(&body)?;
        let app_id = request.app_id.unwrap_or_default();
        let known = inner
            .tenant
            .find_app(&app_id)
            .is_some_and(|app| request.app_secret.as_deref() == Some(app.app.app_secret.as_str()));
        if !known {
            return Err(ApiError::new(
                StatusCode::OK,
                endpoint_codes::AUTH_FAILED,
                "auth failed: invalid AppID or AppSecret",
            ));
        }
        let mut hub = hub.lock();
        if hub.app_connections(&app_id) >= hub.config.max_connections {
            return Err(ApiError::new(
                StatusCode::OK,
                endpoint_codes::CONNECTION_LIMIT,
                "exceeded connection limit",
            ));
        }
        let device_id = inner.new_id("", 16);
        let service_id = inner.rng.gen_range(1..i32::MAX);
        hub.issued
            .insert(device_id.clone(), (service_id, app_id.clone()));
        Ok(axum::Json(json!({
            "code": 0,
            "msg": "ok",
            "data": {
                "URL": format!("{base}/ws?device_id={device_id}&service_id={service_id}"),
                "ClientConfig": hub.config.client_config,
            }
        }))
        .into_response())
    })
    .await
}

/// A refused handshake, with the headers the SDKs read.
fn handshake_error(status: u16, auth_code: Option<i64>, msg: &str) -> Response {
    let status_code = StatusCode::from_u16(status).unwrap_or(StatusCode::FORBIDDEN);
    let mut response = (status_code, msg.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert("Handshake-Status", HeaderValue::from(status));
    if let Ok(value) = HeaderValue::from_str(msg) {
        headers.insert("Handshake-Msg", value);
    }
    if let Some(code) = auth_code {
        headers.insert("Handshake-Autherrcode", HeaderValue::from(code));
    }
    response
}

/// `GET /ws?device_id=..&service_id=..`: the WebSocket handshake.
pub async fn upgrade(
    State(state): State<Arc<SimState>>,
    Query(query): Query<HashMap<String, String>>,
    ws: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> Response {
    let Ok(ws) = ws else {
        return handshake_error(400, None, "websocket upgrade required");
    };
    let device_id = query.get("device_id").cloned().unwrap_or_default();
    let (connection, rx) = {
        let mut hub = state.ws.lock();
        let Some((service_id, app_id)) = hub.issued.remove(&device_id) else {
            return handshake_error(403, None, "unknown or already used device_id");
        };
        if hub.app_connections(&app_id) >= hub.config.max_connections {
            return handshake_error(
                514,
                Some(endpoint_codes::CONNECTION_LIMIT),
                "exceeded connection limit",
            );
        }
        let (tx, rx) = mpsc::unbounded_channel();
        hub.next_connection += 1;
        hub.total_connections += 1;
        let id = hub.next_connection;
        hub.connections.insert(
            id,
            Connection {
                app_id,
                device_id,
                service_id,
                tx,
            },
        );
        (id, rx)
    };
    let hub = state.ws.clone();
    ws.on_upgrade(move |socket| serve(hub, connection, socket, rx))
}

async fn serve(
    hub: Hub,
    connection: u64,
    socket: WebSocket,
    mut rx: mpsc::UnboundedReceiver<Message>,
) {
    let (mut sink, mut stream) = socket.split();
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
        match frame.method {
            METHOD_CONTROL if frame.frame_type() == Some(FrameType::Ping) => {
                let mut inner = hub.lock();
                inner.pings += 1;
                if inner.config.ignore_pings {
                    continue;
                }
                let config = serde_json::to_vec(&inner.config.client_config).ok();
                let pong = Frame::pong(frame.service, config);
                if let Some(c) = inner.connections.get(&connection) {
                    let _ = c.tx.send(Message::Binary(Bytes::from(pong.encode_bytes())));
                }
            }
            METHOD_DATA => hub.record_answer(connection, &frame),
            _ => {}
        }
    }
    hub.lock().connections.remove(&connection);
    writer.abort();
}

/// `POST /_sim/ws/push` request.
#[derive(Deserialize)]
pub struct PushRequest {
    /// `event` (+ `event_type`), an event type, `card_action`, or `legacy_card_action` (sent as
    /// a `type=card` frame, which the official SDKs drop).
    pub kind: String,
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default = "one")]
    pub fragments: usize,
    #[serde(default = "one")]
    pub count: usize,
    /// How long to wait for the answer when `count` is 1 (default 10 s, at most 60 s).
    #[serde(default)]
    pub wait_ms: Option<u64>,
    /// The app the message is for (default: the primary app).
    #[serde(default)]
    pub app_id: Option<String>,
    #[serde(flatten)]
    pub params: crate::callbacks::CallbackParams,
}

fn one() -> usize {
    1
}

/// Pushes `count` messages; with one, waits for and returns the client's decoded answer.
pub async fn push(state: &SimState, request: PushRequest) -> Result<Value, ApiError> {
    use crate::callbacks::{build_body, CallbackKind};
    let kind = CallbackKind::parse(&request.kind, request.event_type.as_deref())
        .filter(|k| *k != CallbackKind::UrlVerification)
        .ok_or_else(|| {
            ApiError::field_violation(
                "kind",
                "kind must be an event, card_action or legacy_card_action",
            )
        })?;
    let frame_type = if kind == CallbackKind::LegacyCardAction {
        FrameType::Card
    } else {
        FrameType::Event
    };
    let count = request.count.clamp(1, 1000);
    let app_id = crate::callbacks::target_app(state, request.app_id.as_deref())?;
    let mut receipts = Vec::with_capacity(count);
    let mut waits = Vec::with_capacity(count);
    for _ in 0..count {
        let now_ms = state.clock.now_ms();
        let (message_id, payload) = {
            let mut inner = state.lock();
            let body = build_body(&mut inner, &app_id, kind, &request.params, now_ms);
            (inner.new_id("", 32), body.to_string().into_bytes())
        };
        let rx = state.ws.push(
            &app_id,
            message_id.clone(),
            frame_type,
            payload,
            request.fragments.clamp(1, 64),
        )?;
        state.ws.spawn_repush(message_id.clone());
        receipts.push(message_id);
        waits.push(rx);
    }
    if count > 1 {
        return Ok(json!({"message_ids": receipts}));
    }
    let wait = Duration::from_millis(request.wait_ms.unwrap_or(10_000).min(60_000));
    let message_id = receipts.pop().unwrap_or_default();
    let answer = match waits.pop() {
        Some(rx) => tokio::time::timeout(wait, rx)
            .await
            .ok()
            .and_then(Result::ok),
        None => None,
    };
    Ok(json!({"message_id": message_id, "answered": answer.is_some(), "answer": answer}))
}

#[cfg(test)]
mod tests {
    use super::split;

    #[test]
    fn split_covers_the_payload_in_order() {
        let payload = b"abcdefghij";
        let parts = split(payload, 3);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts.concat(), payload.to_vec());
        assert_eq!(split(b"ab", 5).len(), 2);
        assert_eq!(split(b"", 3), vec![Vec::<u8>::new()]);
    }
}
