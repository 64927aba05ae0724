//! The long-connection client: the app dials out over a WebSocket and the platform pushes events
//! and card callbacks down it, so no public callback URL is needed.
//!
//! What it does, following the official SDKs (lark_oapi/ws/client.py) and docs/protocol.md
//! ("Long connection"):
//! - endpoint discovery ([`discover`]): `POST <base>/callback/ws/endpoint` with the App ID and
//!   App Secret; the codes busy / forbidden / auth failed / connection limit become typed
//!   [`WsError`]s whose messages never contain the secret;
//! - connect (plain `ws://` for the simulator, rustls with the webpki roots for `wss://`);
//! - ping every `PingInterval` seconds with `service` = the URL's `service_id`; a pong may carry
//!   a new [`ClientConfig`], which is applied at once (ping interval and reconnect policy);
//! - reassemble fragmented data frames (`sum` / `seq`), pass each message to a [`Handler`] and
//!   send the same frame back with `{"code":200,"data":base64(answer)}` and `biz_rt`;
//! - a message the platform pushes again (its answer was lost with a dropped connection) is
//!   answered from a cache of recent answers, keyed by `message_id`, instead of being handled
//!   twice; a message without an id is handled every time and its answer is not kept;
//! - reconnect with the server's count / interval / nonce (jitter before the first try);
//! - report [`ConnectionState`] through a `tokio::sync::watch` channel; [`WsClient::stop`]
//!   closes the socket cleanly.

mod endpoint;
mod session;

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::Serialize;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use endpoint::{discover, WsError};

use crate::frame::FrameType;
use crate::secret::Secret;
use crate::ws_types::{ClientConfig, ResponsePayload};

/// Where and as whom to connect.
#[derive(Debug, Clone)]
pub struct WsClientOptions {
    /// The Open Platform base URL (`https://open.feishu.cn`, or the simulator's).
    pub base_url: String,
    pub app_id: String,
    pub app_secret: Secret,
    /// The shortest wait between two connection attempts (guards against a busy loop when the
    /// server asks for no interval at all).
    pub min_reconnect_delay: Duration,
    /// Recent answers kept to re-answer pushed-again messages without handling them twice.
    pub answer_cache: usize,
}

impl WsClientOptions {
    pub fn new(base_url: &str, app_id: &str, app_secret: Secret) -> Self {
        Self {
            base_url: base_url.trim_end_matches('/').to_string(),
            app_id: app_id.to_string(),
            app_secret,
            min_reconnect_delay: Duration::from_millis(100),
            answer_cache: 10_000,
        }
    }
}

/// The connection's state, for the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum ConnectionState {
    /// Discovering the endpoint and dialling (first connection).
    Connecting,
    Connected {
        since: DateTime<Utc>,
    },
    /// Lost (or could not make) the connection; `attempt` (1-based) is tried at `next_try`.
    #[serde(rename_all = "camelCase")]
    Reconnecting {
        attempt: u32,
        next_try: DateTime<Utc>,
        last_error: Option<String>,
    },
    /// Gave up: bad credentials, connection limit, or the reconnect count is spent.
    Failed {
        reason: String,
    },
    /// Stopped on request.
    Stopped,
}

/// One complete (reassembled) message pushed by the platform.
#[derive(Debug, Clone)]
pub struct DataMessage {
    /// `Event` (events and `card.action.trigger`) or `Card` (the legacy card callback, which the
    /// official SDKs drop).
    pub kind: FrameType,
    pub message_id: String,
    pub trace_id: Option<String>,
    /// The JSON body, as the platform would have POSTed it (not encrypted on this channel).
    pub payload: Vec<u8>,
}

/// What the handler answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerAnswer {
    /// Handled; the JSON answer (a card callback's toast / card), if any.
    Ok(Option<Vec<u8>>),
    /// Not handled (e.g. could not be recorded): answered with code 500 and not cached, so a
    /// push of the same message is handled again.
    Failed(String),
}

/// Handles data messages. Called concurrently, one task per message.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, message: DataMessage) -> impl Future<Output = HandlerAnswer> + Send;
}

