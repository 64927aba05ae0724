//! The listener: an axum router (`router`, which tests can drive without a socket) and
//! [`Relay`], a running relay with its outbox worker, stopped gracefully by [`Relay::stop`].
//! Connections are accepted by `listener` under the caps and timeouts of `limits`.

use crate::problem::{Problem, ProblemCode as C};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Extension, Router};
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

use super::claim::{self, Claim};
use super::coverage;
use super::error::RelayError;
use super::inspector;
use super::lab::{self, LabInput, LabReport};
use super::limits::RelayLoad;
use super::listener;
use super::model::{
    ProfileUrl, RecordDetail, RecordEvent, RecordFilter, RecordSummary, RelayStatus, ReplayResult,
};
use super::outbox;
use super::pipeline;
use super::state::RelayCore;
use super::trigger::{self, TriggerRequest, TriggerResult};

/// `POST /callback/{profile}`; anything else is a JSON 404/405. No CORS: only the platform (and
/// the app's own triggers, from Rust) talk to the relay.
pub fn router(core: Arc<RelayCore>) -> Router {
    Router::new()
        .route("/callback/{profile}", post(callback))
        // The pipeline reads the body itself, bounded by `max_body`, to answer 413 and record it.
        .layer(DefaultBodyLimit::disable())
        .fallback(not_found)
        .with_state(core)
}

async fn callback(
    State(core): State<Arc<RelayCore>>,
    Path(profile): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    // Set by the listener; absent when a test drives the router without a socket.
    let peer = peer.map(|Extension(ConnectInfo(addr))| addr.ip());
    pipeline::handle(core, profile, peer, headers, body).await
}

async fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        axum::Json(serde_json::json!({"error": {"code": "not_found", "message": "Not found."}})),
    )
        .into_response()
}

/// How long [`Relay::stop`] waits for requests in flight.
const STOP_GRACE: Duration = Duration::from_secs(10);

/// A running relay.
pub struct Relay {
    core: Arc<RelayCore>,
    addr: SocketAddr,
    warning: Option<Problem>,
    stop: watch::Sender<bool>,
    server: JoinHandle<()>,
    worker: JoinHandle<()>,
    /// The profiles' locks, released when the relay has stopped.
    claim: Claim,
    /// A second handle on the listening socket, for [`Relay::hand_over`]; closed with the relay.
    twin: Option<std::net::TcpListener>,
}

impl Relay {
    /// Claims the profiles (refused with [`RelayError::AlreadyRunning`] when another relay
    /// serves one from the same data folder), binds `core.config.listen` and starts serving and
    /// delivering. A taken port is an error, not a panic. Listening beyond loopback is allowed
    /// and logged as a warning.
    pub async fn start(core: RelayCore) -> Result<Self, RelayError> {
        Self::start_with(core, None).await
    }

    /// [`Relay::start`] on a socket that already listens, handed over by [`Relay::hand_over`]
    /// (here or in the process this one replaced): `core.config.listen` is not bound again, and
    /// connections that waited in the socket's queue during the hand-over are answered.
    pub async fn adopt(
        core: RelayCore,
        listener: std::net::TcpListener,
    ) -> Result<Self, RelayError> {
        Self::start_with(core, Some(listener)).await
    }

