//! One connection: discovery, handshake, then pings, pongs and data frames until it ends.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::endpoint::{discover, scrub, WsError};
use super::{lock, DataMessage, Handler, HandlerAnswer, Seen, SessionEnd, Shared, WsClientOptions};
use crate::frame::{header_keys, Frame, FrameType, METHOD_CONTROL, METHOD_DATA};
use crate::ws_types::{
    endpoint_codes, ClientConfig, Reassembler, ResponsePayload, MAX_PING_INTERVAL,
    MIN_PING_INTERVAL,
};

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;
type Outbox = mpsc::UnboundedSender<Message>;

/// A frame waiting for an answer and the connection to send it on.
pub(crate) type Responder = (Frame, Outbox);

pub(crate) struct Connection {
    socket: Socket,
    service_id: i32,
}

/// Pings left unanswered before the connection counts as lost. A NAT or proxy that forgets a
/// long-lived socket leaves it open but silent; without this the client would wait forever.
const MISSED_PONGS: u32 = 3;

pub(crate) async fn connect(
    http: &reqwest::Client,
    options: &WsClientOptions,
    shared: &Shared,
) -> Result<Connection, WsError> {
    let data = discover(
        http,
        &options.base_url,
        &options.app_id,
        &options.app_secret,
    )
    .await?;
    if let Some(config) = data.client_config {
        *lock(&shared.config) = config.clamped();
    }
    let service_id = data.connection_ids().service_id.unwrap_or(0);
    let (socket, _) = tokio_tungstenite::connect_async(data.url.as_str())
        .await
        .map_err(|e| handshake_error(e, options))?;
    Ok(Connection { socket, service_id })
}

/// A refused handshake, read from the headers the platform sets (`Handshake-Status`,
/// `Handshake-Msg`, `Handshake-Autherrcode`), like the SDKs do.
fn handshake_error(e: tungstenite::Error, options: &WsClientOptions) -> WsError {
    match e {
        tungstenite::Error::Http(response) => {
            let header = |name: &str| {
                response
                    .headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string)
            };
            let status = header("Handshake-Status")
                .and_then(|s| s.parse().ok())
                .unwrap_or(response.status().as_u16());
            let msg = scrub(
                &header("Handshake-Msg").unwrap_or_default(),
                &options.app_secret,
            );
            match header("Handshake-Autherrcode").and_then(|c| c.parse::<i64>().ok()) {
                Some(endpoint_codes::CONNECTION_LIMIT) => WsError::ConnectionLimit,
                Some(endpoint_codes::AUTH_FAILED) => WsError::AuthFailed,
                Some(endpoint_codes::FORBIDDEN) => WsError::Forbidden { msg },
                _ => WsError::Handshake { status, msg },
            }
        }
        other => WsError::Socket(scrub(&other.to_string(), &options.app_secret)),
    }
}

fn binary(frame: &Frame) -> Message {
    Message::Binary(frame.encode_bytes().into())
}