/// Counters for the UI and tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WsCounters {
    pub connections: u64,
    pub pings: u64,
    pub pongs: u64,
    pub config_updates: u64,
    pub messages: u64,
    /// Pushed-again messages answered from the cache.
    pub repeats: u64,
    pub last_message: Option<DateTime<Utc>>,
}

pub(crate) struct Shared {
    pub(crate) config: Mutex<ClientConfig>,
    pub(crate) counters: Mutex<WsCounters>,
    pub(crate) answers: Mutex<AnswerCache>,
}

impl Shared {
    pub(crate) fn config(&self) -> ClientConfig {
        *lock(&self.config)
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Where a message stands: being handled (with pushes that arrived meanwhile, to answer too),
/// or answered.
pub(crate) enum Seen {
    InFlight(Vec<session::Responder>),
    Done(ResponsePayload),
}

pub(crate) struct AnswerCache {
    cap: usize,
    order: VecDeque<String>,
    pub(crate) entries: HashMap<String, Seen>,
}

impl AnswerCache {
    fn new(cap: usize) -> Self {
        Self {
            cap: cap.max(16),
            order: VecDeque::new(),
            entries: HashMap::new(),
        }
    }

    pub(crate) fn insert(&mut self, id: &str, seen: Seen) {
        if self.entries.insert(id.to_string(), seen).is_none() {
            self.order.push_back(id.to_string());
        }
        while self.order.len() > self.cap {
            if let Some(old) = self.order.pop_front() {
                self.entries.remove(&old);
            }
        }
    }

    pub(crate) fn remove(&mut self, id: &str) -> Option<Seen> {
        let seen = self.entries.remove(id);
        if seen.is_some() {
            self.order.retain(|o| o != id);
        }
        seen
    }
}

/// A running long-connection client.
pub struct WsClient {
    state: watch::Receiver<ConnectionState>,
    stop: watch::Sender<bool>,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl WsClient {
    /// Starts connecting in the background; watch [`WsClient::state`] for the outcome.
    pub fn start<H: Handler>(options: WsClientOptions, handler: Arc<H>) -> Self {
        let (state_tx, state) = watch::channel(ConnectionState::Connecting);
        let (stop, stop_rx) = watch::channel(false);
        let shared = Arc::new(Shared {
            config: Mutex::new(ClientConfig::default()),
            counters: Mutex::new(WsCounters::default()),
            answers: Mutex::new(AnswerCache::new(options.answer_cache)),
        });
        let run = run(options, handler, shared.clone(), state_tx.clone(), stop_rx);
        let task = tokio::spawn(supervised(run, state_tx));
        Self {
            state,
            stop,
            shared,
            task,
        }
    }

    /// The state channel (the current value and every change).
    pub fn state(&self) -> watch::Receiver<ConnectionState> {
        self.state.clone()
    }

    /// The client config in force (from discovery, then from pongs).
    pub fn client_config(&self) -> ClientConfig {
        self.shared.config()
    }

    pub fn counters(&self) -> WsCounters {
        lock(&self.shared.counters).clone()
    }

    /// Waits until connected (true) or failed/stopped (false), at most `wait`.
    pub async fn wait_connected(&self, wait: Duration) -> bool {
        let mut state = self.state.clone();
        let outcome = tokio::time::timeout(
            wait,
            state.wait_for(|s| {
                matches!(
                    s,
                    ConnectionState::Connected { .. }
                        | ConnectionState::Failed { .. }
                        | ConnectionState::Stopped
                )
            }),
        )
        .await;
        matches!(
            outcome.as_ref().map(|r| r.as_deref()),
            Ok(Ok(ConnectionState::Connected { .. }))
        )
    }

    /// Closes the connection (a WebSocket close frame) and ends the client.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut task = self.task;
        if tokio::time::timeout(Duration::from_secs(5), &mut task)
            .await
            .is_err()
        {
            task.abort();
        }
    }
}

/// Runs the client's task; should it panic, the state says so (`Failed`, with the panic's
/// message) instead of the channel just closing, which a watcher could take for a clean end.
async fn supervised(run: impl Future<Output = ()>, state: watch::Sender<ConnectionState>) {
    use futures_util::FutureExt as _;
    if let Err(panic) = std::panic::AssertUnwindSafe(run).catch_unwind().await {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        tracing::error!(%detail, "the long-connection client stopped unexpectedly");
        let _ = state.send(ConnectionState::Failed {
            reason: format!("the long-connection client stopped unexpectedly: {detail}"),
        });
    }
}

/// Resolves when a stop is asked for (or the client handle is gone).
pub(crate) async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// How a session ended.
pub(crate) enum SessionEnd {
    Stopped,
    Lost(String),
}

async fn run<H: Handler>(
    options: WsClientOptions,
    handler: Arc<H>,
    shared: Arc<Shared>,
    state: watch::Sender<ConnectionState>,
    mut stop: watch::Receiver<bool>,
) {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap_or_default();
    let mut ever_connected = false;
    let mut attempt: u32 = 0;
    loop {
        if *stop.borrow() {
            break;
        }
        let error = match session::connect(&http, &options, &shared).await {
            Ok(connection) => {
                ever_connected = true;
                attempt = 0;
                lock(&shared.counters).connections += 1;
                let _ = state.send(ConnectionState::Connected { since: Utc::now() });
                tracing::info!("long connection established");
                match session::serve(connection, handler.clone(), shared.clone(), &mut stop).await {
                    SessionEnd::Stopped => break,
                    SessionEnd::Lost(why) => {
                        tracing::warn!(reason = %why, "long connection lost");
                        why
                    }
                }
            }
            Err(e) => {
                let fatal = e.is_fatal() || (!ever_connected && e.is_fatal_at_start());
                if fatal {
                    tracing::error!(error = %e, "long connection failed");
                    let _ = state.send(ConnectionState::Failed {
                        reason: e.to_string(),
                    });
                    return;
                }
                tracing::warn!(error = %e, "long connection attempt failed");
                e.to_string()
            }
        };
        attempt = attempt.saturating_add(1);
        // Clamped when it came; again here, so no Duration or time sum can overflow.
        let config = shared.config().clamped();
        if config.reconnect_count >= 0 && i64::from(attempt) > config.reconnect_count {
            let _ = state.send(ConnectionState::Failed {
                reason: format!(
                    "gave up after {} reconnect attempts (the server's ReconnectCount); last error: \
                     {error}",
                    config.reconnect_count
                ),
            });
            return;
        }
        let delay = if attempt == 1 {
            let nonce_ms = config.reconnect_nonce.saturating_mul(1000);
            Duration::from_millis(if nonce_ms == 0 {
                0
            } else {
                rand::thread_rng().gen_range(0..=nonce_ms)
            })
        } else {
            Duration::from_secs(config.reconnect_interval)
        }
        .max(options.min_reconnect_delay);
        let now = Utc::now();
        let next_try = chrono::Duration::from_std(delay)
            .ok()
            .and_then(|d| now.checked_add_signed(d))
            .unwrap_or(now);
        let _ = state.send(ConnectionState::Reconnecting {
            attempt,
            next_try,
            last_error: Some(error),
        });
        tokio::select! {
            () = tokio::time::sleep(delay) => {}
            () = stopped(&mut stop) => break,
        }
    }
    let _ = state.send(ConnectionState::Stopped);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A panic in the client's task is reported as `Failed`, with its message, not as a
    /// channel that just closed.
    #[tokio::test]
    async fn a_panic_in_the_task_is_reported_as_failed() {
        let (state, mut states) = watch::channel(ConnectionState::Connecting);
        let task = tokio::spawn(supervised(
            async { panic!("overflow when adding durations") },
            state,
        ));
        assert!(task.await.is_ok(), "the panic was caught");
        let reported = states.borrow_and_update().clone();
        let ConnectionState::Failed { reason } = reported else {
            panic!("{reported:?}");
        };
        assert!(reason.contains("stopped unexpectedly"), "{reason}");
        assert!(
            reason.contains("overflow when adding durations"),
            "{reason}"
        );

        // A task that ends normally reports nothing of its own.
        let (state, states) = watch::channel(ConnectionState::Stopped);
        supervised(async {}, state).await;
        assert_eq!(*states.borrow(), ConnectionState::Stopped);
    }
}
