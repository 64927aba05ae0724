//! Long-connection input: instead of listening for Feishu's POSTs, the relay dials out over the
//! platform's WebSocket ([`lark_platform::ws_client`]) and every pushed message takes the same
//! path as an HTTP callback: recorded, then forwarded (events through the outbox, card clicks
//! within the card budget) or answered by the built-in handler.
//!
//! Messages on this channel are plain JSON. So that the pipeline (and the inspector, replays and
//! the upstream) see exactly what Feishu would have POSTed, each message is first sealed with
//! the profile's keys (encrypted and signed, [`super::seal`]); an HTTP upstream is always fed
//! in re-sign mode. Records get the path `/long-connection/<profile>` and a header
//! `X-Companion-Frame` naming the frame type: `event`, or `card` for the legacy card callback,
//! which the official SDKs silently drop and this relay handles.
//!
//! Several relays (processes or machines) may connect for the same app: the platform gives each
//! message to one connection, and re-pushes it to another when it goes unanswered, so a team
//! gets redundancy by running two. Each relay's outbox delivers an event id once; a message that
//! one connection handled but could not answer before it dropped is answered again from the
//! client's cache (by message id), not handled twice; a message without a message id is
//! handled every time, never answered from the cache.

use std::sync::Arc;
use std::time::{Duration, Instant};

use lark_platform::envelope;
use lark_platform::frame::FrameType;
use lark_platform::secret::Secret;
pub use lark_platform::ws_client::ConnectionState;
use lark_platform::ws_client::{
    DataMessage, Handler, HandlerAnswer, WsClient, WsClientOptions, WsCounters,
};
use serde::Serialize;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;
use ts_rs::TS;

use super::claim::{self, Claim};
use super::config::ForwardMode;
use super::error::RelayError;
use super::model::{RecordEvent, RequestKind};
use super::outbox;
use super::pipeline;
use super::recording::Inbound;
use super::seal;
use super::state::RelayCore;

/// The header on long-connection records that names the frame type.
pub const FRAME_HEADER: &str = "X-Companion-Frame";

/// The app a long connection is opened for.
#[derive(Debug, Clone)]
pub struct LongConnectionApp {
    /// The Open Platform base URL (`https://open.feishu.cn`, `https://open.larksuite.com`, or
    /// the simulator's).
    pub base_url: String,
    pub app_id: String,
    pub app_secret: Secret,
}

/// Where a long connection is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum LongConnectionState {
    Connecting,
    Connected,
    Reconnecting,
    Failed,
    Stopped,
}

/// What the Relay screen shows about a long connection. `reason` is the transport's own words
/// (the platform's or the WebSocket library's), shown as a detail under a translated label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LongConnectionStatus {
    pub profile: String,
    pub state: LongConnectionState,
    /// Connected since (RFC 3339), for the uptime.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_try: Option<String>,
    /// Why it failed, or the last error before a reconnect.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[ts(type = "number")]
    pub connections: u64,
    #[ts(type = "number")]
    pub messages: u64,
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_message: Option<String>,
}

/// A running relay fed by a long connection (no listener).
pub struct LongConnectionRelay {
    core: Arc<RelayCore>,
    slug: String,
    client: WsClient,
    stop: watch::Sender<bool>,
    worker: JoinHandle<()>,
    /// The profiles' locks, released when the relay has stopped.
    claim: Claim,
}

struct RelayHandler {
    core: Arc<RelayCore>,
    slug: String,
}

impl Handler for RelayHandler {
    async fn handle(&self, message: DataMessage) -> HandlerAnswer {
        handle_message(self.core.clone(), &self.slug, message).await
    }
}

impl LongConnectionRelay {
    /// Claims the profiles (refused with [`RelayError::AlreadyRunning`] when another relay
    /// serves one from the same data folder), connects for `profile` (name or slug, one of
    /// `core`'s profiles) and starts the outbox. Returns at once; watch [`LongConnectionRelay::state`] (or
    /// [`LongConnectionRelay::wait_connected`]) for the connection.
    pub fn start(
        mut core: RelayCore,
        profile: &str,
        app: LongConnectionApp,
    ) -> Result<Self, RelayError> {
        let slug = core
            .find_profile(profile)
            .map(|p| p.slug.clone())
            .ok_or_else(|| RelayError::UnknownProfile(profile.to_string()))?;
        let claim = claim::claim(&core, &app.base_url)?;
        // The upstream must see what Feishu would have sent: a sealed request, never the
        // (unsigned) long-connection payload.
        for p in core.profiles.values_mut() {
            if let Some(upstream) = p.upstream.as_mut() {
                upstream.mode = ForwardMode::Resign;
            }
        }
        let core = Arc::new(core);
        let (stop, stopped) = watch::channel(false);
        let worker = tokio::spawn(outbox::run(core.clone(), stopped));
        let handler = Arc::new(RelayHandler {
            core: core.clone(),
            slug: slug.clone(),
        });
        let options = WsClientOptions::new(&app.base_url, &app.app_id, app.app_secret);
        let client = WsClient::start(options, handler);
        super::ops::follow(core.clone(), client.state());
        tracing::info!(profile = %slug, "relay started in long-connection mode");
        Ok(Self {
            core,
            slug,
            client,
            stop,
            worker,
            claim,
        })
    }