pub(crate) async fn serve<H: Handler>(
    connection: Connection,
    handler: Arc<H>,
    shared: Arc<Shared>,
    stop: &mut watch::Receiver<bool>,
) -> SessionEnd {
    let service_id = connection.service_id;
    let (mut sink, mut stream) = connection.socket.split();
    let (tx, mut rx) = mpsc::unbounded_channel::<Message>();
    let mut writer = tokio::spawn(async move {
        while let Some(message) = rx.recv().await {
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut reassembler = Reassembler::default();
    let mut last_ping = Instant::now();
    let mut last_heard = Instant::now();
    let mut next_ping = tokio::time::Instant::now();
    let end = loop {
        tokio::select! {
            () = tokio::time::sleep_until(next_ping) => {
                let every = ping_every(&shared.config());
                let silent_for = last_heard.elapsed();
                if silent_for >= every.saturating_mul(MISSED_PONGS) {
                    break SessionEnd::Lost(format!(
                        "the server stopped answering pings ({}s without a word)",
                        silent_for.as_secs()
                    ));
                }
                if tx.send(binary(&Frame::ping(service_id))).is_err() {
                    break SessionEnd::Lost("the connection's writer stopped".into());
                }
                lock(&shared.counters).pings += 1;
                last_ping = Instant::now();
                next_ping = after(last_ping, every);
            }
            () = super::stopped(stop) => {
                let _ = tx.send(Message::Close(None));
                drop(tx);
                if tokio::time::timeout(Duration::from_secs(2), &mut writer).await.is_err() {
                    writer.abort();
                }
                return SessionEnd::Stopped;
            }
            message = stream.next() => {
                if matches!(message, Some(Ok(_))) {
                    last_heard = Instant::now();
                }
                match message {
                    None => break SessionEnd::Lost("the server closed the connection".into()),
                    Some(Err(e)) => break SessionEnd::Lost(format!("the connection failed: {e}")),
                    Some(Ok(Message::Close(frame))) => {
                        let why = frame
                            .map(|f| format!(" ({} {})", u16::from(f.code), f.reason))
                            .unwrap_or_default();
                        break SessionEnd::Lost(format!("the server closed the connection{why}"));
                    }
                    Some(Ok(Message::Binary(bytes))) => {
                        let Ok(frame) = Frame::decode_bytes(&bytes) else {
                            tracing::warn!(len = bytes.len(), "undecodable long-connection frame");
                            continue;
                        };
                        if frame.method == METHOD_CONTROL {
                            if control(&frame, &shared) {
                                next_ping = after(last_ping, ping_every(&shared.config()));
                            }
                        } else if frame.method == METHOD_DATA {
                            data(frame, &mut reassembler, &handler, &shared, &tx);
                        }
                    }
                    Some(Ok(_)) => {}
                }
            }
        }
    };
    writer.abort();
    end
}

/// The ping interval, within the bounds honoured whatever the config says.
fn ping_every(config: &ClientConfig) -> Duration {
    Duration::from_secs(
        config
            .ping_interval
            .clamp(MIN_PING_INTERVAL, MAX_PING_INTERVAL),
    )
}

/// `every` after `from`, or as late as the clock goes.
fn after(from: Instant, every: Duration) -> tokio::time::Instant {
    let from = tokio::time::Instant::from_std(from);
    from.checked_add(every)
        .or_else(|| from.checked_add(Duration::from_secs(MAX_PING_INTERVAL)))
        .unwrap_or(from)
}

/// A control frame; true when it changed the client config.
fn control(frame: &Frame, shared: &Shared) -> bool {
    if frame.frame_type() != Some(FrameType::Pong) {
        return false;
    }
    lock(&shared.counters).pongs += 1;
    let payload = frame.payload_bytes();
    if payload.is_empty() {
        return false;
    }
    let Ok(config) = serde_json::from_slice::<ClientConfig>(payload) else {
        tracing::warn!("a pong carried a client config that could not be read");
        return false;
    };
    // The server's numbers, in the bounds the client honours (no Duration sum overflows).
    let config = config.clamped();
    let mut current = lock(&shared.config);
    if *current == config {
        return false;
    }
    tracing::info!(
        ?config,
        "long-connection client config updated by the server"
    );
    *current = config;
    lock(&shared.counters).config_updates += 1;
    true
}

fn data<H: Handler>(
    frame: Frame,
    reassembler: &mut Reassembler,
    handler: &Arc<H>,
    shared: &Arc<Shared>,
    tx: &Outbox,
) {
    let kind = match frame.frame_type() {
        Some(k @ (FrameType::Event | FrameType::Card)) => k,
        other => {
            tracing::warn!(?other, "data frame of an unknown type ignored");
            return;
        }
    };
    let payload = match reassembler.push_frame(&frame, Instant::now()) {
        Ok(Some(payload)) => payload,
        Ok(None) => return,
        Err(e) => {
            tracing::warn!(error = %e, "long-connection fragment refused");
            return;
        }
    };
    let message_id = frame
        .header(header_keys::MESSAGE_ID)
        .unwrap_or_default()
        .to_string();
    // Answers are cached by message id; a message without one cannot be told from another,
    // so it is handled every time and its answer is not kept.
    let cached = !message_id.is_empty();
    if cached {
        let mut cache = lock(&shared.answers);
        match cache.entries.get_mut(&message_id) {
            Some(Seen::Done(answer)) => {
                let _ = tx.send(binary(&frame.to_response(answer, 0)));
                lock(&shared.counters).repeats += 1;
                return;
            }
            Some(Seen::InFlight(waiting)) => {
                waiting.push((frame, tx.clone()));
                lock(&shared.counters).repeats += 1;
                return;
            }
            None => cache.insert(&message_id, Seen::InFlight(Vec::new())),
        }
    }
    {
        let mut counters = lock(&shared.counters);
        counters.messages += 1;
        counters.last_message = Some(Utc::now());
    }
    let message = DataMessage {
        kind,
        message_id: message_id.clone(),
        trace_id: frame.header(header_keys::TRACE_ID).map(str::to_string),
        payload,
    };
    let (handler, shared, tx) = (handler.clone(), shared.clone(), tx.clone());
    tokio::spawn(async move {
        let started = Instant::now();
        let answer = handler.handle(message).await;
        let biz_rt = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (payload, keep) = match answer {
            HandlerAnswer::Ok(Some(json)) => (ResponsePayload::ok_with_json(&json), true),
            HandlerAnswer::Ok(None) => (ResponsePayload::ok(), true),
            HandlerAnswer::Failed(why) => {
                tracing::warn!(%message_id, reason = %why, "long-connection message not handled");
                (ResponsePayload::error(), false)
            }
        };
        let _ = tx.send(binary(&frame.to_response(&payload, biz_rt)));
        if !cached {
            return;
        }
        let waiting = {
            let mut cache = lock(&shared.answers);
            let waiting = match cache.remove(&message_id) {
                Some(Seen::InFlight(waiting)) => waiting,
                _ => Vec::new(),
            };
            if keep {
                cache.insert(&message_id, Seen::Done(payload.clone()));
            }
            waiting
        };
        for (frame, tx) in waiting {
            let _ = tx.send(binary(&frame.to_response(&payload, biz_rt)));
        }
    });
}