    async fn start_with(
        core: RelayCore,
        listening: Option<std::net::TcpListener>,
    ) -> Result<Self, RelayError> {
        let listen = match &listening {
            Some(l) => l.local_addr().unwrap_or(core.config.listen),
            None => core.config.listen,
        };
        let mut claim = claim::claim(&core, &listen.to_string())?;
        let (listener, addr) = match listening {
            Some(listening) => super::listener::adopt(listening)?,
            None => super::listener::bind(listen).await?,
        };
        let twin = super::listener::twin(&listener);
        claim.set_listen(&addr.to_string());
        let warning = (!addr.ip().is_loopback()).then(|| {
            let w = Problem::new(C::RelayBeyondLoopback).param("addr", addr);
            tracing::warn!("{w}");
            w
        });
        let core = Arc::new(core);
        let (stop, stopped) = watch::channel(false);
        let app = router(core.clone());
        let server = tokio::spawn(listener::serve(
            listener,
            app,
            core.clone(),
            stopped.clone(),
        ));
        let worker = tokio::spawn(outbox::run(core.clone(), stopped));
        tracing::info!(%addr, profiles = core.profiles().count(), "relay started");
        for p in core.profiles() {
            let refused = coverage::unverifiable(&p.keys);
            if !refused.is_empty() {
                let kinds: Vec<&str> = refused.iter().map(|k| k.as_str()).collect();
                tracing::warn!(
                    profile = %p.slug,
                    refused = %kinds.join(", "),
                    "the profile's secrets cannot verify these kinds of callback; they are refused"
                );
            }
        }
        Ok(Self {
            core,
            addr,
            warning,
            stop,
            server,
            worker,
            claim,
            twin,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn core(&self) -> &Arc<RelayCore> {
        &self.core
    }

    /// Connections, buffered bytes and refusals now and at their highest.
    pub fn load(&self) -> RelayLoad {
        self.core.load()
    }

    /// The callback URL of a profile (by name or slug), as this relay serves it.
    pub fn url(&self, profile: &str) -> Result<String, RelayError> {
        let p = self
            .core
            .find_profile(profile)
            .ok_or_else(|| RelayError::UnknownProfile(profile.to_string()))?;
        Ok(self.url_for_slug(&p.slug))
    }

    fn url_for_slug(&self, slug: &str) -> String {
        let host = if self.addr.ip().is_unspecified() {
            SocketAddr::new(std::net::Ipv4Addr::LOCALHOST.into(), self.addr.port())
        } else {
            self.addr
        };
        format!("http://{host}/callback/{slug}")
    }

    pub fn status(&self) -> Result<RelayStatus, RelayError> {
        let mut urls: Vec<ProfileUrl> = self
            .core
            .profiles()
            .map(|p| ProfileUrl {
                profile: p.name.clone(),
                url: self.url_for_slug(&p.slug),
                upstream: p
                    .upstream
                    .as_ref()
                    .map(|u| super::upstream::display_url(&u.url)),
                mode: p.upstream.as_ref().map(|u| u.mode).unwrap_or_default(),
                unverifiable: Some(coverage::unverifiable(&p.keys)).filter(|k| !k.is_empty()),
            })
            .collect();
        urls.sort_by(|a, b| a.profile.cmp(&b.profile));
        Ok(RelayStatus {
            listen: self.addr.to_string(),
            urls,
            warning: self.warning.clone(),
            pending_events: self.core.pending_events()?,
        })
    }

    /// New and changed records as they happen (the live view).
    pub fn subscribe(&self) -> broadcast::Receiver<RecordEvent> {
        self.core.subscribe()
    }

    pub fn list(&self, filter: &RecordFilter) -> Result<Vec<RecordSummary>, RelayError> {
        self.core.store.list(filter)
    }

    pub fn detail(&self, id: i64) -> Result<RecordDetail, RelayError> {
        self.core.store.detail(id)
    }

    /// Re-sends record `id` (re-signed) to `url` or its profile's upstream.
    pub async fn replay(&self, id: i64, url: Option<&str>) -> Result<ReplayResult, RelayError> {
        inspector::replay(&self.core, id, url).await
    }

    /// Signs `body` (the admin's own text) with `profile`'s keys and sends it (see
    /// [`inspector::resign`]).
    pub async fn resign(
        &self,
        profile: &str,
        body: &str,
        url: Option<&str>,
    ) -> Result<ReplayResult, RelayError> {
        inspector::resign(&self.core, profile, body, url).await
    }

    /// Record `id` as a curl command against this relay, with no secret in it.
    pub fn export_curl(&self, id: i64) -> Result<String, RelayError> {
        let detail = self.core.store.detail(id)?;
        let url = match self.core.profile(&detail.summary.profile) {
            Some(p) => self.url_for_slug(&p.slug),
            None => format!("http://{}{}", self.addr, detail.path),
        };
        Ok(inspector::export_curl(&detail, &url))
    }

    /// Sends a synthetic callback signed with the profile's keys, to this relay unless
    /// `request.url` says otherwise.
    pub async fn trigger(
        &self,
        profile: &str,
        request: &TriggerRequest,
    ) -> Result<TriggerResult, RelayError> {
        let p = self
            .core
            .find_profile(profile)
            .ok_or_else(|| RelayError::UnknownProfile(profile.to_string()))?;
        let url = match request
            .url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(url) => url.to_string(),
            None => self.url_for_slug(&p.slug),
        };
        trigger::send(
            &self.core.forwarder,
            &p.keys,
            request,
            &url,
            self.core.config.clock.now(),
        )
        .await
    }

    /// The signature lab with a served profile's secrets.
    pub fn lab(&self, profile: &str, input: &LabInput) -> Result<LabReport, RelayError> {
        let p = self
            .core
            .find_profile(profile)
            .ok_or_else(|| RelayError::UnknownProfile(profile.to_string()))?;
        Ok(lab::analyze(
            input,
            &p.keys,
            self.core.config.clock.now(),
            self.core.config.max_skew.as_secs() as i64,
        ))
    }

    /// Stops accepting, lets requests in flight finish (each is recorded before it is
    /// answered), and stops the outbox; pending events stay in SQLite for the next start. Then
    /// the profiles are released: another relay may serve them.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let mut server = self.server;
        if tokio::time::timeout(STOP_GRACE, &mut server).await.is_err() {
            tracing::warn!("relay requests still running after the grace period; abandoned");
            server.abort();
        }
        let _ = self.worker.await;
        drop(self.claim);
        tracing::info!(addr = %self.addr, "relay stopped");
    }

    /// Stops like [`Relay::stop`] (requests in flight are answered and recorded, the profiles'
    /// locks released) but leaves the socket listening and returns it, for [`Relay::adopt`]:
    /// a connection that arrives in between waits in the socket's queue instead of being
    /// refused. `None` (the relay stopped all the same) where the socket could not be kept.
    pub async fn hand_over(mut self) -> Option<std::net::TcpListener> {
        let twin = self.twin.take();
        let addr = self.addr;
        self.stop().await;
        if twin.is_some() {
            tracing::info!(%addr, "relay handed over; its socket keeps listening");
        }
        twin
    }
}