    pub fn core(&self) -> &Arc<RelayCore> {
        &self.core
    }

    /// The profile's slug.
    pub fn profile(&self) -> &str {
        &self.slug
    }

    /// Connecting / connected since / reconnecting (attempt, next try) / failed (reason).
    pub fn state(&self) -> watch::Receiver<ConnectionState> {
        self.client.state()
    }

    /// Pings, pongs, messages, repeats and the last message's time.
    pub fn counters(&self) -> WsCounters {
        self.client.counters()
    }

    /// State and counters in one value for the screen.
    pub fn status(&self) -> LongConnectionStatus {
        let counters = self.counters();
        let mut status = LongConnectionStatus {
            profile: self.slug.clone(),
            state: LongConnectionState::Connecting,
            since: None,
            attempt: None,
            next_try: None,
            reason: None,
            connections: counters.connections,
            messages: counters.messages,
            last_message: counters.last_message.map(|t| t.to_rfc3339()),
        };
        status.state = match &*self.state().borrow() {
            ConnectionState::Connecting => LongConnectionState::Connecting,
            ConnectionState::Connected { since } => {
                status.since = Some(since.to_rfc3339());
                LongConnectionState::Connected
            }
            ConnectionState::Reconnecting {
                attempt,
                next_try,
                last_error,
            } => {
                status.attempt = Some(*attempt);
                status.next_try = Some(next_try.to_rfc3339());
                status.reason.clone_from(last_error);
                LongConnectionState::Reconnecting
            }
            ConnectionState::Failed { reason } => {
                status.reason = Some(reason.clone());
                LongConnectionState::Failed
            }
            ConnectionState::Stopped => LongConnectionState::Stopped,
        };
        status
    }

    /// The client config in force (reconnect policy and ping interval from the server).
    pub fn client_config(&self) -> lark_platform::ws_types::ClientConfig {
        self.client.client_config()
    }

    /// True once connected; false when the connection failed or `wait` passed.
    pub async fn wait_connected(&self, wait: Duration) -> bool {
        self.client.wait_connected(wait).await
    }

    /// New and changed records (the live view).
    pub fn subscribe(&self) -> broadcast::Receiver<RecordEvent> {
        self.core.subscribe()
    }

    /// Closes the connection, then stops the outbox; pending events stay queued.
    pub async fn stop(self) {
        self.client.stop().await;
        let _ = self.stop.send(true);
        let _ = self.worker.await;
        drop(self.claim);
        tracing::info!(profile = %self.slug, "long-connection relay stopped");
    }
}

/// One pushed message through the pipeline; the answer goes back down the WebSocket.
async fn handle_message(core: Arc<RelayCore>, slug: &str, message: DataMessage) -> HandlerAnswer {
    let started = Instant::now();
    let received_ms = core.config.clock.now_ms();
    let Some(profile) = core.profile(slug).cloned() else {
        return HandlerAnswer::Failed(format!("profile {slug} is not served"));
    };
    let kind = envelope::parse(&message.payload)
        .map(|e| RequestKind::of(&e))
        .unwrap_or(RequestKind::EventV2);
    let sealed = seal::seal(
        kind,
        &message.payload,
        &profile.keys,
        true,
        &core.config.clock.now().timestamp().to_string(),
        &seal::nonce(),
    );
    let frame = match message.kind {
        FrameType::Card => "card (legacy card callback; the official SDKs drop these)",
        _ => "event",
    };
    let mut headers = sealed.headers;
    headers.push((FRAME_HEADER.to_string(), frame.to_string()));
    headers.push(("X-Companion-Message-Id".to_string(), message.message_id));
    let inbound = Inbound {
        started,
        received_ms,
        path: format!("/long-connection/{slug}"),
        headers,
        raw: sealed.body,
        oversize: None,
        timed_out: false,
        peer: None,
        channel_authenticated: true,
    };
    let response = pipeline::process(core, slug, inbound).await;
    let status = response.status();
    let body = match axum::body::to_bytes(response.into_body(), 1024 * 1024).await {
        Ok(body) => body,
        Err(e) => return HandlerAnswer::Failed(format!("the answer could not be read: {e}")),
    };
    if status.is_server_error() {
        // Not recorded: let the platform push it again.
        return HandlerAnswer::Failed(format!("the relay answered {status}"));
    }
    // Rejections are recorded with their reason; the platform gets the error body as the
    // answer (there is no status on this channel) and does not push them again.
    if body.is_empty() {
        HandlerAnswer::Ok(None)
    } else {
        HandlerAnswer::Ok(Some(body.to_vec()))
    }
}
